"""Read: turn the user's source (str or bytes) into text and decide whether it is HTML.

Bytes are decoded from, in order of trust: a byte-order mark, a charset declared in
the HTML, strict UTF-8, then statistical detection (charset-normalizer).
"""

from __future__ import annotations

import codecs

import regex

from ..document import Document
from ..errors import DecodeError, InputError
from ..pipeline import Options

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
_HTML_SNIFF = regex.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article|span|a|br|meta|title|script)[\s/>]",
    regex.IGNORECASE,
)
_TAG = regex.compile(r"</?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>]{0,500})?/?>")


def _known_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text; return (text, encoding used). Raises DecodeError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    head = data[:4096]
    declared = _META_CHARSET.search(head)
    if declared:
        name = _known_codec(declared.group(1).decode("ascii", "ignore"))
        # Pages that declare a legacy charset but are UTF-8 are common: trust valid UTF-8 first.
        if name and name not in ("utf-8", "ascii"):
            try:
                return data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                if name in ("latin-1", "iso8859-1"):
                    name = "cp1252"  # WHATWG: a latin-1 label means windows-1252
                return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None:
        if b"\x00" in data[:4096]:
            raise DecodeError("input looks binary: no text encoding fits it")
        return data.decode("utf-8", errors="replace"), "utf-8"
    return data.decode(best.encoding, errors="replace"), best.encoding


def looks_like_html(text: str) -> bool:
    """True when the text is markup rather than prose that mentions a tag."""
    head = text[:5000]
    if _HTML_SNIFF.search(head) is None:
        return False
    tags = len(_TAG.findall(head))
    return tags >= 3 or head.lstrip()[:1] == "<"


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
                    f"input is {len(data)} bytes, over max_input_bytes={self.options.max_input_bytes}"
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
            doc.raw = doc.raw.replace("\x00", "")
        doc.meta.source_format = "html" if looks_like_html(doc.raw) else "text"
        return doc
