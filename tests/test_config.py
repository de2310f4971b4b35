"""Options from files: newsclean.toml, [tool.newsclean] in pyproject.toml, and --config."""

from __future__ import annotations

from pathlib import Path

import pytest

import newsclean
from newsclean.cli import main
from newsclean.config import find_config, load_config

ARTICLE = "The council approved the new budget on Tuesday after a long debate.\n"
PROMO_LINE = "Join the Harbour Club for members-only offers\n"
PAGE = (
    ARTICLE
    + "The vote came after three public hearings and more than two hundred letters.\n"
    + PROMO_LINE
)
RULES_TOML = '[rules]\nnewsletter = ["join the \\\\w+ club"]\n'


def test_newsclean_toml_is_found_in_a_parent_folder(tmp_path: Path) -> None:
    (tmp_path / "newsclean.toml").write_text('lang = "fr"\nforeign = "mark"\n', "utf-8")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) == {"lang": "fr", "foreign": "mark"}


def test_nearest_config_wins(tmp_path: Path) -> None:
    (tmp_path / "newsclean.toml").write_text('lang = "fr"\n', "utf-8")
    child = tmp_path / "project"
    child.mkdir()
    (child / "newsclean.toml").write_text('lang = "de"\n', "utf-8")
    assert find_config(child) == {"lang": "de"}


def test_tool_newsclean_table_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.newsclean]\nlang = "it"\nkeep_title = false\n', "utf-8"
    )
    sub = tmp_path / "src"
    sub.mkdir()
    assert find_config(sub) == {"lang": "it", "keep_title": False}


def test_pyproject_without_a_newsclean_table_does_not_stop_the_search(tmp_path: Path) -> None:
    (tmp_path / "newsclean.toml").write_text('lang = "es"\n', "utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")
    assert find_config(project) == {"lang": "es"}


def test_no_config_anywhere_gives_no_options(tmp_path: Path) -> None:
    if any((d / "newsclean.toml").exists() for d in (tmp_path, *tmp_path.parents)):
        pytest.skip("a newsclean.toml above the temporary folder")
    assert find_config(tmp_path) == {}


def test_bad_toml_is_a_one_line_config_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "newsclean.toml"
    bad.write_text('lang = "fr\nforeign = drop\n', "utf-8")
    with pytest.raises(newsclean.ConfigError) as caught:
        find_config(tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert "newsclean.toml" in message


def test_load_config_reads_the_table_of_an_explicit_pyproject(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.newsclean]\nforeign = "drop"\n[tool.other]\nx = 1\n', "utf-8")
    assert load_config(path) == {"foreign": "drop"}


def test_config_rules_drop_matching_blocks_with_their_category(tmp_path: Path) -> None:
    (tmp_path / "newsclean.toml").write_text(RULES_TOML, "utf-8")
    options = find_config(tmp_path)
    doc = newsclean.process(PAGE, **options)
    assert PROMO_LINE.strip() not in doc.text
    assert ARTICLE.strip() in doc.text
    assert [(d.text, d.reason) for d in doc.drops] == [(PROMO_LINE.strip(), "newsletter")]


def test_config_rule_wins_over_headline_detection(tmp_path: Path) -> None:
    (tmp_path / "newsclean.toml").write_text(RULES_TOML, "utf-8")
    doc = newsclean.process(PROMO_LINE + ARTICLE, **find_config(tmp_path))
    assert doc.text == ARTICLE.strip()
    assert [(d.text, d.reason) for d in doc.drops] == [(PROMO_LINE.strip(), "newsletter")]


def test_cli_config_flag_applies_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "house-style.toml"
    config.write_text(RULES_TOML, "utf-8")
    page = tmp_path / "page.txt"
    page.write_text(PAGE, "utf-8")
    assert main(["explain", str(page), "--color", "never", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "DROP newsletter" in out and "Join the Harbour Club" in out


def test_cli_finds_config_in_the_working_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "newsclean.toml").write_text(RULES_TOML, "utf-8")
    (tmp_path / "page.txt").write_text(PAGE, "utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["clean", "page.txt", "-o", "out"]) == 0
    cleaned = (tmp_path / "out" / "page.txt").read_text("utf-8")
    assert ARTICLE.strip() in cleaned and "Harbour Club" not in cleaned


def test_cli_flags_win_over_the_config_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "newsclean.toml"
    config.write_text('lang = "de"\n', "utf-8")
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, "utf-8")
    args = ["explain", str(page), "--color", "never", "--config", str(config)]
    assert main(args) == 0
    assert "lang: de" in capsys.readouterr().out
    assert main([*args, "--lang", "en"]) == 0
    assert "lang: en" in capsys.readouterr().out


def test_cli_bad_config_file_is_one_line_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "newsclean.toml"
    config.write_text("lang = \n", "utf-8")
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, "utf-8")
    assert main(["clean", str(page), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsclean: cannot read config") and err.count("\n") == 1


def test_cli_unknown_option_in_config_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "newsclean.toml"
    config.write_text('colour = "blue"\n', "utf-8")
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, "utf-8")
    assert main(["clean", str(page), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "unknown option 'colour'" in err and err.count("\n") == 1


def test_cli_missing_config_file_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, "utf-8")
    assert main(["clean", str(page), "--config", str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml" in capsys.readouterr().err


def test_cli_bad_rule_pattern_in_config_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "newsclean.toml"
    config.write_text('[rules]\nnewsletter = ["(unclosed"]\n', "utf-8")
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, "utf-8")
    assert main(["clean", str(page), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsclean:") and "newsletter" in err and err.count("\n") == 1
