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
    reports = {key: json.loads(r["meta"]["newsclean"]) for key, r in records.items()}
    assert reports["doc0"]["drops_by_reason"] == {"share": 1}
    assert reports["doc1"]["title"] == "Budget passes"
    assert reports["doc1"]["url"] == "http://example.org/1"
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
    assert json.loads(out[0].metadata["newsclean"])["drops"][0]["reason"] == "share"
    assert "max_input_bytes" in json.loads(out[1].metadata["newsclean"])["error"]
    assert out[1].text == ARTICLE * 20
    assert step.stats["failed"].total == 1
    # by default a failed document is left out
    assert [d.id for d in NewscleanStep(max_input_bytes=1000).run(iter(docs))] == ["a"]


def _pages_jsonl(folder: Path) -> Path:
    """Input for datatrove's JsonlReader: pages whose reports differ in shape.

    The first has nothing dropped (empty maps), the others drop different categories:
    the report must still fit one column type in Parquet.
    """
    folder.mkdir()
    rows = [
        {"id": "p0", "text": PAGE, "url": "http://example.org/0"},
        {"id": "p1", "text": ARTICLE, "url": "http://example.org/1"},
        {"id": "p2", "text": ARTICLE.replace("Share on Facebook", "Sign up for our newsletter")},
        {"id": "p3", "text": "Share on Facebook\n"},
        {"id": "p4", "text": PAGE.replace("Budget passes", "Budget fails")},
        {"id": "p5", "text": ARTICLE.replace("Tuesday", "Friday")},
    ]
    for i, row in enumerate(rows):
        row.setdefault("url", f"http://example.org/{i}")
    for part, chunk in enumerate((rows[:3], rows[3:])):  # two files: one per datatrove task
        lines = "".join(json.dumps(r) + "\n" for r in chunk)
        (folder / f"pages{part}.jsonl").write_text(lines, "utf-8")
    return folder


def _run_local(pipeline: list[Any], logs: Path) -> None:
    from datatrove.executor import LocalPipelineExecutor

    LocalPipelineExecutor(pipeline, tasks=1, workers=1, logging_dir=str(logs)).run()


def _jsonl_records(folder: Path) -> dict[str, dict[str, Any]]:
    import gzip

    records = {}
    for file in sorted(folder.glob("*.jsonl.gz")):
        for line in gzip.decompress(file.read_bytes()).decode("utf-8").splitlines():
            record = json.loads(line)
            records[record["id"]] = record
    return records


def test_datatrove_step_output_goes_to_jsonl_and_parquet_writers(tmp_path: Path) -> None:
    import pyarrow.parquet as pq
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter, ParquetWriter

    from newsclean.integrations.datatrove import NewscleanStep

    pages = _pages_jsonl(tmp_path / "pages")
    as_jsonl, as_parquet = tmp_path / "jsonl", tmp_path / "parquet"
    _run_local(
        [JsonlReader(str(pages)), NewscleanStep(), JsonlWriter(str(as_jsonl))], tmp_path / "l1"
    )
    _run_local(
        [JsonlReader(str(pages)), NewscleanStep(), ParquetWriter(str(as_parquet), batch_size=2)],
        tmp_path / "l2",
    )
    from_jsonl = _jsonl_records(as_jsonl)
    table = pq.read_table(sorted(as_parquet.glob("*.parquet")))
    from_parquet = {row["id"]: row for row in table.to_pylist()}
    assert sorted(from_jsonl) == sorted(from_parquet) == ["p0", "p1", "p2", "p4", "p5"]
    for key, record in from_jsonl.items():
        row = from_parquet[key]
        assert row["text"] == record["text"]
        assert row["metadata"]["newsclean"] == record["metadata"]["newsclean"]
        assert json.loads(row["metadata"]["newsclean"])["lang"] == "en"
    reports = {k: json.loads(r["metadata"]["newsclean"]) for k, r in from_parquet.items()}
    # p0 is an HTML page: its <title> is reported (the headline is in the metadata)
    assert reports["p0"]["drops_by_reason"] == {"title": 1}
    assert reports["p1"]["drops_by_reason"] == {"share": 1}
    assert reports["p2"]["drops_by_reason"] == {"newsletter": 1}
    assert reports["p4"]["title"] == "Budget fails"
    # a nested report, for writers that take any JSON
    nested = tmp_path / "nested"
    step = NewscleanStep(report_as="dict")
    _run_local([JsonlReader(str(pages)), step, JsonlWriter(str(nested))], tmp_path / "l3")
    assert _jsonl_records(nested)["p1"]["metadata"]["newsclean"]["drops_by_reason"] == {"share": 1}


def test_datatrove_step_on_a_ray_cluster_equals_local(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    from datatrove.executor.ray import RayPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from newsclean.integrations.datatrove import NewscleanStep

    pages = _pages_jsonl(tmp_path / "pages")
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    from datatrove.executor import LocalPipelineExecutor

    LocalPipelineExecutor(
        [JsonlReader(str(pages)), NewscleanStep(), JsonlWriter(str(local))],
        tasks=2,
        workers=1,
        logging_dir=str(tmp_path / "local-logs"),
    ).run()
    # a local Ray cluster of 2 CPUs, started here and stopped at the end
    ray.init(
        address="local",  # a new cluster, never one already running on this machine
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        object_store_memory=80 * 1024 * 1024,
    )
    try:
        RayPipelineExecutor(
            [JsonlReader(str(pages)), NewscleanStep(), JsonlWriter(str(on_ray))],
            tasks=2,
            workers=2,
            cpus_per_task=1,
            mem_per_cpu_gb=0.25,
            logging_dir=str(tmp_path / "ray-logs"),
        ).run()
    finally:
        ray.shutdown()
    assert len(list(on_ray.glob("*.jsonl.gz"))) == 2  # one output file per task
    stats = json.loads((tmp_path / "ray-logs" / "stats.json").read_text("utf-8"))
    ours = next(s for s in stats if "newsclean" in s["name"])["stats"]
    assert ours["documents"]["total"] == 6 and ours["dropped_empty"]["total"] == 1
    ray_records, local_records = _jsonl_records(on_ray), _jsonl_records(local)
    assert sorted(ray_records) == ["p0", "p1", "p2", "p4", "p5"]
    for records in (ray_records, local_records):
        for record in records.values():
            record["metadata"].pop("file_path", None)  # where the reader found it
    assert ray_records == local_records


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


def test_datasets_parquet_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real Dataset written to Parquet, loaded, cleaned on 2 processes, written and read back."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    datasets = pytest.importorskip("datasets")

    from newsclean.integrations.huggingface import clean_dataset

    pages = [PAGE, ARTICLE, "Share on Facebook\n", PAGE.replace("passes", "fails"), ARTICLE]
    source = datasets.Dataset.from_dict(
        {"id": [f"r{i}" for i in range(5)], "html": pages, "url": [None] * 5}
    )
    source.to_parquet(str(tmp_path / "pages.parquet"))
    loaded = datasets.load_dataset(
        "parquet", data_files=str(tmp_path / "pages.parquet"), cache_dir=str(tmp_path / "cache")
    )["train"]
    cleaned = clean_dataset(loaded, field="html", num_proc=2, batch_size=2)
    cleaned.to_parquet(str(tmp_path / "clean.parquet"))
    back = datasets.Dataset.from_parquet(
        str(tmp_path / "clean.parquet"), cache_dir=str(tmp_path / "cache")
    )
    assert back.column_names == cleaned.column_names
    assert back.to_list() == cleaned.to_list()
    assert back["id"] == [f"r{i}" for i in range(5)] and back["html"] == pages
    assert back["newsclean_title"][3] == "Budget fails"
    assert back["text"][2] == "" and back["newsclean_error"] == [None] * 5
    assert json.loads(back["newsclean_report"][1])["drops_by_reason"] == {"share": 1}
    assert back["text"][1] == back["text"][4] and "Share on Facebook" not in back["text"][1]
