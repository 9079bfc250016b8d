"""Every link and anchor of the built site resolves: LinkChecker crawls the
site served on 127.0.0.1, with its anchor check on, and must report no
error and no warning."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from conftest import ROOT, html_pages
from workbook.staticserver import serve

LINKCHECKER = Path(sys.executable).parent / "linkchecker"
CONFIG = ROOT / "tests" / "linkcheckerrc"
REPORT = ROOT / "build" / "reports" / "linkchecker.csv"


def run_linkchecker(start_url: str, report: Path | None = None, depth: int = -1) -> list[dict]:
    """Crawl from start_url (`depth` links deep; -1: the whole site); return
    one row per URL checked. The raw CSV is kept in `report` for a look
    after the run."""
    result = subprocess.run(
        [str(LINKCHECKER), "--config", str(CONFIG), "--no-status", "--no-robots",
         "--verbose", "--output", "csv", f"--recursion-level={depth}", start_url],
        capture_output=True, text=True, timeout=600,
    )
    # Exit code 1 means "invalid links or warnings"; 2 means LinkChecker failed.
    assert result.returncode in (0, 1), f"LinkChecker failed:\n{result.stderr}"
    # LinkChecker wraps the CSV in "# ..." comment lines; a same-page link
    # ("#anchor") also starts with "#", so keep rows by their column count.
    table = [row for row in csv.reader(io.StringIO(result.stdout), delimiter=";")
             if not (len(row) == 1 and row[0].startswith("# "))]
    header, body = table[0], table[1:]
    assert header[0] == "urlname", f"unexpected LinkChecker output: {header}"
    # (The start URL's row lacks the trailing line/column fields.)
    rows = [dict(zip(header, row, strict=False)) for row in body if len(row) >= header.index("valid") + 2]
    assert len(rows) == len(body), "LinkChecker printed rows that do not parse"
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(result.stdout, encoding="utf-8")
    return rows


def test_linkchecker_finds_no_errors_and_no_warnings(served, site):
    rows = run_linkchecker(served, REPORT)
    problems = [f"{r['urlname']} (on {r['parentname'] or 'start'}): "
                f"{r['result']} {r['warningstring']}".strip()
                for r in rows if r["valid"] != "True" or r["warningstring"]]
    assert not problems, "LinkChecker reported:\n" + "\n".join(problems)

    # The crawl really covered the site: every page was reached, and the
    # anchors career centers use were among the links checked.
    checked = {urlsplit(r["url"]).path for r in rows}
    unreached = [p for p in html_pages(site) if f"/{p}" not in checked]
    assert not unreached, f"pages LinkChecker never reached: {unreached}"
    assert any("#" in r["urlname"] for r in rows), "no #anchor link was checked"
    print(f"\nLinkChecker checked {len(rows)} URLs; report in {REPORT}", file=sys.stderr)


def test_linkchecker_catches_a_missing_anchor(tmp_path, site):
    """The check itself is live: in a copy of the site, a page that links to
    a missing anchor makes LinkChecker warn, and only about that link. (One
    link deep: the whole site is crawled by the test above.)"""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / "bad.html").write_text(
        '<!doctype html><html lang="en"><title>t</title>'
        '<a href="emotions/#no-such-anchor">x</a>'
        '<a href="emotions/#managing-disappointment">y</a></html>')
    with serve(copy) as url:
        rows = run_linkchecker(url + "bad.html", depth=1)
    assert {r["urlname"] for r in rows} >= {"emotions/#no-such-anchor", "emotions/#managing-disappointment"}
    warned = [r["urlname"] for r in rows if r["warningstring"]]
    assert warned == ["emotions/#no-such-anchor"], rows
