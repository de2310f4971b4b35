"""Time of each part of the HTML path against trafilatura.extract, in the same run.

Prints seconds for one pass over the scrapinghub pages (median of repeats) and the
ratio to trafilatura.extract(include_comments=False) on the same pages, for:
read + extract (the HTML step alone: parse, metadata, DOM pruning, trafilatura,
block rules), the pipeline without the language step, and the whole pipeline.
Machines are shared and noisy: times are this process's CPU seconds (so other
processes' load stays out), the ratios are the figures, and each repeat times the
reference and every step back to back.

    python benchmarks/html_speed.py ../shared/bench/scrapinghub [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from trafilatura import extract

import newsclean
from newsclean.bench.scrapinghub import load


def timed(function: Callable[[str], Any], pages: list[str], repeats: int) -> float:
    """Median CPU seconds of this process for one pass (other processes' load left out)."""
    runs = []
    for _ in range(repeats):
        start = time.process_time()
        for page in pages:
            function(page)
        runs.append(time.process_time() - start)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    gold, _, html = load(args.path)
    pages = [html(doc_id) for doc_id in sorted(gold)]
    full = newsclean.default_pipeline(keep_title=False)
    steps = {
        "read+extract": full.without("repair", "strip", "language", "normalise").process,
        "pipeline without language": full.without("language").process,
        "whole pipeline": full.process,
    }
    for page in pages:  # load lazy resources and warm caches outside the timings
        full.process(page)

    def reference(page: str) -> Any:
        return extract(page, include_comments=False)

    # Interleaved: each repeat times the reference and every step back to back, so
    # load from other processes falls on all of them alike.
    runs: dict[str, list[float]] = {"trafilatura.extract": [], **{name: [] for name in steps}}
    for _ in range(args.repeats):
        runs["trafilatura.extract"].append(timed(reference, pages, 1))
        for name, step in steps.items():
            runs[name].append(timed(step, pages, 1))
    base = statistics.median(runs["trafilatura.extract"])
    print(f"trafilatura.extract: {base:.2f}s for {len(pages)} pages (median of {args.repeats})")
    for name in steps:
        seconds = statistics.median(runs[name])
        ratios = sorted(t / r for t, r in zip(runs[name], runs["trafilatura.extract"], strict=True))
        print(
            f"{name}: {seconds:.2f}s, {seconds / base:.2f}x trafilatura.extract's time "
            f"(per-repeat ratios {', '.join(f'{x:.2f}' for x in ratios)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
