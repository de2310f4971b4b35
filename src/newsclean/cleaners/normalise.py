"""Normalise: one pass over kept blocks for Unicode form and whitespace.

Defaults never change meaning: NFC (never NFKC), invisible formatting characters
that break words for search and tokenisers (soft hyphen, zero-width space) removed,
zero-width joiner and non-joiner kept, runs of spaces collapsed.
"""

from __future__ import annotations

import unicodedata

import regex

from ..document import Document
from ..pipeline import Options

_INVISIBLE = regex.compile(r"[\u00ad\u200b\u2060\ufeff]")
_SPACES = regex.compile(r"[^\S\n]+")


def normalise_text(text: str) -> str:
    """The default normalisation of one block."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


class Normalise:
    """Last step: tidy each kept block."""

    name = "normalise"

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        for index, block in enumerate(doc.blocks):
            if block.kept:
                doc.replace_text(index, normalise_text(block.text), self.name, "normalise")
        if doc.meta.title:
            doc.meta.title = normalise_text(doc.meta.title)
        return doc
