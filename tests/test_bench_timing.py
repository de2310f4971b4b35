"""The benchmark's speed measurement: both functions on each input, back to back."""

from __future__ import annotations

from newsclean.bench import paired_seconds


def test_each_input_is_timed_with_both_functions_back_to_back_on_every_pass() -> None:
    calls: list[tuple[str, str]] = []
    ours, reference, ratios = paired_seconds(
        lambda text: calls.append(("ours", text)),
        lambda page: calls.append(("reference", page)),
        [("a", "<a>"), ("b", "<b>")],
        repeats=3,
    )
    one_pass = [("ours", "a"), ("reference", "<a>"), ("ours", "b"), ("reference", "<b>")]
    assert calls == one_pass * 3
    assert ours >= 0 and reference >= 0
    assert len(ratios) <= 3
