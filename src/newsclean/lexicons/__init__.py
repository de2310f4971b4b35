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
_BLOCK_KEY = 12  # the longest line start a block group is keyed by
_FEW = 2  # a group this small is not split further by a longer key
_MAX_KEYS = 200_000  # cached keys per kind, kept in bounds in a long-running process


@dataclass(slots=True)
class Lexicon:
    """Compiled patterns of the languages loaded, each with its category.

    A line is tried only against the patterns that can match it. Block patterns are
    grouped by the line's start (its first word and the character after it, at most
    `_BLOCK_KEY` characters), ending patterns by the line's end (up to three trailing
    non-word characters and the two characters before them). A pattern belongs to the
    group of a key when it matches the key partially: a necessary condition for a
    match on any line with that start or end, checked once per key (from the group of
    a shorter key, so each new key costs a few partial matches). The patterns of a
    group are then tried one by one in their order, and the winner is picked by the
    rule the single alternation of all patterns follows, so the answer is the same as
    that alternation's, at the cost of a few patterns instead of hundreds (and each
    pattern alone lets the regex engine reject a line quickly by a literal it needs).
    """

    block_patterns: list[tuple[str, regex.Pattern[str]]]
    ending: regex.Pattern[str]
    function_words: frozenset[str]
    languages: tuple[str, ...]
    # (category, pattern text) of every ending pattern in order; empty: use `ending`
    ending_patterns: list[tuple[str, str]] = field(default_factory=list)
    _by_first: dict[str, tuple[int, ...]] = field(default_factory=dict)
    _block_by_key: dict[str, tuple[tuple[str, regex.Pattern[str]], ...]] = field(
        default_factory=dict
    )
    _ending_tests: list[tuple[str, regex.Pattern[str]]] = field(default_factory=list)
    _ending_by_key: dict[str, tuple[tuple[str, regex.Pattern[str]], ...]] = field(
        default_factory=dict
    )

    def _first(self, char: str) -> tuple[int, ...]:
        """Indices of the block patterns that can match a line starting with `char`."""
        found = self._by_first.get(char)
        if found is None:
            found = self._by_first[char] = tuple(
                n
                for n, (_, pattern) in enumerate(self.block_patterns)
                if pattern.match(char, partial=True)
            )
        return found

    def _block_group(self, key: str) -> tuple[tuple[str, regex.Pattern[str]], ...]:
        """The block patterns (category, pattern) that can match a line starting with `key`.

        Found from the group of `key` less its last character, so that each new key
        costs a few partial matches.
        """
        if len(self._block_by_key) > _MAX_KEYS:
            self._block_by_key.clear()
        if len(key) > 1:
            shorter = key[:-1]
            parent = self._block_by_key.get(shorter)
            if parent is None:
                parent = self._block_group(shorter)
        else:
            seen: set[str] = set()
            first = []
            for n in self._first(key.casefold()):
                category, pattern = self.block_patterns[n]
                # a pattern repeated later in the alternation can never be the one that wins
                if pattern.pattern not in seen:
                    seen.add(pattern.pattern)
                    first.append((category, pattern))
            parent = tuple(first)
        if len(parent) <= _FEW:
            found = self._block_by_key[key] = parent
            return found
        found = self._block_by_key[key] = tuple(
            (category, pattern) for category, pattern in parent if pattern.match(key, partial=True)
        )
        return found

    def block_category(self, text: str) -> str | None:
        """The category whose block pattern matches at the start of `text`.

        The same answer as the alternation of all block patterns in order (the first
        pattern that matches wins); each pattern that can match a line with this start
        is tried on its own, which lets the regex engine reject most of them at once by
        a literal they need.
        """
        if not text:
            return None
        # the key: the first word and the character after it (a prefix of the line)
        key = text[:_BLOCK_KEY]
        space = key.find(" ")
        if space >= 0:
            key = key[: space + 1]
        try:
            candidates = self._block_by_key[key]
        except KeyError:
            candidates = self._block_group(key)
        for category, pattern in candidates:
            if pattern.match(text) is not None:
                return category
        return None

    def _ending_group(self, key: str) -> tuple[tuple[str, regex.Pattern[str]], ...]:
        """The ending patterns (category, test) that can match a line ending in `key`.

        Found from the group of `key` less its first character, so that each new key
        costs a few partial matches.
        """
        if len(self._ending_by_key) > _MAX_KEYS:
            self._ending_by_key.clear()
        if len(key) > 1:
            shorter = key[1:]
            parent = self._ending_by_key.get(shorter)
            if parent is None:
                parent = self._ending_group(shorter)
        else:
            if not self._ending_tests:
                seen: set[str] = set()
                for category, p in self.ending_patterns:
                    # a pattern repeated later in the alternation can never be the one that wins
                    if p not in seen:
                        seen.add(p)
                        test = regex.compile(f"({p})\\W{{0,3}}$", _FLAGS | regex.REVERSE)
                        self._ending_tests.append((category, test))
            parent = tuple(self._ending_tests)
        if len(parent) <= _FEW:
            found = self._ending_by_key[key] = parent
            return found
        found = self._ending_by_key[key] = tuple(
            (category, test) for category, test in parent if test.match(key, partial=True)
        )
        return found

    def ending_category(self, text: str) -> str | None:
        """The category whose ending pattern matches the end of `text`.

        The same answer as the single alternation `(?:p1|p2|...)\\W{0,3}$` matched right
        to left: that takes the longest run of trailing non-word characters (up to
        three) after which some pattern matches, then the first such pattern. Each
        pattern that can match is tried on its own, which lets the regex engine reject
        most of them at once by a literal they need, and the same rule picks the winner.
        """
        if len(text) > _ENDING_WINDOW:
            # only a line's end can match; a separator stands for the cut-off start
            text = "\n" + text[-_ENDING_WINDOW:]
        if not self.ending_patterns:
            match = self.ending.match(text)  # REVERSE: anchored at the end of the text
            return _category(match.lastgroup) if match and match.lastgroup else None
        # the key: up to three trailing non-word characters and the two before them
        # (any end of the text would do for correctness; this one tells patterns apart)
        size = cut = len(text)
        stop = max(cut - 3, 0)
        while cut > stop and not text[cut - 1].isalnum():
            cut -= 1
        key = text[max(cut - 2, 0) :]
        try:
            candidates = self._ending_by_key[key]
        except KeyError:
            candidates = self._ending_group(key)
        best: str | None = None
        best_trail = -1
        for category, test in candidates:
            match = test.match(text)
            if match is not None:
                trail = size - match.end(1)  # trailing non-word characters it left over
                if trail > best_trail:
                    best, best_trail = category, trail
                    if trail == 3:
                        break
        return best


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
    ending = [(c, p) for c, patterns in merged["ending"].items() for p in patterns]
    return Lexicon(block, _compile_ending(merged["ending"]), function, langs, ending)
