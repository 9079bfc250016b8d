"""Printing the reading pages from the browser (Chromium's print to PDF):
no blank sheets at Letter or A4, body text at least 10 pt, and no site
navigation, header, search or footer on paper."""

from __future__ import annotations

import subprocess

import pytest

from conftest import REGISTERED_PAGES, page_id

MIN_TEXT_PX = 10 * 96 / 72 - 0.01  # 10 pt in CSS pixels (Chromium rounds to 1/10000)

CHROME = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
          ".md-search", ".md-top", ".md-skip", ".md-tabs"]

SMALLEST_TEXT = """() => {
  const small = [];
  const text = 'article p, article li, article td, article th, article dd, article summary';
  for (const e of document.querySelectorAll(text)) {
    if (!e.textContent.trim()) continue;
    const size = parseFloat(getComputedStyle(e).fontSize);
    small.push([size, e.tagName + ': ' + e.textContent.trim().slice(0, 40)]);
  }
  return small.sort((a, b) => a[0] - b[0]).slice(0, 3);
}"""


def printed_sheets(page, paper: str) -> list[str]:
    """The text of each printed sheet (poppler's pdftotext: a tenth of
    pypdf's time; it ends each sheet with a form feed)."""
    pdf = page.pdf(format=paper, print_background=True)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return text.decode("utf-8").split("\f")[:-1]


@pytest.mark.parametrize("path", REGISTERED_PAGES, ids=page_id)
def test_page_prints_without_blank_sheets_or_site_chrome(look_at, path):
    page = look_at(path)
    for paper in ("Letter", "A4"):
        sheets = printed_sheets(page, paper)
        blank = [n for n, text in enumerate(sheets, 1) if not text.strip()]
        assert not blank, f"{paper}: sheet(s) {blank} of {len(sheets)} are blank"
        heading = page.locator("article h1").inner_text().replace("¶", "").strip()
        assert heading.split()[0] in sheets[0], f"{paper}: the title is not on sheet 1"

    page.emulate_media(media="print")
    shown = page.evaluate("""(selectors) => selectors.filter(s =>
        [...document.querySelectorAll(s)].some(e => getComputedStyle(e).display !== 'none'))""",
        CHROME)
    assert not shown, f"printed with the site's chrome: {shown}"
    smallest = page.evaluate(SMALLEST_TEXT)
    assert smallest and smallest[0][0] >= MIN_TEXT_PX, f"text under 10 pt on paper: {smallest}"


def test_the_blank_sheet_check_is_live(open_page):
    """Material's screen layout, without our print rules, leaves a blank
    last sheet on a short page: the check above must notice it."""
    page = open_page("situations/")  # a page that fits on one sheet
    page.add_style_tag(content="@media print { html, body { min-height: 100% !important; "
                               "height: 100% !important } .md-main__inner { margin-top: 40px !important } }")
    sheets = printed_sheets(page, "Letter")
    assert len(sheets) >= 2 and not sheets[-1].strip()
