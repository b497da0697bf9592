"""The input layer every command shares: paths and stdin in, one `Record` per event out.

`validate`, `normalize`, `webhook send` and `fake` read events through here, and `check`,
`diff` and the reporters find line:column positions with `locate`. Nothing in this package
imports a command's package, so any of them may import it. Private: the names below are
the package's surface for the rest of qevcontract, not a public API.
"""

from __future__ import annotations

from .read import (
    EVENT_EXTENSIONS,
    JSONL_EXTENSIONS,
    STDIN_PATH,
    STDIN_SOURCE,
    InputError,
    Record,
    RecordKind,
    count_jsonl_lines,
    expand_paths,
    iter_file_records,
    iter_jsonl_lines,
    iter_records,
    prepare_paths,
)

__all__ = [
    "EVENT_EXTENSIONS",
    "JSONL_EXTENSIONS",
    "STDIN_PATH",
    "STDIN_SOURCE",
    "InputError",
    "Record",
    "RecordKind",
    "count_jsonl_lines",
    "expand_paths",
    "iter_file_records",
    "iter_jsonl_lines",
    "iter_records",
    "prepare_paths",
]
