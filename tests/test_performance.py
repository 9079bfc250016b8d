"""The performance budget for a first visit, per page, in Chromium with a
cold cache: at most 80 KB gzip-compressed in all and 8 requests, and no
request leaving the site's origin. Figures per page: `make bench`."""

from __future__ import annotations

import shutil

import pytest

from conftest import ALL_PAGES, page_id
from workbook.pageweight import MAX_GZIP_BYTES, MAX_REQUESTS, measure
from workbook.staticserver import serve


@pytest.mark.parametrize("path", ALL_PAGES, ids=page_id)
def test_first_visit_stays_within_budget(browser, served, path):
    weight = measure(browser, served + path, served)
    assert not weight.over_budget(), (
        f"{path or '(home)'}: " + "; ".join(weight.over_budget())
        + "\n" + "\n".join(f"  {gz:>7,} B  {url}" for url, _, gz in weight.responses))
    assert weight.gzip_bytes <= MAX_GZIP_BYTES and weight.requests <= MAX_REQUESTS


def test_search_downloads_nothing_until_used_and_then_works(browser, served):
    """Search is held back until the reader opens it (overrides/workbook/
    lazy-search.html); once opened it must still find things."""
    weight = measure(browser, served + "emotions/", served)
    loaded = [url for url, _, _ in weight.responses]
    assert not [u for u in loaded if "search_index" in u or "/workers/search" in u], loaded

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.goto(served + "emotions/", wait_until="networkidle")
        page.click(".md-search__input")
        page.keyboard.type("thank-you note")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        titles = page.locator(".md-search-result__item h1").all_inner_texts()
        assert any("professionalism" in t.lower() or "thank you" in t.lower() for t in titles), titles
        assert any("search_index.json" in u for u in requests)
    finally:
        context.close()


def test_the_budget_catches_an_offsite_request(browser, served, tmp_path, site):
    """The guard is live: a page that asks another host for a font is caught."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    html = (copy / "about" / "index.html").read_text()
    (copy / "about" / "index.html").write_text(html.replace(
        "</head>", '<link rel="stylesheet" href="https://fonts.example.com/x.css"></head>'))
    with serve(copy) as url:
        weight = measure(browser, url + "about/", url)
    assert weight.offsite == ["https://fonts.example.com/x.css"]
    assert any("leaving the origin" in p for p in weight.over_budget())


def test_only_pages_with_worksheets_or_emails_load_the_worksheet_script(pages):
    for path, soup in pages.items():
        needs = bool(soup.select("[data-wb-worksheet], [data-wb-email]"))
        loads = bool(soup.select('script[src$="assets/worksheets.js"]'))
        assert needs == loads, f"{path or '(home)'}: needs {needs}, loads {loads}"
    assert any(s.select("[data-wb-worksheet]") for s in pages.values())
