"""Repair: HTML entities, mojibake, truncation and control characters, recorded as Repairs.

The encoding is decided with evidence from the whole document (all its blocks), while
each block is repaired on its own, so a page with a few damaged paragraphs is fixed
without touching the rest (`newsclean.cleaners.encoding`). What the whole-document
decision cannot explain goes to ftfy with every format-changing fix off (quotes, widths,
ligatures and line breaks stay as written): repair restores what the author wrote, it
does not restyle it. Text with no sign of damage skips all of this. The step reads each
block's spaces as they came (a lost no-break space leaves `Ã` before a word space) and
tidies them after repairing (`newsclean.cleaners.spaces`).

Lost characters (U+FFFD, `?` written for a character an encoder could not represent)
are counted in `doc.scores["lossy_chars"]`, never guessed.
"""

from __future__ import annotations

from ..document import Document
from ..pipeline import Options
from .encoding import (
    Change,
    looks_damaged,
    lossy_count,
    repair_blocks,
    repair_document,
)
from .spaces import needs_tidy, tidy_line

__all__ = ["Change", "RepairText", "looks_damaged", "repair_document"]


def needs_repair(text: str) -> bool:
    """Cheap test: could the repair step change anything here?"""
    return looks_damaged(text)


class RepairText:
    """Third step: fix encoding damage, deciding with the whole document's evidence."""

    name = "repair"

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        texts = [block.text for block in doc.blocks]
        # The joined text serves both the damage test and the lossy count: it is built
        # again only when a block changed.
        joined = "\n".join(texts)
        _, changes = repair_blocks(texts, joined)
        for change in changes:
            doc.replace_text(change.block, change.after, self.name, change.reason)
        # the spaces as they came were evidence for the repair; now they are tidied
        # (layout, not a repair of the author's text: no record)
        tidied = False
        for block in doc.blocks:
            if needs_tidy(block.text):
                block.text = tidy_line(block.text)
                tidied = True
        if changes or tidied:
            joined = "\n".join(b.text for b in doc.blocks)
        if doc.meta.title and looks_damaged(doc.meta.title):
            title, _ = repair_document(doc.meta.title)
            doc.meta.title = title
        doc.scores["lossy_chars"] = float(lossy_count(joined))
        return doc
