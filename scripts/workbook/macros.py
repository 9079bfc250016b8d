"""Macros for Markdown pages (mkdocs-macros). Each macro renders one of our
autoescaped templates under overrides/workbook/ with data from data/:
text from data is always escaped, never pasted into Markdown.

    {{ checklist("emotions") }}   one checklist from data/checklists.yml
    {{ master_checklist() }}      the ten steps' lists on one page
    {{ link_table() }}            every registered page and section with its
                                  permanent URL (the career-center page)
"""

from __future__ import annotations

from workbook import project, templates
from workbook.checklists import Checklist


def define_env(env):
    def here() -> tuple[project.Project, str, str]:
        """The project, the current page's URL and its source file."""
        page = env.page
        return project.current(), page.url, f"docs/{page.file.src_uri}"

    def checklist_view(item_list: Checklist, page_url: str) -> dict:
        return {
            "id": item_list.id, "title": item_list.title, "intro": item_list.intro,
            "items": [{
                "id": item.id, "text": item.text, "detail": item.detail,
                "link": {"title": item.link.title,
                         "href": project.relative(item.link.path, page_url)} if item.link else None,
            } for item in item_list.items],
        }

    @env.macro
    def checklist(checklist_id: str, show_title: bool = False) -> str:
        proj, url, src = here()
        found = proj.checklists.get(checklist_id, src)
        return templates.render(proj.custom_dir, "checklist.html",
                                c=checklist_view(found, url), show_title=show_title,
                                compact=False)

    @env.macro
    def master_checklist() -> str:
        proj, url, _ = here()
        lists = [checklist_view(c, url) for c in proj.checklists.steps(proj.registry)]
        return templates.render(proj.custom_dir, "master-checklist.html", lists=lists)

    @env.macro
    def link_table() -> str:
        proj, url, _ = here()
        rows = [{
            "title": link.title,
            "page_title": proj.registry.pages[link.page].title,
            "is_section": link.anchor is not None,
            "href": project.relative(link.path, url),
            "url": proj.url(link.path),
            "id": link.id,
        } for link in proj.registry.links]
        return templates.render(proj.custom_dir, "link-table.html", rows=rows)
