"""Typed exceptions: every failure a user can cause has its own class.

The CLI maps each to a one-line message and an exit code; batch runs record them
per file and carry on.
"""

from __future__ import annotations


class NewscleanError(Exception):
    """Base class of every error newsclean raises on purpose."""

    exit_code = 1


class InputError(NewscleanError):
    """The input cannot be used (wrong type, unreadable, not text)."""

    exit_code = 2


class DecodeError(InputError):
    """Bytes that decode to no plausible text in any encoding."""


class FieldError(InputError):
    """A JSONL record without the field that holds its page, or whose output would
    replace one of its other fields."""


class BudgetError(InputError):
    """A document that overran its time or memory budget (`Options.doc_timeout_s`,
    `Options.doc_memory_mb`)."""


class ExtractionError(NewscleanError):
    """HTML that could not be parsed or yielded nothing within its time budget."""

    exit_code = 3


class ConfigError(NewscleanError):
    """An unknown option, a bad option value, or an unreadable config file."""

    exit_code = 2


class OutputError(NewscleanError):
    """The output cannot be written (disk full, read-only, no permission): the run stops.

    What was finished stays; rerunning with `--resume` once the cause is gone carries on.
    """

    exit_code = 1


class DatasetError(NewscleanError):
    """A benchmark folder that is missing or not in the expected format."""

    exit_code = 2
