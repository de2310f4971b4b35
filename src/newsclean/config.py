"""Options from files: `newsclean.toml` or the `[tool.newsclean]` table of `pyproject.toml`.

Looked up in the given folder and its parents; flags on the command line win.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .errors import ConfigError


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from None


def find_config(start: Path | None = None) -> dict[str, Any]:
    """The options from the nearest config file, or {} when there is none."""
    folder = (start or Path.cwd()).resolve()
    for directory in (folder, *folder.parents):
        own = directory / "newsclean.toml"
        if own.is_file():
            return _read_toml(own)
        project = directory / "pyproject.toml"
        if project.is_file():
            table = _read_toml(project).get("tool", {}).get("newsclean")
            if isinstance(table, dict):
                return table
    return {}


def load_config(path: Path) -> dict[str, Any]:
    """The options in an explicit config file (newsclean.toml or pyproject.toml)."""
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("newsclean", {})
        return dict(table) if isinstance(table, dict) else {}
    return data
