"""Training labels: which blocks of a page its gold reference keeps.

A block is article when most of its token trigrams occur in the gold text (its
tokens, for a block of one or two tokens); chrome when few do. Where the gold is
snippets (text that must or must not be in the output), a block is labelled only
where it overlaps one, and the others carry no weight. Weights grow with a block's
length (long blocks decide most of the token F1) but slowly, so short chrome lines
still count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .features import tokens


def _grams(toks: Sequence[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(toks[i : i + size]) for i in range(len(toks) - size + 1)}


def _index(text: str) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]], set[tuple[str, ...]]]:
    toks = [t.casefold() for t in tokens(text)]
    return _grams(toks, 3), _grams(toks, 2), _grams(toks, 1)


def _share(toks: list[str], index: tuple[set[tuple[str, ...]], ...]) -> float | None:
    """Share of the block's n-grams found in the reference (None: the block has no token)."""
    if not toks:
        return None
    size = min(3, len(toks))
    grams = [tuple(toks[i : i + size]) for i in range(len(toks) - size + 1)]
    found = index[3 - size]
    return sum(1 for g in grams if g in found) / len(grams)


def weight(n_tokens: int) -> float:
    """How much a block counts in training: grows with its length, slowly."""
    return 1.0 + math.log1p(n_tokens)


def gold_labels(texts: Sequence[str], gold: str) -> tuple[list[int], list[float]]:
    """Labels (1 article, 0 chrome) and weights of `texts` against a gold article text."""
    index = _index(gold)
    labels, weights = [], []
    for text in texts:
        toks = [t.casefold() for t in tokens(text)]
        share = _share(toks, index)
        if share is None:
            labels.append(0)
            weights.append(0.0)
            continue
        labels.append(int(share >= 0.5))
        # a block half in, half out says little either way
        weights.append(weight(len(toks)) * (1.0 if abs(share - 0.5) > 0.2 else 0.3))
    return labels, weights


def snippet_labels(
    texts: Sequence[str], keep: Sequence[str], drop: Sequence[str]
) -> tuple[list[int], list[float]]:
    """Labels from must-keep and must-drop snippets; blocks that overlap neither weigh 0."""
    keep_index = _index("\n".join(keep))
    drop_index = _index("\n".join(drop))
    labels, weights = [], []
    for text in texts:
        toks = [t.casefold() for t in tokens(text)]
        k = _share(toks, keep_index) or 0.0
        d = _share(toks, drop_index) or 0.0
        if k >= 0.5 and k > d:
            labels.append(1)
            weights.append(weight(len(toks)))
        elif d >= 0.5:
            labels.append(0)
            weights.append(weight(len(toks)))
        else:
            labels.append(0)
            weights.append(0.0)
    return labels, weights
