"""Normalise: one pass over the kept blocks for Unicode form, whitespace and typography.

Defaults never change meaning (docs/normalisation.md lists every operation):
- NFC, never NFKC (NFKC would turn `²` into `2` and `ﬁ` into `fi`);
- soft hyphens, zero-width spaces, word joiners and stray byte-order marks removed: they
  split words for search and tokenisers and carry no meaning; zero-width joiner and
  non-joiner are kept (they change how Persian, Indic scripts and emoji are written);
- line breaks unified (`\\r\\n`, `\\r`, U+2028 → `\\n`, U+2029 → blank line); runs of
  spaces and tabs collapsed, lines trimmed, at most one blank line in a row; no-break
  spaces inside a line are kept (French typography and numbers use them);
- a word hyphenated across a line break (also across two line blocks) is joined only
  when the joined word is a known word of the document's language (wordfreq lists,
  loaded lazily); otherwise it is left as written.
Options: quotes (keep | straight | curly), dashes (keep | ascii | typographic),
french_spaces (no-break spaces before `; : ! ?` and inside guillemets).
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import regex

from ..document import Document
from ..nfc import is_nfc, nfc
from ..pipeline import Options
from .encoding import looks_damaged, repair_document

_INVISIBLE = regex.compile(r"[\u00ad\u200b\u2060\ufeff]")
_LINE_BREAKS = regex.compile(r"\r\n?|\u2028")
_PARAGRAPH_SEP = regex.compile(r"[ \t]*\u2029[ \t]*")
_SPACES = regex.compile(r"[ \t\x0b\x0c]{2,}|\t|[\x0b\x0c]")
# White space at a line's start, or at its end: the second branch is tried only where a
# run starts (the look-behind), so a long run inside a line costs one scan, not one per
# character of it.
_EDGE_SPACES = regex.compile(r"^[^\S\n]+|(?<![^\S\n])[^\S\n]+$", regex.MULTILINE)
_BLANK_RUNS = regex.compile(r"\n{3,}")
_HYPHEN_BREAK = regex.compile(r"(\p{L}{1,60})-\n(\p{Ll}{1,60})")

_STRAIGHT = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'"}
)
_CURLY_DOUBLE = regex.compile(r'"')
_CURLY_SINGLE = regex.compile(r"'")
_OPENING_CONTEXT = regex.compile(r"[\s(\[{<\u2014\u2013/-]")
_ASCII_DASHES = str.maketrans({"\u2013": "-", "\u2012": "-", "\u2014": "--", "\u2015": "--"})
_TYPO_EM = regex.compile(r"(?<=\S) ?-- ?(?=\S)")
_TYPO_EN = regex.compile(r"(?<=\S) - (?=\S)")
_FR_HIGH = regex.compile(r"(?<=[\p{L}\p{N}\)\]»\"'’])[ \u00a0\u202f]?([;!?])(?=\s|$|[!?])")
_FR_COLON = regex.compile(r"(?<=[\p{L}\p{N}\)\]»\"'’])[ \u00a0\u202f]?:(?=\s|$)")
_FR_OPEN = regex.compile(r"«[ \u00a0\u202f]?(?=\S)")
_FR_CLOSE = regex.compile(r"(?<=\S)[ \u00a0\u202f]?»")

_KNOWN_ZIPF = 1.5  # wordfreq Zipf frequency from which a joined word counts as known


@lru_cache(maxsize=64)
def _wordfreq_languages() -> frozenset[str]:
    from wordfreq import available_languages

    return frozenset(available_languages())


@lru_cache(maxsize=65536)
def is_known_word(word: str, lang: str) -> bool:
    """Is `word` in the wordfreq list of `lang`? (False for unsupported languages.)"""
    if lang not in _wordfreq_languages():
        return False
    from wordfreq import zipf_frequency

    return bool(zipf_frequency(word, lang) >= _KNOWN_ZIPF)


@lru_cache(maxsize=65536)
def should_join(head: str, tail: str, lang: str) -> bool:
    """Join `head-` + `tail` across a line break? Only when the joined word is a known
    word and more frequent than the two parts as a hyphenated compound (`well-known`
    keeps its hyphen, `exam-ple` becomes `example`)."""
    joined = (head + tail).lower()
    if not is_known_word(joined, lang):
        return False
    from wordfreq import zipf_frequency

    return bool(zipf_frequency(joined, lang) > zipf_frequency(f"{head} {tail}".lower(), lang))


def tidy(text: str) -> str:
    """Unicode form, invisible characters and whitespace: the meaning-preserving core.

    Removing an invisible character or a tab can bring together two characters that
    read as encoding damage (`Ã\u00ad©`, `Â\t`); such a block goes through repair again,
    so that cleaning the output a second time changes nothing."""
    new = _tidy(text)
    for _ in range(2):
        if new == text or not looks_damaged(new):
            break
        text, new = new, _tidy(repair_document(new)[0])
    return new


# Every character some pass of `_tidy` acts on, besides runs of spaces: invisible ones,
# line and paragraph breaks, tab-like spaces.
_TIDY_CHARS = regex.compile(r"[\u00ad\u200b\u2060\ufeff\n\r\u2028\u2029\t\x0b\x0c]")


def _tidy(text: str) -> str:
    if not is_nfc(text):
        text = nfc(text)
    if _is_tidy(text):
        return text
    text = _INVISIBLE.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _PARAGRAPH_SEP.sub("\n\n", text)
    text = _SPACES.sub(" ", text)
    text = _EDGE_SPACES.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


def _is_tidy(text: str) -> bool:
    """True when no pass of `_tidy` after NFC can change the text: no character of
    `_TIDY_CHARS`, no two spaces in a row, and no white space at either end. Without a
    line feed the only line edges are the text's ends, and every white space character
    `_EDGE_SPACES` removes is one `str.strip` removes."""
    if text.isascii():  # the characters of `_TIDY_CHARS` are all non-printable or not ASCII
        return text.isprintable() and "  " not in text and text == text.strip()
    return "  " not in text and text == text.strip() and _TIDY_CHARS.search(text) is None


def dehyphenate(text: str, lang: str | None) -> str:
    """Join `exam-\\nple` into `example` when that is a known word of `lang`."""
    if not lang or "-\n" not in text:
        return text

    def join(match: regex.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        if should_join(head, tail, lang):
            return head + tail
        return match.group(0)

    return _HYPHEN_BREAK.sub(join, text)


def straight_quotes(text: str) -> str:
    return text.translate(_STRAIGHT)


def curly_quotes(text: str) -> str:
    """Straight quotes to typographic ones: opening after a space or bracket or at the
    start, apostrophe between letters, closing elsewhere."""

    def double(match: regex.Match[str]) -> str:
        start = match.start()
        before = match.string[start - 1] if start else " "
        return "“" if _OPENING_CONTEXT.match(before) else "”"

    def single(match: regex.Match[str]) -> str:
        start = match.start()
        before = match.string[start - 1] if start else " "
        return "‘" if _OPENING_CONTEXT.match(before) else "’"

    if '"' in text:
        text = _CURLY_DOUBLE.sub(double, text)
    if "'" in text:
        text = _CURLY_SINGLE.sub(single, text)
    return text


def ascii_dashes(text: str) -> str:
    return text.translate(_ASCII_DASHES)


def typographic_dashes(text: str) -> str:
    """`--` to an em dash, a spaced hyphen between words to a spaced en dash."""
    text = _TYPO_EM.sub(lambda m: " — " if m.group(0).startswith(" ") else "—", text)
    return _TYPO_EN.sub(" – ", text)


def french_spaces(text: str) -> str:
    """French typography: narrow no-break space before ; ! ?, no-break space before :
    and inside « »."""
    text = _FR_OPEN.sub("«\u00a0", text)
    text = _FR_CLOSE.sub("\u00a0»", text)
    text = _FR_HIGH.sub("\u202f\\1", text)
    return _FR_COLON.sub("\u00a0:", text)


def normalise_text(text: str, options: Options | None = None, lang: str | None = None) -> str:
    """Everything the normalise step does to one block, with `options`."""
    options = options or Options()
    text = tidy(text)
    if options.dehyphenate:
        text = dehyphenate(text, lang)
    return _styles(paragraph_breaks(text), options, lang)


_SINGLE_BREAK = regex.compile(r"(?<!\n)\n(?!\n)")


def paragraph_breaks(text: str) -> str:
    """A line break left inside a block becomes a paragraph break. The text is the
    blocks joined by blank lines, and plain text is read back one block per line, so a
    single line break would not survive cleaning the output again."""
    return _SINGLE_BREAK.sub("\n\n", text) if "\n" in text else text


def _styles(text: str, options: Options, lang: str | None) -> str:
    if options.quotes == "straight":
        text = straight_quotes(text)
    elif options.quotes == "curly":
        text = curly_quotes(text)
    if options.dashes == "ascii":
        text = ascii_dashes(text)
    elif options.dashes == "typographic":
        text = typographic_dashes(text)
    if options.french_spaces and (lang is None or lang.startswith("fr")):
        text = french_spaces(text)
    return text


_TRAILING_HYPHEN = regex.compile(r"(\p{L}{1,60})-$")
_LEADING_WORD = regex.compile(r"^(\p{Ll}{1,60})([^\s\p{L}]{0,20})(?:\s+|$)")


class Normalise:
    """Last step: tidy each kept block; join words hyphenated across line blocks."""

    name = "normalise"

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        lang = (doc.meta.lang or "").split("-")[0].lower() or None
        options = self.options
        # Normalising changes texts, never which blocks are kept: list them once
        # (`block.drop is None` is `block.kept`, without a property call per block).
        kept = [(index, block) for index, block in enumerate(doc.blocks) if block.drop is None]
        for index, block in kept:
            doc.replace_text(index, tidy(block.text), self.name, "whitespace_unicode")
        if options.dehyphenate and lang:
            self._dehyphenate(doc, lang, [index for index, block in kept if block.text])
        for index, block in kept:
            if "\n" in block.text:
                doc.replace_text(index, paragraph_breaks(block.text), self.name, "paragraphs")
        for index, block in kept:
            if block.text:
                doc.replace_text(index, _styles(block.text, options, lang), self.name, "style")
        if doc.meta.title:
            title = " ".join(tidy(doc.meta.title).split("\n"))
            doc.meta.title = _styles(title, options, lang)
        return doc

    def _dehyphenate(self, doc: Document, lang: str, kept: list[int]) -> None:
        """Join hyphenated words inside the `kept` blocks (kept and not empty), then
        across two of them."""
        for index in kept:
            text = doc.blocks[index].text
            joined = dehyphenate(text, lang)
            doc.replace_text(index, joined, self.name, "dehyphenate")
        # A word hyphenated across two line blocks (plain text: one block per line).
        for first, second in itertools.pairwise(kept):
            head_block, tail_block = doc.blocks[first], doc.blocks[second]
            if "line" not in (head_block.kind, tail_block.kind):
                continue
            if not head_block.text.endswith(("-", "-\n")):  # what `_TRAILING_HYPHEN` needs
                continue
            head = _TRAILING_HYPHEN.search(head_block.text)
            tail = _LEADING_WORD.match(tail_block.text)
            if head is None or tail is None:
                continue
            word = head.group(1) + tail.group(1)
            if not should_join(head.group(1), tail.group(1), lang):
                continue
            moved = word + tail.group(2)
            doc.replace_text(
                first, head_block.text[: head.start()] + moved, self.name, "dehyphenate"
            )
            doc.replace_text(second, tail_block.text[tail.end() :], self.name, "dehyphenate")
