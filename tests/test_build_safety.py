"""Broken fixture sites must fail to build, with a message that names the
file, the place and what is wrong. Each test breaks a fresh copy of the
project in one way and runs the real build on it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_copy
from workbook.sitebuild import build

# The swap into place is the same with or without PDFs; they take most of a build.
NO_PDFS = {"WORKBOOK_PDFS": "0"}


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"fixture set-up: {old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(file: Path, text: str) -> None:
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


def relink(project: Path, old: str, new: str) -> None:
    """Change internal links on every page, as an editor renaming or moving
    something would (a page in a folder links with ../ in front)."""
    for md in (project / "docs").rglob("*.md"):
        text = md.read_text(encoding="utf-8")
        md.write_text(text.replace(old, new).replace("(../" + old.lstrip("("), "(../" + new.lstrip("(")),
                      encoding="utf-8")


def failed_build(project: Path) -> str:
    result = build_copy(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the broken site built:\n{output}"
    return output


def test_the_unbroken_copy_builds(project_copy):
    """The fixture itself is sound: the failures below come from the breakage."""
    result = build_copy(project_copy)
    assert result.returncode == 0, result.stderr


def test_a_link_to_a_missing_anchor_fails(project_copy):
    append(project_copy / "docs" / "support.md",
           "\nSee [the first step](emotions.md#no-such-section).\n")
    output = failed_build(project_copy)
    assert "support.md" in output
    assert "does not contain an anchor '#no-such-section'" in output


def test_a_link_to_a_missing_page_fails(project_copy):
    append(project_copy / "docs" / "support.md", "\nSee [this](no-such-page.md).\n")
    output = failed_build(project_copy)
    assert "support.md" in output and "no-such-page.md" in output


def test_a_macro_with_an_undefined_variable_fails(project_copy):
    append(project_copy / "docs" / "support.md", "\nHello {{ nobody_defined_this }}.\n")
    output = failed_build(project_copy)
    assert "support.md" in output
    assert "'nobody_defined_this' is undefined" in output


def test_a_call_to_an_unknown_macro_fails(project_copy):
    append(project_copy / "docs" / "support.md", "\n{{ no_such_macro() }}\n")
    output = failed_build(project_copy)
    assert "support.md" in output and "no_such_macro" in output


def test_a_heading_without_a_permanent_id_fails(project_copy):
    append(project_copy / "docs" / "support.md", "\n## Groups near you\n\nText.\n")
    output = failed_build(project_copy)
    assert ("docs/support.md: heading 'Groups near you' has no permanent id; "
            "write it as '## Groups near you { #groups-near-you }'") in output


def test_an_unregistered_heading_fails(project_copy):
    append(project_copy / "docs" / "support.md", "\n## Groups near you { #groups }\n\nText.\n")
    output = failed_build(project_copy)
    assert ("docs/support.md: heading 'Groups near you' { #groups } is not in "
            "data/links.yml; add it to the anchors of page 'support/'") in output


def test_an_unregistered_page_fails(project_copy):
    (project_copy / "docs" / "extra.md").write_text("# Extra { #extra }\n\nText.\n")
    edit(project_copy / "mkdocs.yml", "  - about.md\n", "  - about.md\n  - extra.md\n")
    output = failed_build(project_copy)
    assert "docs/extra.md: page 'extra/' ('Extra') is not in data/links.yml" in output


def test_a_registered_anchor_that_disappears_fails(project_copy):
    """Renaming a heading's id without telling the registry breaks links."""
    edit(project_copy / "docs" / "emotions.md",
         "{ #avoiding-self-doubt }", "{ #self-doubt }")
    relink(project_copy, "emotions.md#avoiding-self-doubt", "emotions.md#self-doubt")
    edit(project_copy / "data" / "links.yml", "      - id: avoiding-self-doubt\n",
         "      - id: self-doubt\n        title: Avoiding self-doubt\n"
         "      - id: avoiding-self-doubt\n")
    output = failed_build(project_copy)
    line = _line_of(project_copy / "data" / "links.yml", "      - id: avoiding-self-doubt")
    assert re.search(rf"data/links.yml:{line}:\d+: pages\[1\]\.anchors\[2\]: "
                     r"no heading with id 'avoiding-self-doubt' on docs/emotions.md", output), output


def test_a_changed_heading_title_must_be_updated_in_the_registry(project_copy):
    edit(project_copy / "docs" / "emotions.md",
         "## Avoiding self-doubt", "## Quieting self-doubt")
    output = failed_build(project_copy)
    assert "title is 'Avoiding self-doubt' but the heading on docs/emotions.md " \
           "is 'Quieting self-doubt'" in output


def _line_of(file: Path, text: str) -> int:
    lines = file.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line == text)


def test_registry_yaml_syntax_error_names_line_and_column(project_copy):
    edit(project_copy / "data" / "links.yml", "title: Career coaching", "title: [Career coaching")
    output = failed_build(project_copy)
    line = _line_of(project_copy / "data" / "links.yml", "        title: [Career coaching")
    # YAML notices the open bracket on the next line, and says where it began.
    assert re.search(rf"data/links.yml:{line + 1}:\d+: YAML syntax error: .*"
                     rf"while parsing a flow sequence that starts at line {line}, column 16",
                     output), output


@pytest.mark.parametrize("old, new, message", [
    ("      - id: stay-in-touch\n        title: Stay in touch\n",
     "      - id: stay-in-touch\n",
     r"pages\[5\]\.anchors\[0\]: 'title' is required"),
    ("  - path: support/\n", "  - path: step-nine/\n    title: x\n  - path: support/\n",
     r"pages\[9\]: page 'step-nine/' is not in the site; a moved page needs a "
     r"'moved' entry, never a deleted registry entry"),
    ("  - path: resilience/\n", "  - path: step-7/\n",
     r"pages\[7\]\.path: 'path' is 'step-7/'; it must be a page path of lowercase "
     r"words joined by '-', ending in '/', with no numbers"),
    ("        title: Career coaching\n", "        title: 42\n",
     r"pages\[8\]\.anchors\[0\]\.title: 'title' should be string, but it is a number"),
    ("        title: Career coaching\n", "        title: ''\n",
     r"pages\[8\]\.anchors\[0\]\.title: 'title' must not be empty"),
    ("      - id: career-coaching\n", "      - id: career-coaching\n        colour: red\n",
     r"pages\[8\]\.anchors\[0\]: unknown field\(s\) 'colour'"),
    ("      - id: step-closer\n", "      - id: continuous-effort\n",
     r"pages\[10\]\.anchors\[1\]: 'keep-applying#continuous-effort' is registered twice"),
], ids=["missing-title", "missing-page", "numbered-path", "wrong-type", "empty",
        "unknown-field", "duplicate-id"])
def test_bad_registry_data_names_file_and_place(project_copy, old, new, message):
    edit(project_copy / "data" / "links.yml", old, new)
    output = failed_build(project_copy)
    assert re.search(r"data/links\.yml:\d+:\d+: " + message, output), output


def test_a_renamed_heading_keeps_its_old_id_as_an_anchor(project_copy, tmp_path):
    edit(project_copy / "docs" / "emotions.md",
         "## Avoiding self-doubt { #avoiding-self-doubt }",
         "## Quieting self-doubt { #quieting-self-doubt }")
    relink(project_copy, "emotions.md#avoiding-self-doubt", "emotions.md#quieting-self-doubt")
    edit(project_copy / "data" / "links.yml",
         "      - id: avoiding-self-doubt\n        title: Avoiding self-doubt\n",
         "      - id: avoiding-self-doubt\n        renamed_to: quieting-self-doubt\n"
         "      - id: quieting-self-doubt\n        title: Quieting self-doubt\n")
    out = tmp_path / "out"
    result = build_copy(project_copy, out)
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((out / "emotions" / "index.html").read_text(), "html.parser")
    old = soup.find(id="avoiding-self-doubt")
    assert old is not None, "the old id is gone"
    assert old.find_next(re.compile("^h[1-6]$")).get("id") == "quieting-self-doubt"


def test_a_moved_page_redirects_from_its_old_path(project_copy, tmp_path):
    (project_copy / "docs" / "emotions.md").rename(project_copy / "docs" / "feelings.md")
    edit(project_copy / "mkdocs.yml", "  - emotions.md\n", "  - feelings.md\n")
    relink(project_copy, "(emotions.md", "(feelings.md")
    edit(project_copy / "data" / "links.yml", "  - path: emotions/\n", "  - path: feelings/\n")
    edit(project_copy / "data" / "links.yml", "moved: []",
         "moved:\n  - from: emotions/\n    to: feelings/\n")
    out = tmp_path / "out"
    result = build_copy(project_copy, out)
    assert result.returncode == 0, result.stderr
    stub = (out / "emotions" / "index.html").read_text()
    assert 'content="0; url=../feelings/"' in stub
    assert 'location.replace("../feelings/" + location.hash)' in stub
    assert (out / "feelings" / "index.html").exists()


def test_a_failed_build_leaves_the_published_site_untouched(project_copy, tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("the site as published before")
    append(project_copy / "docs" / "support.md", "\n{{ nobody_defined_this }}\n")
    assert build(target, project_copy, env=NO_PDFS) != 0
    assert (target / "index.html").read_text() == "the site as published before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"], \
        "the half-built staging folder was left behind"


def test_a_good_build_replaces_the_published_site(project_copy, tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "stale.html").write_text("old")
    assert build(target, project_copy, env=NO_PDFS) == 0
    assert not (target / "stale.html").exists()
    assert (target / "emotions" / "index.html").exists()
    # Readable by a web server running as another user (not a private temp dir).
    assert target.stat().st_mode & 0o755 == 0o755
