"""One build of the site for a whole `pytest -n 2` run (make test).

Each pytest-xdist process used to build the site (with every PDF) for
itself: two builds side by side, 50 s each on two cores. Now the main
process, which only hands tests out, builds it once, right at the start,
and serves it on loopback for the whole run; the test processes wait for
that build and read it. The site published under a sub-path (for the
offline and nginx tests) is built next, the same way.

Each build ends with a marker file holding MkDocs' exit code, written last
(atomically), so a test process never reads a half-built site: it waits
for the marker, and a failed build fails its tests with MkDocs' output.

A single process (`pytest tests/test_x.py`, no -n) builds on demand, as
before: conftest.py falls back when this module says there is no shared
build.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

from workbook.sitebuild import build
from workbook.staticserver import serve

ENV = "WORKBOOK_TESTS_SHARED_SITE"
ROOT = Path(__file__).resolve().parent.parent
SUBPATH_URL = "https://example.org/after-rejection/"
WAIT_SECONDS = 20 * 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Builds:
    """The main process's side: start the builds and the server."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="workbook-tests-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.stack = contextlib.ExitStack()

    def start(self) -> None:
        self.stack.enter_context(serve(self.folder / "site", self.port))
        threading.Thread(target=self._build_all, daemon=True).start()
        os.environ[ENV] = json.dumps({"folder": str(self.folder), "port": self.port})

    def _build_all(self) -> None:
        if self._build("site", self.folder / "site", {"SITE_URL": self.url}):
            self._mark("subpath", 1, "the main build failed: see its output in the other tests")
        else:
            self._build("subpath", self.folder / "webroot" / "after-rejection",
                        {"SITE_URL": SUBPATH_URL, "WORKBOOK_PDFS": "0"},
                        # Its PDFs are the main build's (made for another
                        # address): making them again takes a quarter of a
                        # minute, and test_pdfs.py checks the PDFs' contents.
                        then=lambda out: shutil.copytree(self.folder / "site" / "pdf", out / "pdf"))

    def _build(self, name: str, out: Path, env: dict, then=None) -> int:
        log = io.StringIO()
        try:
            code = build(out, ROOT, env=env, log=log)
            if code == 0 and then is not None:
                then(out)
        except Exception as error:  # noqa: BLE001 - reported to the tests that wait
            log.write(f"\n{type(error).__name__}: {error}\n")
            code = 1
        self._mark(name, code, log.getvalue())
        return code

    def _mark(self, name: str, code: int, log: str) -> None:
        (self.folder / f"{name}.log").write_text(log, encoding="utf-8")
        part = self.folder / f"{name}.part"
        part.write_text(str(code))
        part.rename(self.folder / f"{name}.rc")

    def close(self) -> None:
        self.stack.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class Shared:
    """A test process's side: where the shared build is, once it is done."""

    def __init__(self, settings: dict):
        self.folder = Path(settings["folder"])
        self.port = int(settings["port"])

    @classmethod
    def here(cls) -> Shared | None:
        settings = os.environ.get(ENV)
        return cls(json.loads(settings)) if settings else None

    def wait(self, name: str) -> None:
        """Wait for the build `name` ('site' or 'subpath'); raise with
        MkDocs' output if it failed."""
        marker = self.folder / f"{name}.rc"
        deadline = time.monotonic() + WAIT_SECONDS
        while not marker.exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the shared {name} build did not finish in {WAIT_SECONDS} s")
            time.sleep(0.2)
        if marker.read_text() != "0":
            log = (self.folder / f"{name}.log").read_text(encoding="utf-8")
            raise RuntimeError(f"the shared {name} build failed:\n{log[-6000:]}")

    def site(self) -> Path:
        self.wait("site")
        return self.folder / "site"

    def subpath_site(self) -> Path:
        self.wait("subpath")
        return self.folder / "webroot"
