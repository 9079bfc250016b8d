"""Every heading needs a permanent id, written `## Title { #id }`.

Python-Markdown's toc extension calls its slugify function only for headings
that have no explicit id. mkdocs.yml points toc at `slugify` below, which
marks such headings; the build hooks then stop with a message naming the
page and the heading. An id made from the wording would change whenever the
wording does, and break links from career centers.
"""

from __future__ import annotations

import re

from markdown.extensions.toc import slugify as _default_slugify

MARK = "missing-permanent-id--"


def slugify(value: str, separator: str) -> str:
    return MARK + _default_slugify(value, separator)


def suggest(text: str) -> str:
    """A suggested id for a heading: lowercase words joined by '-', no numbers."""
    words = re.findall(r"[a-z]+", text.lower())
    return "-".join(words[:5]) or "section"
