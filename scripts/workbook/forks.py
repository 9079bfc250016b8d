"""Our forks of Material templates, as Material's file plus listed changes.

A few fixes sit outside any block that overrides/main.html could replace,
so those templates are copied into overrides/ and changed. Each fork is
exactly Material's file with the changes below; tests/test_overrides.py
fails when Material's original changes (after an upgrade) or a fork is
edited by hand. To re-sync after upgrading Material:

    .venv/bin/python -m workbook.forks
"""

from __future__ import annotations

from pathlib import Path

import material

UPSTREAM = Path(material.__file__).parent / "templates"
OVERRIDES = Path(__file__).resolve().parents[2] / "overrides"

FORKS = {
    "base.html": [
        ("{#-\n  This file was automatically generated - do not edit\n-#}",
         "{#-\n  Fork of Material 9.8.1's base.html; tests/test_overrides.py lists\n"
         "  every change and fails when upstream moves. Changes:\n"
         "  - no autocomplete on the two toggle checkboxes (invalid HTML);\n"
         "  - meta description and author are escaped (a quote broke the tag);\n"
         "  - Material's script loads once the page is drawn (a faster first paint).\n-#}"),
        ('<meta name="description" content="{{ page.meta.description }}">',
         '<meta name="description" content="{{ page.meta.description | e }}">'),
        ('<meta name="description" content="{{ config.site_description }}">',
         '<meta name="description" content="{{ config.site_description | e }}">'),
        ('<meta name="author" content="{{ page.meta.author }}">',
         '<meta name="author" content="{{ page.meta.author | e }}">'),
        ('<meta name="author" content="{{ config.site_author }}">',
         '<meta name="author" content="{{ config.site_author | e }}">'),
        ('id="__drawer" autocomplete="off">', 'id="__drawer">'),
        ('id="__search" autocomplete="off">', 'id="__search">'),
        # Loaded once the page is drawn, so the first paint of the text does
        # not wait for the script (workbook/material-script.html).
        ("<script src=\"{{ 'assets/javascripts/bundle.a5f9d56c.min.js' | url }}\"></script>",
         "{% with src = 'assets/javascripts/bundle.a5f9d56c.min.js' | url %}"
         '{% include "workbook/material-script.html" %}{% endwith %}'),
    ],
    "partials/search.html": [
        ("{#-\n  This file was automatically generated - do not edit\n-#}",
         "{#-\n  Fork of Material 9.8.1's partials/search.html; tests/test_overrides.py\n"
         "  lists every change. Change: the search dialog has an accessible name.\n-#}"),
        ('<div class="md-search" data-md-component="search" role="dialog">',
         '<div class="md-search" data-md-component="search" role="dialog" '
         'aria-label="{{ lang.t(\'search\') }}">'),
    ],
    "partials/header.html": [
        ("{#-\n  This file was automatically generated - do not edit\n-#}",
         "{#-\n  Fork of Material 9.8.1's partials/header.html; tests/test_overrides.py\n"
         "  lists every change. Changes: the menu (drawer) opens from a real,\n"
         "  named button that keyboards reach; the click-only label remains for\n"
         "  browsers without JavaScript. Light or dark is settled as soon as the\n"
         "  palette is parsed (workbook/palette-start.html).\n-#}"),
        ('    <label class="md-header__button md-icon" for="__drawer">\n'
         '      {% set icon = config.theme.icon.menu or "material/menu" %}\n'
         '      {% include ".icons/" ~ icon ~ ".svg" %}\n'
         '    </label>\n',
         '    <label class="md-header__button md-icon wb-nojs-only" for="__drawer">\n'
         '      {% set icon = config.theme.icon.menu or "material/menu" %}\n'
         '      {% include ".icons/" ~ icon ~ ".svg" %}\n'
         '    </label>\n'
         '    <button type="button" class="md-header__button md-icon wb-js-only wb-menu-button" '
         'aria-label="Menu" aria-expanded="false" data-wb-drawer-button>\n'
         '      {% include ".icons/" ~ icon ~ ".svg" %}\n'
         '    </button>\n'),
        ('      {% include "partials/javascripts/palette.html" %}\n',
         '      {% include "partials/javascripts/palette.html" %}\n'
         '      {% include "workbook/palette-start.html" %}\n'),
    ],
}


def render(name: str) -> str:
    """Material's template `name` with our changes applied."""
    text = (UPSTREAM / name).read_text(encoding="utf-8")
    for old, new in FORKS[name]:
        if text.count(old) != 1:
            raise ValueError(f"Material's {name} changed: {old!r} is not in it exactly once")
        text = text.replace(old, new)
    return text


def main() -> None:
    for name in FORKS:
        (OVERRIDES / name).write_text(render(name), encoding="utf-8")
        print(f"wrote overrides/{name}")


if __name__ == "__main__":
    main()
