"""Run the live preview (the command `make serve` runs) on a project folder
and time what an editor waits for: used by the tests and by `make bench`.

    with RunningPreview(project, port) as preview:
        preview.replace("data/checklists.yml", "old words", "new words")
        seconds = preview.wait_for("emotions/", lambda html: "new words" in html)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from workbook.sitebuild import QUIET_BANNERS


def command(port: int) -> list[str]:
    """`make serve`'s command, on another port."""
    return [sys.executable, "-m", "mkdocs", "serve", "--livereload",
            "--dev-addr", f"127.0.0.1:{port}"]


class RunningPreview:
    def __init__(self, project: Path, port: int, env: dict | None = None, ready: str = "<html"):
        self.project, self.port, self.ready = project, port, ready
        self.url = f"http://127.0.0.1:{port}/"
        self.log = project / "preview.log"
        # The project's own modules, so that editing them is seen.
        self.env = {**os.environ, **QUIET_BANNERS,
                    "PYTHONPATH": str(project / "scripts"), **(env or {})}
        self.process: subprocess.Popen | None = None
        self.saved_at = 0.0

    def __enter__(self) -> RunningPreview:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command(self.port), cwd=self.project, env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT)
        self.wait_for("", lambda html: self.ready in html, timeout=120)
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str, timeout: float = 30) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def write(self, rel: str, text: str) -> None:
        """Save a file as an editor's text editor would, and note the time."""
        path = self.project / rel
        path.write_text(text, encoding="utf-8")
        self.saved_at = time.monotonic()

    def replace(self, rel: str, old: str, new: str) -> str:
        """Replace `old` (which must be there, once) in a file; return the
        file's text as it was."""
        before = (self.project / rel).read_text(encoding="utf-8")
        if before.count(old) != 1:
            raise AssertionError(f"{rel}: expected {old!r} once, found it {before.count(old)} times")
        self.write(rel, before.replace(old, new))
        return before

    def wait_for(self, path: str, check, timeout: float = 30, text: bool = True) -> float:
        """Fetch `path` until check(body) is true; return the seconds since
        the last save. Fails with the server's output if it never is."""
        deadline, last = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the preview stopped:\n{self.output()[-3000:]}")
            try:
                status, body = self.get(path)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
                status, body = None, str(error).encode()
            last = body.decode("utf-8", "replace") if text else body
            if status is not None and check(last):
                return time.monotonic() - self.saved_at
            time.sleep(0.1)
        shown = last[:1500] if isinstance(last, str) else f"{len(last or b'')} bytes"
        raise AssertionError(f"{path} did not change within {timeout} s; last answer:\n"
                             f"{shown}\nserver output:\n{self.output()[-3000:]}")
