"""Human corrections applied on top of what was parsed (`contracts/overrides.yaml`).

An override is for a decision a person made with a reason (e.g. "the page omits the enum
value X that production sends"). It is never a way to hide a doc quirk: overrides may not
touch a contract's `examples`, and every applied override is recorded in the contract
(`x-qev-overrides`) and listed by the builder.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
        raise OverrideError(f"{path}: not valid YAML: {exc}".splitlines()[0]) from None
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
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def apply_override(contract: dict[str, Any], ov: Override) -> dict[str, Any]:
    """Return a copy of the contract with the override applied and recorded."""
    out = copy.deepcopy(contract)
    parts = _split(ov.pointer)
    node: Any = out
    for part in parts[:-1]:
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError):
            raise OverrideError(
                f"overrides[{ov.index}] ({ov.type}): pointer {ov.pointer} does not exist"
            ) from None
    last = parts[-1]
    if ov.op == "set":
        if isinstance(node, list):
            node[int(last)] = ov.value
        else:
            node[last] = ov.value
    else:
        try:
            del node[int(last) if isinstance(node, list) else last]
        except (KeyError, IndexError, ValueError):
            raise OverrideError(
                f"overrides[{ov.index}] ({ov.type}): nothing to remove at {ov.pointer}"
            ) from None
    out.setdefault("x-qev-overrides", []).append(
        {"pointer": ov.pointer, "op": ov.op, "reason": ov.reason}
    )
    return out
