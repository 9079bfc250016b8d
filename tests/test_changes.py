"""What's new, for people who link to us: the change log (data/changes.yml)
on its page, in the Atom feed (changes.xml, read with feedparser as a feed
reader would, and with xml.etree), and as each link's "last changed" date
in links.json and the career-center table.

The data is read here with plain YAML, and the rule for a link's last
change is worked out again here, so these tests do not trust the build's
own code. Bad data must stop the build (small fixtures, as in
test_build_safety.py)."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, build_copy, content, heading_text
from test_build_safety import edit, failed_build
from workbook.changes import feed_xml, load_changes
from workbook.registry import load_registry

CHANGES = yaml.safe_load((ROOT / "data" / "changes.yml").read_text(encoding="utf-8"))["changes"]
REGISTRY = yaml.safe_load((ROOT / "data" / "links.yml").read_text(encoding="utf-8"))
PAGE = "career-centers/changes/"
ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def link_ids() -> dict[str, tuple[str, str | None, str]]:
    """Every registered link id -> (page path, anchor, title)."""
    out = {}
    for page in REGISTRY["pages"]:
        base = page["path"].rstrip("/") or "home"
        out[base] = (page["path"], None, page["title"])
        for anchor in page.get("anchors", []):
            if "title" in anchor:
                out[f"{base}#{anchor['id']}"] = (page["path"], anchor["id"], anchor["title"])
    return out


LINKS = link_ids()


def expected_last_changed(changes: list[dict] = CHANGES) -> dict[str, str]:
    """The rule, worked out independently: a link's last change is the
    newest entry naming it, its page, or (for a page) one of its sections."""
    dates: dict[str, str] = {}
    for entry in changes:
        for named in entry["links"]:
            page = named.partition("#")[0]
            if "#" in named:
                touched = [named, page]
            else:
                touched = [i for i in LINKS if i == page or i.startswith(page + "#")]
            for link in touched:
                dates[link] = max(dates.get(link, ""), str(entry["date"]))
    return dates


def url_of(base_url: str, link_id: str) -> str:
    page, anchor, _ = LINKS[link_id]
    return base_url + page + (f"#{anchor}" if anchor else "")


@pytest.fixture(scope="module")
def feed_bytes(site) -> bytes:
    return (site / "changes.xml").read_bytes()


@pytest.fixture(scope="module")
def feed(feed_bytes):
    # Parsed from the bytes, never from a URL: nothing is fetched.
    return feedparser.parse(feed_bytes)


# --------------------------------------------------------------- the feed

def test_the_feed_is_well_formed_atom(feed):
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"


def test_the_feed_is_in_the_atom_namespace(feed_bytes):
    root = ET.fromstring(feed_bytes)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(CHANGES)
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        body = entry.find(f"{ATOM}content")
        assert body.get("type") == "xhtml"
        assert body.find(f"{XHTML}div") is not None
    stamps = [e.text for e in root.iter() if e.tag in (f"{ATOM}updated", f"{ATOM}published")]
    assert stamps and all(RFC3339.match(s) for s in stamps), stamps


def test_every_change_is_in_the_feed_newest_first(feed):
    newest_first = list(reversed(CHANGES))
    assert [e.title for e in feed.entries] == [c["title"] for c in newest_first]
    for got, change in zip(feed.entries, newest_first, strict=True):
        assert " ".join(got.summary.split()) == " ".join(change["summary"].split())


def test_feed_ids_are_unique_tag_uris_and_name_each_entry(feed, base_url):
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) == len(CHANGES)
    assert feed.feed.id not in ids
    host = urlsplit(base_url).hostname
    start = str(CHANGES[0]["date"])
    assert feed.feed.id == f"tag:{host},{start}:/changes"
    for got, change in zip(feed.entries, reversed(CHANGES), strict=True):
        assert got.id == f"tag:{host},{start}:/changes/{change['id']}"


def test_adding_an_entry_keeps_every_older_feed_id(tmp_path):
    """A feed reader knows an entry by its id: a new entry must change none."""
    def ids(data: Path) -> dict[str, str]:
        registry = load_registry(data, tmp_path)
        proj = SimpleNamespace(registry=registry, changes=load_changes(data, tmp_path, registry),
                               site_url="https://example.org/wb/", custom_dir=str(ROOT / "overrides"))
        proj.url = lambda path: proj.site_url + path
        parsed = feedparser.parse(feed_xml(proj, "Site", "Us", "en").encode("utf-8"))
        assert parsed.bozo == 0
        return {e.link: e.id for e in parsed.entries}

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = ids(data)
    with (data / "changes.yml").open("a", encoding="utf-8") as handle:
        handle.write(f"\n  - id: newer-change\n    date: {datetime.date.today()}\n"
                     "    title: A newer change\n    summary: Something new.\n"
                     "    links:\n      - about\n")
    after = ids(data)
    assert len(after) == len(before) + 1
    assert {link: after[link] for link in before} == before


def test_feed_dates_parse_and_match_the_data(feed):
    for got, change in zip(feed.entries, reversed(CHANGES), strict=True):
        assert datetime.date(*got.updated_parsed[:3]) == change["date"]
        assert datetime.date(*got.published_parsed[:3]) == change["date"]
    newest = max(change["date"] for change in CHANGES)
    assert datetime.date(*feed.feed.updated_parsed[:3]) == newest


def test_feed_links_are_absolute_and_lead_to_the_built_site(feed, site, pages, base_url):
    rels = {link.rel: link for link in feed.feed.links}
    assert rels["self"].href == base_url + "changes.xml"
    assert rels["self"].type == "application/atom+xml"
    assert rels["alternate"].href == base_url + PAGE
    assert (site / "changes.xml").is_file() and PAGE in pages
    changes_page = pages[PAGE]
    for got, change in zip(feed.entries, reversed(CHANGES), strict=True):
        assert got.link == f"{base_url}{PAGE}#{change['id']}"
        assert changes_page.find(id=change["id"]) is not None
        body = BeautifulSoup(got.content[0].value, "html.parser")
        hrefs = [a["href"] for a in body.find_all("a")]
        assert hrefs == [url_of(base_url, named) for named in change["links"]]
        for href in hrefs:
            assert href.startswith(base_url)
            path, _, anchor = href.removeprefix(base_url).partition("#")
            assert path in pages, href
            assert not anchor or pages[path].find(id=anchor) is not None, href


# ------------------------------------------------------------ the page

def test_the_changes_page_lists_every_change_newest_first(pages):
    soup = pages[PAGE]
    items = content(soup).select("li.wb-change")
    assert [li["id"] for li in items] == [c["id"] for c in reversed(CHANGES)]
    for li, change in zip(items, reversed(CHANGES), strict=True):
        time = li.select_one("time")
        assert time["datetime"] == str(change["date"])
        assert change["title"] == li.select_one("strong").get_text()
        text = " ".join(li.get_text().split())
        assert " ".join(change["summary"].split()) in text
        links = li.select(".wb-change__links a")
        assert len(links) == len(change["links"])
        for a, named in zip(links, change["links"], strict=True):
            page, anchor, title = LINKS[named]
            assert a.get_text().endswith(title)
            assert a["href"] == "../../" + page + (f"#{anchor}" if anchor else "")


def test_the_changes_page_offers_its_feed_and_ends_with_something_to_do(pages):
    soup = pages[PAGE]
    feeds = soup.select('head link[rel="alternate"][type="application/atom+xml"]')
    assert [f["href"] for f in feeds] == ["../../changes.xml"]
    assert "../../changes.xml" in [a["href"] for a in content(soup).select("a")]
    for other in ("", "career-centers/", "emotions/"):
        assert not pages[other].select('link[type="application/atom+xml"]'), other
    last = content(soup).find_all("h2")[-1]
    assert heading_text(last) == "Check your links"


# ------------------------------------------------- each link's last change

def test_links_json_gives_every_link_its_last_change(site):
    data = json.loads((site / "links.json").read_text(encoding="utf-8"))
    expected = expected_last_changed()
    assert set(expected) == set(LINKS), "every registered link gets a date"
    assert {e["id"]: e["last_changed"] for e in data["links"]} == expected
    assert data["changes"].endswith("/changes.xml")


def test_the_rule_for_a_links_last_change(tmp_path):
    """On the site every entry has one date so far, so the rule is checked
    on a copy of the data with older dates and two later entries."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    log = data / "changes.yml"
    log.write_text(log.read_text(encoding="utf-8").replace("date: 2026-11-26", "date: 2026-01-05")
                   + "\n  - id: section-change\n    date: 2026-02-01\n    title: A section\n"
                   "    summary: One section changed.\n    links:\n      - emotions#do-this-now\n"
                   "\n  - id: page-change\n    date: 2026-03-01\n    title: A page\n"
                   "    summary: A whole page changed.\n    links:\n      - feedback\n",
                   encoding="utf-8")
    registry = load_registry(data, tmp_path)
    got = {k: str(v) for k, v in load_changes(data, tmp_path, registry).last_changed.items()}
    changes = yaml.safe_load(log.read_text(encoding="utf-8"))["changes"]
    assert got == expected_last_changed(changes)
    assert got["emotions#do-this-now"] == got["emotions"] == "2026-02-01"
    assert got["emotions#avoiding-self-doubt"] == "2026-01-05"
    assert got["feedback"] == got["feedback#objective-evaluation"] == "2026-03-01"
    assert got["reflect"] == "2026-01-05"


def test_the_link_table_shows_when_each_link_last_changed(pages):
    tables = pages["career-centers/"].select(".wb-link-table")
    expected = expected_last_changed()
    for table in tables:
        assert [th.get_text() for th in table.select("thead th")][-1] == "Last changed"
    rows = pages["career-centers/"].select(".wb-link-table tbody tr")
    assert len(rows) == len(LINKS)
    for row in rows:
        cells = row.find_all("td")
        time = cells[-1].find("time")
        assert time["datetime"] == expected[row["data-link-id"]], row["data-link-id"]
        date = datetime.date.fromisoformat(time["datetime"])
        assert time.get_text() == f"{date:%B} {date.day}, {date.year}"
        assert not row.find("script")


# ------------------------------------------------------ bad data stops it

def line_of(file: Path, text: str, after: str = "") -> int:
    lines = file.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if after in line) if after else 0
    return next(n for n in range(start, len(lines)) if text in lines[n]) + 1


IDS = [entry["id"] for entry in CHANGES]
LAST = IDS.index("whats-new")  # the entry the cases below change
BAD = [
    ("unknown-link", "      - career-centers/changes\n", "      - career-centers/news\n",
     "      - career-centers/news",
     rf"changes\[{LAST}\]\.links\[0\]: 'career-centers/news' is not a link in data/links.yml"),
    ("not-a-date", "  - id: whats-new\n    date: 2026-11-26\n",
     "  - id: whats-new\n    date: 2026-02-30\n", "    date: 2026-02-30",
     rf"changes\[{LAST}\]\.date: '2026-02-30' is not a date"),
    ("badly-written-date", "  - id: whats-new\n    date: 2026-11-26\n",
     "  - id: whats-new\n    date: 26/11/2026\n", "    date: 26/11/2026",
     rf"changes\[{LAST}\]\.date: 'date' is '26/11/2026'; it must be a date written YYYY-MM-DD"),
    ("out-of-order", "  - id: whats-new\n    date: 2026-11-26\n",
     "  - id: whats-new\n    date: 2026-11-25\n", "    date: 2026-11-25",
     rf"changes\[{LAST}\]\.date: 2026-11-25 is before the entry above it \(2026-11-26\)"),
    ("future", "  - id: whats-new\n    date: 2026-11-26\n",
     "  - id: whats-new\n    date: 2999-01-01\n", "    date: 2999-01-01",
     rf"changes\[{LAST}\]\.date: 2999-01-01 is in the future"),
    ("duplicate-id", "  - id: offline\n", "  - id: worksheets\n", "  - id: worksheets",
     rf"changes\[{IDS.index('offline')}\]\.id: 'worksheets' is given twice "
     r"\(first at data/changes.yml:\d+:\d+"),
]


@pytest.mark.parametrize("old, new, where, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_change_data_stops_the_build(project_copy, old, new, where, message):
    file = project_copy / "data" / "changes.yml"
    edit(file, old, new)
    output = failed_build(project_copy)
    # The duplicate id is reported where it is given the second time.
    line = line_of(file, where, after="  - id: printed-workbook" if "given twice" in message else "")
    assert re.search(rf"data/changes.yml:{line}:\d+: {message}", output), output


def test_a_link_with_no_change_date_stops_the_build(project_copy):
    edit(project_copy / "data" / "changes.yml", "      - career-centers/changes\n", "")
    output = failed_build(project_copy)
    assert ("data/changes.yml: link 'career-centers/changes' (What's new) has no date of "
            "change: name it, or its page, in the entry that published it") in output
    assert "link 'career-centers/changes#follow' (Follow the changes) has no date" in output


def test_text_from_the_change_log_is_escaped_on_the_page_and_in_the_feed(project_copy, tmp_path):
    edit(project_copy / "data" / "changes.yml", "    title: Read it with no connection\n",
         '    title: "Offline <b>&</b> ]]> \\"quoted\\""\n')
    out = tmp_path / "out"
    result = build_copy(project_copy, out)
    assert result.returncode == 0, result.stderr
    title = 'Offline <b>&</b> ]]> "quoted"'
    parsed = feedparser.parse((out / "changes.xml").read_bytes())
    assert parsed.bozo == 0
    assert title in [e.title for e in parsed.entries]
    ET.fromstring((out / "changes.xml").read_bytes())
    soup = BeautifulSoup((out / "career-centers" / "changes" / "index.html").read_text(), "html.parser")
    item = soup.find(id="offline")
    assert item.select_one("strong").get_text() == title and item.find("b") is None
