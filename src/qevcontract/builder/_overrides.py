"""Human corrections applied on top of what was parsed (`contracts/overrides.yaml`).

An override is for a decision a person made with a reason (e.g. "the page omits the enum
value X that production sends"). It is never a way to hide a doc quirk: overrides may not
touch a contract's `examples`, and every applied override is recorded in the contract
(`x-qev-overrides`) and listed by the builder.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._errors import first_line
from .._pointer import unescape

OPS = ("set", "remove")


class OverrideError(Exception):
    """An override file or entry that cannot be applied; the message names the entry."""


@dataclass(frozen=True)
class Override:
    type: str
    pointer: str
    op: str
    reason: str
    value: Any = None
    index: int = 0


def load_overrides(path: Path) -> list[Override]:
    """Read and check an overrides file; a missing file means no overrides."""
    if not path.exists():
        return []
    import yaml

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise OverrideError(f"{path}: not valid YAML: {first_line(exc)}") from None
    entries = doc.get("overrides") if isinstance(doc, dict) else None
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise OverrideError(f"{path}: 'overrides' must be a list")
    out = []
    for i, e in enumerate(entries):
        where = f"{path}: overrides[{i}]"
        if not isinstance(e, dict):
            raise OverrideError(f"{where}: must be a mapping")
        missing = [k for k in ("type", "pointer", "op", "reason") if not e.get(k)]
        if missing:
            raise OverrideError(f"{where}: missing {', '.join(missing)}")
        if e["op"] not in OPS:
            raise OverrideError(f"{where}: op must be one of {', '.join(OPS)}")
        if e["op"] == "set" and "value" not in e:
            raise OverrideError(f"{where}: op 'set' needs a value")
        pointer = str(e["pointer"])
        if not pointer.startswith("/"):
            raise OverrideError(f"{where}: pointer must start with '/'")
        if pointer == "/examples" or pointer.startswith("/examples/"):
            raise OverrideError(
                f"{where}: overrides may not change doc examples; report the quirk instead"
            )
        out.append(Override(e["type"], pointer, e["op"], str(e["reason"]), e.get("value"), i))
    return out


def _split(pointer: str) -> list[str]:
    return [unescape(p) for p in pointer.split("/")[1:]]


# A JSON Pointer array index (RFC 6901): no sign, no leading zeros.
_INDEX = re.compile(r"^(0|[1-9][0-9]*)$")


def _kind(node: Any) -> str:
    """How a message names a JSON value's type."""
    if isinstance(node, bool):
        return "a boolean"
    if node is None:
        return "null"
    if isinstance(node, int | float):
        return "a number"
    return "a string" if isinstance(node, str) else type(node).__name__


class _NoMember(Exception):
    """A pointer step that leads nowhere; the message says why."""


def _key(node: Any, part: str) -> str | int:
    """The existing object member or array index that `part` names in `node`."""
    if isinstance(node, dict):
        if part in node:
            return part
        raise _NoMember(f"no member {part!r}")
    if isinstance(node, list):
        if _INDEX.match(part) is not None and int(part) < len(node):
            return int(part)
        raise _NoMember(f"{part!r} is not an index of its {len(node)}-item array")
    raise _NoMember(f"it is {_kind(node)}, not an object or array")


def apply_override(contract: dict[str, Any], ov: Override) -> dict[str, Any]:
    """Return a copy of the contract with the override applied and recorded.

    Every pointer that does not lead where it says (a missing member, a list index that is
    not a non-negative integer in range, a step through a string or number) is an
    OverrideError naming the override's index, event type and pointer. `set` may add a
    member to an object; it only replaces existing array items.
    """
    where = f"overrides[{ov.index}] ({ov.type})"
    parts = _split(ov.pointer)
    if not parts:
        raise OverrideError(
            f"{where}: pointer {ov.pointer!r} names the whole contract; point inside it"
        )
    raw = ov.pointer.split("/")
    out = copy.deepcopy(contract)
    node: Any = out
    for depth, part in enumerate(parts[:-1]):
        try:
            node = node[_key(node, part)]
        except _NoMember as exc:
            at = "/".join(raw[: depth + 1]) or "the contract"
            raise OverrideError(
                f"{where}: pointer {ov.pointer} does not exist ({at}: {exc})"
            ) from None
    last = parts[-1]
    parent = "/".join(raw[:-1]) or "the contract"
    try:
        if ov.op == "set":
            node[last if isinstance(node, dict) else _key(node, last)] = ov.value
        else:
            del node[_key(node, last)]
    except _NoMember as exc:
        what = (
            f"cannot set {ov.pointer}" if ov.op == "set" else f"nothing to remove at {ov.pointer}"
        )
        raise OverrideError(f"{where}: {what} ({parent}: {exc})") from None
    out.setdefault("x-qev-overrides", []).append(
        {"pointer": ov.pointer, "op": ov.op, "reason": ov.reason}
    )
    return out
