"""The strip step's memory across documents is bounded in bytes, not only in lines."""

from __future__ import annotations

import random

from newsclean.cleaners.strip import _MEMO_CHARS, Strip
from newsclean.document import Block, Document
from newsclean.pipeline import Options

WORDS = [
    "the",
    "council",
    "approved",
    "a",
    "new",
    "budget",
    "on",
    "tuesday",
    "after",
    "long",
    "debate",
    "about",
    "taxes",
]


def _document(seed: int) -> Document:
    rng = random.Random(seed)
    line = " ".join(rng.choice(WORDS) for _ in range(17_000)) + "."  # one 100 kB line
    doc = Document(source=line)
    doc.meta.source_format = "text"
    doc.blocks = [Block(line, "line")]
    return doc


def test_documents_of_one_long_line_do_not_grow_the_strip_step() -> None:
    strip = Strip(Options())
    for seed in range(25):  # 2.5 MB of distinct lines
        strip(_document(seed))
        remembered = sum(len(text) for text in strip._views)
        assert remembered <= _MEMO_CHARS + 110_000, f"{remembered} characters remembered"
