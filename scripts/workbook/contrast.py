"""WCAG 2.2 contrast, for a brand's accent color (workbook.brand).

The accent colors the bar at the top of every page (white title and icon
buttons on it, in the light and the dark scheme) and, in the light
scheme, the "Book a time" button (white text) on the white page. In the
dark scheme that button keeps the workbook's own colors. Each pair must
meet WCAG 2.2 AA: 4.5:1 for text, 3:1 for a control's edge (1.4.11)."""

from __future__ import annotations

WHITE = "#ffffff"
LIGHT_PAGE = "#ffffff"
TEXT, CONTROL = 4.5, 3.0


def luminance(hex_color: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    def channel(pair: str) -> float:
        c = int(pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(hex_color[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(one: str, two: str) -> float:
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pairs(accent: str) -> list[tuple[str, str, str, float]]:
    """(what, foreground, background, needed) for every use of the accent."""
    return [
        ("light scheme: the title and icon buttons (white) on the top bar", WHITE, accent, TEXT),
        ("light scheme: the 'Book a time' button's text (white)", WHITE, accent, TEXT),
        ("light scheme: the 'Book a time' button's edge on the white page", accent, LIGHT_PAGE,
         CONTROL),
        ("dark scheme: the title and icon buttons (white) on the top bar", WHITE, accent, TEXT),
    ]


def accent_problems(accent: str) -> list[str]:
    """One line per pair that fails, with its ratio and what it lacks."""
    found = []
    for what, fore, back, needed in pairs(accent):
        have = ratio(fore, back)
        if have < needed:
            found.append(f"{what}: {fore} on {back} is {have:.2f}:1, needs {needed:g}:1 "
                         f"({needed - have:.2f} short)")
    return found
