"""Build the site into a folder, all or nothing.

    python -m workbook.sitebuild [--site-dir site] [--config-file brands/x.yml]
    (`make build` runs this; `make build BRAND=brands/x.yml` builds a career
    center's edition)

MkDocs writes pages one by one into its output folder, so a build that
stops half-way would leave a half-written site behind. This script builds
into a fresh temporary folder beside the target and only swaps it into
place when the whole build succeeded. On failure the old site is untouched
and the exit code is non-zero.

The environment variable SITE_URL sets the public address (see mkdocs.yml).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUIET_BANNERS = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def mkdocs_build(out: Path, project: Path = ROOT, env: dict | None = None,
                 config: Path | None = None) -> subprocess.CompletedProcess:
    """Run `mkdocs build` for `project` (its mkdocs.yml, or `config`, such as
    a brand file) into `out`, capturing its output.

    Never pass --quiet: MkDocs then stops counting warnings, and strict mode
    lets a broken link through."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--clean",
         "--config-file", str(config or project / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=project, env={**os.environ, **QUIET_BANNERS, **(env or {})},
        capture_output=True, text=True,
    )


def build(target: Path, project: Path = ROOT, env: dict | None = None,
          config: Path | None = None) -> int:
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    try:
        result = mkdocs_build(staging, project, env, config)
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        if result.returncode:
            print(f"\nBuild failed; {target} was left as it was.", file=sys.stderr)
            return result.returncode
        # mkdtemp makes a private folder (0700); the published site must be
        # readable by the web server, as any folder made under the umask is.
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
        old = target.with_name(f".{target.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        print(f"Built the site into {target}")
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--config-file", type=Path, default=None,
                        help="a career center's brand file (brands/*.yml) instead of mkdocs.yml")
    args = parser.parse_args()
    if args.config_file is not None:
        from workbook import brand  # noqa: PLC0415 - only for a center's edition

        checked = brand.main([str(args.config_file)])  # before MkDocs reads it
        if checked:
            return checked
    return build(args.site_dir, config=args.config_file and args.config_file.resolve())


if __name__ == "__main__":
    sys.exit(main())
