"""Tiny contract sets written straight to disk, and helpers to diff and check them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from qevcontract.contracts import bundled_path, load
from qevcontract.diff._compare import diff_catalogs
from qevcontract.diff._model import DiffOptions, DiffReport, Side, TypeDiff

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://qevcontract.invalid/contracts/"
ENV_ID = BASE + "envelope/base.schema.json"
TYPE = "com.example.thing.changed"

SIMPLE_ENVELOPE = {
    "$schema": DRAFT,
    "$id": ENV_ID,
    "type": "object",
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "source": {"type": "string", "minLength": 1},
        "specversion": {"const": "1.0"},
        "type": {"type": "string"},
    },
    "required": ["id", "source", "specversion", "type"],
}


def contract(
    data: Any,
    *,
    event_type: str = TYPE,
    refs: tuple[str, ...] = (ENV_ID,),
    require_data: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """An event contract: the envelope by `$ref`, `type` pinned, `data` as given."""
    doc: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": f"{BASE}demo/{event_type}.schema.json",
        "allOf": [{"$ref": r} for r in refs],
        "type": "object",
        "properties": {"type": {"const": event_type}},
        "required": ["data"] if data is not None and require_data else [],
    }
    if data is not None:
        doc["properties"]["data"] = data
    doc.update(extra)
    return doc


def write_set(
    root: Path,
    contracts: dict[str, dict[str, Any]],
    envelopes: dict[str, dict[str, Any]] | None = None,
    *,
    deprecated: tuple[str, ...] = (),
) -> Path:
    """A contract set on disk: catalog.json, the envelope files, one file per contract."""
    envelopes = {"envelope/base.schema.json": SIMPLE_ENVELOPE} if envelopes is None else envelopes
    for rel, doc in envelopes.items():
        _write(root / rel, doc)
    events = []
    for event_type, doc in sorted(contracts.items()):
        rel = f"demo/{event_type}.schema.json"
        _write(root / rel, doc)
        events.append(
            {
                "type": event_type,
                "file": rel,
                "id": doc["$id"],
                "domain": "demo",
                "channel": None,
                "title": None,
                "stability": None,
                "deprecated": event_type in deprecated,
                "payload_documented": True,
                "examples": len(doc.get("examples", [])),
                "pages": [],
            }
        )
    _write(
        root / "catalog.json",
        {"catalog_version": 1, "envelopes": sorted(envelopes), "events": events},
    )
    return root


def real_envelopes() -> dict[str, dict[str, Any]]:
    """The bundled CloudEvents and Qlik extension envelopes, as the real contracts use them."""
    out = {}
    for rel in ("envelope/cloudevents-1.0.schema.json", "envelope/qlik-extensions.schema.json"):
        out[rel] = json.loads((bundled_path() / rel).read_text(encoding="utf-8"))
    return out


REAL_REFS = tuple(doc["$id"] for doc in real_envelopes().values())


def _write(path: Path, doc: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")


class Pair:
    """An old and a new contract set in a temporary directory, and their diff."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.old = root / "old"
        self.new = root / "new"

    def write(self, old: dict[str, Any], new: dict[str, Any], **kw: Any) -> Pair:
        write_set(self.old, old, **kw.get("old_kw", {}))
        write_set(self.new, new, **kw.get("new_kw", {}))
        return self

    def data(self, old: Any, new: Any, *, real: bool = False) -> Pair:
        """One event type whose `data` schema is `old`, then `new`. `real`: the bundled
        envelopes and an optional `data`, like the real contracts (where the whole-contract
        oracle often cannot decide and the per-subschema oracle takes over)."""
        envelopes = real_envelopes() if real else None
        kw: dict[str, Any] = {"refs": REAL_REFS, "require_data": False} if real else {}
        write_set(self.old, {TYPE: contract(copy.deepcopy(old), **kw)}, envelopes)
        write_set(self.new, {TYPE: contract(copy.deepcopy(new), **kw)}, envelopes)
        return self

    def report(self, **options: Any) -> DiffReport:
        return diff_catalogs(load(self.old), load(self.new), DiffOptions(**options))

    def type_diff(self, event_type: str = TYPE, **options: Any) -> TypeDiff | None:
        return next((t for t in self.report(**options).types if t.type == event_type), None)


@pytest.fixture
def pair(tmp_path: Path) -> Pair:
    return Pair(tmp_path)


def witness_holds(pair: Pair, td: TypeDiff, side: Side) -> bool:
    """The witness is accepted by the side that accepts it and rejected by the other,
    judged by the project's own Validator (not by the diff's code)."""
    from qevcontract.validate._validator import Validator

    verdict = td.producer if side is Side.PRODUCER else td.consumer
    accept, reject = (pair.old, pair.new) if side is Side.PRODUCER else (pair.new, pair.old)
    event = verdict.witness
    return bool(Validator(load(accept)).is_valid(event)) and not Validator(load(reject)).is_valid(
        event
    )
