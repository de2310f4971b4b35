"""The mojibake benchmark: encoding repair on real text damaged the ways scraped text is.

What is measured: `repair_document(broken)` (the repair step applied to the whole
`broken` text as one document, each line a block: the same function the pipeline's
repair cleaner uses on a document's blocks), compared with `original`; and, for the
restorable kinds, the whole pipeline: `clean(broken)` compared with `clean(original)`
(what a user gets from the damaged text against what the undamaged one gives), so that
a repair undone or prevented by another step shows.

Per kind it prints:
- restorable kinds: exact restoration rate (output == original), and the whole
  pipeline's rate (clean(broken) == clean(original));
- `clean`: how many documents repair changed (must be 0);
- lossy kinds: how many documents were made worse (character error rate after repair
  greater than before); lost characters are counted, not guessed;
- `truncated`: the exact restoration rate is the truncation rate.

Speed: repair + normalise on the visible text of the scrapinghub pages (the whole page
text with its chrome, more than an article body, so an upper bound), timed in the same
run as `trafilatura.extract` on those pages' HTML, as a ratio (median of repeats).
The scrapinghub folder is `--reference PATH`, or `../scrapinghub` beside the mojibake
folder.
"""

from __future__ import annotations

import difflib
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..errors import DatasetError
from . import Result, median_seconds

WHOLE_DOCUMENT_KINDS = (
    "utf8_as_cp1252",
    "utf8_as_cp1252_nbsp_lost",
    "utf8_as_latin1",
    "utf8_as_macroman",
    "double",
)


def load(path: str | Path) -> list[dict[str, Any]]:
    """The records of a mojibake JSONL file (`path` is the file or its folder)."""
    target = Path(path)
    if target.is_dir():
        target = target / "dev.jsonl"
    try:
        with target.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{target} is not a mojibake JSONL file: {exc}") from None


def _levenshtein(a: str, b: str) -> int:
    """Exact edit distance of two short strings."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def _region_distance(reference: str, text: str) -> int:
    matcher = difflib.SequenceMatcher(None, reference, text, autojunk=False)
    total = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        left, right = reference[i1:i2], text[j1:j2]
        if len(left) * len(right) > 250_000:
            total += max(len(left), len(right))
        else:
            total += _levenshtein(left, right)
    return total


def edit_distance(reference: str, text: str) -> int:
    """Character edit distance, computed region by region: lines are aligned first, then
    the characters of each differing group of lines, and each differing region is
    measured exactly (an upper bound of the true distance, exact for the local damage
    this benchmark holds)."""
    if reference == text:
        return 0
    ref_lines, text_lines = reference.split("\n"), text.split("\n")
    matcher = difflib.SequenceMatcher(None, ref_lines, text_lines, autojunk=False)
    total = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        total += _region_distance("\n".join(ref_lines[i1:i2]), "\n".join(text_lines[j1:j2]))
        if tag != "replace":
            total += 1  # the line break that went with the inserted or deleted lines
    return total


def cer(reference: str, text: str) -> float:
    """Character error rate of `text` against `reference`."""
    return edit_distance(reference, text) / max(1, len(reference))


def _speed(reference: Path, repeats: int, limit: int | None) -> tuple[float, float, int]:
    """(seconds for repair+normalise, seconds for trafilatura.extract, pages)."""
    from trafilatura import extract

    from ..cleaners.normalise import Normalise
    from ..cleaners.repair import RepairText
    from ..document import Block, Document
    from ..pipeline import Options
    from .scrapinghub import load as load_scrapinghub

    _, page_text, html = load_scrapinghub(reference)
    ids = sorted(page_text)[:limit] if limit else sorted(page_text)
    texts = [page_text[i] for i in ids]
    pages = [html(i) for i in ids]
    options = Options()
    repair, normalise = RepairText(options), Normalise(options)

    def ours(text: str) -> None:
        doc = Document(source=text, raw=text, blocks=[Block(line) for line in text.split("\n")])
        normalise(repair(doc))

    mine = median_seconds(ours, texts, repeats)
    theirs = median_seconds(lambda page: extract(page, include_comments=False), pages, repeats)
    return mine, theirs, len(ids)


def run(
    path: str,
    reference: str | None = None,
    repeats: int = 3,
    limit: int | None = None,
    speed: bool = True,
    **_: Any,
) -> Result:
    """Score the repair step on the mojibake records at `path`."""
    from ..cleaners.encoding import repair_document
    from ..pipeline import default_pipeline

    pipeline = default_pipeline()
    records = load(path)
    if limit:
        records = records[:limit]
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    failures: list[str] = []
    start = time.perf_counter()
    for record in records:
        repaired, _changes = repair_document(record["broken"])
        original, broken = record["original"], record["broken"]
        row = {
            "id": record["id"],
            "exact": repaired == original,
            "changed": repaired != broken,
            "worse": False,
        }
        if not record["restorable"]:
            row["worse"] = cer(original, repaired) > cer(original, broken)
        else:
            # the whole pipeline: what a user gets from the damaged text and from the original
            row["pipeline_exact"] = pipeline.clean(broken) == pipeline.clean(original)
        by_kind[record["kind"]].append(row)
        if record["kind"] != "clean" and record["restorable"] and not row["exact"]:
            failures.append(f"{record['id']} ({record['kind']})")
        if record["kind"] != "clean" and record["restorable"] and not row["pipeline_exact"]:
            failures.append(f"{record['id']} ({record['kind']}, whole pipeline)")
        if record["kind"] == "clean" and row["changed"]:
            failures.append(f"{record['id']} (clean, changed)")
        if row["worse"]:
            failures.append(f"{record['id']} ({record['kind']}, worse)")
    repair_seconds = time.perf_counter() - start

    result = Result("mojibake")
    lines = result.lines
    lines.append(f"mojibake: {len(records)} records from {path}")
    lines.append(f"{'kind':28} {'docs':>5}  figure")
    restorable_total = restorable_exact = pipeline_exact = 0
    whole_total = whole_exact = whole_pipeline = 0
    lossy_total = lossy_worse = 0
    for kind in sorted(by_kind):
        rows = by_kind[kind]
        sample = next(r for r in records if r["kind"] == kind)
        if kind == "clean":
            changed = sum(r["changed"] for r in rows)
            lines.append(f"{kind:28} {len(rows):5}  changed by repair: {changed}")
            result.figures["clean_changed"] = changed
            continue
        if sample["restorable"]:
            exact = sum(r["exact"] for r in rows)
            through = sum(r["pipeline_exact"] for r in rows)
            restorable_total += len(rows)
            restorable_exact += exact
            pipeline_exact += through
            if kind in WHOLE_DOCUMENT_KINDS:
                whole_total += len(rows)
                whole_exact += exact
                whole_pipeline += through
            lines.append(
                f"{kind:28} {len(rows):5}  exact restoration {exact}/{len(rows)} "
                f"= {exact / len(rows):.1%}; whole pipeline {through}/{len(rows)}"
            )
            result.figures[f"exact_{kind}"] = exact / len(rows)
            result.figures[f"pipeline_exact_{kind}"] = through / len(rows)
        else:
            worse = sum(r["worse"] for r in rows)
            lossy_total += len(rows)
            lossy_worse += worse
            lines.append(f"{kind:28} {len(rows):5}  made worse (CER up): {worse}")
            result.figures[f"worse_{kind}"] = worse
    if restorable_total:
        rate = restorable_exact / restorable_total
        result.figures["exact_restorable"] = rate
        through_rate = pipeline_exact / restorable_total
        result.figures["pipeline_exact_restorable"] = through_rate
        lines.append(
            f"all restorable damaged: exact {restorable_exact}/{restorable_total} = {rate:.1%} "
            f"(repair step); whole pipeline, clean(broken) == clean(original): "
            f"{pipeline_exact}/{restorable_total} = {through_rate:.1%}"
        )
    if whole_total:
        result.figures["exact_whole_document"] = whole_exact / whole_total
        result.figures["pipeline_exact_whole_document"] = whole_pipeline / whole_total
        lines.append(
            f"whole-document kinds: exact {whole_exact}/{whole_total} "
            f"= {whole_exact / whole_total:.1%}; whole pipeline {whole_pipeline}/{whole_total} "
            f"= {whole_pipeline / whole_total:.1%}"
        )
    result.figures["lossy_worse"] = lossy_worse
    lines.append(f"lossy documents made worse: {lossy_worse}/{lossy_total}")
    if failures:
        lines.append("not restored / changed / worse: " + ", ".join(failures))
    lines.append(f"repair time over the set: {repair_seconds:.2f}s")
    result.details["failures"] = failures

    if speed:
        folder = Path(path)
        folder = folder if folder.is_dir() else folder.parent
        ref = Path(reference) if reference else folder.parent / "scrapinghub"
        if not (ref / "ground-truth.json").exists():
            lines.append(f"speed: skipped ({ref} is not the scrapinghub folder; use --reference)")
        else:
            mine, theirs, pages = _speed(ref, repeats, limit)
            ratio = mine / theirs
            result.figures["cost_vs_trafilatura"] = ratio
            lines.append(
                f"speed: repair+normalise on the visible text of {pages} scrapinghub pages "
                f"{mine * 1000 / pages:.2f} ms/page; trafilatura.extract on their HTML "
                f"{theirs * 1000 / pages:.2f} ms/page; cost ratio {ratio:.1%} "
                f"(median of {repeats} runs, same process)"
            )
    return result
