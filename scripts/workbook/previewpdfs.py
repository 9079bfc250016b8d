"""The PDFs in the live preview (`make serve`).

After each build the preview works out every PDF from the same parts as
`mkdocs build` (workbook.pdfs) and makes the ones whose content changed in
one background worker process, at low priority, so the next page rebuild
never waits for them. Each PDF is kept in build/preview-pdfs/ under a name
made from its content, so an unchanged sheet is never made twice, not even
after a restart. A PDF asked for before it is ready is waited for.

A published build is unchanged: `mkdocs build` makes its PDFs itself.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from workbook import pdfs

log = logging.getLogger("mkdocs.workbook.preview")
WAIT_SECONDS = 180


def _lower_priority() -> None:
    try:
        os.nice(10)
    except OSError:
        pass


def _usable(future: Future | None) -> bool:
    """Still running, or done well: worth reusing for the same PDF."""
    if future is None or future.cancelled():
        return False
    return not future.done() or future.exception() is None


class PreviewPdfs:
    def __init__(self, cache: Path):
        self.cache = cache
        self.pool: ProcessPoolExecutor | None = None
        self.files: dict[str, tuple[Path, Future | None]] = {}
        self.lock = threading.Lock()

    def update(self, proj, docs_dir: Path, lang: str, site_name: str) -> None:
        """Start making the PDFs of the build that just finished."""
        css = pdfs.stylesheets(docs_dir, proj.custom_dir)
        styling = b"".join(path.read_bytes() for path in css)
        self.cache.mkdir(parents=True, exist_ok=True)
        with self.lock:
            old, new = self.files, {}
            pending = {path: future for path, future in old.values() if _usable(future)}
            for name, paper, htmls in pdfs.files(pdfs.parts(proj, lang, site_name)):
                key = hashlib.sha256(styling + paper.encode() + str(proj.root).encode()
                                     + "\0".join(htmls).encode()).hexdigest()[:24]
                path = self.cache / f"{key}-{name}"
                if path.exists():
                    new[name] = (path, None)
                elif path in pending:
                    new[name] = (path, pending[path])
                else:
                    new[name] = (path, self._submit(htmls, css, str(proj.root), paper, path))
            keep = {path for path, _ in new.values()}
            for path, future in pending.items():
                if path not in keep:
                    future.cancel()
            self.files = new
        made = sum(1 for _, future in new.values() if future)
        if made:
            log.info(f"Making {made} PDF(s) in the background")
        for path in self.cache.glob("*.pdf"):  # sheets no build of this preview uses
            if path not in keep and path not in pending:
                path.unlink(missing_ok=True)

    def _submit(self, *job) -> Future:
        for _ in range(2):  # a worker that died is replaced once
            if self.pool is None:
                self.pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_lower_priority)
            try:
                return self.pool.submit(pdfs.render_file, *job)
            except BrokenProcessPool:
                self.pool = None
        raise RuntimeError("the PDF worker process could not be started")

    def respond(self, name: str, start_response):
        """The WSGI answer for /pdf/<name>, or None if there is no such PDF."""
        with self.lock:
            found = self.files.get(name)
        if found is None:
            return None
        path, future = found
        if future is not None:
            try:
                future.result(timeout=WAIT_SECONDS)
            except Exception as error:  # noqa: BLE001 - shown to the editor
                log.error(f"The PDF {name} could not be made: {error}")
                body = f"The PDF {name} could not be made: {error}".encode()
                start_response("500 Internal Server Error",
                               [("Content-Type", "text/plain; charset=utf-8")])
                return [body]
        body = path.read_bytes()
        start_response("200 OK", [("Content-Type", "application/pdf"),
                                  ("Content-Length", str(len(body)))])
        return [body]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
