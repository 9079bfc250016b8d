"""Issue 10: a page for each kind of "no", the crisis pointer, the
application tracker and its spreadsheet file, and the content pass (one
locale, email templates, review dates, contact, sources and terms).

The data is read here with plain YAML, independently of the build's code.
The gates every page passes (axe, Nu, budget, print, reading grade,
LinkChecker) run on these pages too: they cover every registered page.
"""

from __future__ import annotations

import csv
import io
import re

import pypdf
import pytest
import yaml

from conftest import REGISTERED_PAGES, ROOT, content
from test_build_safety import edit, failed_build

HELP = yaml.safe_load((ROOT / "data" / "helplines.yml").read_text(encoding="utf-8"))
EMAILS = yaml.safe_load((ROOT / "data" / "emails.yml").read_text(encoding="utf-8"))
SITUATIONS = [p for p in REGISTERED_PAGES if p.startswith("situations/")]
KINDS = ["before-interview", "runner-up", "no-reply", "phone-call", "internal-candidate",
         "feedback-problems", "applying-again", "offer-withdrawn"]
CRISIS_PAGES = ["", "emotions/", "support/", "professional-help/",
                "worksheets/processing-the-news/", "worksheets/support-map/"]


def digits(number: str) -> str:
    return number.replace(" ", "")


# ------------------------------------------------------ the crisis pointer

@pytest.mark.parametrize("path", CRISIS_PAGES, ids=lambda p: p.rstrip("/") or "home")
def test_the_crisis_box_is_on_each_page_that_needs_it_with_working_links(pages, path):
    boxes = pages[path].select("section.wb-crisis")
    assert len(boxes) == 1, f"{len(boxes)} crisis boxes"
    box = boxes[0]
    title = pages[path].find(id=box["aria-labelledby"])
    assert title is not None and title.get_text() == "If you are struggling"  # a labelled region
    hrefs = {a["href"] for a in box.select("a")}
    for line in HELP["lines"]:
        assert line["country"] in box.get_text()
        for way in line.get("ways", []):
            scheme = "tel" if way["how"] == "call" else "sms"
            assert f"{scheme}:{digits(way['number'])}" in hrefs
        if "web" in line:
            assert line["web"] in hrefs
    for emergency in HELP["emergency"]:
        assert f"tel:{digits(emergency['number'])}" in hrefs
    assert "Numbers differ by country" in box.get_text()


def test_the_crisis_box_comes_before_the_first_days_list_and_after_the_ratings(pages):
    home = pages[""]
    box = home.select_one("section.wb-crisis")
    assert box.find_next("fieldset")["data-wb-checklist"] == "first-48-hours"
    for sheet, field in (("processing-the-news", "strength"), ("support-map", "feeling")):
        rating = pages[f"worksheets/{sheet}/"].select_one(f'[data-wb-field="{field}"]')
        assert rating.select_one("section.wb-crisis") is not None, sheet


@pytest.mark.parametrize("sheet", ["processing-the-news", "support-map"])
def test_the_crisis_box_prints_on_those_worksheet_pdfs(site, sheet):
    for paper in ("letter", "a4"):
        reader = pypdf.PdfReader(site / "pdf" / f"{sheet}-{paper}.pdf")
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
        assert "If you are struggling" in text and "116 123" in text and "13 11 14" in text


BAD_HELP = [
    ("bad-number", '        number: "116 123"', '        number: "one one six"',
     r"data/helplines\.yml:\d+:\d+: lines\[1\]\.ways\[0\]\.number: .*digits"),
    ("both-ways-and-web", "    web: https://findahelpline.com/",
     "    web: https://findahelpline.com/\n    ways:\n      - how: call\n        number: \"1\"",
     r"data/helplines\.yml:\d+:\d+: lines\[3\]: give either 'ways'"),
    ("unknown-way", "      - how: text", "      - how: fax",
     r"data/helplines\.yml:\d+:\d+: lines\[0\]\.ways\[1\]\.how: 'how' is 'fax'"),
    ("web-not-https", "    web: https://findahelpline.com/", "    web: http://findahelpline.com/",
     r"data/helplines\.yml:\d+:\d+: lines\[3\]\.web: .*https"),
]


@pytest.mark.parametrize("name, old, new, message", BAD_HELP, ids=[b[0] for b in BAD_HELP])
def test_a_malformed_help_line_stops_the_build_with_file_and_line(project_copy, name, old, new, message):
    edit(project_copy / "data" / "helplines.yml", old, new)
    output = failed_build(project_copy)
    assert re.search(message, output), output


def test_step_eight_tells_the_two_kinds_of_counselor_apart(pages):
    assert pages["professional-help/"].find(id="which-counselor") is not None
    text = " ".join(content(pages["professional-help/"]).get_text(" ").split())
    assert "A career counselor" in text and "A mental-health counselor" in text
    assert "Talk to a doctor or a mental-health professional if" in text


# ---------------------------------------------------------- the situations

def test_every_kind_of_no_has_a_registered_page_in_the_nav_and_on_the_home_page(pages):
    assert {f"situations/{k}/" for k in KINDS} | {"situations/", "situations/where-stuck/"} == set(SITUATIONS)
    home = pages[""]
    assert home.select_one('article a[href="situations/"]') is not None
    nav = {a["href"] for a in pages["situations/"].select("nav.md-nav--primary a[href]")}
    for kind in KINDS + ["where-stuck"]:
        assert any(href.rstrip("/").endswith(kind) for href in nav), kind
        assert pages["situations/"].select_one(f'article a[href="{kind}/"]') is not None


@pytest.mark.parametrize("kind", KINDS)
def test_each_situation_says_what_is_going_on_what_to_do_and_where_next(pages, kind):
    page = pages[f"situations/{kind}/"]
    for section in ("what-is-going-on", "what-to-do-now", "what-helps-next"):
        assert page.find(id=section) is not None, section
    after = page.find(id="what-helps-next").find_next("ul")
    links = [a["href"] for a in after.select("a")]
    assert any(re.search(r"\.\./\.\./[a-z-]+/", h) or "worksheets/" in h for h in links), links
    message = page.find(id="message")
    if message is not None:  # a ready-to-send email, with a copy button
        email = message.find_next(attrs={"data-wb-email": True})
        assert email.select_one("[data-wb-copy-email]") is not None
        assert page.select("input[data-wb-detail]")


def test_the_stuck_guide_covers_each_stage_and_works_without_javascript(open_page):
    page = open_page("situations/where-stuck/", java_script_enabled=False)
    for stage in ("No replies to applications", "First interviews that go nowhere",
                  "Final rounds without an offer"):
        assert page.locator(f"h2:has-text('{stage}')").is_visible()
    assert page.locator("article a[href*='situations/'], article a[href$='.md'], article a").count() >= 8


# ---------------------------------------------------- the email templates

def test_the_templates_read_well_before_and_after_filling_in():
    placeholders = {d["id"]: d["placeholder"] for d in EMAILS["details"]}
    assert not [p for p in placeholders.values() if p.startswith("the ")], placeholders
    by_id = {t["id"]: t for t in EMAILS["templates"]}
    assert "I understand if you can't share feedback" in by_id["feedback-request"]["body"]
    assert "interested" not in by_id["thank-you"]["body"]
    for template in EMAILS["templates"]:
        filled = re.sub(r"\{([a-z-]+)\}", lambda m: f"[{placeholders[m.group(1)]}]",
                        template["subject"] + "\n" + template["body"])
        assert "the the" not in filled.lower() and "[the " not in filled


def test_the_feedback_reply_and_the_thank_you_are_one_or_the_other(pages):
    text = " ".join(content(pages["emails/"]).get_text(" ").split())
    assert "Send one email, not two" in text and "same thread" in text


# ----------------------------------------------- the application tracker

TRACKER_COLUMNS = ["Employer", "Role", "Date applied", "Where I found it", "Contact", "Stage",
                   "Next follow-up", "Outcome", "Notes"]


def test_the_tracker_has_the_columns_a_search_log_needs(pages):
    table = pages["worksheets/weekly-log/"].select_one('[data-wb-field="applications"]')
    assert [th.get_text() for th in table.select("th")] == TRACKER_COLUMNS
    hint = table.select_one(".wb-field__hint") or pages["worksheets/weekly-log/"]
    assert "unemployment benefits" in hint.get_text() and "differs by country and state" in hint.get_text()


def test_the_tracker_downloads_as_a_spreadsheet_file(open_page, tmp_path):
    page = open_page("worksheets/weekly-log/")
    field = '[name="ws--weekly-log--applications--{row}--{column}"]'
    rows = [
        {"company": "Zoë & Co", "role": "Analyst, \"data\"", "date": "2026-11-02",
         "where": "東京 jobs board", "notes": "Line one\nstill one cell"},
        {"company": "=HYPERLINK(\"https://evil.example\",\"click\")", "role": "+1 role",
         "status": "@interview", "next": "-5"},
    ]
    for n, row in enumerate(rows, 1):
        for column, value in row.items():
            page.fill(field.format(row=n, column=column), value.replace("\n", " "))
    page.wait_for_timeout(400)
    with page.expect_download() as info:
        page.click('[data-wb-field="applications"] [data-wb-csv]')
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, for Excel"
    table = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    assert table[0] == TRACKER_COLUMNS
    assert len(table) == 3
    ids = ["company", "role", "date", "where", "contact", "status", "next", "outcome", "notes"]
    first = dict(zip(ids, table[1], strict=True))
    assert first["company"] == "Zoë & Co" and first["where"] == "東京 jobs board"
    assert first["role"] == "Analyst, \"data\""
    second = dict(zip(ids, table[2], strict=True))
    assert second["company"] == "'=HYPERLINK(\"https://evil.example\",\"click\")"
    assert second["role"] == "'+1 role" and second["status"] == "'@interview" and second["next"] == "'-5"
    assert "row" in page.inner_text("[data-wb-status]")


# ------------------------------------------------------- the content pass

def test_every_page_shows_when_it_was_last_reviewed(pages):
    reviewed = yaml.safe_load((ROOT / "data" / "reviews.yml").read_text(encoding="utf-8"))["pages"]
    dates = {entry["path"]: str(entry["reviewed"]) for entry in reviewed}
    assert set(dates) == set(REGISTERED_PAGES)
    for path in REGISTERED_PAGES:
        shown = pages[path].select_one("p.wb-reviewed")
        assert shown is not None and shown.get_text().startswith("Last reviewed: "), path


def test_a_page_without_a_review_date_stops_the_build(project_copy):
    edit(project_copy / "data" / "reviews.yml", '  - path: "emotions/"\n    reviewed: 2026-11-26\n', "")
    output = failed_build(project_copy)
    assert "data/reviews.yml: page 'emotions/' has no review date" in output


def test_a_wrong_review_date_stops_the_build_with_its_line(project_copy):
    edit(project_copy / "data" / "reviews.yml", '  - path: "emotions/"\n    reviewed: 2026-11-26',
         '  - path: "emotions/"\n    reviewed: 2026-13-45')
    output = failed_build(project_copy)
    assert re.search(r"data/reviews\.yml:\d+:\d+: pages\[\d+\]\.reviewed: '2026-13-45' is not a date",
                     output), output


def test_the_owner_can_be_reached_from_about_and_accessibility(pages):
    about = pages["about/"].find(id="contact").find_next("p")
    assert about.select_one('a[href^="mailto:"]') is not None
    accessibility = pages["career-centers/"].find(id="accessibility")
    following = accessibility.find_all_next("p", class_="wb-contact", limit=1)
    assert following and following[0].select_one('a[href^="mailto:"]') is not None


def test_the_quotes_name_their_chapter_and_the_terms_grant_only_the_sites_own_text(pages):
    sources = pages["about/"].select_one("p.wb-source").get_text()
    assert 'Chapter 15, "What to Do If You Don\'t Get the Job"' in sources
    terms = " ".join(pages["career-centers/"].select_one(".wb-terms").get_text(" ").split())
    assert "stays under its own terms" in terms and "text written for this workbook" in terms


def test_the_home_page_does_not_assume_an_interview(pages):
    first = content(pages[""]).find("p").get_text()
    assert "after an application" in first


def test_a_missing_contact_stops_the_build(project_copy):
    edit(project_copy / "mkdocs.yml", "      email: hello@after-rejection.example.org\n", "")
    output = failed_build(project_copy)
    assert "mkdocs.yml: extra.workbook.contact: set the site owner's contact" in output
