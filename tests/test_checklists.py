"""Checklists from data/checklists.yml: rendering, escaping, bad data, saving
in the browser, and printing. The data is read here with plain YAML."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, build_copy, reload_holding
from test_build_safety import edit, failed_build

DATA = yaml.safe_load((ROOT / "data" / "checklists.yml").read_text(encoding="utf-8"))["checklists"]
BY_ID = {c["id"]: c for c in DATA}
STEPS = [c for c in DATA if c.get("section")]
# Where each list must be shown, besides the master checklist for the steps.
PLACES = {c["id"]: c["section"] for c in STEPS} | {
    "first-48-hours": "", "weekly-routine": "keep-applying/"}


def rendered(soup, checklist_id):
    return soup.select(f'fieldset[data-wb-checklist="{checklist_id}"]')


def items_of(fieldset):
    return [(li["data-wb-item"], li.select_one(".wb-checklist__text").get_text())
            for li in fieldset.select("li")]


# --------------------------------------------------------------- rendering

def test_the_required_checklists_exist():
    assert len(STEPS) == 10, "one 'Do this now' list per step"
    assert {"first-48-hours", "weekly-routine"} <= set(BY_ID)


@pytest.mark.parametrize("checklist_id", list(PLACES))
def test_each_list_appears_once_on_its_page_with_every_item_in_order(pages, checklist_id):
    data = BY_ID[checklist_id]
    found = rendered(pages[PLACES[checklist_id]], checklist_id)
    assert len(found) == 1, f"{checklist_id} is shown {len(found)} times on its page"
    assert items_of(found[0]) == [(i["id"], i["text"]) for i in data["items"]]
    details = [d.get_text() for d in found[0].select(".wb-checklist__detail")]
    assert details == [i["detail"] for i in data["items"] if "detail" in i]
    # Each item is a real, labelled checkbox.
    for li in found[0].select("li"):
        box = li.select_one("input[type=checkbox]")
        assert box is not None and li.select_one(f'label[for="{box["id"]}"]') is not None


def test_step_lists_sit_under_do_this_now(pages):
    for data in STEPS:
        heading = pages[data["section"]].find(id="do-this-now")
        assert heading.find_next("fieldset")["data-wb-checklist"] == data["id"]


def test_master_checklist_has_every_step_list_in_order_and_nothing_else(pages):
    master = pages["master-checklist/"]
    shown = master.select("[data-wb-master] fieldset[data-wb-checklist]")
    assert [f["data-wb-checklist"] for f in shown] == [c["id"] for c in STEPS]
    for fieldset, data in zip(shown, STEPS, strict=True):
        assert fieldset.legend.get_text(strip=True) == data["title"]
        assert items_of(fieldset) == [(i["id"], i["text"]) for i in data["items"]]
    assert len(master.select("article input[type=checkbox]")) == sum(len(c["items"]) for c in STEPS)


def test_item_links_point_to_the_registered_section(pages):
    for data in DATA:
        page = PLACES[data["id"]]
        fieldset = rendered(pages[page], data["id"])[0]
        for item, li in zip(data["items"], fieldset.select("li"), strict=True):
            link = li.select_one("a.wb-checklist__link")
            if "link" not in item:
                assert link is None
                continue
            target_page, _, anchor = item["link"].partition("#")
            href = link["href"]
            if href.startswith("#"):
                href = page + href
            else:
                href = re.sub(r"^(\.\./)+", "", href)
            assert href == item["link"], f"{data['id']}/{item['id']}: {link['href']}"
            assert pages[target_page].find(id=anchor) is not None


def test_data_text_is_shown_as_typed_never_as_markup(project_copy, tmp_path):
    nasty = '<script>alert("x")</script> <b>bold</b> *stars* _under_ {{ jinja }} & done'
    edit(project_copy / "data" / "checklists.yml",
         "        text: Write down how you feel, in one sentence.",
         "        text: " + yaml.safe_dump(nasty, default_style="'").strip())
    out = tmp_path / "out"
    result = build_copy(project_copy, out)
    assert result.returncode == 0, result.stderr
    for page in ("emotions", "master-checklist"):
        soup = BeautifulSoup((out / page / "index.html").read_text(), "html.parser")
        item = soup.select_one('[data-wb-item="name-feeling"]')
        assert item.select_one(".wb-checklist__text").get_text() == nasty
        assert not item.select("script, b, em, strong")


# ----------------------------------------------------------------- bad data

BAD_DATA = [
    ("yaml-syntax", "    title: \"Step 2: Seeking feedback\"\n", "    title: [Step 2\n",
     r"data/checklists\.yml:\d+:\d+: YAML syntax error"),
    ("missing-text", "        text: Take a short break and do one calming thing.\n", "",
     r"data/checklists\.yml:\d+:\d+: checklists\[0\]\.items\[1\]: 'text' is required"),
    ("empty-text", "        text: Take a short break and do one calming thing.\n", "        text: ''\n",
     r"data/checklists\.yml:\d+:\d+: checklists\[0\]\.items\[1\]\.text: 'text' must not be empty"),
    ("wrong-type", "        text: Take a short break and do one calming thing.\n", "        text: [a, b]\n",
     r"checklists\[0\]\.items\[1\]\.text: 'text' should be string, but it is a list"),
    ("duplicate-checklist", "  - id: feedback\n", "  - id: emotions\n",
     r"checklists\[1\]\.id: checklist id 'emotions' is used twice \(first at "
     r"data/checklists\.yml:\d+:\d+: checklists\[0\]\)"),
    ("duplicate-item", "      - id: take-break\n", "      - id: name-feeling\n",
     r"checklists\[0\]\.items\[1\]\.id: item id 'name-feeling' is used twice in this checklist"),
    ("missing-page", "        link: emotions/#managing-disappointment\n",
     "        link: feelings/#managing-disappointment\n",
     r"checklists\[0\]\.items\[0\]\.link: link 'feelings/#managing-disappointment' is not a "
     r"page or section of the site"),
    ("missing-anchor", "        link: emotions/#managing-disappointment\n",
     "        link: emotions/#no-such-section\n",
     r"checklists\[0\]\.items\[0\]\.link: link 'emotions/#no-such-section' is not a page"),
    ("missing-field-id", "      - id: take-break\n        text:", "      - text:",
     r"checklists\[0\]\.items\[1\]: 'id' is required"),
]


@pytest.mark.parametrize("name, old, new, message", BAD_DATA, ids=[b[0] for b in BAD_DATA])
def test_bad_checklist_data_stops_the_build_naming_file_and_place(project_copy, name, old, new, message):
    edit(project_copy / "data" / "checklists.yml", old, new)
    output = failed_build(project_copy)
    assert re.search(message, output), output


def test_a_macro_naming_an_unknown_checklist_stops_the_build(project_copy):
    edit(project_copy / "docs" / "support.md", '{{ checklist("support") }}', '{{ checklist("suport") }}')
    output = failed_build(project_copy)
    assert ("docs/support.md: checklist('suport'): there is no checklist with that id in "
            "data/checklists.yml") in output


# ------------------------------------------------------------------ browser

def test_a_tick_survives_a_reload_and_shows_on_the_master_list(open_page):
    page = open_page("emotions/")
    page.check("#check--emotions--take-break")
    page.reload()
    assert page.is_checked("#check--emotions--take-break")
    assert not page.is_checked("#check--emotions--name-feeling")
    assert "1 of 3 done" in page.inner_text('[data-wb-checklist="emotions"] [data-wb-progress]')
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('wb-checklist:emotions'))")
    assert stored == {"v": 1, "done": ["take-break"]}
    page.goto(page.url.replace("emotions/", "master-checklist/"))
    assert page.is_checked("#check--emotions--take-break")


def test_keyboard_space_ticks_and_saves(open_page):
    page = open_page("feedback/")
    page.focus("#check--feedback--pick-one")
    page.keyboard.press("Space")
    page.reload()
    assert page.is_checked("#check--feedback--pick-one")


def test_reset_clears_only_its_own_list(open_page):
    page = open_page("master-checklist/")
    page.check("#check--support--share")
    page.check("#check--reflect--went-well")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click('[data-wb-checklist="support"] [data-wb-reset]')
    assert page.is_checked("#check--support--share"), "a cancelled reset still cleared"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click('[data-wb-checklist="support"] [data-wb-reset]')
    assert not page.is_checked("#check--support--share")
    page.reload()
    assert not page.is_checked("#check--support--share")
    assert page.is_checked("#check--reflect--went-well")


def test_ticks_of_items_not_on_the_page_are_kept(open_page):
    """Saving keeps ticks it does not know (an item shown elsewhere, or
    removed from the data for now): a reader's progress is never dropped."""
    page = open_page("emotions/")
    page.evaluate("""() => localStorage.setItem('wb-checklist:emotions',
                      JSON.stringify({v: 1, done: ['retired-item']}))""")
    page.reload()
    page.check("#check--emotions--name-feeling")
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('wb-checklist:emotions'))")
    assert stored["done"] == ["retired-item", "name-feeling"]


def test_without_javascript_the_lists_still_read(open_page):
    page = open_page("master-checklist/", java_script_enabled=False)
    assert page.locator("[data-wb-master] input[type=checkbox]").count() == sum(
        len(c["items"]) for c in STEPS)
    assert page.locator("text=Keep every message calm and polite.").is_visible()
    assert not page.locator("[data-wb-reset]").first.is_visible()


# -------------------------------------------------------------------- print

@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_master_checklist_prints_on_one_sheet(open_page, paper):
    page = open_page("master-checklist/")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format=paper)))
    assert len(pdf.pages) == 1, f"{len(pdf.pages)} sheets at {paper}"
    text = pdf.pages[0].extract_text()
    for data in STEPS:
        assert data["items"][-1]["text"][:25] in text


def test_boxes_print_as_clear_squares_and_ticks_as_ticks(open_page):
    page = open_page("master-checklist/")
    page.check("#check--emotions--take-break")
    page.emulate_media(media="print")
    boxes = page.evaluate("""() => ['take-break', 'name-feeling'].map(id => {
        const box = document.querySelector('#check--emotions--' + id + ' + label .wb-box');
        const s = getComputedStyle(box), tick = getComputedStyle(box, '::after');
        return {border: parseFloat(s.borderTopWidth), color: s.borderTopColor,
                style: s.borderTopStyle, width: box.getBoundingClientRect().width,
                tick: tick.content !== 'none' && tick.content !== 'normal'
                      && parseFloat(tick.borderBottomWidth) > 1};
    })""")
    ticked, empty = boxes
    for box in boxes:
        assert box["border"] >= 1.5 and box["style"] == "solid" and box["color"] == "rgb(0, 0, 0)"
        assert box["width"] >= 12, "box too small to see on paper"
    assert ticked["tick"] and not empty["tick"]


def test_a_tick_made_before_the_script_starts_is_kept_and_saved(open_page):
    """A slow phone shows the list before its script has put the saved
    ticks back; a tick made in that moment stays and is saved."""
    page = open_page("emotions/", service_workers="block")  # routes see every request
    page.check("#check--emotions--take-break")
    held = reload_holding(page, "**/assets/workbook.js")
    page.wait_for_selector("#check--emotions--name-feeling", state="attached")
    page.check("#check--emotions--name-feeling")
    assert held, "the page's script was not asked for"
    held[0].continue_()
    page.wait_for_function("() => window.workbook")
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('wb-checklist:emotions'))")
    assert sorted(stored["done"]) == ["name-feeling", "take-break"]
    assert "2 of 3 done. Saved" in page.inner_text('[data-wb-checklist="emotions"] [data-wb-progress]')


def test_back_does_not_tick_again_what_another_window_unticked(open_page):
    """Coming back with Back, the browser would tick the boxes as they were
    when the page was left, after the saved ticks were shown."""
    page = open_page("emotions/")
    page.check("#check--emotions--take-break")
    page.goto(page.url.replace("emotions/", "feedback/"))
    other = page.context.new_page()
    other.goto(page.url.replace("feedback/", "emotions/"))
    other.uncheck("#check--emotions--take-break")
    other.close()
    page.go_back()
    page.wait_for_function("() => window.workbook")
    page.wait_for_timeout(500)  # the browser's own restoring comes after `load`
    assert not page.is_checked("#check--emotions--take-break")
    assert "0 of 3 done" in page.inner_text('[data-wb-checklist="emotions"] [data-wb-progress]')
