"""Writing batch outputs safely: atomically, never through a link, with the usual permissions.

A batch run writes three kinds of file: one text file per document (written whole, then
renamed into place), a JSONL output or an errors file that grow record by record under a
`.partial` name, and nothing else. The rules here keep those writes inside the output
location and honest about failure:

* nothing is opened through a symbolic link: a link planted where a partial file goes is
  refused, never followed (the file it points to stays untouched);
* a file and its temporary file get the permissions the umask gives (`0666 & ~umask`),
  like any file a command creates, not the private mode of `tempfile.mkstemp`;
* a temporary name never exceeds the file system's name limit, whatever the target's
  length (the target name itself may still be too long: that fails that document only);
* one run at a time writes one output: each run holds an exclusive lock on its JSONL
  partial file or its output folder, and a second run stops at once;
* a write error that no later document can escape (disk full, read-only file system,
  permission denied) is an `OutputError`: the run stops instead of failing every document.
"""

from __future__ import annotations

import errno
import os
from functools import lru_cache
from pathlib import Path
from typing import IO

from .errors import ConfigError, OutputError

TMP_MARK = ".newsclean-tmp"
# Name bytes of a target kept in its temporary name: with the dot, the random part and
# TMP_MARK the temporary name stays well under the usual 255-byte limit.
_TMP_NAME_BYTES = 120
# Errors of a write that would hit every later document the same way.
_FATAL_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO, errno.EFBIG}
)


@lru_cache(maxsize=1)
def file_mode() -> int:
    """The mode a new file gets from the process umask (read once per process)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def is_fatal(exc: BaseException) -> bool:
    """Whether a failed write means no output can be written (not just this one file)."""
    return isinstance(exc, OSError) and exc.errno in _FATAL_ERRNOS


def output_error(what: Path | str, exc: OSError) -> OutputError:
    """The one-line error that stops a run whose outputs cannot be written."""
    reason = exc.strerror or str(exc)
    if what == "stdout":
        return OutputError(f"cannot write to stdout: {reason}")
    return OutputError(f"cannot write {what}: {reason}; fix it and rerun with --resume")


def _short(name: str) -> str:
    raw = name.encode("utf-8", "surrogateescape")[:_TMP_NAME_BYTES]
    return raw.decode("utf-8", "ignore")


def atomic_write(target: Path, text: str) -> None:
    """Write `text` to `target` so that a reader never sees a partial file.

    The temporary file is created beside the target (never through a link: `O_EXCL`
    creates a new file or fails) and renamed over it; a link at the target itself is
    replaced, not followed.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    prefix = f".{_short(target.name)}."
    for _ in range(100):
        tmp = target.parent / f"{prefix}{os.urandom(6).hex()}{TMP_MARK}"
        try:
            fd = os.open(tmp, flags, file_mode())
        except FileExistsError:
            continue
        break
    else:  # pragma: no cover - 100 random names all taken
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_stale_temps(out: Path) -> None:
    """Delete temporary files a killed run left in the output folder (ours only)."""
    for folder, _dirs, files in os.walk(out):
        for name in files:
            if name.startswith(".") and name.endswith(TMP_MARK):
                (Path(folder) / name).unlink(missing_ok=True)


def _lock(fd: int, what: Path) -> None:
    """Hold an exclusive lock on `fd` for the life of the process, or refuse the run."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not Unix: no lock, as before
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise ConfigError(f"another newsclean run is writing {what}; wait for it") from None
    except OSError:  # a file system without locks: the run goes on unlocked
        pass


def open_partial(path: Path, *, append: bool) -> IO[str]:
    """Open a `.partial` output for writing, locked, refusing a link at its place.

    `append`: keep what is there (resume); otherwise start it empty. The file is
    truncated only once the lock is held, so a second run never clobbers a live one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, file_mode())
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ConfigError(f"{path} is a symbolic link; refusing to write through it") from None
        if is_fatal(exc):
            raise output_error(path, exc) from None
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
    _lock(fd, path)
    if not append:
        os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_END)
    return open(fd, "w", encoding="utf-8", closefd=True)


def lock_folder(folder: Path) -> int | None:
    """Lock an output folder for this run (the descriptor stays open until `unlock`);
    None where the folder cannot be opened for a lock (the run goes on unlocked)."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return None
    _lock(fd, folder)
    return fd


def unlock(fd: int | None) -> None:
    """Release a lock taken by `lock_folder`."""
    if fd is not None:
        os.close(fd)


def check_not_link(path: Path) -> None:
    """Refuse to read or rewrite a file that is a symbolic link (a partial to resume)."""
    if path.is_symlink():
        raise ConfigError(f"{path} is a symbolic link; refusing to write through it")


__all__ = [
    "TMP_MARK",
    "atomic_write",
    "check_not_link",
    "file_mode",
    "is_fatal",
    "lock_folder",
    "open_partial",
    "output_error",
    "remove_stale_temps",
    "unlock",
]
