"""Start Debian's Chromium under Playwright, for the browser tests and the
benchmark. Playwright's own browser download does not work offline, so we
point it at the system's Chromium (or $CHROMIUM)."""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlsplit

# Headless, and no background traffic: nothing may leave the machine.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Chromium was not found: run `make test` (which installs it "
                       "on Debian) or set CHROMIUM=/path/to/chromium")


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)


def same_origin(url: str, base_url: str) -> bool:
    """True for data: URLs and for URLs on the origin of base_url."""
    parts, base = urlsplit(url), urlsplit(base_url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return (parts.scheme, parts.netloc) == (base.scheme, base.netloc)


def guard_network(context, base_url: str) -> list[str]:
    """Block and record every request that would leave base_url's origin.
    Returns the (live) list of blocked URLs."""
    blocked: list[str] = []

    def handle(route):
        url = route.request.url
        if same_origin(url, base_url):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", handle)
    return blocked
