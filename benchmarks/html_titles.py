"""How often newsclean finds the article title of an HTML page (scrapinghub pages).

A title counts as found when it is not empty, is not just the site's name, and
agrees with one of the page's own statements of its headline:
- the text of one of its <h1> elements (whitespace and case aside), or
- its og:title / twitter:title, with at least 80% of the words shared both ways, or
- the <title> element, of which it is a part covering at least 40% (the <title>
  usually adds the site name).
Pages with none of these are listed for checking by eye, and `--sample N` prints N
random pages (title found, <title>, first <h1>) to check the measure itself.

    python benchmarks/html_titles.py ../shared/bench/scrapinghub [--sample 20]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

import regex
from lxml import html as lxml_html

import newsclean

_WORD = regex.compile(r"\w+")


def words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").casefold())


def page_statements(page: str) -> dict[str, list[str]]:
    """The headline as the page states it: <h1>s, og/twitter titles, <title>."""
    tree = lxml_html.document_fromstring(page)
    h1 = [" ".join(h.text_content().split()) for h in tree.iter("h1")]
    social = [
        m.get("content") or ""
        for m in tree.iter("meta")
        if (m.get("property") or m.get("name") or "").lower() in ("og:title", "twitter:title")
    ]
    title = [" ".join(t.text_content().split()) for t in tree.iter("title")][:1]
    return {"h1": h1, "social": social, "title": title}


def agrees(found: str, statements: dict[str, list[str]], sitename: str | None) -> str | None:
    """Which statement the found title agrees with, or None."""
    mine = words(found)
    if not mine or (sitename and mine == words(sitename)):
        return None
    if any(words(h) == mine for h in statements["h1"]):
        return "h1"
    for social in statements["social"]:
        theirs = set(words(social))
        shared = len(set(mine) & theirs)
        if theirs and shared >= 0.8 * len(set(mine)) and shared >= 0.8 * len(theirs):
            return "og:title"
    for title in statements["title"]:
        joined, whole = " ".join(mine), " ".join(words(title))
        if joined and joined in whole and len(joined) >= 0.4 * len(whole):
            return "<title>"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the scrapinghub benchmark folder")
    parser.add_argument("--sample", type=int, default=0, help="print N random pages to check")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args(argv)
    root = Path(args.path)
    ids = sorted(json.loads((root / "ground-truth.json").read_text("utf-8")))
    pipeline = newsclean.default_pipeline(keep_title=False).without("language")
    rows = []
    for doc_id in ids:
        page = gzip.decompress((root / "html" / f"{doc_id}.html.gz").read_bytes()).decode(
            "utf-8", errors="replace"
        )
        doc = pipeline.process(page)
        statements = page_statements(page)
        rows.append(
            (doc_id, doc.title, statements, agrees(doc.title or "", statements, doc.meta.sitename))
        )
    found = [r for r in rows if r[3]]
    by = {k: sum(1 for r in found if r[3] == k) for k in ("h1", "og:title", "<title>")}
    print(
        f"titles found: {len(found)}/{len(rows)} = {len(found) / len(rows):.1%} "
        f"(agreeing with h1 {by['h1']}, og:title {by['og:title']}, <title> {by['<title>']})"
    )
    for doc_id, title, statements, _ in (r for r in rows if not r[3]):
        print(f"  not confirmed {doc_id[:8]}: {title!r} | <title> {statements['title'][:1]}")
    if args.sample:
        print(f"random sample of {args.sample} for checking by eye:")
        for doc_id, title, statements, how in random.Random(args.seed).sample(rows, args.sample):
            first_h1 = statements["h1"][0] if statements["h1"] else None
            print(f"  {doc_id[:8]} [{how}] found {title!r}")
            print(f"      <title> {statements['title'][:1]} h1 {first_h1!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
