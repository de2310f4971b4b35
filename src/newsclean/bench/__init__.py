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
    "chrome": "newsclean.bench.chrome",
    "scrapinghub": "newsclean.bench.scrapinghub",
    "mojibake": "newsclean.bench.mojibake",
    "ftfy": "newsclean.bench.ftfy_cases",
    "mtnoise": "newsclean.bench.mtnoise",
    "noharm": "newsclean.bench.noharm",
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


def paired_seconds(
    ours: Callable[[Any], Any],
    reference: Callable[[Any], Any],
    pairs: Iterable[tuple[Any, Any]],
    repeats: int,
) -> tuple[float, float, list[float]]:
    """Median CPU seconds of one pass of `ours` and of `reference`, and the per-pass ratios
    (reference time / our time).

    Each input is timed with both functions back to back, page after page, so that a
    machine whose speed drifts (other programs, frequency scaling) slows both alike; CPU
    time of this process leaves other processes' load out.
    """
    items = list(pairs)
    ours_runs: list[float] = []
    reference_runs: list[float] = []
    clock = time.process_time
    for _ in range(max(1, repeats)):
        mine = theirs = 0.0
        for our_input, reference_input in items:
            start = clock()
            ours(our_input)
            middle = clock()
            reference(reference_input)
            mine += middle - start
            theirs += clock() - middle
        ours_runs.append(mine)
        reference_runs.append(theirs)
    ratios = [r / o for o, r in zip(ours_runs, reference_runs, strict=True) if o > 0]
    return statistics.median(ours_runs), statistics.median(reference_runs), ratios


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
