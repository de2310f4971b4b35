from __future__ import annotations

import pytest

import newsclean
from newsclean import ConfigError, Document, InputError, Pipeline, default_pipeline


def test_clean_returns_text_and_process_returns_document() -> None:
    page = "A first paragraph that says something useful about the world today.\n\nShare\n"
    doc = newsclean.process(page)
    assert isinstance(doc, Document)
    assert newsclean.clean(page) == doc.text
    assert "useful" in doc.text


def test_default_pipeline_has_every_step_in_order() -> None:
    assert default_pipeline().names == [
        "read",
        "extract",
        "repair",
        "strip",
        "language",
        "normalise",
    ]


def test_without_then_replace_insert_return_new_pipelines() -> None:
    class Upper:
        name = "upper"

        def __call__(self, doc: Document) -> Document:
            for block in doc.blocks:
                block.text = block.text.upper()
            return doc

    base = default_pipeline()
    assert "language" not in base.without("language").names
    assert base.then(Upper()).names[-1] == "upper"
    assert base.replace("strip", Upper()).names[3] == "upper"
    assert base.insert_before("normalise", Upper()).names[-2] == "upper"
    assert base.names[-1] == "normalise"  # unchanged
    assert base.then(Upper()).clean("Some article words here.") == "SOME ARTICLE WORDS HERE."


def test_unknown_step_and_option_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        default_pipeline().without("nope")
    with pytest.raises(ConfigError):
        default_pipeline(colour="blue")
    with pytest.raises(ConfigError):
        default_pipeline(foreign="burn")


def test_options_from_strings() -> None:
    pipe = default_pipeline(keep_title="false", html_timeout_s="5")
    assert pipe.options.keep_title is False
    assert pipe.options.html_timeout_s == 5.0


def test_bad_source_type_is_input_error() -> None:
    with pytest.raises(InputError):
        newsclean.clean(12)  # type: ignore[arg-type]


def test_bytes_are_decoded() -> None:
    text = "Le président a déclaré que la réunion était terminée."
    assert newsclean.clean(text.encode("utf-8")) == text
    assert newsclean.clean(text.encode("cp1252")) == text


def test_user_rules_drop_their_category() -> None:
    page = "Real article sentence with enough words to stay here.\nJoin the Fan Club today\n"
    doc = newsclean.process(page, rules={"promo": ["join the fan club"]})
    assert [d.reason for d in doc.drops] == ["promo"]
    assert isinstance(default_pipeline(), Pipeline)
