"""A career center's own edition (brands/example.yml, `make build
BRAND=...`): the brand reaches every page, every step's end, every printed
sheet and PDF, QR codes lead to the center's own address; the gates pass on
it (LinkChecker, axe light and dark); the workbook's own edition shows
no trace of it. A bad brand file: tests/test_brand_file.py."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pypdfium2
import pytest
import yaml
import zxingcpp
from bs4 import BeautifulSoup

from conftest import ROOT, comes_true, free_port, html_pages
from test_accessibility import SCHEMES, WCAG_TAGS, axe_violations
from test_career_centers import qr_codes
from test_links import run_linkchecker
from workbook.browser import guard_network
from workbook.sitebuild import build
from workbook.staticserver import serve

EXAMPLE = ROOT / "brands" / "example.yml"
SETTINGS = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
BRAND = SETTINGS["extra"]["workbook"]["brand"]
NAME = BRAND["name"]
SITE_URL = SETTINGS["site_url"]
STEPS = ["emotions/", "feedback/", "professionalism/", "reflect/", "networking/",
         "other-opportunities/", "resilience/", "professional-help/", "support/",
         "keep-applying/"]


SUB_PATH = urlsplit(SITE_URL).path  # "/after-rejection/"


@pytest.fixture(scope="module")
def branded(tmp_path_factory) -> Path:
    """`make build BRAND=brands/example.yml`, PDFs and all, placed under the
    sub-path of its address in a web root (branded_url serves it there)."""
    out = tmp_path_factory.mktemp("branded-root") / SUB_PATH.strip("/")
    assert build(out, ROOT, config=EXAMPLE) == 0, "the example brand failed to build"
    return out


@pytest.fixture(scope="module")
def branded_pages(branded) -> dict[str, BeautifulSoup]:
    return {path: BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
            for path, file in html_pages(branded).items()}


@pytest.fixture(scope="module")
def branded_url(branded):
    with serve(branded.parent, free_port()) as url:
        yield url + SUB_PATH.lstrip("/")


@pytest.fixture
def open_branded(browser, branded_url):
    contexts = []

    def opener(path: str, **options):
        context = browser.new_context(**options)
        contexts.append((context, guard_network(context, branded_url)))
        page = context.new_page()
        page.goto(branded_url + path)
        return page

    yield opener
    for context, blocked in contexts:
        context.close()
        assert not blocked, f"requests tried to leave the machine: {blocked}"


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


# ------------------------------------------------------------ on every page

def test_every_page_shows_the_center_above_the_workbook_header(branded, branded_pages):
    logo = (EXAMPLE.parent / BRAND["logo"]).read_bytes()
    for path, soup in branded_pages.items():
        banner = soup.select_one(".md-banner .wb-brand")
        assert banner is not None, path
        assert banner.select_one(".wb-brand__name").get_text(strip=True) == NAME, path
        assert banner.select_one(".wb-brand__welcome").get_text(strip=True) == BRAND["welcome"]
        image = banner.select_one("img.wb-brand__logo")
        assert image["alt"] == "", path  # the name is written next to it
        src = urlsplit(urljoin(f"http://x/{path}", image["src"])).path.lstrip("/")
        assert (branded / src).read_bytes() == logo, path
        # The workbook's own name stays in the header.
        assert soup.select_one(".md-header__title").get_text(" ", strip=True).startswith(
            "After a job rejection"), path


def test_each_step_ends_with_a_talk_to_someone_box(branded_pages):
    with_box = sorted(p for p, s in branded_pages.items() if s.select_one(".wb-brand-box"))
    assert with_box == sorted(STEPS)
    for path in STEPS:
        article = branded_pages[path].select_one("article")
        box = article.select_one(".wb-brand-box")
        assert box.h2.get_text(strip=True) == f"Talk to someone at {NAME}"
        assert box.select_one("a.wb-brand-box__book")["href"] == BRAND["booking_url"]
        contact = BRAND["contact"]
        assert box.select_one('a[href^="tel:"]').get_text() == contact["phone"]
        assert box.select_one('a[href^="mailto:"]')["href"] == f"mailto:{contact['email']}"
        assert contact["address"] in box.get_text() and contact["hours"] in box.get_text()
        # At the end: after the page's own content, before "Last reviewed".
        assert box.find_next_sibling(class_="wb-reviewed") is not None, path
        assert box.find_previous("h2", id="worksheets") is not None, path


def test_links_json_and_the_worker_belong_to_the_center_copy(branded):
    link_map = json.loads((branded / "links.json").read_text(encoding="utf-8"))
    assert link_map["site"] == SITE_URL
    assert all(link["url"].startswith(SITE_URL) for link in link_map["links"])
    worker = (branded / "sw.js").read_text(encoding="utf-8")
    files = dict(json.loads(re.search(r"var FILES = (.*?);\n", worker).group(1)))
    logos = [path for path in files if path.startswith("assets/brand/logo-")]
    assert len(logos) == 1
    assert hashlib.sha256((branded / logos[0]).read_bytes()).hexdigest() == files[logos[0]]


def test_the_worker_keeps_the_center_copy_offline(browser, branded_url):
    context = browser.new_context(service_workers="allow")
    try:
        page = context.new_page()
        page.goto(branded_url + "emotions/")
        # The worker installed (its cache filled), or the test fails in 60 s.
        comes_true(page, "() => Promise.race([navigator.serviceWorker.ready.then(() => true),"
                         " new Promise(done => setTimeout(() => done(false), 500))])", seconds=60)
        kept = comes_true(
            page, """async () => {
                 for (const name of await caches.keys()) {
                   const cache = await caches.open(name);
                   const keys = (await cache.keys()).map(r => r.url);
                   if (keys.some(u => u.includes('/assets/brand/logo-'))
                       && keys.some(u => u.endsWith('/keep-applying/'))) return keys.length;
                 }
                 return false;
               }""", seconds=60)
        assert kept > 40
    finally:
        context.close()


# ------------------------------------------------------------ the gates

def test_linkchecker_finds_no_errors_and_no_warnings_in_the_center_copy(branded, branded_url):
    """The whole copy, PDFs too, served under its sub-path: this crawl is
    also the check that a build under a sub-path has no broken link."""
    rows = run_linkchecker(branded_url)
    problems = [f"{r['urlname']} (on {r['parentname'] or 'start'}): {r['result']} "
                f"{r['warningstring']}".strip()
                for r in rows if r["valid"] != "True" or r["warningstring"]]
    assert not problems, "\n".join(problems)
    local = [urlsplit(r["url"]) for r in rows if r["url"].startswith("http://127.0.0.1")]
    assert local and all(u.path.startswith(SUB_PATH) for u in local)
    checked = {u.path for u in local}
    assert not [p for p in html_pages(branded) if f"{SUB_PATH}{p}" not in checked]
    assert any(u.path.endswith(".pdf") for u in local) and any("#" in r["urlname"] for r in rows)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", ["emotions/", "worksheets/weekly-log/"])
def test_axe_passes_on_the_center_copy(open_branded, path, scheme):
    page = open_branded(path, color_scheme=scheme)
    page.locator(".wb-brand-box, .wb-worksheet").first.scroll_into_view_if_needed()
    violations = axe_violations(page, WCAG_TAGS + ["best-practice"])
    assert not violations, "\n".join(violations)
    # The accent colors the top bar, in both schemes.
    accent = BRAND["accent"].lstrip("#")
    rgb = tuple(int(accent[i:i + 2], 16) for i in (0, 2, 4))
    assert page.eval_on_selector(".md-header", "e => getComputedStyle(e).backgroundColor") \
        == f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})"


# ------------------------------------------------------------ on paper

FOOTER = [NAME, f"{BRAND['contact']['phone']} · {BRAND['contact']['email']}"]


def pages_without_the_center(pdf: Path) -> list[int]:
    """The pages of a PDF whose footer lacks the center's name and contact
    (a booklet's cover must name the center; its contents page has no footer)."""
    pages = pdf_pages(pdf)
    if pdf.name.startswith("workbook-"):
        cover, pages = pages[0], [None, None, *pages[2:]]
        if NAME not in cover or BRAND["booking_url"] not in cover:
            return [1]
    return [n for n, text in enumerate(pages, 1)
            if text is not None and not all(line in text for line in FOOTER)]


def test_every_pdf_page_with_a_footer_carries_the_center(branded):
    pdfs = sorted((branded / "pdf").glob("*.pdf"))
    assert len(pdfs) >= 22
    for pdf in pdfs:
        missing = pages_without_the_center(pdf)
        assert not missing, f"{pdf.name}: pages without the center's footer: {missing}"


def step_qr_codes(pdf: Path) -> list[str]:
    """The QR codes on the booklet's first page of each step."""
    pages = pdf_pages(pdf)
    starts = [n for n, text in enumerate(pages) if "This step online:" in text]
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return [code.text for n in starts
                for code in zxingcpp.read_barcodes(document[n].render(scale=3).to_pil())]
    finally:
        document.close()


def test_qr_codes_lead_to_the_center_copy(branded):
    assert qr_codes(branded / "pdf" / "weekly-log-letter.pdf") == [
        [f"{SITE_URL}worksheets/weekly-log/"]]
    assert step_qr_codes(branded / "pdf" / "workbook-a4.pdf") == [SITE_URL + p for p in STEPS]


def test_the_paper_checks_fail_on_the_workbook_own_pdfs(site, base_url):
    """Shown on PDFs made without the brand: the checks above can fail."""
    assert pages_without_the_center(site / "pdf" / "weekly-log-letter.pdf") == [1]
    assert pages_without_the_center(site / "pdf" / "workbook-letter.pdf") == [1]
    assert step_qr_codes(site / "pdf" / "workbook-a4.pdf")[0] == f"{base_url}emotions/"


def test_a_page_printed_from_the_browser_carries_the_center(open_branded, tmp_path):
    page = open_branded("emotions/")
    page.emulate_media(media="print")
    page.pdf(path=str(tmp_path / "print.pdf"), format="Letter")
    pages = pdf_pages(tmp_path / "print.pdf")
    assert len(pages) > 1 and all(line in text for text in pages for line in FOOTER)


# ------------------------------------------------------------ no trace elsewhere

def traces(site: Path) -> dict[str, list[str]]:
    marks = [NAME, "careers.example.edu", "wb-brand", "md-banner"]
    found = {path: [m for m in marks if m in file.read_text(encoding="utf-8")]
             for path, file in html_pages(site).items()}
    return {path: marks for path, marks in found.items() if marks}


def test_the_workbook_own_edition_shows_no_trace_of_a_brand(site, branded):
    assert traces(site) == {}
    assert set(traces(branded)) == set(html_pages(branded))  # the check can fail
    assert not (site / "assets" / "brand").exists()
    for pdf in ("workbook-letter.pdf", "weekly-log-a4.pdf", "facilitator-guide-letter.pdf"):
        assert not [p for p in pdf_pages(site / "pdf" / pdf) if NAME in p or "example.edu" in p]
