"""The two example pages of ../shared/seeds: what a reader must get back from each."""

from __future__ import annotations

import regex

import newsclean

_BLANK = regex.compile(r"\n\s*\n")


def paragraphs(page: str) -> list[str]:
    return [p.strip() for p in _BLANK.split(page) if p.strip()]


def lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


# Seed 000: the article paragraphs are the page's prose lines of 8 words or more, minus the
# three lines of the inline promo teaser and the cookie banner (checked by name below).
TEASER_START = "La retraite russe laisse"
TEASER_END = "Découvrez-le ICI."


def seed_000_parts(page: str) -> dict[str, list[str] | str]:
    parts = paragraphs(page)
    start = next(i for i, p in enumerate(parts) if p.startswith(TEASER_START))
    end = next(i for i, p in enumerate(parts) if p.endswith(TEASER_END))
    teaser = parts[start : end + 1]
    cookie = parts[-1]
    title = parts[1]
    article = [
        p
        for i, p in enumerate(parts)
        if i > 1 and len(p.split()) >= 8 and p not in teaser and p != cookie
    ]
    return {"title": title, "teaser": teaser, "cookie": cookie, "article": article}


def kept_source_lines(page: str, doc: newsclean.Document) -> list[str]:
    """The page's own lines whose blocks were kept (later steps may repair words in them)."""
    source = lines(page)
    assert len(source) == len(doc.blocks)
    return [line for line, block in zip(source, doc.blocks, strict=True) if block.kept]


def test_seed_000_keeps_every_article_paragraph_in_order(seed_000: str) -> None:
    parts = seed_000_parts(seed_000)
    doc = newsclean.process(seed_000)
    article = parts["article"]
    assert isinstance(article, list) and len(article) == 19
    kept = [p for p in kept_source_lines(seed_000, doc) if p in article]
    assert kept == article
    assert len(paragraphs(doc.text)) == len(article) + 1  # the article and its title


def test_seed_000_title_once_in_text_and_in_title(seed_000: str) -> None:
    title = seed_000_parts(seed_000)["title"]
    assert isinstance(title, str)
    doc = newsclean.process(seed_000)
    assert doc.title == title
    assert doc.text.count(title) == 1
    assert paragraphs(doc.text)[0] == title


def test_seed_000_drops_chrome_each_with_its_category(seed_000: str) -> None:
    parts = seed_000_parts(seed_000)
    doc = newsclean.process(seed_000)
    out = paragraphs(doc.text)
    reasons = {d.text: d.reason for d in doc.drops}
    assert all(d.reason and d.cleaner for d in doc.drops)
    breadcrumb = lines(seed_000)[0]
    assert breadcrumb not in out and reasons[breadcrumb] == "breadcrumb"
    assert "par" not in out and reasons["par"] == "byline"
    for caption in ("xi putin", "pla", "xi chine", "lavrov putin"):
        assert caption not in out
        assert reasons[caption] == "caption"
    teaser = parts["teaser"]
    assert isinstance(teaser, list) and len(teaser) == 3
    for line in teaser:
        assert line not in out
        assert reasons[line] == "promo"
    assert "Related Articles" not in out and reasons["Related Articles"] == "related"
    cookie = parts["cookie"]
    assert isinstance(cookie, str) and cookie not in out and reasons[cookie] == "cookie"


def test_seed_001_drops_the_timestamp_and_keeps_every_sentence(seed_001: str) -> None:
    doc = newsclean.process(seed_001)
    reasons = {d.text: d.reason for d in doc.drops}
    assert reasons.get("Publié à 6h38") == "timestamp"
    assert "Publié à 6h38" not in doc.text
    article = [line for line in lines(seed_001) if line != "Publié à 6h38"]
    dropped = {d.text for d in doc.drops}
    assert not [line for line in article if line in dropped]
    assert kept_source_lines(seed_001, doc) == article
