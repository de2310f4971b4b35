"""The command line does what a new user expects: each test is one surprise that is gone."""

from __future__ import annotations

import gzip
import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from newsclean.cli import main
from newsclean.pipeline import Pipeline

ARTICLE = (
    "The council approved the new budget on Tuesday after a long debate.\n"
    "Share on Facebook\n"
    "Members said the plan would fund schools and roads for the next five years.\n"
)
OTHER = "Le conseil municipal a adopté mardi soir le budget de l'année prochaine.\n"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


def test_documents_on_stdout_are_separated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "b.txt").write_text(OTHER, "utf-8")
    assert main(["clean", str(tmp_path), "-q"]) == 0
    documents = capsys.readouterr().out.split("\f\n")  # a form feed on a line of its own
    assert len(documents) == 2
    assert documents[0].startswith("The council") and documents[0].endswith("years.\n")
    assert documents[1].startswith("Le conseil")
    # one document: no separator at all
    assert main(["clean", str(tmp_path / "a.txt"), "-q"]) == 0
    assert "\f" not in capsys.readouterr().out


def test_jsonl_input_without_output_stays_jsonl(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _jsonl(tmp_path / "pages.jsonl", [{"id": 1, "text": ARTICLE}, {"id": 2, "text": OTHER}])
    assert main(["clean", str(src), "-q"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in records] == [1, 2]
    assert "Share on Facebook" not in records[0]["text"]
    # asking for text still gives text
    assert main(["clean", str(src), "--format", "txt", "-q"]) == 0
    assert capsys.readouterr().out.startswith("The council")


def test_field_html_neither_replaces_text_nor_loses_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = f"<html><body><article><p>{ARTICLE}</p></article></body></html>"
    src = _jsonl(tmp_path / "pages.jsonl", [{"id": 1, "html": page, "text": "the crawler's"}])
    # the clean text would replace the record's own "text": stop and say so
    assert main(["clean", str(src), "--field", "html", "--format", "jsonl"]) == 2
    err = capsys.readouterr().err
    assert "would replace the record's 'text' field" in err and "--output-field" in err
    # naming the field to write: both input fields stay
    assert main(["clean", str(src), "--field", "html", "--output-field", "clean", "-q"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["html"] == page and record["text"] == "the crawler's"
    assert record["clean"].startswith("The council")
    # naming "text" explicitly replaces it, as asked
    assert main(["clean", str(src), "--field", "html", "--output-field", "text", "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["text"].startswith("The council")


def test_wrong_field_stops_at_the_first_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _jsonl(tmp_path / "pages.jsonl", [{"id": i, "text": ARTICLE} for i in range(3000)])
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(src), "--field", "html", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"newsclean: {src}:1: no 'html' field (fields: id, text); choose one with --field"
    ]
    assert not out.exists()


def test_explain_reads_what_clean_reads_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = (CORPUS / "015_en_rail.html").read_bytes()
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(html))
    src = _jsonl(
        tmp_path / "pages.jsonl", [{"id": "a", "text": ARTICLE}, {"id": "b", "text": OTHER}]
    )
    assert main(["explain", str(tmp_path / "page.html.gz"), "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "KEEP heading   Can it pay its way?" in out and "format: html" in out
    assert main(["explain", str(src), "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n== ") + out.startswith("== ") == 2  # one document per record
    assert f"{src}:1 (id a)" in out and "DROP share     Share on Facebook" in out
    # each drop's detail, the why
    page = tmp_path / "page.html"
    page.write_bytes(html)
    assert main(["explain", str(page), "--set", "keep_title=false", "--color", "never"]) == 0
    assert "why: extract: the page headline, kept as doc.title" in capsys.readouterr().out
    # long blocks are cut to a line, or shown whole with --full
    long_block = "A paragraph of a news story that goes on and on about the budget. " * 5
    (tmp_path / "long.txt").write_text(long_block.strip() + "\n", "utf-8")
    assert main(["explain", str(tmp_path / "long.txt"), "--color", "never"]) == 0
    assert long_block.strip() not in capsys.readouterr().out
    assert main(["explain", str(tmp_path / "long.txt"), "--color", "never", "--full"]) == 0
    assert long_block.strip() in capsys.readouterr().out


def test_pipes_and_devices_are_read_not_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed() -> None:
        """Write the page once a reader opens the pipe; give up after a few seconds."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # no reader yet
                time.sleep(0.01)
                continue
            os.set_blocking(fd, True)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(ARTICLE)
            return

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    code = main(["clean", str(fifo), "-q"])
    writer.join(timeout=15)
    assert code == 0
    assert capsys.readouterr().out.startswith("The council")
    assert main(["clean", os.devnull]) == 0  # an empty document, not a missing file
    err = capsys.readouterr().err
    assert "no such file" not in err and "cleaned to nothing" in err


def test_interrupt_says_how_far_and_how_to_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(ARTICLE, "utf-8")
    calls = {"n": 0}
    process = Pipeline.process

    def interrupted(self: Pipeline, source: str | bytes, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return process(self, source, **kwargs)

    monkeypatch.setattr(Pipeline, "process", interrupted)
    out = tmp_path / "out"
    code = main(["clean", str(tmp_path), "-o", str(out), "-j", "1", "--chunk-size", "1"])
    assert code == 130
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err == (
        "newsclean: interrupted after 3 documents; finished outputs are kept: "
        "rerun with --resume to go on"
    )


def test_verbose_logs_through_logging(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    with caplog.at_level(logging.DEBUG, logger="newsclean"):
        assert main(["-vv", "clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "-q"]) == 0
    messages = [r.getMessage() for r in caplog.records if r.name == "newsclean"]
    assert any(m.startswith("cleaning ") for m in messages)
    assert f"{tmp_path / 'a.txt'}: cleaned" in messages
    assert any("statistics in" in m for m in messages), messages


def test_verbose_flag_also_follows_the_command(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    with caplog.at_level(logging.DEBUG, logger="newsclean"):
        assert main(["clean", str(tmp_path / "a.txt"), "-vv", "-o", str(tmp_path / "o"), "-q"]) == 0
    assert f"{tmp_path / 'a.txt'}: cleaned" in [r.getMessage() for r in caplog.records]
