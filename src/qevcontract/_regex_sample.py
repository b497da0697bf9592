"""Strings that match a regular expression, built from its parse tree.

JSON Schema patterns are unanchored ECMA-262 regexes; the ones in contracts (media types,
trace contexts, name rules) are in the subset Python's parser reads the same way. Anything
it cannot build yields no sample: the caller falls back to plain strings.

Why not a library (issue 18, measured on the contracts' patterns): every sampler on PyPI
reads the pattern with the same private `re._parser` (hypothesis `from_regex`, rstr, exrex),
so none removes that import, they only move it. Hypothesis is not a core dependency (the
`testing` extra), draws deterministically only through `find` (10-225 ms a pattern here
against microseconds) and `find` fails Hypothesis's nested-`@given` health check when a
user's property test generates events; rstr picks from a `set` (samples change with
PYTHONHASHSEED) and repeats up to 100 times; exrex is AGPL-3.0; greenery (own parser)
cannot read the media-type pattern and has no anchors. If `re._parser` moves, this yields
no sample (ImportError is caught) and the generator and diff fall back, never crash.
"""

from __future__ import annotations

import functools
from typing import Any

_CATEGORY_CHARS = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_SPACE": "a",
    "CATEGORY_WORD": "a",
    "CATEGORY_NOT_WORD": "-",
}
_PROBE_CHARS = "a0xA_-. /:b1z"


@functools.lru_cache(maxsize=512)
def regex_samples(pattern: str) -> tuple[str, ...]:
    """Up to two strings matching `pattern`: the shortest, and one with longer repeats.

    Memoised (a pure function of the pattern): the envelope's patterns recur in every type.
    """
    import re

    try:
        import importlib

        _parser = importlib.import_module("re._parser")  # the stdlib's own regex parser

        tree = _parser.parse(pattern)
        compiled = re.compile(pattern)
    except (re.error, ValueError, ImportError, OverflowError, RecursionError):
        return ()
    out: list[str] = []
    for extra in (0, 1):
        try:
            text = _build(tree, extra, {})
        except (ValueError, KeyError, IndexError, RecursionError, OverflowError):
            continue
        if compiled.search(text) and text not in out:
            out.append(text)
    return tuple(out)


def _build(items: Any, extra: int, groups: dict[int, str]) -> str:
    return "".join(_one(op, arg, extra, groups) for op, arg in items)


def _one(op: Any, arg: Any, extra: int, groups: dict[int, str]) -> str:
    name = str(op)
    if name == "LITERAL":
        return chr(arg)
    if name == "NOT_LITERAL":
        return "a" if arg != ord("a") else "b"
    if name == "ANY":
        return "a"
    if name == "IN":
        return _in(arg)
    if name == "BRANCH":
        return _build(arg[1][0], extra, groups)
    if name == "SUBPATTERN":
        group, _add, _del, body = arg
        text = _build(body, extra, groups)
        if group is not None:
            groups[group] = text
        return text
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        lo, hi, body = arg
        count = lo + extra if hi is None or lo + extra <= hi else lo
        count = min(count, 64)
        return "".join(_build(body, extra, groups) for _ in range(count))
    if name == "GROUPREF":
        return groups[arg]
    if name == "CATEGORY":
        return _CATEGORY_CHARS[str(arg)]
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return ""
    raise ValueError(f"unsupported regex construct {name}")


def _in(items: Any) -> str:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    if not negate:
        op, arg = items[0]
        kind = str(op)
        if kind == "LITERAL":
            return chr(arg)
        if kind == "RANGE":
            return chr(arg[0])
        if kind == "CATEGORY":
            return _CATEGORY_CHARS[str(arg)]
        raise ValueError(f"unsupported set member {kind}")
    for ch in _PROBE_CHARS:
        if not any(_member(ch, op, arg) for op, arg in items):
            return ch
    raise ValueError("no character outside the negated set")


def _member(ch: str, op: Any, arg: Any) -> bool:
    kind = str(op)
    if kind == "LITERAL":
        return bool(ord(ch) == arg)
    if kind == "RANGE":
        return bool(arg[0] <= ord(ch) <= arg[1])
    if kind == "CATEGORY":
        return {
            "CATEGORY_DIGIT": ch.isdigit(),
            "CATEGORY_NOT_DIGIT": not ch.isdigit(),
            "CATEGORY_SPACE": ch.isspace(),
            "CATEGORY_NOT_SPACE": not ch.isspace(),
            "CATEGORY_WORD": ch.isalnum() or ch == "_",
            "CATEGORY_NOT_WORD": not (ch.isalnum() or ch == "_"),
        }.get(str(arg), False)
    return False
