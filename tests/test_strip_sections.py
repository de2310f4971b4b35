"""The article under its headline against longer chrome: comment threads, story cards,
teasers above the headline, pages repeated in their markup, and other languages' chrome."""

from __future__ import annotations

import newsclean
from newsclean import lexicons

HEADLINE = "Harbour bridge to close for three months"
ARTICLE = [
    "The regional council voted on Tuesday to close the old harbour bridge for repairs after "
    "engineers found corrosion in several of its steel cables.",
    "Drivers will be sent along the coast road, which adds about twenty minutes to the trip.",
]
MENU = ["Home", "News", "Sport", "Weather", "Business", "Culture"]


def page(*lines: str) -> str:
    return "\n\n".join(lines)


def kept(doc: newsclean.Document) -> list[str]:
    return doc.text.split("\n\n")


def test_a_long_comment_thread_does_not_push_out_a_short_article() -> None:
    thread: list[str] = []
    places = ["the school", "the market", "my office", "the hospital"]
    for n, name in enumerate(["Ann Lee", "Bo Chen", "Cy Diaz", "Di Evans"]):
        thread.append(f"{name} on May {n + 2}, 2024 at 4:{10 + n} pm said:")
        thread.append(
            f"I drive across that bridge every single morning to {places[n]} and the diversion "
            "along the coast road will cost me far more time than the council seems to think."
        )
        thread.append(
            f"Has anyone asked the ferry company whether they could add {n + 2} more crossings "
            "in the mornings while the repairs are going on this summer?"
        )
    text = page(f"{HEADLINE} | The Harbour Times", *MENU, HEADLINE, *ARTICLE, "Comments", *thread)
    doc = newsclean.process(text)
    assert kept(doc) == [HEADLINE, *ARTICLE]
    assert {d.reason for d in doc.drops if "ferry" in d.text} == {"comments"}


def test_story_cards_after_a_related_heading_are_not_taken_for_the_article() -> None:
    buttons = "Whatsapp Facebook Pin Download"
    cards: list[str] = []
    for topic in ("harbour festival", "new ferry timetable", "coast road works", "fish market"):
        cards += [
            buttons,
            f"Everything you need to know about the {topic}, from the opening times to the "
            f"best places to park, the prices and what the locals think of it this year.",
        ]
    text = page(f"{HEADLINE} | The Harbour Times", *MENU, HEADLINE, *ARTICLE, "You may also like")
    doc = newsclean.process(text + "\n\n" + page(*cards))
    assert kept(doc) == [HEADLINE, *ARTICLE]


def test_teasers_above_a_repeated_headline_are_dropped() -> None:
    teasers = [
        "Police Close Main Street After Crash A lorry overturned on Main Street on Monday, "
        "spilling its load of timber across both lanes of traffic for several hours.",
        "School Wins National Science Prize Pupils from the harbour school won the national "
        "science prize with a project on cleaning plastic from the bay.",
    ]
    text = page(f"{HEADLINE} - The Harbour Times", *MENU, "Latest Headlines", *teasers)
    doc = newsclean.process(text + "\n\n" + page(HEADLINE, "May 2, 2024", *ARTICLE))
    assert kept(doc) == [HEADLINE, *ARTICLE]
    assert not any("Police" in block for block in kept(doc))


def test_a_long_paragraph_printed_twice_is_kept_once() -> None:
    paragraph = " ".join([ARTICLE[0]] * 5)
    doc = newsclean.process(page(HEADLINE, paragraph, ARTICLE[1], paragraph))
    assert kept(doc).count(paragraph) == 1
    assert "repeated" in {d.reason for d in doc.drops}


def test_lexicons_name_chrome_in_russian_japanese_and_chinese() -> None:
    lexicon = lexicons.load()
    assert {"ru", "ja", "zh"} <= set(lexicon.languages)
    assert lexicon.block_category("Вам также может быть интересно") == "related"
    assert lexicon.block_category("Добавить комментарий Отменить ответ") == "comments"
    assert lexicon.block_category("関連記事") == "related"
    assert lexicon.block_category("プライバシーポリシー") == "footer"
    assert lexicon.block_category("相关文章") == "related"


def test_browser_notices_and_reprint_lines_are_chrome() -> None:
    lexicon = lexicons.load()
    notice = "We've detected you are on Internet Explorer. Please update to a modern browser."
    assert lexicon.block_category(notice) == "notice"
    assert lexicon.block_category("Order Reprints") == "footer"
    assert lexicon.block_category("Write to Al Root at al.root@example.com") == "byline"
