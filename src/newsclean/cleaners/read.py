"""Read: turn the user's source (str or bytes) into text and decide whether it is HTML.

Bytes are decoded from, in order of trust (the order browsers use): a byte-order
mark, the charset of the HTTP Content-Type header when the caller has one, a
charset declared in the page (<meta> or the XML declaration), strict UTF-8, then
statistical detection (charset-normalizer). Files that are plainly not text (images,
PDF, archives) are refused with a DecodeError naming what they are.
"""

from __future__ import annotations

import codecs
import re

import regex

from ..document import Document, Repair
from ..errors import DecodeError, InputError
from ..pipeline import Options
from .markup import bound_markup

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = regex.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", regex.IGNORECASE
)
_XML_ENCODING = regex.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""")
_HTTP_CHARSET = regex.compile(
    r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", regex.IGNORECASE
)
# Magic numbers of common binary formats that reach a text pipeline by mistake.
_BINARY_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"BZh", "bzip2-compressed data (decompress it first)"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data (decompress it first)"),
    (b"\x7fELF", "an executable"),
)
# UTF-8 with a few bad bytes (a truncated or spliced page) stays UTF-8: past this
# share of undecodable bytes the input is taken to be in another encoding.
_UTF8_DAMAGE = 0.001
_HTML_SNIFF = regex.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article|span|a|br|meta|title|script)[\s/>]",
    regex.IGNORECASE,
)
# Lone surrogates (a `"\\ud800"` escape in JSON) are not text: no UTF-8 writer takes them.
_SURROGATE = re.compile("[\ud800-\udfff]")
# NUL characters: dropped, or a space where they stood between two visible characters
# (a NUL used as a separator must not glue two words together).
_NUL_BETWEEN = re.compile(r"(?<=\S)\x00+(?=\S)")
# Bytes that real text almost never holds: ASCII controls other than tab, LF, FF, CR.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
# Control characters that no XML tree may hold (all C0 but tab, line feed and carriage
# return; DEL too).
_HTML_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]+")
_ENCODE_SLICE = 1 << 20
_HTML_CONTROL_CHARS = "".join(chr(c) for c in (*range(1, 9), 11, 12, *range(14, 32), 127))
_TAG = regex.compile(r"</?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>]{0,500})?/?>")


def _known_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The codec named by an HTTP Content-Type value such as 'text/html; charset=ISO-8859-1'."""
    if not content_type:
        return None
    found = _HTTP_CHARSET.search(content_type)
    return _known_codec(found.group(1)) if found else None


def _whatwg(name: str) -> str:
    """Browsers read latin-1 and ASCII labels as windows-1252; so do we."""
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _declared(head: bytes) -> str | None:
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not found:
        return None
    return _known_codec(found.group(1).decode("ascii", "ignore"))


def _mostly_utf8(data: bytes) -> bool:
    """True when only a sliver of the bytes fail to decode as UTF-8."""
    damaged = data.decode("utf-8", errors="replace").count("\ufffd")
    return damaged <= max(1, int(len(data) * _UTF8_DAMAGE))


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode bytes to text; return (text, encoding used). Raises DecodeError.

    `content_type` is the HTTP Content-Type header, when the caller has one.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"input is {what}, not text or HTML")
    http = charset_from_content_type(content_type)
    if http:
        return data.decode(_whatwg(http), errors="replace"), _whatwg(http)
    name = _declared(data[:4096])
    if name and name not in ("utf-8", "ascii"):
        # Pages that declare a legacy charset but are UTF-8 are common: trust valid UTF-8 first.
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return data.decode(_whatwg(name), errors="replace"), _whatwg(name)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if name == "utf-8" or _mostly_utf8(data[:1_000_000]):
        return data.decode("utf-8", errors="replace"), "utf-8"
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:1_000_000])
    best = matches.best()
    if best is not None:
        # Equally plausible single-byte codecs are common (é reads fine in several):
        # windows-1252, the web's commonest legacy encoding, wins a tie.
        for match in matches:
            if (
                match.encoding == "cp1252"
                and match.chaos <= best.chaos
                and match.coherence >= best.coherence - 0.01
            ):
                best = match
                break
    if best is None:
        if b"\x00" in data[:4096]:
            raise DecodeError("input looks binary: no text encoding fits it")
        return data.decode("utf-8", errors="replace"), "utf-8"
    return data.decode(best.encoding, errors="replace"), best.encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 codec of text written without a byte-order mark, else None.

    Such text is full of bytes that are ASCII controls in any 8-bit reading (the high
    byte of each unit: 0x00 for Latin, 0x04 for Cyrillic, ...), all at even or all at
    odd offsets; the codec with the controls in its high bytes decodes it to printable
    text. Only a clear case counts: a fifth of the sample's bytes controls, and the
    decoded sample almost free of them.
    """
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 16 or len(sample.translate(None, _CONTROL_BYTES)) > len(sample) * 4 // 5:
        return None  # the common case, decided at C speed: few control bytes
    even = len(sample[0::2]) - len(sample[0::2].translate(None, _CONTROL_BYTES))
    odd = len(sample[1::2]) - len(sample[1::2].translate(None, _CONTROL_BYTES))
    if min(even, odd) > len(sample) // 50:
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = sample.decode(codec)
    except UnicodeDecodeError:
        return None
    bad = sum(1 for c in text if not (c.isprintable() or c in "\t\n\f\r"))
    return codec if bad <= len(text) // 100 else None


def _has_surrogate(text: str) -> bool:
    """True when the text holds a lone surrogate (what `_SURROGATE` finds).

    UTF-8 encodes every code point but the surrogates, so an encoding that succeeds
    proves there are none; that runs at C speed, many times faster than a scan. The
    text is encoded a slice at a time, so the copy stays a few megabytes."""
    if text.isascii():
        return False
    for start in range(0, len(text), _ENCODE_SLICE):
        try:
            text[start : start + _ENCODE_SLICE].encode("utf-8")
        except UnicodeEncodeError:
            return True
    return False


def _has_html_control(text: str) -> bool:
    """True when the text holds a control character that no XML tree may hold (what
    `_HTML_CONTROLS` finds): one substring search per character is many times faster
    than the pattern's scan, and pages almost never hold any."""
    return any(char in text for char in _HTML_CONTROL_CHARS)


def looks_like_html(text: str) -> bool:
    """True when the text is markup rather than prose that mentions a tag."""
    head = text[:5000]
    if _HTML_SNIFF.search(head) is None:
        return False
    if head.lstrip()[:1] == "<":
        return True
    # three tags are enough: stop counting there rather than list every tag of the head
    tags = _TAG.finditer(head)
    return all(next(tags, None) is not None for _ in range(3))


class Read:
    """First step: source → `doc.raw` and `doc.meta.source_format`."""

    name = "read"

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        source = doc.source
        if isinstance(source, bytes | bytearray | memoryview):
            data = bytes(source)
            if len(data) > self.options.max_input_bytes:
                raise InputError(
                    f"input is {len(data)} bytes, over max_input_bytes="
                    f"{self.options.max_input_bytes}"
                )
            doc.raw, doc.meta.encoding = decode(data)
        elif isinstance(source, str):
            if len(source) > self.options.max_input_bytes:
                raise InputError(
                    f"input is {len(source)} characters, over max_input_bytes="
                    f"{self.options.max_input_bytes}"
                )
            doc.raw = source
        else:
            raise InputError(f"expected str or bytes, got {type(source).__name__}")
        if "\x00" in doc.raw:
            spaced = _NUL_BETWEEN.sub(" ", doc.raw)
            doc.raw = spaced.replace("\x00", "")
            doc.repairs.append(Repair(self.name, "nul_characters", "\x00", " "))
        if _has_surrogate(doc.raw):
            doc.raw = _SURROGATE.sub("\ufffd", doc.raw)
            doc.repairs.append(Repair(self.name, "surrogates", "\\ud800", "\ufffd"))
        doc.meta.source_format = "html" if looks_like_html(doc.raw) else "text"
        if doc.meta.source_format == "html":
            if _has_html_control(doc.raw):
                # XML parsers and the extractor refuse them; a space, as the repair
                # step gives a run of them in text
                doc.raw = _HTML_CONTROLS.sub(" ", doc.raw)
                doc.repairs.append(Repair(self.name, "control_chars", "\x0b", " "))
            doc.raw = bound_markup(doc.raw)
        return doc
