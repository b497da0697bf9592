"""Findings for people: the summary first, then one entry per cause, grouped by page.

    257 findings in 78 causes: 19 error(s), 78 warning(s), 160 info (info hidden; ...)
      error     19 in   9 causes: QEV201 ×1, QEV301 ×3, ...
    ../shared/seeds/tasks.md
      error QEV404 datacontenttype  the example's datacontenttype 'string' is not a media type
        3×  :93 com.qlik.scheduling.task.created; :203 com.qlik.scheduling.task.deleted; ...
        hint: Consumers choose the payload decoder from datacontenttype; ...

Each rule's hint is printed once, under its first entry. Styles (click.style) are always
added; `click.echo` strips them unless the output is a terminal or colour is forced.
"""

from __future__ import annotations

from collections import Counter

import click

from ..._report.style import SEVERITY_STYLES
from ..._report.summary import plural
from .._findings import SEVERITIES, Finding
from .._grouping import FindingGroup, doc_line, split_subject
from .._runner import CheckReport
from . import Where


def subject(finding: Finding) -> str:
    """What a finding is about, as people name it: the event type, else the page-wide owner."""
    if finding.is_page_location:
        return finding.location + (f" ({finding.event_type})" if finding.event_type else "")
    if finding.event_type is not None:
        return f"{finding.event_type} {finding.location}"
    domain = (finding.file or "").split("/", 1)[0]
    return f"{domain} page (all its events) {finding.location}"


def _where(finding: Finding) -> str:
    line = doc_line(finding)
    return f":{line}" if line else finding.location or "/"


def places(findings: tuple[Finding, ...]) -> str:
    """A cause's places, each event type named once: `EVENT :51 data.a, :60 data.b; EVENT2 :9`."""
    fields = [split_subject(f.message)[0] for f in findings]
    runs: dict[str, list[str]] = {}
    if not any(field and field != f.event_type for f, field in zip(findings, fields, strict=True)):
        # Event types only (a changelog naming 20 events on 4 lines): one run per line.
        for finding in findings:
            runs.setdefault(_where(finding), []).append(finding.event_type or "(page-wide)")
        return "; ".join(f"{where} {', '.join(owners)}" for where, owners in runs.items())
    for finding, field in zip(findings, fields, strict=True):
        named = field if field and field != finding.event_type else ""
        line = doc_line(finding)
        # The page line and the field; without pages the field alone says where (the
        # pointer only when the message names no field).
        spot = f":{line} {named}".strip() if line else named or _where(finding)
        runs.setdefault(finding.event_type or "(page-wide)", []).append(spot)
    return "; ".join(f"{owner} {', '.join(spots)}" for owner, spots in runs.items())


def render(report: CheckReport, where: Where, *, quiet: bool = False) -> str:
    groups = report.groups()
    shown = report.shown(groups)
    lines = summary_block(report, groups)
    page = None
    hinted: set[str] = set()
    for group in shown:
        if group.page != page:
            page = group.page
            lines += ["", click.style(page, bold=True)]
        lines += _entry(group, quiet, hinted)
    if shown:
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _entry(group: FindingGroup, quiet: bool, hinted: set[str]) -> list[str]:
    """One cause: a line (with its place when it has one), its places, its rule's hint once.

    Lines are not wrapped: a terminal wraps them to its own width, and a file or CI log
    keeps one entry per line for grep.
    """
    label = click.style(group.severity, **SEVERITY_STYLES[group.severity])
    head = f"  {label} {group.rule} {group.name}  "
    count = len(group.occurrences)
    if count == 1:
        only = group.first
        line = doc_line(only)
        where = f":{line} {only.event_type or '(page-wide)'}" if line else subject(only)
        if line and only.event_type and split_subject(only.message)[0] == only.event_type:
            where = f":{line}"  # the message opens with the event type already
        out = [f"{head}{where}: {only.message}"]
    elif quiet:
        out = [f"{head}{group.cause} [{count}×]"]
    else:
        out = [f"{head}{group.cause}", f"    {count}×  {places(group.occurrences)}"]
    if not quiet and group.hint and group.rule not in hinted:
        hinted.add(group.rule)
        out.append(click.style(f"    hint: {group.hint}", dim=True))
    return out


def summary_block(report: CheckReport, groups: list[FindingGroup]) -> list[str]:
    """Counts per severity (findings and causes) and per rule; infos counted even if hidden."""
    counts = report.counts()
    total = len(report.findings)
    hidden = [s for s in SEVERITIES if s not in {g.severity for g in report.shown(groups)}]
    hidden = [s for s in hidden if counts[s]]
    note = f" ({', '.join(hidden)} hidden; --show {hidden[-1]} lists them)" if hidden else ""
    lines = [
        f"{plural(total, 'finding')} in {plural(len(groups), 'cause')}: "
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info{note}"
    ]
    for severity in SEVERITIES:
        by_rule = Counter(f.rule for f in report.findings if f.severity == severity)
        if not by_rule:
            continue
        causes = sum(1 for g in groups if g.severity == severity)
        label = click.style(f"{severity:<7}", **SEVERITY_STYLES[severity])
        cells = ", ".join(f"{rule} ×{n}" for rule, n in sorted(by_rule.items()))
        lines.append(f"  {label} {counts[severity]:>4} in {causes:>3} causes: {cells}")
    return lines


def summary_line(report: CheckReport) -> str:
    counts = report.counts()
    total = len(report.findings)
    parts = [
        f"{plural(total, 'finding')}: {counts['error']} error(s), "
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
    if report.outside:
        extra.append(
            f"{report.outside} on {report.outside_contracts} contract(s) built from other pages "
            "not reported (run without --docs for every contract)"
        )
    unused = "".join(f"\nconfig: {entry} matched no finding" for entry in report.unused_ignores)
    return f"{parts[0]} ({'; '.join(extra)}); {verdict}{unused}"
