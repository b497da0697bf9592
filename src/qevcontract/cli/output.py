"""`-o FILE` for commands that write a report or events: never half a file, never a device lost.

A regular FILE (or one that does not exist yet) is written as a hidden temporary file beside
it and put in place only when the command says the run is complete: an interrupted run, or
an input named as the output, never loses what was there. Anything else (`/dev/null`, a FIFO,
a terminal, `/dev/stdout`) is written directly: replacing it with a regular file would
destroy it. A symbolic link is followed: the file it points to is replaced, the link stays.
"""

from __future__ import annotations

import contextlib
import os
import stat
from typing import BinaryIO

from .common import QevCommandError


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
        try:
            return stat.S_ISREG(os.stat(self._target).st_mode)
        except FileNotFoundError:
            return True
        except OSError:
            return False  # let opening it report the problem

    def open(self) -> BinaryIO:
        """The stream to write to; one-line `QevCommandError` when it cannot be opened."""
        try:
            if not self.replaces:
                return open(self.path, "wb")
            directory, name = os.path.split(self._target)
            self._temporary = os.path.join(directory, f".{name}.{os.urandom(4).hex()}.partial")
            try:
                self._mode = stat.S_IMODE(os.stat(self._target).st_mode)
            except FileNotFoundError:
                self._mode = None
            # os.open applies the umask: a new file gets the usual permissions.
            fd = os.open(self._temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as exc:
            self._temporary = None
            raise QevCommandError(f"{self.path}: cannot write: {exc.strerror}") from None
        return os.fdopen(fd, "wb", buffering=1 << 20)

    def commit(self) -> None:
        """Put the finished output in place (the stream must be closed first)."""
        if self._temporary is None:
            return
        try:
            if self._mode is not None:  # a replaced file keeps its permissions
                os.chmod(self._temporary, self._mode)
            os.replace(self._temporary, self._target)
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
