"""Record what the default pipeline makes of every benchmark input, or compare with a record.

Speed work must not change results. This writes, for each scrapinghub page (text and
HTML), each gold body and each mixed-language record, the clean text and the whole
report (drops, repairs, flags, title, language, scores) to one JSON file; with
`--compare OLD`, it prints the inputs whose result differs and exits 1 if any does.

    python benchmarks/snapshot.py ../shared/bench -o before.json
    python benchmarks/snapshot.py ../shared/bench -o after.json --compare before.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsclean import default_pipeline
from newsclean.bench.scrapinghub import load
from newsclean.document import Document


def record(doc: Document) -> dict[str, Any]:
    """Everything a user can see of a cleaned document."""
    return {
        "text": doc.text,
        "title": doc.meta.title,
        "lang": doc.meta.lang,
        "drops": [
            [i, b.drop.cleaner, b.drop.reason, b.drop.detail]
            for i, b in enumerate(doc.blocks)
            if b.drop is not None
        ],
        "repairs": [[r.cleaner, r.reason, r.before, r.after, r.block] for r in doc.repairs],
        "flags": [
            [f.cleaner, f.reason, f.block, f.start, f.end, f.text, f.suggestion] for f in doc.flags
        ],
        "scores": doc.scores,
    }


def inputs(bench: Path, limit: int | None) -> dict[str, str]:
    """Every benchmark input by a stable name."""
    out: dict[str, str] = {}
    gold, page_text, html = load(bench / "scrapinghub")
    for doc_id in sorted(gold)[:limit]:
        out[f"text/{doc_id}"] = page_text[doc_id]
        out[f"html/{doc_id}"] = html(doc_id)
        out[f"gold/{doc_id}"] = gold[doc_id]
    mtnoise = bench / "mtnoise" / "mtnoise_dev.jsonl"
    if mtnoise.exists():
        with mtnoise.open(encoding="utf-8") as lines:
            for n, line in enumerate(lines):
                if limit is not None and n >= limit:
                    break
                item = json.loads(line)
                out[f"mtnoise/{item['id']}"] = item["noisy"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", type=Path, help="the shared bench folder")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--compare", type=Path, help="an earlier snapshot to compare with")
    parser.add_argument("--limit", type=int, help="only the first N inputs of each set")
    args = parser.parse_args()
    pipeline = default_pipeline(keep_title=False)
    snapshot = {
        name: record(pipeline.process(source))
        for name, source in inputs(args.bench, args.limit).items()
    }
    args.output.write_text(json.dumps(snapshot, ensure_ascii=False, sort_keys=True), "utf-8")
    print(f"{len(snapshot)} inputs recorded in {args.output}")
    if args.compare is None:
        return 0
    old = json.loads(args.compare.read_text("utf-8"))
    changed = sorted(
        name for name in snapshot.keys() | old.keys() if snapshot.get(name) != old.get(name)
    )
    for name in changed:
        fields = [
            k
            for k in ("text", "title", "lang", "drops", "repairs", "flags", "scores")
            if (snapshot.get(name) or {}).get(k) != (old.get(name) or {}).get(k)
        ]
        print(f"changed: {name} ({', '.join(fields)})")
    print(f"{len(changed)} of {len(snapshot)} inputs changed")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
