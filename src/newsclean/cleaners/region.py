"""What the chrome rules read of a page's lines: words, shapes, lexicon facts, headline.

Each line gets its words, its length and whether it closes like a sentence
(`LineShape`), the lexicon categories its start and its ending name (`LineFacts`), and
the page its headline (`find_title`: the line the page repeats from its document title
or breadcrumb, with article text under it). Which lines are the article is the block
model's decision (`newsclean.blocks`); these facts name the chrome and place the
headline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from ..lexicons import Lexicon

_LEXICON_MAX_WORDS = 60
_WORD = regex.compile(r"\w+")
_DENSE_SCRIPT = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]"
)
# Words found by the standard library's engine, which is faster, where it agrees with
# `regex`: on ASCII-only text (\w is [A-Za-z0-9_] to both), and on text whose every
# character both engines class alike as word or not (the ranges below: Latin, Greek,
# Cyrillic, general punctuation and symbols; not superscript digits or fractions, word
# characters to the standard library only, nor combining marks, to `regex` only).
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")
_SAME_WORD_CLASS = (
    r"\x00-\x7f\x80-\xb1\xb4-\xb8\xba\xbb\xbf-\u02ff\u0370-\u0482\u048a-\u0557"
    r"\u1e00-\u200b\u200e-\u203e\u20a0-\u20cf\u20f1-\u214f"
)
_OTHER_WORD_CLASS = re.compile(f"[^{_SAME_WORD_CLASS}]")
_STD_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The runs of word characters (\\w+ as the `regex` module reads it) in `text`."""
    if text.isascii():
        return _ASCII_WORD.findall(text)
    if _OTHER_WORD_CLASS.search(text) is None:
        return _STD_WORD.findall(text)
    return _WORD.findall(text)


# Every character of the dense scripts lies in these ranges (none below U+0E00 or among
# the punctuation and symbols of U+2000-U+2E7F): a line with none of them has no such
# character, which this finds faster than the script classes.
_MAYBE_DENSE = re.compile("[\u0e00-\u1fff\u2e80-\U0010ffff]")


@dataclass(slots=True)
class LineShape:
    """The per-line facts the features and the chrome rules share."""

    words: int
    terminal: bool
    long: bool
    tokens: list[str]
    # the line's own features, once worked out (see `_local_features`)
    local: tuple[tuple[float, ...], tuple[float, ...]] | None = None


_TRAILING = "\"'”’»)]"
_ENDS = frozenset(".!?…。！？")


def word_count(text: str, tokens: Sequence[str] | None = None) -> int:
    """Words in `text`; scripts written without spaces count one word per two characters."""
    count = len(tokens if tokens is not None else words(text))
    if text.isascii() or _MAYBE_DENSE.search(text) is None:
        return count
    dense = len(_DENSE_SCRIPT.findall(text))
    return max(count, dense // 2) if dense else count


def shape(text: str) -> LineShape:
    tokens = words(text)
    count = word_count(text, tokens)
    terminal = text.rstrip(_TRAILING)[-1:] in _ENDS
    return LineShape(count, terminal, count >= 10 and terminal, tokens)


_SITE_SEPARATOR = regex.compile(r"\s(?:[|–—:·»›]|-|::)\s")


def _key(text: str) -> str:
    return " ".join(words(text.casefold()))


def find_title(
    texts: Sequence[str],
    shapes: Sequence[LineShape] | None = None,
    keys: Sequence[str] | None = None,
) -> int | None:
    """Index of the headline line, or None.

    Pages repeat their headline: in the document title on the first line
    ("Headline | Site", "Headline - Site") or at the end of a breadcrumb ("Home » World »
    Headline"), then again as the heading above the article. The heading copy that the
    most article-like text follows is the headline.
    """
    n = len(texts)
    if n < 2:
        return None
    shapes = shapes or [shape(t) for t in texts]
    if keys is None:
        keys = [_key(t) for t in texts]
    candidates: set[str] = set()
    for k, line in enumerate(texts[: min(n, 3)]):
        parts = [p for p in _SITE_SEPARATOR.split(line) if p.strip()]
        for key in (keys[k], *(_key(p) for p in parts)):
            if len(key.split()) >= 3:
                candidates.add(key)
    occurrences: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key in candidates and 3 <= len(key.split()) <= 40:
            occurrences.setdefault(key, []).append(i)
    best: tuple[int, int] | None = None
    first_parts: set[str] | None = None
    for key, places in occurrences.items():
        if len(places) < 2:
            # seen once: a headline only when it is a part of the first line
            if first_parts is None:
                first_parts = {_key(p) for p in _SITE_SEPARATOR.split(texts[0])}
            if keys[0] == key or key not in first_parts:
                continue
        for i in places:
            if i == 0 and len(places) > 1:
                continue
            following = sum(1 for s in shapes[i + 1 : i + 9] if s.long)
            if best is None or following > best[0]:
                best = (following, i)
    if best is None or best[0] == 0:
        return None
    return best[1]


@dataclass(slots=True)
class Page:
    """A page's lines described for the chrome rules."""

    texts: list[str]
    shapes: list[LineShape]
    categories: list[str | None]
    endings: list[str | None]
    title: int | None


class LineFacts:
    """What a line's text alone tells (its shape, lexicon categories, folded forms).

    Kept by text between passes over a page, so that later passes pay only for what
    depends on the neighbours. `fold` is the text casefolded (repeated lines are found
    by it, and the lexicon screens read it).
    """

    __slots__ = ("_key", "category", "ending", "fold", "looked_up", "shape", "text")

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        s = shape(text)
        short = s.words <= _LEXICON_MAX_WORDS
        fold = text.casefold()
        self.text = text
        self.shape = s
        self.fold = fold
        # whether `category` and `ending` are the lexicon's answers (a line too long
        # for a lexicon phrase is not looked up)
        self.looked_up = short
        self.category = lexicon.block_category(text, fold) if short else None
        self.ending = lexicon.ending_category(text, fold) if short else None
        self._key: str | None = None

    @property
    def key(self) -> str:
        """The casefolded words joined by single spaces (headline copies are found by it)."""
        if self._key is None:
            text = self.text
            if text.isascii():
                # casefolding ASCII only lowers letters: the same words, lowered
                self._key = " ".join(self.shape.tokens).lower()
            else:
                self._key = " ".join(words(self.fold))
        return self._key


def line_facts(
    texts: Sequence[str], lexicon: Lexicon, cache: dict[str, LineFacts] | None = None
) -> list[LineFacts]:
    """The facts of each line, taken from `cache` (by text) where known."""
    facts = cache if cache is not None else {}
    out = []
    for text in texts:
        known = facts.get(text)
        if known is None:
            known = facts[text] = LineFacts(text, lexicon)
        out.append(known)
    return out


def describe(
    texts: Sequence[str],
    lexicon: Lexicon,
    cache: dict[str, LineFacts] | None = None,
    facts: Sequence[LineFacts] | None = None,
) -> Page:
    """Shapes, lexicon categories and the headline of `texts`.

    `cache` keeps each line's own facts (shape, lexicon categories) between passes over
    the same page; `facts`: those of `texts`, when the caller has them already.
    """
    if facts is None:
        facts = line_facts(texts, lexicon, cache)
    shapes = [f.shape for f in facts]
    categories = [f.category for f in facts]
    endings = [f.ending for f in facts]
    title = find_title(texts, shapes, [f.key for f in facts])
    return Page(list(texts), shapes, categories, endings, title)
