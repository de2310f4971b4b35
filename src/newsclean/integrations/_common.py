"""What every integration shares: a pipeline built lazily per process, and the report."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..document import Document
from ..pipeline import Options, Pipeline, default_pipeline

SUMMARY_KEYS = (
    "title",
    "lang",
    "url",
    "date",
    "source_format",
    "drops_by_reason",
    "repairs_by_reason",
    "scores",
)


class LazyPipeline:
    """A default pipeline built on first use in each process and never pickled.

    Frameworks ship the step or function to their workers by pickling it; the pipeline
    (and the language models and lexicons it loads) is built there, once per worker.
    """

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})
        Options.from_mapping(self.options)  # check the options now, in the caller
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = default_pipeline(**self.options)
        return self._pipeline

    def __getstate__(self) -> dict[str, Any]:
        return {"options": self.options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.options = state["options"]
        self._pipeline = None


def report_of(doc: Document, full: bool) -> dict[str, Any]:
    """The document's report: all of it, or its summary (counts, no per-block lists)."""
    report = doc.report()
    if full:
        return report
    return {key: report[key] for key in SUMMARY_KEYS if key in report}


def drop_counts(doc: Document) -> Counter[str]:
    return Counter(d.reason for d in doc.drops)
