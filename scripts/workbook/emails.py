"""Email templates from data/emails.yml: the shared details (name, company,
role...) and the templates that use them as {blanks}.

Each template is split into segments, plain text and blanks, so the
template under overrides/workbook/ can escape the text and mark each blank;
an unknown {blank} stops the build with its place in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workbook.datafile import DataError, Document, load, report

EMAILS_FILE = "emails.yml"
BLANK = re.compile(r"\{([a-z]+(?:-[a-z]+)*)\}")


@dataclass(frozen=True)
class Detail:
    id: str
    label: str
    placeholder: str
    autocomplete: str | None


@dataclass(frozen=True)
class Segment:
    text: str
    blank: str | None = None  # a detail id, or None for plain text


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    subject: tuple[Segment, ...]
    body: tuple[Segment, ...]

    @property
    def blanks(self) -> list[str]:
        """The details this template uses, in order of first use."""
        seen: list[str] = []
        for segment in self.subject + self.body:
            if segment.blank and segment.blank not in seen:
                seen.append(segment.blank)
        return seen


@dataclass
class Emails:
    doc: Document
    details: dict[str, Detail]
    templates: dict[str, Template]


def split(text: str, known: dict[str, Detail], place: tuple, doc: Document,
          problems: list[str]) -> tuple[Segment, ...]:
    segments, at = [], 0
    for match in BLANK.finditer(text):
        if match.group(1) not in known:
            problems.append(doc.error(place, f"unknown blank {match.group(0)}; the blanks are "
                                             + ", ".join("{" + k + "}" for k in known)))
        if match.start() > at:
            segments.append(Segment(text[at:match.start()]))
        segments.append(Segment(match.group(0), match.group(1)))
        at = match.end()
    if at < len(text):
        segments.append(Segment(text[at:]))
    return tuple(segments)


def load_emails(data_dir: Path, root: Path) -> Emails:
    doc = load(data_dir / EMAILS_FILE, "emails", root)
    problems: list[str] = []
    details: dict[str, Detail] = {}
    for d, data in enumerate(doc.data["details"]):
        if data["id"] in details:
            problems.append(doc.error(("details", d, "id"), f"'{data['id']}' is used twice"))
        details[data["id"]] = Detail(data["id"], data["label"], data["placeholder"],
                                     data.get("autocomplete"))
    templates: dict[str, Template] = {}
    for t, data in enumerate(doc.data["templates"]):
        place = ("templates", t)
        if data["id"] in templates:
            problems.append(doc.error(place + ("id",), f"'{data['id']}' is used twice"))
        templates[data["id"]] = Template(
            data["id"], data["title"],
            split(data["subject"], details, place + ("subject",), doc, problems),
            split(data["body"], details, place + ("body",), doc, problems))
    if problems:
        raise DataError(report(problems))
    return Emails(doc, details, templates)
