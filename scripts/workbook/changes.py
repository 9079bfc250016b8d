"""The change log (data/changes.yml): what changed on the site, and when,
for people who link to it. The "What's new" page (macro `changes`), the
Atom feed at the site's root (changes.xml) and each link's `last_changed`
date (links.json, the career-center table) are all made from it.

Entries go oldest first, new ones at the end; their dates never go back.
Each names the permanent links it changed, by their registry ids
('emotions', 'emotions#do-this-now', 'home'). A link's last change is the
date of the newest entry that names:

- the link itself;
- its page (a change to a page is a change to each of its sections);
- for a page, any of its sections (a changed section changes its page).

Every registered link must get a date this way: the entry that first
published a page or section names it. The build stops when one has none,
and for an unknown link id, a bad or future date, dates out of order, or
an entry id given twice.

Feed ids are tag: URIs (RFC 4151) made from the site's host and path, the
date of the first entry (when the log started: it never changes) and the
entry's own `id`, so adding entries never changes an older entry's id.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from workbook import templates
from workbook.datafile import DataError, Document, load, report
from workbook.registry import Link, Registry

CHANGES_FILE = "changes.yml"
FEED = "changes.xml"
PAGE = "career-centers/changes/"  # the "What's new" page


@dataclass(frozen=True)
class Change:
    id: str
    date: datetime.date
    title: str
    summary: str
    links: tuple[Link, ...]


@dataclass
class Changes:
    doc: Document
    entries: list[Change] = field(default_factory=list)  # oldest first, as in the file
    last_changed: dict[str, datetime.date] = field(default_factory=dict)  # link id -> date

    @property
    def newest_first(self) -> list[Change]:
        return list(reversed(self.entries))


def path_of(link_id: str) -> str:
    """'emotions#do-this-now' -> 'emotions/#do-this-now'; 'home' -> ''."""
    base, _, anchor = link_id.partition("#")
    page = "" if base == "home" else f"{base}/"
    return f"{page}#{anchor}" if anchor else page


def load_changes(data_dir: Path, root: Path, registry: Registry) -> Changes:
    """Load data/changes.yml, check it against the registry, and work out
    each link's last change. Raises DataError naming file, line and place."""
    changes = Changes(load(data_dir / CHANGES_FILE, "changes", root))
    doc, problems = changes.doc, []
    seen: dict[str, tuple] = {}
    previous: datetime.date | None = None
    today = datetime.date.today()
    on_page = {link.anchor for link in registry.links if link.page == PAGE}
    for n, entry in enumerate(doc.data["changes"]):
        place = ("changes", n)
        if entry["id"] in seen:
            problems.append(doc.error(place + ("id",), f"'{entry['id']}' is given twice "
                                      f"(first at {doc.where(seen[entry['id']])})"))
        elif entry["id"] in on_page:
            problems.append(doc.error(place + ("id",), f"'{entry['id']}' is already a heading "
                                      f"id on '{PAGE}'; choose another id"))
        seen.setdefault(entry["id"], place + ("id",))
        try:
            date = datetime.date.fromisoformat(entry["date"])
        except ValueError:
            problems.append(doc.error(place + ("date",), f"{entry['date']!r} is not a date"))
            continue
        if date > today:
            problems.append(doc.error(place + ("date",), f"{date} is in the future"))
        if previous is not None and date < previous:
            problems.append(doc.error(
                place + ("date",), f"{date} is before the entry above it ({previous}); "
                "entries go oldest first: add a new one at the end"))
        previous = max(date, previous) if previous else date
        links: list[Link] = []
        for k, named in enumerate(entry["links"]):
            link = registry.find(path_of(named))
            if link is None:
                problems.append(doc.error(
                    place + ("links", k), f"'{named}' is not a link in {registry.doc.label} "
                    "(ids look like 'home', 'emotions' or 'emotions#do-this-now')"))
            elif link in links:
                problems.append(doc.error(place + ("links", k), f"'{named}' is named twice"))
            else:
                links.append(link)
        changes.entries.append(Change(entry["id"], date, entry["title"], entry["summary"],
                                      tuple(links)))
    if problems:
        raise DataError(report(problems))
    changes.last_changed = last_changed(changes.entries, registry)
    return changes


def check_dated(changes: Changes, registry: Registry) -> None:
    """Every registered link has a last change (hooks: on_env, once the
    registry matches the site, so a page missing from the site is reported
    as that first)."""
    undated = [link for link in registry.links if link.id not in changes.last_changed]
    if undated:
        raise DataError(report([
            f"{changes.doc.label}: link '{link.id}' ({link.title}) has no date of change: "
            "name it, or its page, in the entry that published it" for link in undated]))


def last_changed(entries: list[Change], registry: Registry) -> dict[str, datetime.date]:
    """Each link's date of last change, by the rule in this module's doc."""
    pages = registry.pages
    dates: dict[str, datetime.date] = {}
    for entry in entries:
        for link in entry.links:
            if link.anchor is None:
                touched = [other for other in registry.links if other.page == link.page]
            else:
                touched = [link, pages[link.page]]
            for other in touched:
                if other.id not in dates or dates[other.id] < entry.date:
                    dates[other.id] = entry.date
    return dates


def entry_anchor(change: Change) -> str:
    """The entry's place on the "What's new" page: 'career-centers/changes/#id'."""
    return f"{PAGE}#{change.id}"


def link_title(link: Link, registry: Registry) -> str:
    """A link's name out of context: 'Step 1: ...: Do this now' for a section."""
    if link.anchor is None:
        return link.title
    return f"{registry.pages[link.page].title}: {link.title}"


def tag_uri(site_url: str, start: datetime.date, specific: str) -> str:
    """tag:host,date:/site-path/specific (RFC 4151); the port is left out."""
    parts = urlsplit(site_url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"tag:{parts.hostname or 'localhost'},{start.isoformat()}:{path}{specific}"


def timestamp(date: datetime.date) -> str:
    """An RFC 3339 date-time for a day: the log gives dates, not times."""
    return f"{date.isoformat()}T00:00:00Z"


def feed_xml(proj, site_name: str, author: str, lang: str) -> str:
    """The Atom feed (RFC 4287) of every change, newest first."""
    changes, registry = proj.changes, proj.registry
    start = changes.entries[0].date
    entries = [{
        "id": tag_uri(proj.site_url, start, f"changes/{change.id}"),
        "title": change.title,
        "updated": timestamp(change.date),
        "url": proj.url(entry_anchor(change)),
        "summary": change.summary,
        "links": [{"title": link_title(link, registry), "url": proj.url(link.path)}
                  for link in change.links],
    } for change in changes.newest_first]
    feed = {
        "id": tag_uri(proj.site_url, start, "changes"),
        "title": f"{site_name}: what's new",
        "subtitle": "Changes to the pages and sections that career centers and others link to.",
        "updated": timestamp(max(change.date for change in changes.entries)),
        "self": proj.url(FEED),
        "alternate": proj.url(PAGE),
        "author": author,
        "lang": lang,
    }
    return templates.render(proj.custom_dir, "changes.xml", feed=feed, entries=entries) + "\n"
