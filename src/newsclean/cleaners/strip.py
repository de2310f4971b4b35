"""Strip: mark site chrome dropped, each block with its category.

Plain text (a whole scraped page) goes through three layers:

1. the block model (`newsclean.blocks`) scores every line from its own text, its
   neighbours and the page; a table is kept whole, a run of one-to-three-word lines
   above the article is a menu, and one or two lines the model left between kept
   lines (a subhead, a sentence leading into a quote) are the article going on;
   lines it does not keep are dropped with the category their shape or the lexicons
   give them (navigation, related, footer, ...);
2. chrome rules (`chrome.py` and the lexicons): breadcrumbs, timestamps, bylines,
   captions, promo teasers closed by a call to action, cookie, newsletter, share and
   comment lines, repeated lines; on a page that shows chrome, the comment or related
   section that closes the article and what stands above the repeated headline;
3. the headline: found where the page repeats it (document title, breadcrumb end,
   heading), kept once as a "title" block at the top, other copies dropped as
   `repeated_title`.

The decision is repeated on the kept lines, read as the output would be read again,
until nothing changes, so cleaning the output again changes nothing.

What a line's text alone tells (its shape, lexicon categories, rule verdicts) is
remembered by text across the documents one Strip cleans: the pages of one site
repeat their menus, footers and promos, so a batch pays for each such line once.

HTML input arrives already decided by the block model in the extract step; only the rules
run on it, never on table rows, and repetition does not count there. User rules
(`Options.rules`: {category: (regex, ...)}) drop any block in which one of their
patterns is found, before everything else, with their category.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import regex

from .. import lexicons
from ..blocks.features import TextMemo, text_matrix
from ..blocks.model import BlockModel, shipped
from ..document import Document
from ..nfc import nfc
from ..pipeline import Options
from . import chrome
from .region import (
    LineFacts,
    LineShape,
    Page,
    describe,
    line_facts,
)

_INVISIBLE = regex.compile(r"[\u00ad\u200b\u2060\ufeff]")
_SPACES = regex.compile(r"\s+")
# The whitespace `regex` reads as \s (Unicode White_Space) other than a space, or two
# spaces: text without any is left as it is by `_SPACES` (searched faster by `re`).
_OTHER_SPACE = re.compile(
    "[\t\n\v\f\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|  "
)
_HEADING_END = regex.compile(r"[.!?…;,。！？]$")
# What a comment-section heading names (a bare "Discussion" or "Report" subhead does not
# open one): comments, replies, reactions in the lexicon languages, or a count or a date.
_COMMENT_HEADING = regex.compile(
    r"\d|comment|kommentar|comentar|coment[aá]rio|commento|commenti|reacti|réacti|reactie|"
    r"repl(?:y|ies)|respons|réponse|antwort|respuesta|risposta|resposta",
    regex.IGNORECASE,
)
_KICKER = regex.compile(r"^[\w'’-]{1,20}(?: [\w'’-]{1,20}){0,2} ?: \S")
_LIST_ITEM = regex.compile(r"^(?:[-–—•*·▪►✓]\s|\d{1,2}[.)]\s)")
_MAX_PASSES = 6
# Lines remembered across documents, their facts and views counted apart (cleared when
# reached): about 2 KB a line, so some 20 MB at most; a site's chrome is a few hundred lines.
_MEMO_LINES = 20_000
# ... and cleared when their text reaches this many characters (a few long lines must
# not hold hundreds of megabytes either).
_MEMO_CHARS = 2_000_000
# Categories a lexicon match may give a long line (the others need a short one).
_LONG_OK = frozenset({"cookie", "subscription", "newsletter", "footer", "comments"})
_SHORT_WORDS = 25
# Headings that open a section after the article (its end).
_SECTION_OPENERS = ("comments", "related")
# With no line above the threshold, those scoring this share of the best one are kept.
_LAST_RESORT = 0.5


def _view(text: str) -> str:
    """The text as the next run would read it (what normalise leaves), for stable decisions."""
    if text.isascii():
        if _OTHER_SPACE.search(text) is not None:
            text = _SPACES.sub(" ", text)
        return text.strip()
    if "\u00ad" in text or "\u200b" in text or "\u2060" in text or "\ufeff" in text:
        text = _INVISIBLE.sub("", text)
    text = nfc(text)
    if _OTHER_SPACE.search(text) is not None:
        text = _SPACES.sub(" ", text)
    return text.strip()


def _heading_like(page: Page, i: int) -> bool:
    s = page.shapes[i]
    return 2 <= s.words <= 30 and not _HEADING_END.search(page.texts[i])


class _Rules:
    """What the chrome rules say of a line from its text alone (kept by text per page).

    `reason` is the line's category when `decided`; otherwise a caption test on its
    neighbours comes first (when `caption` allows one), then `ending`. `outside` is the
    category a line outside the article gets from its text, if any.
    """

    __slots__ = ("_crumb", "_text", "caption", "decided", "ending", "outside", "reason")

    def __init__(self, facts: LineFacts) -> None:
        text = facts.text
        words = facts.shape.words
        category = facts.category
        ending = facts.ending
        crumb: bool | None = None
        stamp: bool | None = None
        image: bool | None = None
        self.decided = True
        self.reason: str | None = None
        if ending == "promo" and words <= 60 and category in (None, "related"):
            pass  # a call to action: the teaser rule takes it with its run
        elif category and (words <= _SHORT_WORDS or category in _LONG_OK):
            self.reason = category
        else:
            crumb = chrome.breadcrumb(text)
            if crumb:
                self.reason = "breadcrumb"
            else:
                stamp = chrome.timestamp(text)
                if stamp:
                    self.reason = "timestamp"
                elif image := chrome.image_file(text):
                    self.reason = "caption"
                else:
                    self.decided = False
        self.caption = not self.decided and chrome.caption_shaped(text, facts.shape)
        self.ending = (
            ending
            if ending and ending != "promo" and words <= (40 if ending == "caption" else 60)
            else None
        )
        self._text = text
        self._crumb = crumb
        if category:
            self.outside: str | None = category
        elif self.breadcrumb():
            self.outside = "breadcrumb"
        elif stamp if stamp is not None else chrome.timestamp(text):
            self.outside = "timestamp"
        elif image if image is not None else chrome.image_file(text):
            self.outside = "caption"
        else:
            self.outside = None

    def breadcrumb(self) -> bool:
        if self._crumb is None:
            self._crumb = chrome.breadcrumb(self._text)
        return self._crumb


def _rules(facts: Sequence[LineFacts], cache: dict[str, _Rules]) -> list[_Rules]:
    out = []
    for f in facts:
        known = cache.get(f.text)
        if known is None:
            known = cache[f.text] = _Rules(f)
        out.append(known)
    return out


def _line_reason(
    texts: Sequence[str], shapes: Sequence[LineShape], rules: _Rules, i: int
) -> str | None:
    """The chrome category of line `i` by rule or lexicon, or None."""
    if rules.decided:
        return rules.reason
    if rules.caption and chrome.caption_placed(texts, shapes, i):
        return "caption"
    return rules.ending


class Strip:
    """Fourth step: classify blocks as article or chrome."""

    name = "strip"

    def __init__(
        self,
        options: Options,
        block_model: BlockModel | None = None,
    ) -> None:
        self.options = options
        self._block_model = block_model
        self._text_memo = TextMemo()
        self.lexicon = lexicons.load()
        self.user_rules = {
            category: regex.compile("|".join(f"(?:{p})" for p in patterns), regex.IGNORECASE)
            for category, patterns in options.rules.items()
            if patterns
        }
        # line text → its facts, its rule verdicts, its view (see the module docstring)
        self._facts: dict[str, LineFacts] = {}
        self._rules: dict[str, _Rules] = {}
        self._views: dict[str, str] = {}
        self._memo_chars = 0

    @property
    def block_model(self) -> BlockModel:
        """The text block model (the shipped one unless another was given)."""
        if self._block_model is None:
            self._block_model = shipped("text")
        return self._block_model

    # -- entry point ----------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        kept = [i for i, b in enumerate(doc.blocks) if b.kept and b.text.strip()]
        if not kept:
            return doc
        if doc.meta.source_format == "html":
            self._rules_only(doc, kept)
            self._inline(doc)
            return doc
        grouped = [doc.blocks[i].kind == "line" for i in kept]
        title_index: int | None = None
        if len(self._facts) + len(self._views) > _MEMO_LINES or self._memo_chars > _MEMO_CHARS:
            self.forget()
        cache, rules, views = self._facts, self._rules, self._views
        for step in range(_MAX_PASSES):
            texts = []
            for i in kept:
                raw = doc.blocks[i].text
                view = views.get(raw)
                if view is None:
                    view = views[raw] = _view(raw)
                    self._memo_chars += len(raw)
                texts.append(view)
            drops, title = self._decide(texts, cache, rules)
            if title is not None:
                title_index = kept[title]
            for pos, (reason, detail) in drops.items():
                doc.drop(kept[pos], self.name, reason, detail)
            if not drops and not any(grouped):
                break  # stable as the output will be read again
            kept = [i for i in kept if doc.blocks[i].kept]
            # The next pass reads the kept lines as the output would be read again:
            # one paragraph each, separated by blank lines.
            grouped = [False] * len(kept)
            if not kept or step == _MAX_PASSES - 1:
                break
        self._set_title(doc, title_index)
        self._inline(doc)
        if self._memo_chars > _MEMO_CHARS:  # not held until the next document
            self.forget()
        return doc

    def forget(self) -> None:
        """Drop the lines remembered from earlier documents (results never depend on them)."""
        self._facts.clear()
        self._text_memo.clear()
        self._rules.clear()
        self._views.clear()
        self._memo_chars = 0

    def _inline(self, doc: Document) -> None:
        """Chrome glued inside a kept paragraph: an advert label between two sentences."""
        for index, block in enumerate(doc.blocks):
            if block.kept and block.kind != "title":
                cut = chrome.inline_advert(block.text)
                if cut is not None:
                    doc.replace_text(index, cut, self.name, "inline_advert")

    # -- plain text -----------------------------------------------------------
    def _decide(
        self,
        texts: list[str],
        cache: dict[str, LineFacts],
        rules_cache: dict[str, _Rules],
    ) -> tuple[dict[int, tuple[str, str]], int | None]:
        """Drops {position: (reason, detail)} for one pass, and the headline's position.

        The block model says which lines are the article; the rules and lexicons name
        each dropped line's category, find the headline (kept once) and take out the
        chrome the model let through that a rule names with confidence.
        """
        facts = line_facts(texts, self.lexicon, cache)
        page = describe(texts, self.lexicon, facts=facts)
        n = len(texts)
        looked_up = [(f.category, f.ending) if f.looked_up else None for f in facts]
        scores = self.block_model.scores(text_matrix(texts, None, self._text_memo, looked_up))
        keep = [bool(s >= self.block_model.threshold) for s in scores]
        if not any(keep) and n:  # nothing sure: the lines scoring half the best one or more
            keep = [bool(v >= _LAST_RESORT * scores.max()) for v in scores]
        table = _table_rows(texts)
        _keep_whole_tables(table, keep)
        _drop_menu_runs(page, keep)
        rules = _rules(facts, rules_cache)
        rule = [_line_reason(texts, page.shapes, r, i) for i, r in enumerate(rules)]
        title = page.title
        if title is None:
            title = _headline_before_article(page, keep, rule)
        drops: dict[int, tuple[str, str]] = {}
        if self.user_rules:
            for i, text in enumerate(texts):
                reason = self._user_reason(text)
                if reason:
                    drops[i] = (reason, "user rule")
        if title in drops:
            title = None
        keys = [f.key for f in facts]
        title_key = keys[title] if title is not None else None

        def outside_reason(i: int, before: bool) -> str:
            reason = rules[i].outside
            if reason:
                return reason
            if before:
                return "navigation" if page.shapes[i].words <= 6 else "header"
            return "related" if _heading_like(page, i) else "boilerplate"

        def drop(i: int, reason: str, detail: str = "") -> None:
            if i != title and i not in drops:
                drops[i] = (reason, detail)

        if title is not None:
            for i in range(n):
                if i == title or table[i]:
                    continue
                key = keys[i]
                if i < title and rules[i].breadcrumb():
                    drop(i, "breadcrumb")
                elif key == title_key or (
                    i < title
                    and title_key
                    and title_key in key
                    and len(key) < 2 * len(title_key) + 40
                ):
                    drop(i, "repeated_title")
        # The section rules below act on a page that shows chrome (the model dropped some of
        # it, or a rule names some); a clean article is left as it is.
        sections = not all(keep) or any(rule)
        if title is not None and sections:
            closing = _section_after_article(page, keep, rule, title)
            if closing is not None:
                for j in range(closing, n):
                    drop(j, rule[j] or rule[closing] or "", "after the article's closing section")
            above = sum(page.shapes[i].words for i in range(title) if keep[i])
            below = sum(page.shapes[i].words for i in range(title + 1, n) if keep[i])
            article_below = sum(1 for i in range(title + 1, n) if keep[i] and page.shapes[i].long)
            if below > above or (title == page.title and article_below >= 2):
                # the article goes on under its headline (the headline the page repeats,
                # with paragraphs under it, or most of the text): what is above it is the
                # page's header (teasers of other stories, a standfirst of another page)
                for i in range(title):
                    if keep[i] and not rules[i].breadcrumb() and keys[i] != title_key:
                        drop(i, rule[i] or outside_reason(i, True), "before the headline")
        for i in range(n):
            if rule[i] == "breadcrumb" and table[i]:
                rule[i] = None  # a row of a table, not a trail of links
            if rule[i]:
                drop(i, rule[i] or "")
        boundary = [bool(rule[i]) or not keep[i] for i in range(n)]
        for i in range(n):
            if page.endings[i] == "promo" and i not in drops and page.shapes[i].words <= 60:
                for j in chrome.teaser_run(page.texts, page.shapes, i, boundary):
                    drop(j, "promo", "teaser closed by a call to action")
        if sections:
            article = [i for i in range(n) if keep[i] and i not in drops]
            if article:
                self._closing_sections(page, article, rule, drop)
            for i in _trailing_teaser(page, keep, drops):
                drop(i, "related", "teaser after the article")
        seen: set[str] = set()
        for i in range(n):
            key = facts[i].fold
            if i in drops or not keep[i]:
                continue
            if key in seen and page.shapes[i].words >= 8:
                drop(i, "repeated")
            seen.add(key)
        _extend_region(page, keep, rule, drops)
        _take_introduced_lists(page, keep, rule, drops)
        _fill_gaps(page, keep, drops, rule)
        first_kept = next((i for i in range(n) if keep[i]), n)
        for i in range(n):
            if not keep[i] and i not in drops:
                drop(i, outside_reason(i, i < first_kept), "block model")
        return drops, title

    def _closing_sections(
        self,
        page: Page,
        article: list[int],
        rule: Sequence[str | None],
        drop: Callable[[int, str, str], None],
    ) -> None:
        """Comment sections and runs of related headlines inside the region.

        A comments heading ("3 Comments", "Leave a Reply", "Ann on May 2 said:") after
        at least three paragraphs of the article opens the comment section: everything
        after it is comments. A related heading ("More on
        this story", "Noticias relacionadas") opens a run of related links that lasts
        while lines stay headline-shaped (a last one-sentence summary included).
        """
        n = len(page.texts)
        first = article[0]
        prose = 0
        for i in range(first, n):
            prose += page.shapes[i].long and rule[i] is None
            if (
                rule[i] == "comments"
                and page.shapes[i].words <= 14
                and prose >= 3
                and _COMMENT_HEADING.search(page.texts[i])
            ):
                for j in range(i + 1, n):
                    drop(j, rule[j] or "comments", "in the comment section")
                break
        i = first
        while i < n:
            if not (rule[i] == "related" and page.shapes[i].words <= 8):
                i += 1
                continue
            j = i + 1
            run = []
            while j < n and _headline_shaped(page, j) and not page.texts[j - 1].endswith(":"):
                run.append(j)
                j += 1
            if run and j < n:
                if rule[j] is None and (page.texts[j].endswith(":") or page.shapes[j].words >= 25):
                    run.pop()  # the last one is a subhead: the article goes on under it
                elif page.shapes[j].terminal and rule[j] is None:
                    run.append(j)  # the last teaser's one-sentence summary
                    j += 1
            for k in run:
                drop(k, "related", "in a run of related links")
            i = max(j, i + 1)

    def _user_reason(self, text: str) -> str | None:
        for category, pattern in self.user_rules.items():
            if pattern.search(text):
                return category
        return None

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
        # only the facts the rules read: no model features, no headline search
        facts = line_facts(texts, self.lexicon)
        shapes = [f.shape for f in facts]
        rules = _rules(facts, {})
        title_key = _key(doc.meta.title) if doc.meta.title else None
        title_words = title_key.count(" ") + 1 if title_key else 0
        # Repetition is not a chrome signal here: inside the body the extractor chose,
        # repeated blocks are content (a refrain, a recurring question, a meal plan).
        for pos, index in enumerate(kept):
            block = doc.blocks[index]
            if block.kind == "title":
                continue
            reason = self._user_reason(texts[pos])
            f = facts[pos]
            if (
                reason is None
                and title_key
                # an ASCII line's key has one word per token: most lines are out by count
                and (len(f.shape.tokens) == title_words or not f.text.isascii())
                and f.key == title_key
            ):
                reason = "repeated_title"
            # A table row's cells joined by " | " are not a breadcrumb: rows stay whole.
            if reason is None and block.kind != "table":
                reason = _line_reason(texts, shapes, rules[pos], pos)
            if reason is None and facts[pos].ending and shapes[pos].words <= 40:
                reason = "promo"
            if reason:
                doc.drop(index, self.name, reason)


_WORDS = regex.compile(r"\w+")


def _introduces_prose(page: Page, i: int) -> bool:
    """Line `i` is article prose (a paragraph, or a sentence leading into a list or quote)."""
    return page.shapes[i].long or (page.shapes[i].words >= 6 and page.texts[i].endswith(":"))


def _sentence(page: Page, i: int) -> bool:
    """A short complete sentence: capital start, closing punctuation, a few words."""
    text = page.texts[i]
    return page.shapes[i].terminal and page.shapes[i].words >= 3 and text[:1].isupper()


def _extend_region(
    page: Page, keep: list[bool], rule: Sequence[str | None], drops: Mapping[int, object]
) -> None:
    """Take in up to two short sentences that follow the article region.

    The region ends where the evidence stops growing; a closing sentence too short to
    add evidence of its own ("The new hours take effect July 1.") still belongs to it,
    also when a teaser or an advert already dropped stands between; never past the
    heading of a comment section or of related links.
    """
    kept = [i for i, k in enumerate(keep) if k and i not in drops]
    if not kept:
        return
    i, taken, skipped = kept[-1] + 1, 0, 0
    while i < len(keep) and taken < 2 and skipped < 6:
        if i in drops:
            if rule[i] in _SECTION_OPENERS and page.shapes[i].words <= 8:
                break
            skipped += 1
        elif not keep[i] and rule[i] is None and _sentence(page, i):
            keep[i] = True
            taken += 1
        else:
            break
        i += 1


def _take_introduced_lists(
    page: Page, keep: list[bool], rule: Sequence[str | None], drops: Mapping[int, object]
) -> None:
    """Take in the items of a list that a line of the article announces with a colon.

    "The new rules:" or "Tour dates:" followed by short lines is the article going on as
    a list, which reads like a menu by shape alone. The items run while lines have 4 to 40
    words (menu entries and file names have fewer) and carry no chrome category; at least
    two are needed.
    """
    n = len(keep)
    for i in range(n):
        if not keep[i] or i in drops or not page.texts[i].endswith(":") or rule[i]:
            continue
        run = []
        j = i + 1
        while j < n and j not in drops and rule[j] is None:
            if not 4 <= page.shapes[j].words <= 40 or page.texts[j].endswith(":"):
                break
            run.append(j)
            j += 1
        if len(run) >= 2:
            for k in run:
                keep[k] = True


def _trailing_teaser(page: Page, keep: Sequence[bool], drops: Mapping[int, object]) -> list[int]:
    """A teaser after the article's last paragraph: a kicker or question headline
    ("Floods: what the new dikes will cost", "Why is it raining less?") and a
    one-sentence summary, with nothing of the article after them."""
    kept = [i for i, k in enumerate(keep) if k and i not in drops]
    if len(kept) < 4:
        return []
    head, summary = kept[-2], kept[-1]
    text = page.texts[head]
    words = page.shapes[head].words
    kicker = _KICKER.match(text) is not None or text.endswith("?")
    if not (kicker and 4 <= words <= 20 and summary == head + 1):
        return []
    if not (page.shapes[summary].terminal and page.shapes[summary].words <= 30):
        return []
    before = kept[-3]
    if not (page.shapes[before].long or before < head - 1):
        return []
    return [head, summary]


def _section_after_article(
    page: Page, keep: Sequence[bool], rule: Sequence[str | None], title: int
) -> int | None:
    """The heading that closes the article under the headline, or None.

    When prose follows the headline and then a comments or related heading opens a
    section that reads as a list (`_listing`: comment headers, or story cards under the
    same row of buttons), the article ends at that heading, however long the section.
    """
    last = max((i for i, k in enumerate(keep) if k), default=-1)
    prose = False
    for o in range(title + 1, len(keep)):
        if rule[o] is None and page.shapes[o].words >= 10:
            prose = True
        elif (
            prose
            and rule[o] in _SECTION_OPENERS
            and page.shapes[o].words <= 8
            and _listing(page, range(o + 1, max(last, o) + 1), rule, rule[o])
        ):
            return o
    return None


def _listing(page: Page, region: range, rule: Sequence[str | None], kind: str | None) -> bool:
    """The region reads as a list of comments or of story cards, not as one article.

    A comment thread carries its comment headers ("Ann on May 2 at 4:47 pm said:"); a
    list of cards repeats the same short button row under each card.
    """
    if kind == "comments":
        return sum(1 for i in region if rule[i] == "comments") >= 2
    counts = Counter(page.texts[i] for i in region if page.shapes[i].words <= 8)
    return bool(counts) and max(counts.values()) >= 3


def _table_rows(texts: Sequence[str]) -> list[bool]:
    """Lines that are rows of a table: cells between bars, as many bars as a neighbour's."""
    cells = [t.count("|") for t in texts]
    n = len(texts)
    return [
        cells[i] > 0
        and ((i > 0 and cells[i - 1] == cells[i]) or (i + 1 < n and cells[i + 1] == cells[i]))
        for i in range(n)
    ]


_GAP = 2


def _fill_gaps(
    page: Page, keep: list[bool], drops: Mapping[int, object], rule: Sequence[str | None]
) -> None:
    """Keep a run of at most two lines the model left out between kept lines of the article.

    A subhead, a sentence leading into a quote or the last item of a list reads as chrome
    alone; between two kept lines (lines a rule dropped, such as a teaser or a caption,
    are stepped over) it is the article going on. Lines a rule names are never taken, nor a
    run holding a teaser's kicker ("Tickets: what changes in January").
    """
    n = len(keep)
    inside = [keep[i] and i not in drops for i in range(n)]
    i = 0
    while i < n:
        if inside[i] or i in drops or rule[i]:
            i += 1
            continue
        j = i
        run: list[int] = []
        while j < n and not inside[j] and len(run) <= _GAP:
            if j not in drops and not rule[j]:
                run.append(j)
            elif j not in drops:
                break  # a line a rule names but that nothing dropped yet ends the run
            j += 1
        before = next((k for k in range(i - 1, -1, -1) if inside[k] or k not in drops), None)
        if (
            run
            and len(run) <= _GAP
            and not any(_KICKER.match(page.texts[k]) for k in run)
            and j < n
            and inside[j]
            and before is not None
            and inside[before]
        ):
            for k in run:
                keep[k] = True
        i = max(j, i + 1)


def _drop_menu_runs(page: Page, keep: list[bool]) -> None:
    """A run of three or more one-to-three-word lines without closing punctuation above
    the article's first paragraph is a menu, whatever the model made of a short page.
    A run announced by a line ending in a colon is a list of the article's own."""
    first = next((i for i, k in enumerate(keep) if k and page.shapes[i].long), None)
    if first is None:
        return
    i = 0
    while i < first:
        j = i
        while j < first and page.shapes[j].words <= 3 and not page.shapes[j].terminal:
            j += 1
        announced = i > 0 and page.texts[i - 1].endswith(":")
        if j - i >= 3 and not announced:
            keep[i:j] = [False] * (j - i)
        i = max(j, i + 1)


def _keep_whole_tables(table: Sequence[bool], keep: list[bool]) -> None:
    """A table is kept whole when the model keeps any of its rows or the lines around it
    (cells of numbers and names read as chrome alone)."""
    i, n = 0, len(keep)
    while i < n:
        if not table[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and table[j + 1]:
            j += 1
        between = i > 0 and j + 1 < n and keep[i - 1] and keep[j + 1]
        if between or any(keep[i : j + 1]):
            keep[i : j + 1] = [True] * (j + 1 - i)
        i = j + 1


def _headline_shaped(page: Page, i: int) -> bool:
    """A headline: 4 to 20 words, no closing punctuation, not a list item or a label."""
    text = page.texts[i]
    return (
        4 <= page.shapes[i].words <= 20
        and not _HEADING_END.search(text)
        and not text.endswith(":")
        and not _LIST_ITEM.match(text)
    )


def _headline_before_article(
    page: Page, keep: Sequence[bool], rule: Sequence[str | None]
) -> int | None:
    """The heading just above the article's first paragraph, past bylines and dates.

    When a page does not repeat its headline, it is the last headline-shaped line
    before the article starts, with only chrome lines (byline, date, share buttons,
    reading time) or one- and two-word labels between them.
    """
    start = next((i for i, k in enumerate(keep) if k and not rule[i]), None)
    if start is None:
        return None
    i = start if not page.shapes[start].long else start - 1
    steps = 0
    while i >= 0 and steps < 10:
        if rule[i] is None and page.shapes[i].words > 2:
            text = page.texts[i]
            if (
                3 <= page.shapes[i].words <= 30
                and not _HEADING_END.search(text)
                and not text.endswith(":")
            ):
                following = sum(1 for s in page.shapes[i + 1 : i + 8] if s.long)
                return i if following else None
            return None
        i -= 1
        steps += 1
    return None


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))
