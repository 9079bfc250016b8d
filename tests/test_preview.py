"""The live preview (`make serve`) follows every file that shapes the site,
shows a stopped build on the previewed page, and serves the PDFs.

One real `mkdocs serve` (the command `make serve` runs) on a copy of the
project, for the whole module; each test edits files and puts them back.
"""

from __future__ import annotations

import io
import re
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pytest

from conftest import ROOT, copy_project, free_port
from workbook import previewpdfs
from workbook.preview import ERROR_PAGE
from workbook.previewrun import RunningPreview

ITEM = "Write down how you feel, in one sentence."
ERROR_MARK = "data-wb-preview-error"


def pdf_text(body: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(body))
    return " ".join(page.extract_text() or "" for page in reader.pages)


def is_pdf_with(words: str):
    def check(body: bytes) -> bool:
        return body.startswith(b"%PDF") and words in pdf_text(body)
    return check


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """The preview for the page tests, without its PDFs (their own test
    below makes them): the PDF workers would slow every other test."""
    copy = copy_project(tmp_path_factory.mktemp("preview"))
    with RunningPreview(copy, free_port(), env={"WORKBOOK_PDFS": "0"}) as running:
        yield running


@pytest.fixture
def restore(preview):
    """Put every file a test edited back, and wait for the site to return."""
    saved: dict[str, str] = {}

    def remember(rel: str) -> None:
        saved.setdefault(rel, (preview.project / rel).read_text(encoding="utf-8"))

    yield remember
    for rel, text in saved.items():
        preview.write(rel, text)
    if saved:
        preview.wait_for("emotions/", lambda html: ITEM in html and ERROR_MARK not in html)


def edit(preview, restore, rel: str, old: str, new: str) -> None:
    restore(rel)
    preview.replace(rel, old, new)


def test_a_data_file_a_template_and_a_page_each_show_without_a_restart(preview, restore):
    pid = preview.process.pid
    edit(preview, restore, "data/checklists.yml", ITEM, "Write down how you feel, in ONE line.")
    data_seconds = preview.wait_for("emotions/", lambda html: "in ONE line." in html)
    # The same item, on the master checklist too (another page, same data).
    preview.wait_for("master-checklist/", lambda html: "in ONE line." in html, timeout=5)

    edit(preview, restore, "overrides/workbook/checklist.html",
         '<ul class="wb-checklist__items">', '<ul class="wb-checklist__items" data-edited-template>')
    preview.wait_for("emotions/", lambda html: "data-edited-template" in html)

    edit(preview, restore, "overrides/main.html",
         '<p class="wb-reviewed">Last reviewed:', '<p class="wb-reviewed">Checked by a person:')
    preview.wait_for("emotions/", lambda html: "Checked by a person:" in html)

    edit(preview, restore, "docs/emotions.md", "the first hours and days.",
         "the first hours and the first week.")
    page_seconds = preview.wait_for("emotions/", lambda html: "the first week." in html)

    assert preview.process.pid == pid and "Serving on" in preview.output()
    assert data_seconds < 15 and page_seconds < 15, (data_seconds, page_seconds)


def test_the_preview_has_no_offline_worker_and_removes_a_published_ones(preview):
    """No offline copy of a site being edited: the pages ask for no worker,
    and the preview's sw.js removes one left by a published copy seen
    earlier on the same address (it would keep showing that copy)."""
    page = preview.get("emotions/")[1].decode()
    assert 'rel="manifest"' not in page and "manifest.webmanifest" not in page
    status, worker = preview.get("sw.js")
    assert status == 200
    worker = worker.decode()
    assert "unregister()" in worker and "caches.delete" in worker and "FILES" not in worker


def test_a_data_file_added_later_is_watched_too(preview, restore):
    restore("data/checklists.yml")
    (preview.project / "data" / "notes.txt").write_text("new file", encoding="utf-8")
    preview.replace("data/checklists.yml", ITEM, "Write down how you feel, in two words.")
    preview.wait_for("emotions/", lambda html: "in two words." in html)
    (preview.project / "data" / "notes.txt").unlink()


def contributing_walkthrough() -> tuple[str, str]:
    """Step 5 of CONTRIBUTING's walkthrough: the line it tells the editor to
    break, and the message it says they will see."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    step = text[text.index("**Make a mistake on purpose.**"):text.index("**Fix it.**")]
    message = re.search(r"```text\n\s*(.+?)\n", step).group(1).strip()
    return step, message


def test_a_broken_data_file_shows_its_message_on_the_page_and_recovers(preview, restore, browser):
    """CONTRIBUTING's walkthrough, in a real browser: break the first
    emotions item's id, read the message on the open page, fix it."""
    step, message = contributing_walkthrough()
    assert "`id:`" in step and "`idd:`" in step
    restore("data/checklists.yml")
    text = (preview.project / "data/checklists.yml").read_text(encoding="utf-8")
    page = browser.new_context().new_page()
    try:
        page.goto(preview.url + "emotions/")
        assert "Initial reaction and emotions" in page.locator("h1").inner_text()
        preview.write("data/checklists.yml", text.replace("      - id: name-feeling",
                                                          "      - idd: name-feeling"))
        # The open page reloads by itself and shows the build's message.
        page.wait_for_selector(f"[{ERROR_MARK}]", timeout=30_000)
        assert message in page.locator("main").inner_text()
        assert message in preview.output()  # and the terminal says the same
        # Every page shows it, not only the one that was open.
        for path in ("", "worksheets/support-map/", "no/such/page/"):
            assert ERROR_MARK in preview.get(path)[1].decode(), path
        # Fixing the file brings the page back, without a restart.
        preview.write("data/checklists.yml", text)
        page.wait_for_selector("h1:has-text('Initial reaction and emotions')", timeout=30_000)
        assert page.locator(f"[{ERROR_MARK}]").count() == 0
    finally:
        page.context.close()


def test_a_broken_markdown_link_and_bad_yaml_show_too(preview, restore):
    edit(preview, restore, "docs/emotions.md", "the first hours and days.",
         "the first hours and days. [A link](no-such-page.md)")
    preview.wait_for("emotions/", lambda html: ERROR_MARK in html)
    assert "no-such-page.md" in preview.get("")[1].decode()
    preview.replace("docs/emotions.md", " [A link](no-such-page.md)", "")
    preview.wait_for("emotions/", lambda html: ERROR_MARK not in html and "<h1" in html)

    restore("data/worksheets.yml")
    preview.replace("data/worksheets.yml", "  - id: support-map\n", "  - id: support-map\n  bad: [\n")
    preview.wait_for("emotions/", lambda html: ERROR_MARK in html and "data/worksheets.yml:" in html)


def test_a_python_module_change_restarts_the_preview(preview, restore):
    rel = "scripts/workbook/reviews.py"
    restore(rel)
    before = (preview.project / rel).read_text(encoding="utf-8")
    preview.write(rel, before + "\ndef broken(:\n")
    line = before.count("\n") + 2
    preview.wait_for("emotions/", lambda html: ERROR_MARK in html)
    assert f"{rel}:{line}:" in preview.get("emotions/")[1].decode()
    preview.replace(rel, 'return f"{date:%B} {date.day}, {date.year}"',
                    'return "on " + f"{date:%B} {date.day}, {date.year}"')
    preview.replace(rel, "\ndef broken(:\n", "\n")
    preview.wait_for("emotions/", lambda html: re.search(r"Last reviewed: on \w+ \d", html),
                     timeout=120)
    assert "restarting the preview" in preview.output()


def test_a_template_error_names_the_template_and_line(preview, restore):
    edit(preview, restore, "overrides/workbook/checklist.html",
         "{% for item in c[\"items\"] %}", "{% for item in c[\"items\"] %}{{ item.text }")
    line = (preview.project / "overrides/workbook/checklist.html").read_text().splitlines().index(
        "{% for item in c[\"items\"] %}{{ item.text }") + 1
    preview.wait_for("emotions/", lambda html: ERROR_MARK in html)
    assert f"overrides/workbook/checklist.html:{line}:" in preview.get("emotions/")[1].decode()


def test_an_import_error_is_shown_and_a_lock_file_is_ignored(preview, restore):
    rel = "scripts/workbook/reviews.py"
    restore(rel)
    lock = preview.project / "scripts/workbook/.#reviews.py"
    lock.symlink_to("nobody@host.1234:1700000000")  # what Emacs leaves while editing
    try:
        preview.write(rel, (preview.project / rel).read_text() + '\nraise RuntimeError("boom at import")\n')
        preview.wait_for("emotions/", lambda html: ERROR_MARK in html and "boom at import" in html)
        assert "Serving on" in preview.output() and preview.process.poll() is None
    finally:
        lock.unlink()


def test_a_request_during_a_failing_build_gets_the_error_page(preview, restore):
    """Asked for again and again while the build that fails runs: never a
    bare 404 (a page the failed build did not write), and, once the error
    is known, always the error page."""
    edit(preview, restore, "docs/emotions.md", "the first hours and days.",
         'the first hours and days. {{ worksheet("no-such-worksheet") }}')
    answers = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, body = preview.get("emotions/")
        answers.append((status, ERROR_MARK in body.decode()))
        if answers[-1][1] and len(answers) > 3:
            break
        time.sleep(0.05)
    assert all(status == 200 for status, _ in answers), answers
    first_error = [shown for _, shown in answers].index(True)
    assert all(shown for _, shown in answers[first_error:])
    assert "no-such-worksheet" in preview.get("worksheets/support-map/")[1].decode()
    # A browser asking for a missing file never stops a build (strict mode).
    assert preview.get("favicon-that-is-missing.ico")[0] == 404


def test_the_preview_starts_with_a_broken_file_and_recovers(tmp_path_factory):
    copy = copy_project(tmp_path_factory.mktemp("broken-start"))
    path = copy / "data/checklists.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      - id: name-feeling", "      - idd: name-feeling"),
                    encoding="utf-8")
    with RunningPreview(copy, free_port(), env={"WORKBOOK_PDFS": "0"}, ready=ERROR_MARK) as running:
        assert "data/checklists.yml:" in running.get("emotions/")[1].decode()
        running.write("data/checklists.yml", text)
        running.wait_for("emotions/", lambda html: ITEM in html and ERROR_MARK not in html)
        process = running.process
    assert process.returncode is not None


def test_the_pdfs_are_served_follow_their_data_and_stop_with_the_preview(tmp_path_factory):
    copy = copy_project(tmp_path_factory.mktemp("pdfs"))
    with RunningPreview(copy, free_port()) as preview:
        status, body = preview.get("pdf/support-map-letter.pdf", timeout=120)
        assert status == 200 and body.startswith(b"%PDF")
        assert "A group or job club I could join" in pdf_text(body)
        preview.replace("data/worksheets.yml", "label: A group or job club I could join",
                        "label: A club or group I could try")
        # The page first: it never waits for the PDFs.
        preview.wait_for("worksheets/support-map/", lambda html: "A club or group I could try" in html)
        preview.wait_for("pdf/support-map-letter.pdf", is_pdf_with("A club or group I could try"),
                         timeout=120, text=False)
        # The master checklist PDF follows the checklist data.
        preview.replace("data/checklists.yml", ITEM, "Write down how you feel, in ONE line.")
        preview.wait_for("pdf/master-checklist-a4.pdf", is_pdf_with("in ONE line."),
                         timeout=120, text=False)
        assert preview.get("pdf/no-such-sheet-letter.pdf")[0] == 404
        pid = preview.process.pid
        workers = children(pid)
        assert workers, "the PDF workers should be running"
    # RunningPreview ends it with SIGTERM, as `kill` does.
    for _ in range(50):
        if not any(alive(w) for w in workers):
            break
        time.sleep(0.2)
    assert not any(alive(w) for w in workers)
    assert not (copy / "build" / "preview-pdfs" / str(pid)).exists()


def stand_in_pool(monkeypatch) -> list[tuple[Path, Future]]:
    """The preview's PDF workers replaced by two stand-ins that make
    nothing: each job started is listed (its file, and the Future a test
    ends by hand)."""
    started: list[tuple[Path, Future]] = []

    class Pool:
        def __init__(self, **options):
            pass

        def submit(self, function, *job):
            work = Future()
            work.set_running_or_notify_cancel()
            started.append((job[-1], work))
            return work

        def shutdown(self, **options):
            pass

    monkeypatch.setattr(previewpdfs, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(previewpdfs, "WORKERS", 2)
    return started


def test_a_pdf_asked_for_is_made_next(monkeypatch, tmp_path):
    """The queue of PDFs still to make: two at a time, in order, and one
    that is asked for jumps the queue. (A stand-in pool: nothing is made.)"""
    started = stand_in_pool(monkeypatch)
    queue = previewpdfs.PreviewPdfs(tmp_path / "cache")
    paths = [tmp_path / f"{n}.pdf" for n in range(6)]
    futures = [queue._submit("doc", ["css"], "root", "letter", path) for path in paths]
    assert [path for path, _ in started] == paths[:2]
    queue.files = {"5.pdf": (paths[5], futures[5])}
    answers = []
    asking = threading.Thread(target=lambda: answers.append(
        b"".join(queue.respond("5.pdf", lambda status, headers: answers.append(status)))), daemon=True)
    asking.start()
    for _ in range(100):  # until the request has moved it forward
        if queue.waiting[0][0] is futures[5]:
            break
        time.sleep(0.05)
    paths[0].write_bytes(b"%PDF 0")
    started[0][1].set_result(None)
    assert [path for path, _ in started] == [paths[0], paths[1], paths[5]]
    paths[5].write_bytes(b"%PDF 5")
    started[2][1].set_result(None)
    asking.join(timeout=10)
    assert answers == ["200 OK", b"%PDF 5"]
    assert futures[0].done() and not futures[2].done()
    queue.close()
    assert futures[3].cancelled() and futures[4].cancelled()  # never started


def test_a_pdf_still_being_made_for_an_older_build_is_not_made_twice(monkeypatch, tmp_path):
    """A sheet changed and changed back while its first version is still
    being made (that cannot be stopped) waits for it: two workers writing
    one file would mix it up."""
    started = stand_in_pool(monkeypatch)
    monkeypatch.setattr(previewpdfs.pdfs, "stylesheets", lambda docs_dir, custom_dir: [])
    monkeypatch.setattr(previewpdfs.pdfs, "files", lambda docs: [("a.pdf", "letter", doc) for doc in docs])
    project = SimpleNamespace(custom_dir=None, root=tmp_path)
    queue = previewpdfs.PreviewPdfs(tmp_path / "cache")

    def build(html):
        queue.update(project, tmp_path, [SimpleNamespace(numbered=False, forms=False, html=html)])
        return queue.files["a.pdf"]

    first_path, first = build("X")
    build("Y")
    again_path, again = build("X")
    assert again_path == first_path and again is first
    assert [path for path, _ in started].count(first_path) == 1


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_no_preview_error_page_is_ever_published(site):
    assert not (site / ERROR_PAGE).exists()
    for page in site.rglob("*.html"):
        assert ERROR_MARK not in page.read_text(encoding="utf-8"), page


def test_the_same_error_twice_is_still_shown(tmp_path):
    """MkDocs logs an error only once when the build before logged the same
    one (its DuplicateFilter, as `mkdocs serve` sets it up): a file saved
    twice with one mistake, or a brand file, which sets off two builds,
    must still show the message, not only "Aborted"."""
    import logging  # noqa: PLC0415

    from mkdocs.exceptions import Abort, PluginError  # noqa: PLC0415
    from mkdocs.utils import DuplicateFilter  # noqa: PLC0415

    from workbook.preview import run_build  # noqa: PLC0415

    build_log = logging.getLogger("mkdocs.commands.build")
    duplicates = DuplicateFilter()
    build_log.addFilter(duplicates)

    def failing():
        try:
            raise PluginError("brands/x.yml:3:5: extra.workbook.brand: 'name' is required")
        except PluginError as error:  # as mkdocs.commands.build.build does
            build_log.error(str(error))
            raise Abort("Aborted with a BuildError!")  # noqa: B904 - as MkDocs does

    try:
        for _ in range(2):
            assert "brands/x.yml:3:5: extra.workbook.brand: 'name' is required" in \
                run_build(failing, tmp_path)
    finally:
        build_log.removeFilter(duplicates)
