"""Batch cleaning: many inputs in, one output each, nothing lost.

Inputs are files, directories (recursive) or `-` for stdin. Text outputs mirror
the input tree under the output folder; JSONL output is one record per document
with the report. Writes are atomic (temporary file, then rename); inputs are never
overwritten; a bad file is reported and the run goes on.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .errors import InputError, NewscleanError
from .pipeline import Pipeline

INPUT_SUFFIXES = {".txt", ".html", ".htm", ".xhtml", ".text", ".md", ""}


@dataclass(slots=True)
class Item:
    """One document to clean: where it came from and its content."""

    key: str
    source: str | bytes
    base: Path | None = None
    path: Path | None = None


@dataclass(slots=True)
class Summary:
    """What a batch run did."""

    documents: int = 0
    failed: int = 0
    skipped: int = 0
    input_bytes: int = 0
    seconds: float = 0.0
    drops: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        rate = self.documents / self.seconds if self.seconds else 0.0
        top = ", ".join(f"{k} {v}" for k, v in self.drops.most_common(6))
        return (
            f"{self.documents} docs, {self.failed} failed, {self.input_bytes / 1e6:.2f} MB, "
            f"{rate:.1f} docs/s; drops: {top or 'none'}"
        )


def iter_inputs(paths: list[str]) -> Iterator[Item | tuple[str, str]]:
    """Items to clean, or (path, error) for inputs that cannot be read."""
    for raw in paths:
        if raw == "-":
            yield Item("stdin", sys.stdin.buffer.read())
            continue
        path = Path(raw)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.suffix.lower() in INPUT_SUFFIXES and not file.name.startswith("."):
                    yield _read_item(file, path)
        elif path.is_file():
            yield _read_item(path, path.parent)
        else:
            yield (raw, "no such file or directory")


def _read_item(file: Path, base: Path) -> Item | tuple[str, str]:
    try:
        return Item(str(file.relative_to(base)), file.read_bytes(), base, file)
    except OSError as exc:
        return (str(file), exc.strerror or str(exc))


def atomic_write(target: Path, text: str) -> None:
    """Write `text` to `target` so that a reader never sees a partial file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def output_path(out: Path, item: Item) -> Path:
    """Where a text output goes: the input's relative path under `out`, ending in .txt."""
    relative = Path(item.key)
    if relative.is_absolute() or ".." in relative.parts:
        raise InputError(f"refusing to write outside the output folder: {item.key}")
    return out / relative.with_suffix(".txt")


def record(item: Item, doc_text: str, report: dict[str, Any]) -> str:
    return json.dumps({"id": item.key, "text": doc_text, **report}, ensure_ascii=False)


def run_batch(
    pipeline: Pipeline,
    paths: list[str],
    out: Path | None,
    fmt: str = "txt",
    stream: TextIO | None = None,
) -> Summary:
    """Clean every input; write txt files under `out` or JSONL to `out`/stream."""
    summary = Summary()
    start = time.perf_counter()
    stream = stream or sys.stdout
    resolved_inputs = {Path(p).resolve() for p in paths if p != "-"}
    jsonl_lines: list[str] = []
    for entry in iter_inputs(paths):
        if isinstance(entry, tuple):
            summary.failed += 1
            summary.errors.append(entry)
            continue
        item = entry
        summary.input_bytes += len(item.source)
        try:
            doc = pipeline.process(item.source)
        except NewscleanError as exc:
            summary.failed += 1
            summary.errors.append((item.key, str(exc)))
            continue
        summary.documents += 1
        summary.drops.update(d.reason for d in doc.drops)
        if fmt == "jsonl":
            line = record(item, doc.text, doc.report())
            if out is None:
                stream.write(line + "\n")
            else:
                jsonl_lines.append(line)
        elif out is None:
            stream.write(doc.text + "\n")
        else:
            target = output_path(out, item)
            if target.resolve() in resolved_inputs or (
                item.path is not None and target.resolve() == item.path.resolve()
            ):
                summary.failed += 1
                summary.errors.append((item.key, "output would overwrite an input; skipped"))
                continue
            atomic_write(target, doc.text + "\n")
    if fmt == "jsonl" and out is not None:
        target = out if out.suffix == ".jsonl" else out / "newsclean.jsonl"
        atomic_write(target, "".join(line + "\n" for line in jsonl_lines))
    summary.seconds = time.perf_counter() - start
    return summary
