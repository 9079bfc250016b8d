"""A career center's brand file (brands/*.yml) on its own: what the check
(workbook.brand, workbook.logo; `make build` runs it before MkDocs reads the
file) refuses, and how it names the line. tests/test_brand.py builds the
example brand and checks the edition."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path
from types import SimpleNamespace

import pypdfium2
import pytest
import yaml

from conftest import ROOT
from test_brand import BRAND, EXAMPLE, NAME, SITE_URL, pdf_pages
from test_career_centers import qr_codes
from workbook import brand as brand_module
from workbook import logo as logos
from workbook import pdfs, qr, templates
from workbook.datafile import DataError
from workbook.sitebuild import mkdocs_build

# ------------------------------------------------------------ bad brand files

def brand_file(tmp_path: Path, change) -> tuple[Path, str]:
    """The example brand, changed by `change(settings)`, in a folder of its
    own (its paths made absolute), with its logo."""
    settings = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    settings.update(INHERIT=str(ROOT / "mkdocs.yml"), docs_dir=str(ROOT / "docs"),
                    theme={"custom_dir": str(ROOT / "overrides")},
                    hooks=[str(ROOT / "scripts" / "workbook" / "hooks.py")])
    (tmp_path / "example").mkdir()
    shutil.copy(EXAMPLE.parent / BRAND["logo"], tmp_path / BRAND["logo"])
    change(settings["extra"]["workbook"]["brand"], tmp_path)
    path = tmp_path / "center.yml"
    text = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, key: str) -> int:
    """The line of `key`; for the brand as a whole, its first setting's."""
    found = next(n for n, line in enumerate(text.splitlines(), 1)
                 if line.strip().startswith(key + ":"))
    return found + 1 if key == "brand" else found


def not_an_image(brand, folder):
    (folder / "example" / "fake.png").write_text("<html>not a picture</html>")
    brand["logo"] = "example/fake.png"


BAD = {
    "missing name": (lambda b, f: b.pop("name"), "brand", "'name' is required"),
    "logo missing": (lambda b, f: b.update(logo="example/nowhere.svg"), "logo",
                     "the logo file 'example/nowhere.svg' does not exist"),
    "logo not an image": (not_an_image, "logo", "'example/fake.png' is not a PNG image"),
    "booking not https": (lambda b, f: b.update(booking_url="http://careers.example.edu/book"),
                          "booking_url", "it must be a full web address that starts with https://"),
    "unknown key": (lambda b, f: b.update(colour="#5b2a86"), "colour",
                    "unknown field(s) 'colour'"),
    "low-contrast accent": (lambda b, f: b.update(accent="#f2c500"), "accent",
                            "light scheme: the title and icon buttons (white) on the top bar: "
                            "#ffffff on #f2c500 is 1.65:1, needs 4.5:1 (2.85 short)"),
}


# Through a real build (what `mkdocs build -f` and `make serve` meet), two
# cases; every case through the check that `make build` runs first.
BUILT = ["unknown key", "low-contrast accent"]


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_brand_file_is_refused_naming_the_line(tmp_path, case):
    change, key, message = BAD[case]
    path, text = brand_file(tmp_path, change)
    with pytest.raises(DataError) as refused:
        brand_module.check_file(path, ROOT)
    assert f"{path}:{line_of(text, key)}:" in str(refused.value)
    assert message in str(refused.value)


@pytest.mark.parametrize("case", BUILT)
def test_a_bad_brand_file_stops_the_build_naming_the_line(tmp_path, case):
    change, key, message = BAD[case]
    path, text = brand_file(tmp_path, change)
    out = tmp_path / "out"
    result = mkdocs_build(out, ROOT, {"WORKBOOK_PDFS": "0"}, config=path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{path}:{line_of(text, key)}:" in output, output[-2000:]
    assert message in output, output[-2000:]
    assert not (out / "index.html").exists()


def test_the_example_brand_passes_the_same_checks(tmp_path):
    """The cases above fail because of their one change, not the fixture."""
    path, _ = brand_file(tmp_path, lambda b, f: None)
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    config = SimpleNamespace(config_file_path=str(path), extra=settings["extra"])
    found = brand_module.load_brand(config, ROOT)
    assert found.name == NAME and found.logo.kind == "svg" and found.site_url == SITE_URL


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"'


@pytest.mark.parametrize("svg, problem", [
    (f"{SVG_OPEN}><script>alert(1)</script></svg>", "it contains <script>"),
    (f'{SVG_OPEN} onload="alert(1)"><rect/></svg>', "event attribute 'onload'"),
    (f'{SVG_OPEN}><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script></svg>',
     "it contains <script>"),
    (f'{SVG_OPEN} xmlns:x="http://www.w3.org/1999/xlink"><image x:href="https://t.example/p"/>'
     "</svg>", "it contains <image>"),
    (f'{SVG_OPEN}><use href="https://t.example/s.svg#a"/></svg>', "links to"),
    (f'{SVG_OPEN}><style>@import "https://t.example/x.css";</style></svg>', "loads or runs"),
    (f'{SVG_OPEN}><rect style="fill:url(https://t.example/x)"/></svg>', "loads or runs"),
    (f'<?xml-stylesheet href="https://t.example/x.css"?>{SVG_OPEN}/>', "processing instructions"),
    (f"{SVG_OPEN}><style><g/>@import url(https://t.example/x.css);</style></svg>",
     "more than plain rules"),
    (f"{SVG_OPEN}><style>@\\69mport 'https://t.example/x.css';</style></svg>", "loads or runs"),
    (f'{SVG_OPEN} style="background:u\\72l(https://t.example/b.png)"/>', "loads or runs"),
    (f"{SVG_OPEN}><style>svg{{background:image-set('https://t.example/b.png' 1x)}}</style></svg>",
     "loads or runs"),
    (f'{SVG_OPEN} xml:base="https://t.example/"/>', "sets xml:base"),
    ('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "needs a viewBox"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 inf 1"/>', "needs a viewBox"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 100"/>', "from 1:2 (tall) to 6:1"),
    ("<html>hello</html>", "is not an SVG image"),
])
def test_a_hostile_or_unusable_svg_logo_is_refused(tmp_path, svg, problem):
    (tmp_path / "logo.svg").write_text(svg)
    logo, found = logos.read(tmp_path / "logo.svg", "logo.svg")
    assert logo is None and problem in found


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (len(data).to_bytes(4, "big") + kind + data
            + zlib.crc32(kind + data).to_bytes(4, "big"))


def test_other_unusable_logos_are_refused(tmp_path):
    svg = f"{SVG_OPEN}><rect/></svg>"
    (tmp_path / "utf16.svg").write_bytes(svg.encode("utf-16"))
    assert "UTF-8" in logos.read(tmp_path / "utf16.svg", "utf16.svg")[1]
    (tmp_path / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + png_chunk(
        b"IHDR", b"\xff\xff\xff\xff\0\0\0\1\x08\x06\0\0\0") + png_chunk(b"IEND", b""))
    assert "pixels" in logos.read(tmp_path / "big.png", "big.png")[1]
    real = (EXAMPLE.parent / "example" / "logo.svg").read_bytes()
    png = b"\x89PNG\r\n\x1a\n" + bytes.fromhex(
        "0000000d49484452000000400000002008060000000000000000")  # IHDR, bad checksum
    (tmp_path / "fake.png").write_bytes(png + b"<html><script>alert(1)</script></html>")
    assert "is not a PNG image" in logos.read(tmp_path / "fake.png", "fake.png")[1]
    assert real.startswith(b"<svg")
    (tmp_path / "link.svg").symlink_to("/etc/passwd")
    assert "does not exist" in logos.read(tmp_path / "link.svg", "link.svg")[1]
    (tmp_path / "ok.svg").write_text(svg)  # and a plain drawing passes
    assert logos.read(tmp_path / "ok.svg", "ok.svg")[0].width == 40


@pytest.mark.parametrize("change, message", [
    (lambda b: b.update(name="   "), "'name' is only spaces"),
    (lambda b: b.update(name="Riverside \u202eCenter"), "invisible character (U+202E)"),
    (lambda b: b["contact"].update(hours="9 to 5\x07"), "invisible character (U+0007)"),
    (lambda b: b["contact"].update(email="careers@example.edu?bcc=spy@evil.example"),
     "'email' is 'careers@example.edu?bcc=spy@evil.example'; it must be an email address"),
    (lambda b: b.update(welcome="w" * 121), "'welcome' is 121 characters; keep it to 120"),
])
def test_unreadable_text_is_refused(tmp_path, change, message):
    path, _ = brand_file(tmp_path, lambda b, f: change(b))
    with pytest.raises(DataError, match=re.escape(message)):
        brand_module.check_file(path, ROOT)


def test_a_missing_contact_detail_is_simply_left_out(tmp_path):
    path, _ = brand_file(tmp_path, lambda b, f: b["contact"].pop("address"))
    view = brand_module.check_file(path, ROOT).view()
    assert set(view["contact"]) == {"phone", "email", "address", "hours"}
    assert view["contact"]["address"] is None


@pytest.mark.parametrize("text, message", [
    ("name: !!python/object/apply:os.system ['touch {marker}']",
     "could not determine a constructor for the tag"),
    ("name: &n Riverside\n      welcome: *n", "anchors and aliases (& and *) are not allowed"),
    ("name: " + "[" * 3000 + "]" * 3000, "nested too deep for a brand file"),
])
def test_the_brand_check_runs_nothing_and_stops_before_mkdocs(tmp_path, text, message):
    marker = tmp_path / "ran"
    path, settings_text = brand_file(tmp_path, lambda b, f: None)
    path.write_text(settings_text.replace(f"name: {NAME}", text.format(marker=marker)))
    result = subprocess.run([sys.executable, "-m", "workbook.sitebuild", "--site-dir",
                             str(tmp_path / "site"), "--config-file", str(path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert f"{path}:" in result.stderr and "nothing was built" in result.stderr
    assert not marker.exists() and not (tmp_path / "site").exists()


def test_the_fixed_lines_must_point_back_to_the_workbook(tmp_path):
    path, text = brand_file(tmp_path, lambda b, f: None)
    path.write_text(text.replace(f"docs_dir: {ROOT / 'docs'}", f"docs_dir: {tmp_path}"))
    with pytest.raises(DataError, match=r"docs_dir: must be .*leave this line as it is"):
        brand_module.check_file(path, ROOT)


def rightmost_text(pdf: Path) -> float:
    """How far right any letter on the first page reaches, in points."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        text = document[0].get_textpage()
        return max(text.get_charbox(i)[2] for i in range(text.count_chars()))
    finally:
        document.close()


def qr_left(pdf: Path) -> float:
    """Where the footer's QR code starts: it sits against the right margin."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        width = document[0].get_size()[0]
    finally:
        document.close()
    margin = 14 * 72 / 25.4  # pdf.css: @page margin
    return width - margin - qr.SIZE_MM * 72 / 25.4


EMAIL_60 = "career.development.and.employability@riverside-college.example"[:60]


def test_a_long_name_and_email_leave_the_footer_qr_code_readable(tmp_path):
    """The longest name a brand file may have, in the widest letter, and the
    longest email, in the footer of a worksheet's sheet (print-footer.html,
    as in the PDFs), Letter and A4: all of it printed, the QR code clear."""
    from weasyprint import CSS, HTML  # noqa: PLC0415

    footer = {"title": "Weekly persistence log and application tracker", "short": "x.example/w/a",
              "url": SITE_URL + "worksheets/weekly-log/", "brand": [
                  "W" * 60, "(201) 555-0142 · " + EMAIL_60]}
    footer["qr"] = qr.data_uri(footer["url"])
    head = templates.render(str(ROOT / "overrides"), "print-footer.html", footer=footer)
    css = [CSS(filename=str(path)) for path in pdfs.stylesheets(ROOT / "docs", str(ROOT / "overrides"))]
    for paper in ("Letter", "A4"):
        out = tmp_path / f"{paper}.pdf"
        HTML(string=f"<html><head>{head}</head><body><p>Sheet</p></body></html>").write_pdf(
            out, stylesheets=[*css, CSS(string=f"@page {{ size: {paper}; }}")])
        assert qr_codes(out) == [[footer["url"]]], paper
        text = "".join(pdf_pages(out)[0].split())
        assert "W" * 60 in text and EMAIL_60 in text, paper
        assert rightmost_text(out) < qr_left(out), f"{paper}: the footer runs under the QR code"


def test_a_brand_inside_mkdocs_yml_is_refused(project_copy):
    text = (project_copy / "mkdocs.yml").read_text(encoding="utf-8")
    (project_copy / "mkdocs.yml").write_text(
        text.replace("  workbook:\n", f"  workbook:\n    brand: {{name: {NAME}}}\n", 1))
    result = mkdocs_build(project_copy / "out", project_copy, {"WORKBOOK_PDFS": "0"})
    assert result.returncode != 0
    assert "a career center's brand goes in its own file under brands/" in result.stderr


def test_a_real_png_logo_is_accepted(site):
    logo, problem = logos.read(site / "assets" / "icons" / "icon-192.png", "icon-192.png")
    assert problem is None and (logo.kind, logo.width, logo.height) == ("png", 192, 192)
