"""The matrix language: weighing a page's evidence, the hint a prior, codes checked."""

from __future__ import annotations

import pytest

import newsclean
from newsclean import matrix
from newsclean.errors import ConfigError


@pytest.mark.parametrize("code", ["xx", "french", "", "f", "fr FR", "12"])
def test_unknown_language_codes_are_config_errors(code: str) -> None:
    with pytest.raises(ConfigError):
        matrix.check_code(code)


@pytest.mark.parametrize(("code", "base"), [("fr", "fr"), ("fr-FR", "fr"), ("pt_BR", "pt")])
def test_known_codes_are_read_as_their_base_language(code: str, base: str) -> None:
    assert matrix.check_code(code) == base


def test_public_api_and_options_refuse_unknown_codes() -> None:
    with pytest.raises(ConfigError):
        newsclean.clean("Some text here.", lang="xx")
    with pytest.raises(ConfigError):
        newsclean.default_pipeline(lang="french")


@pytest.mark.parametrize(
    ("url", "lang"),
    [
        ("https://www.example.com/fr/monde/article-1", "fr"),
        ("https://example.com/de-ch/politik", "de"),
        ("https://fr.example.org/news", "fr"),
        ("https://www.example.com/news/2024/story", None),
        ("https://example.fr/", None),
        (None, None),
    ],
)
def test_url_language_reads_path_and_host(url: str | None, lang: str | None) -> None:
    assert matrix.url_language(url) == lang


def test_garbling_outweighs_a_majority_of_untranslated_sentences() -> None:
    evidence = matrix.Evidence(sentences={"en": 5.0, "fr": 3.0})
    assert matrix.decide(evidence).lang == "en"
    assert matrix.contenders(evidence) == ["en", "fr"]
    assert matrix.decide(evidence, {"fr": 3, "en": 0}).lang == "fr"


def test_markup_and_context_count_for_the_site_language() -> None:
    evidence = matrix.Evidence(sentences={"en": 4.0, "fr": 3.0}, declared="fr")
    assert matrix.decide(evidence).lang == "fr"
    evidence = matrix.Evidence(sentences={"en": 4.0, "fr": 4.0}, context={"fr": 3.0})
    assert matrix.decide(evidence).lang == "fr"


def test_an_address_alone_never_outweighs_a_sentence() -> None:
    assert matrix.decide(matrix.Evidence(sentences={"fr": 1.0}, url="de")).lang == "fr"
    assert matrix.decide(matrix.Evidence(sentences={}, declared="de")).lang == "de"
    assert matrix.decide(matrix.Evidence(sentences={}, context={"en": 3.0})).lang is None


def test_hint_is_a_prior_that_clear_evidence_overrules() -> None:
    mixed = matrix.Evidence(sentences={"en": 6.0, "fr": 4.0}, hint="fr")
    assert matrix.decide(mixed) == matrix.Decision("fr", matrix.prior_scores(mixed), False)
    foreign = matrix.Evidence(sentences={"en": 20.0}, hint="fr")
    decision = matrix.decide(foreign)
    assert decision.lang == "en" and decision.hint_overruled
    assert matrix.decide(matrix.Evidence(sentences={}, hint="fr")).lang == "fr"
