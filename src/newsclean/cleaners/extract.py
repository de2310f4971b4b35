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

# Runs of ASCII spaces and tabs collapse; a no-break space inside a line is kept, as the
# normalise step keeps it (French typography, numbers), so that cleaning is idempotent.
_SPACES = regex.compile(r"[ \t\x0b\x0c]+")


def text_blocks(raw: str) -> list[Block]:
    """One block per non-empty line, whitespace inside the line tidied.

    A line standing alone between blank lines becomes a "paragraph"; a line with a
    non-blank neighbour line becomes a "line" (menus, lists and link runs arrive as
    such groups, which the strip step uses as evidence).
    """
    lines = [_SPACES.sub(" ", line).strip() for line in raw.splitlines()]
    blocks = []
    for i, text in enumerate(lines):
        if not text:
            continue
        grouped = (i > 0 and bool(lines[i - 1])) or (i + 1 < len(lines) and bool(lines[i + 1]))
        blocks.append(Block(text, "line" if grouped else "paragraph"))
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
