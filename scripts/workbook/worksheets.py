"""Worksheets from data/worksheets.yml: loaded, checked and looked up.

Beyond the schema, the build checks: unique worksheet, field, column and
option names; no setting that does not belong to a field's type; every
`sections` entry is a page of the site; every email field names a template
in data/emails.yml; and every worksheet has its page, worksheets/<id>/,
whose title matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbook.datafile import DataError, Document, load, lookup, report
from workbook.emails import Emails, Template
from workbook.registry import Link, Registry

WORKSHEETS_FILE = "worksheets.yml"
PAGE_PREFIX = "worksheets/"
SHORT_PREFIX = "w/"  # short links printed on paper: w/<id>/ redirects to the page

# The settings each field type may have, besides id, type, label and hint.
SETTINGS = {
    "text": set(),
    "longtext": {"lines"},
    "choice": {"options", "multiple"},
    "rating": {"low", "high", "crisis"},
    "table": {"rows", "columns", "csv"},
    "email": {"template"},
}


@dataclass(frozen=True)
class Column:
    id: str
    label: str


@dataclass(frozen=True)
class Field:
    id: str
    type: str
    label: str
    hint: str | None = None
    lines: int = 0
    options: tuple[str, ...] = ()
    multiple: bool = False
    low: str | None = None
    high: str | None = None
    rows: int = 0
    columns: tuple[Column, ...] = ()
    template: Template | None = None
    crisis: bool = False  # a rating about feelings: the crisis box follows
    csv: bool = False     # a table the reader can download as a spreadsheet (CSV)


@dataclass(frozen=True)
class Worksheet:
    id: str
    title: str
    purpose: str
    sections: tuple[Link, ...]
    minutes: int
    sheets: int
    fields: tuple[Field, ...]

    @property
    def page(self) -> str:
        return f"{PAGE_PREFIX}{self.id}/"

    @property
    def short(self) -> str:
        """A short, permanent link to type in from paper (a redirect)."""
        return f"{SHORT_PREFIX}{self.id}/"

    def pdf(self, paper: str, fillable: bool = False) -> str:
        """The site path of this worksheet's blank PDF ('letter' or 'a4'),
        or of its fillable one."""
        return f"pdf/{self.id}{'-fillable' if fillable else ''}-{paper}.pdf"


@dataclass
class Worksheets:
    doc: Document
    by_id: dict[str, Worksheet] = field(default_factory=dict)

    def get(self, worksheet_id: str, where: str) -> Worksheet:
        return lookup(self.by_id, worksheet_id, "worksheet", self.doc, where)

    def for_section(self, page: str) -> list[Worksheet]:
        return [w for w in self.by_id.values() if any(s.page == page for s in w.sections)]


def _unique(values: list[str], place: tuple, what: str, doc: Document, problems: list) -> None:
    seen = set()
    for n, value in enumerate(values):
        if value in seen:
            problems.append(doc.error(place + (n,), f"{what} {value!r} is used twice"))
        seen.add(value)


def load_worksheets(data_dir: Path, root: Path, registry: Registry, emails: Emails) -> Worksheets:
    doc = load(data_dir / WORKSHEETS_FILE, "worksheets", root)
    problems: list[str] = []
    result = Worksheets(doc)
    for w, data in enumerate(doc.data["worksheets"]):
        place = ("worksheets", w)
        if data["id"] in result.by_id:
            problems.append(doc.error(place + ("id",), f"worksheet id '{data['id']}' is used twice"))
            continue
        sections = []
        for s, path in enumerate(data["sections"]):
            link = registry.find(path)
            if link is None or link.anchor:
                problems.append(doc.error(place + ("sections", s), f"{path!r} is not a page of "
                                          f"the site (see {registry.doc.label})"))
            else:
                sections.append(link)
        fields = []
        _unique([f["id"] for f in data["fields"]], place + ("fields",), "field id", doc, problems)
        for f, raw in enumerate(data["fields"]):
            field_place = place + ("fields", f)
            extra = set(raw) - {"id", "type", "label", "hint"} - SETTINGS[raw["type"]]
            for key in sorted(extra):
                problems.append(doc.error(field_place + (key,), f"'{key}' does not apply to a "
                                          f"{raw['type']} field"))
            template = None
            if raw["type"] == "email":
                template = emails.templates.get(raw["template"])
                if template is None:
                    problems.append(doc.error(field_place + ("template",), f"no email template "
                                              f"{raw['template']!r} in {emails.doc.label}"))
            columns = tuple(Column(c["id"], c["label"]) for c in raw.get("columns", []))
            _unique([c.id for c in columns], field_place + ("columns",), "column id", doc, problems)
            _unique(raw.get("options", []), field_place + ("options",), "option", doc, problems)
            fields.append(Field(
                id=raw["id"], type=raw["type"], label=raw["label"], hint=raw.get("hint"),
                lines=raw.get("lines", 0), options=tuple(raw.get("options", [])),
                multiple=raw.get("multiple", False), low=raw.get("low"), high=raw.get("high"),
                rows=raw.get("rows", 0), columns=columns, template=template,
                crisis=raw.get("crisis", False), csv=raw.get("csv", False)))
        worksheet = Worksheet(data["id"], data["title"], data["purpose"], tuple(sections),
                              data["minutes"], data.get("sheets", 1), tuple(fields))
        page = registry.pages.get(worksheet.page)
        if page is None:
            problems.append(doc.error(place + ("id",), f"worksheet '{worksheet.id}' has no page: "
                                      f"add docs/{worksheet.page.rstrip('/')}.md and register "
                                      f"'{worksheet.page}' in {registry.doc.label}"))
        elif page.title != worksheet.title:
            problems.append(doc.error(place + ("title",), f"title {worksheet.title!r} differs "
                                      f"from its page's title {page.title!r}"))
        result.by_id[worksheet.id] = worksheet
    if problems:
        raise DataError(report(problems))
    return result
