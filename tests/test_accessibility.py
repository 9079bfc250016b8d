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

# Where the focus is, whether a focus ring is drawn (on the control, or on
# the label Material draws it on for its visually hidden palette switch),
# and whether anything covers the control's middle.
FOCUS_STATE = "() => { " + SHOWN_FOR + """
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const shown = shownFor(e);
  const s = getComputedStyle(shown);
  const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const r = shown.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  const covered = !(top && (shown === top || shown.contains(top) || top.contains(shown)));
  return {id: e.dataset.wbControl, html: e.outerHTML.slice(0, 100), ring,
          covered: covered || r.bottom <= 0 || r.top >= innerHeight};
}"""


def focus_problems(page) -> tuple[str | None, list[str]]:
    state = page.evaluate(FOCUS_STATE)
    if state is None:
        return None, []
    if state["covered"]:  # Material fades overlays out; look again after it
        page.wait_for_timeout(400)
        state = page.evaluate(FOCUS_STATE)
    problems = []
    if not state["ring"]:
        problems.append(f"no visible focus ring: {state['html']}")
    if state["covered"]:
        problems.append(f"focused control is covered or off screen: {state['html']}")
    return state["id"], problems


# Every page is walked at phone width. At desktop width the page's own
# controls are the same ones in the same order; what changes is the frame
# around them (the menu and the contents list beside the page, the header's
# search field), drawn by the same template on every page of a kind. So the
# wide walk takes one page of each kind, and the longest: a tab walk costs
# a frame per control, thousands in all, on two cores.
WIDE_WALK = ["", "emotions/", "feedback/", "master-checklist/", "worksheets/",
             "worksheets/weekly-log/", "worksheets/support-map/", "emails/", "situations/",
             "situations/runner-up/", "career-centers/", "career-centers/hosting/", "404.html"]
WALKS = [(path, 375) for path in ALL_PAGES] + [(path, 1280) for path in WIDE_WALK]


@pytest.mark.parametrize("path, width", WALKS, ids=[f"{page_id(p)}-{w}" for p, w in WALKS])
def test_every_control_is_reachable_by_tab_with_a_visible_focus_ring(look_at, path, width):
    page = look_at(path, viewport={"width": width, "height": 800})
    controls = page.evaluate(FOCUSABLE)
    assert controls, "no interactive control found"
    reached, problems = set(), []
    for _ in range(len(controls) * 2 + 10):
        page.keyboard.press("Tab")
        control, found = focus_problems(page)
        problems += found
        if control is not None:
            reached.add(int(control))
        if len(reached) == len(controls):
            break
    missed = [html for i, html in enumerate(controls) if i not in reached]
    assert not missed, f"not reachable with Tab: {missed}"
    assert not problems, "\n".join(problems)


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
