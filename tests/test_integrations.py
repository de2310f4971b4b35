"""newsclean inside datatrove and Hugging Face datasets, with their own executors."""

from __future__ import annotations

import json
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ARTICLE = (
    "The council approved the new budget on Tuesday after a long debate.\n"
    "Share on Facebook\n"
    "Members said the plan would fund schools and roads for the next five years.\n"
)
PAGE = (
    "<html><head><title>Budget passes</title></head><body><article>"
    "<p>The council approved the new budget on Tuesday after a long debate about taxes.</p>"
    "<p>Members said the plan would fund schools, roads and parks for the next five years.</p>"
    "</article></body></html>"
)


def test_integrations_are_not_imported_by_newsclean() -> None:
    import subprocess

    code = (
        "import sys, newsclean; "
        "print(any(m.split('.')[0] in ('datatrove', 'datasets') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- datatrove -----------------------------------------------------------------------------

datatrove = pytest.importorskip("datatrove")


def _read_shard(data: Any, rank: int = 0, world_size: int = 1) -> Iterator[Any]:
    """A reader: documents i with i % world_size == rank."""
    from datatrove.data import Document

    pages = [ARTICLE, PAGE, "Share on Facebook\n", ARTICLE.replace("Tuesday", "Monday")]
    for i, page in enumerate(pages):
        if i % world_size == rank:
            yield Document(text=page, id=f"doc{i}", metadata={"url": f"http://example.org/{i}"})


class _Writer:
    """A writer: one JSONL file per rank in `folder`."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, data: Any, rank: int = 0, world_size: int = 1) -> Iterator[Any]:
        with open(Path(self.folder) / f"{rank:02d}.jsonl", "w", encoding="utf-8") as handle:
            for document in data:
                record = {"id": document.id, "text": document.text, "meta": document.metadata}
                handle.write(json.dumps(record) + "\n")
                yield document


def test_datatrove_step_with_local_executor(tmp_path: Path) -> None:
    from datatrove.executor import LocalPipelineExecutor

    from newsclean.integrations.datatrove import NewscleanStep

    out = tmp_path / "out"
    out.mkdir()
    step = NewscleanStep()
    assert pickle.loads(pickle.dumps(step)).cleaner.options == {}
    executor = LocalPipelineExecutor(
        [_read_shard, step, _Writer(str(out))],
        tasks=2,
        workers=2,
        logging_dir=str(tmp_path / "logs"),
    )
    executor.run()
    records = {r["id"]: r for f in sorted(out.glob("*.jsonl")) for r in map(json.loads, f.open())}
    # doc2 is nothing but a share button: cleaned to nothing, left out
    assert sorted(records) == ["doc0", "doc1", "doc3"]
    assert "Share on Facebook" not in records["doc0"]["text"]
    assert records["doc0"]["meta"]["newsclean"]["drops_by_reason"] == {"share": 1}
    assert records["doc1"]["meta"]["newsclean"]["title"] == "Budget passes"
    assert records["doc1"]["meta"]["newsclean"]["url"] == "http://example.org/1"
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text("utf-8"))
    ours = next(s for s in stats if "newsclean" in s["name"])["stats"]

    def total(name: str) -> int:
        value = ours[name]  # plain counts are saved as numbers, measures as tables
        return int(value["total"] if isinstance(value, dict) else value)

    assert total("drop/share") == 3
    assert (total("documents"), total("cleaned"), total("dropped_empty")) == (4, 3, 1)


def test_datatrove_step_options_and_failures() -> None:
    from datatrove.data import Document

    from newsclean import ConfigError
    from newsclean.integrations.datatrove import NewscleanStep

    with pytest.raises(ConfigError):
        NewscleanStep(colour="blue")
    # documents over max_input_bytes fail; kept_failed passes them on, marked
    step = NewscleanStep(keep_failed=True, full_report=True, max_input_bytes=1000)
    docs = [Document(text=ARTICLE, id="a"), Document(text=ARTICLE * 20, id="b")]
    out = list(step.run(iter(docs)))
    assert [d.id for d in out] == ["a", "b"]
    assert out[0].metadata["newsclean"]["drops"][0]["reason"] == "share"
    assert "max_input_bytes" in out[1].metadata["newsclean"]["error"]
    assert out[1].text == ARTICLE * 20
    assert step.stats["failed"].total == 1
    # by default a failed document is left out
    assert [d.id for d in NewscleanStep(max_input_bytes=1000).run(iter(docs))] == ["a"]


# -- Hugging Face datasets -------------------------------------------------------------------


def test_datasets_map_with_num_proc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    datasets = pytest.importorskip("datasets")

    from newsclean.integrations.huggingface import clean_dataset

    rows = {
        "id": [f"r{i}" for i in range(8)],
        "html": [PAGE if i % 2 else ARTICLE for i in range(8)],
        "source": ["crawl"] * 8,
    }
    rows["html"][5] = None  # a missing page: an error in its row, not a failed map
    ds = datasets.Dataset.from_dict(rows)
    cleaned = clean_dataset(ds, field="html", num_proc=2, batch_size=2)
    assert cleaned.num_rows == 8
    assert cleaned["id"] == rows["id"] and cleaned["source"] == rows["source"]
    assert "approved the new budget" in cleaned["text"][1]
    assert "Share on Facebook" not in cleaned["text"][0]
    assert cleaned["newsclean_title"][1] == "Budget passes"
    report = json.loads(cleaned["newsclean_report"][0])
    assert report["drops_by_reason"] == {"share": 1}
    assert cleaned["newsclean_error"][5] is not None
    assert [e is None for i, e in enumerate(cleaned["newsclean_error"]) if i != 5] == [True] * 7
    assert cleaned["html"][1] == PAGE  # the page column stays when the output is another


def test_batch_cleaner_in_a_plain_map() -> None:
    datasets = pytest.importorskip("datasets")
    from newsclean.integrations.huggingface import BatchCleaner

    ds = datasets.Dataset.from_dict({"text": [ARTICLE, ARTICLE]})
    cleaned = ds.map(BatchCleaner(), batched=True)
    assert cleaned["text"] == [cleaned["text"][0]] * 2
    assert cleaned["text"][0].startswith("The council") and "Share" not in cleaned["text"][0]
