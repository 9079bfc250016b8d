"""The booklet: the whole workbook as one printed document
(overrides/workbook/pdf/booklet.html), made from the pages as the site
renders them and from the same data. A handout (pdf/handout.html) is one
page made the same way, on its own: the facilitator guide.

Order: the home page (introduction and conclusion); each step with its
worksheets, in the order of the steps; the situation pages; the email
templates; the master checklist (added by the template).

Each page's rendered content is made safe to share one document with the
others: every id gets the page's prefix ('emotions--managing-disappointment'),
and every link is pointed where it leads on paper: into the booklet when
its target is in it (the PDF then shows the page number), else to the full
permanent address, so that it prints as an address someone can type.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from markupsafe import Markup

from workbook import qr

SITUATIONS = "situations/"
EMAILS = "emails/"
HOME = ""
MASTER = "master-checklist/"
# Attributes that hold one id, or several separated by spaces.
_ID_ATTRS = ("id", "for", "aria-describedby", "aria-labelledby", "aria-controls", "headers")
_ATTR = re.compile(r'\s(id|for|aria-describedby|aria-labelledby|aria-controls|headers|href)="([^"]*)"')
_H1_END = re.compile(r"</h1>")


@dataclass
class Part:
    kind: str  # "intro", "step", "situations" (their index), "situation", "page"
    # or "handout" (a page printed on its own)
    path: str  # its site path: 'emotions/'
    anchor: str  # its id in the booklet
    title: str
    url: str
    heading: Markup  # the page's content up to its H1's end
    html: Markup  # the rest of the page's content
    qr: str | None = None
    short: str = ""
    worksheets: list = field(default_factory=list)  # (worksheet, url) after this part


def anchor(path: str) -> str:
    """A page's id in the booklet: 'emotions/' -> 'p-emotions'."""
    return "p-" + (path.strip("/").replace("/", "-") or "home")


def order(proj, nav_order: list[str]) -> list[tuple[str, str]]:
    """(kind, path) of every page in the booklet, in reading order."""
    steps = [c.section.path for c in proj.checklists.steps(proj.registry)]
    situations = [p for p in nav_order if p.startswith(SITUATIONS)]
    return ([("intro", HOME)] + [("step", p) for p in steps]
            + [("situations" if p == SITUATIONS else "situation", p) for p in situations]
            + [("page", EMAILS)])


def parts(proj, contents: dict[str, str], nav_order: list[str]) -> list[Part]:
    """The booklet's parts, each with its page's content adapted."""
    wanted = order(proj, nav_order)
    missing = [path for _, path in wanted if path not in contents]
    if missing:
        raise RuntimeError(f"the booklet needs pages the build did not render: {missing}")
    targets = {path: anchor(path) for _, path in wanted}
    placed: set[str] = set()
    for sheet in proj.worksheets.by_id.values():
        targets[sheet.page] = f"pdf-{sheet.id}"
    targets[MASTER] = "pdf-master"  # its sheet ends the booklet
    found = []
    for kind, path in wanted:
        part = _part(proj, kind, path, contents, targets)
        if kind == "step":
            part.qr, part.short = qr.data_uri(part.url), proj.short_url(path)
            for sheet in proj.worksheets.by_id.values():
                if sheet.id not in placed and sheet.sections and sheet.sections[0].path == path:
                    part.worksheets.append((sheet, proj.url(sheet.page)))
                    placed.add(sheet.id)
        found.append(part)
    left = [s.id for s in proj.worksheets.by_id.values() if s.id not in placed]
    if left:  # a worksheet whose first section is not a step: after the last step
        last = [p for p in found if p.kind == "step"][-1]
        last.worksheets += [(proj.worksheets.by_id[i], proj.url(proj.worksheets.by_id[i].page))
                            for i in left]
    return found


def handout(proj, contents: dict[str, str], path: str) -> Part:
    """One page on its own, as a part with a QR code of its page: links
    inside the page show their page number, every other link its full
    address."""
    if path not in contents:
        raise RuntimeError(f"the handout needs a page the build did not render: {path}")
    part = _part(proj, "handout", path, contents, {path: anchor(path)})
    part.qr, part.short = qr.data_uri(part.url), proj.short_url(path)
    return part


def _part(proj, kind: str, path: str, contents: dict[str, str], targets: dict[str, str]) -> Part:
    """A page's content adapted, cut after its H1."""
    html = adapt(contents[path], path, targets, proj.url)
    end = _H1_END.search(html)
    cut = end.end() if end else 0
    return Part(kind, path, targets[path], proj.registry.pages[path].title, proj.url(path),
                Markup(html[:cut]), Markup(html[cut:]))


def adapt(html: str, path: str, targets: dict[str, str], url) -> str:
    """One page's rendered content, ready to share the booklet: ids
    prefixed with the page's anchor, links pointed into the booklet or at
    full addresses."""
    prefix = targets[path]

    def one(match: re.Match) -> str:
        name, value = match.group(1), match.group(2)
        if name in _ID_ATTRS:
            return f' {name}="{" ".join(f"{prefix}--{v}" for v in value.split())}"'
        return f' href="{_link(value, path, prefix, targets, url)}"'

    return _ATTR.sub(one, html)


def _link(href: str, path: str, prefix: str, targets: dict[str, str], url) -> str:
    if href.startswith("#"):
        return f"#{prefix}--{href[1:]}" if href[1:] else f"#{prefix}"
    if re.match(r"^[a-z][a-z0-9+.-]*:", href):  # https:, mailto:, tel:
        return href
    resolved = urljoin("/" + path, href)
    site_path, _, fragment = resolved.lstrip("/").partition("#")
    site_path = posixpath.normpath(site_path) + "/" if site_path else ""
    if site_path.endswith(".pdf/") or "." in site_path.rsplit("/", 2)[-2]:
        site_path = site_path.rstrip("/")  # a file, not a page
    target = targets.get(site_path)
    if target is None:
        return url(site_path) + (f"#{fragment}" if fragment else "")
    if fragment and not target.startswith("pdf-"):
        return f"#{target}--{fragment}"
    return f"#{target}"
