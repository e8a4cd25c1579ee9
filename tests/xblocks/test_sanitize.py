"""Authors' rich text is cleaned by nh3 wherever it is rendered, however the field was written."""

import json
from pathlib import Path

import pytest

from tests.workbench_driver import WorkbenchDriver
from xblocks.assessment.sanitize import sanitize_html

TEMPLATES = Path(__file__).parents[2] / "xblocks" / "assessment" / "templates"
HOSTILE = (
    '<p onclick="x()">Build <strong>it</strong></p><script>alert("owned")</script>'
    '<img src=x onerror=alert("owned")><a href="javascript:alert(\'owned\')">link</a>'
    '<svg><style>@import "x"</style><a href="javascript:alert(1)">svg</a></svg>'
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"
)


def assert_harmless(html):
    for marker in ("<script", "onerror", "onclick", "javascript:", "<img", "<svg", "<style"):
        assert marker not in html.lower(), (marker, html)


def test_sanitizer_escapes_text_and_closes_tags():
    assert sanitize_html("<ul><li>a &lt; b<li>c") == "<ul><li>a &lt; b</li><li>c</li></ul>"
    assert sanitize_html('<p title="x">"quoted" & <em>fine</em></p>') == (
        '<p>"quoted" &amp; <em>fine</em></p>'
    )
    assert sanitize_html("<style>p{}</style><iframe src=x>inside</iframe>text") == "text"
    assert sanitize_html(None) == ""


def test_links_keep_safe_targets_only():
    assert sanitize_html('<a href="mailto:a@b.org" onclick="x">mail</a>') == (
        '<a href="mailto:a@b.org" rel="noopener noreferrer nofollow">mail</a>'
    )
    assert sanitize_html('<a href=" JavaScript:alert(1)">x</a>') == (
        '<a rel="noopener noreferrer nofollow">x</a>'
    )


def test_hostile_markup_is_harmless_after_cleaning():
    cleaned = sanitize_html(HOSTILE)
    assert_harmless(cleaned)
    assert cleaned.startswith("<p>Build <strong>it</strong></p>")


def test_no_template_marks_a_value_safe():
    """Only :func:`rich_text` (and rendered fragments, already escaped) may skip escaping."""
    for template in TEMPLATES.rglob("*.html"):
        assert "|safe" not in template.read_text(encoding="utf-8"), template.name


def learner_views(block):
    return block.render("student_view").body_html(), json.dumps(block.student_view_data())


@pytest.mark.parametrize("field", ["prompt", "brief", "case_narrative", "reflection_prompt"])
def test_a_field_written_without_studio_is_cleaned_when_rendered(ethics_block, project, field):
    driver = ethics_block if field in ("case_narrative", "reflection_prompt") else project
    block = driver.block("staff_author")
    setattr(block, field, HOSTILE)
    block.save()

    page, mobile = learner_views(driver.block("learner_1"))
    status, body = driver.call("learner_1", "learner_state", {})

    assert status == 200
    for html in (page, body["html"], mobile):
        assert_harmless(html)
    assert "Build <strong>it</strong>" in page


def test_rich_text_imported_from_olx_is_cleaned_when_rendered(workbench):
    from workbench.runtime import WorkbenchRuntime  # noqa: PLC0415

    runtime = WorkbenchRuntime("learner_1")
    olx = '<credplugin_assessment display_name="Imported" prompt="{}"/>'.format(
        HOSTILE.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    )
    usage_id = runtime.parse_xml_string(olx)
    block = runtime.get_block(usage_id)
    assert "<script>" in block.prompt  # stored as imported

    page, mobile = learner_views(WorkbenchDriver(usage_id).block("learner_1"))

    assert_harmless(page)
    assert_harmless(mobile)
    assert "Build <strong>it</strong>" in page
