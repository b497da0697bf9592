"""`-o FILE` for commands that write a report or events: never half a file, never a device lost.

A regular FILE (or one that does not exist yet) is written as a hidden temporary file beside
it and put in place only when the command says the run is complete: an interrupted run, or
an input named as the output, never loses what was there. Anything else is written directly,
since replacing it would destroy it: a device (`/dev/null`), a FIFO, a terminal. A name for
one of this process's descriptors (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`) writes to
that descriptor as it is, so `-o /dev/stdout >> log` appends like any other output. A
symbolic link is followed: the file it points to is replaced, the link stays. Where a file
cannot be replaced (a single bind-mounted file, a read-only folder), it is overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
from typing import BinaryIO

from .common import QevCommandError

# Names of a descriptor of the process that opens them.
_DESCRIPTOR = re.compile(r"/(?:dev/fd|proc/self/fd|proc/thread-self/fd|proc/(\d+)/fd)/(\d+)")
_STANDARD = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
# os.replace fails with these where FILE itself can still be written: overwrite it instead.
_CANNOT_REPLACE = frozenset({errno.EBUSY, errno.EXDEV, errno.EACCES, errno.EPERM, errno.EROFS})


def _descriptor(path: str) -> int | None:
    """The descriptor `path` names, following links, or None for an ordinary path."""
    for _ in range(40):  # as the kernel's own limit on nested links
        absolute = os.path.abspath(path)
        if absolute in _STANDARD:
            return _STANDARD[absolute]
        match = _DESCRIPTOR.fullmatch(absolute)
        if match and (match.group(1) is None or int(match.group(1)) == os.getpid()):
            return int(match.group(2))
        try:
            link = os.readlink(absolute)
        except OSError:
            return None
        path = os.path.join(os.path.dirname(absolute), link)
    return None


class OutputFile:
    """Open with `open()`; then `commit()` when the run is complete, else `discard()`."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._target = os.path.realpath(self.path)
        self._temporary: str | None = None
        self._mode: int | None = None

    @property
    def replaces(self) -> bool:
        """Whether the output goes through a temporary file (False: written directly)."""
        if _descriptor(self.path) is not None:
            return False
        try:
            # The path itself, not its real path: the kernel follows every kind of link.
            return stat.S_ISREG(os.stat(self.path).st_mode)
        except FileNotFoundError:
            return True
        except OSError:
            return False  # let opening it report the problem

    def open(self) -> BinaryIO:
        """The stream to write to; one-line `QevCommandError` when it cannot be opened."""
        try:
            descriptor = _descriptor(self.path)
            if descriptor is not None:
                return os.fdopen(os.dup(descriptor), "wb")
            if not self.replaces:
                return open(self.path, "wb")
            return self._open_temporary()
        except OSError as exc:
            raise QevCommandError(f"{self.path}: cannot write: {exc.strerror}") from None

    def _open_temporary(self) -> BinaryIO:
        directory, name = os.path.split(self._target)
        with contextlib.suppress(FileNotFoundError):
            self._mode = stat.S_IMODE(os.stat(self._target).st_mode)
        temporary = os.path.join(directory, f".{name}.{os.urandom(4).hex()}.partial")
        try:
            # os.open applies the umask: a new file gets the usual permissions.
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as exc:
            if self._mode is None or exc.errno not in _CANNOT_REPLACE:
                raise
            return open(self._target, "wb")  # a writable file in a folder we cannot write
        self._temporary = temporary
        return os.fdopen(fd, "wb", buffering=1 << 20)

    def commit(self) -> None:
        """Put the finished output in place (the stream must be closed first)."""
        temporary = self._temporary
        if temporary is None:
            return
        try:
            if self._mode is not None:  # a replaced file keeps its permissions
                os.chmod(temporary, self._mode)
            try:
                os.replace(temporary, self._target)
            except OSError as exc:
                if exc.errno not in _CANNOT_REPLACE:
                    raise
                # A single bind-mounted file (a container's -v report.json:/out/report.json)
                # cannot be replaced, only overwritten.
                with open(temporary, "rb") as source, open(self._target, "wb") as sink:
                    shutil.copyfileobj(source, sink, 1 << 20)
                os.unlink(temporary)
        except OSError as exc:
            self.discard()
            raise QevCommandError(f"{self.path}: cannot write: {exc.strerror}") from None
        self._temporary = None

    def discard(self) -> None:
        """Leave FILE as it was before the run."""
        if self._temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temporary)
            self._temporary = None
