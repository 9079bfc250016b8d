"""Material's script with six changes, so that starting it does not make
the browser restyle the whole page again and again, and does not hold back
the first paint of the text (hooks: on_post_build).

A trace of a page load (Chromium, 4x slower processor) showed Material's
start restyling every element of the page five times in a row, each time
because something at the top of the page changed:

1. Its focus polyfill adds a class to <html>. Material's stylesheet has
   `.md-typeset table:not([class]) ...`, so any change of a `class`
   attribute restyles everything below it. Our head script
   (overrides/workbook/js-class.html) sets the final classes before the
   page is parsed, so the polyfill changes nothing.
2. The palette adds a `<meta name="color-scheme">` and then sets it. The
   browser restyles the whole page for any such meta, even an unchanged
   one. Our palette start (overrides/workbook/palette-start.html) writes
   that meta while only the header is parsed; the patched script uses it
   and sets it only when the scheme really changes.
3. The palette marks the body as "switching" (which turns transitions off
   everywhere) and unmarks it a frame later, also when nothing switches.
   The patched script does that only when a color really changes.

And: the script now loads once the page is drawn (overrides/workbook/
material-script.html), after the page was parsed, so the event it waited
for to start has passed; it starts anyway, in a task of its own.

5. Its start is cut into short tasks. Material set up all its parts (the
   header, the menu, the contents list, search, the palette...) in two
   long tasks of 40-60 ms each on this machine, 150-300 ms on Lighthouse's
   4x slower phone: while they ran, a tap or a key waited (Lighthouse's
   "total blocking time"). Now each part is set up in a task of its own
   (`setTimeout`), each a few milliseconds; the page can answer the
   reader between them. The parts on every page are made in a task of
   their own too, after the script's first run (search starts its worker
   there); the page's own parts were already made in a later task. When
   the last part is set up, `window.wbMaterialReady` is true and a
   `wb-material-ready` event is sent (the tests wait for it).
6. A table that the page already wraps in Material's scrolling box (the
   career-center page's 38 link tables, overrides/workbook/link-table.html)
   stays where it is. Material wrapped each one again as it started: a
   second box inside the first, and every table moved in the page, which
   made the browser lay it out again.

Each change is an exact piece of Material 9.8.1's minified script; the
build stops if a piece is not there exactly once (after an upgrade), so a
patch never silently misses. The patched script gets a name from its
content hash and every page is pointed at it. tests/test_page_start.py
checks that the page's start changes nothing at the top of the page and
that the palette still switches and is remembered.
"""

from __future__ import annotations

import re
from pathlib import Path

from workbook import hashnames

SCRIPTS = "assets/javascripts"
BUNDLE = re.compile(r"^bundle\.[0-9a-f]{8}\.min\.js$")

# 5. Set up each part in a task of its own (`F` is RxJS's Observable, `L`
#    its merge, in Material 9.8.1's minified names). A part counts as set
#    up once subscribed (or dropped unsubscribed), and counts once: a part
#    with nothing to do ends while it is subscribed, which calls its
#    clean-up too (it counted twice, and "ready" came two parts early).
#    One extra count stands for the page parts (`$s`), listed only when
#    the page is ready, so "ready" cannot come between the two lists.
_ONE_TASK_EACH = (
    "var wbWaiting=1;"
    "function wbReady(){--wbWaiting||(window.wbMaterialReady=!0,"
    'dispatchEvent(new Event("wb-material-ready")))}'
    "function wbLater(o){wbWaiting++;var done=!1,once=function(){done||(done=!0,wbReady())};"
    "return new F(function(t){var s,off=!1,"
    "id=setTimeout(function(){off||(s=o.subscribe(t),once())});"
    "return function(){off||(off=!0,clearTimeout(id),s&&s.unsubscribe(),once())}})}"
    "function wbEach(...a){return L(...a.map(wbLater))}"
    "function wbEachLast(...a){var o=wbEach(...a);wbReady();return o}")

PATCHES = [
    # 4. Start when loaded after the page was parsed (material-script.html):
    #    the components are set up in a task of their own, as before, not in
    #    the same long task as the script's first run.
    ('function an(){let e=new It(1);return h(document,"DOMContentLoaded",{once:!0})'
     '.subscribe(()=>e.next(document)),e}',
     'function an(){let e=new It(1);return document.readyState==="loading"'
     '?h(document,"DOMContentLoaded",{once:!0}).subscribe(()=>e.next(document))'
     ':setTimeout(()=>e.next(document)),e}'),
    # 2. Use the color-scheme meta already on the page...
    ('let o=x("meta",{name:"color-scheme"});document.head.appendChild(o);',
     "let o=document.head.querySelector('meta[name=\"color-scheme\"]')"
     '||document.head.appendChild(x("meta",{name:"color-scheme"}));'),
    # ...and only set it when it changes.
    ("return o.content=a.colorScheme,",
     "return o.content!==a.colorScheme&&(o.content=a.colorScheme),"),
    # 3. "Switching" only when a color changes.
    ('if(document.body.setAttribute("data-md-color-switching",""),s.color.media===',
     'if(Object.entries(s.color).some(([a,c])=>document.body.getAttribute("data-md-color-"+a)!==c)'
     '&&document.body.setAttribute("data-md-color-switching",""),s.color.media==='),
    # 5. The helpers, before the first function that follows the library...
    ("function ks(){", _ONE_TASK_EACH + "function ks(){"),
    # ...the parts on every page (search, palette, dialog...) and the
    # page's own parts (header, menu, contents, content, back to top)...
    # (the first made in a task of their own, after the script's first
    # run: search starts its worker there)...
    (",Hs=L(", ",Hs=wbLater(H(()=>wbEach("),
    ('...me("source").map(e=>$i(e))),$s=H(()=>L(',
     '...me("source").map(e=>$i(e))))),$s=H(()=>wbEachLast('),
    # ...and the four watchers of the whole page (long titles, menu
    # sections, iOS scrolling, scroll lock), the first of which measures
    # the page (a full layout), in two tasks.
    ("Fi({viewport$:ke,document$:ct});ji({document$:ct,tablet$:Lr});Ui({document$:ct});"
     "Wi({viewport$:ke,tablet$:Lr});",
     "setTimeout(()=>Fi({viewport$:ke,document$:ct}));setTimeout(()=>{ji({document$:ct,tablet$:Lr}),"
     "Ui({document$:ct}),Wi({viewport$:ke,tablet$:Lr})});"),
    # 6. Tables already in Material's scrolling box are left as they are.
    ('...M("table:not([class])",e).map(i=>ti(i))',
     '...M("table:not([class])",e).filter(i=>!i.parentElement.classList.contains("md-typeset__table"))'
     ".map(i=>ti(i))"),
]
_MAP_COMMENT = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")


class PatchError(Exception):
    pass


def patch(text: str, name: str = "bundle.js") -> str:
    """Material's script `text` with PATCHES applied (and no source map)."""
    for old, new in PATCHES:
        count = text.count(old)
        if count != 1:
            raise PatchError(
                f"{name}: Material's script changed (an upgrade?): {old!r} is in it {count} "
                "times, not once. Update scripts/workbook/bundlepatch.py for the new script.")
        text = text.replace(old, new)
    return _MAP_COMMENT.sub("", text)


def patch_site(site: Path) -> dict[str, str]:
    """Patch Material's script in a built site; return {old name: new name}."""
    renamed = {}
    for script in sorted((site / SCRIPTS).glob("bundle.*.min.js")):
        if BUNDLE.match(script.name):
            patched = patch(script.read_text(encoding="utf-8"), f"{SCRIPTS}/{script.name}")
            renamed[script.name] = hashnames.write_hashed(script, patched, "bundle", "min.js")
    hashnames.repoint(site, SCRIPTS, renamed)
    return renamed
