"""The allow-list for the rich text authors write (prompts, case narratives), applied by nh3.

Authors are trusted less than the page they write into, and a field can be written without
Studio (OLX import, a course export edited by hand, a shell): the text is cleaned where it is
rendered, with nh3 (the Ammonia sanitizer, a real HTML5 parser), not only when it is saved.
Anything outside a small set of formatting tags and attributes is dropped, links keep only
http(s)/mailto or relative targets, script and style content is removed with its text.
"""

import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "em", "h3", "h4", "h5", "hr", "i",
        "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
        "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
# Content of these is dropped entirely, not shown as text.
DROP_CONTENT_TAGS = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea"}
)
LINK_REL = "noopener noreferrer nofollow"


def sanitize_html(value):
    """Return ``value`` with only allow-listed tags and attributes; always well nested."""
    return nh3.clean(
        value or "",
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_CONTENT_TAGS),
        # "*" empty: no attribute on every tag (Ammonia's default would allow lang and title).
        attributes={"*": set(), **{tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
    )


def rich_text(value):
    """``value`` cleaned and marked safe for a template: the one way rich text reaches a page."""
    return mark_safe(sanitize_html(value))  # noqa: S308  (cleaned by the allow-list above)
