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


# -- the chrome benchmark's measures (its README) -------------------------------

_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"
_WCEB_TOKEN = regex.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_WHITESPACE = regex.compile(r"\s+")


def token_counts(text: str) -> Counter[str]:
    """The multiset of a text's tokens: \\w runs, each CJK character a token of its own."""
    return Counter(_WCEB_TOKEN.findall(text))


def token_f1(gold: str, pred: str) -> float:
    """Token F1 of one page (the Web Content Extraction Benchmark's measure).

    An empty output scores 0; a page whose gold and output are both empty scores 1.
    """
    g, p = token_counts(gold), token_counts(pred)
    if not p:
        return 0.0 if g else 1.0
    if not g:
        return 0.0
    tp = sum((g & p).values())
    if tp == 0:
        return 0.0
    precision = tp / sum(p.values())
    recall = tp / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def collapse(text: str) -> str:
    """Whitespace runs to one space (how snippets are looked up in an output)."""
    return _WHITESPACE.sub(" ", text).strip()


def snippet_counts(pred: str, keep: Iterable[str], drop: Iterable[str]) -> tuple[int, int, int]:
    """(tp, fp, fn) of one page: keep-snippets found, drop-snippets found, keep-snippets missed."""
    out = collapse(pred)
    tp = fn = fp = 0
    for snippet in keep:
        if collapse(snippet) in out:
            tp += 1
        else:
            fn += 1
    for snippet in drop:
        if collapse(snippet) in out:
            fp += 1
    return tp, fp, fn


def snippet_f1(counts: Iterable[tuple[int, int, int]]) -> tuple[float, float, float]:
    """Precision, recall and F1 over all snippets of a dataset."""
    tp = fp = fn = 0
    for a, b, c in counts:
        tp, fp, fn = tp + a, fp + b, fn + c
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
