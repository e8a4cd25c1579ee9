"""The allow-list sanitizer for authors' rich text."""

from xblocks.assessment.sanitize import sanitize_html


def test_sanitizer_escapes_text_and_closes_tags():
    assert sanitize_html("<ul><li>a &lt; b<li>c") == "<ul><li>a &lt; b<li>c</li></li></ul>"
    assert sanitize_html('<p title="x">"quoted" & <em>fine</em></p>') == (
        '<p>"quoted" &amp; <em>fine</em></p>'
    )
    assert sanitize_html("<style>p{}</style><iframe src=x>inside</iframe>text") == "text"


def test_links_keep_safe_targets_only():
    assert sanitize_html('<a href="mailto:a@b.org" onclick="x">mail</a>') == (
        '<a href="mailto:a@b.org" rel="noopener noreferrer nofollow">mail</a>'
    )
    assert sanitize_html('<a href=" JavaScript:alert(1)">x</a>') == (
        '<a rel="noopener noreferrer nofollow">x</a>'
    )
