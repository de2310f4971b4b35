"""Chrome phrases and patterns per language, kept as data (one TOML file per language).

Each file has three tables:

- `[words] function`: the language's commonest function words; their density tells
  running prose from menus and headlines in any of the languages shipped;
- `[block]`: drop category (cookie, newsletter, share, ...) → regular expressions matched
  case-insensitively at the start of a block (`$` anchors a pattern to the block's end);
- `[ending]`: category → patterns matched at the end of a block (a teaser's call to action).

Adding a phrase is a line in a file, not code. Patterns must stay linear on hostile input:
bounded repetition only, no nested quantifiers.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import regex

_FLAGS = regex.IGNORECASE | regex.V1
_ENDING_WINDOW = 160


@dataclass(slots=True)
class Lexicon:
    """Compiled patterns of the languages loaded, each with its category.

    Block patterns are tried only where they can match: the patterns are grouped by
    the first character a match can start with (found once per character with a
    partial match), so a line costs one small alternation instead of all of them.
    """

    block_patterns: list[tuple[str, regex.Pattern[str]]]
    ending: regex.Pattern[str]
    function_words: frozenset[str]
    languages: tuple[str, ...]
    _by_first: dict[str, regex.Pattern[str] | None] = field(default_factory=dict)

    def _for_first(self, char: str) -> regex.Pattern[str] | None:
        try:
            return self._by_first[char]
        except KeyError:
            pass
        groups = [
            f"(?P<c_{category}_{n}>{pattern.pattern})"
            for n, (category, pattern) in enumerate(self.block_patterns)
            if pattern.match(char, partial=True)
        ]
        compiled = regex.compile("|".join(groups), _FLAGS) if groups else None
        self._by_first[char] = compiled
        return compiled

    def block_category(self, text: str) -> str | None:
        """The category whose block pattern matches at the start of `text`."""
        if not text:
            return None
        pattern = self._for_first(text[0].casefold())
        if pattern is None:
            return None
        match = pattern.match(text)
        return _category(match.lastgroup) if match and match.lastgroup else None

    def ending_category(self, text: str) -> str | None:
        """The category whose ending pattern matches the end of `text`."""
        if len(text) > _ENDING_WINDOW:
            # only a line's end can match; a separator stands for the cut-off start
            text = "\n" + text[-_ENDING_WINDOW:]
        match = self.ending.match(text)  # REVERSE: anchored at the end of the text
        return _category(match.lastgroup) if match and match.lastgroup else None


def _category(group: str) -> str:
    """The category of a group name: `c_<category>` or `c_<category>_<n>`."""
    name = group.removeprefix("c_")
    head, _, tail = name.rpartition("_")
    return head if head and tail.isdigit() else name


def available_languages() -> list[str]:
    return sorted(
        p.name.removesuffix(".toml")
        for p in resources.files(__package__).iterdir()
        if p.name.endswith(".toml")
    )


def _read(lang: str) -> dict[str, dict[str, list[str]]]:
    text = resources.files(__package__).joinpath(f"{lang}.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return {kind: dict(data.get(kind, {})) for kind in ("block", "ending", "words")}


def _compile_ending(parts: dict[str, list[str]]) -> regex.Pattern[str]:
    """One pattern for all ending categories: a named group per category (`c_<name>`)."""
    groups = []
    for category, patterns in parts.items():
        if patterns:
            body = "|".join(f"(?:{p})" for p in patterns)
            groups.append(f"(?P<c_{category}>{body})")
    if not groups:
        return regex.compile(r"(?!)")
    # Matched right to left (REVERSE): only the line's end is tried, not every position.
    return regex.compile(f"(?:{'|'.join(groups)})\\W{{0,3}}$", _FLAGS | regex.REVERSE)


@lru_cache(maxsize=8)
def load(languages: tuple[str, ...] | None = None) -> Lexicon:
    """All patterns of the given languages (default: every language shipped)."""
    langs = languages or tuple(available_languages())
    merged: dict[str, dict[str, list[str]]] = {"block": {}, "ending": {}, "words": {}}
    for lang in langs:
        for kind, categories in _read(lang).items():
            for category, patterns in categories.items():
                merged[kind].setdefault(category, []).extend(patterns)
    function = frozenset(w.casefold() for w in merged["words"].get("function", []))
    block = [
        (category, regex.compile(f"(?:{pattern})", _FLAGS))
        for category, patterns in merged["block"].items()
        for pattern in patterns
    ]
    return Lexicon(block, _compile_ending(merged["ending"]), function, langs)
