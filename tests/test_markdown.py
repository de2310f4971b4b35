"""Markdown output: structure kept from HTML, recognised in text, metadata as front matter."""

from __future__ import annotations

import gzip
import html
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

import newsclean
from conftest import shared_path
from newsclean.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
_MD = MarkdownIt("commonmark").enable("table")


def _tokens(markdown: str) -> list[Any]:
    return list(_MD.parse(markdown))


def _texts_after(tokens: list[Any], opener: str) -> list[str]:
    """The inline text right after each `opener` token (a heading's or an item's words)."""
    found = []
    for i, token in enumerate(tokens):
        if token.type == opener:
            inline = next(t for t in tokens[i:] if t.type == "inline")
            found.append(inline.content)
    return found


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.html")))
def test_corpus_html_renders_headings_lists_and_quotes(name: str) -> None:
    doc = newsclean.process((CORPUS / name).read_bytes())
    tokens = _tokens(doc.markdown)
    kept = doc.kept_blocks
    headings = _texts_after(tokens, "heading_open")
    assert headings[0] == doc.title  # the title opens the page as its level-1 heading
    assert tokens[0].tag == "h1"
    assert headings[1:] == [b.text for b in kept if b.kind == "heading"]
    assert [t.tag for t in tokens if t.type == "heading_open"][1:] == ["h2"] * (len(headings) - 1)
    items = _texts_after(tokens, "list_item_open")
    assert items == [b.text for b in kept if b.kind == "list_item"]
    quotes = sum(1 for t in tokens if t.type == "blockquote_open")
    assert quotes == sum(1 for b in kept if b.kind == "quote")
    # every kept paragraph is in the Markdown, word for word
    for block in kept:
        if block.kind == "paragraph":
            assert block.text in doc.markdown


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.html")))
def test_corpus_html_article_structure_is_the_markdown_structure(name: str) -> None:
    """The article's own h1, h2, list items and block quotes, read from the HTML source,
    are the Markdown's title, headings, list items and quotes."""
    import lxml.html

    tree = lxml.html.parse(str(CORPUS / name))

    def texts(xpath: str) -> list[str]:
        # unescaped once more: the corpus has double-escaped entities, which newsclean repairs
        return [html.unescape(" ".join(e.text_content().split())) for e in tree.xpath(xpath)]

    tokens = _tokens(newsclean.process((CORPUS / name).read_bytes()).markdown)
    tags = [
        (t.tag, next(x for x in tokens[i:] if x.type == "inline").content)
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]
    assert tags[0] == ("h1", texts("//article//h1")[0])
    assert [text for tag, text in tags if tag == "h2"] == texts("//article//h2")
    assert _texts_after(tokens, "list_item_open") == texts("//article//li")
    quotes = [t.content for t in tokens if t.type == "inline" and _in_quote(tokens, t)]
    assert quotes == texts("//article//blockquote")


def _in_quote(tokens: list[Any], token: Any) -> bool:
    depth = 0
    for t in tokens:
        if t is token:
            return depth > 0
        depth += {"blockquote_open": 1, "blockquote_close": -1}.get(t.type, 0)
    return False


def test_corpus_pages_have_structure() -> None:
    """The corpus HTML has headings, a list and a quote, so the test above tests something."""
    doc = newsclean.process((CORPUS / "015_en_rail.html").read_bytes())
    tokens = _tokens(doc.markdown)
    types = [t.type for t in tokens]
    assert types.count("heading_open") == 2
    assert types.count("bullet_list_open") == 1 and types.count("list_item_open") == 3
    assert types.count("blockquote_open") == 1


def test_scrapinghub_pages_keep_headings_and_lists() -> None:
    pages = sorted(shared_path("bench", "scrapinghub", "html").glob("*.html.gz"))[:20]
    assert len(pages) == 20
    seen = {"heading": 0, "list_item": 0, "table": 0}
    for page in pages:
        doc = newsclean.process(gzip.decompress(page.read_bytes()))
        tokens = _tokens(doc.markdown)
        kinds = [b.kind for b in doc.kept_blocks if b.text]
        types = [t.type for t in tokens]
        assert types.count("heading_open") == kinds.count("heading") + kinds.count("title")
        assert types.count("list_item_open") == kinds.count("list_item")
        assert types.count("tr_open") == kinds.count("table")
        for kind in seen:
            seen[kind] += kinds.count(kind)
    assert all(seen.values()), seen  # these pages have headings, lists and tables


def test_text_pages_get_lists_and_headings_where_the_shape_is_clear() -> None:
    doc = newsclean.process((CORPUS / "002_en_harbour_strike.txt").read_bytes())
    tokens = _tokens(doc.markdown)
    assert _texts_after(tokens, "heading_open")[1:] == ["What the workers want"]
    items = _texts_after(tokens, "list_item_open")
    assert len(items) == 3 and items[0].startswith("a written guarantee")
    doc = newsclean.process((CORPUS / "009_en_council_budget.txt").read_bytes())
    items = _texts_after(_tokens(doc.markdown), "list_item_open")
    assert items[0] == "$1.1 million for road resurfacing on Route 9 and Miller's Ferry Road"
    page = (
        "A long opening paragraph of the story, written in several words, ends here.\n\n"
        "1. first step of the plan\n2. second step of the plan\n\n"
        "- a dash that opens one line alone is not a list\n\n"
        "# 1 is not a heading here either, it is a line with a hash\n"
    )
    tokens = _tokens(newsclean.process(page).markdown)
    assert [t.type for t in tokens if t.type.endswith("list_open")] == ["ordered_list_open"]
    assert _texts_after(tokens, "list_item_open") == [
        "first step of the plan",
        "second step of the plan",
    ]


def test_text_that_looks_like_markup_stays_text() -> None:
    page = (
        "<html><body><article><p>The council approved the new budget on Tuesday.</p>"
        "<p># Hashtags and 1. numbers open these lines but they are plain sentences.</p>"
        "<p>- and a dash, then === and --- under it, which must not make a heading.</p>"
        "<p>=== still text</p></article></body></html>"
    )
    doc = newsclean.process(page)
    tokens = _tokens(doc.markdown)
    types = {t.type for t in tokens}
    assert "bullet_list_open" not in types and "ordered_list_open" not in types
    assert [t.tag for t in tokens if t.type == "heading_open"] in ([], ["h1"])
    rendered = _MD.render(doc.markdown)
    assert "# Hashtags and 1. numbers" in rendered


def test_html_tables_become_pipe_tables() -> None:
    page = (
        "<html><body><article><p>The results of the vote in each district were announced "
        "on Sunday evening by the electoral commission.</p><table>"
        "<tr><th>District</th><th>Yes</th><th>No</th></tr>"
        "<tr><td>North</td><td>61%</td><td>39%</td></tr>"
        "<tr><td>South</td><td>48%</td><td>52%</td></tr></table>"
        "<p>Turnout was the highest since the referendum of 1992, officials said.</p>"
        "</article></body></html>"
    )
    doc = newsclean.process(page)
    assert "| District | Yes | No |" in doc.markdown
    tokens = _tokens(doc.markdown)
    assert [t.type for t in tokens].count("tr_open") == 3
    assert _texts_after(tokens, "td_open")[:3] == ["North", "61%", "39%"]


def test_front_matter_holds_the_metadata() -> None:
    doc = newsclean.process((CORPUS / "015_en_rail.html").read_bytes(), url="http://ex.org/a")
    text = doc.to_markdown(with_metadata=True)
    assert text.startswith("---\n")
    header = yaml.safe_load(text.split("---\n")[1])
    assert header == {k: v for k, v in doc.metadata().items() if v not in (None, [], "")}
    assert header["url"] == "http://ex.org/a" and header["authors"] == ["Rosa Lindqvist"]
    # a value with quotes, colons and a newline cannot break the block
    from newsclean.markdown import front_matter

    tricky = {"title": 'He said: "no"\n--- and left', "authors": ["A: B"]}
    assert yaml.safe_load(front_matter(tricky).split("---\n")[1]) == tricky


def test_report_carries_sitename() -> None:
    page = (
        '<html><head><meta property="og:site_name" content="The Courier">'
        "<title>Budget passes</title></head><body><article>"
        "<p>The council approved the new budget on Tuesday after a long debate about taxes.</p>"
        "</article></body></html>"
    )
    doc = newsclean.process(page)
    assert doc.report()["sitename"] == "The Courier"
    assert doc.metadata()["sitename"] == "The Courier"


def test_cli_markdown_files_and_metadata_in_each_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = CORPUS / "015_en_rail.html"
    out = tmp_path / "out"
    assert main(["clean", str(page), "--format", "markdown", "-o", str(out), "-q"]) == 0
    written = (out / "015_en_rail.md").read_text("utf-8")
    assert written.startswith("# Night train") and "\n## Can it pay its way?\n" in written
    assert main(["clean", str(page), "--format", "markdown", "--with-metadata", "-q"]) == 0
    shown = capsys.readouterr().out
    assert yaml.safe_load(shown.split("---\n")[1])["authors"] == ["Rosa Lindqvist"]
    assert main(["clean", str(page), "--format", "jsonl", "--with-metadata", "-q"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["title"].startswith("Night train") and record["authors"] == ["Rosa Lindqvist"]
    assert "sitename" in record and record["lang"] == "en"
    assert record["newsclean"]["sitename"] is None
    assert main(["clean", str(page), "--with-metadata", "-q"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("---\ntitle: ") and "\nNight train" in text


def test_text_tables_and_quotes() -> None:
    page = (
        "A long opening paragraph of the story, written in several words, ends here.\n\n"
        "> A quote from someone important\n> on two lines\n\n"
        "| District | Yes |\n|---|---|\n| North | 61% |\n\n"
        "Home | News\n"
    )
    doc = newsclean.process(page)
    tokens = _tokens(doc.markdown)
    assert [t.type for t in tokens].count("blockquote_open") == 1
    assert "> on two lines" in doc.markdown and "> >" not in doc.markdown
    assert _texts_after(tokens, "th_open") == ["District", "Yes"]
    assert _texts_after(tokens, "td_open") == ["North", "61%"]
    # a lone line with a bar, away from the table, is text
    assert doc.markdown.endswith("\n\nHome | News")


def test_entity_like_text_stays_as_typed() -> None:
    from newsclean.document import Block
    from newsclean.markdown import to_markdown

    blocks = [
        Block("Write &copy; or &#169; for the sign, said AT&T."),
        Block("A &amp; B", "heading"),
    ]
    rendered = _MD.render(to_markdown(blocks, text_source=False))
    assert "Write &amp;copy; or &amp;#169; for the sign, said AT&amp;T." in rendered
    assert "<h2>A &amp;amp; B</h2>" in rendered  # shown as "A &amp; B", as in the text


def test_short_data_lines_are_not_headings() -> None:
    opening = "A long opening paragraph of the story, written in several words, ends here."
    body = "The next paragraph is long enough to be body text, with more than twelve words in it."
    for line in ("800-227-2345 or 800-282-4914", "1015 UK", "Ann Lee (Akron, OH) ann@example.org"):
        doc = newsclean.process(f"{opening}\n\n{line}\n\n{body}\n")
        assert "## " not in doc.markdown, line
    doc = newsclean.process(f"{opening}\n\nResults and discussion\n\n{body}\n")
    assert "\n## Results and discussion\n" in doc.markdown
