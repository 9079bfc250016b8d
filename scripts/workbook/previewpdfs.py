"""The PDFs in the live preview (`make serve`).

After each build the preview works out every PDF from the same documents
as `mkdocs build` (workbook.pdfs) and makes the ones whose content changed
in background worker processes, at low priority, so the next page
rebuild never waits for them. A PDF asked for before it is ready goes to
the front of the queue (it is made as soon as a worker is free) and is
waited for. Each PDF is kept in build/preview-pdfs/<this preview's
process id>/ under a name made from its content and the code that makes
it, so an unchanged sheet is made once (also after the preview restarts
itself, which keeps its process id), and two previews never touch each
other's files.

A published build is unchanged: `mkdocs build` makes its PDFs itself.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import multiprocessing
import os
import shutil
import signal
import threading
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import workbook
from workbook import pdfs

log = logging.getLogger("mkdocs.workbook.preview")
WAIT_SECONDS = 300
# Low-priority workers: pages rebuild first, PDFs use the time in between.
WORKERS = 2 if (os.cpu_count() or 1) > 1 else 1


def _worker_start() -> None:
    """In the worker: low priority, and end with the preview (Linux), even
    when it is killed."""
    try:
        os.nice(10)
    except OSError:
        pass
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _usable(future: Future | None) -> bool:
    """Still running, or done well: worth reusing for the same PDF."""
    if future is None or future.cancelled():
        return False
    return not future.done() or future.exception() is None


def _code_key() -> bytes:
    package = Path(workbook.__file__).resolve().parent
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(package.glob("*.py")))).digest()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class PreviewPdfs:
    def __init__(self, cache_root: Path):
        for old in cache_root.glob("*") if cache_root.is_dir() else []:
            if old.is_dir() and old.name.isdigit() and not _alive(int(old.name)):
                shutil.rmtree(old, ignore_errors=True)  # left by a preview that was killed
        self.cache = cache_root / str(os.getpid())
        self.code = _code_key()
        self.pool: ProcessPoolExecutor | None = None
        self.files: dict[str, tuple[Path, Future | None]] = {}
        self.waiting: list[tuple[Future, tuple]] = []  # not started yet, in order
        self.running = 0
        # Every PDF being made or waiting, by its file, also one a newer
        # build no longer asks for (a started one cannot be stopped): the
        # same file asked for again waits for it, never makes it twice.
        self.making: dict[Path, Future] = {}
        self.lock = threading.RLock()

    def update(self, proj, docs_dir: Path, docs: list) -> None:
        """Start making the PDFs (workbook.pdfs.Doc) of the build that just
        finished."""
        css = pdfs.stylesheets(docs_dir, proj.custom_dir)
        styling = self.code + b"".join(path.read_bytes() for path in css)
        self.cache.mkdir(parents=True, exist_ok=True)
        with self.lock:
            new = {}
            self.making = {path: future for path, future in self.making.items() if not future.done()}
            pending = {path: future for path, future in self.making.items() if _usable(future)}
            # The blank sheets first (most asked for); the booklet and the
            # handouts, laid out several times each, last.
            order = sorted(pdfs.files(docs), key=lambda f: (f[2].numbered, f[2].forms))
            for name, paper, doc in order:
                key = hashlib.sha256(styling + paper.encode() + str(proj.root).encode()
                                     + str(doc.forms).encode() + doc.html.encode()).hexdigest()[:24]
                path = self.cache / f"{key}-{name}"
                if path.exists():
                    new[name] = (path, None)
                elif path in pending:
                    new[name] = (path, pending[path])
                else:
                    new[name] = (path, self._submit(doc, css, str(proj.root), paper, path))
            keep = {path for path, _ in new.values()}
            for path, future in pending.items():
                if path not in keep:
                    future.cancel()
            self.files = new
        made = sum(1 for _, future in new.values() if future)
        if made:
            log.info(f"Making {made} PDF(s) in the background")
        for path in self.cache.glob("*.pdf"):  # sheets no build of this preview uses now
            if path not in keep and path not in pending:
                path.unlink(missing_ok=True)

    def _submit(self, *job) -> Future:
        """Queue a PDF (pdfs.render_file's arguments); its Future ends when
        it is made."""
        future: Future = Future()
        with self.lock:
            self.making[job[-1]] = future
            self.waiting.append((future, job))
            self._start_next()
        return future

    def _first(self, future: Future) -> None:
        """Make this queued PDF next."""
        with self.lock:
            for i, (queued, _) in enumerate(self.waiting):
                if queued is future:
                    self.waiting.insert(0, self.waiting.pop(i))
                    break

    def _start_next(self) -> None:
        """Keep the workers busy, one PDF each, in the queue's order."""
        with self.lock:
            while self.running < WORKERS and self.waiting:
                future, job = self.waiting.pop(0)
                if not future.set_running_or_notify_cancel():
                    continue  # dropped for a newer build before it started
                try:
                    work = self._pool_submit(job)
                except Exception as error:  # noqa: BLE001 - shown when the PDF is asked for
                    future.set_exception(error)
                    continue
                self.running += 1
                work.add_done_callback(
                    lambda work, future=future, path=job[-1]: self._done(work, future, path))

    def _done(self, work: Future, future: Future, path: Path) -> None:
        with self.lock:
            self.running -= 1
            if self.making.get(path) is future:
                del self.making[path]
        if work.cancelled():
            future.set_exception(CancelledError())
        elif work.exception() is not None:
            future.set_exception(work.exception())
        else:
            future.set_result(work.result())
        self._start_next()

    def _pool_submit(self, job: tuple) -> Future:
        for _ in range(2):  # a worker that died is replaced once
            if self.pool is None:
                self.pool = ProcessPoolExecutor(
                    max_workers=WORKERS, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_worker_start)
            try:
                return self.pool.submit(pdfs.render_file, *job)
            except BrokenProcessPool:
                self.pool = None
        raise RuntimeError("the PDF worker process could not be started")

    def respond(self, name: str, start_response):
        """The WSGI answer for /pdf/<name>, or None if there is no such PDF.
        A PDF whose making was dropped for a newer build is waited for in
        its newer version."""
        for _ in range(20):
            with self.lock:
                found = self.files.get(name)
            if found is None:
                return None
            path, future = found
            try:
                if future is not None:
                    self._first(future)
                    future.result(timeout=WAIT_SECONDS)
                body = path.read_bytes()
            except CancelledError:
                continue
            except Exception as error:  # noqa: BLE001 - shown to the editor
                # Logged as information: a warning during a build would stop it.
                log.info(f"The PDF {name} could not be made: {error!r}")
                start_response("500 Internal Server Error",
                               [("Content-Type", "text/plain; charset=utf-8")])
                return [f"The PDF {name} could not be made: {error!r}".encode()]
            start_response("200 OK", [("Content-Type", "application/pdf"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        return None

    def close(self) -> None:
        """Stop the worker now (also mid-PDF) and forget this preview's PDFs."""
        with self.lock:
            for future, _ in self.waiting:
                future.cancel()
            self.waiting = []
        if self.pool is not None:
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.terminate()
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
