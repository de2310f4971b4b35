"""The scrapinghub article-extraction benchmark: body P/R/F1 and speed.

Modes:
- text: clean the whole visible page text (`output/html-text.json`), no HTML;
- html: clean the page HTML (`html/<id>.html.gz`);
- retention: clean the gold bodies themselves, which should come back unchanged.

Speed is always printed next to trafilatura.extract on the same pages' HTML,
timed in the same run, as a ratio: each page is cleaned and extracted back to back
(CPU time of this process), and the figure is the median over repeated passes.
"""

from __future__ import annotations

import gzip
import json
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import DatasetError
from . import Result, paired_seconds
from .metrics import body_scores

MODES = ("text", "html", "retention")


def load(path: str | Path) -> tuple[dict[str, str], dict[str, str], Callable[[str], str]]:
    """(gold bodies by id, whole-page text by id, a function id → page HTML)."""
    root = Path(path)
    try:
        truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
        page_text = json.loads((root / "output" / "html-text.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{root} is not the scrapinghub benchmark folder: {exc}") from None
    page_text = page_text.get("output", page_text)
    gold = {k: v.get("articleBody") or "" for k, v in truth.items()}
    text = {k: (page_text.get(k) or {}).get("articleBody") or "" for k in gold}

    def html(doc_id: str) -> str:
        return gzip.decompress((root / "html" / f"{doc_id}.html.gz").read_bytes()).decode(
            "utf-8", errors="replace"
        )

    return gold, text, html


def run(
    path: str,
    mode: str = "text",
    repeats: int = 3,
    limit: int | None = None,
    speed: bool = True,
    **options: Any,
) -> Result:
    """Score newsclean in `mode` on the benchmark at `path`."""
    from trafilatura import extract

    from ..pipeline import default_pipeline

    if mode not in MODES:
        raise DatasetError(f"unknown mode {mode!r}; modes: {', '.join(MODES)}")
    gold, page_text, html = load(path)
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    # The gold bodies leave the headline out, so by default it is scored without it.
    options.setdefault("keep_title", False)
    pipeline = default_pipeline(**options)
    pages = {doc_id: html(doc_id) for doc_id in ids}
    if mode == "text":
        inputs = {doc_id: page_text[doc_id] for doc_id in ids}
    elif mode == "html":
        inputs = pages
    else:
        inputs = {doc_id: gold[doc_id] for doc_id in ids}

    predicted = {doc_id: pipeline.clean(inputs[doc_id]) for doc_id in ids}
    scores = body_scores((gold[doc_id], predicted[doc_id]) for doc_id in ids)
    result = Result("scrapinghub")
    result.figures.update(
        precision=scores.precision, recall=scores.recall, f1=scores.f1, documents=scores.documents
    )
    result.details["predicted"] = predicted
    result.lines.append(
        f"scrapinghub {mode} (keep_title={options['keep_title']}): {scores.documents} docs  "
        f"precision {scores.precision:.4f}  "
        f"recall {scores.recall:.4f}  F1 {scores.f1:.4f}"
    )
    if speed:
        ordered = [inputs[doc_id] for doc_id in ids]
        pairs = list(zip(ordered, [pages[i] for i in ids], strict=True))
        megabytes = sum(len(s.encode("utf-8")) for s in ordered) / 1e6

        def reference_extract(page: str) -> object:
            return extract(page, include_comments=False)

        def page_alone(page: str) -> str:
            # nothing remembered from other pages: each page pays for all its lines
            pipeline.forget()
            return pipeline.clean(page)

        ours, reference, ratios = paired_seconds(page_alone, reference_extract, pairs, repeats)
        ratio = statistics.median(ratios)
        result.figures.update(
            docs_per_s=len(ids) / ours,
            mb_per_s=megabytes / ours,
            reference_docs_per_s=len(ids) / reference,
            speed_ratio=ratio,
            time_ratio=1 / ratio,
        )
        result.lines.append(
            f"speed, each page alone: newsclean {len(ids) / ours:.1f} docs/s "
            f"({megabytes / ours:.2f} MB/s of input); "
            f"trafilatura.extract on the same pages' HTML {len(ids) / reference:.1f} docs/s; "
            f"newsclean is {ratio:.2f}x trafilatura's speed, {1 / ratio:.2f}x its time per "
            f"page (CPU time, each page timed with both back to back; median of {repeats} "
            f"passes, per-pass speed ratios {', '.join(f'{r:.2f}' for r in sorted(ratios))})"
        )
        # A batch: each pass starts with nothing remembered and goes through the pages
        # in order, as a batch run does (the pages of a site share their chrome lines).
        batch_runs: list[float] = []
        for _ in range(max(1, repeats)):
            pipeline.forget()
            _, _, pass_ratios = paired_seconds(pipeline.clean, reference_extract, pairs, 1)
            batch_runs.extend(pass_ratios)
        batch = statistics.median(batch_runs)
        result.figures.update(batch_speed_ratio=batch)
        result.lines.append(
            f"speed, as a batch: newsclean is {batch:.2f}x trafilatura's speed (same timing; "
            f"lines met on an earlier page of the pass are not described again; per-pass "
            f"speed ratios {', '.join(f'{r:.2f}' for r in sorted(batch_runs))})"
        )
    return result
