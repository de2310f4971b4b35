"""Repair: mojibake, HTML entities and control characters, recorded as Repairs.

Built on ftfy with every format-changing fix turned off (quotes, widths and
ligatures stay as written): repair restores what the author wrote, it does not
restyle it. Text with no sign of damage skips ftfy entirely.
"""

from __future__ import annotations

import regex
from ftfy import TextFixerConfig, fix_text

from ..document import Document
from ..pipeline import Options

_CONFIG = TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    normalization=None,
    explain=False,
)
# Characters that only appear in damaged or markup-escaped text.
_SUSPICIOUS = regex.compile(r"[\u0080-\u00ff\u0100-\u017f\u02c0-\u02ff\u2010-\u203a\u2122\ufffd\u0000-\u0008\u000b\u000c\u000e-\u001f]|&#?\w{1,8};")


def needs_repair(text: str) -> bool:
    """Cheap test: could ftfy change anything here?"""
    return _SUSPICIOUS.search(text) is not None


class RepairText:
    """Third step: fix encoding damage block by block."""

    name = "repair"

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        for index, block in enumerate(doc.blocks):
            if needs_repair(block.text):
                doc.replace_text(index, fix_text(block.text, _CONFIG), self.name, "mojibake")
        if doc.meta.title and needs_repair(doc.meta.title):
            doc.meta.title = fix_text(doc.meta.title, _CONFIG)
        return doc
