"""The screened lexicon matching gives the same category as one alternation of all patterns.

`Lexicon.block_category` and `Lexicon.ending_category` try only the patterns whose
screens a line passes; here they are compared, line by line, with the plain reading of
the lexicon files: every block pattern in one alternation (first match wins) and every
ending pattern in one right-to-left alternation, built here from the files themselves.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED, shared_path
from newsclean import lexicons
from newsclean.lexicons import _index, screens

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "src" / "newsclean" / "lexicons"
LEX = lexicons.load()
_FLAGS = regex.IGNORECASE | regex.V1


def _merged(kind: str) -> list[tuple[str, str]]:
    """(category, pattern) of every pattern of `kind` in the files, in the order a lexicon
    of all languages holds them: categories as first met, each with every language's."""
    merged: dict[str, list[str]] = {}
    for lang in lexicons.available_languages():
        table = tomllib.loads((FOLDER / f"{lang}.toml").read_text("utf-8"))
        for category, patterns in table.get(kind, {}).items():
            merged.setdefault(category, []).extend(patterns)
    return [(c, p) for c, patterns in merged.items() for p in patterns]


_ALL_BLOCKS = regex.compile(
    "|".join(f"(?P<c_{c}_{n}>{p})" for n, (c, p) in enumerate(_merged("block"))), _FLAGS
)
_ALL_ENDINGS = regex.compile(
    "(?:" + "|".join(f"(?P<c_{c}_{n}>{p})" for n, (c, p) in enumerate(_merged("ending"))) + ")"
    r"\W{0,3}$",
    _FLAGS | regex.REVERSE,
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
    match = _ALL_ENDINGS.match(text)
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
    assert screens.needles(r"click here\W{0,3}$") == ("click here",)
    assert screens.needles(r"(Read|Find out) (more|here)") == ("find out", "read")
    assert screens.needles(r"©\s?[^.!?©]{1,60}") == ("©",)
    assert screens.needles(r"(by|von) (?-i:\p{Lu})\w+") == ("by", "von")
    # syntax the standard parser may read otherwise, or no literal at all: no needles
    assert screens.needles(r"[[a-z]--[aeiou]]{3} here") is None
    assert screens.needles(r"(?<=x)\p{Lu}+") is None
    assert screens.needles(r"\d+") is None


def test_starts_are_what_every_match_begins_with() -> None:
    assert screens.starts(r"(by|written by) (?-i:\p{Lu})\w+") == ("by ", "written by ")
    # all of the line, or the line's start
    assert screens.starts(r"Share$") == ("share" + screens.END,)
    assert screens.starts(r"(la )?rédaction( \p{L}{1,20})?$") == (
        "la rédaction\x01",
        "la rédaction ",
        "rédaction\x01",
        "rédaction ",
    )
    assert screens.starts(r"(次|前)の記事") == ("前の記事", "次の記事")
    # a decimal digit, then anything
    assert screens.starts(r"(le )?\d{1,2} mai") == (screens.DIGIT, "le " + screens.DIGIT)
    # a line may start with anything: no screen
    assert screens.starts(r"\W{0,3}\d+ comments") is None
    assert screens.starts(r"[^\n]{0,60}©") is None
    assert screens.starts(r"(?i:x)y") is None


def test_ends_are_what_every_match_closes_with() -> None:
    assert screens.ends(r"click here\W{0,3}$") == ("click here",)
    assert screens.ends(r"(read|see) (more|here)\W{0,3}$") == (
        "read here",
        "read more",
        "see here",
        "see more",
    )
    assert screens.ends(r"\((photo|image)[^()]{0,80}\)") == (")",)
    assert screens.ends(r"sign up( now| today)?") == ("sign up", "sign up now", "sign up today")
    assert screens.ends(r"©\s?[^.!?©]{1,60}") is None
    assert screens.ends(r"here\W*$") is None  # an unbounded final run is not set aside


def test_the_index_is_the_lexicon_files_read_now() -> None:
    shipped = screens.from_json(_index.INDEX)
    for path in sorted(FOLDER.glob("*.toml")):
        fresh = screens.language_index(path.read_bytes())
        assert shipped.get(path.stem) == fresh, (
            f"{path.name} changed since the index was written: python -m newsclean.lexicons"
        )


def test_a_file_changed_since_the_index_is_read_the_slow_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(lexicons, "_shipped", lambda: {})
    slow = lexicons.load.__wrapped__(("en", "de"))
    fast = lexicons.load(("en", "de"))
    assert slow.ending_patterns == fast.ending_patterns
    lines = [line for line in EDGES if line] + ["Mehr lesen", "Von Anna Schmidt"]
    for line in lines:
        assert slow.block_category(line) == fast.block_category(line)
        assert slow.ending_category(line) == fast.ending_category(line)


def test_loading_compiles_no_pattern() -> None:
    fresh = lexicons.load.__wrapped__()
    assert not any(rule._test for rule in fresh._blocks + fresh._endings)
    fresh.block_category("Share this article")
    compiled = [rule.pattern for rule in fresh._blocks if rule._test is not None]
    assert 0 < len(compiled) < 10


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
    {w for _, p in _merged("ending") + _merged("block") for w in regex.findall(r"\p{L}{2,}", p)}
)
_PIECES = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from([" ", " ", ". ", ": ", "(", ")", "©", "|", "·", "!", "…", "’", "\n"]),
    st.sampled_from(["2024", "12", "3:45", "Jane", "DOE", "ẞ", "İ"]),
    # characters whose casefold is longer, digits of other scripts, numbers that are
    # not decimal digits, a combining mark, a joiner: the screens' edges
    st.sampled_from(["ß", "ﬁ", "ǰ", "Σ", "ς", "٣", "²", "½", "\u0301", "\u200d", "_", "-7"]),
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
    found = re.search(screens.any_of(needles), text) is not None
    assert found == any(n in text for n in needles)


def test_grouped_matching_agrees_on_the_chrome_pages_lines() -> None:
    """Every line of every tenth page of the chrome benchmark (sites in many languages)."""
    path = shared_path("bench", "chrome", "pages.jsonl")
    lines: set[str] = set()
    with path.open(encoding="utf-8") as pages:
        for n, row in enumerate(pages):
            if n % 10 == 0:
                for line in json.loads(row)["text"].splitlines():
                    lines.update((line, line.strip()))
    assert len(lines) > 10_000
    assert_same(sorted(lines))
