"""HTML → the page's text blocks, each with what its DOM says about it.

One walk over the lxml tree. A block is the text between two block-level boundaries
(a paragraph, a list item, a table cell, a heading, a `<br>`…); inline elements join
their text into it. Each block remembers the element it began in, from which the walk
derives the DOM features: the block's tag, which landmark elements hold it (nav,
header, footer, aside, form, article, main, list, table, figure), the chrome and
content names in the class and id attributes of it and its ancestors, how much of its
text is link text, its depth, and its container (the nearest sectioning ancestor),
whose text density and link density the model reads too. Scripts, styles, forms'
controls and elements hidden by attribute or inline style are skipped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import regex

from ..document import BlockKind

# Runs of white space (the `regex` module's `\s`, which leaves out the information
# separators U+001C-U+001F that `re` counts): the standard module's scan is faster.
_SPACES = re.compile(r"[^\S\x1c-\x1f]+")
_HAS_WORD = regex.compile(r"\w")
_NAME_SPLIT = regex.compile(r"[^a-z0-9]+")

SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "head",
        "select",
        "option",
        "textarea",
        "input",
        "button",
        "video",
        "audio",
        "map",
    ]
)
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
BLOCK_TAGS = HEADINGS | frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dl",
        "dd",
        "dt",
        "tr",
        "td",
        "th",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "form",
        "fieldset",
        "legend",
        "label",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "address",
        "center",
        "details",
        "summary",
        "hr",
        "br",
        "body",
        "html",
        "title",
        "menu",
    ]
)
# Skipped elements whose text a page's visible text still holds, and the category the
# report gives it.
_UNSEEN_CATEGORY = {
    "noscript": "script",
    "select": "form",
    "textarea": "form",
    "button": "form",
    "object": "embed",
    "video": "embed",
    "audio": "embed",
}
# Ancestors that say where a block sits (a bit each).
LANDMARKS = (
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "article",
    "main",
    "ul",
    "table",
    "figure",
    "blockquote",
    "section",
    "label",
)
_LANDMARK_BIT = {tag: 1 << i for i, tag in enumerate(LANDMARKS)}
_LANDMARK_BIT["ol"] = _LANDMARK_BIT["ul"]
_LANDMARK_BIT["menu"] = _LANDMARK_BIT["ul"]
_LANDMARK_BIT["dl"] = _LANDMARK_BIT["ul"]
_LANDMARK_BIT["fieldset"] = _LANDMARK_BIT["form"]
_LANDMARK_BIT["figcaption"] = _LANDMARK_BIT["figure"]
_LANDMARK_BIT["legend"] = _LANDMARK_BIT["label"]

# Names in class, id and role attributes (whole tokens, or the start of a longer one).
MARKERS = (
    ("nav", ("nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "pagination")),
    ("header", ("header", "masthead", "topbar", "banner", "branding", "logo")),
    ("footer", ("footer", "copyright", "colophon", "bottom")),
    ("sidebar", ("sidebar", "aside", "widget", "rail", "side", "column", "col")),
    ("comments", ("comment", "comments", "disqus", "reply", "respond", "discussion")),
    ("share", ("share", "sharing", "social", "facebook", "twitter", "print", "email")),
    ("related", ("related", "recommended", "popular", "trending", "more", "teaser", "recirc")),
    ("advert", ("ad", "ads", "advert", "advertisement", "sponsor", "promo", "banner", "dfp")),
    ("cookie", ("cookie", "cookies", "consent", "gdpr", "privacy")),
    ("newsletter", ("newsletter", "subscribe", "signup", "subscription")),
    ("caption", ("caption", "credit", "figcaption", "photo", "image", "img", "gallery")),
    ("byline", ("byline", "author", "date", "time", "meta", "published", "dateline")),
    ("tags", ("tag", "tags", "category", "categories", "topics", "keywords", "label")),
    ("search", ("search", "login", "signin", "account", "modal", "popup", "overlay")),
    ("hidden", ("hidden", "sr", "visually", "screen", "offscreen", "tooltip")),
    ("article", ("article", "story", "post", "entry", "content", "body", "text", "main")),
    ("headline", ("title", "headline", "heading", "hed")),
    ("lead", ("lead", "intro", "summary", "teaser", "standfirst", "excerpt", "abstract")),
)
MARKER_NAMES = tuple(name for name, _ in MARKERS)
_MARKER_BIT = {token: 1 << i for i, (_, tokens) in enumerate(MARKERS) for token in tokens}
# Markers of five letters or more also count at the start or end of a longer token.
_LONG_MARKER_BIT = {t: b for t, b in _MARKER_BIT.items() if len(t) >= 5}
_LONG_MIN = min(map(len, _LONG_MARKER_BIT))
_LONG_MAX = max(map(len, _LONG_MARKER_BIT))
# Distinct class/id/role strings remembered with what they say (a page repeats its
# class names, and a site's pages share them): the most recent this many, each of at
# most this many characters, so the memory stays within a few megabytes.
_NAMES_CACHE_SIZE = 16_384
_NAMES_CACHE_CHARS = 200

_TAG_KIND: dict[str, BlockKind] = {
    "h1": "heading",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
    "li": "list_item",
    "dd": "list_item",
    "dt": "list_item",
    "td": "table",
    "th": "table",
    "pre": "code",
    "figcaption": "caption",
    "caption": "caption",
}
_TAG_CODES = ("p", "div", "li", "td", "h", "a", "span", "dd", "blockquote", "pre", "caption")
_CONTAINERS = frozenset(
    [
        "div",
        "section",
        "article",
        "main",
        "ul",
        "ol",
        "table",
        "aside",
        "nav",
        "header",
        "footer",
        "form",
        "body",
        "td",
        "dl",
        "blockquote",
        "figure",
    ]
)


def _token_bits(token: str) -> int:
    """The marker bits of one lower-case token: a whole marker, or, for a token of six
    letters or more, every long marker it starts or ends with.

    The long markers are found by looking up the token's prefixes and suffixes of a
    marker's length (a dozen dictionary look-ups) rather than by trying every marker.
    """
    bit = _MARKER_BIT.get(token)
    if bit is not None:
        return bit
    bits = 0
    if len(token) >= 6:
        get = _LONG_MARKER_BIT.get
        for size in range(_LONG_MIN, min(len(token), _LONG_MAX) + 1):
            bits |= get(token[:size], 0) | get(token[-size:], 0)
    return bits


def _names_marker_bits(names: str) -> int:
    """The marker bits that a class/id/role string names."""
    bits = 0
    for token in _NAME_SPLIT.split(names.lower()):
        if token:
            bits |= _token_bits(token)
    return bits


_remembered_marker_bits = lru_cache(maxsize=_NAMES_CACHE_SIZE)(_names_marker_bits)


def _marker_bits(names: str) -> int:
    """The marker bits that a class/id/role string names (a short one remembered)."""
    if len(names) <= _NAMES_CACHE_CHARS:
        return _remembered_marker_bits(names)
    return _names_marker_bits(names)


# Class names of text a reader does not see in the flow: screen-reader labels, and the
# pop-up cards some sites nest inside the name they describe (a "rollover-people" span
# holding the name and, inside it, a "rollover-people-block" card): the element of such
# a family nested inside another of the same family is the card.
_UNSEEN = regex.compile(
    r"(?:^|\s)(?:sr-only|visually-hidden|screen-reader-text|tooltip|popover|hovercard)(?:$|\s)",
    regex.IGNORECASE,
)
_CARD_FAMILY = regex.compile(
    r"(?:^|\s)((?:rollover|hovercard|popover|tooltip)[\w-]*)", regex.IGNORECASE
)


def _names_class_facts(names: str) -> tuple[bool, str | None]:
    """What a class attribute says of an element's visibility: whether it names text a
    reader does not see (`_UNSEEN`), and the card family it belongs to, if any."""
    match = _CARD_FAMILY.search(names)
    family = match.group(1).lower().split("-")[0] if match else None
    return _UNSEEN.search(names) is not None, family


_remembered_class_facts = lru_cache(maxsize=_NAMES_CACHE_SIZE)(_names_class_facts)


def _class_facts(names: str) -> tuple[bool, str | None]:
    """`_names_class_facts`, a short class string's remembered."""
    if len(names) <= _NAMES_CACHE_CHARS:
        return _remembered_class_facts(names)
    return _names_class_facts(names)


def forget() -> None:
    """Drop the remembered class/id/role strings (memory only: answers never change)."""
    _remembered_marker_bits.cache_clear()
    _remembered_class_facts.cache_clear()


def _hidden(element: Any, names: str | None) -> bool:
    """Hidden by attribute, inline style or class: not text a reader sees.

    `names` is the element's class attribute (the walk reads it once per element)."""
    get = element.get
    if get("hidden") is not None or get("aria-hidden") == "true":
        return True
    if names and _class_facts(names)[0]:
        return True
    style = get("style")
    if style:
        folded = style.replace(" ", "").lower()
        return "display:none" in folded or "visibility:hidden" in folded
    return False


def _card(element: Any, names: str | None) -> bool:
    """A pop-up card: an element of a card family inside another of its family.

    `names` is the element's class attribute."""
    family = _class_facts(names)[1] if names else None
    if family is None:
        return False
    parent = element.getparent()
    while parent is not None:
        outer = parent.get("class")
        if outer and family in outer.lower():
            return True
        parent = parent.getparent()
    return False


def _own_markers(names: str | None, ident: str | None, role: str | None) -> int:
    """The marker bits of an element's class, id and role attributes together.

    Each attribute is looked up alone (a unique id does not hide its element's
    repeated class string from the memory); the bits of the three joined by spaces
    are the union of theirs."""
    bits = _marker_bits(names) if names else 0
    if ident:
        bits |= _marker_bits(ident)
    if role:
        bits |= _marker_bits(role)
    return bits


_HEADING_LEVEL = {tag: int(tag[1]) for tag in HEADINGS}


@dataclass(slots=True)
class DomBlock:
    """A block of text and where it sat in the page's DOM."""

    text: str
    kind: BlockKind
    tag: str
    heading: int
    landmarks: int
    markers: int
    local_markers: int
    depth: int
    link_chars: int
    links: int
    container: int
    # the data-table row the block is a cell of (-1: none); cells of one row are
    # printed as one "a | b | c" block
    row: int = -1


@dataclass(slots=True)
class _Context:
    tag: str
    heading: int
    quote: bool
    landmarks: int
    markers: int
    own_markers: int
    local_markers: int
    depth: int
    container: int
    link: bool
    row: int = -1


# A table row whose cells hold any of these is page layout, not a row of data.
_LAYOUT = HEADINGS | frozenset(
    [
        "div",
        "table",
        "ul",
        "ol",
        "dl",
        "form",
        "section",
        "article",
        "nav",
        "aside",
        "header",
        "footer",
        "blockquote",
        "pre",
        "li",
    ]
)
_MAX_ROW_CHARS = 600


def _data_row(row: Any) -> bool:
    """A table row of data: two or more cells of inline text, short altogether."""
    cells = [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
    if len(cells) < 2:
        return False
    for cell in cells:
        for inner in cell.iterdescendants():
            if isinstance(inner.tag, str) and inner.tag.lower() in _LAYOUT:
                return False
    return len(row.text_content()) <= _MAX_ROW_CHARS


class _Segmenter:
    """Collects blocks while walking the tree (one instance per page)."""

    def __init__(self) -> None:
        self.blocks: list[DomBlock] = []
        self.parts: list[str] = []
        self.owner: _Context | None = None
        self.link_chars = 0
        self.links = 0
        self.container_parent: list[int] = [-1]
        self.rows = 0
        # text a reader does not see in the flow: (blocks before it, text, category)
        self.unseen: list[tuple[int, str, str]] = []

    def skip(self, element: Any, category: str) -> None:
        """Remember the text of an element the walk leaves out, for the report."""
        text = _SPACES.sub(" ", " ".join(element.itertext())).strip()
        if _HAS_WORD.search(text):
            # reported after the block being read (the walk does not cut it there)
            self.unseen.append((len(self.blocks) + (self.owner is not None), text, category))

    def add(self, text: str, ctx: _Context) -> None:
        if self.owner is None:
            if not text.strip():
                return
            self.owner = ctx
        self.parts.append(text)
        if ctx.link:
            self.link_chars += len(text.strip())

    def flush(self) -> None:
        """End the block being read (if any) and start afresh."""
        owner = self.owner
        if owner is None:  # nothing read since the last flush: only a link count to forget
            self.links = 0
            return
        text = _SPACES.sub(" ", "".join(self.parts)).strip()
        if _HAS_WORD.search(text):
            kind: BlockKind = _TAG_KIND.get(owner.tag, "paragraph")
            if owner.quote and kind == "paragraph":
                kind = "quote"
            self.blocks.append(
                DomBlock(
                    text,
                    kind,
                    owner.tag,
                    owner.heading,
                    owner.landmarks,
                    owner.markers,
                    owner.local_markers,
                    owner.depth,
                    min(self.link_chars, len(text)),
                    self.links,
                    owner.container,
                    owner.row,
                )
            )
        self.parts = []
        self.owner = None
        self.link_chars = 0
        self.links = 0

    def child_context(
        self, element: Any, tag: str, names: str | None, block: bool, ctx: _Context
    ) -> _Context:
        """The context of `element` (tag `tag`, class `names`, a block element or not)
        inside `ctx`."""
        get = element.get
        ident = get("id")
        role = get("role")
        own = _own_markers(names, ident, role) if names or ident or role else 0
        container = ctx.container
        if tag in _CONTAINERS:
            container = len(self.container_parent)
            self.container_parent.append(ctx.container)
        row = ctx.row
        if tag == "tr":
            row = -1
            if _data_row(element):
                self.rows += 1
                row = self.rows
        return _Context(
            tag if block or ctx.tag == "" else ctx.tag,
            _HEADING_LEVEL.get(tag, 0) or ctx.heading,
            ctx.quote or tag == "blockquote",
            ctx.landmarks | _LANDMARK_BIT.get(tag, 0),
            ctx.markers | own,
            own,
            own | ctx.own_markers,
            ctx.depth + 1,
            container,
            ctx.link or tag == "a",
            row,
        )

    def walk(self, element: Any, ctx: _Context) -> None:
        """Read the children of `element` (whose context is `ctx`) into blocks.

        This loop runs once for every element of the page, so its body is written out
        rather than split into helpers that each element would call."""
        for child in element:
            tag = child.tag
            if isinstance(tag, str):
                tag = tag.lower()
                if tag in SKIP:
                    category = _UNSEEN_CATEGORY.get(tag)
                    if category:
                        self.skip(child, category)
                else:
                    names = child.get("class")
                    if _hidden(child, names) or (names and _card(child, names)):
                        self.skip(child, "hidden")
                    else:
                        # a block element is a block of its own: the text before it
                        # and the text after it are other blocks
                        block = tag in BLOCK_TAGS
                        if block:
                            self.flush()
                        inner = self.child_context(child, tag, names, block, ctx)
                        if tag == "a":
                            self.links += 1
                        text = child.text
                        if text:
                            self.add(text, inner)
                        if len(child):
                            self.walk(child, inner)
                        if block:
                            self.flush()
            tail = child.tail
            if tail:
                self.add(tail, ctx)


def segment(tree: Any) -> tuple[list[DomBlock], list[int]]:
    """The text blocks of a parsed page in reading order, and each container's parent."""
    blocks, parents, _ = segment_with_unseen(tree)
    return blocks, parents


def segment_with_unseen(tree: Any) -> tuple[list[DomBlock], list[int], list[tuple[int, str, str]]]:
    """`segment`, and the text the walk left out (form controls, hidden elements,
    `noscript`), each with the number of blocks before it and its category."""
    body = tree.find("body")
    root = body if body is not None else tree
    seg = _Segmenter()
    ctx = _Context("body", 0, False, 0, 0, 0, 0, 0, 0, False)
    if root.text:
        seg.add(root.text, ctx)
    seg.walk(root, ctx)
    seg.flush()
    return seg.blocks, seg.container_parent, seg.unseen


DOM_NAMES = (
    *(f"tag_{t}" for t in _TAG_CODES),
    "heading_level",
    *(f"in_{t}" for t in LANDMARKS),
    *(f"marked_{m}" for m in MARKER_NAMES),
    *(f"near_{m}" for m in MARKER_NAMES),
    "log_depth",
    "link_share",
    "log_links",
    "container_log_words",
    "container_log_blocks",
    "container_link_share",
    "share_of_container",
    "container_share_of_page",
    "parent_container_share_of_page",
)


def _tag_code(tag: str) -> str:
    if tag in HEADINGS:
        return "h"
    if tag == "th":
        return "td"
    if tag in ("dt", "dd"):
        return "dd"
    if tag == "figcaption":
        return "caption"
    return tag


def dom_matrix(
    blocks: list[DomBlock], container_parent: list[int], words: np.ndarray
) -> np.ndarray:
    """The DOM columns (`DOM_NAMES`) of each block; `words`: each block's word count."""
    n = len(blocks)
    if n == 0:
        return np.zeros((0, len(DOM_NAMES)))
    codes = {t: i for i, t in enumerate(_TAG_CODES)}
    rows = np.zeros((n, len(DOM_NAMES)))
    n_tags = len(_TAG_CODES)
    n_land = len(LANDMARKS)
    n_mark = len(MARKER_NAMES)
    land_bits = np.array([1 << i for i in range(n_land)])
    mark_bits = np.array([1 << i for i in range(n_mark)])
    landmarks = np.array([b.landmarks for b in blocks])
    markers = np.array([b.markers for b in blocks])
    local = np.array([b.local_markers for b in blocks])
    for i, b in enumerate(blocks):
        code = codes.get(_tag_code(b.tag))
        if code is not None:
            rows[i, code] = 1.0
    col = n_tags
    rows[:, col] = [b.heading for b in blocks]
    col += 1
    rows[:, col : col + n_land] = (landmarks[:, None] & land_bits) > 0
    col += n_land
    rows[:, col : col + n_mark] = (markers[:, None] & mark_bits) > 0
    col += n_mark
    rows[:, col : col + n_mark] = (local[:, None] & mark_bits) > 0
    col += n_mark
    chars = np.array([max(1, len(b.text)) for b in blocks], dtype=np.float64)
    link = np.array([b.link_chars for b in blocks], dtype=np.float64)
    rows[:, col] = [math.log1p(b.depth) for b in blocks]
    rows[:, col + 1] = link / chars
    rows[:, col + 2] = np.log1p([b.links for b in blocks])
    col += 3
    container = np.array([b.container for b in blocks])
    k = len(container_parent)
    c_words = np.bincount(container, weights=words, minlength=k)
    c_blocks = np.bincount(container, minlength=k).astype(np.float64)
    c_chars = np.bincount(container, weights=chars, minlength=k)
    c_link = np.bincount(container, weights=link, minlength=k)
    # a container's parent holds its text too
    parent = np.array(container_parent)
    p_words = c_words.copy()
    for child in range(k - 1, 0, -1):
        p = parent[child]
        if p >= 0:
            p_words[p] += p_words[child]
    total = max(1.0, float(words.sum()))
    rows[:, col] = np.log1p(c_words[container])
    rows[:, col + 1] = np.log1p(c_blocks[container])
    rows[:, col + 2] = c_link[container] / np.maximum(1.0, c_chars[container])
    rows[:, col + 3] = words / np.maximum(1.0, c_words[container])
    rows[:, col + 4] = c_words[container] / total
    parents = np.maximum(parent[container], 0)
    rows[:, col + 5] = p_words[parents] / total
    return rows
