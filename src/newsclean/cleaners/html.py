"""HTML → blocks and page metadata, built on trafilatura (never with network access).

The page is parsed once with lxml. Metadata (title, authors, date, url, site name,
language) comes from the markup: meta tags, JSON-LD, the title element and the
headline, with htmldate for the date. The body comes from trafilatura's main
extractor, whose XML keeps the structure: headings, paragraphs, list items,
quotes, tables. Each block remembers how much of its text sat inside links in
the page, and block-level rules then mark what trafilatura let through and the
page's own markup or layout gives away as chrome: the headline repeated as the
first block, link teasers ("Related: …", a fully linked one-liner), the run of
linked headlines that closes many articles. Each such block is dropped with a
category, never deleted, so `explain` shows it.

Bad pages never hang: the input size is bounded by the read step, the parsed tree
is bounded in node count and depth here, and extraction runs under a wall-clock
budget (`Options.html_timeout_s`) where the platform allows one; past the budget
the step falls back to the page's visible paragraphs.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from importlib import resources
from typing import Any

import regex

from ..document import Block, BlockKind, Document
from ..pipeline import Options

CLEANER = "extract"

_SPACES = regex.compile(r"[^\S\n]+")
_WORD = regex.compile(r"\w+")
_TERMINAL = regex.compile(r"[.!?…:;\"”’»)]\s*$")
_TAG_KINDS: dict[str, BlockKind] = {
    "head": "heading",
    "p": "paragraph",
    "item": "list_item",
    "quote": "quote",
    "table": "table",
    "code": "code",
    "row": "table",
}
# A tree bigger than this is cut down to its paragraphs before extraction: real
# articles have a few thousand elements, generated pages can have millions.
MAX_ELEMENTS = 200_000
PRUNE = True


@dataclass(slots=True)
class HtmlBlock:
    """A block with what the page's markup said about it."""

    block: Block
    link_chars: int = 0

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.block.text))


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
    # the alt and title texts of the page's images: a block saying just that is a caption
    image_texts: set[str] = field(default_factory=set)


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


_BLOCK_TAGS = frozenset(
    (
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "figcaption",
        "main",
        "aside",
        "nav",
        "form",
        "title",
    )
)


class _TextCollector(HTMLParser):
    """Visible text of any HTML, however broken or deep, in one linear pass."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text_blocks(raw: str) -> list[HtmlBlock]:
    """Last resort when no tree could be used: one block per line of visible text."""
    collector = _TextCollector()
    with contextlib.suppress(Exception):
        collector.feed(raw)
        collector.close()
    blocks = []
    for line in "".join(collector.parts).split("\n"):
        text = _SPACES.sub(" ", line).strip()
        if text:
            blocks.append(HtmlBlock(Block(text, "paragraph")))
    return blocks


# -- chrome markers in the DOM ------------------------------------------------------


@lru_cache(maxsize=1)
def _chrome_data() -> dict[str, Any]:
    source = resources.files("newsclean").joinpath("data/html_chrome.toml").read_text("utf-8")
    return tomllib.loads(source)


@lru_cache(maxsize=1)
def _markers() -> dict[str, str]:
    """Marker token → category, from `data/html_chrome.toml`."""
    table: dict[str, list[str]] = _chrome_data()["markers"]
    return {token.lower(): category for category, tokens in table.items() for token in tokens}


# Elements that are chrome by their tag alone, whatever their class says.
_CHROME_TAGS = {"figcaption": "caption"}


@lru_cache(maxsize=4096)
def _named_category(names: str) -> str | None:
    """The chrome category a class/id string names, if any (pages repeat them a lot).

    Each name, in order, matches as a whole or by one of its "-"/"_" parts.
    """
    markers = _markers()
    for name in names.lower().split():
        category = markers.get(name)
        if category:
            return category
        if "-" in name or "_" in name:
            for part in name.replace("_", "-").split("-"):
                category = markers.get(part)
                if category:
                    return category
    return None


def _marked(root: Any) -> list[tuple[Any, str]]:
    """The elements below `root` that carry a chrome marker, with its category, in page order.

    A marker is the tag itself (figcaption), a class or id naming chrome (the class
    decides when both do), `hidden`/`aria-hidden="true"`, or an inline
    `display:none`. One walk reads each element's attributes once (most have none):
    several times cheaper than an XPath query for candidates whose attributes are
    then read one by one.
    """
    found = []
    for element in root.iterdescendants():
        tag = element.tag
        if tag in _CHROME_TAGS:
            found.append((element, _CHROME_TAGS[tag]))
            continue
        attributes = element.items()
        if not attributes or tag in ("html", "body") or not isinstance(tag, str):
            continue
        classes = ident = style = None
        hidden = False
        for name, value in attributes:
            if name == "class":
                classes = value
            elif name == "id":
                ident = value
            elif name == "style":
                style = value
            elif name == "hidden" or (name == "aria-hidden" and value == "true"):
                hidden = True
        category = (classes and _named_category(classes)) or (ident and _named_category(ident))
        if not category and (
            hidden or (style and "display:none" in style.replace(" ", "").lower())
        ):
            category = "hidden"
        if category:
            found.append((element, category))
    return found


def prune_chrome(tree: Any, body_share: float = 0.3) -> dict[str, int]:
    """Remove elements whose class/id/aria mark them as chrome; count removals by category.

    An element holding a large share of the page's text is never removed, whatever
    its name says: a wrapper named "post-share-wrap" around the whole article is a
    naming accident, not a share bar.
    """
    body = tree.find("body")
    root = body if body is not None else tree
    total = max(1, len(root.text_content()))
    found = _marked(root)
    # Tooltips and hover cards sit next to the words they explain, often inside one
    # wrapper named like them: only the innermost marked element goes, never a link.
    popups = {element for element, category in found if category == "hidden"}
    removed: dict[str, int] = {}
    for element, category in found:
        if element.getparent() is None or any(
            a.get("data-nc-gone") for a in element.iterancestors()
        ):
            continue
        if element in popups and (
            element.tag == "a"
            or any(d in popups and d.tag != "a" for d in element.iterdescendants())
        ):
            continue
        if len(element.text_content()) > body_share * total:
            continue
        element.set("data-nc-gone", "1")
        removed[category] = removed.get(category, 0) + 1
    for element, _ in found:
        if element.get("data-nc-gone") and element.getparent() is not None:
            element.drop_tree()
    return removed


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
    for image in tree.iter("img"):
        for attribute in ("alt", "title"):
            key = _key(image.get(attribute) or "")
            if len(key) >= 12:
                meta.image_texts.add(key)
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


def _element_text(element: Any) -> tuple[str, int]:
    """Text of a trafilatura body element (lines kept) and how many characters were links."""
    parts: list[str] = []
    linked = 0
    for node in element.iter():
        if node is not element and node.tag == "lb":
            parts.append("\n")
        if node.text and (node is element or node.tag not in ("list", "table")):
            parts.append(node.text)
            if node.tag == "ref":
                linked += len(node.text.strip())
        if node is not element and node.tail:
            parts.append(node.tail)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line), linked


_CONTAINERS = frozenset({"list", "div", "body", "main", "section", "article"})
_INLINE = frozenset({"ref", "hi", "span", "del", "b", "i", "em", "strong", "a"})
# A paragraph ends open when its last character is not one of these (a trailing space
# counts as open, an empty text as closed): read off the end rather than searched for
# with a regex, which costs a scan of the whole paragraph.
_CLOSERS = frozenset((*'.!?…:;"”’»)]', ""))
_CONTINUES = regex.compile(r"^\s*[\p{Ll},.;:)\]’”]")


def body_blocks(body: Any) -> list[HtmlBlock]:
    """Walk trafilatura's XML body and emit blocks in reading order.

    Trafilatura sometimes cuts a paragraph around a link, leaving `<p>…is</p>
    <ref>a link</ref><p>, and more</p>` or bare text between paragraphs; such
    pieces are glued back to the paragraph they continue, so that a sentence is
    one block and a link inside it is not mistaken for a teaser.
    """
    blocks: list[HtmlBlock] = []

    def glue(text: str, linked: int, inline: bool) -> bool:
        if not blocks:
            return False
        last = blocks[-1]
        if last.block.kind != "paragraph" or last.block.text[-1:] in _CLOSERS:
            return False
        if last.link_density >= 0.8 and linked < 0.5 * len(text):
            return False  # plain text after a link item starts a block of its own
        if not inline and not _CONTINUES.match(text):
            return False
        sep = "" if text[:1] in ",.;:)]" else " "
        last.block.text = f"{last.block.text}{sep}{text}"
        last.link_chars += linked
        return True

    def add_inline(text: str, linked: int) -> None:
        text = _SPACES.sub(" ", text).strip()
        if text and not glue(text, linked, inline=True):
            blocks.append(HtmlBlock(Block(text, "paragraph"), linked))

    def walk(element: Any) -> None:
        if element.text and element.text.strip():
            add_inline(element.text, 0)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _CONTAINERS:
                walk(child)
            elif tag in _INLINE:
                text, linked = _element_text(child)
                add_inline(text, len(text) if tag == "ref" else linked)
            elif tag == "table":
                for row in child.iter("row"):
                    cells = [_element_text(c) for c in row]
                    text = " | ".join(t for t, _ in cells if t)
                    if text:
                        blocks.append(HtmlBlock(Block(text, "table"), sum(n for _, n in cells)))
            elif tag not in ("graphic", "lb", ""):
                text, linked = _element_text(child)
                kind = _TAG_KINDS.get(tag, "paragraph")
                if text and not (kind == "paragraph" and glue(text, linked, inline=False)):
                    blocks.append(HtmlBlock(Block(text, kind), linked))
            if child.tail and child.tail.strip():
                add_inline(child.tail, 0)

    walk(body)
    return blocks


# trafilatura's settings (its `Extractor` arguments); `comments` and `precision` vary
_TRAFILATURA: dict[str, Any] = {
    "tables": True,
    "images": False,
    "links": True,
    "with_metadata": False,
    # any format but "python" spares the text rendering of the body, which goes unused
    "output_format": "xml",
}


@lru_cache(maxsize=8)
def _extractor(comments: bool, precision: bool) -> Any:
    """trafilatura's settings for one kind of pass, built once rather than on every call."""
    from trafilatura.settings import Extractor

    return Extractor(**_TRAFILATURA, comments=comments, precision=precision)


def _extract_body(tree: Any, options: Options, precise: bool = True) -> list[HtmlBlock]:
    """trafilatura's main body of `tree` as blocks, in its precision mode or its balanced one.

    No URL is passed: with one, trafilatura resolves every link target against it,
    which costs about 5% of its time, and the blocks keep only how much text was
    linked, never where the links go.
    """
    from trafilatura import bare_extraction

    result = bare_extraction(tree, options=_extractor(options.include_comments, precise))
    body = getattr(result, "body", None)
    return [] if body is None else body_blocks(body)


# Below this many characters the precise extraction probably missed the article.
SHORT_BODY = 600


def _recall_fallback(tree: Any, blocks: list[HtmlBlock], options: Options) -> list[HtmlBlock]:
    """Re-extract in trafilatura's balanced mode when the precise pass found almost nothing.

    The balanced pass is kept only when it finds at least twice as much text: a
    short page stays short, a page whose article the precise pass missed gets it.
    """
    found = sum(len(b.block.text) for b in blocks)
    if found >= SHORT_BODY:
        return blocks
    wider = _extract_body(tree, options, precise=False)
    return wider if sum(len(b.block.text) for b in wider) >= 2 * max(found, 1) else blocks


_KEY_LENGTH = 200


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """The text's words, casefolded, as a comparison key of at most 200 characters.

    Cached: the same block texts are compared several times per page. Only the
    start of a long text is read: when its complete words already fill the key,
    the rest cannot change it.
    """
    head = text[: 2 * _KEY_LENGTH]
    words = _WORD.findall(head.casefold())
    if len(head) < len(text) and words:
        # the last word of the head may be cut short: keep it out
        key = " ".join(words[:-1])
        if len(key) >= _KEY_LENGTH:
            return key[:_KEY_LENGTH]
        words = _WORD.findall(text.casefold())
    return " ".join(words)[:_KEY_LENGTH]


def _signature(element: Any) -> tuple[str, str] | None:
    parent = element.getparent()
    if parent is None or not parent.get("class"):
        return None
    return parent.tag, " ".join(sorted(parent.get("class").split()))


def strip_code(tree: Any) -> set[Any]:
    """Remove the page's scripts and style sheets, except JSON-LD; return the <p> that held one.

    The extractor throws them away too, keeping the text that follows each, as this
    does; removed up front they no longer weigh on its copies of the tree and its
    passes over it (about a tenth of its time on news pages, whose scripts are often
    most of the markup). JSON-LD stays: the extractor reads article text and page
    type from it.
    """
    from lxml import etree

    held: set[Any] = set()
    json_ld = []
    for element in tree.iter("script", "style"):
        held.update(element.iterancestors("p"))
        if element.tag == "script" and element.get("type") == "application/ld+json":
            json_ld.append(element)
    for element in json_ld:
        element.tag = "json-ld"  # spared by the strip below
    etree.strip_elements(tree, "script", "style", with_tail=False)
    for element in json_ld:
        element.tag = "script"
    return held


def _rejoin_split_body(
    tree: Any, blocks: list[HtmlBlock], held_code: set[Any] | frozenset[Any] = frozenset()
) -> list[HtmlBlock]:
    """Add the article paragraphs the extractor left in sibling copies of its container.

    Many sites cut the article body into several containers of the same class
    (ads or paywall slots between them); the extractor keeps one. Paragraphs in
    other containers of that same (tag, class) signature, long and free of links,
    are put back in document order. A paragraph that holds a script or a style
    sheet (`held_code` names those already removed) is never one of them.
    """
    if not blocks:
        return blocks
    where = {_key(b.block.text): i for i, b in enumerate(blocks) if b.block.kind == "paragraph"}
    paragraphs = []
    for p in tree.iter("p"):
        if p in held_code or next(p.iter("style", "script"), None) is not None:
            continue
        text = " ".join(p.text_content().split())
        if len(text) >= 80:
            paragraphs.append((p, text, _signature(p)))
    matched: dict[tuple[str, str], int] = {}
    holders = set()
    for p, text, sig in paragraphs:
        if sig is not None and _key(text) in where:
            matched[sig] = matched.get(sig, 0) + 1
            holders.add(p.getparent())
    if not matched:
        return blocks
    best = max(matched, key=lambda k: matched[k])
    if matched[best] < 2:
        return blocks
    inserts: dict[int, list[HtmlBlock]] = {}
    anchor = -1
    added = 0
    for p, text, sig in paragraphs:
        key = _key(text)
        if key in where:
            anchor = where[key]
            continue
        if sig != best or p.getparent() in holders:
            continue
        linked = sum(len(a.text_content()) for a in p.iter("a"))
        if linked > 0.3 * len(text) or len(_WORD.findall(text)) < 15:
            continue
        inserts.setdefault(anchor, []).append(HtmlBlock(Block(text, "paragraph"), linked))
        added += 1
    if not added:
        return blocks
    out = list(inserts.get(-1, []))
    for i, hb in enumerate(blocks):
        out.append(hb)
        out.extend(inserts.get(i, []))
    return out


def _paragraph_fallback(tree: Any) -> list[HtmlBlock]:
    """Best effort for pages too big or too slow for the extractor: the <p> texts."""
    blocks = []
    for p in tree.iter("p"):
        text = " ".join(p.text_content().split())
        if len(_WORD.findall(text)) >= 5:
            blocks.append(HtmlBlock(Block(text, "paragraph")))
    return blocks


# -- block rules -----------------------------------------------------------------------


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def is_headline(text: str, headlines: list[str]) -> bool:
    """True when `text` is one of the page's headlines, give or take a site suffix."""
    words = _WORD.findall(text.casefold())
    if not words:
        return False
    for headline in headlines:
        known = _WORD.findall(headline.casefold())
        if not known:
            continue
        shared = len(set(words) & set(known))
        if shared >= 0.8 * len(set(words)) and shared >= 0.5 * len(set(known)):
            return True
    return False


@lru_cache(maxsize=4)
def _prefix(table: str) -> regex.Pattern[str]:
    """The openings listed under `[table] prefix` in `data/html_chrome.toml`, as one pattern."""
    patterns = _chrome_data()[table]["prefix"]
    return regex.compile("|".join(f"(?:{p})" for p in patterns), regex.IGNORECASE)


def _teaser_prefix() -> regex.Pattern[str]:
    return _prefix("teaser")


def mark_chrome(
    doc: Document,
    blocks: list[HtmlBlock],
    headlines: list[str],
    image_texts: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Drop, with a category, the blocks the page's layout shows to be chrome."""
    teaser_prefix = _teaser_prefix()
    first_text = next((i for i, b in enumerate(blocks) if b.block.kind != "heading"), len(blocks))
    seen_title = False
    for i, hb in enumerate(blocks):
        block = hb.block
        # the headline package above the text: the headline, then its standfirst
        if i < first_text:
            if not seen_title and is_headline(block.text, headlines):
                block.kind = "title"
                seen_title = True
                doc.drop(i, CLEANER, "title", "the page headline, kept as doc.title")
                continue
            if seen_title and _words(block.text) >= 6:
                doc.drop(i, CLEANER, "standfirst", "the summary under the headline")
                continue
        density = hb.link_density
        words = _words(block.text)
        if words <= 30 and block.kind != "heading" and _key(block.text) in image_texts:
            doc.drop(i, CLEANER, "caption", "repeats the text of an image of the page")
            continue
        if block.kind in ("paragraph", "list_item") and density >= 0.5:
            if teaser_prefix.match(block.text):
                doc.drop(i, CLEANER, "link_teaser", f"{density:.0%} of it links elsewhere")
                continue
            if _prefix("tags").match(block.text):
                doc.drop(i, CLEANER, "tags", "a list of the page's tags or sections")
                continue
            if density >= 0.9 and words <= 20 and not _TERMINAL.search(block.text):
                doc.drop(i, CLEANER, "link_teaser", f"{density:.0%} of it links elsewhere")
                continue
    # the closing run of linked headlines ("more from…", related stories)
    tail = len(blocks)
    while tail > 0:
        hb = blocks[tail - 1]
        if hb.block.kind == "title" or hb.link_density < 0.8 or _words(hb.block.text) > 25:
            break
        tail -= 1
    if len(blocks) - tail >= 2:
        for i in range(tail, len(blocks)):
            doc.drop(i, CLEANER, "related_links", "closing run of linked headlines")


# -- the step ---------------------------------------------------------------------------


def _truncated(tree: Any) -> bool:
    """True when libxml2 cut the tree at its nesting limit (text below it is lost)."""
    return any(
        len(leaf) == 0 and sum(1 for _ in leaf.iterancestors()) >= 250 for leaf in tree.iter()
    )


def extract_html(doc: Document, options: Options) -> None:
    """Fill `doc.blocks` and `doc.meta` from `doc.raw` (HTML).

    Never hangs and never raises on bad markup: a page that cannot be parsed, is too
    big for the extractor or overruns `options.html_timeout_s` gets a best-effort
    body (its paragraphs, else its visible text), and `doc.scores["html_fallback"]`
    says so.
    """
    tree = parse(doc.raw)
    blocks: list[HtmlBlock] = []
    meta = PageMeta()
    fallback = False
    if tree is None:
        fallback = True
    elif not _bounded(tree):
        fallback = True
        blocks = _paragraph_fallback(tree)
    else:
        try:
            with time_budget(options.html_timeout_s):
                meta = page_metadata(tree, doc.meta.url)
                if PRUNE:
                    prune_chrome(tree)
                held_code = strip_code(tree)
                blocks = _extract_body(tree, options)
                blocks = _recall_fallback(tree, blocks, options)
                blocks = _rejoin_split_body(tree, blocks, held_code)
        except (_Timeout, RecursionError):
            fallback = True
            blocks = _paragraph_fallback(tree)
        if not blocks and _truncated(tree):
            fallback = True
    if fallback and not blocks:
        blocks = visible_text_blocks(doc.raw)
    if fallback:
        doc.scores["html_fallback"] = 1.0
    doc.blocks = [hb.block for hb in blocks]
    doc.meta.title = meta.title
    doc.meta.date = meta.date
    doc.meta.sitename = meta.sitename
    doc.meta.authors = meta.authors
    if meta.url and not doc.meta.url:
        doc.meta.url = meta.url
    if not doc.meta.lang and meta.lang:
        doc.meta.lang = meta.lang
    mark_chrome(doc, blocks, meta.headlines, meta.image_texts)
    if meta.title and options.keep_title:
        for block in doc.blocks:
            if block.kind == "title":
                block.drop = None
                break
        else:
            doc.blocks.insert(0, Block(meta.title, "title"))
