"""Extract: raw text or HTML → ordered blocks plus page metadata.

HTML goes to `cleaners/html.py` (trafilatura, never with network access), which
keeps its structure: headings, paragraphs, list items, quotes and tables become
blocks of their kind. Plain text is split into one block per non-empty line, which is how
scraped page text arrives (paragraphs and chrome each on their own line).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from ..document import Block, Document
from ..pipeline import Options

if TYPE_CHECKING:
    from ..blocks.features import TextMemo
    from ..blocks.model import BlockModel

# Line breaks only: not U+0085 or the other breaks `str.splitlines` knows, which
# mojibake produces inside a line (cp1252 "…" read as Latin-1 is U+0085).
_LINE_BREAK = regex.compile(r"\r\n|[\r\n\u2028\u2029]")


def _split_lines(raw: str) -> list[str]:
    """Split at `_LINE_BREAK`; text whose only breaks are `\\n` needs no regex."""
    if "\r" in raw or "\u2028" in raw or "\u2029" in raw:
        return _LINE_BREAK.split(raw)
    return raw.split("\n")


def text_blocks(raw: str) -> list[Block]:
    """One block per non-empty line, its spaces as they came.

    A line standing alone between blank lines becomes a "paragraph"; a line with a
    non-blank neighbour line becomes a "line" (menus, lists and link runs arrive as
    such groups, which the strip step uses as evidence). Spaces are left for the
    repair step, which tidies them (`newsclean.cleaners.spaces`) after reading them:
    a run of spaces or a space at a line's end may be half of a damaged character.
    """
    lines = _split_lines(raw)
    filled = [bool(line.strip()) for line in lines]
    blocks = []
    for i, text in enumerate(lines):
        if not filled[i]:
            continue
        grouped = (i > 0 and filled[i - 1]) or (i + 1 < len(lines) and filled[i + 1])
        blocks.append(Block(text, "line" if grouped else "paragraph"))
    return blocks


class Extract:
    """Second step: `doc.raw` → `doc.blocks` (+ title, date, authors for HTML)."""

    name = "extract"

    def __init__(self, options: Options, block_model: BlockModel | None = None) -> None:
        self.options = options
        self.block_model = block_model
        # short block texts' own features, remembered across HTML pages (made with the
        # first HTML page: text-only runs never import the HTML modules)
        self._memo: TextMemo | None = None

    def __call__(self, doc: Document) -> Document:
        if doc.meta.source_format == "html":
            self._from_html(doc)
        else:
            doc.blocks = text_blocks(doc.raw)
        return doc

    def forget(self) -> None:
        """Drop what HTML extraction remembers from earlier pages: what class, id and
        role strings name, short block texts' categories and own features (memory
        only: results never depend on it)."""
        from ..blocks import dom, naming

        dom.forget()
        naming.forget()
        if self._memo is not None:
            self._memo.clear()

    def _from_html(self, doc: Document) -> None:
        from .html import extract_html, short_text_memo

        if self._memo is None:
            self._memo = short_text_memo()
        extract_html(doc, self.options, self.block_model, self._memo)
