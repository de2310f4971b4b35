"""Word-level repair of machine-translation noise, from word-frequency lists only.

Every decision compares frequencies from wordfreq's lists (installed with the
package, nothing is downloaded): a word is suspicious when the document's language
barely knows it, and a repair is made only when one candidate clearly dominates
every other explanation. Otherwise the word is flagged with the best guess as a
suggestion. The candidate generators, each a known kind of MT or scraping damage:

- accents: the de-accented form indexes the accented words; the most frequent
  accented spelling wins (`bilaterales` → `bilatérales`);
- truncation: words that start with the damaged one and are 1-4 letters longer
  (`notamm` → `notamment`);
- fusion: two frequent words glued together (`maisau` → `mais au`), including a
  French elided article before an apostrophe (`quij’ai` → `qui j’ai`) and a
  lower-to-upper case seam (`dieKosten` → `die Kosten`);
- doubled stem: a stem, a stray suffix, then the real ending
  (`diplomaticementiquement` → `diplomatiquement`);
- spelling: one edit away, or a foreign spelling habit (c/qu, k/c, single or
  double consonant), or an inner syllable dropped (`régulement` → `régulièrement`);
- foreign words: a word the other language knows much better than this one is
  flagged, and replaced only when a native cognate is one accent or one letter
  away and unambiguous (`president` → `président`), or when it is a common news
  noun with one translation (data/bilingual_words.toml) and a determiner of the
  page's language stands before it (`la war` → `la guerre`).

Capitalised words are never changed in languages that capitalise only names;
in German, whose nouns are capitalised, a capitalised word is repaired only
when it is not used elsewhere in the document in the same form.

Dictionaries load lazily, once per process and language.
"""

from __future__ import annotations

import bisect
import itertools
import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

#: Languages whose word repair has been measured; others are only checked for
#: sentence-level foreign text.
REPAIR_LANGS = frozenset({"fr", "de", "en"})
#: Languages whose word lists are loaded to weigh words of a sentence between
#: two languages (each costs memory and a load): the common European sources
#: and targets of machine translation. Other languages are judged by the
#: language identifier alone.
LEXICON_LANGS = frozenset({"en", "fr", "de", "es", "it", "pt", "nl"})

#: Languages that write compounds as one word: an unknown word there is often a
#: valid compound, so fusions need a grammatical word and doubled stems are off.
COMPOUNDING = frozenset({"de", "nl", "sv", "da", "nb", "fi"})

#: Languages whose own words rarely carry accents: a lost accent is not looked for
#: by the language step's page screen there (its word check still finds one on a
#: page it examines).
UNACCENTED = frozenset({"en"})

#: Languages that capitalise every noun (a lower-case noun there is out of place).
CAPITALISED_NOUNS = frozenset({"de", "lb"})

#: Zipf frequency under which a word counts as unknown to a language.
UNKNOWN = 1.0
#: Zipf frequency under which a word is rare enough to be a garbled form.
RARE = 2.5
#: A repair target must be at least this common.
TARGET = 3.0
#: Ranking handicap of a split into two words against a one-word repair.
FUSION_PENALTY = 1.0
#: Ranking handicap of a word with letters dropped inside, per letter beyond the first.
DELETION_PENALTY = 0.5
#: How much more common (in Zipf units, log10) the chosen candidate must be than
#: the next one for a repair; less than that gives a flag.
MARGIN = 1.0

#: Words of one letter (in fr, en, es, it, pt), the only one-letter heads of a split.
_ONE_LETTER_WORDS = frozenset({"a", "à", "y", "o"})
_ELIDED = {
    "fr": frozenset({"l", "d", "j", "n", "s", "c", "m", "t", "qu", "jusqu", "lorsqu", "puisqu"}),
    "it": frozenset({"l", "d", "un", "dell", "all", "dall", "nell", "sull"}),
}
_APOSTROPHES = frozenset("'’")
_SPECIAL_FOLD = {"ß": "ss", "œ": "oe", "æ": "ae", "Œ": "OE", "Æ": "AE"}


class _FoldTable(dict[int, str]):
    """Code point → its folded text, worked out on first sight (for `str.translate`).

    Folding a character alone gives the same result as folding it inside a word:
    canonical decomposition works per character and only combining marks,
    which are dropped, are reordered.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        decomposed = unicodedata.normalize("NFD", _SPECIAL_FOLD.get(ch, ch))
        folded = self[code] = "".join(c for c in decomposed if not unicodedata.combining(c))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(word: str) -> str:
    """The word without accents, umlauts and ligatures (`Straße` → `Strasse`)."""
    return word if word.isascii() else word.translate(_FOLD_TABLE)


def _accents(word: str) -> int:
    return sum(1 for ch in word if ord(ch) > 127)


def _frequencies(lang: str) -> dict[str, float]:
    """wordfreq's 'best' list of `lang` as word → frequency, most frequent first.

    The same mapping as `wordfreq.get_frequency_dict`, built a bucket at a time
    (about twice as fast: the dictionary is made in C, not word by word), from the
    list's file read directly where it is found: importing wordfreq's module costs a
    tenth of a second (its language-code matching), which a short script would pay
    for one page.
    """
    freqs: dict[str, float] = {}
    for index, bucket in enumerate(buckets(lang)):
        if bucket:
            freqs.update(dict.fromkeys(bucket, 10 ** (-index / 100)))
    return freqs


def buckets(lang: str) -> Iterator[list[str]]:
    """The words of wordfreq's 'best' list of `lang`, one list per centibel of
    frequency (most frequent first): read from the list's file a bucket at a time
    where it is found (so the whole list is never held twice), else through wordfreq
    itself (which also knows other spellings of language codes)."""
    path = _list_file(lang)
    if path is not None:
        import gzip

        import msgpack

        with gzip.open(path, "rb") as f:
            unpacker = msgpack.Unpacker(f, raw=False)
            size = unpacker.read_array_header()
            header = unpacker.unpack() if size else None
            if isinstance(header, dict) and (header.get("format"), header.get("version")) == (
                "cB",
                1,
            ):
                for _ in range(size - 1):
                    yield unpacker.unpack()
                return
    from wordfreq import get_frequency_list

    yield from get_frequency_list(lang, wordlist="best")


def _list_file(lang: str) -> str | None:
    """The file of wordfreq's 'best' list of `lang` (its large list where there is one,
    else its small one: a gzipped msgpack "cBpack"), found without importing wordfreq."""
    import os
    from importlib.util import find_spec

    spec = find_spec("wordfreq")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        for size in ("large", "small"):
            path = os.path.join(folder, "data", f"{size}_{lang}.msgpack.gz")
            if os.path.isfile(path):
                return path
    return None


class Lexicon:
    """One language's word frequencies with the indexes the repairs need."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.freq = _frequencies(lang)
        self._accented: dict[str, list[str]] | None = None
        self._sorted: list[str] | None = None
        self._alphabet: str | None = None
        self._common: list[str] | None = None
        self._endings: frozenset[str] | None = None
        self._by_ends: dict[tuple[str, str, int], list[str]] | None = None
        self.memo: dict[tuple[str, str, bool, str], Suggestion | None] = {}
        self._fine: dict[str, set[str]] = {}
        self._variants: dict[str, bool] = {}

    def has_accent_variant(self, word: str) -> bool:
        """Whether another spelling of `word` differs from it only by accents (remembered)."""
        found = self._variants.get(word)
        if found is None:
            if len(self._variants) > _MEMO_SIZE:
                self._variants.clear()
            key = fold(word)
            spellings = len(self.accented.get(key, ())) + (key.isascii() and key in self.freq)
            found = self._variants[word] = spellings > 1
        return found

    def fine_words(self, foreign: str) -> set[str]:
        """Words found to need nothing in any context (grows as text is seen, bounded).

        Lower-case words whose repair was refused and that have no accented
        twin, and words whose case alone settles them (a capitalised name where
        only foreign words and German nouns are examined, a mixed-case word that
        splits into nothing, a word of one or two letters).
        """
        fine = self._fine.setdefault(foreign, set())
        if len(fine) > _MEMO_SIZE:
            fine.clear()
        return fine

    def zipf(self, word: str) -> float:
        """Zipf frequency (log10 per billion words) of a lower-case word; 0 if unknown."""
        f = self.freq.get(word, 0.0)
        if not f and "ß" in word:  # wordfreq folds ß to ss
            f = self.freq.get(word.replace("ß", "ss"), 0.0)
        return math.log10(f) + 9.0 if f > 0 else 0.0

    @property
    def accented(self) -> dict[str, list[str]]:
        """De-accented form → the words with non-ASCII letters that fold to it.

        Most frequent first. An ASCII word folds to itself, so the only other
        spelling of a form is the form itself when the list has it; leaving the
        ASCII words out makes the index several times cheaper to build, and it is
        built only when a word first needs it.
        """
        if self._accented is None:
            index: dict[str, list[str]] = {}
            # wordfreq lists are sorted by frequency
            for word in [w for w in self.freq if not w.isascii()]:
                index.setdefault(word.translate(_FOLD_TABLE), []).append(word)
            self._accented = index
        return self._accented

    @property
    def sorted_words(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(filter(str.isalpha, self.freq))
        return self._sorted

    @property
    def common_words(self) -> list[str]:
        """Sorted words common enough to be a repair target."""
        if self._common is None:
            floor = 10 ** (TARGET - 9.0)
            # the list is sorted by frequency: stop at the first word under the floor
            common = itertools.takewhile(lambda wf: wf[1] >= floor, self.freq.items())
            self._common = sorted(w for w, _ in common if w.isalpha())
        return self._common

    @property
    def by_ends(self) -> dict[tuple[str, str, int], list[str]]:
        """(first letter, last letter, length) → the common words of that shape
        (for `deletion_candidates`)."""
        if self._by_ends is None:
            index: dict[tuple[str, str, int], list[str]] = {}
            for word in self.common_words:
                index.setdefault((word[0], word[-1], len(word)), []).append(word)
            self._by_ends = index
        return self._by_ends

    @property
    def endings(self) -> frozenset[str]:
        """Last two letters that at least 0.1 % of the common words end with."""
        if self._endings is None:
            counts: dict[str, int] = {}
            for word in self.common_words:
                counts[word[-2:]] = counts.get(word[-2:], 0) + 1
            floor = 0.001 * len(self.common_words)
            self._endings = frozenset(e for e, n in counts.items() if n >= floor)
        return self._endings

    @property
    def alphabet(self) -> str:
        """Letters of the language's common words (for one-edit candidates)."""
        if self._alphabet is None:
            letters: set[str] = set()
            for i, word in enumerate(self.freq):
                if i > 5000:
                    break
                letters.update(ch for ch in word if ch.isalpha())
            self._alphabet = "".join(sorted(letters))
        return self._alphabet

    def warm(self) -> None:
        """Build every lazy index now (before worker processes fork and share them)."""
        _ = (self.accented, self.sorted_words, self.endings, self.alphabet, self.by_ends)

    def with_prefix(self, prefix: str, limit: int = 4000) -> list[str]:
        """Words starting with `prefix` (at most `limit` of them, alphabetical)."""
        words = self.sorted_words
        start = bisect.bisect_left(words, prefix)
        # every string that starts with `prefix` sorts before prefix + the last code point
        end = bisect.bisect_left(
            words, prefix + "\U0010ffff", start, min(start + limit, len(words))
        )
        return words[start:end]


_MEMO_SIZE = 200_000
_LEXICONS: dict[str, Lexicon] = {}
_VOTES: dict[tuple[str, str], dict[str, float]] = {}


def vote_memo(native: str, foreign: str) -> dict[str, float]:
    """Remembered word votes between two languages (bounded)."""
    memo = _VOTES.setdefault((native, foreign), {})
    if len(memo) > _MEMO_SIZE:
        memo.clear()
    return memo


def lexicon(lang: str) -> Lexicon | None:
    """The lexicon of `lang`, loaded once per process; None outside `LEXICON_LANGS`."""
    if lang not in LEXICON_LANGS:
        return None
    found = _LEXICONS.get(lang)
    if found is None:
        found = _LEXICONS[lang] = Lexicon(lang)
    return found


#: On a page of one language, a very common word of another language that is this
#: much (Zipf) more common there marks text in that other language (`les`, `und`).
MARKER_GAP = 2.0


@lru_cache(maxsize=1)
def _top_words() -> dict[str, dict[str, float]]:
    """Each word-list language's most frequent words and their Zipf (data/top_words.toml)."""
    import tomllib
    from importlib import resources

    text = resources.files("newsclean").joinpath("data/top_words.toml").read_text("utf-8")
    return {lang: dict(words) for lang, words in tomllib.loads(text).items()}


@lru_cache(maxsize=16)
def marker_words(lang: str) -> dict[str, tuple[str, ...]]:
    """Words that mark another language on a page of `lang`: word → those languages.

    A marker is among another language's most frequent words and at least
    MARKER_GAP rarer in `lang`; a sentence of that language holds several.
    Empty outside `LEXICON_LANGS` (there is no list to compare with).
    """
    native = lexicon(lang)
    if native is None:
        return {}
    found: dict[str, list[str]] = {}
    for other, words in sorted(_top_words().items()):
        if other == lang:
            continue
        for word, zipf in words.items():
            if len(word) >= 2 and native.zipf(word) < zipf - MARKER_GAP:
                found.setdefault(word, []).append(other)
    return {word: tuple(langs) for word, langs in found.items()}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What to do with a suspicious word: replace it (`confident`) or flag it."""

    reason: str
    replacement: str | None
    confident: bool


def _best(cands: dict[str, float]) -> tuple[str, float, float] | None:
    """(best candidate, its score, the runner-up's score)."""
    if not cands:
        return None
    ranked = sorted(cands.items(), key=lambda kv: -kv[1])
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    return ranked[0][0], ranked[0][1], second


def accent_candidates(word: str, lex: Lexicon) -> dict[str, float]:
    """Words that differ from `word` only by having more accents."""
    out: dict[str, float] = {}
    n = _accents(word)
    for cand in lex.accented.get(fold(word), ()):  # ASCII words have no accent
        if cand != word and _accents(cand) > n and len(cand) >= len(word):
            out[cand] = lex.zipf(cand)
    return out


def truncation_candidates(word: str, lex: Lexicon) -> dict[str, float]:
    """Words that start with `word` and have 1-4 more letters."""
    if len(word) < 4:
        return {}
    out: dict[str, float] = {}
    for cand in lex.with_prefix(word):
        if len(word) < len(cand) <= len(word) + 4:
            out[cand] = lex.zipf(cand)
    return out


def fusion_candidates(word: str, lex: Lexicon, before_apostrophe: bool) -> dict[str, float]:
    """Two known words glued together; the score is the rarer part's frequency."""
    out: dict[str, float] = {}
    elided = _ELIDED.get(lex.lang, frozenset())
    for i in range(1, len(word)):
        left, right = word[:i], word[i:]
        zl = lex.zipf(left)
        if before_apostrophe and right in elided:
            zr = 6.0
        elif len(right) < 2 or (len(left) < 2 and left not in _ONE_LETTER_WORDS):
            continue
        else:
            zr = lex.zipf(right)
        if len(left) == 1 and zl < 6.0:
            continue
        score = min(zl, zr)
        if any(len(part) <= 2 and zp < 6.0 for part, zp in ((left, zl), (right, zr))):
            continue  # a two-letter part must be a very common grammatical word
        if lex.lang in COMPOUNDING:
            # a compound is one word there: one part must be a short grammatical word
            short = [z for part, z in ((left, zl), (right, zr)) if len(part) <= 4]
            if not short or max(short) < 6.0:
                continue
        # one of the two parts is a very frequent grammatical word: two content
        # words written as one are a compound (`schoolroom`), not a fusion
        if score >= TARGET and max(zl, zr) >= 6.0:
            out[f"{left} {right}"] = score
    return out


def is_compound(word: str, lex: Lexicon, depth: int = 2) -> bool:
    """Whether `word` is two or three known content words written as one (`Zweckdenken`).

    A part has 3 letters or more and is not a grammatical word; a linking `s`
    may end a part (`Landesnamens`).
    """
    n = len(word)
    for i in range(3, n - 2):
        left = word[:i]
        zl = lex.zipf(left)
        if not (TARGET - 0.5 <= zl < 6.0) and not (
            left.endswith("s") and TARGET - 0.5 <= lex.zipf(left[:-1]) < 6.0
        ):
            continue
        right = word[i:]
        if TARGET - 0.5 <= lex.zipf(right) < 6.0:
            return True
        if depth > 1 and is_compound(right, lex, depth - 1):
            return True
    return False


def _repeats(word: str) -> bool:
    """Whether two letters occur twice in `word` (the trace of a doubled suffix)."""
    seen: dict[str, int] = {}
    for i in range(len(word) - 1):
        pair = word[i : i + 2]
        if pair in seen and seen[pair] <= i - 2:
            return True
        seen.setdefault(pair, i)
    return False


def doubled_stem_candidates(
    word: str, lex: Lexicon, foreign: Lexicon | None = None
) -> dict[str, float]:
    """`word` is a known word with 2+ stray letters inserted before its ending.

    The trace of the stray chunk must show: a letter pair repeated (the suffix
    written twice, `puissanceance`), or the stem and chunk together being a
    word of the foreign language (`commentator` in `commentatoreur`).
    The score prefers the candidate that keeps most of the word (a stray chunk
    is short), then the most frequent.
    """
    out: dict[str, float] = {}
    n = len(word)
    if n < 8:
        return out
    repeated = _repeats(word)
    if not repeated and foreign is None:
        return out
    for i in range(3, n - 3):
        for j in range(2, n - i - 1):
            cand = word[:i] + word[n - j :]
            if len(cand) >= max(5, 0.6 * n) and cand not in out:
                z = lex.zipf(cand)
                if z < TARGET - 0.5:  # the shape itself is strong evidence
                    continue
                if repeated or (
                    foreign is not None and foreign.zipf(fold(word[: n - j])) >= TARGET - 1.0
                ):
                    out[cand] = z
    return out


_FOREIGN_SPELLINGS = (
    ("c", "qu"),
    ("qu", "c"),
    ("k", "c"),
    ("k", "qu"),
    ("ph", "f"),
    ("f", "ph"),
    ("y", "i"),
    ("y", "é"),
    ("ity", "ité"),
    ("ic", "ique"),
    ("ss", "ß"),
    ("tion", "sion"),
    ("sion", "tion"),
    ("s", "c"),
    ("c", "s"),
    ("c", "k"),
    ("e", "é"),
)


_VOWELS = "aeiou"


def spelling_candidates(
    word: str, lex: Lexicon, swaps: bool = True, doubling: bool = True, vowels: bool = False
) -> dict[str, float]:
    """Known words that `word` becomes by undoing a foreign spelling habit.

    One rewrite from a short table (c/qu, k/c, ph/f, y/i, s/c, tion/sion…), a
    doubled letter made single or a single one doubled, two letters swapped, or
    (`vowels`) one plain vowel changed: cognates often differ by one vowel
    (`condemnations` → `condamnations`).
    """
    forms: set[str] = set()
    if vowels:
        for i, ch in enumerate(word):
            if ch in _VOWELS:
                forms.update(word[:i] + v + word[i + 1 :] for v in _VOWELS if v != ch)
    for a, b in _FOREIGN_SPELLINGS:
        start = word.find(a)
        while start >= 0:
            forms.add(word[:start] + b + word[start + len(a) :])
            start = word.find(a, start + 1)
    for i in range(1, len(word) if doubling else 0):
        if word[i] == word[i - 1]:
            forms.add(word[:i] + word[i + 1 :])
        elif word[i].isalpha():
            forms.add(word[:i] + word[i] + word[i:])
            if swaps:
                forms.add(word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :])
    forms.discard(word)
    out: dict[str, float] = {}
    for form in forms:
        z = lex.zipf(form)
        if z > 0:
            out[form] = z
    return out


#: How many of the common words starting with a head a deletion search reads.
_DELETION_WINDOW = 3000


def deletion_candidates(word: str, lex: Lexicon, longest: int = 5) -> dict[str, float]:
    """Common words that are `word` with 1 to `longest` letters put back inside it.

    The definition: for each cut of `word` into a head and a tail, the first
    _DELETION_WINDOW common words (alphabetically) that start with the head,
    those 1 to `longest` letters longer that end with the tail. Such a word
    shares the first and the last letter of `word`, so only the words of those
    ends and lengths are read (`Lexicon.by_ends`): a cut fits a word when its
    head is within the letters both share at the start and its tail within
    those they share at the end, and the longest fitting head is the one whose
    window reaches furthest.
    """
    out: dict[str, float] = {}
    n = len(word)
    if n < 4:
        return out  # (a cut of a shorter word leaves a head or a tail too short to read)
    index = lex.by_ends
    starts: dict[int, int] = {}
    for size in range(n + 1, n + longest + 1):
        for cand in index.get((word[0], word[-1], size), ()):
            # the longest head that fits: the letters shared at the start (the
            # candidate is longer than the word, so the word ends first)
            cut = 1
            while cut < n - 1 and cand[cut] == word[cut]:
                cut += 1
            tail = 1  # the last letters are shared: the index is by last letter
            while tail < n - cut and cand[-1 - tail] == word[-1 - tail]:
                tail += 1
            if tail < n - cut:
                continue  # no cut fits: the shared start and end do not meet
            lo = starts.get(cut)
            if lo is None:
                lo = starts[cut] = bisect.bisect_left(lex.common_words, word[:cut])
            if bisect.bisect_left(lex.common_words, cand, lo) - lo < _DELETION_WINDOW:
                out[cand] = lex.zipf(cand)
    return out


def _ranked(cands: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(cands.items(), key=lambda kv: (-kv[1], kv[0]))


#: Forms of the auxiliary before a past participle ("a expliqué"): a verb form
#: right after one of them takes the participle's accent when that is common.
_AUXILIARIES = {
    "fr": frozenset(
        [
            *("a", "ai", "as", "avons", "avez", "ont", "avait", "avaient", "avais"),
            *("aura", "auront", "aurait", "auraient", "ayant", "eu", "été"),
            *("ait", "aient", "avions", "aviez", "aurai", "aurons", "aurez"),
        ]
    ),
}


@lru_cache(maxsize=1)
def _closed_classes() -> tuple[dict[str, dict[str, str]], frozenset[str]]:
    """word → {language: translation} for the closed classes in language_words.toml."""
    import tomllib
    from importlib import resources

    data = tomllib.loads(
        resources.files("newsclean").joinpath("data/language_words.toml").read_text("utf-8")
    )
    table: dict[str, dict[str, str]] = {}
    for langs in data.values():
        if not isinstance(langs, dict):
            continue
        for lang, words in langs.items():
            for i, word in enumerate(words):
                for other, others in langs.items():
                    if other != lang:
                        table.setdefault(f"{lang}:{word}", {})[other] = others[i]
    return table, frozenset(data.get("capitalised", ()))


@lru_cache(maxsize=32)
def _territories(source: str, target: str) -> dict[str, str]:
    """One-word country and territory names of `source` → their `target` names (CLDR)."""
    from babel import Locale, UnknownLocaleError

    try:
        names, others = Locale(source).territories, Locale(target).territories
    except (UnknownLocaleError, ValueError):
        return {}
    out: dict[str, str] = {}
    for code, name in names.items():
        other = others.get(code)
        if code.isalpha() and other and " " not in name and name.isalpha() and other != name:
            out[name] = other
    return out


@lru_cache(maxsize=1)
def _bilingual() -> tuple[dict[str, dict[str, str]], dict[str, frozenset[str]]]:
    """`lang:noun` → {language: translation}, and the determiners of each language,
    from data/bilingual_words.toml."""
    import tomllib
    from importlib import resources

    data = tomllib.loads(
        resources.files("newsclean").joinpath("data/bilingual_words.toml").read_text("utf-8")
    )
    nouns: dict[str, list[str]] = data.get("nouns", {})
    table: dict[str, dict[str, str]] = {}
    for lang, words in nouns.items():
        for i, word in enumerate(words):
            table[f"{lang}:{word.lower()}"] = {
                other: others[i] for other, others in nouns.items() if other != lang
            }
    determiners = {lang: frozenset(words) for lang, words in data.get("determiners", {}).items()}
    return table, determiners


def translate_noun(word: str, source: str, target: str) -> str | None:
    """The `target` noun for a common news noun of `source` (data/bilingual_words.toml)."""
    return _bilingual()[0].get(f"{source}:{word.lower()}", {}).get(target)


def is_weekday(word: str, lang: str) -> bool:
    """Whether `word` is in the closed-class table (a weekday) for `lang`."""
    return f"{lang}:{word.lower()}" in _closed_classes()[0]


def translate_closed(word: str, source: str, target: str) -> str | None:
    """The `target` word for a closed-class `word` of `source`, cased for `target`.

    Closed classes: weekdays (data/language_words.toml) and country names (CLDR,
    through Babel). Anything else has no confident bilingual match.
    """
    table, capitalised = _closed_classes()
    found = table.get(f"{source}:{word.lower()}", {}).get(target)
    if found is not None:
        return found[:1].upper() + found[1:] if target in capitalised else found
    if word[:1].isupper():
        return _territories(source, target).get(word)
    return None


def camel_split(word: str, lex: Lexicon) -> str | None:
    """`dieKosten` → `die Kosten`: a lower-case word glued to a capitalised one."""
    for i in range(2, len(word)):
        if word[i].isupper():
            left, right = word[:i], word[i:]
            if (
                left.islower()
                and right[1:].islower()
                and len(right) >= 2
                and lex.zipf(left) >= TARGET
                and lex.zipf(right.lower()) >= TARGET
            ):
                return f"{left} {right}"
            return None
    return None


def suggest(
    word: str,
    lex: Lexicon,
    foreign: Lexicon | None = None,
    before_apostrophe: bool = False,
    previous: str = "",
) -> Suggestion | None:
    """How to repair the lower-case `word` in a sentence of `lex.lang`; None if it looks fine.

    `previous` is the word before (lower case), `before_apostrophe` whether an
    apostrophe follows (an elided article may be glued to the word). Answers are
    remembered per lexicon (words repeat), so most words cost one dict lookup.
    """
    key = (
        word,
        foreign.lang if foreign is not None else "",
        before_apostrophe,
        _context(previous, lex.lang),
    )
    memo = lex.memo
    if key in memo:
        return memo[key]
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    found = memo[key] = _suggest(word, lex, foreign, before_apostrophe, key[3])
    return found


def _glued(word: str, z: float, lex: Lexicon, before_apostrophe: bool) -> Suggestion | None:
    """A rare but known word that is two grammatical words glued (`queje` → `que je`).

    Both parts must be very common and far more common than the word itself.
    """
    elided = _ELIDED.get(lex.lang, frozenset())
    if before_apostrophe:
        head, tail = word[:-1], word[-1:]  # one letter: lorsqu’ and jusqu’ stay whole
        if tail in elided and lex.zipf(head) - z >= 2.5 and lex.zipf(head) >= 5.0:
            return Suggestion("fusion", f"{head} {tail}", True)
    fusions = {
        cand: score
        for cand, score in fusion_candidates(word, lex, False).items()
        if score >= 5.0 and score - z >= 3.0
    }
    if len(fusions) == 1:
        return Suggestion("fusion", next(iter(fusions)), True)
    return None


#: Determiners that are always plural (never a pronoun before a verb, unlike
#: French "les"): a cut-off noun after one is completed to a plural form.
_PLURAL_DETERMINERS = {
    "fr": frozenset(
        [
            *("des", "ces", "mes", "tes", "ses", "nos", "vos", "leurs", "plusieurs"),
            *("quelques", "certains", "certaines", "nombreux", "nombreuses"),
        ]
    ),
}
_PLURAL_ENDINGS = ("s", "x")
#: Determiners that are always singular: a cut-off noun after one is completed to
#: its singular form when its plural competes.
_SINGULAR_DETERMINERS = {
    "fr": frozenset(
        [
            *("le", "la", "l", "un", "une", "ce", "cet", "cette", "son", "sa"),
            *("mon", "ma", "ton", "ta", "notre", "votre", "leur", "du", "au", "chaque"),
        ]
    ),
    "en": frozenset(["a", "an", "this", "that", "each", "every", "another"]),
}


def fine_anywhere(word: str, lex: Lexicon, foreign: Lexicon | None = None) -> bool:
    """Whether the lower-case `word` gets no suggestion wherever it stands.

    Tried before and not before an apostrophe, and after a word of each kind
    that changes the answer (none, an auxiliary, a plural or a singular
    determiner, another determiner). A rare
    word is never settled here: its examination counts against a document's
    budget of rare words.
    """
    if lex.zipf(word) < RARE:
        return False
    befores = [""]
    befores += [
        min(words)
        for words in (
            _AUXILIARIES.get(lex.lang),
            _PLURAL_DETERMINERS.get(lex.lang),
            _SINGULAR_DETERMINERS.get(lex.lang),
            _bilingual()[1].get(lex.lang),
        )
        if words
    ]
    return all(
        suggest(word, lex, foreign, before_apostrophe=apostrophe, previous=before) is None
        for apostrophe in (False, True)
        for before in befores
    )


def _context(previous: str, lang: str) -> str:
    """What the word before says about this one: auxiliary, plural determiner,
    determiner, or nothing."""
    if previous in _AUXILIARIES.get(lang, ()):
        return "auxiliary"
    if previous in _PLURAL_DETERMINERS.get(lang, ()):
        return "plural"
    if previous in _SINGULAR_DETERMINERS.get(lang, ()):
        return "singular"
    if previous in _bilingual()[1].get(lang, ()):
        return "determiner"
    return ""


def _suggest(
    word: str,
    lex: Lexicon,
    foreign: Lexicon | None,
    before_apostrophe: bool,
    context: str,
) -> Suggestion | None:
    after_auxiliary = context == "auxiliary"
    if len(word) < 3 or not word.isalpha():
        return None
    z = lex.zipf(word)
    # dropped accents: even a known word when its accented form is far more common
    accents = _ranked(accent_candidates(word, lex))
    if accents:
        cand, zc = accents[0]
        second = accents[1][1] if len(accents) > 1 else 0.0
        if zc >= TARGET and zc - z >= 1.0 and zc - second >= MARGIN:
            return Suggestion("accent", cand, True)
        if after_auxiliary:
            participles = [(c, zc) for c, zc in accents if c[-1] == "é" or c.endswith("és")]
            participles += [(c, zc) for c, zc in accents if c.endswith(("ée", "ées"))]
            if participles:
                cand, zc = participles[0]
                if zc >= TARGET and zc >= z - 1.0:
                    return Suggestion("accent", cand, True)
        if z < UNKNOWN and zc >= RARE - 0.5 and zc - second >= MARGIN:
            return Suggestion("accent", cand, True)  # the only spelling the language knows
        if zc >= TARGET and (z < RARE or zc - z >= 1.0):
            return Suggestion("accent", cand, False)
    # a word of the other language
    if foreign is not None and z < 5.0:
        zf = foreign.zipf(word)
        # German capitalises nouns, so a lower-case foreign noun stands out more
        gap = 0.6 if lex.lang in CAPITALISED_NOUNS else 1.0
        if zf >= 3.0 + (z >= 4.0) and zf - z >= gap and fold(word) == word:
            if context in ("determiner", "plural", "singular"):
                # a noun is expected after a determiner: a common news noun of the
                # other language with one translation is replaced by it
                noun = translate_noun(word, foreign.lang, lex.lang)
                if noun is not None:
                    return Suggestion("foreign_word", noun, True)
            cognates = {
                c: v for c, v in spelling_candidates(word, lex, swaps=False).items() if v >= 3.5
            }
            cognates.update(accent_candidates(word, lex))
            cognates = {c: v for c, v in cognates.items() if foreign.zipf(c) < v - 1.0}
            ranked = _ranked(cognates)
            if ranked:
                best, zb = ranked[0]
                second = ranked[1][1] if len(ranked) > 1 else 0.0
                confident = zb >= 3.5 and zb - second >= 1.5 and len(word) >= 4 and zf - z >= 1.5
                return Suggestion("foreign_word", best, confident)
            return Suggestion("foreign_word", None, False)
    if "-" in word:
        return None
    if z >= RARE:
        return _glued(word, z, lex, before_apostrophe) if z < 3.5 else None
    unknown = z < UNKNOWN
    # glued words: an elided article before an apostrophe, or two common words
    elided = _ELIDED.get(lex.lang, frozenset())
    if before_apostrophe and not elided:
        return None  # a contraction such as "hadn't"
    # two common words glued, a foreign spelling habit, a cut-off ending, or
    # letters dropped inside: all compete, the most frequent result wins
    gain = 2.0 if unknown else 3.0
    pool: dict[str, tuple[float, str]] = {}
    if before_apostrophe:
        for k in (1, 2):
            head, tail = word[:-k], word[-k:]
            if tail in elided and lex.zipf(head) >= TARGET:
                pool[f"{head} {tail}"] = (lex.zipf(head) - FUSION_PENALTY, "fusion")
    sources = [
        ("deletion", deletion_candidates(word, lex)),
        ("truncation", truncation_candidates(word, lex)),
        ("spelling", spelling_candidates(word, lex, vowels=unknown and len(word) >= 8)),
        ("fusion", fusion_candidates(word, lex, False)),
    ]
    if unknown and word[-2:] not in lex.endings:
        # no word of the language ends like this: cut short, or a foreign suffix
        sources = [
            sources[1],
            ("spelling", spelling_candidates(word, lex, swaps=False, doubling=False)),
        ]
    for kind, found in sources:
        for cand, zc in found.items():
            # two words glued is a weaker explanation than one word damaged, and
            # each letter lost beyond the first is less likely than the one before
            if kind == "fusion":
                zc -= FUSION_PENALTY
            elif kind == "deletion":
                zc -= DELETION_PENALTY * (len(cand) - len(word) - 1)
            pool[cand] = (zc, kind)
    if context == "plural":
        plural = {c: v for c, v in pool.items() if c.endswith(_PLURAL_ENDINGS) and " " not in c}
        pool = plural or pool
    elif context == "singular":
        # a singular determiner before: a plural whose singular competes is out
        pool = {c: v for c, v in pool.items() if not (c[-1:] in _PLURAL_ENDINGS and c[:-1] in pool)}
    ranked_pool = sorted(pool.items(), key=lambda kv: (-kv[1][0], kv[0]))
    if unknown and lex.lang not in COMPOUNDING:
        stems = doubled_stem_candidates(word, lex, foreign)
        strongest = max(
            (v + FUSION_PENALTY if k == "fusion" else v for v, k in pool.values()), default=0.0
        )
        if stems and strongest < TARGET + 1.0:
            # a stray chunk before the ending (doubled stem)
            best = max(stems, key=lambda c: (len(c), stems[c]))
            return Suggestion("doubled_stem", best, True)
    if ranked_pool:
        best, (zb, kind) = ranked_pool[0]
        second = ranked_pool[1][1][0] if len(ranked_pool) > 1 else 0.0
        if kind == "fusion":
            zb += FUSION_PENALTY
        elif kind == "deletion":
            zb = lex.zipf(best)  # the handicap ranks; the word's own frequency decides
        if zb >= TARGET and zb - z >= 2.0:
            return Suggestion(kind, best, zb - z >= gain and zb - second >= MARGIN)
    if unknown and lex.lang not in COMPOUNDING:
        glued = _glued_to_damaged(word, lex, foreign)
        if glued is not None:
            return glued
    if unknown and not (lex.lang in COMPOUNDING and is_compound(word, lex)):
        return Suggestion("unknown_word", None, False)
    return None


def _glued_to_damaged(word: str, lex: Lexicon, foreign: Lexicon | None) -> Suggestion | None:
    """A very common short word glued to a damaged one (`aindicé` → `a indiqué`).

    The head is a grammatical word of one to three letters (Zipf 6 or more; a
    single letter only where the language has such words) and the rest, unknown
    itself and of six letters or more, has a confident repair of its own; exactly
    one head may work.
    """
    found: list[str] = []
    for i in range(1, min(4, len(word) - 5)):
        head, rest = word[:i], word[i:]
        if len(head) == 1 and head not in _ONE_LETTER_WORDS:
            continue  # an elided letter (`s’`, `l’`) is not a word on its own
        if lex.zipf(head) < 6.0 or lex.zipf(rest) >= UNKNOWN:
            continue
        inner = _suggest(rest, lex, foreign, False, "")
        if (
            inner is not None
            and inner.confident
            and inner.replacement is not None
            and " " not in inner.replacement
        ):
            found.append(f"{head} {inner.replacement}")
    if len(found) == 1:
        return Suggestion("fusion", found[0], True)
    return None
