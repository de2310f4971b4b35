"""Language: identify the document's language from its kept text.

(Per-sentence detection of machine-translation noise builds on this step.)
"""

from __future__ import annotations

from .. import langid
from ..document import Document
from ..pipeline import Options


class Language:
    """Fifth step: set `doc.meta.lang` when the caller did not."""

    name = "language"

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        if not doc.meta.lang:
            doc.meta.lang = langid.document_language(doc.text)
        return doc
