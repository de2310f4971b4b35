"""What a batch run did, as a file and a table: `newsclean-stats.json` and `index.jsonl`.

Workers summarise each document they clean in a small `DocFacts` (what was dropped and
repaired, the language, whether anything was left, the id and URL it came with); the
batch process adds them up in `RunStats`, which is written beside the outputs as JSON
and printed as a table. A folder of text outputs cut from containers (JSONL lines, WARC
records) also gets `index.jsonl`, one line per output file with the id and URL of the
document it holds, since the file names (`000001.txt`) say nothing about either.

Both files are written atomically at the end of a run, so a reader never sees half of one.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import Document
from .outfiles import atomic_write
from .sources import iter_units

STATS_NAME = "newsclean-stats.json"
INDEX_NAME = "index.jsonl"
MAX_LISTED = 100  # empty documents named in the stats file
COUNT_BUDGET_S = 2.0  # how long counting the inputs for a progress bar may take


@dataclass(frozen=True, slots=True)
class DocFacts:
    """One cleaned document as the statistics see it (small: it travels between processes)."""

    drops: dict[str, int]
    repairs: dict[str, int]
    lang: str | None
    empty: bool
    out_bytes: int
    doc_id: Any = None
    url: str | None = None


def doc_facts(doc: Document, output: str, doc_id: Any = None) -> DocFacts:
    """The facts of `doc`, whose output (text, Markdown or a JSONL line) is `output`."""
    return DocFacts(
        drops=dict(Counter(d.reason for d in doc.drops)),
        repairs=dict(Counter(r.reason for r in doc.repairs)),
        lang=doc.meta.lang,
        empty=not doc.text,
        # a lone surrogate (from a JSON record) is written escaped: count it, do not fail
        out_bytes=len(output.encode("utf-8", "surrogatepass")),
        doc_id=doc_id,
        url=doc.meta.url,
    )


def failure_reason(message: str) -> str:
    """A failure's category: its message up to the first detail (`invalid JSON: …`)."""
    for mark in (": ", " ("):
        head, found, _ = message.partition(mark)
        if found and head:
            message = head
    return message.strip()[:80] or "unknown"


@dataclass(slots=True)
class RunStats:
    """Counts of a batch run, added up document by document in the batch process."""

    cleaned: int = 0
    failed: int = 0
    empty: int = 0
    skipped: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    drops: Counter[str] = field(default_factory=Counter)
    repairs: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    empty_documents: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0

    @property
    def documents_in(self) -> int:
        """Documents read this run (cleaned or failed; not those a resumed run skipped)."""
        return self.cleaned + self.failed

    @property
    def documents_out(self) -> int:
        """Documents cleaned to some text."""
        return self.cleaned - self.empty

    def add(self, label: str, facts: DocFacts, bytes_in: int) -> None:
        self.cleaned += 1
        self.bytes_in += bytes_in
        self.bytes_out += facts.out_bytes
        self.drops.update(facts.drops)
        self.repairs.update(facts.repairs)
        self.languages[facts.lang or "unknown"] += 1
        if facts.empty:
            self.empty += 1
            if len(self.empty_documents) < MAX_LISTED:
                self.empty_documents.append(label)

    def add_failure(self, message: str) -> None:
        self.failed += 1
        self.failures[failure_reason(message)] += 1

    def finish(self) -> None:
        self.seconds = time.perf_counter() - self.started

    def to_json(self) -> dict[str, Any]:
        """The statistics as a JSON-ready dict (what `newsclean-stats.json` holds)."""
        rate = self.documents_in / self.seconds if self.seconds else 0.0
        return {
            "documents": {
                "in": self.documents_in,
                "out": self.documents_out,
                "cleaned": self.cleaned,
                "failed": self.failed,
                "empty": self.empty,
                "skipped": self.skipped,
            },
            "failures_by_reason": dict(self.failures.most_common()),
            "drops_by_reason": dict(self.drops.most_common()),
            "repairs_by_reason": dict(self.repairs.most_common()),
            "languages": dict(self.languages.most_common()),
            "bytes": {"in": self.bytes_in, "out": self.bytes_out},
            "seconds": round(self.seconds, 3),
            "documents_per_second": round(rate, 2),
            "empty_documents": list(self.empty_documents),
        }

    def table(self, top: int = 8) -> str:
        """The statistics as a few aligned lines for a terminal."""
        rows: list[tuple[str, str]] = [
            ("documents", f"{self.documents_in} in, {self.documents_out} out"),
            ("", f"{self.failed} failed, {self.empty} empty, {self.skipped} skipped"),
            ("bytes", f"{self.bytes_in / 1e6:.2f} MB in, {self.bytes_out / 1e6:.2f} MB out"),
            ("time", f"{self.seconds:.1f} s"),
        ]
        for title, counts in (
            ("failures", self.failures),
            ("drops", self.drops),
            ("repairs", self.repairs),
            ("languages", self.languages),
        ):
            if counts:
                shown = ", ".join(f"{k} {v}" for k, v in counts.most_common(top))
                more = len(counts) - top
                rows.append((title, shown + (f", {more} more" if more > 0 else "")))
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"  {name:<{width}}  {value}" for name, value in rows)


class OutputIndex:
    """`index.jsonl` of a folder of text outputs: each container document's file, id, URL."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.entries: list[dict[str, Any]] = []

    def add(self, target: str, source: str, index: int | None, doc_id: Any, url: Any) -> None:
        rel = Path(target).relative_to(self.out).as_posix()
        self.entries.append(
            {"file": rel, "source": source, "index": index, "id": doc_id, "url": url}
        )

    def write(self) -> Path | None:
        """Write the index (sorted by file) when there is anything in it."""
        if not self.entries:
            return None
        self.entries.sort(key=lambda e: e["file"])
        lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.entries)
        path = self.out / INDEX_NAME
        write_atomically(path, lines)
        return path


def count_units(
    paths: Iterable[str],
    pattern: str | None = None,
    exclude: Iterable[Path] = (),
    budget_s: float = COUNT_BUDGET_S,
) -> int | None:
    """How many documents `paths` hold, for a progress bar's total and time left.

    None when that cannot be known before reading them (stdin) or counting takes longer
    than `budget_s` (a crawl of many large archives): the bar then counts without a total.
    """
    paths = list(paths)
    for raw in paths:  # stdin and pipes can be read only once
        path = Path(raw)
        if raw == "-" or (path.exists() and not (path.is_file() or path.is_dir())):
            return None
    deadline = time.perf_counter() + budget_s
    total = 0
    for total, _unit in enumerate(iter_units(paths, pattern=pattern, exclude=exclude), 1):
        if total % 256 == 0 and time.perf_counter() > deadline:
            return None
    return total


def stats_path(out: Path, folder: bool) -> Path:
    """Where a run's statistics go: in the output folder `out` (`folder`), or beside the
    JSONL file `out` names (`clean.jsonl` -> `clean.newsclean-stats.json`)."""
    if folder:
        return out / STATS_NAME
    stem = out.name.rsplit(".", 1)[0] if "." in out.name else out.name
    return out.with_name(f"{stem}.{STATS_NAME}")


def write_stats(stats: RunStats, path: Path) -> None:
    write_atomically(path, json.dumps(stats.to_json(), indent=2, ensure_ascii=False) + "\n")


def write_atomically(path: Path, text: str) -> None:
    """Write JSON `text` to `path` through a temporary file in the same folder and a
    rename (`outfiles.atomic_write`: never through a link, umask permissions); a lone
    surrogate (a file name that is not UTF-8) is written as a `\\u` escape."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    atomic_write(path, text)
