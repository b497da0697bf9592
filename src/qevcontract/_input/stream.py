"""stdin and pipes: JSONL or one JSON document, told apart by content."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import BinaryIO

import orjson

from .json_document import iter_document
from .jsonl import iter_jsonl
from .record import BOM, WHITESPACE, Record


def iter_stream(stream: BinaryIO, source: str) -> Iterator[Record]:
    """Records from a stream (stdin, a pipe): JSONL or one JSON document, by content.

    JSONL when the first non-blank line is a complete value and more follows; it is then
    streamed. A JSON document (one object or an array) is read whole. A first line that is
    a broken one-line object (``{...}``) also means JSONL, so a corrupt first event does
    not turn the whole stream into one error.
    """
    lines = iter(stream)
    head: list[bytes] = []
    first = None
    for line in lines:
        head.append(line)
        content = line.removeprefix(BOM) if len(head) == 1 else line
        if content.strip(WHITESPACE):
            first = content.strip(WHITESPACE)
            break
    if first is None:
        return
    try:
        orjson.loads(first)
        complete = True
    except orjson.JSONDecodeError:
        complete = False
    if complete:
        for line in lines:
            head.append(line)
            if line.strip(WHITESPACE):
                yield from iter_jsonl(chain(head, lines), source)
                return
        yield from iter_document(b"".join(head), source)
    elif first.startswith(b"{") and first.endswith(b"}"):
        yield from iter_jsonl(chain(head, lines), source)
    else:
        yield from iter_document(b"".join(head) + stream.read(), source)
