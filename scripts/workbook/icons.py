"""The app icons, drawn from one source image: the site's favicon SVG
(mkdocs.yml: theme.favicon).

A phone that adds the workbook to its home screen asks for PNG icons of
set sizes (the web app manifest: 192 and 512 pixels, and a "maskable" one
whose shape the phone cuts out; Apple's home screen: 180 pixels, with no
transparency). WeasyPrint draws the SVG into a one-page PDF of the icon's
size, and pdfium turns that page into pixels. Icons are kept in a cache by
the hash of the source image, so a rebuild pays nothing.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from workbook import minify, templates


@dataclass(frozen=True)
class Icon:
    name: str        # file name under assets/icons/
    size: int        # pixels, square
    purpose: str     # the manifest's "purpose": any, maskable, or "" (not in the manifest)
    padding: float   # space around the image, as a share of the size
    background: str  # "" for transparent


ICONS = [
    Icon("icon-192.png", 192, "any", 0.0, ""),
    Icon("icon-512.png", 512, "any", 0.0, ""),
    # A maskable icon's phone may cut it to a circle of 80% of its width:
    # the image sits well inside, on its own background color.
    Icon("icon-maskable-512.png", 512, "maskable", 0.12, "#1c5d6b"),
    Icon("apple-touch-icon.png", 180, "", 0.0, "#1c5d6b"),
]
FOLDER = "assets/icons"


class IconError(Exception):
    pass


def cache_dir() -> Path:
    return minify.cache_dir().parent / "icons"


def write(source: Path, site: Path, custom_dir: str, label: str) -> list[Icon]:
    """Draw every icon from `source` into the site's assets/icons/."""
    try:
        svg = source.read_bytes()
    except OSError as error:
        raise IconError(f"{label}: cannot read the icon's source image: {error.strerror}") from None
    digest = hashlib.sha256(svg + repr(ICONS).encode()).hexdigest()[:16]
    cache = cache_dir() / digest
    out = site / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    for icon in ICONS:
        cached = cache / icon.name
        if not cached.exists():
            cache.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(_draw(source, icon, custom_dir, label))
            partial.replace(cached)
        (out / icon.name).write_bytes(cached.read_bytes())
    return ICONS


def _draw(source: Path, icon: Icon, custom_dir: str, label: str) -> bytes:
    import pypdfium2  # noqa: PLC0415 - only when an icon is not in the cache
    import weasyprint  # noqa: PLC0415

    html = templates.render(custom_dir, "icon.html", icon=icon, source=source.resolve().as_uri())
    try:
        pdf = weasyprint.HTML(string=html, base_url=str(source.parent)).write_pdf()
        page = pypdfium2.PdfDocument(pdf)[0]
        fill = (0, 0, 0, 0) if not icon.background else (255, 255, 255, 255)
        image = page.render(scale=icon.size / page.get_width(), fill_color=fill).to_pil()
    except Exception as error:  # noqa: BLE001 - any drawing failure names the source
        raise IconError(f"{label}: could not draw the {icon.size}-pixel icon: {error}") from None
    if image.size != (icon.size, icon.size):
        raise IconError(f"{label}: the {icon.name} icon came out {image.size}, not {icon.size} pixels")
    image = image.convert("RGBA" if not icon.background else "RGB")
    if not icon.background and image.getbbox() is None:
        raise IconError(f"{label}: the icon's source image drew nothing: is it an SVG image?")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
