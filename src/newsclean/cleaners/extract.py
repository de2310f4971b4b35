"""Extract: raw text or HTML → ordered blocks plus page metadata.

HTML goes through trafilatura (never with network access) and keeps its structure:
headings, paragraphs, list items, quotes, tables and captions become blocks of
their kind. Plain text is split into one block per non-empty line, which is how
scraped page text arrives (paragraphs and chrome each on their own line).
"""

from __future__ import annotations

import regex

from ..document import Block, BlockKind, Document
from ..pipeline import Options

_SPACES = regex.compile(r"[^\S\n]+")
_TAG_KINDS: dict[str, BlockKind] = {
    "head": "heading",
    "p": "paragraph",
    "item": "list_item",
    "quote": "quote",
    "table": "table",
    "code": "code",
    "row": "table",
}


def text_blocks(raw: str) -> list[Block]:
    """One block per non-empty line, whitespace inside the line tidied."""
    blocks = []
    for line in raw.splitlines():
        text = _SPACES.sub(" ", line).strip()
        if text:
            blocks.append(Block(text, "line"))
    return blocks


def _element_text(element: object) -> str:
    from lxml import etree

    assert isinstance(element, etree._Element)
    parts: list[str] = []
    for node in element.iter():
        if node is not element and node.tag == "lb":
            parts.append("\n")
        if node.text and (node is element or node.tag not in ("list", "table")):
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def html_blocks(body: object) -> list[Block]:
    """Walk trafilatura's XML body and emit blocks in reading order."""
    from lxml import etree

    assert isinstance(body, etree._Element)
    blocks: list[Block] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("list", "div", "body", "main"):
                walk(child)
                continue
            if tag == "graphic":
                alt = (child.get("alt") or child.get("title") or "").strip()
                if alt:
                    blocks.append(Block(alt, "caption"))
                continue
            kind = _TAG_KINDS.get(tag, "paragraph")
            if tag == "table":
                for row in child.iter("row"):
                    text = " | ".join(_element_text(c) for c in row if _element_text(c))
                    if text:
                        blocks.append(Block(text, "table"))
                continue
            text = _element_text(child)
            if text:
                blocks.append(Block(text, kind))

    walk(body)
    return blocks


class Extract:
    """Second step: `doc.raw` → `doc.blocks` (+ title, date, authors for HTML)."""

    name = "extract"

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        if doc.meta.source_format == "html":
            self._from_html(doc)
        else:
            doc.blocks = text_blocks(doc.raw)
        return doc

    def _from_html(self, doc: Document) -> None:
        from trafilatura import bare_extraction

        result = bare_extraction(
            doc.raw,
            url=doc.meta.url,
            with_metadata=True,
            include_comments=self.options.include_comments,
            include_tables=True,
            include_images=True,
            as_dict=False,
        )
        if result is None or result.body is None:
            doc.blocks = []
            return
        doc.blocks = html_blocks(result.body)
        doc.meta.title = result.title or None
        doc.meta.date = result.date or None
        doc.meta.sitename = result.sitename or None
        if result.author:
            doc.meta.authors = [a.strip() for a in result.author.split(";") if a.strip()]
        if not doc.meta.lang and result.language:
            doc.meta.lang = result.language
        if doc.meta.title and self.options.keep_title:
            first = doc.blocks[0].text if doc.blocks else ""
            if first != doc.meta.title:
                doc.blocks.insert(0, Block(doc.meta.title, "title"))
            else:
                doc.blocks[0].kind = "title"
