"""Chrome rules: which category of site furniture a line is, from its shape and context.

These rules describe classes of things, never a page's own words: a breadcrumb is a run
of short segments joined by » › > | ; a caption is a short line with no sentence
punctuation between two paragraphs; an inline promo teaser is a short run of lines
closed by a call to action. Phrases that are chrome in a given language live in the
lexicons (`newsclean/lexicons/*.toml`), not here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import regex

from .region import LineShape

# A breadcrumb is segments joined by » › > (or | between spaced segments); the
# separators split the line, and each piece is checked on its own, so the test is linear
# in the line (a regular expression over the same shape backtracked on long menus).
_CRUMB_SEPARATORS = re.compile("[»>|›]")
_TRAIL_SEPARATORS = re.compile("[»>›]")
_SPACE_CHAR = regex.compile(r"\s")


def _space(char: str) -> bool:
    """`char` is one white space as the patterns read it (`\\s`)."""
    return _SPACE_CHAR.fullmatch(char) is not None


# A trail of short sections joined by slashes (Home / World / Europe): three to six
# segments of one to four words, none closing like a sentence.
_SLASH_TRAIL = regex.compile(
    r"^(?:[^\s/.!?:;]+(?: [^\s/.!?:;]+){0,3} / ){2,5}[^\s/.!?:;]+(?: [^\s/.!?:;]+){0,3}$"
)
_TIME_ONLY = regex.compile(
    r"^(?:\p{L}{2,12}\.?,?\s)?(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}[:h]\d{2}(?:\s?[ap]\.?m\.?)?|\d{1,2}\.?\s\p{L}{3,12}\.?\s\d{4}|\p{L}{3,12}\.?\s\d{1,2},?\s\d{4})"
    r"(?:\s?[,|·–-]?\s?(?:\p{L}{1,4}\s)?\d{1,2}[:h.]\d{2}(?:\s?[ap]\.?m\.?)?(?:\s?\p{L}{1,4})?)?\W{0,2}$",
    regex.IGNORECASE,
)
# the characters that close a sentence or a quote (how a non-caption line ends)
_CLOSING = frozenset('.!?…:;"”’»)')
_ISO_TIME = regex.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
# The stems of the labels below, searched in casefolded text: a label matched without
# regard to case casefolds to its stem (faster to rule out than the pattern itself),
# but for a dotted capital I, which casefolds to an i and a combining dot.
_ADVERT_STEMS = re.compile(
    "|".join(
        stem.replace("i", "i\u0307?")
        for stem in ("advert", "publicit", "publicid", "pubblicit", "anzeige", "werbung")
    )
)
_INLINE_ADVERT = regex.compile(
    r"(?<=[.!?”\"]\s)(?:advertisement|advertising|publicité|anzeige|werbung|publicidad|"
    r"pubblicità|publicidade|advertentie)\s+(?=\p{Lu})",
    regex.IGNORECASE,
)


def breadcrumb(text: str) -> bool:
    """Short segments joined by breadcrumb separators (Home » World » Europe, Home / World)."""
    if len(text) > 400:
        return False
    if " / " in text and _SLASH_TRAIL.match(text) is not None:
        return True
    # both shapes need a separator: most lines are out at the cost of a few scans
    if "»" not in text and "›" not in text and ">" not in text and "|" not in text:
        return False
    return _spaced_trail(text) or _closed_trail(text)


def _spaced_trail(text: str) -> bool:
    """Two to twelve segments of 1–80 characters (no slash, no line feed), each followed
    by a white space, a separator and a white space, then up to 300 characters of tail."""
    pieces = _CRUMB_SEPARATORS.split(text)
    if not 3 <= len(pieces) <= 13:
        return False
    *segments, tail = pieces
    for i, piece in enumerate(segments):
        lead = 1 if i else 0  # the white space after the previous separator
        if len(piece) < lead + 2 or not _space(piece[-1]) or (lead and not _space(piece[0])):
            return False
        segment = piece[lead:-1]
        if len(segment) > 80 or "/" in segment or "\n" in segment:
            return False
    limit = 301 if tail.endswith("\n") else 300  # `$` also matches before a final line feed
    return _space(tail[:1]) and len(tail) - 1 <= limit


def _closed_trail(text: str) -> bool:
    """One to twelve segments of 1–60 characters (no line feed), each closed by » › or >
    with an optional white space on either side; nothing after the last but white space."""
    if "|" in text:
        return False
    pieces = _TRAIL_SEPARATORS.split(text)
    if not 2 <= len(pieces) <= 13:
        return False
    *segments, end = pieces
    if end not in ("", "\n") and not (_space(end[0]) and (len(end) == 1 or end[1:] == "\n")):
        return False
    return all(_trail_segment(piece, first=i == 0) for i, piece in enumerate(segments))


def _trail_segment(piece: str, first: bool) -> bool:
    """A segment of 1–60 characters without a line feed, after taking at most one white
    space from each end (the pattern's optional spaces around a separator)."""
    leads = (0,) if first or not _space(piece[:1]) else (0, 1)
    trails = (0, 1) if _space(piece[-1:]) else (0,)
    for lead in leads:
        for trail in trails:
            segment = piece[lead : len(piece) - trail]
            if 1 <= len(segment) <= 60 and "\n" not in segment:
                return True
    return False


# Every date or time matched above holds a digit (`\d`, which on ASCII text is [0-9]).
_ASCII_DIGIT = re.compile("[0-9]")


def timestamp(text: str) -> bool:
    """A line that is only a date and/or a time (machine-readable ones included)."""
    if len(text) > 60:
        return False
    if text.isascii() and _ASCII_DIGIT.search(text) is None:
        return False  # no digit: most short lines are out at the cost of one scan
    return _TIME_ONLY.match(text) is not None or _ISO_TIME.match(text) is not None


# An image's address or file name alone on a line, as scrapers leave them for pictures.
_SPACE = re.compile(r"\s")
_IMAGE_FILE = re.compile(r"\S+\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)(?:\?\S*)?", re.IGNORECASE)


def image_file(text: str) -> bool:
    """The line is only an image's address or file name (`photo-1234.jpg`)."""
    # no white space at all (not only no space): with a line feed in the text, the
    # match failed only after trying every `.jpg?` in it to the end, n² steps
    return "." in text and _SPACE.search(text) is None and _IMAGE_FILE.fullmatch(text) is not None


def _closed(text: str) -> bool:
    """The line ends in sentence or quote punctuation (before one final line feed at
    most, as `$` reads the end)."""
    end = text[:-1] if text.endswith("\n") else text
    return end[-1:] in _CLOSING


def caption(texts: Sequence[str], shapes: Sequence[LineShape], i: int) -> bool:
    """A short line in lower case with no sentence punctuation, next to a paragraph.

    Image file names and alt texts ("xi putin", "protest-paris") arrive this way in
    scraped text, between the article's paragraphs.
    """
    return caption_shaped(texts[i], shapes[i]) and caption_placed(texts, shapes, i)


def caption_shaped(text: str, s: LineShape) -> bool:
    """The caption test on the line alone: one to five words in lower case, no digits,
    no sentence punctuation at the end."""
    if s.words == 0 or s.words > 5 or _closed(text):
        return False
    first = next((ch for ch in text if ch.isalpha()), "")
    return bool(first) and first.islower() and not any(map(str.isdigit, text))


def caption_placed(texts: Sequence[str], shapes: Sequence[LineShape], i: int) -> bool:
    """The caption test on the neighbours: a paragraph (or another caption) on each side."""
    n = len(texts)
    prev_words = shapes[i - 1].words if i > 0 else 0
    next_words = shapes[i + 1].words if i + 1 < n else 0
    prev_caption = i > 0 and prev_words <= 5 and texts[i - 1][:1].islower()
    next_caption = i + 1 < n and next_words <= 5 and texts[i + 1][:1].islower()
    prev_ok = prev_words >= 5 or prev_caption
    next_ok = next_words >= 5 or next_caption
    return (
        prev_ok and next_ok and (prev_words >= 8 or next_words >= 8 or prev_caption or next_caption)
    )


def teaser_run(
    texts: Sequence[str],
    shapes: Sequence[LineShape],
    i: int,
    boundary: Sequence[bool],
    max_lines: int = 3,
) -> list[int]:
    """The lines of an inline promo teaser closed by the call to action on line `i`.

    A teaser is a headline, perhaps a summary, and a closing call to action ("Find
    out HERE"), set between the article's paragraphs after a visual break (a caption,
    an image name, a dropped line). The run grows backwards from the call to action
    while lines stay teaser-sized and stops at such a break; without a break before
    it, the run is taken from a headline (no closing punctuation, or a question);
    otherwise only the call-to-action line itself is.
    """
    run = [i]
    j = i - 1
    while j >= 0 and len(run) < max_lines and not boundary[j] and shapes[j].words <= 40:
        run.append(j)
        j -= 1
    if j < 0 or boundary[j]:
        return sorted(run)
    # the longest run that opens with a headline
    for k in range(len(run) - 1, 0, -1):
        if _headline(texts[run[k]], shapes[run[k]]):
            return sorted(run[: k + 1])
    return [i]


def _headline(text: str, s: LineShape) -> bool:
    """A teaser headline: 3 to 20 words, no closing punctuation or a question."""
    return 3 <= s.words <= 20 and (not _closed(text) or text.endswith("?"))


def inline_advert(text: str) -> str | None:
    """The text with an advert label glued between two sentences removed, or None."""
    if _ADVERT_STEMS.search(text.casefold()) is None:
        return None  # none of the labels' stems: nothing to cut
    new = _INLINE_ADVERT.sub("", text)
    return new if new != text else None
