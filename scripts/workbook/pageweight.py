"""What a first visit to a page costs: every request the browser makes with
a cold cache until the network is quiet, and the bytes each response would
take gzip-compressed. Used by the performance-budget test and the benchmark.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field

from workbook.browser import guard_network

# The performance budget for a first visit (issue: quality gates).
MAX_GZIP_BYTES = 80 * 1000
MAX_REQUESTS = 8


@dataclass
class Weight:
    url: str
    responses: list[tuple[str, int, int]] = field(default_factory=list)  # url, raw, gzip
    offsite: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.responses) + len(self.offsite)

    @property
    def gzip_bytes(self) -> int:
        return sum(gz for _, _, gz in self.responses)

    def over_budget(self) -> list[str]:
        problems = []
        if self.gzip_bytes > MAX_GZIP_BYTES:
            problems.append(f"{self.gzip_bytes:,} gzip bytes (budget {MAX_GZIP_BYTES:,})")
        if self.requests > MAX_REQUESTS:
            problems.append(f"{self.requests} requests (budget {MAX_REQUESTS})")
        if self.offsite:
            problems.append(f"requests leaving the origin: {self.offsite}")
        return problems


def measure(browser, url: str, base_url: str, viewport=None, offline_worker: bool = True) -> Weight:
    """Open `url` in a fresh browser context (a cold cache) and weigh it.
    The offline worker is allowed to start, as for a reader; what it keeps
    for offline reading (after the page has loaded, when the browser is
    idle: workbook.offline) is not the page's weight, and is left out.
    (The per-page budget test leaves it out altogether, offline_worker=
    False: its download of the whole site is the benchmark's to report.)"""
    context = browser.new_context(viewport=viewport or {"width": 390, "height": 844},
                                  service_workers="allow" if offline_worker else "block")
    weight = Weight(url)
    weight.offsite = guard_network(context, base_url)
    seen = []
    context.on("response", lambda response: seen.append(response)
               if response.request.service_worker is None else None)
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        for response in seen:
            try:
                body = response.body()
            except Exception:  # a redirect or an aborted request has no body
                body = b""
            weight.responses.append(
                (response.url, len(body), len(gzip.compress(body, compresslevel=6))))
    finally:
        context.close()
    return weight
