"""Render a cleaned page as Markdown (CommonMark, with GitHub's pipe tables).

The extract step gives every block a kind; this module turns kinds into Markdown
structure: the title becomes a level-1 heading, headings level-2 headings, runs of list
items one list, quotes block quotes, runs of table rows one table, code a fenced block.
Text pages carry no markup, so their structure is recognised where its shape is clear:
runs of two or more lines opening with the same kind of bullet or with numbers are
lists, adjacent lines with the same number of `|`-separated cells a table, lines opening
with `>` a quote, a line already written as a Markdown heading is one, and a short line
without closing punctuation standing between two paragraphs is a heading (unless it is
data: mostly digits, or an e-mail or web address).

Everything else is a paragraph whose line openings are escaped, so that text which
happens to start with `#`, `-` or `1.` stays text. Inline characters (`*`, `_`) are
left as they are: the output is meant for people and language models, which read them
as written.

The module works on the blocks and metadata alone and imports nothing at run time, so
`Document` can offer `.markdown` without an import cycle.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import Block

_BULLET = re.compile(r"^([-*•·▪◦‣–+])\s+(\S.*)$", re.S)
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$", re.S)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*$")
# What would open a Markdown block at the start of a line: headings, quotes, list
# markers, thematic breaks, setext underlines, fences, HTML, numbered items.
_BLOCK_START = re.compile(r"^(?:[#>+*=_|<~`-]|\d{1,9}[.)](?:\s|$))")
_RULE_ROW = re.compile(r"^[\s|:-]*-{3,}[\s|:-]*$")  # `|---|:---:|`, a table's header rule
_ENTITY = re.compile(r"&(?=#?\w+;)")
_HEADING_END = frozenset(".,;:!?…\"'”’»)]")
_MAX_HEADING_WORDS = 10
_MIN_BODY_WORDS = 12


def to_markdown(
    blocks: Sequence[Block], *, text_source: bool, header: Mapping[str, Any] | None = None
) -> str:
    """The kept blocks as Markdown; `header` (metadata fields) becomes YAML front matter.

    `text_source`: the page came as plain text, so list and heading shapes are looked
    for in its lines (HTML pages already say which block is what).
    """
    kept = [b for b in blocks if b.drop is None and b.text]
    kinds: Sequence[str] = _text_kinds(kept) if text_source else [b.kind for b in kept]
    parts = list(_render(kept, kinds))
    body = "\n\n".join(parts)
    if header is not None:
        return front_matter(header) + ("\n" + body if body else "")
    return body


def front_matter(fields: Mapping[str, Any]) -> str:
    """A YAML front-matter block (`---` … `---`) of the non-empty fields.

    Strings are written as double-quoted scalars in JSON's escaping, which YAML reads
    the same way, so no value can break the block; lists are flow sequences.
    """
    lines = ["---"]
    for key, value in fields.items():
        if value is None or value == [] or value == "":
            continue
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


# -- kinds of text-page blocks -------------------------------------------------------------


def _text_kinds(blocks: Sequence[Block]) -> list[str]:
    """Each block's kind, with lists, tables, quotes and headings recognised in a text
    page's lines: a run of two or more lines with the same mark (the same bullet,
    numbers, the same number of `|`-separated cells on adjacent lines) or one or more
    lines opening with `>`."""
    kinds: list[str] = [b.kind for b in blocks]
    marks = [_line_mark(b.text, b.kind == "line") for b in blocks]
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and marks[j] is not None and marks[j] == marks[i]:
            j += 1
        mark = marks[i]
        if mark is not None and (j - i >= 2 or mark == ">"):
            kind = _MARKED_KINDS.get(mark[:1], "list_item")
            for k in range(i, j):
                kinds[k] = kind
            i = j
        else:
            i += 1
    for i in range(len(blocks)):
        if kinds[i] in ("paragraph", "line") and _is_text_heading(blocks, kinds, i):
            kinds[i] = "heading"
    return kinds


_MARKED_KINDS = {"1": "ordered_item", "|": "text_table", ">": "text_quote"}


def _line_mark(text: str, grouped: bool) -> str | None:
    """What a line opens with or is made of: its bullet, "1" for a number, ">" for a
    quote, "|" and its number of cells for a table row (only for a line among other
    lines: a table has no blank lines); None for anything else."""
    if "\n" in text:
        return None
    bullet = _BULLET.match(text)
    if bullet:
        return bullet.group(1)
    if _NUMBERED.match(text):
        return "1"
    if text.startswith(">"):
        return ">"
    if grouped and "|" in text:
        cells = _text_cells(text)
        if len(cells) >= 2 and all(cells):
            return f"|{len(cells)}"
    return None


def _text_cells(row: str) -> list[str]:
    """The cells of a text table row (`a | b`, `| a | b |`), stripped."""
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _is_text_heading(blocks: Sequence[Block], kinds: Sequence[str], i: int) -> bool:
    text = blocks[i].text
    if _MD_HEADING.match(text):
        return True
    if i == 0 or i + 1 >= len(blocks) or "\n" in text:
        return False
    words = text.split()
    if not words or len(words) > _MAX_HEADING_WORDS or text[-1] in _HEADING_END:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    letters = sum(c.isalpha() for c in text)
    if letters < 2 * sum(c.isdigit() for c in text) or "@" in text or "://" in text:
        return False  # phone numbers, dates and codes, addresses: data, not titles
    before, after = blocks[i - 1].text, blocks[i + 1].text
    return (
        kinds[i - 1] in ("paragraph", "line", "quote")
        and before[-1:] in _HEADING_END
        and kinds[i + 1] in ("paragraph", "line")
        and len(after.split()) >= _MIN_BODY_WORDS
    )


# -- rendering -------------------------------------------------------------------------


def _render(blocks: Sequence[Block], kinds: Sequence[str]) -> Iterator[str]:
    """Markdown for each group of blocks (a run of list items or table rows is one group)."""
    i = 0
    while i < len(blocks):
        kind = kinds[i]
        j = i + 1
        if kind in ("list_item", "ordered_item", "table", "text_table", "text_quote"):
            while j < len(blocks) and kinds[j] == kind:
                j += 1
        texts = [b.text for b in blocks[i:j]]
        if kind == "title":
            yield "# " + _literal(_one_line(texts[0]))
        elif kind == "heading":
            yield _heading(texts[0])
        elif kind == "list_item":
            yield "\n".join(_item("- ", _strip_mark(t, _BULLET)) for t in texts)
        elif kind == "ordered_item":
            yield "\n".join(_ordered(t) for t in texts)
        elif kind == "quote":
            yield "\n".join("> " + line if line else ">" for line in _escaped_lines(texts[0]))
        elif kind == "table":
            yield _table([_cells(_one_line(row)) for row in texts])
        elif kind == "text_table":
            rows = [_text_cells(row) for row in texts if not _RULE_ROW.match(row)]
            yield _table([[_literal(c).replace("|", "\\|") for c in row] for row in rows])
        elif kind == "text_quote":
            lines = (_escape_start(t[1:].strip()) for t in texts)
            yield "\n".join("> " + line if line else ">" for line in lines)
        elif kind == "code":
            yield _fenced(texts[0])
        else:
            yield "\n".join(_escaped_lines(texts[0]))
        i = j


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _heading(text: str) -> str:
    found = _MD_HEADING.match(text)
    if found:
        return f"{found.group(1)} {_literal(found.group(2))}"
    return "## " + _literal(_one_line(text))


def _strip_mark(text: str, pattern: re.Pattern[str]) -> str:
    found = pattern.match(text)
    return found.group(2) if found else text


def _item(marker: str, text: str) -> str:
    """A list item: the marker, then the text with continuation lines indented under it."""
    lines = list(_escaped_lines(text))
    pad = " " * len(marker)
    return marker + ("\n" + pad).join(lines)


def _ordered(text: str) -> str:
    found = _NUMBERED.match(text)
    if not found:
        return _item("1. ", text)
    return _item(f"{found.group(1)}. ", found.group(2))


def _escaped_lines(text: str) -> Iterator[str]:
    """The block's lines, each escaped where it would otherwise open a Markdown block."""
    for line in text.split("\n"):
        yield _escape_start(line.strip())


def _literal(text: str) -> str:
    """`text` with what Markdown would read as an entity (`&copy;`, `&#169;`) kept as typed."""
    return _ENTITY.sub("&amp;", text) if "&" in text else text


def _escape_start(line: str) -> str:
    line = _literal(line)
    found = _BLOCK_START.match(line)
    if not found:
        return line
    if line[0].isdigit():  # "1. " -> "1\. "
        end = found.end() - (1 if found.group(0)[-1:].isspace() else 0)
        return line[: end - 1] + "\\" + line[end - 1 :]
    return "\\" + line


def _cells(row: str) -> list[str]:
    return [_literal(cell.strip()).replace("|", "\\|") for cell in row.split(" | ")]


def _table(table: list[list[str]]) -> str:
    """Rows of cells as a pipe table; the first row is its header."""
    width = max(len(row) for row in table)
    table = [row + [""] * (width - len(row)) for row in table]
    lines = ["| " + " | ".join(row) + " |" for row in table]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)


def _fenced(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text}\n{fence}"
