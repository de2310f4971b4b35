"""newsclean: messy scraped news pages in, clean article bodies and a report out.

>>> import newsclean
>>> text = newsclean.clean(page)            # str (text or HTML) or bytes
>>> doc = newsclean.process(page, lang="fr") # .text .title .lang .drops .repairs
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .document import Block, Document, Drop, DroppedBlock, Flag, Metadata, Repair
from .errors import (
    ConfigError,
    DatasetError,
    DecodeError,
    ExtractionError,
    InputError,
    NewscleanError,
)
from .pipeline import Cleaner, Options, Pipeline, default_pipeline

__all__ = [
    "Block",
    "Cleaner",
    "ConfigError",
    "DatasetError",
    "DecodeError",
    "Document",
    "Drop",
    "DroppedBlock",
    "ExtractionError",
    "Flag",
    "InputError",
    "Metadata",
    "NewscleanError",
    "Options",
    "Pipeline",
    "Repair",
    "clean",
    "default_pipeline",
    "process",
]
__version__ = "0.1.0"


@lru_cache(maxsize=32)
def _pipeline(frozen_options: tuple[tuple[str, Any], ...]) -> Pipeline:
    return default_pipeline(**dict(frozen_options))


def _cached_pipeline(options: dict[str, Any]) -> Pipeline:
    try:
        return _pipeline(tuple(sorted(options.items())))
    except TypeError:  # an unhashable option value (a rules table): build afresh
        return default_pipeline(**options)


def process(
    source: str | bytes, *, lang: str | None = None, url: str | None = None, **options: Any
) -> Document:
    """Clean `source` and return the whole Document: text, title, lang, drops, repairs."""
    return _cached_pipeline(options).process(source, lang=lang, url=url)


def clean(
    source: str | bytes, *, lang: str | None = None, url: str | None = None, **options: Any
) -> str:
    """Clean `source` (text, HTML or bytes) and return the article text."""
    return process(source, lang=lang, url=url, **options).text
