"""What orjson does not say about JSON it parsed, found exactly and cheaply.

orjson keeps the last of duplicate keys, rounds integers beyond 64 bits and refuses unpaired
surrogate escapes; the readers of every JSON format (`jsonl`, `json_document`, `json_array`)
share these checks and the one-line messages for parse failures.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from .._pointer import display_path, to_pointer

_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGIT_RUN = b"0" * 19  # integers outside i64/u64 have at least 19 digits


def compact_json(value: Any) -> bytes | None:
    """orjson's compact serialisation of a parsed value (None if nested too deeply)."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return None


def looks_clean(data: bytes, compact: bytes | None) -> bool:
    """True only if ``data`` certainly holds no duplicate key and no integer beyond 64 bits.

    Exact, on the raw bytes ``data`` versus ``compact``, orjson's re-serialisation of what
    it parsed from them. Every ':' in JSON is a name separator or inside a string; orjson
    never escapes ':', and the input can escape it only as ``\\u003a``. Without such an
    escape, the strings of ``compact`` are a sub-multiset of those of ``data`` (a duplicate
    drops a key and its value) and so are the separators: the ':' counts are equal exactly
    when no key was dropped. Integers orjson cannot hold have 19+ consecutive digits.
    """
    return (
        compact is not None
        and data.count(b":") == compact.count(b":")
        and b"u003" not in data
        and _LONG_DIGIT_RUN not in data.translate(_DIGITS_TO_ZERO)
    )


def audit(data: bytes, compact: bytes | None, *, base_line: int = 1) -> Any:
    """The duplicate key or out-of-range integer orjson hid in ``data``, or None.

    The cheap exact test first; the position-aware scan (`locate.find_json_problem`, which
    also names the key and its place) only when that test cannot rule a problem out.
    """
    if looks_clean(data, compact):
        return None
    from .locate import find_json_problem

    return find_json_problem(data.decode("utf-8"), base_line=base_line)


def with_surrogates(data: bytes, exc: orjson.JSONDecodeError) -> Any:
    """(value, problems) for JSON that orjson refused only for unpaired surrogate escapes
    ("\\udead": grammatical, RFC 8259 section 8.2, but not Unicode text), else None. The
    value holds U+FFFD in their place, so it can be checked and reported like any other."""
    if "surrogate" not in exc.msg:
        return None
    import json

    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except ValueError:  # something else is wrong too (UnicodeDecodeError is a ValueError)
        return None
    return replace_surrogates(value)


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def describe_decode_error(
    data: bytes, exc: orjson.JSONDecodeError, *, line_mode: bool = False
) -> tuple[str, int, int]:
    """(one-line message, line, column) for an orjson parse failure of ``data``.

    ``line_mode``: ``data`` is one JSONL line, so an error past its end (orjson reports the
    line after the newline) is placed at the end of the line instead.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as bad:
        before = data[: bad.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        return (
            f"invalid UTF-8 (byte 0x{data[bad.start]:02x}): events must be UTF-8 encoded",
            line,
            column,
        )
    msg, pos, line, column = exc.msg, exc.pos, exc.lineno, exc.colno
    if line_mode and line > 1:
        line, column = 1, len(text.rstrip("\r\n")) + 1
    if text[pos - 1 : pos] == "-":  # "-Infinity": orjson points after the sign
        pos, column = pos - 1, column - 1
    word = text[pos : pos + 12].lstrip("-")
    word = word[: next((i for i, c in enumerate(word) if not c.isalpha()), len(word))]
    if word.lower() in ("nan", "inf", "infinity"):
        message = "NaN and Infinity are not JSON numbers: use null or a string"
    elif "infinity when parsed" in msg:
        message = "number out of range: it overflows a 64-bit float"
    elif "end of data" in msg or (line_mode and not text[pos:].strip()):
        if not data.endswith(b"\n"):
            message = "truncated JSON: the input ends inside this event (was it cut off?)"
        elif line_mode:
            message = "incomplete JSON: the line ends inside the event (one event per line)"
        else:
            message = "truncated JSON: the input ends before the value is complete"
    elif pos == len(text) - len(text.lstrip(" \t\r\n\ufeff")):
        # Nothing JSON at all where a value starts (a log line, HTML, YAML, a typo'd path).
        start = text[pos : pos + 24].split("\n", 1)[0]
        message = f"not JSON: {start!r} cannot begin a JSON value"
    else:
        message = f"malformed JSON: {msg}"
    return message, line, column


def with_surrogates_prefix(data: bytes, exc: orjson.JSONDecodeError) -> Any:
    """(value, problems, byte length) of the JSON value at the start of `data` when orjson
    refused it only for unpaired surrogate escapes (see `with_surrogates`), else None."""
    if "surrogate" not in exc.msg:
        return None
    import json

    try:
        text = data.decode("utf-8")
        value, end = json.JSONDecoder(parse_constant=_no_constant).raw_decode(text)
    except ValueError:
        return None
    fixed, problems = replace_surrogates(value)
    return fixed, problems, len(text[:end].encode("utf-8"))


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(value: Any) -> tuple[Any, tuple[tuple[str, str], ...]]:
    """`value` with every unpaired surrogate replaced by U+FFFD, and (pointer, message) for
    each string (or key) that held one. Only input the stdlib JSON parser read has them."""
    problems: list[tuple[str, str]] = []

    def fix(text: str, path: tuple[str | int, ...], what: str) -> str:
        found = _SURROGATE.search(text)
        if found is None:
            return text
        problems.append(
            (
                to_pointer(path),
                f"{display_path(path)}: the {what} holds the escape \\u{ord(found.group()):04x}, "
                "an unpaired surrogate: grammatical JSON (RFC 8259 section 8.2) but not a "
                "Unicode character, so not text any consumer can read (CloudEvents Strings "
                "disallow it)",
            )
        )
        return _SURROGATE.sub("\ufffd", text)

    def walk(node: Any, path: tuple[str | int, ...]) -> Any:
        if type(node) is str:
            return fix(node, path, "string")
        if type(node) is list:
            return [walk(item, (*path, i)) for i, item in enumerate(node)]
        if type(node) is dict:
            out = {}
            for key, item in node.items():
                name = fix(key, (*path, key), "member name")
                out[name] = walk(item, (*path, key))
            return out
        return node

    return walk(value, ()), tuple(problems)
