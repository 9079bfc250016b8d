"""A career center's own edition of the workbook: its brand file.

    make build BRAND=brands/example.yml      (make serve BRAND=... to preview)
    python -m workbook.brand brands/example.yml   (only check the file)

A brand file is a small MkDocs config that INHERITs the workbook's
mkdocs.yml and sets only what differs: the copy's public address
(`site_url`: QR codes, short links and links.json use it) and
`extra.workbook.brand` (name, logo, welcome line, contact, booking link,
an optional accent color). It is checked here, with its lines: by
`make build` and `make serve` before MkDocs reads it (MkDocs' YAML reader
would run a `!!python` tag), and again by the hooks (on_config). A problem
stops the build with the file, the line and what is wrong. The templates
show the brand through `view()`: the banner above the header, the "Talk to
someone" box at the end of each step, and the footer of every printed
sheet and PDF.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from workbook import contrast
from workbook import logo as logos
from workbook.datafile import DataError, Document, load, report
from workbook.logo import Logo

LOGO_HEIGHT = 32  # CSS pixels, in the banner
PLACE = ("extra", "workbook", "brand")
CONTACT = ("phone", "email", "address", "hours")
# Where a brand file's three fixed lines must point, from the project's folder.
FIXED = {("docs_dir",): "docs", ("theme", "custom_dir"): "overrides",
         ("hooks", 0): "scripts/workbook/hooks.py"}
ROOT = Path(__file__).resolve().parents[2]
JOINERS = "\u200c\u200d"  # (zero-width) joiners: part of some scripts and emoji


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
    def footer(self) -> list[str]:
        """The lines every printed sheet and PDF ends with: the name, then
        how to reach the center (two lines: a long name never runs under
        the footer's QR code)."""
        reach = [self.contact[k] for k in ("phone", "email") if self.contact.get(k)]
        if not reach:
            reach = [self.contact.get("address") or self.booking_url or self.site_url]
        return [self.name, " · ".join(reach)]

    def view(self) -> dict:
        """What the templates show (overrides/workbook/brand-*.html, the PDFs)."""
        logo = self.logo
        return {
            "name": self.name, "welcome": self.welcome, "booking_url": self.booking_url,
            "accent": self.accent, "footer": self.footer,
            "contact": {key: self.contact.get(key) for key in CONTACT},
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
    return check_file(config_file, root)


def check_file(path: Path, root: Path) -> Brand:
    """Read and check a brand file on its own, with a YAML reader that runs
    nothing. Raises DataError naming the file, line and what is wrong."""
    path = path.resolve()
    named_from = Path.cwd() if path.is_relative_to(Path.cwd()) else None  # messages' file name
    _no_aliases(path, str(path.relative_to(named_from)) if named_from else str(path))
    doc = load(path, "brand", named_from)
    problems = []
    here = path.parent
    inherited = (here / doc.data["INHERIT"]).resolve()
    if inherited != (root / "mkdocs.yml").resolve():
        problems.append(doc.error(("INHERIT",), f"is {doc.data['INHERIT']!r}; it must be "
                                  f"{os.path.relpath(root / 'mkdocs.yml', here)!r}, the "
                                  "workbook's mkdocs.yml"))
    for place, target in FIXED.items():
        value = _at(doc.data, place)
        wanted = os.path.relpath(root / target, here)
        if not isinstance(value, str) or (here / value).resolve() != (root / target).resolve():
            problems.append(doc.error(place, f"must be {wanted!r} (leave this line as it is: "
                                      "it points back to the workbook's own folders)"))
    brand = doc.data["extra"]["workbook"]["brand"]
    problems += _text_problems(doc, brand)
    logo = None
    if "logo" in brand:
        logo, problem = logos.read(here / brand["logo"], brand["logo"])
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


def _at(data, place: tuple):
    """The value at `place` in loaded YAML, or None."""
    for part in place:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and len(data) > part else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


MAX_DEPTH = 12  # a brand file is four levels deep


def _no_aliases(path: Path, label: str) -> None:
    """YAML anchors and aliases (& and *) can make a small file huge, and
    deep nesting can exhaust the YAML reader: both are refused, by line."""
    try:
        text = path.read_text(encoding="utf-8")
        depth = 0
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            mark = token.start_mark
            where = f"{label}:{mark.line + 1}:{mark.column + 1}"
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise DataError(f"{where}: anchors and aliases (& and *) are not allowed in a "
                                "brand file: write each value out")
            if isinstance(token, (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
                                  yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)):
                depth += 1
            elif isinstance(token, (yaml.BlockEndToken, yaml.FlowMappingEndToken,
                                    yaml.FlowSequenceEndToken)):
                depth -= 1
            if depth > MAX_DEPTH:
                raise DataError(f"{where}: nested too deep for a brand file")
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return  # datafile.load reports it, with its line


def _text_problems(doc: Document, brand: dict) -> list[str]:
    """Names and contact details: printed and read aloud as written, so no
    invisible control characters (they can reverse or hide text)."""
    found = []
    texts = [(("name",), brand.get("name")), (("welcome",), brand.get("welcome"))]
    texts += [(("contact", key), brand["contact"].get(key)) for key in CONTACT]
    for place, text in texts:
        if not isinstance(text, str):
            continue
        if not text.strip():
            found.append(doc.error((*PLACE, *place), f"'{place[-1]}' is only spaces"))
        hidden = [c for c in text if unicodedata.category(c) in ("Cc", "Cf")
                  and c not in JOINERS]
        if hidden:
            found.append(doc.error((*PLACE, *place), f"'{place[-1]}' contains an invisible "
                                   f"character (U+{ord(hidden[0]):04X}); type it again"))
    return found


def main(argv: list[str]) -> int:
    """`python -m workbook.brand FILE`: check a brand file, as make does."""
    if len(argv) != 1:
        print("usage: python -m workbook.brand brands/<center>.yml", file=sys.stderr)
        return 2
    path = Path(argv[0])
    if not path.is_file():
        print(f"{argv[0]}: no such brand file (copy brands/example.yml)", file=sys.stderr)
        return 2
    try:
        brand = check_file(path, ROOT)
    except DataError as error:
        print(f"{error}\nThe brand file needs fixing; nothing was built.", file=sys.stderr)
        return 1
    print(f"{argv[0]}: the brand of {brand.name} is ready to build.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
