"""Benchmarks: quality and speed of newsclean on the public datasets (docs/benchmarks.md).

Each dataset has its own module with a `run(path, **kwargs) -> Result`; the CLI's
`newsclean bench DATASET PATH` dispatches here. Modules import lazily so that
`import newsclean` stays fast.
"""

from __future__ import annotations

import importlib
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

DATASETS = {
    "scrapinghub": "newsclean.bench.scrapinghub",
    "mojibake": "newsclean.bench.mojibake",
    "ftfy": "newsclean.bench.ftfy_cases",
    "mtnoise": "newsclean.bench.mtnoise",
}


@dataclass
class Result:
    """What a benchmark measured: named figures, a printable table, and raw numbers."""

    dataset: str
    figures: dict[str, float] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        return "\n".join(self.lines)


class Runner(Protocol):
    def __call__(self, path: str, **kwargs: Any) -> Result: ...


def runner(dataset: str) -> Runner:
    """The `run` function of a dataset's benchmark module."""
    from ..errors import DatasetError

    if dataset not in DATASETS:
        raise DatasetError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    module = importlib.import_module(DATASETS[dataset])
    run: Runner = module.run
    return run


def median_seconds(function: Callable[[str], Any], inputs: Iterable[str], repeats: int) -> float:
    """Median wall-clock seconds of one pass of `function` over all inputs."""
    items = list(inputs)
    times = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        for item in items:
            function(item)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
