"""The printed workbook: the booklet, tagged PDFs for screen readers, and
worksheets to fill in on a computer.

Read with tools other than the one that made them: poppler's `pdfinfo`
(tags, title, the structure's text on the sheets), pikepdf (the structure
tree itself), pdfstructure.py (the structure's text, quickly, on pypdf),
pypdf (text, bookmarks, form fields) and pypdfium2 (pictures of pages).
"""

from __future__ import annotations

import functools
import re
import subprocess

import pikepdf
import pypdf
import pypdfium2
import pytest
import zxingcpp
from weasyprint import HTML

import pdfstructure
from chapter import HOME, SECTIONS
from conftest import ROOT, content
from test_worksheets import PAPERS, SHEETS, squash

HEADINGS = {"/H1": 1, "/H2": 2, "/H3": 3, "/H4": 4, "/H5": 5, "/H6": 6}
HEADING_TAGS = {tag[1:] for tag in HEADINGS}


# ----------------------------------------------------------- tag checking

def pdfinfo(path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key: value.strip() for key, value in
            (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def struct_headings(path) -> list[tuple[str, str]]:
    """(tag, text) of each heading in the structure tree, with the text of
    everything inside it (pdfstructure.py; poppler's reading agrees)."""
    found, current, depth = [], None, 0
    for row in pdfstructure.rows(path):
        if current is not None and row.depth <= depth:
            found.append(current)
            current = None
        if row.tag in HEADING_TAGS:
            current, depth = [row.tag, ""], row.depth
        elif current is not None and row.text is not None:
            current[1] += row.text
    if current is not None:
        found.append(current)
    return [(tag, squash(text)) for tag, text in found]


def poppler_headings(path) -> list[tuple[str, str]]:
    """The same, as poppler reads it (`pdfinfo -struct-text`): headings and,
    indented under each, its pieces of text in quotes."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True,
                         text=True, check=True).stdout
    found, current, depth = [], None, 0
    for line in out.splitlines():
        indent = len(line) - len(line.lstrip())
        element = re.match(r"\s*(H[1-6])\b", line)
        if current is not None and indent <= depth and not line.strip().startswith('"'):
            found.append(current)
            current = None
        if element:
            current, depth = [element.group(1), ""], indent
        elif current is not None and line.strip().startswith('"'):
            current[1] += line.strip()[1:-1]
    if current is not None:
        found.append(current)
    return [(tag, squash(text)) for tag, text in found]


def tag_problems(path) -> list[str]:
    """What a screen reader would miss, read from the PDF's own objects."""
    problems = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
            problems.append("not marked as tagged (/MarkInfo /Marked)")
        if not str(root.get("/Lang", "")).strip():
            problems.append("no document language (/Lang)")
        if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
            problems.append("the window does not show the title (/DisplayDocTitle)")
        with pdf.open_metadata() as meta:
            title = meta.get("dc:title", "")
        if not str(pdf.docinfo.get("/Title", "")).strip() or not title:
            problems.append("no document title")
        tree = root.get("/StructTreeRoot")
        if tree is None:
            return [*problems, "no structure tree (/StructTreeRoot)"]
        levels, figures = [], []

        def walk(node):
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
                return
            if not isinstance(node, pikepdf.Dictionary):
                return
            tag = str(node.get("/S", ""))
            if tag in HEADINGS:
                levels.append(HEADINGS[tag])
            if tag == "/Figure":
                figures.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node.K)

        walk(tree.get("/K"))
        if not levels or levels[0] != 1:
            problems.append(f"the headings do not start with H1: {levels[:5]}")
        skipped = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        if skipped:
            problems.append(f"heading levels skip: {skipped[:5]}")
        if any(not alt.strip() for alt in figures):
            problems.append("a picture has no alternative text")
    return problems


def all_pdfs(site):
    return sorted((site / "pdf").glob("*.pdf"))


def test_every_pdf_is_tagged_with_title_language_and_headings(site):
    pdfs = all_pdfs(site)
    assert len(pdfs) == 2 * (2 * len(SHEETS) + 3)  # + master, booklet, facilitator guide
    for path in pdfs:
        info = pdfinfo(path)
        assert info["Tagged"] == "yes", path.name
        assert info["Title"], path.name
        assert tag_problems(path) == [], path.name
        if "-fillable-" not in path.name:  # the same tags as the blank sheet
            headings = struct_headings(path)
            assert headings and headings[0][0] == "H1", path.name


def test_the_structure_reader_agrees_with_poppler(site):
    """pdfstructure.py reads what poppler reads: every heading with its
    text, in order, on each blank worksheet sheet and the master checklist
    (poppler is quick on these; on a booklet it takes half a minute)."""
    sheets = [p for p in all_pdfs(site) if "-fillable-" not in p.name
              and not p.name.startswith(("workbook-", "facilitator"))]
    assert len(sheets) == 2 * (len(SHEETS) + 1)
    for path in sheets:
        assert struct_headings(path) == poppler_headings(path), path.name


def test_an_untagged_pdf_fails_the_checks(tmp_path):
    """The checks above can fail: the same document, written without tags."""
    html = ('<!doctype html><html lang="en"><head><title>A sheet</title></head>'
            '<body><h1>A sheet</h1><h2>Part</h2><p>Text</p></body></html>')
    document = HTML(string=html).render()
    document.write_pdf(tmp_path / "untagged.pdf")
    document.write_pdf(tmp_path / "tagged.pdf", pdf_variant="pdf/ua-1")
    assert pdfinfo(tmp_path / "untagged.pdf")["Tagged"] == "no"
    assert "no structure tree (/StructTreeRoot)" in tag_problems(tmp_path / "untagged.pdf")
    assert struct_headings(tmp_path / "untagged.pdf") == []
    assert tag_problems(tmp_path / "tagged.pdf") == []
    assert struct_headings(tmp_path / "tagged.pdf") == [("H1", "A sheet"), ("H2", "Part")]
    assert poppler_headings(tmp_path / "tagged.pdf") == [("H1", "A sheet"), ("H2", "Part")]


# ---------------------------------------------------------------- booklet

def booklet(site, paper) -> pypdf.PdfReader:
    return pypdf.PdfReader(site / "pdf" / f"workbook-{paper}.pdf")


@functools.cache
def _texts(path) -> tuple[str, ...]:
    return tuple(squash(page.extract_text() or "") for page in pypdf.PdfReader(path).pages)


def page_texts(site, paper) -> list[str]:
    """Each page of the booklet's text (read once per file: it is long)."""
    return list(_texts(site / "pdf" / f"workbook-{paper}.pdf"))


@pytest.mark.parametrize("paper", PAPERS)
def test_the_booklet_has_every_chapter_heading_and_worksheet(site, paper):
    text = " ".join(page_texts(site, paper))
    wanted = [HOME["h1"][1]] + [h for _, h in HOME["h2"]]
    for _, (_, h1), subsections in SECTIONS:
        wanted += [h1] + [heading for _, heading, _ in subsections]
    wanted += [sheet["title"] for sheet in SHEETS]
    missing = [heading for heading in wanted if squash(heading) not in text]
    assert missing == []


def booklet_pages() -> list[str]:
    """The site pages the booklet holds, in its order: the home page, the
    steps, the situations (in the order of mkdocs.yml's nav), the email
    templates."""
    steps = [path for path, _, _ in SECTIONS]
    nav = re.findall(r"^\s+- (situations/[a-z-]+)\.md$",
                     (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    situations = [("situations/" if name == "situations/index" else name + "/") for name in nav]
    assert len(situations) > 5
    return ["", *steps, *situations, "emails/"]


@pytest.mark.parametrize("paper", PAPERS)
def test_the_booklets_headings_are_the_pages_headings_in_order(site, pages, paper):
    """Each page's H1-H3 appear in the booklet's structure, in the page's
    order; each worksheet and the master checklist add their H1."""
    found = struct_headings(site / "pdf" / f"workbook-{paper}.pdf")
    at = 0
    for path in booklet_pages():
        article = content(pages[path])
        wanted = [(h.name.upper(), squash(h.get_text(" ").replace("¶", "")))
                  for h in article.select("h1, h2, h3") if not h.find_parent(class_="wb-screen-only")]
        start = found.index(wanted[0], at)
        assert found[start:start + len(wanted)] == wanted, path
        at = start + len(wanted)
    for sheet in SHEETS:
        assert ("H1", squash(sheet["title"])) in found
    assert found[-1][0] == "H1" and "Master checklist" in found[-1][1]


@pytest.mark.parametrize("paper", PAPERS)
def test_the_booklet_has_no_blank_pages_and_a_footer_on_each(site, paper, base_url):
    texts = page_texts(site, paper)
    assert len(texts) > 40
    for number, text in enumerate(texts, start=1):
        body = re.sub(r"Page \d+", "", text)
        body = body.replace(base_url.rstrip("/"), "")
        assert len(body) > 80, f"page {number} is (nearly) blank: {text!r}"
        if number > 2:  # after the cover and the contents
            assert f"Page {number}" in text and base_url.rstrip("/") in text, number


def contents_entries(path) -> list[tuple[str, int]]:
    """(title, page number) of each line of the booklet's contents, in the
    order a screen reader reads them (its structure's text)."""
    rows = pdfstructure.rows(path)
    start = next(n for n, row in enumerate(rows) if row.text == "Contents")
    end = next(n for n, row in enumerate(rows) if n > start and row.tag == "H1")
    entries = []
    for text in [squash(row.text) for row in rows[start + 1:end] if row.text is not None]:
        if text.isdigit():
            entries[-1][1] = int(text)
        elif text and not re.fullmatch(r"[0-9a-z]+\.", text):
            entries.append([text, None])
    return [(title, number) for title, number in entries]


@pytest.mark.parametrize("paper", PAPERS)
def test_the_contents_page_numbers_lead_to_each_part(site, paper):
    path = site / "pdf" / f"workbook-{paper}.pdf"
    texts = page_texts(site, paper)
    entries = contents_entries(path)
    assert len(entries) == 1 + 10 + len(SHEETS) + 1 + 9 + 2, entries
    reader = booklet(site, paper)
    starts: dict[str, list[int]] = {}  # each bookmark's title: the pages it leads to

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                starts.setdefault(item["/Title"], []).append(
                    reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    for title, number in entries:
        assert number in starts[title], (title, number)  # "Worksheet: ..." too
        title = squash(title.removeprefix("Worksheet: "))
        assert title in texts[number - 1], (title, number)


@pytest.mark.parametrize("paper", PAPERS)
def test_the_booklet_opens_with_bookmarks_for_every_part(site, paper):
    outline = booklet(site, paper).outline
    top = [item["/Title"] for item in outline if not isinstance(item, list)]
    nested = [item["/Title"] for sub in outline if isinstance(sub, list)
              for item in sub if not isinstance(item, list)]
    for _, (_, h1), _ in SECTIONS:
        assert h1 in top
    for sheet in SHEETS:
        assert f"Worksheet: {sheet['title']}" in nested
    assert "Email templates" in top and any("Master checklist" in t for t in top)
    assert "Your situation" in top and "Turned down before an interview" in nested


def test_each_step_in_the_booklet_starts_with_its_qr_code(site, base_url):
    """The first page of each step (found by its bookmark) has one QR code,
    of the step's online page; it has alternative text for screen readers."""
    path = site / "pdf" / "workbook-letter.pdf"
    reader = pypdf.PdfReader(path)
    first_pages = {item["/Title"]: reader.get_destination_page_number(item)
                   for item in reader.outline if not isinstance(item, list)}
    document = pypdfium2.PdfDocument(str(path))
    try:
        for step, (_, h1), _ in SECTIONS:
            page = document[first_pages[h1]]
            codes = [code.text for code in zxingcpp.read_barcodes(page.render(scale=3).to_pil())]
            assert codes == [f"{base_url}{step}"], h1
    finally:
        document.close()
    with pikepdf.open(path) as pdf:
        alts = []

        def walk(node):
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    alts.append(str(node.get("/Alt", "")))
                if "/K" in node:
                    walk(node.K)

        walk(pdf.Root.StructTreeRoot.K)
    assert [a for a in alts if a.startswith("QR code")] == [
        f"QR code: opens this step online, {base_url}{path}" for path, _, _ in SECTIONS]


def test_links_in_the_booklet_print_as_page_numbers_or_addresses(site, base_url):
    """A link to a part of the booklet shows its page; any other link shows
    the address to type."""
    texts = page_texts(site, "letter")
    text = " ".join(texts)
    found = re.search(r"Seeking feedback \(page (\d+)\)", text)
    assert found and "Step 2: Seeking feedback" in texts[int(found.group(1)) - 1][:200]
    found = re.search(r"master checklist \(page (\d+)\)", text)
    assert found and "Master checklist" in texts[int(found.group(1)) - 1]
    assert f"worksheets ({base_url}worksheets/)" in text


# --------------------------------------------------------------- fillable

def expected_fields(sheet) -> dict[str, str]:
    """Each form field's name and kind, from the worksheet's data."""
    def name(text):
        return text.replace(".", "").strip()

    found = {}
    for field in sheet["fields"]:
        label = field["label"]
        if field["type"] in ("text", "longtext"):
            found[name(label)] = "/Tx"
        elif field["type"] == "table":
            for row in range(1, field.get("rows", 1) + 1):
                for column in field["columns"]:
                    found[name(f"{label}: {column['label']}, row {row}")] = "/Tx"
        elif field["type"] == "choice" and field.get("multiple"):
            for option in field["options"]:
                found[name(f"{label}: {option}")] = "/Btn"
        elif field["type"] in ("choice", "rating"):
            found[name(label)] = "/Btn"
    return found


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("sheet", SHEETS, ids=[w["id"] for w in SHEETS])
def test_each_fillable_pdf_has_a_field_for_every_write_in_place(site, sheet, paper):
    reader = pypdf.PdfReader(site / "pdf" / f"{sheet['id']}-fillable-{paper}.pdf")
    fields = reader.get_fields()
    assert {k: v.get("/FT") for k, v in fields.items()} == expected_fields(sheet)
    for name, kind in expected_fields(sheet).items():
        if kind == "/Btn" and "/Kids" not in fields[name].indirect_reference.get_object():
            states = set(fields[name]["/_States_"])  # a checkbox: ticked and not
            assert "/Off" in states and len(states) == 2, name
    for field in sheet["fields"]:
        if field["type"] == "rating":
            group = fields[field["label"].replace(".", "").strip()]
            kids = [kid.get_object() for kid in group.indirect_reference.get_object()["/Kids"]]
            assert len(kids) == 5
            for kid in kids:  # each button can be on or off
                states = set(kid["/AP"]["/N"].keys())
                assert len(states) == 1 or "/Off" in states
                assert "/T" not in kid
    # It prints like the blank sheet.
    blank = pypdf.PdfReader(site / "pdf" / f"{sheet['id']}-{paper}.pdf")
    assert [squash(p.extract_text()) for p in reader.pages] == \
        [squash(p.extract_text()) for p in blank.pages]


def test_fields_are_in_reading_order_and_big_enough(site):
    """Tab order follows the sheet: the widgets come in the order of the
    worksheet's data; every box to type in has room for a line of text."""
    for sheet in SHEETS:
        with pikepdf.open(site / "pdf" / f"{sheet['id']}-fillable-letter.pdf") as pdf:
            order = []
            for page in pdf.pages:
                for widget in page.get("/Annots", []):
                    if widget.get("/Subtype") != "/Widget":
                        continue
                    field = widget.get("/Parent", widget)
                    if not order or order[-1] != str(field.T):
                        order.append(str(field.T))
                    x0, y0, x1, y1 = (float(v) for v in widget.Rect)
                    if field.get("/FT") == "/Tx":
                        assert abs(x1 - x0) > 40 and abs(y1 - y0) >= 12, (sheet["id"], str(field.T))
            assert order == list(expected_fields(sheet)), sheet["id"]


def test_a_filled_fillable_pdf_keeps_its_answers(site, tmp_path):
    source = site / "pdf" / "support-map-fillable-letter.pdf"
    writer = pypdf.PdfWriter(clone_from=source)
    answers = {"A group or job club I could join": "The Tuesday job club at the library",
               "People who can support me: Name, row 1": "Sam"}
    writer.update_page_form_field_values(writer.pages[0], answers, auto_regenerate=False)
    group = next(f for f in writer._root_object["/AcroForm"]["/Fields"]
                 if f.get_object().get("/T") == "How supported do I feel right now?").get_object()
    on = [k for k in group["/Kids"][2].get_object()["/AP"]["/N"] if k != "/Off"][0]
    group[pypdf.generic.NameObject("/V")] = pypdf.generic.NameObject(on)
    group["/Kids"][2].get_object()[pypdf.generic.NameObject("/AS")] = pypdf.generic.NameObject(on)
    out = tmp_path / "filled.pdf"
    writer.write(out)
    fields = pypdf.PdfReader(out).get_fields()
    for name, value in answers.items():
        assert fields[name]["/V"] == value
    assert fields["How supported do I feel right now?"]["/V"] == on
    assert fields["My first clear ask, and who I will ask"].get("/V", "") == ""


def test_the_worksheet_pages_offer_both_pdfs(pages):
    for sheet in SHEETS:
        page = pages[f"worksheets/{sheet['id']}/"]
        links = [a["href"] for a in page.select(".wb-worksheet__pdfs a")]
        assert links == [f"../../pdf/{sheet['id']}-{p}.pdf" for p in PAPERS] + \
            [f"../../pdf/{sheet['id']}-fillable-{p}.pdf" for p in PAPERS]
        assert "type in on a computer" in page.select_one(".wb-worksheet__pdfs").get_text()
    index = pages["worksheets/"]
    for sheet in SHEETS:
        for paper in PAPERS:
            assert index.select_one(f'a[href="../pdf/{sheet["id"]}-fillable-{paper}.pdf"]')
    assert "fill-in PDF" in index.get_text()


def test_nothing_for_the_screen_only_prints_in_the_booklet(site):
    text = " ".join(page_texts(site, "letter"))
    for words in ("Type these once", "Your details", "saved on this device", "stays on this device",
                  "Copy this email", "Reset this checklist", "Download my answers", "Last reviewed",
                  "¶", "Type your details once"):
        assert words not in text, words


def test_the_booklet_opens_with_its_bookmarks_shown(site):
    for paper in PAPERS:
        with pikepdf.open(site / "pdf" / f"workbook-{paper}.pdf") as pdf:
            assert pdf.Root.PageMode == pikepdf.Name.UseOutlines


def test_fillable_fields_are_named_by_their_question_and_text_shrinks_to_fit(site):
    for sheet in SHEETS:
        with pikepdf.open(site / "pdf" / f"{sheet['id']}-fillable-letter.pdf") as pdf:
            for field in pdf.Root.AcroForm.Fields:
                assert str(field.get("/TU", "")) .startswith(str(field.T).split(":")[0]), str(field.T)
                if field.get("/FT") == "/Tx":
                    assert re.search(r" 0 Tf", str(field.DA)), str(field.T)
                for button in field.get("/Kids", []):
                    assert str(button.TU).startswith(str(field.T) + ": ")
