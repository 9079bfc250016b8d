"""The offline, installable workbook (scripts/workbook/offline.py,
overrides/workbook/sw.js, assets/workbook.js: `offline`), in Chromium.

"No connection" is real here: the web server is stopped, so every request
the browser makes fails, as on a bus with no signal. The site is the one
published under a sub-path (conftest: subpath_site); a second, changed
build of it stands for the next version published at the same address.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import struct

import pytest

from conftest import SUBPATH_URL, comes_true, copy_project, free_port
from test_accessibility import WCAG_TAGS, axe_violations
from test_build_safety import edit, failed_build
from workbook.previewrun import RunningPreview
from workbook.sitebuild import build
from workbook.staticserver import serve

SUB = "after-rejection/"
CHANGED = "the first hours and days, as the next version says."
# The page shows `t` (while a reload starts, there is no body for a moment).
SHOWS = "t => !!document.body && document.body.innerText.includes(t)"
READY = """() => navigator.serviceWorker.ready.then(registration => new Promise(done => {
    const worker = registration.active;
    if (worker.state === "activated") done(registration.scope);
    else worker.addEventListener("statechange", () => worker.state === "activated"
                                 && done(registration.scope));
}))"""
# How the first worker ends up: "activated", or "redundant" if it failed.
SETTLED = """() => new Promise(done => {
    const look = () => navigator.serviceWorker.getRegistration().then(r => {
        const w = r && (r.installing || r.waiting || r.active);
        if (!w) return setTimeout(look, 100);
        const end = () => ["redundant", "activated"].includes(w.state) && done(w.state);
        if (!end()) w.addEventListener("statechange", end);
    });
    look();
})"""
# No cache of the workbook's at all, the list of open pages' neither.
NO_CACHE_LEFT = ("() => caches.keys().then(names =>"
                 " !names.some(n => n.startsWith('after-rejection-workbook ')))")
# The versions' caches (not the list of open pages).
OUR_CACHES = ("() => caches.keys().then(names => names.filter(n => n.startsWith('after-rejection-workbook ')"
              " && !n.endsWith(' pages')))")


@pytest.fixture(scope="module")
def next_version(tmp_path_factory, site):
    """The next version of the sub-path site: one sentence changed."""
    project = copy_project(tmp_path_factory.mktemp("next"))
    edit(project / "docs" / "emotions.md", "the first hours and days.", CHANGED)
    root = tmp_path_factory.mktemp("webroot-next")
    assert build(root / "after-rejection", project,
                 env={"SITE_URL": SUBPATH_URL, "WORKBOOK_PDFS": "0"}) == 0
    shutil.copytree(site / "pdf", root / "after-rejection" / "pdf")
    return root


@pytest.fixture
def reader(browser):
    """A reader's browser (service workers allowed) and a fixed port, so
    that the server can stop (offline) and start again (online)."""
    context = browser.new_context(service_workers="allow")
    yield context, free_port()
    context.close()


def wait_for_worker(page) -> str:
    return page.evaluate(READY)


# Worksheets cannot save (storage full); saving_works_again() undoes it.
WORKSHEETS_NOT_SAVED = """() => { const real = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
        if (key.startsWith("wb-worksheet")) throw new DOMException("full", "QuotaExceededError");
        return real.call(this, key, value); }; window.__realSetItem = real; }"""


def saving_works_again(page, field) -> None:
    """Storage works again and `field` is saved: the reader hides the
    message that says so, and the new-version notice shows."""
    page.evaluate("() => { Storage.prototype.setItem = window.__realSetItem; }")
    field.fill("Saved now")
    page.locator("[data-wb-message=saving-works]").wait_for(state="visible")
    page.click("[data-wb-messages-close]")
    page.locator("[data-wb-update]").wait_for(state="visible", timeout=10_000)


def h1(page) -> str:
    return page.locator("h1").first.inner_text()


def first_visit(context, root, port, path="emotions/"):
    page = context.new_page()
    with serve(root, port) as url:
        page.goto(url + SUB + path)
        scope = wait_for_worker(page)
    return page, url, scope


# ------------------------------------------------------------ offline use

def test_after_one_visit_every_page_worksheet_and_search_work_offline(reader, subpath_site):
    context, port = reader
    page, url, scope = first_visit(context, subpath_site, port)
    assert scope == url + SUB  # never wider than the site
    base = url + SUB
    # The manifest is linked once the page has loaded, and Chrome reads it.
    assert page.evaluate("document.querySelector('link[rel=manifest]').href") == base + "manifest.webmanifest"
    app = context.new_cdp_session(page).send("Page.getAppManifest")
    assert app["url"] == base + "manifest.webmanifest" and not app["errors"], app
    assert json.loads(app["data"])["start_url"] == "./"
    # The app is the site's folder, not the whole host (another copy on it).
    assert context.new_cdp_session(page).send("Page.getAppId")["appId"] == base
    # Offline from here on: the server is stopped.
    with pytest.raises(Exception, match="ERR_CONNECTION_REFUSED"):
        context.new_page().goto(url + "not-the-site/")
    for path, title in [("", "What to do if you don't get the job"), ("feedback/", "Step 2"),
                        ("master-checklist/", "Master checklist"),
                        ("career-centers/", "For career centers"),
                        ("situations/runner-up/", "Runner-up")]:
        page.goto(base + path)
        assert title.lower() in h1(page).lower(), (path, h1(page))
    page.goto(base + "worksheets/processing-the-news/")
    assert "processing" in h1(page).lower()
    field = page.locator("[data-wb-worksheet] textarea").first
    field.fill("Typed with no connection.")
    page.reload()
    assert page.locator("[data-wb-worksheet] textarea").first.input_value() == "Typed with no connection."
    assert not page.locator("[data-wb-messages]").is_visible()  # no "not saved" banner

    page.goto(base + "emotions/")
    page.click(".md-search__input")
    page.keyboard.type("thank-you note")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    titles = page.locator(".md-search-result__item h1").all_inner_texts()
    assert any("thank" in t.lower() for t in titles), titles


def test_a_page_never_kept_shows_the_offline_page_with_what_is_kept(reader, subpath_site):
    context, port = reader
    page, url, _ = first_visit(context, subpath_site, port)
    page.goto(url + SUB + "no-such-page/?from=a-link")
    assert h1(page) == "You are offline"
    page.wait_for_selector("[data-wb-offline-pages][data-wb-offline-checked]", state="attached")
    links = page.locator("[data-wb-offline-pages] li:not([hidden]) a")
    hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    assert url + SUB + "emotions/" in hrefs and len(hrefs) >= 25, hrefs
    assert not axe_violations(page, WCAG_TAGS + ["best-practice"])
    # The links work offline, from the page's own sub-path.
    page.click("[data-wb-offline-pages] a[href='emotions/']")
    assert "Step 1" in h1(page)


def test_pdfs_are_kept_when_opened_not_before(reader, subpath_site):
    context, port = reader
    page = context.new_page()
    opened = SUB + "pdf/master-checklist-letter.pdf"
    unopened = SUB + "pdf/master-checklist-a4.pdf"
    fetch = ("p => fetch(p).then(r => r.ok ? r.arrayBuffer().then(b => b.byteLength) : r.status,"
             " e => 'failed')")
    with serve(subpath_site, port) as url:
        page.goto(url + SUB + "master-checklist/")
        wait_for_worker(page)
        kept = page.evaluate(f"() => ({OUR_CACHES})().then(n => caches.open(n[0])).then(c => c.keys())"
                             ".then(r => r.map(x => x.url))")
        assert kept and not [k for k in kept if k.endswith(".pdf")]
        # The first version takes the first page in: a PDF opened from it is kept.
        page.wait_for_function("() => !!navigator.serviceWorker.controller")
        assert not page.locator("[data-wb-update]").is_visible()
        size = page.evaluate(fetch, url + opened)
        assert size == (subpath_site / opened).stat().st_size
    assert page.evaluate(fetch, url + opened) == size
    assert page.evaluate(fetch, url + unopened) == "failed"


def test_the_worker_keeps_nothing_when_a_file_differs_from_the_published_one(
        reader, subpath_site, tmp_path):
    """A half-finished upload: one file is not the version sw.js lists. The
    worker must not install (no cache), rather than keep a mix."""
    root = tmp_path / "root"
    shutil.copytree(subpath_site / SUB, root / SUB, ignore=shutil.ignore_patterns("pdf"))
    page_file = root / SUB / "feedback" / "index.html"
    page_file.write_text(page_file.read_text(encoding="utf-8").replace("</h1>", " (old)</h1>", 1),
                         encoding="utf-8")
    context, port = reader
    page = context.new_page()
    with serve(root, port) as url:
        page.goto(url + SUB + "emotions/")
        state = page.evaluate(SETTLED)
        assert state == "redundant"
        assert page.evaluate(OUR_CACHES) == []


# ------------------------------------------------------------ updates

def test_a_new_version_is_offered_once_and_shown_only_when_chosen(reader, subpath_site, next_version):
    context, port = reader
    page, url, _ = first_visit(context, subpath_site, port, "worksheets/processing-the-news/")
    base = url + SUB
    with serve(subpath_site, port):
        page.reload()
        page.locator("[data-wb-worksheet] textarea").first.fill("Kept through the update.")
        page.locator("[data-wb-checklist] input[type=checkbox]").first.check() if page.locator(
            "[data-wb-checklist] input[type=checkbox]").count() else None
    with serve(next_version, port):
        page.goto(base + "emotions/")
        assert CHANGED not in page.content()  # the version kept, until the reader chooses
        notice = page.locator("[data-wb-update]")
        notice.wait_for(state="visible", timeout=30_000)
        assert "answers" in notice.inner_text() and page.locator(
            "[data-wb-update-message=ready]").is_visible()
        assert not axe_violations(page, WCAG_TAGS + ["best-practice"])
        other = context.new_page()
        other.goto(base + "about/")
        other.locator("[data-wb-update]").wait_for(state="visible", timeout=30_000)
        # Nothing reloads by itself.
        page.wait_for_timeout(500)
        assert CHANGED not in page.content()

        page.click("[data-wb-update-apply]")
        page.wait_for_function(SHOWS, arg=CHANGED, timeout=20_000)
        # The other window is told, and not reloaded; what it loads from now
        # on still comes from its own (old) version, never a mix.
        other.locator("[data-wb-update-message=elsewhere]").wait_for(state="visible", timeout=10_000)
        assert "about" in other.url
        index = "() => fetch('../search/search_index.json').then(r => r.text())"
        assert CHANGED not in other.evaluate(index) and CHANGED in page.evaluate(index)
        page.goto(base + "worksheets/processing-the-news/")
        assert page.locator("[data-wb-worksheet] textarea").first.input_value() == "Kept through the update."
        # Once no page of the old version is open, its cache is deleted.
        assert len(page.evaluate(OUR_CACHES)) == 2
        other.close()
        for _ in range(30):  # each page opened tidies up (a page is forgotten 10 s after it closed)
            page.goto(base + "feedback/")
            if len(page.evaluate(OUR_CACHES)) == 1:
                break
            page.wait_for_timeout(1000)
        assert len(page.evaluate(OUR_CACHES)) == 1
    # And the new version is the one kept offline.
    page.goto(base + "emotions/")
    assert CHANGED in page.content()


def test_not_now_holds_for_the_visit(reader, subpath_site, next_version):
    context, port = reader
    page, url, _ = first_visit(context, subpath_site, port)
    with serve(next_version, port):
        page.goto(url + SUB + "feedback/")
        page.locator("[data-wb-update]").wait_for(state="visible", timeout=30_000)
        page.click("[data-wb-update-close]")
        assert not page.locator("[data-wb-update]").is_visible()
        page.goto(url + SUB + "reflect/")
        page.wait_for_timeout(1500)
        assert not page.locator("[data-wb-update]").is_visible()
        assert CHANGED not in page.content()


def open_with_notice(page, url: str, path: str) -> None:
    page.goto(url + SUB + path)
    page.locator("[data-wb-update]").wait_for(state="visible", timeout=30_000)


def test_answers_typed_just_before_updating_are_kept(reader, subpath_site, next_version):
    context, port = reader
    page, url, _ = first_visit(context, subpath_site, port, "worksheets/self-reflection/")
    with serve(next_version, port):
        open_with_notice(page, url, "worksheets/self-reflection/")
        field = page.locator("[data-wb-worksheet] textarea").first
        field.click()
        page.keyboard.type("typed a moment before")  # saved after a pause, or when the page goes
        page.click("[data-wb-update-apply]")
        page.wait_for_function("() => !document.querySelector('[data-wb-update]') || "
                               "document.querySelector('[data-wb-update]').hidden")
        page.wait_for_load_state("load")
        assert page.locator("[data-wb-worksheet] textarea").first.input_value() == "typed a moment before"


# ------------------------------------------------------------ what is published

def worker_files(site) -> tuple[str, list[list[str]]]:
    text = (site / "sw.js").read_text(encoding="utf-8")
    version = json.loads(re.search(r"var VERSION = (.*?);", text).group(1))
    files = json.loads(re.search(r"var FILES = (.*?);\n", text).group(1))
    return version, files


def test_the_worker_lists_every_published_file_with_its_hash(site, pages):
    _, files = worker_files(site)
    listed = {path: digest for path, digest in files}
    for path, digest in listed.items():
        file = site / (path + "index.html" if path == "" or path.endswith("/") else path)
        assert hashlib.sha256(file.read_bytes()).hexdigest() == digest, path
    assert set(pages) <= set(listed)  # every page
    assert "search/search_index.json" in listed and "offline.html" in listed
    assert {p for p in listed if p.startswith("assets/stylesheets/")} == {
        f"assets/stylesheets/{f.name}" for f in (site / "assets" / "stylesheets").iterdir()}
    assert not [p for p in listed if p.startswith(("pdf/", "assets/javascripts/lunr/"))
                or p.endswith(".map")]


def test_the_manifest_and_its_icons(site, pages):
    manifest = json.loads((site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["start_url"] == manifest["scope"] == "./"
    assert "id" not in manifest  # the start address is the id (test_after_one_visit...)
    assert manifest["short_name"] and len(manifest["short_name"]) <= 12
    sizes = {}
    for icon in manifest["icons"]:
        png = (site / icon["src"]).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n", icon["src"]
        width, height = struct.unpack(">II", png[16:24])
        assert icon["sizes"] == f"{width}x{height}", icon
        sizes.setdefault(icon["purpose"], set()).add(width)
    assert {192, 512} <= sizes["any"] and 512 in sizes["maskable"]
    home = pages[""]
    # Named, not linked: a link would have the browser fetch it while the
    # page is drawn (assets/workbook.js links it once the page has loaded).
    assert home.select_one('meta[name="wb-manifest"]')["content"] == "manifest.webmanifest"
    assert not [p for p in pages.values() if p.select('link[rel~="manifest"]')]
    colors = {m["media"]: m["content"] for m in home.select('meta[name="theme-color"][media]')}
    assert set(colors) == {"(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"}


def test_a_new_build_has_a_new_version(site, next_version):
    assert worker_files(site)[0] != worker_files(next_version / SUB)[0]


def test_bad_app_settings_stop_the_build(project_copy):
    edit(project_copy / "mkdocs.yml", "short_name: Job workbook", "short_name: A very long app name")
    edit(project_copy / "mkdocs.yml", 'background_color: "#1e2129"', 'background_color: "dark grey"')
    output = failed_build(project_copy)
    assert "mkdocs.yml: extra.workbook.app.short_name: 'A very long app name' must be a name of 1 to 12" \
        in output
    assert "mkdocs.yml: extra.workbook.app.dark.background_color: 'dark grey' is not a color" in output


def test_a_favicon_that_is_not_an_image_stops_the_build(project_copy):
    (project_copy / "docs" / "assets" / "favicon.svg").write_text("not an image", encoding="utf-8")
    output = failed_build(project_copy)
    assert "mkdocs.yml: theme.favicon (favicon.svg): the icon's source image drew nothing" in output


def test_our_templates_are_not_published(site):
    """overrides/workbook/ holds templates (sw.js, the PDFs' stylesheet)
    that the build reads; MkDocs would copy them into the site as they are."""
    assert not (site / "workbook").exists()


def test_a_printed_short_link_without_its_final_slash_still_leads_to_its_page(reader, subpath_site):
    """Printed sheets give short links with no final "/"; the worker sends
    them on to the address with it (relative links then work), online and
    offline."""
    context, port = reader
    page = context.new_page()
    with serve(subpath_site, port) as url:
        page.goto(url + SUB + "emotions/")
        wait_for_worker(page)
        page.goto(url + SUB + "w/processing-the-news")
        page.wait_for_url(url + SUB + "worksheets/processing-the-news/")
        assert page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position") \
            != "static"  # the stylesheets loaded
    page.goto(url + SUB + "feedback")
    page.wait_for_url(url + SUB + "feedback/")
    assert "Step 2" in h1(page)


def test_no_update_is_offered_while_something_typed_is_not_saved(reader, subpath_site, next_version):
    context, port = reader
    page, url, _ = first_visit(context, subpath_site, port, "worksheets/processing-the-news/")
    with serve(next_version, port):
        open_with_notice(page, url, "worksheets/processing-the-news/")
        page.evaluate(WORKSHEETS_NOT_SAVED)
        field = page.locator("[data-wb-worksheet] textarea").first
        field.fill("Not saved yet")
        page.locator("[data-wb-messages]").wait_for(state="visible")
        page.click("[data-wb-messages-close]")  # the reader hides the saving message
        page.wait_for_timeout(300)
        assert not page.locator("[data-wb-update]").is_visible()
        saving_works_again(page, field)  # the update is offered again


def looked_at_published_copy(page, site, tmp_path, port, then=lambda: None) -> str:
    """The published site seen on 127.0.0.1:<port> (its worker installed),
    `then` done, and the server stopped; the address."""
    root = tmp_path / "root"
    shutil.copytree(site, root, ignore=shutil.ignore_patterns("pdf"))
    with serve(root, port) as url:
        page.goto(url + "emotions/")
        wait_for_worker(page)
        then()
    return url


def preview_of_a_change(tmp_path, port) -> RunningPreview:
    """`make serve` on that address, with a sentence of the page changed."""
    project = copy_project(tmp_path)
    edit(project / "docs" / "emotions.md", "the first hours and days.", CHANGED)
    return RunningPreview(project, port, env={"WORKBOOK_PDFS": "0"})


def test_the_live_preview_removes_a_worker_left_by_a_published_copy(reader, site, tmp_path):
    """An editor looked at a published copy on 127.0.0.1:<port>, then runs
    `make serve` on the same address: the preview must be what they see."""
    context, port = reader
    page = context.new_page()
    url = looked_at_published_copy(page, site, tmp_path, port)
    with preview_of_a_change(tmp_path, port):
        page.goto(url + "emotions/")  # still the published copy, from its worker...
        page.wait_for_function(SHOWS, arg=CHANGED, timeout=30_000)
        assert page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => !r)")
        comes_true(page, NO_CACHE_LEFT)


def test_the_live_preview_is_shown_while_the_published_copys_worker_is_still_busy(
        reader, site, tmp_path):
    """The preview's worker takes over only once the published copy's
    worker has finished its work: seconds, or minutes while DevTools is
    attached (as in these tests, where it made the test above fail now and
    then). Here a download the old worker started never ends, so it never
    takes over: the open page must still show the preview, with the old
    worker and its copy gone."""
    context, port = reader
    held = []
    context.route("**/__wb-held", lambda route: held.append(route))  # never answered
    page = context.new_page()

    def keep_its_worker_busy():
        page.wait_for_function("() => !!navigator.serviceWorker.controller")
        page.evaluate("() => { fetch('../__wb-held'); }")

    url = looked_at_published_copy(page, site, tmp_path, port, keep_its_worker_busy)
    with preview_of_a_change(tmp_path, port):
        page.goto(url + "emotions/")
        assert held, "the published copy's worker did not start the download that keeps it busy"
        page.wait_for_function(SHOWS, arg=CHANGED, timeout=30_000)
        assert page.evaluate("() => !navigator.serviceWorker.controller")
        assert page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => !r)")
        comes_true(page, NO_CACHE_LEFT)


def test_a_page_with_unsaved_answers_waits_for_the_reader_before_showing_the_preview(
        reader, site, tmp_path):
    """Saving fails on a worksheet of the published copy, so what was typed
    is only on the page. The preview taking over must not reload it (found
    by a hostile test): it offers the preview once saving works again."""
    context, port = reader
    sheet = context.new_page()
    url = looked_at_published_copy(sheet, site, tmp_path, port)
    sheet.goto(url + "worksheets/processing-the-news/")
    sheet.evaluate(WORKSHEETS_NOT_SAVED)
    sheet.evaluate("() => { window.__same = 1; }")
    field = sheet.locator("[data-wb-worksheet] textarea").first
    field.fill("Only on this page")
    sheet.locator("[data-wb-message=save-failed]").first.wait_for(state="visible")
    with preview_of_a_change(tmp_path, port):
        other = context.new_page()
        other.goto(url + "emotions/")
        other.wait_for_function(SHOWS, arg=CHANGED, timeout=30_000)
        sheet.wait_for_timeout(3000)  # the preview's worker took over meanwhile
        assert sheet.evaluate("() => window.__same") == 1, "the page with unsaved answers was reloaded"
        assert field.input_value() == "Only on this page"
        assert not sheet.locator("[data-wb-update]").is_visible()
        saving_works_again(sheet, field)  # the preview is offered, and shown on request
        sheet.click("[data-wb-update-apply]")
        sheet.wait_for_load_state("load")
        assert sheet.evaluate("() => !navigator.serviceWorker.controller")
        assert "Saved now" in sheet.locator("[data-wb-worksheet] textarea").first.input_value()


FORGED = "data => navigator.serviceWorker.dispatchEvent(new MessageEvent('message', {data}))"


def test_what_the_replaced_copys_worker_kept_late_goes_and_a_live_copy_stays(reader, site, tmp_path):
    """The old worker may still be fetching (and keeping) when the page
    deletes the caches and reloads; it stops only then. The preview's page
    deletes what is left, by the note the page left in sessionStorage. A
    page that a worker controls (a published copy) never acts on the note,
    nor on a forged "wb-removed" naming every workbook cache (hostile test)."""
    context, port = reader
    page = context.new_page()
    note = "s => sessionStorage.setItem('wb-removed-caches', s + ' ')"
    prefix = "after-rejection-workbook " + f"http://127.0.0.1:{port}/"

    # Only an install writes this entry: a cache deleted and filled again lacks it.
    installed = "() => caches.match(location.origin + '/__wb-installed').then(found => !!found)"

    def note_on_a_live_copy():
        page.wait_for_function("() => !!navigator.serviceWorker.controller")
        assert page.evaluate(installed)
        # A forged "wb-removed" naming every workbook cache on the host is ignored.
        page.evaluate("() => { window.__same = 1; }")
        page.evaluate(FORGED, {"type": "wb-removed", "scope": url, "caches": "after-rejection-workbook "})
        page.wait_for_timeout(1000)
        assert page.evaluate("() => window.__same") == 1, "a forged message removed the copy"
        assert page.evaluate(installed)
        page.evaluate(note, prefix)
        page.reload()
        page.wait_for_load_state("load")
        page.wait_for_timeout(1000)
        assert page.evaluate(installed), "a page of the published copy deleted its own copy"

    url = f"http://127.0.0.1:{port}/"
    assert looked_at_published_copy(page, site, tmp_path, port, note_on_a_live_copy) == url
    with preview_of_a_change(tmp_path, port):
        page.goto(url + "emotions/")
        page.wait_for_function(SHOWS, arg=CHANGED, timeout=30_000)
        comes_true(page, NO_CACHE_LEFT)
        # Kept by the old worker after the page deleted the caches:
        keep_late = "p => caches.open(p + 'late').then(c => c.put('late', new Response('late')))"
        page.evaluate(keep_late, prefix + " ")
        page.evaluate(note, prefix)
        page.reload()
        comes_true(page, NO_CACHE_LEFT)
        assert page.evaluate("() => sessionStorage.getItem('wb-removed-caches')") is None


def test_the_first_page_keeps_its_version_when_another_window_updates(reader, subpath_site, next_version):
    """The page of a first visit, taken in by the first worker without a
    new load, also keeps loading its own version's files."""
    context, port = reader
    first, url, _ = first_visit(context, subpath_site, port, "")
    first.wait_for_function("() => !!navigator.serviceWorker.controller")
    with serve(next_version, port):
        other = context.new_page()
        open_with_notice(other, url, "about/")
        other.click("[data-wb-update-apply]")
        other.wait_for_load_state("load")
        first.locator("[data-wb-update-message=elsewhere]").wait_for(state="visible", timeout=10_000)
        index = "() => fetch('search/search_index.json').then(r => r.text())"
        assert CHANGED not in first.evaluate(index)


def test_a_version_published_again_that_fails_to_install_keeps_the_copy_in_use(
        reader, subpath_site, tmp_path):
    """The same files again, with a worker that differs (a comment) and an
    upload that is not finished: the copy in use must stay whole."""
    context, port = reader
    page, url, _ = first_visit(context, subpath_site, port)
    again = tmp_path / "again"
    shutil.copytree(subpath_site / SUB, again / SUB, ignore=shutil.ignore_patterns("pdf"))
    worker = again / SUB / "sw.js"
    worker.write_text(worker.read_text(encoding="utf-8") + "/* published again */\n", encoding="utf-8")
    offline = again / SUB / "offline.html"
    offline.write_text(offline.read_text(encoding="utf-8")[:200], encoding="utf-8")
    with serve(again, port):
        page.goto(url + SUB + "feedback/")
        page.evaluate("() => navigator.serviceWorker.getRegistration()"
                      ".then(r => r.update()).catch(() => null)")
        page.wait_for_timeout(500)  # (the worker published again fails to install)
        comes_true(page, "() => navigator.serviceWorker.getRegistration()"
                   ".then(r => !r.installing && !r.waiting)", seconds=20)
    page.goto(url + SUB + "no-such-page/")
    assert h1(page) == "You are offline"
    page.goto(url + SUB + "reflect/")
    assert "Step 4" in h1(page)
