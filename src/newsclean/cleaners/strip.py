"""Strip: mark site chrome blocks dropped, each with its category.

Language-independent rules (shape, position, repetition) run first, then the
multilingual lexicons. Decisions are repeated on the kept blocks until nothing
changes, so cleaning clean text changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from .. import lexicons
from ..document import Block, Document
from ..pipeline import Options

_WORD = regex.compile(r"\w+")
_BREADCRUMB = regex.compile(r"^(?:[^»>|/›]{1,60}\s(?:»|›|>|\|)\s){2,}")
_TIMESTAMP = regex.compile(
    r"^(?:(?:publié|mis à jour|updated|published|posted|veröffentlicht|aktualisiert|publicado|"
    r"actualizado|pubblicato|aggiornato|atualizado|gepubliceerd|bijgewerkt)\b[^.!?]{0,40}"
    r"\d{1,2}\s?(?:h|:)\s?\d{0,2}\b.{0,20}|\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?)$",
    regex.IGNORECASE,
)
_BYLINE_WORD = regex.compile(
    r"^(?:par|by|von|por|di|da|door|de)\s*:?$", regex.IGNORECASE
)
_TERMINAL = regex.compile(r"[.!?…:;»\"”’)]$")

Rule = Callable[[list[Block], int], str | None]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def breadcrumb(blocks: list[Block], i: int) -> str | None:
    return "breadcrumb" if _BREADCRUMB.search(blocks[i].text) else None


def timestamp(blocks: list[Block], i: int) -> str | None:
    return "timestamp" if _TIMESTAMP.match(blocks[i].text) else None


def empty_byline(blocks: list[Block], i: int) -> str | None:
    return "byline" if _BYLINE_WORD.match(blocks[i].text) else None


def caption(blocks: list[Block], i: int) -> str | None:
    """A short lower-case line with no sentence punctuation between prose blocks."""
    text = blocks[i].text
    words = _words(text)
    if not words or len(words) > 4 or _TERMINAL.search(text):
        return None
    if text[:1].isupper() or any(ch.isdigit() for ch in text):
        return None
    neighbours = [b for b in (blocks[i - 1] if i else None,) if b] + blocks[i + 1 : i + 2]
    if any(len(_words(b.text)) >= 8 for b in neighbours):
        return "caption"
    return None


class Strip:
    """Fourth step: classify blocks as article or chrome."""

    name = "strip"

    def __init__(self, options: Options) -> None:
        self.options = options
        self.lexicon = lexicons.load()
        self.user_rules = {
            category: regex.compile("|".join(f"(?:{p})" for p in patterns), regex.IGNORECASE)
            for category, patterns in options.rules.items()
            if patterns
        }
        self.rules: list[Rule] = [breadcrumb, timestamp, empty_byline, caption]

    def _lexicon_reason(self, text: str) -> str | None:
        for category, pattern in self.user_rules.items():
            if pattern.search(text):
                return category
        if len(_words(text)) > 60:
            return None
        for category, pattern in self.lexicon.block.items():
            if pattern.match(text):
                return category
        return None

    def _classify(self, doc: Document, kept: list[int]) -> bool:
        blocks = [doc.blocks[i] for i in kept]
        changed = False
        seen: set[str] = set()
        for pos, index in enumerate(kept):
            block = blocks[pos]
            key = block.text.casefold()
            if key in seen:
                doc.drop(index, self.name, "repeated")
                changed = True
                continue
            seen.add(key)
            reason = self._lexicon_reason(block.text)
            for rule in self.rules:
                if reason:
                    break
                reason = rule(blocks, pos)
            if reason:
                doc.drop(index, self.name, reason)
                changed = True
        return changed

    def __call__(self, doc: Document) -> Document:
        for _ in range(5):
            kept = [i for i, b in enumerate(doc.blocks) if b.kept and b.text.strip()]
            if not self._classify(doc, kept):
                break
        return doc
