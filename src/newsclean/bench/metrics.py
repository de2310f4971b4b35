"""Body F1 (GUIDE section 5): 4-token shingles, per-document normalised counts, means.

Tokens are Unicode `\\w+` matches; each text is the multiset of its 4-token
shingles. Per document tp, fp, fn are normalised to sum to 1 (a document with no
shingles on either side scores tp=1). Precision is the mean of tp/(tp+fp) over
documents with tp+fp > 0, recall likewise with tp+fn; F1 is their harmonic mean.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import regex

_TOKEN = regex.compile(r"\w+")


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def document_counts(gold: str, pred: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one document."""
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    if total == 0:
        return 1.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float
    documents: int


def body_scores(pairs: Iterable[tuple[str, str]]) -> Scores:
    """Scores over (gold, predicted) text pairs."""
    precisions: list[float] = []
    recalls: list[float] = []
    count = 0
    for gold, pred in pairs:
        count += 1
        tp, fp, fn = document_counts(gold, pred)
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, count)
