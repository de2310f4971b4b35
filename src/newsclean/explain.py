"""`newsclean explain`: every block of a page, kept or dropped, and why.

It reads what `newsclean clean` reads (files, `.gz`, directories, JSONL lines, WARC
records, stdin, pipes) through the same readers, and prints for each document its
blocks with the kind of a kept block or the category of a dropped one, the detail of
each drop (which rule, which evidence), then the repairs and flags. Long blocks and
repairs are cut to one screen line unless `full` is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from .batch import Settings, read_page
from .document import Document
from .pipeline import Pipeline
from .sources import iter_units

_COLOURS = {"kept": "\033[32m", "dropped": "\033[31m", "reset": "\033[0m", "dim": "\033[2m"}
SHORT = 160  # characters of a block shown without `full`
SHORT_REPAIR = 60


@dataclass(frozen=True, slots=True)
class ExplainOptions:
    """How `explain` prints: colours, whole texts, how many documents, the JSONL field."""

    colour: bool = False
    full: bool = False
    limit: int | None = None
    field: str = "text"
    id_field: str = "id"


def explain(pipeline: Pipeline, paths: list[str], out: TextIO, options: ExplainOptions) -> int:
    """Print the explanation of every document of `paths`; the number that failed."""
    settings = Settings(field=options.field, id_field=options.id_field, output_field=options.field)
    failed = 0
    shown = 0
    for unit in iter_units(paths, max_bytes=pipeline.options.max_input_bytes):
        if options.limit is not None and shown >= options.limit:
            break
        shown += 1
        try:
            page, url, doc_id = read_page(unit, settings)
            doc = pipeline.process(page, url=url)
        except Exception as exc:  # report this document, go on with the next
            failed += 1
            print(f"== {unit.label}: {exc}", file=out)
            continue
        name = unit.label + (f" (id {doc_id})" if doc_id is not None and unit.index else "")
        print_document(doc, name, out, options)
    return failed


def print_document(doc: Document, name: str, out: TextIO, options: ExplainOptions) -> None:
    """One document's blocks, drops with their detail, repairs and flags."""

    def paint(key: str) -> str:
        return _COLOURS[key] if options.colour else ""

    def cut(text: str, size: int) -> str:
        return text if options.full or len(text) <= size else text[: size - 3] + "..."

    dim, reset = paint("dim"), paint("reset")
    print(
        f"{dim}== {name}  title: {doc.title!r}  lang: {doc.lang}  format: "
        f"{doc.meta.source_format}{reset}",
        file=out,
    )
    for index, block in enumerate(doc.blocks):
        if block.drop is None:
            label = f"{paint('kept')}KEEP{reset} {block.kind:<9}"
        else:
            label = f"{paint('dropped')}DROP{reset} {block.drop.reason:<9}"
        print(f"{index:>4} {label} {cut(block.text, SHORT)}", file=out)
        if block.drop is not None and block.drop.detail:
            why = f"{block.drop.cleaner}: {block.drop.detail}"
            print(f"{dim}{'':>4}      why: {cut(why, SHORT)}{reset}", file=out)
    for repair in doc.repairs:
        if repair.reason != "normalise":
            before = cut(repair.before, SHORT_REPAIR)
            after = cut(repair.after, SHORT_REPAIR)
            print(f"{dim}repair {repair.reason}: {before!r} -> {after!r}{reset}", file=out)
    for flag in doc.flags:
        print(f"{dim}flag {flag.reason}: {flag.text!r}{reset}", file=out)
