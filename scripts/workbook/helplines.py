"""Help lines for a reader in crisis, from data/helplines.yml: the facts
behind the "If you are struggling" box (overrides/workbook/crisis.html).

Beyond the schema, the build checks that each line has either `ways` (call
or text, with a number) or a `web` address, not both and not neither. Each
number becomes a `tel:` or `sms:` link that dials its digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbook.datafile import DataError, Document, load, report

HELPLINES_FILE = "helplines.yml"


@dataclass(frozen=True)
class Way:
    how: str      # "call" or "text"
    number: str   # as printed: "116 123"

    @property
    def href(self) -> str:
        scheme = "tel" if self.how == "call" else "sms"
        return f"{scheme}:{self.number.replace(' ', '')}"


@dataclass(frozen=True)
class Line:
    country: str
    name: str
    ways: tuple[Way, ...] = ()
    web: str | None = None


@dataclass(frozen=True)
class Emergency:
    number: str
    country: str

    @property
    def href(self) -> str:
        return f"tel:{self.number.replace(' ', '')}"


@dataclass(frozen=True)
class Helplines:
    doc: Document
    lines: tuple[Line, ...]
    emergency: tuple[Emergency, ...]


def load_helplines(data_dir: Path, root: Path) -> Helplines:
    doc = load(data_dir / HELPLINES_FILE, "helplines", root)
    problems, lines = [], []
    for n, raw in enumerate(doc.data["lines"]):
        if ("ways" in raw) == ("web" in raw):
            problems.append(doc.error(("lines", n), "give either 'ways' (call or text, with a "
                                      "number) or 'web' (an address), not both or neither"))
            continue
        ways = tuple(Way(w["how"], w["number"]) for w in raw.get("ways", []))
        lines.append(Line(raw["country"], raw["name"], ways, raw.get("web")))
    if problems:
        raise DataError(report(problems))
    emergency = tuple(Emergency(e["number"], e["country"]) for e in doc.data["emergency"])
    return Helplines(doc, tuple(lines), emergency)
