"""Extract: raw text or HTML → ordered blocks plus page metadata.

HTML goes to `cleaners/html.py` (trafilatura, never with network access), which
keeps its structure: headings, paragraphs, list items, quotes and tables become
blocks of their kind. Plain text is split into one block per non-empty line, which is how
scraped page text arrives (paragraphs and chrome each on their own line).
"""

from __future__ import annotations

import regex

from ..document import Block, Document
from ..pipeline import Options

_SPACES = regex.compile(r"[^\S\n]+")


def text_blocks(raw: str) -> list[Block]:
    """One block per non-empty line, whitespace inside the line tidied."""
    blocks = []
    for line in raw.splitlines():
        text = _SPACES.sub(" ", line).strip()
        if text:
            blocks.append(Block(text, "line"))
    return blocks


class Extract:
    """Second step: `doc.raw` → `doc.blocks` (+ title, date, authors for HTML)."""

    name = "extract"

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        if doc.meta.source_format == "html":
            self._from_html(doc)
        else:
            doc.blocks = text_blocks(doc.raw)
        return doc

    def _from_html(self, doc: Document) -> None:
        from .html import extract_html

        extract_html(doc, self.options)
