"""A career center's own edition of the workbook: its brand file.

    make build BRAND=brands/example.yml      (make serve BRAND=... to preview)

A brand file is a small MkDocs config that INHERITs the workbook's
mkdocs.yml and sets only what differs: the copy's public address
(`site_url`: QR codes, short links and links.json use it) and
`extra.workbook.brand` (name, logo, welcome line, contact, booking link,
an optional accent color). The hooks load it here (on_config), with its
lines, before anything is built; a problem stops the build with the
file, the line and what is wrong. The templates show the brand through
`view()`: the banner above the header, the "Talk to someone" box at the
end of each step, and the footer of every printed sheet and PDF.
"""

from __future__ import annotations

import hashlib
import os
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from workbook import contrast
from workbook.datafile import DataError, Document, load, report

LOGO_MAX_BYTES = 20_000  # it loads with every page, within the page budget
LOGO_HEIGHT = 32  # CSS pixels, in the banner
PLACE = ("extra", "workbook", "brand")
SVG = "{http://www.w3.org/2000/svg}"


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


@dataclass(frozen=True)
class Brand:
    doc: Document
    name: str
    site_url: str
    contact: dict
    logo: Logo | None = None
    welcome: str | None = None
    booking_url: str | None = None
    accent: str | None = None

    @property
    def footer(self) -> str:
        """The line every printed sheet and PDF ends with."""
        reach = [self.contact[k] for k in ("phone", "email") if k in self.contact]
        if not reach:
            reach = [self.contact.get("address") or self.booking_url or self.site_url]
        return " · ".join([self.name, *reach])

    def view(self) -> dict:
        """What the templates show (overrides/workbook/brand-*.html)."""
        logo = self.logo
        return {
            "name": self.name, "welcome": self.welcome, "booking_url": self.booking_url,
            "accent": self.accent, "footer": self.footer, "contact": dict(self.contact),
            "phone_href": "tel:" + "".join(c for c in self.contact.get("phone", "")
                                             if c.isdigit() or c == "+"),
            "logo": logo and {"src": logo.site_path, "height": LOGO_HEIGHT,
                              "width": round(LOGO_HEIGHT * logo.width / logo.height)},
        }


def load_brand(config, root: Path) -> Brand | None:
    """The brand of the build `config` describes, or None for the workbook's
    own edition. Raises DataError naming the file and line of a problem."""
    config_file = Path(config.config_file_path).resolve()
    raw = (config.extra.get("workbook") or {}).get("brand")
    if config_file == (root / "mkdocs.yml").resolve():
        if raw is not None:
            raise DataError("mkdocs.yml: extra.workbook.brand: a career center's brand goes in "
                            "its own file under brands/, which INHERITs mkdocs.yml (see "
                            "brands/example.yml); build it with make build BRAND=brands/<file>.yml")
        return None
    doc = load(config_file, "brand", root if config_file.is_relative_to(root) else None)
    problems = []
    inherited = (config_file.parent / doc.data["INHERIT"]).resolve()
    if inherited != (root / "mkdocs.yml").resolve():
        problems.append(doc.error(("INHERIT",), f"is {doc.data['INHERIT']!r}; it must point to "
                                  f"the workbook's mkdocs.yml "
                                  f"({_relative(root / 'mkdocs.yml', config_file.parent)})"))
    brand = doc.data["extra"]["workbook"]["brand"]
    logo = None
    if "logo" in brand:
        logo, problem = _logo(config_file.parent / brand["logo"], brand["logo"])
        if problem:
            problems.append(doc.error((*PLACE, "logo"), problem))
    accent = brand.get("accent")
    if accent:
        failing = contrast.accent_problems(accent)
        if failing:
            problems.append(doc.error((*PLACE, "accent"), f"{accent} is not readable enough: "
                                      "text and controls must meet WCAG 2.2 AA contrast\n  "
                                      + "\n  ".join(failing)))
    if problems:
        raise DataError(report(problems))
    return Brand(doc=doc, name=brand["name"].strip(), site_url=doc.data["site_url"],
                 contact=brand["contact"], logo=logo, welcome=brand.get("welcome"),
                 booking_url=brand.get("booking_url"), accent=accent)


def _relative(path: Path, start: Path) -> str:
    return os.path.relpath(path, start)


def _logo(path: Path, written: str) -> tuple[Logo | None, str | None]:
    """The logo file, read and checked: an SVG or PNG image, small enough."""
    if not path.is_file():
        return None, f"the logo file {written!r} does not exist (looked for {path})"
    data = path.read_bytes()
    if len(data) > LOGO_MAX_BYTES:
        return None, (f"the logo {written!r} is {len(data):,} bytes; keep it under "
                      f"{LOGO_MAX_BYTES:,} (it loads with every page)")
    if written.endswith(".png"):
        if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
            return None, f"{written!r} is not a PNG image"
        width, height = struct.unpack(">II", data[16:24])
        if not width or not height:
            return None, f"{written!r} has no size"
        return Logo(data, "png", width, height), None
    return _svg(data, written)


def _svg(data: bytes, written: str) -> tuple[Logo | None, str | None]:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None, f"{written!r}: an SVG logo may not declare a DOCTYPE or entities"
    try:
        svg = ET.fromstring(data)
    except ET.ParseError as error:
        return None, f"{written!r} is not an SVG image ({error})"
    if svg.tag != f"{SVG}svg":
        return None, f"{written!r} is not an SVG image (its first element is not <svg>)"
    for element in svg.iter():
        if element.tag in (f"{SVG}script", f"{SVG}foreignObject"):
            return None, f"{written!r}: an SVG logo may not contain <{element.tag.split('}')[1]}>"
        for name, value in element.attrib.items():
            if name.endswith("href") and not value.startswith(("#", "data:")):
                return None, (f"{written!r}: the logo links to {value!r}; a logo must not "
                              "load anything else (no request may leave the site)")
        if element.tag == f"{SVG}style" and "url(" in (element.text or ""):
            return None, f"{written!r}: the logo's <style> loads a file with url()"
    try:
        width, height = _svg_size(svg)
    except ValueError:
        return None, f"{written!r}: an SVG logo needs a viewBox (or width and height) to size it"
    return Logo(data, "svg", width, height), None


def _svg_size(svg: ET.Element) -> tuple[float, float]:
    box = svg.get("viewBox")
    if box:
        parts = [float(p) for p in box.replace(",", " ").split()]
        if len(parts) == 4 and parts[2] > 0 and parts[3] > 0:
            return parts[2], parts[3]
    width = float((svg.get("width") or "").removesuffix("px"))
    height = float((svg.get("height") or "").removesuffix("px"))
    if width > 0 and height > 0:
        return width, height
    raise ValueError("no size")
