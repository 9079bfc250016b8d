"""A career center's logo (workbook.brand): read and checked before it is
published on the site's own address, where a script in it could reach the
reader's saved answers.

- PNG: a real PNG, of a sensible size;
- SVG: UTF-8 text of drawing elements only. Anything that runs or loads
  something is refused: scripts, event attributes, foreign elements, links
  or url()s outside the file, style sheets that import, DOCTYPEs, entities
  and processing instructions.
Either way: at most LOGO_MAX_BYTES, and a shape that fits the banner.
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass
from pathlib import Path

LOGO_MAX_BYTES = 20_000  # it loads with every page, within the page budget
MAX_PIXELS = 4096  # a PNG's width or height
WIDEST, TALLEST = 6.0, 0.5  # width / height: a wordmark at most 6:1, at least 1:2
SVG = "{http://www.w3.org/2000/svg}"
DRAWING = {"svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line",
           "polyline", "polygon", "linearGradient", "radialGradient", "stop", "clipPath",
           "mask", "symbol", "use", "text", "tspan", "style"}
# CSS in a logo (its <style>, style attributes, presentation attributes):
# a url() only to a part of the file itself; no at-rules (@import,
# @font-face), image-set() or src(), and no backslash (CSS escapes can
# spell any of those).
_OUTSIDE_URL = re.compile(r"url\(\s*(?!['\"]?#)", re.IGNORECASE)
_RISKY = re.compile(r"javascript:|expression\(|image-set|src\(|[@\\]|<\?|<!", re.IGNORECASE)
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


@dataclass(frozen=True)
class Logo:
    data: bytes
    kind: str  # "svg" or "png"
    width: float
    height: float

    @property
    def site_path(self) -> str:
        """Named by its content, so a new logo is never an old cached one."""
        return f"assets/brand/logo-{hashlib.sha256(self.data).hexdigest()[:10]}.{self.kind}"


def read(path: Path, written: str) -> tuple[Logo | None, str | None]:
    """The logo file, or the problem with it (in words for the message)."""
    if path.is_symlink() or not path.is_file():
        return None, f"the logo file {written!r} does not exist (looked for {path})"
    data = path.read_bytes()
    if len(data) > LOGO_MAX_BYTES:
        return None, (f"the logo {written!r} is {len(data):,} bytes; keep it under "
                      f"{LOGO_MAX_BYTES:,} (it loads with every page)")
    logo, problem = _png(data, written) if written.endswith(".png") else _svg(data, written)
    if logo is None:
        return None, problem
    ratio = logo.width / logo.height
    if not TALLEST <= ratio <= WIDEST:
        return None, (f"{written!r} is {logo.width:g} wide and {logo.height:g} high; the banner "
                      f"needs a logo from 1:2 (tall) to 6:1 (wide)")
    return logo, None


def _png(data: bytes, written: str) -> tuple[Logo | None, str | None]:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR" or not _png_chunks_end(data):
        return None, f"{written!r} is not a PNG image (or has something after its end)"
    width, height = struct.unpack(">II", data[16:24])
    if not 0 < width <= MAX_PIXELS or not 0 < height <= MAX_PIXELS:
        return None, f"{written!r} says it is {width} x {height} pixels; that is not a logo's size"
    return Logo(data, "png", width, height), None


def _png_chunks_end(data: bytes) -> bool:
    """Every chunk whole, with its checksum, up to IEND, and nothing after."""
    at = 8
    while at + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        end = at + 12 + length
        if end > len(data):
            return False
        (crc,) = struct.unpack(">I", data[end - 4:end])
        if zlib.crc32(data[at + 4:end - 4]) != crc:
            return False
        if kind == b"IEND":
            return end == len(data)
        at = end
    return False


def _svg(data: bytes, written: str) -> tuple[Logo | None, str | None]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, f"{written!r}: save the SVG as UTF-8 text"
    declaration = re.match(r"\s*<\?xml\s+version=[^?]*\?>", text)
    rest = text[declaration.end():] if declaration else text
    if re.search(r"<!|<\?", rest):
        return None, (f"{written!r}: an SVG logo may not have a DOCTYPE, entities or processing "
                      "instructions (export it as plain SVG)")
    try:
        svg = ET.fromstring(rest)
    except ET.ParseError as error:
        return None, f"{written!r} is not an SVG image ({error})"
    if svg.tag != f"{SVG}svg":
        return None, f"{written!r} is not an SVG image (its first element is not <svg>)"
    for element in svg.iter():
        problem = _element_problem(element)
        if problem:
            return None, f"{written!r}: {problem}; a logo may only draw (export it as plain SVG)"
    try:
        width, height = _svg_size(svg)
    except ValueError:
        return None, f"{written!r}: an SVG logo needs a viewBox (or width and height) to size it"
    return Logo(data, "svg", width, height), None


def _element_problem(element: ET.Element) -> str | None:
    name = element.tag.split("}")[-1]
    if not element.tag.startswith(SVG) or name not in DRAWING:
        return f"it contains <{name}>"
    if name == "style":
        css = "".join(element.itertext())
        if len(element) or _OUTSIDE_URL.search(css) or _RISKY.search(css):
            return "its <style> loads or runs something, or is more than plain rules"
    if XML_BASE in element.attrib:
        return f"<{name}> sets xml:base"
    for attribute, value in element.attrib.items():
        local = attribute.split("}")[-1]
        if local.lower().startswith("on"):
            return f"<{name}> has the event attribute {local!r}"
        if local == "href" and not value.startswith("#"):
            return f"<{name}> links to {value!r}"
        if _OUTSIDE_URL.search(value) or _RISKY.search(value):
            return f"<{name}> {local}={value!r} loads or runs something"
    return None


def _svg_size(svg: ET.Element) -> tuple[float, float]:
    box = svg.get("viewBox")
    if box:
        parts = [float(p) for p in box.replace(",", " ").split()]
        if len(parts) == 4 and _usable(parts[2]) and _usable(parts[3]):
            return parts[2], parts[3]
    try:
        width = float((svg.get("width") or "").removesuffix("px"))
        height = float((svg.get("height") or "").removesuffix("px"))
    except ValueError:
        raise ValueError("no size") from None
    if _usable(width) and _usable(height):
        return width, height
    raise ValueError("no size")


def _usable(value: float) -> bool:
    return math.isfinite(value) and 1e-3 < value < 1e6
