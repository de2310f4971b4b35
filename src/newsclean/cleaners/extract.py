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
# Line breaks only: not U+0085 or the other breaks `str.splitlines` knows, which
# mojibake produces inside a line (cp1252 "…" read as Latin-1 is U+0085).
_LINE_BREAK = regex.compile(r"\r\n|[\r\n\u2028\u2029]")
_EDGE_SPACE = " \t\x0b\x0c"


def _collapse_spaces(raw: str) -> str:
    """Runs of spaces and tabs → one space. No space character is a line break, so a
    run never crosses one: collapsing the whole text is collapsing each line. Text with
    no tab-like character and no two spaces in a row has nothing to collapse."""
    if "  " in raw or "\t" in raw or "\x0b" in raw or "\x0c" in raw:
        return _SPACES.sub(" ", raw)
    return raw


def _split_lines(raw: str) -> list[str]:
    """Split at `_LINE_BREAK`; text whose only breaks are `\\n` needs no regex."""
    if "\r" in raw or "\u2028" in raw or "\u2029" in raw:
        return _LINE_BREAK.split(raw)
    return raw.split("\n")


def text_blocks(raw: str) -> list[Block]:
    """One block per non-empty line, runs of spaces inside the line collapsed.

    A line standing alone between blank lines becomes a "paragraph"; a line with a
    non-blank neighbour line becomes a "line" (menus, lists and link runs arrive as
    such groups, which the strip step uses as evidence). Characters that may be part
    of encoding damage (no-break spaces, C1 controls) are left for the repair step.
    """
    lines = [line.strip(_EDGE_SPACE) for line in _split_lines(_collapse_spaces(raw))]
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
