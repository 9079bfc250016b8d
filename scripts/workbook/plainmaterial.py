"""A plain Material for MkDocs project of the same pages, to measure against.

`make bench` compares the workbook with what a plain Material site of the
same chapter would cost, built and measured in the same run on the same
machine (machines differ two or three times in speed, so only ratios mean
anything). The plain project has:

- the same Markdown files and the same page tree (docs/ and mkdocs.yml's
  `nav`), so every page has the same address in both sites;
- Material's defaults: its theme, its search plugin, standard Markdown
  extensions, and none of ours: no macros (checklist and worksheet calls
  stay as text), no hooks, no overrides, no extra CSS or script.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

EXTENSIONS = ["toc", "attr_list", "admonition", "md_in_html",
              "pymdownx.highlight", "pymdownx.superfences"]


def make(project: Path, out: Path) -> Path:
    """Write the plain project for `project` into `out`; return its mkdocs.yml."""
    ours = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(project / "docs", out / "docs", dirs_exist_ok=True)
    config = {
        "site_name": ours["site_name"],
        "site_url": "https://plain.example.org/",
        "theme": {"name": "material", "language": "en", "font": False},
        "plugins": ["search"],
        "markdown_extensions": EXTENSIONS,
        "nav": ours["nav"],
    }
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return out / "mkdocs.yml"


class _Loader(yaml.SafeLoader):
    """Reads our mkdocs.yml, ignoring its !ENV and !!python tags."""


def _ignore(loader, suffix, node):
    return None


_Loader.add_multi_constructor("!", _ignore)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore)
