"""The category a reader would give a dropped block: the reason shown in the report.

The block model decides whether a block is article text; this module names what a
dropped block is. Evidence in order of confidence: a lexicon phrase or a shape rule
(breadcrumb, timestamp, image file name) in the block's own text; then, for HTML, the
names its ancestors carry (class, id, role) and the landmark elements that hold it;
then its place on the page (above the article: header or navigation; below it:
related links or footer).
"""

from __future__ import annotations

from functools import lru_cache

from ..cleaners import chrome
from . import dom
from .features import lexicon, tokens

# DOM marker → category, in order of precedence (the first that applies names the block).
_MARKER_CATEGORIES = (
    ("cookie", "cookie"),
    ("newsletter", "newsletter"),
    ("comments", "comments"),
    ("share", "share"),
    ("related", "related"),
    ("advert", "advert"),
    ("caption", "caption"),
    ("byline", "byline"),
    ("tags", "tags"),
    ("nav", "navigation"),
    ("footer", "footer"),
    ("header", "header"),
    ("search", "form"),
    ("sidebar", "sidebar"),
    ("hidden", "hidden"),
)
_MARKER_BIT = {name: 1 << i for i, name in enumerate(dom.MARKER_NAMES)}
_LANDMARK_BIT = {name: 1 << i for i, name in enumerate(dom.LANDMARKS)}
_LANDMARK_CATEGORIES = (
    ("nav", "navigation"),
    ("footer", "footer"),
    ("header", "header"),
    ("aside", "sidebar"),
    ("form", "form"),
    ("figure", "caption"),
)
# The same precedence as (bit, category) pairs, and the bits that name anything.
_MARKER_ORDER = tuple((_MARKER_BIT[marker], category) for marker, category in _MARKER_CATEGORIES)
_LANDMARK_ORDER = tuple(
    (_LANDMARK_BIT[landmark], category) for landmark, category in _LANDMARK_CATEGORIES
)
_MARKERS_NAMED = sum(bit for bit, _ in _MARKER_ORDER)
_LANDMARKS_NAMED = sum(bit for bit, _ in _LANDMARK_ORDER)
_SHORT = 40
# Block texts remembered with their category: chrome lines recur on a site's pages and
# a block is asked twice (gap filling, then naming). At most this many texts of at most
# this many characters, so the memory stays a few megabytes.
_REMEMBERED = 16_384
_REMEMBERED_CHARS = 200


def text_category(text: str) -> str | None:
    """The category a block's own text names, if any (a short text's remembered)."""
    if len(text) <= _REMEMBERED_CHARS:
        return _remembered_category(text)
    return _text_category(text)


def _text_category(text: str) -> str | None:
    """The category a block's own text names: a lexicon phrase, else a shape rule."""
    words = len(tokens(text))
    if words <= _SHORT:
        lex = lexicon()
        fold = text.casefold()
        category = lex.block_category(text, fold)
        if category:
            return category
    if chrome.breadcrumb(text):
        return "breadcrumb"
    if chrome.timestamp(text):
        return "timestamp"
    if chrome.image_file(text):
        return "caption"
    return None


_remembered_category = lru_cache(maxsize=_REMEMBERED)(_text_category)


def forget() -> None:
    """Drop the remembered block texts (memory only: answers never change)."""
    _remembered_category.cache_clear()


def _first(bits: int, ordered: tuple[tuple[int, str], ...]) -> str | None:
    """The category of the first (bit, category) pair whose bit is set in `bits`."""
    for bit, category in ordered:
        if bits & bit:
            return category
    return None


def dom_category(block: dom.DomBlock) -> str | None:
    """The category the block's DOM names: its ancestors' class/id/role, its landmarks.

    Most blocks carry none of the named bits, which one mask test per field finds."""
    if block.tag in ("figcaption", "caption"):
        return "caption"
    local = block.local_markers & _MARKERS_NAMED
    if local:
        return _first(local, _MARKER_ORDER)
    landmarks = block.landmarks & _LANDMARKS_NAMED
    if landmarks:
        return _first(landmarks, _LANDMARK_ORDER)
    markers = block.markers & _MARKERS_NAMED
    if markers:
        return _first(markers, _MARKER_ORDER)
    return None


def place_category(before_article: bool, after_article: bool, linked: bool, words: int) -> str:
    """The category of a block named by nothing but its place on the page."""
    if before_article:
        return "navigation" if linked or words <= 6 else "header"
    if after_article:
        return "related" if linked else "footer"
    return "navigation" if linked else "boilerplate"
