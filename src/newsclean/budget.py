"""Budgets for one document, in time and in memory: past either, the document fails
(`BudgetError`) instead of hanging or taking the machine's memory.

Every step is meant to be linear in its input, and the input is bounded in size
(`Options.max_input_bytes`); the budgets are the guard for what that misses.

* Time: a wall-clock alarm (`SIGALRM`) after `seconds`.
* Memory: a watcher thread (one per process) reads the process's resident memory
  (`/proc/self/statm`) every 50 ms while a document is cleaned and, once it has grown by
  more than `memory_bytes` since the document began, trips the same signal in the main
  thread (again every half second while still over).

Both raise from the signal handler, so they apply where a signal can be delivered: the
main thread of a process on Unix (a batch worker, the CLI, a script); elsewhere
(threads, Windows) the document runs unbounded, and the memory budget needs Linux's
`/proc`. The signal interrupts Python code between bytecodes; a single long call inside
a C library ends before the error is raised, and memory it takes at once is seen after.
"""

from __future__ import annotations

import _thread
import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

from .errors import BudgetError

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_POLL_S = 0.05
_REPEAT_S = 0.5


_STATM: tuple[int, int] | None = None  # (pid, descriptor of /proc/self/statm)


def resident_bytes() -> int | None:
    """The resident memory of this process, or None where `/proc` cannot tell.

    The file stays open (one `pread` a call); a forked child opens its own."""
    global _STATM
    try:
        pid = os.getpid()
        if _STATM is None or _STATM[0] != pid:
            _STATM = (pid, os.open("/proc/self/statm", os.O_RDONLY | os.O_CLOEXEC))
        return int(os.pread(_STATM[1], 128, 0).split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


class _MemoryWatch(threading.Thread):
    """One per process: while armed, reads resident memory every `_POLL_S` and, when it
    is over `base + limit`, trips `SIGALRM` in the main thread (`interrupt_main`: no OS
    signal, so nothing is ever delivered to a handler that is no longer ours)."""

    def __init__(self) -> None:
        super().__init__(name="newsclean-memory-budget", daemon=True)
        self.lock = threading.Lock()
        self.armed = threading.Event()
        self.base = 0
        self.limit = 0
        self.tripped = False

    def arm(self, base: int, limit: int) -> None:
        with self.lock:
            self.base, self.limit, self.tripped = base, limit, False
            self.armed.set()

    def disarm(self) -> None:
        with self.lock:
            self.armed.clear()

    def run(self) -> None:
        while True:
            self.armed.wait()
            time.sleep(_REPEAT_S if self.tripped else _POLL_S)
            now = resident_bytes()
            with self.lock:
                if now is not None and self.armed.is_set() and now - self.base > self.limit:
                    self.tripped = True
                    _thread.interrupt_main(signal.SIGALRM)


_WATCH: _MemoryWatch | None = None
_WATCH_PID = 0


def _watch() -> _MemoryWatch:
    """This process's watcher, started on first use (again in a forked child)."""
    global _WATCH, _WATCH_PID
    if _WATCH is None or os.getpid() != _WATCH_PID:
        _WATCH, _WATCH_PID = _MemoryWatch(), os.getpid()
        _WATCH.start()
    return _WATCH


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
    watch = _watch() if base is not None else None
    leaving = False

    def _raise(signum: int, frame: Any) -> None:
        if leaving:  # tripped while the block ends: nothing left to stop
            return
        if watch is not None and watch.tripped:
            mb = memory_bytes / 1e6
            raise BudgetError(f"over the memory budget of {mb:.0f} MB for one document")
        raise BudgetError(f"over the time budget of {seconds:g} s for one document")

    previous = signal.signal(signal.SIGALRM, _raise)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, max(0.0, seconds))
    if watch is not None and base is not None:
        watch.arm(base, memory_bytes)
    try:
        yield
    finally:
        leaving = True
        if watch is not None:
            watch.disarm()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay:
            signal.setitimer(signal.ITIMER_REAL, old_delay, old_interval)


__all__ = ["document_budget", "resident_bytes"]
