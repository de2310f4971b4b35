"""Markdown output never fails and never loses or invents a word of the text output."""

from __future__ import annotations

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import newsclean

_WORD = regex.compile(r"[^\W_]+")  # letters and digits: `_` is Markdown emphasis, left as is
_MD = MarkdownIt("commonmark").enable("table")
# Words and the characters that open Markdown structure, on lines in runs and alone.
MARKUP = st.text(alphabet="ab xyz#-*+>|1.)=_`~:\t", min_size=1, max_size=40)
LINE = st.one_of(
    MARKUP,
    st.sampled_from(
        [
            "The minister said the talks would resume next week in Geneva, after a pause.",
            "What changes for drivers",
            "- lorries use the northern ring road;",
            "1. first step",
            "Team | Played | Points",
            "> a quoted line",
            "# a hash line",
        ]
    ),
)
PAGES = st.lists(LINE, max_size=12).flatmap(
    lambda lines: st.sampled_from(["\n", "\n\n"]).map(lambda sep: sep.join(lines))
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAGES)
def test_markdown_keeps_every_word_of_the_text(page: str) -> None:
    doc = newsclean.process(page)
    rendered = _MD.render(doc.markdown)
    assert _words(doc.text) == _words(_strip_tags(rendered))


def _words(text: str) -> list[str]:
    """The words, less numbers (an ordered list's numbers become its structure)."""
    return sorted(w for w in _WORD.findall(text) if not w.isdigit())


def _strip_tags(html: str) -> str:
    text = regex.sub(r"<[^>]*>", " ", html)
    return text.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
