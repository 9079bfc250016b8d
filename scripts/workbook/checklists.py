"""Checklists from data/checklists.yml: loaded, checked and looked up.

Beyond the schema, the build checks that checklist ids are unique, that
item ids are unique within their checklist (saved ticks are stored under
checklist id + item id), and that every `section` and `link` names a page
or section that exists in the link registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbook.datafile import DataError, Document, load, lookup, report
from workbook.registry import Link, Registry

CHECKLISTS_FILE = "checklists.yml"


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    detail: str | None
    link: Link | None


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    intro: str | None
    section: Link | None
    items: tuple[Item, ...]


def view(checklist: Checklist, href=None) -> dict:
    """A checklist as its template (overrides/workbook/checklist.html) reads
    it; href(link) makes each item's link, or None to leave links out (the
    PDFs)."""
    return {
        "id": checklist.id, "title": checklist.title, "intro": checklist.intro,
        "items": [{
            "id": item.id, "text": item.text, "detail": item.detail,
            "link": {"title": item.link.title, "href": href(item.link)}
            if item.link and href else None,
        } for item in checklist.items],
    }


@dataclass
class Checklists:
    doc: Document
    by_id: dict[str, Checklist]

    def get(self, checklist_id: str, where: str) -> Checklist:
        return lookup(self.by_id, checklist_id, "checklist", self.doc, where)

    def steps(self, registry: Registry) -> list[Checklist]:
        """The ten steps' lists, in the order of the steps' pages."""
        order = list(registry.pages)
        with_section = [c for c in self.by_id.values() if c.section]
        return sorted(with_section, key=lambda c: order.index(c.section.page))


def load_checklists(data_dir: Path, root: Path, registry: Registry) -> Checklists:
    doc = load(data_dir / CHECKLISTS_FILE, "checklists", root)
    problems: list[str] = []
    by_id: dict[str, Checklist] = {}
    first_at: dict[str, tuple] = {}
    sections: dict[str, tuple] = {}

    def registered(path: str, place: tuple, what: str) -> Link | None:
        link = registry.find(path)
        if link is None:
            problems.append(doc.error(place, f"{what} {path!r} is not a page or section of "
                                             f"the site (see {registry.doc.label})"))
        return link

    for c, data in enumerate(doc.data["checklists"]):
        place = ("checklists", c)
        if data["id"] in first_at:
            problems.append(doc.error(place + ("id",), f"checklist id '{data['id']}' is used "
                                      f"twice (first at {doc.where(first_at[data['id']])})"))
            continue
        first_at[data["id"]] = place
        section = None
        if "section" in data:
            section = registered(data["section"], place + ("section",), "section")
            if section and section.anchor:
                problems.append(doc.error(place + ("section",), "a section must be a page, "
                                          "such as 'emotions/', not a part of one"))
            elif data["section"] in sections:
                problems.append(doc.error(place + ("section",), f"page '{data['section']}' "
                                          f"already has a list (at {doc.where(sections[data['section']])})"))
            sections[data["section"]] = place
        items, item_at = [], {}
        for i, item in enumerate(data["items"]):
            item_place = place + ("items", i)
            if item["id"] in item_at:
                problems.append(doc.error(item_place + ("id",), f"item id '{item['id']}' is "
                                          f"used twice in this checklist (first at "
                                          f"{doc.where(item_at[item['id']])})"))
            item_at[item["id"]] = item_place
            link = registered(item["link"], item_place + ("link",), "link") if "link" in item else None
            items.append(Item(item["id"], item["text"], item.get("detail"), link))
        by_id[data["id"]] = Checklist(data["id"], data["title"], data.get("intro"),
                                      section, tuple(items))
    if problems:
        raise DataError(report(problems))
    return Checklists(doc, by_id)
