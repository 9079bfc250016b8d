"""Our own Jinja templates, under overrides/workbook/, always autoescaped.

Text from data files is never pasted into Markdown or HTML by Python: it is
passed to one of these templates, so `<b>` or `*stars*` in data shows as
typed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup


@lru_cache(maxsize=4)
def environment(custom_dir: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(custom_dir) / "workbook")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["css_string"] = css_string
    return env


class _MemoryBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in memory; Jinja checks each one against its
    source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


BYTECODE = _MemoryBytecode()

_CSS_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:/_-?=")


def css_string(value: str) -> Markup:
    """A CSS string literal for any text: every character outside a small
    safe set becomes a CSS hex escape, so quotes, backslashes, '<' and
    non-ASCII letters can end neither the string nor the <style>. Marked
    safe, as HTML-escaping it would break the CSS."""
    escaped = "".join(c if c in _CSS_SAFE else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{escaped}"')


def render(custom_dir: str, name: str, **context) -> str:
    return environment(custom_dir).get_template(name).render(**context)
