"""SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, Azure DevOps, IDEs).

Each finding is a result on the contract file, at the line its JSON pointer lands on, with
the pointer as a logical location and the doc page line (when known) as a related location.
`partialFingerprints` carries the same fingerprint as baselines, so dashboards track a
quirk across runs even when its message wording changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ... import __version__
from ..findings import Finding
from ..registry import Rule
from ..runner import CheckReport
from . import Where

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc},
        "help": {"text": rule.doc},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"tags": ["qevcontract", rule.family]},
    }


def _uri(where: Where, path: Path) -> str:
    shown = where.display_path(path)
    return Path(shown).as_uri() if Path(shown).is_absolute() else shown


def _result(finding: Finding, index: int, where: Where) -> dict[str, Any]:
    text = finding.message + (f" Hint: {finding.hint}" if finding.hint else "")
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": _LEVELS[finding.severity],
        "message": {"text": text},
        "partialFingerprints": {"qevcontract/v1": finding.fingerprint},
        "properties": {"event_type": finding.event_type, "location": finding.location},
    }
    path = where.path(finding)
    location: dict[str, Any] = {}
    if path is not None:
        line, column = where.position(finding)
        location["physicalLocation"] = {
            "artifactLocation": {"uri": _uri(where, path)},
            "region": {"startLine": line, "startColumn": column},
        }
    if not finding.is_page_location:
        location["logicalLocations"] = [
            {"fullyQualifiedName": f"{finding.event_type or finding.file}#{finding.location}"}
        ]
    if location:
        result["locations"] = [location]
    if finding.doc and not finding.is_page_location:
        page, _, line_text = finding.doc.rpartition(":")
        result["relatedLocations"] = [
            {
                "id": 1,
                "message": {"text": "where the doc page says it"},
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(where, Path(page))},
                    "region": {"startLine": int(line_text) if line_text.isdigit() else 1},
                },
            }
        ]
    return result


def sarif_document(report: CheckReport, where: Where) -> dict[str, Any]:
    rules = sorted(report.rules, key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "qevcontract",
                        "version": __version__,
                        "rules": [_rule_descriptor(r) for r in rules],
                    }
                },
                "results": [_result(f, index[f.rule], where) for f in report.findings],
            }
        ],
    }


def render(report: CheckReport, where: Where) -> str:
    return json.dumps(sarif_document(report, where), indent=2, ensure_ascii=False) + "\n"
