"""Macros for Markdown pages (mkdocs-macros). Each macro renders one of our
autoescaped templates under overrides/workbook/ with data from data/:
text from data is always escaped, never pasted into Markdown.

    {{ checklist("emotions") }}     one checklist from data/checklists.yml
    {{ master_checklist() }}        the ten steps' lists on one page
    {{ worksheet("support-map") }}  a worksheet from data/worksheets.yml
    {{ worksheet_links() }}         the worksheets of the current step page
    {{ worksheet_index() }}         every worksheet, with its PDFs
    {{ handout_pdfs("facilitator-guide") }}  a handout's PDFs (pdfs.HANDOUTS)
    {{ email_details() }}           the details every email template uses
    {{ email_template("thank-you") }}  one template from data/emails.yml
    {{ link_table() }}              every registered page and section with
                                    its permanent URL and last change
    {{ changes() }}                 the change log (data/changes.yml),
                                    newest first; links the Atom feed
    {{ reuse_terms() }}             the reuse terms from mkdocs.yml (extra)
"""

from __future__ import annotations

from workbook import changes as change_log
from workbook import checklists, project, reviews, templates
from workbook.checklists import Checklist
from workbook.datafile import DataError, lookup
from workbook.pdfs import HANDOUTS, PAPERS
from workbook.worksheets import Worksheet


def define_env(env):
    def here() -> tuple[project.Project, str, str]:
        """The project, the current page's URL and its source file."""
        return project.current(), env.page.url, project.source_label(env.conf, env.page)

    def render(name: str, **context) -> str:
        return templates.render(project.current().custom_dir, name, **context)

    def checklist_view(item_list: Checklist, page_url: str) -> dict:
        return checklists.view(item_list, lambda link: project.relative(link.path, page_url))

    def worksheet_view(sheet: Worksheet, page_url: str) -> dict:
        proj = project.current()
        return {
            "href": project.relative(sheet.page, page_url),
            "url": proj.url(sheet.page),
            "sections": [{"title": s.title, "href": project.relative(s.path, page_url)}
                         for s in sheet.sections],
            "pdfs": [{"paper": label, "href": project.relative(sheet.pdf(paper), page_url)}
                     for paper, label in PAPERS.items()],
            "fillable": [{"paper": label,
                          "href": project.relative(sheet.pdf(paper, fillable=True), page_url)}
                         for paper, label in PAPERS.items()],
        }

    @env.macro
    def checklist(checklist_id: str, show_title: bool = False) -> str:
        proj, url, src = here()
        found = proj.checklists.get(checklist_id, src)
        return render("checklist.html", c=checklist_view(found, url), show_title=show_title,
                      compact=False)

    @env.macro
    def master_checklist() -> str:
        proj, url, _ = here()
        # Printed sheets of this page get a footer (overrides/main.html).
        env.page.meta["wb_print"] = proj.print_footer(proj.registry.pages[url].title, url)
        lists = [checklist_view(c, url) for c in proj.checklists.steps(proj.registry)]
        return render("master-checklist.html", lists=lists)

    @env.macro
    def worksheet(worksheet_id: str) -> str:
        proj, url, src = here()
        sheet = proj.worksheets.get(worksheet_id, src)
        proj.shown_worksheets.setdefault(worksheet_id, []).append(url)
        # Printed sheets of this page get a footer, and the page the
        # worksheet script (overrides/main.html).
        env.page.meta["wb_print"] = proj.print_footer(sheet.title, sheet.page, sheet.short)
        env.page.meta["wb_worksheets"] = True
        return render("worksheet.html", ws=sheet, view=worksheet_view(sheet, url),
                      details=proj.emails.details, helplines=proj.helplines)

    @env.macro
    def worksheet_links() -> str:
        proj, url, src = here()
        sheets = proj.worksheets.for_section(url)
        if not sheets:
            raise DataError(f"{src}: worksheet_links(): no worksheet in "
                            f"{proj.worksheets.doc.label} lists '{url}' in its sections")
        return render("worksheet-links.html",
                      sheets=[(s, worksheet_view(s, url)) for s in sheets])

    @env.macro
    def worksheet_index() -> str:
        proj, url, _ = here()
        sheets = [(s, worksheet_view(s, url)) for s in proj.worksheets.by_id.values()]
        for sheet, view in sheets:
            view["short"] = {"href": project.relative(sheet.short, url),
                             "text": proj.short_url(sheet.short)}
        workbook = [{"paper": label, "href": project.relative(f"pdf/workbook-{paper}.pdf", url)}
                    for paper, label in PAPERS.items()]
        master = [{"paper": label, "href": project.relative(f"pdf/master-checklist-{paper}.pdf", url)}
                  for paper, label in PAPERS.items()]
        return render("worksheet-index.html", sheets=sheets, workbook=workbook, master=master)

    @env.macro
    def handout_pdfs(name: str) -> str:
        proj, url, src = here()
        if name not in HANDOUTS:
            raise DataError(f"{src}: handout_pdfs(): no handout '{name}'; "
                            f"the handouts are {sorted(HANDOUTS)}")
        page = HANDOUTS[name]
        pdfs = [{"paper": label, "href": project.relative(f"pdf/{name}-{paper}.pdf", url)}
                for paper, label in PAPERS.items()]
        return render("handout-pdfs.html", title=proj.registry.pages[page].title, pdfs=pdfs,
                      own_page=url == page)

    @env.macro
    def email_details() -> str:
        proj, _, _ = here()
        env.page.meta["wb_worksheets"] = True
        return render("email-details.html", details=proj.emails.details, prefix="emails")

    @env.macro
    def email_template(template_id: str) -> str:
        proj, _, src = here()
        env.page.meta["wb_worksheets"] = True
        template = lookup(proj.emails.templates, template_id, "email_template", proj.emails.doc, src)
        return render("email.html", t=template, details=proj.emails.details, pdf=False)

    @env.macro
    def crisis_box() -> str:
        """Where to get help now: the help lines of data/helplines.yml."""
        proj, _, _ = here()
        return render("crisis-box.html", helplines=proj.helplines)

    def setting(name: str, required: str, what: str) -> dict:
        """A group of settings under mkdocs.yml extra.workbook.<name>."""
        found = env.conf.extra.get("workbook", {}).get(name)
        if not isinstance(found, dict) or not str(found.get(required, "")).strip():
            raise DataError(f"mkdocs.yml: extra.workbook.{name}: {what}")
        return found

    @env.macro
    def contact() -> str:
        """How to reach the site's owner (mkdocs.yml, extra.workbook.contact)."""
        return render("contact.html", contact=setting(
            "contact", "email", "set the site owner's contact, with at least an email "
            "address (email: ...)"))

    @env.macro
    def source() -> str:
        """The book and chapter the quotes come from (extra.workbook.source)."""
        return render("source.html", source=setting(
            "source", "chapter", "name the chapter the quotes come from (chapter: ...), "
            "and the book if known (book: ...)"))

    @env.macro
    def reuse_terms() -> str:
        terms = env.conf.extra.get("workbook", {}).get("reuse_terms")
        if not isinstance(terms, str) or not terms.strip():
            raise DataError("mkdocs.yml: extra.workbook.reuse_terms: the reuse and printing "
                            "terms are missing; set them (text, blank lines between paragraphs)")
        paragraphs = [" ".join(p.split()) for p in terms.split("\n\n") if p.strip()]
        return render("reuse-terms.html", paragraphs=paragraphs)

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
            **_changed(proj.changes.last_changed.get(link.id)),
        } for link in proj.registry.links]
        # One table per page (its own row first, then its sections).
        groups: list[dict] = []
        for row in rows:
            if not groups or groups[-1]["title"] != row["page_title"]:
                groups.append({"title": row["page_title"], "rows": []})
            groups[-1]["rows"].append(row)
        return render("link-table.html", groups=groups)

    @env.macro
    def changes() -> str:
        """The change log, newest first; the page's head gets the feed's
        autodiscovery link (overrides/main.html)."""
        proj, url, _ = here()
        env.page.meta["wb_feed"] = change_log.FEED
        entries = [{
            "id": change.id,
            "date": change.date.isoformat(),
            "date_text": reviews.text(change.date),
            "title": change.title,
            "summary": change.summary,
            "links": [{"title": change_log.link_title(link, proj.registry),
                       "href": project.relative(link.path, url)} for link in change.links],
        } for change in proj.changes.newest_first]
        return render("changes.html", entries=entries)


def _changed(date) -> dict:
    """A link's last change for the link table (a link with no date stops
    the build in on_env: workbook.changes.check_dated)."""
    if date is None:
        return {"changed": "", "changed_text": ""}
    return {"changed": date.isoformat(), "changed_text": reviews.text(date)}
