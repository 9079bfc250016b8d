"""Printable PDFs, made with the site by `mkdocs build`.

    site/pdf/<worksheet id>-letter.pdf, -a4.pdf            each worksheet, blank
    site/pdf/<worksheet id>-fillable-letter.pdf, -a4.pdf   the same, with form
                                                          fields to fill in on
                                                          a computer
    site/pdf/master-checklist-letter.pdf, -a4.pdf
    site/pdf/workbook-letter.pdf, -a4.pdf                  the booklet: cover,
                                                          contents, every step,
                                                          worksheet, situation,
                                                          email template and the
                                                          master checklist
    site/pdf/facilitator-guide-letter.pdf, -a4.pdf     a page printed on its
                                                          own (HANDOUTS)

Every PDF is tagged (PDF/UA-1: headings, lists, tables, the document's
title and language), so a screen reader can read it.

The sheets need only the data, so the hooks start them as soon as it is
loaded (on_config), in one worker process per paper size; the booklet is
and the handouts are made from the rendered pages, so they start once
they all are (on_env). The
hooks collect everything after MkDocs has written the pages
(on_post_build). `mkdocs serve` makes them in the background instead
(workbook.previewpdfs).

Engine: WeasyPrint. It is pure Python (no browser is needed to build the
site), supports the paged-media CSS the footers and the contents' page
numbers need (running strings, target counters, margin boxes), tags PDFs
and makes form fields. It ignores CSS masks, so every box and line on paper
is drawn with borders (overrides/workbook/fields.html).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from workbook import booklet, checklists, templates

PAPERS = {"letter": "Letter", "a4": "A4"}
VARIANT = "pdf/ua-1"  # tagged, with title and language: read by screen readers
FILLABLE = "fillable"  # '<worksheet id>-fillable-<paper>.pdf'


@dataclass(frozen=True)
class Doc:
    name: str  # the file is '<name>-<paper>.pdf'
    html: str
    forms: bool = False  # the write-in places are form fields
    # Made from the rendered pages: links inside it print their target's
    # page number, and it opens with its bookmarks shown.
    numbered: bool = False


# Pages printed on their own, from the page as the site renders it (like a
# part of the booklet): '<name>-<paper>.pdf'.
HANDOUTS = {"facilitator-guide": "career-centers/facilitator-guide/"}


def _common(proj, lang: str, site_name: str) -> dict:
    return {"lang": lang, "site_name": site_name, "site_url": proj.url(""),
            "details": proj.emails.details, "helplines": proj.helplines,
            "show_title": True, "compact": True, "master": _master(proj),
            "brand": proj.brand.view() if proj.brand else None}


def _master(proj) -> dict:
    return {"title": proj.registry.pages["master-checklist/"].title,
            "url": proj.url("master-checklist/"),
            "lists": [checklists.view(c) for c in proj.checklists.steps(proj.registry)]}


def sheets(proj, lang: str, site_name: str) -> list[Doc]:
    """The one-part PDFs: the master checklist, then each worksheet, blank
    and fillable. They need only the data."""
    common = _common(proj, lang, site_name)

    def render(**context) -> str:
        return templates.render(proj.custom_dir, "pdf/document.html", **{**common, **context})

    master = common["master"]
    found = [Doc("master-checklist", render(
        title=master["title"], description="All ten steps on one page.", worksheets=[],
        fillable=False, footer=proj.print_footer(master["title"], "master-checklist/")))]
    for ws in proj.worksheets.by_id.values():
        for fillable in (False, True):
            found.append(Doc(
                f"{ws.id}-{FILLABLE}" if fillable else ws.id,
                render(title=ws.title + (" (fill in on a computer)" if fillable else ""),
                       description=ws.purpose, master=None, fillable=fillable,
                       worksheets=[(ws, proj.url(ws.page))],
                       footer=proj.print_footer(ws.title, ws.page, ws.short)),
                forms=fillable))
    return found


def workbook(proj, contents: dict[str, str], nav_order: list[str], lang: str,
             site_name: str) -> Doc:
    """The booklet, from the rendered pages' content (by site path)."""
    return Doc("workbook", templates.render(
        proj.custom_dir, "pdf/booklet.html", **_common(proj, lang, site_name),
        title=f"{site_name}: the workbook",
        description="The whole workbook to print: every step, worksheet, situation, "
                    "email template and the master checklist.",
        parts=booklet.parts(proj, contents, nav_order),
        worksheet_count=len(proj.worksheets.by_id)), numbered=True)


def handouts(proj, contents: dict[str, str], lang: str, site_name: str) -> list[Doc]:
    """Each page of HANDOUTS on its own, from its rendered content."""
    found = []
    for name, path in HANDOUTS.items():
        part = booklet.handout(proj, contents, path)
        found.append(Doc(name, templates.render(
            proj.custom_dir, "pdf/handout.html", lang=lang, title=part.title,
            description=f"{part.title}, to print, from {site_name}.", part=part,
            brand=proj.brand.view() if proj.brand else None),
            numbered=True))
    return found


def stylesheets(docs_dir: Path, custom_dir: str) -> list[Path]:
    """The CSS files every PDF is laid out with."""
    return [docs_dir / "assets" / "workbook.css", Path(custom_dir) / "workbook" / "pdf" / "pdf.css"]


def files(docs: list[Doc]) -> list[tuple[str, str, Doc]]:
    """Every PDF file as (file name, paper, document)."""
    return [(f"{doc.name}-{paper}.pdf", paper, doc) for paper in PAPERS for doc in docs]


def _styles(css: list[Path], paper: str):
    from weasyprint import CSS  # noqa: PLC0415
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    fonts = FontConfiguration()
    styles = [CSS(filename=str(path), font_config=fonts) for path in css]
    styles.append(CSS(string=f"@page {{ size: {PAPERS[paper]}; }}", font_config=fonts))
    return styles, fonts


PASSES = 6  # layouts of the booklet, at most, for its page numbers to settle


def _numbered(doc: Doc, styles, fonts, base_url: str):
    """The booklet or a handout, laid out with the page number of every link's target
    written in: laid out again with the numbers found until they stay put."""
    from weasyprint import CSS, HTML  # noqa: PLC0415

    html = HTML(string=doc.html, base_url=base_url)
    numbers: dict[str, int] = {}
    for _ in range(PASSES):
        rules = "".join(
            f".wb-pdf-contents a[href={templates.css_string('#' + name)}]::after"
            f"{{content:leader(\" \") \" {number}\"}}"
            f".wb-booklet-part a[href={templates.css_string('#' + name)}]::after"
            f"{{content:\" (page {number})\"}}" for name, number in numbers.items())
        document = html.render(stylesheets=[*styles, CSS(string=rules, font_config=fonts)],
                               font_config=fonts)
        found: dict[str, int] = {}
        for index, page in enumerate(document.pages, start=1):
            for name in page.anchors:
                found.setdefault(name, index)
        if found == numbers:
            return document
        numbers = found
    raise RuntimeError(f"the page numbers of {doc.name} did not settle in {PASSES} layouts")


def _write(doc: Doc, styles, fonts, base_url: str, out: Path) -> None:
    """Lay out one document and write it, whole or not at all."""
    from weasyprint import HTML  # noqa: PLC0415

    if doc.numbered:
        document = _numbered(doc, styles, fonts, base_url)
    else:
        document = HTML(string=doc.html, base_url=base_url).render(
            stylesheets=styles, font_config=fonts)
    partial = out.with_name(out.name + ".part")
    document.write_pdf(partial, pdf_variant=VARIANT, pdf_forms=doc.forms)
    if doc.forms or doc.numbered:
        _finish(partial, doc.forms, outline=doc.numbered)
    partial.replace(out)


def _finish(path: Path, forms: bool, outline: bool) -> None:
    """What WeasyPrint 70 leaves to do, done on the written file (pikepdf).

    Forms: WeasyPrint gives each button of a radio group the group's name
    too, lists the buttons as fields beside their group, and names the group
    after its first button. PDF readers then see 'X.X' fields, and a screen
    reader hears "1" for the question. So: only the group is a field, named
    and described by its question; its buttons are its widgets. Text fields
    get an automatic font size, so a long answer shrinks to fit its box.
    Outline: the booklet and the handouts open with their bookmarks shown."""
    import pikepdf  # noqa: PLC0415

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if forms:
            form = pdf.Root.AcroForm
            form.Fields = pikepdf.Array([f for f in form.Fields if "/Parent" not in f])
            for field in form.Fields:
                if "/Kids" in field:
                    field.TU = field.T
                    for button in field.Kids:
                        if "/T" in button:
                            del button["/T"]
                if field.get("/FT") == "/Tx" and "/DA" in field:
                    field.DA = pikepdf.String(re.sub(r"[\d.]+ Tf", "0 Tf", str(field.DA)))
        if outline:
            pdf.Root.PageMode = pikepdf.Name.UseOutlines
        pdf.save(path)


def render_file(doc: Doc, css: list[Path], base_url: str, paper: str, out: Path) -> Path:
    """Make one PDF (the live preview makes its PDFs one by one with this)."""
    styles, fonts = _styles(css, paper)
    _write(doc, styles, fonts, base_url, out)
    return out


# The PDFs this build is making, for the worker processes. They are forked
# from the build, so the sheets need no pickling; each worker loads
# WeasyPrint (half a second) itself while MkDocs goes on.
_jobs: dict = {}


def _render_sheets(paper: str) -> list[str]:
    """Every sheet at one paper size. Returns the file names written."""
    styles, fonts = _styles(_jobs["css"], paper)
    names = []
    for doc in _jobs["docs"]:
        names.append(f"{doc.name}-{paper}.pdf")
        _write(doc, styles, fonts, _jobs["base_url"], _jobs["out_dir"] / names[-1])
    return names


def _render_one(doc: Doc, paper: str) -> list[str]:
    name = f"{doc.name}-{paper}.pdf"
    render_file(doc, _jobs["css"], _jobs["base_url"], paper, _jobs["out_dir"] / name)
    return [name]


class Rendering:
    """PDFs being made in a private folder by worker processes while MkDocs
    builds the pages (it starts by emptying the site folder); finish()
    moves them into the site, or raises the first failure."""

    def __init__(self, scratch: tempfile.TemporaryDirectory):
        self.scratch, self.pool, self.futures, self.later = scratch, None, [], []
        if (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
            self.pool = ProcessPoolExecutor(max_workers=len(PAPERS),
                                            mp_context=multiprocessing.get_context("fork"))
            self.futures = [self.pool.submit(_render_sheets, paper) for paper in PAPERS]

    def add(self, docs: list[Doc]) -> None:
        """The booklet and the handouts, once the pages are rendered: one
        job per document and paper."""
        if self.pool is None:
            self.later += docs
        else:
            self.futures += [self.pool.submit(_render_one, doc, paper)
                             for doc in docs for paper in PAPERS]

    def finish(self, site_dir: Path) -> list[Path]:
        try:
            if self.pool is None:
                names = [name for paper in PAPERS for name in _render_sheets(paper)]
                names += [name for doc in self.later for paper in PAPERS
                          for name in _render_one(doc, paper)]
            else:
                names = [name for future in self.futures for name in future.result()]
            out_dir = site_dir / "pdf"
            out_dir.mkdir(parents=True, exist_ok=True)
            for name in names:
                shutil.move(str(Path(self.scratch.name) / name), out_dir / name)
            return [out_dir / name for name in names]
        finally:
            self.cancel()

    def cancel(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self.scratch.cleanup()
        _jobs.clear()


def start(proj, docs_dir: Path, lang: str, site_name: str) -> Rendering:
    """Start making the sheets: one worker process per paper size (fork,
    where the system has it; otherwise one after the other, in finish())."""
    scratch = tempfile.TemporaryDirectory(prefix="workbook-pdfs-")
    _jobs.clear()
    _jobs.update(docs=sheets(proj, lang, site_name), out_dir=Path(scratch.name),
                 base_url=str(proj.root), css=stylesheets(docs_dir, proj.custom_dir))
    return Rendering(scratch)
