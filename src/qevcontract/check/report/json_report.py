"""The versioned JSON report (docs/schemas/check-report.schema.json describes it).

`version` changes only when a key is removed or its meaning changes; new keys may appear
in any release, so readers should ignore keys they do not know.
"""

from __future__ import annotations

import json
from typing import Any

from ... import __version__
from ..runner import CheckReport
from . import Where

REPORT_VERSION = 1


def report_document(report: CheckReport) -> dict[str, Any]:
    counts = report.counts()
    return {
        "version": REPORT_VERSION,
        "tool": {"name": "qevcontract", "version": __version__},
        "contracts": report.contracts,
        "pages": list(report.pages),
        "findings": [f.to_dict() for f in report.findings],
        "summary": {
            "findings": len(report.findings),
            "error": counts["error"],
            "warning": counts["warning"],
            "info": counts["info"],
            "by_rule": report.by_rule(),
            "rules_run": len(report.rules),
            "suppressed": report.suppressed,
            "baselined": report.baselined,
            "baseline_stale": report.baseline_stale,
            "fail_on": report.fail_on,
            "failed": report.failed,
        },
    }


def render(report: CheckReport, where: Where) -> str:
    return json.dumps(report_document(report), indent=2, ensure_ascii=False) + "\n"
