"""The block model: DOM segmentation, features, tree inference, the shipped weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import newsclean
from newsclean.blocks import dom, features, labels
from newsclean.blocks.model import BlockModel, shipped
from newsclean.cleaners.html import parse

PAGE = """<html><head><title>Harbour strike ends - Example News</title></head><body>
<nav class="main-menu"><ul><li><a href="/">Home</a></li>
<li><a href="/world">World</a></li></ul></nav>
<div class="breadcrumb"><a href="/">Home</a> » <a href="/world">World</a></div>
<article class="story-body">
<h1>Harbour strike ends</h1>
<p>The strike at the harbour ended on Monday after the union and the port authority
agreed on a new contract that raises wages by four percent over two years.</p>
<p>Dockworkers returned to the cranes by the afternoon, and the first container ships
left the port before nightfall, the authority said in a statement.</p>
<figure><img src="cranes.jpg" alt="cranes">
<figcaption>Cranes at dawn. Photo: A. Lens</figcaption></figure>
<p>Shipping lines had diverted <a href="/ships">dozens of vessels</a> to other ports during
the three weeks of the strike, which cost the regional economy millions.</p>
</article>
<div id="comments"><h3>3 Comments</h3><p>Great news!</p></div>
<footer class="site-footer"><p>© 2024 Example News. All rights reserved.</p></footer>
<script>var x = "not text";</script>
</body></html>"""


def test_segment_cuts_blocks_with_their_dom_facts() -> None:
    blocks, parents = dom.segment(parse(PAGE))
    texts = [b.text for b in blocks]
    assert "not text" not in " ".join(texts)
    assert texts[:2] == ["Home", "World"]
    heading = next(b for b in blocks if b.text == "Harbour strike ends")
    assert heading.kind == "heading" and heading.heading == 1
    caption = next(b for b in blocks if b.text.startswith("Cranes at dawn"))
    assert caption.kind == "caption"
    linked = next(b for b in blocks if b.text.startswith("Shipping lines"))
    assert 0 < linked.link_chars < len(linked.text)
    nav_bit = 1 << dom.LANDMARKS.index("nav")
    assert blocks[0].landmarks & nav_bit
    footer = blocks[-1]
    assert footer.markers & (1 << dom.MARKER_NAMES.index("footer"))
    assert all(0 <= b.container < len(parents) for b in blocks)


def test_hidden_elements_are_not_text() -> None:
    html = (
        '<body><p>Seen text here.</p><p style="display: none">Unseen</p><p hidden>Gone</p></body>'
    )
    blocks, _ = dom.segment(parse(html))
    assert [b.text for b in blocks] == ["Seen text here."]


def test_feature_rows_match_their_names() -> None:
    texts = ["Home | World | Sport", "A sentence of prose that ends as sentences do.", "© 2024"]
    x = features.text_matrix(texts)
    assert x.shape == (3, len(features.TEXT_NAMES))
    assert np.isfinite(x).all()
    blocks, parents = dom.segment(parse(PAGE))
    h = features.html_matrix(blocks, parents, "Harbour strike ends")
    assert h.shape == (len(blocks), len(features.TEXT_NAMES) + len(dom.DOM_NAMES))


def test_labels_follow_the_gold() -> None:
    texts = ["Home World Sport", "The strike at the harbour ended on Monday.", "Subscribe now"]
    y, w = labels.gold_labels(texts, "The strike at the harbour ended on Monday. More text.")
    assert y == [0, 1, 0]
    assert all(v > 0 for v in w)
    y, w = labels.snippet_labels(texts, ["the harbour ended on Monday"], ["Subscribe now"])
    assert y[1] == 1 and y[2] == 0 and w[0] == 0.0


def test_tree_inference_equals_lightgbm() -> None:
    lightgbm = pytest.importorskip("lightgbm")
    from newsclean.blocks.train import PARAMS, _ensemble

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 6))
    y = (x[:, 0] + 0.5 * x[:, 1] * x[:, 2] > 0).astype(float)
    booster = lightgbm.train(
        {**PARAMS, "min_data_in_leaf": 5}, lightgbm.Dataset(x, label=y), num_boost_round=20
    )
    ours = _ensemble(booster).log_odds(x)
    assert np.allclose(ours, booster.predict(x, raw_score=True), atol=1e-9)


@pytest.mark.parametrize("mode", ["text", "html"])
def test_shipped_models_load_and_score(mode: str) -> None:
    model = shipped(mode)
    assert isinstance(model, BlockModel)
    assert 0 < model.threshold < 1


def test_html_keeps_the_article_and_names_each_drop() -> None:
    doc = newsclean.process(PAGE)
    assert "harbour ended on Monday" in doc.text
    assert "Shipping lines had diverted" in doc.text
    assert "All rights reserved" not in doc.text
    assert "Great news!" not in doc.text
    reasons = {d.text: d.reason for d in doc.drops}
    assert reasons["© 2024 Example News. All rights reserved."] == "footer"
    assert all(reason for reason in reasons.values())


def test_html_report_accounts_for_every_visible_word() -> None:
    doc = newsclean.process(PAGE)
    blocks, _ = dom.segment(parse(PAGE))
    visible = " ".join(b.text for b in blocks).split()
    reported = " ".join([doc.text, *(d.text for d in doc.drops)]).split()
    assert set(visible) <= set(reported)


def test_training_twice_gives_the_same_weights(tmp_path: Path) -> None:
    pytest.importorskip("lightgbm")
    from newsclean.blocks import train

    article = [
        "The strike at the harbour ended on Monday after the union and the port agreed.",
        "Dockworkers returned to the cranes by the afternoon, the authority said.",
        "Shipping lines had diverted dozens of vessels to other ports during the strike.",
    ]
    chrome = ["Home", "World", "Sport", "Subscribe now", "© 2024 Example News"]
    datas = []
    for i in range(40):
        texts = chrome[: 2 + i % 3] + article[: 1 + i % 3] + chrome[3:]
        y = np.array([float(t in article) for t in texts])
        page = train.Page(f"p{i}", "dragnet", f"site{i % 4}", i % 4, "", tmp_path, None)
        x = features.text_matrix(texts)
        datas.append(train.PageData(page, "text", texts, x, None, y, np.ones(len(texts))))
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    train.fit_block_model(datas).save(str(first))
    train.fit_block_model(datas).save(str(second))
    assert first.read_bytes() == second.read_bytes()
    model = BlockModel.from_file(str(first))
    scores = model.scores(datas[0].x)
    assert scores[datas[0].y == 1].min() > scores[datas[0].y == 0].max()
