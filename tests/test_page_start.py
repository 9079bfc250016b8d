"""A page's start: Material's script, patched (scripts/workbook/bundlepatch.py),
changes nothing at the top of the page once the page is parsed, since any
such change makes the browser restyle every element, and light or dark is
settled before the content is drawn. The palette still switches and is
remembered."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import material
import pytest

from workbook import bundlepatch

MATERIAL_BUNDLE = (Path(material.__file__).parent / "templates" / "assets" / "javascripts"
                   / "bundle.a5f9d56c.min.js")

# Records, from the moment the page is parsed, every change that restyles
# the whole page: <html>'s class, the body's palette attributes, and the
# color-scheme meta. Attribute records are kept only when the value really
# changed (a value set again to itself restyles nothing).
WATCH = """
window.wbChanges = [];
document.addEventListener("readystatechange", () => {
  if (document.readyState !== "interactive") return;
  const meta = (node) => node.nodeName === "META" && node.getAttribute("name") === "color-scheme";
  const log = (records) => records.forEach((record, i) => {
    const { target, attributeName: name } = record;
    if (record.type === "childList") {
      record.addedNodes.forEach((node) => meta(node) && wbChanges.push("new color-scheme meta"));
      return;
    }
    if (target.nodeName === "META" && !meta(target)) return;
    const next = records.slice(i + 1).find((r) => r.target === target && r.attributeName === name);
    const after = next ? next.oldValue : target.getAttribute(name);
    if (after !== record.oldValue) {
      wbChanges.push(`${target.nodeName.toLowerCase()} ${name}: ${record.oldValue} -> ${after}`);
    }
  });
  const options = { attributes: true, attributeOldValue: true };
  new MutationObserver(log).observe(document.documentElement, options);
  new MutationObserver(log).observe(document.body, options);
  new MutationObserver(log).observe(document.head, { ...options, childList: true, subtree: true });
});
"""


def changes_after_parsing(context, url: str):
    page = context.new_page()
    page.add_init_script(WATCH)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)  # Material unmarks "switching" a frame later
    return page, page.evaluate("wbChanges")


def palette(page) -> dict:
    return page.evaluate("""() => ({
        scheme: document.body.getAttribute('data-md-color-scheme'),
        meta: [...document.querySelectorAll('meta[name=color-scheme]')].map(m => m.content),
        switching: document.body.hasAttribute('data-md-color-switching'),
        htmlClass: document.documentElement.className})""")


@pytest.mark.parametrize("scheme, expected", [("light", "default"), ("dark", "slate")])
def test_material_start_changes_nothing_at_the_top_of_the_page(browser, served, scheme, expected):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 412, "height": 823})
    try:
        page, changes = changes_after_parsing(context, served + "worksheets/weekly-log/")
        assert changes == []
        state = palette(page)
        assert state["scheme"] == expected
        assert state["meta"] == ["light" if scheme == "light" else "dark"]
        assert not state["switching"]
        assert state["htmlClass"].split() == ["js", "js-focus-visible"]
    finally:
        context.close()


def test_the_palette_still_switches_and_is_remembered(browser, served):
    context = browser.new_context(color_scheme="light")
    try:
        page, _ = changes_after_parsing(context, served + "emotions/")
        page.click("label[for=__palette_1]")
        page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        page.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")
        assert palette(page)["meta"] == ["dark"]
        theme = page.evaluate("document.querySelector('meta[name=theme-color]:not([media])').content")
        assert theme.startswith("#")

        # The next page opens dark, and still changes nothing once parsed.
        page, changes = changes_after_parsing(context, served + "career-centers/")
        assert changes == []
        assert palette(page)["scheme"] == "slate" and palette(page)["meta"] == ["dark"]
        page.click("label[for=__palette_0]")
        page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
        assert palette(page)["meta"] == ["light"]
    finally:
        context.close()


def test_material_script_is_patched_once_and_renamed(site, pages):
    scripts = sorted((site / bundlepatch.SCRIPTS).glob("bundle.*"))
    assert len(scripts) == 1, scripts  # no unpatched copy, no source map
    text = scripts[0].read_text(encoding="utf-8")
    assert scripts[0].name == f"bundle.{hashlib.sha256(text.encode()).hexdigest()[:8]}.min.js"
    assert all(new in text for _, new in bundlepatch.PATCHES)
    assert "sourceMappingURL" not in text
    for path, soup in pages.items():  # the loader in material-script.html
        named = re.findall(r"javascripts/(bundle\.\w+\.min\.js)", str(soup))
        assert named == [scripts[0].name], path
    assert scripts[0].name in (site / "sw.js").read_text(encoding="utf-8")


def test_a_changed_material_script_stops_the_build():
    original = MATERIAL_BUNDLE.read_text(encoding="utf-8")
    patched = bundlepatch.patch(original)
    assert patched != original
    with pytest.raises(bundlepatch.PatchError, match=r"x\.js: Material's script changed .* 0 times"):
        bundlepatch.patch(patched, "x.js")  # the pieces are gone: an upgraded script
    old, _ = bundlepatch.PATCHES[1]
    with pytest.raises(bundlepatch.PatchError, match="2 times"):
        bundlepatch.patch(original + old)


# Patch 5's helpers (bundlepatch._ONE_TASK_EACH) with small stand-ins for
# RxJS's Observable (F) and merge (L) that behave as RxJS does where it
# matters: a source that ends while it is subscribed closes its subscriber,
# which runs the clean-up. Parts set up in the order Material uses: the
# page's parts listed when the page is ready (a task before the others).
PARTS = """helpers => new Promise((done) => {
  class F {
    constructor(start) { this.start = start; }
    subscribe(observer) {
      const sub = { closed: false, end: null,
        unsubscribe() { if (!sub.closed) { sub.closed = true; if (sub.end) sub.end(); } } };
      const subscriber = { next: (v) => sub.closed || observer.next(v),
                           complete: () => { if (!sub.closed) { observer.complete(); sub.unsubscribe(); } } };
      const end = this.start(subscriber);
      if (typeof end === "function") { sub.end = end; if (sub.closed) end(); }
      return sub;
    }
  }
  const L = (...sources) => new F((t) => {
    let open = sources.length;
    const subs = sources.map((o) => o.subscribe({ next: (v) => t.next(v),
                                                  complete: () => --open || t.complete() }));
    return () => subs.forEach((s) => s.unsubscribe());
  });
  const log = [];
  const part = (name, empty) => new F((t) => { log.push(name); if (empty) t.complete(); });
  (0, eval)("var F, L;" + helpers);
  window.F = F; window.L = L;
  addEventListener("wb-material-ready", () => log.push("ready:" + window.wbMaterialReady));
  setTimeout(() => wbEachLast(part("announce", true), part("content", true), part("toc"),
                              part("top")).subscribe({ next() {}, complete() {} }));
  wbEach(part("search"), part("highlight", true)).subscribe({ next() {}, complete() {} });
  setTimeout(() => done(log), 200);
})"""


def test_material_is_ready_only_when_every_part_is_set_up_once(browser):
    """wbMaterialReady (which the tests wait for) comes after the last
    part, once, also when parts have nothing to do and end at once (the
    announcement bar, a page without code or tables)."""
    page = browser.new_page()
    try:
        log = page.evaluate(PARTS, bundlepatch._ONE_TASK_EACH)
    finally:
        page.close()
    assert sorted(log[:-1]) == ["announce", "content", "highlight", "search", "toc", "top"], log
    assert log[-1] == "ready:true", log


# Records layout shifts (what Lighthouse's CLS adds up) and the paints.
SHIFTS = """
window.wbShifts = [];
new PerformanceObserver((list) => list.getEntries().forEach((entry) => wbShifts.push(
  entry.sources.map((s) => s.node ? s.node.nodeName + "." + s.node.className : "?").join(", ")
))).observe({ type: "layout-shift", buffered: true });
"""


@pytest.mark.parametrize("path", ["career-centers/", "emotions/", "master-checklist/",
                                  "worksheets/weekly-log/"])
def test_nothing_moves_once_the_text_is_drawn(browser, served, path):
    """The "Copy link" buttons are written by the build (scripts/workbook/
    copylinks.py), and the worksheet and checklist tools are in the page
    from the start (shown where JavaScript runs): scripts adding or
    showing them later pushed the text down. Material's script is asked
    for only once the text is drawn."""
    context = browser.new_context(viewport={"width": 412, "height": 823})
    try:
        page = context.new_page()
        page.add_init_script(SHIFTS)
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})  # a phone's pace
        page.goto(served + path, wait_until="networkidle")
        page.wait_for_function("document.querySelector('[data-md-component=search-query]') "
                               "&& window.wbMaterialReady === true")
        assert page.evaluate("wbShifts") == []
        fcp, bundle = page.evaluate("""() => [
            performance.getEntriesByName('first-contentful-paint')[0].startTime,
            performance.getEntriesByType('resource')
                .find(r => /javascripts\\/bundle\\./.test(r.name)).startTime]""")
        assert bundle > fcp
    finally:
        context.close()


@pytest.mark.parametrize("browser_lacks, within", [
    ("delete window.PerformanceObserver", 3000),  # the second animation frame
    ("PerformanceObserver.prototype.observe = () => { throw new TypeError('old'); }", 3000),
    ("PerformanceObserver.prototype.observe = () => {}", 8000),  # no paint told: 3 s after load
], ids=["no-observer", "observe-throws", "paint-never-told"])
def test_material_loads_where_the_first_paint_is_not_reported(browser, served, browser_lacks, within):
    """Material's script waits for the first contentful paint
    (overrides/workbook/material-script.html); a browser that cannot tell
    it still gets the script (search, light and dark, the menu)."""
    page = browser.new_page()
    try:
        page.add_init_script(browser_lacks)
        page.goto(served + "emotions/")
        page.wait_for_function("window.wbMaterialReady === true", timeout=within)
    finally:
        page.close()


@pytest.mark.parametrize("path", ["career-centers/", "career-centers/facilitator-guide/"])
def test_every_table_is_in_one_scrolling_box_once_material_has_started(browser, served, path):
    """Our link tables come in Material's scrolling box (a table wider than
    a phone scrolls inside it); Markdown's tables (the facilitator guide's)
    get theirs from Material's script, which must not wrap ours again."""
    page = browser.new_page()
    try:
        page.goto(served + path)
        page.wait_for_function("window.wbMaterialReady === true")
        boxes = page.evaluate("""() => [...document.querySelectorAll('article table')].map(table => {
            let n = 0;
            for (let e = table.parentElement; e; e = e.parentElement)
                n += e.classList.contains('md-typeset__scrollwrap');
            return n;
        })""")
    finally:
        page.close()
    assert boxes and set(boxes) == {1}, boxes


def test_copy_link_buttons_are_in_the_page_and_nowhere_else(pages, site):
    soup = pages["career-centers/"]
    headings = soup.select("article h2[id], article h3[id]")
    buttons = soup.select("article .wb-copy-link.wb-js-only[data-search-exclude] > button")
    assert len(buttons) == len(headings) > 3
    for heading in headings:
        holder = heading.find_next_sibling()
        assert holder["class"][:1] == ["wb-copy-link"]
        assert holder.button["data-wb-copy-url"] == (
            soup.select_one("link[rel=canonical]")["href"] + "#" + heading["id"])
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Copy link" not in index


@pytest.mark.parametrize("stored", ['{}', '{"color":null}', 'not json', '{"index":9}'])
def test_a_stored_palette_material_cannot_use_does_not_break_the_switch(browser, served, stored):
    """Material's script fails on these (the switch disappears) and shows the
    light scheme on a dark phone; the page start removes them, or reads a
    bare number as Material does."""
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        page.add_init_script(f"if (!sessionStorage.wbSet) {{ sessionStorage.wbSet = 1; "
                             f"localStorage.setItem('/.__palette', {stored!r}); }}")
        page.add_init_script(WATCH)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(served + "emotions/", wait_until="networkidle")
        page.wait_for_timeout(300)
        assert page.evaluate("wbChanges") == [] and errors == []
        assert palette(page)["scheme"] == "slate" and palette(page)["meta"] == ["dark"]
        assert page.locator("label[for=__palette_0]").is_visible()  # the switch to light
    finally:
        context.close()
