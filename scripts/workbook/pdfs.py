"""Printable PDFs, made with the site by `mkdocs build`.

    site/pdf/<worksheet id>-letter.pdf, -a4.pdf   each worksheet, blank
    site/pdf/master-checklist-letter.pdf, -a4.pdf
    site/pdf/workbook-letter.pdf, -a4.pdf          cover, contents, master
                                                   checklist, every worksheet

Each part is laid out once per paper size: the workbook is the cover and
contents followed by the very sheets of the master checklist and worksheet
PDFs, so a sheet looks the same, footer and page numbers included, whether
it is printed alone or in the workbook.

The hooks start the PDFs as soon as the data is loaded (on_config), in one
worker process per paper size, and collect them after MkDocs has written
the pages (on_post_build), so the two overlap. `mkdocs serve` skips them,
so live reload never waits for PDFs.

Engine: WeasyPrint. It is pure Python (no browser is needed to build the
site), lays out a one-page worksheet in a few hundredths of a second, and
supports the paged-media CSS the footer needs (running strings, page
counters, margin boxes). It ignores CSS masks, so every box and line on
paper is drawn with borders (overrides/workbook/fields.html).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from workbook import checklists, templates

PAPERS = {"letter": "Letter", "a4": "A4"}
TEMPLATE = "pdf/document.html"


@dataclass(frozen=True)
class Part:
    name: str | None  # its own PDF, '<name>-<paper>.pdf'; None: only in the workbook
    html: str
    in_workbook: bool = True


def parts(proj, lang: str, site_name: str) -> list[Part]:
    """The documents to lay out, in workbook order: cover and contents, the
    master checklist, then every worksheet."""
    master = {
        "title": proj.registry.pages["master-checklist/"].title,
        "url": proj.url("master-checklist/"),
        "lists": [checklists.view(c) for c in proj.checklists.steps(proj.registry)],
    }
    every = [(ws, proj.url(ws.page)) for ws in proj.worksheets.by_id.values()]
    contents = [{"title": master["title"], "sheets": 1}] + [
        {"title": ws.title, "sheets": ws.sheets} for ws, _ in every]
    common = {"lang": lang, "site_name": site_name, "site_url": proj.url(""),
              "details": proj.emails.details, "helplines": proj.helplines,
              "show_title": True, "compact": True}

    def render(**context) -> str:
        return templates.render(proj.custom_dir, TEMPLATE, **common, **context)

    found = [
        Part(None, render(title=f"{site_name}: the workbook",
                          description="Every worksheet and the master checklist, to print.",
                          cover=True, contents=contents, master=None, worksheets=[],
                          worksheet_count=len(every), footer=None)),
        Part("master-checklist", render(
            title=master["title"], cover=False, description="All ten steps on one page.",
            master=master, worksheets=[],
            footer=proj.print_footer(master["title"], "master-checklist/"))),
    ]
    found += [Part(ws.id, render(title=ws.title, description=ws.purpose, cover=False,
                                 master=None, worksheets=[(ws, url)],
                                 footer=proj.print_footer(ws.title, ws.page, ws.short)))
              for ws, url in every]
    return found


def stylesheets(docs_dir: Path, custom_dir: str) -> list[Path]:
    """The CSS files every PDF is laid out with."""
    return [docs_dir / "assets" / "workbook.css", Path(custom_dir) / "workbook" / "pdf" / "pdf.css"]


def files(found: list[Part]) -> list[tuple[str, str, list[str]]]:
    """Every PDF file as (file name, paper, the HTML of its parts in order)."""
    out = []
    for paper in PAPERS:
        out += [(f"{part.name}-{paper}.pdf", paper, [part.html]) for part in found if part.name]
        out.append((f"workbook-{paper}.pdf", paper, [p.html for p in found if p.in_workbook]))
    return out


def _styles(css: list[Path], paper: str):
    from weasyprint import CSS  # noqa: PLC0415
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    fonts = FontConfiguration()
    styles = [CSS(filename=str(path), font_config=fonts) for path in css]
    styles.append(CSS(string=f"@page {{ size: {PAPERS[paper]}; }}", font_config=fonts))
    return styles, fonts


def render_file(htmls: list[str], css: list[Path], base_url: str, paper: str, out: Path) -> Path:
    """Lay out one PDF from its parts and write it to `out` (whole or not at
    all). The live preview makes its PDFs one by one with this."""
    from weasyprint import HTML  # noqa: PLC0415

    styles, fonts = _styles(css, paper)
    documents = [HTML(string=html, base_url=base_url).render(stylesheets=styles, font_config=fonts)
                 for html in htmls]
    partial = out.with_name(out.name + ".part")
    documents[0].copy([page for doc in documents for page in doc.pages]).write_pdf(partial)
    partial.replace(out)
    return out


# The PDFs this build is making, for the worker processes. They are forked
# from the build, so nothing needs pickling but a paper size; each worker
# loads WeasyPrint (half a second) itself while MkDocs goes on.
_jobs: dict = {}


def _render_paper(paper: str) -> list[str]:
    """Lay out every part at one paper size; write each part's own PDF and
    the workbook, laying each part out once. Returns the file names written."""
    from weasyprint import HTML  # noqa: PLC0415

    styles, fonts = _styles(_jobs["css"], paper)
    out_dir, written, workbook_pages, first = _jobs["out_dir"], [], [], None
    for part in _jobs["parts"]:
        document = HTML(string=part.html, base_url=_jobs["base_url"]).render(
            stylesheets=styles, font_config=fonts)
        first = first or document
        if part.name:
            name = f"{part.name}-{paper}.pdf"
            document.write_pdf(out_dir / name)
            written.append(name)
        if part.in_workbook:
            workbook_pages += document.pages
    name = f"workbook-{paper}.pdf"
    first.copy(workbook_pages).write_pdf(out_dir / name)
    return [*written, name]


class Rendering:
    """PDFs being made in a private folder by worker processes while MkDocs
    builds the pages (it starts by emptying the site folder); finish()
    moves them into the site, or raises the first failure."""

    def __init__(self, scratch: tempfile.TemporaryDirectory):
        self.scratch, self.pool, self.futures = scratch, None, []
        if (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
            self.pool = ProcessPoolExecutor(max_workers=len(PAPERS),
                                            mp_context=multiprocessing.get_context("fork"))
            self.futures = [self.pool.submit(_render_paper, paper) for paper in PAPERS]

    def finish(self, site_dir: Path) -> list[Path]:
        try:
            if self.pool is None:
                names = [name for paper in PAPERS for name in _render_paper(paper)]
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
    """Start making every PDF: one worker process per paper size (fork, where
    the system has it; otherwise one after the other, in finish())."""
    scratch = tempfile.TemporaryDirectory(prefix="workbook-pdfs-")
    _jobs.clear()
    _jobs.update(parts=parts(proj, lang, site_name), out_dir=Path(scratch.name),
                 base_url=str(proj.root),
                 css=stylesheets(docs_dir, proj.custom_dir))
    return Rendering(scratch)
