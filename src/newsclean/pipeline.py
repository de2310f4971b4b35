"""Pipeline: an ordered list of cleaners with one set of options.

A cleaner is anything with a `name` and `__call__(doc) -> doc` (the `Cleaner`
protocol). `default_pipeline(**options)` builds the standard one; pipelines are
immutable, and `without`, `then`, `replace` and `insert_before` return new ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, get_args, get_origin, runtime_checkable

import regex

from .budget import document_budget
from .document import Document
from .errors import ConfigError
from .matrix import check_code

Foreign = Literal["keep", "drop", "mark"]
Quotes = Literal["keep", "straight", "curly"]
Dashes = Literal["keep", "ascii", "typographic"]


@dataclass(frozen=True, slots=True)
class Options:
    """Every setting of the default pipeline; defaults never change meaning.

    keep_title: the headline opens the text once (it is always in `doc.title`).
    doc_timeout_s, doc_memory_mb: budgets of one document, text or HTML, in wall-clock
    time and in growth of resident memory (0: none); past either, `process` raises
    `BudgetError` (see `newsclean.budget` for where they apply).
    rules: extra chrome patterns per drop category, e.g. {"newsletter": ("Join our club",)};
    each entry is a case-insensitive regular expression matched against whole blocks.
    """

    lang: str | None = None
    keep_title: bool = True
    include_comments: bool = False
    foreign: Foreign = "keep"
    repair_words: bool = True
    quotes: Quotes = "keep"
    dashes: Dashes = "keep"
    french_spaces: bool = False
    dehyphenate: bool = True
    max_input_bytes: int = 64 * 1024 * 1024
    html_timeout_s: float = 20.0
    doc_timeout_s: float = 120.0
    doc_memory_mb: int = 2048
    rules: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Options:
        """Build options from a dict (flags or a config file), checking names and values."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        clean: dict[str, Any] = {}
        for key, value in values.items():
            name = key.replace("-", "_")
            if name not in known:
                raise ConfigError(f"unknown option {key!r}; known: {', '.join(sorted(known))}")
            clean[name] = _coerce(name, known[name].type, value)
        return cls(**clean)


def _coerce(name: str, annotation: Any, value: Any) -> Any:
    hints = {"Foreign": Foreign, "Quotes": Quotes, "Dashes": Dashes}
    annotation = hints.get(annotation, annotation) if isinstance(annotation, str) else annotation
    if get_origin(annotation) is Literal:
        allowed = get_args(annotation)
        if value not in allowed:
            raise ConfigError(f"option {name}: {value!r} is not one of {', '.join(allowed)}")
        return value
    if annotation in ("bool", bool):
        if isinstance(value, str):
            if value.lower() in ("1", "true", "yes", "on"):
                return True
            if value.lower() in ("0", "false", "no", "off"):
                return False
        if not isinstance(value, bool):
            raise ConfigError(f"option {name}: expected true or false, got {value!r}")
        return value
    if annotation in ("int", int, "float", float):
        kind = int if annotation in ("int", int) else float
        try:
            return kind(value)
        except (TypeError, ValueError):
            raise ConfigError(f"option {name}: expected a number, got {value!r}") from None
    if name == "lang":
        return check_code(value)
    if name == "rules":
        if not isinstance(value, Mapping):
            raise ConfigError("option rules: expected a table of category = [patterns]")
        out: dict[str, tuple[str, ...]] = {}
        for category, patterns in value.items():
            if isinstance(patterns, str):
                patterns = [patterns]
            out[str(category)] = tuple(str(p) for p in patterns)
            for pattern in out[str(category)]:
                try:
                    regex.compile(pattern)
                except regex.error as exc:
                    raise ConfigError(f"rules.{category}: bad pattern {pattern!r}: {exc}") from None
        return out
    return value


@runtime_checkable
class Cleaner(Protocol):
    """One step of the pipeline."""

    name: str

    def __call__(self, doc: Document) -> Document: ...


@dataclass(frozen=True, slots=True)
class Pipeline:
    """An ordered, immutable list of cleaners sharing one set of options."""

    steps: tuple[Cleaner, ...]
    options: Options = field(default_factory=Options)

    @property
    def names(self) -> list[str]:
        return [step.name for step in self.steps]

    def process(
        self, source: str | bytes, *, lang: str | None = None, url: str | None = None
    ) -> Document:
        """Run every step on `source` and return the Document (text plus report)."""
        doc = Document(source=source)
        doc.meta.lang_hint = check_code(lang) or self.options.lang
        doc.meta.url = url
        memory = self.options.doc_memory_mb * 1_000_000
        with document_budget(self.options.doc_timeout_s, memory):
            for step in self.steps:
                doc = step(doc)
        if doc.meta.lang is None:
            doc.meta.lang = doc.meta.lang_hint  # no step judged the language
        return doc

    def clean(self, source: str | bytes, *, lang: str | None = None, url: str | None = None) -> str:
        """Run the pipeline and return only the clean article text."""
        return self.process(source, lang=lang, url=url).text

    __call__ = process

    def forget(self) -> None:
        """Drop what the steps remember from earlier documents (memory only: results
        never depend on it). Steps that remember nothing have no `forget` method."""
        for step in self.steps:
            forget = getattr(step, "forget", None)
            if callable(forget):
                forget()

    def without(self, *names: str) -> Pipeline:
        self._check_names(names)
        return Pipeline(tuple(s for s in self.steps if s.name not in names), self.options)

    def then(self, cleaner: Cleaner) -> Pipeline:
        return Pipeline((*self.steps, cleaner), self.options)

    def replace(self, name: str, cleaner: Cleaner) -> Pipeline:
        self._check_names([name])
        return Pipeline(tuple(cleaner if s.name == name else s for s in self.steps), self.options)

    def insert_before(self, name: str, cleaner: Cleaner) -> Pipeline:
        self._check_names([name])
        steps: list[Cleaner] = []
        for step in self.steps:
            if step.name == name:
                steps.append(cleaner)
            steps.append(step)
        return Pipeline(tuple(steps), self.options)

    def _check_names(self, names: Iterable[str]) -> None:
        missing = [n for n in names if n not in self.names]
        if missing:
            raise ConfigError(f"no step named {', '.join(missing)}; steps: {', '.join(self.names)}")


def default_pipeline(**options: Any) -> Pipeline:
    """The standard pipeline: read, extract, repair, strip, language, normalise."""
    from .cleaners.extract import Extract
    from .cleaners.language import Language
    from .cleaners.normalise import Normalise
    from .cleaners.read import Read
    from .cleaners.repair import RepairText
    from .cleaners.strip import Strip

    opts = Options.from_mapping(options)
    steps: tuple[Cleaner, ...] = (
        Read(opts),
        Extract(opts),
        RepairText(opts),
        Strip(opts),
        Language(opts),
        Normalise(opts),
    )
    return Pipeline(steps, opts)
