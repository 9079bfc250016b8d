"""When a person last reviewed each page, from data/reviews.yml: shown at
the end of the page ("Last reviewed"), so readers and career centers can
see how current it is. The date comes from the data, never from the build.

Dates are checked when the data is loaded (a real date, not in the future);
the pages are checked against the registry once the registry itself has
been checked (every page has a date, every entry names a page; an entry
under a moved page's old path counts for its new one).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from workbook.datafile import DataError, Document, load, report
from workbook.registry import Registry

REVIEWS_FILE = "reviews.yml"


@dataclass
class Reviews:
    doc: Document
    entries: list[tuple[int, str, datetime.date]] = field(default_factory=list)
    by_page: dict[str, datetime.date] = field(default_factory=dict)

    def check(self, registry: Registry) -> None:
        """Match the dates to the registry's pages; fill `by_page`."""
        moved = {move.old: move.new for move in registry.moves}
        problems: list[str] = []
        for n, path, date in self.entries:
            page = moved.get(path, path)
            if page not in registry.pages:
                problems.append(self.doc.error(("pages", n, "path"), f"{path!r} is not a page of "
                                               f"the site (see {registry.doc.label})"))
            elif page in self.by_page:
                problems.append(self.doc.error(("pages", n, "path"), f"{path!r} is given twice"))
            else:
                self.by_page[page] = date
        for page in registry.pages:
            if page not in self.by_page and not problems:
                problems.append(f"{self.doc.label}: page {page!r} has no review date: add "
                                f"'- path: \"{page}\"' with 'reviewed: YYYY-MM-DD'")
        if problems:
            raise DataError(report(problems))


def load_reviews(data_dir: Path, root: Path) -> Reviews:
    reviews = Reviews(load(data_dir / REVIEWS_FILE, "reviews", root))
    problems: list[str] = []
    for n, entry in enumerate(reviews.doc.data["pages"]):
        try:
            date = datetime.date.fromisoformat(entry["reviewed"])
        except ValueError:
            problems.append(reviews.doc.error(("pages", n, "reviewed"),
                                              f"{entry['reviewed']!r} is not a date"))
            continue
        if date > datetime.date.today():
            problems.append(reviews.doc.error(("pages", n, "reviewed"), f"{date} is in the future"))
        reviews.entries.append((n, entry["path"], date))
    if problems:
        raise DataError(report(problems))
    return reviews


def text(date: datetime.date) -> str:
    """US style: November 26, 2026."""
    return f"{date:%B} {date.day}, {date.year}"
