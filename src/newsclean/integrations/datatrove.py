"""newsclean as a datatrove pipeline step.

>>> from datatrove.executor import LocalPipelineExecutor
>>> from datatrove.pipeline.readers import JsonlReader
>>> from datatrove.pipeline.writers import ParquetWriter
>>> from newsclean.integrations.datatrove import NewscleanStep
>>> LocalPipelineExecutor(
...     [JsonlReader("pages/"), NewscleanStep(foreign="drop"), ParquetWriter("clean/")],
...     tasks=8, workers=4, logging_dir="logs/",
... ).run()

The same list runs on a Slurm cluster (`SlurmPipelineExecutor`) or a Ray cluster
(`RayPipelineExecutor`); docs/batch.md shows both.

The step cleans `doc.text` (HTML or text) in place and puts the report in
`doc.metadata["newsclean"]` as a JSON string: one string column whatever categories a
document drops, which every datatrove writer accepts (a nested report with maps that
change from document to document, or are empty, is not something Parquet can hold).
`report_as="dict"` keeps it a nested dict for writers that take any JSON (JSONL).
It counts, through datatrove's stats, every document
cleaned (`cleaned`), dropped because nothing was left (`dropped_empty`) or failed
(`failed`), and every dropped block by category (`drop/<category>`). The pipeline is
built lazily in each worker; the step itself pickles to its options.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Literal

from datatrove.data import Document as DatatroveDocument
from datatrove.pipeline.base import PipelineStep

from ..errors import ConfigError
from ._common import LazyPipeline, drop_counts, report_of


class NewscleanStep(PipelineStep):  # type: ignore[misc]  # datatrove is untyped
    """Clean each document's text; report in `metadata["newsclean"]`, stats per drop category.

    options: any `newsclean.default_pipeline` option (lang, foreign, quotes, rules…).
    full_report: keep every dropped block and repair in the metadata (default: counts only,
      which keeps the metadata small).
    report_as: "json" (a JSON string, the default: any writer) or "dict" (JSONL only).
    drop_empty: leave out documents with no text after cleaning.
    keep_failed: pass documents that fail to clean on unchanged (default: leave them out).
    """

    name = "🧹 newsclean"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        *,
        full_report: bool = False,
        drop_empty: bool = True,
        keep_failed: bool = False,
        metadata_key: str = "newsclean",
        report_as: Literal["json", "dict"] = "json",
        **options: Any,
    ) -> None:
        super().__init__()
        if report_as not in ("json", "dict"):
            raise ConfigError(f"report_as: {report_as!r} is not one of json, dict")
        self.report_as = report_as
        self.cleaner = LazyPipeline(options)
        self.full_report = full_report
        self.drop_empty = drop_empty
        self.keep_failed = keep_failed
        self.metadata_key = metadata_key

    def run(
        self, data: Iterator[DatatroveDocument] | None, rank: int = 0, world_size: int = 1
    ) -> Iterator[DatatroveDocument]:
        if data is None:
            return
        for document in data:
            self.stat_update("documents")
            with self.track_time():
                cleaned = self._clean(document)
            if cleaned:
                self.update_doc_stats(document)
            if cleaned or (cleaned is False and self.keep_failed):
                yield document

    def _clean(self, document: DatatroveDocument) -> bool | None:
        """True: cleaned in place; None: nothing left after cleaning; False: failed."""
        try:
            doc = self.cleaner.pipeline.process(document.text, url=document.metadata.get("url"))
        except Exception as exc:  # one bad page must not stop a shard
            self.stat_update("failed")
            error = {"error": str(exc) or type(exc).__name__}
            document.metadata[self.metadata_key] = self._encoded(error)
            return False
        for reason, count in drop_counts(doc).items():
            self.stat_update(f"drop/{reason}", value=count)
        if not doc.text and self.drop_empty:
            self.stat_update("dropped_empty")
            return None
        self.stat_update("cleaned")
        document.text = doc.text
        document.metadata[self.metadata_key] = self._encoded(report_of(doc, self.full_report))
        return True

    def _encoded(self, report: dict[str, Any]) -> str | dict[str, Any]:
        if self.report_as == "dict":
            return report
        return json.dumps(report, ensure_ascii=False)
