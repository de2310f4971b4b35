"""The read step on hostile bytes: nothing glued, nothing garbled without a word."""

from __future__ import annotations

import newsclean


def test_nul_characters_never_glue_words_and_are_recorded() -> None:
    doc = newsclean.process("The council met on Tuesday.\nhello\x00world and\x00\x00 more words.")
    assert "hello world and more words." in doc.text
    assert [r.reason for r in doc.repairs if r.cleaner == "read"] == ["nul_characters"]


def test_utf16_without_a_byte_order_mark_is_decoded() -> None:
    text = "Совет утвердил новый бюджет во вторник после долгих споров о налогах."
    for codec in ("utf-16-le", "utf-16-be"):
        doc = newsclean.process(text.encode(codec))
        assert doc.text == text
        assert doc.meta.encoding == codec


def test_lone_surrogates_become_replacement_characters() -> None:
    doc = newsclean.process("The council met on Tuesday \ud800 after a long debate.")
    assert "\ud800" not in doc.text and "\ufffd" in doc.text
    doc.text.encode("utf-8")
    assert "surrogates" in [r.reason for r in doc.repairs if r.cleaner == "read"]
