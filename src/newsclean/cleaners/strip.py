"""Strip: mark site chrome dropped, each block with its category.

Plain text (a whole scraped page) goes through three layers:

1. the article region: a line model over shape features (`region.py`) finds the dense
   run of prose that is the article; lines outside it are dropped with the category
   their shape or the lexicons give them (navigation, related, footer, ...);
2. chrome rules inside the region (`chrome.py` and the lexicons): breadcrumbs,
   timestamps, bylines, captions, promo teasers closed by a call to action, cookie,
   newsletter, share and comment lines, repeated lines;
3. the headline: found where the page repeats it (document title, breadcrumb end,
   heading), kept once as a "title" block at the top, other copies dropped as
   `repeated_title`.

The decision is repeated on the kept lines, read as the output would be read again,
until nothing changes, so cleaning the output again changes nothing.

HTML input arrives already reduced to the article by the extract step; only the rules
run on it. User rules (`Options.rules`: {category: (regex, ...)}) drop any block in
which one of their patterns is found, before everything else, with their category.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import regex

from .. import lexicons
from ..document import Document
from ..pipeline import Options
from . import chrome
from .region import LineModel, Page, describe, load_model, page_scores

_INVISIBLE = regex.compile(r"[\u00ad\u200b\u2060\ufeff]")
_SPACES = regex.compile(r"\s+")
_HEADING_END = regex.compile(r"[.!?…;,]$")
_MAX_PASSES = 6
# Categories a lexicon match may give a long line (the others need a short one).
_LONG_OK = frozenset({"cookie", "subscription", "newsletter", "footer", "comments"})
_SHORT_WORDS = 25


def _view(text: str) -> str:
    """The text as the next run would read it (what normalise leaves), for stable decisions."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    return _SPACES.sub(" ", text).strip()


def _heading_like(page: Page, i: int) -> bool:
    s = page.shapes[i]
    return 2 <= s.words <= 30 and not _HEADING_END.search(page.texts[i])


class Strip:
    """Fourth step: classify blocks as article or chrome."""

    name = "strip"

    def __init__(self, options: Options) -> None:
        self.options = options
        self.lexicon = lexicons.load()
        self.user_rules = {
            category: regex.compile("|".join(f"(?:{p})" for p in patterns), regex.IGNORECASE)
            for category, patterns in options.rules.items()
            if patterns
        }
        self._model: LineModel | None = None

    @property
    def model(self) -> LineModel:
        if self._model is None:
            self._model = load_model()
        return self._model

    # -- entry point ----------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        kept = [i for i, b in enumerate(doc.blocks) if b.kept and b.text.strip()]
        if not kept:
            return doc
        if doc.meta.source_format == "html":
            self._rules_only(doc, kept)
            return doc
        grouped = [doc.blocks[i].kind == "line" for i in kept]
        title_index: int | None = None
        for step in range(_MAX_PASSES):
            texts = [_view(doc.blocks[i].text) for i in kept]
            drops, title = self._decide(texts, grouped)
            if title is not None:
                title_index = kept[title]
            for pos, (reason, detail) in drops.items():
                doc.drop(kept[pos], self.name, reason, detail)
            if not drops:
                break
            kept = [i for i in kept if doc.blocks[i].kept]
            # The next pass reads the kept lines as the output would be read again:
            # one paragraph each, separated by blank lines.
            grouped = [False] * len(kept)
            if not kept or step == _MAX_PASSES - 1:
                break
        self._set_title(doc, title_index)
        return doc

    # -- plain text -----------------------------------------------------------
    def _decide(
        self, texts: list[str], grouped: Sequence[bool]
    ) -> tuple[dict[int, tuple[str, str]], int | None]:
        """Drops {position: (reason, detail)} for one pass, and the headline's position."""
        page = describe(texts, grouped, self.lexicon)
        n = len(texts)
        title = page.title
        if title is None and n > 1 and _heading_like(page, 0) and page.shapes[1].long:
            title = 0  # a heading directly followed by prose: the page starts with its title
        scores = page_scores(page, self.model)
        keep = self.model.select(scores, page.shapes)
        drops: dict[int, tuple[str, str]] = {}
        title_key = _key(texts[title]) if title is not None else None

        def drop(i: int, reason: str, detail: str = "") -> None:
            if i != title and i not in drops:
                drops[i] = (reason, detail)

        # user rules first: the user's word is final
        for i, text in enumerate(texts):
            reason = self._user_reason(text)
            if reason:
                drop(i, reason, "user rule")
        # the headline and its copies
        if title is not None:
            for i in range(n):
                if i == title:
                    continue
                key = _key(texts[i])
                if key == title_key or (
                    i < title
                    and title_key
                    and title_key in key
                    and len(key) < 2 * len(title_key) + 40
                ):
                    drop(i, "repeated_title")
                elif i < title:
                    drop(i, self._outside_reason(page, i, before=True), "before the headline")
        # chrome rules, on every line
        boundary = [False] * n
        for i in range(n):
            reason = self._line_reason(page, i)
            if reason:
                drop(i, reason)
                boundary[i] = True
        for i in range(n):
            if page.endings[i] and i not in drops and page.shapes[i].words <= 60:
                for j in chrome.teaser_run(
                    page.shapes, i, [b or not k for b, k in zip(boundary, keep, strict=True)]
                ):
                    drop(j, "promo", "teaser closed by a call to action")
        # repeated lines: the first copy stays
        seen: set[str] = set()
        for i, text in enumerate(texts):
            key = text.casefold()
            if i in drops:
                continue
            if key in seen and page.shapes[i].words <= 60:
                drop(i, "repeated")
            seen.add(key)
        # the article region
        for i in range(n):
            if not keep[i] and i not in drops:
                before = not any(keep[:i])
                drop(i, self._outside_reason(page, i, before), "outside the article")
        return drops, title

    def _user_reason(self, text: str) -> str | None:
        for category, pattern in self.user_rules.items():
            if pattern.search(text):
                return category
        return None

    def _line_reason(self, page: Page, i: int) -> str | None:
        """The chrome category of line `i` by rule or lexicon, or None."""
        text = page.texts[i]
        words = page.shapes[i].words
        category = page.categories[i]
        if category and (words <= _SHORT_WORDS or category in _LONG_OK):
            return category
        if chrome.breadcrumb(text):
            return "breadcrumb"
        if chrome.timestamp(text):
            return "timestamp"
        if chrome.caption(page.texts, page.shapes, i):
            return "caption"
        return None

    def _outside_reason(self, page: Page, i: int, before: bool) -> str:
        category = page.categories[i]
        if category:
            return category
        text = page.texts[i]
        if chrome.breadcrumb(text):
            return "breadcrumb"
        if chrome.timestamp(text):
            return "timestamp"
        if before:
            return "navigation" if page.shapes[i].words <= 6 else "header"
        return "related" if _heading_like(page, i) else "boilerplate"

    def _set_title(self, doc: Document, index: int | None) -> None:
        if index is None or not doc.blocks[index].kept:
            return
        block = doc.blocks[index]
        if not doc.meta.title:
            doc.meta.title = _view(block.text)
        if self.options.keep_title:
            block.kind = "title"
        else:
            doc.drop(index, self.name, "title", "kept in metadata (keep_title=False)")

    # -- HTML: the extractor already chose the article ----------------------------
    def _rules_only(self, doc: Document, kept: list[int]) -> None:
        texts = [_view(doc.blocks[i].text) for i in kept]
        page = describe(texts, [False] * len(texts), self.lexicon)
        title_key = _key(doc.meta.title) if doc.meta.title else None
        seen: set[str] = set()
        for pos, index in enumerate(kept):
            block = doc.blocks[index]
            if block.kind == "title":
                continue
            reason = self._user_reason(texts[pos])
            if reason is None and title_key and _key(texts[pos]) == title_key:
                reason = "repeated_title"
            if reason is None:
                reason = self._line_reason(page, pos)
            if reason is None and page.endings[pos] and page.shapes[pos].words <= 40:
                reason = "promo"
            key = texts[pos].casefold()
            if reason is None and key in seen and page.shapes[pos].words <= 60:
                reason = "repeated"
            seen.add(key)
            if reason:
                doc.drop(index, self.name, reason)


_WORDS = regex.compile(r"\w+")


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))
