"""The indexed word-repair searches give what their plain definitions give."""

from __future__ import annotations

import bisect
import random

import pytest

from newsclean import wordrepair


def _deletion_definition(word: str, lex: wordrepair.Lexicon, longest: int = 5) -> dict[str, float]:
    """`deletion_candidates` as defined: each cut, the first 3000 words with its head."""
    out: dict[str, float] = {}
    n = len(word)
    if n < 4:
        return out
    common = lex.common_words
    for i in range(1, n):
        head, tail = word[:i], word[i:]
        if len(head) < 2 and len(tail) < 3:
            continue
        lo = bisect.bisect_left(common, head)
        hi = bisect.bisect_left(common, head + "\U0010ffff", lo, min(lo + 3000, len(common)))
        for cand in common[lo:hi]:
            if n < len(cand) <= n + longest and cand.endswith(tail):
                out[cand] = lex.zipf(cand)
    return out


def _damaged_words(lex: wordrepair.Lexicon, count: int) -> list[str]:
    """Common words with one to three letters taken out, and a few as they are."""
    rnd = random.Random(11)
    words = lex.common_words
    out: list[str] = []
    for _ in range(count):
        word = words[rnd.randrange(len(words))]
        for _ in range(rnd.randint(0, 3)):
            if len(word) > 4:
                k = rnd.randrange(1, len(word) - 1)
                word = word[:k] + word[k + 1 :]
        out.append(word)
    # the second letter taken out of the last words starting with `s` (more than
    # 3000 in each list): the cut after the first letter does not reach them
    last = [w for w in words if w[0] == "s"][-60:]
    out += [w[0] + w[2:] for w in last if len(w) > 4]
    return [*out, "sss", "ssss", "aaaa", "tion", "ement", "chtung"]


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_deletion_candidates_follow_their_definition(lang: str) -> None:
    lex = wordrepair.lexicon(lang)
    assert lex is not None
    for word in _damaged_words(lex, 400):
        assert wordrepair.deletion_candidates(word, lex) == _deletion_definition(word, lex)
