"""The HTML mode's fast paths answer exactly what their plain specifications answer.

Each fast path (a remembered or table-driven lookup, a substring search in place of a
pattern's scan) is checked against the straightforward code it replaces, written here
as the specification, on generated strings and on the shapes real pages hold.
"""

from __future__ import annotations

import re

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean.blocks import dom
from newsclean.cleaners import read

_NAME_SPLIT = regex.compile(r"[^a-z0-9]+")
_LONG_MARKERS = tuple((t, b) for t, b in dom._MARKER_BIT.items() if len(t) >= 5)


def _marker_bits_spec(names: str) -> int:
    """Every token: a whole marker, else (six letters or more) each long marker it starts
    or ends with."""
    bits = 0
    for token in _NAME_SPLIT.split(names.lower()):
        if not token:
            continue
        bit = dom._MARKER_BIT.get(token)
        if bit is not None:
            bits |= bit
        elif len(token) >= 6:
            for marker, mbit in _LONG_MARKERS:
                if token.startswith(marker) or token.endswith(marker):
                    bits |= mbit
    return bits


_MARKER_WORDS = sorted({t for _, tokens in dom.MARKERS for t in tokens})
_PIECES = st.sampled_from([*_MARKER_WORDS, "x", "wrap", "-", "_", " ", "2", "É", "İ"])
_NAMES = st.lists(_PIECES, max_size=12).map("".join) | st.text(max_size=40)


@settings(max_examples=400, deadline=None)
@given(_NAMES)
def test_marker_bits_match_their_specification(names: str) -> None:
    assert dom._marker_bits(names) == _marker_bits_spec(names)


def test_marker_bits_of_real_class_names() -> None:
    for names in (
        "site-header__navigation",
        "articleBody story-content",
        "advertisement-slot dfp",
        "sidebar-widget col-md-4",
        "newsletter-signup-footer",
        "socialshare",
        "breadcrumbs",
        "relatedposts-list",
        "",
    ):
        assert dom._marker_bits(names) == _marker_bits_spec(names), names


@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=30))
def test_attributes_looked_up_apart_name_what_they_name_together(
    names: str, ident: str, role: str
) -> None:
    joined = " ".join(v for v in (names, ident, role) if v)
    expected = _marker_bits_spec(joined) if joined else 0
    assert dom._own_markers(names or None, ident or None, role or None) == expected


_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]+")
_TEXTS = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()),
    max_size=60,
)


@settings(max_examples=400)
@given(_TEXTS)
def test_character_checks_match_their_patterns(text: str) -> None:
    assert read._has_surrogate(text) == (_SURROGATE.search(text) is not None)
    assert read._has_html_control(text) == (_CONTROLS.search(text) is not None)


def test_character_checks_on_edges() -> None:
    assert read._has_surrogate("abc\udc80")
    assert read._has_surrogate("é\ud800")
    assert not read._has_surrogate("é😀")
    assert read._has_html_control("<p>a\x0bb</p>")
    assert read._has_html_control("\x7f")
    assert not read._has_html_control("a\tb\nc\rd\x00e\x80")


def test_dom_spaces_are_the_regex_modules_white_space() -> None:
    every = "x".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert dom._SPACES.sub(" ", every) == regex.sub(r"\s+", " ", every)


def test_only_short_names_are_remembered() -> None:
    long_names = "sidebar-widget " * 1000 + "navigation"
    before = dom._remembered_marker_bits.cache_info().currsize
    assert dom._marker_bits(long_names) == _marker_bits_spec(long_names)
    assert dom._class_facts(long_names + " tooltip") == (True, "tooltip")
    assert dom._remembered_marker_bits.cache_info().currsize == before


def test_remembered_block_categories_are_the_computed_ones() -> None:
    from newsclean.blocks import naming

    for text in (
        "Share on Facebook",
        "Home > World > Europe",
        "IMG_2041.jpg",
        "Accept all cookies",
        "The council approved the budget on Tuesday after a long debate.",
        "word " * 100,
    ):
        assert naming.text_category(text) == naming._text_category(text)
        assert naming.text_category(text) == naming._text_category(text)  # remembered


def test_the_pipeline_forgets_what_html_extraction_remembers() -> None:
    import newsclean
    from newsclean.blocks import naming

    pipeline = newsclean.default_pipeline()
    page = (
        '<html><body><nav class="site-nav">Home News</nav><article class="story">'
        "<p>The council approved the new budget on Tuesday after a long debate.</p>"
        "</article></body></html>"
    )
    first = pipeline.clean(page)
    assert dom._remembered_marker_bits.cache_info().currsize > 0
    pipeline.forget()
    assert dom._remembered_marker_bits.cache_info().currsize == 0
    assert dom._remembered_class_facts.cache_info().currsize == 0
    assert naming._remembered_category.cache_info().currsize == 0
    assert pipeline.clean(page) == first


def _dom_category_spec(block: dom.DomBlock) -> str | None:
    """Caption tags; then the block's own and its parent's names; then its landmarks;
    then every ancestor's names; each list in its order of precedence."""
    from newsclean.blocks import naming

    if block.tag in ("figcaption", "caption"):
        return "caption"
    for marker, category in naming._MARKER_CATEGORIES:
        if block.local_markers & naming._MARKER_BIT[marker]:
            return category
    for landmark, category in naming._LANDMARK_CATEGORIES:
        if block.landmarks & naming._LANDMARK_BIT[landmark]:
            return category
    for marker, category in naming._MARKER_CATEGORIES:
        if block.markers & naming._MARKER_BIT[marker]:
            return category
    return None


_MARKER_BITS = st.integers(min_value=0, max_value=(1 << len(dom.MARKER_NAMES)) - 1)
_LANDMARK_BITS = st.integers(min_value=0, max_value=(1 << len(dom.LANDMARKS)) - 1)


@settings(max_examples=500)
@given(
    st.sampled_from(["p", "div", "li", "figcaption", "caption", "td"]),
    _LANDMARK_BITS,
    _MARKER_BITS,
    _MARKER_BITS,
)
def test_dom_category_follows_its_precedence(
    tag: str, landmarks: int, markers: int, local: int
) -> None:
    from newsclean.blocks import naming

    block = dom.DomBlock("text", "paragraph", tag, 0, landmarks, markers, local, 1, 0, 0, 0)
    assert naming.dom_category(block) == _dom_category_spec(block)


def test_a_surrogate_is_found_in_any_slice_of_a_long_text() -> None:
    text = "é" * (3 * read._ENCODE_SLICE)
    assert not read._has_surrogate(text)
    for at in (0, read._ENCODE_SLICE - 1, read._ENCODE_SLICE, len(text) - 1):
        assert read._has_surrogate(text[:at] + "\udc00" + text[at + 1 :])


def test_the_extract_memo_remembers_only_short_texts() -> None:
    from newsclean.blocks.features import own_matrix
    from newsclean.cleaners.html import short_text_memo

    memo = short_text_memo()
    short = "Share on Facebook"
    long_text = "The council approved the new budget on Tuesday. " * 10
    texts = [short, long_text]
    assert own_matrix(texts, memo).tolist() == own_matrix(texts).tolist()
    assert list(memo.known) == [short]


def test_html_pages_clean_the_same_with_features_remembered() -> None:
    import newsclean

    pages = [
        "<html><body><nav>Home | World | Sport</nav><article>"
        f"<h1>Story {n}</h1><p>The council approved budget number {n} on Tuesday after "
        "a long debate about taxes and schools in the city.</p></article>"
        "<footer>Share on Facebook</footer></body></html>"
        for n in range(3)
    ]
    remembering = newsclean.default_pipeline()
    for page in pages:
        fresh = newsclean.default_pipeline()
        assert remembering.process(page).text == fresh.process(page).text
    extract = next(s for s in remembering.steps if s.name == "extract")
    assert extract._memo is not None and extract._memo.known
    remembering.forget()
    assert not extract._memo.known


def _is_headline_spec(text: str, headlines: list[str]) -> bool:
    words = regex.findall(r"\w+", text.casefold())
    if not words:
        return False
    for headline in headlines:
        known = regex.findall(r"\w+", headline.casefold())
        if not known:
            continue
        shared = len(set(words) & set(known))
        if shared >= 0.8 * len(set(words)) and shared >= 0.5 * len(set(known)):
            return True
    return False


_WORDS = st.lists(st.sampled_from(["Rail", "strike", "ends", "News", "|", "-", "Ünïon", ""]))


@settings(max_examples=300)
@given(_WORDS.map(" ".join), st.lists(_WORDS.map(" ".join), max_size=4))
def test_headline_match_follows_its_specification(text: str, headlines: list[str]) -> None:
    from newsclean.cleaners.html import is_headline

    assert is_headline(text, headlines) == _is_headline_spec(text, headlines)
