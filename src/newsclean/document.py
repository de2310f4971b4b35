"""The Document that travels through the pipeline, and the records cleaners leave on it.

A cleaner never deletes text silently: it marks a block dropped with a `Drop`
(who and why), or records a `Repair` (who, why, before, after), or a `Flag`
for something it noticed but left in place. The user's text is the kept blocks
joined by blank lines; the report is the drops, repairs and flags.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from .markdown import to_markdown

BlockKind = Literal[
    "title", "heading", "paragraph", "list_item", "quote", "caption", "table", "code", "line"
]
SourceFormat = Literal["text", "html", "unknown"]


@dataclass(frozen=True, slots=True)
class Drop:
    """Why a block was removed: the cleaner that removed it and a category name."""

    cleaner: str
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Repair:
    """A change made to text: `before` became `after` in block `block` (None: whole document)."""

    cleaner: str
    reason: str
    before: str
    after: str
    block: int | None = None


@dataclass(frozen=True, slots=True)
class Flag:
    """Something noticed and left in place (or marked): a span of a block's text."""

    cleaner: str
    reason: str
    block: int
    start: int
    end: int
    text: str
    suggestion: str | None = None


@dataclass(slots=True)
class Block:
    """One unit of the page: a paragraph, heading, list item, caption or line."""

    text: str
    kind: BlockKind = "paragraph"
    drop: Drop | None = None

    @property
    def kept(self) -> bool:
        return self.drop is None


@dataclass(slots=True)
class Metadata:
    """What is known about the page besides its blocks."""

    title: str | None = None
    url: str | None = None
    lang: str | None = None
    #: the caller's language hint (a prior the language step weighs, not an override)
    lang_hint: str | None = None
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    sitename: str | None = None
    source_format: SourceFormat = "unknown"
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class DroppedBlock:
    """A dropped block as the report shows it."""

    index: int
    text: str
    kind: BlockKind
    cleaner: str
    reason: str
    detail: str = ""


@dataclass(slots=True)
class Document:
    """A page on its way through the pipeline.

    `source` is what the user passed (str or bytes); the read step turns it into
    `raw` (str), the extract step into `blocks`; later steps mark and repair blocks.
    `scores` holds document-level numbers cleaners compute (e.g. a noise score).
    """

    source: str | bytes = ""
    raw: str = ""
    blocks: list[Block] = field(default_factory=list)
    meta: Metadata = field(default_factory=Metadata)
    repairs: list[Repair] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)

    # -- what users read -------------------------------------------------
    @property
    def text(self) -> str:
        """The article: kept, non-empty blocks joined by blank lines."""
        return "\n\n".join(b.text for b in self.blocks if b.kept and b.text)

    @property
    def markdown(self) -> str:
        """The article as Markdown: headings, lists, quotes and tables kept as structure."""
        return self.to_markdown()

    def to_markdown(self, *, with_metadata: bool = False) -> str:
        """The article as Markdown, opened by YAML front matter of `metadata()` if asked."""
        return to_markdown(
            self.blocks,
            text_source=self.meta.source_format != "html",
            header=self.metadata() if with_metadata else None,
        )

    def metadata(self) -> dict[str, Any]:
        """What is known about the page, as output headers carry it (JSON-ready)."""
        return {
            "title": self.meta.title,
            "authors": list(self.meta.authors),
            "date": self.meta.date,
            "url": self.meta.url,
            "sitename": self.meta.sitename,
            "lang": self.meta.lang,
        }

    @property
    def title(self) -> str | None:
        return self.meta.title

    @property
    def lang(self) -> str | None:
        return self.meta.lang

    @property
    def kept_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.kept]

    @property
    def drops(self) -> list[DroppedBlock]:
        return [
            DroppedBlock(i, b.text, b.kind, b.drop.cleaner, b.drop.reason, b.drop.detail)
            for i, b in enumerate(self.blocks)
            if b.drop is not None
        ]

    # -- what cleaners call ------------------------------------------------
    def drop(self, index: int, cleaner: str, reason: str, detail: str = "") -> None:
        """Mark block `index` dropped; the first drop of a block wins."""
        block = self.blocks[index]
        if block.drop is None:
            block.drop = Drop(cleaner, reason, detail)

    def replace_text(self, index: int, new: str, cleaner: str, reason: str) -> None:
        """Change a block's text and record the change as a Repair."""
        old = self.blocks[index].text
        if new != old:
            self.blocks[index].text = new
            self.repairs.append(Repair(cleaner, reason, old, new, index))

    # -- the report ----------------------------------------------------------
    def report(self) -> dict[str, Any]:
        """A JSON-ready summary: drops by category, repairs, flags, metadata, scores."""
        drops_by_reason = Counter(d.reason for d in self.drops)
        repairs_by_reason = Counter(r.reason for r in self.repairs)
        return {
            "title": self.meta.title,
            "lang": self.meta.lang,
            "url": self.meta.url,
            "date": self.meta.date,
            "authors": list(self.meta.authors),
            "sitename": self.meta.sitename,
            "source_format": self.meta.source_format,
            "encoding": self.meta.encoding,
            "drops_by_reason": dict(drops_by_reason),
            "repairs_by_reason": dict(repairs_by_reason),
            "drops": [
                {"index": d.index, "cleaner": d.cleaner, "reason": d.reason, "text": d.text}
                for d in self.drops
            ],
            "repairs": [
                {"cleaner": r.cleaner, "reason": r.reason, "before": r.before, "after": r.after}
                for r in self.repairs
            ],
            "flags": [
                {
                    "cleaner": f.cleaner,
                    "reason": f.reason,
                    "block": f.block,
                    "start": f.start,
                    "end": f.end,
                    "text": f.text,
                    "suggestion": f.suggestion,
                }
                for f in self.flags
            ],
            "scores": dict(self.scores),
        }
