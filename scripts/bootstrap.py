"""Install everything the project needs, on a fresh machine or an old one.

Run by the Makefile before every task; it does nothing when all is in place.

    python3 scripts/bootstrap.py            Python packages only (serve, build)
    python3 scripts/bootstrap.py --browser  also Chromium, for the browser tests

- Python packages: the exact versions of requirements.lock, into .venv, then
  this project itself (the `workbook` package under scripts/) in editable
  mode. Re-run automatically when requirements.lock or pyproject.toml change.
- Chromium: Debian's `chromium` package. As root on Debian it is installed
  with apt-get; anywhere else you get a message saying what to install.

Only the standard library is used here: this runs before .venv exists.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".workbook-installed"
INPUTS = [ROOT / "requirements.lock", ROOT / "pyproject.toml"]
MIN_PYTHON = (3, 11)
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def say(message: str) -> None:
    print(f"[setup] {message}", flush=True)


def fail(message: str) -> None:
    print(f"[setup] ERROR: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def run(*args: str | os.PathLike) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT)
    if result.returncode:
        fail(f"'{' '.join(str(a) for a in args)}' failed with exit code {result.returncode}")


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in INPUTS:
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def python_packages() -> None:
    if sys.version_info < MIN_PYTHON:
        fail(f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed; this is "
             f"{sys.version.split()[0]} ({sys.executable}). Install a newer Python "
             "and run make again, or point make at it: make PYTHON=python3.12 ...")
    python = VENV / "bin" / "python"
    if not python.exists():
        say(f"creating a virtual environment in {VENV.name}/")
        shutil.rmtree(VENV, ignore_errors=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = fingerprint()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    say("installing the pinned Python packages from requirements.lock")
    quiet = ["--quiet", "--disable-pip-version-check", "--no-input"]
    run(python, "-m", "pip", "install", *quiet, "-r", "requirements.lock")
    run(python, "-m", "pip", "install", *quiet, "--no-deps", "--no-build-isolation",
        "--editable", ".")
    STAMP.write_text(wanted + "\n")
    say("Python packages are ready")


def find_chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium() -> None:
    if find_chromium():
        return
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    is_debian = Path("/etc/debian_version").exists() and shutil.which("apt-get")
    if not (is_root and is_debian):
        fail("the browser tests need Chromium, and none was found.\n"
             "  Debian or Ubuntu:  sudo apt-get install chromium\n"
             "  Fedora:            sudo dnf install chromium\n"
             "  macOS (Homebrew):  brew install --cask chromium\n"
             "  Or set CHROMIUM=/path/to/chromium and run make again.")
    say("installing Debian's chromium package (for the browser tests)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends",
               "chromium", "fonts-dejavu-core"]
    if subprocess.run(command, env=env).returncode:
        say("apt-get install failed; refreshing the package lists and trying again")
        run("apt-get", "update", "-q")
        if subprocess.run(command, env=env).returncode:
            fail("could not install chromium with apt-get (see the output above)")
    if not find_chromium():
        fail("apt-get installed chromium, but it is not on PATH")


def main(argv: list[str]) -> None:
    unknown = set(argv) - {"--browser"}
    if unknown:
        fail(f"unknown option(s): {' '.join(sorted(unknown))}")
    python_packages()
    if "--browser" in argv:
        chromium()


if __name__ == "__main__":
    main(sys.argv[1:])
