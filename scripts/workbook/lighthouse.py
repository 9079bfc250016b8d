"""Lighthouse's mobile figures for a page, as `make bench` reports them.

Lighthouse (node_modules, pinned in package-lock.json) loads the page in
Chromium with its mobile settings: a mid-range phone's screen, a 4x slower
processor and a slow 4G connection, simulated. The site is served
gzip-compressed on loopback. On a two-core machine one run varies a lot
(the browser and Lighthouse share the processor), so each page is run
several times, in turn with the plain Material page it is compared with,
and the median of each figure is reported.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workbook.browser import CHROMIUM_FLAGS, chromium_path

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


@dataclass
class Figures:
    scores: dict[str, float]  # category: 0-100
    lcp: float                # seconds
    fcp: float                # seconds
    tbt: float                # milliseconds
    cls: float                # layout shift, unitless
    runs: int
    # The lowest and highest of the runs, shown beside the median: one run's
    # total blocking time moves a lot on a busy two-core machine.
    performance_range: tuple[float, float]
    tbt_range: tuple[float, float]

    def row(self) -> list[str]:
        low, high = self.performance_range
        fastest, slowest = self.tbt_range
        return [f"{self.scores['performance']:.0f} [{low:.0f}-{high:.0f}]", f"{self.lcp:.2f} s",
                f"{self.tbt:.0f} ms [{fastest:.0f}-{slowest:.0f}]", f"{self.cls:.2f}"]


def available() -> bool:
    return BINARY.exists()


def run_once(url: str, categories: list[str]) -> dict:
    env = {**os.environ, "CHROME_PATH": chromium_path()}
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        result = subprocess.run(
            [str(BINARY), url, "--quiet", "--output=json", f"--output-path={report}",
             f"--only-categories={','.join(categories)}",
             f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}"],
            env=env, capture_output=True, text=True, timeout=300)
        if result.returncode or not report.exists():
            raise RuntimeError(f"Lighthouse failed on {url}: {result.stderr[-300:]}")
        return json.loads(report.read_text())


def measure_in_turn(ours: str, theirs: str, runs: int, categories: list[str]) -> tuple[Figures, Figures]:
    """Two pages (ours with `categories`, the other for performance only),
    one run of each in turn, which goes first alternating: a machine that is
    slower for a while (another program, the processor's clock) slows both,
    not one of them."""
    mine, other = [], []
    for run in range(runs):
        for side in ("ours", "theirs") if run % 2 == 0 else ("theirs", "ours"):
            if side == "ours":
                mine.append(run_once(ours, categories))
            else:
                other.append(run_once(theirs, ["performance"]))
    return figures(mine, categories), figures(other, ["performance"])


def figures(reports: list[dict], categories: list[str]) -> Figures:
    """The median of each figure over several reports of one page."""
    def median(values):
        return statistics.median(values)

    def audit(report, name):
        return report["audits"][name]["numericValue"]

    performance = [r["categories"]["performance"]["score"] * 100 for r in reports]
    tbt = [audit(r, "total-blocking-time") for r in reports]
    return Figures(
        scores={c: median([r["categories"][c]["score"] * 100 for r in reports]) for c in categories},
        lcp=median([audit(r, "largest-contentful-paint") for r in reports]) / 1000,
        fcp=median([audit(r, "first-contentful-paint") for r in reports]) / 1000,
        tbt=median([audit(r, "total-blocking-time") for r in reports]),
        cls=median([audit(r, "cumulative-layout-shift") for r in reports]),
        runs=len(reports),
        performance_range=(min(performance), max(performance)),
        tbt_range=(min(tbt), max(tbt)))
