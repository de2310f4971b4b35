"""Shared fixtures: paths to the project's corpus and to ../shared (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"
GOLDEN = ROOT / "tests" / "golden"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture
def seed_000() -> str:
    return next(shared_path("seeds").glob("000_*.txt")).read_text("utf-8")


@pytest.fixture
def seed_001() -> str:
    return next(shared_path("seeds").glob("001_*.txt")).read_text("utf-8")
