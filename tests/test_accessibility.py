"""Accessibility in a real browser: axe-core on every page in both colour
schemes, keyboard access with a visible, unobscured focus ring, and reflow
at 320 px. WCAG 2.2 AA."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import ALL_PAGES, page_id

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCHEMES = {"light": "default", "dark": "slate"}
# What the dark scheme changes: colours only (Material swaps its colour
# variables; the page and its layout stay the same).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
AXE = Axe()


def axe_violations(page, tags=None, rules=None) -> list[str]:
    options = {"resultTypes": ["violations"]}
    if tags:
        options["runOnly"] = {"type": "tag", "values": tags}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = AXE.run(page, options=options)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]} "
            f"{v['nodes'][0].get('failureSummary', '')}"
            for v in result.response["violations"]]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", ALL_PAGES, ids=page_id)
def test_axe_finds_no_violation(look_at, path, scheme):
    """axe's WCAG 2.0/2.1/2.2 A and AA rules, and its best practices too
    (such as a name for the search dialog, which plain Material lacks). In
    the dark scheme, only what it changes: the colours' contrast."""
    page = look_at(path, color_scheme=scheme)
    # The system setting picked the palette (the test is not checking light twice).
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme]
    if scheme == "dark":
        violations = axe_violations(page, rules=COLOUR_RULES)
    else:
        violations = axe_violations(page, WCAG_TAGS + ["best-practice"])
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_open_menu_and_search_results_pass_axe(open_page, scheme):
    """The states a phone reader opens: the menu drawer, and search with
    results showing."""
    page = open_page("emotions/", color_scheme=scheme, viewport={"width": 375, "height": 740})
    page.click("[data-wb-drawer-button]")
    page.wait_for_timeout(400)
    assert not axe_violations(page, WCAG_TAGS + ["best-practice"])
    page.reload(wait_until="networkidle")
    page.click("label.md-header__button[for=__search]")
    page.keyboard.type("feedback")
    page.wait_for_selector(".md-search-result__item")
    page.wait_for_timeout(800)  # let Material's fade-in finish
    violations = axe_violations(page, WCAG_TAGS + ["best-practice"])
    assert not violations, "\n".join(violations)


# ----------------------------------------------------------------- keyboard

# Number every control a keyboard user should reach (visible, enabled, not
# taken out of the tab order), so the tab walk can tell them apart. A radio
# group counts once: Tab enters it, arrow keys move within it.
# A control that is drawn by something else: Material's palette switch
# (the label after it) and our checkboxes (invisible, under their label).
SHOWN_FOR = """const shownFor = e =>
  e.matches('.md-option') ? e.nextElementSibling
  : (parseFloat(getComputedStyle(e).opacity) === 0 && e.labels && e.labels[0]) || e;"""

FOCUSABLE = SHOWN_FOR + """; return [...document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]')]
  .filter(e => !e.disabled && e.tabIndex >= 0 && e.type !== 'hidden')
  .filter(e => { const shown = shownFor(e);
                 const s = getComputedStyle(shown), r = shown.getBoundingClientRect();
                 return s.visibility !== 'hidden' && s.display !== 'none'
                        && r.width > 0 && r.height > 0
                        && !e.closest('[hidden], [inert], [aria-hidden=true]'); })
  .reduce((out, e) => {
    // A group of radio buttons is one Tab stop (arrow keys move inside it).
    const group = e.type === 'radio' && e.name ? 'radio:' + e.name : null;
    const known = group ? out.groups[group] : undefined;
    e.dataset.wbControl = known !== undefined ? known : out.list.length;
    if (known === undefined) {
      if (group) out.groups[group] = out.list.length;
      out.list.push(e.outerHTML.slice(0, 100));
    }
    return out;
  }, {list: [], groups: {}}).list"""
FOCUSABLE = "() => { " + FOCUSABLE + " }"

# Whether a control shows a focus ring (on the control, or on the label
# Material draws it on for its visually hidden palette switch), and whether
# anything covers its middle.
STATE_OF = SHOWN_FOR + """; const stateOf = e => {
  const shown = shownFor(e);
  const s = getComputedStyle(shown);
  const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const r = shown.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  const covered = !(top && (shown === top || shown.contains(top) || top.contains(shown)));
  return {id: e.dataset.wbControl, html: e.outerHTML.slice(0, 100), ring, took: true,
          covered: covered || r.bottom <= 0 || r.top >= innerHeight};
}"""
# The control that has focus, or null.
FOCUS_STATE = "() => { " + STATE_OF + """;
  const e = document.activeElement;
  return !e || e === document.body ? null : stateOf(e); }"""
# Focus each numbered control from the script, in turn (all, or those in
# `ids`), and say how each looks. After a real Tab the browser draws focus
# moved by a script as it draws the keyboard's (:focus-visible).
FOCUS_EACH = "(ids) => { " + STATE_OF + """;
  const seen = new Set();
  return [...document.querySelectorAll('[data-wb-control]')].filter(e => {
    const id = e.dataset.wbControl;
    if (seen.has(id) || (ids && !ids.includes(Number(id)))) return false;
    seen.add(id);
    return true;
  }).map(e => {
    e.focus({focusVisible: true});
    return document.activeElement === e ? stateOf(e)
      : {id: e.dataset.wbControl, html: e.outerHTML.slice(0, 100), took: false};
  }); }"""


def problems_of(state: dict) -> list[str]:
    if not state["took"]:
        return [f"does not take focus: {state['html']}"]
    problems = []
    if not state["ring"]:
        problems.append(f"no visible focus ring: {state['html']}")
    if state["covered"]:
        problems.append(f"focused control is covered or off screen: {state['html']}")
    return problems


def focus_problems(page) -> tuple[str | None, list[str]]:
    state = page.evaluate(FOCUS_STATE)
    if state is None:
        return None, []
    if state["covered"]:  # Material fades overlays out; look again after it
        page.wait_for_timeout(400)
        state = page.evaluate(FOCUS_STATE)
    return state["id"], problems_of(state)


def each_control_problems(page, ids: list[int] | None = None) -> list[str]:
    """Focus every control (or those in `ids`) from the script, as the tab
    walk would reach it; what is wrong with each."""
    states = page.evaluate(FOCUS_EACH, ids)
    covered = [int(s["id"]) for s in states if s["took"] and s["covered"]]
    if covered:
        # Material fades overlays out: look again after it. The search box
        # a focused search field opened covers the header until the
        # keyboard leaves it (focus moved by a script does not close it).
        if page.evaluate("() => document.getElementById('__search')?.checked"):
            page.keyboard.press("Escape")
        page.wait_for_timeout(400)
        again = {s["id"]: s for s in page.evaluate(FOCUS_EACH, covered)}
        states = [again.get(s["id"], s) for s in states]
    return [problem for state in states for problem in problems_of(state)]


def tab_walk(page, wanted: set[int], skip: str | None = None) -> tuple[set[int], list[str]]:
    """Press Tab until every control in `wanted` was reached (or twice as
    many times as there are); the controls reached and what is wrong with
    them. With `skip` (a selector), the walk jumps over that part of the
    page: on reaching its first control, focus moves to its last."""
    reached, problems = set(), []
    for _ in range(len(wanted) * 2 + 10):
        page.keyboard.press("Tab")
        control, found = focus_problems(page)
        problems += found
        if control is not None:
            reached.add(int(control))
            if skip and page.evaluate(JUMP, skip):
                skip = None
        if wanted <= reached:
            break
    return reached, problems


# The numbers of the controls in the page's own text (its <article>).
IN_ARTICLE = """() => [...new Set([...document.querySelectorAll('article [data-wb-control]')]
                             .map(e => Number(e.dataset.wbControl)))]"""
# Focus the last numbered control inside `part` if focus has just entered it.
JUMP = """(part) => {
  const box = document.activeElement.closest(part);
  if (!box) return false;
  const inside = box.querySelectorAll('[data-wb-control]');
  inside[inside.length - 1].focus();
  return true;
}"""


# The tab walk presses Tab through a page until every control has had
# focus, and checks each one's focus ring. A key press costs the browser a
# frame (about 15 ms of processor time), thousands per run on two cores, so
# it walks one page of each kind, the longest (WIDE_WALK), at both widths,
# and a page for each kind of control (worksheets with tick boxes and with
# radio buttons): the template of a kind puts its controls in the same
# order on each of its pages. At desktop width the page's own controls are
# the ones walked at phone width, in the same order; what changes is the
# frame around them (the menu and the contents list beside the page, the
# header's search field), so that walk jumps over the article. Every
# control on every page, at each width walked, is also focused from the
# script (cheap): it must take focus, show a ring and not be covered.
WIDE_WALK = ["", "emotions/", "feedback/", "master-checklist/", "worksheets/",
             "worksheets/weekly-log/", "worksheets/support-map/",
             "worksheets/processing-the-news/", "worksheets/asking-for-feedback/",  # tick boxes, radios
             "emails/", "situations/",
             "situations/runner-up/", "career-centers/", "career-centers/hosting/", "404.html"]
WALKS = [(path, 375) for path in ALL_PAGES] + [(path, 1280) for path in WIDE_WALK]


@pytest.mark.parametrize("path, width", WALKS, ids=[f"{page_id(p)}-{w}" for p, w in WALKS])
def test_every_control_is_reachable_by_tab_with_a_visible_focus_ring(look_at, path, width):
    page = look_at(path, viewport={"width": width, "height": 800})
    controls = page.evaluate(FOCUSABLE)
    assert controls, "no interactive control found"
    if path in WIDE_WALK:
        # At desktop width, the article's controls are the ones walked at
        # phone width: the walk jumps over them.
        skipped = set(page.evaluate(IN_ARTICLE)) if width > 375 else set()
        wanted = set(range(len(controls))) - skipped
        reached, problems = tab_walk(page, wanted, skip="article" if skipped else None)
        missed = [controls[i] for i in sorted(wanted - reached)]
        assert not missed, f"not reachable with Tab: {missed}"
    else:
        page.keyboard.press("Tab")  # the keyboard's focus, drawn as such
        problems = []
    problems += each_control_problems(page)
    assert not problems, "\n".join(problems)


def test_the_focus_check_fails_on_a_hidden_ring_a_covered_control_and_a_refusal(look_at):
    """each_control_problems can fail: a page whose links lose their ring,
    whose article is covered, and whose one button sends focus away."""
    page = look_at("emotions/", viewport={"width": 375, "height": 800})
    page.evaluate(FOCUSABLE)
    page.keyboard.press("Tab")
    assert each_control_problems(page) == []
    page.add_style_tag(content=".md-content .md-typeset a:focus-visible { outline: none !important; }")
    page.evaluate("""() => {
      const cover = document.createElement('div');
      cover.style.cssText = 'position:fixed;inset:0;z-index:9;pointer-events:auto';
      document.querySelector('article').append(cover);
      const button = document.querySelector('[data-wb-drawer-button]');
      button.addEventListener('focus', () => document.body.focus() || button.blur());
    }""")
    found = " ".join(each_control_problems(page))
    assert "no visible focus ring: <a" in found
    assert "focused control is covered or off screen" in found
    assert "does not take focus: <button" in found


def test_the_phone_menu_opens_and_closes_from_the_keyboard(open_page):
    page = open_page("emotions/", viewport={"width": 375, "height": 740})
    button = page.locator("[data-wb-drawer-button]")
    assert button.get_attribute("aria-expanded") == "false"
    assert not page.locator(".md-sidebar--primary a[href='../feedback/']").is_visible()
    for _ in range(10):  # Tab until the menu button has focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('[data-wb-drawer-button]')"):
            break
    else:
        raise AssertionError("Tab never reached the menu button")
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator(".md-sidebar--primary a[href='../feedback/']").is_visible()
    assert page.evaluate("() => !!document.activeElement.closest('.md-sidebar--primary')"), \
        "focus did not move into the menu"
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.matches('[data-wb-drawer-button]')")
    assert not page.locator(".md-sidebar--primary a[href='../feedback/']").is_visible()


# Focus is on something the reader can see: nothing lies over it (at the
# middle of its part inside the window), and neither it nor what holds it
# is transparent or hidden. Scrolled to at once first: the browser may
# still be scrolling to it, smoothly. Material's phone menu snaps its list
# to a link's top, which can leave the focused link half out of the window.
SEEN = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return false;
    e.scrollIntoView({block: 'nearest', inline: 'nearest', behavior: 'instant'});
    const box = e.getBoundingClientRect();
    const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
    const x = box.left + Math.min(box.width / 2, 5), y = (top + bottom) / 2;
    return bottom > top && e.contains(document.elementFromPoint(x, y))
        && e.checkVisibility({opacityProperty: true, visibilityProperty: true});
}"""


def test_the_phone_menu_closes_when_focus_leaves_it(open_page):
    """Escape at once after Enter leaves focus on the menu button; Tab
    past the menu's last link closes the menu, so the control reached on
    the page is not hidden behind it."""
    page = open_page("emotions/", viewport={"width": 375, "height": 740})
    button = page.locator("[data-wb-drawer-button]")
    on_button = "() => document.activeElement.matches('[data-wb-drawer-button]')"
    button.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate(on_button), "focus left the menu button"
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    page.evaluate("""() => [...document.querySelectorAll('.md-sidebar--primary a[href]')]
        .filter(a => a.checkVisibility()).pop().focus()""")
    page.keyboard.press("Tab")
    page.wait_for_timeout(400)
    assert button.get_attribute("aria-expanded") == "false"
    assert not page.evaluate("() => document.activeElement.closest('.md-sidebar--primary')")
    assert page.evaluate(SEEN), "focus is hidden behind the menu"


FOCUS = "() => document.activeElement.outerHTML.slice(0, 80)"
MENU_OPEN = "document.getElementById('__drawer').checked"


def open_menu_with_the_keyboard(page):
    page.locator("[data-wb-drawer-button]").focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    assert page.evaluate("() => !!document.activeElement.closest('.md-sidebar--primary')")
    assert page.evaluate(SEEN), f"focus is on a link hidden in the menu: {page.evaluate(FOCUS)}"


@pytest.mark.parametrize("path", ["emotions/", "situations/runner-up/"])
def test_shift_tab_out_of_the_phone_menu_closes_it_on_the_menu_button(open_page, path):
    """Enter on the Menu button puts focus on the first link the reader can
    see (on a page in a section, that section's panel covers the menu's
    first level); Shift+Tab from there walks back through what is seen, and
    out: the menu closes, and focus is on the Menu button, which the open
    menu covers, not on the search box (where focus opens search)."""
    page = open_page(path, viewport={"width": 375, "height": 740})
    open_menu_with_the_keyboard(page)
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        page.wait_for_timeout(300)
        if not page.evaluate(MENU_OPEN):
            break
        assert page.evaluate(SEEN), f"focus is on something hidden: {page.evaluate(FOCUS)}"
    assert not page.evaluate(MENU_OPEN)
    page.wait_for_timeout(300)  # the menu slides out
    assert page.evaluate("() => document.activeElement.matches('[data-wb-drawer-button]')")
    assert page.evaluate(SEEN), "the Menu button is hidden"
    assert page.locator("[data-wb-drawer-button]").get_attribute("aria-expanded") == "false"
    assert not page.evaluate("document.getElementById('__search').checked"), "search opened"


@pytest.mark.parametrize("path", ["emotions/", "situations/runner-up/"])
def test_tab_in_the_open_phone_menu_reaches_only_what_the_reader_sees(open_page, path):
    """On a page in a section, the section's panel lies over the menu's
    first level: Tab from its last link went on through the hidden links
    under it, and through the closed contents list (drawn, transparent).
    Now every stop is one the reader sees, until the menu closes."""
    page = open_page(path, viewport={"width": 375, "height": 740})
    open_menu_with_the_keyboard(page)
    for _ in range(80):
        if not page.evaluate(MENU_OPEN):
            break
        assert page.evaluate(SEEN), f"focus is on something hidden in the menu: {page.evaluate(FOCUS)}"
        page.keyboard.press("Tab")
    assert not page.evaluate(MENU_OPEN), "80 Tabs did not leave the menu"
    page.wait_for_timeout(400)  # the menu slides out
    assert page.evaluate(SEEN), "focus is hidden once the menu closed"
    assert not page.evaluate("document.querySelectorAll('.wb-covered').length")


def test_the_keyboard_goes_up_and_down_the_phone_menus_levels(open_page):
    """A section's panel has a back arrow (Material's panel title, which
    answered only taps): Shift+Tab reaches it, Enter goes up a level with
    focus on the section's label, from where the first level's links are
    reachable; Space on that label goes into the section again. The page's
    contents list opens with Enter on its label and closes with Space on
    its back arrow."""
    page = open_page("situations/runner-up/", viewport={"width": 375, "height": 740})
    open_menu_with_the_keyboard(page)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.matches('.md-nav__title')"), page.evaluate(FOCUS)
    assert page.evaluate(SEEN)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    assert page.evaluate("() => document.activeElement.matches('label.md-nav__link[for=__nav_2]')"), \
        page.evaluate(FOCUS)
    assert page.evaluate(SEEN)
    step1 = "() => document.activeElement.matches(\".md-sidebar--primary a[href$='emotions/']\")"
    for _ in range(5):
        page.keyboard.press("Tab")
        assert page.evaluate(SEEN), page.evaluate(FOCUS)
        if page.evaluate(step1):
            break
    assert page.evaluate(step1), "the first level's links are not reachable after going up"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.matches('label.md-nav__link[for=__nav_2]')")
    page.keyboard.press(" ")
    page.wait_for_timeout(500)
    assert page.evaluate("document.getElementById('__nav_2').checked")
    # Focus went into the panel while it slid in: the menu's box must not
    # have scrolled sideways to it (the menu then showed an empty column).
    assert page.evaluate("""() => document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap')
        .scrollLeft === 0 && document.activeElement.getBoundingClientRect().left >= 0""")
    assert page.evaluate("() => document.activeElement.matches('a[href=\"../\"]')"), page.evaluate(FOCUS)
    assert page.evaluate(SEEN)
    # The page's contents list: its label (a tap only, in Material) opens it.
    on_toc_label = "() => document.activeElement.matches('label[for=__toc]')"
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate(on_toc_label):
            break
    assert page.evaluate(on_toc_label) and page.evaluate(SEEN), page.evaluate(FOCUS)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    assert page.evaluate("() => document.activeElement.matches('a[href=\"#what-is-going-on\"]')"), \
        page.evaluate(FOCUS)
    assert page.evaluate(SEEN)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press(" ")
    page.wait_for_timeout(500)
    assert page.evaluate(on_toc_label) and page.evaluate(SEEN), page.evaluate(FOCUS)


def test_focus_coming_back_to_the_menu_button_closes_the_phone_menu(open_page):
    """On the 404 page nothing follows the menu: Tab past its last link goes
    to the browser's own controls, and the next Tab to the Menu button,
    which the open menu covers. The menu closes."""
    page = open_page("404.html", viewport={"width": 375, "height": 740})
    open_menu_with_the_keyboard(page)
    page.evaluate("() => document.activeElement.blur()")  # out to the browser's controls
    page.locator("[data-wb-drawer-button]").focus()
    page.wait_for_timeout(400)
    assert not page.evaluate(MENU_OPEN)
    assert page.evaluate(SEEN), "the Menu button is hidden"


def test_the_phone_menu_is_closed_after_back_and_a_wider_screen_leaves_its_panel_usable(open_page):
    """The browser puts the drawer's checkbox back as it was after Back or a
    reload: the menu starts closed. Turning a tablet to a wide screen with
    the contents list open (it then leaves the menu) leaves the panel seen
    usable."""
    page = open_page("situations/runner-up/", viewport={"width": 768, "height": 1024})
    page.locator("[data-wb-drawer-button]").click()
    page.wait_for_timeout(400)
    page.locator(".md-sidebar--primary label.md-nav__link[for=__toc]").click()
    page.wait_for_timeout(400)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.wait_for_timeout(400)
    no_reply = page.locator(".md-sidebar--primary a[href='../no-reply/']")
    assert not no_reply.evaluate("a => !!a.closest('.wb-covered')")
    no_reply.focus()
    assert page.evaluate(SEEN), "the panel seen is not usable on the wider screen"
    no_reply.click()
    page.wait_for_url("**/situations/no-reply/")
    page.go_back()
    page.wait_for_function("window.wbMaterialReady === true")
    page.wait_for_timeout(300)
    assert not page.evaluate(MENU_OPEN)
    assert page.locator("[data-wb-drawer-button]").get_attribute("aria-expanded") == "false"
    assert not page.evaluate("document.querySelectorAll('.wb-covered').length")


# ------------------------------------------------------------------- reflow

@pytest.mark.parametrize("path", ALL_PAGES, ids=page_id)
def test_page_reflows_at_320_px_without_horizontal_scrolling(look_at, path):
    page = look_at(path, viewport={"width": 320, "height": 640})
    widths = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide in a 320 px window"
    # Content may scroll inside its own box where it needs two dimensions
    # (tables, code: allowed by WCAG 1.4.10), but that box must fit.
    wide = page.evaluate("""() => {
        const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
        const inFittingScroller = e => {
            for (let a = e.parentElement; a && a.tagName !== 'ARTICLE'; a = a.parentElement)
                if (scrolls(a) && a.getBoundingClientRect().right <= innerWidth + 1) return true;
            return false;
        };
        return [...document.querySelectorAll('article *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !inFittingScroller(e))
            .map(e => e.tagName + '.' + e.className).slice(0, 5);
    }""")
    assert not wide, f"content sticks out of the window: {wide}"
