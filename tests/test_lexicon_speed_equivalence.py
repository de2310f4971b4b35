"""The grouped lexicon matching gives the same category as one alternation of all patterns.

`Lexicon.block_category` and `Lexicon.ending_category` try only the patterns that can
match a line's start or end; here they are compared, line by line, with the plain
reading of the lexicon: every block pattern in one alternation (first match wins) and
every ending pattern in one right-to-left alternation (`Lexicon.ending`).
"""

from __future__ import annotations

import re
from pathlib import Path

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED
from newsclean import lexicons

ROOT = Path(__file__).resolve().parents[1]
LEX = lexicons.load()
_FLAGS = regex.IGNORECASE | regex.V1
_ALL_BLOCKS = regex.compile(
    "|".join(
        f"(?P<c_{category}_{n}>{pattern.pattern})"
        for n, (category, pattern) in enumerate(LEX.block_patterns)
    ),
    _FLAGS,
)


def _name(group: str | None) -> str | None:
    if group is None:
        return None
    head, _, tail = group.removeprefix("c_").rpartition("_")
    return head if head and tail.isdigit() else group.removeprefix("c_")


def reference_block(text: str) -> str | None:
    match = _ALL_BLOCKS.match(text) if text else None
    return _name(match.lastgroup) if match else None


def reference_ending(text: str) -> str | None:
    if len(text) > 160:
        text = "\n" + text[-160:]
    match = LEX.ending.match(text)
    return _name(match.lastgroup) if match else None


def assert_same(lines: list[str]) -> None:
    for line in lines:
        assert LEX.block_category(line) == reference_block(line), line
        assert LEX.ending_category(line) == reference_ending(line), line


EDGES = [
    "",
    "a",
    ".",
    "©",
    "Share",
    "SHARE",
    "share\n",
    "Read more here...",
    "Read more here!!!!",
    "Find out more here »",
    "Photo: Jane Doe.",
    "The harbour reopened (Photo: AFP).",
    "Text / AFP",
    "Das Wasser stieg. Mehr lesen",
    "Weiterlesen …",
    "Lees hier waarom.",
    "Saiba mais aqui.",
    "Clicca qui!",
    "© 2025 The Gazette. All rights reserved.",
    "Tutti i diritti riservati ©",
    "STRAẞE ÜBER ALLES – Weiterlesen",
    "We use cookies to improve your experience. Accept all cookies",
    "12 comments",
    "By Jane Doe, Staff Writer",
    "x" * 200 + " Read more here.",
    "x" * 159 + "Click here",
    "Reply · Like · Report",
    "Lead text · 3 hours ago",
    # several patterns match: the most trailing characters left over wins, then the order
    "Photo: read more here",
    "Photo: read more here.",
    "Photo: click here!",
    "Foto: mehr lesen.",
    "(Photo: AFP) Read more here",
    "Fotos: Leia mais aqui.",
    # lines only a case-insensitive reading finds the patterns' words in
    "PHOTO: JANE DOE",
    "Crowds at the gate. REUTERS",
    "Crowds at the gate. Reuters/",
    "KLICKEN SIE HIER »",
    "ﬁle photo",
    "Cliquez ICI !",
]


def test_needles_are_words_every_match_contains() -> None:
    assert lexicons._needles(r"click here\W{0,3}$") == ("click here",)
    assert lexicons._needles(r"(Read|Find out) (more|here)") == ("find out", "read")
    assert lexicons._needles(r"©\s?[^.!?©]{1,60}") == ("©",)
    # syntax the standard parser may read otherwise, or no literal at all: no needles
    assert lexicons._needles(r"[[a-z]--[aeiou]]{3} here") is None
    assert lexicons._needles(r"(?<=x)\p{Lu}+") is None
    assert lexicons._needles(r"\d+") is None


def test_grouped_matching_agrees_on_edge_lines() -> None:
    found = {LEX.block_category(line) for line in EDGES} | {
        LEX.ending_category(line) for line in EDGES
    }
    assert {"share", "promo", "caption", "footer"} <= found
    assert LEX.ending_category("Photo: read more here") == "promo"
    assert LEX.ending_category("Photo: click here!") == "caption"
    assert_same(EDGES)


def test_grouped_matching_agrees_on_corpus_lines() -> None:
    files = sorted((ROOT / "corpus").glob("*.txt"))
    if (SHARED / "seeds").is_dir():
        files += sorted((SHARED / "seeds").glob("*.txt"))
    lines = [
        variant
        for path in files
        for raw in path.read_text("utf-8", errors="replace").splitlines()
        for variant in (raw, raw.strip())
        if raw.strip()
    ]
    assert len(lines) > 100
    assert_same(lines)


# Pieces the lexicon patterns are made of, so that random lines often match something.
_WORDS = sorted(
    {w for _, p in LEX.ending_patterns for w in regex.findall(r"\p{L}{2,}", p)}
    | {w for _, p in LEX.block_patterns for w in regex.findall(r"\p{L}{2,}", p.pattern)}
)
_PIECES = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from([" ", " ", ". ", ": ", "(", ")", "©", "|", "·", "!", "…", "’", "\n"]),
    st.sampled_from(["2024", "12", "3:45", "Jane", "DOE", "ẞ", "İ"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=14).map("".join))
def test_grouped_matching_agrees_on_generated_lines(line: str) -> None:
    assert_same([line, line.upper(), line.capitalize()])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text("abc. ©", min_size=1, max_size=4), min_size=1, max_size=6),
    st.text("abc. ©", max_size=12),
)
def test_needle_trie_finds_a_text_exactly_where_a_needle_is(needles: list[str], text: str) -> None:
    found = re.search(lexicons._any_of(needles), text) is not None
    assert found == any(n in text for n in needles)
