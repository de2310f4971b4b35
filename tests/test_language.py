"""The language step: document language, foreign sentences and clauses, word repair."""

from __future__ import annotations

import pytest

import newsclean
from conftest import shared_path
from newsclean import langid, wordrepair
from newsclean.cleaners.language import Language, analyse_document, split_sentences
from newsclean.document import Block, Document
from newsclean.pipeline import Options

FR_NATIVE = (
    "Le gouvernement a présenté mardi un nouveau projet de loi sur le logement. "
    "Selon le ministre, les loyers ont fortement augmenté dans les grandes villes."
)
EN_SENTENCE = "The minister said that the new rules would come into force next year."


def run(text: str, **options: object) -> Document:
    """The language step alone on `text`, one block per line."""
    doc = Document(source=text)
    doc.blocks = [Block(line) for line in text.split("\n") if line.strip()]
    lang = options.pop("lang", None)
    doc.meta.lang_hint = lang if isinstance(lang, str) else None
    return Language(Options(**options))(doc)  # type: ignore[arg-type]


def repairs(doc: Document) -> dict[str, str]:
    return {r.before: r.after for r in doc.repairs if r.cleaner == "language"}


#: A line that shows machine-translation noise (an untranslated sentence, two
#: words that lost their accents), so that the page's words may be repaired.
NOISE_LINE = f"{EN_SENTENCE} La reforme sera votee en juin."
NOISE_REPAIRS = {"reforme": "réforme", "votee": "votée"}


def run_noisy(text: str, **options: object) -> Document:
    """`run` on `text` followed by NOISE_LINE."""
    return run(f"{text}\n{NOISE_LINE}", **options)


def own_repairs(doc: Document) -> dict[str, str]:
    """The repairs besides NOISE_LINE's (which must be made too)."""
    found = repairs(doc)
    assert NOISE_REPAIRS.items() <= found.items()
    return {k: v for k, v in found.items() if k not in NOISE_REPAIRS}


# -- detection ---------------------------------------------------------------


def test_sentences_are_cut_at_punctuation_but_not_after_initials() -> None:
    text = "M. Dupont est arrivé. The U.S. insists on it. Il part."
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans == ["M. Dupont est arrivé.", "The U.S. insists on it.", "Il part."]


def test_document_language_follows_the_majority_of_sentences() -> None:
    sentences = [
        "The talks ended without any agreement on the border question.",
        "La réunion a eu lieu à Paris.",
        "Les deux pays ont signé un accord.",
        "Le texte sera publié demain.",
    ]
    assert langid.majority_language(sentences) == "fr"


def test_hint_holds_where_the_page_says_little() -> None:
    lang, _ = analyse_document([EN_SENTENCE], lang="fr-FR")
    assert lang == "fr"


ENGLISH_ARTICLE = "\n".join(
    [
        "The city council approved the new budget on Tuesday after a long debate.",
        "Members argued for hours about the cost of repairing the old bridge.",
        "The mayor said that the vote was a victory for every family in the town.",
        "Work on the bridge is expected to start early next spring.",
        "Opponents said they would keep asking questions about the final price.",
    ]
)


def test_hint_is_overruled_by_a_page_wholly_in_another_language() -> None:
    doc = run(ENGLISH_ARTICLE, lang="fr", foreign="drop")
    assert doc.lang == "en"
    assert [f.suggestion for f in doc.flags if f.reason == "lang_hint_overruled"] == ["en"]
    assert all(b.kept for b in doc.blocks)  # nothing dropped as "foreign"


def test_hint_keeps_a_page_whose_translation_half_failed() -> None:
    text = "\n".join(
        [FR_NATIVE, EN_SENTENCE, "The talks ended without any agreement on the border."]
    )
    doc = run(text, lang="fr")
    assert doc.lang == "fr"
    assert not [f for f in doc.flags if f.reason == "lang_hint_overruled"]
    assert sum(f.reason == "foreign_sentence" for f in doc.flags) == 2


def test_english_sentence_in_french_text_is_flagged_with_its_span() -> None:
    text = f"{FR_NATIVE} {EN_SENTENCE} Le débat reprendra la semaine prochaine au Sénat."
    doc = run(text)
    assert doc.lang == "fr"
    foreign = [f for f in doc.flags if f.reason.startswith("foreign_")]
    assert len(foreign) == 1
    flag = foreign[0]
    assert doc.blocks[flag.block].text[flag.start : flag.end] == EN_SENTENCE
    assert flag.suggestion == "en"
    assert doc.text == text  # keep: reported, not changed
    assert doc.scores["mt_noise"] > 0


def test_clause_switch_is_located_inside_the_sentence() -> None:
    text = (
        f"{FR_NATIVE} Le porte-parole a rappelé que la décision avait été prise en mars, "
        "but the committee has not yet published its final report on the matter."
    )
    doc = run(text)
    clauses = [f for f in doc.flags if f.reason == "foreign_clause"]
    assert len(clauses) == 1
    assert clauses[0].text.startswith("but the committee")
    assert clauses[0].text.endswith("matter.")


def test_clean_native_text_has_no_foreign_flags_and_zero_noise() -> None:
    doc = run(FR_NATIVE + "\n" + "Les syndicats appellent à une grève nationale jeudi.")
    assert not [f for f in doc.flags if f.reason.startswith("foreign_")]
    assert doc.scores["mt_noise"] == 0


def test_short_sentences_are_not_flagged_on_weak_evidence() -> None:
    doc = run(f"{FR_NATIVE} OK. Le match a eu lieu au stade de France, à Saint-Denis.")
    assert not [f for f in doc.flags if f.reason.startswith("foreign_")]


# -- policies ------------------------------------------------------------------


def test_drop_removes_the_foreign_sentence_with_a_repair_record() -> None:
    doc = run(f"{FR_NATIVE} {EN_SENTENCE}", foreign="drop")
    assert doc.text == FR_NATIVE
    assert any(r.reason == "foreign_text" for r in doc.repairs)


def test_drop_drops_a_wholly_foreign_block() -> None:
    doc = run(f"{FR_NATIVE}\n{EN_SENTENCE}", foreign="drop")
    assert doc.text == FR_NATIVE
    assert [d.reason for d in doc.drops] == ["foreign_text"]


def test_mark_wraps_the_foreign_text_in_a_visible_marker() -> None:
    doc = run(f"{FR_NATIVE} {EN_SENTENCE}", foreign="mark")
    assert doc.text == f"{FR_NATIVE} [foreign:en]{EN_SENTENCE}[/foreign]"
    assert run(doc.text, foreign="mark").text == doc.text  # not marked twice


# -- word repair -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("garbled", "fixed"),
    [
        ("bilaterales", "bilatérales"),  # accents dropped
        ("notamm", "notamment"),  # truncated
        ("maisau", "mais au"),  # glued
        ("diplomaticementiquement", "diplomatiquement"),  # doubled stem
        ("exercises", "exercices"),  # English spelling
    ],
)
def test_each_repair_kind_in_french(garbled: str, fixed: str) -> None:
    sentence = f"Les deux pays ont discuté {garbled} des relations avec leurs voisins du sud."
    doc = run_noisy(f"{FR_NATIVE} {sentence}")
    assert own_repairs(doc) == {garbled: fixed}
    assert fixed in doc.text


def test_participle_accent_after_auxiliary() -> None:
    doc = run_noisy(f"{FR_NATIVE} Le ministre a explique sa position devant les députés.")
    assert own_repairs(doc) == {"explique": "expliqué"}


def test_words_seen_fine_elsewhere_are_still_repaired_where_context_matters() -> None:
    """Words remembered as fine never hide a repair that their place calls for."""
    # "explique" is a fine present tense after "il", a broken participle after "a";
    # "Friday" is left alone inside a name, translated when it stands alone
    first = run_noisy(f"{FR_NATIVE} Il explique sa position. Le club Friday Sports ouvre ce soir.")
    assert own_repairs(first) == {}
    second = run_noisy(
        f"{FR_NATIVE} Le ministre a explique sa position. Le texte sera examiné Friday au Sénat."
    )
    assert own_repairs(second) == {"explique": "expliqué", "Friday": "vendredi"}
    again = run_noisy(f"{FR_NATIVE} Il explique sa position. Le club Friday Sports ouvre ce soir.")
    assert own_repairs(again) == {}


def test_a_page_without_noise_keeps_every_word() -> None:
    """One odd word on a clean page is reported, never changed."""
    doc = run(f"{FR_NATIVE} Les deux pays ont discuté notamm des relations avec leurs voisins.")
    assert repairs(doc) == {}
    assert [f.suggestion for f in doc.flags if f.text == "notamm"] == ["notamment"]


def test_a_form_the_page_uses_twice_is_not_reshaped() -> None:
    line = f"{FR_NATIVE} Le maisau de la ville est fermé, et le maisau du port aussi."
    doc = run_noisy(line)
    assert "maisau" not in own_repairs(doc)
    assert doc.text.count("maisau") == 2


def test_english_weekday_inside_french_is_translated() -> None:
    doc = run_noisy(f"{FR_NATIVE} Le texte sera examiné Friday par les sénateurs.")
    assert own_repairs(doc) == {"Friday": "vendredi"}


def test_english_word_without_a_sure_match_is_only_flagged() -> None:
    doc = run(f"{FR_NATIVE} Les condamnations suscitées par la war en Ukraine se multiplient.")
    assert "war" not in repairs(doc)
    flagged = [f for f in doc.flags if f.text == "war"]
    assert flagged and flagged[0].reason == "suspect_foreign_word"


def test_names_and_capitalised_words_are_left_alone() -> None:
    text = (
        f"{FR_NATIVE} Selon Kaczmarek et Ouattara, la délégation de Tadjikistan "
        "a rencontré Ned Price à Vilnius."
    )
    doc = run(text)
    assert not repairs(doc)
    assert doc.text == text


def test_country_names_change_only_when_the_native_spelling_really_differs() -> None:
    doc = run_noisy(f"{FR_NATIVE} La délégation a ensuite voyagé à Taiwan puis en Mongolia.")
    assert own_repairs(doc) == {"Mongolia": "Mongolie"}


def test_german_capitalised_words_are_reported_not_changed() -> None:
    text = (
        "Die Regierung hat am Dienstag einen neuen Gesetzentwurf vorgelegt. "
        "Die Polizeibehorde in Livingstone bestätigte den Einsatz."
    )
    doc = run(text, lang="de")
    assert "Polizeibehorde" not in repairs(doc)
    assert any(f.text == "Polizeibehorde" for f in doc.flags)


def test_german_nouns_are_repaired_on_a_noisy_page_and_names_left_alone() -> None:
    text = (
        "Die Regierung hat am Dienstag einen neuen Gesetzentwurf vorgelegt. "
        "Die Behorden bestätigten den Einsatz am Abend.\n"
        f"{EN_SENTENCE}\n"
        "Der Minister Livingstone sprach mit den Menshen in der Stadt."
    )
    doc = run(text, lang="de")
    assert repairs(doc) == {"Behorden": "Behörden", "Menshen": "Menschen"}
    assert "Livingstone" in doc.text


def test_repair_words_off_changes_nothing() -> None:
    text = f"{FR_NATIVE} Les relations bilaterales restent tendues."
    doc = run(text, repair_words=False)
    assert doc.text == text


def test_languages_without_dictionary_logic_are_not_repaired() -> None:
    text = (
        "Il governo ha presentato martedì un nuovo disegno di legge sulla casa. "
        "Secondo il ministro, gli affitti sono aumentati molto nelle grandi citta."
    )
    doc = run(text)
    assert doc.lang == "it"
    assert not repairs(doc)


def test_known_words_are_not_suspicious() -> None:
    lex = wordrepair.lexicon("fr")
    assert lex is not None
    for word in ("gouvernement", "relations", "écologique", "paysans"):
        assert wordrepair.suggest(word, lex, wordrepair.lexicon("en")) is None


def test_the_step_is_idempotent() -> None:
    text = f"{FR_NATIVE} Les relations bilaterales avec notamm la Chine. {EN_SENTENCE}"
    once = run(text)
    twice = run(once.text)
    assert twice.text == once.text
    assert not repairs(twice)


# -- the seed and the dev set ------------------------------------------------------


def test_seed_001_foreign_text_flagged_and_words_restored(seed_001: str) -> None:
    doc = run(seed_001)
    assert doc.lang == "fr"
    foreign = [f for f in doc.flags if f.reason.startswith("foreign_")]
    starts = ("(Pékin) Pékin will", "According to", "“The objective", "But Pékin", "In May")
    for start in (*starts, "Washington is"):
        assert any(f.text.startswith(start) for f in foreign), start
    assert all(f.suggestion == "en" for f in foreign)
    fixed = repairs(doc)
    expected = {
        "entretienn": "entretiennent",
        "bilaterales": "bilatérales",
        "diplomaticementiquement": "diplomatiquement",
        "régulement": "régulièrement",
        "declaré": "déclaré",
        "exercises": "exercices",
        "indicé": "indiqué",
        "Mongolia": "Mongolie",
        "aindicé": "a indiqué",  # a short word glued to a misspelt one
        "condemnations": "condamnations",  # the English vowel of a cognate
        "war": "guerre",  # a news noun after a French determiner
        "at": "a-t",  # "at-il" → "a-t-il"
    }
    assert {k: fixed.get(k) for k in expected} == expected
    assert set(fixed) <= {*expected, "China"}
    assert "a-t-il déclaré" in doc.blocks[-1].text


@pytest.mark.parametrize("hint", ["fr", None])
def test_seed_001_through_the_pipeline_with_and_without_the_hint(
    seed_001: str, hint: str | None
) -> None:
    doc = newsclean.process(seed_001, lang=hint)
    assert doc.lang == "fr"
    assert not [f for f in doc.flags if f.reason == "lang_hint_overruled"]
    assert "Publié à 6h38" not in doc.text
    for garbled, fixed in [
        ("aindicé", "a indiqué"),
        ("at-il declaré", "a-t-il déclaré"),
        ("condemnations", "condamnations"),
        ("la war", "la guerre"),
    ]:
        assert garbled not in doc.text and fixed in doc.text
    foreign = [f.text for f in doc.flags if f.reason.startswith("foreign_")]
    assert len(foreign) == 6 and all(f[:1] in "(“ABIW" for f in foreign)


def test_a_glued_euphonic_t_is_repaired_even_after_the_word_was_seen_alone() -> None:
    run_noisy(f"{FR_NATIVE} Le vote at large est prévu.")
    doc = run_noisy(f"{FR_NATIVE} Que fait-il ? Que va-t-on faire, at-il dit.")
    assert own_repairs(doc) == {"at": "a-t"}
    assert "Que fait-il ?" in doc.text and "a-t-il dit" in doc.text


def test_seed_001_second_pass_changes_nothing(seed_001: str) -> None:
    once = run(seed_001)
    lines = [b.text for b in once.blocks if not b.text.startswith("Publié")]
    twice = run("\n".join(lines))  # without its dateline the page is a language tie
    assert [b.text for b in twice.blocks] == lines


def test_dev_set_acceptance() -> None:
    from newsclean.bench.mtnoise import run as bench

    path = shared_path("bench", "mtnoise", "mtnoise_dev.jsonl")
    figures = bench(str(path)).figures
    # the acceptance figures of the language step on the dev set
    assert figures["fr.sentence_f1"] >= 0.97
    assert figures["fr.clause_recall"] >= 0.9
    assert figures["fr.char_f1"] >= 0.9
    assert figures["fr.false_alarms_per_100"] <= 0.5
    assert figures["fr.word_detection"] >= 0.9
    assert figures["fr.word_restoration"] >= 0.59
    assert figures["fr.false_corrections_per_1000"] <= 1.0
    assert figures["fr.false_corrections_capitalised"] == 0
    assert figures["de.word_detection"] >= 0.8
    assert figures["de.word_restoration"] >= 0.45
    assert figures["de.false_corrections_per_1000"] <= 1.0
    assert figures["de.sentence_f1"] >= 0.96
    # the whole pipeline keeps what the step finds
    assert figures["pipeline.all.lang_accuracy"] == 1.0
    assert figures["pipeline.fr.sentence_f1"] >= 0.97
    assert figures["pipeline.fr.word_restoration"] >= 0.59
    assert figures["pipeline.all.false_corrections_per_1000"] <= 1.0


def test_heavy_dev_set_page_language() -> None:
    """Half-foreign pages: the page's language from all its evidence, not the majority."""
    from newsclean.bench.mtnoise import run as bench

    path = shared_path("bench", "mtnoise", "mtnoise_dev_heavy.jsonl")
    figures = bench(str(path)).figures
    assert figures["all.lang_accuracy"] >= 0.93  # 0.898 by sentence majority
    assert figures["all.sentence_f1"] >= 0.87  # 0.815 by sentence majority
    assert figures["hinted.all.sentence_f1"] >= 0.98
    assert figures["all.false_alarms_per_100"] == 0.0
    assert figures["all.false_corrections_per_1000"] == 0.0


def test_fold_removes_accents_ligatures_and_combining_marks() -> None:
    assert wordrepair.fold("Straße") == "Strasse"
    assert wordrepair.fold("œuvre") == "oeuvre"
    assert wordrepair.fold("bilatérales") == "bilaterales"
    assert wordrepair.fold("bilate\u0301rales") == "bilaterales"  # decomposed accent
    assert wordrepair.fold("plain") == "plain"


def test_accent_variants_count_the_plain_spelling_too() -> None:
    lex = wordrepair.lexicon("fr")
    assert lex is not None
    assert lex.has_accent_variant("ou")  # où
    assert lex.has_accent_variant("où")  # ou
    assert not lex.has_accent_variant("maison")


def test_warm_builds_every_word_index_before_workers_fork() -> None:
    """Batch runs warm the step in the parent so forked workers share the indexes."""
    from newsclean import wordrepair
    from newsclean.cleaners.language import Language
    from newsclean.pipeline import Options

    Language(Options()).warm()
    for lang in wordrepair.LEXICON_LANGS:
        lex = wordrepair.lexicon(lang)
        assert lex is not None
        assert lex._accented is not None and lex._sorted is not None
