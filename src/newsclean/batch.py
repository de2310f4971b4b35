"""Batch cleaning: many inputs in, one output each, nothing lost, all cores busy.

Inputs (see `newsclean.sources`) are files, directories, glob patterns, `-` for stdin,
JSONL files (one document per line, in a chosen field) and WARC files (one document per
HTML response record). They are read as a stream and cut into small chunks; a pool of
worker processes, each with the pipeline built once, cleans the chunks while the reader
keeps at most a few chunks in flight, so memory stays flat however large the input.

Outputs:

* text into a folder: each document becomes a `.txt` file mirroring the input tree
  (`in/sub/a.html` -> `out/sub/a.txt`; record N of `crawl.warc.gz` ->
  `out/crawl/00000N.txt`), written atomically (temporary file, then rename) by the worker
  that cleaned it; failures go to `out/newsclean-errors.jsonl`;
* JSONL (one record per document with the report, or an error record), written in input
  order to stdout or to a file. A JSONL file is written as `NAME.partial` and renamed to
  `NAME` when the run is complete, so a reader never sees a half-written output;
* text to stdout when there is no output folder, documents separated by a form-feed line.

Text outputs are plain text or Markdown (`.md` files), with YAML front matter of the
page's metadata when asked; JSONL records can carry the same fields. Every run with an
output also writes its statistics beside it, and a folder of text outputs cut from
containers gets `index.jsonl` (both from `newsclean.stats`).

`--resume` skips finished work: text files that exist (renames are atomic, so an existing
file is complete); for a JSONL file, the complete lines of `NAME.partial` (a torn last
line from a killed run is cut off), checked record by record against the inputs, which
come in a deterministic order.

Inputs are never overwritten and nothing is written outside the output folder; a bad
input is reported and the run goes on; `Summary.failed` makes the exit code non-zero.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import logging
import os
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from stat import S_ISLNK
from typing import IO, TYPE_CHECKING, Any, Literal, TextIO

from .document import Document
from .errors import ConfigError, FieldError, InputError, OutputError
from .markdown import front_matter
from .outfiles import (
    atomic_write,
    check_not_link,
    is_fatal,
    lock_folder,
    open_partial,
    output_error,
    remove_stale_temps,
    unlock,
)
from .pipeline import Pipeline
from .sources import GLOB_CHARS, Unit, iter_units, split_suffix
from .stats import (
    DocFacts,
    OutputIndex,
    RunStats,
    count_units,
    doc_facts,
    stats_path,
    write_stats,
)

if TYPE_CHECKING:
    # the process pool is imported when a run has more than one job (a short run on
    # one file does not pay for multiprocessing's imports)
    from concurrent.futures import Future, ProcessPoolExecutor

Format = Literal["txt", "jsonl", "markdown"]
ReportKind = Literal["full", "summary"]
ERRORS_NAME = "newsclean-errors.jsonl"
MAX_KEPT_ERRORS = 1000
# Between two documents written to one text stream: a line holding a form feed, the
# page break of plain text (`text.split("\f\n")` gives the documents back).
DOCUMENT_SEPARATOR = "\f\n"
log = logging.getLogger("newsclean")


@dataclass(slots=True)
class Summary:
    """What a batch run did: counts, bytes, time, drops by category, the first errors."""

    documents: int = 0
    failed: int = 0
    skipped: int = 0
    input_bytes: int = 0
    seconds: float = 0.0
    drops: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)
    output: str | None = None
    note: str = ""
    stats: RunStats = field(default_factory=RunStats)
    stats_file: str | None = None

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    def add_error(self, label: str, message: str) -> None:
        self.failed += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append((label, message))

    def line(self) -> str:
        """One line for stderr: docs, MB, docs/s, drops by category."""
        mb = self.input_bytes / 1e6
        rate = self.docs_per_s
        mbps = mb / self.seconds if self.seconds else 0.0
        top = ", ".join(f"{k} {v}" for k, v in self.drops.most_common(8))
        skipped = f", {self.skipped} already done" if self.skipped else ""
        return (
            f"{self.documents} docs, {self.failed} failed{skipped}; {mb:.2f} MB in "
            f"{self.seconds:.1f} s ({rate:.1f} docs/s, {mbps:.2f} MB/s); "
            f"drops: {top or 'none'}"
        )


@dataclass(frozen=True, slots=True)
class Settings:
    """How workers turn a unit into output (the same in every worker)."""

    fmt: Format = "txt"
    field: str = "text"
    id_field: str = "id"
    output_field: str = "text"
    report: ReportKind = "full"
    max_bytes: int = 64 * 1024 * 1024
    with_metadata: bool = False
    replace_output_field: bool = False


@dataclass(slots=True)
class Task:
    """A unit and, for text written into a folder, the file its text goes to."""

    unit: Unit
    target: str | None = None


@dataclass(slots=True)
class Outcome:
    """What a worker did with a task: the line to emit (if any), or an error."""

    line: str | None
    nbytes: int = 0
    facts: DocFacts | None = None
    error: str | None = None
    field_error: bool = False
    fatal: str | None = None  # the output cannot be written: the run must stop


# -- workers ------------------------------------------------------------------------------

_PIPELINE: Pipeline | None = None
_SETTINGS = Settings()


def _init_worker(pipeline: Pipeline, settings: Settings, parent: int | None = None) -> None:
    """Build each worker's state once: the pipeline and the output settings.

    `parent`: the pid of the batch process; the worker then exits as soon as that
    process is gone (killed with SIGKILL, say) instead of waiting for work forever.
    """
    global _PIPELINE, _SETTINGS
    _PIPELINE = pipeline
    _SETTINGS = settings
    if parent is not None:
        _exit_with_parent(parent)


def _exit_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies; a watcher thread elsewhere."""
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        if libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent died before prctl took effect
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="newsclean-parent-watch", daemon=True).start()


def _process_chunk(tasks: list[Task]) -> list[Outcome]:
    return [_process_task(task) for task in tasks]


def _process_task(task: Task) -> Outcome:
    unit, settings = task.unit, _SETTINGS
    if unit.error is not None:
        return Outcome(_error_line(unit, None, unit.error, settings), error=unit.error)
    assert _PIPELINE is not None, "worker not initialised"
    kept: dict[str, Any] | None = None
    doc_id: Any = unit.id
    try:
        source, nbytes = _load(unit, settings.max_bytes)
        url = unit.url
        if unit.kind == "jsonl":
            kept = _parse_json(source)
            doc_id = kept.get(settings.id_field)
            source = _take_field(kept, settings)
            found_url = kept.get("url")
            url = found_url if isinstance(found_url, str) else None
        doc = _PIPELINE.process(source, url=url)
        if settings.fmt != "jsonl":
            text = _rendered(doc, settings)
            facts = doc_facts(doc, text, doc_id)
            if task.target is not None:
                try:
                    atomic_write(Path(task.target), text)
                except OSError as exc:
                    if is_fatal(exc):
                        return Outcome(None, fatal=str(output_error(task.target, exc)))
                    raise
                return Outcome(None, nbytes, facts)
            return Outcome(text, nbytes, facts)
        report = doc.report()
        if settings.report == "summary":
            for key in ("drops", "repairs", "flags"):
                report.pop(key, None)
        meta: dict[str, Any] = {"source": unit.source, "index": unit.index, **report}
        if kept is None:
            kept = {"id": doc_id if doc_id is not None else unit.rel}
        if settings.with_metadata:
            kept = {**kept, **{k: v for k, v in doc.metadata().items() if k not in kept}}
        record = {**kept, settings.output_field: doc.text, "newsclean": meta}
        line = json.dumps(record, ensure_ascii=False) + "\n"
        return Outcome(line, nbytes, doc_facts(doc, line, doc_id))
    except FieldError as exc:
        return Outcome(
            _error_line(unit, doc_id, str(exc), settings), error=str(exc), field_error=True
        )
    except Exception as exc:  # a bad document must not stop the batch
        message = str(exc) or type(exc).__name__
        if not isinstance(exc, (InputError, OSError, ValueError)):
            message = f"{type(exc).__name__}: {message}"
        return Outcome(_error_line(unit, doc_id, message, settings), error=message)


def read_page(unit: Unit, settings: Settings) -> tuple[str | bytes, str | None, Any]:
    """The page, URL and id of a unit, read as a worker reads them (`explain` uses it)."""
    if unit.error is not None:
        raise InputError(unit.error)
    source, _nbytes = _load(unit, settings.max_bytes)
    if unit.kind != "jsonl":
        return source, unit.url, unit.id
    record = _parse_json(source)
    url = record.get("url")
    page = _take_field(record, replace(settings, output_field=settings.field))
    return page, url if isinstance(url, str) else None, record.get(settings.id_field)


def _rendered(doc: Document, settings: Settings) -> str:
    """A document's text output: plain text or Markdown, with a metadata header if asked."""
    if settings.fmt == "markdown":
        body = doc.to_markdown(with_metadata=settings.with_metadata)
    elif settings.with_metadata:
        body = front_matter(doc.metadata()) + ("\n" + doc.text if doc.text else "")
    else:
        body = doc.text
    return body + "\n"


def _load(unit: Unit, max_bytes: int) -> tuple[str | bytes, int]:
    """The unit's content (str when a declared charset decodes it) and its size in bytes."""
    if unit.kind == "file":
        assert unit.path is not None
        data = _read_file(Path(unit.path), max_bytes)
    else:
        assert unit.data is not None
        data = unit.data
    if unit.kind == "jsonl" or not unit.charset:
        return data, len(data)
    try:
        return data.decode(unit.charset), len(data)
    except (LookupError, UnicodeDecodeError):  # wrong or unknown charset: let read sniff
        return data, len(data)


def _read_file(path: Path, max_bytes: int) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if data[:2] == b"\x1f\x8b" and path.name.lower().endswith(".gz"):
        inflate = zlib.decompressobj(wbits=31)
        try:
            data = inflate.decompress(data, max_bytes + 1)
        except zlib.error as exc:
            raise InputError(f"bad gzip data: {exc}") from None
        if len(data) <= max_bytes and not inflate.eof:
            raise InputError("truncated gzip data")
    if len(data) > max_bytes:
        raise InputError(f"input larger than {max_bytes} bytes")
    return data


def _parse_json(line: str | bytes) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise InputError(f"invalid JSON: {exc}") from None
    if not isinstance(record, dict):
        raise InputError("JSON line is not an object")
    return record


def _take_field(record: dict[str, Any], settings: Settings) -> str:
    """The page of a JSONL record, from its `settings.field`.

    The page field stays in the record unless the clean text replaces it (the output
    field is the page field); clean text never silently replaces another field.
    """
    name, output = settings.field, settings.output_field
    value = record.get(name)
    if value is None:
        found = ", ".join(sorted(record)) or "none"
        raise FieldError(f"no {name!r} field (fields: {found}); choose one with --field")
    if not isinstance(value, str):
        raise InputError(f"a non-string {name!r} field")
    if output == name:
        del record[name]
    elif output in record and not settings.replace_output_field:
        raise FieldError(
            f"the clean text would replace the record's {output!r} field; "
            "name the field to write with --output-field"
        )
    return value


def _id_of(unit: Unit, settings: Settings) -> Any:
    """The id of a JSONL unit, read from its line (None when it has none or is not JSON)."""
    if unit.kind != "jsonl" or unit.data is None:
        return None
    try:
        record = json.loads(unit.data)
    except ValueError:
        return None
    return record.get(settings.id_field) if isinstance(record, dict) else None


def _error_line(unit: Unit, doc_id: Any, message: str, settings: Settings) -> str | None:
    """The JSONL error record of a unit (None for text output)."""
    if settings.fmt != "jsonl":
        return None
    meta = {"source": unit.source, "index": unit.index, "error": message}
    ident = doc_id if doc_id is not None else (unit.id if unit.index is not None else unit.rel)
    return json.dumps({"id": ident, "newsclean": meta}, ensure_ascii=False) + "\n"


# -- files ----------------------------------------------------------------------------------


def _write_line(sink: IO[str], line: str, where: Path | str) -> None:
    """Write one output line; a write that fails for good stops the run (`OutputError`).

    A JSON line holding a lone surrogate (a `"\\ud800"` escape in an input record, a file
    name that is not UTF-8) cannot be written as UTF-8: it is written with `\\u` escapes
    instead, which read back as the same value.
    """
    try:
        try:
            sink.write(line)
        except UnicodeEncodeError:
            sink.write(_escaped(line))
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        raise output_error(where, exc) from None


def _escaped(line: str) -> str:
    """The same line with every non-ASCII character escaped (JSON), else made UTF-8-safe."""
    try:
        return json.dumps(json.loads(line), ensure_ascii=True) + "\n"
    except ValueError:  # plain text (stdout): lone surrogates become U+FFFD
        return line.encode("utf-8", "replace").decode("utf-8")


class _Targets:
    """Where each document's text goes under `out`, mirroring the input tree.

    A loose file keeps its relative path with `.txt` for its suffix (`a.html.gz` ->
    `a.txt`); when that name belongs to another input (`a.txt` beside `a.html`, or an
    earlier `a.htm`), the file keeps its whole name (`a.html` -> `a.html.txt`). Record N
    of a JSONL or WARC file goes to `<its path without suffix>/<N, 6 digits>.txt`. A
    target is never outside `out` and never an input.
    """

    def __init__(self, out: Path, suffix: str = ".txt") -> None:
        self.out = out
        self.suffix = suffix
        self.root = out.resolve()
        self.claimed: dict[Path, str] = {}  # target file -> the input it belongs to
        self.containers: dict[tuple[str, str], Path] = {}  # (source, rel) -> its record folder
        self.real_dirs: dict[Path, Path] = {}  # folder -> its real path, found once

    def target(self, unit: Unit) -> Path:
        rel = Path(unit.rel)
        if rel.is_absolute() or ".." in rel.parts:
            raise InputError(f"refusing to write outside the output folder: {unit.rel}")
        name = rel.name
        stem, _suffix, _gz = split_suffix(name)
        if unit.index is not None:
            folder_of = self._container(unit, rel.parent, stem, name)
            target = folder_of / f"{unit.index:06d}{self.suffix}"
        else:
            target = self.out / rel.parent / f"{stem}{self.suffix}"
            owner = self.claimed.get(target)
            sibling = Path(unit.path).with_name(f"{stem}{self.suffix}") if unit.path else None
            txt_sibling = sibling is not None and sibling.name != name and sibling.exists()
            if txt_sibling or (owner is not None and owner != unit.source):
                target = self.out / rel.parent / f"{name}{self.suffix}"
        owner = self.claimed.get(target)
        if owner is not None and owner != unit.source:
            raise InputError(f"output {target} is also the output of {owner}")
        self.claimed[target] = unit.source
        return self._checked(target, unit)

    def _container(self, unit: Unit, parent: Path, stem: str, name: str) -> Path:
        """The folder of a container's records: named after its stem (`crawl.jsonl` ->
        `crawl/`), or after its whole name when another input has that folder
        (`crawl.ndjson` beside `crawl.jsonl` -> `crawl.ndjson/`). Chosen at its first
        record and kept for all of them."""
        key = (unit.source, unit.rel)
        folder = self.containers.get(key)
        if folder is None:
            folder = self.out / parent / stem
            taken = set(self.containers.values())
            first = folder / f"{unit.index:06d}.txt"
            if folder in taken or self.claimed.get(first, unit.source) != unit.source:
                folder = self.out / parent / name
            if folder in taken:
                raise InputError(f"output folder {folder} also holds the records of another input")
            self.containers[key] = folder
        return folder

    def _checked(self, target: Path, unit: Unit) -> Path:
        """`target`, unless it leads outside the output folder or onto the input."""
        folder = self.real_dirs.get(target.parent)
        try:
            if folder is None:
                folder = self.real_dirs[target.parent] = target.parent.resolve()
            try:
                mode: int | None = os.lstat(target).st_mode
            except OSError:
                mode = None  # not there yet: it cannot be an input
            is_link = mode is not None and S_ISLNK(mode)
            resolved = target.resolve() if is_link else folder / target.name
            if not resolved.is_relative_to(self.root):
                raise InputError(f"refusing to write outside the output folder: {target}")
            overwrites = mode is not None and unit.path is not None
            if overwrites and resolved == Path(str(unit.path)).resolve():
                raise InputError("output would overwrite the input; skipped")
        except (OSError, RuntimeError) as exc:  # a link loop in the output folder
            raise InputError(f"cannot use the output {target}: {exc}") from None
        return target


class _JsonlResume:
    """The complete records of an unfinished JSONL output, read back in order."""

    def __init__(self, partial: Path, *, cut: bool = True) -> None:
        self.partial = partial
        if cut:
            self._cut_torn_tail()
        self._handle = open(partial, "rb")  # noqa: SIM115 - closed in close()
        self.done = False

    def _cut_torn_tail(self) -> None:
        """Drop a last line without its newline: a record a killed run left half-written."""
        size = self.partial.stat().st_size
        with open(self.partial, "r+b") as handle:
            end = size
            while end > 0:
                start = max(0, end - 65536)
                handle.seek(start)
                block = handle.read(end - start)
                at = block.rfind(b"\n")
                if at >= 0:
                    handle.truncate(start + at + 1)
                    return
                end = start
            handle.truncate(0)

    def next_key(self) -> tuple[str, int | None] | None:
        """The (source, index) of the next finished record, or None past the last."""
        if self.done:
            return None
        line = self._handle.readline()
        if not line:
            self.close()
            return None
        try:
            meta = json.loads(line)["newsclean"]
            return (str(meta["source"]), meta.get("index"))
        except (ValueError, KeyError, TypeError):
            self.close()
            raise ConfigError(
                f"{self.partial} has a line that is not a newsclean record; rerun without --resume"
            ) from None

    def close(self) -> None:
        self.done = True
        self._handle.close()


# -- the run ----------------------------------------------------------------------------------


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def jsonl_target(out: Path) -> Path:
    """The JSONL file an output argument names: itself if it ends in .jsonl, else a file in it."""
    if out.suffix.lower() in (".jsonl", ".ndjson"):
        return out
    return out / "newsclean.jsonl"


def run_batch(
    pipeline: Pipeline,
    paths: list[str],
    out: Path | None,
    fmt: Format = "txt",
    stream: TextIO | None = None,
    *,
    jobs: int = 1,
    resume: bool = False,
    field: str = "text",
    id_field: str = "id",
    output_field: str = "text",
    pattern: str | None = None,
    report: ReportKind = "full",
    progress: bool = False,
    chunk_size: int = 8,
    on_error: Callable[[str, str], None] | None = None,
    with_metadata: bool = False,
    replace_output_field: bool = False,
    stats: RunStats | None = None,
) -> Summary:
    """Clean every input; write text files under `out`, or JSONL/text to `out` or `stream`.

    `jobs` worker processes (1: in this process) clean chunks of `chunk_size` documents.
    Output order is input order for JSONL and stdout. `on_error(label, message)` is
    called for each failure as it happens. `stats` gathers the run's statistics, which
    are written beside a folder or file output (`newsclean.stats`).
    """
    if jobs < 1:
        jobs = default_jobs()
    if resume and out is None:
        raise ConfigError("--resume needs an output (-o)")
    settings = Settings(
        fmt,
        field,
        id_field,
        output_field,
        report,
        pipeline.options.max_input_bytes,
        with_metadata,
        replace_output_field,
    )
    summary = Summary()
    stats = summary.stats = stats if stats is not None else RunStats()
    index: OutputIndex | None = None
    start = time.perf_counter()
    inputs = [Path(p).resolve() for p in paths if p != "-" and Path(p).exists()]

    targets: _Targets | None = None
    exclude: list[Path] = []
    jsonl_final: Path | None = None
    partial: Path | None = None
    resumer: _JsonlResume | None = None
    folder_lock: int | None = None
    sink: IO[str] | None = None
    if out is not None and fmt != "jsonl":
        _check_folder(out, inputs, paths)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise output_error(out, exc) from None
        folder_lock = lock_folder(out)
        targets = _Targets(out, ".md" if fmt == "markdown" else ".txt")
        index = OutputIndex(out)
        exclude.append(out)
        remove_stale_temps(out)
        summary.output = str(out)
    elif out is not None:
        jsonl_final = jsonl_target(out)
        partial = jsonl_final.with_name(jsonl_final.name + ".partial")
        for candidate in (jsonl_final, partial):
            if candidate.resolve() in inputs:
                raise ConfigError(f"output {candidate} is one of the inputs")
        exclude += [jsonl_final, partial]
        summary.output = str(jsonl_final)
        if resume and jsonl_final.exists():
            _check_finished(jsonl_final, paths, pattern, exclude, settings.max_bytes)
            summary.note = f"{jsonl_final} is complete; nothing to do"
            summary.seconds = time.perf_counter() - start
            return summary
        resuming = resume and partial.exists()
        if resuming:
            check_not_link(partial)
        sink = open_partial(partial, append=resuming)
        if resuming:
            resumer = _JsonlResume(partial)
            sink.seek(0, os.SEEK_END)  # after the torn last line was cut

    def report_error(label: str, message: str) -> None:
        summary.add_error(label, message)
        if on_error is not None:
            on_error(label, message)

    def tasks() -> Iterator[Task]:
        for unit in iter_units(
            paths, pattern=pattern, exclude=exclude, max_bytes=settings.max_bytes
        ):
            if resumer is not None and not resumer.done:
                key = resumer.next_key()
                if key is not None:
                    if key != unit.key:
                        resumer.close()
                        raise ConfigError(
                            f"{resumer.partial} does not match the inputs (found {key[0]} "
                            f"where {unit.label} was expected); rerun without --resume"
                        )
                    summary.skipped += 1
                    continue
            if targets is not None and unit.error is None:
                try:
                    target = targets.target(unit)
                except InputError as exc:
                    unit.error = str(exc)
                    yield Task(unit)
                    continue
                if resume and target.exists():
                    summary.skipped += 1
                    if index is not None and unit.index is not None:
                        index.add(str(target), unit.source, unit.index, *_id_url(unit, settings))
                    continue
                yield Task(unit, str(target))
            else:
                yield Task(unit)

    errors_sink: IO[str] | None = None
    errors_partial = out / (ERRORS_NAME + ".partial") if targets is not None and out else None
    where: Path | str = partial if partial is not None else "stdout"
    if sink is None and targets is None:
        sink = stream or sys.stdout

    separate = partial is None and fmt != "jsonl"  # text documents one after another
    written = 0
    log.info("%d worker processes; output: %s", jobs, summary.output or "stdout")
    bar = _progress_bar(count_units(paths, pattern, exclude)) if progress else None
    complete = False
    try:
        work = _chunks(tasks(), chunk_size)
        for chunk, outcomes in _parallel_map(work, jobs, pipeline, settings, targets is None):
            for task, outcome in zip(chunk, outcomes, strict=True):
                if outcome.fatal is not None:
                    raise OutputError(outcome.fatal)
                if outcome.field_error and summary.documents == 0:
                    raise ConfigError(f"{task.unit.label}: {outcome.error}")
                if outcome.error is not None:
                    stats.add_failure(outcome.error)
                    report_error(task.unit.label, outcome.error)
                    if errors_partial is not None:
                        if errors_sink is None:
                            # never resumed: whatever is at its place (a stale file, a
                            # planted link) is removed, not followed
                            errors_partial.unlink(missing_ok=True)
                            errors_sink = open_partial(errors_partial, append=False)
                        record = {
                            "source": task.unit.source,
                            "index": task.unit.index,
                            "error": outcome.error,
                        }
                        line = json.dumps(record, ensure_ascii=False) + "\n"
                        _write_line(errors_sink, line, errors_partial)
                elif outcome.facts is not None:
                    summary.documents += 1
                    summary.input_bytes += outcome.nbytes
                    summary.drops.update(outcome.facts.drops)
                    stats.add(task.unit.label, outcome.facts, outcome.nbytes)
                    if index is not None and task.target and task.unit.index is not None:
                        facts = outcome.facts
                        index.add(
                            task.target, task.unit.source, task.unit.index, facts.doc_id, facts.url
                        )
                if outcome.line is not None and sink is not None:
                    if separate and written:
                        _write_line(sink, DOCUMENT_SEPARATOR, where)
                    _write_line(sink, outcome.line, where)
                    written += 1
                log.debug("%s: %s", task.unit.label, outcome.error or "cleaned")
            _flush(sink, where)
            if bar is not None:
                bar.update(len(chunk))
        _flush(errors_sink, errors_partial or "")
        complete = True
    finally:
        if bar is not None:
            bar.close()
        if resumer is not None and not resumer.done:
            resumer.close()
        if sink is not None and partial is not None:
            _close_quietly(sink)
        if errors_sink is not None:
            _close_quietly(errors_sink)
            if not complete and errors_partial is not None:
                # a stopped run leaves no half errors file: its failures are retried
                # (they have no text file) and reported again by the resumed run
                errors_partial.unlink(missing_ok=True)
        if folder_lock is not None:
            unlock(folder_lock)
    # only a complete run gets here: publish the outputs
    try:
        if partial is not None and jsonl_final is not None:
            os.replace(partial, jsonl_final)
        if errors_partial is not None and out is not None:
            if errors_sink is not None:
                os.replace(errors_partial, out / ERRORS_NAME)
            elif summary.failed == 0:
                (out / ERRORS_NAME).unlink(missing_ok=True)
    except OSError as exc:
        raise output_error(out or "", exc) from None
    summary.seconds = time.perf_counter() - start
    stats.skipped = summary.skipped
    stats.finish()
    try:
        if out is not None:
            stats_file = stats_path(out, folder=targets is not None or jsonl_final != out)
            write_stats(stats, stats_file)
            summary.stats_file = str(stats_file)
        if index is not None and index.write() is not None:
            log.info("index of the output files in %s", out)
    except OSError as exc:
        raise output_error(out or "", exc) from None
    return summary


def _id_url(unit: Unit, settings: Settings) -> tuple[Any, str | None]:
    """The id and URL of a unit read back from its input (for a unit a resumed run skips)."""
    if unit.kind != "jsonl" or unit.data is None:
        return unit.id, unit.url
    try:
        record = json.loads(unit.data)
    except ValueError:
        return None, None
    if not isinstance(record, dict):
        return None, None
    url = record.get("url")
    return record.get(settings.id_field), url if isinstance(url, str) else None


def _flush(sink: IO[str] | None, where: Path | str) -> None:
    if sink is None:
        return
    try:
        sink.flush()
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        raise output_error(where, exc) from None


def _close_quietly(sink: IO[str]) -> None:
    """Close an output file on the way out; an error here must not hide the first one."""
    with contextlib.suppress(OSError):
        sink.close()


def _check_folder(out: Path, inputs: list[Path], paths: list[str]) -> None:
    """Refuse an output folder that is an input or holds one (it would be read back),
    whether the input is named or matched by a glob pattern, and an `-o` that is a file."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"the output {out} is a file, not a folder; choose another")
    root = out.resolve()
    for path in inputs:
        if path.is_relative_to(root):
            raise ConfigError(f"the output folder {out} holds the input {path}; choose another")
    for raw in paths:
        if raw == "-" or Path(raw).exists() or not GLOB_CHARS & set(raw):
            continue
        parts = Path(raw).parts
        fixed = parts[: next(i for i, p in enumerate(parts) if GLOB_CHARS & set(p))]
        base = Path(*fixed).resolve() if fixed else Path.cwd()
        if base.is_relative_to(root):
            raise ConfigError(f"the output folder {out} holds the inputs {raw}; choose another")


def _check_finished(
    final: Path, paths: list[str], pattern: str | None, exclude: list[Path], max_bytes: int
) -> None:
    """Accept a finished JSONL output for `--resume` only if it was made from these inputs:
    one record per input document, in the same order (read back, nothing cleaned)."""
    check_not_link(final)
    resumer = _JsonlResume(final, cut=False)
    try:
        for unit in iter_units(paths, pattern=pattern, exclude=exclude, max_bytes=max_bytes):
            key = resumer.next_key()
            if key != unit.key:
                found = "its end" if key is None else key[0]
                raise ConfigError(
                    f"{final} was not made from these inputs (found {found} where "
                    f"{unit.label} was expected); rerun without --resume"
                )
        if resumer.next_key() is not None:
            raise ConfigError(f"{final} has more records than these inputs; rerun without --resume")
    finally:
        resumer.close()


def _chunks(
    tasks: Iterable[Task], size: int, max_bytes: int = 4 * 1024 * 1024
) -> Iterator[list[Task]]:
    """Group tasks into chunks of at most `size` documents and about `max_bytes` of data."""
    chunk: list[Task] = []
    held = 0
    for task in tasks:
        chunk.append(task)
        held += len(task.unit.data or b"")
        if len(chunk) >= size or held >= max_bytes:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


def _parallel_map(
    chunks: Iterator[list[Task]], jobs: int, pipeline: Pipeline, settings: Settings, ordered: bool
) -> Iterator[tuple[list[Task], list[Outcome]]]:
    """Each chunk with its outcomes, cleaned by `jobs` processes.

    `ordered`: in input order (a slow chunk holds back the ones after it); otherwise as
    they complete. At most 4 × jobs + 2 chunks are in flight, which bounds memory. The
    first chunk is always cleaned in this process, and a run with a single chunk, or
    `jobs` = 1, stays in it.
    """
    first = [c for _, c in zip(range(2), chunks, strict=False)]
    _init_worker(pipeline, settings)
    if jobs == 1 or len(first) < 2:
        for chunk in _chain(first, chunks):  # lazily: never the whole input at once
            yield chunk, _process_chunk(chunk)
        return
    # Clean the first chunk here: the pipeline loads the resources ordinary documents
    # need (language model, word lists) and fills its caches once, and the workers forked
    # next share them copy-on-write instead of each loading their own. gc.freeze keeps
    # the collector from touching (and so copying) those objects in the workers.
    # Steps' `warm()` (every word list with every index) is deliberately not called: it
    # is serial work, with the other cores idle, that a one-process run mostly never
    # does (after cleaning all the scrapinghub pages, warming still costs 1.46 s of
    # CPU); what a worker needs later it builds itself while the others keep cleaning.
    yield first[0], _process_chunk(first[0])
    first = first[1:]
    from concurrent.futures import FIRST_COMPLETED
    from concurrent.futures import wait as futures_wait
    from concurrent.futures.process import BrokenProcessPool

    gc.freeze()
    limit = 4 * jobs + 2
    pending: dict[Future[list[Outcome]], list[Task]] = {}
    pool = _new_pool(jobs, pipeline, settings)

    def collect(block: bool) -> Iterator[tuple[list[Task], list[Outcome]]]:
        nonlocal pool
        while pending and (block or len(pending) >= limit):
            if ordered:
                done = [next(iter(pending))]  # dicts keep submission order
                futures_wait(done)
            else:
                done = list(futures_wait(pending, return_when=FIRST_COMPLETED).done)
            for future in done:
                if future not in pending:  # resubmitted by a recovery just above
                    continue
                chunk = pending.pop(future)
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    pool, outcomes = _recover(pool, chunk, pending, jobs, pipeline, settings)
                yield chunk, outcomes

    try:
        for chunk in _chain(first, chunks):
            pending[pool.submit(_process_chunk, chunk)] = chunk
            yield from collect(block=False)
        yield from collect(block=True)
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _chain(first: list[list[Task]], rest: Iterator[list[Task]]) -> Iterator[list[Task]]:
    yield from first
    yield from rest


def _new_pool(jobs: int, pipeline: Pipeline, settings: Settings) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_init_worker,
        initargs=(pipeline, settings, os.getpid()),
    )


def _recover(
    pool: ProcessPoolExecutor,
    chunk: list[Task],
    pending: dict[Future[list[Outcome]], list[Task]],
    jobs: int,
    pipeline: Pipeline,
    settings: Settings,
) -> tuple[ProcessPoolExecutor, list[Outcome]]:
    """A worker died: rerun `chunk` alone on a fresh pool, then resubmit the others.

    A chunk that kills a worker a second time is reported as failed, document by
    document, and the run goes on. (`pending` is updated in place, keeping its order.)
    """
    from concurrent.futures.process import BrokenProcessPool

    pool.shutdown(wait=True, cancel_futures=True)
    pool = _new_pool(jobs, pipeline, settings)
    try:
        outcomes = pool.submit(_process_chunk, chunk).result()
    except BrokenProcessPool:
        pool.shutdown(wait=True, cancel_futures=True)
        pool = _new_pool(jobs, pipeline, settings)
        message = "a worker process died on this chunk (out of memory or a crash)"
        outcomes = [
            Outcome(_error_line(t.unit, _id_of(t.unit, settings), message, settings), error=message)
            for t in chunk
        ]
    others = list(pending.values())
    pending.clear()
    for other in others:
        pending[pool.submit(_process_chunk, other)] = other
    return pool, outcomes


def _progress_bar(total: int | None) -> Any:
    """A progress bar on stderr; with a `total`, it shows the share done and the time left."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this
    return tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)


__all__ = [
    "DOCUMENT_SEPARATOR",
    "ERRORS_NAME",
    "Settings",
    "Summary",
    "atomic_write",
    "default_jobs",
    "jsonl_target",
    "read_page",
    "run_batch",
]
