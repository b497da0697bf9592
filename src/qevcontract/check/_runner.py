"""Running the rules: hits -> findings, then configuration, suppressions and the baseline.

The order matters and is fixed: rules run (skipping those configured `off` and, without
pages, the page-only ones) over every contract, each hit gets its rule's code, configured
severity and doc location; with pages, findings on contracts built from none of them are
set aside (counted, not reported: `--docs` asks about those pages); suppressions from the
config remove theirs; the baseline removes known ones.
What remains decides the exit status against `fail_on`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._config import DEFAULT_SHOW, CheckConfig
from ._context import CheckContext
from ._findings import Finding, Hit, Severity, at_or_above
from ._grouping import FindingGroup, group_findings
from ._registry import Rule, all_rules

if TYPE_CHECKING:
    from ..builder._model import DocPage
    from ..contracts import Catalog
    from ._baseline import Baseline


@dataclass
class CheckReport:
    """The outcome of a check run, ready for any reporter."""

    findings: list[Finding]
    rules: tuple[Rule, ...]  # every rule that ran
    fail_on: str = "error"
    suppressed: int = 0  # removed by config suppressions
    baselined: int = 0  # removed by the baseline
    baseline_stale: int = 0  # baseline entries no longer found (fixed quirks)
    contracts: str = ""
    pages: list[str] = field(default_factory=list)
    config_source: str | None = None
    baseline_source: str | None = None
    # Lowest severity the text and GitHub reports list; the summary counts every finding.
    show: str = DEFAULT_SHOW
    # Config ignore entries that matched no finding: "<file>: check.ignore[i] (rule X, ...)".
    unused_ignores: list[str] = field(default_factory=list)
    # With pages: findings on contracts built from none of them, not reported (and on how
    # many contracts). `--docs` scopes the report to the pages given.
    outside: int = 0
    outside_contracts: int = 0

    @property
    def failed(self) -> bool:
        return any(at_or_above(f.severity, self.fail_on) for f in self.findings)

    def groups(self) -> list[FindingGroup]:
        """The findings, one group per cause (see `grouping`)."""
        return group_findings(self.findings)

    def shown(self, groups: list[FindingGroup]) -> list[FindingGroup]:
        return [g for g in groups if at_or_above(g.severity, self.show)]

    def counts(self) -> dict[str, int]:
        by = Counter(f.severity for f in self.findings)
        return {"error": by["error"], "warning": by["warning"], "info": by["info"]}

    def by_rule(self) -> dict[str, int]:
        return dict(sorted(Counter(f.rule for f in self.findings).items()))


def run_check(
    catalog: Catalog,
    pages: Sequence[DocPage] | None = None,
    *,
    config: CheckConfig | None = None,
    baseline: Baseline | None = None,
    fail_on: str | None = None,
    rules: Sequence[Rule] | None = None,
    show: str | None = None,
) -> CheckReport:
    """Run the rules over a contract set (and pages, if given) and apply config/baseline."""
    config = config or CheckConfig()
    ctx = CheckContext(catalog, pages)
    ran: list[Rule] = []
    found: dict[str, Finding] = {}
    for rule in rules if rules is not None else all_rules():
        severity = config.severity_for(rule)
        if severity is None or (rule.needs_docs and not ctx.has_docs):
            continue
        ran.append(rule)
        for hit in rule.function(ctx):
            finding = _finding(ctx, rule, severity, hit)  # type: ignore[arg-type]
            found.setdefault(finding.fingerprint, finding)

    kept: list[Finding] = []
    suppressed = 0
    used: set[int] = set()
    elsewhere = ctx.files_outside_pages()
    outside = [f for f in found.values() if f.file in elsewhere]
    for finding in found.values():
        if finding.file in elsewhere:
            continue
        matched = [i for i, s in enumerate(config.suppressions) if s.matches(finding)]
        if matched:
            suppressed += 1
            used.update(matched)
        else:
            kept.append(finding)
    unused = [
        f"{s.where} ({s.describe()})"
        for i, s in enumerate(config.suppressions)
        if i not in used and (s.rule is None or s.rule in {r.code for r in ran})
    ]
    baselined = 0
    stale = 0
    if baseline is not None:
        baselined = sum(1 for f in kept if f in baseline)
        stale = _stale_entries(baseline, set(found), {r.code for r in ran})
        kept = [f for f in kept if f not in baseline]
    kept.sort(key=Finding.sort_key)
    return CheckReport(
        findings=kept,
        rules=tuple(ran),
        fail_on=fail_on or config.fail_on or "error",
        suppressed=suppressed,
        baselined=baselined,
        baseline_stale=stale,
        contracts=str(catalog.root),
        pages=[p.path for p in ctx.pages],
        config_source=config.source,
        baseline_source=baseline.source if baseline is not None else None,
        show=show or config.show or DEFAULT_SHOW,
        unused_ignores=unused,
        outside=len(outside),
        outside_contracts=len({f.file for f in outside}),
    )


def _stale_entries(baseline: Baseline, found: set[str], ran: set[str]) -> int:
    """Baseline entries whose quirk is gone: not found by a rule that ran this time.

    Entries of rules switched off, and findings suppressed by the config, are not stale.
    """
    return sum(
        1
        for fingerprint in baseline.fingerprints - found
        if baseline.rules.get(fingerprint, "") in ran or fingerprint not in baseline.rules
    )


def _finding(ctx: CheckContext, rule: Rule, severity: Severity, hit: Hit) -> Finding:
    doc = hit.doc
    if doc is None and (hit.location == "" or hit.location.startswith("/")):
        doc = ctx.doc_location(hit.file, hit.location)
    return Finding(
        rule=rule.code,
        name=rule.name,
        severity=severity,
        event_type=hit.event_type,
        location=hit.location,
        message=hit.message,
        hint=hit.hint,
        file=hit.file,
        doc=doc,
        key=hit.key,
    )
