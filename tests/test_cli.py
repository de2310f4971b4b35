from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsclean.cli import main

ARTICLE = "The council approved the new budget on Tuesday after a long debate.\nShare on Facebook\n"


def test_clean_directory_to_output_mirrors_tree(tmp_path: Path) -> None:
    src = tmp_path / "in" / "sub"
    src.mkdir(parents=True)
    (src / "a.txt").write_text(ARTICLE, "utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "in"), "-o", str(out)]) == 0
    assert (out / "sub" / "a.txt").read_text("utf-8").strip().startswith("The council")
    assert (src / "a.txt").read_text("utf-8") == ARTICLE  # input untouched


def test_clean_jsonl_output_has_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    assert main(["clean", str(tmp_path / "a.txt"), "--format", "jsonl"]) == 0
    record = json.loads(capsys.readouterr().out.splitlines()[0])
    assert record["text"].startswith("The council")
    assert record["id"] == "a.txt"
    assert record["newsclean"]["drops_by_reason"] == {"share": 1}
    assert record["newsclean"]["source"] == str(tmp_path / "a.txt")


def test_missing_input_is_reported_and_exit_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    code = main(
        ["clean", str(tmp_path / "nope.txt"), str(tmp_path / "a.txt"), "-o", str(tmp_path / "o")]
    )
    assert code == 1
    assert "nope.txt" in capsys.readouterr().err
    assert (tmp_path / "o" / "a.txt").exists()


def test_explain_shows_reasons(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    assert main(["explain", str(tmp_path / "a.txt"), "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "KEEP" in out and "DROP share" in out


def test_bad_option_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    assert main(["clean", str(tmp_path / "a.txt"), "--set", "colour=blue"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsclean: unknown option") and err.count("\n") == 1
