"""Find the article in a page's lines: shape features, a line score, the best region.

Scraped page text is a column of lines: menus, teasers and footers are runs of short,
link-like lines; the article is one dense stretch of long prose lines, sometimes broken
by a caption, a promo or an advert. Each line is described by language-independent
shape features (length, punctuation, case, digits, separators, function-word density,
repetition, position) and those of its neighbours; a small logistic model, trained by
`benchmarks/train_line_model.py` and shipped as data (`data/line_model.json`), turns
them into a log-odds that the line belongs to the article. A maximum-sum pass over the
log-odds then picks the contiguous region with the most article evidence, which keeps
subheads, list items and lines ending in ':' that sit between prose lines.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate

import regex

from ..lexicons import Lexicon

_LEXICON_MAX_WORDS = 60
_WORD = regex.compile(r"\w+")
_LETTER_WORD = regex.compile(r"[^\W\d_]+")
_TERMINAL = regex.compile(r"[.!?…。！？][\"'”’»)\]]{0,2}$")
_SENTENCE_END = regex.compile(r"\w[.!?…。！？][\"'”’»)]{0,2}\s+\p{Lu}")
_SEPARATOR = regex.compile(r"\s[»›>|•·/–—-]\s|^[»›>|•·]|[»›|•·]$")
# the characters every `_SEPARATOR` match holds one of (a line without any has none),
# found faster by the standard library's engine
_SEPARATOR_CHARS = re.compile("[»›>|•·/–—-]")
_LINKISH = regex.compile(r"https?://|www\.|@\w|#\w|\.(?:com|org|net|html?)\b", regex.IGNORECASE)
_DIGIT = regex.compile(r"\d")
_UPPER_START = regex.compile(r"^\p{Lu}")
_LOWER_START = regex.compile(r"^\p{Ll}")
_DENSE_SCRIPT = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]"
)
_BULLET_START = regex.compile(r"^(?:[-–—•*·▪►✓]\s|\d{1,2}[.)]\s)")
# Words found by the standard library's engine, which is faster, where it agrees with
# `regex`: on ASCII-only text (\w is [A-Za-z0-9_] to both), and on text whose every
# character both engines class alike as word or not (the ranges below: Latin, Greek,
# Cyrillic, general punctuation and symbols; not superscript digits or fractions, word
# characters to the standard library only, nor combining marks, to `regex` only).
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")
_SAME_WORD_CLASS = (
    r"\x00-\x7f\x80-\xb1\xb4-\xb8\xba\xbb\xbf-\u02ff\u0370-\u0482\u048a-\u0557"
    r"\u1e00-\u200b\u200e-\u203e\u20a0-\u20cf\u20f1-\u214f"
)
_OTHER_WORD_CLASS = re.compile(f"[^{_SAME_WORD_CLASS}]")
_STD_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The runs of word characters (\\w+ as the `regex` module reads it) in `text`."""
    if text.isascii():
        return _ASCII_WORD.findall(text)
    if _OTHER_WORD_CLASS.search(text) is None:
        return _STD_WORD.findall(text)
    return _WORD.findall(text)


# Every character of the dense scripts lies in these ranges (none below U+0E00 or among
# the punctuation and symbols of U+2000-U+2E7F): a line with none of them has no such
# character, which this finds faster than the script classes.
_MAYBE_DENSE = re.compile("[\u0e00-\u1fff\u2e80-\U0010ffff]")

FEATURES = (
    "bias",
    "log_words",
    "long10",
    "long25",
    "terminal",
    "colon_end",
    "lower_start",
    "upper_start",
    "bullet_start",
    "capital_ratio",
    "digit_ratio",
    "separator",
    "linkish",
    "repeated",
    "chrome_lexicon",
    "function_ratio",
    "sentences",
    "mean_word_len",
    "in_group",
    "position",
    "prev_long",
    "next_long",
    "prev_terminal",
    "next_terminal",
    "window_long",
    "window_words",
    "before_first_long",
    "after_last_long",
    "short_run",
    "relative_length",
    "is_title",
    "after_title",
    "near_title",
    "title_distance",
    "chrome_ending",
)
CONTEXT_FEATURES = (
    "bias",
    "score",
    "window2",
    "window5",
    "window12",
    "in_region",
    "region_distance",
    "after_title",
    "is_title",
    "long",
    "page_chrome",
    "page_short",
    "page_lines",
)


@dataclass(frozen=True, slots=True)
class LineModel:
    """Two logistic stages and the region rule, as trained by benchmarks/train_line_model.py.

    Stage one scores each line from its own shape and its neighbours'; each further
    round rescores it from the previous scores around it and the best region. A line is
    kept when it lies in the best region of `score + offset` (lines weighted by
    length) and its score is above `floor`.
    """

    line_weights: tuple[float, ...]
    context_weights: tuple[tuple[float, ...], ...]
    offset: float
    floor: float

    def line_scores(self, features: Sequence[Sequence[float]]) -> list[float]:
        w = self.line_weights
        return [sum(map(operator.mul, w, row)) for row in features]

    @staticmethod
    def context_scores(
        weights: Sequence[float], features: Sequence[Sequence[float]]
    ) -> list[float]:
        return [sum(map(operator.mul, weights, row)) for row in features]

    def select(self, scores: Sequence[float], shapes: Sequence[LineShape]) -> list[bool]:
        """Which lines are the article: the best weighted region, above the floor."""
        n = len(scores)
        if not n:
            return []
        shift = max(0.0, 1.0 - max(scores))
        offset, floor, log1p = self.offset, self.floor, math.log1p
        weighted = [
            (s + offset + shift) * (1.0 + log1p(shapes[i].words)) for i, s in enumerate(scores)
        ]
        start, end = best_region(weighted)
        # only the region's lines can be kept: the rest are False without a test
        keep = [False] * n
        keep[start:end] = [s + shift > floor for s in scores[start:end]]
        if not any(keep):
            keep[max(range(n), key=scores.__getitem__)] = True
        return keep


@lru_cache(maxsize=1)
def load_model() -> LineModel:
    """The shipped line model (read once per process)."""
    text = resources.files("newsclean").joinpath("data", "line_model.json").read_text("utf-8")
    data = json.loads(text)
    if tuple(data["features"]) != FEATURES or tuple(data["context_features"]) != CONTEXT_FEATURES:
        raise ValueError("data/line_model.json was trained on other features; retrain it")
    return LineModel(
        tuple(float(w) for w in data["weights"]),
        tuple(tuple(float(w) for w in weights) for weights in data["context_weights"]),
        float(data["offset"]),
        float(data["floor"]),
    )


@dataclass(slots=True)
class LineShape:
    """The per-line facts the features and the chrome rules share."""

    words: int
    terminal: bool
    long: bool
    tokens: list[str]
    # the line's own features, once worked out (see `_local_features`)
    local: tuple[tuple[float, ...], tuple[float, ...]] | None = None


_TRAILING = "\"'”’»)]"
_ENDS = frozenset(".!?…。！？")


def word_count(text: str, tokens: Sequence[str] | None = None) -> int:
    """Words in `text`; scripts written without spaces count one word per two characters."""
    count = len(tokens if tokens is not None else words(text))
    if text.isascii() or _MAYBE_DENSE.search(text) is None:
        return count
    dense = len(_DENSE_SCRIPT.findall(text))
    return max(count, dense // 2) if dense else count


def shape(text: str) -> LineShape:
    tokens = words(text)
    count = word_count(text, tokens)
    terminal = text.rstrip(_TRAILING)[-1:] in _ENDS
    return LineShape(count, terminal, count >= 10 and terminal, tokens)


_SITE_SEPARATOR = regex.compile(r"\s(?:[|–—:·»›]|-|::)\s")


def _key(text: str) -> str:
    return " ".join(words(text.casefold()))


def find_title(
    texts: Sequence[str],
    shapes: Sequence[LineShape] | None = None,
    keys: Sequence[str] | None = None,
) -> int | None:
    """Index of the headline line, or None.

    Pages repeat their headline: in the document title on the first line
    ("Headline | Site", "Headline - Site") or at the end of a breadcrumb ("Home » World »
    Headline"), then again as the heading above the article. The heading copy that the
    most article-like text follows is the headline.
    """
    n = len(texts)
    if n < 2:
        return None
    shapes = shapes or [shape(t) for t in texts]
    if keys is None:
        keys = [_key(t) for t in texts]
    candidates: set[str] = set()
    for k, line in enumerate(texts[: min(n, 3)]):
        parts = [p for p in _SITE_SEPARATOR.split(line) if p.strip()]
        for key in (keys[k], *(_key(p) for p in parts)):
            if len(key.split()) >= 3:
                candidates.add(key)
    occurrences: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key in candidates and 3 <= len(key.split()) <= 40:
            occurrences.setdefault(key, []).append(i)
    best: tuple[int, int] | None = None
    first_parts: set[str] | None = None
    for key, places in occurrences.items():
        if len(places) < 2:
            # seen once: a headline only when it is a part of the first line
            if first_parts is None:
                first_parts = {_key(p) for p in _SITE_SEPARATOR.split(texts[0])}
            if keys[0] == key or key not in first_parts:
                continue
        for i in places:
            if i == 0 and len(places) > 1:
                continue
            following = sum(1 for s in shapes[i + 1 : i + 9] if s.long)
            if best is None or following > best[0]:
                best = (following, i)
    if best is None or best[0] == 0:
        return None
    return best[1]


def _local_features(
    text: str, s: LineShape, function_words: frozenset[str]
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The features of a line that do not depend on its neighbours, in FEATURES order:
    the bias and those before `repeated`, then those between `chrome_lexicon` and
    `in_group` (two runs, so that a feature row is put together without slicing).

    Pattern searches go first through a cheaper test of a character every match needs,
    which rules out most lines.
    """
    tokens = s.tokens
    count = max(len(tokens), 1)
    firsts = "".join(map(_FIRST, tokens))
    # no character is both a digit and upper case (nor a digit and a letter), so the two
    # counts never overlap, and a line whose words all start with a letter has no digits
    digits = 0 if firsts.isalpha() else sum(map(str.isdigit, firsts))
    capitals = sum(map(str.isupper, firsts))
    function = sum(map(function_words.__contains__, map(str.lower, tokens)))
    letters = len("".join(tokens))
    first_char = text[:1]
    sentences = text.count(". ") + text.count("? ") + text.count("! ")
    words = s.words
    head = (
        1.0,
        math.log1p(words),
        1.0 if words >= 10 else 0.0,
        1.0 if words >= 25 else 0.0,
        1.0 if s.terminal else 0.0,
        1.0 if text.endswith(":") else 0.0,
        1.0 if first_char.islower() else 0.0,
        1.0 if first_char.isupper() else 0.0,
        1.0 if _bullet_start(text, first_char) else 0.0,
        capitals / count,
        digits / count,
        1.0 if _separator(text) else 0.0,
        1.0 if _linkish(text) else 0.0,
    )
    tail = (function / count, math.log1p(sentences), min(letters / count, 15.0) / 5.0)
    return head, tail


_FIRST = operator.itemgetter(0)
# the ASCII characters a `_BULLET_START` match can start with
_ASCII_BULLET_STARTS = frozenset("-*0123456789")


def _bullet_start(text: str, first_char: str) -> bool:
    """The line starts with a bullet mark or a list number (`_BULLET_START`).

    A line starting with any other ASCII character (or empty) is out without the
    pattern; the pattern decides the others (its \\d follows the `regex` module's Unicode
    tables, which may be newer than the standard library's).
    """
    if first_char.isascii() and first_char not in _ASCII_BULLET_STARTS:
        return False
    return _BULLET_START.match(text) is not None


def _separator(text: str) -> bool:
    """The line holds a breadcrumb or title separator (`_SEPARATOR`)."""
    return _SEPARATOR_CHARS.search(text) is not None and _SEPARATOR.search(text) is not None


def _linkish(text: str) -> bool:
    """The line holds a URL, an address, a handle or a hashtag (`_LINKISH`).

    Every match holds '.', '@', '#' or '://' (none with a case to ignore): most lines
    have none of them.
    """
    if "." not in text and "@" not in text and "#" not in text and "://" not in text:
        return False
    return _LINKISH.search(text) is not None


def line_features(
    texts: Sequence[str],
    grouped: Sequence[bool],
    function_words: frozenset[str],
    chrome: Sequence[bool],
    title: int | None = None,
    shapes: Sequence[LineShape] | None = None,
    chrome_ending: Sequence[bool] | None = None,
    folds: Sequence[str] | None = None,
    search_title: bool = True,
) -> list[list[float]]:
    """One feature vector (in FEATURES order) per line.

    `grouped[i]`: the line had a non-blank neighbour line in the source (menus and
    lists come as such groups; paragraphs usually stand between blank lines).
    `chrome[i]`: a lexicon pattern of some chrome category matched the line.
    `folds`: the texts casefolded, when the caller has them already.
    `title`: the headline's index; when None, it is looked for first unless the caller
    has done so already (`search_title=False`).
    """
    n = len(texts)
    if shapes is None:
        shapes = [shape(t) for t in texts]
    if title is None and search_title:
        title = find_title(texts, shapes)
    if folds is None:
        folds = [t.casefold() for t in texts]
    lengths = sorted(s.words for s in shapes)
    typical = max(math.log1p(lengths[int(0.9 * (n - 1))]), 1.0) if n else 1.0
    counts = Counter(folds)
    longs = [s.long for s in shapes]
    first_long = next((i for i in range(n) if longs[i]), n)
    last_long = next((i for i in range(n - 1, -1, -1) if longs[i]), -1)
    # length of the run of short (non-long) lines each line sits in
    run = [0] * n
    i = 0
    while i < n:
        j = i
        while j < n and not longs[j]:
            j += 1
        for k in range(i, j):
            run[k] = j - i
        i = j + 1 if j == i else j
    long_values = [1.0 if x else 0.0 for x in longs]
    terminal_values = [1.0 if s.terminal else 0.0 for s in shapes]
    window_long = _window_means(long_values, 2, exclude_self=True)
    window_words = _window_means([float(s.words) for s in shapes], 2, exclude_self=True)
    # each neighbour's value, 0.0 past either end of the page
    prev_long = [0.0, *long_values[:-1]]
    next_long = [*long_values[1:], 0.0]
    prev_terminal = [0.0, *terminal_values[:-1]]
    next_terminal = [*terminal_values[1:], 0.0]
    log1p = math.log1p
    locals_ = []
    for text, s in zip(texts, shapes, strict=True):
        local = s.local
        if local is None:
            local = s.local = _local_features(text, s, function_words)
        locals_.append(local)
    last = max(n - 1, 1)
    # the remaining features, column by column
    repeated = [1.0 if counts[fold] > 1 else 0.0 for fold in folds]
    chrome_values = [1.0 if c else 0.0 for c in chrome]
    grouped_values = [1.0 if g else 0.0 for g in grouped]
    position = [i / last for i in range(n)]
    window_words_log = [log1p(w) for w in window_words]
    before_first = [1.0] * min(first_long, n) + [0.0] * (n - min(first_long, n))
    after_last = [0.0] * (last_long + 1) + [1.0] * (n - last_long - 1)
    short_run = [log1p(r) if not long else 0.0 for r, long in zip(run, longs, strict=True)]
    relative = [head[1] / typical for head, _ in locals_]  # log_words
    is_title, after_title = _title_columns(title, n)
    near_title = [0.0] * n
    title_distance = [0.0] * n
    if title is not None:
        for i in range(max(title + 1, 0), n):
            near_title[i] = float(i - title <= 3)
            title_distance[i] = log1p(i - title)
    ending_values = (
        [1.0 if e else 0.0 for e in chrome_ending] if chrome_ending is not None else [0.0] * n
    )
    rest = zip(
        grouped_values,
        position,
        prev_long,
        next_long,
        prev_terminal,
        next_terminal,
        window_long,
        window_words_log,
        before_first,
        after_last,
        short_run,
        relative,
        is_title,
        after_title,
        near_title,
        title_distance,
        ending_values,
        strict=True,
    )
    return [
        [*head, rep, ch, *tail, *others]
        for (head, tail), rep, ch, others in zip(
            locals_, repeated, chrome_values, rest, strict=True
        )
    ]


def _title_columns(title: int | None, n: int) -> tuple[list[float], list[float]]:
    """Two feature columns: the headline's line, and the lines after it."""
    is_title = [0.0] * n
    after_title = [0.0] * n
    if title is not None:
        if 0 <= title < n:
            is_title[title] = 1.0
        for i in range(max(title + 1, 0), n):
            after_title[i] = 1.0
    return is_title, after_title


def best_region(scores: Sequence[float]) -> tuple[int, int]:
    """[start, end) of the contiguous run with the largest sum of scores (Kadane)."""
    best, best_start, best_end = -math.inf, 0, 0
    current, start = 0.0, 0
    for i, value in enumerate(scores):
        if current <= 0:
            current, start = value, i
        else:
            current += value
        if current > best:
            best, best_start, best_end = current, start, i + 1
    return best_start, best_end


def _window_means(values: Sequence[float], radius: int, exclude_self: bool = False) -> list[float]:
    """Mean of the values within `radius` of each position (optionally without itself)."""
    n = len(values)
    prefix = list(accumulate(values, initial=0.0))
    edge = min(radius, n)
    # each position's window [lo, hi), cut at the ends of the page
    lows = [0] * edge + list(range(n - edge))
    highs = list(range(radius + 1, n + 1)) + [n] * edge
    if exclude_self:
        return [
            ((prefix[hi] - prefix[lo]) - v) / (hi - lo - 1) if hi - lo - 1 else 0.0
            for lo, hi, v in zip(lows, highs, values, strict=True)
        ]
    return [(prefix[hi] - prefix[lo]) / (hi - lo) for lo, hi in zip(lows, highs, strict=True)]


def context_features(
    scores: Sequence[float],
    shapes: Sequence[LineShape],
    title: int | None,
    chrome: Sequence[bool] | None = None,
) -> list[tuple[float, ...]]:
    """Second-stage features: each line's first-stage score seen in its neighbourhood,
    and how much chrome the page has at all (an already clean text has none).
    One tuple per line (in CONTEXT_FEATURES order)."""
    n = len(scores)
    page_chrome = sum(1 for c in chrome if c) / n if chrome and n else 0.0
    page_short = sum(1 for s in shapes if s.words < 5) / n if n else 0.0
    page_lines = math.log1p(n)
    log1p = math.log1p
    weighted = [s * (1.0 + log1p(shape.words)) for s, shape in zip(scores, shapes, strict=True)]
    start, end = best_region(weighted)
    w2, w5, w12 = (_window_means(scores, r) for r in (2, 5, 12))
    # inside the region, and the distance to it (0 inside)
    start = min(start, n)
    end = max(end, start)
    inside = [0.0] * start + [1.0] * (end - start) + [0.0] * (n - end)
    distance = [log1p(start - i) for i in range(start)] + [0.0] * (end - start)
    distance += [log1p(i - end + 1) for i in range(end, n)]
    is_title, after_title = _title_columns(title, n)
    return [
        (1.0, sc, a, b, c, d, e, f, g, float(s.long), page_chrome, page_short, page_lines)
        for sc, a, b, c, d, e, f, g, s in zip(
            scores, w2, w5, w12, inside, distance, after_title, is_title, shapes, strict=True
        )
    ]


@dataclass(slots=True)
class Page:
    """A page's lines described for the model and the chrome rules."""

    texts: list[str]
    shapes: list[LineShape]
    categories: list[str | None]
    endings: list[str | None]
    title: int | None
    features: list[list[float]]
    chrome: list[bool]


class LineFacts:
    """What a line's text alone tells (its shape, lexicon categories, folded forms).

    Kept by text between passes over a page, so that later passes pay only for what
    depends on the neighbours. `fold` is the text casefolded (repeated lines are found
    by it, and the lexicon screens read it).
    """

    __slots__ = ("_key", "category", "ending", "fold", "shape", "text")

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        s = shape(text)
        short = s.words <= _LEXICON_MAX_WORDS
        fold = text.casefold()
        self.text = text
        self.shape = s
        self.fold = fold
        self.category = lexicon.block_category(text, fold) if short else None
        self.ending = lexicon.ending_category(text, fold) if short else None
        self._key: str | None = None

    @property
    def key(self) -> str:
        """The casefolded words joined by single spaces (headline copies are found by it)."""
        if self._key is None:
            text = self.text
            if text.isascii():
                # casefolding ASCII only lowers letters: the same words, lowered
                self._key = " ".join(self.shape.tokens).lower()
            else:
                self._key = " ".join(words(self.fold))
        return self._key


def line_facts(
    texts: Sequence[str], lexicon: Lexicon, cache: dict[str, LineFacts] | None = None
) -> list[LineFacts]:
    """The facts of each line, taken from `cache` (by text) where known."""
    facts = cache if cache is not None else {}
    out = []
    for text in texts:
        known = facts.get(text)
        if known is None:
            known = facts[text] = LineFacts(text, lexicon)
        out.append(known)
    return out


def describe(
    texts: Sequence[str],
    grouped: Sequence[bool],
    lexicon: Lexicon,
    cache: dict[str, LineFacts] | None = None,
    facts: Sequence[LineFacts] | None = None,
) -> Page:
    """Shapes, lexicon categories, the headline and the stage-one features of `texts`.

    `cache` keeps each line's own facts (shape, lexicon categories) between passes over
    the same page, so that later passes pay only for the features that depend on context;
    `facts`: those of `texts`, when the caller has them already.
    """
    if facts is None:
        facts = line_facts(texts, lexicon, cache)
    shapes = [f.shape for f in facts]
    categories = [f.category for f in facts]
    endings = [f.ending for f in facts]
    title = find_title(texts, shapes, [f.key for f in facts])
    chrome = [c is not None for c in categories]
    features = line_features(
        texts,
        grouped,
        lexicon.function_words,
        chrome,
        title,
        shapes,
        [e is not None for e in endings],
        [f.fold for f in facts],
        search_title=False,
    )
    return Page(list(texts), shapes, categories, endings, title, features, chrome)


def page_scores(page: Page, model: LineModel) -> list[float]:
    """The model's final log-odds that each line belongs to the article."""
    scores = model.line_scores(page.features)
    for weights in model.context_weights:
        rows = context_features(scores, page.shapes, page.title, page.chrome)
        scores = model.context_scores(weights, rows)
    return scores
