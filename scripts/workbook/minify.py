"""Minify our own stylesheet and script in the built site (rcssmin, and
calmjs.parse for the scripts).

Every page loads them, and each page's first visit must stay within the
performance budget (80 KB gzip), so the comments and spaces that help us
edit them are left out of what readers download, and the scripts' local
names are shortened (about a sixth less after gzip; global names, such as
`window.workbook`, are kept). Our scripts are plain ES5, which this parser
reads; a syntax error stops the build with the file and the place.
Material's own files are already minified."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import rcssmin
from calmjs.parse import es5
from calmjs.parse.exceptions import ECMASyntaxError
from calmjs.parse.unparsers.es5 import minify_print

# Minified scripts by the hash of their source: `mkdocs serve` rebuilds
# after every edit, and parsing costs a second or two (so they are kept on
# disk too, for the next build).
_CACHE: dict[str, str] = {}


class MinifyError(Exception):
    pass


def jsmin(source: str, name: str = "script") -> str:
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    if digest not in _CACHE:
        kept = cache_dir() / f"{digest}.js"
        if kept.exists():
            _CACHE[digest] = kept.read_text(encoding="utf-8")
            return _CACHE[digest]
        try:
            _CACHE[digest] = minify_print(es5(source), obfuscate=True, obfuscate_globals=False)
        except ECMASyntaxError as error:
            raise MinifyError(f"docs/{name}: {error}") from None
        try:  # kept for the next build too; a cache that cannot be written is no error
            kept.parent.mkdir(parents=True, exist_ok=True)
            partial = kept.with_suffix(f".{os.getpid()}.part")
            partial.write_text(_CACHE[digest], encoding="utf-8")
            partial.replace(kept)
        except OSError:
            pass
    return _CACHE[digest]


def cache_dir() -> Path:
    """Minified scripts by the hash of their source, shared by every build
    on this machine (the user's cache folder)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "after-rejection-workbook" / "minify"


OURS = {"assets/workbook.css": lambda text, name: rcssmin.cssmin(text),
        "assets/workbook.js": jsmin, "assets/worksheets.js": jsmin,
        "assets/worksheet-files.js": jsmin}


def minify_site(site_dir: Path) -> None:
    for name, minify in OURS.items():
        path = site_dir / name
        path.write_text(minify(path.read_text(encoding="utf-8"), name), encoding="utf-8")
