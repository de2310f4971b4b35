"""Unicode NFC in time linear in the text, however many combining marks follow a letter.

`unicodedata.normalize` puts each run of combining marks in canonical order with an
insertion sort: a run of n marks whose classes alternate (`a` + U+0301 U+0316 …, as
"zalgo" text and hostile pages have) costs n² steps, and 160 kB of it took 39 s. Runs
that long never occur in real writing, so the fast path is the library call itself;
only text holding a run of more than `_LONG_RUN` marks is reordered here first (each
run sorted by combining class, keeping the order within a class: the canonical order),
after which the library's sort meets ordered runs and does one comparison per mark. The
result is the library's NFC exactly.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

# Longer runs of marks than this are put in canonical order before the library sees them.
_LONG_RUN = 32
_MARK_RUN = regex.compile(r"\p{M}{" + str(_LONG_RUN + 1) + ",}")
_NONSTARTERS = regex.compile(r"[^\p{ccc=0}]{2,}")


def nfc(text: str) -> str:
    """`unicodedata.normalize("NFC", text)`, in linear time on any input."""
    if text.isascii():
        return text
    if _MARK_RUN.search(text) is None:
        return unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", _ordered(_decomposed(text)))


def is_nfc(text: str) -> bool:
    """`unicodedata.is_normalized("NFC", text)`, in linear time on any input."""
    if text.isascii():
        return True
    if _MARK_RUN.search(text) is None:
        return unicodedata.is_normalized("NFC", text)
    return nfc(text) == text


def _decomposed(text: str) -> str:
    """Each character's canonical decomposition (not yet reordered)."""
    return "".join(map(_decompose_char, text))


@lru_cache(maxsize=4096)
def _decompose_char(char: str) -> str:
    return unicodedata.normalize("NFD", char)


def _ordered(text: str) -> str:
    """Every run of non-starters sorted by combining class, stably: canonical order."""

    def order(match: regex.Match[str]) -> str:
        # a counting sort by class, with `str.translate` keeping one class at a time:
        # no object per character (a run can be millions long)
        run = match.group(0)
        distinct = set(run)
        classes = sorted({unicodedata.combining(c) for c in distinct})
        if len(classes) == 1:
            return run
        return "".join(
            run.translate({ord(c): None for c in distinct if unicodedata.combining(c) != k})
            for k in classes
        )

    return _NONSTARTERS.sub(order, text)


__all__ = ["is_nfc", "nfc"]
