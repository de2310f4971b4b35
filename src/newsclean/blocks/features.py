"""Feature rows of a page's blocks: one code path for training and for cleaning.

Three groups, each a pure function of the page's blocks:

- a block's own text (`own_matrix`): length, shape, punctuation, function-word density,
  the lexicon category its start or ending names, date, breadcrumb and caption shapes;
- its place on the page (`page_matrix`): position, share of the page's text before it,
  repetition, likeness to the page's headline, and the same evidence averaged over
  windows of neighbours before and after it (prose comes in runs, chrome in bands);
- for HTML, what the DOM says (`dom.DomBlock`): tag, ancestors, class and id names,
  link density, and the text density of its container.

Every column is computed over the whole page at once with numpy; only what needs a
line's own text is worked out line by line, once per distinct text (`TextMemo`: pages of
one site repeat their chrome, and the strip step reads a page twice).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import regex

from .. import lexicons
from ..cleaners import chrome, region
from . import dom

BLOCK_CATEGORIES = (
    "advert",
    "byline",
    "caption",
    "comments",
    "cookie",
    "footer",
    "navigation",
    "newsletter",
    "notice",
    "reading",
    "related",
    "share",
    "subscription",
    "timestamp",
)
ENDING_CATEGORIES = ("caption", "comments", "cookie", "newsletter", "promo")

# Tokens as the benchmarks count them: \w runs, each CJK character a token of its own.
_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"
TOKEN = regex.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_ASCII_TOKEN = re.compile(r"\w+", re.ASCII)
# Every character of `_CJK` lies in these ranges (a test checks it): text with none of
# them tokenises as plain \w runs, which `region.words` finds faster.
_MAYBE_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97c\uac00-\ud7fb\uf900-\ufad9\uff66-\uffdc"
    "\U00016fe2-\U00016ff6\U0001aff0-\U0001b168\U0001f200\U00020000-\U00033479]"
)
_SENTENCE_END = regex.compile(r"[.!?…。！？][\"”’»)]?\s+[\p{Lu}\p{Lo}\"“«]")
_SEPARATORS = re.compile(r"\s[|»›•·/–—>]\s|\s?[|»›•]\s?")
_SEPARATOR_CHARS = frozenset("|»›•·/–—>")  # a line without one has no `_SEPARATORS`
_URL = re.compile(r"https?://|www\.|\S@\S+\.\w", re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}[:h]\d{2}\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_QUOTES = frozenset('"“”«»„')
_TERMINAL = frozenset('.!?…。！？"”’»)')
_BULLETS = frozenset("-–—•*·▪►✓>")
# a line this long is never looked up in the lexicons (their phrases are short)
_LEXICON_MAX_WORDS = 40

OWN_NAMES = (
    "log_words",
    "log_chars",
    "mean_word_len",
    "alpha_share",
    "digit_share",
    "upper_share",
    "punct_share",
    "ends_terminal",
    "ends_colon",
    "ends_comma",
    "sentence_ends",
    "commas_per_word",
    "starts_lower",
    "starts_bullet",
    "separators",
    "titlecase_share",
    "function_share",
    "has_url",
    "has_copyright",
    "has_clock",
    "has_year",
    "has_quote",
    "breadcrumb",
    "timestamp",
    "image_file",
    "cjk_share",
    *(f"lex_{c}" for c in BLOCK_CATEGORIES),
    *(f"end_{c}" for c in ENDING_CATEGORIES),
)


@lru_cache(maxsize=1)
def lexicon() -> lexicons.Lexicon:
    """Every shipped language's chrome phrases and function words."""
    return lexicons.load()


def tokens(text: str) -> list[str]:
    """The benchmark tokens of `text`."""
    if text.isascii():
        return _ASCII_TOKEN.findall(text)
    if _MAYBE_CJK.search(text) is None:
        return region.words(text)  # no CJK character: the tokens are the \w runs
    return TOKEN.findall(text)


class _CharClasses:
    """Per code point bits (letter, digit, upper, lower, word, CJK, quote, separator), as
    Python's `str` methods and the token pattern read each character; filled in as
    characters are first seen, so a page costs a few array look-ups."""

    ALPHA, DIGIT, UPPER, LOWER, WORD, CJK, QUOTE, SEPARATOR, KNOWN = (1 << b for b in range(9))
    _WORD = regex.compile(r"\w")
    _CJK_CHAR = regex.compile(f"[{_CJK}]")

    def __init__(self) -> None:
        self.table = np.zeros(0x110000, dtype=np.uint16)

    def of(self, points: np.ndarray) -> np.ndarray:
        """The bits of each code point in `points`."""
        bits: np.ndarray = self.table[points]
        unknown = points[(bits & self.KNOWN) == 0]
        if unknown.size:
            for point in np.unique(unknown).tolist():
                self.table[point] = self._bits(chr(point))
            bits = self.table[points]
        return bits

    def _bits(self, ch: str) -> int:
        return (
            self.KNOWN
            | self.ALPHA * ch.isalpha()
            | self.DIGIT * ch.isdigit()
            | self.UPPER * ch.isupper()
            | self.LOWER * ch.islower()
            | self.WORD * (self._WORD.match(ch) is not None)
            | self.CJK * (self._CJK_CHAR.match(ch) is not None)
            | self.QUOTE * (ch in _QUOTES)
            | self.SEPARATOR * (ch in _SEPARATOR_CHARS)
        )


_CLASSES = _CharClasses()


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@dataclass(frozen=True)
class _Tokens:
    """The benchmark tokens of a joined page (`TOKEN`), as arrays: where each starts
    and how long it is."""

    starts: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, bits: np.ndarray) -> _Tokens:
        # a CJK character is a token of its own; other word characters make runs
        cjk = (bits & _CharClasses.CJK) != 0
        run = ((bits & _CharClasses.WORD) != 0) & ~cjk
        before = np.concatenate(([False], run[:-1]))
        after = np.concatenate((run[1:], [False]))
        run_starts = np.flatnonzero(run & ~before)
        run_ends = np.flatnonzero(run & ~after)
        cjk_at = np.flatnonzero(cjk)
        starts = np.concatenate((run_starts, cjk_at))
        lengths = np.concatenate((run_ends - run_starts + 1, np.ones(cjk_at.size, np.intp)))
        order = np.argsort(starts, kind="stable")
        return cls(starts[order], lengths[order])


class _Joined:
    """A page's lines joined by one separator, with the line of each character."""

    def __init__(self, texts: Sequence[str], separator: str) -> None:
        self.texts = texts
        self.separator = separator
        self.text = separator.join(texts)
        lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
        self.lengths = lengths
        self.line_of = np.repeat(np.arange(len(texts)), lengths + 1)[: len(self.text)]

    def count(self, positions: np.ndarray) -> np.ndarray:
        """How many of `positions` fall in each line."""
        n = self.lengths.shape[0]
        return np.bincount(self.line_of[positions], minlength=n).astype(np.float64)

    def count_bits(self, bits: np.ndarray, flag: int) -> np.ndarray:
        """How many characters of each line have `flag` among their `bits`."""
        n = self.lengths.shape[0]
        return np.bincount(self.line_of, (bits & flag) != 0, minlength=n)

    def matches(self, pattern: re.Pattern[str] | regex.Pattern[str]) -> np.ndarray:
        """Matches of `pattern` per line (the separator stops every match at the line's
        edge, so each line counts what it would alone)."""
        starts = np.fromiter((m.start() for m in pattern.finditer(self.text)), dtype=np.intp)
        return self.count(starts)

    def matches_in(
        self,
        candidates: np.ndarray,
        *patterns: re.Pattern[str] | regex.Pattern[str],
        separator: str | None = None,
    ) -> list[np.ndarray]:
        """`matches` of each pattern, run only over the lines flagged in `candidates` (the
        others are known to have none), joined by `separator` if given."""
        outs = [np.zeros(self.lengths.shape[0]) for _ in patterns]
        lines = np.flatnonzero(candidates)
        if lines.size:
            some = _Joined([self.texts[i] for i in lines.tolist()], separator or self.separator)
            for out, pattern in zip(outs, patterns, strict=True):
                out[lines] = some.matches(pattern)
        return outs


# The own columns that depend on the line's text alone, not on counts over its characters
# or tokens: worked out once per distinct text (`TextMemo`).
_SINGLE_NAMES = (
    "ends_terminal",
    "ends_colon",
    "ends_comma",
    "starts_lower",
    "starts_bullet",
    "has_copyright",
    "breadcrumb",
    "timestamp",
    "image_file",
    *(f"lex_{c}" for c in BLOCK_CATEGORIES),
    *(f"end_{c}" for c in ENDING_CATEGORIES),
)
_SINGLE_COLUMNS = [OWN_NAMES.index(n) for n in _SINGLE_NAMES]


# A line's lexicon categories (block, ending), when the caller has looked them up.
Categories = tuple[str | None, str | None]


def _single(text: str, fold: str, n_words: int, known: Categories | None) -> tuple[float, ...]:
    """The `_SINGLE_NAMES` columns of one line."""
    last = text[-1] if text else ""
    first = text[0] if text else ""
    block = ending = None
    if n_words <= _LEXICON_MAX_WORDS:
        if known is None:
            lex = lexicon()
            known = lex.block_category(text, fold), lex.ending_category(text, fold)
        block, ending = known
    return (
        float(last in _TERMINAL),
        float(last == ":"),
        float(last in ",;-–"),
        float(first.islower()),
        float(first in _BULLETS or (first.isdigit() and text[1:3].startswith((". ", ") ")))),
        float("©" in text or "copyright" in fold),
        float(chrome.breadcrumb(text)),
        float(chrome.timestamp(text)),
        float(chrome.image_file(text)),
        *_one_hot(BLOCK_CATEGORIES, block),
        *_one_hot(ENDING_CATEGORIES, ending),
    )


@lru_cache(maxsize=64)
def _one_hot(categories: tuple[str, ...], category: str | None) -> tuple[float, ...]:
    """1.0 in the place of `category` among `categories`, 0.0 elsewhere (all 0.0 for None
    or a category not among them)."""
    return tuple(float(category == c) for c in categories)


class LineText:
    """What a line's text alone gives, worked out once per distinct text: its
    casefolded form and key, the `_SINGLE_NAMES` columns, how many of its casefolded
    tokens are function words, and the set of those tokens (headline overlap)."""

    __slots__ = ("fold", "function_words", "key", "singles", "token_set")

    def __init__(self, text: str, n_words: int, categories: Categories | None) -> None:
        fold = text.casefold()
        folded_tokens = tokens(fold)
        self.fold = fold
        self.key = " ".join(fold.split())
        self.singles = _single(text, fold, n_words, categories)
        self.function_words = sum(map(lexicon().function_words.__contains__, folded_tokens))
        self.token_set = frozenset(folded_tokens)


class TextMemo:
    """`LineText`s kept by text and bounded: a site's chrome lines repeat across its
    pages, and a page's lines across the passes over it. At most `limit` texts are
    kept (all are forgotten when it is reached), and only texts of at most `max_chars`
    characters when that is given."""

    def __init__(self, limit: int = 20_000, max_chars: int | None = None) -> None:
        self.limit = limit
        self.max_chars = max_chars
        self.known: dict[str, LineText] = {}

    def get(self, text: str, n_words: int, categories: Categories | None = None) -> LineText:
        known = self.known.get(text)
        if known is None:
            known = LineText(text, n_words, categories)
            if self.max_chars is None or len(text) <= self.max_chars:
                if len(self.known) >= self.limit:
                    self.known.clear()
                self.known[text] = known
        return known

    def clear(self) -> None:
        self.known.clear()


def _maybe_url(texts: Sequence[str], lines: Sequence[LineText]) -> np.ndarray:
    """The lines where `_URL` can match (each of its branches needs `://`, an `@` or
    `www.` in some case)."""
    return np.fromiter(
        (
            "://" in text or "@" in text or "www." in line.fold
            for text, line in zip(texts, lines, strict=True)
        ),
        dtype=bool,
        count=len(texts),
    )


def _log1p(values: np.ndarray) -> np.ndarray:
    """log(1 + v) as `math.log1p` gives it (numpy's can differ in the last bit, and the
    trees' thresholds were learned on these values)."""
    return np.fromiter(map(math.log1p, values.tolist()), dtype=np.float64, count=len(values))


def _column(name: str) -> int:
    return OWN_NAMES.index(name)


def own_matrix(
    texts: Sequence[str],
    memo: TextMemo | None = None,
    categories: Sequence[Categories | None] | None = None,
) -> np.ndarray:
    """The features of each block's own text (`OWN_NAMES`), over the whole page at once:
    the characters' classes and the tokens come from array look-ups over the joined
    page, the patterns run once over it, and only what needs a line's whole text
    (its ends, lexicon phrases, breadcrumb and date shapes, function words) is worked
    out line by line, once per distinct text (`memo`). `categories`: each line's lexicon
    categories where the caller has them (`Lexicon.block_category` and
    `ending_category` of the line and its casefolded form), so that they are not looked
    up twice."""
    return _own_matrix(texts, memo or TextMemo(), categories)[0]


def _own_matrix(
    texts: Sequence[str], memo: TextMemo, categories: Sequence[Categories | None] | None
) -> tuple[np.ndarray, list[LineText]]:
    """`own_matrix`, and the `LineText` of each line."""
    n = len(texts)
    out = np.zeros((n, len(OWN_NAMES)))
    if n == 0:
        return out, []
    page = _Joined(texts, "\x00")
    points = _code_points(page.text)
    bits = _CLASSES.of(points)
    toks = _Tokens.of(bits)
    token_line = page.line_of[toks.starts]
    n_words = np.bincount(token_line, minlength=n).astype(np.float64)
    first_bits = bits[toks.starts]
    known = categories if categories is not None else [None] * n
    lines = [memo.get(t, int(w), c) for t, w, c in zip(texts, n_words.tolist(), known, strict=True)]
    function_words = np.fromiter((line.function_words for line in lines), np.float64, n)
    chars = page.lengths.astype(np.float64)
    letters = page.count_bits(bits, _CharClasses.ALPHA)
    digits = page.count_bits(bits, _CharClasses.DIGIT)
    upper = page.count_bits(bits, _CharClasses.UPPER)
    separators = page.count_bits(bits, _CharClasses.SEPARATOR)
    spaces = page.count(np.flatnonzero(points == 32))
    commas = page.count(np.flatnonzero(points == 44))
    punct = np.maximum(0.0, chars - letters - digits - spaces)
    single_cjk = (toks.lengths == 1) & (points[toks.starts] > 127)
    words = np.maximum(1.0, n_words)
    (separator_runs,) = page.matches_in(separators > 0, _SEPARATORS)
    # URLs need a white space between lines
    (urls,) = page.matches_in(_maybe_url(texts, lines), _URL, separator="\n")
    clocks, years = page.matches_in(digits > 0, _CLOCK, _YEAR)
    columns = {
        "log_words": _log1p(n_words),
        "log_chars": _log1p(chars),
        "mean_word_len": np.bincount(token_line, toks.lengths, minlength=n) / words,
        "alpha_share": letters / np.maximum(1.0, chars),
        "digit_share": digits / np.maximum(1.0, chars),
        "upper_share": upper / np.maximum(1.0, letters),
        "punct_share": punct / np.maximum(1.0, chars),
        "sentence_ends": np.minimum(10.0, page.matches(_SENTENCE_END)),
        "commas_per_word": commas / words,
        "separators": np.minimum(10.0, separator_runs),
        "titlecase_share": np.bincount(
            token_line, (first_bits & _CharClasses.UPPER) != 0, minlength=n
        )
        / np.maximum(
            1.0, np.bincount(token_line, (first_bits & _CharClasses.ALPHA) != 0, minlength=n)
        ),
        "function_share": function_words / words,
        "has_url": urls > 0,
        "has_clock": clocks > 0,
        "has_year": years > 0,
        "has_quote": page.count_bits(bits, _CharClasses.QUOTE) > 0,
        "cjk_share": np.bincount(token_line, single_cjk, minlength=n) / words,
    }
    for name, values in columns.items():
        out[:, _column(name)] = values
    out[:, _SINGLE_COLUMNS] = np.array([line.singles for line in lines])
    return out, lines


# Columns of the own rows that are averaged over windows of neighbours.
_WINDOW_COLUMNS = list(
    OWN_NAMES.index(n)
    for n in ("log_words", "ends_terminal", "function_share", "sentence_ends", "titlecase_share")
)
_RADII = (1, 3, 8)

PAGE_NAMES = (
    "position",
    "text_before",
    "log_blocks",
    "log_page_words",
    "words_to_max",
    "repeats",
    "headline_overlap",
    "prose_before",
    "prose_after",
    "log_gap_prose_before",
    "log_gap_prose_after",
    *(f"prev_{OWN_NAMES[c]}" for c in _WINDOW_COLUMNS),
    *(f"next_{OWN_NAMES[c]}" for c in _WINDOW_COLUMNS),
    *(f"win{r}_{OWN_NAMES[c]}" for r in _RADII for c in _WINDOW_COLUMNS),
    *(f"before{r}_{OWN_NAMES[c]}" for r in _RADII[1:] for c in _WINDOW_COLUMNS[:2]),
    *(f"after{r}_{OWN_NAMES[c]}" for r in _RADII[1:] for c in _WINDOW_COLUMNS[:2]),
    *(f"{c}_before" for c in ("comments", "related", "chrome")),
    *(f"{c}_after" for c in ("comments", "related", "chrome")),
)
_COMMENTS = OWN_NAMES.index("lex_comments")
_RELATED = OWN_NAMES.index("lex_related")
_LEXICON_COLUMNS = slice(OWN_NAMES.index(f"lex_{BLOCK_CATEGORIES[0]}"), len(OWN_NAMES))
# A block this long with a sentence ending is prose for the context columns.
_PROSE_WORDS = 15


def window_means(values: np.ndarray, radii: Sequence[int], side: str = "both") -> np.ndarray:
    """Mean of `values` over the `radius` blocks before and/or after each block (not
    itself), for each radius in `radii`: blocks × radii (× columns when `values` has
    several). Blocks past the page's edge do not count; a block with no neighbour on the
    side asked for gets 0."""
    n = values.shape[0]
    zero = np.zeros((1, *values.shape[1:]))
    csum = np.concatenate((zero, np.cumsum(values, axis=0, dtype=np.float64)))
    idx = np.arange(n)[:, None]
    reach = np.asarray(radii)[None, :]
    lo_b = np.maximum(0, idx - reach)
    hi_a = np.minimum(n, idx + 1 + reach)
    n_before = idx - lo_b
    n_after = hi_a - idx - 1
    if side == "before":
        total, count = csum[idx] - csum[lo_b], n_before
    elif side == "after":
        total, count = csum[hi_a] - csum[idx + 1], n_after
    else:
        total = (csum[idx] - csum[lo_b]) + (csum[hi_a] - csum[idx + 1])
        count = n_before + n_after
    if values.ndim == 2:
        count = count[:, :, None]
    means: np.ndarray = np.where(count > 0, total / np.maximum(count, 1), 0.0)
    return means


def _gap_to(flags: np.ndarray, reverse: bool) -> np.ndarray:
    """Blocks from each block to the nearest flagged one before it (after it if `reverse`)."""
    n = flags.shape[0]
    idx = np.arange(n)
    if reverse:
        marked = np.where(flags, idx, n + n)
        nearest = np.minimum.accumulate(marked[::-1])[::-1]
        shifted = np.concatenate((nearest[1:], [n + n]))
        gap: np.ndarray = np.minimum(shifted - idx, n)
        return gap
    marked = np.where(flags, idx, -n - n)
    nearest = np.maximum.accumulate(marked)
    shifted = np.concatenate(([-n - n], nearest[:-1]))
    gap = np.minimum(idx - shifted, n)
    return gap


def page_matrix(
    texts: Sequence[str], own: np.ndarray, lines: Sequence[LineText], headline: str | None
) -> np.ndarray:
    """The page columns (`PAGE_NAMES`) of each block, from the blocks' own rows and
    `LineText`s."""
    n = len(texts)
    words = np.expm1(own[:, 0])
    chars = np.expm1(own[:, 1])
    total_chars = max(1.0, float(chars.sum()))
    idx = np.arange(n, dtype=np.float64)
    keys = [line.key for line in lines]
    counts = Counter(keys)
    head = set(tokens(headline.casefold())) if headline else set()
    if not head and texts:
        head = set(lines[0].token_set)
    overlap = np.zeros(n)
    if head:
        for i, line in enumerate(lines):
            overlap[i] = len(head & line.token_set) / max(1, len(line.token_set))
    prose = (words >= _PROSE_WORDS) & (own[:, OWN_NAMES.index("ends_terminal")] > 0)
    prose_words = np.where(prose, words, 0.0)
    csum_prose = np.cumsum(prose_words)
    total_prose = max(1.0, float(prose_words.sum()))
    cols = [
        idx / max(1, n - 1),
        (np.cumsum(chars) - chars) / total_chars,
        np.full(n, math.log1p(n)),
        np.full(n, math.log1p(float(words.sum()))),
        words / max(1.0, float(words.max()) if n else 1.0),
        np.log1p(np.array([counts[k] - 1 for k in keys], dtype=np.float64)),
        overlap,
        (csum_prose - prose_words) / total_prose,
        (total_prose - csum_prose) / total_prose,
        np.log1p(_gap_to(prose, reverse=False)),
        np.log1p(_gap_to(prose, reverse=True)),
    ]
    for c in _WINDOW_COLUMNS:
        col = own[:, c]
        cols.append(np.concatenate(([0.0], col[:-1])) if n else col)
    for c in _WINDOW_COLUMNS:
        col = own[:, c]
        cols.append(np.concatenate((col[1:], [0.0])) if n else col)
    windowed = own[:, _WINDOW_COLUMNS]
    width = len(_WINDOW_COLUMNS)
    cols.extend(window_means(windowed, _RADII).reshape(n, len(_RADII) * width).T)
    for side in ("before", "after"):
        means = window_means(windowed[:, :2], _RADII[1:], side)
        cols.extend(means.reshape(n, (len(_RADII) - 1) * 2).T)
    # how many comment, related and chrome lines come before and after (sections)
    chrome_lines = own[:, _LEXICON_COLUMNS].max(axis=1) if n else np.zeros(0)
    flags = (own[:, _COMMENTS], own[:, _RELATED], chrome_lines)
    for flag in flags:
        cols.append(np.log1p(np.cumsum(flag) - flag))
    for flag in flags:
        cols.append(np.log1p(np.cumsum(flag[::-1])[::-1] - flag))
    return np.column_stack(cols) if n else np.zeros((0, len(PAGE_NAMES)))


def text_matrix(
    texts: Sequence[str],
    headline: str | None = None,
    memo: TextMemo | None = None,
    categories: Sequence[Categories | None] | None = None,
) -> np.ndarray:
    """Own and page columns of every block: the text model's input (`categories`: see
    `own_matrix`)."""
    own, lines = _own_matrix(texts, memo or TextMemo(), categories)
    return np.hstack((own, page_matrix(texts, own, lines, headline)))


TEXT_NAMES = (*OWN_NAMES, *PAGE_NAMES)


def html_matrix(
    blocks: list[dom.DomBlock],
    parents: list[int],
    title: str | None,
    memo: TextMemo | None = None,
) -> np.ndarray:
    """Text and DOM columns of an HTML page's blocks: the HTML model's input."""
    texts = [b.text for b in blocks]
    x = text_matrix(texts, title, memo)
    words = np.expm1(x[:, 0]) if len(texts) else np.zeros(0)
    return np.hstack((x, dom.dom_matrix(blocks, parents, words)))
