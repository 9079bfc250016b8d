"""Shared fixtures: build the site once, serve it on loopback, read its pages.

Like GOV.UK's design system, the tests check the built output: the site is
built once per test run (the same way `make build` builds it) and every
structural, link and browser test reads that one build.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

import sharedsite
from workbook.browser import guard_network, launch
from workbook.sitebuild import build, mkdocs_build
from workbook.staticserver import serve

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ["mkdocs.yml", "docs", "overrides", "scripts", "data"]
# A copy of the site published under a sub-path of its host.
SUBPATH_URL = sharedsite.SUBPATH_URL
free_port = sharedsite.free_port
# Under `pytest -n 2` the main process builds and serves the site once for
# every test process (sharedsite.py); a single process builds it itself.
SHARED = sharedsite.Shared.here()
BUILDS: list[sharedsite.Builds] = []


def pytest_configure(config):
    # xdist's own test for "this process hands tests to workers".
    runs_workers = (config.getoption("dist", "no") != "no" and bool(config.getoption("tx", None))
                    and not hasattr(config, "workerinput"))
    if runs_workers and not config.getoption("collectonly") and SHARED is None:
        BUILDS.append(sharedsite.Builds())
        BUILDS[0].start()


# Test files by their summed time in one run (slowest first: `pytest -n 2
# --dist loadfile --junitxml`, this machine, 2026-11-27). Under -n, xdist
# hands out whole files in this order (`--no-loadscope-reorder`, Makefile),
# so the long files start first and the short ones even out the end: the
# processes finish together instead of one waiting a minute for the other.
# A file not listed runs after these; put a slow new file in its place.
SLOWEST_FIRST = ["accessibility", "answers_kept", "worksheets", "performance", "brand", "offline",
                 "preview", "print", "build_safety", "pdfs", "career_centers", "checklists",
                 "registry", "page_start", "links", "situations", "changes", "html_valid"]


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        name = item.path.stem.removeprefix("test_")
        return SLOWEST_FIRST.index(name) if name in SLOWEST_FIRST else len(SLOWEST_FIRST)
    items.sort(key=rank)  # stable: each file keeps its own order


def pytest_unconfigure(config):
    for builds in BUILDS:
        builds.close()


@pytest.fixture(scope="session")
def port() -> int:
    return SHARED.port if SHARED else free_port()


@pytest.fixture(scope="session")
def base_url(port) -> str:
    return f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="session")
def site(tmp_path_factory, base_url) -> Path:
    """The site, built once, with its public address set to the test server."""
    if SHARED:
        return SHARED.site()
    out = tmp_path_factory.mktemp("built") / "site"
    code = build(out, ROOT, env={"SITE_URL": base_url})
    assert code == 0, "the site failed to build; see the output above"
    return out


@pytest.fixture(scope="session")
def subpath_site(tmp_path_factory, site) -> Path:
    """The site as `SITE_URL=https://example.org/after-rejection/ make build`
    makes it, placed under /after-rejection/ of a web root. Its PDFs are
    the session build's files (made for another address): this site is for
    checking links and serving, and making them again takes a quarter of a
    minute. test_pdfs.py checks the PDFs' contents."""
    if SHARED:
        return SHARED.subpath_site()
    root = tmp_path_factory.mktemp("webroot")
    assert build(root / "after-rejection", ROOT,
                 env={"SITE_URL": SUBPATH_URL, "WORKBOOK_PDFS": "0"}) == 0
    shutil.copytree(site / "pdf", root / "after-rejection" / "pdf")
    return root


@pytest.fixture(scope="session")
def served(site, port) -> str:
    if SHARED:  # the main process serves it
        yield f"http://127.0.0.1:{port}/"
        return
    with serve(site, port) as url:
        yield url


def html_pages(site: Path) -> dict[str, Path]:
    """Every content page of the built site, by its URL path ('' for home).
    The 404 page and redirect stubs (which carry no heading) are left out."""
    pages = {}
    for file in sorted(site.rglob("index.html")):
        text = file.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue
        rel = file.parent.relative_to(site).as_posix()
        pages["" if rel == "." else rel + "/"] = file
    return pages


@pytest.fixture(scope="session")
def pages(site) -> dict[str, BeautifulSoup]:
    return {path: BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
            for path, file in html_pages(site).items()}


def content(soup: BeautifulSoup):
    """The page's own content: Material's <article>, without the site chrome."""
    article = soup.select_one("article.md-content__inner")
    assert article is not None, "no <article> in the page"
    return article


def heading_text(tag) -> str:
    """A heading's words, without its ¶ permalink."""
    words = " ".join(s for s in tag.find_all(string=True)
                     if not s.find_parent("a", class_="headerlink"))
    return " ".join(words.split())


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throw-away copy of the project's sources, for fixtures that break it."""
    return copy_project(tmp_path)


def copy_project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    copy.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, copy / part)
    return copy


def build_copy(project: Path, out: Path | None = None, pdfs: bool = False):
    """Run `mkdocs build` on a project copy; return the completed process.
    PDFs are skipped unless asked for: most broken-fixture tests stop long
    before them, and the rest do not look at them."""
    env = {} if pdfs else {"WORKBOOK_PDFS": "0"}
    return mkdocs_build(out or project / "site-out", project, env)


# ------------------------------------------------------------------ browser

class Chromium:
    """The browser, whose new pages and contexts run no service worker
    unless a test asks for one (service_workers="allow"): the offline
    worker keeps the whole site, which tests of other things do not need,
    and two cores are better spent on the tests."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("service_workers", "block")
        return self._browser.new_context(**options)

    def new_page(self, **options):
        options.setdefault("service_workers", "block")
        return self._browser.new_page(**options)

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright, for the whole test run."""
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield Chromium(chromium)
        chromium.close()


@pytest.fixture
def open_page(browser, served):
    """Open site pages in a fresh context; fails the test if any request
    tried to leave 127.0.0.1."""
    contexts = []

    def opener(path: str = "", wait_until: str = "load", **context_options):
        context = browser.new_context(**context_options)
        blocked = guard_network(context, served)
        contexts.append((context, blocked))
        page = context.new_page()
        page.goto(served + path, wait_until=wait_until)
        return page

    yield opener
    for context, blocked in contexts:
        context.close()
        assert not blocked, f"requests tried to leave the machine: {blocked}"


def reload_holding(page, script: str) -> list:
    """Reload `page` with the request for `script` (a glob) held back, as a
    slow phone shows a page before its script has run; returns the held
    requests (let them go with `.continue_()`). Open the page with
    `service_workers="block"`: a worker would answer the request instead."""
    held = []

    def hold(route):
        held.append(route)
    page.route(script, hold)
    page.goto(page.url, wait_until="commit")
    return held


def comes_true(page, script: str, seconds: float = 10):
    """Wait until `script` gives a true value in the page, and return it.
    The script may return a promise: `page.wait_for_function` would take
    the promise itself as true and not wait at all."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = page.evaluate(script)
            if value:
                return value
        except PlaywrightError:  # the page was going to another address
            pass
        assert time.monotonic() < deadline, f"not true within {seconds} s: {script}"
        page.wait_for_timeout(100)


# Material's script is asked for once the first contentful paint is recorded
# (overrides/workbook/material-script.html), so `load` can come first when
# the browser has the files already; it then sets up its parts one task at a
# time (bundlepatch.py), and some (a code block's tab stop) once the page is
# laid out.
SETTLED = """() => new Promise((done, fail) => {
  const start = Date.now();
  const after = () => setTimeout(() => requestAnimationFrame(() => setTimeout(done)));
  // Material sets its parts up one task at a time (bundlepatch.py, 5).
  const wait = () => window.wbMaterialReady ? after()
    : Date.now() - start > 10000 ? fail(new Error("Material's script did not set the page up in 10 s"))
    : setTimeout(wait, 10);
  wait();
})"""


def settle(page) -> None:
    """Wait until Material's script has run and set the page up."""
    page.evaluate(SETTLED)


@pytest.fixture(scope="module")
def _tabs(browser):
    tabs: dict[str, Tab] = {}
    yield tabs
    for tab in tabs.values():
        tab.context.close()
        tab.check()


class Tab:
    """One tab of look_at, and the requests it tried to send off the
    machine that no test has been told about yet."""

    def __init__(self, browser, served: str, options: dict):
        self.context = browser.new_context(**options)
        self.blocked = guard_network(self.context, served)
        self.page = self.context.new_page()
        self.reported = 0

    def check(self) -> None:
        new, self.reported = self.blocked[self.reported:], len(self.blocked)
        assert not new, f"requests tried to leave the machine: {new}"


@pytest.fixture
def look_at(_tabs, browser, served):
    """open_page for a test that only looks at a page (axe, the tab walk,
    reflow, print): the tests of a file share one tab per set of options,
    its site data cleared before each visit. A new tab costs a new renderer
    process, about half a second of processor time, and a run has two
    cores. Fails the test if any request tried to leave 127.0.0.1."""
    used = []

    def opener(path: str = "", wait_until: str = "load", **context_options):
        key = repr(sorted(context_options.items()))
        tab = _tabs.get(key)
        if tab is None or tab.page.is_closed():
            tab = _tabs[key] = Tab(browser, served, context_options)
        used.append(tab)
        tab.check()
        if tab.page.url.startswith(served):  # kept per tab: the origin's clearing misses it
            tab.page.evaluate("() => sessionStorage.clear()")
        tab.page.goto("about:blank")  # the last page's unload handlers run first
        tab.context.clear_cookies()
        session = tab.context.new_cdp_session(tab.page)
        session.send("Storage.clearDataForOrigin", {"origin": served.rstrip("/"), "storageTypes": "all"})
        session.detach()
        tab.page.emulate_media(media="screen")
        tab.page.goto(served + path, wait_until=wait_until)
        settle(tab.page)
        return tab.page

    yield opener
    for tab in used:
        tab.check()


# Every page, known before the build: the registry lists each one (the build
# refuses a page that is not registered), plus the 404 page.
REGISTERED_PAGES = [page["path"] for page in yaml.safe_load(
    (ROOT / "data" / "links.yml").read_text(encoding="utf-8"))["pages"]]
ALL_PAGES = REGISTERED_PAGES + ["404.html"]


def page_id(path: str) -> str:
    return path.rstrip("/") or "home"
