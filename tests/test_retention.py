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
