"""Budgets for one document, in time and in memory: past either, the document fails
(`BudgetError`) instead of hanging or taking the machine's memory.

Every step is meant to be linear in its input, and the input is bounded in size
(`Options.max_input_bytes`); the budgets are the guard for what that misses.

* Time: a wall-clock alarm (`SIGALRM`) after `seconds`.
* Memory: a watcher thread reads the process's resident memory (`/proc/self/statm`)
  every 50 ms and, once it has grown by more than `memory_bytes` since the document
  began, sends the same signal (once, then again every half second while still over).

Both raise from the signal handler, so they apply where a signal can be delivered: the
main thread of a process on Unix (a batch worker, the CLI, a script); elsewhere
(threads, Windows) the document runs unbounded, and the memory budget needs Linux's
`/proc`. The signal interrupts Python code between bytecodes; a single long call inside
a C library ends before the error is raised, and memory it takes at once is seen after.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

from .errors import BudgetError

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_POLL_S = 0.05
_REPEAT_S = 0.5


def resident_bytes() -> int | None:
    """The resident memory of this process, or None where `/proc` cannot tell."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


class _MemoryWatch(threading.Thread):
    """Signals the main thread while resident memory is over `base + limit`."""

    def __init__(self, base: int, limit: int) -> None:
        super().__init__(name="newsclean-memory-budget", daemon=True)
        self.base = base
        self.limit = limit
        self.stop = threading.Event()
        self.tripped = False
        self.target = threading.main_thread().ident or 0

    def run(self) -> None:
        wait = _POLL_S
        while not self.stop.wait(wait):
            now = resident_bytes()
            if now is not None and now - self.base > self.limit:
                self.tripped = True
                signal.pthread_kill(self.target, signal.SIGALRM)
                wait = _REPEAT_S
            else:
                wait = _POLL_S


@contextlib.contextmanager
def document_budget(seconds: float, memory_bytes: int = 0) -> Iterator[None]:
    """Raise `BudgetError` inside the block once `seconds` of wall-clock time have passed,
    or once the process's resident memory has grown by more than `memory_bytes` (0: no
    such budget). A timer already running outside is paused inside the block."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    base = resident_bytes() if memory_bytes > 0 and usable else None
    if not usable or (seconds <= 0 and base is None):
        yield
        return
    watch = _MemoryWatch(base, memory_bytes) if base is not None else None
    leaving = threading.Event()

    def _raise(signum: int, frame: Any) -> None:
        if leaving.is_set():  # a last signal while the block ends: nothing to stop
            return
        if watch is not None and watch.tripped:
            mb = memory_bytes / 1e6
            raise BudgetError(f"over the memory budget of {mb:.0f} MB for one document")
        raise BudgetError(f"over the time budget of {seconds:g} s for one document")

    previous = signal.signal(signal.SIGALRM, _raise)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, max(0.0, seconds))
    if watch is not None:
        watch.start()
    try:
        yield
    finally:
        leaving.set()
        if watch is not None:
            watch.stop.set()
            watch.join()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay:
            signal.setitimer(signal.ITIMER_REAL, old_delay, old_interval)


__all__ = ["document_budget", "resident_bytes"]
