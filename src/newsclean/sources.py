"""Input readers for batch cleaning: files, directories, globs, stdin, JSONL and WARC.

Readers stream. They yield one `Unit` per document, reading JSONL line by line and WARC
record by record, so memory does not grow with the size of an input. They only find
document boundaries: reading a loose file, parsing a JSONL line and cleaning are left to
the workers, so the process that reads stays light while the workers are busy.

A failure (a missing path, an unreadable file, a truncated archive, an over-long line) is
yielded as a `Unit` carrying an `error`, at the place in the input order where it
happened, so a batch run can report it and go on.

The order of units is deterministic for a given set of inputs (paths sorted, lines and
records in file order); `--resume` of a JSONL output relies on this.
"""

from __future__ import annotations

import fnmatch
import glob as globlib
import gzip
import json
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

DOC_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml", ".md", ""})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
WARC_SUFFIXES = frozenset({".warc"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
GLOB_CHARS = frozenset("*?[")

UnitKind = Literal["file", "bytes", "jsonl", "error"]
InputKind = Literal["doc", "jsonl", "warc"]


@dataclass(slots=True)
class Unit:
    """One document to clean, or one failure to report, in input order.

    `source` names the input file as found (`-` for stdin); `rel` is its path relative
    to the folder it was found under (what text outputs mirror); `index` is the line
    number (JSONL) or the HTML-record number (WARC) inside a container, None for a
    whole file. `kind` says where the content is: read `path` in the worker ("file"),
    `data` is the document ("bytes") or a raw JSON line ("jsonl").
    """

    source: str
    rel: str
    index: int | None
    kind: UnitKind
    data: bytes | None = None
    path: str | None = None
    id: str | None = None
    url: str | None = None
    charset: str | None = None
    error: str | None = None

    @property
    def key(self) -> tuple[str, int | None]:
        """What identifies this unit in a JSONL output (for resume)."""
        return (self.source, self.index)

    @property
    def label(self) -> str:
        """How messages name this unit: the file, with `:N` inside a container."""
        return self.source if self.index is None else f"{self.source}:{self.index}"


def split_suffix(name: str) -> tuple[str, str, bool]:
    """(stem, suffix, gzipped) of a file name: `a.warc.gz` -> ("a", ".warc", True)."""
    gz = name.lower().endswith(".gz")
    if gz:
        name = name[:-3]
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return name, "", gz
    return stem, "." + ext.lower(), gz


def input_kind(name: str) -> InputKind:
    """What a file holds, from its name: one document, JSONL records or WARC records."""
    _, suffix, _ = split_suffix(name)
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in WARC_SUFFIXES:
        return "warc"
    return "doc"


def is_known_input(name: str) -> bool:
    """Whether a file found in a directory is something to clean (by its suffix)."""
    _, suffix, _ = split_suffix(name)
    return suffix in DOC_SUFFIXES or suffix in JSONL_SUFFIXES or suffix in WARC_SUFFIXES


def iter_units(
    paths: Iterable[str],
    *,
    pattern: str | None = None,
    exclude: Iterable[Path] = (),
    max_bytes: int = 64 * 1024 * 1024,
) -> Iterator[Unit]:
    """Every document (or failure) of `paths`, in a deterministic order.

    A path is a file, a directory (walked recursively, hidden entries skipped), a glob
    pattern (`data/**/*.html`, expanded here so it works quoted) or `-` for stdin.
    `pattern` keeps only the files of a directory whose relative path matches it
    (fnmatch, `*` also crosses `/`). `exclude` paths (the output) are never read.
    """
    excluded = {p.resolve() for p in exclude}
    for raw in paths:
        if raw == "-":
            yield from _stdin_units(max_bytes)
            continue
        path = Path(raw)
        if path.is_dir():
            for file, problem in _walk(path, excluded):
                rel = file.relative_to(path).as_posix()
                if problem is not None:
                    yield Unit(str(file), rel, None, "error", error=problem)
                    continue
                if pattern is not None:
                    if not (fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(file.name, pattern)):
                        continue
                elif not is_known_input(file.name):
                    continue
                yield from _file_units(file, rel, max_bytes)
        elif path.is_file():
            if path.resolve() not in excluded:
                yield from _file_units(path, path.name, max_bytes)
        elif path.exists():  # a pipe or a device: `<(command)`, /dev/stdin, /dev/null
            yield _stream_unit(path, max_bytes)
        elif GLOB_CHARS & set(raw):
            yield from _glob_units(raw, excluded, max_bytes)
        else:
            yield Unit(raw, path.name, None, "error", error="no such file or directory")


def _stream_unit(path: Path, max_bytes: int) -> Unit:
    """A file that is not a regular one, read here, once, as one document."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return Unit(str(path), path.name, None, "error", error=exc.strerror or str(exc))
    if len(data) > max_bytes:
        return Unit(
            str(path), path.name, None, "error", error=f"input larger than {max_bytes} bytes"
        )
    return Unit(str(path), path.name, None, "bytes", data=data)


def _walk(root: Path, excluded: set[Path]) -> Iterator[tuple[Path, str | None]]:
    """Files under `root`, sorted, skipping hidden entries and the excluded paths; with
    each, None, or the reason it cannot be read (a folder that cannot be listed, a link
    that loops or leads nowhere, a file gone since the folder was listed).

    A folder's real path is found once; a file in it that is not a symbolic link has
    that path plus its name, so only links cost a full resolution (one `lstat` per file
    instead of one per path component: the reading process stays light). Links to
    folders are not followed (`os.walk`'s rule), so a link loop cannot make the walk
    endless.
    """
    unlisted: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=unlisted.append):
        while unlisted:
            failed = unlisted.pop(0)
            yield Path(failed.filename or folder), f"cannot list folder: {failed.strerror}"
        here = Path(folder)
        real = _real(here)
        if real is None:
            continue
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and _real(here / d) not in excluded
        )
        for name in sorted(files):
            if name.startswith("."):
                continue
            file = here / name
            try:
                mode = os.lstat(file).st_mode
            except OSError as exc:
                yield file, exc.strerror or "cannot read"
                continue
            if stat.S_ISLNK(mode):
                target = _real(file)
                if target is None:
                    yield file, "symbolic link loop"
                elif target not in excluded:
                    if target.is_file():
                        yield file, None
                    elif not target.exists():
                        yield file, "symbolic link to nothing"
            elif stat.S_ISREG(mode) and real / name not in excluded:
                yield file, None
    while unlisted:  # the root itself could not be listed
        failed = unlisted.pop(0)
        yield Path(failed.filename or root), f"cannot list folder: {failed.strerror}"


def _real(path: Path) -> Path | None:
    """The real path, or None for a symbolic link loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def _glob_units(raw: str, excluded: set[Path], max_bytes: int) -> Iterator[Unit]:
    parts = Path(raw).parts
    fixed = [p for p in parts[: next(i for i, p in enumerate(parts) if GLOB_CHARS & set(p))]]
    base = Path(*fixed) if fixed else Path(".")
    matches = sorted(Path(m) for m in globlib.glob(raw, recursive=True))
    files = [m for m in matches if m.is_file() and not _under(_real(m), excluded)]
    if not files:
        yield Unit(raw, raw, None, "error", error="no files match this pattern")
    for file in files:
        yield from _file_units(file, file.relative_to(base).as_posix(), max_bytes)


def _under(path: Path | None, excluded: set[Path]) -> bool:
    """Whether `path` is (or lies in) an excluded path; a link loop counts as excluded."""
    return path is None or any(path.is_relative_to(e) for e in excluded)


def _file_units(file: Path, rel: str, max_bytes: int) -> Iterator[Unit]:
    kind = input_kind(file.name)
    if kind == "doc":
        yield Unit(str(file), rel, None, "file", path=str(file))
        return
    try:
        handle: IO[bytes] = open(file, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        yield Unit(str(file), rel, None, "error", error=exc.strerror or str(exc))
        return
    with handle:
        stream: IO[bytes] = handle
        if file.name.lower().endswith(".gz") and kind == "jsonl":
            stream = gzip.GzipFile(fileobj=handle)  # type: ignore[assignment]
        if kind == "jsonl":
            yield from jsonl_units(stream, str(file), rel, max_bytes)
        else:
            yield from warc_units(stream, str(file), rel, max_bytes)


def _stdin_units(max_bytes: int) -> Iterator[Unit]:
    """stdin, sniffed: a WARC stream, JSONL (first byte `{`), or one document."""
    stream: IO[bytes] = sys.stdin.buffer
    head = _peek(stream, 64)
    if head.startswith(b"\x1f\x8b"):
        stream = gzip.GzipFile(fileobj=stream)  # type: ignore[assignment]
        head = _peek(stream, 64)
    if head.startswith(b"WARC/"):
        yield from warc_units(stream, "-", "stdin", max_bytes)
        return
    first = b""
    if head.lstrip().startswith(b"{"):
        try:
            first = stream.readline(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:
            yield Unit("-", "stdin", None, "error", error=f"cannot read stdin: {exc}")
            return
        if _is_json_object(first):  # JSONL: its first line is a JSON object
            lines: IO[bytes] = _Prepended(first, stream)  # type: ignore[assignment]
            yield from jsonl_units(lines, "-", "stdin", max_bytes)
            return
    try:  # one document (text that merely starts with `{` included)
        data = first + stream.read(max_bytes + 1 - len(first))
    except (OSError, EOFError, zlib.error) as exc:
        yield Unit("-", "stdin", None, "error", error=f"cannot read stdin: {exc}")
        return
    if len(data) > max_bytes:
        yield Unit("-", "stdin", None, "error", error=f"input larger than {max_bytes} bytes")
    else:
        yield Unit("-", "stdin", None, "bytes", data=data)


def _content(raw: bytes, coding: str, max_bytes: int) -> bytes:
    """A record's body with its HTTP content encoding undone, at most `max_bytes`."""
    if len(raw) > max_bytes:
        raise ValueError(f"record larger than {max_bytes} bytes")
    if coding in ("", "identity"):
        return raw
    if coding == "br":
        return _brotli(raw, max_bytes)
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise ValueError(f"unsupported content encoding {coding!r}")
    # gzip or zlib header detected (47); raw deflate, as some servers send it (-15)
    for wbits in (47, -15):
        inflate = zlib.decompressobj(wbits=wbits)
        try:
            body = inflate.decompress(raw, max_bytes + 1)
        except zlib.error as exc:
            error = exc
            continue
        if len(body) > max_bytes:
            raise ValueError(f"record larger than {max_bytes} bytes once decompressed")
        if not inflate.eof:
            raise ValueError(f"truncated {coding} body")
        return body
    raise ValueError(f"bad {coding} body: {error}")


def _brotli(raw: bytes, max_bytes: int) -> bytes:
    """A brotli body (the `brotli` module comes with fastwarc), at most `max_bytes`."""
    import brotli

    inflate = brotli.Decompressor()
    try:
        body: bytes = inflate.process(raw, output_buffer_limit=max_bytes + 1)
    except brotli.error as exc:
        raise ValueError(f"bad br body: {exc}") from None
    if len(body) > max_bytes:
        raise ValueError(f"record larger than {max_bytes} bytes once decompressed")
    if not inflate.is_finished():
        raise ValueError("truncated br body")
    return body


def _is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


class _Prepended:
    """A byte stream with a line already read from it put back in front (for readline)."""

    def __init__(self, first: bytes, rest: IO[bytes]) -> None:
        self.first: bytes | None = first
        self.rest = rest

    def readline(self, size: int = -1) -> bytes:
        if self.first is not None:
            line, self.first = self.first, None
            return line
        return self.rest.readline(size)


def _peek(stream: IO[bytes], size: int) -> bytes:
    peek = getattr(stream, "peek", None)
    if peek is None:  # pragma: no cover - stdin and GzipFile both have peek
        return b""
    data: bytes = peek(size)
    return data[:size]


def jsonl_units(stream: IO[bytes], source: str, rel: str, max_bytes: int) -> Iterator[Unit]:
    """One unit per non-blank line; JSON is parsed later, in the worker."""
    number = 0
    while True:
        try:
            line = stream.readline(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:
            yield Unit(source, rel, number + 1, "error", error=f"cannot read: {exc}")
            return
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            yield Unit(source, rel, number, "error", error=f"line longer than {max_bytes} bytes")
            try:
                while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass
            except (OSError, EOFError, zlib.error) as exc:
                yield Unit(source, rel, number + 1, "error", error=f"cannot read: {exc}")
                return
            continue
        if line.strip():
            yield Unit(source, rel, number, "jsonl", data=line)


def warc_units(stream: IO[bytes], source: str, rel: str, max_bytes: int) -> Iterator[Unit]:
    """One unit per HTML response record (HTTP content encodings decoded).

    The content encoding (gzip, deflate, br) is decoded here, record by record, with the
    size cap: a record whose body is damaged or inflates past the cap is that record's
    failure, and the records after it are read as usual.
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    number = 0
    try:
        records = ArchiveIterator(
            stream, record_types=WarcRecordType.response, parse_http=True, auto_decode="transfer"
        )
        for record in records:
            content_type = (record.http_content_type or "").split(";")[0].strip().lower()
            if content_type not in HTML_TYPES:
                continue
            number += 1
            uri = record.headers.get("WARC-Target-URI")
            coding = (record.http_headers.get("Content-Encoding") or "").strip().lower()
            try:
                body = _content(record.reader.read(max_bytes + 1), coding, max_bytes)
            except ValueError as exc:
                yield Unit(
                    source, rel, number, "error", id=record.record_id, url=uri, error=str(exc)
                )
                continue
            yield Unit(
                source,
                rel,
                number,
                "bytes",
                data=body,
                id=record.record_id,
                url=uri,
                charset=record.http_charset,
            )
    except (OSError, EOFError, ValueError, zlib.error) as exc:
        yield Unit(source, rel, number + 1, "error", error=f"bad WARC: {exc}")
