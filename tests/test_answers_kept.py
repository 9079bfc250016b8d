"""Answers are never lost (issue 9), in Chromium against the built site.

The browser's storage is made to fail in the two ways readers meet: full
(filled until the browser refuses more) and refusing every write (as in
some private modes), each before the page loads and after. Damaged stored
data, hostile and foreign files, the largest answers the page allows, and
printing long links are tried too. Each case is named in the test's name.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata

import pypdf
import pytest
import yaml

from conftest import ROOT, reload_holding
from test_accessibility import WCAG_TAGS, axe_violations

SHEETS = yaml.safe_load((ROOT / "data" / "worksheets.yml").read_text(encoding="utf-8"))["worksheets"]
BY_ID = {w["id"]: w for w in SHEETS}
FORMAT = "after-rejection-workbook/answers"

# Fill storage until the browser refuses more, then free `slack` characters:
# a tiny write (the page's "can I save?" probe) may still work, a real one not.
FILL_STORAGE = """(slack) => {
  if (slack >= 0) localStorage.setItem('filler-slack', 'x'.repeat(slack));
  let chunk = 'x'.repeat(1 << 20), n = 0;
  while (chunk.length > 0) {
    try { localStorage.setItem('filler-' + n, chunk); n++; }
    catch (e) { chunk = chunk.slice(0, Math.floor(chunk.length / 2)); }
  }
  // The last few characters, one-letter keys at a time (slack < 0: none left).
  for (let c = 0; c < 200; c++) {
    try { localStorage.setItem('filler' + String.fromCharCode(0x4e00 + c), ''); } catch (e) { break; }
  }
  if (slack >= 0) localStorage.removeItem('filler-slack');
  return n;
}"""
THROWING = """() => {
  window.realSetItem = window.realSetItem || Storage.prototype.setItem;
  Storage.prototype.setItem = function () {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
}"""
FAILURES = [("full", "before"), ("full", "after"), ("throwing", "before"), ("throwing", "after")]
FAILURE_IDS = [f"{how}-{when}-load" for how, when in FAILURES]


def break_storage(page, how: str, when: str) -> None:
    """Make saving fail, before the page (re)loads or after it loaded."""
    if how == "full":
        page.evaluate(FILL_STORAGE, 5)
    elif when == "before":
        page.context.add_init_script("(" + THROWING + ")()")
    else:
        page.evaluate(THROWING)
    if when == "before":
        page.reload()


def banner(page):
    return page.locator("[data-wb-messages]")


def banner_text(page) -> str:
    """What the banner says, or "" while it is hidden (the text of a hidden
    element would otherwise still be read)."""
    return page.evaluate("""() => { const box = document.querySelector('[data-wb-messages]');
                                    return box.hidden ? '' : box.innerText; }""")


def stored(page, key: str):
    text = page.evaluate("(key) => localStorage.getItem(key)", key)
    return json.loads(text) if text is not None else None


def fid(sheet: str, field: str) -> str:
    return f"#ws--{sheet}--{field}"


def download(page, tmp_path):
    with page.expect_download() as info:
        page.click('[data-wb-action="download"]')
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def load(page, path) -> str:
    """Load a file into the worksheet; return the outcome message."""
    page.evaluate("""() => { document.querySelector('[data-wb-status]').textContent = '';
                             document.querySelector('[data-wb-error]').textContent = ''; }""")
    page.set_input_files("[data-wb-file]", str(path))
    page.wait_for_function("() => (document.querySelector('[data-wb-status]').textContent + "
                           "document.querySelector('[data-wb-error]').textContent).length > 0")
    return page.inner_text("[data-wb-status]") + page.inner_text("[data-wb-error]")


def answer_file(tmp_path, sheet: str, answers: dict, **more) -> object:
    path = tmp_path / f"{sheet}-answers.json"
    path.write_text(json.dumps({"format": FORMAT, "version": 1, "worksheet": sheet,
                                "answers": answers, **more}), encoding="utf-8")
    return path


# ---------------------------------------------- A: the email details stay

@pytest.mark.parametrize("how, when", FAILURES, ids=FAILURE_IDS)
def test_a_email_details_stay_when_storage_fails(open_page, tmp_path, how, when):
    page = open_page("worksheets/networking-tracker/")
    break_storage(page, how, when)
    prefix = "#ws--networking-tracker--email--"
    page.fill(prefix + "company", "Acme Health")
    page.fill(prefix + "your-name", "Dana")
    # What was typed stays in its box and fills the template.
    assert page.input_value(prefix + "company") == "Acme Health"
    body = page.inner_text('[data-wb-email="keep-in-touch"] [data-wb-email-part="body"]')
    assert "Acme Health" in body and "Dana" in body
    # The reader is told, and the download has what they typed.
    assert banner(page).is_visible()
    assert "not saved" in banner_text(page) or "cannot save" in banner_text(page)
    data = json.loads(download(page, tmp_path).read_text())
    assert data["details"] == {"company": "Acme Health", "your-name": "Dana"}


# ------------------------------------------------- B: ticks never lie

@pytest.mark.parametrize("how, when", FAILURES, ids=FAILURE_IDS)
def test_b_ticks_never_claim_saved_when_they_were_not(open_page, how, when):
    page = open_page("master-checklist/")
    break_storage(page, how, when)
    page.check("#check--emotions--take-break")
    page.check("#check--support--share")
    for checklist in ("emotions", "support"):
        progress = page.inner_text(f'[data-wb-checklist="{checklist}"] [data-wb-progress]')
        assert "1 of" in progress and "Saved" not in progress, progress
    assert banner(page).is_visible()
    assert page.is_checked("#check--emotions--take-break"), "the tick stays on screen"


def test_b_saving_that_works_again_says_so(open_page):
    page = open_page("master-checklist/")
    page.evaluate(FILL_STORAGE, 5)
    page.check("#check--emotions--take-break")
    assert banner(page).is_visible()
    page.evaluate("() => { for (let n = 0; n < 8; n++) localStorage.removeItem('filler-' + n); }")
    page.check("#check--emotions--name-feeling")
    assert "Saved on this device" in page.inner_text('[data-wb-checklist="emotions"] [data-wb-progress]')
    assert "Saving works again" in banner_text(page)
    assert sorted(stored(page, "wb-checklist:emotions")["done"]) == ["name-feeling", "take-break"]


def test_worksheet_typing_says_not_saved_when_storage_fails(open_page):
    page = open_page("worksheets/processing-the-news/")
    page.evaluate(THROWING)
    page.fill(fid("processing-the-news", "what-happened"), "Told no by email.")
    page.wait_for_function("() => document.querySelector('[data-wb-error]').textContent.length > 0")
    assert "Not saved" in page.inner_text("[data-wb-error]")
    assert "Saved" not in page.inner_text("[data-wb-status]")
    assert banner(page).is_visible()
    # The banner can be hidden: the same failure again does not bring it
    # back (the worksheet still says "Not saved"), a new problem does.
    page.click("[data-wb-messages-close]")
    assert not banner(page).is_visible()
    page.check(fid("processing-the-news", "strength") + "--2")
    assert not banner(page).is_visible()
    assert "Not saved" in page.inner_text("[data-wb-error]")
    page.evaluate("() => { Storage.prototype.setItem = window.realSetItem; }")
    page.fill(fid("processing-the-news", "what-happened"), "Told no by phone.")
    page.wait_for_function("() => document.querySelector('[data-wb-status]').textContent.length > 0")
    assert banner(page).is_visible() and "Saving works again" in banner_text(page)
    assert page.inner_text("[data-wb-status]") == "Saved on this device."


# ----------------------------- C: what the page accepts, its file loads back

def test_c_a_long_answer_from_an_older_page_loads_back(open_page, tmp_path):
    """The old page let a reader type 62,100 characters; their file loads."""
    page = open_page("worksheets/processing-the-news/")
    long = ("Longer than any box allows today. " * 2000)[:62_100]
    message = load(page, answer_file(tmp_path, "processing-the-news", {"did-well": long}))
    assert "loaded" in message
    assert page.input_value(fid("processing-the-news", "did-well")) == long
    assert stored(page, "wb-worksheet:processing-the-news")["answers"]["did-well"] == long


def test_c_a_table_stops_at_its_limit_and_says_so(open_page):
    page = open_page("worksheets/support-map/")
    field = page.locator('[data-wb-field="people"]')
    limit = int(field.get_attribute("data-wb-max-rows"))
    button = field.locator("[data-wb-add-row]")
    page.evaluate("""(n) => { const b = document.querySelector('[data-wb-field="people"] [data-wb-add-row]');
                              for (let i = 0; i < n; i++) b.click(); }""", limit + 5)
    assert field.locator("[data-wb-row]").count() == limit
    assert button.is_disabled()
    assert field.locator('[data-wb-full="rows"]').is_visible()


def test_c_a_box_at_its_limit_says_so(open_page):
    page = open_page("worksheets/processing-the-news/")
    box = fid("processing-the-news", "did-well")
    limit = int(page.get_attribute(box, "maxlength"))
    page.fill(box, "y" * (limit + 500))  # as a paste: the browser keeps `limit`
    assert len(page.input_value(box)) == limit
    assert page.locator('[data-wb-field="did-well"] [data-wb-full="chars"]').is_visible()


FILL_TO_THE_LIMIT = """([plain, rich]) => {
  // Every box filled to its maxlength, every table grown to its most rows,
  // every option ticked (or the last one chosen). Table cells get `plain`
  // text: thousands of cells of Chinese and emoji take Chromium minutes to
  // lay out, which is not what this test is about.
  const text = (pattern, n, lines) => {
    const p = lines ? pattern + '\\n' : pattern;
    return p.repeat(Math.ceil(n / p.length) + 1).slice(0, n);
  };
  document.querySelectorAll('[data-wb-field]').forEach((field) => {
    const max = Number(field.getAttribute('data-wb-max-rows'));
    if (max) {
      const add = field.querySelector('[data-wb-add-row]');
      for (let n = field.querySelectorAll('[data-wb-row]').length; n < max; n++) add.click();
      const rows = field.querySelectorAll('[data-wb-row]').length;
      if (rows !== max) throw new Error(`${rows} rows, not ${max}`);
    }
    field.querySelectorAll('[data-wb-input], [data-wb-column]').forEach((box) => {
      if (box.type === 'checkbox' || box.type === 'radio') box.checked = true;
      else box.value = text(box.matches('[data-wb-column]') ? plain : rich, box.maxLength,
                            box.tagName === 'TEXTAREA');
      box.dispatchEvent(new Event('input', { bubbles: true }));  // as typing does
    });
  });
  document.querySelectorAll('[data-wb-detail]').forEach((box) => {
    box.value = text(rich, box.maxLength, false);
    box.dispatchEvent(new Event('input', { bubbles: true }));
  });
}"""

# Each box as [name, length, a hash of its text, ticked]: compared one by
# one, without carrying megabytes of text out of the page twice.
SCREEN = """() => [...document.querySelectorAll('[data-wb-input], [data-wb-column], [data-wb-detail]')]
  .map((box) => {
    const text = box.value;  // once: each read of a box's value copies it
    let hash = 2166136261;
    for (let i = 0; i < text.length; i++) {
      hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    }
    return [box.name, text.length, hash >>> 0, box.checked];
  })"""


@pytest.mark.parametrize("sheet", [w["id"] for w in SHEETS])
def test_c_the_largest_answers_round_trip_field_by_field(open_page, tmp_path, sheet):
    page = open_page(f"worksheets/{sheet}/")
    page.on("dialog", lambda dialog: dialog.accept())
    # The boxes are not drawn: laying out megabytes of text costs Chromium
    # seconds a sheet, and this test is about what the file carries.
    page.add_style_tag(content="[data-wb-field] { display: none !important; }")
    # Quotes, backslashes, accents, CJK and an emoji (whose halves may be
    # split at the limit): the worst a file has to carry.
    page.evaluate(FILL_TO_THE_LIMIT, ['Zoë said "ok" \\ ', 'Zoë said "ok" \\ 東京 \U0001F600 '])
    before = page.evaluate(SCREEN)
    assert before, "no fields"
    page.wait_for_timeout(400)  # the pause after typing: saved
    path = download(page, tmp_path)
    page.click('[data-wb-action="clear"]')
    assert page.evaluate(SCREEN) != before
    message = load(page, path)
    assert "loaded" in message, message
    after = page.evaluate(SCREEN)
    assert len(after) == len(before)
    for was, now in zip(before, after, strict=True):
        assert was == now, was[0]


# ------------------------------------------- D: a refusal stays on screen

def test_d_a_refused_file_message_stays_until_the_reader_acts(open_page, tmp_path):
    page = open_page("worksheets/processing-the-news/")
    page.fill(fid("processing-the-news", "what-happened"), "Told no by email.")
    page.wait_for_timeout(400)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    message = load(page, bad)
    assert "Nothing was changed" in message
    page.wait_for_timeout(1200)
    assert "Nothing was changed" in page.inner_text("[data-wb-error]")
    assert page.inner_text("[data-wb-status]") == ""


# ----------------------------------- E: loading with storage full is honest

@pytest.mark.parametrize("how", ["full", "throwing"])
def test_e_loading_a_file_without_room_says_it_was_not_saved(open_page, tmp_path, how):
    page = open_page("worksheets/processing-the-news/")
    break_storage(page, how, "after")
    message = load(page, answer_file(tmp_path, "processing-the-news",
                                     {"what-happened": "From my file, " + "x" * 300}))
    assert "could not save" in message and "saved on this device" not in message
    assert page.input_value(fid("processing-the-news", "what-happened")).startswith("From my file")
    assert banner(page).is_visible()


# ------------------------------------- F: hidden answers survive a load

def test_f_loading_a_file_keeps_answers_the_page_cannot_show(open_page, tmp_path):
    page = open_page("worksheets/processing-the-news/")
    page.evaluate("""() => localStorage.setItem('wb-worksheet:processing-the-news', JSON.stringify({v: 1,
        answers: {'old-field': 'Written last month', 'feelings': ['Sad', 'Hopeful']}}))""")
    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())  # replace the answers on the page?
    load(page, answer_file(tmp_path, "processing-the-news",
                           {"what-happened": "New", "retired-too": "From the file"}))
    saved = stored(page, "wb-worksheet:processing-the-news")["answers"]
    assert saved["old-field"] == "Written last month"
    assert saved["retired-too"] == "From the file"
    assert saved["what-happened"] == "New"
    assert "Hopeful" in saved["feelings"]


# --------------------------- G: email details are replaced only when asked

def test_g_details_in_a_file_are_replaced_only_after_asking_and_never_cut(open_page, tmp_path):
    page = open_page("worksheets/networking-tracker/")
    page.fill("#ws--networking-tracker--email--company", "Acme")
    long_name = "Beta " + "b" * 700
    path = answer_file(tmp_path, "networking-tracker", {}, details={"company": long_name})
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    message = load(page, path)
    assert asked and "email details" in asked[0]
    assert "left as they were" in message
    assert stored(page, "wb-details") == {"company": "Acme"}
    page.once("dialog", lambda dialog: dialog.accept())
    message = load(page, path)
    assert "replaced" in message
    assert stored(page, "wb-details") == {"company": long_name}
    assert page.input_value("#ws--networking-tracker--email--company") == long_name


# ------------------------------------------------ H: print never clips

def printed_text(page, paper="Letter") -> str:
    """The printed sheets' text, without page numbers, and without the
    lines at the top of each sheet that were seen before (the footer, a
    table's header row), so that text which runs on from one sheet to the
    next reads as one."""
    page.evaluate("() => document.documentElement.setAttribute('data-wb-print', 'answers')")
    page.emulate_media(media="print")
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format=paper)))
    keep: list[str] = []
    for n, sheet in enumerate(reader.pages):
        text = unicodedata.normalize("NFKC", sheet.extract_text() or "")  # ﬂ -> fl
        lines = [line for line in text.splitlines()
                 if not re.search(r"Page \d+ of \d+", line)]
        while n and lines and lines[0] in keep:
            lines.pop(0)
        keep += lines
    return "\n".join(keep)


def test_h_a_long_link_in_a_table_cell_keeps_every_column_on_paper(open_page):
    page = open_page("worksheets/networking-tracker/")
    # A link with no place to break a line (no "-" or "/" in its query).
    url = "https://example.org/track?ref=" + "".join(f"x{n:03d}" for n in range(66))
    assert len(url) >= 290
    page.fill('[name="ws--networking-tracker--contacts--1--met"]', url)
    page.fill('[name="ws--networking-tracker--contacts--1--next"]', "Call on Friday")
    page.wait_for_timeout(400)
    text = printed_text(page)
    flat = re.sub(r"\s+", "", text)
    for column in ("Last contact", "Next step", "How we met", "Name"):
        assert column.replace(" ", "") in flat, column
    assert "CallonFriday" in flat
    assert url in flat


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_h_a_3000_character_link_prints_in_full(open_page, paper):
    page = open_page("worksheets/growth-plan/")
    url = "https://example.org/?q=" + "".join(f"{n:04d}" for n in range(1000))[:2977]
    assert len(url) == 3000
    page.fill('[name="ws--growth-plan--plan--1--resource"]', url)
    page.wait_for_timeout(400)
    flat = re.sub(r"\s+", "", printed_text(page, paper))
    assert url in flat


def test_h_long_words_wrap_in_every_field_on_paper(open_page):
    """Every field's printed answer and every table cell wraps long words."""
    page = open_page("worksheets/growth-plan/")
    page.emulate_media(media="print")
    styles = page.evaluate("""() => [...document.querySelectorAll(
        '.wb-answer, .wb-table td, .wb-table th, .wb-email__body')].map(e => {
          const s = getComputedStyle(e); return [s.overflowWrap, s.wordBreak]; })""")
    assert styles and all(wrap == "anywhere" for wrap, _ in styles)
    layout = page.evaluate("() => getComputedStyle(document.querySelector('.wb-table')).tableLayout")
    assert layout == "fixed"


# ------------------------------------------- also seen: damaged storage

DAMAGED = [
    ("not-json", "wb-worksheet:processing-the-news", "{\"v\": 1, \"answers\": {\"what-ha"),
    ("answers-a-list", "wb-worksheet:processing-the-news", '{"v": 1, "answers": ["a", "b"]}'),
    ("detail-a-number", "wb-details", '{"company": 42, "your-name": "Dana"}'),
    ("ticks-not-json", "wb-checklist:emotions", "[[[broken"),
]


@pytest.mark.parametrize("name, key, raw", DAMAGED, ids=[d[0] for d in DAMAGED])
def test_damaged_stored_data_is_kept_aside_and_the_page_works(open_page, tmp_path, name, key, raw):
    page = open_page("worksheets/networking-tracker/" if key == "wb-details" else
                     "emotions/" if key.startswith("wb-checklist") else "worksheets/processing-the-news/")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.evaluate("([key, raw]) => localStorage.setItem(key, raw)", [key, raw])
    page.reload()
    assert banner(page).is_visible() and "damaged" in banner_text(page)
    # Kept aside, never overwritten.
    assert page.evaluate("(key) => localStorage.getItem('wb-damaged:' + key)", key) == raw
    # The page works: typing or ticking saves.
    if key.startswith("wb-checklist"):
        page.check("#check--emotions--take-break")
        assert stored(page, key) == {"v": 1, "done": ["take-break"]}
    elif key == "wb-details":
        assert page.input_value("#ws--networking-tracker--email--your-name") == "Dana"
        page.fill("#ws--networking-tracker--email--company", "Acme")
        assert stored(page, key) == {"your-name": "Dana", "company": "Acme"}
        data = json.loads(download(page, tmp_path).read_text())
        assert data["rescued"]["wb-details"] == [raw]
    else:
        page.fill(fid("processing-the-news", "what-happened"), "Fresh start")
        page.wait_for_timeout(400)
        assert stored(page, key)["answers"] == {"what-happened": "Fresh start"}
        data = json.loads(download(page, tmp_path).read_text())
        assert data["rescued"][key] == [raw]
    assert page.evaluate("(key) => localStorage.getItem('wb-damaged:' + key)", key) == raw
    assert not errors


def test_rescued_data_in_a_file_is_kept_aside_again_on_load(open_page, tmp_path):
    page = open_page("worksheets/processing-the-news/")
    key = "wb-worksheet:processing-the-news"
    path = answer_file(tmp_path, "processing-the-news", {"what-happened": "Hi"},
                       rescued={key: ["{broken"]})
    assert "loaded" in load(page, path)
    assert page.evaluate("(key) => localStorage.getItem('wb-damaged:' + key)", key) == "{broken"


def test_a_latin1_file_is_refused_not_garbled(open_page, tmp_path):
    page = open_page("worksheets/processing-the-news/")
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps({"format": FORMAT, "version": 1, "worksheet": "processing-the-news",
                                 "answers": {"what-happened": "Caf\u00e9 \u00e0 Z\u00fcrich"}},
                                ensure_ascii=False).encode("latin-1"))
    message = load(page, path)
    assert "UTF-8" in message and "Nothing was changed" in message
    assert page.input_value(fid("processing-the-news", "what-happened")) == ""


def test_a_utf8_file_with_a_byte_order_mark_loads(open_page, tmp_path):
    page = open_page("worksheets/processing-the-news/")
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({
        "format": FORMAT, "version": 1, "worksheet": "processing-the-news",
        "answers": {"what-happened": "Caf\u00e9"}}, ensure_ascii=False).encode("utf-8"))
    assert "loaded" in load(page, path)
    assert page.input_value(fid("processing-the-news", "what-happened")) == "Caf\u00e9"


# --------------------------------- also seen: clearing and the details

@pytest.mark.parametrize("also_details", [True, False], ids=["clear-details-too", "keep-details"])
def test_clearing_a_worksheet_offers_to_clear_the_shared_details(open_page, also_details):
    page = open_page("worksheets/networking-tracker/")
    page.fill("#ws--networking-tracker--email--company", "Acme")
    page.fill('[name="ws--networking-tracker--contacts--1--name"]', "Sam")
    page.wait_for_timeout(400)
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        if len(asked) == 1 or also_details:
            dialog.accept()
        else:
            dialog.dismiss()
    page.on("dialog", answer)
    page.click('[data-wb-action="clear"]')
    assert len(asked) == 2 and "email details" in asked[1]
    assert stored(page, "wb-worksheet:networking-tracker") is None
    if also_details:
        assert stored(page, "wb-details") is None
        assert page.input_value("#ws--networking-tracker--email--company") == ""
        assert "cleared too" in page.inner_text("[data-wb-status]")
    else:
        assert stored(page, "wb-details") == {"company": "Acme"}
        assert "still saved" in page.inner_text("[data-wb-status]")


# --------------------------------------- the messages are accessible too

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_saving_messages_pass_axe_and_leave_focus_visible(open_page, scheme):
    page = open_page("worksheets/support-map/", color_scheme=scheme,
                     viewport={"width": 375, "height": 740})
    page.evaluate(THROWING)
    box = fid("support-map", "group")
    page.fill(box, "y" * 6000)
    page.wait_for_function("() => !document.querySelector('[data-wb-messages]').hidden")
    assert page.locator('[data-wb-field="group"] [data-wb-full="chars"]').is_visible()
    violations = axe_violations(page, WCAG_TAGS + ["best-practice"])
    assert not violations, "\n".join(violations)
    # A field focused near the bottom of the window is not hidden under
    # the banner (WCAG 2.4.11): the page scrolls it above.
    page.focus('[name="ws--support-map--people--6--ask"]')
    field = page.locator('[name="ws--support-map--people--6--ask"]').bounding_box()
    top_of_banner = page.locator("[data-wb-messages]").bounding_box()["y"]
    assert field["y"] + field["height"] <= top_of_banner


# ------------------- found by a hostile review: reading, windows, merging

def test_saved_ticks_that_could_not_be_read_are_never_written_over(open_page):
    page = open_page("emotions/")
    page.check("#check--emotions--name-feeling")
    page.check("#check--emotions--kinder-thought")
    page.context.add_init_script("""(() => { const real = Storage.prototype.getItem; let n = 0;
      Storage.prototype.getItem = function (key) {
        if (key === 'wb-checklist:emotions' && n++ < 1) throw new DOMException('no', 'SecurityError');
        return real.call(this, key); }; })()""")
    page.reload()
    assert "would not let the page read" in banner_text(page)
    assert not page.is_checked("#check--emotions--name-feeling")  # could not be read
    # The next save reads again, and adds this tick to the ones saved before.
    page.check("#check--emotions--take-break")
    assert sorted(stored(page, "wb-checklist:emotions")["done"]) == [
        "kinder-thought", "name-feeling", "take-break"]
    assert page.is_checked("#check--emotions--name-feeling")


def test_answers_that_can_never_be_read_are_never_written_over(open_page):
    ws, key = "processing-the-news", "wb-worksheet:processing-the-news"
    page = open_page(f"worksheets/{ws}/")
    page.fill(fid(ws, "did-well"), "A long answer written last week")
    page.wait_for_timeout(400)
    page.context.add_init_script("""(() => { const real = Storage.prototype.getItem;
      Storage.prototype.getItem = function (key) {
        if (key.startsWith('wb-worksheet:')) throw new DOMException('no', 'SecurityError');
        return real.call(this, key); }; })()""")
    page.reload()
    page.fill(fid(ws, "look-after"), "A walk")
    page.wait_for_timeout(400)
    assert "Not saved" in page.inner_text("[data-wb-error]")
    raw = page.evaluate("(key) => Object.getOwnPropertyDescriptor(Storage.prototype, 'getItem')"
                        " && localStorage[key]", key)
    assert json.loads(raw)["answers"] == {"did-well": "A long answer written last week"}


def test_a_window_that_could_not_save_does_not_undo_another_window(open_page):
    a = open_page("master-checklist/")
    b = a.context.new_page()
    a.evaluate(FILL_STORAGE, 5)
    a.check("#check--emotions--name-feeling")
    assert "Not saved" in a.inner_text('[data-wb-checklist="emotions"] [data-wb-progress]')
    a.evaluate("() => { for (let n = 0; n < 8; n++) localStorage.removeItem('filler-' + n); }")
    b.goto(a.url.replace("master-checklist/", "emotions/"))
    b.check("#check--emotions--take-break")
    a.check("#check--support--share")  # saving works again: A saves its own changes only
    a.wait_for_function("() => (localStorage.getItem('wb-checklist:emotions') || '')"
                        ".includes('name-feeling')")  # the retry comes right after
    done = stored(a, "wb-checklist:emotions")["done"]
    assert sorted(done) == ["name-feeling", "take-break"]
    b.wait_for_function("() => document.querySelector('#check--emotions--name-feeling').checked")
    assert b.is_checked("#check--emotions--take-break")


def test_two_windows_typing_in_turn_keep_both_answers(open_page):
    ws = "processing-the-news"
    a = open_page(f"worksheets/{ws}/")
    b = a.context.new_page()
    b.goto(a.url)
    a.fill(fid(ws, "what-happened"), "Typed in A")  # saved after a pause, not yet
    b.evaluate("() => window.dispatchEvent(new Event('focus'))")
    b.fill(fid(ws, "look-after"), "Typed in B")
    b.wait_for_timeout(600)
    a.evaluate("() => window.dispatchEvent(new Event('focus'))")
    assert stored(a, f"wb-worksheet:{ws}")["answers"] == {"what-happened": "Typed in A",
                                                          "look-after": "Typed in B"}
    assert a.input_value(fid(ws, "what-happened")) == "Typed in A"
    assert a.input_value(fid(ws, "look-after")) == "Typed in B"


def test_details_not_saved_are_saved_once_saving_works_again(open_page):
    page = open_page("worksheets/networking-tracker/")
    page.evaluate(FILL_STORAGE, 5)
    page.fill("#ws--networking-tracker--email--company", "Acme Health")
    assert banner(page).is_visible()
    page.evaluate("() => { for (let n = 0; n < 8; n++) localStorage.removeItem('filler-' + n); }")
    page.fill('[name="ws--networking-tracker--contacts--1--name"]', "Sam")
    page.wait_for_timeout(400)
    assert stored(page, "wb-details") == {"company": "Acme Health"}
    assert "Saving works again" in banner_text(page)


def test_a_file_that_replaces_answers_the_page_cannot_show_keeps_a_copy(open_page, tmp_path):
    ws, key = "processing-the-news", "wb-worksheet:processing-the-news"
    page = open_page(f"worksheets/{ws}/")
    page.evaluate("""(key) => localStorage.setItem(key, JSON.stringify({v: 1,
        answers: {'old-field': 'Three paragraphs I wrote last month'}}))""", key)
    page.reload()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    load(page, answer_file(tmp_path, ws, {"old-field": "x"}))
    assert asked, "nothing on screen, but the device had answers: the reader is asked"
    assert stored(page, key)["answers"] == {"old-field": "x"}
    kept = page.evaluate("(key) => localStorage.getItem('wb-damaged:' + key)", key)
    assert "Three paragraphs I wrote last month" in kept


def test_columns_and_rows_the_page_does_not_show_are_kept(open_page, tmp_path):
    ws, key = "networking-tracker", "wb-worksheet:networking-tracker"
    page = open_page(f"worksheets/{ws}/")
    rows = [{"name": f"Person {n}", "phone": f"555-01{n:02d}"} for n in range(250)]
    page.evaluate("([key, rows]) => localStorage.setItem(key, JSON.stringify({v: 1, "
                  "answers: {contacts: rows}}))", [key, rows])
    page.reload()
    assert not banner(page).is_visible(), "nothing is damaged"
    assert page.locator('[data-wb-field="contacts"] [data-wb-row]').count() == 200
    page.fill('[name="ws--networking-tracker--contacts--1--name"]', "Ana")
    page.wait_for_timeout(400)
    saved = stored(page, key)["answers"]["contacts"]
    assert len(saved) == 250 and saved[0] == {"name": "Ana", "phone": "5550100".replace("5550", "555-0")}
    assert saved[249] == rows[249]
    # A file with them loads, and says what it cannot show.
    path = download(page, tmp_path)
    page.once("dialog", lambda dialog: dialog.accept())
    message = load(page, path)
    assert "more rows than this page shows" in message
    assert len(stored(page, key)["answers"]["contacts"]) == 250


def test_damaged_data_with_no_room_to_keep_it_aside_is_held(open_page):
    page = open_page("emotions/")
    page.evaluate("() => localStorage.setItem('wb-checklist:emotions', '[[[broken')")
    page.evaluate(FILL_STORAGE, 0)
    page.reload()
    assert "no room to keep a copy" in banner_text(page)
    page.check("#check--emotions--take-break")
    page.uncheck("#check--emotions--take-break")
    progress = page.inner_text('[data-wb-checklist="emotions"] [data-wb-progress]')
    assert "Saved" not in progress and "Saving works again" not in banner_text(page)
    assert page.evaluate("() => localStorage.getItem('wb-checklist:emotions')") == "[[[broken"


def test_download_does_not_hide_that_saving_failed(open_page, tmp_path):
    page = open_page("worksheets/processing-the-news/")
    page.evaluate(THROWING)
    page.fill(fid("processing-the-news", "what-happened"), "Told no by email.")
    page.wait_for_timeout(400)
    download(page, tmp_path)
    assert "being downloaded" in page.inner_text("[data-wb-status]")
    assert "Not saved" in page.inner_text("[data-wb-error]")


def test_a_details_box_shows_what_another_window_changed_once_left(open_page):
    a = open_page("worksheets/networking-tracker/")
    b = a.context.new_page()
    a.fill("#ws--networking-tracker--email--company", "Acme")
    b.goto(a.url.replace("worksheets/networking-tracker/", "emails/"))
    b.fill("#emails--company", "Beta Corp")
    a.wait_for_function("() => document.querySelector('[data-wb-email=\"keep-in-touch\"]')"
                        ".textContent.includes('Beta Corp')")
    a.focus('[name="ws--networking-tracker--contacts--1--name"]')
    assert a.input_value("#ws--networking-tracker--email--company") == "Beta Corp"


def test_the_banner_keeps_room_after_a_resize_and_hiding_returns_focus(open_page):
    page = open_page("worksheets/support-map/", viewport={"width": 1280, "height": 800})
    page.evaluate(THROWING)
    box = fid("support-map", "group")
    page.fill(box, "x")
    page.wait_for_function("() => !document.querySelector('[data-wb-messages]').hidden")
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_timeout(200)
    height = page.evaluate("() => document.querySelector('[data-wb-messages]').offsetHeight")
    padding = page.evaluate("() => document.documentElement.style.scrollPaddingBottom")
    assert padding == f"{height}px"
    page.focus(box)
    page.click("[data-wb-messages-close]")
    assert page.evaluate("() => document.activeElement.id") == box[1:]


def test_clearing_a_worksheet_also_clears_its_damaged_copies(open_page, tmp_path):
    ws, key = "processing-the-news", "wb-worksheet:processing-the-news"
    page = open_page(f"worksheets/{ws}/")
    page.evaluate("(key) => localStorage.setItem(key, '{private but broken')", key)
    page.reload()
    page.fill(fid(ws, "what-happened"), "Fresh")
    page.wait_for_timeout(400)
    page.on("dialog", lambda dialog: dialog.accept())
    page.click('[data-wb-action="clear"]')
    assert page.evaluate("(key) => localStorage.getItem('wb-damaged:' + key)", key) is None
    assert "rescued" not in json.loads(download(page, tmp_path).read_text())


def test_odd_files_get_a_clear_message_and_no_script_error(open_page, tmp_path):
    ws = "processing-the-news"
    page = open_page(f"worksheets/{ws}/")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    deep = "[" * 100_000 + "]" * 100_000
    path = tmp_path / "deep.json"
    path.write_text(f'{{"format": "{FORMAT}", "worksheet": "support-map", "title": {deep}}}')
    assert "another worksheet" in load(page, path)
    message = load(page, answer_file(tmp_path, ws, {"what-happened": "Line one\nLine two"}))
    assert "Line breaks" in message
    assert page.input_value(fid(ws, "what-happened")) == "Line one Line two"
    assert not errors


# ------------------------------------ found by a second hostile review

def free_storage(page):
    page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('filler'))"
                  ".forEach(k => localStorage.removeItem(k))")


def cell(page, row: int, column: str, sheet="weekly-log", field="applications"):
    return page.locator(f'[name="ws--{sheet}--{field}--{row}--{column}"]')


def test_table_cells_and_ticks_from_two_windows_are_merged(open_page):
    a = open_page("worksheets/weekly-log/")
    b = a.context.new_page()
    b.goto(a.url)
    a.evaluate(FILL_STORAGE, 0)
    cell(a, 1, "company").fill("Acme " + "x" * 2000)
    a.wait_for_timeout(400)
    assert "Not saved" in a.inner_text("[data-wb-error]")
    free_storage(a)
    b.click('[data-wb-field="applications"] [data-wb-add-row]')
    cell(b, 2, "company").fill("Globex")
    b.wait_for_timeout(400)
    a.evaluate("() => window.dispatchEvent(new Event('focus'))")
    a.fill(fid("weekly-log", "goal"), "Apply to five jobs")
    a.wait_for_timeout(400)
    table = stored(a, "wb-worksheet:weekly-log")["answers"]["applications"]
    assert [row.get("company", "").split(" ")[0] for row in table] == ["Acme", "Globex"]
    assert cell(a, 2, "company").input_value() == "Globex"
    # Ticks in one list, from two windows.
    ws = "processing-the-news"
    a.goto(a.url.replace("weekly-log", ws))
    b.goto(a.url)
    a.evaluate(THROWING)
    a.check(fid(ws, "feelings") + "--1")
    a.evaluate("() => { Storage.prototype.setItem = window.realSetItem; }")
    b.check(fid(ws, "feelings") + "--2")
    a.fill(fid(ws, "what-happened"), "Told no")
    a.wait_for_timeout(400)
    assert sorted(stored(a, f"wb-worksheet:{ws}")["answers"]["feelings"]) == ["Angry", "Sad"]


def test_a_load_not_saved_does_not_erase_what_another_window_saved_later(open_page, tmp_path):
    ws, key = "weekly-log", "wb-worksheet:weekly-log"
    a = open_page(f"worksheets/{ws}/")
    b = a.context.new_page()
    b.goto(a.url)
    a.evaluate(THROWING)
    message = load(a, answer_file(tmp_path, ws, {"goal": "From the file"}))
    assert "could not save" in message
    a.evaluate("() => { Storage.prototype.setItem = window.realSetItem; }")
    b.fill(fid(ws, "learned"), "Typed in B after the load")
    b.wait_for_timeout(400)
    a.fill(fid(ws, "win"), "Typed in A")  # A's next save sends the load too
    a.wait_for_timeout(400)
    answers = stored(a, key)["answers"]
    assert answers["goal"] == "From the file" and answers["win"] == "Typed in A"
    assert answers["learned"] == "Typed in B after the load"
    assert "Saved on this device" in a.inner_text("[data-wb-status]")


def test_when_saved_answers_cannot_be_read_the_screen_and_download_keep_them(open_page, tmp_path):
    ws, key = "weekly-log", "wb-worksheet:weekly-log"
    page = open_page(f"worksheets/{ws}/")
    page.fill(fid(ws, "goal"), "Apply to five jobs")
    page.wait_for_timeout(400)
    page.evaluate("""(key) => { const real = Storage.prototype.getItem;
      Storage.prototype.getItem = function (k) {
        if (k === key) throw new DOMException('no', 'SecurityError');
        return real.call(this, k); }; }""", key)
    page.evaluate("() => window.dispatchEvent(new Event('focus'))")
    assert page.input_value(fid(ws, "goal")) == "Apply to five jobs"
    data = json.loads(download(page, tmp_path).read_text())
    assert data["answers"]["goal"] == "Apply to five jobs"


def test_a_checklist_whose_ticks_cannot_be_read_says_so(open_page):
    page = open_page("emotions/")
    page.check("#check--emotions--name-feeling")
    page.context.add_init_script("""(() => { const real = Storage.prototype.getItem;
      Storage.prototype.getItem = function (key) {
        if (key === 'wb-checklist:emotions') throw new DOMException('no', 'SecurityError');
        return real.call(this, key); }; })()""")
    page.reload()
    progress = page.inner_text('[data-wb-checklist="emotions"] [data-wb-progress]')
    assert "could not be read" in progress and "Saved" not in progress


def test_a_broken_files_script_says_so_and_changes_nothing(open_page, tmp_path):
    page = open_page("worksheets/processing-the-news/")
    page.context.route("**/worksheet-files.js", lambda route: route.fulfill(
        status=200, content_type="application/javascript", body="(function () { var x = "))
    page.fill(fid("processing-the-news", "what-happened"), "Kept")
    page.wait_for_timeout(400)
    message = load(page, answer_file(tmp_path, "processing-the-news", {"what-happened": "From file"}))
    assert "could not fetch" in message
    assert page.input_value(fid("processing-the-news", "what-happened")) == "Kept"


def test_a_retry_does_not_replace_the_outcome_of_a_load(open_page, tmp_path):
    ws = "processing-the-news"
    page = open_page(f"worksheets/{ws}/")
    page.evaluate(THROWING)
    page.fill(fid(ws, "what-happened"), "Not saved yet")
    page.wait_for_timeout(400)
    page.evaluate("() => { Storage.prototype.setItem = window.realSetItem; }")
    page.once("dialog", lambda dialog: dialog.accept())
    message = load(page, answer_file(tmp_path, ws, {"what-happened": "From the file"}))
    page.wait_for_timeout(300)
    assert "loaded from" in message
    assert "loaded from" in page.inner_text("[data-wb-status]")


def test_the_cannot_save_message_goes_once_saving_works(open_page):
    page = open_page("emotions/")
    page.evaluate(FILL_STORAGE, -1)
    page.reload()
    assert "cannot save anything" in banner_text(page)
    free_storage(page)
    page.check("#check--emotions--take-break")
    text = banner_text(page)
    assert "cannot save anything" not in text and "Saving works again" in text


# ------------------------------------- found by a third hostile review

def test_what_is_typed_before_the_script_starts_is_kept_and_saved(open_page):
    """A slow phone shows a worksheet before its script has put the saved
    answers back. What the reader types and ticks in that moment stays
    (after the saved answer, where there was one) and is saved. The
    script is held back here until the reader has typed."""
    ws = "processing-the-news"
    page = open_page(f"worksheets/{ws}/", service_workers="block")  # routes see every request
    page.fill(fid(ws, "did-well"), "Saved yesterday.")
    page.check(fid(ws, "feelings") + "--1")
    page.wait_for_timeout(400)  # saved
    held = reload_holding(page, "**/assets/worksheets.js")
    page.wait_for_selector(fid(ws, "look-after"), state="attached")  # the form is in the page
    assert page.evaluate("() => !(window.workbook && window.workbook.sheets)")  # not started
    page.fill(fid(ws, "what-happened"), "Told no by phone.")
    page.fill(fid(ws, "did-well"), "And today I rested.")
    page.check(fid(ws, "feelings") + "--2")
    assert held, "the worksheet script was not asked for"
    held[0].continue_()
    page.wait_for_function("() => window.workbook && window.workbook.sheets")
    page.wait_for_timeout(600)  # the pause after typing: saved
    expected = {"what-happened": "Told no by phone.", "did-well": "Saved yesterday.\n\nAnd today I rested."}
    saved = stored(page, f"wb-worksheet:{ws}")["answers"]
    assert {name: saved.get(name) for name in expected} == expected
    assert len(saved["feelings"]) == 2
    page.unroute("**/assets/worksheets.js")
    page.reload()
    for name, text in expected.items():  # shown once: not put back twice
        assert page.input_value(fid(ws, name)) == text
    assert page.is_checked(fid(ws, "feelings") + "--1") and page.is_checked(fid(ws, "feelings") + "--2")


@pytest.mark.parametrize("where", ["elsewhere", "in-the-box"])
def test_a_details_box_the_browser_fills_on_back_shows_the_saved_details(open_page, where):
    """Coming back with Back, Chrome puts back what "Your name" held when
    the page was left, after the script has started; the box shows the
    name saved since on another page, and typing there changes that one,
    also when the reader is already in the box as Chrome puts it back."""
    name = "[data-wb-detail=your-name]"
    page = open_page("emails/")
    if where == "in-the-box":
        page.context.add_init_script("""document.addEventListener('DOMContentLoaded', () => {
            if (performance.getEntriesByType('navigation')[0].type === 'back_forward')
                document.querySelector('[data-wb-detail=your-name]').focus();
        })""")
    page.fill(name, "Old Name")
    page.wait_for_timeout(300)  # saved
    page.goto(page.url.replace("emails/", "worksheets/thank-you-note/"))
    page.fill(name, "New Name")
    page.wait_for_timeout(300)  # saved
    page.go_back()
    page.wait_for_function("() => window.workbook && window.workbook.sheets")
    page.wait_for_timeout(600)
    assert page.input_value(name) == "New Name"
    if where == "elsewhere":
        page.click(name)
    page.keyboard.press("End")
    page.keyboard.type(" Jr")
    page.wait_for_timeout(300)
    assert stored(page, "wb-details")["your-name"] == "New Name Jr"


def test_a_tick_the_browser_puts_back_on_back_does_not_undo_another_window(open_page):
    """Coming back with Back, the browser ticks the boxes as they were when
    the page was left; a tick taken off in another window since stays off."""
    ws = "processing-the-news"
    page = open_page(f"worksheets/{ws}/")
    page.check(fid(ws, "feelings") + "--1")
    page.wait_for_timeout(400)  # saved
    page.goto(page.url.replace(f"worksheets/{ws}/", "emotions/"))
    other = page.context.new_page()
    other.goto(page.url.replace("emotions/", f"worksheets/{ws}/"))
    other.uncheck(fid(ws, "feelings") + "--1")
    other.wait_for_timeout(400)  # saved there
    other.close()
    page.go_back()
    page.wait_for_function("() => window.workbook && window.workbook.sheets")
    page.wait_for_timeout(400)
    assert not page.is_checked(fid(ws, "feelings") + "--1")
    assert stored(page, f"wb-worksheet:{ws}") is None  # nothing saved: nothing left to save


@pytest.mark.parametrize("how", ["opened", "reloaded"])
def test_email_details_typed_before_the_script_starts_are_kept_and_saved(open_page, how):
    """The same for the email details (name, company), which every
    template shares, whether the page was opened or reloaded. A box typed
    in and emptied again before then deletes nothing."""
    page = open_page("worksheets/networking-tracker/", service_workers="block")
    page.evaluate("() => localStorage.setItem('wb-details', JSON.stringify({'your-name': 'Alice', "
                  "'role': 'Analyst'}))")
    if how == "opened":
        held = reload_holding(page, "**/assets/worksheets.js")
    else:  # a real reload: the browser may put back what the boxes held
        held = []
        page.route("**/assets/worksheets.js", lambda route: held.append(route))
        page.reload(wait_until="commit")
    page.wait_for_selector("#ws--networking-tracker--email--company", state="attached")
    page.fill("#ws--networking-tracker--email--company", "Acme Ltd")
    page.fill("#ws--networking-tracker--email--your-name", "Alice B")
    page.fill("#ws--networking-tracker--email--role", "A")
    page.fill("#ws--networking-tracker--email--role", "")
    page.locator('[data-wb-field="contacts"] [data-wb-column]').first.focus()  # then elsewhere
    assert held, "the worksheet script was not asked for"
    held[0].continue_()
    page.wait_for_function("() => window.workbook && window.workbook.sheets")
    assert stored(page, "wb-details") == {"your-name": "Alice B", "company": "Acme Ltd", "role": "Analyst"}
    assert page.input_value("#ws--networking-tracker--email--company") == "Acme Ltd"
    assert page.input_value("#ws--networking-tracker--email--your-name") == "Alice B"
    assert page.input_value("#ws--networking-tracker--email--role") == "Analyst"
