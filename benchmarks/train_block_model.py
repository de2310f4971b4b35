"""Train the block model's shipped weights from the shared benchmark pages.

    python benchmarks/train_block_model.py [--shared ../shared] [--mode text|html|both]
        [--out src/newsclean/data] [--cv]

Reads `bench/chrome/pages.jsonl` (with each page's HTML) and `bench/scrapinghub/`,
labels every block against the gold, fits both stages on all pages and writes
`block_model_text.npz` and `block_model_html.npz`. The same data gives the same weights
(fixed seed, one thread, sorted inputs). With `--cv` it first prints the model's own
cross-validated figures by site fold (blocks kept by the model alone, before the rest
of the pipeline; `newsclean bench chrome` gives the whole pipeline's). Needs the
`train` extra (`pip install -e '.[train]'`).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

from newsclean.bench.metrics import snippet_counts, snippet_f1, token_f1
from newsclean.blocks import train

ROOT = Path(__file__).resolve().parents[1]


def _log(message: str) -> None:
    print(message, flush=True)


def _model_figures(datas: list[train.PageData], scores: list, threshold: float) -> str:
    f1s: dict[str, list[float]] = defaultdict(list)
    snippets = []
    for d, s in zip(datas, scores, strict=True):
        if d.synthetic:
            continue
        out = train.kept_text(d.texts, s, threshold)
        if d.page.gold is not None:
            f1s[d.page.dataset].append(token_f1(d.page.gold, out))
        else:
            snippets.append(snippet_counts(out, d.page.keep, d.page.drop))
    figures = {k: statistics.fmean(v) for k, v in sorted(f1s.items())}
    if snippets:
        figures["trafeval"] = snippet_f1(snippets)[2]
    macro = statistics.fmean(figures[k] for k in ("cleaneval", "dragnet", "trafeval"))
    cells = ", ".join(f"{k} {v:.3f}" for k, v in figures.items())
    return f"{cells}; macro (cleaneval, dragnet, trafeval) {macro:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--mode", choices=("text", "html", "both"), default="both")
    parser.add_argument("--out", default=str(ROOT / "src/newsclean/data"))
    parser.add_argument("--jobs", type=int, default=2, help="processes for the features")
    parser.add_argument("--cv", action="store_true", help="print cross-validated figures first")
    parser.add_argument(
        "--folds",
        metavar="DIR",
        help="also write each fold's model (trained without it) to DIR, for "
        "`newsclean bench chrome --folds DIR`",
    )
    args = parser.parse_args()
    bench = Path(args.shared) / "bench"
    chrome = train.load_chrome(bench / "chrome")
    known = {p.site: p.fold for p in chrome}
    pages = chrome + train.load_scrapinghub(bench / "scrapinghub", known)
    modes = ("text", "html") if args.mode == "both" else (args.mode,)
    for mode in modes:
        start = time.perf_counter()
        datas = train.build(pages, mode, args.jobs)
        blocks = sum(len(d.texts) for d in datas)
        took = time.perf_counter() - start
        _log(f"{mode}: {len(datas)} pages (gold texts too), {blocks} blocks ({took:.0f} s)")
        if args.cv or args.folds:
            scores, models = train.cross_validated_scores(datas, _log)
            figures = _model_figures(datas, scores, train.THRESHOLDS[mode])
            _log(f"{mode} cross-validated, model alone: {figures}")
            if args.folds:
                Path(args.folds).mkdir(parents=True, exist_ok=True)
                for fold, fold_model in models.items():
                    fold_model.save(str(Path(args.folds) / train.fold_file(mode, fold)))
        model = train.fit_block_model(datas, _log)
        scores = [model.scores(d.x, d.containers) for d in datas]
        _log(f"{mode} in-sample, model alone: {_model_figures(datas, scores, model.threshold)}")
        path = Path(args.out) / f"block_model_{mode}.npz"
        model.save(str(path))
        _log(f"{mode}: wrote {path} ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
