"""Reading a verify report page as a person does, for the verify page tests."""

import re
from html import unescape


def verdict_heading(html):
    """The verdict's headline as a reader hears it (icon, tags and extra spaces dropped)."""
    heading = re.search(r'<h2 id="verdict-heading"[^>]*>(.*?)</h2>', html, re.S).group(1)
    heading = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>.*?</span>', "", heading)
    return unescape(" ".join(re.sub(r"<[^>]+>", "", heading).split()))


def report_part(html):
    """The page above the form, where the verdict and what the badge says are shown (the
    form below echoes the pasted text back for editing)."""
    return html.split('<form class="credplugin-form"')[0]
