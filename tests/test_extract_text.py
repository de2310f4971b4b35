"""The plain-text path of the extract step: one block per non-empty line."""

from __future__ import annotations

import newsclean
from newsclean import default_pipeline
from newsclean.cleaners.extract import text_blocks


def kinds(raw: str) -> list[tuple[str, str]]:
    return [(block.text, block.kind) for block in text_blocks(raw)]


def test_lines_become_blocks_with_their_spaces_as_they_came() -> None:
    raw = "Title\r\n\r\nFirst  para\tgraph \x0c\n\nmenu\u2028item\u2029\n  lone  \n"
    assert kinds(raw) == [
        ("Title", "paragraph"),
        ("First  para\tgraph \x0c", "paragraph"),
        ("menu", "line"),
        ("item", "line"),
        ("  lone  ", "paragraph"),
    ]


def test_the_repair_step_tidies_the_spaces_after_reading_them() -> None:
    pipeline = default_pipeline().without("strip", "language")
    doc = pipeline.process("First  para\tgraph \n lone ")
    assert [block.text for block in doc.blocks] == ["First para graph", "lone"]
    assert not doc.repairs  # layout, not a repair of the author's words


def test_a_lost_no_break_space_is_repaired_through_the_whole_pipeline() -> None:
    original = (
        "Le président est arrivé à Paris à midi, où l’attendait déjà la presse.\n"
        "Il a visité le musée, puis il est reparti là"
    )
    broken = original.encode("utf-8").decode("cp1252", "replace").replace("\u00a0", " ")
    assert "Ã  Paris" in broken and broken.endswith("lÃ ")
    assert newsclean.clean(broken) == newsclean.clean(original)


def test_text_with_single_spaces_and_line_feeds_only() -> None:
    assert kinds("one two\nthree\n\n four ") == [
        ("one two", "line"),
        ("three", "line"),
        (" four ", "paragraph"),
    ]


def test_next_line_and_no_break_space_stay_inside_a_line() -> None:
    assert kinds("caf\x85 x\u00a0y\n\u00a0\n") == [("caf\x85 x\u00a0y", "paragraph")]
