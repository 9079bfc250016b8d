"""Our own Jinja templates, under overrides/workbook/, always autoescaped.

Text from data files is never pasted into Markdown or HTML by Python: it is
passed to one of these templates, so `<b>` or `*stars*` in data shows as
typed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2


@lru_cache(maxsize=4)
def environment(custom_dir: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(custom_dir) / "workbook")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(custom_dir: str, name: str, **context) -> str:
    return environment(custom_dir).get_template(name).render(**context)
