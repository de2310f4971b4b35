"""The matrix language of a page: the language whose grammar carries the other's words.

A page that went through a half-failed machine translation holds two languages,
and the untranslated one may hold most of its sentences. Counting sentences
alone then names the wrong language, and every native sentence is reported as
foreign. This module weighs every piece of evidence a page has, in units of one
sentence vote:

- sentences: each sentence the identifier names with some confidence is one vote;
- garbling: a word the repair step can mend (accent lost, word cut short, two
  words glued, a foreign spelling) is a trace of the translation, so it lies in
  the *target* language: each such word counts for the language it was found in;
- the page's own markup: the declared language (HTML `lang`), the title, the
  address (`/fr/`, `fr.example.com`), the title when it is not among the
  kept text already, and the dropped blocks (menus, dates and
  bylines are written by the site in its own language);
- the caller's hint: a strong prior worth half the page's sentences; only a
  page whose sentences are three quarters or more in another language, or
  garbling in that language, overrules it (the decision says so).

The module decides from counts it is given; which words are garbled is found by
the language step (`newsclean.cleaners.language`), which asks `contenders` which
languages are worth that test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

import regex

from .errors import ConfigError

#: Share of the page's sentence votes that the caller's hint is worth (plus a floor).
HINT_SHARE = 0.5
HINT_FLOOR = 2.0
#: Share of the page's sentence votes that the declared language or the
#: address's language is worth (the declared language half a vote more).
MARKUP_SHARE = 0.25
#: What the dropped blocks are worth at most, when they all agree (a share of the votes).
CONTEXT_SHARE = 0.25
#: Dropped blocks needed for the context's full weight.
CONTEXT_FULL = 3
#: Votes of one garbled word.
GARBLE_WEIGHT = 1.0
#: A language is a contender when its score is at least this share of the leader's.
CONTENDER_SHARE = 0.4

_URL_LANG = regex.compile(r"^([a-z]{2})(?:[-_][a-z]{2})?$")
#: A language tag: ISO 639 code, then optional subtags (region, script).
_TAG = regex.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$")


def normal_code(code: str | None) -> str | None:
    """The base language of a code (`fr-FR` → `fr`, `pt_BR` → `pt`); None for empty."""
    if not code:
        return None
    return code.strip().replace("_", "-").split("-")[0].lower() or None


@lru_cache(maxsize=256)
def _known(base: str) -> bool:
    from babel import localedata

    return base.isalpha() and base.isascii() and localedata.exists(base)


def check_code(code: str | None) -> str | None:
    """The base language of a user's code, or ConfigError when no language has that code.

    Codes are ISO 639 (two or three letters, optionally with a region: `fr-CA`);
    a language name (`french`) or a made-up code (`xx`) is refused.
    """
    if code is None:
        return None
    if not isinstance(code, str):
        raise ConfigError(f"option lang: expected a language code such as 'fr', got {code!r}")
    base = normal_code(code) if _TAG.match(code.strip()) else None
    if base is None or not _known(base):
        raise ConfigError(f"option lang: {code!r} is not a language code (ISO 639, e.g. 'fr')")
    return base


def url_language(url: str | None) -> str | None:
    """The language an address names in its first path segment or its first host label.

    `https://example.com/fr/…`, `https://example.com/fr-ca/…` and `https://fr.example.com/`
    name French; country domains are not read (a `.ch` or `.be` site has several).
    """
    if not url:
        return None
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
    except ValueError:
        return None
    segments = [s for s in parts.path.lower().split("/") if s]
    host = (parts.hostname or "").split(".")
    for candidate in ([segments[0]] if segments else []) + ([host[0]] if len(host) > 2 else []):
        match = _URL_LANG.match(candidate)
        if match and _known(match.group(1)):
            return match.group(1)
    return None


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a page says about its own language, before its words are examined.

    `sentences`: votes per language of the kept text's sentences; `context`:
    votes of the dropped blocks; `declared`: the markup's language; `title`: the
    title's language; `url`: the address's language; `hint`: the caller's;
    `letters`: the letters of each language's voting sentences (only a tie reads them).
    """

    sentences: Mapping[str, float]
    context: Mapping[str, float] = field(default_factory=dict)
    declared: str | None = None
    title: str | None = None
    url: str | None = None
    hint: str | None = None
    letters: Mapping[str, int] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return float(sum(self.sentences.values()))


@dataclass(frozen=True, slots=True)
class Decision:
    """The matrix language, its score against the others, and whether the hint lost."""

    lang: str | None
    scores: Mapping[str, float]
    hint_overruled: bool = False


def prior_scores(evidence: Evidence) -> dict[str, float]:
    """Each language's score from everything but garbling."""
    total = evidence.total
    scores: dict[str, float] = dict(evidence.sentences)

    def add(lang: str | None, amount: float) -> None:
        if lang and amount > 0:
            scores[lang] = scores.get(lang, 0.0) + amount

    context_votes = sum(evidence.context.values())
    if context_votes:
        # a share of the page's own votes: chrome alone, with no article, names no language
        weight = CONTEXT_SHARE * total * min(1.0, context_votes / CONTEXT_FULL)
        for lang, votes in evidence.context.items():
            add(lang, weight * votes / context_votes)
    # the declared language also names the language of a page without sentences;
    # an address segment alone never outweighs a sentence (`/de/` may be a word)
    add(evidence.declared, MARKUP_SHARE * total + 0.5)
    add(evidence.url, MARKUP_SHARE * total)
    add(evidence.title, 1.0)
    add(evidence.hint, HINT_SHARE * total + HINT_FLOOR)
    return scores


def contenders(evidence: Evidence) -> list[str]:
    """The languages that garbling could still make the matrix, best first.

    Only languages with sentences of their own are tested (garbling is found in
    a language's sentences); one language alone needs no test.
    """
    scores = prior_scores(evidence)
    if not scores:
        return []
    ranked = sorted(scores, key=lambda lang: (-scores[lang], lang))
    best = scores[ranked[0]]
    found = [
        lang
        for lang in ranked
        if evidence.sentences.get(lang, 0.0) > 0 and scores[lang] >= CONTENDER_SHARE * best
    ]
    return found if len(found) > 1 else []


def decide(evidence: Evidence, garbled: Mapping[str, int] | None = None) -> Decision:
    """The matrix language from the evidence and the garbled words found per language.

    A tie goes to the hint, then to the language of more sentences, then of more
    letters, then to the alphabetically first code (the answer never depends on
    dict order).
    """
    scores = prior_scores(evidence)
    for lang, count in (garbled or {}).items():
        scores[lang] = scores.get(lang, 0.0) + GARBLE_WEIGHT * count
    if not scores:
        return Decision(evidence.hint, scores)
    best = max(
        scores,
        key=lambda lang: (
            scores[lang],
            lang == evidence.hint,
            evidence.sentences.get(lang, 0.0),
            evidence.letters.get(lang, 0),
            [-ord(c) for c in lang],
        ),
    )
    overruled = evidence.hint is not None and best != evidence.hint
    return Decision(best, scores, overruled)
