"""Batch cleaning: inputs of every kind, outputs that mirror them, resume, failures."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsclean.batch import ERRORS_NAME, run_batch
from newsclean.cli import main
from newsclean.document import Document
from newsclean.pipeline import default_pipeline
from newsclean.sources import Unit
from newsclean.stats import STATS_NAME

ARTICLE = (
    "The council approved the new budget on Tuesday after a long debate.\n"
    "Share on Facebook\n"
    "Members said the plan would fund schools and roads for the next five years.\n"
)
HTML = (
    "<html><head><title>Budget passes</title></head><body><article>"
    "<h1>Budget passes</h1>"
    "<p>The council approved the new budget on Tuesday after a long debate about taxes.</p>"
    "<p>Members said the plan would fund schools, roads and parks for the next five years.</p>"
    "</article></body></html>"
)


def _records(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _meta(record: dict[str, object]) -> dict[str, object]:
    meta = record["newsclean"]
    assert isinstance(meta, dict)
    return meta


def _warc_record(uri: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> bytes:
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: "
        + content_type.encode()
        + b"\r\nContent-Length: %d\r\n\r\n" % len(body)
        + body
    )
    head = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%s>\r\n"
        b"WARC-Target-URI: %s\r\nContent-Type: application/http; msgtype=response\r\n"
        b"Content-Length: %d\r\n\r\n" % (uri.encode()[-6:], uri.encode(), len(http))
    )
    return head + http + b"\r\n\r\n"


# -- inputs --------------------------------------------------------------------------------


def test_directory_is_walked_recursively_and_mirrored(tmp_path: Path) -> None:
    (tmp_path / "in" / "a" / "b").mkdir(parents=True)
    (tmp_path / "in" / "top.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "in" / "a" / "b" / "page.html").write_text(HTML, "utf-8")
    (tmp_path / "in" / "a" / "zipped.html.gz").write_bytes(gzip.compress(HTML.encode()))
    (tmp_path / "in" / "a" / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "in" / ".hidden.txt").write_text(ARTICLE, "utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "in"), "-o", str(out), "-j", "2", "-q"]) == 0
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["a/b/page.txt", "a/zipped.txt", STATS_NAME, "top.txt"]
    page = (out / "a" / "b" / "page.txt").read_text("utf-8")
    assert "approved the new budget" in page
    assert (out / "a" / "zipped.txt").read_text("utf-8") == page
    assert "Share on Facebook" not in (out / "top.txt").read_text("utf-8")


def test_linked_files_are_read_and_the_output_never_is(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "real.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "in" / "linked.txt").symlink_to(tmp_path / "elsewhere" / "real.txt")
    (tmp_path / "in" / "dangling.txt").symlink_to(tmp_path / "elsewhere" / "gone.txt")
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, "utf-8")
    # a link to the output file, inside the input folder, is not read back
    output = tmp_path / "result.jsonl"
    (tmp_path / "in" / "alias.jsonl").symlink_to(output)
    assert main(["clean", str(tmp_path / "in"), "-o", str(output), "-q"]) == 1
    records = _records(output.read_text("utf-8"))
    names = [Path(str(_meta(r)["source"])).name for r in records]
    assert names == ["a.txt", "dangling.txt", "linked.txt"]
    assert _meta(records[1])["error"] == "symbolic link to nothing"
    assert all("approved the new budget" in str(r["text"]) for r in records if "text" in r)
    # text outputs: the linked file is cleaned like any other, the dangling link reported
    out = tmp_path / "out"
    (tmp_path / "in" / "alias.jsonl").unlink()
    assert main(["clean", str(tmp_path / "in"), "-o", str(out), "-j", "2", "-q"]) == 1
    names = sorted(p.name for p in out.iterdir())
    assert names == ["a.txt", "linked.txt", ERRORS_NAME, STATS_NAME]


def test_glob_selects_files(tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "keep.html").write_text(HTML, "utf-8")
    (tmp_path / "in" / "skip.txt").write_text(ARTICLE, "utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "in"), "--glob", "*.html", "-o", str(out), "-q"]) == 0
    assert [p.name for p in out.rglob("*.txt")] == ["keep.txt"]
    # a quoted pattern on the command line is expanded by newsclean itself
    out2 = tmp_path / "out2"
    assert main(["clean", str(tmp_path / "in" / "**" / "*.txt"), "-o", str(out2), "-q"]) == 0
    assert [p.name for p in out2.rglob("*.txt")] == ["skip.txt"]


def test_jsonl_field_choice_keeps_other_fields(tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    rows = [
        {"id": "x1", "html": HTML, "lang_hint": "en", "meta": {"site": "a"}},
        {"id": "x2", "html": f"<html><body><p>{ARTICLE}</p></body></html>", "n": 2},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows) + "\n", "utf-8")
    out = tmp_path / "clean.jsonl"
    assert main(["clean", str(src), "--field", "html", "-o", str(out), "-q"]) == 0
    records = _records(out.read_text("utf-8"))
    assert [r["id"] for r in records] == ["x1", "x2"]
    first = records[0]
    assert first["lang_hint"] == "en" and first["meta"] == {"site": "a"}
    assert first["html"] == HTML  # the page field is kept; the clean text is "text"
    assert "approved the new budget" in str(first["text"])
    assert _meta(first)["title"] == "Budget passes"
    assert _meta(first)["index"] == 1 and _meta(first)["source"] == str(src)
    assert records[1]["n"] == 2


def test_jsonl_missing_field_and_bad_line_are_error_records(tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text(
        json.dumps({"id": 1, "text": ARTICLE})
        + "\n{not json\n"
        + json.dumps({"id": 3, "body": "x"})
        + "\n"
        + json.dumps({"id": 4, "text": ARTICLE})
        + "\n",
        "utf-8",
    )
    out = tmp_path / "o.jsonl"
    assert main(["clean", str(src), "-o", str(out), "-q"]) == 1
    records = _records(out.read_text("utf-8"))
    assert [_meta(r).get("error") is None for r in records] == [True, False, False, True]
    assert "invalid JSON" in str(_meta(records[1])["error"])
    assert "'text'" in str(_meta(records[2])["error"]) and records[2]["id"] == 3
    assert [_meta(r)["index"] for r in records] == [1, 2, 3, 4]


def test_warc_html_records(tmp_path: Path) -> None:
    body = HTML.encode()
    plain = _warc_record("http://example.org/a", body) + _warc_record(
        "http://example.org/logo", b"\x89PNG", "image/png"
    )
    zipped = b"".join(
        gzip.compress(_warc_record(f"http://example.org/{i}", body)) for i in range(3)
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.warc").write_bytes(plain)
    (tmp_path / "in" / "two.warc.gz").write_bytes(zipped)
    out = tmp_path / "o.jsonl"
    assert main(["clean", str(tmp_path / "in"), "-o", str(out), "-q"]) == 0
    records = _records(out.read_text("utf-8"))
    assert len(records) == 4  # the image record is not a page
    assert [_meta(r)["url"] for r in records][:2] == [
        "http://example.org/a",
        "http://example.org/0",
    ]
    assert all("approved the new budget" in str(r["text"]) for r in records)
    assert str(records[0]["id"]).startswith("<urn:uuid:")
    # as text, each record is a file under a folder named after the archive
    txt = tmp_path / "txt"
    assert main(["clean", str(tmp_path / "in"), "-o", str(txt), "-q"]) == 0
    names = sorted(p.relative_to(txt).as_posix() for p in txt.rglob("*.txt"))
    assert names == ["one/000001.txt", "two/000001.txt", "two/000002.txt", "two/000003.txt"]


def test_stdin_document_and_jsonl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def feed(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))

    feed(ARTICLE.encode())
    assert main(["clean", "-", "-q"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("The council") and "Share on Facebook" not in text

    feed(b"".join(json.dumps({"id": i, "text": ARTICLE}).encode() + b"\n" for i in range(3)))
    assert main(["clean", "-", "--format", "jsonl", "-q"]) == 0
    records = _records(capsys.readouterr().out)
    assert [r["id"] for r in records] == [0, 1, 2]

    feed(ARTICLE.encode())
    assert main(["clean", "-", "-o", str(tmp_path / "o"), "-q"]) == 0
    assert (tmp_path / "o" / "stdin.txt").read_text("utf-8").startswith("The council")


# -- outputs, safety, failures ----------------------------------------------------------------


def test_bad_file_is_reported_and_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "in" / "broken.html.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    (tmp_path / "in" / "broken.warc").write_bytes(b"this is not an archive\r\n" * 4)
    out = tmp_path / "out"
    code = main(["clean", str(tmp_path / "in"), str(tmp_path / "missing"), "-o", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert "broken.html.gz" in err and "broken.warc" in err and "missing" in err
    assert "3 failed" in err
    assert (out / "good.txt").exists()
    errors = _records((out / ERRORS_NAME).read_text("utf-8"))
    assert sorted(Path(str(e["source"])).name for e in errors) == [
        "broken.html.gz",
        "broken.warc",
        "missing",
    ]
    # a later clean run removes the stale error file
    assert main(["clean", str(tmp_path / "in" / "good.txt"), "-o", str(out), "-q"]) == 0
    assert not (out / ERRORS_NAME).exists()


def test_never_overwrites_inputs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, "utf-8")
    # the output folder may not be (or hold) an input
    assert main(["clean", str(folder), "-o", str(folder), "-q"]) == 2
    assert main(["clean", str(folder / "a.txt"), "-o", str(tmp_path), "-q"]) == 2
    # nor may a JSONL output be an input
    src = tmp_path / "docs.jsonl"
    src.write_text(json.dumps({"text": ARTICLE}) + "\n", "utf-8")
    assert main(["clean", str(src), "-o", str(src), "-q"]) == 2
    assert (folder / "a.txt").read_text("utf-8") == ARTICLE
    assert src.read_text("utf-8") == json.dumps({"text": ARTICLE}) + "\n"
    # an output folder inside the input folder is skipped when reading
    inner = folder / "cleaned"
    assert main(["clean", str(folder), "-o", str(inner), "-q"]) == 0
    assert main(["clean", str(folder), "-o", str(inner), "-q"]) == 0
    assert sorted(p.name for p in inner.rglob("*")) == ["a.txt", STATS_NAME]


def test_never_writes_outside_output(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, "utf-8")
    out = tmp_path / "deep" / "out"
    out.mkdir(parents=True)
    # a symlink inside the output that points elsewhere is not followed out
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (tmp_path / "in" / "sub").mkdir()
    (tmp_path / "in" / "sub" / "b.txt").write_text(ARTICLE, "utf-8")
    (out / "sub").symlink_to(outside, target_is_directory=True)
    before = {p for p in tmp_path.rglob("*")}
    assert main(["clean", str(tmp_path / "in"), "-o", str(out), "-q"]) == 1
    created = {p for p in tmp_path.rglob("*")} - before
    assert created == {out / "a.txt", out / ERRORS_NAME, out / STATS_NAME}
    assert "outside the output folder" in (out / ERRORS_NAME).read_text("utf-8")
    assert list(outside.iterdir()) == []


def test_same_output_name_keeps_both(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.html").write_text(HTML, "utf-8")
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, "utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "in"), "-o", str(out), "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.html.txt", "a.txt", STATS_NAME]


def test_jobs_give_same_output_as_one_job(tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text(
        "".join(json.dumps({"id": i, "text": f"Item {i}. {ARTICLE}"}) + "\n" for i in range(40)),
        "utf-8",
    )
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    pipeline = default_pipeline()
    run_batch(pipeline, [str(src)], one, "jsonl", jobs=1, chunk_size=3)
    summary = run_batch(pipeline, [str(src)], two, "jsonl", jobs=2, chunk_size=3)
    assert one.read_text("utf-8") == two.read_text("utf-8")
    assert summary.documents == 40 and summary.drops["share"] == 40


# -- resume ----------------------------------------------------------------------------------


def test_resume_skips_finished_text_outputs(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for name in ("a", "b", "c"):
        (tmp_path / "in" / f"{name}.txt").write_text(ARTICLE, "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("already done\n", "utf-8")
    (out / ".b.txt.x1y2.newsclean-tmp").write_text("torn", "utf-8")  # left by a killed run
    summary = run_batch(default_pipeline(), [str(tmp_path / "in")], out, resume=True)
    assert (summary.documents, summary.skipped) == (2, 1)
    assert (out / "a.txt").read_text("utf-8") == "already done\n"
    assert sorted(p.name for p in out.glob("*.txt")) == ["a.txt", "b.txt", "c.txt"]


def test_resume_cuts_a_torn_jsonl_line(tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text(
        "".join(json.dumps({"id": i, "text": ARTICLE}) + "\n" for i in range(5)), "utf-8"
    )
    out = tmp_path / "o.jsonl"
    reference = tmp_path / "ref.jsonl"
    run_batch(default_pipeline(), [str(src)], reference, "jsonl")
    lines = reference.read_text("utf-8").splitlines(keepends=True)
    partial = tmp_path / "o.jsonl.partial"
    partial.write_text(lines[0] + lines[1] + lines[2][:25], "utf-8")
    summary = run_batch(default_pipeline(), [str(src)], out, "jsonl", resume=True)
    assert (summary.documents, summary.skipped) == (3, 2)
    assert out.read_text("utf-8") == reference.read_text("utf-8")
    assert not partial.exists()
    # a finished output is left alone
    again = run_batch(default_pipeline(), [str(src)], out, "jsonl", resume=True)
    assert again.documents == 0 and "complete" in again.note


def test_resume_refuses_an_output_of_other_inputs(tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    src.write_text(json.dumps({"text": ARTICLE}) + "\n", "utf-8")
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"text": ARTICLE}) + "\n", "utf-8")
    partial = tmp_path / "o.jsonl.partial"
    run_batch(default_pipeline(), [str(other)], partial.with_suffix(""), "jsonl")
    (tmp_path / "o.jsonl").rename(partial)
    code = main(["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--resume", "-q"])
    assert code == 2


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(stat[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _kill_midway(command: list[str], watch: Path, env: dict[str, str]) -> None:
    """Start `command`, SIGKILL it once `watch` has grown, wait; its workers must go too."""
    proc = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            if watch.is_file() and watch.stat().st_size > 2000:
                break
            if watch.is_dir() and sum(1 for _ in watch.rglob("*.txt")) > 5:
                break
            time.sleep(0.01)
        workers = _children(proc.pid) if Path("/proc").is_dir() else []
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "worker processes outlived a killed run"


@pytest.mark.parametrize("fmt", ["jsonl", "txt"])
def test_sigkill_then_resume_gives_complete_outputs(tmp_path: Path, fmt: str) -> None:
    src = tmp_path / "docs.jsonl"
    count = 400
    src.write_text(
        "".join(
            json.dumps({"id": f"d{i}", "text": f"Report number {i}. {ARTICLE}" * 3}) + "\n"
            for i in range(count)
        ),
        "utf-8",
    )
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    base = [sys.executable, "-m", "newsclean", "clean", str(src), "--chunk-size", "2"]
    out = tmp_path / ("out.jsonl" if fmt == "jsonl" else "out")
    watch = tmp_path / "out.jsonl.partial" if fmt == "jsonl" else out
    _kill_midway([*base, "-o", str(out), "-j", "2"], watch, env)
    if fmt == "jsonl":
        assert not out.exists(), "an unfinished JSONL output is never published"
    else:
        assert sum(1 for _ in out.rglob("*.txt")) < count, "the run was killed before the end"
    resume = [*base, "--resume", "-o", str(out), "-j", "2"]
    done = subprocess.run(resume, env=env, check=False, capture_output=True, text=True)
    assert done.returncode == 0
    assert "already done" in done.stderr
    reference = tmp_path / ("ref.jsonl" if fmt == "jsonl" else "ref")
    subprocess.run([*base, "-q", "-o", str(reference), "-j", "1"], env=env, check=True)
    if fmt == "jsonl":
        assert out.read_text("utf-8") == reference.read_text("utf-8")
        assert not (tmp_path / "out.jsonl.partial").exists()
    else:
        files = sorted(p.relative_to(out) for p in out.rglob("*.txt"))
        assert len(files) == count
        assert files == sorted(p.relative_to(reference) for p in reference.rglob("*.txt"))
        for name in files:
            assert (out / name).read_text("utf-8") == (reference / name).read_text("utf-8")


class _CrashOn:
    """A cleaner that kills its process on a marked document, as a segfault or OOM would."""

    name = "crash"

    def __call__(self, doc: Document) -> Document:
        if "CRASH-HERE" in doc.text:
            os._exit(1)
        return doc


def test_a_dying_worker_fails_its_documents_only(tmp_path: Path) -> None:
    src = tmp_path / "docs.jsonl"
    texts = [f"Item {i}. {ARTICLE}" for i in range(12)]
    texts[5] = "CRASH-HERE " + ARTICLE
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)))
    out = tmp_path / "o.jsonl"
    pipeline = default_pipeline().then(_CrashOn())
    summary = run_batch(pipeline, [str(src)], out, "jsonl", jobs=2, chunk_size=1)
    assert (summary.documents, summary.failed) == (11, 1)
    records = _records(out.read_text("utf-8"))
    assert [r["id"] for r in records] == list(range(12))
    assert "worker process died" in str(_meta(records[5])["error"])


@pytest.mark.parametrize("jobs", [1, 2])
def test_input_is_read_as_a_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """Cleaning starts after a few documents are read, never after the whole input."""
    import newsclean.batch as batch

    read = 0
    seen_at_first_clean: list[int] = []
    original = batch.iter_units

    def counting(*args: Any, **kwargs: Any) -> Iterator[Unit]:
        nonlocal read
        for unit in original(*args, **kwargs):
            read += 1
            yield unit

    class Spy:
        name = "spy"

        def __call__(self, doc: Document) -> Document:
            if not seen_at_first_clean:
                seen_at_first_clean.append(read)
            return doc

    monkeypatch.setattr(batch, "iter_units", counting)
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": ARTICLE}) + "\n" for i in range(500)))
    out = tmp_path / "o.jsonl"
    summary = run_batch(default_pipeline().then(Spy()), [str(src)], out, "jsonl", jobs=jobs)
    assert summary.documents == 500
    assert seen_at_first_clean and seen_at_first_clean[0] <= 16
