"""Batch runs under hostile inputs and faults: nothing lost, nothing written outside.

Each test is a failure once seen on a real run: a bad record, name, link or folder must
be reported while the run goes on; a run that cannot write must stop with one line and
leave nothing half-written; no two inputs may share an output.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
from pathlib import Path

import pytest

import newsclean.batch as batch
from newsclean.batch import ERRORS_NAME, run_batch
from newsclean.cli import main
from newsclean.errors import OutputError
from newsclean.outfiles import lock_folder, open_partial, unlock
from newsclean.pipeline import default_pipeline
from newsclean.stats import STATS_NAME

ARTICLE = (
    "The council approved the new budget on Tuesday after a long debate.\n"
    "Members said the plan would fund schools and roads for the next five years.\n"
)


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _meta(record: dict[str, object]) -> dict[str, object]:
    meta = record["newsclean"]
    assert isinstance(meta, dict)
    return meta


def test_a_lone_surrogate_in_a_record_is_written_and_resumed(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a\\ud800", "text": "Bad \\udc00 text in a sentence here."}\n'
        + json.dumps({"id": "b", "text": ARTICLE})
        + "\n",
        "utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(source), "-o", str(out), "-q"]) == 0
    records = _lines(out)
    assert [r["id"] for r in records] == ["a\ud800", "b"]
    assert "approved" in str(records[1]["text"])
    assert main(["clean", str(source), "-o", str(out), "--resume", "-q"]) == 0
    # a killed run's partial output resumes past the same record
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(out.read_bytes().split(b"\n")[0] + b"\n")
    out.unlink()
    assert main(["clean", str(source), "-o", str(out), "--resume", "-q"]) == 0
    assert [r["id"] for r in _lines(out)] == ["a\ud800", "b"]


def test_a_file_name_that_is_not_utf8_goes_to_jsonl(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    (folder / name).write_text(ARTICLE, "utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(folder), "-o", str(out), "-q"]) == 0
    (record,) = _lines(out)
    assert str(_meta(record)["source"]).endswith(name)
    assert main(["clean", str(folder), "-o", str(out), "--resume", "-q"]) == 0


def test_link_loops_are_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, "utf-8")
    (folder / "sub" / "b.txt").write_text(ARTICLE, "utf-8")
    (folder / "one.txt").symlink_to(folder / "two.txt")
    (folder / "two.txt").symlink_to(folder / "one.txt")
    (folder / "sub" / "up").symlink_to(folder)  # a folder link: not followed
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(out / "sub")  # a loop in the output folder too
    errors: list[str] = []
    summary = run_batch(
        default_pipeline(), [str(folder)], out, on_error=lambda _l, m: errors.append(m)
    )
    assert summary.documents == 1
    assert summary.failed == 3
    assert errors[:2] == ["symbolic link loop", "symbolic link loop"]
    assert errors[2].startswith("cannot use the output")
    assert (out / "a.txt").exists()


def test_unlistable_folders_and_vanished_files_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, "utf-8")
    (folder / "gone.txt").write_text(ARTICLE, "utf-8")
    real_walk, real_lstat = os.walk, os.lstat

    def walk(top: str, onerror: object = None, **kwargs: object) -> object:
        for here, dirs, files in real_walk(top, onerror=onerror, **kwargs):  # type: ignore[arg-type]
            if here.endswith("locked") and callable(onerror):
                onerror(PermissionError(errno.EACCES, "Permission denied", here))
                continue
            yield here, dirs, files

    def lstat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).endswith("gone.txt"):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))
        return real_lstat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "walk", walk)
    monkeypatch.setattr(os, "lstat", lstat)
    errors: list[tuple[str, str]] = []
    with open(os.devnull, "w") as devnull:
        summary = run_batch(
            default_pipeline(),
            [str(folder)],
            None,
            "jsonl",
            stream=devnull,
            on_error=lambda label, message: errors.append((Path(label).name, message)),
        )
    assert summary.documents == 1
    assert sorted(errors) == [
        ("gone.txt", "No such file or directory"),
        ("locked", "cannot list folder: Permission denied"),
    ]


def test_no_two_inputs_share_an_output(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "crawl").mkdir(parents=True)
    for name, word in (("crawl.jsonl", "first"), ("crawl.ndjson", "second")):
        text = ARTICLE.replace("budget", f"{word} budget")
        (folder / name).write_text(json.dumps({"text": text}) + "\n", "utf-8")
    (folder / "crawl" / "000001.txt").write_text(ARTICLE.replace("budget", "third budget"))
    out = tmp_path / "out"
    assert main(["clean", str(folder), "-o", str(out), "-q"]) == 0
    written = sorted(p for p in out.rglob("*.txt"))
    assert len(written) == 3
    texts = sorted(p.read_text("utf-8").split()[5] for p in written)
    assert texts == ["first", "second", "third"]


def test_an_output_that_is_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    taken = tmp_path / "taken"
    taken.write_text("keep me", "utf-8")
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(taken), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a file, not a folder" in err
    assert taken.read_text("utf-8") == "keep me"


def test_a_full_disk_stops_the_run_with_one_line_and_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(ARTICLE, "utf-8")
    (folder / "-bad.jsonl").write_text("not json\n", "utf-8")  # a failure, recorded first
    out = tmp_path / "out"
    real = batch.atomic_write

    def full(target: Path, text: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(batch, "atomic_write", full)
    assert main(["clean", str(folder), "-o", str(out), "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("newsclean: cannot write")
    assert "No space left on device" in err and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == []  # no stale partial errors file
    monkeypatch.setattr(batch, "atomic_write", real)
    assert main(["clean", str(folder), "-o", str(out), "--resume", "-q"]) == 1
    names = sorted(p.name for p in out.iterdir())
    assert names == ["0.txt", "1.txt", "2.txt", ERRORS_NAME, STATS_NAME]


def test_a_stream_that_cannot_be_written_stops_the_run(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    full = open("/dev/full", "w")  # noqa: SIM115 - closed below, where the error is expected
    try:
        with pytest.raises(OutputError, match="No space"):
            run_batch(default_pipeline(), [str(tmp_path / "a.txt")], None, "jsonl", stream=full)
    finally:
        with contextlib.suppress(OSError):
            full.close()


def test_two_runs_never_write_one_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    out = tmp_path / "out.jsonl"
    holder = open_partial(out.with_name("out.jsonl.partial"), append=False)
    try:
        holder.write('{"newsclean": {"source": "x", "index": null}}\n')
        holder.flush()
        assert main(["clean", str(tmp_path / "a.txt"), "-o", str(out), "-q"]) == 2
        assert "another newsclean run is writing" in capsys.readouterr().err
        folder = tmp_path / "folder"
        folder.mkdir()
        lock = lock_folder(folder)
        try:
            assert main(["clean", str(tmp_path / "a.txt"), "-o", str(folder), "-q"]) == 2
        finally:
            unlock(lock)
    finally:
        holder.close()
    assert out.with_name("out.jsonl.partial").read_text("utf-8").count("\n") == 1
    assert not out.exists()


def test_resume_refuses_a_finished_output_of_other_inputs(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(ARTICLE, "utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(out), "-q"]) == 0
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(out), "--resume", "-q"]) == 0
    assert main(["clean", str(tmp_path / "b.txt"), "-o", str(out), "--resume", "-q"]) == 2
    both = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert main(["clean", *both, "-o", str(out), "--resume", "-q"]) == 2


def test_a_glob_cannot_get_around_the_input_folder_refusal(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, "utf-8")
    assert main(["clean", f"{folder}/*.txt", "-o", str(folder), "-q"]) == 2
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]
    # matches inside the output folder are never read back
    out = folder / "clean"
    assert main(["clean", f"{folder}/**/*.txt", "-o", str(out), "-q"]) == 0
    assert main(["clean", f"{folder}/**/*.txt", "-o", str(out), "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", STATS_NAME]


def test_links_planted_at_partial_outputs_are_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious", "utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    out = tmp_path / "out.jsonl"
    out.with_name("out.jsonl.partial").symlink_to(victim)
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(out), "-q"]) == 2
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(out), "--resume", "-q"]) == 2
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / (ERRORS_NAME + ".partial")).symlink_to(victim)
    (tmp_path / "bad.jsonl").write_text("not json\n", "utf-8")
    assert main(["clean", str(tmp_path / "bad.jsonl"), "-o", str(folder), "-q"]) == 1
    assert not (folder / (ERRORS_NAME + ".partial")).exists()
    assert len(_lines(folder / ERRORS_NAME)) == 1
    assert victim.read_text("utf-8") == "precious"


def test_outputs_follow_the_umask_and_long_names_work(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    long_name = "n" * 240 + ".txt"
    (folder / long_name).write_text(ARTICLE, "utf-8")
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        assert main(["clean", str(folder), "-o", str(out), "-q"]) == 0
        assert main(["clean", str(folder), "-o", str(tmp_path / "o.jsonl"), "-q"]) == 0
    finally:
        os.umask(old)
    written = out / long_name
    assert stat.S_IMODE(written.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "o.jsonl").stat().st_mode) == 0o644


def test_stdin_text_that_starts_with_a_brace_is_one_document(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import sys

    page = "{Update} " + ARTICLE
    stdin = io.TextIOWrapper(io.BufferedReader(io.BytesIO(page.encode("utf-8"))))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["clean", "-", "-q"]) == 0
    assert "approved the new budget" in capsys.readouterr().out


def _warc_record(number: int, body: bytes, encoding: bytes | None = None) -> bytes:
    coding = b"Content-Encoding: " + encoding + b"\r\n" if encoding else b""
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + coding
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
    )
    head = (
        b"WARC/1.0\r\nWARC-Type: response\r\n"
        b"WARC-Record-ID: <urn:uuid:%08d-0000-0000-0000-000000000000>\r\n"
        b"WARC-Target-URI: http://example.org/%d\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: %d\r\n\r\n" % (number, number, len(http))
    )
    return head + http + b"\r\n\r\n"


def test_a_damaged_or_oversized_warc_body_loses_only_its_record(tmp_path: Path) -> None:
    import gzip

    page = f"<html><body><p>{ARTICLE}</p></body></html>".encode()
    big = gzip.compress(b"<html><body><p>" + b"x" * 200_000 + b"</p></body></html>")
    records = [
        _warc_record(1, page),
        _warc_record(2, b"\x1f\x8b damaged gzip data", b"gzip"),
        _warc_record(3, big, b"gzip"),
        _warc_record(4, gzip.compress(page), b"gzip"),
    ]
    source = tmp_path / "crawl.warc"
    source.write_bytes(b"".join(records))
    out = tmp_path / "out.jsonl"
    limit = "max_input_bytes=100000"
    assert main(["clean", str(source), "-o", str(out), "--set", limit, "-q"]) == 1
    metas = [_meta(r) for r in _lines(out)]
    assert [m["index"] for m in metas] == [1, 2, 3, 4]
    assert "gzip" in str(metas[1]["error"]) and "larger than" in str(metas[2]["error"])
    assert "error" not in metas[0] and "error" not in metas[3]


def test_brotli_bodies_are_decoded_under_the_cap(tmp_path: Path) -> None:
    import brotli

    page = f"<html><body><p>{ARTICLE}</p></body></html>".encode()
    records = [
        _warc_record(1, brotli.compress(page), b"br"),
        _warc_record(2, brotli.compress(b" " * 300_000), b"br"),
        _warc_record(3, page),
    ]
    source = tmp_path / "crawl.warc"
    source.write_bytes(b"".join(records))
    out = tmp_path / "out.jsonl"
    limit = "max_input_bytes=100000"
    assert main(["clean", str(source), "-o", str(out), "--set", limit, "-q"]) == 1
    records_out = _lines(out)
    assert "approved the new budget" in str(records_out[0]["text"])
    assert "larger than" in str(_meta(records_out[1])["error"])
    assert "approved the new budget" in str(records_out[2]["text"])
