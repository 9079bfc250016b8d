"""A "Copy link" button under every section heading (H2, H3) of a page
(hooks: on_page_content), written into the page by the build.

workbook.js used to add them once the page had started, which pushed the
text below each heading down after the reader saw it (a layout shift that
Lighthouse counts) and cost the page's start a loop over every heading.
The button copies the section's permanent address: the page's canonical
address and the heading's id. Clicking it is handled in workbook.js.
"""

from __future__ import annotations

import re

from workbook import templates
from workbook.pagefacts import PageFacts


def add(html: str, facts: PageFacts, canonical: str, custom_dir: str) -> str:
    """`html` with a copy-link button after each H2 and H3 that has an id."""
    for heading in facts.all_headings:
        if heading.level not in (2, 3) or not heading.id:
            continue
        button = templates.render(custom_dir, "copy-link.html",
                                  url=f"{canonical}#{heading.id}", title=heading.text)
        pattern = rf'<h{heading.level}\b[^>]*\sid="{re.escape(heading.id)}"[^>]*>.*?</h{heading.level}>'
        html = re.sub(pattern, lambda m, button=button: m.group(0) + button, html, count=1, flags=re.S)
    return html
