"""Every built page is valid HTML, by the W3C Nu HTML checker (vnu.jar from
the vnu-jar npm package, run on Java)."""

from __future__ import annotations

import json
import shutil
import subprocess

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_check(folder) -> list[dict]:
    """Run the Nu checker over every HTML file under `folder`; return its
    messages. (-Xss8m: the checker's own suggestion of 512k crashes here.)"""
    result = subprocess.run(
        ["java", "-Xss8m", "-jar", str(VNU), "--format", "json", "--skip-non-html", str(folder)],
        capture_output=True, text=True, timeout=600)
    assert result.stderr.strip(), f"the Nu checker printed nothing (exit {result.returncode})"
    return json.loads(result.stderr)["messages"]


def test_every_page_is_valid_html(site):
    messages = nu_check(site)
    errors = [f"{m['url'].split('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    assert not errors, "\n".join(errors)


def test_the_checker_catches_invalid_html(site, tmp_path):
    """The check is live: Material's original markup (autocomplete on a
    checkbox, an unescaped quote in a description) is reported."""
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title>'
        '<meta name="description" content="treat each "no" as a step"></head>'
        '<body><input type="checkbox" id="x" autocomplete="off"></body></html>')
    shutil.copy(site / "index.html", tmp_path / "good.html")
    messages = nu_check(tmp_path)
    bad = {m["message"] for m in messages if m["url"].endswith("bad.html") and m["type"] == "error"}
    assert any("autocomplete" in m for m in bad), bad
    assert any("Quote" in m or "quote" in m for m in bad), bad
    assert not [m for m in messages if m["url"].endswith("good.html") and m["type"] == "error"]
