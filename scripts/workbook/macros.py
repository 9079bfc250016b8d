"""Macros for Markdown pages (mkdocs-macros). Each macro renders one of our
autoescaped templates under overrides/workbook/ with data from data/.

    {{ link_table() }}   every registered page and section, with its
                         permanent URL (the career-center page)
"""

from __future__ import annotations

from workbook import project, templates


def define_env(env):
    @env.macro
    def link_table() -> str:
        here = project.current()
        page = env.page.url
        rows = [{
            "title": link.title,
            "page_title": here.registry.pages[link.page].title,
            "is_section": link.anchor is not None,
            "href": project.relative(link.path, page),
            "url": here.url(link.path),
            "id": link.id,
        } for link in here.registry.links]
        return templates.render(here.custom_dir, "link-table.html", rows=rows)
