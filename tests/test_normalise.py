"""The normalise step: Unicode form, invisible characters, whitespace, hyphenation, styles."""

from __future__ import annotations

import pytest

from newsclean.cleaners.normalise import Normalise, normalise_text, tidy
from newsclean.document import Block, Document
from newsclean.pipeline import Options


def test_nfc_composes_but_never_applies_compatibility_mappings() -> None:
    assert tidy("cafe\u0301") == "café"
    assert tidy("E = mc² ﬁnal ½ ２") == "E = mc² ﬁnal ½ ２"


def test_invisible_word_breakers_go_and_joiners_stay() -> None:
    assert tidy("ex\u00adam\u200bple\ufeff") == "example"
    assert tidy("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 👩\u200d💻") == (
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 👩\u200d💻"
    )


def test_whitespace_is_collapsed_and_line_structure_kept() -> None:
    text = "  One\t two   three  \r\nfour\u2028five\n\n\n\nsix\u2029seven "
    assert tidy(text) == "One two three\nfour\nfive\n\nsix\n\nseven"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Déjà vu", "Déjà vu"),
        ("\u3000Déjà  vu\u00a0", "Déjà vu"),
        ("Déjà\tvu", "Déjà vu"),
        ("Déjà\u2028vu", "Déjà\nvu"),
        ("Déj\u00adà vu", "Déjà vu"),
    ],
)
def test_non_ascii_text_is_tidied_only_where_needed(text: str, expected: str) -> None:
    assert tidy(text) == expected


def test_no_break_spaces_inside_a_line_are_kept() -> None:
    assert tidy("10\u00a0000 « mot\u202f»") == "10\u00a0000 « mot\u202f»"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("an exam-\nple of it", "an example of it"),
        ("a well-\nknown fact", "a well-\n\nknown fact"),
        ("the zorblax-\nquintor", "the zorblax-\n\nquintor"),
        ("Jean-\nPierre", "Jean-\n\nPierre"),
    ],
)
def test_hyphenated_line_breaks_join_only_known_words(text: str, expected: str) -> None:
    assert normalise_text(text, Options(), lang="en") == expected


def test_no_language_no_dehyphenation() -> None:
    assert normalise_text("an exam-\nple", Options(), lang=None) == "an exam-\n\nple"
    assert normalise_text("an exam-\nple", Options(dehyphenate=False), lang="en") == (
        "an exam-\n\nple"
    )


def test_a_line_break_inside_a_block_becomes_a_paragraph_break() -> None:
    doc = Document(blocks=[Block("Line one\nLine two\n\nThree")])
    doc = Normalise(Options())(doc)
    assert doc.text == "Line one\n\nLine two\n\nThree"
    assert doc.repairs[-1].reason == "paragraphs"


def test_words_hyphenated_across_line_blocks_are_joined() -> None:
    doc = Document(blocks=[Block("This is an exam-", "line"), Block("ple, really.", "line")])
    doc.meta.lang = "en"
    doc = Normalise(Options())(doc)
    assert [b.text for b in doc.blocks] == ["This is an example,", "really."]
    assert {r.reason for r in doc.repairs} == {"dehyphenate"}


def test_default_styles_keep_quotes_and_dashes() -> None:
    text = "“Yes” — he said — ‘no’ -- fine - ok"
    assert normalise_text(text) == text


def test_straight_and_curly_quotes() -> None:
    assert normalise_text("“It’s” ‘x’", Options(quotes="straight")) == "\"It's\" 'x'"
    assert normalise_text("He said \"it's\" ('x')", Options(quotes="curly")) == (
        "He said “it’s” (‘x’)"
    )


def test_dash_styles() -> None:
    assert normalise_text("a – b — c", Options(dashes="ascii")) == "a - b -- c"
    assert normalise_text("a -- b - c well-known", Options(dashes="typographic")) == (
        "a — b – c well-known"
    )


def test_french_spaces_only_when_asked() -> None:
    text = "Quoi? Il dit : « oui » ; voir http://x.fr"
    assert normalise_text(text, Options(), lang="fr") == text
    assert normalise_text(text, Options(french_spaces=True), lang="fr") == (
        "Quoi\u202f? Il dit\u00a0: «\u00a0oui\u00a0»\u202f; voir http://x.fr"
    )
    assert normalise_text(text, Options(french_spaces=True), lang="en") == text


@pytest.mark.parametrize(
    "options",
    [
        Options(),
        Options(quotes="straight", dashes="ascii"),
        Options(quotes="curly", dashes="typographic", french_spaces=True),
    ],
)
def test_normalising_twice_changes_nothing(options: Options) -> None:
    text = ' «Il a dit "oui"» -- puis\u00ad\u200b  l’exam-\nple -  voilà ! x:y '
    once = normalise_text(text, options, lang="fr")
    assert normalise_text(once, options, lang="fr") == once
