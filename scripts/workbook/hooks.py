"""MkDocs hooks (mkdocs.yml: hooks). Each event hands its work to a small
module; this file only wires them to the build.

- on_config: load and check every data file, once per build; then start
  the PDFs in worker processes (not under `mkdocs serve`, so live reload
  never waits for them; nor when WORKBOOK_PDFS=0, which tests use for
  builds that do not need them).
- on_files: leave our own templates out of the published files; add
  links.json, the link map made from the registry, and changes.xml, the
  Atom feed of data/changes.yml.
- on_nav: remember the pages' reading order (for the booklet).
- on_page_content: every heading has a permanent id, and a "Copy link"
  button under it (workbook.copylinks); old ids of renamed
  headings stay as anchors; remember each page's headings.
- on_page_context: each page's "Last reviewed" date (data/reviews.yml).
- on_env: before any page is written, the rendered pages must match the
  link registry exactly, or the build stops; then start the booklet and
  handout PDFs (the facilitator guide), made from the rendered pages.
- on_serve: the live preview (workbook.preview): more folders watched,
  errors shown on the previewed page, PDFs made in the background.
- on_post_build: minify our CSS and JS; patch Material's script so its
  start does not restyle the whole page (workbook.bundlepatch); write a redirect page for every
  moved page and worksheet short link; leave out the unused parts of
  Material's stylesheets (workbook.cssprune); write the offline workbook
  (workbook.offline: icons, manifest, offline page, service worker);
  collect the PDFs (or, under `mkdocs serve`, start the preview's PDFs).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from workbook import (
    bundlepatch,
    changes,
    copylinks,
    cssprune,
    ids,
    links,
    minify,
    offline,
    pagefacts,
    pdfs,
    preview,
    previewpdfs,
    project,
    reviews,
    templates,
)
from workbook.datafile import DataError
from workbook.icons import IconError

_command = {"name": "build"}
_pdfs: dict = {}
_preview: dict = {}


def _wants_pdfs() -> bool:
    return os.environ.get("WORKBOOK_PDFS", "1") != "0"


def _serving() -> bool:
    return _command["name"] == "serve"


def _fail(error: Exception) -> PluginError:
    return PluginError(f"\n{error}\nThe build stopped. (`make build` leaves the site "
                       "published before as it was.)")


def on_startup(command, dirty):
    _command["name"] = command
    if command == "serve":
        preview.guard_first_build(Path.cwd())


def on_config(config):
    _cancel_pdfs()
    try:
        project.load(config)
        offline.check_settings(config)
    except DataError as error:
        raise _fail(error) from None
    # The pages ask for the offline worker, except in the live preview.
    config.extra["workbook"]["offline"] = not _serving()
    if _wants_pdfs() and not _serving():  # worker processes render them while the pages are built
        _pdfs["rendering"] = pdfs.start(project.current(), Path(config.docs_dir),
                                        config.theme.get("language", "en"), config.site_name)
    return config


def on_files(files, config):
    # Our templates (overrides/workbook/: the service worker's, the PDFs'
    # stylesheet) are read by the build, not published as they are.
    custom_dir = Path(config.theme.custom_dir).resolve()
    for file in list(files):
        if file.src_uri.startswith("workbook/") and Path(file.abs_src_path).resolve().is_relative_to(
                custom_dir / "workbook"):
            files.remove(file)
    files.append(File.generated(config, links.LINK_MAP,
                                content=links.link_map_json(project.current())))
    author = (config.extra.get("workbook", {}).get("contact") or {}).get("name") or config.site_name
    files.append(File.generated(config, changes.FEED, content=changes.feed_xml(
        project.current(), config.site_name, author, config.theme.get("language", "en"))))
    logo = project.current().brand and project.current().brand.logo
    if logo:  # a career center's logo (brands/*.yml), named by its content
        files.append(File.generated(config, logo.site_path, content=logo.data))
    return files


def on_nav(nav, config, files):
    project.current().nav_order = [page.url for page in nav.pages]
    return nav


def on_page_content(html, page, config, files):
    here = project.current()
    src = project.source_label(config, page)
    facts = pagefacts.read(html, src)
    missing = [h for h in facts.all_headings if not h.id or h.id.startswith(ids.MARK)]
    if missing:
        raise _fail(DataError("\n".join(
            f"{src}: heading {h.text!r} has no permanent id; write it as "
            f"'{'#' * h.level} {h.text} {{ #{ids.suggest(h.text)} }}'"
            for h in missing)))
    here.pages[page.url] = facts
    for alias in here.registry.aliases_on(page.url):
        if alias.old in facts.ids:
            raise _fail(DataError(here.registry.doc.error(
                alias.place, f"the old id '{alias.old}' is used again on {src}; "
                "a renamed heading's old id may not be reused")))
        anchor = templates.render(here.custom_dir, "anchor-alias.html",
                                  old=alias.old, new=alias.new)
        html = re.sub(rf'<h[1-6][^>]*\sid="{re.escape(alias.new)}"',
                      lambda m, anchor=anchor: anchor + m.group(0), html, count=1)
    here.contents[page.url] = html  # for the booklet, which has no buttons
    return copylinks.add(html, facts, page.canonical_url, here.custom_dir)


def on_page_context(context, page, config, nav):
    """Each page's "Last reviewed" date (data/reviews.yml), and in a career
    center's edition, whether the page is a step (its "Talk to someone"
    box), for main.html."""
    here = project.current()
    reviewed = here.reviews.by_page.get(page.url)
    if reviewed is not None:
        page.meta["wb_reviewed"] = reviews.text(reviewed)
    if here.brand is not None:
        page.meta["wb_brand_box"] = page.url in here.step_pages()
    return context


def on_env(env, config, files):
    env.filters["css_string"] = templates.css_string
    brand = project.current().brand
    env.globals["wb_brand"] = brand.view() if brand else None
    # Material's templates, compiled once per process: `mkdocs serve` makes
    # a new template environment for every rebuild.
    env.bytecode_cache = templates.BYTECODE
    try:
        project.current().registry.check_site(project.current().pages)
        changes.check_dated(project.current().changes, project.current().registry)
        project.current().check_worksheets_shown()
        project.current().reviews.check(project.current().registry)
    except DataError as error:
        raise _fail(error) from None
    rendering = _pdfs.get("rendering")
    if rendering is not None:
        rendering.add(_from_pages(config))
    return env


def _from_pages(config) -> list[pdfs.Doc]:
    """The PDFs made from the rendered pages: the booklet, the handouts."""
    here = project.current()
    lang = config.theme.get("language", "en")
    return [pdfs.workbook(here, here.contents, here.nav_order, lang, config.site_name),
            *pdfs.handouts(here, here.contents, lang, config.site_name)]


def _cancel_pdfs():
    rendering = _pdfs.pop("rendering", None)
    if rendering is not None:
        rendering.cancel()


def on_build_error(error):
    _cancel_pdfs()


def on_serve(server, config, builder):
    pdfs_ = previewpdfs.PreviewPdfs(project.root_of(config) / "build" / "preview-pdfs")
    _preview["pdfs"] = pdfs_
    _preview["preview"] = preview.Preview(server, config, pdfs_)
    if _preview["preview"].error is None:  # the first build, before this event, worked
        try:
            _update_preview_pdfs(config)
        except Exception as error:  # noqa: BLE001 - shown on the page, like any build error
            _preview["preview"].show_failure(error)
    return server


def _update_preview_pdfs(config):
    if "pdfs" in _preview and _wants_pdfs():
        here = project.current()
        docs = pdfs.sheets(here, config.theme.get("language", "en"), config.site_name)
        _preview["pdfs"].update(here, Path(config.docs_dir), [*docs, *_from_pages(config)])


def on_shutdown():
    if "pdfs" in _preview:
        pdf_files = _preview.pop("pdfs")
        pdf_files.close()
        shutil.rmtree(pdf_files.cache, ignore_errors=True)


def on_post_build(config):
    here = project.current()
    site = Path(config.site_dir)
    minify.minify_site(site)
    try:
        bundlepatch.patch_site(site)
    except bundlepatch.PatchError as error:
        raise _fail(error) from None
    titles = {page: link.title for page, link in here.registry.pages.items()}
    for old, new in here.redirects():
        out = site / old / "index.html"
        if out.exists():
            raise _fail(DataError(f"'{old}' is both a redirect and a page of the site"))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(templates.render(
            here.custom_dir, "redirect.html", lang=config.theme.get("language", "en"),
            title=titles[new], target=project.relative(new, old), canonical=here.url(new),
        ), encoding="utf-8")
    if _serving():
        offline.write_remover(site, config.theme.custom_dir)
    else:
        cssprune.prune_site(site)
        pages = [(url, titles[url]) for url in here.nav_order if url in titles]
        try:
            offline.write(site, config, pages, here.brand and here.brand.accent)
        except IconError as error:
            raise _fail(error) from None
    rendering = _pdfs.pop("rendering", None)
    if rendering is not None:
        rendering.finish(site)
    _update_preview_pdfs(config)
