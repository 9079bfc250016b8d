"""The career-center kit: the link map and table, copy-link buttons, QR codes
on printouts, redirects, and hosting (a sub-path build checked by
LinkChecker, and the documented nginx set-up run in nginx)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pypdf
import pypdfium2
import pytest
import yaml
import zxingcpp
from bs4 import BeautifulSoup

from conftest import ROOT, build_copy, free_port, heading_text
from test_build_safety import edit, failed_build
from workbook.staticserver import serve

REGISTRY = yaml.safe_load((ROOT / "data" / "links.yml").read_text(encoding="utf-8"))
SHEETS = yaml.safe_load((ROOT / "data" / "worksheets.yml").read_text(encoding="utf-8"))["worksheets"]


def registered() -> list[tuple[str, str, str, str | None]]:
    """(id, title, page path, anchor) for every registered link, in order."""
    out = []
    for page in REGISTRY["pages"]:
        base = page["path"].rstrip("/") or "home"
        out.append((base, page["title"], page["path"], None))
        for anchor in page.get("anchors", []):
            if "title" in anchor:
                out.append((f"{base}#{anchor['id']}", anchor["title"], page["path"], anchor["id"]))
    return out


LINKS = registered()


# ----------------------------------------------------------------- link map

def test_links_json_matches_the_registry(site, base_url):
    data = json.loads((site / "links.json").read_text(encoding="utf-8"))
    assert data["site"] == base_url
    got = [(e["id"], e["title"], e["page"], e["anchor"]) for e in data["links"]]
    assert got == LINKS
    for entry in data["links"]:
        expected = base_url + entry["page"] + (f"#{entry['anchor']}" if entry["anchor"] else "")
        assert entry["url"] == expected


def test_every_url_in_links_json_resolves_anchors_included(site, served):
    data = json.loads((site / "links.json").read_text(encoding="utf-8"))
    pages: dict[str, BeautifulSoup] = {}
    for entry in data["links"]:
        page_url, _, anchor = entry["url"].partition("#")
        if page_url not in pages:
            with urllib.request.urlopen(page_url) as response:
                assert response.status == 200
                pages[page_url] = BeautifulSoup(response.read(), "html.parser")
        if anchor:
            assert pages[page_url].find(id=anchor) is not None, entry["url"]


def test_the_career_center_table_lists_every_registered_link_once(pages, base_url):
    rows = pages["career-centers/"].select(".wb-link-table tbody tr")
    assert [row["data-link-id"] for row in rows] == [link_id for link_id, *_ in LINKS]
    for row, (_, title, page, anchor) in zip(rows, LINKS, strict=True):
        url = base_url + page + (f"#{anchor}" if anchor else "")
        assert row.select_one("a").get_text() == url
        assert row.select_one("a[data-wb-copyable]").get_text() == url
        assert title in row.get_text()


def test_the_career_center_page_links_every_pdf(pages, site):
    hrefs = {a["href"] for a in pages["career-centers/"].select("a[href$='.pdf']")}
    wanted = {f"../pdf/{w['id']}{kind}-{p}.pdf" for w in SHEETS for p in ("letter", "a4")
              for kind in ("", "-fillable")}
    wanted |= {f"../pdf/{n}-{p}.pdf" for n in ("workbook", "master-checklist", "facilitator-guide")
               for p in ("letter", "a4")}
    assert wanted <= hrefs
    for href in wanted:
        assert (site / href.removeprefix("../")).stat().st_size > 5000


def test_reuse_terms_come_from_mkdocs_yml(project_copy, tmp_path):
    edit(project_copy / "mkdocs.yml", "You may link to any page",
         "Career centers <b>may</b> link to any page")
    out = tmp_path / "out"
    assert build_copy(project_copy, out).returncode == 0
    soup = BeautifulSoup((out / "career-centers" / "index.html").read_text(), "html.parser")
    first = soup.select_one(".wb-terms p")
    assert first.get_text().startswith("Career centers <b>may</b> link to any page")
    assert first.find("b") is None


def test_missing_reuse_terms_stop_the_build(project_copy):
    text = (project_copy / "mkdocs.yml").read_text()
    text, found = re.subn(r"    reuse_terms: \|\n(?:      .*\n|\n)+", "    reuse_terms: ''\n\n", text)
    assert found == 1
    (project_copy / "mkdocs.yml").write_text(text)
    output = failed_build(project_copy)
    assert "mkdocs.yml: extra.workbook.reuse_terms: the reuse and printing terms are missing" in output


# ------------------------------------------------------------------ QR codes

def qr_codes(pdf_path: Path) -> list[list[str]]:
    """The QR codes on each page of a PDF, decoded with zxing-cpp."""
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        return [[code.text for code in zxingcpp.read_barcodes(page.render(scale=3).to_pil())]
                for page in document]
    finally:
        document.close()


@pytest.mark.parametrize("sheet", SHEETS, ids=[w["id"] for w in SHEETS])
def test_the_qr_code_on_a_worksheet_pdf_decodes_to_its_page(site, base_url, sheet):
    for paper in ("letter", "a4"):
        codes = qr_codes(site / "pdf" / f"{sheet['id']}-{paper}.pdf")
        assert codes == [[f"{base_url}worksheets/{sheet['id']}/"]] * sheet.get("sheets", 1)


def test_the_fillable_worksheet_pdfs_keep_the_qr_code_of_their_page(site, base_url):
    for sheet in SHEETS:
        codes = qr_codes(site / "pdf" / f"{sheet['id']}-fillable-letter.pdf")
        assert codes == [[f"{base_url}worksheets/{sheet['id']}/"]] * sheet.get("sheets", 1)
    # The booklet's QR codes: test_pdfs.py.


def test_the_short_link_is_printed_and_leads_to_the_worksheet(site, base_url):
    reader_text = " ".join(p.extract_text() for p in
                           pypdf.PdfReader(site / "pdf" / "support-map-a4.pdf").pages)
    short = base_url.split("://", 1)[1] + "w/support-map"
    assert f"Short link: {short}" in " ".join(reader_text.split())
    stub = (site / "w" / "support-map" / "index.html").read_text()
    assert 'content="0; url=../../worksheets/support-map/"' in stub


def test_the_browser_print_of_a_worksheet_carries_the_qr_code(open_page, base_url, tmp_path):
    page = open_page("worksheets/weekly-log/")
    pdf = tmp_path / "print.pdf"
    pdf.write_bytes(page.pdf(format="Letter"))
    assert qr_codes(pdf) == [[f"{base_url}worksheets/weekly-log/"]]


def test_the_browser_print_of_the_master_checklist_carries_its_footer(open_page, base_url, tmp_path):
    page = open_page("master-checklist/")
    pdf = tmp_path / "print.pdf"
    pdf.write_bytes(page.pdf(format="A4"))
    assert qr_codes(pdf) == [[f"{base_url}master-checklist/"]]
    text = " ".join(pypdf.PdfReader(pdf).pages[0].extract_text().split())
    assert "Master checklist: all ten steps · Page 1 of 1" in text


# ---------------------------------------------------------------- copy links

def test_every_h2_and_h3_has_a_copy_link_button(open_page):
    for path in ("emotions/", "career-centers/", "emails/"):
        page = open_page(path)
        headings = page.locator("article h2[id], article h3[id]")
        buttons = page.locator("article .wb-copy-link > button.wb-copy-link__button")
        assert headings.count() >= 2 and buttons.count() == headings.count()
        assert buttons.first.is_visible()


def test_copy_link_puts_the_permanent_url_on_the_clipboard(open_page, base_url):
    page = open_page("feedback/", permissions=["clipboard-read", "clipboard-write"])
    heading = page.locator("#objective-evaluation")
    button = page.locator("#objective-evaluation + .wb-copy-link > button")
    name = button.evaluate("b => b.textContent")
    assert name == "Copy link to the section Objective evaluation"
    button.focus()
    page.keyboard.press("Enter")
    status = page.locator("#objective-evaluation + .wb-copy-link [role=status]")
    status.wait_for(state="visible")
    url = f"{base_url}feedback/#objective-evaluation"
    assert page.evaluate("() => navigator.clipboard.readText()") == url
    assert status.inner_text() == f"Link copied: {url}"
    assert heading.is_visible()


def test_every_link_in_the_career_center_table_gets_a_copy_button(open_page):
    page = open_page("career-centers/")
    rows = page.locator(".wb-link-table tbody tr")
    buttons = page.locator(".wb-link-table tbody tr button[data-wb-copy-url]")
    assert buttons.count() == rows.count() == len(LINKS)
    name = page.locator('tr[data-link-id="feedback#request-feedback"] button').evaluate(
        "b => b.textContent")
    assert name == "Copy the link to Step 2: Seeking feedback: Request constructive feedback"


def test_without_clipboard_permission_the_url_shows_in_a_field(open_page, base_url):
    page = open_page("career-centers/")
    page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('no')); }")
    row = page.locator('tr[data-link-id="support#share-your-experiences"]')
    row.locator("button").click()
    field = row.locator("input[data-wb-copy-field]")
    field.wait_for(state="visible")
    url = f"{base_url}support/#share-your-experiences"
    assert field.input_value() == url
    assert page.evaluate("() => document.activeElement.value") == url
    assert page.evaluate("() => window.getSelection().toString() || "
                         "document.activeElement.value.substring(document.activeElement.selectionStart, "
                         "document.activeElement.selectionEnd)") == url


@pytest.mark.parametrize("width", [1280, 375])
def test_a_deep_link_lands_below_the_sticky_header(open_page, width):
    page = open_page("support/#share-your-experiences", viewport={"width": width, "height": 700})
    page.wait_for_timeout(300)
    header = page.locator(".md-header").bounding_box()
    heading = page.locator("#share-your-experiences").bounding_box()
    assert heading["y"] >= header["y"] + header["height"] - 1, (heading, header)
    assert heading["y"] < 700 / 2


# ---------------------------------------------------------------- redirects

def test_a_short_link_lands_on_its_worksheet(open_page, served):
    page = open_page("w/support-map/")
    page.wait_for_url(f"{served}worksheets/support-map/")
    assert heading_text(BeautifulSoup(page.content(), "html.parser").find("h1")) == "My support map"


def test_a_moved_page_keeps_its_old_address_and_anchor(project_copy, tmp_path, browser):
    (project_copy / "docs" / "emotions.md").rename(project_copy / "docs" / "feelings.md")
    edit(project_copy / "mkdocs.yml", "  - emotions.md\n", "  - feelings.md\n")
    for md in (project_copy / "docs").rglob("*.md"):
        md.write_text(md.read_text().replace("(emotions.md", "(feelings.md")
                      .replace("(../emotions.md", "(../feelings.md"))
    edit(project_copy / "data" / "links.yml", "  - path: emotions/\n", "  - path: feelings/\n")
    edit(project_copy / "data" / "links.yml", "moved: []", "moved:\n  - from: emotions/\n    to: feelings/\n")
    out = tmp_path / "out"
    result = build_copy(project_copy, out)
    assert result.returncode == 0, result.stderr
    with serve(out) as url:
        page = browser.new_page()
        try:
            page.goto(url + "emotions/#avoiding-self-doubt")
            page.wait_for_url(url + "feelings/#avoiding-self-doubt")
            assert page.locator("#avoiding-self-doubt").is_visible()
        finally:
            page.close()


# ------------------------------------------------------------------ hosting

# A build under a sub-path passes LinkChecker: tests/test_brand.py crawls
# the example center's copy, built for and served under /after-rejection/.


def nginx_snippet() -> str:
    text = (ROOT / "docs" / "career-centers" / "hosting.md").read_text(encoding="utf-8")
    return re.search(r"```nginx\n(.*?)```", text, re.S).group(1)


@pytest.fixture(scope="session")
def nginx(subpath_site, tmp_path_factory):
    """nginx running the hosting page's documented set-up, on loopback."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    snippet = nginx_snippet().replace("/var/www/after-rejection/", f"{subpath_site}/after-rejection/")
    (work / "nginx.conf").write_text(f"""
user root;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
{snippet}
    }}
}}
""")
    check = subprocess.run([binary, "-t", "-c", str(work / "nginx.conf"), "-p", str(work)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    server = subprocess.Popen([binary, "-c", str(work / "nginx.conf"), "-p", str(work)])
    base = f"http://127.0.0.1:{port}/after-rejection/"
    for _ in range(100):
        try:
            urllib.request.urlopen(base)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    server.terminate()
    server.wait(timeout=10)


def fetch(url: str, gzip: bool = True):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    return urllib.request.urlopen(request)


def test_the_documented_nginx_setup_serves_the_site_compressed_and_cached(nginx, subpath_site):
    page = fetch(nginx + "emotions/")
    assert page.status == 200
    assert page.headers["Content-Encoding"] == "gzip"
    assert page.headers["Cache-Control"] == "no-cache"
    assert "Accept-Encoding" in page.headers.get("Vary", "")
    assets = subpath_site / "after-rejection" / "assets"
    bundle = next((assets / "javascripts").glob("bundle.*.min.js")).name
    script = fetch(nginx + f"assets/javascripts/{bundle}")
    assert script.status == 200 and script.headers["Content-Encoding"] == "gzip"
    assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    ours = fetch(nginx + "assets/workbook.js")
    assert ours.headers["Cache-Control"] == "no-cache"
    pdf = fetch(nginx + "pdf/workbook-a4.pdf", gzip=False)
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert fetch(nginx + "links.json").headers["Content-Type"].startswith("application/json")
    # The offline workbook: its worker is never kept stale, its manifest has its type.
    worker = fetch(nginx + "sw.js")
    assert worker.headers["Cache-Control"] == "no-cache"
    assert worker.headers["Content-Type"] == "application/javascript"
    manifest = fetch(nginx + "manifest.webmanifest", gzip=False)
    assert manifest.headers["Content-Type"] == "application/manifest+json"


def test_the_github_pages_workflow_builds_with_make_and_publishes_site():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    build_step = next(s for s in steps if s.get("run") == "make build")
    assert "SITE_URL" in build_step["env"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]["steps"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy)
