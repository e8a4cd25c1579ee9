"""An allow-list HTML sanitizer for the rich text authors write (prompts, case narratives).

Authors are trusted less than the page they write into: anything outside a small set of
formatting tags and attributes is dropped, links keep only http(s)/mailto targets, and text is
re-escaped. Built on the standard library's HTML parser so the plugin needs no extra dependency.
"""

from html import escape
from html.parser import HTMLParser
from urllib.parse import urlparse

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "em", "h3", "h4", "h5", "hr", "i",
        "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
        "thead", "tr", "ul",
    }
)  # fmt: skip
VOID_TAGS = frozenset({"br", "hr"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
# Content of these is dropped entirely, not shown as text.
DROP_CONTENT_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "template"})


class _Sanitizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.open_tags = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROP_CONTENT_TAGS:
            self.dropping += 1
            return
        if self.dropping or tag not in ALLOWED_TAGS:
            return
        kept = []
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, ()) or value is None:
                continue
            if name == "href" and not _safe_url(value):
                continue
            kept.append(f' {name}="{escape(value, quote=True)}"')
        if tag == "a":
            kept.append(' rel="noopener noreferrer nofollow"')
        self.parts.append(f"<{tag}{''.join(kept)}>")
        if tag not in VOID_TAGS:
            self.open_tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.open_tags and self.open_tags[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in DROP_CONTENT_TAGS:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.open_tags:
            return
        while self.open_tags:
            current = self.open_tags.pop()
            self.parts.append(f"</{current}>")
            if current == tag:
                break

    def handle_data(self, data):
        if not self.dropping:
            self.parts.append(escape(data, quote=False))

    def result(self):
        self.close()
        closing = [f"</{tag}>" for tag in reversed(self.open_tags)]
        return "".join(self.parts + closing)


def _safe_url(value):
    scheme = urlparse(value.strip()).scheme.lower()
    return scheme in ALLOWED_SCHEMES


def sanitize_html(value):
    """Return ``value`` with only allow-listed tags and attributes; always well nested."""
    parser = _Sanitizer()
    parser.feed(value or "")
    return parser.result()
