"""The JSON report: a versioned object, documented in docs/diff.md.

`version` is `"MAJOR.MINOR"`, the scheme of every JSON report (`qevcontract._report.envelope`).
Bump the major on any change a reader could trip over (a renamed or retyped field); adding a
field does not.
"""

from __future__ import annotations

import json
from typing import Any

from ..._report.envelope import header, report_version
from .._model import Change, DiffReport, Side, SideVerdict, TypeDiff
from . import status_counts

REPORT_VERSION = report_version(1, 0)


def report_dict(report: DiffReport, sides: tuple[Side, ...]) -> dict[str, Any]:
    types = report.types
    return {
        **header(REPORT_VERSION),
        "old": report.old_label,
        "new": report.new_label,
        "for": _for(sides),
        "options": {"strict_open_content": report.options.strict_open_content},
        "breaking": any(report.breaks(s) for s in sides),
        "summary": {
            **status_counts(report),
            "unchanged": report.unchanged,
            "breaking_producer": len(report.breaking_types(Side.PRODUCER)),
            "breaking_consumer": len(report.breaking_types(Side.CONSUMER)),
        },
        "types": [_type(t) for t in types],
    }


def render_json(report: DiffReport, sides: tuple[Side, ...]) -> str:
    return json.dumps(report_dict(report, sides), indent=2, ensure_ascii=False) + "\n"


def _for(sides: tuple[Side, ...]) -> str:
    return sides[0].value if len(sides) == 1 else "both"


def _type(t: TypeDiff) -> dict[str, Any]:
    return {
        "type": t.type,
        "status": t.status,
        "file": t.file,
        "producer": _verdict(t.producer),
        "consumer": _verdict(t.consumer),
        "changes": [_change(c) for c in t.changes],
    }


def _verdict(v: SideVerdict) -> dict[str, Any]:
    return {
        "breaking": v.breaking,
        "basis": v.basis.value,
        "oracle": v.oracle,
        "note": v.note,
        "witness": v.witness if v.has_witness else None,
    }


def _change(c: Change) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "impact": c.impact.value,
        "file": c.file,
        "pointer": c.pointer,
        "instance_path": c.instance_path,
        "message": c.message,
        "old": c.old,
        "new": c.new,
    }
