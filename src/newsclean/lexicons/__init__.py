"""Chrome phrases and patterns per language, kept as data (one TOML file per language).

Each file has three tables:

- `[words] function`: the language's commonest function words; their density tells
  running prose from menus and headlines in any of the languages shipped;
- `[block]`: drop category (cookie, newsletter, share, ...) → regular expressions matched
  case-insensitively at the start of a block (`$` anchors a pattern to the block's end);
- `[ending]`: category → patterns matched at the end of a block (a teaser's call to action).

Adding a phrase is a line in a file, not code. Patterns must stay linear on hostile input:
bounded repetition only, no nested quantifiers.

Nothing is compiled when a lexicon is loaded: each pattern comes with screens read ahead
of time (`screens.py`, kept in `_index.py`): strings one of which a line's casefold must
start with, end with or contain for the pattern to match. A line is tried only against
the patterns whose screens it passes, and a pattern is compiled the first time a line
passes them, so a page pays for the few patterns its lines come near, not for hundreds.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import regex

from . import screens
from .screens import DIGIT, END, Entry, LanguageIndex

_FLAGS = regex.IGNORECASE | regex.V1
_ENDING_WINDOW = 160
_BLOCK_KEY = 3  # the characters of a line's start a block group is keyed by
_ENDING_KEY = 2  # the characters before a line's final non-word run an ending group is keyed by
_MAX_KEYS = 200_000  # cached keys per kind, kept in bounds in a long-running process
_MAX_ANSWERS = 10_000  # answers kept per kind (each line of a page is asked about twice)
_UNSEEN = "\x00"  # (not a category) an answer not kept yet
_LOOSE = "\x02"  # (not an anchor) the key of the block rules without anchors
# the longest run of non-word characters at a line's end that an ending may leave over:
# up to three of the pattern's own (`\W{0,3}$`) and three more of the test's
_TRAIL = 6


class _Rule:
    """One pattern of a lexicon: its category, its screens, and its test, compiled on
    first use. `anchors` are the strings a line's casefold starts with (block patterns)
    or ends with (ending patterns, before the final non-word run) wherever it matches;
    for a block pattern, `digit_anchors` are those that go on with a decimal digit and
    `whole` those that are all of the line (but a final line break)."""

    __slots__ = (
        "_test",
        "anchors",
        "category",
        "digit_anchors",
        "ending",
        "needles",
        "order",
        "pattern",
        "prefixes",
        "whole",
    )

    def __init__(self, entry: Entry, ending: bool, order: int) -> None:
        self.category, self.pattern, anchors, self.needles = entry
        self.ending = ending
        self.order = order
        self.anchors: tuple[str, ...] | None = None
        self.digit_anchors: tuple[str, ...] = ()
        self.whole: frozenset[str] = frozenset()
        if anchors is not None:
            self.anchors = tuple(a for a in anchors if not a.endswith((DIGIT, END)))
            self.digit_anchors = tuple(a[:-1] for a in anchors if a.endswith(DIGIT))
            self.whole = frozenset(a[:-1] for a in anchors if a.endswith(END))
        # every anchor read as a prefix (the weaker reading), sorted for a binary search
        self.prefixes = tuple(sorted({*(self.anchors or ()), *self.whole, *self.digit_anchors}))
        if (
            self.needles
            and self.prefixes
            and all(any(n in a for n in self.needles) for a in self.prefixes)
        ):
            self.needles = None  # a line with an anchor holds a needle: no need to look
        self._test: regex.Pattern[str] | None = None

    def test(self) -> regex.Pattern[str]:
        """The compiled pattern: matched at a line's start (block patterns), or right to
        left at its end with up to three trailing non-word characters (ending patterns)."""
        if self._test is None:
            if self.ending:
                self._test = regex.compile(f"({self.pattern})\\W{{0,3}}$", _FLAGS | regex.REVERSE)
            else:
                self._test = regex.compile(f"(?:{self.pattern})", _FLAGS)
        return self._test

    def ends_near(self, key: str) -> bool:
        """Whether a line end whose casefold ends with `key` may end with an anchor."""
        return self.anchors is None or any(a.endswith(key) or key.endswith(a) for a in self.anchors)

    def starts(self, folded: str) -> bool:
        """Whether the casefolded line passes this block pattern's screens."""
        if self.anchors is not None and not (
            folded.startswith(self.anchors)
            or (self.whole and (folded in self.whole or folded.removesuffix("\n") in self.whole))
            or any(
                folded.startswith(a) and folded[len(a) : len(a) + 1].isdigit()
                for a in self.digit_anchors
            )
        ):
            return False
        return self.holds_needles(folded)

    def holds_needles(self, folded: str) -> bool:
        """Whether the casefolded text holds one of the pattern's needles (if it has any)."""
        needles = self.needles
        return needles is None or any(n in folded for n in needles)


class _Group:
    """The rules a line with some start (or end) may match, in order, with all their
    anchors in one tuple (a line that starts or ends with none of them is tried only
    against the `loose` rules, those without anchors). `pairs` and `loose` hold each
    rule with its anchors read as prefixes ("" for a rule without: any line)."""

    __slots__ = ("loose", "pairs", "quick", "rules")

    def __init__(self, rules: tuple[_Rule, ...]) -> None:
        self.rules = rules
        self.pairs = tuple((r.prefixes if r.anchors is not None else ("",), r) for r in rules)
        self.loose = tuple(pair for pair in self.pairs if pair[1].anchors is None)
        self.quick = tuple({a for r in rules for a in r.prefixes})


def _unique(entries: list[Entry], ending: bool) -> tuple[_Rule, ...]:
    """The rules of `entries` in order, each pattern once: a pattern repeated later can
    never be the one that wins."""
    seen: set[str] = set()
    rules: list[_Rule] = []
    for entry in entries:
        if entry[1] not in seen:
            seen.add(entry[1])
            rules.append(_Rule(entry, ending, len(rules)))
    return tuple(rules)


@dataclass(slots=True)
class Lexicon:
    """The patterns of the languages loaded, each with its category and screens.

    `block_category` answers as the alternation of all block patterns in order would
    (the first that matches at the line's start wins); `ending_category` as the single
    right-to-left alternation `(?:p1|p2|...)\\W{0,3}$` would. Block patterns are grouped
    by the casefolded line's first three characters, ending patterns by the two before
    the line's final run of non-word characters: a group holds the patterns whose
    anchors agree with the key (and those without anchors), found once per key. Within a
    group, a pattern is tried only when the line passes its screens.
    """

    function_words: frozenset[str]
    languages: tuple[str, ...]
    _blocks: tuple[_Rule, ...]
    _endings: tuple[_Rule, ...]
    _block_groups: dict[str, _Group] = field(default_factory=dict)
    # the block rules by each of their anchors read as a prefix, and those anchors sorted
    _by_prefix: dict[str, tuple[_Rule, ...]] | None = None
    _prefixes: list[str] = field(default_factory=list)
    # one search for the needles of all block rules without anchors (None: not made
    # yet, or some rule has no needles)
    _loose_blocks: re.Pattern[str] | None = None
    _ending_groups: dict[str, _Group] = field(default_factory=dict)
    _block_answers: dict[str, str | None] = field(default_factory=dict)
    _ending_answers: dict[str, str | None] = field(default_factory=dict)
    # the ending rules without anchors, and one search for all their needles (None:
    # not made yet, or some rule has no needles)
    _loose_endings: tuple[_Rule, ...] | None = None
    _loose_screen: re.Pattern[str] | None = None

    @property
    def block_patterns(self) -> list[tuple[str, regex.Pattern[str]]]:
        """(category, compiled pattern) of every block pattern in order (each once)."""
        return [(rule.category, rule.test()) for rule in self._blocks]

    @property
    def ending_patterns(self) -> list[tuple[str, str]]:
        """(category, pattern text) of every ending pattern in order (each once)."""
        return [(rule.category, rule.pattern) for rule in self._endings]

    @property
    def ending(self) -> regex.Pattern[str]:
        """All ending patterns as one right-to-left alternation, a named group per
        pattern (`c_<category>_<n>`): the plain reading `ending_category` answers as."""
        groups = [f"(?P<c_{r.category}_{n}>{r.pattern})" for n, r in enumerate(self._endings)]
        if not groups:
            return regex.compile(r"(?!)")
        return regex.compile(f"(?:{'|'.join(groups)})\\W{{0,3}}$", _FLAGS | regex.REVERSE)

    def block_category(self, text: str, folded: str | None = None) -> str | None:
        """The category whose block pattern matches at the start of `text`.

        The same answer as the alternation of all block patterns in order (the first
        pattern that matches wins). `folded`: `text.casefold()`, when the caller has it.
        """
        if not text:
            return None
        found = self._block_answers.get(text, _UNSEEN)
        if found != _UNSEEN:
            return found
        if folded is None:
            folded = text.casefold()
        # the key: the line's first characters (a group's anchors then reject most lines
        # at once; a longer key makes more groups than it saves tries)
        key = folded[:_BLOCK_KEY]
        group = self._block_groups.get(key)
        if group is None:
            group = self._block_group(key)
        if folded.startswith(group.quick):
            rules = group.pairs
        elif self._loose_blocks is not None and self._loose_blocks.search(folded) is None:
            rules = ()  # (most lines)
        else:
            rules = group.loose
        found = None
        for prefixes, rule in rules:
            if (
                folded.startswith(prefixes)
                and rule.starts(folded)
                and rule.test().match(text) is not None
            ):
                found = rule.category
                break
        if len(self._block_answers) > _MAX_ANSWERS:
            self._block_answers.clear()
        self._block_answers[text] = found
        return found

    def _block_group(self, key: str) -> _Group:
        """The block rules a line whose casefold starts with `key` may match, in order:
        those with an anchor that starts with `key` or that `key` starts with (a pure
        digit anchor is the empty prefix, which only a key starting with a digit takes),
        and those without anchors."""
        if len(self._block_groups) > _MAX_KEYS:
            self._block_groups.clear()
        by_prefix = self._by_prefix
        if by_prefix is None:
            by_prefix = self._index_prefixes()
        found: set[_Rule] = set(by_prefix.get(_LOOSE, ()))
        if key[0].isdigit():
            found.update(by_prefix.get("", ()))
        for size in range(1, len(key) + 1):
            found.update(by_prefix.get(key[:size], ()))
        prefixes = self._prefixes
        at = bisect_left(prefixes, key)
        while at < len(prefixes) and prefixes[at].startswith(key):
            found.update(by_prefix[prefixes[at]])
            at += 1
        group = self._block_groups[key] = _Group(tuple(sorted(found, key=_order)))
        return group

    def _index_prefixes(self) -> dict[str, tuple[_Rule, ...]]:
        """The block rules by each of their anchors (`_LOOSE`: the rules without)."""
        by_prefix: dict[str, list[_Rule]] = {}
        for rule in self._blocks:
            for prefix in (_LOOSE,) if rule.anchors is None else rule.prefixes:
                by_prefix.setdefault(prefix, []).append(rule)
        self._by_prefix = {prefix: tuple(rules) for prefix, rules in by_prefix.items()}
        self._prefixes = sorted(p for p in by_prefix if p and p != _LOOSE)
        self._loose_blocks = _needle_search(by_prefix.get(_LOOSE, []))
        return self._by_prefix

    def _ending_group(self, key: str) -> _Group:
        """The ending rules with anchors that a line end whose casefold (before its final
        non-word run) ends with `key` may match, in order."""
        if len(self._ending_groups) > _MAX_KEYS:
            self._ending_groups.clear()
        parent = self._endings
        if len(key) > 1:
            shorter = self._ending_groups.get(key[1:])
            parent = (shorter or self._ending_group(key[1:])).rules
        found = self._ending_groups[key] = _Group(
            tuple(r for r in parent if r.anchors is not None and r.ends_near(key))
        )
        return found

    def ending_category(self, text: str, folded: str | None = None) -> str | None:
        """The category whose ending pattern matches the end of `text`.

        The same answer as the single alternation `(?:p1|p2|...)\\W{0,3}$` matched right
        to left: that takes the longest run of trailing non-word characters (up to
        three) after which some pattern matches, then the first such pattern. Each
        pattern whose screens the line passes is tried on its own, and the same rule
        picks the winner. `folded`: `text.casefold()`, when the caller has it.
        """
        found = self._ending_answers.get(text, _UNSEEN)
        if found != _UNSEEN:
            return found
        line = text
        if len(text) > _ENDING_WINDOW:
            # only a line's end can match; a separator stands for the cut-off start
            text = "\n" + text[-_ENDING_WINDOW:]
            folded = None  # (the window is folded on its own)
        if folded is None:
            folded = text.casefold()
        found = self._ending(text, folded)
        if len(self._ending_answers) > _MAX_ANSWERS:
            self._ending_answers.clear()
        self._ending_answers[line] = found
        return found

    def _ending(self, text: str, folded: str) -> str | None:
        """`ending_category` of a line no longer than the window, and its casefold."""
        candidates = self._ending_candidates(text, folded)
        best: str | None = None
        best_trail = -1
        size = len(text)
        for rule in candidates:
            match = rule.test().match(text)
            if match is not None:
                trail = size - match.end(1)  # trailing non-word characters it left over
                if trail > best_trail:
                    best, best_trail = rule.category, trail
                    if trail == 3:
                        break
        return best

    def _ending_candidates(self, text: str, folded: str) -> list[_Rule]:
        """The ending rules whose screens the line passes, in order."""
        # each way of setting aside part of the final non-word run leaves a line end
        # that an anchor must close
        run = _trailing_run(text)
        chosen: set[_Rule] = set()
        cut = len(folded)
        for size in range(run + 1):
            if size:
                cut -= len(text[-size].casefold())
            head = folded[:cut]
            key = head[-_ENDING_KEY:]
            group = self._ending_groups.get(key)
            if group is None:
                group = self._ending_group(key)
            if not head.endswith(group.quick):
                continue  # (most lines)
            chosen.update(
                rule
                for rule in group.rules
                if head.endswith(rule.anchors)  # type: ignore[arg-type]
                and rule.holds_needles(folded)
            )
        chosen.update(self._loose(folded))
        return sorted(chosen, key=_order) if chosen else []

    def _loose(self, folded: str) -> list[_Rule]:
        """The ending rules without anchors whose needles the casefolded line holds."""
        loose = self._loose_endings
        if loose is None:
            loose = self._loose_endings = tuple(r for r in self._endings if r.anchors is None)
            self._loose_screen = _needle_search(loose)
        if not loose:
            return []
        if self._loose_screen is not None and self._loose_screen.search(folded) is None:
            return []
        return [r for r in loose if r.holds_needles(folded)]


def _needle_search(rules: Iterable[_Rule]) -> re.Pattern[str] | None:
    """One search for the needles of all `rules` (a text without any of them passes
    none of their screens); None when one of the rules has no needles."""
    needles: list[str] = []
    for rule in rules:
        if rule.needles is None:
            return None
        needles.extend(rule.needles)
    return re.compile(screens.any_of(needles)) if needles else None


def _trailing_run(text: str) -> int:
    """The length of the run at the end of `text` (at most `_TRAIL`) of characters that
    may be non-word characters: all but letters and decimal digits, which `\\w` always
    holds (so the run is never shorter than the run of `\\W` the patterns see)."""
    run = 0
    for char in reversed(text[-_TRAIL:]):
        if char.isalpha() or char.isdecimal():
            break
        run += 1
    return run


def _order(rule: _Rule) -> int:
    """A rule's place in its lexicon (the alternation's order)."""
    return rule.order


def available_languages() -> list[str]:
    return sorted(
        p.name.removesuffix(".toml")
        for p in resources.files(__package__).iterdir()
        if p.name.endswith(".toml")
    )


def _language(lang: str) -> LanguageIndex:
    """A language's lexicon file with its screens: from the index read ahead of time
    when the file is the one it was read from, else read now (slower, same answers)."""
    data = resources.files(__package__).joinpath(f"{lang}.toml").read_bytes()
    known = _shipped().get(lang)
    if known is not None and known[0] == screens.digest(data):
        return known
    return screens.language_index(data)


@lru_cache(maxsize=1)
def _shipped() -> dict[str, LanguageIndex]:
    """The index of the lexicon files read ahead of time (empty in a copy without it)."""
    try:
        from ._index import INDEX
    except ImportError:
        return {}
    return screens.from_json(INDEX)


@lru_cache(maxsize=8)
def load(languages: tuple[str, ...] | None = None) -> Lexicon:
    """All patterns of the given languages (default: every language shipped)."""
    langs = languages or tuple(available_languages())
    merged: dict[str, dict[str, list[Entry]]] = {"block": {}, "ending": {}}
    words: list[str] = []
    for lang in langs:
        _, function, block, ending = _language(lang)
        words.extend(function)
        for kind, entries in (("block", block), ("ending", ending)):
            for entry in entries:
                merged[kind].setdefault(entry[0], []).append(entry)
    # the categories in the order first met, each with its patterns of every language
    blocks = [e for entries in merged["block"].values() for e in entries]
    endings = [e for entries in merged["ending"].values() for e in entries]
    return Lexicon(
        frozenset(w.casefold() for w in words),
        langs,
        _unique(blocks, ending=False),
        _unique(endings, ending=True),
    )
