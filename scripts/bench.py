"""Benchmark: print the figures the project tracks, as small tables.

    make bench        (or: .venv/bin/python scripts/bench.py [--runs 5] [--no-lighthouse])

- clean build time, median of 5 runs (site only, and site with PDFs);
- the PDFs' sizes;
- per page: first-visit weight (gzip bytes) and request count, as the
  performance-budget test measures them;
- Lighthouse mobile scores for 5 pages, served gzip-compressed on loopback;
- the live preview (`make serve`): seconds from saving a data file, and a
  Markdown page, to the refreshed page being served, and to the changed PDF.

Speed and size goals live here, not in timed tests: a slow machine should
not fail the test suite, but everyone should see the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from workbook.browser import CHROMIUM_FLAGS, chromium_path, launch
from workbook.pageweight import MAX_GZIP_BYTES, MAX_REQUESTS, measure
from workbook.previewrun import RunningPreview
from workbook.registry import load_registry
from workbook.sitebuild import ROOT, mkdocs_build
from workbook.staticserver import serve

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_PAGES = ["", "emotions/", "feedback/", "career-centers/", "about/"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*map(str, row)) for row in rows]
    return "\n".join("  " + row.rstrip() for row in out)


def timed_builds(runs: int, pdfs: bool) -> list[float]:
    """Clean builds (a fresh folder each time), as `make build` runs them;
    without PDFs as `mkdocs serve` builds (WORKBOOK_PDFS=0)."""
    times = []
    env = {} if pdfs else {"WORKBOOK_PDFS": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            out = Path(tmp) / f"site-{run}"
            start = time.perf_counter()
            result = mkdocs_build(out, env=env)
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
             "worksheet, fill-in": "*-fillable-*.pdf"}
    rows = []
    for kind, pattern in kinds.items():
        files = sorted((site / "pdf").glob(pattern))
        rows.append([kind, files])
    taken = {f for _, files in rows for f in files}
    rows.insert(2, ["worksheet, blank", sorted(f for f in (site / "pdf").glob("*.pdf") if f not in taken)])
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


def lighthouse(site: Path) -> list[list[str]]:
    if not LIGHTHOUSE.exists():
        return [["(Lighthouse is not installed: run make test or make bench)", "", "", "", "", ""]]
    rows = []
    env = {**os.environ, "CHROME_PATH": chromium_path()}
    with serve(site, use_gzip=True) as url, tempfile.TemporaryDirectory() as tmp:
        for page in LIGHTHOUSE_PAGES:
            report = Path(tmp) / "report.json"
            result = subprocess.run(
                [str(LIGHTHOUSE), url + page, "--quiet", "--output=json",
                 f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}",
                 f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}"],
                env=env, capture_output=True, text=True, timeout=300)
            if result.returncode or not report.exists():
                rows.append([page or "(home)", "failed", "", "", "", result.stderr[-200:]])
                continue
            data = json.loads(report.read_text())
            scores = [str(round(data["categories"][c]["score"] * 100)) for c in CATEGORIES]
            lcp = data["audits"]["largest-contentful-paint"]["numericValue"] / 1000
            rows.append([page or "(home)", *scores, f"{lcp:.2f} s"])
    return rows


def preview_times(runs: int) -> list[list[str]]:
    """Save a file in a copy of the project under the live preview; time
    until the served page (and the PDF) shows the change."""
    item = "Write down how you feel, in one sentence."
    line = "the first hours and days."
    data, page, pdf = [], [], []
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
                data.append(preview.wait_for("emotions/", lambda html, new=new: new in html))
                pdf.append(preview.wait_for(
                    "pdf/master-checklist-letter.pdf", lambda body, new=new: new in pdf_text(body),
                    timeout=300, text=False))
                words = f"the first hours, run {run}."
                preview.replace("docs/emotions.md", line if run == 0 else
                                f"the first hours, run {run - 1}.", words)
                page.append(preview.wait_for("emotions/", lambda html, w=words: w in html))
    return [["data file (data/checklists.yml) -> page", spread(data)],
            ["Markdown page (docs/emotions.md) -> page", spread(page)],
            ["data file -> its PDF (master checklist)", spread(pdf)]]


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
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()

    plain = timed_builds(args.runs, pdfs=False)
    full = timed_builds(args.runs, pdfs=True)
    registry = load_registry(ROOT / "data", ROOT)
    anchors = [link for link in registry.links if link.anchor]
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        mkdocs_build(site)
        pages = content_pages(site)
        print("\nBuild and size")
        ratio = statistics.median(full) / statistics.median(plain)
        print(table(["figure", "value"], [
            [f"clean build, site only (no PDFs), median of {args.runs}", spread(plain)],
            [f"clean build, site + every PDF, median of {args.runs}", spread(full)],
            ["site + PDFs / site only", f"{ratio:.2f}x"],
            ["pages", str(len(pages))],
            ["PDFs", pdf_sizes(site)],
            ["registry: links (pages + anchors)",
             f"{len(registry.links)} ({len(registry.pages)} + {len(anchors)}); "
             f"{len(registry.aliases)} renamed, {len(registry.moves)} moved"],
        ]))
        print("\nPDFs, by kind (Letter and A4)")
        print(table(["kind", "files", "pages", "size"], pdf_kinds(site)))
        print(f"\nFirst visit per page (budget: {MAX_GZIP_BYTES / 1000:.0f} KB gzip, "
              f"{MAX_REQUESTS} requests)")
        print(table(["page", "gzip weight", "requests", "budget"], page_weights(site)))
        if not args.no_lighthouse:
            print("\nLighthouse, mobile, served gzip-compressed on loopback (goal: 100s, LCP <= 1.3 s)")
            print(table(["page", "perf", "a11y", "best pr.", "SEO", "LCP"], lighthouse(site)))
    print(f"\nLive preview (make serve): from saving a file to the change being served, "
          f"median of {args.runs}")
    print(table(["saved", "seconds"], preview_times(args.runs)))


if __name__ == "__main__":
    main()
