"""A batch run's statistics file, its table, the index of container outputs, the progress total."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsclean.cli import main
from newsclean.stats import INDEX_NAME, STATS_NAME, count_units, failure_reason

ARTICLE = (
    "The council approved the new budget on Tuesday after a long debate.\n"
    "Share on Facebook\n"
    "Members said the plan would fund schools and roads for the next five years.\n"
)
FRENCH = (
    "Le conseil municipal a adopté mardi soir le budget de l'année prochaine après un long "
    "débat sur les impôts locaux et les écoles.\n"
)


def _inputs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, "utf-8")
    (folder / "b.txt").write_text(FRENCH, "utf-8")
    (folder / "empty.txt").write_text("Share on Facebook\n", "utf-8")
    (folder / "bad.html.gz").write_bytes(b"\x1f\x8bnot gzip at all")
    return folder


def test_stats_file_agrees_with_the_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _inputs(tmp_path / "in")
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "-j", "1"]) == 1
    stats = json.loads((out / STATS_NAME).read_text("utf-8"))
    written = sorted(out.glob("*.txt"))
    non_empty = [p for p in written if p.read_text("utf-8").strip()]
    errors = (out / "newsclean-errors.jsonl").read_text("utf-8").splitlines()
    assert stats["documents"] == {
        "in": 4,
        "out": len(non_empty),
        "cleaned": len(written),
        "failed": len(errors),
        "empty": len(written) - len(non_empty),
        "skipped": 0,
    }
    assert (stats["documents"]["out"], stats["documents"]["empty"]) == (2, 1)
    assert stats["failures_by_reason"] == {"bad gzip data": 1}
    assert stats["drops_by_reason"]["share"] == 2
    assert stats["languages"] == {"en": 1, "fr": 1, "unknown": 1}
    assert stats["bytes"]["out"] == sum(p.stat().st_size for p in written)
    assert stats["bytes"]["in"] == sum(
        (src / n).stat().st_size for n in ("a.txt", "b.txt", "empty.txt")
    )
    assert stats["empty_documents"] == [str(src / "empty.txt")]
    assert stats["seconds"] > 0
    err = capsys.readouterr().err
    assert "1 documents cleaned to nothing" in err and "empty.txt" in err
    assert "documents  4 in, 2 out" in err and "languages  en 1, fr 1, unknown 1" in err


def test_jsonl_output_gets_its_stats_beside_it(tmp_path: Path) -> None:
    src = _inputs(tmp_path / "in")
    out = tmp_path / "clean.jsonl"
    assert main(["clean", str(src), "-o", str(out), "-q"]) == 1
    stats = json.loads((tmp_path / f"clean.{STATS_NAME}").read_text("utf-8"))
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert stats["documents"]["in"] == len(records) == 4
    assert stats["documents"]["failed"] == sum(1 for r in records if "error" in r["newsclean"])
    assert stats["bytes"]["out"] == out.stat().st_size - len(
        "".join(line for line in out.read_text("utf-8").splitlines(True) if '"error"' in line)
    )


def test_stdout_run_writes_stats_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    assert main(["clean", str(tmp_path / "a.txt"), "--stats", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text("utf-8"))["documents"]["out"] == 1
    assert list(tmp_path.iterdir()) == [tmp_path / "a.txt", tmp_path / "s.json"] or sorted(
        p.name for p in tmp_path.iterdir()
    ) == ["a.txt", "s.json"]


def test_container_text_outputs_get_an_index(tmp_path: Path) -> None:
    src = tmp_path / "pages.jsonl"
    rows = [
        {"id": "n1", "url": "http://ex.org/1", "text": ARTICLE},
        {"id": "n2", "url": "http://ex.org/2", "text": "{broken"},
        {"id": "n3", "url": "http://ex.org/3", "text": FRENCH},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "-q"]) == 0
    index = [json.loads(line) for line in (out / INDEX_NAME).read_text("utf-8").splitlines()]
    assert [(e["file"], e["id"], e["url"], e["index"]) for e in index] == [
        ("pages/000001.txt", "n1", "http://ex.org/1", 1),
        ("pages/000002.txt", "n2", "http://ex.org/2", 2),
        ("pages/000003.txt", "n3", "http://ex.org/3", 3),
    ]
    assert all((out / e["file"]).exists() and e["source"] == str(src) for e in index)
    # a resumed run lists the files it skipped too
    (out / "pages" / "000003.txt").unlink()
    (out / INDEX_NAME).unlink()
    assert main(["clean", str(src), "-o", str(out), "-q", "--resume"]) == 0
    again = [json.loads(line) for line in (out / INDEX_NAME).read_text("utf-8").splitlines()]
    assert again == index
    # loose files need no index: their names say where they came from
    loose = tmp_path / "loose"
    assert main(["clean", str(_inputs(tmp_path / "in")), "-o", str(loose), "-q"]) == 1
    assert not (loose / INDEX_NAME).exists()


def test_progress_total_is_counted_where_it_can_be(tmp_path: Path) -> None:
    src = _inputs(tmp_path / "in")
    (src / "more.jsonl").write_text('{"text": "a"}\n\n{"text": "b"}\n{"text": "c"}\n', "utf-8")
    assert count_units([str(src)]) == 4 + 3
    assert count_units([str(src)], pattern="*.txt") == 3
    assert count_units([str(src / "a.txt"), "-"]) is None  # stdin is read once
    assert count_units([str(src)], budget_s=0.0) in (None, 7)


def test_more_jobs_than_cores_is_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    assert main(["clean", str(tmp_path / "a.txt"), "-j", "512"]) == 0
    err = capsys.readouterr().err
    assert "warning: -j 512 is more than the" in err


def test_failure_reasons_are_categories() -> None:
    assert failure_reason("invalid JSON: Expecting value: line 1 column 1 (char 0)") == (
        "invalid JSON"
    )
    assert failure_reason("no 'html' field (fields: id, text); choose one") == "no 'html' field"
    assert failure_reason("input larger than 10 bytes") == "input larger than 10 bytes"


def test_progress_bar_shows_total_and_time_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    from newsclean.batch import run_batch
    from newsclean.pipeline import default_pipeline

    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "b.txt").write_text(FRENCH, "utf-8")
    shown = io.StringIO()
    monkeypatch.setattr(sys, "stderr", shown)
    run_batch(default_pipeline(), [str(tmp_path)], None, stream=io.StringIO(), progress=True)
    assert "0/2 [00:00<?" in shown.getvalue() and "2/2 [" in shown.getvalue()
