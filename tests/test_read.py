"""The read step: bytes become the right text, and HTML is told from prose."""

from __future__ import annotations

import codecs

import pytest

import newsclean
from newsclean.cleaners.read import charset_from_content_type, decode, looks_like_html
from newsclean.errors import DecodeError, InputError

FRENCH = "Le président a déclaré : « Ça suffit, l'été sera chaud. »"


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_byte_order_mark_wins(bom: bytes, codec: str) -> None:
    text, used = decode(bom + FRENCH.encode(codec))
    assert text == FRENCH
    assert used == codec


def test_bom_beats_a_wrong_meta_charset() -> None:
    data = codecs.BOM_UTF8 + page(FRENCH, '<meta charset="iso-8859-1">').encode("utf-8")
    assert FRENCH in decode(data)[0]


def test_meta_charset_for_legacy_pages() -> None:
    data = page(FRENCH, '<meta charset="windows-1252">').encode("cp1252")
    text, used = decode(data)
    assert FRENCH in text
    assert used == "cp1252"


def test_http_equiv_meta_and_latin1_label_read_as_windows_1252() -> None:
    body = FRENCH + " – 5 €"  # en dash and euro exist in windows-1252, not in latin-1
    head = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    text, used = decode(page(body, head).encode("cp1252"))
    assert body in text
    assert used == "cp1252"


def test_xml_declaration_encoding() -> None:
    data = ('<?xml version="1.0" encoding="ISO-8859-15"?>' + page(FRENCH)).encode("iso8859-15")
    assert FRENCH in decode(data)[0]


def test_utf8_page_declaring_a_legacy_charset_stays_utf8() -> None:
    data = page(FRENCH, '<meta charset="iso-8859-1">').encode("utf-8")
    assert decode(data) == (page(FRENCH, '<meta charset="iso-8859-1">'), "utf-8")


def test_http_content_type_beats_meta() -> None:
    data = page(FRENCH, '<meta charset="utf-8">').encode("cp1252")
    text, used = decode(data, content_type="text/html; charset=windows-1252")
    assert FRENCH in text
    assert used == "cp1252"
    assert charset_from_content_type('text/html; charset="UTF-8"') == "utf-8"
    assert charset_from_content_type("text/html") is None
    assert charset_from_content_type("text/html; charset=bogus-x") is None


def test_undeclared_legacy_bytes_are_detected() -> None:
    prose = (FRENCH + " Les élèves étaient là, près de la forêt. ") * 20
    text, _ = decode(prose.encode("cp1252"))
    assert "élèves" in text and "forêt" in text


def test_utf8_with_a_few_broken_bytes_stays_utf8() -> None:
    data = (FRENCH * 200).encode("utf-8") + b"\xff" + (FRENCH * 200).encode("utf-8")
    text, used = decode(data)
    assert used == "utf-8"
    assert text.count(FRENCH) == 400


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(100), "PDF"),
        (b"\x1f\x8b\x08\x00" + bytes(100), "gzip"),
        (b"PK\x03\x04" + bytes(100), "ZIP"),
    ],
)
def test_binary_files_are_refused_with_their_name(data: bytes, what: str) -> None:
    with pytest.raises(DecodeError, match=what):
        decode(data)


def test_binary_bytes_through_the_api_give_a_typed_error() -> None:
    with pytest.raises(InputError):
        newsclean.process(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)


def test_oversized_input_is_refused() -> None:
    pipe = newsclean.default_pipeline(max_input_bytes=1000)
    with pytest.raises(InputError, match="max_input_bytes"):
        pipe.process(b"x" * 2000)
    with pytest.raises(InputError, match="max_input_bytes"):
        pipe.process("x" * 2000)


def test_wrong_source_type_is_an_input_error() -> None:
    with pytest.raises(InputError, match="str or bytes"):
        newsclean.process(12345)  # type: ignore[arg-type]


def test_encoding_is_reported() -> None:
    doc = newsclean.process(page(FRENCH, '<meta charset="windows-1252">').encode("cp1252"))
    assert doc.meta.encoding == "cp1252"
    assert doc.meta.source_format == "html"


@pytest.mark.parametrize(
    "html",
    [
        page("A paragraph."),
        "<html><body><div>Text</div></body></html>",
        "  <div class='x'><p>one</p><p>two</p></div>",
        "<HTML><BODY><P>Upper case markup</P></BODY></HTML>",
        "<article><h1>Head</h1><p>Body text here.</p></article>",
    ],
)
def test_markup_is_html(html: str) -> None:
    assert looks_like_html(html)


@pytest.mark.parametrize(
    "text",
    [
        "Plain article text.\n\nSecond paragraph.",
        "Use the <p> element for paragraphs, the manual says.",
        "I <3 this, and 2 < 3 > 1 is true.",
        "",
    ],
)
def test_prose_is_text(text: str) -> None:
    assert not looks_like_html(text)


def test_nul_characters_are_removed() -> None:
    doc = newsclean.process("Line one\x00 and more.\n\nLine two.")
    assert "\x00" not in doc.text
