"""Baselines: accept today's known quirks, fail only on new ones.

A baseline file lists finding fingerprints (rule + event type + JSON pointer, or a stable
key for page findings), so it survives message rewording and page lines moving. Messages
are stored too, for the person reviewing the file, but never matched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ._findings import Finding

BASELINE_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the message names the file."""


@dataclass(frozen=True)
class Baseline:
    fingerprints: frozenset[str]
    source: str
    # fingerprint -> rule code, so that entries of rules that did not run are not "stale"
    rules: Mapping[str, str] = field(default_factory=dict)

    def __contains__(self, finding: object) -> bool:
        return isinstance(finding, Finding) and finding.fingerprint in self.fingerprints


def load_baseline(path: Path) -> Baseline:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: baseline not found; create it with --write-baseline {path}"
        ) from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read ({exc.strerror})") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
        raise BaselineError(
            f"{path}: not a qevcontract baseline (version {BASELINE_VERSION}); "
            "rewrite it with --write-baseline"
        )
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise BaselineError(f"{path}: 'findings' must be a list of entries with a fingerprint")
    return Baseline(
        frozenset(e["fingerprint"] for e in entries),
        str(path),
        {e["fingerprint"]: str(e.get("rule", "")) for e in entries},
    )


def baseline_document(findings: Iterable[Finding]) -> dict[str, object]:
    """The baseline for `findings`, sorted so that regenerating it gives a small diff."""
    entries = {
        f.fingerprint: {
            "fingerprint": f.fingerprint,
            "rule": f.rule,
            "event_type": f.event_type,
            "location": f.location if not f.is_page_location else f.key,
            "message": f.message,
        }
        for f in findings
    }
    ordered = sorted(
        entries.values(),
        key=lambda e: (str(e["rule"]), str(e["event_type"] or ""), str(e["location"])),
    )
    return {"version": BASELINE_VERSION, "generated_by": "qevcontract check", "findings": ordered}


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Write the baseline; returns how many fingerprints it holds."""
    doc = baseline_document(findings)
    try:
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True)
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write ({exc.strerror})") from None
    entries = doc["findings"]
    return len(entries) if isinstance(entries, list) else 0
