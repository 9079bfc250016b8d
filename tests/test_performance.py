"""The performance budget for a first visit, per page, in Chromium with a
cold cache: at most 80 KB gzip-compressed in all and 8 requests, and no
request leaving the site's origin. Figures per page: `make bench`."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import material
import pytest

from conftest import ALL_PAGES, page_id
from workbook import cssprune
from workbook.pageweight import MAX_GZIP_BYTES, MAX_REQUESTS, measure
from workbook.staticserver import serve


@pytest.mark.parametrize("path", ALL_PAGES, ids=page_id)
def test_first_visit_stays_within_budget(browser, served, path):
    # Without the offline worker: on a first visit it takes over nothing
    # (what it fetches is never counted), and fetching the whole site 39
    # times costs the run half a minute. The worker's side: test_offline.py,
    # and the search check below.
    weight = measure(browser, served + path, served, offline_worker=False)
    assert not weight.over_budget(), (
        f"{path or '(home)'}: " + "; ".join(weight.over_budget())
        + "\n" + "\n".join(f"  {gz:>7,} B  {url}" for url, _, gz in weight.responses))
    assert weight.gzip_bytes <= MAX_GZIP_BYTES and weight.requests <= MAX_REQUESTS


def test_search_downloads_nothing_until_used_and_then_works(browser, served):
    """Search is held back until the reader opens it (overrides/workbook/
    lazy-search.html); once opened it must still find things."""
    weight = measure(browser, served + "emotions/", served)  # with the offline worker
    assert not weight.over_budget(), weight.over_budget()
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


# ---------------------------------------------------------- pruned CSS

def material_stylesheets() -> dict[str, str]:
    """Material's own stylesheets, by their stem: {'main': 'main.57a0d79d.min.css'}."""
    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    return {f.name.split(".")[0]: f.name for f in folder.glob("*.min.css")}


def with_full_css(site: Path, copy: Path, prune_names=None) -> Path:
    """A copy of the site whose pages load Material's full stylesheets again
    (or, with prune_names, stylesheets pruned to those names only)."""
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pdf"))
    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    ours = {f.name.split(".")[0]: f.name for f in (copy / cssprune.STYLESHEETS).glob("*.min.css")}
    for stem, original in material_stylesheets().items():
        text = (folder / original).read_text(encoding="utf-8")
        if prune_names is not None:
            text = cssprune.prune(text, prune_names)
        (copy / cssprune.STYLESHEETS / original).write_text(text, encoding="utf-8")
        for page in copy.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            page.write_text(html.replace(ours[stem], original), encoding="utf-8")
    return copy


TOGGLE = """id => { const box = document.getElementById(id);
    box.checked = !box.checked; box.dispatchEvent(new Event("change")); }"""
# Every element's computed style (and its drawn ::before and ::after), in document
# order: what the stylesheets decide, with no timing in it (unlike pixels).
# The properties that decide how a page looks, hashed in the page.
PROPERTIES = ["display", "position", "visibility", "opacity", "z-index", "float", "overflow-x",
              "overflow-y", "box-sizing", "width", "height", "min-height", "max-width", "margin-top",
              "margin-right", "margin-bottom", "margin-left", "padding-top", "padding-right",
              "padding-bottom", "padding-left", "border-top-width", "border-top-style",
              "border-top-color", "border-left-width", "border-left-style", "border-left-color",
              "border-bottom-width", "border-radius", "color", "background-color", "background-image",
              "font-family", "font-size", "font-weight", "font-style", "line-height", "text-align",
              "text-decoration-line", "text-transform", "white-space", "list-style-type", "transform",
              "box-shadow", "outline-style", "outline-color", "cursor", "content", "mask-image",
              "flex-direction", "justify-content", "align-items", "gap", "top", "left"]
STYLES = """properties => Array.from(document.querySelectorAll("*"), el => {
    let text = "";
    for (const pseudo of [null, "::before", "::after"]) {
        const style = getComputedStyle(el, pseudo);
        // A ::before or ::after without content is not drawn: its other
        // properties change nothing (and reading them is most of the time).
        if (pseudo && style.getPropertyValue("content") === "none") { text += "none\\n"; continue; }
        for (const name of properties) text += name + ":" + style.getPropertyValue(name) + "\\n";
    }
    let hash = 2166136261;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    return [el.tagName.toLowerCase() + "." + (el.getAttribute("class") || "").replace(/ /g, "."), hash];
})"""
PRUNE_PAGES = ["", "emotions/", "worksheets/weekly-log/", "career-centers/", "emails/"]


def styles(browser, root: Path, scheme: str, pages=PRUNE_PAGES, menus: bool = True) -> dict[str, list]:
    """The computed styles of a few pages, and of the open menu and search
    results, in one color scheme."""
    found = {}
    with serve(root) as url:
        context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
        try:
            page = context.new_page()
            for path in pages:
                page.goto(url + path, wait_until="networkidle")
                found[path] = page.evaluate(STYLES, PROPERTIES)
            if not menus:
                return found
            page.goto(url + "emotions/", wait_until="networkidle")
            page.evaluate(TOGGLE, "__drawer")  # the menu, as its button opens it
            page.wait_for_timeout(600)  # (it slides in)
            found["menu"] = page.evaluate(STYLES, PROPERTIES)
            page.evaluate(TOGGLE, "__drawer")
            page.evaluate(TOGGLE, "__search")
            page.focus(".md-search__input")
            page.keyboard.type("feedback")
            page.wait_for_selector(".md-search-result__item", timeout=10_000)
            page.wait_for_timeout(300)
            found["search"] = page.evaluate(STYLES, PROPERTIES)
        finally:
            context.close()
    return found


def differences(ours: dict[str, list], theirs: dict[str, list]) -> list[str]:
    out = []
    for name, elements in ours.items():
        if len(elements) != len(theirs[name]):
            out.append(f"{name or 'home'}: {len(elements)} elements, against {len(theirs[name])}")
            continue
        out += [f"{name or 'home'}: {tag}" for (tag, style), (_, other)
                in zip(elements, theirs[name], strict=True) if style != other]
    return out


def test_pruning_makes_the_stylesheets_smaller(site):
    full = sum(len(gzip.compress((Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
                                  / name).read_bytes())) for name in material_stylesheets().values())
    pruned = sum(len(gzip.compress(f.read_bytes()))
                 for f in (site / cssprune.STYLESHEETS).glob("*.min.css"))
    assert pruned < full * 0.8, (pruned, full)
    assert not list((site / cssprune.STYLESHEETS).glob("*.map"))


@pytest.fixture(scope="module")
def full_css_site(site, tmp_path_factory) -> Path:
    return with_full_css(site, tmp_path_factory.mktemp("full-css") / "site")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_look_the_same_with_the_full_and_the_pruned_stylesheets(browser, site, full_css_site, scheme):
    """Every element of each kind of page, the open menu and search results
    has the same computed style with Material's full stylesheets (in dark,
    whose rules differ only in color, two pages)."""
    pages = PRUNE_PAGES if scheme == "light" else ["emotions/", "career-centers/"]
    pruned = styles(browser, site, scheme, pages)
    full = styles(browser, full_css_site, scheme, pages)
    problems = differences(pruned, full)
    assert not problems, f"{scheme}, styled otherwise with the full stylesheets:\n" + "\n".join(problems[:20])


def test_the_style_check_sees_a_rule_pruned_by_mistake(browser, site, tmp_path):
    """The check above can fail: stylesheets pruned as if no class were used."""
    pages = ["emotions/"]
    pruned = styles(browser, site, "light", pages, menus=False)
    broken = with_full_css(site, tmp_path / "broken", prune_names=set())
    assert differences(pruned, styles(browser, broken, "light", pages, menus=False))


def test_a_rule_is_kept_when_it_can_match_and_only_then():
    names = {"md-typeset", "wb-box", "data-md-color-scheme=slate"}
    css = (".md-typeset .wb-box{color:red}.md-unused{color:blue}"
           ".md-typeset :is(.md-unused,.wb-box){margin:0}"
           "[data-md-color-scheme=slate]{--x:1}[data-md-color-scheme=other]{--x:2}"
           "a[href$='.pdf']{color:green}"
           "@media screen{.md-unused{color:blue}.wb-box{padding:0}}")
    out = cssprune.prune(css, names)
    assert ".md-typeset .wb-box{color:red}" in out
    assert ".md-unused{" not in out and "other" not in out
    assert ":is(.md-unused,.wb-box)" in out and "slate" in out and ".pdf" in out
    assert "@media screen{.wb-box{padding:0}}" in out
