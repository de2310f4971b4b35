"""Properties every input must satisfy: no crash, idempotent, no invented words."""

from __future__ import annotations

import contextlib

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsclean
from newsclean.bench import pages

_WORD = regex.compile(r"\w+")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Page-like inputs: article sentences, chrome lines of the kinds the strip step drops (in
# several languages), short labels and arbitrary text, on lines separated by one or two
# line breaks, as scraped page text arrives.
PROSE = st.sampled_from(pages.PROSE)
CHROME = st.sampled_from([*pages.CHROME, "par", "xi putin", "Find out more here."])
LINES = st.lists(
    st.one_of(st.text(min_size=0, max_size=120), PROSE, CHROME),
    max_size=16,
).flatmap(lambda lines: st.sampled_from(["\n", "\n\n"]).map(lambda sep: sep.join(lines)))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.text(max_size=2000))
def test_never_raises_on_any_str(text: str) -> None:
    newsclean.process(text)


@SETTINGS
@given(st.binary(max_size=2000))
def test_never_raises_on_any_bytes(data: bytes) -> None:
    with contextlib.suppress(newsclean.DecodeError):
        newsclean.process(data)


@SETTINGS
@given(LINES)
def test_idempotent_on_text(page: str) -> None:
    once = newsclean.clean(page)
    assert newsclean.clean(once) == once


@SETTINGS
@given(LINES)
def test_never_invents_words(page: str) -> None:
    doc = newsclean.process(page)
    # NUL and other control characters are not text: reading drops them, which may join
    # the characters on either side; that is not inventing a word.
    allowed = set(_WORD.findall(page.casefold())) | set(
        _WORD.findall(_CONTROL.sub("", page).casefold())
    )
    for repair in doc.repairs:
        allowed |= set(_WORD.findall(repair.after.casefold()))
    assert set(_WORD.findall(doc.text.casefold())) <= allowed
