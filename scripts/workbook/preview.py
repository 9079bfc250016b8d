"""The live preview, `make serve`: what MkDocs' own server leaves out.

MkDocs' server watches docs/ and mkdocs.yml, and a build that stops leaves
the browser waiting. The hooks (on_serve) attach this module, which:

- watches every folder that shapes the site: data/, overrides/, scripts/
  and brands/ (whole folders, so files added later count too);
- restarts the preview when a Python module of the workbook changes (the
  code is loaded once per process), after checking that the new code
  compiles; if it does not, that is shown like any other error;
- when a build stops, shows its messages (the same file-and-line messages
  as `make build`) on every previewed page, and in the terminal, until the
  file is fixed and saved; the page then comes back by itself;
- serves the PDFs, made in the background after the pages
  (workbook.previewpdfs).

Nothing here runs in `mkdocs build`: the error page is written only into
the preview's own temporary folder.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

import workbook
from workbook import templates

WATCHED = ("data", "overrides", "scripts", "brands")
# In the preview's folder, which every build empties (MkDocs keeps only
# names starting with a dot).
ERROR_PAGE = "__preview-error__.html"
log = logging.getLogger("mkdocs.workbook.preview")


class _Recorder(logging.Handler):
    """The warnings and errors MkDocs logs during one build."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        if record.name != log.name:
            self.messages.append(record.getMessage().strip())


def _code_snapshot() -> dict[Path, float]:
    """The workbook's Python modules, as loaded by this process."""
    package = Path(workbook.__file__).resolve().parent
    return {path: path.stat().st_mtime for path in sorted(package.rglob("*.py"))}


class Preview:
    def __init__(self, server, config, pdfs):
        self.server, self.pdfs = server, pdfs
        self.root = Path(config.config_file_path).resolve().parent
        self.custom_dir = config.theme.custom_dir
        self.mount = server.mount_path
        self.error: list[str] | None = None
        self.code = _code_snapshot()
        self._build, self._app = server.builder, server.get_app()
        server.builder = self.build
        server.set_app(self.app)
        folders = [self.root / name for name in WATCHED]
        package = Path(workbook.__file__).resolve().parent  # installed elsewhere?
        if not any(package.is_relative_to(folder) for folder in folders):
            folders.append(package)
        for folder in folders:
            if folder.is_dir():
                server.watch(str(folder))

    # ------------------------------------------------------------- building

    def build(self) -> None:
        """The server's builder: never raises, so the browser always gets a
        page, the site or the error page."""
        now = _code_snapshot()
        changed = [path for path, mtime in now.items() if self.code.get(path) != mtime]
        if changed or set(self.code) - set(now):
            problems = _compile_errors(self.root, changed)
            if problems:
                return self._show(problems)
            self._restart(changed)
        recorder = _Recorder()
        logging.getLogger("mkdocs").addHandler(recorder)
        try:
            self._build()
        except (Exception, SystemExit) as error:  # MkDocs' Abort is a SystemExit
            summary = str(error).strip()
            messages = [m for m in dict.fromkeys(recorder.messages) if m]
            if summary and summary not in messages and summary != "Aborted with a BuildError!":
                messages.append(summary)
            if not isinstance(error, SystemExit):
                log.exception("The build raised an error:")
            return self._show(messages or [repr(error)])
        finally:
            logging.getLogger("mkdocs").removeHandler(recorder)
        self.error = None

    def _show(self, messages: list[str]) -> None:
        self.error = messages
        log.error("The preview shows this message on every page until the file is fixed and "
                  "saved; the page then comes back by itself.")
        page = templates.render(self.custom_dir, "preview-error.html", messages=messages)
        Path(self.server.root, ERROR_PAGE).write_text(page, encoding="utf-8")

    def _restart(self, changed: list[Path]) -> None:
        names = ", ".join(_label(self.root, path) for path in changed) or "a module was removed"
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
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.mount):
            rel = path[len(self.mount):]
            if rel.startswith("pdf/") and rel.endswith(".pdf"):
                answer = self.pdfs.respond(rel[len("pdf/"):], start_response)
                if answer is not None:
                    return answer
            elif self.error is not None and _is_page(rel):
                environ = {**environ, "PATH_INFO": self.mount + ERROR_PAGE}
        return self._app(environ, start_response)


def _is_page(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return name == "" or name.endswith(".html") or "." not in name


def _label(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _compile_errors(root: Path, paths: list[Path]) -> list[str]:
    """'scripts/workbook/x.py:12:5: invalid syntax' for each module that
    does not compile."""
    problems = []
    for path in paths:
        try:
            compile(path.read_bytes(), str(path), "exec")
        except SyntaxError as error:
            problems.append(f"{_label(root, path)}:{error.lineno}:{error.offset or 0}: "
                            f"{error.msg}. The preview restarts when the file is fixed.")
        except (OSError, ValueError) as error:
            problems.append(f"{_label(root, path)}: {error}")
    return problems
