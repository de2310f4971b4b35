"""The plain-text path of the extract step: one block per non-empty line."""

from __future__ import annotations

from newsclean.cleaners.extract import text_blocks


def kinds(raw: str) -> list[tuple[str, str]]:
    return [(block.text, block.kind) for block in text_blocks(raw)]


def test_lines_become_blocks_with_runs_of_spaces_collapsed() -> None:
    raw = "Title\r\n\r\nFirst  para\tgraph \x0c\n\nmenu\u2028item\u2029\n  lone  \n"
    assert kinds(raw) == [
        ("Title", "paragraph"),
        ("First para graph", "paragraph"),
        ("menu", "line"),
        ("item", "line"),
        ("lone", "paragraph"),
    ]


def test_text_with_single_spaces_and_line_feeds_only() -> None:
    assert kinds("one two\nthree\n\n four ") == [
        ("one two", "line"),
        ("three", "line"),
        ("four", "paragraph"),
    ]


def test_next_line_and_no_break_space_stay_inside_a_line() -> None:
    assert kinds("caf\x85 x\u00a0y\n\u00a0\n") == [("caf\x85 x\u00a0y", "paragraph")]
