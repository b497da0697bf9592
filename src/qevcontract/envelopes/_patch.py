"""The `qevlegacy` patch: what turns the default legacy form of a converted event back
into the exact legacy event it came from.

A conversion computes the patch by comparing the original with what the plain mapping would
give back, so a round trip is exact by construction, whatever the original held. The patch
is small JSON with up to three members, each keyed by JSON pointers into the legacy event:
``move`` (a member the mapping renamed, e.g. ``eventID`` spelled that way), ``unset``
(members the original did not have) and ``set`` (values the 1.0 shape cannot hold).
"""

from __future__ import annotations

from typing import Any

import orjson

from ._attributes import json_text, parse_json_text, same
from ._pointers import pointer, tokens


class PatchError(ValueError):
    """A `qevlegacy` value that is not a patch this module wrote (or cannot be applied)."""


Patch = dict[str, Any]


def diff(original: dict[str, Any], rebuilt: dict[str, Any]) -> Patch:
    """The patch that turns `rebuilt` into `original` (empty when they are the same)."""
    added: list[tuple[tuple[str, ...], Any]] = []  # in original only (or replaced)
    removed: list[tuple[tuple[str, ...], Any]] = []  # in rebuilt only
    _walk(original, rebuilt, (), added, removed)
    moves: dict[str, str] = {}
    sets: dict[str, Any] = {}
    for path, value in added:
        match = next(
            (
                i
                for i, (other, old) in enumerate(removed)
                if other[:-1] == path[:-1] and same(old, value)
            ),
            None,
        )
        if match is None:
            sets[pointer(*path)] = value
        else:
            moves[pointer(*removed.pop(match)[0])] = pointer(*path)
    patch: Patch = {}
    if moves:
        patch["move"] = moves
    if removed:
        patch["unset"] = sorted(pointer(*path) for path, _ in removed)
    if sets:
        patch["set"] = sets
    return patch


def _walk(
    original: dict[str, Any],
    rebuilt: dict[str, Any],
    path: tuple[str, ...],
    added: list[tuple[tuple[str, ...], Any]],
    removed: list[tuple[tuple[str, ...], Any]],
) -> None:
    for key, value in original.items():
        here = (*path, key)
        if key not in rebuilt:
            added.append((here, value))
            continue
        other = rebuilt[key]
        if value is other:
            continue
        if type(value) is dict and type(other) is dict:
            _walk(value, other, here, added, removed)
        elif not same(value, other):
            added.append((here, value))
    for key, value in rebuilt.items():
        if key not in original:
            removed.append(((*path, key), value))


def encode(patch: Patch) -> str:
    """The patch as the string value of a CloudEvents attribute (sorted: one text per patch)."""
    try:
        return orjson.dumps(patch, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:
        return json_text(_sorted(patch))


def _sorted(value: Any) -> Any:
    if type(value) is dict:
        return {k: _sorted(value[k]) for k in sorted(value)}
    if type(value) is list:
        return [_sorted(v) for v in value]
    return value


def decode(text: Any) -> Patch:
    """Parse and check a `qevlegacy` value; raises PatchError with a one-line reason."""
    patch = parse_json_text(text)
    if type(patch) is not dict:
        raise PatchError("not a JSON object in a string")
    unknown = set(patch) - {"move", "set", "unset"}
    if unknown:
        raise PatchError(f"unknown member(s) {', '.join(sorted(unknown))}")
    moves = patch.get("move", {})
    sets = patch.get("set", {})
    unsets = patch.get("unset", [])
    if type(moves) is not dict or not all(type(v) is str for v in moves.values()):
        raise PatchError("'move' must map pointers to pointers")
    if type(sets) is not dict:
        raise PatchError("'set' must map pointers to values")
    if type(unsets) is not list or not all(type(p) is str for p in unsets):
        raise PatchError("'unset' must be a list of pointers")
    for ptr in (*moves, *moves.values(), *sets, *unsets):
        if not ptr.startswith("/"):
            raise PatchError(f"{ptr!r} is not a JSON pointer to a member")
    return patch


def apply(event: dict[str, Any], patch: Patch) -> dict[str, Any]:
    """`event` with `patch` applied; `event` and everything it shares are left untouched."""
    out = dict(event)
    for source, target in patch.get("move", {}).items():
        value = _pop(out, tokens(source))
        _put(out, tokens(target), value)
    for ptr in patch.get("unset", []):
        _pop(out, tokens(ptr))
    for ptr, value in patch.get("set", {}).items():
        _put(out, tokens(ptr), value)
    return out


def _parent(root: dict[str, Any], path: list[str], *, create: bool) -> dict[str, Any]:
    """The object holding the last token of `path`, copied on the way so nothing is shared."""
    node = root
    for i, key in enumerate(path[:-1]):
        child = node.get(key)
        if child is None and create and key not in node:
            child = {}
        elif type(child) is not dict:
            raise PatchError(f"{pointer(*path[: i + 1])} is not an object")
        else:
            child = dict(child)
        node[key] = child
        node = child
    return node


def _pop(root: dict[str, Any], path: list[str]) -> Any:
    parent = _parent(root, path, create=False)
    if path[-1] not in parent:
        raise PatchError(f"{pointer(*path)} is not in the event")
    return parent.pop(path[-1])


def _put(root: dict[str, Any], path: list[str], value: Any) -> None:
    _parent(root, path, create=True)[path[-1]] = value
