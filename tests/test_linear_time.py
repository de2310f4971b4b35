"""Every step is linear in its input: four times the input, about four times the time.

Each case is a shape that once took time growing with the square of the input (from
seconds to minutes on a few hundred kilobytes). The sizes are small enough for the
old code to fail here in about a second, and for the test to take milliseconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

import newsclean
from newsclean.cleaners.chrome import image_file
from newsclean.cleaners.html import visible_text_blocks
from newsclean.cleaners.normalise import tidy
from newsclean.document import Document
from newsclean.pipeline import default_pipeline


def _best(run: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _assert_linear(make: Callable[[int], str], run: Callable[[str], object], n: int) -> None:
    """Time at 4n under 8 × time at n (quadratic is 16 ×), with slack for timer noise."""
    small, large = make(n), make(4 * n)
    run(small)  # warm caches and lazy resources
    t1 = _best(lambda: run(small))
    t4 = _best(lambda: run(large))
    assert t4 < 8 * t1 + 0.03, f"{t1:.4f} s at n, {t4:.4f} s at 4n"


_PIPELINE = default_pipeline()


def _raw_after_read(page: str) -> str:
    return _PIPELINE.steps[0](Document(source=page)).raw


def _extract(page: str) -> Document:
    """The read and extract steps (where markup is parsed)."""
    doc = Document(source=page)
    for step in _PIPELINE.steps[:2]:
        doc = step(doc)
    return doc


def test_no_break_space_runs_in_normalise() -> None:
    _assert_linear(lambda n: "x" + "\u00a0" * n + "y\nz", tidy, 5000)


def test_image_file_test_on_a_line_holding_a_line_feed() -> None:
    _assert_linear(lambda n: "x.jpg?" * (n // 6) + "\n" + "x.jpg?", image_file, 5000)


def test_nfc_over_alternating_combining_marks() -> None:
    _assert_linear(lambda n: "a" + "\u0301\u0316" * (n // 2) + " b\n", tidy, 10000)


def test_fallback_parser_on_unclosed_comments() -> None:
    def run(page: str) -> object:
        return visible_text_blocks(_raw_after_read(page))

    _assert_linear(lambda n: "<p>Text</p>" + "<!--" * (n // 4), run, 10000)
    _assert_linear(lambda n: "<p>Text</p><!--" + "a<" * (n // 2), run, 10000)


def test_an_element_with_very_many_attributes() -> None:
    def page(n: int) -> str:
        attributes = " ".join(f"a{i}=1" for i in range(n // 8))
        return f"<html><body><p {attributes}>Short text.</p></body></html>"

    _assert_linear(page, _extract, 40000)


def test_markup_bounds_change_no_real_markup() -> None:
    page = (
        "<html><head><script>var s = '<!--';</script><style>p{}</style></head><body>"
        "<!-- a comment --><p class='a' id=\"b\" data-x>Kept text.</p><!-- open"
    )
    raw = _raw_after_read(page)
    assert "var s = '<!--';" in raw and "<p class='a' id=\"b\" data-x>Kept text.</p>" in raw
    assert "a comment" not in raw and "open" not in raw


def test_a_document_over_its_time_budget_fails_instead_of_hanging() -> None:
    seconds = 0.2

    class Endless:
        name = "endless"

        def __call__(self, doc: Document) -> Document:
            while True:
                time.sleep(0.01)

    default_pipeline().process("Resources load once, outside the budget of this test.")
    pipeline = default_pipeline(doc_timeout_s=seconds).then(Endless())
    start = time.perf_counter()
    with pytest.raises(newsclean.errors.BudgetError):
        pipeline.process("The council approved the new budget on Tuesday.")
    assert time.perf_counter() - start < seconds + 1.0


def test_a_document_over_its_memory_budget_fails_instead_of_growing() -> None:
    class Hog:
        name = "hog"

        def __call__(self, doc: Document) -> Document:
            held = []
            while True:
                held.append(b"x" * 10_000_000)

    default_pipeline().process("Resources load once, outside the budget of this test.")
    pipeline = default_pipeline(doc_memory_mb=100).then(Hog())
    start = time.perf_counter()
    with pytest.raises(newsclean.errors.BudgetError, match="memory budget"):
        pipeline.process("The council approved the new budget on Tuesday.")
    assert time.perf_counter() - start < 3.0
    after = default_pipeline(doc_memory_mb=100).clean("The council approved the new budget.")
    assert after == "The council approved the new budget."  # the process goes on
