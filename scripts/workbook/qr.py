"""QR codes for printed sheets, made offline at build time with segno.

Each code is an SVG data URI, placed in the sheet's footer (browser print
and PDFs alike), so nothing is fetched to print it."""

from __future__ import annotations

from functools import lru_cache

import segno

SIZE_MM = 17


@lru_cache(maxsize=256)
def data_uri(url: str) -> str:
    """An SVG QR code for `url`, about 17 mm square, with its quiet zone."""
    code = segno.make(url, error="m", micro=False)
    modules = code.symbol_size(scale=1, border=2)[0]
    return code.svg_data_uri(scale=SIZE_MM / modules, unit="mm", border=2)
