"""links.json: the machine-readable link map at the site's root.

Every registered link (data/links.yml) with its id, title, page, full
permanent URL and the date it last changed (data/changes.yml), for career
centers and their tools. Made from the registry at every build, never by
hand; the hooks add it to the site's files, so pages may link to it and
MkDocs checks those links."""

from __future__ import annotations

import json

from workbook import changes

LINK_MAP = "links.json"


def link_map(proj) -> dict:
    pages = proj.registry.pages
    return {
        "site": proj.url(""),
        "about": "Permanent links to every page and section of this workbook.",
        "changes": proj.url(changes.FEED),
        "links": [{
            "id": link.id,
            "title": link.title,
            "page": link.page,
            "page_title": pages[link.page].title,
            "anchor": link.anchor,
            "url": proj.url(link.path),
            # (A link with no date stops the build in on_env: changes.check_dated.)
            "last_changed": _iso(proj.changes.last_changed.get(link.id)),
        } for link in proj.registry.links],
    }


def _iso(date) -> str | None:
    return date.isoformat() if date else None


def link_map_json(proj) -> str:
    return json.dumps(link_map(proj), indent=2, ensure_ascii=False) + "\n"
