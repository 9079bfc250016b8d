"""The project as one build sees it: its folders, its address and its data,
loaded once per build by the hooks (on_config) and read by hooks and macros.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbook import qr
from workbook.brand import Brand, load_brand
from workbook.changes import Changes, load_changes
from workbook.checklists import Checklists, load_checklists
from workbook.datafile import DataError
from workbook.emails import Emails, load_emails
from workbook.helplines import Helplines, load_helplines
from workbook.pagefacts import PageFacts
from workbook.registry import Registry, load_registry
from workbook.reviews import Reviews, load_reviews
from workbook.worksheets import Worksheets, load_worksheets


@dataclass
class Project:
    root: Path
    custom_dir: str
    site_url: str
    registry: Registry
    checklists: Checklists
    emails: Emails
    worksheets: Worksheets
    helplines: Helplines
    reviews: Reviews  # when each page was last reviewed
    changes: Changes  # the change log: each link's last change, the feed
    brand: Brand | None = None  # a career center's edition (brands/*.yml)
    pages: dict[str, PageFacts] = field(default_factory=dict)
    # Each page's rendered content, for the booklet (workbook/booklet.py),
    # and the pages in the order of the navigation.
    contents: dict[str, str] = field(default_factory=dict)
    nav_order: list[str] = field(default_factory=list)
    # Which page showed each worksheet (macro: worksheet), checked in on_env.
    shown_worksheets: dict[str, list[str]] = field(default_factory=dict)

    def check_worksheets_shown(self) -> None:
        """Every worksheet is shown once, on its own page, and nowhere else."""
        problems = []
        for worksheet in self.worksheets.by_id.values():
            shown = self.shown_worksheets.get(worksheet.id, [])
            if shown != [worksheet.page]:
                problems.append(
                    f"{self.worksheets.doc.label}: worksheet '{worksheet.id}' must be shown once, "
                    f"on docs/{worksheet.page.rstrip('/')}.md with "
                    f'{{{{ worksheet("{worksheet.id}") }}}}; it is shown on: {shown or "no page"}')
        if problems:
            raise DataError("\n".join(problems))

    def step_pages(self) -> set[str]:
        """The ten steps' pages: each has a checklist."""
        return {checklist.section.page for checklist in self.checklists.steps(self.registry)}

    def redirects(self) -> list[tuple[str, str]]:
        """(old path, new path) for every redirect page: moved pages (data/
        links.yml) and the worksheets' short links (w/<id>/)."""
        found = [(move.old, move.new) for move in self.registry.moves]
        found += [(sheet.short, sheet.page) for sheet in self.worksheets.by_id.values()]
        return found

    def print_footer(self, title: str, page: str, short: str | None = None) -> dict:
        """What a printed sheet's footer shows (overrides/workbook/
        print-footer.html): title, permanent URL, short link, QR code, and
        a career center's name and contact in its edition."""
        return {"title": title, "url": self.url(page), "qr": qr.data_uri(self.url(page)),
                "short": self.short_url(short) if short else None,
                "brand": self.brand.footer if self.brand else None}

    def short_url(self, path: str) -> str:
        """A URL as printed for typing: no scheme, no trailing slash."""
        return self.url(path).split("://", 1)[-1].rstrip("/")

    def url(self, path: str) -> str:
        """The full permanent URL of a site path such as 'emotions/#x'."""
        base = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        return base + path


_current: Project | None = None


def load(config) -> Project:
    """Load and check every data file for the build `config` describes.
    Raises workbook.datafile.DataError on bad data."""
    global _current
    root = root_of(config)
    _current = None
    brand = load_brand(config, root)
    data = root / "data"
    registry = load_registry(data, root)
    emails = load_emails(data, root)
    _current = Project(root=root, custom_dir=config.theme.custom_dir,
                       site_url=config.site_url or "/", registry=registry,
                       checklists=load_checklists(data, root, registry), emails=emails,
                       worksheets=load_worksheets(data, root, registry, emails),
                       helplines=load_helplines(data, root),
                       reviews=load_reviews(data, root), brand=brand,
                       changes=load_changes(data, root, registry))
    return _current


def root_of(config) -> Path:
    """The project's folder: the one that holds docs/ (a brand's config file
    is in brands/, and points docs_dir back to ../docs)."""
    return Path(config.docs_dir).resolve().parent


def current() -> Project:
    if _current is None:
        raise RuntimeError("no build is in progress: the data has not been loaded")
    return _current


def source_label(config, page) -> str:
    """A page's Markdown file as messages name it: 'docs/emotions.md'."""
    return f"{Path(config.docs_dir).name}/{page.file.src_uri}"


def relative(target: str, from_page: str) -> str:
    """A link from the page at `from_page` to the site path `target`:
    relative('emotions/#a', 'career-centers/') == '../emotions/#a', and
    relative('emotions/#a', 'emotions/') == '#a'."""
    page, _, anchor = target.partition("#")
    if page == from_page and anchor:
        return f"#{anchor}"
    return "../" * from_page.count("/") + target or "./"
