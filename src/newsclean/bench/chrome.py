"""The chrome benchmark (`bench/chrome/README.md`): chrome removal on unseen sites.

For each page the whole pipeline (`newsclean.process`) cleans the page text (mode
`text`) or the raw HTML bytes (mode `html`), and the output is scored against the gold:
token F1 for the datasets with gold text, snippet F1 for trafeval; the headline figure
is the macro mean over the datasets.

Two figures side by side, from the same pipeline:
- **cross-validated**: each page is cleaned by a pipeline whose block model was trained
  without the page's site fold (the folds are the README's; scrapinghub pages, also
  training data, are placed by site the same way). This is the figure that stands for
  sites the model never saw.
- **in-sample**: the shipped model, trained on every fold.

In the same run, on the same pages: trafilatura (`include_comments=False`) and
readability-lxml where installed, and the CPU time of the shipped pipeline against
`trafilatura.extract` on each page's HTML, each page timed once (a first pass: nothing
is cached for a page the process has not seen). In HTML mode the bench also prints the
share of the words lost between the page's visible text and the output that the
report's dropped blocks account for. `retention` cleans every gold text as a page and
prints its token recall (gold text is clean: it should come back whole).
"""

from __future__ import annotations

import gzip
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import DatasetError
from . import Result
from .metrics import snippet_counts, snippet_f1, token_counts, token_f1

MODES = ("text", "html", "retention")
DATASETS = ("cleaneval", "dragnet", "trafeval")


def _pages(path: str, limit: int | None) -> tuple[list[Any], list[Any]]:
    """(chrome pages, all training pages): scrapinghub joins the training pages if beside."""
    from ..blocks import train

    root = Path(path)
    if not (root / "pages.jsonl").is_file():
        raise DatasetError(f"{root} is not the chrome benchmark folder (no pages.jsonl)")
    chrome = train.load_chrome(root)
    if limit:
        chrome = chrome[:limit]
    pages = list(chrome)
    hub = root.parent / "scrapinghub"
    if (hub / "ground-truth.json").is_file() and not limit:
        known = {p.site: p.fold for p in chrome}
        pages += train.load_scrapinghub(hub, known)
    return chrome, pages


def _fold_models(
    pages: Sequence[Any], mode: str, log: Callable[[str], None], folds: str | None = None
) -> dict[int, Any]:
    """A block model for each fold, trained on the pages of the other folds (read from
    `folds`, as `benchmarks/train_block_model.py --folds` wrote them, when given)."""
    from ..blocks import train
    from ..blocks.model import BlockModel

    wanted = sorted({p.fold for p in pages})
    if folds:
        paths = {k: Path(folds) / train.fold_file(mode, k) for k in wanted}
        missing = [str(p) for p in paths.values() if not p.is_file()]
        if missing:
            raise DatasetError(f"no fold model {missing[0]}")
        return {k: BlockModel.from_file(str(p)) for k, p in paths.items()}

    try:
        import lightgbm  # noqa: F401
    except ImportError:
        raise DatasetError(
            "cross-validation trains models: install the train extra "
            "(pip install 'newsclean[train]'), or pass --in-sample"
        ) from None
    start = time.perf_counter()
    datas = train.build(pages, mode)
    log(f"features of {len(datas)} pages in {time.perf_counter() - start:.0f} s")
    models = {}
    for fold in sorted({d.page.fold for d in datas}):
        models[fold] = train.fit_block_model([d for d in datas if d.page.fold != fold])
        log(f"model without fold {fold} ({time.perf_counter() - start:.0f} s)")
    return models


def _pipeline(mode: str, model: Any, options: dict[str, Any]) -> Any:
    """The default pipeline with `model` as its block model for `mode` (None: shipped)."""
    from ..cleaners.extract import Extract
    from ..cleaners.strip import Strip
    from ..pipeline import Options, default_pipeline

    pipe = default_pipeline(**options)
    if model is None:
        return pipe
    opts = Options.from_mapping(options)
    if mode == "html":
        return pipe.replace("extract", Extract(opts, model))
    return pipe.replace("strip", Strip(opts, model))


def _reference_extractors() -> dict[str, Callable[[str], str]]:
    """The extractors scored beside newsclean: trafilatura, readability-lxml if installed."""
    import trafilatura

    def traf(html: str) -> str:
        return trafilatura.extract(html, include_comments=False) or ""

    out: dict[str, Callable[[str], str]] = {"trafilatura": traf}
    try:
        from readability import Document as Readable
    except ImportError:
        return out

    from ..cleaners.html import parse

    def readability(html: str) -> str:
        try:
            summary = Readable(html).summary(html_partial=True)
        except Exception:  # readability raises bare Exceptions on odd pages
            return ""
        tree = parse(summary)
        if tree is None:
            return ""
        return "\n".join(t.strip() for t in tree.itertext() if t.strip())

    out["readability"] = readability
    return out


def _score(pages: Sequence[Any], outputs: Sequence[str]) -> dict[str, float]:
    """Dataset figures and their macro mean for one system's outputs."""
    f1s: dict[str, list[float]] = defaultdict(list)
    snippets = []
    for page, out in zip(pages, outputs, strict=True):
        if page.gold is not None:
            f1s[page.dataset].append(token_f1(page.gold, out))
        else:
            snippets.append(snippet_counts(out, page.keep, page.drop))
    figures = {name: statistics.fmean(values) for name, values in f1s.items()}
    if snippets:
        figures["trafeval"] = snippet_f1(snippets)[2]
    present = [figures[d] for d in DATASETS if d in figures]
    figures["macro"] = statistics.fmean(present) if present else 0.0
    return figures


def _coverage(visible: str, output: str, dropped: str) -> tuple[int, int]:
    """(words lost between the visible text and the output, of them in dropped blocks)."""
    lost = token_counts(visible) - token_counts(output)
    covered = lost & token_counts(dropped)
    return sum(lost.values()), sum(covered.values())


def run(
    path: str,
    mode: str = "text",
    limit: int | None = None,
    repeats: int = 1,
    in_sample: bool = False,
    folds: str | None = None,
    log: Callable[[str], None] | None = None,
    **options: Any,
) -> Result:
    """Score newsclean (cross-validated and in-sample) and the reference extractors."""
    from ..cleaners.read import decode

    if mode not in MODES:
        raise DatasetError(f"unknown mode {mode!r} for chrome; known: {', '.join(MODES)}")
    say = log or (lambda _: None)
    chrome, pages = _pages(path, limit)
    if mode == "retention":
        return _retention(chrome, options)
    models = {} if in_sample else _fold_models(pages, mode, say, folds)
    shipped = _pipeline(mode, None, options)
    by_fold = {fold: _pipeline(mode, m, options) for fold, m in models.items()}
    references = _reference_extractors()
    outputs: dict[str, list[str]] = defaultdict(list)
    seconds: dict[str, float] = defaultdict(float)
    lost = covered = 0
    clock = time.process_time
    for page in chrome:
        with gzip.open(page.html_path, "rb") as f:
            data = f.read()
        html = decode(data)[0]
        source: str | bytes = data if mode == "html" else page.text
        start = clock()
        doc = shipped.process(source)
        seconds["newsclean"] += clock() - start
        outputs["newsclean in-sample"].append(doc.text)
        if page.fold in by_fold:
            cv_doc = by_fold[page.fold].process(source)
            outputs["newsclean cross-validated"].append(cv_doc.text)
            doc = cv_doc
        if mode == "html":
            dropped = "\n".join(b.text for b in doc.blocks if not b.kept)
            a, b = _coverage(page.text, doc.text, dropped)
            lost, covered = lost + a, covered + b
        for name, extract in references.items():
            start = clock()
            outputs[name].append(extract(html))
            seconds[name] += clock() - start
    result = Result("chrome")
    header = f"{'system':28}" + "".join(f"{d:>11}" for d in (*DATASETS, "macro"))
    result.lines += [f"chrome benchmark, {mode} mode, {len(chrome)} pages", header]
    for name, outs in outputs.items():
        figures = _score(chrome, outs)
        row = "".join(f"{figures.get(d, float('nan')):>11.3f}" for d in (*DATASETS, "macro"))
        result.lines.append(f"{name:28}{row}")
        for key, value in figures.items():
            result.figures[f"{name}.{key}"] = value
    if mode == "html":
        share = covered / lost if lost else 1.0
        result.figures["drop_coverage"] = share
        result.lines.append(
            f"words of the visible text missing from the output that dropped blocks hold: "
            f"{share:.3f} ({covered} of {lost})"
        )
    reference = seconds.get("trafilatura", 0.0)
    if reference:
        ratio = seconds["newsclean"] / reference
        result.figures["time_ratio"] = ratio
        result.lines.append(
            f"time, first pass, CPU: newsclean {seconds['newsclean']:.1f} s, "
            f"trafilatura.extract {reference:.1f} s on the same pages' HTML: {ratio:.2f}x its time"
        )
    return result


def _retention(pages: Sequence[Any], options: dict[str, Any]) -> Result:
    """Token recall of `clean(gold)` against the gold, over every gold text."""
    pipe = _pipeline("text", None, options)
    recalls = []
    worst: list[tuple[float, str]] = []
    for page in pages:
        if not page.gold:
            continue
        gold = token_counts(page.gold)
        out = token_counts(pipe.process(page.gold).text)
        recall = sum((gold & out).values()) / max(1, sum(gold.values()))
        recalls.append(recall)
        worst.append((recall, page.id))
    result = Result("chrome")
    mean = statistics.fmean(recalls) if recalls else 1.0
    result.figures["retention_recall"] = mean
    result.lines.append(f"retention: clean(gold) token recall {mean:.4f} over {len(recalls)} texts")
    worst.sort()
    result.lines += [f"  {r:.3f} {pid}" for r, pid in worst[:10]]
    return result
