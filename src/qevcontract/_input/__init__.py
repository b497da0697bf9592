"""The input layer every command shares: paths and stdin in, one `Record` per event out.

`validate`, `normalize` and `webhook` (send, verify) read events through here; `check`, `diff`
and the validate run find line:column positions with `locate`. It imports no command's
package (only `_pointer`), so any of them may import it.
Private: the names below are the package's surface for the rest of qevcontract.

One module per job: `paths` (which files), `read` (each file to its reader), one reader per
format (`jsonl`, `json_array` for streamed `.json` arrays, `json_document`, `stream` for
stdin and pipes, `yaml_reader`), `json_checks` (what orjson does not report), `record` (the
`Record` every reader yields) and `locate` (line:column of a JSON pointer, only when
something is wrong).
"""

from __future__ import annotations

from .jsonl import count_jsonl_lines, iter_jsonl_lines
from .paths import (
    EVENT_EXTENSIONS,
    JSONL_EXTENSIONS,
    STDIN_PATH,
    STDIN_SOURCE,
    expand_paths,
    prepare_paths,
)
from .read import iter_file_records, iter_records
from .record import InputError, Record, RecordKind

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
