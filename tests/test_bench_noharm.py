"""The do-no-harm bench: word repairs made on human-written gold texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import shared_path
from newsclean.bench import runner
from newsclean.bench.noharm import texts
from newsclean.errors import DatasetError


def test_gold_texts_of_both_benchmarks_get_no_word_repairs() -> None:
    bench = shared_path("bench")
    result = runner("noharm")(str(bench), limit=40)
    assert result.figures["all.word_repairs_per_100k"] <= 1.0
    assert result.lines[0].startswith("noharm chrome: 40 gold texts")


def test_each_benchmark_folder_is_read_alone(tmp_path: Path) -> None:
    (tmp_path / "ground-truth.json").write_text(
        '{"a": {"articleBody": "Some words here.", "url": "u"}, "b": {"articleBody": ""}}',
        "utf-8",
    )
    assert list(texts(tmp_path)) == [("scrapinghub", "scrapinghub/a", "Some words here.")]


def test_a_folder_without_either_benchmark_is_a_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError):
        list(texts(tmp_path))
