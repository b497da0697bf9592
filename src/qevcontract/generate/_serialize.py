"""Writing events as JSON Lines, a JSON array or YAML documents, streaming and byte-stable.

Keys keep the generator's order (CloudEvents attributes first, `data` last) and nothing
depends on the clock or the platform, so the same seed writes the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

from .._options import EVENT_FORMATS, EventFormat

FORMATS = EVENT_FORMATS


def write_events(events: Iterable[dict[str, Any]], fmt: EventFormat, out: BinaryIO) -> int:
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

    No events, no documents: an empty stream (which readers take as zero events). Written
    by `yaml_document`, not PyYAML's emitter, which takes about 300 times as long as JSON.
    """
    n = 0
    for event in events:
        out.write(yaml_document(event).encode("utf-8"))
        n += 1
    return n


# A string written plain (unquoted) reads back as that string in YAML 1.1 and 1.2 alike:
# a letter first (no number, indicator or `.inf`), then only characters that never start
# a comment, a mapping value or a flow collection, and not one of 1.1's booleans and nulls.
_PLAIN = None
_DUMPS: Any = None
_RESERVED = frozenset(
    ["y", "yes", "n", "no", "true", "false", "on", "off", "null"]
)  # compared lower-cased: `NO` and `On` are booleans in YAML 1.1
# Characters YAML does not allow raw in a document (not printable there), or reads as a
# line break (NEL, LS, PS in YAML 1.1), which JSON's escaping leaves as they are.
_UNSAFE = None


def yaml_document(event: Any) -> str:
    """`event` as one block-style YAML document (`---` first), readable by any YAML 1.1 or
    1.2 parser as exactly this JSON value: strings are plain when that is unambiguous and
    JSON-quoted (a valid YAML double-quoted scalar) otherwise; floats always carry a
    fraction and a signed exponent, as YAML 1.1 needs to read them as floats."""
    global _PLAIN, _UNSAFE, _DUMPS
    if _PLAIN is None:
        import re

        import orjson

        _DUMPS = orjson.dumps
        _PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_./@+-]*").fullmatch
        _UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
    lines: list[str] = ["---"]
    if type(event) is dict and event:
        _mapping(event, "", lines)
    else:
        lines[0] += " " + _flow(event)
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        if _PLAIN(value) and value.lower() not in _RESERVED:  # type: ignore[misc]
            return value  # type: ignore[no-any-return]
        text: str = _DUMPS(value).decode()
        if not text.isascii() or "\x7f" in text:
            text = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)  # type: ignore[union-attr]
        return text
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        text = repr(value)
        mantissa, e, exponent = text.partition("e")
        if "." not in mantissa:
            mantissa += ".0"
        if e and exponent[0] not in "+-":
            exponent = "+" + exponent
        return mantissa + (e + exponent if e else "")
    return str(value)


def _flow(value: Any) -> str:
    if type(value) is dict:
        return (
            "{}"
            if not value
            else "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
        )
    if type(value) is list:
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _mapping(value: dict[str, Any], indent: str, lines: list[str], first: str = "") -> None:
    """Block mapping lines; `first` prefixes the first line (a sequence item's "- ")."""
    lead = first or indent
    for key, item in value.items():
        name = _scalar(key)
        kind = type(item)
        if kind is dict and item:
            lines.append(f"{lead}{name}:")
            _mapping(item, indent + "  ", lines)
        elif kind is list and item:
            lines.append(f"{lead}{name}:")
            _sequence(item, indent, lines)
        else:
            lines.append(f"{lead}{name}: {_flow(item)}")
        lead = indent


def _sequence(value: list[Any], indent: str, lines: list[str]) -> None:
    for item in value:
        kind = type(item)
        if kind is dict and item:
            _mapping(item, indent + "  ", lines, first=indent + "- ")
        elif kind is list and item:
            lines.append(f"{indent}-")
            _sequence(item, indent + "  ", lines)
        else:
            lines.append(f"{indent}- {_flow(item)}")
