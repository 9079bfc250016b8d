"""Read the facts the build checks from a page's rendered HTML: its H1,
its headings with their ids, and every id on the page."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from html.parser import HTMLParser

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Heading:
    level: int
    id: str | None
    text: str


@dataclass
class PageFacts:
    src: str  # the Markdown source, as shown in messages: 'docs/emotions.md'
    title: str = ""  # the H1 text
    headings: dict[str, str] = field(default_factory=dict)  # id -> text, H2 and below
    all_headings: list[Heading] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[Heading] = []
        self.ids: list[str] = []
        self._open: Heading | None = None
        self._skip = 0  # depth inside a heading's permalink

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag in HEADINGS:
            self._open = Heading(int(tag[1]), attrs.get("id"), "")
        elif self._open is not None and tag == "a" and "headerlink" in (attrs.get("class") or ""):
            self._skip += 1
        elif self._skip:
            self._skip += 1

    def handle_endtag(self, tag):
        if self._skip:
            self._skip -= 1
        elif tag in HEADINGS and self._open is not None:
            self._open.text = " ".join(self._open.text.split())
            self.headings.append(self._open)
            self._open = None

    def handle_data(self, data):
        if self._open is not None and not self._skip:
            self._open.text += data


def read(html: str, src: str) -> PageFacts:
    """The page's facts; a page unchanged since the last build (`mkdocs
    serve` rebuilds every page after each edit) is not parsed again."""
    return copy.deepcopy(_read(html, src))


@functools.lru_cache(maxsize=256)
def _read(html: str, src: str) -> PageFacts:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    facts = PageFacts(src=src, all_headings=reader.headings, ids=reader.ids)
    for heading in reader.headings:
        if heading.level == 1 and not facts.title:
            facts.title = heading.text
        elif heading.level > 1 and heading.id:
            facts.headings[heading.id] = heading.text
    return facts
