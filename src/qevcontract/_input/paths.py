"""Which files to read: command-line paths expanded (directories, stdin ``-``) and checked
before the first record is produced, so a wrong path stops a run before any output."""

from __future__ import annotations

import os
from collections.abc import Sequence

from .record import BOM, WHITESPACE, InputError

EVENT_EXTENSIONS = (".json", ".jsonl", ".ndjson", ".yaml", ".yml")
STDIN_PATH = "-"
STDIN_SOURCE = "<stdin>"

JSONL_EXTENSIONS = (".jsonl", ".ndjson")
YAML_EXTENSIONS = (".yaml", ".yml")


def has_event_extension(path: str) -> bool:
    return path.lower().endswith(EVENT_EXTENSIONS)


def expand_paths(paths: Sequence[str]) -> list[str]:
    """Files to read, in a deterministic order: directories recursively, by extension.

    Inside directories only event extensions are taken; hidden directories and hidden
    files are skipped (VCS metadata, editor files), and directories are walked in sorted
    order, a directory's files before its subdirectories. Explicit files are kept whatever
    their extension. A path named twice is read once, so no event is counted twice.
    """
    result: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            result.append(path)

    def walk_error(exc: OSError) -> None:
        raise InputError(f"{exc.filename}: cannot read directory: {exc.strerror}") from exc

    for path in map(os.fspath, paths):  # tolerate pathlib.Path items
        if path == STDIN_PATH:
            add(path)
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path, onerror=walk_error):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and has_event_extension(name):
                        add(os.path.join(root, name))
        elif os.path.lexists(path):  # a broken link is named, so it is reported unreadable
            add(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return result


def _sniff_json(path: str) -> None:
    """Raise InputError unless a file of unknown extension starts like JSON.

    Done before any record is produced, so a wrong path (say, a README) stops the run at
    once instead of after other files were counted.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
    head = head.removeprefix(BOM).lstrip(WHITESPACE)
    if not head.startswith((b"{", b"[")):
        extension = os.path.splitext(path)[1] or "(none)"
        raise InputError(
            f"{path}: unsupported extension {extension} (expected one of "
            f"{', '.join(EVENT_EXTENSIONS)}) and the content does not look like JSON"
        )


def prepare_paths(files: Sequence[str]) -> set[str]:
    """Check expanded paths before any record is read; return those to read as streams.

    A file of unknown extension must start like JSON (InputError otherwise, so a wrong path
    stops the run before output begins); a non-file (a pipe such as <(gunzip -c x.gz)) is
    read by content, as stdin is, since reading ahead would consume its first events.
    """
    streams: set[str] = set()
    for path in files:
        if path != STDIN_PATH and not has_event_extension(path):
            if os.path.isfile(path):
                _sniff_json(path)
            else:
                streams.add(path)
    return streams
