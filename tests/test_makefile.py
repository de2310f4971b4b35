"""The Makefile's set-up guards: an old interpreter is refused, a foreign .venv rebuilt."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")


def _fake_python(path: Path, answer: str) -> Path:
    """An executable that answers the Makefile's interpreter question with `answer`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho '{answer}'\n", "utf-8")
    path.chmod(0o755)
    return path


def _make(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    return subprocess.run(
        ["make", "-n", *args], cwd=folder, capture_output=True, text=True, check=False
    )


def test_an_interpreter_older_than_3_11_is_refused_in_one_line(tmp_path: Path) -> None:
    old = _fake_python(tmp_path / "bin" / "python3.10", "False /opt/py310 3.10.13")
    result = _make(tmp_path, "run", f"PYTHON={old}")
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1
    assert "is Python 3.10.13; newsclean needs 3.11 or newer" in result.stderr
    assert not (tmp_path / ".venv").exists()
    result = _make(tmp_path, "test", f"PYTHON={tmp_path / 'nowhere'}")
    assert result.returncode != 0 and "is not a working Python 3 interpreter" in result.stderr


def test_a_venv_made_by_another_interpreter_is_rebuilt(tmp_path: Path) -> None:
    _fake_python(tmp_path / ".venv" / "bin" / "python", "True /opt/py310 3.10.13")
    result = _make(tmp_path, "run", f"PYTHON={sys.executable}")
    assert "rebuilding it with" in result.stdout
    assert not (tmp_path / ".venv").exists()
    assert f"{sys.executable} -m venv .venv" in result.stdout
