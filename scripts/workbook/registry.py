"""The permanent link registry: every published page and heading anchor.

Career centers link to `page/#anchor` for years, so `data/links.yml` lists
each one. The build compares the registry with the rendered pages and stops
when they disagree, in either direction:

- a registered page or anchor that is gone (a link out there would break);
- a page or heading that is published but not registered (it would have no
  promise of permanence, and no row in the career-center table).

A renamed heading keeps its old id through `renamed_to`; a moved page keeps
its old path through `moved`, which the build turns into a redirect page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbook.datafile import DataError, Document, load, report
from workbook.pagefacts import PageFacts

REGISTRY_FILE = "links.yml"


def link_id(page: str, anchor: str | None = None) -> str:
    """The stable id of a link: 'emotions', 'emotions#managing-disappointment';
    the home page is 'home'."""
    base = page.rstrip("/") or "home"
    return f"{base}#{anchor}" if anchor else base


@dataclass(frozen=True)
class Link:
    id: str
    page: str  # site path, '' for home, else ending in '/'
    anchor: str | None
    title: str
    place: tuple

    @property
    def path(self) -> str:
        """The site-relative URL, 'emotions/#managing-disappointment'."""
        return f"{self.page}#{self.anchor}" if self.anchor else self.page


@dataclass(frozen=True)
class Alias:
    page: str
    old: str
    new: str
    place: tuple


@dataclass(frozen=True)
class Move:
    old: str
    new: str
    place: tuple


@dataclass
class Registry:
    doc: Document
    links: list[Link] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)

    @property
    def pages(self) -> dict[str, Link]:
        return {link.page: link for link in self.links if link.anchor is None}

    def find(self, path: str) -> Link | None:
        """The link at a site path such as 'emotions/#managing-disappointment'.
        An old path of a moved page, or the old id of a renamed heading, finds
        the page or heading where it is now."""
        page, _, anchor = path.partition("#")
        for move in self.moves:
            if move.old == page:
                page = move.new
                path = f"{page}#{anchor}" if anchor else page
        for alias in self.aliases:
            if alias.page == page and alias.old == anchor:
                path = f"{page}#{alias.new}"
        return next((link for link in self.links if link.path == path), None)

    def aliases_on(self, page: str) -> list[Alias]:
        return [alias for alias in self.aliases if alias.page == page]

    def check_site(self, built: dict[str, PageFacts]) -> None:
        """Raise DataError when the registry and the rendered pages differ."""
        doc, problems = self.doc, []
        for link in self.links:
            facts = built.get(link.page)
            if facts is None:
                problems.append(doc.error(
                    link.place, f"page '{link.page}' is not in the site; a moved "
                    "page needs a 'moved' entry, never a deleted registry entry"))
            elif link.anchor is None:
                if facts.title != link.title:
                    problems.append(doc.error(
                        link.place, f"title is {link.title!r} but the page's "
                        f"heading ({facts.src}) is {facts.title!r}; make them match"))
            elif link.anchor not in facts.headings:
                problems.append(doc.error(
                    link.place, f"no heading with id '{link.anchor}' on "
                    f"{facts.src}; if it was renamed, keep this entry and add "
                    f"'renamed_to: <new id>' instead of 'title'"))
            elif facts.headings[link.anchor] != link.title:
                problems.append(doc.error(
                    link.place, f"title is {link.title!r} but the heading on "
                    f"{facts.src} is {facts.headings[link.anchor]!r}; make them match"))
        for alias in self.aliases:
            facts = built.get(alias.page)
            if facts and alias.new not in facts.headings:
                problems.append(doc.error(
                    alias.place, f"renamed_to '{alias.new}' is not a heading "
                    f"id on {facts.src}"))
        registered = {(link.page, link.anchor) for link in self.links}
        for page, facts in built.items():
            if (page, None) not in registered:
                problems.append(
                    f"{facts.src}: page '{page}' ({facts.title!r}) is not in "
                    f"{doc.label}; add it under 'pages'")
                continue
            for anchor, text in facts.headings.items():
                if (page, anchor) not in registered:
                    problems.append(
                        f"{facts.src}: heading {text!r} {{ #{anchor} }} is not in "
                        f"{doc.label}; add it to the anchors of page '{page}'")
        if problems:
            raise DataError(report(problems))


def load_registry(data_dir: Path, root: Path) -> Registry:
    """Load data/links.yml, check its schema and its own consistency."""
    doc = load(data_dir / REGISTRY_FILE, "links", root)
    registry, problems = Registry(doc), []
    seen: dict[str, tuple] = {}

    def add(link: Link) -> None:
        if link.id in seen:
            problems.append(doc.error(
                link.place, f"'{link.id}' is registered twice "
                f"(first at {doc.where(seen[link.id])})"))
        seen[link.id] = link.place
        registry.links.append(link)

    for p, page in enumerate(doc.data["pages"]):
        path = page["path"]
        add(Link(link_id(path), path, None, page["title"], ("pages", p)))
        current = set()
        for a, anchor in enumerate(page.get("anchors", [])):
            place = ("pages", p, "anchors", a)
            has_title, renamed = "title" in anchor, "renamed_to" in anchor
            if has_title == renamed:
                problems.append(doc.error(
                    place, "give either 'title' (a heading on the page) or "
                    "'renamed_to' (the new id of a renamed heading), not both"
                    if has_title else "'title' is required"))
                continue
            if has_title:
                current.add(anchor["id"])
                add(Link(link_id(path, anchor["id"]), path, anchor["id"],
                         anchor["title"], place))
            else:
                if link_id(path, anchor["id"]) in seen:
                    problems.append(doc.error(
                        place, f"'{anchor['id']}' is registered twice on '{path}'"))
                seen[link_id(path, anchor["id"])] = place
                registry.aliases.append(
                    Alias(path, anchor["id"], anchor["renamed_to"], place))
        for alias in registry.aliases_on(path):
            if alias.new not in current:
                problems.append(doc.error(
                    alias.place + ("renamed_to",),
                    f"'{alias.new}' is not an anchor registered on '{path}'"))

    pages = registry.pages
    for m, move in enumerate(doc.data.get("moved", [])):
        place = ("moved", m)
        if move["to"] not in pages:
            problems.append(doc.error(
                place + ("to",), f"'{move['to']}' is not a registered page"))
        if move["from"] in pages:
            problems.append(doc.error(
                place + ("from",), f"'{move['from']}' is still a registered "
                "page; a page cannot be both moved and present"))
        registry.moves.append(Move(move["from"], move["to"], place))

    if problems:
        raise DataError(report(problems))
    return registry
