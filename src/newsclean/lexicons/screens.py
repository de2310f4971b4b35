"""What every match of a lexicon pattern must contain: the screens that let a line skip it.

A pattern matched case-insensitively matches a text only if the casefolded text holds
what the pattern's literal characters fold to. Three such screens are read from a
pattern's structure (its parse by the standard library's reader):

- `starts`: strings, one of which begins the casefolded text of every match (block
  patterns are matched at a line's start, so the line's casefold begins with one); the
  last character of such a string may be `DIGIT`, which stands for any decimal digit,
  or `END`, which says that the string is all of the text (or all but a final `\\n`);
- `ends`: strings, one of which ends the casefolded text of every match, once a final
  run of non-word characters (`\\W{0,3}`, `$`) is set aside (ending patterns are
  matched at a line's end);
- `needles`: strings, one of which the casefolded text of every match contains.

None stands for "no screen known": the pattern is then always tried. Reading a pattern
costs a parse, so the screens of the shipped lexicon files are read ahead of time and
kept in `_index.py` (written by `python -m newsclean.lexicons`); a file changed
since is read again here when it is loaded, with the same answers, only later.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

# (category, pattern, anchors, needles): anchors are `starts` for a block pattern and
# `ends` for an ending pattern.
Entry = tuple[str, str, tuple[str, ...] | None, tuple[str, ...] | None]
# (sha256 of the file, function words, block entries, ending entries), in file order
LanguageIndex = tuple[str, tuple[str, ...], tuple[Entry, ...], tuple[Entry, ...]]

_MAX = 40  # a screen with more strings than this is not kept (too costly to try)

# Pattern syntax that `regex` (V1) may read otherwise than the standard library's parser
# (nested or combined sets, inline flags, named or look-around groups, named-character
# escapes): such a pattern gets no screens. Two constructs are read as something the
# standard parser knows, since a screen never looks inside them: a property escape
# (`\p{Lu}`: a character class) and a case-sensitive group `(?-i:...)` (a case-sensitive
# match of a literal folds to the literal's fold all the same).
_PROPERTY = r"\\[pP]\{[^}]{1,40}\}"
_CASE_SENSITIVE = "(?-i:"
_OTHER_ESCAPE = r"\\[pPNXGKLQEmM]"
_OTHER_SYNTAX = r"\[\[|--|&&|\|\||~~|\(\?(?!:)"
_ESCAPED = r"\\."

# stands for a decimal digit at the end of a `starts` string: the text goes on with one
DIGIT = "\x00"
# stands for `$` at the end of a `starts` string: the text is that string (and maybe a
# final line break), nothing more
END = "\x01"

# one piece of a screen: (folded text so far, whether the text is the whole match)
_Affix = tuple[str, bool]


def _parse(pattern: str) -> list[Any] | None:
    """The standard parser's reading of `pattern` as a list of (op, arg), or None."""
    readable = re.sub(_PROPERTY, r"\\w", pattern).replace(_CASE_SENSITIVE, "(?:")
    if re.search(_OTHER_ESCAPE, readable) or re.search(
        _OTHER_SYNTAX, re.sub(_ESCAPED, "_", readable, flags=re.DOTALL)
    ):
        return None
    try:
        parser: Any = importlib.import_module("re._parser")
        return list(parser.parse(readable))
    except Exception:  # not readable by the standard parser: no screens
        return None


def any_of(needles: Iterable[str]) -> str:
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


def needles(pattern: str) -> tuple[str, ...] | None:
    """Strings, casefolded, one of which the casefolded text contains wherever `pattern`
    matches (case-insensitively); None when no such set is known.

    Read from the pattern's literal runs: a run of literal characters every match
    contains, or the runs of each branch of an alternation every match passes through.
    """
    tree = _parse(pattern)
    found = None if tree is None else _sequence_needles(tree)
    if found is None or not all(found):
        return None
    return tuple(sorted({n.casefold() for n in found}))


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
    options = [o for o in options if len(o) <= _MAX]
    if not options:
        return None
    return max(options, key=lambda o: (min(map(len, o)), -len(o)))


def starts(pattern: str) -> tuple[str, ...] | None:
    """Strings, casefolded, one of which begins the casefold of every match of `pattern`
    (case-insensitively); None when no such set is known."""
    tree = _parse(pattern)
    return None if tree is None else _kept(_affixes(tree, backwards=False), backwards=False)


def ends(pattern: str) -> tuple[str, ...] | None:
    """Strings, casefolded, one of which ends the casefold of every match of `pattern`
    (case-insensitively) once its final `\\W{0,n}` (n <= 3) and `$` are set aside; None
    when no such set is known."""
    tree = _parse(pattern)
    if tree is None:
        return None
    while tree and _is_trailing_non_word(tree[-1]):
        tree.pop()
    return _kept(_affixes(tree, backwards=True), backwards=True)


def _is_trailing_non_word(item: Any) -> bool:
    """Whether a sequence item is `$` or a run of at most three non-word characters."""
    op, arg = item
    name = str(op)
    if name == "AT":
        return str(arg) == "AT_END"
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        _, high, sub = arg
        sub = list(sub)
        return (
            isinstance(high, int)
            and high <= 3
            and len(sub) == 1
            and str(sub[0][0]) == "IN"
            and [(str(o), str(a)) for o, a in sub[0][1]] == [("CATEGORY", "CATEGORY_NOT_WORD")]
        )
    return False


def _kept(found: list[_Affix], backwards: bool) -> tuple[str, ...] | None:
    """A screen's strings, folded, or None when one of them is empty (no screen).

    A string that holds another one at the same end adds nothing and is left out.
    """
    texts = {text.casefold() for text, _ in found}
    if "" in texts:
        return None
    kept = [
        text
        for text in texts
        if not any(
            other != text and (text.endswith(other) if backwards else text.startswith(other))
            for other in texts
        )
    ]
    return tuple(sorted(kept))


def _affixes(items: list[Any], backwards: bool) -> list[_Affix]:
    """The texts a match of a sequence starts with (or ends with, `backwards`), each
    with whether it is the whole match (then the next item's texts extend it)."""
    found: list[_Affix] = [("", True)]
    for item in reversed(items) if backwards else items:
        if not any(whole for _, whole in found):
            break
        part = _item_affixes(item, backwards)
        grown: list[_Affix] = []
        for text, whole in found:
            if not whole:
                grown.append((text, False))
                continue
            for piece, piece_whole in part:
                grown.append((piece + text if backwards else text + piece, piece_whole))
        grown = list(dict.fromkeys(grown))
        if len(grown) > _MAX:
            # too many: stop here, with the texts found so far (each is still a prefix)
            return [(text, False) for text, _ in found]
        found = grown
    return found


def _item_affixes(item: Any, backwards: bool) -> list[_Affix]:
    """The texts one sequence item's matches start (or end) with, and whether whole."""
    op, arg = item
    name = str(op)
    unknown: list[_Affix] = [("", False)]
    if name == "LITERAL":
        return [(chr(arg), True)]
    if name == "IN":
        members = [(str(o), a) for o, a in arg]
        if all(o == "LITERAL" for o, _ in members):
            return [(chr(a), True) for _, a in members]  # a set of letters: each of them
        if [(o, str(a)) for o, a in members] == [("CATEGORY", "CATEGORY_DIGIT")] and not backwards:
            return [(DIGIT, False)]
        return unknown
    if name == "AT":
        if str(arg) == "AT_END" and not backwards:
            return [(END, False)]
        return [("", True)]  # zero-width: an anchor or a word boundary
    if name == "SUBPATTERN":
        _, add_flags, del_flags, sub = arg
        if add_flags or del_flags:
            return unknown
        return _affixes(list(sub), backwards)
    if name == "BRANCH":
        union: list[_Affix] = []
        for branch in arg[1]:
            union.extend(_affixes(list(branch), backwards))
        return list(dict.fromkeys(union))
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, sub = arg
        # once at most: the item's texts, whole as they are; more: never whole
        repeated = [(text, whole and high == 1) for text, whole in _affixes(list(sub), backwards)]
        # none at all: the match goes on with the next item
        return [("", True), *repeated] if low == 0 else repeated
    return unknown


def _entries(
    parts: dict[str, list[str]], anchors: Callable[[str], tuple[str, ...] | None]
) -> tuple[Entry, ...]:
    """The entries of one table of a lexicon file, in file order."""
    return tuple(
        (category, pattern, anchors(pattern), needles(pattern))
        for category, patterns in parts.items()
        for pattern in patterns
    )


def language_index(data: bytes) -> LanguageIndex:
    """A lexicon file read and its patterns' screens read (the slow way, by parsing)."""
    import tomllib  # (only here: a file read the slow way)

    table = tomllib.loads(data.decode("utf-8"))
    words = tuple(table.get("words", {}).get("function", []))
    block = _entries(dict(table.get("block", {})), starts)
    ending = _entries(dict(table.get("ending", {})), ends)
    return (digest(data), words, block, ending)


def digest(data: bytes) -> str:
    """The fingerprint of a lexicon file's bytes that its index entry is kept under."""
    return hashlib.sha256(data).hexdigest()


def write_index(folder: Path) -> Path:
    """Write `_index.py` in `folder` from the lexicon files there; return its path.

    The index is JSON text in a string (one line per pattern, so that a change to a
    lexicon file changes a few lines): reading it is one `json.loads`, much less than
    compiling the same data as Python literals where no bytecode is cached.
    """
    lines = ["{"]
    paths = sorted(folder.glob("*.toml"))
    for n, path in enumerate(paths):
        sha, words, block, ending = language_index(path.read_bytes())
        lines.append(f"{_json(path.name.removesuffix('.toml'))}: [{_json(sha)}, {_json(words)},")
        for kind, entries in ((block, "],"), (ending, "]]")):
            lines.append(" [")
            lines.extend(f"  {_json(e)}," for e in kind[:-1])
            lines.extend(f"  {_json(e)}" for e in kind[-1:])
            lines.append(" " + entries)
        lines[-1] += "," if n < len(paths) - 1 else ""
    lines.append("}")
    data = "\n".join(lines)
    if '"""' in data or data.endswith("\\"):
        raise ValueError("a lexicon pattern that a raw string cannot hold")
    text = (
        '"""The lexicon files read ahead of time, with every pattern\'s screens (see\n'
        "`screens.py`), as JSON: `{language: [sha256 of the file, function words, block\n"
        "entries, ending entries]}`, an entry being `[category, pattern, anchors, needles]`.\n\n"
        "Written by `python -m newsclean.lexicons`: do not edit; write it again whenever a\n"
        'lexicon file changes (a file changed since is read the slow way)."""\n\n'
        "# ruff: noqa: E501\n\n"
        f'INDEX = r"""\n{data}\n"""\n'
    )
    target = folder / "_index.py"
    target.write_text(text, "utf-8")
    return target


def _json(value: object) -> str:
    """One value as compact JSON, non-ASCII characters as they are."""
    return json.dumps(value, ensure_ascii=False)


def from_json(text: str) -> dict[str, LanguageIndex]:
    """The index as written by `write_index`, with tuples where it holds tuples."""
    index: dict[str, LanguageIndex] = {}
    for lang, (sha, words, block, ending) in json.loads(text).items():
        index[lang] = (sha, tuple(words), _tuples(block), _tuples(ending))
    return index


def _tuples(entries: list[list[Any]]) -> tuple[Entry, ...]:
    """Entries read from JSON (lists) as the tuples `language_index` makes."""
    return tuple(
        (category, pattern, _maybe(anchors), _maybe(needles))
        for category, pattern, anchors, needles in entries
    )


def _maybe(strings: list[str] | None) -> tuple[str, ...] | None:
    return None if strings is None else tuple(strings)


def main() -> None:
    """Write the index of the lexicon files beside this module."""
    print(write_index(Path(__file__).resolve().parent), file=sys.stderr)
