"""Worksheets and email templates: data checks, rendering, filling in and
saving in Chromium, printing from the browser, and the PDFs the build makes.
The data is read here with plain YAML, independently of the build's code."""

from __future__ import annotations

import io
import json
import re
import unicodedata

import pypdf
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, build_copy
from test_build_safety import edit, failed_build
from workbook import pdfs

SHEETS = yaml.safe_load((ROOT / "data" / "worksheets.yml").read_text(encoding="utf-8"))["worksheets"]
EMAILS = yaml.safe_load((ROOT / "data" / "emails.yml").read_text(encoding="utf-8"))
BY_ID = {w["id"]: w for w in SHEETS}
PAPERS = ["letter", "a4"]


def page_of(sheet_id: str) -> str:
    return f"worksheets/{sheet_id}/"


def squash(text: str) -> str:
    """Text with its spaces folded, and ligatures (ﬂ, ﬁ) that some fonts
    put in printed text read as letters."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# ---------------------------------------------------------------- content

def test_the_nine_worksheets_of_the_chapter_exist():
    wanted = {  # worksheet: the steps (pages) it must go with
        "processing-the-news": {"emotions/", "resilience/"},
        "asking-for-feedback": {"feedback/"},
        "thank-you-note": {"professionalism/"},
        "self-reflection": {"reflect/"},
        "growth-plan": {"reflect/", "professional-help/"},
        "networking-tracker": {"networking/"},
        "widening-the-search": {"other-opportunities/"},
        "support-map": {"support/"},
        "weekly-log": {"keep-applying/"},
    }
    assert {w["id"]: set(w["sections"]) for w in SHEETS} == wanted
    kinds = {f["type"] for w in SHEETS for f in w["fields"]}
    assert kinds == {"text", "longtext", "choice", "rating", "table", "email"}
    used = {f["template"] for w in SHEETS for f in w["fields"] if f["type"] == "email"}
    assert {"feedback-request", "thank-you", "keep-in-touch"} <= {t["id"] for t in EMAILS["templates"]}
    assert used == {"feedback-request", "thank-you", "keep-in-touch"}


# --------------------------------------------------------------- rendering

@pytest.mark.parametrize("sheet", SHEETS, ids=[w["id"] for w in SHEETS])
def test_every_field_appears_labelled_and_in_order(pages, sheet):
    root = pages[page_of(sheet["id"])].select_one(f'[data-wb-worksheet="{sheet["id"]}"]')
    assert root is not None
    shown = root.select("[data-wb-field]")
    assert [f["data-wb-field"] for f in shown] == [f["id"] for f in sheet["fields"]]
    for data, field in zip(sheet["fields"], shown, strict=True):
        kind = data["type"]
        assert field["data-wb-type"] == kind
        if kind in ("text", "longtext"):
            control = field.select_one("input, textarea")
            label = field.select_one(f'label[for="{control["id"]}"]')
            assert label is not None and label.get_text() == data["label"]
            assert len(field.select(".wb-line")) == data.get("lines", 1)
        elif kind in ("choice", "rating"):
            assert field.legend.get_text() == data["label"]
            boxes = field.select("input")
            wanted = data["options"] if kind == "choice" else [str(n) for n in range(1, 6)]
            assert [b["value"] for b in boxes] == wanted
            assert all(field.select_one(f'label[for="{b["id"]}"]') for b in boxes)
            assert {b["type"] for b in boxes} == {"checkbox" if data.get("multiple") else "radio"}
            if kind == "rating":
                assert data["low"] in field.get_text() and data["high"] in field.get_text()
        elif kind == "table":
            assert field.caption.get_text() == data["label"]
            assert [th.get_text() for th in field.select("th")] == [c["label"] for c in data["columns"]]
            cells = field.select("tbody input")
            assert len(cells) == data["rows"] * len(data["columns"])
            assert cells[0]["aria-label"] == f"{data['columns'][0]['label']}, row 1"
        elif kind == "email":
            template = next(t for t in EMAILS["templates"] if t["id"] == data["template"])
            email = field.select_one(f'[data-wb-email="{template["id"]}"]')
            body = email.select_one('[data-wb-email-part="body"]').get_text()
            first_line = template["body"].split("\n")[0].split("{")[0]
            assert body.startswith(first_line)
            blanks = set(re.findall(r"\{([a-z-]+)\}", template["subject"] + template["body"]))
            inputs = {i["data-wb-detail"] for i in field.select("input[data-wb-detail]")}
            assert inputs == blanks
            for detail in field.select("input[data-wb-detail]"):
                assert field.select_one(f'label[for="{detail["id"]}"]') is not None


@pytest.mark.parametrize("sheet", SHEETS, ids=[w["id"] for w in SHEETS])
def test_each_worksheet_is_linked_from_its_steps_and_links_its_pdfs(pages, sheet):
    for section in sheet["sections"]:
        links = pages[section].select("#worksheets ~ ul.wb-worksheet-links a")
        assert any(a["href"].endswith(page_of(sheet["id"])) for a in links), section
    page = pages[page_of(sheet["id"])]
    pdfs = [a["href"] for a in page.select(".wb-worksheet__pdfs a")]
    assert pdfs[:2] == [f"../../pdf/{sheet['id']}-{paper}.pdf" for paper in PAPERS]
    index = pages["worksheets/"]
    assert index.select_one(f'a[href="{sheet["id"]}/"]') is not None
    for paper in PAPERS:
        assert index.select_one(f'a[href="../pdf/{sheet["id"]}-{paper}.pdf"]') is not None


def test_data_text_is_escaped_never_markup(project_copy, tmp_path):
    nasty = '<script>alert(1)</script> <b>bold</b> *stars* {{ jinja }}'
    edit(project_copy / "data" / "worksheets.yml", "        label: What happened, in one sentence?",
         "        label: " + yaml.safe_dump(nasty, default_style="'").strip())
    edit(project_copy / "data" / "worksheets.yml", "options: [Sad, Angry,", "options: ['<i>Sad</i>', Angry,")
    out = tmp_path / "out"
    result = build_copy(project_copy, out)
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((out / "worksheets/processing-the-news/index.html").read_text(), "html.parser")
    field = soup.select_one('[data-wb-field="what-happened"]')
    assert field.label.get_text() == nasty
    assert not field.select("script, b, em")
    assert soup.select_one('[data-wb-field="feelings"] label').get_text() == "<i>Sad</i>"


# ----------------------------------------------------------------- bad data

BAD = [
    ("worksheets.yml", "yaml-syntax", "    title: My support map\n", "    title: [My support map\n",
     r"data/worksheets\.yml:\d+:\d+: YAML syntax error"),
    ("worksheets.yml", "missing-label", "        label: What happened, in one sentence?\n", "",
     r"data/worksheets\.yml:\d+:\d+: worksheets\[0\]\.fields\[0\]: 'label' is required"),
    ("worksheets.yml", "wrong-type", "        lines: 2\n        label: One harsh", "        lines: two\n"
     "        label: One harsh",
     r"worksheets\[0\]\.fields\[3\]\.lines: 'lines' should be integer, but it is text"),
    ("worksheets.yml", "unknown-type", "        type: rating\n        label: How strong",
     "        type: slider\n        label: How strong",
     r"worksheets\[0\]\.fields\[2\]\.type: 'type' is 'slider'; it must be one of"),
    ("worksheets.yml", "type-needs-setting", "        lines: 3\n        label: Three things",
     "        label: Three things",
     r"worksheets\[0\]\.fields\[5\]: 'lines' is required"),
    ("worksheets.yml", "setting-of-other-type", "        label: One thing I will do today",
     "        lines: 3\n        label: One thing I will do today",
     r"worksheets\[0\]\.fields\[6\]\.lines: 'lines' does not apply to a text field"),
    ("worksheets.yml", "duplicate-field", "      - id: kinder-thought\n", "      - id: harsh-thought\n",
     r"worksheets\[0\]\.fields\[4\]: field id 'harsh-thought' is used twice"),
    ("worksheets.yml", "bad-section", "    sections: [support/]", "    sections: [helpers/]",
     r"worksheets\[7\]\.sections\[0\]: 'helpers/' is not a page of the site"),
    ("worksheets.yml", "bad-template", "        template: thank-you\n", "        template: thanks\n",
     r"worksheets\[2\]\.fields\[2\]\.template: no email template 'thanks' in data/emails\.yml"),
    ("worksheets.yml", "no-page", "  - id: support-map\n", "  - id: support-circle\n",
     r"worksheets\[7\]\.id: worksheet 'support-circle' has no page"),
    ("worksheets.yml", "title-differs", "    title: My support map\n", "    title: My support circle\n",
     r"worksheets\[7\]\.title: title 'My support circle' differs from its page's title 'My support map'"),
    ("emails.yml", "unknown-blank", "Dear {contact-name},\n\n      Thank you for letting me know about your "
     "decision, and", "Dear {contact},\n\n      Thank you for letting me know about your decision, and",
     r"data/emails\.yml:\d+:\d+: templates\[0\]\.body: unknown blank \{contact\}"),
    ("emails.yml", "missing-subject", "    subject: Keeping in touch\n", "",
     r"data/emails\.yml:\d+:\d+: templates\[2\]: 'subject' is required"),
]


@pytest.mark.parametrize("file, name, old, new, message", BAD, ids=[b[1] for b in BAD])
def test_bad_data_stops_the_build_naming_file_and_place(project_copy, file, name, old, new, message):
    edit(project_copy / "data" / file, old, new)
    output = failed_build(project_copy)
    assert re.search(message, output), output


def test_an_unknown_worksheet_in_a_macro_stops_the_build(project_copy):
    edit(project_copy / "docs" / "worksheets" / "support-map.md",
         '{{ worksheet("support-map") }}', '{{ worksheet("support-mapp") }}')
    output = failed_build(project_copy)
    assert ("docs/worksheets/support-map.md: worksheet('support-mapp'): there is no worksheet "
            "with that id in data/worksheets.yml") in output


def test_a_worksheet_shown_twice_stops_the_build(project_copy):
    (project_copy / "docs" / "support.md").write_text(
        (project_copy / "docs" / "support.md").read_text() + '\n{{ worksheet("support-map") }}\n')
    output = failed_build(project_copy)
    assert "worksheet 'support-map' must be shown once, on docs/worksheets/support-map.md" in output


# ------------------------------------------------------------------ browser

WS = "processing-the-news"


def fid(sheet: str, field: str) -> str:
    return f"#ws--{sheet}--{field}"


def fill_some(page, sheet=WS):
    page.fill(fid(sheet, "what-happened"), "I was told no by email.")
    page.fill(fid(sheet, "did-well"), "Prepared well.\nAsked good questions.")
    page.check(fid(sheet, "feelings") + "--1")
    page.check(fid(sheet, "feelings") + "--3")
    page.check(fid(sheet, "strength") + "--4")
    page.wait_for_timeout(400)  # saving waits for a short pause in typing


def answers(page, sheet=WS):
    saved = page.evaluate(f"() => localStorage.getItem('wb-worksheet:{sheet}')")
    return json.loads(saved)["answers"] if saved else None


EXPECTED = {"what-happened": "I was told no by email.", "feelings": ["Sad", "Let down"],
            "strength": "4", "did-well": "Prepared well.\nAsked good questions."}


def test_typed_answers_come_back_after_a_reload(open_page):
    page = open_page(f"worksheets/{WS}/")
    assert page.locator(".wb-notice.wb-js-only").is_visible()
    fill_some(page)
    page.reload()
    assert page.input_value(fid(WS, "what-happened")) == EXPECTED["what-happened"]
    assert page.input_value(fid(WS, "did-well")) == EXPECTED["did-well"]
    assert page.is_checked(fid(WS, "feelings") + "--1") and page.is_checked(fid(WS, "feelings") + "--3")
    assert not page.is_checked(fid(WS, "feelings") + "--2")
    assert page.is_checked(fid(WS, "strength") + "--4")
    assert answers(page) == EXPECTED


def test_table_rows_are_saved_and_rows_can_be_added(open_page):
    page = open_page("worksheets/support-map/")
    rows = page.locator('[data-wb-field="people"] [data-wb-row]')
    assert rows.count() == 6
    page.click('[data-wb-field="people"] [data-wb-add-row]')
    assert rows.count() == 7
    page.fill('[name="ws--support-map--people--7--name"]', "Sam")
    page.fill('[name="ws--support-map--people--1--ask"]', "A practice interview")
    page.wait_for_timeout(400)
    page.reload()
    assert rows.count() == 7
    assert page.input_value('[name="ws--support-map--people--7--name"]') == "Sam"
    saved = answers(page, "support-map")["people"]
    assert saved[0] == {"ask": "A practice interview"} and saved[6] == {"name": "Sam"}
    assert page.get_attribute('[name="ws--support-map--people--7--name"]', "aria-label") == "Name, row 7"


def test_clearing_one_worksheet_leaves_another_intact(open_page):
    page = open_page(f"worksheets/{WS}/")
    fill_some(page)
    page.goto(page.url.replace(WS, "self-reflection"))
    page.fill(fid("self-reflection", "next-time"), "Slow down.")
    page.wait_for_timeout(400)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click('[data-wb-action="clear"]')
    assert page.input_value(fid("self-reflection", "next-time")) == ""
    assert answers(page, "self-reflection") is None
    assert answers(page) == EXPECTED


def test_download_clear_and_load_give_back_identical_answers(open_page, tmp_path):
    page = open_page(f"worksheets/{WS}/")
    fill_some(page)
    with page.expect_download() as download:
        page.click('[data-wb-action="download"]')
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["worksheet"] == WS and data["answers"] == EXPECTED
    page.once("dialog", lambda dialog: dialog.accept())
    page.click('[data-wb-action="clear"]')
    assert answers(page) is None
    page.set_input_files("[data-wb-file]", str(saved))
    page.wait_for_function("() => document.querySelector('[data-wb-status]').textContent.includes('loaded')")
    assert answers(page) == EXPECTED
    assert page.input_value(fid(WS, "did-well")) == EXPECTED["did-well"]


@pytest.mark.parametrize("kind", ["corrupt", "foreign", "oversized", "bad-value", "strange-name",
                                  "bad-details", "bad-hidden"])
def test_a_bad_file_is_refused_and_answers_stay(open_page, tmp_path, kind):
    page = open_page(f"worksheets/{WS}/")
    fill_some(page)
    bad = tmp_path / "answers.json"
    good = {"format": "after-rejection-workbook/answers", "version": 1, "worksheet": WS,
            "answers": {"what-happened": "Something else"}}
    if kind == "corrupt":
        bad.write_text('{"format": "after-rejection-workbook/answers", "answers": {')
    elif kind == "foreign":
        bad.write_text(json.dumps({**good, "worksheet": "support-map", "title": "My support map"}))
    elif kind == "oversized":  # over 64 MiB: more than any worksheet can hold
        with bad.open("wb") as file:
            file.truncate(64 * 1024 * 1024 + 1)
    elif kind == "bad-value":
        bad.write_text(json.dumps({**good, "answers": {"strength": "11"}}))
    elif kind == "strange-name":
        bad.write_text('{"format": "after-rejection-workbook/answers", "worksheet": "' + WS +
                       '", "answers": {"__proto__": {"x": 1}}}')
    elif kind == "bad-details":
        bad.write_text(json.dumps({**good, "details": {"company": 42}}))
    else:
        bad.write_text(json.dumps({**good, "answers": {"retired-field": [{"name": 7}]}}))
    page.set_input_files("[data-wb-file]", str(bad))
    error = page.locator("[data-wb-error]")
    error.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('[data-wb-error]').textContent.length > 0")
    message = error.inner_text()
    assert "Nothing was changed" in message
    if kind == "foreign":
        assert "My support map" in message
    assert answers(page) == EXPECTED
    assert page.input_value(fid(WS, "what-happened")) == EXPECTED["what-happened"]


def test_answers_the_page_cannot_show_are_kept(open_page):
    """A field or option renamed since the answers were saved: the old
    answers stay in storage (and in downloads) instead of being dropped."""
    page = open_page(f"worksheets/{WS}/")
    page.evaluate(f"""() => localStorage.setItem('wb-worksheet:{WS}', JSON.stringify({{v: 1,
        answers: {{'old-field': 'Written last week', 'feelings': ['Sad', 'Hopeful'],
                   'what-happened': 'First try'}}}}))""")
    page.reload()
    assert page.is_checked(fid(WS, "feelings") + "--1")
    page.fill(fid(WS, "what-happened"), "Second try")
    page.check(fid(WS, "feelings") + "--2")
    page.wait_for_timeout(400)
    assert answers(page) == {"what-happened": "Second try", "feelings": ["Sad", "Angry", "Hopeful"],
                             "old-field": "Written last week"}


def test_leaving_the_page_right_after_typing_keeps_the_last_words(open_page):
    page = open_page(f"worksheets/{WS}/")
    page.fill(fid(WS, "look-after"), "A walk")
    page.goto(page.url.replace(WS, "support-map"))  # at once: no pause to save after
    page.go_back()
    assert page.input_value(fid(WS, "look-after")) == "A walk"


def test_a_change_in_another_window_shows_when_coming_back(open_page, served):
    page = open_page(f"worksheets/{WS}/")
    other = page.context.new_page()
    other.goto(page.url)
    other.fill(fid(WS, "what-happened"), "Typed in the other window")
    other.wait_for_timeout(400)
    page.bring_to_front()
    page.evaluate("() => window.dispatchEvent(new Event('focus'))")
    assert page.input_value(fid(WS, "what-happened")) == "Typed in the other window"


def test_details_typed_once_fill_every_template(open_page):
    page = open_page("emails/")
    page.fill("#emails--company", "Acme <Ltd>")
    page.fill("#emails--role", "Data Analyst")
    subject = page.locator('[data-wb-email="feedback-request"] [data-wb-email-part="subject"]')
    assert subject.inner_text() == "Re: the Data Analyst role"
    assert "at Acme <Ltd>." in page.locator('[data-wb-email="thank-you"]').inner_text()
    # Another page, another template: the details are already there.
    page.goto(page.url.replace("emails/", "worksheets/networking-tracker/"))
    assert page.input_value("#ws--networking-tracker--email--company") == "Acme <Ltd>"
    body = page.locator('[data-wb-email="keep-in-touch"] [data-wb-email-part="body"]').inner_text()
    assert "the Data Analyst role at Acme <Ltd>." in body
    assert "[their name]" in body  # not typed yet: the blank shows what goes there


def test_copy_puts_the_finished_email_on_the_clipboard(open_page):
    page = open_page("emails/", permissions=["clipboard-read", "clipboard-write"])
    page.fill("#emails--contact-name", "Ms Lee")
    page.click('[data-wb-email="thank-you"] [data-wb-copy-email]')
    page.wait_for_function("() => document.querySelector('[data-wb-email=\"thank-you\"] "
                           "[data-wb-copy-status]').textContent.startsWith('Copied')")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("Subject: Re: the [job title] role\n\nDear Ms Lee,\n\n")
    assert copied.rstrip().endswith("[your name]")


def test_without_clipboard_permission_the_text_is_selected(open_page):
    page = open_page("emails/")
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('no')); }")
    page.click('[data-wb-email="keep-in-touch"] [data-wb-copy-email]')
    status = page.locator('[data-wb-email="keep-in-touch"] [data-wb-copy-status]')
    status.wait_for(state="visible")
    assert "selected" in status.inner_text()
    assert page.evaluate("() => window.getSelection().toString()").startswith("Hi [their name],")


# -------------------------------------------------------------------- print

def printed(page, paper: str) -> list[str]:
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format=paper)))
    return [squash(sheet.extract_text() or "") for sheet in pdf.pages]


@pytest.mark.parametrize("sheet", SHEETS, ids=[w["id"] for w in SHEETS])
def test_print_blank_fits_the_declared_sheets_with_a_footer_on_each(open_page, served, sheet):
    page = open_page(page_of(sheet["id"]))
    page.evaluate("() => document.documentElement.setAttribute('data-wb-print', 'blank')")
    for paper in ("Letter", "A4"):
        sheets = printed(page, paper)
        assert len(sheets) == sheet.get("sheets", 1), f"{paper}: {len(sheets)} sheets"
        for n, text in enumerate(sheets, 1):
            flat = squash(text)
            assert sheet["title"] in flat and f"{served}{page_of(sheet['id'])}" in flat.replace(" ", "")
            assert f"Page {n} of {len(sheets)}" in flat


def test_print_with_answers_prints_a_long_answer_in_full(open_page):
    page = open_page(f"worksheets/{WS}/")
    long_answer = " ".join(f"word{n}" for n in range(700))[:5000]
    assert len(long_answer) == 5000
    page.fill(fid(WS, "did-well"), long_answer)
    page.wait_for_timeout(400)
    page.evaluate("() => document.documentElement.setAttribute('data-wb-print', 'answers')")
    page.emulate_media(media="print")
    text = " ".join(printed(page, "Letter"))
    # Every word, in order, whatever line breaks the PDF's text puts between.
    assert re.findall(r"word\d+", text) == re.findall(r"word\d+", long_answer)
    # Print blank leaves the answers out.
    page.evaluate("() => document.documentElement.setAttribute('data-wb-print', 'blank')")
    assert "word699" not in " ".join(printed(page, "Letter"))


def test_every_field_avoids_breaking_across_sheets(open_page):
    page = open_page("worksheets/asking-for-feedback/")
    page.emulate_media(media="print")
    breaks = page.evaluate("() => [...document.querySelectorAll('[data-wb-field]')]"
                           ".map(f => getComputedStyle(f).breakInside)")
    assert breaks and set(breaks) == {"avoid"}


# --------------------------------------------------------------------- PDFs

def pdf_text(path) -> tuple[int, str]:
    reader = pypdf.PdfReader(path)
    return len(reader.pages), squash(" ".join(p.extract_text() or "" for p in reader.pages))


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("sheet", SHEETS, ids=[w["id"] for w in SHEETS])
def test_each_worksheet_pdf_has_its_sheets_title_url_and_page_numbers(site, base_url, sheet, paper):
    pages, text = pdf_text(site / "pdf" / f"{sheet['id']}-{paper}.pdf")
    assert pages == sheet.get("sheets", 1)
    assert text.count(sheet["title"]) >= pages + 1  # the heading, and every footer
    assert text.count(f"{base_url}{page_of(sheet['id'])}") == pages
    assert f"Page {pages} of {pages}" in text
    for field in sheet["fields"]:
        if field["type"] != "email":
            assert squash(field["label"]).split(":")[0][:30] in text


@pytest.mark.parametrize("paper", PAPERS)
def test_the_master_checklist_pdf(site, base_url, paper):
    pages, text = pdf_text(site / "pdf" / f"master-checklist-{paper}.pdf")
    assert pages == 1 and f"{base_url}master-checklist/" in text
    # The booklet (workbook-<paper>.pdf) is checked in test_pdfs.py.


def test_no_other_pdfs_are_published(site):
    expected = {f"{w['id']}-{p}.pdf" for w in SHEETS for p in PAPERS}
    expected |= {f"{w['id']}-fillable-{p}.pdf" for w in SHEETS for p in PAPERS}
    expected |= {f"{name}-{p}.pdf" for name in ("workbook", "master-checklist", *pdfs.HANDOUTS)
                 for p in PAPERS}
    assert {p.name for p in (site / "pdf").iterdir()} == expected
