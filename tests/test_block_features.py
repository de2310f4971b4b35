"""The page-at-once own features give what the line-by-line definition gives, exactly.

`reference_row` below is the definition of each own column, written line by line: the
page-at-once computation (`features.own_matrix`) must agree with it to the last bit,
since the shipped trees' thresholds were learned on these values.
"""

from __future__ import annotations

import json
import math

import numpy as np
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_path
from newsclean.blocks import features
from newsclean.blocks.features import (
    _BULLETS,
    _CLOCK,
    _LEXICON_MAX_WORDS,
    _QUOTES,
    _SENTENCE_END,
    _SEPARATORS,
    _TERMINAL,
    _URL,
    _YEAR,
    BLOCK_CATEGORIES,
    ENDING_CATEGORIES,
    tokens,
)
from newsclean.cleaners import chrome


def reference_row(text: str) -> list[float]:
    """The own columns (`features.OWN_NAMES`) of one line, one at a time."""
    lex = features.lexicon()
    toks = tokens(text)
    n_words = len(toks)
    n_chars = len(text)
    letters = sum(map(str.isalpha, text))
    digits = sum(map(str.isdigit, text))
    upper = sum(map(str.isupper, text))
    punct = max(0, n_chars - letters - digits - text.count(" "))
    cjk = 0 if text.isascii() else sum(1 for t in toks if len(t) == 1 and not t.isascii())
    last = text[-1] if text else ""
    first = text[0] if text else ""
    firsts = "".join(t[0] for t in toks)
    fold = text.casefold()
    function = sum(map(lex.function_words.__contains__, tokens(fold)))
    short = n_words <= _LEXICON_MAX_WORDS
    block = lex.block_category(text, fold) if short else None
    ending = lex.ending_category(text, fold) if short else None
    return [
        math.log1p(n_words),
        math.log1p(n_chars),
        (sum(len(t) for t in toks) / n_words) if n_words else 0.0,
        letters / max(1, n_chars),
        digits / max(1, n_chars),
        upper / max(1, letters),
        punct / max(1, n_chars),
        float(last in _TERMINAL),
        float(last == ":"),
        float(last in ",;-–"),
        float(min(10, len(_SENTENCE_END.findall(text)))),
        text.count(",") / max(1, n_words),
        float(first.islower()),
        float(first in _BULLETS or (first.isdigit() and text[1:3].startswith((". ", ") ")))),
        float(min(10, len(_SEPARATORS.findall(text)))),
        sum(map(str.isupper, firsts)) / max(1, sum(map(str.isalpha, firsts))),
        function / max(1, n_words),
        float(_URL.search(text) is not None),
        float("©" in text or "copyright" in fold),
        float(_CLOCK.search(text) is not None),
        float(_YEAR.search(text) is not None),
        float(any(c in _QUOTES for c in text)),
        float(chrome.breadcrumb(text)),
        float(chrome.timestamp(text)),
        float(chrome.image_file(text)),
        cjk / max(1, n_words),
        *(float(block == c) for c in BLOCK_CATEGORIES),
        *(float(ending == c) for c in ENDING_CATEGORIES),
    ]


def _same(texts: list[str]) -> None:
    expected = np.array([reference_row(t) for t in texts]).reshape(len(texts), -1)
    got = features.own_matrix(texts)
    for i, text in enumerate(texts):
        assert got[i].tolist() == expected[i].tolist(), repr(text)


_PIECES = st.sampled_from(
    [
        *"aZé .,;:!?-–»|/@©\"«»'\x00\t",
        "Home",
        " » ",
        " | ",
        "www.",
        "https://x.org",
        "a@b.co",
        "12:30",
        "2024",
        "Copyright",
        "Ünïcödé",
        "東京",
        "ソウル",
        "서울",
        "ß",
        "ﬁ",
        "İ",
        "e\u0301",
        "٣",
        "²",
        "\ud800",
        "😀",
        "Share this",
        "Read more",
        "the",
        "1. ",
        "• ",
        "Photo: ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=12).map("".join), min_size=1, max_size=6))
def test_page_at_once_matches_the_definition(texts: list[str]) -> None:
    _same(texts)


def test_lines_at_page_edges_and_empty_lines() -> None:
    _same(["", "Home » World", "", "A sentence. Another one!", "x"])
    _same(["end.", "Next line starts here.", "mail me@x.org", "@y.org"])
    assert features.own_matrix([]).shape == (0, len(features.OWN_NAMES))


def test_real_page_lines_match_the_definition() -> None:
    pages = shared_path("bench", "chrome", "pages.jsonl")
    with open(pages, encoding="utf-8") as f:
        records = [json.loads(line) for _, line in zip(range(60), f, strict=False)]
    for record in records:
        _same(str(record.get("text", "")).split("\n"))


def test_known_categories_are_used_as_given() -> None:
    texts = ["Share this article", "Plain words here"]
    given_ = features.own_matrix(texts, categories=[("share", None), ("related", None)])
    looked_up = features.own_matrix(texts)
    column = features.OWN_NAMES.index("lex_related")
    assert given_[1, column] == 1.0
    assert looked_up[1, column] == 0.0


def test_the_cjk_screen_covers_every_cjk_character() -> None:
    cjk = regex.compile(f"[{features._CJK}]")
    for point in range(0x110000):
        if 0xD800 <= point < 0xE000:
            continue
        char = chr(point)
        if cjk.match(char):
            assert features._MAYBE_CJK.match(char), hex(point)


def test_empty_and_one_line_pages() -> None:
    from newsclean.blocks.model import context_matrix, shipped

    assert features.text_matrix([]).shape == (0, len(features.TEXT_NAMES))
    assert features.text_matrix(["One line."]).shape == (1, len(features.TEXT_NAMES))
    assert shipped("text").scores(features.text_matrix([])).shape == (0,)
    assert context_matrix(np.zeros(0)).shape[0] == 0


def test_window_means_are_the_means_of_the_neighbours() -> None:
    values = np.array([1.0, 2.0, 3.0, 4.0])
    both = features.window_means(values, (1, 2))
    assert both[:, 0].tolist() == [2.0, 2.0, 3.0, 3.0]
    assert both[0, 1] == 2.5  # the two after the first
    assert features.window_means(values, (1,), "before")[:, 0].tolist() == [0.0, 1.0, 2.0, 3.0]
    columns = features.window_means(np.column_stack((values, 2 * values)), (1,))
    assert columns[:, 0, 1].tolist() == [4.0, 4.0, 6.0, 6.0]


def test_the_memo_keeps_short_texts_within_its_limit() -> None:
    memo = features.TextMemo(limit=2, max_chars=10)
    features.own_matrix(["short", "a much longer line of text", "tiny"], memo)
    assert set(memo.known) == {"short", "tiny"}
    features.own_matrix(["third"], memo)
    assert set(memo.known) == {"third"}  # full: forgotten, then the new one kept
