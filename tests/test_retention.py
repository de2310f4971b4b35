"""Cleaning an already clean article body keeps it (GUIDE section 5, retention)."""

from __future__ import annotations

import json

import newsclean
from conftest import shared_path
from newsclean.bench.metrics import body_scores


def test_gold_bodies_survive_cleaning() -> None:
    truth = json.loads(shared_path("bench", "scrapinghub", "ground-truth.json").read_text("utf-8"))
    gold = [v["articleBody"] or "" for v in truth.values()]
    scores = body_scores((g, newsclean.clean(g)) for g in gold)
    assert scores.documents == 181
    assert scores.recall >= 0.98, scores


def test_text_mode_quality_on_scrapinghub_pages() -> None:
    """Whole scraped page text (menus, teasers, comments): the article comes back.

    A floor under the figures in docs/benchmarks.md, so that a rule that starts eating
    articles, or lets chrome through, is noticed.
    """
    from newsclean.bench.scrapinghub import load

    gold, page_text, _ = load(shared_path("bench", "scrapinghub"))
    pipeline = newsclean.default_pipeline(keep_title=False)
    scores = body_scores((gold[k], pipeline.clean(page_text[k])) for k in sorted(gold))
    assert scores.precision >= 0.87, scores
    assert scores.recall >= 0.92, scores
    assert scores.f1 >= 0.90, scores
