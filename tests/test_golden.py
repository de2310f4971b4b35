"""Whole-document behaviour: every page in corpus/ cleans to its golden file in tests/golden/.

To review a change by eye: `newsclean clean corpus/ -o out/` and diff out/ with tests/golden/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import newsclean
from conftest import CORPUS, GOLDEN

PAGES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and not p.name.startswith("."))


def golden_path(page: Path) -> Path:
    return (GOLDEN / page.relative_to(CORPUS)).with_suffix(".txt")


def test_corpus_has_golden_files() -> None:
    assert len(PAGES) >= 14
    missing = [
        p.name for p in PAGES if not (GOLDEN / p.relative_to(CORPUS)).with_suffix(".txt").exists()
    ]
    assert not missing


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_page_matches_golden(page: Path) -> None:
    expected = golden_path(page).read_text("utf-8")
    assert newsclean.clean(page.read_bytes()) + "\n" == expected
