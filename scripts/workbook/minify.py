"""Minify our own stylesheet and script in the built site (rcssmin, rjsmin).

Every page loads both, and each page's first visit must stay within the
performance budget (80 KB gzip), so the comments and spaces that help us
edit them are left out of what readers download. Material's own files are
already minified."""

from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin

OURS = {"assets/workbook.css": rcssmin.cssmin, "assets/workbook.js": rjsmin.jsmin,
        "assets/worksheets.js": rjsmin.jsmin}


def minify_site(site_dir: Path) -> None:
    for name, minify in OURS.items():
        path = site_dir / name
        path.write_text(minify(path.read_text(encoding="utf-8")), encoding="utf-8")
