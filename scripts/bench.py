"""Benchmark: print the figures the project tracks, as a small table.

    make bench        (or: .venv/bin/python scripts/bench.py [--runs 5])

Speed and size goals live here, not in timed tests: a slow machine should
not fail the test suite, but everyone should see the numbers.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from workbook.registry import load_registry
from workbook.sitebuild import ROOT, mkdocs_build


def timed_builds(runs: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            out = Path(tmp) / f"site-{run}"  # a fresh folder: a clean build
            start = time.perf_counter()
            result = mkdocs_build(out)
            times.append(time.perf_counter() - start)
            if result.returncode:
                sys.exit(f"build failed:\n{result.stderr}")
    return times


def table(rows: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"  {name:<{width}}  {value}" for name, value in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    times = timed_builds(args.runs)
    registry = load_registry(ROOT / "data", ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        mkdocs_build(Path(tmp))
        pages = [p for p in Path(tmp).rglob("index.html")
                 if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    anchors = [link for link in registry.links if link.anchor]
    print(table([
        (f"clean build, median of {args.runs}",
         f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})"),
        ("pages", str(len(pages))),
        ("registry: pages + anchors",
         f"{len(registry.links)} ({len(registry.pages)} + {len(anchors)}), "
         f"{len(registry.aliases)} renamed, {len(registry.moves)} moved"),
    ]))


if __name__ == "__main__":
    main()
