"""SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, Azure DevOps, IDEs).

Each cause is one result. Its location is the doc page and line when the run had `--docs`
(the files in the user's repository), else the contract file at the line its JSON pointer
lands on; the pointer is a logical location. The cause's other occurrences are related
locations and, in full, `properties.occurrences`. `partialFingerprints` carries the first
occurrence's baseline fingerprint, so dashboards track a quirk across runs even when its
wording changes. Every severity is included (`--show` filters only text and GitHub output).
"""

from __future__ import annotations

import json
from typing import Any

from ..._report.levels import sarif_level
from ..._report.sarif import (
    artifact_location,
    log_header,
    physical_location,
    rule_descriptor,
    run_head,
)
from .._findings import Finding
from .._grouping import FindingGroup, occurrence_dict
from .._registry import Rule
from .._runner import CheckReport
from . import Where


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    return rule_descriptor(
        rule.code,
        rule.name,
        rule.summary,
        rule.severity,
        description=rule.doc,
        tags=["qevcontract", rule.family],
    )


def _physical(where: Where, finding: Finding) -> dict[str, Any] | None:
    path = where.path(finding)
    if path is None:
        return None
    line, column = where.position(finding)
    # As the user's repository names the file: relative to the working directory
    # (`%SRCROOT%`), or absolute when it lies elsewhere.
    return physical_location(artifact_location(where.display_path(path)), line, column)


def _location(where: Where, finding: Finding) -> dict[str, Any]:
    location: dict[str, Any] = {}
    physical = _physical(where, finding)
    if physical is not None:
        location["physicalLocation"] = physical
    if not finding.is_page_location:
        location["logicalLocations"] = [
            {"fullyQualifiedName": f"{finding.event_type or finding.file}#{finding.location}"}
        ]
    return location


def _result(group: FindingGroup, index: int, where: Where) -> dict[str, Any]:
    first = group.first
    message = first.message if len(group.occurrences) == 1 else group.cause
    text = message + (f" Hint: {group.hint}" if group.hint else "")
    result: dict[str, Any] = {
        "ruleId": group.rule,
        "ruleIndex": index,
        "level": sarif_level(group.severity),
        "message": {"text": text},
        "partialFingerprints": {"qevcontract/v1": first.fingerprint},
        "properties": {
            "event_type": first.event_type,
            "location": first.location,
            "occurrences": [occurrence_dict(f) for f in group.occurrences],
        },
    }
    location = _location(where, first)
    if location:
        result["locations"] = [location]
    related = []
    for number, finding in enumerate(group.occurrences[1:], start=1):
        physical = _physical(where, finding)
        if physical is None:
            continue
        label = " ".join(x for x in (finding.event_type, finding.message) if x)
        related.append({"id": number, "message": {"text": label}, "physicalLocation": physical})
    if related:
        result["relatedLocations"] = related
    return result


def sarif_document(report: CheckReport, where: Where) -> dict[str, Any]:
    rules = sorted(report.rules, key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(rules)}
    run = run_head([_rule_descriptor(r) for r in rules], where.cwd)
    run["results"] = [_result(g, index[g.rule], where) for g in report.groups()]
    return {**log_header(), "runs": [run]}


def render(report: CheckReport, where: Where) -> str:
    return json.dumps(sarif_document(report, where), indent=2, ensure_ascii=False) + "\n"
