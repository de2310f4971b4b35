"""Time of each part of the HTML path against trafilatura.extract, in the same run.

Prints seconds for one pass over the scrapinghub pages (median of repeats) and the
ratio to trafilatura.extract(include_comments=False) on the same pages, for:
read + extract (the HTML step alone: parse, metadata, DOM pruning, trafilatura,
block rules), the pipeline without the language step, and the whole pipeline.
Machines are shared and noisy: the ratios are the figures, not the seconds.

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
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for page in pages:
            function(page)
        runs.append(time.perf_counter() - start)
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
    full.process(pages[0])  # load lazy resources outside the timings

    def reference(page: str) -> Any:
        return extract(page, include_comments=False)

    before = timed(reference, pages, args.repeats)
    times = {name: timed(step, pages, args.repeats) for name, step in steps.items()}
    after = timed(reference, pages, args.repeats)
    base = (before + after) / 2
    print(f"trafilatura.extract: {base:.2f}s for {len(pages)} pages ({before:.2f}s, {after:.2f}s)")
    for name, seconds in times.items():
        print(f"{name}: {seconds:.2f}s, {seconds / base:.2f}x trafilatura.extract's time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
