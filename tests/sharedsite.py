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
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from workbook.sitebuild import QUIET_BANNERS
from workbook.staticserver import serve

ENV = "WORKBOOK_TESTS_SHARED_SITE"
ROOT = Path(__file__).resolve().parent.parent
SUBPATH_URL = "https://example.org/after-rejection/"
# Well inside CI's 15 minutes: a build that hangs fails the tests, with a
# message, before CI stops the job without one.
BUILD_SECONDS = 6 * 60
WAIT_SECONDS = 8 * 60


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
        self.process: subprocess.Popen | None = None
        self.closing = False
        self.thread = threading.Thread(target=self._build_all, daemon=True)

    def start(self) -> None:
        self.stack.enter_context(serve(self.folder / "site", self.port))
        self.thread.start()
        os.environ[ENV] = json.dumps({"folder": str(self.folder), "port": self.port})

    def _build_all(self) -> None:
        if self._build("site", self.folder / "site", {"SITE_URL": self.url}):
            self._mark("subpath", 1, "the main build failed: see the tests' first error")
            return
        out = self.folder / "webroot" / "after-rejection"
        if self._build("subpath", out, {"SITE_URL": SUBPATH_URL, "WORKBOOK_PDFS": "0"},
                       mark=False) == 0:
            # Its PDFs are the main build's (made for another address):
            # making them again takes a quarter of a minute, and
            # test_pdfs.py checks the PDFs' contents.
            try:
                shutil.copytree(self.folder / "site" / "pdf", out / "pdf")
            except OSError as error:
                self._mark("subpath", 1, f"copying the main build's PDFs failed: {error}")
            else:
                self._mark("subpath", 0, None)

    def _build(self, name: str, out: Path, env: dict, mark: bool = True) -> int:
        """`make build` (workbook.sitebuild: all or nothing) into `out`."""
        log = self.folder / f"{name}.log"
        code = 1
        try:
            with log.open("w", encoding="utf-8") as output:
                if self.closing:
                    return code
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "workbook.sitebuild", "--site-dir", str(out)],
                    cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                    env={**os.environ, **QUIET_BANNERS, **env})
                code = self.process.wait(timeout=BUILD_SECONDS)
        except Exception as error:  # noqa: BLE001 - reported to the tests that wait
            with log.open("a", encoding="utf-8") as output:
                output.write(f"\n{type(error).__name__}: {error}\n")
        finally:
            if code or mark:
                self._mark(name, code, None)
        return code

    def _mark(self, name: str, code: int, log: str | None) -> None:
        if log is not None:
            (self.folder / f"{name}.log").write_text(log, encoding="utf-8")
        part = self.folder / f"{name}.part"
        part.write_text(str(code))
        part.rename(self.folder / f"{name}.rc")

    def close(self) -> None:
        """Stop a build still running (a run that never needed the site, or
        stopped early), then the server, and remove the builds."""
        self.closing = True
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        self.thread.join(timeout=30)
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
            raise RuntimeError(f"the shared {name} build failed; its last lines:\n{log[-3000:]}")

    def site(self) -> Path:
        self.wait("site")
        return self.folder / "site"

    def subpath_site(self) -> Path:
        self.wait("subpath")
        return self.folder / "webroot"
