"""newsclean over a Hugging Face `datasets.Dataset`, batched and on all cores.

>>> from datasets import load_dataset
>>> from newsclean.integrations.huggingface import clean_dataset
>>> ds = clean_dataset(load_dataset("json", data_files="pages.jsonl")["train"],
...                    field="html", num_proc=8, foreign="drop")

or, with your own `map` call:

>>> from newsclean.integrations.huggingface import BatchCleaner
>>> ds = ds.map(BatchCleaner(field="html"), batched=True, batch_size=64, num_proc=8)

Each row gets the clean text (in `output_field`, "text" by default), its title and
language, the report as a JSON string (one string column keeps the Arrow schema the
same whatever categories a batch drops) and an error message (None when it cleaned).
The cleaner pickles to its options and builds its pipeline once in each worker, so
`num_proc` and the dataset cache fingerprint both work.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ._common import LazyPipeline, report_of

if TYPE_CHECKING:
    from datasets import Dataset


class BatchCleaner:
    """A picklable function for `Dataset.map(batched=True)`: a batch of rows in, columns out."""

    def __init__(
        self,
        field: str = "text",
        *,
        output_field: str = "text",
        prefix: str = "newsclean_",
        full_report: bool = False,
        url_field: str | None = "url",
        **options: Any,
    ) -> None:
        self.field = field
        self.output_field = output_field
        self.prefix = prefix
        self.full_report = full_report
        self.url_field = url_field
        self.cleaner = LazyPipeline(options)

    def columns(self) -> list[str]:
        """The columns this cleaner writes."""
        p = self.prefix
        return [self.output_field, f"{p}title", f"{p}lang", f"{p}report", f"{p}error"]

    def __call__(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        if self.field not in batch:
            raise KeyError(f"no column {self.field!r}; columns: {', '.join(sorted(batch))}")
        pages = batch[self.field]
        urls = batch.get(self.url_field or "", [None] * len(pages))
        out: dict[str, list[Any]] = {name: [] for name in self.columns()}
        text, title, lang, report, error = self.columns()
        for page, url in zip(pages, urls, strict=True):
            try:
                if not isinstance(page, (str, bytes)):
                    raise TypeError(f"{self.field!r} is {type(page).__name__}, not text")
                doc = self.cleaner.pipeline.process(page, url=url if isinstance(url, str) else None)
            except Exception as exc:  # one bad row must not stop the map
                out[text].append("")
                out[title].append(None)
                out[lang].append(None)
                out[report].append(None)
                out[error].append(str(exc) or type(exc).__name__)
                continue
            out[text].append(doc.text)
            out[title].append(doc.title)
            out[lang].append(doc.lang)
            out[report].append(json.dumps(report_of(doc, self.full_report), ensure_ascii=False))
            out[error].append(None)
        return out


def clean_dataset(
    dataset: Dataset,
    field: str = "text",
    *,
    num_proc: int | None = None,
    batch_size: int = 64,
    output_field: str = "text",
    full_report: bool = False,
    **options: Any,
) -> Dataset:
    """`dataset` with clean text and the report columns added (see `BatchCleaner`).

    The page column is replaced when `output_field` is the same name (the default for
    `field="text"`), kept otherwise.
    """
    from datasets import Value

    cleaner = BatchCleaner(field, output_field=output_field, full_report=full_report, **options)
    features = dataset.features.copy()
    for column in cleaner.columns():  # all strings: shards whose rows are all None still agree
        features[column] = Value("string")
    result: Dataset = dataset.map(
        cleaner,
        batched=True,
        batch_size=batch_size,
        num_proc=num_proc,
        features=features,
        desc="newsclean",
    )
    return result
