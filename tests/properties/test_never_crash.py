"""Properties every input must satisfy: no crash, idempotent, no invented words."""

from __future__ import annotations

import contextlib

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsclean

_WORD = regex.compile(r"\w+")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINES = st.lists(
    st.one_of(
        st.text(min_size=0, max_size=120),
        st.sampled_from(
            [
                "Home » News » World",
                "par",
                "Share on Facebook",
                "Related Articles",
                "This website uses cookies to improve your experience. Accept Read More",
                "The minister said the talks would resume next week in Geneva.",
                "Publié à 6h38",
                "xi putin",
                "© 2024 Example Media. All rights reserved.",
            ]
        ),
    ),
    max_size=12,
).map("\n".join)
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
