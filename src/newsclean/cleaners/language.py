"""Language: document language, foreign sentences and clauses, word repair.

What a half-failed machine translation leaves behind: whole sentences still in
the source language, sentences that switch language part-way, source-language
words inside translated sentences, and garbled words (accents dropped, words cut
short, glued together or spelt the foreign way). This step finds them, repairs
the words it is sure about and reports everything else; it never translates.

0. A page screen (`monolingual_language`) first: one identification of the
   whole page, the page's other evidence, other scripts, marker words of
   other languages and a word-list count of words that could be damaged. A
   page that plainly holds one language and too few such words for noise
   stops there: only the sentences of its suspect words get the word check
   (step 3), and no per-sentence identification or other word list is needed.
1. Sentences are cut by punctuation; each gets its language from `langid`. The
   document language is the page's matrix language (`newsclean.matrix`): the
   sentences' votes, the markup, the address and the dropped blocks weighed
   together, with the words each contending language shows garbled, and the
   caller's hint as a strong prior that clear evidence overrules (flagged).
2. Every word votes for the document language or a foreign one by comparing its
   frequency in both languages (wordfreq); names (capitalised words inside a
   sentence) abstain. The best labelling of the sentence as native, foreign,
   foreign prefix or foreign suffix (one change point) is kept when the
   language identifier agrees on the foreign part and the evidence is not weak.
3. Words in native text are checked against the document language's word list
   (`newsclean.wordrepair`): confident repairs are made and recorded, the rest
   flagged; on a page without signs of machine-translation noise nothing is
   repaired (`shows_mt_noise`), only flagged.

Options: `foreign` = "keep" (report only), "drop" (remove the foreign text, drop
a block that is wholly foreign) or "mark" (wrap it as `[foreign:xx]…[/foreign]`);
`repair_words`; `lang` (the hint, a prior). Score: `doc.scores["mt_noise"]`.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

import regex

from .. import langid, matrix, wordrepair
from ..document import Document, Flag, Repair
from ..pipeline import Options

NAME = "language"

_SENTENCE_END = regex.compile(
    r"[.!?…]{1,5}(?:[ \u00a0]?[»\"”’')\]]){0,3}(?=\s{1,20}[«\"“‘(\[]?[ \u00a0]?[\p{Lu}\d])"
)
_ABBREVIATION = regex.compile(r"(?:^|[\s(.])(?:\p{Lu}|Mr|Mrs|Ms|Dr|St|Mme|Mlle|Jr|Sr|Prof|Gen)$")
_TOKEN = regex.compile(r"\p{L}{1,60}")
#: `_TOKEN` for ASCII text, whose letters are A-Z and a-z: the standard engine is faster.
_ASCII_TOKEN = re.compile(r"[A-Za-z]{1,60}")
_WORD = regex.compile(r"[\p{L}\p{M}]{1,60}")
_MARK = regex.compile(r"\p{M}")
_NEIGHBOURS = regex.compile(r"[\p{L}\p{M}]{1,60}|[^\s\p{L}\p{M}]")
_SUBJECT_PRONOUNS = frozenset({"il", "elle", "on", "ils", "elles"})
_INVERTED = regex.compile(r"(\p{L}{1,12})-(?:t-)?(?:il|elle|on|ils|elles)$")
_INVERSION = regex.compile(r"-(?:t-)?(?:il|elle|on|ils|elles|je|tu|nous|vous)\b")
#: A French verb glued to the `t` of an inverted pronoun (`at-il`): looked at even
#: where every word of the sentence is known to be fine elsewhere.
_GLUED_T = regex.compile(r"[ae]t-(?:il|elle|on)\b")
_PRONOUN_AFTER_HYPHEN = regex.compile(r"(?:il|elle|on|ils|elles)\b")
#: Damage that a capitalised noun (in German) may be repaired from, and how
#: common its repair must be.
_NOUN_DAMAGE = frozenset({"accent", "truncation", "spelling", "deletion"})
_NOUN_FLOOR = 3.5
_OPENERS = "«\"“‘'(["

#: Penalty (in summed log-frequency units) for cutting a sentence in two languages.
SPLIT_COST = 3.0
#: A foreign part needs this much summed word evidence and this many voting words.
MIN_EVIDENCE = 3.0
MIN_VOTERS = 3
#: Below this many letters a sentence is short: it needs a confident identifier.
SHORT_LETTERS = 25
#: Rare or unknown words examined per document (each costs about a millisecond).
MAX_RARE_WORDS = 400
MARK_OPEN = "[foreign:{lang}]"
MARK_CLOSE = "[/foreign]"
#: Bound of the remembered per-word answers (cleared when reached).
_MEMO_SIZE = 200_000
#: (document language, foreign language) → word → (vote, abstains, capitalised).
_CASED_VOTES: dict[tuple[str, str], dict[str, tuple[float, bool, bool]]] = {}
#: (document language, foreign language) → capitalised word → may be a foreign word.
_CAPITAL_FOREIGN: dict[tuple[str, str], dict[str, bool]] = {}
_MARKED = regex.compile(r"\[foreign:[a-z]{2,3}\][^\[]{0,5000}\[/foreign\]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of `text` (start, end), whitespace excluded."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[match.start()] == "." and _ABBREVIATION.search(
            text[max(start, match.start() - 6) : match.start()]
        ):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


@dataclass(frozen=True, slots=True)
class ForeignSpan:
    """Text in another language than the document's: a whole sentence or a clause."""

    start: int
    end: int
    lang: str
    kind: str  # "sentence" or "clause"


@dataclass(frozen=True, slots=True)
class WordFinding:
    """A suspicious word: `after` is the repair when `confident`, else the suggestion."""

    start: int
    end: int
    before: str
    after: str | None
    reason: str
    confident: bool


@dataclass(slots=True)
class BlockAnalysis:
    """What the step found in one block, offsets into the block's text as received."""

    sentences: list[tuple[int, int]] = field(default_factory=list)
    foreign: list[ForeignSpan] = field(default_factory=list)
    words: list[WordFinding] = field(default_factory=list)
    letters: int = 0
    word_count: int = 0
    foreign_letters: int = 0


class Analyzer:
    """Finds foreign text and garbled words in the blocks of one language."""

    def __init__(self, lang: str, repair_words: bool = True) -> None:

        self.lang = lang
        self.lex = wordrepair.lexicon(lang)
        self.repair = repair_words and lang in wordrepair.REPAIR_LANGS and self.lex is not None
        self.default_foreign = "en" if lang != "en" else None
        self._texts: list[str] = []
        self._names_found: set[str] | None = None
        self._rare_left = MAX_RARE_WORDS

    # -- sentences -----------------------------------------------------------
    def _vote_table(self, foreign: str) -> dict[str, tuple[float, bool, bool]] | None:
        """word → (vote of its lower case, abstains as a name, capitalised); None without lists."""
        if self.lex is None or wordrepair.lexicon(foreign) is None:
            return None
        table = _CASED_VOTES.setdefault((self.lang, foreign), {})
        if len(table) > _MEMO_SIZE:
            table.clear()
        return table

    def _vote_entry(
        self, word: str, foreign: str, table: dict[str, tuple[float, bool, bool]]
    ) -> tuple[float, bool, bool]:
        native_lex, foreign_lex = self.lex, wordrepair.lexicon(foreign)
        assert native_lex is not None and foreign_lex is not None
        low = word.lower()
        memo = wordrepair.vote_memo(self.lang, foreign)
        found = memo.get(low)
        if found is None:
            zn, zf = native_lex.zipf(low), foreign_lex.zipf(low)
            found = memo[low] = max(-3.0, min(3.0, zf - zn)) if zn or zf else 0.0
        cap = word[0].isupper()
        entry = table[word] = (found, cap and not word.isupper(), cap)
        return entry

    def _vote_values(
        self, words: list[str], foreign: str, headline_possible: bool = True
    ) -> list[float]:
        """The vote of each word: positive for `foreign`, negative for native, 0 abstains.

        A capitalised word inside a sentence is probably a name and abstains,
        unless the sentence is a headline in title case; the first word of a
        sentence votes at half weight when capitalised.
        """
        table = self._vote_table(foreign)
        if table is None or not words:
            return [0.0] * len(words)
        get = table.get
        entries = [get(w) or self._vote_entry(w, foreign, table) for w in words]
        # a headline in title case: capitals say nothing about names there
        headline = (
            headline_possible
            and len(entries) >= 4
            and sum(1 for e in entries if e[2]) >= 0.7 * len(entries)
        )
        values = [e[0] if headline or not e[1] else 0.0 for e in entries]
        first = entries[0]
        values[0] = first[0] * 0.5 if first[1] else first[0]  # maybe a name
        return values

    @staticmethod
    def _placed(
        text: str, start: int, end: int, values: list[float]
    ) -> list[tuple[int, int, float]]:
        """(start, end, vote) per word of `text[start:end]`, `values` being the words' votes.

        The votes were worked out from the same words (`_TOKEN` over the same
        span), so only the positions are found here.
        """
        matches = _TOKEN.finditer(text, start, end)
        return [(m.start(), m.end(), v) for m, v in zip(matches, values, strict=True)]

    def _foreign_lang(self, guesses: list[tuple[str, float]], fallback: str | None) -> str | None:
        for code, prob in guesses:
            if code != self.lang and prob >= 0.05:
                return code
        return fallback

    def _is_lang(self, text: str, lang: str, min_prob: float) -> bool:
        guess = langid.detect(text, k=1)
        return bool(guess) and guess[0][0] == lang and guess[0][1] >= min_prob

    def sentence_foreign(
        self,
        text: str,
        start: int,
        end: int,
        guesses: list[tuple[str, float]],
        fallback: str | None,
        tokens: list[str] | None = None,
    ) -> ForeignSpan | None:
        """The foreign part of one sentence (whole, prefix or suffix), if any.

        `tokens` are the sentence's words (`_TOKEN`) when the caller has them.
        """
        foreign = self._foreign_lang(guesses, fallback)
        if foreign is None:
            return None
        top, prob = guesses[0] if guesses else (self.lang, 0.0)
        if tokens is None:
            tokens = _TOKEN.findall(text, start, end)
        # where nouns are capitalised, a sentence the identifier gives to the page's
        # language is prose with nouns, not a headline in title case
        headline_possible = self.lang not in wordrepair.CAPITALISED_NOUNS or top != self.lang
        values = self._vote_values(tokens, foreign, headline_possible)
        if any(values) and sum(v for v in values if v > 0) < MIN_EVIDENCE:
            # the foreign votes together are too weak for any foreign part (every
            # part, the whole sentence too, needs MIN_EVIDENCE): it stays native
            return None
        voters = len(values) - values.count(0.0)
        if not voters or self.lex is None:
            # no word evidence: the identifier alone, only when sure and not short
            if (
                top == foreign
                and prob >= 0.9
                and langid.letters(text[start:end]) >= 2 * SHORT_LETTERS
            ):
                return ForeignSpan(start, end, foreign, "sentence")
            return None
        total = sum(values)
        best_kind, best_score, cut = "none", -total, 0
        if total > best_score:
            best_kind, best_score = "whole", total
        running = 0.0
        for k in range(1, len(values)):
            running += values[k - 1]
            prefix = 2 * running - total - SPLIT_COST
            suffix = total - 2 * running - SPLIT_COST
            if prefix > best_score:
                best_kind, best_score, cut = "prefix", prefix, k
            if suffix > best_score:
                best_kind, best_score, cut = "suffix", suffix, k
        if best_kind == "none":
            return None
        if best_kind == "whole":
            if voters < MIN_VOTERS or total < MIN_EVIDENCE:
                return None
            strong = voters >= MIN_VOTERS and (total >= 2 * MIN_EVIDENCE or total >= 1.5 * voters)
            short = not strong and langid.letters(text[start:end]) < SHORT_LETTERS
            min_prob = 0.8 if short else 0.5
            if top == foreign and prob >= min_prob:
                return ForeignSpan(start, end, foreign, "sentence")
            return None
        votes = self._placed(text, start, end, values)
        part = votes[:cut] if best_kind == "prefix" else votes[cut:]
        # the foreign part starts and ends on a word that votes for it, not on a name
        while part and part[-1 if best_kind == "prefix" else 0][2] <= 0:
            part = part[:-1] if best_kind == "prefix" else part[1:]
        evidence = sum(v[2] for v in part)
        part_voters = sum(1 for v in part if v[2])
        if part_voters < MIN_VOTERS or evidence < MIN_EVIDENCE:
            return None
        # names between the two parts go with the foreign part when a comma
        # closes them off on the native side ("During a visit to Holyoke, …")
        if best_kind == "prefix":
            s, e = start, part[-1][1]
            native = next((v[0] for v in votes[len(part) :] if v[2] < 0), end)
            comma = text.rfind(",", e, native)
            if comma >= 0:
                e = comma
            while e < end and not text[e].isspace() and not text[e].isalnum():
                e += 1
        else:
            s, e = part[0][0], end
            native = next(
                (v[1] for v in reversed(votes[: len(votes) - len(part)]) if v[2] < 0), start
            )
            comma = text.find(",", native, s)
            if comma >= 0:
                s = comma + 1
                while s < e and text[s].isspace():
                    s += 1
            while s > start and text[s - 1] in _OPENERS:
                s -= 1
        if langid.letters(text[s:e]) < 12 or not self._is_lang(text[s:e], foreign, 0.5):
            return None
        return ForeignSpan(s, e, foreign, "clause")

    # -- words -----------------------------------------------------------------
    def words(
        self,
        text: str,
        regions: list[tuple[int, int]] | list[tuple[int, int, list[str] | None]],
        foreign_lang: str | None,
    ) -> list[WordFinding]:
        """Suspicious words in the native `regions` of `text`.

        A region may carry its words (as `_WORD` finds them) when they are known.
        """

        if not self.repair or self.lex is None:
            return []
        foreign_lex = wordrepair.lexicon(foreign_lang) if foreign_lang else None
        fine = self.lex.fine_words(foreign_lang or "")
        found: list[WordFinding] = []
        for region in regions:
            rs, re_ = region[0], region[1]
            known = region[2] if len(region) > 2 else None
            if fine.issuperset(_WORD.findall(text, rs, re_) if known is None else known) and (
                self.lang != "fr" or _GLUED_T.search(text, rs, re_) is None
            ):
                continue  # most sentences of a page: every word already known to be fine
            matches = list(_WORD.finditer(text, rs, re_))
            for index, m in enumerate(matches):
                word = m.group()
                if self.lang == "fr" and word[-1] == "t" and text.startswith("-", m.end()):
                    euphonic = self._missing_euphonic_t(text, m)
                    if euphonic is not None:
                        found.append(euphonic)
                        continue
                if word in fine:
                    continue  # most words of a page: one set lookup
                if len(word) < 3:
                    fine.add(word)
                    continue
                is_first = not index
                last, last_end = "", -10
                if index:
                    last, last_end = matches[index - 1].group(), matches[index - 1].end()
                before = text[m.start() - 1] if m.start() > 0 else " "
                after = text[m.end()] if m.end() < len(text) else " "
                if before in "-_/@#.0123456789" or (
                    after in "-_/@#0123456789" and not _INVERSION.match(text, m.end())
                ):
                    continue
                lower = word.lower()
                if word[0].islower() and word != lower:
                    split = wordrepair.camel_split(word, self.lex)
                    if split is not None:
                        found.append(WordFinding(m.start(), m.end(), word, split, "fusion", True))
                    else:
                        fine.add(word)  # the split depends on the word alone
                    continue
                maybe_foreign = False
                if word != lower and foreign_lang:
                    maybe_foreign = self._maybe_foreign_capital(word, foreign_lex, foreign_lang)
                    if maybe_foreign:
                        finding = self._capitalised_foreign(
                            text, m, foreign_lex, foreign_lang, is_first
                        )
                        if finding is not None:
                            found.append(finding)
                            continue
                capitalised = False
                if word != lower:
                    capitalised = word[0].isupper() and word[1:] == lower[1:]
                    if self.lang != "de" or not capitalised:
                        if not maybe_foreign:
                            fine.add(word)  # left alone wherever it stands
                        continue
                    if word in self.names:
                        continue
                if self.lex.zipf(lower) < wordrepair.RARE:
                    # the search for a rare word's repair is the costly part: bounded per
                    # document, so that a page of gibberish stays cheap
                    self._rare_left -= 1
                    if self._rare_left < 0:
                        continue
                gap = m.start() - last_end
                before_word = last if 0 < gap <= 3 and text[last_end : m.start()].isspace() else ""
                if before_word.lower() in _SUBJECT_PRONOUNS:
                    # "a-t-il expliqué": the auxiliary is before the inverted pronoun
                    inverted = _INVERTED.search(text, max(rs, last_end - 24), last_end)
                    if inverted:
                        before_word = inverted.group(1)
                suggestion = wordrepair.suggest(
                    lower,
                    self.lex,
                    foreign_lex,
                    before_apostrophe=after in "'’",
                    previous=before_word.lower(),
                )
                if suggestion is None:
                    if word == lower and not self.lex.has_accent_variant(lower):
                        fine.add(word)  # fine in any context: skip it next time
                    elif (
                        (word == lower or capitalised)
                        and not maybe_foreign
                        and wordrepair.fine_anywhere(lower, self.lex, foreign_lex)
                    ):
                        fine.add(word)
                    continue
                repl = suggestion.replacement
                confident = suggestion.confident and "ß" not in word
                if repl is not None and word != lower:
                    repl = repl[:1].upper() + repl[1:]
                    # a capitalised German word may be a name: changed only where it
                    # starts the sentence, or where the damage is of a noun's kind
                    # and no list knows the word (a name is often known elsewhere)
                    noun_damage = (
                        suggestion.reason in _NOUN_DAMAGE
                        and self.lex.zipf(suggestion.replacement or "") >= _NOUN_FLOOR
                        and (foreign_lex is None or foreign_lex.zipf(lower) == 0.0)
                    )
                    confident = confident and (is_first or noun_damage) and " " not in repl
                found.append(
                    WordFinding(
                        m.start(),
                        m.end(),
                        word,
                        repl,
                        suggestion.reason,
                        confident and repl is not None,
                    )
                )
        return found

    def _missing_euphonic_t(self, text: str, m: regex.Match[str]) -> WordFinding | None:
        """`at-il` → `a-t-il`: a French verb ending in a vowel takes `-t-` before an
        inverted subject pronoun; a `t` glued to the verb instead is a garbled form.

        The verb without its `t` must be a common word ending in `a` or `e`, far
        more common than the glued form (`fait-il`, `dit-il` are right as written).
        """
        word = m.group()
        stem = word[:-1].lower()
        if (
            self.lex is None
            or not stem.endswith(("a", "e"))
            or _PRONOUN_AFTER_HYPHEN.match(text, m.end() + 1) is None
        ):
            return None
        zs, zw = self.lex.zipf(stem), self.lex.zipf(word.lower())
        if zs < 4.0 or zs - zw < 2.0:
            return None
        return WordFinding(m.start(), m.end(), word, word[:-1] + "-t", "inversion", True)

    def _maybe_foreign_capital(
        self, word: str, foreign_lex: wordrepair.Lexicon | None, foreign_lang: str
    ) -> bool:
        """Whether `_capitalised_foreign` can find anything for `word` in some context.

        Everything but the neighbours and the sentence start depends on the word
        alone, so the answer is remembered per language pair.
        """
        memo = _CAPITAL_FOREIGN.setdefault((self.lang, foreign_lang), {})
        found = memo.get(word)
        if found is not None:
            return found
        if len(memo) > _MEMO_SIZE:
            memo.clear()
        found = False
        if word[1:].islower() and self.lex is not None and foreign_lex is not None:
            low = word.lower()
            zn, zf = self.lex.zipf(low), foreign_lex.zipf(low)
            # the frequency tests first: the translation tables are the costly part
            if zf >= 4.0 and zn < 3.0 and zf - zn >= 2.0:
                found = True
            elif wordrepair.is_weekday(word, foreign_lang):
                found = wordrepair.translate_closed(word, foreign_lang, self.lang) is not None
            elif zf - zn >= 1.0:
                translated = wordrepair.translate_closed(word, foreign_lang, self.lang)
                found = translated is not None and (
                    wordrepair.fold(translated) != wordrepair.fold(word)
                )
        memo[word] = found
        return found

    def _capitalised_foreign(
        self,
        text: str,
        m: regex.Match[str],
        foreign_lex: wordrepair.Lexicon | None,
        foreign_lang: str,
        is_first: bool,
    ) -> WordFinding | None:
        """A capitalised word of the foreign language standing alone (not in a name).

        At the start of a sentence only a weekday is matched (any word is
        capitalised there), and its translation keeps the capital.
        """

        word = m.group()
        if not word[1:].islower() or self.lex is None or foreign_lex is None:
            return None
        neighbours = (
            [] if is_first else _NEIGHBOURS.findall(text[max(0, m.start() - 40) : m.start()])[-1:]
        )
        neighbours += _NEIGHBOURS.findall(text[m.end() : m.end() + 40])[:1]
        if any(n[0].isupper() for n in neighbours):
            return None  # part of a multi-word name
        translated = wordrepair.translate_closed(word, foreign_lang, self.lang)
        if is_first:
            if translated is None or not wordrepair.is_weekday(word, foreign_lang):
                return None
            translated = translated[:1].upper() + translated[1:]
        low = word.lower()
        zn, zf = self.lex.zipf(low), foreign_lex.zipf(low)
        if translated is not None and (
            wordrepair.is_weekday(word, foreign_lang)
            # a country name: only when the native spelling differs beyond accents
            # and the native text rarely writes the foreign one (Taiwan, Jordan)
            or (wordrepair.fold(translated) != wordrepair.fold(word) and zf - zn >= 1.0)
        ):
            return WordFinding(m.start(), m.end(), word, translated, "foreign_word", True)
        if zf >= 4.0 and zn < 3.0 and zf - zn >= 2.0:
            return WordFinding(m.start(), m.end(), word, None, "foreign_word", False)
        return None

    # -- blocks ------------------------------------------------------------------
    def check_words(
        self, texts: list[str], regions: list[list[tuple[int, int]]]
    ) -> list[list[WordFinding]]:
        """The word check alone over the given sentences of each block of one page.

        For a page of one language (`monolingual_language`): no sentence is
        foreign, so the words are checked against the default foreign language.
        """
        self._texts, self._names_found = texts, None
        self._rare_left = MAX_RARE_WORDS
        return [
            self.words(text, list(block), self.default_foreign) if block else []
            for text, block in zip(texts, regions, strict=True)
        ]

    def analyse(
        self,
        texts: list[str],
        guesses_by_block: list[list[list[tuple[str, float]]]],
        sentence_spans: list[list[tuple[int, int]]] | None = None,
    ) -> list[BlockAnalysis]:
        """Analyse each block (with the per-sentence language guesses already made).

        `sentence_spans` are the blocks' sentences when the caller has cut them already.
        """
        results: list[BlockAnalysis] = []
        if sentence_spans is None:
            sentence_spans = [split_sentences(t) for t in texts]
        # the document's second language, for sentences whose own guess lacks one
        second: dict[str, int] = {}
        for spans, guesses in zip(sentence_spans, guesses_by_block, strict=True):
            for (s, e), g in zip(spans, guesses, strict=True):
                if g and g[0][0] != self.lang and g[0][1] >= 0.5:
                    second[g[0][0]] = second.get(g[0][0], 0) + (e - s)
        fallback = max(second, key=second.__getitem__) if second else self.default_foreign
        self._texts, self._names_found = texts, None
        self._rare_left = MAX_RARE_WORDS
        for text, spans, guesses in zip(texts, sentence_spans, guesses_by_block, strict=True):
            result = BlockAnalysis(sentences=spans)
            result.letters = langid.letters(text)
            # the sentences hold every word of the block (a word never spans the
            # space between two sentences), so their words are the block's
            find = _ASCII_TOKEN.findall if text.isascii() else _TOKEN.findall
            words = [find(text, s, e) for s, e in spans]
            result.word_count = sum(map(len, words))
            # without combining marks the words of the word check are the same
            same_words = text.isascii() or _MARK.search(text) is None
            regions: list[tuple[int, int, list[str] | None]] = []
            marked = [m.span() for m in _MARKED.finditer(text)] if "[foreign:" in text else []
            for (s, e), g, tokens in zip(spans, guesses, words, strict=True):
                if marked and any(a < e and s < b for a, b in marked):
                    continue  # marked foreign by an earlier pass with foreign="mark"
                span = self.sentence_foreign(text, s, e, g, fallback, tokens)
                if span is None:
                    # words are repaired only where the identifier does not lean to
                    # another language: a repair must never translate a sentence
                    if not g or g[0][0] == self.lang or g[0][1] < 0.3:
                        regions.append((s, e, tokens if same_words else None))
                    continue
                result.foreign.append(span)
                result.foreign_letters += langid.letters(text[span.start : span.end])
                if span.start > s:
                    regions.append((s, span.start, None))
                if span.end < e:
                    regions.append((span.end, e, None))
            result.words = self.words(text, regions, fallback)
            results.append(result)
        return results

    @property
    def names(self) -> set[str]:
        """Capitalised words used more than once in the document: likely names."""
        if self._names_found is None:
            self._names_found = self._count_names(self._texts)
        return self._names_found

    @staticmethod
    def _count_names(texts: list[str]) -> set[str]:
        seen: dict[str, int] = {}
        for text in texts:
            for m in _WORD.finditer(text):
                w = m.group()
                if w[:1].isupper():
                    seen[w] = seen.get(w, 0) + 1
        return {w for w, n in seen.items() if n > 1}


def analyse_document(
    texts: list[str],
    lang: str | None = None,
    repair_words: bool = True,
    context: list[str] | None = None,
) -> tuple[str | None, list[BlockAnalysis]]:
    """The document language and what was found in each text block.

    `lang` is the caller's hint (a strong prior, see `newsclean.matrix`);
    `context` holds the page's other text (dropped blocks).
    """
    decision, results = analyse_page(texts, hint=lang, repair_words=repair_words, context=context)
    return decision.lang, results


#: Word repairs that are traces of a translation (a foreign word is not: it may be a loan).
_GARBLING = frozenset(
    {"accent", "truncation", "fusion", "doubled_stem", "spelling", "deletion", "inversion"}
)


def _garbled(results: list[BlockAnalysis]) -> int:
    """Words the analysis is sure are garbled: the traces of a translation into its language."""
    return sum(
        1
        for result in results
        for w in result.words
        if w.confident and w.after is not None and w.reason in _GARBLING
    )


def _votes(guesses: list[list[tuple[str, float]]], min_prob: float = 0.3) -> dict[str, float]:
    """One vote per text for its best guess, when that guess is `min_prob` sure."""
    votes: dict[str, float] = {}
    for guess in guesses:
        if guess and guess[0][1] >= min_prob:
            votes[guess[0][0]] = votes.get(guess[0][0], 0.0) + 1.0
    return votes


def _letters(
    sentences: list[str], guesses: list[list[tuple[str, float]]], min_prob: float = 0.3
) -> dict[str, int]:
    """The letters of the voting sentences of each language."""
    found: dict[str, int] = {}
    for sentence, guess in zip(sentences, guesses, strict=True):
        if guess and guess[0][1] >= min_prob:
            found[guess[0][0]] = found.get(guess[0][0], 0) + langid.letters(sentence)
    return found


#: The page screen (`monolingual_language`): how sure the one whole-page
#: identification must be for the page to be read as monolingual.
PAGE_MIN_PROB = 0.7
#: Marker words of one other language (`wordrepair.marker_words`) in one sentence
#: that show the page holds text in that language.
SENTENCE_MARKERS = 2
#: Letters of another script than the Latin one of the word-list languages that
#: show the page holds text in another language (one stray letter does not).
OTHER_SCRIPT_LETTERS = 3
_OTHER_SCRIPT = regex.compile(r"[^\P{L}\p{Latin}]")
#: Words found unable to be a sign of noise, per (page language, foreign language).
_NO_SIGN: dict[tuple[str, str], set[str]] = {}


def _block_words(texts: list[str]) -> list[list[str]]:
    """The words (`_TOKEN`) of each block: those of its sentences, which hold every word."""
    return [(_ASCII_TOKEN.findall if text.isascii() else _TOKEN.findall)(text) for text in texts]


def _evidence_agrees(
    lang: str,
    texts: list[str],
    hint: str | None,
    declared: str | None,
    title: str | None,
    url: str | None,
) -> bool:
    """Whether nothing the page or the caller says names another language than `lang`."""
    for code in (matrix.normal_code(hint), matrix.normal_code(declared), matrix.url_language(url)):
        if code is not None and code != lang:
            return False
    if title and title not in texts and langid.letters(title) >= 12:
        guess = langid.detect(title)
        if guess and guess[0][0] != lang and guess[0][1] >= 0.5:
            return False
    return True


def _other_script(texts: list[str]) -> bool:
    """Whether the texts hold OTHER_SCRIPT_LETTERS letters or more outside the Latin script."""
    found = 0
    for text in texts:
        if not text.isascii():
            found += len(_OTHER_SCRIPT.findall(text))
            if found >= OTHER_SCRIPT_LETTERS:
                return True
    return False


def _marks_one_language(hits: set[str], markers: dict[str, tuple[str, ...]]) -> bool:
    """Whether SENTENCE_MARKERS of the marker words `hits` mark the same language."""
    if len(hits) < SENTENCE_MARKERS:
        return False
    counts = Counter(other for word in hits for other in markers[word])
    return max(counts.values()) >= SENTENCE_MARKERS


def _marked_sentence(
    lang: str, texts: list[str], spans: list[list[tuple[int, int]]], words: list[list[str]]
) -> bool:
    """Whether a sentence holds SENTENCE_MARKERS distinct marker words of one other language.

    A block is looked at sentence by sentence only when the block as a whole holds
    that many (a set intersection, most blocks hold none).
    """
    markers = wordrepair.marker_words(lang)
    marker_set = markers.keys()
    if not _marks_one_language(set(filter(markers.__contains__, chain(*words))), markers):
        return False  # the whole page holds too few: so does each sentence
    for text, sp, tokens in zip(texts, spans, words, strict=True):
        if not _marks_one_language(marker_set & set(tokens), markers):
            continue
        find = _ASCII_TOKEN.findall if text.isascii() else _TOKEN.findall
        for s, e in sp:
            if _marks_one_language(marker_set & set(find(text, s, e)), markers):
                return True
    return False


def _may_be_sign(
    word: str, lex: wordrepair.Lexicon, foreign: wordrepair.Lexicon | None, accents: bool
) -> bool:
    """Whether the word check could find a sign of noise (`_NOISE_SIGNS`) in `word`.

    A superset of what `wordrepair.suggest` finds: a rare word (cut short,
    misspelt, letters dropped, a stray stem), a word the foreign language knows
    better, a word with an accented twin (`accents`).
    """
    z = lex.zipf(word)
    if z < wordrepair.RARE:
        return True
    if foreign is not None and z < 5.0:
        zf = foreign.zipf(word)
        gap = 0.6 if lex.lang in wordrepair.CAPITALISED_NOUNS else 1.0
        if zf >= 3.0 + (z >= 4.0) and zf - z >= gap:
            return True
    return accents and lex.has_accent_variant(word)


def _suspects(lang: str, tokens: list[str]) -> dict[str, str]:
    """The words of `tokens` that `_may_be_sign` does not clear: word → its lower case.

    Only the words the word check examines count: lower-case ones, and capitalised
    ones where nouns are capitalised. Words cleared once are remembered (bounded),
    so a page costs a set difference and a look at its new words.
    """
    lex = wordrepair.lexicon(lang)
    if lex is None:
        return {}
    foreign_lang = "en" if lang != "en" else ""
    cleared = _NO_SIGN.setdefault((lang, foreign_lang), set())
    if len(cleared) > _MEMO_SIZE:
        cleared.clear()
    new = set(tokens) - cleared
    if not new:
        return {}
    foreign = wordrepair.lexicon(foreign_lang) if foreign_lang else None
    accents = lang not in wordrepair.UNACCENTED
    nouns = lang in wordrepair.CAPITALISED_NOUNS
    found: dict[str, str] = {}
    for word in new:
        if word.islower():
            low = word
        elif nouns and word[0].isupper() and word[1:].islower():
            low = word.lower()
        else:
            cleared.add(word)  # not examined by the word check
            continue
        if _may_be_sign(low, lex, foreign, accents):
            found[word] = low
        else:
            cleared.add(word)
    return found


def _suggested(lang: str, suspects: dict[str, str]) -> dict[str, wordrepair.Suggestion]:
    """The suspects that `wordrepair.suggest` has something for, with its answer.

    Asked with the page's default foreign language and no context (answers are
    remembered per word); most rare words are names or jargon and get nothing.
    """
    lex = wordrepair.lexicon(lang)
    if lex is None:
        return {}
    foreign = wordrepair.lexicon("en") if lang != "en" else None
    found: dict[str, wordrepair.Suggestion] = {}
    for word, low in suspects.items():
        suggestion = wordrepair.suggest(low, lex, foreign)
        if suggestion is not None:
            found[word] = suggestion
    return found


def _signs(lang: str, texts: list[str], tokens: list[str], suggested: dict[str, str]) -> int:
    """How many words of the page the word check would find damaged (`_NOISE_SIGNS`).

    `tokens` are the page's words, `suggested` the kind of damage found in the
    suspect ones (`_suggested`); the word check itself passes over a few more
    (parts of addresses and numbers), so this may count more than it would
    find. French verbs glued to an inverted pronoun's `t` count too.
    """
    signs = {word for word, reason in suggested.items() if reason in _NOISE_SIGNS}
    found = sum(map(signs.__contains__, tokens)) if signs else 0
    if lang == "fr":
        found += sum(len(_GLUED_T.findall(text)) for text in texts if "t-" in text)
    return found


@dataclass(frozen=True, slots=True)
class Screen:
    """A page found to hold one language: the language, and the words found
    perhaps damaged (too few for noise: their sentences get the word check, the
    rest of the page is known to need nothing)."""

    lang: str
    suspects: frozenset[str]


def monolingual_language(
    texts: list[str],
    spans: list[list[tuple[int, int]]],
    words: list[list[str]],
    *,
    hint: str | None = None,
    declared: str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Screen | None:
    """The page's language when the page plainly holds one language and no noise, else None.

    A cheap screen that spares such a page the per-sentence identification and
    the word check: one identification of the whole page, sure enough and in a
    language with a word list; nothing the page or the caller says names
    another language; no text in another script; no sentence with several
    marker words of another language; and fewer damaged words than
    `shows_mt_noise` needs, so the word check could only have flagged words,
    never repaired one. `spans` are the blocks' sentences, `words` the
    blocks' words (`_block_words`).
    """
    found = langid.page_language(texts)
    if found is None or found[1] < PAGE_MIN_PROB or found[0] not in wordrepair.LEXICON_LANGS:
        return None
    lang = found[0]
    if not _evidence_agrees(lang, texts, hint, declared, title, url) or _other_script(texts):
        return None
    if _marked_sentence(lang, texts, spans, words):
        return None
    if lang not in wordrepair.REPAIR_LANGS:
        return Screen(lang, frozenset())  # no word check there: no noise in its words
    tokens = list(chain(*words))
    enough = max(MIN_NOISE_WORDS, MIN_NOISE_DENSITY * len(tokens))
    suspects = _suspects(lang, tokens)
    if not suspects and not (lang == "fr" and any("t-" in text for text in texts)):
        return Screen(lang, frozenset())  # every word of the page is known to be fine
    suggested = {w: found.reason for w, found in _suggested(lang, suspects).items()}
    if _signs(lang, texts, tokens, suggested) >= enough:
        return None
    return Screen(lang, frozenset(suggested))


def _plain_results(
    texts: list[str],
    spans: list[list[tuple[int, int]]],
    words: list[list[str]],
    screen: Screen,
    repair_words: bool,
) -> list[BlockAnalysis]:
    """What the step finds in the blocks of a monolingual page.

    No foreign text; the word check runs only over the sentences that hold a
    word found perhaps damaged (`Screen.suspects`): every other word is known
    to need nothing.
    """
    results = [
        BlockAnalysis(sentences=sp, letters=langid.letters(text), word_count=len(tokens))
        for text, sp, tokens in zip(texts, spans, words, strict=True)
    ]
    analyzer = Analyzer(screen.lang, repair_words)
    if not screen.suspects or not analyzer.repair:
        return results
    regions = [
        [(s, e) for s, e in sp if not screen.suspects.isdisjoint(_WORD.findall(text, s, e))]
        if not screen.suspects.isdisjoint(tokens) or not text.isascii()
        else []
        for text, sp, tokens in zip(texts, spans, words, strict=True)
    ]
    for result, found in zip(results, analyzer.check_words(texts, regions), strict=True):
        result.words = found
    _keep_repairs_where_noise_is(texts, results)
    return results


def analyse_page(
    texts: list[str],
    *,
    hint: str | None = None,
    declared: str | None = None,
    title: str | None = None,
    url: str | None = None,
    context: list[str] | None = None,
    repair_words: bool = True,
) -> tuple[matrix.Decision, list[BlockAnalysis]]:
    """The matrix language (`newsclean.matrix`) and what was found in each text block.

    When two languages could each be the page's, the blocks are analysed as
    each of them and the garbled words found in each language's sentences
    join the evidence: garbling is the trace of a translation into that language.
    """
    spans = [split_sentences(t) for t in texts]
    words = _block_words(texts)
    plain = monolingual_language(
        texts, spans, words, hint=hint, declared=declared, title=title, url=url
    )
    if plain is not None:
        # one language and no noise: nothing to identify per sentence, few words to check
        decision = matrix.Decision(plain.lang, {plain.lang: float(sum(map(len, spans)))})
        return decision, _plain_results(texts, spans, words, plain, repair_words)
    sentences = [t[s:e] for t, sp in zip(texts, spans, strict=True) for s, e in sp]
    guesses = langid.sentence_languages(sentences, k=3)
    # a title kept as a block already votes as a sentence: it is not counted twice
    own_title = title is not None and title not in texts and langid.letters(title) >= 12
    title_guess = langid.detect(title) if title and own_title else []
    votes = _votes(guesses)
    evidence = matrix.Evidence(
        sentences=votes,
        declared=matrix.normal_code(declared),
        title=title_guess[0][0] if title_guess and title_guess[0][1] >= 0.5 else None,
        url=matrix.url_language(url),
        hint=matrix.normal_code(hint),
        letters=_letters(sentences, guesses),
    )
    sole = len(votes) == 1 and not (evidence.declared or evidence.title or evidence.url or hint)
    if context and not sole:
        # the dropped blocks weigh at most a quarter of the page's votes: against a
        # page whose sentences all vote alike, with nothing else said, they change nothing
        context_votes = _votes(langid.sentence_languages(context[:50], k=1))
        evidence = dataclasses.replace(evidence, context=context_votes)
    by_block: list[list[list[tuple[str, float]]]] = []
    i = 0
    for sp in spans:
        by_block.append(guesses[i : i + len(sp)])
        i += len(sp)
    analysed: dict[str, list[BlockAnalysis]] = {}
    garbled: dict[str, int] = {}
    for candidate in matrix.contenders(evidence):
        if candidate in wordrepair.REPAIR_LANGS:
            found = Analyzer(candidate, True).analyse(texts, by_block, spans)
            analysed[candidate], garbled[candidate] = found, _garbled(found)
    decision = matrix.decide(evidence, garbled)
    if decision.lang is None:
        return decision, [BlockAnalysis(sentences=sp) for sp in spans]
    results = analysed.get(decision.lang)
    if results is None:
        results = Analyzer(decision.lang, repair_words).analyse(texts, by_block, spans)
    elif not repair_words:
        for result in results:
            result.words = []
    _keep_repairs_where_noise_is(texts, results)
    return decision, results


#: Kinds of damage that are signs of machine-translation noise. Glued words are
#: not: text extraction glues words too (a lost line break), and a compound
#: written as one word looks the same; unknown words are names and jargon as often.
_NOISE_SIGNS = frozenset(
    {"accent", "truncation", "spelling", "deletion", "doubled_stem", "foreign_word", "inversion"}
)
#: A page shows noise when at least this many words show its signs, and that many
#: per word of the page (a long article has a few rare words that look damaged).
MIN_NOISE_WORDS = 2
MIN_NOISE_DENSITY = 0.01
#: A page with this share of its letters in foreign text shows noise by that alone;
#: with the smaller share, together with one sign.
FOREIGN_NOISE_SHARE = 0.1
FOREIGN_SIGN_SHARE = 0.03
#: Repairs that change a word's shape: a word written twice alike is meant.
_SHAPE_REPAIRS = frozenset({"truncation", "fusion", "doubled_stem", "spelling", "deletion"})


def shows_mt_noise(results: list[BlockAnalysis]) -> bool:
    """Whether the page shows machine-translation noise: its words may be repaired.

    Signs are words with damage of a translation's kinds (accent loss, cut-short
    or misspelt words, letters dropped, stray stems, words of the other language):
    two or more, and at least one per hundred words. Text left in another
    language is a sign too: a tenth of the page's letters is enough alone, 3% with
    one sign. A clean article keeps every word.
    """
    letters = sum(r.letters for r in results)
    foreign = sum(r.foreign_letters for r in results)
    if letters and foreign >= FOREIGN_NOISE_SHARE * letters:
        return True
    signs = sum(1 for r in results for w in r.words if w.reason in _NOISE_SIGNS)
    if signs and letters and foreign >= FOREIGN_SIGN_SHARE * letters:
        return True
    words = sum(r.word_count for r in results)
    return signs >= MIN_NOISE_WORDS and signs >= MIN_NOISE_DENSITY * words


def _keep_repairs_where_noise_is(texts: list[str], results: list[BlockAnalysis]) -> None:
    """Turn repairs into flags where the evidence does not hold (see `shows_mt_noise`).

    On a page without noise every repair becomes a flag; elsewhere a repair that
    changes a word's shape needs the word to be a one-off: a form the page uses
    twice is what its author wrote.
    """
    if not any(w.confident for r in results for w in r.words):
        return
    noisy = shows_mt_noise(results)
    seen: Counter[str] | None = None
    for result in results:
        if not any(w.confident for w in result.words):
            continue
        kept: list[WordFinding] = []
        for w in result.words:
            if w.confident and noisy and w.reason in _SHAPE_REPAIRS:
                if seen is None:
                    seen = Counter(word for text in texts for word in _WORD.findall(text))
                if seen[w.before] > 1:
                    w = dataclasses.replace(w, confident=False)
            elif w.confident and not noisy:
                w = dataclasses.replace(w, confident=False)
            kept.append(w)
        result.words = kept


def _apply(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, list[int], list[int]]:
    """Apply sorted, disjoint edits; return the text and an offset map old → new."""
    out: list[str] = []
    pos = 0
    starts: list[int] = []
    shifts: list[int] = []
    shift = 0
    for s, e, new in edits:
        out.append(text[pos:s])
        out.append(new)
        pos = e
        shift += len(new) - (e - s)
        starts.append(e)
        shifts.append(shift)
    out.append(text[pos:])
    return "".join(out), starts, shifts


def _moved(offset: int, starts: list[int], shifts: list[int]) -> int:
    import bisect

    i = bisect.bisect_right(starts, offset)
    return offset + (shifts[i - 1] if i else 0)


class Language:
    """Fifth step: document language, foreign text, word repair, MT-noise score."""

    name = NAME

    def __init__(self, options: Options) -> None:
        self.options = options

    def warm(self) -> None:
        """Load the identification model and every word list with its indexes now.

        Batch runs call this before forking workers, which then share the loaded
        resources instead of each building its own on first use.
        """
        langid.detect("warm")
        if self.options.repair_words:
            for lang in sorted(wordrepair.LEXICON_LANGS):
                found = wordrepair.lexicon(lang)
                if found is not None:
                    found.warm()

    def __call__(self, doc: Document) -> Document:
        kept: list[int] = []
        texts: list[str] = []
        context: list[str] = []  # the first dropped blocks, for a tie between languages
        for i, block in enumerate(doc.blocks):
            if not block.text:
                continue
            if block.kept:
                kept.append(i)
                texts.append(block.text)
            elif len(context) < 50:
                context.append(block.text)
        hint = doc.meta.lang_hint or self.options.lang
        decision, analyses = analyse_page(
            texts,
            hint=hint,
            declared=doc.meta.lang,
            title=doc.meta.title,
            url=doc.meta.url,
            context=context,
            repair_words=self.options.repair_words,
        )
        lang = decision.lang
        doc.meta.lang = lang
        if decision.hint_overruled:
            # the page's own evidence outweighs the caller's hint: said in the report
            doc.flags.append(Flag(NAME, "lang_hint_overruled", -1, 0, 0, hint or "", lang))
        letters = sum(a.letters for a in analyses)
        foreign_letters = 0
        words = sum(a.word_count for a in analyses)
        noisy_words = 0
        for index, analysis in zip(kept, analyses, strict=True):
            if not analysis.words and not analysis.foreign:
                continue  # most blocks: nothing to repair, flag or remove
            text = doc.blocks[index].text
            edits = [(w.start, w.end, w.after) for w in analysis.words if w.confident and w.after]
            new_text, starts, shifts = _apply(text, edits)
            for w in analysis.words:
                noisy_words += 1
                if w.confident and w.after:
                    doc.repairs.append(Repair(NAME, f"word_{w.reason}", w.before, w.after, index))
                else:
                    s, e = _moved(w.start, starts, shifts), _moved(w.end, starts, shifts)
                    doc.flags.append(
                        Flag(NAME, f"suspect_{w.reason}", index, s, e, w.before, w.after)
                    )
            if new_text != text:
                doc.blocks[index].text = new_text
            foreign = [
                (_moved(f.start, starts, shifts), _moved(f.end, starts, shifts), f)
                for f in analysis.foreign
            ]
            for s, e, f in foreign:
                foreign_letters += langid.letters(new_text[s:e])
                doc.flags.append(
                    Flag(NAME, f"foreign_{f.kind}", index, s, e, new_text[s:e], f.lang)
                )
            if foreign and self.options.foreign != "keep":
                self._apply_policy(doc, index, new_text, foreign)
        noise = foreign_letters / letters if letters else 0.0
        word_noise = noisy_words / words if words else 0.0
        doc.scores["foreign_share"] = round(noise, 4)
        doc.scores["word_noise"] = round(word_noise, 4)
        doc.scores["mt_noise"] = round(min(1.0, noise + 5.0 * word_noise), 4)
        return doc

    def _apply_policy(
        self, doc: Document, index: int, text: str, foreign: list[tuple[int, int, ForeignSpan]]
    ) -> None:
        pieces: list[str] = []
        pos = 0
        for s, e, f in foreign:
            if self.options.foreign == "mark":
                pieces.append(text[pos:s])
                span = text[s:e]
                pieces.append(MARK_OPEN.format(lang=f.lang) + span + MARK_CLOSE)
            else:
                pieces.append(text[pos:s].strip())
            pos = e
        if self.options.foreign == "mark":
            new = "".join(pieces) + text[pos:]
        else:
            pieces.append(text[pos:].strip())
            new = " ".join(piece for piece in pieces if piece)
        if self.options.foreign == "drop" and langid.letters(new) == 0:
            doc.drop(index, NAME, "foreign_text")
            return
        reason = "foreign_marked" if self.options.foreign == "mark" else "foreign_text"
        doc.replace_text(index, new, NAME, reason)
