"""Install everything the project needs, on a fresh machine or an old one.

Run by the Makefile before every task; it does nothing when all is in place.

    python3 scripts/bootstrap.py         Python packages only (serve, lint)
    python3 scripts/bootstrap.py --pdf   also Pango, for the PDFs (build)
    python3 scripts/bootstrap.py --all   also what the tests and the benchmark
                                         run: Chromium, Java, nginx, Node packages

- Python packages: the exact versions of requirements.lock, into .venv, then
  this project itself (the `workbook` package under scripts/) in editable
  mode. Re-run automatically when requirements.lock or pyproject.toml change.
- Pango (WeasyPrint, which makes the PDFs) with --pdf or --all; with --all,
  Chromium (browser tests), Java (the W3C Nu HTML checker), nginx (the
  hosting test) and Node with
  npm: as root on Debian they are installed with apt-get; anywhere else you
  get a message saying what to install. Then the Node packages, exactly as
  package-lock.json pins them, into node_modules/.

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
    # --no-compile: Python compiles a module when it is first imported
    # instead; pip compiling every installed file took a quarter of a
    # minute of each fresh `make test`.
    quiet = ["--quiet", "--disable-pip-version-check", "--no-input", "--no-compile"]
    run(python, "-m", "pip", "install", *quiet, "-r", "requirements.lock")
    run(python, "-m", "pip", "install", *quiet, "--no-deps", "--no-build-isolation",
        "--editable", ".")
    STAMP.write_text(wanted + "\n")
    say("Python packages are ready")


def find_chromium() -> str | None:
    # workbook.browser uses only the standard library, so it loads before .venv.
    sys.path.insert(0, str(ROOT / "scripts"))
    from workbook.browser import chromium_path  # noqa: PLC0415

    try:
        found = chromium_path()
    except RuntimeError:
        return None
    return found if Path(found).exists() else None


def apt_install(packages: list[str], why: str) -> None:
    """Install Debian packages as root, refreshing the package lists once if
    the first attempt fails."""
    say(f"installing Debian's {' '.join(packages)} ({why})")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    if subprocess.run(command, env=env).returncode:
        say("apt-get install failed; refreshing the package lists and trying again")
        run("apt-get", "update", "-q")
        if subprocess.run(command, env=env).returncode:
            fail(f"could not install {' '.join(packages)} with apt-get (see above)")


def can_apt() -> bool:
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return bool(is_root and Path("/etc/debian_version").exists() and shutil.which("apt-get"))


def system_tool(found, packages: list[str], why: str, hint: str) -> None:
    """Make sure a system tool is there: found() says whether it is. As root
    on Debian it is installed with apt-get; elsewhere we say what to do."""
    if found():
        return
    if not can_apt():
        fail(f"{why} need(s) a tool that was not found.\n{hint}")
    apt_install(packages, why)
    if not found():
        fail(f"apt-get installed {' '.join(packages)}, but it is still not found")


def node_modules() -> None:
    """The Node checkers (the Nu HTML checker's jar, Lighthouse), exactly as
    package-lock.json pins them."""
    stamp = ROOT / "node_modules" / ".workbook-installed"
    wanted = hashlib.sha256((ROOT / "package-lock.json").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return
    say("installing the pinned Node packages from package-lock.json")
    # --ignore-scripts: vnu-jar's install script would try to download a
    # Java runtime; we use the system's Java instead.
    run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
    stamp.write_text(wanted + "\n")


def checkers() -> None:
    """Everything the tests and the benchmark run besides Python packages."""
    system_tool(
        find_chromium, ["chromium", "fonts-dejavu-core"], "the browser tests",
        "  Debian or Ubuntu:  sudo apt-get install chromium\n"
        "  Fedora:            sudo dnf install chromium\n"
        "  macOS (Homebrew):  brew install --cask chromium\n"
        "  Or set CHROMIUM=/path/to/chromium and run make again.")
    system_tool(
        lambda: shutil.which("java"), ["default-jre-headless"],
        "the HTML validity test (the W3C Nu checker)",
        "  Install a Java runtime, 11 or newer (Debian: sudo apt-get install "
        "default-jre-headless).")
    system_tool(
        lambda: shutil.which("nginx") or Path("/usr/sbin/nginx").exists(), ["nginx"],
        "the hosting test, which runs the documented nginx set-up",
        "  Install nginx (Debian: sudo apt-get install nginx).")
    system_tool(
        lambda: shutil.which("pdfinfo"), ["poppler-utils"],
        "the PDF accessibility tests (poppler's pdfinfo reads the tags)",
        "  Install poppler's tools (Debian: sudo apt-get install poppler-utils; "
        "macOS: brew install poppler).")
    system_tool(
        lambda: shutil.which("npm"), ["nodejs", "npm"],
        "the HTML validity test and the benchmark (Node packages)",
        "  Install Node.js 18 or newer with npm (https://nodejs.org/).")
    node_modules()


def pdf_libraries() -> None:
    """WeasyPrint (the PDFs, made by every full build) needs Pango."""
    import ctypes.util  # noqa: PLC0415

    system_tool(
        lambda: ctypes.util.find_library("pango-1.0"),
        ["libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"],
        "building the PDFs (WeasyPrint)",
        "  Install Pango and the DejaVu fonts (Debian: sudo apt-get install "
        "libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; macOS: brew install pango).")


def main(argv: list[str]) -> None:
    unknown = set(argv) - {"--pdf", "--all"}
    if unknown:
        fail(f"unknown option(s): {' '.join(sorted(unknown))}")
    python_packages()
    if "--pdf" in argv or "--all" in argv:
        pdf_libraries()
    if "--all" in argv:
        checkers()


if __name__ == "__main__":
    main(sys.argv[1:])
