"""Training the block model from the shared benchmark pages (never run at import or clean time).

Pages come from `bench/chrome/pages.jsonl` (dragnet, cleaneval: gold text; trafeval:
keep/drop snippets) and `bench/scrapinghub/` (gold article bodies), each with a
site-grouped fold, so that no site is on both sides of a split. Each page is cut into
blocks as the cleaner cuts it (text: its lines; HTML: `dom.segment`), each block
labelled against the gold (`labels.py`) and described by `features.py`.

The model has two stages of LightGBM trees. Stage two reads stage one's scores of
the neighbours, so it is trained on stage-one scores the block's own page never saw:
out-of-fold scores, folds being sites. Everything is deterministic (sorted inputs,
fixed seeds, a fixed thread count), so the same data gives the same weights.

`lightgbm` is needed here only (the `train` extra); the shipped weights are read by
`model.py` with numpy alone.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from ..cleaners.extract import text_blocks
from . import dom, features, labels
from .model import BlockModel, TreeEnsemble, context_matrix

FOLDS = 5
SEED = 20261207
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.1,
    "max_bin": 63,
    "num_leaves": 31,
    "max_depth": 8,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbosity": -1,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "seed": SEED,
}
ROUNDS = 150
# The score above which a block is article, per mode (chosen on cross-validated figures).
THRESHOLDS = {"text": 0.4, "html": 0.5}
# Stage two's training scores come from stage-one models of this many groups of folds.
INNER_GROUPS = 2


@dataclass
class Page:
    """One benchmark page and its reference."""

    id: str
    dataset: str
    site: str
    fold: int
    text: str
    html_path: Path
    gold: str | None
    keep: list[str] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)
    url: str | None = None


def load_chrome(root: Path) -> list[Page]:
    """The pages of `bench/chrome` in file order."""
    pages = []
    with open(root / "pages.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            pages.append(
                Page(
                    r["id"],
                    r["dataset"],
                    r["site"],
                    int(r["fold"]),
                    r["text"],
                    root / r["html"],
                    r.get("gold"),
                    list(r.get("with") or []),
                    list(r.get("without") or []),
                    r.get("url"),
                )
            )
    return pages


def site_fold(site: str) -> int:
    """A fold for a site the chrome set does not place (a stable hash of its name)."""
    return zlib.crc32(site.encode("utf-8")) % FOLDS


def load_scrapinghub(root: Path, known: dict[str, int]) -> list[Page]:
    """The scrapinghub pages, in a fold by site (the chrome set's fold where it has the site)."""
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    texts = json.loads((root / "output" / "html-text.json").read_text("utf-8"))["output"]
    pages = []
    for key in sorted(truth):
        url = truth[key].get("url") or ""
        site = urlsplit(url).netloc.lower().removeprefix("www.")
        pages.append(
            Page(
                f"scrapinghub/{key}",
                "scrapinghub",
                site,
                known.get(site, site_fold(site)),
                texts[key]["articleBody"],
                root / "html" / f"{key}.html.gz",
                truth[key]["articleBody"],
                url=url,
            )
        )
    return pages


def read_html(path: Path) -> str:
    """A page's HTML, decoded as the read step decodes bytes."""
    from ..cleaners.read import decode

    with gzip.open(path, "rb") as f:
        return decode(f.read())[0]


@dataclass
class PageData:
    """A page's blocks as the model sees them, with their labels."""

    page: Page
    mode: str
    texts: list[str]
    x: np.ndarray
    containers: np.ndarray | None
    y: np.ndarray
    w: np.ndarray
    # a page made for training only (a gold text as a page), never scored
    synthetic: bool = False


def html_blocks(raw: str) -> tuple[list[dom.DomBlock], list[int], str | None]:
    """The DOM blocks of an HTML page, its containers' parents and its <title>."""
    from ..cleaners.html import parse

    tree = parse(raw)
    if tree is None:
        return [], [-1], None
    title = tree.findtext(".//title")
    blocks, parents = dom.segment(tree)
    return blocks, parents, (title.strip() if title else None)


def page_data(page: Page, mode: str) -> PageData:
    """Blocks, features and labels of one page in one mode ("text" or "html")."""
    containers = None
    if mode == "text":
        texts = [b.text for b in text_blocks(page.text)]
        x = features.text_matrix(texts)
    else:
        blocks, parents, title = html_blocks(read_html(page.html_path))
        texts = [b.text for b in blocks]
        x = features.html_matrix(blocks, parents, title)
        containers = np.array([b.container for b in blocks], dtype=np.int64)
    if page.gold is not None:
        y, w = labels.gold_labels(texts, page.gold)
    else:
        y, w = labels.snippet_labels(texts, page.keep, page.drop)
    weights = np.array(w, dtype=np.float64)
    total = weights.sum()
    if total > 0:  # each page counts alike, as in the per-page mean the benchmark takes
        weights *= 100.0 / total
    return PageData(page, mode, texts, x, containers, np.array(y, dtype=np.float64), weights)


def gold_page_data(page: Page) -> PageData | None:
    """A page's gold text read as a page of its own, every line article.

    Clean text must come back whole (cleaning the output again changes nothing, and a
    clean article given to `clean` keeps its lines): these pages teach the text model
    what a page with no chrome looks like. They weigh half as much as a real page.
    """
    if not page.gold:
        return None
    texts = [b.text for b in text_blocks(page.gold)]
    if not texts:
        return None
    x = features.text_matrix(texts)
    w = np.array([labels.weight(len(features.tokens(t))) for t in texts])
    w *= 50.0 / max(1e-9, float(w.sum()))
    return PageData(page, "text", texts, x, None, np.ones(len(texts)), w, synthetic=True)


def build(pages: Sequence[Page], mode: str, jobs: int = 1) -> list[PageData]:
    """`page_data` of every page, in the pages' order (in `jobs` processes); in text mode
    followed by the gold pages (`gold_page_data`), which carry the same folds."""
    if jobs <= 1:
        datas = [page_data(p, mode) for p in pages]
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as pool:
            datas = list(pool.map(page_data, pages, [mode] * len(pages), chunksize=16))
    if mode == "text":
        golds = (gold_page_data(p) for p in pages)
        datas += [g for g in golds if g is not None]
    return datas


# -- fitting ---------------------------------------------------------------------


_Flat = tuple[list[int], list[float], list[int], list[int], list[float]]


def _flatten(root: dict[str, Any]) -> tuple[_Flat, int]:
    """One dumped LightGBM tree as node arrays (a leaf points to itself), and its depth."""
    feat: list[int] = []
    thr: list[float] = []
    left: list[int] = []
    right: list[int] = []
    val: list[float] = []
    depth = 0
    stack: list[tuple[dict[str, Any], int, int, bool]] = [(root, 0, -1, True)]
    while stack:
        node, level, parent, is_left = stack.pop()
        index = len(feat)
        if parent >= 0:
            (left if is_left else right)[parent] = index
        feat.append(0)
        thr.append(float("inf"))
        left.append(index)
        right.append(index)
        val.append(0.0)
        if "leaf_value" in node:
            val[index] = float(node["leaf_value"])
            depth = max(depth, level)
            continue
        if node.get("decision_type", "<=") != "<=":
            raise ValueError("only numerical splits are supported")
        feat[index] = int(node["split_feature"])
        thr[index] = float(node["threshold"])
        stack.append((node["right_child"], level + 1, index, False))
        stack.append((node["left_child"], level + 1, index, True))
    return (feat, thr, left, right, val), depth


def _ensemble(booster: Any) -> TreeEnsemble:
    """A LightGBM booster's trees as the padded arrays `TreeEnsemble` reads."""
    dumped = booster.dump_model()
    flat: list[_Flat] = []
    depth = 0
    for info in dumped["tree_info"]:
        arrays, tree_depth = _flatten(info["tree_structure"])
        flat.append(arrays)
        depth = max(depth, tree_depth)
    width = max(len(f[0]) for f in flat)

    def pad(i: int, fill: float, dtype: Any) -> np.ndarray:
        out = np.full((len(flat), width), fill, dtype=dtype)
        for t, arrays in enumerate(flat):
            out[t, : len(arrays[i])] = arrays[i]
        return out

    left_arr = pad(2, 0, np.int32)
    right_arr = pad(3, 0, np.int32)
    # padding nodes are never reached; make them leaves of value 0 all the same
    for t, arrays in enumerate(flat):
        n = len(arrays[0])
        left_arr[t, n:] = np.arange(n, width)
        right_arr[t, n:] = np.arange(n, width)
    return TreeEnsemble(
        pad(0, 0, np.int32),
        pad(1, np.inf, np.float64),
        left_arr,
        right_arr,
        pad(4, 0.0, np.float64),
        depth,
        0.0,
    )


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, rounds: int = ROUNDS) -> TreeEnsemble:
    """One LightGBM model on the rows that carry weight, as a `TreeEnsemble`."""
    import lightgbm

    keep = w > 0
    data = lightgbm.Dataset(x[keep], label=y[keep], weight=w[keep], free_raw_data=True)
    booster = lightgbm.train(PARAMS, data, num_boost_round=rounds)
    return _ensemble(booster)


def _stack(datas: Sequence[PageData]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        np.vstack([d.x for d in datas]),
        np.concatenate([d.y for d in datas]),
        np.concatenate([d.w for d in datas]),
    )


def _second_rows(d: PageData, p1: np.ndarray) -> np.ndarray:
    return np.hstack((d.x, context_matrix(p1, d.containers)))


def fit_block_model(
    datas: Sequence[PageData],
    log: Callable[[str], None] = lambda _: None,
    threshold: float | None = None,
) -> BlockModel:
    """Both stages on `datas`; stage two on stage-one scores from models of other folds."""
    folds = sorted({d.page.fold for d in datas})
    group = {fold: k % INNER_GROUPS for k, fold in enumerate(folds)}
    first_scores: dict[int, np.ndarray] = {}
    for g in range(INNER_GROUPS):
        inside = [d for d in datas if group[d.page.fold] != g]
        model = fit(*_stack(inside))
        for i, d in enumerate(datas):
            if group[d.page.fold] == g:
                first_scores[i] = model.probability(d.x)
        log(f"  stage one without fold group {g}")
    first = fit(*_stack(datas))
    second_x = np.vstack([_second_rows(d, first_scores[i]) for i, d in enumerate(datas)])
    _, y, w = _stack(datas)
    second = fit(second_x, y, w)
    log("  stage two")
    if threshold is None:
        threshold = THRESHOLDS[datas[0].mode] if datas else 0.5
    return BlockModel(first, second, threshold)


def cross_validated_scores(
    datas: Sequence[PageData], log: Callable[[str], None] = lambda _: None
) -> tuple[list[np.ndarray], dict[int, BlockModel]]:
    """Each page's block scores from a model trained without its fold, and those models."""
    out: list[np.ndarray] = [np.zeros(0)] * len(datas)
    models: dict[int, BlockModel] = {}
    for fold in sorted({d.page.fold for d in datas}):
        log(f"fold {fold}")
        model = fit_block_model([d for d in datas if d.page.fold != fold], log)
        models[fold] = model
        for i, d in enumerate(datas):
            if d.page.fold == fold:
                out[i] = model.scores(d.x, d.containers)
    return out, models


def fold_file(mode: str, fold: int) -> str:
    """The file name of the model trained without `fold`."""
    return f"block_model_{mode}_without_fold{fold}.npz"


def kept_text(texts: Iterable[str], scores: np.ndarray, threshold: float) -> str:
    """The blocks a model keeps, one per line."""
    return "\n".join(t for t, s in zip(texts, scores, strict=True) if s >= threshold)
