"""The permanent link registry (data/links.yml) against the built site.

The registry is read here with plain YAML, not with the build's own code, so
these tests check the site and the data independently of the hooks that
enforce the same rules at build time.
"""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT, content, heading_text

REGISTRY = yaml.safe_load((ROOT / "data" / "links.yml").read_text(encoding="utf-8"))
NUMBER_FREE = re.compile(r"^[a-z]+(-[a-z]+)*$")


def registered():
    """(page, anchor or None, title or None, renamed_to or None) for every entry."""
    for page in REGISTRY["pages"]:
        yield page["path"], None, page["title"], None
        for anchor in page.get("anchors", []):
            yield page["path"], anchor["id"], anchor.get("title"), anchor.get("renamed_to")


ENTRIES = list(registered())


def test_registry_covers_the_chapter():
    """At least the home page, the ten sections and their twenty subsections."""
    pages = [page for page, anchor, _, _ in ENTRIES if anchor is None]
    anchors = [anchor for _, anchor, _, _ in ENTRIES if anchor]
    assert len(pages) >= 11 and len(anchors) >= 23


def test_paths_and_ids_are_short_readable_and_number_free():
    for page, anchor, _, _ in ENTRIES:
        for part in filter(None, page.split("/")):
            assert NUMBER_FREE.match(part), f"page path {page!r}"
        if anchor:
            assert NUMBER_FREE.match(anchor), f"anchor {page}#{anchor}"


def test_no_entry_is_registered_twice():
    keys = [(page, anchor) for page, anchor, _, _ in ENTRIES]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("page, anchor, title, renamed_to", ENTRIES,
                         ids=[f"{p}#{a}" if a else p or "(home)" for p, a, _, _ in ENTRIES])
def test_registered_link_resolves_in_the_built_site(pages, page, anchor, title, renamed_to):
    assert page in pages, f"registered page {page or '(home)'} is not in the site"
    soup = pages[page]
    if anchor is None:
        assert heading_text(soup.find("h1")) == title
        return
    target = soup.find(id=anchor)
    assert target is not None, f"{page}#{anchor} does not resolve"
    if renamed_to:
        # The old id sits right before the renamed heading.
        heading = target.find_next(re.compile("^h[1-6]$"))
        assert heading.get("id") == renamed_to
    else:
        assert re.match("^h[2-6]$", target.name), f"#{anchor} is not a heading"
        assert heading_text(target) == title


def test_every_page_and_heading_of_the_site_is_registered(pages):
    keys = {(page, anchor) for page, anchor, _, _ in ENTRIES}
    unregistered = []
    for path, soup in pages.items():
        if (path, None) not in keys:
            unregistered.append(path or "(home)")
        for tag in content(soup).find_all(re.compile("^h[2-6]$")):
            if (path, tag.get("id")) not in keys:
                unregistered.append(f"{path}#{tag.get('id')}")
    assert not unregistered, f"published but not in data/links.yml: {unregistered}"


MOVES = REGISTRY.get("moved") or []


@pytest.mark.parametrize("move", MOVES, ids=[m["from"] for m in MOVES])
def test_moved_page_redirects_to_its_new_place(site, move):
    """(Skipped while nothing has moved; tests/test_build_safety.py proves the
    mechanism on a fixture.)"""
    stub = site / move["from"] / "index.html"
    assert stub.exists(), f"no redirect at {move['from']}"
    target = re.search(r'http-equiv="refresh" content="0; url=([^"]*)"', stub.read_text())
    assert target, f"{move['from']} is not a redirect page"
    landing = (stub.parent / target.group(1) / "index.html").resolve()
    assert landing == (site / move["to"] / "index.html").resolve()
