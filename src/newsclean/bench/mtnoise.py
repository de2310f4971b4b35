"""The mixed-language machine-translation noise benchmark (mtnoise).

Each record holds a noisy text, its clean original and the exact spans of every
injected corruption. The language step's analysis is run on the noisy text (one
block per line, no language hint unless `hint=True`) and scored per document
language:

- sentences: the text is cut with the step's own sentence splitter; a sentence is
  foreign when at least half of its letters lie in `sentence_swap` or
  `clause_switch` spans (gold) or in the spans the step flags (predicted);
  precision, recall, F1;
- clauses: a `clause_switch` span is found when half of its letters are flagged;
  character F1 over all foreign letters, and over the sentences holding a clause;
- false alarms: foreign sentences flagged per 100 sentences of the uncorrupted
  documents (`profile == "clean"`), and per 100 sentences of all clean originals;
- words: a word-level span is detected when a repair or flag touches it, restored
  when the repairs inside it turn it into the original exactly;
- false corrections: repairs made on the clean originals, per 1000 words, and how
  many of them changed a capitalised word.

Figures are printed per document language, then for all languages together: first
for the step, then for the whole pipeline (`newsclean.process` on the noisy text, no
hint unless `hint=True`), whose flags and changed words are mapped back to offsets in
the noisy text (`through_pipeline`); there every changed word counts as a repair,
whichever step changed it, and a line the strip step dropped is neither flagged nor
repaired. Last, one line per language for the step given each record's language as
the caller's hint, which shows what the page-language decision alone costs.
"""

from __future__ import annotations

import difflib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from ..errors import DatasetError
from . import Result

WORD_KINDS = ("word_sub", "accent_strip", "truncation", "fusion", "spelling")
FOREIGN_KINDS = ("sentence_swap", "clause_switch")
_LETTER = regex.compile(r"\p{L}")
_WORD = regex.compile(r"\p{L}+")


def load(path: str | Path) -> list[dict[str, Any]]:
    """The records of the dataset file (or of `mtnoise_dev.jsonl` in a folder)."""
    target = Path(path)
    if target.is_dir():
        target = target / "mtnoise_dev.jsonl"
    try:
        lines = target.read_text("utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{target} is not an mtnoise dataset: {exc}") from None


@dataclass
class _Doc:
    """One analysed text with offsets into the whole text."""

    lang: str | None
    sentences: list[tuple[int, int]] = field(default_factory=list)
    foreign: list[tuple[int, int]] = field(default_factory=list)
    repairs: list[tuple[int, int, str, str]] = field(default_factory=list)
    flags: list[tuple[int, int]] = field(default_factory=list)


def analyse(text: str, hint: str | None = None) -> _Doc:
    """Run the language step's analysis on `text`, one block per line."""
    from ..cleaners.language import analyse_document

    offsets, lines = [], []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            offsets.append(pos)
            lines.append(line)
        pos += len(line) + 1
    lang, results = analyse_document(lines, hint)
    doc = _Doc(lang)
    for base, result in zip(offsets, results, strict=True):
        doc.sentences += [(base + s, base + e) for s, e in result.sentences]
        doc.foreign += [(base + f.start, base + f.end) for f in result.foreign]
        for w in result.words:
            if w.confident and w.after is not None:
                doc.repairs.append((base + w.start, base + w.end, w.before, w.after))
            else:
                doc.flags.append((base + w.start, base + w.end))
    return doc


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of each non-empty line: the blocks of a text document."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def _position_map(old: str, new: str) -> list[int]:
    """For each offset 0..len(old) of `old`, the matching offset in `new`.

    Offsets in unchanged stretches map exactly; an offset inside a changed
    stretch maps to the start of its replacement (its end for the stretch's end).
    """
    mapping = [0] * (len(old) + 1)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for i in range(i1, i2):
            mapping[i] = j1 + (i - i1) if tag == "equal" else j1
        mapping[i2] = j2
    return mapping


_TOKENS = regex.compile(r"[\p{L}\p{M}\p{N}]+|\s+|[^\p{L}\p{M}\p{N}\s]")


def _changes(old: str, new: str) -> list[tuple[int, int, str]]:
    """The changed stretches of `old` as (start, end, replacement), whole words.

    The two texts are aligned word by word (words, runs of space and single marks
    are the tokens), so a word changed in two places, completed (`notamm` →
    `notamment`) or split (`maisau` → `mais au`) is one change.
    """
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    old_starts, new_starts = [0], [0]
    for token in old_tokens:
        old_starts.append(old_starts[-1] + len(token))
    for token in new_tokens:
        new_starts.append(new_starts[-1] + len(token))
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    return [
        (old_starts[i1], old_starts[i2], new[new_starts[j1] : new_starts[j2]])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def through_pipeline(text: str, hint: str | None = None, pipeline: Any = None) -> _Doc:
    """The whole pipeline on `text` (plain text, one block per line), seen as `analyse` sees
    the step: flags and changes are mapped back to offsets in `text`.

    A changed stretch of a line counts as a repair whichever step made it; a line the
    strip step dropped is neither flagged nor repaired.
    """
    from ..cleaners.language import split_sentences
    from ..pipeline import default_pipeline

    doc = (pipeline or default_pipeline()).process(text, lang=hint)
    out = _Doc(doc.lang)
    lines = _lines(text)
    blocks = doc.blocks
    if len(blocks) != len(lines):
        raise DatasetError("the pipeline's blocks do not match the record's lines")
    maps: list[list[int]] = []
    for (base, line), block in zip(lines, blocks, strict=True):
        out.sentences += [(base + s, base + e) for s, e in split_sentences(line)]
        final = block.text if block.kept else line
        back = _position_map(final, line)  # final text offsets → line offsets
        maps.append(back)
        if block.kept:
            for s, e, after in _changes(line, final):
                out.repairs.append((base + s, base + e, line[s:e], after))
    for flag in doc.flags:
        if flag.block < 0 or not blocks[flag.block].kept:
            continue
        base = lines[flag.block][0]
        back = maps[flag.block]
        s = base + back[min(flag.start, len(back) - 1)]
        e = base + back[min(flag.end, len(back) - 1)]
        if flag.reason.startswith("foreign_"):
            out.foreign.append((s, e))
        elif flag.reason.startswith("suspect_"):
            out.flags.append((s, e))
    return out


def _mask(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    mask = [False] * len(text)
    for s, e in spans:
        for i in range(s, e):
            mask[i] = True
    return mask


def _share(text: str, mask: list[bool], s: int, e: int) -> float:
    letters = [i for i in range(s, e) if text[i].isalpha()]
    return sum(mask[i] for i in letters) / len(letters) if letters else 0.0


def _f1(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < e and s < b for a, b in spans)


def run(path: str, hint: bool = False, limit: int | None = None, **_: Any) -> Result:
    """Score the language step, then the whole pipeline, on the mtnoise file or folder at `path`."""
    from ..pipeline import default_pipeline

    records = load(path)[:limit] if limit else load(path)
    step = _score(records, hint, analyse)
    pipeline = default_pipeline()
    whole = _score(records, hint, lambda text, lang: through_pipeline(text, lang, pipeline))
    result = _result(step, "mtnoise")
    piped = _result(whole, "pipeline")
    result.lines.append(
        "whole pipeline (newsclean.process on the noisy text; every changed word counts as a "
        "repair, whichever step made it):"
    )
    result.lines += piped.lines
    for name, value in piped.figures.items():
        result.figures[f"pipeline.{name}"] = value
    result.details["pipeline_false_corrections"] = piped.details["false_corrections"]
    if not hint:
        # the step again with each record's language as the caller's hint: what the
        # page-language decision costs, apart from everything else
        hinted = _result(_score(records, True, analyse), "hinted")
        result.lines.append("the step with each record's language as hint (lang=…):")
        result.lines += [line for line in hinted.lines if line.startswith("hinted")]
        for name, value in hinted.figures.items():
            result.figures[f"hinted.{name}"] = value
    return result


def _score(
    records: list[dict[str, Any]], hint: bool, analyser: Callable[[str, str | None], _Doc]
) -> dict[str, dict[str, float]]:
    """The counts behind every figure, per document language."""
    c: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for rec in records:
        lang = rec["lang"]
        k = c[lang]
        k["docs"] += 1
        noisy = rec["noisy"]
        doc = analyser(noisy, lang if hint else None)
        k["lang_ok"] += doc.lang == lang
        gold_foreign = [(s["start"], s["end"]) for s in rec["spans"] if s["kind"] in FOREIGN_KINDS]
        gold_mask = _mask(noisy, gold_foreign)
        pred_mask = _mask(noisy, doc.foreign)
        clause_sentences = []
        for s, e in doc.sentences:
            gold = _share(noisy, gold_mask, s, e) >= 0.5
            pred = _share(noisy, pred_mask, s, e) >= 0.5
            k["sent_tp"] += gold and pred
            k["sent_fp"] += pred and not gold
            k["sent_fn"] += gold and not pred
            k["sentences"] += 1
            if rec["profile"] == "clean":
                k["clean_sentences"] += 1
                k["clean_alarms"] += pred
            if any(
                sp["kind"] == "clause_switch" and sp["start"] < e and s < sp["end"]
                for sp in rec["spans"]
            ):
                clause_sentences.append((s, e))
        for i, ch in enumerate(noisy):
            if ch.isalpha():
                g, p = gold_mask[i], pred_mask[i]
                k["char_tp"] += g and p
                k["char_fp"] += p and not g
                k["char_fn"] += g and not p
        for s, e in clause_sentences:
            for i in range(s, e):
                if noisy[i].isalpha():
                    g, p = gold_mask[i], pred_mask[i]
                    k["cl_char_tp"] += g and p
                    k["cl_char_fp"] += p and not g
                    k["cl_char_fn"] += g and not p
        touched = [(s, e) for s, e, _, _ in doc.repairs] + doc.flags
        gold_word_spans = []
        for sp in rec["spans"]:
            s, e = sp["start"], sp["end"]
            if sp["kind"] == "clause_switch":
                k["clauses"] += 1
                k["clauses_found"] += _share(noisy, pred_mask, s, e) >= 0.5
            if sp["kind"] not in WORD_KINDS:
                continue
            gold_word_spans.append((s, e))
            kind = sp["kind"]
            k["words"] += 1
            k[f"n_{kind}"] += 1
            detected = _overlaps(s, e, touched)
            k["detected"] += detected
            k[f"det_{kind}"] += detected
            inside = [r for r in doc.repairs if r[0] < e and s < r[1]]
            if inside and all(s <= r[0] and r[1] <= e for r in inside):
                fixed = noisy[s:e]
                for rs, re_, _before, after in sorted(inside, reverse=True):
                    fixed = fixed[: rs - s] + after + fixed[re_ - s :]
                ok = fixed == sp["orig"]
            else:
                ok = False
            k["restored"] += ok
            k[f"res_{kind}"] += ok
            k["wrong_on_noise"] += bool(inside) and not ok
        k["stray_repairs"] += sum(
            1 for s, e, _, _ in doc.repairs if not _overlaps(s, e, gold_word_spans)
        )
        k["noisy_words"] += len(_WORD.findall(noisy))
        # false corrections and alarms on the clean original
        clean = analyser(rec["clean"], lang if hint else None)
        text = rec["clean"]
        k["clean_words"] += len(_WORD.findall(text))
        k["false_corrections"] += len(clean.repairs)
        k["false_caps"] += sum(1 for r in clean.repairs if r[2][:1].isupper())
        k["false_flags"] += len(clean.flags)
        k["orig_sentences"] += len(clean.sentences)
        k["orig_alarms"] += sum(
            1 for s, e in clean.sentences if _share(text, _mask(text, clean.foreign), s, e) >= 0.5
        )
        for _s, _e, before, after in clean.repairs:
            c["_examples"][f"{lang}: {before} -> {after}"] += 1
    return c


def _result(c: dict[str, dict[str, float]], label: str) -> Result:
    result = Result("mtnoise")
    langs = sorted(k for k in c if not k.startswith("_"))
    total: dict[str, float] = defaultdict(float)
    for lang in langs:
        for key, value in c[lang].items():
            total[key] += value
    c = {**c, "all": total}
    langs.append("all")
    for lang in langs:
        k = c[lang]
        sp, sr, sf = _f1(k["sent_tp"], k["sent_fp"], k["sent_fn"])
        _, _, cf = _f1(k["char_tp"], k["char_fp"], k["char_fn"])
        _, _, clf = _f1(k["cl_char_tp"], k["cl_char_fp"], k["cl_char_fn"])
        figures = {
            "docs": k["docs"],
            "lang_accuracy": k["lang_ok"] / k["docs"],
            "sentence_precision": sp,
            "sentence_recall": sr,
            "sentence_f1": sf,
            "clause_recall": k["clauses_found"] / k["clauses"] if k["clauses"] else 1.0,
            "char_f1": cf,
            "clause_char_f1": clf,
            "false_alarms_per_100": 100 * k["clean_alarms"] / max(1.0, k["clean_sentences"]),
            "false_alarms_per_100_originals": 100
            * k["orig_alarms"]
            / max(1.0, k["orig_sentences"]),
            "word_detection": k["detected"] / k["words"] if k["words"] else 1.0,
            "word_restoration": k["restored"] / k["words"] if k["words"] else 1.0,
            "false_corrections_per_1000": 1000 * k["false_corrections"] / k["clean_words"],
            "false_corrections_capitalised": k["false_caps"],
            "false_flags_per_1000": 1000 * k["false_flags"] / k["clean_words"],
            "wrong_repairs_on_noise": k["wrong_on_noise"],
            "stray_repairs_per_1000": 1000 * k["stray_repairs"] / k["noisy_words"],
        }
        for name, value in figures.items():
            result.figures[f"{lang}.{name}"] = value
        result.lines.append(
            f"{label} {lang}: {int(k['docs'])} docs  language {figures['lang_accuracy']:.3f}  "
            f"sentences P {sp:.3f} R {sr:.3f} F1 {sf:.3f}  "
            f"clause recall {figures['clause_recall']:.3f} ({int(k['clauses'])})  "
            f"char F1 {cf:.3f} (clause sentences {clf:.3f})"
        )
        result.lines.append(
            f"  false alarms /100 clean sentences {figures['false_alarms_per_100']:.2f} "
            f"(all originals {figures['false_alarms_per_100_originals']:.2f})  "
            f"words {int(k['words'])}: detected {figures['word_detection']:.3f} "
            f"restored {figures['word_restoration']:.3f}  "
            f"false corrections /1000 {figures['false_corrections_per_1000']:.2f} "
            f"(capitalised {int(k['false_caps'])}, flags /1000 "
            f"{figures['false_flags_per_1000']:.2f})  wrong repairs of noise "
            f"{int(k['wrong_on_noise'])}  stray repairs /1000 "
            f"{figures['stray_repairs_per_1000']:.2f}"
        )
        kinds = "  ".join(
            f"{kind} {int(k[f'det_{kind}'])}/{int(k[f'res_{kind}'])}/{int(k[f'n_{kind}'])}"
            for kind in WORD_KINDS
            if k[f"n_{kind}"]
        )
        result.lines.append(f"  per kind detected/restored/total: {kinds}")
    result.details["false_corrections"] = dict(c.get("_examples", {}))
    return result
