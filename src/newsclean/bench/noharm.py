"""Do no harm: word repairs made on human-written article text, which has none to make.

Every gold text of the chrome benchmark (`chrome/pages.jsonl`, field `gold` when not
null) and of the scrapinghub benchmark (`scrapinghub/ground-truth.json`, field
`articleBody`) is cleaned by the default pipeline, as a user would clean it. These
are articles as their authors wrote them, without machine-translation noise, so every
word the language step changes is a false correction. The figure is word repairs per
100,000 words (target: at most 1), and every repair is printed for review.

`path` is the folder holding `chrome/` and `scrapinghub/` (either may be absent), or
one of those two folders.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import regex

from ..errors import DatasetError
from . import Result

_WORD = regex.compile(r"\p{L}+")


def _chrome(folder: Path) -> Iterator[tuple[str, str]]:
    with (folder / "pages.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                if record.get("gold"):
                    yield f"chrome/{record['id']}", record["gold"]


def _scrapinghub(folder: Path) -> Iterator[tuple[str, str]]:
    truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    for key in sorted(truth):
        body = truth[key].get("articleBody")
        if body:
            yield f"scrapinghub/{key}", body


def texts(path: str | Path) -> Iterator[tuple[str, str, str]]:
    """(dataset, id, gold text) of every gold text found under `path`."""
    root = Path(path)
    folders = {"chrome": root / "chrome", "scrapinghub": root / "scrapinghub"}
    if (root / "pages.jsonl").exists():
        folders = {"chrome": root}
    elif (root / "ground-truth.json").exists():
        folders = {"scrapinghub": root}
    readers = {"chrome": _chrome, "scrapinghub": _scrapinghub}
    found = False
    for name, folder in folders.items():
        if folder.is_dir():
            found = True
            try:
                for key, text in readers[name](folder):
                    yield name, key, text
            except (OSError, ValueError, KeyError, AttributeError) as exc:
                raise DatasetError(f"{folder} is not the {name} benchmark: {exc}") from None
    if not found:
        raise DatasetError(f"{path} holds neither chrome/ nor scrapinghub/")


def run(
    path: str, limit: int | None = None, repeats: int = 1, mode: str | None = None, **options: Any
) -> Result:
    """Clean every gold text under `path` and count the language step's word repairs.

    `options` are pipeline options (`--lang`, `--set`); `repeats` and `mode` mean
    nothing here (no timing, one mode) and are accepted for the CLI's sake.
    """
    from ..pipeline import default_pipeline

    pipeline = default_pipeline(**options)
    counts: dict[str, list[int]] = {}  # dataset → [texts, words, repairs]
    repairs: list[str] = []
    start = time.perf_counter()
    for n, (dataset, key, text) in enumerate(texts(path)):
        if limit is not None and n >= limit:
            break
        doc = pipeline.process(text)
        made = [r for r in doc.repairs if r.cleaner == "language" and r.reason.startswith("word_")]
        row = counts.setdefault(dataset, [0, 0, 0])
        row[0] += 1
        row[1] += len(_WORD.findall(text))
        row[2] += len(made)
        repairs += [f"  {key} ({doc.lang}): {r.before} -> {r.after} ({r.reason})" for r in made]
    seconds = time.perf_counter() - start
    result = Result("noharm")
    total = [sum(row[i] for row in counts.values()) for i in range(3)]
    for dataset, row in [*sorted(counts.items()), ("all", total)]:
        n_texts, words, n_repairs = row
        rate = 100_000 * n_repairs / max(1, words)
        result.figures[f"{dataset}.word_repairs"] = n_repairs
        result.figures[f"{dataset}.word_repairs_per_100k"] = rate
        result.lines.append(
            f"noharm {dataset}: {n_texts} gold texts, {words} words, {n_repairs} word repairs "
            f"= {rate:.2f} per 100,000 words"
        )
    result.lines.append(f"every word repair (each one changed an author's word, {len(repairs)}):")
    result.lines += repairs
    result.lines.append(f"time: {seconds:.1f}s")
    result.details["repairs"] = repairs
    return result
