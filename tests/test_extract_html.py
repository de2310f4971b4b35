"""HTML in: the article's blocks and metadata come out; bad pages never hang or crash."""

from __future__ import annotations

import time
from typing import Any

import pytest

import newsclean
from newsclean.blocks import dom
from newsclean.cleaners import html as html_step
from newsclean.document import Block

PARAGRAPHS = [
    "The city council voted on Tuesday to expand the tram network by twelve kilometres, "
    "a project that has been debated for more than a decade.",
    "Supporters said the new lines would cut commuting times for tens of thousands of "
    "residents in the eastern districts, where buses are often full by seven o'clock.",
    "Opponents argued that the budget, estimated at four hundred million euros, would "
    "be better spent on repairing the existing roads and bridges across the region.",
    "Construction is expected to begin next spring and to last about three years, "
    "according to the transport department, which will publish a detailed timetable.",
]
TITLE = "Council approves tram extension after decade of debate"


def article_page(extra_body: str = "", after: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head>
<meta charset="utf-8">
<title>{TITLE} | The Daily Example</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:site_name" content="The Daily Example">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://news.example.org/tram-extension">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article>
<h1>{TITLE}</h1>
{paragraphs}
<h2>What happens next</h2>
<ul><li>Public consultation on the route in April and May</li>
<li>Final vote on the budget in the autumn session</li></ul>
<blockquote><p>This is the most important transport decision of a generation.</p></blockquote>
{extra_body}
</article>
{after}
<footer><p>Copyright 2024 The Daily Example. All rights reserved.</p></footer>
</body></html>"""


def test_article_blocks_and_kinds() -> None:
    doc = newsclean.process(article_page())
    assert doc.meta.source_format == "html"
    for paragraph in PARAGRAPHS:
        assert paragraph in doc.text
    kinds = {b.text: b.kind for b in doc.kept_blocks}
    assert kinds["What happens next"] == "heading"
    assert kinds["Public consultation on the route in April and May"] == "list_item"
    assert "Home" not in doc.text
    assert "All rights reserved" not in doc.text


def test_metadata_from_the_page() -> None:
    doc = newsclean.process(article_page())
    assert doc.title == TITLE
    assert doc.meta.authors == ["Jane Doe"]
    assert doc.meta.date == "2024-03-05"
    assert doc.meta.sitename == "The Daily Example"
    assert doc.meta.url == "https://news.example.org/tram-extension"
    assert doc.lang == "en"


def test_given_url_wins_over_the_page() -> None:
    doc = newsclean.process(article_page(), url="https://mirror.example.com/a")
    assert doc.meta.url == "https://mirror.example.com/a"


def test_headline_opens_the_text_once_by_default() -> None:
    doc = newsclean.process(article_page())
    assert doc.text.startswith(TITLE)
    assert doc.text.count(TITLE) == 1


def test_without_keep_title_the_headline_is_only_metadata() -> None:
    doc = newsclean.default_pipeline(keep_title=False).process(article_page())
    assert TITLE not in doc.text
    assert doc.title == TITLE
    assert any(d.reason == "title" for d in doc.drops)


def test_bytes_input_is_decoded_and_extracted() -> None:
    data = article_page().replace('charset="utf-8"', 'charset="windows-1252"')
    data = data.replace("euros", "€ (euros)")
    doc = newsclean.process(data.encode("cp1252"))
    assert "four hundred million € (euros)" in doc.text


def test_closing_run_of_linked_headlines_is_dropped() -> None:
    related = "".join(
        f'<p><a href="/story/{i}">Another story about something else number {i}</a></p>'
        for i in range(4)
    )
    doc = newsclean.process(article_page(extra_body=related))
    assert "Another story" not in doc.text
    assert PARAGRAPHS[-1] in doc.text


def test_link_teaser_inside_the_article_is_dropped() -> None:
    teaser = '<p>Read more: <a href="/other">Mayor unveils plan for cycle lanes</a></p>'
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])
    page = article_page().replace(paragraphs, paragraphs + teaser)
    doc = newsclean.process(page)
    assert "cycle lanes" not in doc.text
    assert PARAGRAPHS[2] in doc.text


def test_link_inside_a_sentence_stays() -> None:
    linked = PARAGRAPHS[1].replace("eastern districts", '<a href="/east">eastern districts</a>')
    doc = newsclean.process(article_page().replace(PARAGRAPHS[1], linked))
    assert PARAGRAPHS[1] in doc.text


def test_hover_card_markup_is_removed() -> None:
    card = (
        '<span class="rollover-people"><a href="/p/1">Anna Smith</a>'
        '<span class="rollover-people-block">Anna Smith Latest: Ten stories by Anna</span></span>'
    )
    sentence = PARAGRAPHS[0].replace("The city council", f"The council led by {card}")
    doc = newsclean.process(article_page().replace(PARAGRAPHS[0], sentence))
    assert "The council led by Anna Smith voted" in doc.text
    assert "Ten stories" not in doc.text


def test_article_split_across_sibling_containers_is_rejoined() -> None:
    chunks = "".join(
        f'<div class="body-chunk"><p>{p}</p></div><div class="ad-slot">Advertisement</div>'
        for p in PARAGRAPHS
    )
    page = article_page().replace("".join(f"<p>{p}</p>" for p in PARAGRAPHS), chunks)
    doc = newsclean.process(page)
    for paragraph in PARAGRAPHS:
        assert paragraph in doc.text
    assert "Advertisement" not in doc.text


# -- bad pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "<html></html>",
        "<html><head><title>Only a title</title></head><body></body></html>",
        "<!DOCTYPE html><html><body><div><span></span></div></body></html>",
        "<html><body>" + "<p>" * 50 + "</body>",
        "<html><body><p>Broken <b>markup <i>everywhere</b> and </p></i></div></span>",
        "<?xml version='1.0'?><html><body><p>XML declared page</p></body></html>",
    ],
)
def test_empty_or_broken_pages_give_a_result(page: str) -> None:
    doc = newsclean.process(page)
    assert isinstance(doc.text, str)


def test_truncated_page_keeps_what_arrived() -> None:
    page = article_page()
    cut = page[: page.index(PARAGRAPHS[3]) + 40]
    doc = newsclean.process(cut)
    for paragraph in PARAGRAPHS[:3]:
        assert paragraph in doc.text


def test_deeply_nested_page_is_fast_and_keeps_its_text() -> None:
    depth = 100_000
    page = (
        "<html><body>"
        + "<div>" * depth
        + f"<p>{PARAGRAPHS[0]}</p>"
        + "</div>" * depth
        + "</body></html>"
    )
    start = time.monotonic()
    doc = newsclean.default_pipeline().without("language").process(page)
    assert time.monotonic() - start < 30
    assert PARAGRAPHS[0] in doc.text
    assert doc.scores.get("html_fallback") == 1.0


def test_page_too_big_for_the_extractor_falls_back_to_paragraphs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(html_step, "MAX_ELEMENTS", 20)
    doc = newsclean.process(article_page())
    assert doc.scores.get("html_fallback") == 1.0
    for paragraph in PARAGRAPHS:
        assert paragraph in doc.text


def test_extraction_over_its_time_budget_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: Any, **kwargs: Any) -> list[Block]:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pass
        return []

    monkeypatch.setattr(html_step, "model_blocks", slow)
    start = time.monotonic()
    doc = newsclean.default_pipeline(html_timeout_s=0.5).process(article_page())
    assert time.monotonic() - start < 10
    assert doc.scores.get("html_fallback") == 1.0
    assert PARAGRAPHS[0] in doc.text


def test_garbage_that_looks_like_markup_does_not_crash() -> None:
    junk = "<div>" + "".join(chr(c) for c in range(1, 0x3000, 7)) * 5 + "</div><p>end</p>"
    doc = newsclean.process(junk)
    assert isinstance(doc.text, str)


def test_visible_text_fallback_skips_scripts() -> None:
    blocks = html_step.visible_text_blocks(
        "<div><script>var x = '<p>no</p>';</script><p>Shown text</p><style>p{}</style></div>"
    )
    assert [b.text for b in blocks] == ["Shown text"]


def test_captions_are_dropped() -> None:
    figure = (
        '<figure><img src="/t.jpg" alt="The new tram line crossing the river at dusk">'
        "<figcaption>Photo: Jean Martin for the city archive</figcaption></figure>"
        "<p>The new tram line crossing the river at dusk</p>"
    )
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])
    doc = newsclean.process(article_page().replace(paragraphs, paragraphs + figure))
    assert "city archive" not in doc.text
    assert "crossing the river" not in doc.text
    assert PARAGRAPHS[2] in doc.text


def test_furniture_named_by_id_or_hidden_inline_is_removed() -> None:
    kept = (
        "Engineers will also test a battery tram on the northern branch before the "
        "network opens to passengers in the second half of the decade."
    )
    extra = (
        '<div id="Newsletter_Box"><p>Sign up to our morning briefing and get the city '
        "news in your inbox every single day of the week.</p></div>"
        f'<div class="shadow-box" id="main-text"><p>{kept}</p></div>'
        '<p style="color: red; DISPLAY : none">Take our short reader survey about the '
        "new tram lines and win a ticket for a whole year.</p>"
    )
    doc = newsclean.process(article_page(extra_body=extra))
    assert kept in doc.text
    assert "morning briefing" not in doc.text
    assert "reader survey" not in doc.text


def test_scripts_and_styles_go_but_the_text_after_them_and_json_ld_stay() -> None:
    page = (
        "<html><head><style>p { color: red }</style>"
        '<script type="application/ld+json">{"@type": "NewsArticle"}</script></head>'
        "<body><p>The council <script>track('vote');</script>voted on Tuesday.</p>"
        "<p>Work starts in spring.</p><script>loadAds();</script>Closing words.</body></html>"
    )
    blocks, _ = dom.segment(html_step.parse(page))
    assert [b.text for b in blocks] == [
        "The council voted on Tuesday.",
        "Work starts in spring.",
        "Closing words.",
    ]


def test_inline_script_inside_a_paragraph_does_not_reach_the_text() -> None:
    sentence = PARAGRAPHS[0].replace("to expand", "<script>track('tram');</script>to expand")
    doc = newsclean.process(article_page().replace(PARAGRAPHS[0], sentence))
    assert PARAGRAPHS[0] in doc.text
    assert "track(" not in doc.text
