"""Check that a batch run's `newsclean-stats.json` agrees with the files it wrote.

Builds an input folder from the scrapinghub pages (../shared/bench/scrapinghub/html, or
$NEWSCLEAN_SCRAPINGHUB), repeated to `--docs` documents: half as loose `.html` files,
half as records of one JSONL file (field `html`, with an id and a URL), plus a few
inputs that must fail (broken gzip, invalid JSON lines) and pages with nothing to keep.
It runs `python -m newsclean clean IN -o OUT --field html -j N` as a user would, then
counts what is on disk and compares it with the statistics file and `index.jsonl`:

    python benchmarks/batch_stats_check.py --docs 2000 --jobs 2

Prints one line per figure (stats, disk, ok) and exits non-zero on any disagreement.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRAPINGHUB = Path(
    os.environ.get("NEWSCLEAN_SCRAPINGHUB", ROOT.parent / "shared" / "bench" / "scrapinghub")
)
BAD_FILES = 3
BAD_LINES = 4
EMPTY_PAGES = 5


def build_inputs(folder: Path, docs: int) -> dict[str, int]:
    """Write the inputs; return how many of each kind there are and their bytes."""
    pages = [gzip.decompress(p.read_bytes()) for p in sorted((SCRAPINGHUB / "html").glob("*.gz"))]
    if not pages:
        sys.exit(f"no scrapinghub pages under {SCRAPINGHUB}")
    loose = docs // 2
    in_jsonl = docs - loose
    (folder / "pages").mkdir(parents=True)
    for i in range(loose):
        (folder / "pages" / f"{i:05d}.html").write_bytes(pages[i % len(pages)])
    for i in range(EMPTY_PAGES):
        (folder / "pages" / f"empty{i}.html").write_text(
            "<html><body><p>Share on Facebook</p></body></html>", "utf-8"
        )
    for i in range(BAD_FILES):
        (folder / "pages" / f"broken{i}.html.gz").write_bytes(b"\x1f\x8b" + bytes(40))
    with open(folder / "crawl.jsonl", "w", encoding="utf-8") as handle:
        for i in range(in_jsonl):
            page = pages[(loose + i) % len(pages)].decode("utf-8", "replace")
            record = {"id": f"c{i}", "url": f"https://example.org/{i}", "html": page}
            handle.write(json.dumps(record) + "\n")
        for i in range(BAD_LINES):
            handle.write("{not json\n" if i % 2 else '{"id": "no-page"}\n')
    return {
        "documents": loose + in_jsonl + EMPTY_PAGES + BAD_FILES + BAD_LINES,
        "container": in_jsonl,
        "failed": BAD_FILES + BAD_LINES,
    }


def on_disk(out: Path) -> dict[str, int]:
    """What the run left in `out`: text files (empty or not), error records, index lines."""
    texts = sorted(out.rglob("*.txt"))
    sizes = [p.stat().st_size for p in texts]
    non_empty = sum(1 for p in texts if p.read_text("utf-8").strip())
    errors = out / "newsclean-errors.jsonl"
    index = out / "index.jsonl"
    return {
        "cleaned": len(texts),
        "out": non_empty,
        "empty": len(texts) - non_empty,
        "failed": len(errors.read_text("utf-8").splitlines()) if errors.exists() else 0,
        "bytes_out": sum(sizes),
        "index": len(index.read_text("utf-8").splitlines()) if index.exists() else 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsclean-stats-") as tmp:
        folder = Path(tmp)
        made = build_inputs(folder, args.docs)
        out = folder / "out"
        inputs = [str(folder / "pages"), str(folder / "crawl.jsonl")]
        command = [sys.executable, "-m", "newsclean", "clean", *inputs, "-o", str(out)]
        command += ["--field", "html", "-j", str(args.jobs), "-q"]
        start = time.perf_counter()
        code = subprocess.run(command, check=False).returncode
        seconds = time.perf_counter() - start
        stats = json.loads((out / "newsclean-stats.json").read_text("utf-8"))
        disk = on_disk(out)
        docs = stats["documents"]
        checks = [
            ("documents in", docs["in"], made["documents"]),
            ("cleaned (text files)", docs["cleaned"], disk["cleaned"]),
            ("out (non-empty files)", docs["out"], disk["out"]),
            ("empty (empty files)", docs["empty"], disk["empty"]),
            ("failed (error records)", docs["failed"], disk["failed"]),
            ("failed (inputs made bad)", docs["failed"], made["failed"]),
            (
                "failures by reason, summed",
                sum(stats["failures_by_reason"].values()),
                disk["failed"],
            ),
            ("bytes out (file sizes)", stats["bytes"]["out"], disk["bytes_out"]),
            ("languages, summed", sum(stats["languages"].values()), disk["cleaned"]),
            ("index.jsonl lines", disk["index"], made["container"]),
        ]
        print(f"{args.docs} pages, -j {args.jobs}: exit {code} in {seconds:.1f} s")
        print(f"failures: {stats['failures_by_reason']}")
        width = max(len(name) for name, _, _ in checks)
        bad = 0
        for name, in_stats, found in checks:
            ok = in_stats == found
            bad += not ok
            print(
                f"{name:<{width}}  stats {in_stats:>9}  disk {found:>9}  {'ok' if ok else 'DIFFER'}"
            )
    return 1 if bad or code not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main())
