"""The mtnoise bench: the step's figures and the whole pipeline's, on the same records."""

from __future__ import annotations

import json
from pathlib import Path

from newsclean.bench.mtnoise import _changes, run, through_pipeline

FR = (
    "Le gouvernement a présenté mardi un nouveau projet de loi sur le logement. "
    "Selon le ministre, les loyers ont fortement augmenté dans les grandes villes."
)
EN = "The minister said that the new rules would come into force next year."


def test_changes_are_whole_words() -> None:
    assert _changes("le notamm et maisau x", "le notamment et mais au x") == [
        (3, 9, "notamment"),
        (13, 19, "mais au"),
    ]


def test_pipeline_flags_are_mapped_back_to_the_noisy_text() -> None:
    text = f"{FR} Selon le ministre, les loyers ont augmenté.\n{EN}"
    doc = through_pipeline(text)
    assert doc.lang == "fr"
    start = text.index(EN)
    assert doc.foreign == [(start, start + len(EN))]
    assert doc.repairs == []


def test_both_figures_are_printed(tmp_path: Path) -> None:
    noisy = f"{FR} Les relations bilaterales avec la ville restent tendues.\n{EN}"
    clean = f"{FR} Les relations bilatérales avec la ville restent tendues.\nLe ministre a parlé."
    start = noisy.index("bilaterales")
    record = {
        "id": "t-1",
        "lang": "fr",
        "noise_lang": "en",
        "profile": "mixed",
        "noisy": noisy,
        "clean": clean,
        "spans": [
            {"start": start, "end": start + 11, "kind": "accent_strip", "orig": "bilatérales"},
            {
                "start": noisy.index(EN),
                "end": len(noisy),
                "kind": "sentence_swap",
                "orig": "Le ministre a parlé.",
                "lang": "en",
            },
        ],
    }
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(record) + "\n", "utf-8")
    result = run(str(path))
    for prefix in ("", "pipeline."):
        assert result.figures[f"{prefix}fr.lang_accuracy"] == 1.0
        assert result.figures[f"{prefix}fr.sentence_f1"] == 1.0
        assert result.figures[f"{prefix}fr.word_restoration"] == 1.0
    assert any(line.startswith("pipeline fr:") for line in result.lines)
