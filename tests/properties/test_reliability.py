"""Reliability properties on realistic generated pages (`newsclean.bench.pages`).

`make test` runs a few seeds of each (`NEWSCLEAN_PROPERTY_EXAMPLES`, default 15);
`benchmarks/reliability.py` runs 2,000 of each and also counts idempotence failures.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsclean
from newsclean.bench.pages import html_page, invented_words, text_page

EXAMPLES = int(os.environ.get("NEWSCLEAN_PROPERTY_EXAMPLES", "15"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def _clean_or_typed_error(page: str | bytes) -> newsclean.Document | None:
    try:
        return newsclean.process(page)
    except newsclean.NewscleanError:  # a typed error is a correct answer to bad input
        return None


@SETTINGS
@given(SEEDS)
def test_text_pages_never_raise_and_invent_no_words(seed: int) -> None:
    page = text_page(seed)
    doc = _clean_or_typed_error(page)
    if doc is not None:
        repairs = [r.after for r in doc.repairs]
        assert not invented_words(page, False, doc.text, repairs)


@SETTINGS
@given(SEEDS)
def test_html_pages_never_raise_and_invent_no_words(seed: int) -> None:
    page = html_page(seed)
    doc = _clean_or_typed_error(page)
    assert doc is not None
    assert not invented_words(page, True, doc.text, [r.after for r in doc.repairs])


@SETTINGS
@given(SEEDS, st.integers(min_value=0, max_value=10_000), st.binary(min_size=1, max_size=8))
def test_damaged_bytes_never_raise_untyped(seed: int, at: int, junk: bytes) -> None:
    page = (html_page(seed) if seed % 2 else text_page(seed)).encode("utf-8")
    at %= len(page) + 1
    _clean_or_typed_error(page[:at] + junk + page[at:])


def test_a_byline_with_a_control_character_is_dropped_on_the_first_pass() -> None:
    page = (
        "The council approved the new budget on Tuesday after a long debate.\n"
        "By John Smith \x10\n"
        "Members said the plan would fund schools and roads for the next five years."
    )
    once = newsclean.clean(page)
    assert "John Smith" not in once
    assert newsclean.clean(once) == once


def test_escaped_markup_in_text_is_not_turned_into_markup() -> None:
    page = (
        "&lt;p&gt;Members said &lt;b&gt;the plan&lt;/b&gt; would fund schools and roads.\n"
        "The council approved the new budget on Tuesday &amp; after a long debate."
    )
    once = newsclean.clean(page)
    assert "&lt;b&gt;the plan&lt;/b&gt;" in once and "Tuesday & after" in once
    assert newsclean.clean(once) == once
