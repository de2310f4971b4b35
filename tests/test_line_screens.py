"""The cheap screens before the line patterns give the patterns' own answers."""

from __future__ import annotations

import itertools

import regex

from newsclean.cleaners import chrome

_PIECES = [
    "",
    "a",
    "B",
    "7",
    " ",
    ".",
    ":",
    "-",
    "»",
    "|",
    "•",
    "?",
    "\n",
    "é",
    "١",
    "www",
    "http",
    "#x",
    "@y",
    ".com",
    "2024-01-02",
    "12:30",
    "1. ",
]


def _samples() -> list[str]:
    return ["".join(p) for p in itertools.product(_PIECES, repeat=3)]


def test_chrome_screens_match_the_patterns() -> None:
    closing = regex.compile(r"[.!?…:;\"”’»)]$")
    for text in _samples():
        assert chrome._closed(text) == (closing.search(text) is not None), text
        plain = len(text) <= 60 and (
            chrome._TIME_ONLY.match(text) is not None or chrome._ISO_TIME.match(text) is not None
        )
        assert chrome.timestamp(text) == plain, text
