"""A tagged PDF's structure tree with its text, in the order a screen reader
meets it: what `pdfinfo -struct-text` prints, read in seconds.

Poppler takes half a minute of processor time per booklet (it reads a page's
drawing again for each piece of text), and the test run has two cores. This
reads each page's drawing once with pypdf, keeping the text drawn inside
each marked-content section (BDC /MCID n ... EMC), then walks the structure
tree, putting each element's pieces of text under it. test_pdfs.py checks
that it agrees with poppler on the worksheet sheets.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject


@dataclass(frozen=True)
class Row:
    depth: int
    tag: str | None  # a structure element, or
    text: str | None  # a piece of its text (one marked-content section)


class StructureError(ValueError):
    """The structure and the drawing do not fit together as this reader
    expects: better a failed test than text silently put in the wrong place."""


TEXT_SHOWING = {b"Tj", b"TJ", b"'", b'"'}


def _page_texts(page) -> dict[int, str]:
    """The text drawn in each marked-content section of a page, by MCID
    (every section seen is a key, with "" if it drew no text)."""
    texts: dict[int, list[str]] = {}
    stack: list[int | None] = []
    waiting = [False]  # text shown that pypdf has not handed over yet

    def before(operator, operands, *_):
        if operator in (b"BDC", b"BMC", b"EMC") and waiting[0]:
            # pypdf hands text over at ET, a font change or a new line; text
            # still held when a section ends would land in the next one.
            raise StructureError(f"text runs across a marked-content boundary ({operator!r})")
        if operator == b"BDC":
            properties = operands[1] if len(operands) > 1 else None
            if isinstance(properties, NameObject):
                raise StructureError(f"marked content names its properties ({properties}): not read")
            mcid = properties.get("/MCID") if isinstance(properties, DictionaryObject) else None
            stack.append(int(mcid) if mcid is not None else None)
            if mcid is not None:
                texts.setdefault(int(mcid), [])
        elif operator == b"BMC":
            stack.append(None)
        elif operator == b"EMC" and stack:
            stack.pop()
        elif operator in TEXT_SHOWING:
            waiting[0] = True

    def drawn(text, *_):
        waiting[0] = False
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None and text:
            texts[mcid].append(text)

    page.extract_text(visitor_operand_before=before, visitor_text=drawn)
    return {mcid: "".join(parts) for mcid, parts in texts.items()}


@functools.cache
def rows(path) -> tuple[Row, ...]:
    """Every element of the structure tree, in order, each followed by its
    pieces of text and its child elements, one level deeper."""
    reader = pypdf.PdfReader(path)
    tree = reader.trailer["/Root"].get("/StructTreeRoot")
    if tree is None:
        return ()
    pages = {page.indirect_reference.idnum: page for page in reader.pages}
    texts: dict[int, dict[int, str]] = {}

    def text_of(page_ref, mcid: int) -> str:
        number = getattr(page_ref, "idnum", None)
        if number not in pages:
            raise StructureError(f"marked content {mcid} has no page in the document ({page_ref})")
        if number not in texts:
            texts[number] = _page_texts(pages[number])
        if mcid not in texts[number]:
            raise StructureError(f"marked content {mcid} is not drawn on its page (object {number})")
        return texts[number][mcid]

    out: list[Row] = []

    def walk(node, depth: int, page_ref) -> None:
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid, depth, page_ref)
        elif isinstance(node, NumberObject | int):
            out.append(Row(depth, None, text_of(page_ref, int(node))))
        elif isinstance(node, DictionaryObject):
            if "/Pg" in node:
                page_ref = node.raw_get("/Pg")
            kind = node.get("/Type")
            if kind == "/MCR":
                if "/Stm" in node:
                    raise StructureError("marked content in a form XObject (/Stm): not read")
                out.append(Row(depth, None, text_of(page_ref, int(node["/MCID"]))))
            elif kind == "/OBJR":
                return
            elif "/S" in node:
                out.append(Row(depth, str(node["/S"])[1:], None))
                if "/K" in node:
                    walk(node.raw_get("/K"), depth + 1, page_ref)

    walk(tree.raw_get("/K"), 0, None)
    return tuple(out)
