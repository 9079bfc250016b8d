"""Prose and code lint, also run by `make lint`: ruff on Python, pymarkdown
on Markdown (configured for Material's syntax in pyproject.toml), codespell
on docs and data, and a reading grade of 9 or below on every page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REGISTERED_PAGES, ROOT, page_id
from workbook.readability import MAX_GRADE, grade, page_text

BIN = Path(sys.executable).parent
PROSE = ["docs", "data", "overrides/workbook", "mkdocs.yml", "README.md", "CONTRIBUTING.md"]


def run(*command) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in command], cwd=ROOT, capture_output=True, text=True)


def test_python_passes_ruff():
    result = run(BIN / "ruff", "check", "--output-format", "concise", "scripts", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_markdown_passes_pymarkdown():
    result = run(BIN / "pymarkdown", "scan", "docs", "README.md", "CONTRIBUTING.md")
    assert result.returncode == 0, result.stdout + result.stderr


def test_docs_and_data_pass_codespell():
    result = run(BIN / "codespell", *PROSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_spelling_check_holds_one_locale_us_english(tmp_path):
    """The check (its settings in pyproject.toml) refuses British spellings,
    and leaves the permanent ids spelled the old way alone."""
    page = tmp_path / "page.md"
    page.write_text("Practise with an organisation, in colour.\n- id: organisations\n")
    found = run(BIN / "codespell", page).stdout
    assert "Practise ==> Practice" in found and "organisation ==> organization" in found
    assert "colour ==> color" in found and "organisations" not in found


@pytest.mark.parametrize("path", REGISTERED_PAGES, ids=page_id)
def test_page_reads_at_grade_nine_or_below(site, path):
    text = page_text((site / path / "index.html").read_text(encoding="utf-8"))
    assert len(text.split()) > 30, "too little text to measure"
    assert grade(text) <= MAX_GRADE, f"{path or '(home)'} reads at grade {grade(text):.1f}"


def test_the_grade_tells_plain_from_dense_text():
    plain = "Take a short break. Go for a walk. Call a friend. Wait a day before you reply."
    dense = ("Notwithstanding considerable organizational ambiguity, prospective candidates "
             "should systematically operationalize comprehensive developmental methodologies "
             "and institutionalize evidence-based professional competencies.")
    assert grade(plain) <= 4 < MAX_GRADE < grade(dense)
