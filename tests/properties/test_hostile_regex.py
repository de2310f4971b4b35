"""Hostile input: long runs of separators, punctuation, mojibake and digits must clean in time.

A regular expression with nested or overlapping quantifiers takes seconds to minutes on such
strings, not milliseconds, so each input runs in a worker process with a generous wall-clock
guard (GUARD_S). Passing means every step finishes and returns text; it does not time anything
finely (speed is measured by the benchmarks).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import sys
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsclean

GUARD_S = 20.0
MAX_CHARS = 100_000


def _clean_in_worker(source: str | bytes) -> tuple[str, float]:
    """Runs in the worker: the output's type name and the seconds it took."""
    start = time.perf_counter()
    result = newsclean.clean(source)
    return type(result).__name__, time.perf_counter() - start


class Worker:
    """One worker process; replaced after a timeout so one hang does not fail every test."""

    def __init__(self) -> None:
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self.context = multiprocessing.get_context(method)
        self.pool = self._start()

    def _start(self) -> multiprocessing.pool.Pool:
        pool = self.context.Pool(1)
        pool.apply(_clean_in_worker, ("warm up",))  # load lexicons and models once
        return pool

    def check(self, source: str | bytes) -> None:
        """Fail when clean(source) raises, returns a non-str, or outlives GUARD_S."""
        job = self.pool.apply_async(_clean_in_worker, (source,))
        try:
            kind, _ = job.get(timeout=GUARD_S)
        except multiprocessing.TimeoutError:
            self.close()
            self.pool = self._start()
            pytest.fail(
                f"clean() did not finish within {GUARD_S:.0f} s (a non-linear regex, a hang or "
                f"a crashed worker) on input of length {len(source)} starting {source[:60]!r}"
            )
        assert kind == "str"

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    owned = Worker()
    yield owned
    owned.close()


def _repeat(unit: str, total: int = 50_000) -> str:
    return unit * max(1, total // len(unit))


HOSTILE: dict[str, str | bytes] = {
    "guillemet separators": _repeat(" » ", MAX_CHARS),
    "breadcrumb separators": _repeat("Home » ", MAX_CHARS),
    "angle and pipe separators": _repeat("a > b | c / ", MAX_CHARS),
    "separators without spaces": _repeat("»›>|/", MAX_CHARS),
    "punctuation run": _repeat("!?.…;:,", MAX_CHARS),
    "dots": "." * MAX_CHARS,
    "dashes and bullets": _repeat("– — • - ", MAX_CHARS),
    "single 50k-char word": "a" * 50_000,
    "single 50k-char line of words": _repeat("word "),
    "single capitalised 50k-char line": _repeat("Share This Story "),
    "repeated Ã": "Ã" * 50_000,
    "repeated mojibake é": _repeat("Ã©"),
    "repeated mojibake à with no-break space": _repeat("Ã\u00a0"),
    "mojibake quotes": _repeat("â€™â€œâ€"),
    "digit run": "7" * MAX_CHARS,
    "digits and separators": _repeat("12:34 ", MAX_CHARS),
    "date-like run": _repeat("01/02/2025 "),
    "timestamp words": _repeat("Publié à 6h38 mis à jour "),
    "updated then digits": "Updated " + _repeat(" 1", 60_000),
    "entity run": _repeat("&amp;", MAX_CHARS),
    "broken entity run": _repeat("&#"),
    "call to action with a long lead": _repeat("read more here ") + "»",
    "copyright run": _repeat("© 2024 ", MAX_CHARS),
    "whitespace mix": _repeat("\t \u00a0\u200b") + "x",
    "many short lines": _repeat("par\n"),
    "many blank lines": "\n" * MAX_CHARS + "text",
    "many lower-case caption lines": _repeat("xi putin\n\n"),
    "url path": "https://example.com/" + _repeat("a/", 60_000),
    "quote marks": _repeat("«»“”‘’\"'"),
    "sentences switching language": _repeat(
        "The minister said the talks would resume. Le ministre a dit que les discussions "
        "reprendraient. "
    ),
    "one-word sentences": _repeat("A. "),
    "guillemet sentences": _repeat("« Oui. » "),
    "capitalised words": _repeat("Paris "),
    "line-end hyphens": _repeat("exam-\nple "),
    "lone angle brackets": "<" * MAX_CHARS,
    "unclosed tags": _repeat("<a "),
    "meta tags without charset": _repeat("<meta "),
    "hex entity starts": _repeat("&#x"),
    "html separators": "<html><body><p>" + _repeat("a » ", 60_000) + "</p></body></html>",
    "html nested divs": "<html><body>" + "<div>" * 5_000 + "text" + "</div>" * 5_000,
    "html many paragraphs": "<html><body>" + _repeat("<p>Share</p>", 60_000) + "</body></html>",
    "bytes of lone lead bytes": b"\xc3" * MAX_CHARS,
    "bytes of latin-1 text": _repeat("café déjà vu ").encode("latin-1"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_completes(worker: Worker, name: str) -> None:
    worker.check(HOSTILE[name])


FRAGMENTS = st.sampled_from(
    [" » ", "›", " > ", " | ", "/", "Ã", "Ã©", "â€™", "©", "&amp;", "&#", "…", "!", "?", ".",
     "-", "–", ":", "1", "12", " ", "\u00a0", "\n", "\n\n", "h", "Publié à ", "Read more ",
     "par ", "x", "é"]
)  # fmt: skip
UNITS = st.lists(st.one_of(FRAGMENTS, st.text(min_size=1, max_size=4)), min_size=1, max_size=4)


@st.composite
def hostile_strings(draw: st.DrawFn) -> str:
    """A short random lead, one small unit repeated up to ~100k characters, a short tail."""
    unit = "".join(draw(UNITS))
    repeats = draw(st.integers(min_value=1_000, max_value=MAX_CHARS // len(unit)))
    lead = draw(st.text(max_size=20))
    tail = draw(st.text(max_size=20))
    return lead + unit * repeats + tail


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(page=hostile_strings())
def test_generated_hostile_input_completes(worker: Worker, page: str) -> None:
    worker.check(page)
