"""Headings, titles and chapter content of the built site."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from chapter import HOME, SECTIONS
from conftest import content, heading_text

HEADING = re.compile(r"^h[1-6]$")
EXPECTED_PAGES = [HOME["page"]] + [page for page, _, _ in SECTIONS]


def headings(soup):
    return content(soup).find_all(HEADING)


def test_every_chapter_page_is_built(pages):
    missing = [page or "(home)" for page in EXPECTED_PAGES if page not in pages]
    assert not missing, f"pages missing from the site: {missing}"


def test_each_page_has_exactly_one_h1(pages):
    wrong = {path: len(soup.find_all("h1")) for path, soup in pages.items()
             if len(soup.find_all("h1")) != 1}
    assert not wrong, f"pages without exactly one <h1> (path: count): {wrong}"


def test_no_heading_level_is_skipped(pages):
    problems = []
    for path, soup in pages.items():
        levels = [int(tag.name[1]) for tag in headings(soup)]
        if levels and levels[0] != 1:
            problems.append(f"{path or '(home)'}: starts at h{levels[0]}")
        for before, after in zip(levels, levels[1:], strict=False):
            if after > before + 1:
                problems.append(f"{path or '(home)'}: h{before} is followed by h{after}")
    assert not problems, "\n".join(problems)


def test_every_heading_has_an_id(pages):
    missing = [f"{path or '(home)'}: {heading_text(tag)!r}"
               for path, soup in pages.items() for tag in headings(soup)
               if not tag.get("id")]
    assert not missing, f"headings without an id: {missing}"


def expected_headings():
    yield HOME["page"], 1, *HOME["h1"]
    for anchor, text in HOME["h2"]:
        yield HOME["page"], 2, anchor, text
    for page, (h1_id, h1_text), subsections in SECTIONS:
        yield page, 1, h1_id, h1_text
        for anchor, text, _ in subsections:
            yield page, 2, anchor, text


@pytest.mark.parametrize("page, level, anchor, text", list(expected_headings()),
                         ids=lambda v: str(v) if not isinstance(v, int) else None)
def test_chapter_heading_is_present_with_its_permanent_id(pages, page, level, anchor, text):
    tag = pages[page].find(id=anchor)
    assert tag is not None, f"no element with id {anchor!r} on {page or '(home)'}"
    assert tag.name == f"h{level}", f"#{anchor} is a <{tag.name}>, not an <h{level}>"
    assert heading_text(tag) == text


def test_sections_are_in_the_chapters_order_in_the_navigation(pages):
    """The home page's 'ten steps' list and the site navigation both follow
    the chapter's order."""
    home = pages[""]
    steps = home.find(id="ten-steps").find_next("ol")
    linked = [a["href"].lstrip("./") for a in steps.select("li > a")]
    assert linked == [page for page, _, _ in SECTIONS]
    nav = [a["href"] for a in home.select("nav.md-nav--primary a.md-nav__link[href]")]
    order = [next(i for i, href in enumerate(nav) if href.rstrip("/").endswith(page.rstrip("/")))
             for page, _, _ in SECTIONS]
    assert order == sorted(order), f"navigation order differs from the chapter: {nav}"


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("page, subsections", [(p, s) for p, _, s in SECTIONS],
                         ids=[p for p, _, _ in SECTIONS])
def test_each_subsection_carries_the_chapters_words(pages, page, subsections):
    """Under each subsection heading, before the next one, the chapter's own
    sentence is quoted word for word."""
    article = content(pages[page])
    for anchor, _, sentence in subsections:
        heading = article.find(id=anchor)
        section_text = []
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h1", "h2"):
                break
            section_text.append(sibling.get_text(" "))
        assert squash(sentence) in squash(" ".join(section_text)), \
            f"{page}#{anchor}: the chapter's sentence is missing"


def test_home_page_carries_the_intro_and_conclusion(pages):
    text = squash(content(pages[""]).get_text(" "))
    for paragraph in HOME["text"]:
        assert squash(paragraph) in text


def test_no_stray_markdown_marks(pages):
    """The chapter's stray * and \\* are gone from every page (code, such as
    the hosting guide's nginx set-up, may hold any character)."""
    for path, soup in pages.items():
        article = BeautifulSoup(str(content(soup)), "html.parser")
        for code in article.select("pre, code"):
            code.decompose()
        text = article.get_text(" ")
        assert "*" not in text, f"{path or '(home)'} shows a '*'"
        assert "\\" not in text, f"{path or '(home)'} shows a '\\'"


def test_titles_are_unique_and_name_the_page(pages):
    titles = {path: soup.title.get_text(strip=True) for path, soup in pages.items()}
    duplicates = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    assert not duplicates, f"titles used by more than one page: {duplicates}"
    for path, soup in pages.items():
        if path:  # the home page's title is the site name alone
            assert titles[path].startswith(heading_text(soup.find("h1")))


def test_every_page_has_its_own_meta_description(pages):
    descriptions = {}
    for path, soup in pages.items():
        tag = soup.find("meta", attrs={"name": "description"})
        assert tag is not None and tag.get("content", "").strip(), \
            f"{path or '(home)'} has no meta description"
        descriptions[path] = tag["content"].strip()
    values = list(descriptions.values())
    assert len(set(values)) == len(values), "two pages share a meta description"
