"""Writing events as JSON Lines, a JSON array or YAML documents, streaming and byte-stable.

Keys keep the generator's order (CloudEvents attributes first, `data` last) and nothing
depends on the clock or the platform, so the same seed writes the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

FORMATS = ("jsonl", "json", "yaml")


def write_events(events: Iterable[dict[str, Any]], fmt: str, out: BinaryIO) -> int:
    """Write `events` to `out` in `fmt`; returns how many were written."""
    if fmt == "jsonl":
        return _jsonl(events, out)
    if fmt == "json":
        return _json_array(events, out)
    if fmt == "yaml":
        return _yaml(events, out)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def jsonl_bytes(events: Iterable[dict[str, Any]]) -> bytes:
    import orjson

    return b"".join(orjson.dumps(e) + b"\n" for e in events)


def _jsonl(events: Iterable[dict[str, Any]], out: BinaryIO) -> int:
    import orjson

    n = 0
    dumps = orjson.dumps
    for event in events:
        out.write(dumps(event) + b"\n")
        n += 1
    return n


def _json_array(events: Iterable[dict[str, Any]], out: BinaryIO) -> int:
    import orjson

    n = 0
    for event in events:
        body = orjson.dumps(event, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n  ")
        out.write((b"[\n  " if n == 0 else b",\n  ") + body)
        n += 1
    out.write(b"\n]\n" if n else b"[]\n")
    return n


def _yaml(events: Iterable[dict[str, Any]], out: BinaryIO) -> int:
    """One YAML document per event, each opened by `---`: what `validate` reads.

    No events, no documents: an empty stream (which readers take as zero events).
    """
    import yaml

    n = 0
    for event in events:
        text = yaml.safe_dump(
            event, sort_keys=False, allow_unicode=True, width=1000, explicit_start=True
        )
        out.write(text.encode("utf-8"))
        n += 1
    return n
