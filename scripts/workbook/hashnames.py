"""Files named by a hash of their content, and the pages pointed at them.

When the build changes one of Material's files (cssprune, bundlepatch), the
changed file gets a new name from its content, so a browser's or a server's
cache, which keeps such names for a long time, never mixes the old file
with new pages.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path


def write_hashed(old: Path, text: str, stem: str, suffix: str) -> str:
    """Write `text` beside `old` as `<stem>.<hash>.<suffix>`; drop `old` and
    its source map (it describes the old file). Returns the new name."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    new = f"{stem}.{digest}.{suffix}"
    (old.parent / new).write_text(text, encoding="utf-8")
    if new != old.name:
        old.unlink()
    old.with_name(old.name + ".map").unlink(missing_ok=True)
    return new


def repoint(site: Path, folder: str, renamed: dict[str, str]) -> None:
    """Point every page at the new names of files in `folder`."""
    if not renamed:
        return
    pattern = re.compile("|".join(re.escape(f"{folder}/{old}") for old in renamed))
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new_text = pattern.sub(lambda m: f"{folder}/{renamed[m.group(0).rsplit('/', 1)[1]]}", text)
        if new_text != text:
            page.write_text(new_text, encoding="utf-8")
