"""Feature rows of a page's blocks: one code path for training and for cleaning.

Three groups, each a pure function of the page's blocks:

- a block's own text (`own_row`): length, shape, punctuation, function-word density,
  the lexicon category its start or ending names, date, breadcrumb and caption shapes;
- its place on the page (`page_matrix`): position, share of the page's text before it,
  repetition, likeness to the page's headline, and the same evidence averaged over
  windows of neighbours before and after it (prose comes in runs, chrome in bands);
- for HTML, what the DOM says (`dom.DomBlock`): tag, ancestors, class and id names,
  link density, and the text density of its container.

Rows are computed once per distinct text (pages of one site repeat their chrome) and
the context columns over the whole page at once with numpy.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import regex

from .. import lexicons
from ..cleaners import chrome
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
_SENTENCE_END = regex.compile(r"[.!?…。！？][\"”’»)]?\s+[\p{Lu}\p{Lo}\"“«]")
_SEPARATORS = re.compile(r"\s[|»›•·/–—>]\s|\s?[|»›•]\s?")
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
    return TOKEN.findall(text)


def own_row(text: str) -> list[float]:
    """The features of a block's own text (`OWN_NAMES`, in order)."""
    lex = lexicon()
    toks = tokens(text)
    n_words = len(toks)
    n_chars = len(text)
    letters = sum(map(str.isalpha, text))
    digits = sum(map(str.isdigit, text))
    upper = sum(map(str.isupper, text))
    spaces = text.count(" ")
    punct = max(0, n_chars - letters - digits - spaces)
    cjk = 0 if text.isascii() else sum(1 for t in toks if len(t) == 1 and not t.isascii())
    last = text[-1] if text else ""
    first = text[0] if text else ""
    firsts = "".join(t[0] for t in toks)
    alpha_words = sum(map(str.isalpha, firsts))
    title_case = sum(map(str.isupper, firsts))
    fold = text.casefold()
    function = sum(map(lex.function_words.__contains__, tokens(fold)))
    row = [
        math.log1p(n_words),
        math.log1p(n_chars),
        (sum(len(t) for t in toks) / n_words) if n_words else 0.0,
        letters / max(1, n_chars),
        digits / max(1, n_chars),
        upper / max(1, letters),
        punct / max(1, n_chars),
        float(last in _TERMINAL),
        float(last == ":"),
        float(last in ",;-–"),
        float(min(10, len(_SENTENCE_END.findall(text)))),
        text.count(",") / max(1, n_words),
        float(first.islower()),
        float(first in _BULLETS or (first.isdigit() and text[1:3].startswith((". ", ") ")))),
        float(min(10, len(_SEPARATORS.findall(text)))),
        title_case / max(1, alpha_words),
        function / max(1, n_words),
        float(_URL.search(text) is not None),
        float("©" in text or "copyright" in fold),
        float(_CLOCK.search(text) is not None),
        float(_YEAR.search(text) is not None),
        float(any(c in _QUOTES for c in text)),
        float(chrome.breadcrumb(text)),
        float(chrome.timestamp(text)),
        float(chrome.image_file(text)),
        cjk / max(1, n_words),
    ]
    short = n_words <= _LEXICON_MAX_WORDS
    block = lex.block_category(text, fold) if short else None
    ending = lex.ending_category(text, fold) if short else None
    row.extend(float(block == c) for c in BLOCK_CATEGORIES)
    row.extend(float(ending == c) for c in ENDING_CATEGORIES)
    return row


# Columns of the own rows that are averaged over windows of neighbours.
_WINDOW_COLUMNS = tuple(
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


def window_mean(values: np.ndarray, radius: int, side: str = "both") -> np.ndarray:
    """Mean of `values` over the `radius` blocks before and/or after each block (not itself).

    Blocks past the page's edge do not count; a block with no neighbour on the side
    asked for gets 0.
    """
    n = values.shape[0]
    csum = np.concatenate(([0.0], np.cumsum(values, dtype=np.float64)))
    idx = np.arange(n)
    lo_b = np.maximum(0, idx - radius)
    hi_a = np.minimum(n, idx + 1 + radius)
    before = csum[idx] - csum[lo_b]
    after = csum[hi_a] - csum[idx + 1]
    n_before = idx - lo_b
    n_after = hi_a - idx - 1
    if side == "before":
        total, count = before, n_before
    elif side == "after":
        total, count = after, n_after
    else:
        total, count = before + after, n_before + n_after
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)


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


def page_matrix(texts: Sequence[str], own: np.ndarray, headline: str | None = None) -> np.ndarray:
    """The page columns (`PAGE_NAMES`) of each block, from the blocks' own rows."""
    n = len(texts)
    words = np.expm1(own[:, 0])
    chars = np.expm1(own[:, 1])
    total_chars = max(1.0, float(chars.sum()))
    idx = np.arange(n, dtype=np.float64)
    keys = [" ".join(t.casefold().split()) for t in texts]
    counts = Counter(keys)
    head = set(tokens(headline.casefold())) if headline else set()
    if not head and texts:
        head = set(tokens(texts[0].casefold()))
    overlap = np.array(
        [(len(head & set(tokens(k))) / max(1, len(set(tokens(k))))) if head else 0.0 for k in keys]
    )
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
    for r in _RADII:
        for c in _WINDOW_COLUMNS:
            cols.append(window_mean(own[:, c], r))
    for side in ("before", "after"):
        for r in _RADII[1:]:
            for c in _WINDOW_COLUMNS[:2]:
                cols.append(window_mean(own[:, c], r, side))
    # how many comment, related and chrome lines come before and after (sections)
    chrome_lines = own[:, _LEXICON_COLUMNS].max(axis=1) if n else np.zeros(0)
    flags = (own[:, _COMMENTS], own[:, _RELATED], chrome_lines)
    for flag in flags:
        cols.append(np.log1p(np.cumsum(flag) - flag))
    for flag in flags:
        cols.append(np.log1p(np.cumsum(flag[::-1])[::-1] - flag))
    return np.column_stack(cols) if n else np.zeros((0, len(PAGE_NAMES)))


class RowCache:
    """Own rows by text, bounded: a site's chrome lines repeat across its pages."""

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self.rows: dict[str, list[float]] = {}

    def __call__(self, text: str) -> list[float]:
        row = self.rows.get(text)
        if row is None:
            if len(self.rows) >= self.limit:
                self.rows.clear()
            row = self.rows[text] = own_row(text)
        return row

    def clear(self) -> None:
        self.rows.clear()


def text_matrix(
    texts: Sequence[str], headline: str | None = None, cache: RowCache | None = None
) -> np.ndarray:
    """Own and page columns of every block: the text model's input."""
    rows = [cache(t) if cache is not None else own_row(t) for t in texts]
    own = np.array(rows, dtype=np.float64).reshape(len(texts), len(OWN_NAMES))
    return np.hstack((own, page_matrix(texts, own, headline)))


TEXT_NAMES = (*OWN_NAMES, *PAGE_NAMES)


def html_matrix(
    blocks: list[dom.DomBlock],
    parents: list[int],
    title: str | None,
    cache: RowCache | None = None,
) -> np.ndarray:
    """Text and DOM columns of an HTML page's blocks: the HTML model's input."""
    texts = [b.text for b in blocks]
    x = text_matrix(texts, title, cache)
    words = np.expm1(x[:, 0]) if len(texts) else np.zeros(0)
    return np.hstack((x, dom.dom_matrix(blocks, parents, words)))
