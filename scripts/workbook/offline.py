"""The offline, installable workbook: written after every page is final
(hooks: on_post_build), so it lists exactly the files published.

- assets/icons/: the app icons, drawn from the favicon (workbook.icons);
- manifest.webmanifest: name, colors, icons; its start and scope are the
  folder it is in, so a copy under a sub-path stays in that sub-path;
- offline.html: shown for a page never kept, asked for with no connection;
- sw.js: the service worker (overrides/workbook/sw.js), with the version
  and the SHA-256 of every file it keeps.

What it keeps up front: every page, the search index and the files pages
load. Not kept up front: PDFs (kept when opened), other languages' search
files, source maps, the sitemap, links.json and the feed (changes.xml).

Under `mkdocs serve` the pages do not ask for a worker, and sw.js is a
worker that removes itself and its caches: a copy of the published site
looked at earlier on the same address would otherwise keep being shown
instead of the preview.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from workbook import icons, templates
from workbook.datafile import DataError

MANIFEST = "manifest.webmanifest"
OFFLINE = "offline.html"
WORKER = "sw.js"
SKIP_FOLDERS = ("pdf/", "assets/javascripts/lunr/")
SKIP_FILES = ("sitemap.xml", "sitemap.xml.gz", "links.json", "changes.xml", "404.html", WORKER)


_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def check_settings(config) -> None:
    """mkdocs.yml's extra.workbook.app, checked before anything is built."""
    place = "mkdocs.yml: extra.workbook.app"
    app = (config.extra.get("workbook") or {}).get("app")
    if not isinstance(app, dict):
        raise DataError(f"{place}: missing; it sets the installable app's short name and colors")
    problems = []
    unknown = set(app) - {"short_name", "light", "dark"}
    if unknown:
        problems.append(f"{place}: unknown setting(s) {sorted(unknown)}")
    name = app.get("short_name")
    if not isinstance(name, str) or not 0 < len(name.strip()) <= 12:
        problems.append(f"{place}.short_name: {name!r} must be a name of 1 to 12 characters "
                        "(a phone shows it under the icon)")
    for scheme in ("light", "dark"):
        colors = app.get(scheme)
        if not isinstance(colors, dict) or set(colors) != {"theme_color", "background_color"}:
            problems.append(f"{place}.{scheme}: needs theme_color and background_color, and nothing else")
            continue
        problems += [f"{place}.{scheme}.{key}: {value!r} is not a color like \"#1c5d6b\""
                     for key, value in colors.items() if not isinstance(value, str)
                     or not _COLOUR.match(value)]
    if problems:
        raise DataError("\n".join(problems))


@dataclass
class Precache:
    version: str
    files: list[tuple[str, str]]  # path from the site's root ('' for the home page), sha256
    raw_bytes: int
    gzip_bytes: int


def write(site: Path, config, pages: list[tuple[str, str]], accent: str | None = None) -> Precache:
    """Write icons, manifest, offline page and worker into a built site.
    `pages`: (url, title) of every page, in reading order."""
    custom_dir = config.theme.custom_dir
    app = config.extra["workbook"]["app"]
    favicon = Path(config.docs_dir) / config.theme["favicon"]
    drawn = icons.write(favicon, site, custom_dir, f"mkdocs.yml: theme.favicon ({favicon.name})")
    # No "id": the app's id is then its start address, the site's own
    # folder. A relative "id" would be read from the host's root, so every
    # copy on one host (a sub-path, a center's edition) would be one app.
    manifest = {
        "start_url": "./", "scope": "./",
        "name": config.site_name, "short_name": app["short_name"],
        "description": " ".join((config.site_description or "").split()),
        "lang": config.theme.get("language", "en"), "dir": "ltr",
        "display": "standalone",
        "theme_color": accent or app["light"]["theme_color"],  # a center's accent, if any
        "background_color": app["light"]["background_color"],
        "icons": [{"src": f"{icons.FOLDER}/{icon.name}", "sizes": f"{icon.size}x{icon.size}",
                   "type": "image/png", "purpose": icon.purpose} for icon in drawn if icon.purpose],
    }
    (site / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    (site / OFFLINE).write_text(templates.render(
        custom_dir, "offline.html", lang=config.theme.get("language", "en"),
        site_name=config.site_name, pages=[{"url": url, "title": title} for url, title in pages],
    ), encoding="utf-8")
    # The version names the files kept and the worker's own code: a new
    # worker never fills the cache of the worker in use.
    code = (Path(custom_dir) / "workbook" / "sw.js").read_bytes()
    precache = files_to_keep(site, code)
    (site / WORKER).write_text(templates.render(
        custom_dir, "sw.js", version=precache.version, files=precache.files, offline=OFFLINE,
    ), encoding="utf-8")
    return precache


def write_remover(site: Path, custom_dir: str) -> None:
    """Under `mkdocs serve`: a sw.js that removes any worker of this address."""
    (site / WORKER).write_text(templates.render(custom_dir, "sw-remove.js"), encoding="utf-8")


def _kept(path: str) -> bool:
    return not (path.startswith(SKIP_FOLDERS) or path in SKIP_FILES or path.endswith(".map"))


def files_to_keep(site: Path, code: bytes = b"") -> Precache:
    files, raw, packed = [], 0, 0
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        path = file.relative_to(site).as_posix()
        if not _kept(path):
            continue
        body = file.read_bytes()
        raw += len(body)
        packed += len(gzip.compress(body, compresslevel=6))
        if path == "index.html":
            path = ""
        elif path.endswith("/index.html"):
            path = path[: -len("index.html")]
        files.append((path, hashlib.sha256(body).hexdigest()))
    version = hashlib.sha256(json.dumps(files).encode() + code).hexdigest()[:16]
    return Precache(version, files, raw, packed)
