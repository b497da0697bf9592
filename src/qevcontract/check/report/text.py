"""Findings for people: one line per finding, its hint and doc line below, a summary last."""

from __future__ import annotations

from ..findings import Finding
from ..runner import CheckReport
from . import Where


def subject(finding: Finding) -> str:
    """What a finding is about, as people name it: the event type, else the page-wide owner."""
    if finding.is_page_location:
        return finding.location + (f" ({finding.event_type})" if finding.event_type else "")
    if finding.event_type is not None:
        return f"{finding.event_type} {finding.location}"
    domain = (finding.file or "").split("/", 1)[0]
    return f"{domain} page (all its events) {finding.location}"


def render(report: CheckReport, where: Where, *, quiet: bool = False) -> str:
    lines: list[str] = []
    for f in report.findings:
        lines.append(f"{subject(f)}: {f.severity} {f.rule} {f.message}")
        if quiet:
            continue
        if f.hint:
            lines.append(f"  hint: {f.hint}")
        if f.doc and not f.is_page_location:
            lines.append(f"  doc: {f.doc}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def summary_line(report: CheckReport) -> str:
    counts = report.counts()
    total = len(report.findings)
    parts = [
        f"{total} finding{'s' if total != 1 else ''}: {counts['error']} error(s), "
        f"{counts['warning']} warning(s), {counts['info']} info"
    ]
    extra = [f"{len(report.rules)} rules run"]
    if report.suppressed:
        extra.append(f"{report.suppressed} suppressed by config")
    if report.baseline_source is not None:
        extra.append(f"{report.baselined} baselined")
        if report.baseline_stale:
            extra.append(f"{report.baseline_stale} baseline entr(ies) no longer found")
    verdict = (
        f"failing at {report.fail_on}" if report.failed else f"nothing at or above {report.fail_on}"
    )
    if report.fail_on == "never":
        verdict = "not failing (--fail-on never)"
    return f"{parts[0]} ({'; '.join(extra)}); {verdict}"
