"""Benchmark: print the figures the project tracks, as small tables, next
to a plain Material for MkDocs build of the same pages made in the same run
(workbook.plainmaterial): machines differ two or three times in speed, so
the ratios are what to compare.

    make bench        (or: .venv/bin/python scripts/bench.py [--runs 5]
                       [--lighthouse-runs 5] [--no-lighthouse])

- clean build time, median of 5 runs: plain Material, the site alone, the
  site with every PDF, and a career center's edition (brands/example.yml)
  with every PDF;
- the live preview (`make serve`): seconds from saving a page (and a data
  file) to the refreshed page being served, ours and plain Material's, and
  to the changed PDF;
- the PDFs' sizes;
- per page: first-visit weight (gzip bytes) and request count, as the
  performance-budget test measures them;
- the offline copy: what the service worker keeps, after the page is idle;
- Lighthouse mobile, for each kind of page, ours and plain Material's,
  served gzip-compressed on loopback: median of 5 runs each (on two
  cores one run's total blocking time moves by 100 ms or more).

Speed and size goals live here, not in timed tests: a slow machine should
not fail the test suite, but everyone should see the numbers.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from workbook import lighthouse, offline, plainmaterial
from workbook.browser import launch
from workbook.pageweight import MAX_GZIP_BYTES, MAX_REQUESTS, measure
from workbook.previewrun import RunningPreview
from workbook.registry import load_registry
from workbook.sitebuild import ROOT, mkdocs_build
from workbook.staticserver import serve

# One page of each kind, the same address in both sites.
PAGE_KINDS = {"home": "", "step": "emotions/", "worksheet": "worksheets/weekly-log/",
              "master checklist": "master-checklist/", "career centers": "career-centers/"}


EXAMPLE_BRAND = ROOT / "brands" / "example.yml"


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*map(str, row)) for row in rows]
    return "\n".join("  " + row.rstrip() for row in out)


def timed_builds(runs: int, pdfs: bool, project: Path = ROOT,
                 config: Path | None = None) -> list[float]:
    """Clean builds (a fresh folder each time), as `make build` runs them;
    without PDFs as `mkdocs serve` builds (WORKBOOK_PDFS=0); `config`: a
    career center's brand file instead of mkdocs.yml."""
    times = []
    env = {} if pdfs else {"WORKBOOK_PDFS": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            out = Path(tmp) / f"site-{run}"
            start = time.perf_counter()
            result = mkdocs_build(out, project, env=env, config=config)
            times.append(time.perf_counter() - start)
            if result.returncode:
                sys.exit(f"build failed:\n{result.stderr}")
    return times


def spread(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})"


def pdf_sizes(site: Path) -> str:
    sizes = sorted((p.stat().st_size, p.name) for p in (site / "pdf").glob("*.pdf"))
    total = sum(size for size, _ in sizes)
    return (f"{len(sizes)} files, {total / 1000:.0f} KB in all; smallest {sizes[0][0] / 1000:.0f} KB "
            f"({sizes[0][1]}), largest {sizes[-1][0] / 1000:.0f} KB ({sizes[-1][1]})")


def pdf_kinds(site: Path) -> list[list[str]]:
    """Per kind of PDF: how many, pages and sizes."""
    import pypdf  # noqa: PLC0415

    kinds = {"booklet (workbook-*)": "workbook-*.pdf", "master checklist": "master-checklist-*.pdf",
             "facilitator guide": "facilitator-guide-*.pdf", "worksheet, fill-in": "*-fillable-*.pdf"}
    rows = []
    for kind, pattern in kinds.items():
        files = sorted((site / "pdf").glob(pattern))
        rows.append([kind, files])
    taken = {f for _, files in rows for f in files}
    rows.insert(3, ["worksheet, blank", sorted(f for f in (site / "pdf").glob("*.pdf") if f not in taken)])
    out = []
    for kind, files in rows:
        pages = [len(pypdf.PdfReader(f).pages) for f in files]
        sizes = [f.stat().st_size / 1000 for f in files]
        out.append([kind, str(len(files)), f"{min(pages)}-{max(pages)}" if min(pages) != max(pages)
                    else str(pages[0]), f"{min(sizes):.0f}-{max(sizes):.0f} KB"])
    return out


def content_pages(site: Path) -> list[str]:
    pages = []
    for file in sorted(site.rglob("index.html")):
        if 'http-equiv="refresh"' in file.read_text(encoding="utf-8"):
            continue
        rel = file.parent.relative_to(site).as_posix()
        pages.append("" if rel == "." else rel + "/")
    return pages


def page_weights(site: Path) -> list[list[str]]:
    rows = []
    with serve(site) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        for page in content_pages(site) + ["404.html"]:
            weight = measure(browser, url + page, url)
            rows.append([page or "(home)", f"{weight.gzip_bytes / 1000:.1f} KB",
                         str(weight.requests), "over budget" if weight.over_budget() else "ok"])
        browser.close()
    return rows


def lighthouse_table(ours: Path, plain: Path, runs: int) -> list[list[str]]:
    rows = []
    with serve(ours, use_gzip=True) as url, serve(plain, use_gzip=True) as plain_url:
        for kind, page in PAGE_KINDS.items():
            mine, theirs = lighthouse.measure_in_turn(url + page, plain_url + page, runs,
                                                      lighthouse.CATEGORIES)
            rows.append([kind, *mine.row(), *theirs.row(),
                         "/".join(f"{mine.scores[c]:.0f}" for c in lighthouse.CATEGORIES[1:])])
    return rows


def offline_figures(site: Path) -> list[list[str]]:
    kept = offline.files_to_keep(site)
    pages = sum(1 for path, _ in kept.files if path == "" or path.endswith("/"))
    return [["files kept (after the page is idle)", f"{len(kept.files)} ({pages} pages and redirects)"],
            ["bytes kept, as served (gzip)", f"{kept.gzip_bytes / 1000:.0f} KB"],
            ["bytes kept, on the device", f"{kept.raw_bytes / 1000:.0f} KB"]]


def preview_times(runs: int, plain_project: Path) -> tuple[dict[str, list[float]], list[float]]:
    """Save a file in a copy of the project under the live preview; time
    until the served page (and the PDF) shows the change. Then the same
    page edit under plain Material's `mkdocs serve`."""
    item = "Write down how you feel, in one sentence."
    line = "the first hours and days."
    ours: dict[str, list[float]] = {"data": [], "page": [], "pdf": []}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "project"
        copy.mkdir()
        for part in ["mkdocs.yml", "docs", "overrides", "scripts", "data"]:
            source = ROOT / part
            if source.is_dir():
                shutil.copytree(source, copy / part, ignore=shutil.ignore_patterns(
                    "__pycache__", "*.egg-info"))
            else:
                shutil.copy2(source, copy / part)
        with RunningPreview(copy, free_port()) as preview:
            preview.get("pdf/master-checklist-letter.pdf", timeout=300)  # the first PDFs
            for run in range(runs):
                new = f"in sentence number {run}."
                preview.replace("data/checklists.yml", item if run == 0 else
                                f"in sentence number {run - 1}.", new)
                ours["data"].append(preview.wait_for("emotions/", lambda html, new=new: new in html))
                ours["pdf"].append(preview.wait_for(
                    "pdf/master-checklist-letter.pdf", lambda body, new=new: new in pdf_text(body),
                    timeout=300, text=False))
                ours["page"].append(edit_page(preview, run, line))
    with RunningPreview(plain_project, free_port()) as preview:
        plain = [edit_page(preview, run, line) for run in range(runs)]
    return ours, plain


def edit_page(preview: RunningPreview, run: int, line: str) -> float:
    words = f"the first hours, run {run}."
    preview.replace("docs/emotions.md", line if run == 0 else f"the first hours, run {run - 1}.", words)
    return preview.wait_for("emotions/", lambda html: words in html)


def pdf_text(body: bytes) -> str:
    import io  # noqa: PLC0415

    import pypdf  # noqa: PLC0415

    if not body.startswith(b"%PDF"):
        return ""
    return " ".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(body)).pages)


def free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lighthouse-runs", type=int, default=5)
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        plain_project = Path(tmp) / "plain"
        plainmaterial.make(ROOT, plain_project)
        material = timed_builds(args.runs, pdfs=False, project=plain_project)
        alone = timed_builds(args.runs, pdfs=False)
        full = timed_builds(args.runs, pdfs=True)
        branded = timed_builds(args.runs, pdfs=True, config=EXAMPLE_BRAND)
        registry = load_registry(ROOT / "data", ROOT)
        anchors = [link for link in registry.links if link.anchor]
        site, plain_site = Path(tmp) / "site", Path(tmp) / "plain-site"
        mkdocs_build(site)
        mkdocs_build(plain_site, plain_project)
        pages = content_pages(site)
        print("\nBuild and size (plain Material: the same pages, Material's defaults)")
        base = statistics.median(material)
        print(table(["figure", "value", "x plain Material"], [
            [f"clean build, plain Material, median of {args.runs}", spread(material), "1.00x"],
            [f"clean build, site only (no PDFs), median of {args.runs}", spread(alone),
             f"{statistics.median(alone) / base:.2f}x"],
            [f"clean build, site + every PDF, median of {args.runs}", spread(full),
             f"{statistics.median(full) / base:.2f}x"],
            [f"the same, a center's edition ({EXAMPLE_BRAND.relative_to(ROOT)})",
             spread(branded), f"{statistics.median(branded) / base:.2f}x"],
            ["pages", str(len(pages)), ""],
            ["PDFs", pdf_sizes(site), ""],
            ["registry: links (pages + anchors)",
             f"{len(registry.links)} ({len(registry.pages)} + {len(anchors)}); "
             f"{len(registry.aliases)} renamed, {len(registry.moves)} moved", ""],
        ]))
        print("\nPDFs, by kind (Letter and A4)")
        print(table(["kind", "files", "pages", "size"], pdf_kinds(site)))
        print(f"\nFirst visit per page (budget: {MAX_GZIP_BYTES / 1000:.0f} KB gzip, "
              f"{MAX_REQUESTS} requests; what the offline worker keeps later is not counted)")
        print(table(["page", "gzip weight", "requests", "budget"], page_weights(site)))
        print("\nOffline copy (service worker), kept once the first page is idle")
        print(table(["figure", "value"], offline_figures(site)))
        if not args.no_lighthouse and lighthouse.available():
            print(f"\nLighthouse, mobile, gzip on loopback, median of {args.lighthouse_runs} runs, "
                  "lowest-highest in brackets\n(goals: performance 100, LCP <= 1.2 s; "
                  "TBT < 150 ms on the career-center page)")
            print(table(["page", "perf", "LCP", "TBT", "CLS", "plain perf", "plain LCP", "plain TBT",
                         "plain CLS", "a11y/best pr./SEO"],
                        lighthouse_table(site, plain_site, args.lighthouse_runs)))
        elif not args.no_lighthouse:
            print("\n(Lighthouse is not installed: run make test or make bench)")
        ours, plain = preview_times(args.runs, plain_project)
    print(f"\nLive preview (make serve): from saving a file to the change being served, "
          f"median of {args.runs} (goal: a page edit at most 1.5x plain Material's)")
    print(table(["saved", "seconds", "x plain Material"], [
        ["plain Material: Markdown page (docs/emotions.md) -> page", spread(plain), "1.00x"],
        ["Markdown page (docs/emotions.md) -> page", spread(ours["page"]),
         f"{statistics.median(ours['page']) / statistics.median(plain):.2f}x"],
        ["data file (data/checklists.yml) -> page", spread(ours["data"]),
         f"{statistics.median(ours['data']) / statistics.median(plain):.2f}x"],
        ["data file -> its PDF (master checklist)", spread(ours["pdf"]), ""],
    ]))


if __name__ == "__main__":
    main()
