"""A wall-clock budget for one document: past it, the document fails instead of hanging.

Every step is meant to be linear in its input, and the input is bounded in size
(`Options.max_input_bytes`); the budget is the guard for what that misses. It uses
`SIGALRM`, so it applies where a signal can be delivered: the main thread of a process
on Unix (a batch worker, the CLI, a script); elsewhere (threads, Windows) the document
runs unbounded in time. The signal interrupts Python code between bytecodes; a single
long call inside a C library ends before the budget error is raised.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

from .errors import BudgetError


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise `BudgetError` inside the block once `seconds` of wall-clock time have passed.

    A budget already running outside (another timer of this process) is paused inside
    the block and resumes after it.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def _raise(signum: int, frame: Any) -> None:
        raise BudgetError(f"over the time budget of {seconds:g} s for one document")

    previous = signal.signal(signal.SIGALRM, _raise)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay:
            signal.setitimer(signal.ITIMER_REAL, old_delay, old_interval)


__all__ = ["time_budget"]
