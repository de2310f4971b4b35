"""Chrome phrases and patterns per language, kept as data (one TOML file per language).

Each file maps a drop category (cookie, newsletter, share, ...) to regular
expressions. Patterns are matched case-insensitively against a whole block
(`block`) or its end (`ending`). Adding a phrase is a line in a file, not code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Compiled patterns: category → one alternation over all languages loaded."""

    block: dict[str, regex.Pattern[str]]
    ending: dict[str, regex.Pattern[str]]
    languages: tuple[str, ...]


def available_languages() -> list[str]:
    return sorted(
        p.name.removesuffix(".toml")
        for p in resources.files(__package__).iterdir()
        if p.name.endswith(".toml")
    )


def _read(lang: str) -> dict[str, dict[str, list[str]]]:
    text = resources.files(__package__).joinpath(f"{lang}.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return {kind: dict(data.get(kind, {})) for kind in ("block", "ending")}


def _compile(parts: dict[str, list[str]]) -> dict[str, regex.Pattern[str]]:
    return {
        category: regex.compile("|".join(f"(?:{p})" for p in patterns), regex.IGNORECASE | regex.V1)
        for category, patterns in parts.items()
        if patterns
    }


@lru_cache(maxsize=8)
def load(languages: tuple[str, ...] | None = None) -> Lexicon:
    """All patterns of the given languages (default: every language shipped)."""
    langs = languages or tuple(available_languages())
    merged: dict[str, dict[str, list[str]]] = {"block": {}, "ending": {}}
    for lang in langs:
        for kind, categories in _read(lang).items():
            for category, patterns in categories.items():
                merged[kind].setdefault(category, []).extend(patterns)
    return Lexicon(_compile(merged["block"]), _compile(merged["ending"]), langs)
