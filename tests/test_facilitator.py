"""The pages for counselors: the facilitator guide (its two session plans,
its links, its PDFs) and the career-center page's order and old anchors.

Each check is a function that returns what is wrong, run on the built site
and, below each test, on a copy broken on purpose: so every check is seen
to fail too.
"""

from __future__ import annotations

import copy
import posixpath
import re
from urllib.parse import urljoin

import pypdf
import pytest
from bs4 import BeautifulSoup
from weasyprint import HTML

from conftest import content, heading_text
from test_worksheets import PAPERS, squash

GUIDE = "career-centers/facilitator-guide/"
CENTERS = "career-centers/"
PLANS = {"one-to-one": 30, "workshop": 60}
OLD_ANCHORS = ["how-to-link", "links", "pdfs", "reuse", "accessibility", "hosting"]
# The career-center page leads with what counselors need, in this order.
LEADS_WITH = ["facilitator-guide", "pdfs", "how-to-link", "reuse"]


def broken(soup: BeautifulSoup, change) -> BeautifulSoup:
    """A copy of a page with one thing changed (change(copy))."""
    found = copy.copy(soup)
    change(found)
    return found


# ------------------------------------------------------------ session plans

def plan_problems(soup: BeautifulSoup, anchor: str, total: int) -> list[str]:
    """The plan under heading `anchor` says it takes `total` minutes (in its
    heading, '30-minute'), and the minutes of its table's rows add up to
    that. The table is the first one under the heading, before the next
    heading of its level."""
    heading = content(soup).find(id=anchor)
    if heading is None:
        return [f"no heading #{anchor}"]
    problems = []
    stated = re.search(r"(\d+)-minute", heading_text(heading))
    if not stated or int(stated.group(1)) != total:
        problems.append(f"#{anchor}: the heading does not say {total}-minute")
    table = heading.find_next("table")
    if table is None or table.find_previous(re.compile(r"^h[1-6]$")) is not heading:
        return [*problems, f"#{anchor}: no plan table under the heading"]
    header = [heading_text(th) for th in table.select("thead th")]
    if not header or header[0] != "Minutes":
        return [*problems, f"#{anchor}: the plan's first column is not 'Minutes': {header}"]
    minutes = []
    for row in table.select("tbody tr"):
        cell = heading_text(row.find("td"))
        if not cell.isdigit():
            problems.append(f"#{anchor}: {cell!r} is not a number of minutes")
            continue
        minutes.append(int(cell))
    if len(minutes) < 3:
        problems.append(f"#{anchor}: only {len(minutes)} parts")
    if sum(minutes) != total:
        problems.append(f"#{anchor}: the parts add up to {sum(minutes)} minutes, not {total}")
    return problems


def test_both_plans_have_parts_that_add_up_to_their_time(pages):
    for anchor, total in PLANS.items():
        assert plan_problems(pages[GUIDE], anchor, total) == []


def test_the_plan_check_fails_when_the_minutes_do_not_add_up(pages):
    def longer_welcome(soup):
        content(soup).find(id="one-to-one").find_next("table").select_one("tbody td").string = "10"

    def no_table(soup):
        for table in content(soup).find_all("table"):
            table.decompose()

    assert plan_problems(broken(pages[GUIDE], longer_welcome), "one-to-one", 30) == [
        "#one-to-one: the parts add up to 35 minutes, not 30"]
    assert plan_problems(pages[GUIDE], "workshop", 45) == [
        "#workshop: the heading does not say 45-minute",
        "#workshop: the parts add up to 60 minutes, not 45"]
    assert plan_problems(broken(pages[GUIDE], no_table), "workshop", 60) == [
        "#workshop: no plan table under the heading"]


def test_each_plan_says_what_to_print_and_how_many(pages):
    copies = {"one-to-one": "one copy each", "workshop": "one set per participant"}
    for anchor in PLANS:
        heading = content(pages[GUIDE]).find(id=anchor)
        section = []
        for element in heading.find_all_next():
            if element.name == "h2":
                break
            section.append(element)
        text = " ".join(" ".join(e.get_text(" ") for e in section if e.name == "p").split())
        assert "What to print" in text and copies[anchor] in text, anchor
        assert "Questions" in text, anchor  # discussion prompts
        hrefs = [a["href"] for e in section if e.name == "ul" for a in e.select("a[href]")]
        assert any("master-checklist" in h for h in hrefs), anchor
        assert any("worksheets/" in h for h in hrefs), anchor
    assert content(pages[GUIDE]).find(id="before-the-session") is not None


# --------------------------------------------------------------- its links

def link_problems(pages: dict[str, BeautifulSoup], path: str) -> list[str]:
    """Every link on the page to another page of the site leads to a built
    page, and to a heading or other id on it when it names one."""
    problems = []
    for link in content(pages[path]).select("a[href]"):
        href = link["href"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.endswith(".pdf"):
            continue  # another site, or a PDF (test_the_guide_pdf_...)
        resolved = urljoin("/" + path, href)
        target, _, fragment = resolved.lstrip("/").partition("#")
        target = posixpath.normpath(target) + "/" if target else ""
        if target not in pages:
            problems.append(f"{href}: no page {target!r}")
        elif fragment and pages[target].find(id=fragment) is None:
            problems.append(f"{href}: no #{fragment} on {target!r}")
    return problems


def linked(pages: dict[str, BeautifulSoup], path: str, prefix: str) -> set[str]:
    """The pages under `prefix` that the page links to."""
    found = set()
    for link in content(pages[path]).select("a[href]"):
        target = urljoin("/" + path, link["href"]).lstrip("/").partition("#")[0]
        if target.startswith(prefix):
            found.add(target)
    return found


def test_every_link_on_the_guide_resolves(pages):
    assert link_problems(pages, GUIDE) == []
    worksheets = {p for p in pages if p.startswith("worksheets/") and p != "worksheets/"}
    assert linked(pages, GUIDE, "worksheets/") <= worksheets
    assert len(linked(pages, GUIDE, "worksheets/")) >= 6
    assert "master-checklist/" in linked(pages, GUIDE, "master-checklist/")  # the checklist
    assert "professional-help/" in linked(pages, GUIDE, "professional-help/")  # the help lines


def test_the_link_check_fails_on_a_missing_worksheet_or_section(pages):
    def rename(soup):
        links = content(soup).select('a[href="../../worksheets/weekly-log/"]')
        links[0]["href"] = "../../worksheets/weekly-diary/"
        content(soup).select_one('a[href="../../professional-help/#which-counselor"]')[
            "href"] = "../../professional-help/#which-helper"

    wrong = dict(pages, **{GUIDE: broken(pages[GUIDE], rename)})
    assert link_problems(wrong, GUIDE) == [
        "../../worksheets/weekly-diary/: no page 'worksheets/weekly-diary/'",
        "../../professional-help/#which-helper: no #which-helper on 'professional-help/'"]


def situation_rows(soup: BeautifulSoup) -> dict[str, list[str]]:
    """The guide's table: each situation page it names, with the worksheet
    pages of its row (as linked from the guide)."""
    heading = content(soup).find(id="worksheet-for-situation")
    rows = {}
    for row in heading.find_next("table").select("tbody tr"):
        situation, sheets = row.find_all("td")
        rows[situation.a["href"]] = [a["href"] for a in sheets.select("a")]
    return rows


def situation_problems(pages: dict[str, BeautifulSoup]) -> list[str]:
    """Every situation page has a row with at least one worksheet."""
    rows = situation_rows(pages[GUIDE])
    problems = []
    for path in pages:
        if path.startswith("situations/") and path != "situations/":
            href = "../../" + path
            if href not in rows:
                problems.append(f"{path}: not in the table")
            elif not [h for h in rows[href] if h.startswith("../../worksheets/")]:
                problems.append(f"{path}: no worksheet")
    return problems


def test_every_situation_has_its_worksheets_in_the_table(pages):
    assert len(situation_rows(pages[GUIDE])) >= 9
    assert situation_problems(pages) == []


def test_the_situation_check_fails_on_a_missing_row(pages):
    def drop_runner_up(soup):
        content(soup).select_one('a[href="../../situations/runner-up/"]').find_parent("tr").decompose()

    wrong = dict(pages, **{GUIDE: broken(pages[GUIDE], drop_runner_up)})
    assert situation_problems(wrong) == ["situations/runner-up/: not in the table"]


def test_the_guide_says_which_counselor_it_means(pages):
    first = " ".join(content(pages[GUIDE]).find("p").get_text(" ").split())
    assert "career counselor" in first and "not mean a mental-health counselor" in first


# ----------------------------------------------------------------- its PDF

def pdf_problems(path, title: str, url: str) -> list[str]:
    """The PDF exists, has the title in its text and its online address in
    the footer of every page."""
    if not path.exists():
        return [f"{path.name}: missing"]
    texts = [squash(page.extract_text() or "") for page in pypdf.PdfReader(path).pages]
    problems = []
    if squash(title) not in texts[0]:
        problems.append(f"{path.name}: no {title!r} on its first page")
    problems += [f"{path.name}: page {n}: no address {url}"
                 for n, text in enumerate(texts, start=1) if url not in text]
    return problems


@pytest.mark.parametrize("paper", PAPERS)
def test_the_guide_pdf_has_its_title_and_address(site, pages, base_url, paper):
    title = heading_text(content(pages[GUIDE]).find("h1"))
    path = site / "pdf" / f"facilitator-guide-{paper}.pdf"
    assert pdf_problems(path, title, base_url + GUIDE) == []
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) >= 2
    width = float(reader.pages[0].mediabox.width)
    assert round(width) == (612 if paper == "letter" else 595)
    assert reader.metadata.title == title


def test_the_pdf_check_fails_on_a_pdf_without_title_or_address(tmp_path):
    html = ('<!doctype html><html lang="en"><head><title>Other</title></head>'
            '<body><h1>Another sheet</h1><p>Text</p></body></html>')
    HTML(string=html).write_pdf(tmp_path / "other.pdf")
    assert pdf_problems(tmp_path / "other.pdf", "Facilitator guide", "https://example.org/g/") == [
        "other.pdf: no 'Facilitator guide' on its first page",
        "other.pdf: page 1: no address https://example.org/g/"]
    assert pdf_problems(tmp_path / "none.pdf", "Facilitator guide", "x") == ["none.pdf: missing"]


def test_the_guide_and_the_career_center_page_link_its_pdfs(pages):
    for path, prefix in ((GUIDE, "../../"), (CENTERS, "../")):
        hrefs = {a["href"] for a in content(pages[path]).select("a[href$='.pdf']")}
        assert {f"{prefix}pdf/facilitator-guide-{p}.pdf" for p in PAPERS} <= hrefs, path


# ----------------------------------------------------- the career-center page

def order_problems(soup: BeautifulSoup) -> list[str]:
    """The page's H2 sections lead with the guide, the PDFs, linking (with
    the link table inside it) and the terms; then accessibility; hosting
    last."""
    sections = [h["id"] for h in content(soup).find_all("h2")]
    problems = []
    if sections[:len(LEADS_WITH)] != LEADS_WITH:
        problems.append(f"the page leads with {sections[:len(LEADS_WITH)]}, not {LEADS_WITH}")
    if sections[len(LEADS_WITH):] != ["accessibility", "hosting"]:
        problems.append(f"after the terms: {sections[len(LEADS_WITH):]}")
    table = content(soup).find(id="links")
    if table is None or table.find_previous("h2").get("id") != "how-to-link":
        problems.append("the link table is not under 'How to link'")
    return problems


def test_the_career_center_page_leads_with_what_counselors_need(pages):
    assert order_problems(pages[CENTERS]) == []


def test_the_order_check_fails_when_hosting_comes_first(pages):
    def hosting_first(soup):
        article = content(soup)
        hosting = article.find(id="hosting")
        article.find(id="facilitator-guide").insert_before(hosting.extract())

    assert order_problems(broken(pages[CENTERS], hosting_first)) == [
        "the page leads with ['hosting', 'facilitator-guide', 'pdfs', 'how-to-link'], "
        "not ['facilitator-guide', 'pdfs', 'how-to-link', 'reuse']",
        "after the terms: ['reuse', 'accessibility']"]


def anchor_problems(soup: BeautifulSoup) -> list[str]:
    return [f"#{anchor} is gone" for anchor in OLD_ANCHORS if soup.find(id=anchor) is None]


def test_every_old_anchor_of_the_career_center_page_still_exists(pages):
    assert anchor_problems(pages[CENTERS]) == []
    hosting = content(pages[CENTERS]).find(id="hosting")
    assert hosting.find_next("a", href="hosting/") is not None


def test_the_anchor_check_fails_when_one_is_gone(pages):
    def drop_pdfs(soup):
        del soup.find(id="pdfs")["id"]

    assert anchor_problems(broken(pages[CENTERS], drop_pdfs)) == ["#pdfs is gone"]
