"""Repair and normalise on any text: never raise, and doing it twice changes nothing.

The one documented exception to idempotence (docs/normalisation.md) is a doubly escaped
entity in a document escaped once: `&amp;eacute;` is decoded once to the literal
`&eacute;`, which a second run then reads as an entity. The entity tokens below are whole
entities, so they exercise entity decoding without building that case.
"""

from __future__ import annotations

import ftfy.bad_codecs  # noqa: F401  (the sloppy-windows-* codecs used to build mojibake)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclean.cleaners.encoding import repair_document
from newsclean.cleaners.normalise import normalise_text
from newsclean.pipeline import Options

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any code point, lone surrogates and control characters included.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)

TOKENS = st.sampled_from(
    [
        "Ã",
        "Â",
        "â",
        "€",
        "™",
        "œ",
        "\x9d",
        "\x93",
        "\x94",
        "\x85",
        "©",
        "√",
        "Ä",
        "ð",
        "Ÿ",
        "é",
        "è",
        "à",
        "ł",
        "Ж",
        "ж",
        "한",
        "😀",
        "\ufffd",
        "?",
        "&amp;",
        "&eacute;",
        "&#8217;",
        "&quot;",
        "&#39;",
        "&lt;",
        "\u00a0",
        "\u00ad",
        "\u200b",
        "\u200d",
        " ",
        "  ",
        "\n",
        "\n\n",
        "-\n",
        "\r\n",
        "\t",
        "\x00",
        "\x1b[1m",
        "a",
        "word",
        "exam",
        "ple",
        "Città",
        "’",
        "“",
        "”",
        "«",
        "»",
        "—",
        "–",
        ";",
        ":",
        "!",
        '"',
        "'",
    ]
)
TOKEN_TEXT = st.lists(TOKENS, max_size=80).map("".join)


def _mojibake(text: str, codepage: str) -> str:
    return text.encode("utf-8", "surrogatepass").decode(codepage, "replace")


MOJIBAKE = st.builds(
    _mojibake,
    st.text(st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(["sloppy-windows-1252", "latin-1", "macroman", "sloppy-windows-1251"]),
)
TEXTS = st.one_of(ANY_TEXT, TOKEN_TEXT, MOJIBAKE)


@SETTINGS
@given(TEXTS)
def test_repair_never_raises_and_is_idempotent(text: str) -> None:
    once, _ = repair_document(text)
    twice, changes = repair_document(once)
    assert twice == once, changes


@SETTINGS
@given(TEXTS, st.sampled_from(["en", "fr", None]))
def test_normalise_is_idempotent(text: str, lang: str | None) -> None:
    for options in (Options(), Options(quotes="curly", dashes="typographic", french_spaces=True)):
        once = normalise_text(text, options, lang=lang)
        assert normalise_text(once, options, lang=lang) == once


@SETTINGS
@given(TEXTS)
def test_repair_then_normalise_is_idempotent(text: str) -> None:
    once = normalise_text(repair_document(text)[0], lang="en")
    again = normalise_text(repair_document(once)[0], lang="en")
    assert again == once


def test_long_hostile_inputs_finish() -> None:
    for text in ("Ã" * 20000, "Ã©" * 20000, "&amp;" * 20000, "a-\n" * 20000, "\x93 " * 20000):
        repaired, _ = repair_document(text)
        normalise_text(repaired, lang="en")
