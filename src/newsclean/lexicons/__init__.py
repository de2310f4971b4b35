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

import importlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import regex

_FLAGS = regex.IGNORECASE | regex.V1
_ENDING_WINDOW = 160
_BLOCK_KEY = 12  # the longest line start a block group is keyed by
_FEW = 2  # a group this small is not split further by a longer key
_MAX_KEYS = 200_000  # cached keys per kind, kept in bounds in a long-running process


# Pattern syntax that `regex` (V1) may read otherwise than the standard library's parser
# (nested or combined sets, inline flags, named or look-around groups, property and
# named-character escapes): such a pattern gets no needles and is always tried.
_OTHER_ESCAPE = regex.compile(r"\\[pPNXGKLQEmM]")
_OTHER_SYNTAX = regex.compile(r"\[\[|--|&&|\|\||~~|\(\?(?!:)")
_ESCAPED = regex.compile(r"\\.", regex.DOTALL)
_NEEDLE_MAX = 40  # a pattern with more alternatives than this gets none of them


def _needles(pattern: str) -> tuple[str, ...] | None:
    """Strings, casefolded, one of which the casefolded text contains wherever `pattern`
    matches (case-insensitively); None when no such set is known.

    Read from the pattern's literal runs: a run of literal characters every match
    contains, or the runs of each branch of an alternation every match passes through.
    Case-insensitive matching compares casefolded text, so a match's casefold holds the
    needle's casefold.
    """
    if _OTHER_ESCAPE.search(pattern) or _OTHER_SYNTAX.search(_ESCAPED.sub("", pattern)):
        return None
    try:
        parser: Any = importlib.import_module("re._parser")
        tree = parser.parse(pattern)
    except Exception:  # not readable by the standard parser: no needles
        return None
    found = _sequence_needles(list(tree))
    if found is None or not all(found):
        return None
    return tuple(sorted({n.casefold() for n in found}))


@lru_cache(maxsize=4096)
def _needle_test(pattern: str) -> re.Pattern[str] | None:
    """A search for `pattern`'s needles in casefolded text, or None (no needles)."""
    needles = _needles(pattern)
    if needles is None:
        return None
    test = re.compile(_any_of(needles))
    _NEEDLES[test] = needles
    return test


def _block_needle_test(pattern: regex.Pattern[str]) -> re.Pattern[str] | None:
    """The needle search of a block pattern that may start with any character (tried on
    every line, so worth screening); None for the others, which the line's start already
    screens well (reading needles costs a parse per pattern, once per process)."""
    if pattern.match("\x01", partial=True) is None:
        return None
    return _needle_test(pattern.pattern)


# the needles of each needle search made by `_needle_test`
_NEEDLES: dict[re.Pattern[str], tuple[str, ...]] = {}


def _any_of(needles: Iterable[str]) -> str:
    """A pattern found in a text exactly where one of `needles` is, as a trie of their
    characters (so that the engine tries each character once, not once per needle)."""
    trie: dict[str, Any] = {}
    for needle in needles:
        node = trie
        for char in needle:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, Any]) -> str:
        if "" in node:
            return ""  # a needle ends here: the longer ones through it hold it anyway
        parts = [re.escape(char) + branch(child) for char, child in sorted(node.items())]
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    return branch(trie)


def _sequence_needles(items: list[Any]) -> set[str] | None:
    """The best needle set of a sequence: one of its literal runs or of its parts that
    every match of the sequence contains (the longest shortest needle wins)."""
    options: list[set[str]] = []
    run: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(arg))
            continue
        if run:
            options.append({"".join(run)})
            run = []
        part: set[str] | None = None
        if name == "SUBPATTERN":
            _, add_flags, del_flags, sub = arg
            if not add_flags and not del_flags:
                part = _sequence_needles(list(sub))
        elif name == "ATOMIC_GROUP":
            part = _sequence_needles(list(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, sub = arg
            if low >= 1:
                part = _sequence_needles(list(sub))
        elif name == "BRANCH":
            union: set[str] = set()
            for branch in arg[1]:
                found = _sequence_needles(list(branch))
                if found is None:
                    union = set()
                    break
                union |= found
            part = union or None
        if part:
            options.append(part)
    if run:
        options.append({"".join(run)})
    options = [o for o in options if len(o) <= _NEEDLE_MAX]
    if not options:
        return None
    return max(options, key=lambda o: (min(map(len, o)), -len(o)))


# An ending pattern: its category, its right-to-left test, and the search for its
# needles in the casefolded end of a line (None: no needles known, always tried).
_EndingTest = tuple[str, regex.Pattern[str], re.Pattern[str] | None]
# A block pattern: its category, the pattern, and the search for its needles.
_Test = _EndingTest


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
    _block_by_key: dict[str, tuple[_Test, ...]] = field(default_factory=dict)
    _ending_tests: list[_EndingTest] = field(default_factory=list)
    _ending_by_key: dict[str, tuple[_EndingTest, ...]] = field(default_factory=dict)
    # key -> (search for the needles of all its group's patterns that have some, the
    # group's patterns without needles): a line with none of the needles is tried
    # against the latter only
    _ending_screens: dict[str, tuple[re.Pattern[str] | None, tuple[_EndingTest, ...]]] = field(
        default_factory=dict
    )
    _screen_by_group: dict[
        tuple[_EndingTest, ...], tuple[re.Pattern[str] | None, tuple[_EndingTest, ...]]
    ] = field(default_factory=dict)

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

    def _block_group(self, key: str) -> tuple[_Test, ...]:
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
                    first.append((category, pattern, _block_needle_test(pattern)))
            parent = tuple(first)
        if len(parent) <= _FEW:
            found = self._block_by_key[key] = parent
            return found
        found = self._block_by_key[key] = tuple(
            entry for entry in parent if entry[1].match(key, partial=True)
        )
        return found

    def block_category(self, text: str, folded: str | None = None) -> str | None:
        """The category whose block pattern matches at the start of `text`.

        The same answer as the alternation of all block patterns in order (the first
        pattern that matches wins); each pattern that can match a line with this start
        is tried on its own, which lets the regex engine reject most of them at once by
        a literal they need. `folded`: `text.casefold()`, when the caller has it.
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
        for category, pattern, needles in candidates:
            if needles is not None:
                # a pattern matches only where its needles are: most lines are out here
                if folded is None:
                    folded = text.casefold()
                if needles.search(folded) is None:
                    continue
            if pattern.match(text) is not None:
                return category
        return None

    def _ending_group(self, key: str) -> tuple[_EndingTest, ...]:
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
                        self._ending_tests.append((category, test, _needle_test(p)))
            parent = tuple(self._ending_tests)
        if len(parent) <= _FEW:
            found = self._ending_by_key[key] = parent
            return found
        found = self._ending_by_key[key] = tuple(
            entry for entry in parent if entry[1].match(key, partial=True)
        )
        return found

    def _ending_screen(self, key: str) -> tuple[re.Pattern[str] | None, tuple[_EndingTest, ...]]:
        """The needle search and the patterns without needles of the group of `key`."""
        if len(self._ending_screens) > _MAX_KEYS:
            self._ending_screens.clear()
        group = self._ending_by_key.get(key)
        if group is None:
            group = self._ending_group(key)
        found = self._screen_by_group.get(group)
        if found is None:
            needles = {n for _, _, test in group if test is not None for n in _NEEDLES[test]}
            screen = re.compile(_any_of(needles)) if needles else None
            unscreened = tuple(entry for entry in group if entry[2] is None)
            found = self._screen_by_group[group] = (screen, unscreened)
        self._ending_screens[key] = found
        return found

    def ending_category(self, text: str, folded: str | None = None) -> str | None:
        """The category whose ending pattern matches the end of `text`.

        The same answer as the single alternation `(?:p1|p2|...)\\W{0,3}$` matched right
        to left: that takes the longest run of trailing non-word characters (up to
        three) after which some pattern matches, then the first such pattern. Each
        pattern that can match is tried on its own, which lets the regex engine reject
        most of them at once by a literal they need, and the same rule picks the winner.
        `folded`: `text.casefold()`, when the caller has it.
        """
        if len(text) > _ENDING_WINDOW:
            # only a line's end can match; a separator stands for the cut-off start
            text = "\n" + text[-_ENDING_WINDOW:]
            folded = None  # (the window is folded on its own)
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
            screen, unscreened = self._ending_screens[key]
        except KeyError:
            screen, unscreened = self._ending_screen(key)
        if folded is None:
            folded = text.casefold()
        if screen is not None and screen.search(folded) is None:
            # no pattern with needles can match: only those without are tried (in order)
            candidates = unscreened
        else:
            # (the groups may have been cleared since the screen was made)
            group = self._ending_by_key.get(key)
            candidates = group if group is not None else self._ending_group(key)
        best: str | None = None
        best_trail = -1
        for category, test, needles in candidates:
            # a pattern matches only where its needles are: most lines are out here
            if needles is not None and needles.search(folded) is None:
                continue
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
