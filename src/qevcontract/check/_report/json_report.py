"""The versioned JSON report (docs/schemas/check-report.schema.json describes it).

`version` is `"MAJOR.MINOR"`, the scheme of every JSON report (`qevcontract._report.envelope`):
the major changes only when a key is removed or its meaning changes; new keys may appear in
any release, so readers should ignore keys they do not know. Version 2: `findings` holds
one entry per cause (the first occurrence's fields, as version 1 had them, plus `page`,
`cause`, `count` and every occurrence in `occurrences`), at every severity whatever
`--show` says.
"""

from __future__ import annotations

import json
from typing import Any

from ..._report.envelope import header, report_version
from .._runner import CheckReport
from . import Where

REPORT_VERSION = report_version(2, 0)


def report_document(report: CheckReport) -> dict[str, Any]:
    counts = report.counts()
    groups = report.groups()
    return {
        **header(REPORT_VERSION),
        "contracts": report.contracts,
        "pages": list(report.pages),
        "findings": [g.to_dict() for g in groups],
        "summary": {
            "findings": len(report.findings),
            "causes": len(groups),
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
            "show": report.show,
            "unused_ignores": list(report.unused_ignores),
            "outside_pages": report.outside,
        },
    }


def render(report: CheckReport, where: Where) -> str:
    return json.dumps(report_document(report), indent=2, ensure_ascii=False) + "\n"
