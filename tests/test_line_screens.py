"""The cheap screens before the line patterns give the patterns' own answers."""

from __future__ import annotations

import itertools

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

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


# The breadcrumb shapes as regular expressions: the specification the linear test meets.
_SPACED_TRAIL = regex.compile(r"^(?:[^»>|/›\n]{1,80}\s(?:»|›|>|\|)\s){2,12}[^»>|›]{0,300}$")
_CLOSED_TRAIL = regex.compile(r"^(?:[^»>|›\n]{1,60}\s?(?:»|›|>)\s?){1,12}$")


def _breadcrumb_by_pattern(text: str) -> bool:
    if len(text) > 400:
        return False
    if " / " in text and chrome._SLASH_TRAIL.match(text) is not None:
        return True
    return _SPACED_TRAIL.match(text) is not None or _CLOSED_TRAIL.match(text) is not None


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.sampled_from([*"ab »›>|/\n\t\u00a0\x1c", "x" * 40, "y" * 75]), max_size=40).map(
        "".join
    )
)
def test_breadcrumb_meets_its_patterns(text: str) -> None:
    assert chrome.breadcrumb(text) == _breadcrumb_by_pattern(text), repr(text)


def test_breadcrumb_examples() -> None:
    assert chrome.breadcrumb("Home » World » Europe")
    assert chrome.breadcrumb("News > Politics >")
    assert chrome.breadcrumb("Home / World / Europe")
    assert not chrome.breadcrumb("He said a > b, and that is all there is to it.")
    assert not chrome.breadcrumb("Home » " + "x" * 90 + " » End")
