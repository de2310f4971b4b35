"""The repair step: what a user sees when damaged text goes in."""

from __future__ import annotations

import pytest

import newsclean
from conftest import shared_path
from newsclean.cleaners.encoding import (
    blocks_look_damaged,
    looks_damaged,
    lossy_count,
    repair_document,
)
from newsclean.cleaners.repair import RepairText
from newsclean.document import Block, Document
from newsclean.pipeline import Options

FRENCH = "L’été dernier, à Besançon, « les élèves » ont visité le musée – c’était génial."
POLISH = "Zażółć gęślą jaźń: źródło łąki i żółw przez cały dzień."
RUSSIAN = "«Москва» — столица России, сказал он."
KOREAN = "주말 밤 9시 MBC는 이유리 주연의 드라마를 방송한다."
ENGLISH = "“It’s done,” she said — and then left…"
LONG = " ".join(["The committee met on Tuesday to discuss the proposal in detail."] * 6)


def broken(text: str, codepage: str) -> str:
    """`text` as UTF-8 bytes decoded with `codepage` (mojibake)."""
    import ftfy.bad_codecs  # noqa: F401

    return text.encode("utf-8").decode(codepage)


def repaired(text: str) -> str:
    return repair_document(text)[0]


@pytest.mark.parametrize("clean", [FRENCH, POLISH, RUSSIAN, KOREAN, ENGLISH, LONG + " Café"])
def test_clean_text_is_left_alone(clean: str) -> None:
    assert repair_document(clean) == (clean, [])


def test_clean_english_takes_the_fast_path() -> None:
    assert not looks_damaged(ENGLISH)
    assert looks_damaged("Itâ€™s")


@pytest.mark.parametrize(
    "damaged", ["Itâ€™s", "Ã nos", "prix Â 5", "√©t√©", "a\x00b", "\x93q\x94", "caf\ufffd", "&amp;"]
)
def test_one_damaged_block_among_clean_ones_is_seen_in_the_joined_text(damaged: str) -> None:
    clean = [ENGLISH, KOREAN, "plain ASCII & more"]
    assert not blocks_look_damaged(clean, "\n".join(clean))
    blocks = [ENGLISH, KOREAN, damaged, "plain ASCII & more"]
    assert looks_damaged(damaged)
    assert blocks_look_damaged(blocks, "\n".join(blocks))


@pytest.mark.parametrize(
    ("codepage", "text"),
    [
        ("sloppy-windows-1252", FRENCH),
        ("sloppy-windows-1252", POLISH),
        ("sloppy-windows-1252", ENGLISH),
        ("latin-1", FRENCH),
        ("macroman", FRENCH),
        ("sloppy-windows-1251", RUSSIAN),
        ("sloppy-windows-1250", POLISH),
    ],
)
def test_whole_document_mojibake_is_restored(codepage: str, text: str) -> None:
    document = "\n".join([text, text.upper(), text])
    fixed, changes = repair_document(broken(document, codepage))
    assert fixed == document
    assert {c.reason for c in changes} == {"mojibake"}


def test_double_mojibake_is_restored() -> None:
    twice = broken(broken(FRENCH, "sloppy-windows-1252"), "sloppy-windows-1252")
    assert repaired(twice) == FRENCH


def test_mixed_document_repairs_only_the_damaged_paragraphs() -> None:
    lines = [FRENCH, broken(FRENCH, "sloppy-windows-1252"), ENGLISH]
    fixed, changes = repair_document("\n".join(lines))
    assert fixed == "\n".join([FRENCH, FRENCH, ENGLISH])
    assert [c.block for c in changes] == [1]


def test_one_mac_roman_line_is_repaired_and_a_correct_last_line_kept() -> None:
    german = "Warren sagte während des Treffens, dass es so bleibt."
    french = "Il a dit : « nous verrons cela plus tard dans la journée »"
    text = "\n".join([LONG, broken(german, "macroman"), LONG, french])
    assert repaired(text) == "\n".join([LONG, german, LONG, french])


def test_damage_inside_a_correct_sentence_is_repaired() -> None:
    text = f"{FRENCH} He said {broken('“yes”', 'sloppy-windows-1252')} today."
    assert repaired(text) == f"{FRENCH} He said “yes” today."


def test_lost_no_break_space_after_a_lead_byte_is_restored() -> None:
    damaged = broken(f"{FRENCH} Voilà, à demain à Città.", "sloppy-windows-1252")
    damaged = damaged.replace("\u00a0", " ")
    assert repaired(damaged) == f"{FRENCH} Voilà, à demain à Città."


def test_box_drawing_line_art_is_not_taken_for_mojibake() -> None:
    art = "├┤a┼┐a┼┐a┼┐a┼┐a"
    assert repaired(art) == art


def test_html_entities_are_decoded_once() -> None:
    text = "Caf&eacute; &#8220;open&#8221; &#x2019; &copy; and AT&amp;T; write &amp;eacute;"
    fixed, changes = repair_document(text)
    assert fixed == "Café “open” ’ © and AT&T; write &eacute;"
    assert {c.reason for c in changes} == {"html_entity"}


def test_a_doubly_escaped_document_is_decoded_twice() -> None:
    text = "It&amp;rsquo;s &amp;ldquo;fine&amp;rdquo; &quot;here&quot;"
    assert repaired(text) == 'It’s “fine” "here"'


def test_unknown_and_invalid_entities_stay() -> None:
    text = "&nosuchthing; &#0; &#xD800; this&not that"
    assert repaired(text) == text


def test_c1_controls_are_read_as_windows_1252() -> None:
    fixed, changes = repair_document("\x93Quoted\x94 \x96 worth \x80 5")
    assert fixed == "“Quoted” – worth € 5"
    assert changes[0].reason == "c1_controls"


def test_control_characters_are_removed() -> None:
    fixed, changes = repair_document("Bell\x07 and\x00 null")
    assert fixed == "Bell and null"
    assert changes[0].reason == "control_chars"


def test_a_control_character_between_words_never_glues_them() -> None:
    assert repaired("one\x00two\x1fthree") == "one two three"
    assert repaired("\x1b[1mbold\x1b[0m text") == "bold text"


def test_a_character_cut_at_the_end_of_a_long_document_is_removed() -> None:
    original = f"{LONG}\n\n“Good,” he said."
    cut_mojibake = broken(original + " “", "sloppy-windows-1252")[:-1]  # ends in â€
    fixed, changes = repair_document(cut_mojibake)
    assert fixed == original + " "
    assert "truncation" in {c.reason for c in changes}
    cut_replaced = (original + " é").encode("utf-8")[:-1].decode("utf-8", "replace")
    assert repaired(cut_replaced) == original + " "


def test_a_dangling_lead_ends_a_clean_document() -> None:
    assert repaired(LONG + " â") == LONG + " "
    assert repaired(LONG + " José") == LONG + " José"


def test_short_texts_keep_a_final_replacement_character() -> None:
    assert repaired("It was lost�") == "It was lost�"


def test_lossy_damage_is_counted_not_guessed() -> None:
    text = "don?t say ?hello? to the caf� owner? No."
    assert repaired(text) == text
    assert lossy_count(text) == 3  # don?t, ?hello, caf�; not the question marks after words


def test_the_cleaner_records_each_change_on_its_block() -> None:
    doc = Document(
        blocks=[
            Block(FRENCH),
            Block(broken(FRENCH, "sloppy-windows-1252")),
            Block("caf&eacute; \ufffd"),
        ]
    )
    doc = RepairText(Options())(doc)
    assert doc.blocks[1].text == FRENCH
    assert [(r.block, r.reason) for r in doc.repairs] == [(2, "html_entity"), (1, "mojibake")]
    assert doc.scores["lossy_chars"] == 1


def test_surrogates_never_raise() -> None:
    fixed = repaired("a\ud800b \ud83d\ude00")
    assert fixed == "a\ufffdb 😀"


def test_ftfy_expected_pass_cases_still_pass() -> None:
    from newsclean.bench.ftfy_cases import run

    result = run(str(shared_path("bench", "ftfy")))
    assert result.figures["cases"] == 151
    assert result.figures["passed"] == 151, result.details["failures"]


def test_mojibake_dev_set_figures() -> None:
    from newsclean.bench.mojibake import run

    result = run(str(shared_path("bench", "mojibake", "dev.jsonl")), speed=False)
    figures = result.figures
    assert figures["exact_restorable"] >= 0.97
    assert figures["exact_whole_document"] == 1.0
    assert figures["exact_html_entities"] == 1.0
    assert figures["exact_truncated"] >= 0.95
    assert figures["clean_changed"] == 0
    assert figures["lossy_worse"] == 0


def test_mojibake_with_c1_controls_survives_line_splitting() -> None:
    """A cp1252 ellipsis read as Latin-1 is U+0085: it must not split the line."""
    original = "Il a attendu… puis il a répondu à la question du journaliste."
    broken = original.encode("cp1252").decode("latin-1")
    assert "\x85" in broken
    assert newsclean.clean(broken) == original


def test_code_page_tables_need_no_codec_registered() -> None:
    import ftfy.bad_codecs  # noqa: F401  (the codecs the tables stand in for)

    from newsclean.cleaners import encoding

    for codepage in encoding.CODEPAGES:
        for byte in range(0x80, 0x100):
            expected = bytes([byte]).decode(codepage, "ignore")
            assert encoding.byte_char(byte, codepage) == expected, (codepage, hex(byte))


def test_wordfreq_lists_read_directly_are_wordfreqs_own() -> None:
    from wordfreq import get_frequency_list

    from newsclean import wordrepair

    for lang in ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "ja", "zh"):
        assert wordrepair._list_file(lang) is not None, lang
        assert list(wordrepair.buckets(lang)) == list(get_frequency_list(lang, wordlist="best"))
    assert wordrepair._list_file("xx") is None


def test_mojibake_is_repaired_in_a_process_that_has_not_imported_ftfy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, newsclean\n"
        "assert 'ftfy' not in sys.modules\n"
        "print(newsclean.clean('Le cafÃ© de la gare a rouvert ses portes apr\\u00c3\\u00a8s "
        "les travaux.'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "café" in done.stdout and "après" in done.stdout
