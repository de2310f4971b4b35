"""The strip step on plain-text pages: what is dropped, why, and what is kept."""

from __future__ import annotations

import pytest

import newsclean
from newsclean import lexicons
from newsclean.cleaners import chrome
from newsclean.cleaners.region import find_title, shape

PROSE = [
    "The regional council voted on Tuesday to close the old harbour bridge for repairs after "
    "engineers found corrosion in several of its steel cables.",
    "Drivers will be sent along the coast road, which adds about twenty minutes to the trip "
    "between the two towns at the busiest times of the day.",
    "Local shop owners said they feared a long closure would keep visitors away during the "
    "summer, when most of their yearly income is made.",
    "The council said the work should take three months and that it would publish a "
    "detailed timetable for the diversions before the end of the week.",
]


def page(*lines: str) -> str:
    return "\n\n".join(lines)


def reasons(doc: newsclean.Document) -> dict[str, str]:
    return {d.text: d.reason for d in doc.drops}


def test_menu_lines_before_the_article_are_dropped_and_prose_kept() -> None:
    menu = "\n".join(["Home", "News", "Sport", "Weather", "Business", "Culture"])
    doc = newsclean.process(menu + "\n\n" + page(*PROSE))
    assert doc.text.split("\n\n")[-len(PROSE) :] == PROSE
    for item in ("Home", "Sport", "Weather"):
        assert item not in doc.text.split("\n\n")
    assert all(d.reason for d in doc.drops)


def test_headline_is_kept_once_at_the_top_and_copies_dropped() -> None:
    headline = "Harbour bridge to close for three months"
    text = page(f"{headline} | The Coast Gazette", "Home » News » Local", headline, *PROSE)
    doc = newsclean.process(text)
    assert doc.title == headline
    assert doc.text.split("\n\n")[0] == headline
    assert doc.text.count(headline) == 1
    why = reasons(doc)
    assert why[f"{headline} | The Coast Gazette"] == "repeated_title"
    assert why["Home » News » Local"] == "breadcrumb"


def test_keep_title_false_leaves_the_headline_in_metadata_only() -> None:
    headline = "Harbour bridge to close for three months"
    doc = newsclean.process(page(headline, "By Ann Lee", *PROSE), keep_title=False)
    assert doc.title == headline
    assert headline not in doc.text


def test_subheads_list_items_and_colon_lines_inside_the_article_survive() -> None:
    lines = [
        PROSE[0],
        PROSE[1],
        "What changes for drivers",
        "The diversion will work as follows:",
        "- lorries use the northern ring road;",
        "- buses keep their stops on the coast road;",
        PROSE[2],
        PROSE[3],
    ]
    assert newsclean.clean(page(*lines)) == page(*lines)


def test_cookie_newsletter_share_and_footer_lines_are_dropped_with_their_category() -> None:
    lines = [
        *PROSE,
        "Share on Facebook",
        "Sign up for our daily newsletter and get the news first.",
        "We use cookies to improve your experience. Accept all",
        "© 2025 The Coast Gazette. All rights reserved.",
    ]
    doc = newsclean.process(page(*lines))
    why = reasons(doc)
    assert why["Share on Facebook"] == "share"
    assert why["Sign up for our daily newsletter and get the news first."] == "newsletter"
    assert why["We use cookies to improve your experience. Accept all"] == "cookie"
    assert why["© 2025 The Coast Gazette. All rights reserved."] == "footer"
    assert doc.text == page(*PROSE)


def test_lexicons_cover_seven_languages() -> None:
    assert {"en", "fr", "de", "es", "it", "pt", "nl"} <= set(lexicons.available_languages())
    lexicon = lexicons.load()
    assert lexicon.block_category("Diese Website verwendet Cookies.") == "cookie"
    assert lexicon.block_category("Abonnez-vous") == "subscription"
    assert lexicon.block_category("Lee también: la sequía avanza") == "related"
    assert lexicon.block_category("Condividi su Facebook") == "share"
    assert lexicon.block_category("Deel dit artikel") == "share"
    assert lexicon.ending_category("Est-ce possible ? Découvrez-le ici.") == "promo"
    assert lexicon.block_category("The minister said the talks would resume.") is None


def test_caption_is_a_short_lower_case_line_between_paragraphs() -> None:
    lines = [PROSE[0], "harbour bridge", PROSE[1]]
    shapes = [shape(t) for t in lines]
    assert chrome.caption(lines, shapes, 1)
    assert not chrome.caption(["Harbour Bridge", *lines[2:]], shapes[1:], 0)


def test_teaser_run_closed_by_a_call_to_action_is_dropped_as_promo() -> None:
    lines = [
        PROSE[0],
        PROSE[1],
        "harbour bridge",
        "Why ferry fares are rising again",
        "Operators blame fuel costs and fewer crossings.",
        "Find out more here.",
        PROSE[2],
        PROSE[3],
    ]
    doc = newsclean.process(page(*lines))
    why = reasons(doc)
    for teaser in lines[3:6]:
        assert why[teaser] == "promo"
    assert why["harbour bridge"] == "caption"
    assert doc.text == page(*PROSE)


def test_inline_advert_label_between_sentences_is_cut_with_a_repair() -> None:
    text = "The bridge will close. Advertisement The council said it will reopen in June."
    assert (
        chrome.inline_advert(text)
        == "The bridge will close. The council said it will reopen in June."
    )
    assert chrome.inline_advert("Advertisement spending rose.") is None


def test_user_rules_drop_blocks_with_the_users_category() -> None:
    lines = [*PROSE, "Join the Gazette Club for members-only stories"]
    doc = newsclean.process(page(*lines), rules={"membership": ("gazette club",)})
    assert reasons(doc)["Join the Gazette Club for members-only stories"] == "membership"
    assert doc.text == page(*PROSE)


def test_clean_article_text_comes_back_unchanged() -> None:
    text = page(*PROSE)
    assert newsclean.clean(text) == text


def test_title_found_at_the_end_of_a_breadcrumb() -> None:
    lines = ["Home » World » Floods close the coast road", "Floods close the coast road", *PROSE]
    assert find_title(lines) == 1


def test_advert_label_inside_a_paragraph_is_removed_and_recorded() -> None:
    glued = (
        "The bridge will close for three months while the cables are replaced. Advertisement "
        "The council said the coast road would take the traffic in the meantime."
    )
    doc = newsclean.process(page(PROSE[0], glued, PROSE[1], PROSE[2]))
    assert "Advertisement" not in doc.text
    assert "replaced. The council said" in doc.text
    assert [r.reason for r in doc.repairs if r.cleaner == "strip"] == ["inline_advert"]


def test_a_quote_introduced_late_in_the_article_is_not_taken_for_comments() -> None:
    lines = [*PROSE, "Speaking on Tuesday, the council leader said:", "“We had no choice.”"]
    assert newsclean.clean(page(*lines)) == page(*lines)


def test_comment_section_after_the_article_is_dropped() -> None:
    lines = [
        *PROSE,
        "2 Comments",
        "Alex on September 17, 2018 at 6:34 am said:",
        "I drive that road every day and this will be a nightmare for everyone.",
    ]
    doc = newsclean.process(page(*lines))
    assert doc.text == page(*PROSE)
    assert {d.reason for d in doc.drops} == {"comments"}


def test_a_discussion_subhead_late_in_the_article_keeps_what_follows() -> None:
    lines = [*PROSE, "Discussion", PROSE[0].replace("Tuesday", "Wednesday")]
    assert newsclean.clean(page(*lines)) == page(*lines)


def test_html_table_rows_and_repeated_blocks_are_kept() -> None:
    """Inside the body an extractor chose, table rows and repeated blocks are content."""
    rows = "".join(
        f"<tr><td>Team {name}</td><td>{w}</td><td>{d}</td><td>{pts}</td></tr>"
        for name, w, d, pts in [("Alpha", 10, 2, 32), ("Beta", 9, 3, 30), ("Gamma", 7, 5, 26)]
    )
    refrain = "<p>Drink a glass of water before every meal, and another one after it.</p>"
    prose = (
        "<p>The league table after the tenth round shows a close race at the top, with three "
        "teams separated by six points and the title still wide open before the winter.</p>"
    )
    html = (
        "<html><head><title>League table</title></head><body><article><h1>League table</h1>"
        f"{prose}<table>{rows}</table>{prose.replace('league', 'cup')}{refrain}"
        "<p>Plan your week around three main meals and two small snacks for steady energy.</p>"
        f"{refrain}</article></body></html>"
    )
    doc = newsclean.process(html)
    kept = doc.text
    assert "Team Beta" in kept and "Team Gamma" in kept
    assert kept.count("Drink a glass of water") == 2


def test_words_are_the_same_runs_whichever_engine_finds_them() -> None:
    """Lines are split into words by the faster standard engine where it agrees with
    `regex`; a word count or a headline key must not depend on which one ran."""
    import re
    import sys

    import regex

    from newsclean.cleaners import region

    word = regex.compile(r"\w")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if region._OTHER_WORD_CLASS.match(char) is None:
            assert bool(word.match(char)) == bool(re.match(r"\w", char)), hex(code)
    for text in (
        "Ça coûte 5 € — «très» cher, dit-elle.",
        "Straße 2³ und ½ Liter",
        "naïve café\u0301 ﬁnal",
        "Москва́ и Αθήνα: 10 км",
        "東京で3日 — ok",
    ):
        assert region.words(text) == regex.findall(r"\w+", text)


def test_view_collapses_every_kind_of_whitespace_like_the_pattern() -> None:
    """The quick check before collapsing whitespace knows every character `regex` reads
    as whitespace, so a line is read the same on the next run whatever spaces it has."""
    import sys

    import regex

    from newsclean.cleaners import strip

    space = regex.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char != " ":
            assert (strip._OTHER_SPACE.match(char) is not None) == bool(space.match(char))
    assert strip._view("Ça\u00a0coûte  cher\u2009!\u200b ") == "Ça coûte cher !"
    assert strip._view("déjà vu") == "déjà vu"


def test_advert_label_is_cut_in_any_case_and_script_of_capitals() -> None:
    """The quick stem check before the advert pattern lets every spelling it matches
    through, capitals with a dot above (Turkish keyboards) included."""
    for label in ("ADVERTISEMENT", "Publicité", "PUBLİCİTÉ", "ANZEİGE", "Werbung"):
        text = f"The river rose overnight. {label} Residents were told to leave."
        assert chrome.inline_advert(text) == (
            "The river rose overnight. Residents were told to leave."
        )
    assert chrome.inline_advert("The advertising market grew. It rained.") is None


def test_lines_remembered_from_earlier_pages_never_change_a_result() -> None:
    """A batch remembers each line's facts across pages; a page cleaned after others of
    its site comes out exactly as when cleaned alone, report included."""
    chrome_lines = "\n".join(["Home", "World", "Sign up for our newsletter", "Share on Facebook"])
    first = chrome_lines + "\n\n" + page(*PROSE[:2]) + "\n\n© 2024 Harbour Daily"
    second = chrome_lines + "\n\n" + page(*PROSE[2:]) + "\n\n© 2024 Harbour Daily"
    alone = newsclean.default_pipeline().process(second)
    batch = newsclean.default_pipeline()
    batch.process(first)
    after = batch.process(second)
    assert after.text == alone.text
    assert [(d.text, d.reason) for d in after.drops] == [(d.text, d.reason) for d in alone.drops]
    batch.forget()
    assert batch.process(second).text == alone.text


def test_a_list_the_article_announces_with_a_colon_is_kept() -> None:
    """Short list items read like a menu by shape; after a colon line of the article they
    are the article going on, up to the chrome that follows them."""
    header = "\n".join(["Home", "News", "Sport", "Weather", "Business", "Culture"])
    items = [
        "Monday 3 June: Riverside Hall, doors open at seven",
        "Friday 7 June: the Old Mill Theatre, with two guests",
        "Sunday 9 June: Harbour Park open-air stage, free entry",
    ]
    after = [
        "Most read",
        "Ferry timetable changes for the summer season",
        "New cycle lanes open along the seafront",
        "School holidays: what is on for children this week",
        "Home",
        "Contact",
    ]
    text = "\n\n".join(
        [
            header,
            *PROSE[:3],
            "The band will play three concerts in town next month:\n" + "\n".join(items),
            "\n".join(after),
            "© 2024 Harbour Daily",
        ]
    )
    kept = newsclean.clean(text).split("\n\n")
    assert kept[-4:] == ["The band will play three concerts in town next month:", *items]


@pytest.mark.parametrize(
    ("line", "category"),
    [
        ("Image 2 of 5", "caption"),
        ("Photo 3/12", "caption"),
        ("Bild 2 von 7", "caption"),
        ("Foto 4 de 9", "caption"),
        (
            "An email with an activation link has just been sent to your email address. "
            "Please activate your subscription by clicking on the link.",
            "newsletter",
        ),
        ("Un e-mail de confirmation vient de vous être envoyé.", "newsletter"),
        ("https://static.example.com/image/5d1ce1ae-500-250/harbour-bridge.jpg", "caption"),
        ("IMG_2041.JPG", "caption"),
    ],
)
def test_gallery_counters_image_files_and_signup_confirmations_are_chrome(
    line: str, category: str
) -> None:
    doc = newsclean.process(page(*PROSE[:2], line, *PROSE[2:]))
    assert reasons(doc).get(line) == category
    assert doc.text == page(*PROSE)
