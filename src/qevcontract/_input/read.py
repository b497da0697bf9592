"""Paths and stdin in, one `Record` per event out: each file to the reader of its format.

Design constraints, and how they are met:

* Fast: JSONL is read in binary line by line and parsed with orjson. The one extra
  check per event is exact and costs about half a parse: re-serialising the parsed
  event with orjson and comparing it with the line (``startswith``). When they are
  equal, the line can hold neither a duplicate key (it would be missing from the
  re-serialisation) nor an integer orjson rounded to a float (it would be printed as a
  float). Compact producers (Go, JavaScript, orjson, Jackson) pass this test, so they
  take only that path. Other lines (spaces after ``:``, ``\\uXXXX`` escapes) go through
  exact byte counts (see `json_checks.audit`), and the position-aware scan in `locate` runs only
  when those counts cannot rule out a problem.
* Never lose an event: every input event becomes exactly one `Record`. Unreadable input
  (malformed JSON, invalid UTF-8, non-objects, duplicate keys, integers beyond 64 bits,
  NaN/Infinity, truncated lines, broken YAML documents) becomes a record with ``error``
  and a position, and reading goes on with the next event.
* Constant memory for JSONL: nothing but the current line is held. ``.json`` and YAML
  files are read whole (a JSON document cannot be parsed in pieces with orjson).
* Cheap to import: PyYAML is imported only when a YAML input is read, and the `locate`
  helpers (json, re) only when something is wrong.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from .json_array import iter_json_file
from .json_document import iter_document
from .jsonl import iter_jsonl
from .paths import (
    JSONL_EXTENSIONS,
    STDIN_PATH,
    STDIN_SOURCE,
    YAML_EXTENSIONS,
    expand_paths,
    prepare_paths,
)
from .record import Record
from .stream import iter_stream

__all__ = ["iter_file_records", "iter_records"]


def iter_records(paths: Sequence[str], *, stdin: BinaryIO | None = None) -> Iterator[Record]:
    """Stream one `Record` per event from ``paths`` (``-`` is ``stdin``, default sys.stdin).

    Raises InputError (before the first record) for a path that does not exist, or a file
    of unknown extension that is not JSON. A file that cannot be opened is one unreadable
    record; the run goes on.
    """
    files = expand_paths(paths)
    streams = prepare_paths(files)
    for path in files:
        yield from iter_file_records(path, stdin=stdin, stream=path in streams)


def iter_file_records(
    path: str, *, stdin: BinaryIO | None = None, stream: bool = False
) -> Iterator[Record]:
    """Records of one path already expanded by `expand_paths` (``-`` is stdin).

    ``stream`` reads a non-file (a pipe) by content, as stdin is read.
    """
    if path == STDIN_PATH:
        yield from iter_stream(stdin if stdin is not None else sys.stdin.buffer, STDIN_SOURCE)
        return
    lower = path.lower()
    jsonl = lower.endswith(JSONL_EXTENSIONS)
    try:
        # For JSONL a large buffer halves the cost of line iteration (fewer reads);
        # documents are read whole anyway.
        handle = open(path, "rb", buffering=1 << 20 if jsonl else -1)  # noqa: SIM115
    except OSError as exc:
        # One file that cannot be opened (a broken link, no permission) is unreadable
        # input, counted like any other; the rest of the run goes on.
        yield Record(path, None, 0, error=f"cannot open: {exc.strerror}", kind="json")
        return
    with handle:
        if jsonl:
            yield from iter_jsonl(handle, path)
        elif stream:
            yield from iter_stream(handle, path)
        elif lower.endswith(YAML_EXTENSIONS):
            from .yaml_reader import iter_yaml

            yield from iter_yaml(handle.read(), path)
        elif lower.endswith(".json"):
            yield from iter_json_file(handle, path)
        else:
            extension = os.path.splitext(path)[1]
            yield from iter_document(
                handle.read(), path, note=f"read as JSON (extension {extension}): "
            )
