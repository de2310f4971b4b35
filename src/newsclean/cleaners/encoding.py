"""Encoding repair for a whole document: entities, mojibake, truncation, controls.

The core is `repair_blocks(texts)`: it takes the blocks of one document (paragraphs or
lines) and returns their repaired texts with one `Change` per block and reason. The
evidence for *which* mis-decoding happened is gathered across the whole document, while
each block is still repaired (or left alone) on its own, so a page where only a few
paragraphs are damaged is fixed without touching the others.

Mojibake model. UTF-8 bytes decoded with a single-byte code page E (Windows-1252,
Latin-1, Mac Roman, ...) can be undone exactly by encoding with E and decoding as UTF-8.
A block is accepted for code page E only when that round trip is *strictly* valid UTF-8
and yields at least one multi-byte character: ordinary text in any language almost never
forms valid UTF-8 by accident (an accented letter followed by an ASCII letter is already
invalid), so this is strong evidence per block. Code pages are ranked by how many
characters they restore across the whole document, and each block uses the best-ranked
code page that accepts it; this is how `Ã©` (Windows-1252) and `√©` (Mac Roman) are told
apart. A code page supported by little evidence (one block and fewer than three
characters, or one block of Codepage 437, whose box-drawing characters make line art)
must also lower ftfy's badness score. Two known losses are tolerated: U+00A0 turned into
a space by a scraper (`Ã ` for `à`), and a byte limit that cut the last character of the
document.
What the round trip cannot explain (damage inside otherwise correct text, C1 controls,
lost bytes) is left to ftfy with every format-changing fix off.

HTML entities are decoded as many times as the document was escaped, never more: a
document whose only entities are `&amp;X;` (plus the quote and bracket escapes a second
escaping pass also produces) was escaped twice and is decoded twice; in any other
document one layer is decoded, so `&amp;eacute;` becomes the literal text `&eacute;`.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Protocol

import regex

# Code pages whose mis-decoding of UTF-8 is undone, in order of preference on ties.
CODEPAGES: tuple[str, ...] = (
    "sloppy-windows-1252",
    "latin-1",
    "macroman",
    "sloppy-windows-1250",
    "iso-8859-2",
    "sloppy-windows-1251",
    "sloppy-windows-1253",
    "sloppy-windows-1254",
    "sloppy-windows-1257",
    "cp437",
)
# A byte limit (a storage column, a request cap) is hundreds of bytes or more; a shorter
# text ending in a broken character is more likely lossy than cut, and is left alone.
MIN_CUT_BYTES = 256
_MAX_ROUNDS = 3
_MAX_PASSES = 4  # mojibake applied up to three times (double is common, triple is seen)

# A scraper's whitespace clean-up turned byte A0 (U+00A0 in Windows-1252 / Latin-1) into a
# space: a space where a UTF-8 continuation byte must be. Restored only where the block
# is otherwise valid UTF-8 and has more evidence than restored bytes; never inside
# E2 80 / E2 81 (General Punctuation), where a lost byte (`â€ ` for `” `) is likelier.
_NBSP_LOST = regex.compile(
    rb"[\xc2-\xdf]\x20"
    rb"|[\xe0-\xef]\x20[\x80-\xbf]|[\xe0-\xef][\x80-\xbf]\x20"
    rb"|[\xf0-\xf4]\x20[\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]\x20[\x80-\xbf]"
    rb"|[\xf0-\xf4][\x80-\xbf]{2}\x20"
)


# `à` (C3 A0) is a word of its own in French, Portuguese and Catalan: when it follows a
# non-letter and precedes letters, the lost A0 may have been merged with the space after
# it (`jusqu'Ã nos` for `jusqu'à nos`) or not (`l'Ã rea` for `l'àrea`). The fused reading
# is kept only when it makes a known word in one of the languages that write `à`
# (wordfreq lists, loaded on first need) and no elision apostrophe follows (`à s'en`).
_A_GRAVE_LANGS = ("fr", "pt", "ca", "it", "es")
_WORD_AFTER = regex.compile(r"\p{L}{1,40}")


@lru_cache(maxsize=4096)
def _fused_a_grave_word(word: str) -> bool:
    from wordfreq import available_languages, zipf_frequency

    known = set(available_languages())
    return any(lang in known and zipf_frequency(word, lang) >= 1.5 for lang in _A_GRAVE_LANGS)


def _restore_a0(match: regex.Match[bytes]) -> bytes:
    found = match.group(0)
    if found[:1] == b"\xe2" and found[1:2] in (b"\x80", b"\x81"):
        return found
    if found == b"\xc3\x20":
        data, start, end = match.string, match.start(), match.end()
        if not data[start - 1 : start].isalpha() and data[end : end + 1].isalpha():
            after = data[end : end + 48].decode("utf-8", "ignore")
            word = _WORD_AFTER.match(after)
            if word is not None:
                rest = after[word.end() : word.end() + 1]
                if rest in ("'", "’") or not _fused_a_grave_word("à" + word.group(0).lower()):
                    return b"\xc3\xa0\x20"
    return found.replace(b"\x20", b"\xa0")


_ENTITY = regex.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ESCAPED_TAG = regex.compile(r"&lt;/?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^&<>]{0,200}+)?/?&gt;")
_DOUBLE_ENTITY = regex.compile(
    r"&amp;(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
# What a second escaping pass produces by itself (html.escape and friends).
_ESCAPE_LAYER = frozenset({"&amp;", "&quot;", "&apos;", "&lt;", "&gt;", "&#39;", "&#x27;", "&#34;"})
_CONTROL_ENTITY_OK = frozenset({9, 10, 13})

# Characters that never occur in undamaged text, or entities: any of them sends a block
# down the slow path. Each pattern starts with one character class or literal, which lets
# `re` skip ahead to where a match can start (an alternation makes it try every position).
_DAMAGED_CLASS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff]"
_DAMAGED_CHAR = re.compile(_DAMAGED_CLASS)
_ENTITY_SEARCH = re.compile(_ENTITY.pattern)  # `re` scans for the leading `&` faster


@dataclass(frozen=True, slots=True)
class Change:
    """Block `block` went from `before` to `after` for `reason`."""

    block: int
    reason: str
    before: str
    after: str


# `Â ` and `Ã ` (a lost A0 byte), written as what may follow a lead: Â and Ã are the
# leads C2 and C3 themselves, so every pattern starts with the lead class, which `re`
# uses to skip ahead to lead characters (`[leads][conts]|[ÂÃ] ` would try every position).
_LOST_A0 = "|(?<=[ÂÃ]) "


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


class _Tables(NamedTuple):
    """Per code page, a pattern for "a UTF-8 lead byte followed by a continuation byte"
    as that code page shows them; one pattern for any lead of any code page followed by
    any continuation (a superset, for the fast path); the set of all leads; and
    `suspect`, a damaged character or a match of `union` in one pattern, so that
    `looks_damaged` scans a text once."""

    signatures: dict[str, re.Pattern[str]]
    union: re.Pattern[str]
    leads: frozenset[str]
    suspect: re.Pattern[str]


@lru_cache(maxsize=1)
def sloppy_codecs() -> None:
    """Register ftfy's sloppy-windows-* codecs (needed before any text is encoded or
    decoded with one of `CODEPAGES`); the first call imports ftfy."""
    import ftfy.bad_codecs  # noqa: F401


def byte_char(byte: int, codepage: str) -> str:
    """What `codepage` shows for one byte ("" where it shows nothing). A sloppy code page
    reads a byte its base code page leaves undefined as the Latin-1 character, as ftfy's
    sloppy codecs do (so the tables below need no codec registered, and no ftfy)."""
    if codepage.startswith("sloppy-"):
        try:
            return bytes([byte]).decode(codepage.removeprefix("sloppy-"))
        except UnicodeDecodeError:
            return chr(byte)
    return bytes([byte]).decode(codepage, "ignore")


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """The code page patterns and lead set (`_Tables`), built on first need."""
    signatures: dict[str, re.Pattern[str]] = {}
    leads_all: set[str] = set()
    conts_all: set[str] = set()
    for codepage in CODEPAGES:
        leads = {byte_char(b, codepage) for b in range(0xC2, 0xF5)} - {""}
        conts = {byte_char(b, codepage) for b in range(0x80, 0xC0)} - {""}
        leads_all |= leads
        conts_all |= conts
        follows = _char_class(conts)
        plain = {byte_char(b, codepage) for b in (0xC2, 0xC3)}
        if plain == {"Â", "Ã"}:  # `Â ` / `Ã `: a lost A0 byte (U+00A0, à)
            follows += _LOST_A0
        signatures[codepage] = re.compile(_char_class(leads) + f"(?:{follows})")
    lead_class = _char_class(leads_all)
    follows_all = _char_class(conts_all) + _LOST_A0
    union = re.compile(f"{lead_class}(?:{follows_all})")
    # A damaged character, or a lead and what may follow it (the lookbehinds tell which
    # the first character was): one character class first, as above.
    suspect = re.compile(
        f"(?:{_DAMAGED_CLASS}|{lead_class})"
        f"(?:(?<={_DAMAGED_CLASS})|(?<={lead_class})(?:{follows_all}))"
    )
    return _Tables(signatures, union, frozenset(leads_all), suspect)


def _ends_dangling(text: str) -> bool:
    """Does the text end with a character that can be the first byte of a cut one?"""
    return bool(text) and text[-1] >= "\x80" and text[-1] in _tables().leads


def looks_damaged(text: str) -> bool:
    """Cheap test: could any repair change this text? False means: leave it alone.

    True when the text has an entity, a damaged character or a match of `union`. Every
    lead and continuation character is non-ASCII, so ASCII text needs no `union` test."""
    if "&" in text and _ENTITY_SEARCH.search(text) is not None:
        return True
    if text.isascii():
        return _DAMAGED_CHAR.search(text) is not None
    return _tables().suspect.search(text) is not None


# -- HTML entities ---------------------------------------------------------------------
def _decode_entity(entity: str) -> str:
    """The character(s) an entity stands for, or the entity itself when it is not valid."""
    if entity[1] == "#":
        digits = entity[2:-1]
        try:
            code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits)
        except ValueError:
            return entity
        if 0x80 <= code <= 0x9F:  # HTML maps these to Windows-1252
            return byte_char(code, "sloppy-windows-1252")
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code == 0:
            return entity
        if (code < 0x20 or code == 0x7F) and code not in _CONTROL_ENTITY_OK:
            return entity
        return chr(code)
    return html.entities.html5.get(entity[1:], entity)


def _unescape_once(text: str) -> str:
    """One layer of entities decoded, except an escaped tag (`&lt;b&gt;`): decoded, it
    would be markup, and the output read again would be taken for HTML."""
    if "&lt;" not in text or _ESCAPED_TAG.search(text) is None:
        return _ENTITY.sub(lambda m: _decode_entity(m.group(0)), text)
    parts = []
    at = 0
    for tag in _ESCAPED_TAG.finditer(text):
        parts.append(_unescape_once(text[at : tag.start()]))
        parts.append(tag.group(0))
        at = tag.end()
    parts.append(_unescape_once(text[at:]))
    return "".join(parts)


def entity_depth(texts: Sequence[str]) -> int:
    """How many times the document was HTML-escaped: 2 when every entity is either a
    doubly escaped one (`&amp;X;`) or one a second escaping pass makes by itself."""
    doubled = False
    for text in texts:
        if "&" not in text:
            continue
        if _DOUBLE_ENTITY.search(text):
            doubled = True
        for match in _ENTITY.finditer(text):
            entity = match.group(0)
            if entity not in _ESCAPE_LAYER and _decode_entity(entity) != entity:
                return 1
    return 2 if doubled else 1


def unescape(text: str, depth: int) -> str:
    """Decode `depth` layers of HTML escaping (each layer one left-to-right pass)."""
    for _ in range(depth):
        if "&" not in text:
            break
        text = _unescape_once(text)
    return text


# -- mojibake ----------------------------------------------------------------------------
@dataclass(slots=True)
class _Trial:
    text: str
    restored: int  # multi-byte characters restored
    trimmed: int  # bytes of a cut final character removed
    nbsp: int  # characters whose lost A0 byte was restored
    nbsp_plain: int  # of which `Â ` (no-break space) and `Ã ` (à): never legitimate text


def _try(text: str, codepage: str, final: bool) -> _Trial | None:
    """Undo `codepage` mojibake in one block, or None when the round trip is not valid."""
    try:
        data = text.encode(codepage)
    except UnicodeEncodeError:
        return None
    nbsp = nbsp_plain = 0
    if b"\x20" in data:
        fixed = _NBSP_LOST.sub(_restore_a0, data)
        if fixed != data:
            nbsp = fixed.count(b"\xa0") - data.count(b"\xa0")
            nbsp_plain = (
                fixed.count(b"\xc2\xa0")
                + fixed.count(b"\xc3\xa0")
                - data.count(b"\xc2\xa0")
                - data.count(b"\xc3\xa0")
            )
            data = fixed
    trimmed = 0
    try:
        out = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if not (final and error.reason == "unexpected end of data" and error.end == len(data)):
            return None
        try:
            out = data[: error.start].decode("utf-8")
        except UnicodeDecodeError:
            return None
        trimmed = len(data) - error.start
    restored = len(out) - len(out.encode("ascii", "ignore"))
    return _Trial(out, restored, trimmed, nbsp, nbsp_plain)


def _better(new: str, old: str) -> bool:
    """ftfy's badness: the new text is not bad and less bad than the old one."""
    from ftfy.badness import badness, is_bad

    return not is_bad(new) and int(badness(new)) < int(badness(old))


# A single dangling character that a byte limit can leave: the first byte of a
# punctuation/symbol/emoji sequence (E2, F0, EF, C2) never ends a word in these languages;
# Ã (C3, first byte of an accented letter) only when it cannot be a capital in a word.
_PUNCT_LEADS = frozenset("âÂ")
_LETTERLIKE_LEADS = frozenset("ðï")


def _plausible_cut(before: str, trimmed_chars: str, strong: bool) -> bool:
    """Is removing `trimmed_chars` from the end of a block a truncation clean-up?"""
    if strong or len(trimmed_chars) >= 2:
        return True
    char = trimmed_chars
    prev = before[-1:] if before else ""
    if char in _PUNCT_LEADS:
        return True
    if char in _LETTERLIKE_LEADS:
        return not prev.isalpha()
    if char == "Ã":
        return not prev.isupper()
    return False


def _mojibake_round(
    texts: list[str], final_index: int, evidence: dict[str, int]
) -> list[tuple[int, str, str]]:
    """One round of whole-document mojibake repair: the changes to make, in order."""
    signatures, union, leads, _ = _tables()
    candidates: dict[int, dict[str, _Trial]] = {}
    score: dict[str, int] = dict.fromkeys(CODEPAGES, 0)
    blocks_ok: dict[str, int] = dict.fromkeys(CODEPAGES, 0)
    for index, text in enumerate(texts):
        final = index == final_index
        has_signature = union.search(text) is not None
        dangling = final and text[-1:] in leads
        if not (has_signature or dangling):
            continue
        for codepage in CODEPAGES:
            if has_signature and signatures[codepage].search(text) is None and not dangling:
                continue
            trial = _try(text, codepage, final)
            if trial is None or trial.text == text:
                continue
            candidates.setdefault(index, {})[codepage] = trial
            score[codepage] += trial.restored - trial.nbsp
            if trial.restored > trial.nbsp:
                blocks_ok[codepage] += 1
    steps: list[tuple[int, str, str]] = []
    for codepage, value in score.items():
        evidence[codepage] = evidence.get(codepage, 0) + value
    if not candidates:
        return steps
    long_enough = _byte_length(texts) >= MIN_CUT_BYTES
    ranked = sorted(CODEPAGES, key=lambda c: (-score[c], CODEPAGES.index(c)))
    for index, trials in candidates.items():
        for codepage in ranked:
            trial = trials.get(codepage)
            if trial is None:
                continue
            # Evidence from several blocks, or three restored characters, decides by
            # itself; less must also look better to ftfy's badness measure. Codepage 437
            # is a rare mis-decoding of web text while its box-drawing characters are
            # common in line art, so one block of it always needs the badness check.
            strong = blocks_ok[codepage] >= 2 or (score[codepage] >= 3 and codepage != "cp437")
            # Lost A0 bytes are restored beside as much other evidence in the block (two
            # characters at least when the document's evidence is weak); with strong
            # evidence, `Â ` and `Ã ` (never legitimate text) need none.
            other = trial.restored - trial.nbsp
            if trial.nbsp:
                needed = trial.nbsp - trial.nbsp_plain if strong else max(2, trial.nbsp)
                if other < needed:
                    continue
            text = texts[index]
            cut = _cut_chars(text, codepage, trial.trimmed) if trial.trimmed else ""
            if cut is None or (cut and not (long_enough or strong)):
                continue
            kept = text[: len(text) - len(cut)]
            if cut and not _plausible_cut(kept, cut, score[codepage] > 0):
                continue
            if (
                trial.restored
                and not strong
                and not (codepage != "cp437" and _inside_words(kept, codepage))
                and not _better(trial.text, kept)
            ):
                continue
            if cut:
                steps.append((index, kept, "truncation"))
            if trial.restored:
                steps.append((index, trial.text, "mojibake"))
            break
    return steps


# Characters that never stand inside a word in correct text: symbols, and punctuation that
# is not an apostrophe, quote, hyphen or space (those do occur between letters).
_WORD_BREAKERS = regex.compile(r"[\p{Sm}\p{So}\p{Sc}\p{Sk}\p{No}§¶†‡•‰¡¿]")
_SAME_SCRIPT = regex.compile(
    r"\p{Latin}{3}|\p{Cyrillic}{3}|\p{Greek}{3}|\p{Hebrew}{3}|\p{Arabic}{3}|\p{Hangul}{3}"
    r"|\p{Han}{3}|\p{Thai}{3}|\p{Devanagari}{3}|\p{Armenian}{3}|\p{Georgian}{3}"
)


def _inside_words(text: str, codepage: str) -> bool:
    """Does a mis-decoded sequence containing a symbol (`√§`, `Ã©`) stand between two
    letters and decode to a letter of their script (`w√§hrend` → `während`)? Correct
    text never splits a word with a symbol, so one such sequence is evidence enough."""
    signature = _tables().signatures[codepage]
    for match in signature.finditer(text):
        start = match.start()
        lead = text[start].encode(codepage)[0]
        size = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        sequence = text[start : start + size]
        if len(sequence) < size or start == 0 or start + size >= len(text):
            continue
        if _WORD_BREAKERS.search(sequence) is None:
            continue
        try:
            decoded = sequence.encode(codepage).decode("utf-8")
        except UnicodeError:
            continue
        if _SAME_SCRIPT.fullmatch(text[start - 1] + decoded + text[start + size]):
            return True
    return False


def _is_cut_prefix(data: bytes) -> bool:
    """Are these bytes the start of one UTF-8 character, cut before its end?"""
    if not data or not 0xC2 <= data[0] <= 0xF4:
        return False
    need = 2 if data[0] < 0xE0 else 3 if data[0] < 0xF0 else 4
    if len(data) >= need:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.reason == "unexpected end of data" and error.start == 0
    return False


def _dangling_tail(text: str, ranked: Sequence[str], evidence: dict[str, int]) -> str | None:
    """The final characters of the document, when they are the mis-decoded first bytes
    of a character a byte limit cut: the text without them; else None."""
    if not text or text[-1] < "\x80":
        return None
    for codepage in ranked:
        for size in (3, 2, 1):
            suffix = text[-size:]
            if len(suffix) < size:
                continue
            try:
                data = suffix.encode(codepage)
            except UnicodeEncodeError:
                continue
            if _is_cut_prefix(data) and size < len(text):
                kept = text[:-size]
                # The rest of the block must read the same way (valid after the round
                # trip): a correct block ending in `»` is not a cut Mac Roman lead byte.
                if _try(kept, codepage, False) is None:
                    continue
                if _plausible_cut(kept, suffix, evidence.get(codepage, 0) > 0):
                    return kept
    return None


def _cut_chars(text: str, codepage: str, trimmed: int) -> str | None:
    """The characters at the end of `text` that encode to the `trimmed` cut bytes."""
    if trimmed <= 0:
        return None
    taken = 0
    for size in range(1, min(len(text), 4) + 1):
        try:
            taken = len(text[-size:].encode(codepage))
        except UnicodeEncodeError:
            return None
        if taken == trimmed:
            return text[-size:]
        if taken > trimmed:
            return None
    return None


# -- the rest: ftfy, with format-changing fixes off ---------------------------------------
_FTFY_REASONS = {
    "fix_c1_controls": "c1_controls",
    "remove_control_chars": "control_chars",
    "remove_terminal_escapes": "control_chars",
    "fix_surrogates": "surrogates",
    "replace_lossy_sequences": "lossy_sequence",
}


@lru_cache(maxsize=1)
def _ftfy_config() -> object:
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html=False,  # done above, by layers
        fix_line_breaks=False,  # whitespace belongs to normalise
        uncurl_quotes=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        normalization=None,
        explain=True,
    )


def _ftfy(text: str) -> tuple[str, str]:
    """ftfy's fix on one block, and the reason for what it did."""
    from ftfy import fix_and_explain

    result = fix_and_explain(text, _ftfy_config())  # type: ignore[arg-type]
    reason = "mojibake"
    explanation = list(result.explanation or [])
    if [action for action, _ in explanation] == ["encode", "decode"] and explanation[0][
        1
    ] == "latin-1":
        return str(result.text), "c1_controls"  # Windows-1252 bytes read as Latin-1
    steps = [step for _, step in explanation]
    named = [_FTFY_REASONS[s] for s in steps if s in _FTFY_REASONS]
    if named and len(named) == len(steps):
        reason = named[0]
    return str(result.text), reason


_LONE_SURROGATE = regex.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]|\x1b(?!\[)")
_CONTROL_RUN = re.compile(r"(?:[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]|\x1b(?!\[)){1,4096}")


def _replace_controls(text: str) -> str:
    """Each run of control characters: a space between two visible characters (it stood
    for a separator), nothing elsewhere."""
    parts: list[str] = []
    position = 0
    runs: list[tuple[int, int]] = []
    for match in _CONTROL_RUN.finditer(text):
        if runs and runs[-1][1] == match.start():
            runs[-1] = (runs[-1][0], match.end())
        else:
            runs.append((match.start(), match.end()))
    for start, end in runs:
        parts.append(text[position:start])
        before, after = text[start - 1 : start], text[end : end + 1]
        if before and after and not before.isspace() and not after.isspace():
            parts.append(" ")
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _byte_length(texts: Sequence[str]) -> int:
    return sum(len(t.encode("utf-8", "surrogatepass")) + 1 for t in texts) - 1


def _strip_dangling_replacement(texts: list[str], final_index: int) -> str | None:
    """A single U+FFFD at the very end, and none elsewhere, is a character cut by a
    byte limit and decoded with replacement: drop it."""
    if final_index < 0 or not texts[final_index].endswith("\ufffd"):
        return None
    if _byte_length(texts) < MIN_CUT_BYTES:
        return None
    if sum(t.count("\ufffd") for t in texts) != 1:
        return None
    return texts[final_index][:-1]


class _Recorder(Protocol):
    def __call__(self, index: int, new: str, reason: str) -> None: ...


def blocks_look_damaged(texts: Sequence[str], joined: str) -> bool:
    """Cheap test: could `repair_blocks(texts)` change anything? `joined` is the texts
    joined by `\\n`, which the caller may need again. No damage pattern contains or
    spans a line feed, so the joined text looks damaged exactly when one block does."""
    return bool(texts) and (looks_damaged(joined) or _ends_dangling(texts[-1]))


def repair_blocks(
    texts: Sequence[str], joined: str | None = None
) -> tuple[list[str], list[Change]]:
    """Repair the blocks of one document; return the new texts and every change.

    `joined`: the texts joined by `\n`, when the caller has built it already.
    """
    current = list(texts)
    changes: list[Change] = []
    final_index = len(current) - 1
    if joined is None:
        joined = "\n".join(current)
    if not blocks_look_damaged(current, joined):
        return current, changes

    def record(index: int, new: str, reason: str) -> None:
        if new != current[index]:
            changes.append(Change(index, reason, current[index], new))
            current[index] = new

    # Surrogates and C0 controls are all damaged characters: a document without any
    # skips steps 0 and 0b, which could change nothing in it.
    if _DAMAGED_CHAR.search(joined) is not None:
        _repair_characters(current, record)

    # 1. HTML entities, as many layers as the document was escaped.
    depth = entity_depth(current)
    for index, text in enumerate(current):
        if "&" in text:
            record(index, unescape(text, depth), "html_entity")

    # 2-4 repeat until nothing changes (at most a few passes), so that repairing the
    # output again changes nothing.
    for _ in range(_MAX_PASSES):
        before = len(changes)
        _repair_pass(current, final_index, record)
        if len(changes) == before:
            break
    return current, changes


def _repair_characters(current: list[str], record: _Recorder) -> None:
    """Steps 0 and 0b: lone surrogates and C0 control characters, block by block."""
    # 0. Lone surrogates (not text; they cannot even be encoded) become U+FFFD.
    for index, text in enumerate(current):
        if _LONE_SURROGATE.search(text):
            fixed = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
            record(index, fixed, "surrogates")

    # 0b. C0 control characters (not tab, line feed, carriage return, nor an escape that
    #     starts a terminal sequence, which ftfy removes whole): between two visible
    #     characters one stood for a separator, so it becomes a space (removing it would
    #     glue two words into one that was never written); elsewhere it is removed.
    for index, text in enumerate(current):
        if _CONTROL.search(text):
            fixed = _replace_controls(text)
            record(index, fixed, "control_chars")


def _repair_pass(current: list[str], final_index: int, record: _Recorder) -> None:
    """Mojibake, truncation, then ftfy on what still looks damaged."""
    sloppy_codecs()  # the code pages below are read and written by name
    # 2. Mojibake, decided with the whole document's evidence; repeated for double damage.
    evidence: dict[str, int] = {}
    final_changed = False
    for _ in range(_MAX_ROUNDS):
        steps = _mojibake_round(current, final_index, evidence)
        if not steps:
            break
        for index, new, reason in steps:
            final_changed = final_changed or index == final_index
            record(index, new, reason)

    # 3. The first bytes of a character cut by a byte limit at the very end: mis-decoded
    #    (`â€`, `Ã`) or decoded with replacement (U+FFFD).
    ranked = sorted(CODEPAGES, key=lambda c: (-evidence.get(c, 0), CODEPAGES.index(c)))
    # (`_dangling_tail` needs a non-ASCII final character: test that before measuring.)
    final = current[final_index]
    if not final_changed and final[-1:] >= "\x80" and _byte_length(current) >= MIN_CUT_BYTES:
        kept = _dangling_tail(final, ranked, evidence)
        if kept is not None:
            record(final_index, kept, "truncation")
    stripped = _strip_dangling_replacement(current, final_index)
    if stripped is not None:
        record(final_index, stripped, "truncation")

    # 4. What remains (damage inside correct text, C1 controls, control characters):
    #    ftfy, block by block, only where something still looks damaged.
    for index, text in enumerate(current):
        if looks_damaged(text):
            fixed, reason = _ftfy(text)
            record(index, fixed, reason)


def repair_document(text: str) -> tuple[str, list[Change]]:
    """Repair a whole text, treating each line as a block (only `\\n` splits lines)."""
    lines = text.split("\n")
    fixed, changes = repair_blocks(lines)
    return "\n".join(fixed), changes


# -- lossy damage, counted, never guessed -------------------------------------------------
_LOST_QMARK = regex.compile(r"(?<=\p{L})\?(?=\p{L})|(?<![\p{L}\p{N}?])\?(?=\p{L})")


def lossy_count(text: str) -> int:
    """Characters visibly lost before we saw the text: U+FFFD, and `?` standing inside a
    word (`don?t`) or around a quotation (`?word word?`), which is how an encoder with
    errors=replace writes a character it could not encode."""
    lost = text.count("\ufffd")
    if "?" in text:
        lost += len(_LOST_QMARK.findall(text))
    return lost
