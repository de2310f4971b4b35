"""The shortcuts in `newsclean.langid` give what the plain definitions give."""

from __future__ import annotations

import random

from newsclean import langid

_CHARS = "ab AZ\u00a0\t\n\u2009\u00adé.\u3000\x1f\x85\u2028ÉΣ’"


def _texts() -> list[str]:
    rnd = random.Random(7)
    texts = ["".join(rnd.choice(_CHARS) for _ in range(rnd.randint(0, 120))) for _ in range(3000)]
    texts += ["The vote came after three public hearings and more than two hundred letters."]
    texts += ["x" * 79 + " ", "x" * 79 + "  y", " lead", "A  B", "ÉTAT DE SIÈGE À PARIS"]
    return texts


def test_sample_is_the_collapsed_head() -> None:
    for text in _texts():
        expected = " ".join(text[: 4 * langid._MAX_SAMPLE].split())[: langid._MAX_SAMPLE]
        assert langid._sample(text) == expected


def test_shouting_counts_every_character() -> None:
    for text in _texts():
        if text.islower() or len(text) <= 5:
            expected = False
        else:
            expected = sum(map(str.isupper, text)) > 0.8 * sum(map(str.isalpha, text))
        assert langid._shouting(text) == expected


def test_has_letters_counts_every_character() -> None:
    for text in _texts():
        for n in (1, 3, 5):
            assert langid._has_letters(text, n) == (sum(map(str.isalpha, text)) >= n)
