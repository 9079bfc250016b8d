"""Leave out the rules of Material's stylesheets that nothing on the site
can use, after the build has written every page (hooks: on_post_build).

Material ships one stylesheet for every feature it has (tabs, blog, code
annotations, 20 color palettes...). This site uses a fraction of them, and
the stylesheet blocks the first paint of every page, on a phone, on a weak
connection. So after the build:

- the names the site can use are collected: every class, id and palette
  value written in any built page, and every word in the site's scripts
  (Material's script adds class names that are in no page, such as the
  search results' `md-search-result__item`; they are all words in it);
- a selector is kept when every class and id it names is one of those
  names (and every `[data-md-color-...=value]` is a value some page uses).
  Names inside `:is()`, `:where()`, `:not()` and `:has()` are not judged,
  so a rule is only ever left out when it cannot match;
- each pruned stylesheet gets a new name from a hash of its content, and
  every page is pointed at it, so a browser or a server's cache never
  mixes the old, full file with new pages.

Material's source maps are dropped (they describe the full files).
tests/test_performance.py checks the saving and that the pages look the
same with the full and pruned stylesheets.
"""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2

from workbook import hashnames

STYLESHEETS = "assets/stylesheets"
_CLASSES = re.compile(r'\sclass="([^"]*)"')
_IDS = re.compile(r'\sid="([^"]*)"')
_PALETTE = re.compile(r'\s(data-md-color-[\w-]+)="([^"]*)"')
_WORDS = re.compile(r"[A-Za-z_][\w-]*")
_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\([^()]*\)")
_NAMES = re.compile(r"[.#](-?[_a-zA-Z][\w-]*)")
_ATTRIBUTES = re.compile(r"\[[^\]]*\]")
_PALETTE_SELECTOR = re.compile(r'\[(data-md-color-[\w-]+)="?([\w-]+)"?\]')
_HASHED = re.compile(r"^(?P<stem>[\w-]+)\.[0-9a-f]{8}\.min\.css$")


def used_names(site: Path) -> set[str]:
    names: set[str] = set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for match in _CLASSES.finditer(text):
            names.update(match.group(1).split())
        names.update(_IDS.findall(text))
        names.update(f"{attr}={value}" for attr, value in _PALETTE.findall(text))
    for script in site.glob("assets/**/*.js"):
        if "lunr" not in script.parts:  # other languages' search, never loaded
            names.update(_WORDS.findall(script.read_text(encoding="utf-8")))
    return names


def _split(selectors: str) -> list[str]:
    """A selector list split at its top-level commas."""
    out, depth, current = [], 0, []
    for char in selectors:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            out.append("".join(current))
            current = []
        else:
            current.append(char)
    out.append("".join(current))
    return [s.strip() for s in out]


def can_match(selector: str, names: set[str]) -> bool:
    core = selector
    while (simpler := _FUNCTIONAL.sub("", core)) != core:
        core = simpler
    return (all(name in names for name in _NAMES.findall(_ATTRIBUTES.sub("", core)))
            and all(f"{attr}={value}" in names for attr, value in _PALETTE_SELECTOR.findall(core)))


def _rules(rules, names: set[str]) -> list[str]:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [s for s in _split(tinycss2.serialize(rule.prelude)) if can_match(s, names)]
            if kept:
                out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in (
                "media", "supports", "layer", "container"):
            inner = _rules(tinycss2.parse_rule_list(rule.content, skip_whitespace=True,
                                                    skip_comments=True), names)
            if inner:
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
        elif rule.type == "at-rule":  # @font-face, @keyframes, @charset...
            out.append(tinycss2.serialize([rule]))
    return out


def prune(css: str, names: set[str]) -> str:
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return "".join(_rules(rules, names))


def prune_site(site: Path) -> dict[str, str]:
    """Prune Material's stylesheets in a built site; return {old name: new name}."""
    folder = site / STYLESHEETS
    names = used_names(site)
    renamed = {}
    for sheet in sorted(folder.glob("*.min.css")):
        match = _HASHED.match(sheet.name)
        if match:
            pruned = prune(sheet.read_text(encoding="utf-8"), names)
            renamed[sheet.name] = hashnames.write_hashed(sheet, pruned, match["stem"], "min.css")
    hashnames.repoint(site, STYLESHEETS, renamed)
    return renamed
