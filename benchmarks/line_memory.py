"""What the strip step's memory of lines across documents is worth, in CPU time per page.

Two batches, each cleaned page by page by the strip step alone, once with the memory
cleared before every page ("alone") and once kept through the batch ("batch"), in
alternating rounds; the figure is the median of the per-round ratios batch / alone:

1. the 181 scrapinghub page texts, 126 sites (pages of one site rarely meet);
2. a one-site crawl, simulated: the chrome of one benchmark page (everything above and
   below its article) around 60 other pages' gold bodies, for a few such sites.

    python benchmarks/line_memory.py ../shared/bench/scrapinghub
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time

from newsclean.bench.scrapinghub import load
from newsclean.cleaners.strip import Strip
from newsclean.document import Document
from newsclean.pipeline import Pipeline, default_pipeline


def prepared(pipeline: Pipeline, pages: list[str]) -> list[Document]:
    """The pages as the strip step receives them (read, extract and repair done)."""
    docs = []
    for page in pages:
        doc = Document(source=page)
        for step in pipeline.steps[:3]:
            doc = step(doc)
        docs.append(doc)
    return docs


def ratio(strip: Strip, docs: list[Document], rounds: int) -> tuple[float, float, float]:
    """Median ms per page alone, as a batch, and the median per-round ratio batch / alone."""
    times: dict[str, list[float]] = {"alone": [], "batch": []}
    for _ in range(rounds):
        for mode in times:
            copies = [copy.deepcopy(doc) for doc in docs]
            strip.forget()
            start = time.process_time()
            for doc in copies:
                if mode == "alone":
                    strip.forget()
                strip(doc)
            times[mode].append((time.process_time() - start) / len(docs) * 1000)
    ratios = [b / a for a, b in zip(times["alone"], times["batch"], strict=True)]
    return (
        statistics.median(times["alone"]),
        statistics.median(times["batch"]),
        statistics.median(ratios),
    )


def one_site(page: str, body: str, bodies: list[str]) -> list[str] | None:
    """`page`'s chrome around each of `bodies`, or None when its article is not found."""
    lines = page.split("\n")
    inside = [k for k, line in enumerate(lines) if line.strip() and line.strip() in body]
    if not inside:
        return None
    head, tail = "\n".join(lines[: inside[0]]), "\n".join(lines[inside[-1] + 1 :])
    return [f"{head}\n\n{other}\n\n{tail}" for other in bodies]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the scrapinghub benchmark folder")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sites", type=int, default=6)
    args = parser.parse_args()
    gold, page_text, _ = load(args.path)
    ids = sorted(gold)
    pipeline = default_pipeline(keep_title=False)
    strip = next(step for step in pipeline.steps if isinstance(step, Strip))
    mixed = prepared(pipeline, [page_text[i] for i in ids])
    for doc in copy.deepcopy(mixed):
        strip(doc)  # warm the lexicon's own caches
    alone, batch, r = ratio(strip, mixed, args.rounds)
    print(f"mixed pages ({len(ids)}): alone {alone:.2f} ms/page, batch {batch:.2f}, ratio {r:.3f}")
    bodies = [gold[i] for i in ids[20:80]]
    results = []
    for site in ids[: args.sites]:
        pages = one_site(page_text[site], gold[site], bodies)
        if pages:
            results.append(ratio(strip, prepared(pipeline, pages), args.rounds))
    alone = statistics.median(a for a, _, _ in results)
    batch = statistics.median(b for _, b, _ in results)
    r = statistics.median(x for _, _, x in results)
    print(
        f"one-site crawls ({len(results)} sites x {len(bodies)} pages): alone {alone:.2f} "
        f"ms/page, batch {batch:.2f}, ratio {r:.3f}"
    )


if __name__ == "__main__":
    main()
