"""Reading grade of each page: the Flesch-Kincaid grade (textstat) of the
page's own text, as built, without tables, code, the ¶ permalinks or the
change log's lists of changed pages.

The workbook aims at a reading age of about 9 to 12, so every guidance page
must be at grade 9 or below. The chapter's own sentences ("From the
chapter" boxes) are measured too: they are part of what the reader reads.

    .venv/bin/python -m workbook.readability [SITE_DIR]   (`make lint`)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import textstat
from bs4 import BeautifulSoup

from workbook.sitebuild import mkdocs_build

MAX_GRADE = 9.0
# Left out: tables, code, the change log's lists of the pages that changed
# (names, not sentences, like the tables' cells), and the "Copy link"
# buttons under the headings (workbook.copylinks).
SKIP = ["table", "pre", "code", "script", "style", ".headerlink", ".wb-change__links",
        ".wb-copy-link"]


def page_text(html: str) -> str:
    article = BeautifulSoup(html, "html.parser").select_one("article")
    if article is None:
        return ""
    for selector in SKIP:
        for element in article.select(selector):
            element.decompose()
    return " ".join(article.get_text(" ").split())


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


def site_grades(site: Path) -> dict[str, float]:
    grades = {}
    for file in sorted(site.rglob("index.html")):
        text = page_text(file.read_text(encoding="utf-8"))
        if text:
            rel = file.parent.relative_to(site).as_posix()
            grades["" if rel == "." else rel + "/"] = grade(text)
    return grades


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(argv[0]) if argv else Path(tmp) / "site"
        if not argv:
            result = mkdocs_build(site, env={"WORKBOOK_PDFS": "0"})
            if result.returncode:
                print(result.stderr, file=sys.stderr)
                return result.returncode
        grades = site_grades(site)
    too_hard = {page: g for page, g in grades.items() if g > MAX_GRADE}
    for page, g in grades.items():
        print(f"  {g:4.1f}  {page or '(home)'}{'   <- above grade 9' if g > MAX_GRADE else ''}")
    return 1 if too_hard else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
