"""The block model: which blocks of a page are the article, for text and HTML alike.

A page is a sequence of blocks (the lines of a scraped page's text, or the text blocks
of its DOM). Each block gets a row of features (`features.py`): its own shape and
lexicon evidence, its position, and its neighbours'; HTML blocks add what the DOM says
(`dom.py`: tag, ancestors, class and id names, links). A gradient-boosted tree
ensemble (`model.py`, weights shipped as JSON in `newsclean/data/`) scores every block
in two stages: the second reads the first stage's scores of the block's neighbours and
of its DOM container, so that a region of prose, an article of short lines or an
article inside comment chrome is decided on its merits. `train.py` rebuilds the weights
from the shared benchmark pages (`benchmarks/train_block_model.py`).
"""
