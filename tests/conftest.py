"""Shared fixtures: build the site once, serve it on loopback, read its pages.

Like GOV.UK's design system, the tests check the built output: the site is
built once per test run (the same way `make build` builds it) and every
structural, link and browser test reads that one build.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import socket
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from workbook.sitebuild import build, mkdocs_build

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ["mkdocs.yml", "docs", "overrides", "scripts", "data"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site. The `LinkChecker` header lifts LinkChecker's
    10-requests-a-second limit for this host."""

    def end_headers(self):
        self.send_header("LinkChecker", "local test server")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def base_url(port) -> str:
    return f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="session")
def site(tmp_path_factory, base_url) -> Path:
    """The site, built once, with its public address set to the test server."""
    out = tmp_path_factory.mktemp("built") / "site"
    code = build(out, ROOT, env={"SITE_URL": base_url})
    assert code == 0, "the site failed to build; see the output above"
    return out


@contextlib.contextmanager
def serve(directory: Path, port: int = 0):
    """Serve a folder on 127.0.0.1; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served(site, port) -> str:
    with serve(site, port) as url:
        yield url


def html_pages(site: Path) -> dict[str, Path]:
    """Every content page of the built site, by its URL path ('' for home).
    The 404 page and redirect stubs (which carry no heading) are left out."""
    pages = {}
    for file in sorted(site.rglob("index.html")):
        text = file.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue
        rel = file.parent.relative_to(site).as_posix()
        pages["" if rel == "." else rel + "/"] = file
    return pages


@pytest.fixture(scope="session")
def pages(site) -> dict[str, BeautifulSoup]:
    return {path: BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
            for path, file in html_pages(site).items()}


def content(soup: BeautifulSoup):
    """The page's own content: Material's <article>, without the site chrome."""
    article = soup.select_one("article.md-content__inner")
    assert article is not None, "no <article> in the page"
    return article


def heading_text(tag) -> str:
    """A heading's words, without its ¶ permalink."""
    words = " ".join(s for s in tag.find_all(string=True)
                     if not s.find_parent("a", class_="headerlink"))
    return " ".join(words.split())


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throw-away copy of the project's sources, for fixtures that break it."""
    copy = tmp_path / "project"
    copy.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, copy / part)
    return copy


def build_copy(project: Path, out: Path | None = None):
    """Run `mkdocs build` on a project copy; return the completed process."""
    return mkdocs_build(out or project / "site-out", project)
