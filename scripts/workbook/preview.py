"""The live preview, `make serve`: what MkDocs' own server leaves out.

MkDocs' server watches docs/ and mkdocs.yml, and a build that stops leaves
the browser waiting (or, at start, ends the server). The hooks attach this
module (on_startup, on_serve), which:

- watches every folder that shapes the site: data/, overrides/, scripts/
  and brands/ (whole folders, so files added later count too);
- restarts the preview when a Python module of the workbook changes (the
  code is loaded once per process), after checking, in a separate process,
  that the new code compiles and imports; if not, that is shown like any
  other error;
- when a build stops, also the first one, shows its messages (the same
  file-and-line messages as `make build`) on every previewed page, and in
  the terminal, until the file is fixed and saved; the page then comes
  back by itself;
- serves the PDFs, made in the background after the pages
  (workbook.previewpdfs).

Nothing here runs in `mkdocs build`: the error page is written only into
the preview's own temporary folder.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import traceback
from pathlib import Path

import jinja2

import workbook
from workbook import project, templates

WATCHED = ("data", "overrides", "scripts", "brands")
# In the preview's folder, which every build empties (MkDocs keeps only
# names starting with a dot).
ERROR_PAGE = "__preview-error__.html"
log = logging.getLogger("mkdocs.workbook.preview")
# Used only if the error page's own template is broken.
_FALLBACK = jinja2.Template(
    "<!doctype html><html lang=en><title>Preview stopped</title><main data-wb-preview-error>"
    "<h1>The preview stopped: a file needs fixing</h1>{% for m in messages %}<pre>{{ m }}</pre>"
    "{% endfor %}</main>", autoescape=True)
_IMPORT_ALL = ("import importlib, pkgutil, workbook\n"
               "for m in pkgutil.iter_modules(workbook.__path__):\n"
               "    importlib.import_module('workbook.' + m.name)\n")
_first: dict = {}  # the first build's messages, if it failed (see guard_first_build)


class _Recorder(logging.Handler):
    """The warnings and errors MkDocs logs during one build."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        if record.name != log.name:
            self.messages.append(record.getMessage().strip())


class _RequestsAreNotBuildProblems(logging.Filter):
    """The server logs a browser's request for a missing file as a warning,
    and strict mode stops a build on any warning logged while it runs: a
    page asking for a favicon would stop the preview. Such requests are
    logged as information instead."""

    def filter(self, record):
        if record.levelno == logging.WARNING and '" code ' in record.getMessage():
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def _project_path(path: str | None, root: Path) -> str:
    if not path:
        return "?"
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return path


def _describe(error: BaseException, root: Path) -> list[str]:
    """Where an error that is not a data error comes from: the template or
    module, and the line, in this project."""
    from mkdocs.exceptions import MkDocsException  # noqa: PLC0415

    from workbook.datafile import DataError  # noqa: PLC0415

    found, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, SystemExit):
            pass  # MkDocs' Abort: its message is a summary
        elif isinstance(error, (MkDocsException, DataError)):
            # Logged, and recorded, already: unless MkDocs left it out as the
            # same message as the build before's (its DuplicateFilter), as
            # when a file is saved twice, or a brand file sets off two builds.
            found.append(str(error).strip())
        elif isinstance(error, jinja2.TemplateSyntaxError):
            found.append(f"{_project_path(error.filename, root)}:{error.lineno}: {error.message}")
        else:
            frames = [f for f in traceback.extract_tb(error.__traceback__)
                      if f.filename.startswith(str(root)) and not f.filename.endswith("preview.py")]
            frames = [f for f in frames if f.filename.endswith(".html")] or frames
            if frames:
                where = frames[-1]
                found.append(f"{_project_path(where.filename, root)}:{where.lineno}: "
                             f"{type(error).__name__}: {error}")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return found


def run_build(build, root: Path) -> list[str] | None:
    """Run one build; None if it worked, else what went wrong, as messages
    an editor can act on. Never raises."""
    recorder = _Recorder()
    logging.getLogger("mkdocs").addHandler(recorder)
    try:
        build()
        return None
    except (Exception, SystemExit) as error:  # MkDocs' Abort is a SystemExit
        if not isinstance(error, SystemExit):
            log.exception("The build raised an error:")
        messages = [m for m in dict.fromkeys(recorder.messages) if m]
        messages += [m for m in _describe(error, root) if m not in messages]
        summary = str(error).strip()
        if summary and summary not in messages and summary != "Aborted with a BuildError!":
            messages.append(summary)
        return messages or [repr(error)]
    finally:
        logging.getLogger("mkdocs").removeHandler(recorder)


def guard_first_build(root: Path) -> None:
    """MkDocs' `serve` ends when its first build fails (a broken file when
    the preview starts, or after it restarts). Let that build fail like any
    other: the preview starts and shows the error page."""
    logging.getLogger("mkdocs.livereload").addFilter(_RequestsAreNotBuildProblems())
    try:
        from mkdocs.commands import serve  # noqa: PLC0415
    except ImportError:  # a fork of MkDocs that names its modules otherwise: no guard
        return
    real = getattr(serve, "build", None)
    if real is None:
        return

    def first(config, **options):
        serve.build = real
        messages = run_build(lambda: real(config, **options), root)
        if messages:
            _first["messages"] = messages

    serve.build = first


def _code_snapshot() -> dict[Path, float]:
    """The workbook's Python modules, as loaded by this process (editors'
    lock and backup files, even broken links, are left out)."""
    package = Path(workbook.__file__).resolve().parent
    found = {}
    for path in sorted(package.rglob("*.py")):
        if path.name.startswith((".", "#")):
            continue
        try:
            found[path] = path.stat().st_mtime
        except OSError:
            continue
    return found


class Preview:
    def __init__(self, server, config, pdfs):
        self.server, self.pdfs = server, pdfs
        self.root = project.root_of(config)
        self.custom_dir = config.theme.custom_dir
        self.mount = server.mount_path
        self.error: list[str] | None = None
        self.building = threading.Condition()
        self.busy = False
        self.code = _code_snapshot()
        self._build, self._app = server.builder, server.get_app()
        server.builder = self.build
        server.set_app(self.app)
        self.watched: set[Path] = set()
        # A brand's preview (make serve BRAND=...): MkDocs watches the brand
        # file; the workbook's mkdocs.yml, which it inherits, is watched here.
        self.inherited = ([self.root / "mkdocs.yml"] if Path(config.config_file_path).resolve()
                          != (self.root / "mkdocs.yml").resolve() else [])
        self._watch_folders()
        # Stop cleanly (workers, temporary folder) on `kill` too, not only Ctrl+C.
        signal.signal(signal.SIGTERM, _interrupt)
        if _first.get("messages"):
            self._show(_first.pop("messages"))

    # ------------------------------------------------------------- building

    def build(self) -> None:
        """The server's builder: never raises, so the browser always gets a
        page, the site or the error page."""
        with self.building:
            self.busy = True
        try:
            self._rebuild()
        except Exception as error:  # noqa: BLE001 - never leave the browser waiting
            log.exception("The preview could not rebuild:")
            self._show([f"The preview could not rebuild: {error!r}"])
        finally:
            with self.building:
                self.busy = False
                self.building.notify_all()

    def _rebuild(self) -> None:
        now = _code_snapshot()
        changed = [path for path, mtime in now.items() if self.code.get(path) != mtime]
        if changed or set(self.code) - set(now):
            problems = _code_problems(self.root, changed)
            if problems:
                return self._show(problems)
            self._restart(changed)
        messages = run_build(self._build, self.root)
        self._watch_folders()  # brands/ made since the start (then named in mkdocs.yml)
        if messages:
            return self._show(messages)
        self.error = None

    def _watch_folders(self) -> None:
        folders = [self.root / name for name in WATCHED]
        package = Path(workbook.__file__).resolve().parent  # installed elsewhere?
        if not any(package.is_relative_to(folder) for folder in folders):
            folders.append(package)
        for folder in [*folders, *self.inherited]:
            if folder.exists() and folder not in self.watched:
                self.server.watch(str(folder))
                self.watched.add(folder)

    def show_failure(self, error: BaseException) -> None:
        log.error(f"{error}")
        self._show(_describe(error, self.root) or [repr(error)])

    def _show(self, messages: list[str]) -> None:
        self.error = messages
        log.error("The preview shows this message on every page until the file is fixed and "
                  "saved; the page then comes back by itself.")
        try:
            page = templates.render(self.custom_dir, "preview-error.html", messages=messages)
        except Exception as error:  # noqa: BLE001 - the error page's own template is broken
            page = _FALLBACK.render(messages=[*messages, *_describe(error, self.root)])
        Path(self.server.root).mkdir(parents=True, exist_ok=True)
        Path(self.server.root, ERROR_PAGE).write_text(page, encoding="utf-8")

    def _restart(self, changed: list[Path]) -> None:
        names = ", ".join(_project_path(str(p), self.root) for p in changed) or "a module was removed"
        log.warning(f"Python code changed ({names}): restarting the preview. "
                    "Open pages reload when it is back.")
        self.pdfs.close()
        shutil.rmtree(self.server.root, ignore_errors=True)
        sys.stdout.flush()
        sys.stderr.flush()
        # The same command again, in this process: the listening socket is
        # closed on exec, and the browsers' live reload reconnects.
        os.execv(sys.executable, sys.orig_argv)

    # -------------------------------------------------------------- serving

    def app(self, environ, start_response):
        """Pages and PDFs, once the build under way (if any) is done."""
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.mount):
            with self.building:
                self.building.wait_for(lambda: not self.busy, timeout=300)
            rel = path[len(self.mount):]
            if rel.startswith("pdf/") and rel.endswith(".pdf"):
                answer = self.pdfs.respond(rel[len("pdf/"):], start_response)
                if answer is not None:
                    return answer
            elif self.error is not None and _is_page(rel):
                environ = {**environ, "PATH_INFO": self.mount + ERROR_PAGE}
        return self._app(environ, start_response)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _is_page(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return name == "" or name.endswith(".html") or "." not in name


def _code_problems(root: Path, paths: list[Path]) -> list[str]:
    """What stops the new code from loading: 'scripts/workbook/x.py:12:5:
    invalid syntax' for a module that does not compile; the last lines of
    the traceback for one that fails when imported."""
    problems = []
    for path in paths:
        try:
            compile(path.read_bytes(), str(path), "exec")
        except SyntaxError as error:
            problems.append(f"{_project_path(str(path), root)}:{error.lineno}:{error.offset or 0}: "
                            f"{error.msg}. The preview restarts when the file is fixed.")
        except (OSError, ValueError) as error:
            problems.append(f"{_project_path(str(path), root)}: {error}")
    if problems:
        return problems
    result = subprocess.run([sys.executable, "-c", _IMPORT_ALL], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    if result.returncode:
        lines = result.stderr.strip().splitlines()
        return ["The new code fails when it loads; the preview restarts when it is fixed.\n"
                + "\n".join(lines[-6:])]
    return []
