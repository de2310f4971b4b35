"""HTML → blocks and page metadata (never with network access).

The page is parsed once with lxml. Metadata (title, authors, date, url, site name,
language) comes from the markup: meta tags, JSON-LD, the title element and the
headline, read with trafilatura's metadata functions and htmldate for the date. The
body is decided by the block model (`newsclean.blocks`): the page is cut into its
DOM's text blocks, each scored from its text, its neighbours and what the DOM says of
it; blocks the model does not keep stay in the document, dropped with the category a
reader would give them (navigation, related, comments, footer, …), so the report
accounts for every word of the page and `explain` shows each drop.

Bad pages never hang: the input size is bounded by the read step, the parsed tree
is bounded in node count and depth here, and extraction runs under a wall-clock
budget (`Options.html_timeout_s`) where the platform allows one; past the budget
the step falls back to the page's visible paragraphs.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

import regex

from ..blocks.dom import BLOCK_TAGS
from ..document import Block, Document, Drop
from ..pipeline import Options

if TYPE_CHECKING:
    from ..blocks.dom import DomBlock
    from ..blocks.features import TextMemo
    from ..blocks.model import BlockModel

CLEANER = "extract"

_SPACES = regex.compile(r"[^\S\n]+")
_WORD = regex.compile(r"\w+")
# A tree bigger than this is cut down to its paragraphs before extraction: real
# articles have a few thousand elements, generated pages can have millions.
MAX_ELEMENTS = 200_000


@dataclass(slots=True)
class PageMeta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    url: str | None = None
    sitename: str | None = None
    lang: str | None = None
    # every headline the page states (meta title, <title>, og:title, the lone <h1>)
    headlines: list[str] = field(default_factory=list)


# -- time budget ---------------------------------------------------------------


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise `_Timeout` inside the block after `seconds` (main thread on Unix only).

    Elsewhere the block runs unbounded in time; the size bounds still hold.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def _raise(signum: int, frame: Any) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, _raise)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay:
            signal.setitimer(signal.ITIMER_REAL, old_delay, old_interval)


# -- parsing ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _element_classes() -> Any:
    """lxml.html's element classes, chosen in C rather than by a Python callback.

    lxml.html picks each element's class with a Python function, called every time
    an element is touched from Python (by us and by the extractor): on a news page
    that is thousands of calls. Every HTML element gets the plain `HtmlElement`
    here (the form-control subclasses add nothing the extraction uses).
    """
    from lxml import etree, html

    return etree.ElementDefaultClassLookup(
        element=html.HtmlElement,
        comment=html.HtmlComment,
        pi=html.HtmlProcessingInstruction,
        entity=html.HtmlEntity,
    )


def parse(raw: str) -> Any:
    """Parse HTML with lxml; None when there is no document in it."""
    from lxml import etree, html

    parser = html.HTMLParser(
        remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False
    )
    parser.set_element_class_lookup(_element_classes())
    text = raw
    if text.lstrip()[:5].lower() == "<?xml":
        text = text[text.find("?>") + 2 :]
    try:
        tree = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return tree if tree is not None and len(tree) else None


def _bounded(tree: Any) -> bool:
    """True when the tree is small enough for the full extractor.

    Depth needs no check of its own: libxml2 stops nesting at 255 levels.
    """
    return int(tree.xpath("count(//*)")) <= MAX_ELEMENTS


class _TextCollector(HTMLParser):
    """Visible text of any HTML, however broken or deep, in one linear pass."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text_blocks(raw: str) -> list[Block]:
    """Last resort when no tree could be used: one block per line of visible text."""
    collector = _TextCollector()
    with contextlib.suppress(Exception):
        collector.feed(raw)
        collector.close()
    blocks = []
    for line in "".join(collector.parts).split("\n"):
        text = _SPACES.sub(" ", line).strip()
        if text:
            blocks.append(Block(text, "paragraph"))
    return blocks


# -- metadata ----------------------------------------------------------------------


def page_metadata(tree: Any, url: str | None) -> PageMeta:
    """Title, authors, date, url, site name and language from the page's markup."""
    from htmldate import find_date
    from trafilatura.metadata import (
        examine_meta,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    meta = PageMeta()
    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None
    with contextlib.suppress(Exception):  # malformed JSON-LD is common and harmless
        found = extract_meta_json(tree, found)
    headline = _headline(tree)
    meta.title = _clean_title(found.title or extract_title(tree), headline)
    title_element = tree.find(".//title")
    for candidate in (
        meta.title,
        headline,
        found.title,
        title_element.text_content() if title_element is not None else None,
    ):
        if candidate and candidate.strip():
            meta.headlines.append(" ".join(candidate.split()))
    author = found.author or _byline(tree)
    if author:
        meta.authors = [a.strip() for a in regex.split(r";|,\s(?=\w+\s\w)", author) if a.strip()]
    meta.url = url or found.url or extract_url(tree)
    with contextlib.suppress(Exception):
        meta.date = find_date(tree, extensive_search=False, original_date=True, url=meta.url)
    sitename = found.sitename or extract_sitename(tree)
    meta.sitename = sitename.lstrip("@") if sitename else None
    lang = tree.get("lang") or tree.get("xml:lang")
    if lang:
        meta.lang = lang.split("-")[0].split("_")[0].strip().lower()[:3] or None
    return meta


# The elements marked as the author's: itemprop or rel "author", a class with the word
# "author" or containing "byline". Asked of the three attributes themselves, not of
# every element (libxml2 reads attributes in a predicate slowly): the same elements,
# in page order, in about two thirds of the time.
_BYLINE_XPATH = (
    "(descendant::*/@itemprop | descendant::*/@rel | descendant::*/@class)"
    '[. = "author" or name() = "class" and (contains(., "byline") or contains(., "author")'
    ' and contains(concat(" ", normalize-space(.), " "), " author "))]/..'
)


@lru_cache(maxsize=1)
def _byline_xpath() -> Any:
    from lxml import etree

    return etree.XPath(_BYLINE_XPATH)


_BY = regex.compile(r"^(?:by|par|von|por|di|door|de)\s*:?\s+", regex.IGNORECASE)


def _byline(tree: Any) -> str | None:
    """The first short author element of the page (itemprop/rel author, byline class)."""
    for element in _byline_xpath()(tree)[:10]:
        text = " ".join(element.text_content().split())
        text = _BY.sub("", text)
        if 3 <= len(text) <= 80 and " " in text and not any(c.isdigit() for c in text):
            return text
    return None


def _headline(tree: Any) -> str | None:
    """The page's only <h1>, if it has exactly one."""
    h1 = tree.findall(".//h1")
    if len(h1) == 1:
        text = " ".join(h1[0].text_content().split())
        return text or None
    return None


def _clean_title(title: str | None, headline: str | None) -> str | None:
    """Prefer the page's own headline when the metadata title is it plus a site suffix."""
    if title:
        title = " ".join(title.split())
    if headline and (not title or (headline in title and len(headline) >= 0.4 * len(title))):
        return headline
    return title or headline


# -- body ---------------------------------------------------------------------------


def _paragraph_fallback(tree: Any) -> list[Block]:
    """Best effort for pages too big or too slow for the extractor: the <p> texts."""
    blocks = []
    for p in tree.iter("p"):
        text = " ".join(p.text_content().split())
        if len(_WORD.findall(text)) >= 5:
            blocks.append(Block(text, "paragraph"))
    return blocks


# -- block rules -----------------------------------------------------------------------


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def is_headline(text: str, headlines: list[str]) -> bool:
    """True when `text` is one of the page's headlines, give or take a site suffix."""
    return _states_headline(_word_set(text), [_word_set(h) for h in headlines])


def _word_set(text: str) -> set[str]:
    """A text's distinct casefolded words."""
    return set(_WORD.findall(text.casefold()))


def _states_headline(words: set[str], headlines: list[set[str]]) -> bool:
    """True when a text of these words states a headline of these words: most of the
    text's words are the headline's, and at least half of the headline's are there."""
    if not words:
        return False
    for known in headlines:
        if not known:
            continue
        shared = len(words & known)
        if shared >= 0.8 * len(words) and shared >= 0.5 * len(known):
            return True
    return False


# -- the step ---------------------------------------------------------------------------


def _truncated(tree: Any) -> bool:
    """True when libxml2 cut the tree at its nesting limit (text below it is lost)."""
    return any(
        len(leaf) == 0 and sum(1 for _ in leaf.iterancestors()) >= 250 for leaf in tree.iter()
    )


def _title_index(blocks: list[Block], headlines: list[str], keep: list[bool]) -> int | None:
    """The block that states the page's headline, above the article's first paragraphs."""
    first_kept = next((i for i, k in enumerate(keep) if k), len(blocks))
    limit = max(first_kept + 3, 10)
    known = [_word_set(h) for h in headlines]  # each headline's words, read once
    for i, block in enumerate(blocks[:limit]):
        if _states_headline(_word_set(block.text), known):
            return i
    return None


# Block texts whose own features are remembered across pages: at most this many, each
# of at most this many characters (a site's chrome lines, which recur on its pages; an
# article's paragraph rarely does, and is not kept).
REMEMBERED_TEXTS = 8192
_REMEMBERED_CHARS = 200


def short_text_memo() -> TextMemo:
    """A memo of short block texts' own features, to keep across pages (bounded)."""
    from ..blocks.features import TextMemo

    return TextMemo(REMEMBERED_TEXTS, _REMEMBERED_CHARS)


def model_blocks(
    doc: Document,
    tree: Any,
    meta: PageMeta,
    model: BlockModel | None,
    memo: TextMemo | None = None,
) -> list[Block]:
    """The page's DOM blocks, those the block model does not keep dropped with a category.

    The cells of a row of a data table become one "a | b | c" block, kept when the model
    keeps any of its cells. `memo` remembers block texts' own features across pages.
    """
    import numpy as np

    from ..blocks import dom, naming
    from ..blocks.features import html_matrix
    from ..blocks.model import shipped

    block_model = model or shipped("html")
    title_text = tree.findtext(".//title")
    cells, parents, unseen = dom.segment_with_unseen(tree)
    if not cells:
        return []
    x = html_matrix(cells, parents, title_text.strip() if title_text else None, memo)
    containers = np.array([b.container for b in cells], dtype=np.int64)
    cell_scores = block_model.scores(x, containers)
    cell_keep = [bool(s >= block_model.threshold) for s in cell_scores]
    if not any(cell_keep):  # nothing sure: the blocks that score at least half the best one
        cell_keep = [bool(v >= LAST_RESORT * cell_scores.max()) for v in cell_scores]
    _fill_gaps(cells, cell_keep, parents)
    groups = _rows(cells)
    units = [cells[g[0]] for g in groups]
    keep = [any(cell_keep[j] for j in g) for g in groups]
    _keep_tables(cells, groups, keep)
    scores = [max(float(cell_scores[j]) for j in g) for g in groups]
    blocks = [
        Block(" | ".join(cells[j].text for j in g), "table")
        if len(g) > 1
        else Block(cells[g[0]].text, cells[g[0]].kind)
        for g in groups
    ]
    doc.blocks = blocks
    closing = _closing_links(units, keep)
    image_texts = _image_texts(tree)
    kept = [i for i, k in enumerate(keep) if k]
    first, last = (kept[0], kept[-1]) if kept else (len(blocks), -1)
    title = _title_index(blocks, meta.headlines, keep)
    if title is not None and any(keep[title + 1 :]):
        # the page's headline opens the article: what the model kept above it is the
        # page's header (a consent banner, a kicker, a date line)
        for i in range(title):
            if keep[i]:
                keep[i] = False
                scores[i] = min(scores[i], block_model.threshold)
    for i, (unit, block, k) in enumerate(zip(units, blocks, keep, strict=True)):
        if i == title:
            block.kind = "title"
            doc.drop(i, CLEANER, "title", "the page headline, kept as doc.title")
            continue
        if i in closing:
            doc.drop(i, CLEANER, "related", "closing run of linked headlines")
            continue
        if k and image_texts and _words(block.text) <= 30 and _key(block.text) in image_texts:
            doc.drop(i, CLEANER, "caption", "repeats the text of an image of the page")
            continue
        if k:
            continue
        linked = unit.link_chars >= 0.5 * len(unit.text)
        reason = (
            naming.text_category(block.text)
            or naming.dom_category(unit)
            or naming.place_category(i < first, i > last, linked, _words(block.text))
        )
        doc.drop(i, CLEANER, reason, f"block model {scores[i]:.2f}")
    doc.blocks = _with_unseen(blocks, groups, unseen, title_text)
    return doc.blocks


def _with_unseen(
    blocks: list[Block],
    groups: list[list[int]],
    unseen: list[tuple[int, str, str]],
    title_text: str | None,
) -> list[Block]:
    """The blocks with the text the walk left out put back in place, dropped: form
    controls, hidden elements, `noscript` and the document's <title>, so that the report
    accounts for every word of the page's visible text."""
    extra: dict[int, list[Block]] = {}
    group_of = [i for i, g in enumerate(groups) for _ in g]
    for position, text, category in unseen:
        at = group_of[position] if position < len(group_of) else len(blocks)
        block = Block(text, "paragraph", Drop(CLEANER, category, "not in the reading flow"))
        extra.setdefault(at, []).append(block)
    out: list[Block] = []
    title = " ".join(title_text.split()) if title_text else ""
    if title:
        out.append(Block(title, "paragraph", Drop(CLEANER, "title", "the document's <title>")))
    for i, block in enumerate(blocks):
        out.extend(extra.get(i, ()))
        out.append(block)
    out.extend(extra.get(len(blocks), ()))
    return out


def _keep_tables(cells: list[DomBlock], groups: list[list[int]], keep: list[bool]) -> None:
    """A data table is kept or dropped whole: kept when any of its rows is, or when it sits
    between kept blocks of its own container (numbers in cells read as chrome alone)."""
    n = len(groups)
    i = 0
    while i < n:
        if cells[groups[i][0]].row < 0:
            i += 1
            continue
        j = i
        while j + 1 < n and cells[groups[j + 1][0]].row >= 0:
            j += 1
        run = range(i, j + 1)
        container = cells[groups[i][0]].container
        inside = (
            i > 0
            and j + 1 < n
            and keep[i - 1]
            and keep[j + 1]
            and container in (cells[groups[i - 1][0]].container, cells[groups[j + 1][0]].container)
        )
        if any(keep[k] for k in run) or inside:
            for k in run:
                keep[k] = True
        i = j + 1


def _closing_links(units: list[DomBlock], keep: list[bool]) -> set[int]:
    """The run of two or more linked headlines that closes many articles (related stories)."""
    kept = [i for i, k in enumerate(keep) if k]
    run: list[int] = []
    for i in reversed(kept):
        unit = units[i]
        if unit.link_chars < 0.8 * len(unit.text) or _words(unit.text) > 25:
            break
        run.append(i)
    return set(run) if len(run) >= 2 and len(run) < len(kept) else set()


def _rows(cells: list[DomBlock]) -> list[list[int]]:
    """The blocks in groups: each data-table row's cells together, every other block alone."""
    groups: list[list[int]] = []
    for i, cell in enumerate(cells):
        if cell.row >= 0 and groups and cells[groups[-1][-1]].row == cell.row:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _fill_gaps(blocks: list[DomBlock], keep: list[bool], parents: list[int]) -> None:
    """Keep one or two blocks the model left out between kept blocks of their container
    (or of the container that holds the neighbours' containers: a list, a quote).

    A subhead, a sentence leading into a list or a short closing line reads as chrome
    alone; inside the article's own container, between kept blocks, it is the article.
    Blocks that name chrome by their text or their DOM (a promo box, a caption) are
    stepped over, never taken; nor are mostly linked blocks.
    """
    from ..blocks import naming

    n = len(blocks)
    i = 0
    while i < n:
        if keep[i]:
            i += 1
            continue
        j = i
        while j < n and not keep[j]:
            j += 1
        if i > 0 and j < n:
            sides = (blocks[i - 1].container, blocks[j].container)
            container = {*sides, *(parents[c] for c in sides)}
            candidates: list[int] = []
            for k in range(i, j):
                b = blocks[k]
                if naming.text_category(b.text) or naming.dom_category(b):
                    continue
                if b.container not in container or b.link_chars >= 0.5 * len(b.text):
                    candidates = []
                    break
                candidates.append(k)
            if len(candidates) <= 2:
                for k in candidates:
                    keep[k] = True
        i = j


def _key(text: str) -> str:
    """A text's words, casefolded and joined by spaces (copies of a text are found by it)."""
    return " ".join(_WORD.findall(text.casefold()))


def _image_texts(tree: Any) -> set[str]:
    """The alt and title texts of the page's images: a block saying just that is a caption."""
    texts = set()
    for image in tree.iter("img"):
        for attribute in ("alt", "title"):
            key = _key(image.get(attribute) or "")
            if len(key) >= 12:
                texts.add(key)
    return texts


# With no block above the model's threshold, those scoring this share of the best are kept.
LAST_RESORT = 0.5


def extract_html(
    doc: Document,
    options: Options,
    model: BlockModel | None = None,
    memo: TextMemo | None = None,
) -> None:
    """Fill `doc.blocks` and `doc.meta` from `doc.raw` (HTML).

    The block model (`newsclean.blocks`) reads the page's DOM blocks and keeps the
    article; every other block stays in the document, dropped with its category.
    Never hangs and never raises on bad markup: a page that cannot be parsed, is too
    big or overruns `options.html_timeout_s` gets a best-effort body (its paragraphs,
    else its visible text), and `doc.scores["html_fallback"]` says so.
    """
    tree = parse(doc.raw)
    meta = PageMeta()
    fallback = False
    doc.blocks = []
    if tree is None:
        fallback = True
    elif not _bounded(tree):
        fallback = True
        doc.blocks = _paragraph_fallback(tree)
    else:
        try:
            with time_budget(options.html_timeout_s):
                meta = page_metadata(tree, doc.meta.url)
                model_blocks(doc, tree, meta, model, memo)
        except (_Timeout, RecursionError):
            fallback = True
            doc.blocks = _paragraph_fallback(tree)
        if not doc.blocks and _truncated(tree):
            fallback = True
    if fallback and not doc.blocks:
        doc.blocks = visible_text_blocks(doc.raw)
    if fallback:
        doc.scores["html_fallback"] = 1.0
    doc.meta.title = meta.title
    doc.meta.date = meta.date
    doc.meta.sitename = meta.sitename
    doc.meta.authors = meta.authors
    if meta.url and not doc.meta.url:
        doc.meta.url = meta.url
    if not doc.meta.lang and meta.lang:
        doc.meta.lang = meta.lang
    if meta.title and options.keep_title:
        for block in doc.blocks:
            if block.kind == "title":
                block.drop = None
                break
        else:
            doc.blocks.insert(0, Block(meta.title, "title"))
