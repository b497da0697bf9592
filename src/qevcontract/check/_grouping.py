"""One finding per cause: occurrences of one rule's message on one page, grouped.

Rules report every place a quirk shows (three task events whose examples all carry
`eventType`); a person acts once per cause. A `FindingGroup` gathers the findings that share
rule, severity, page (the doc page with `--docs`, else the contract domain) and cause: the
message without its leading subject (the field path or event type it opens with, as in
`data.usage: the description says it defaults to 'ANALYTICS'...`), so the same quirk on
`data.usage` of three events and on the shared `taskEntryObject.usage` is one entry.
The findings themselves are unchanged, so baselines and fingerprints stay per occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ._findings import SEVERITY_RANK, Finding, Severity


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """Findings of one cause; `occurrences` are in report order (page line, event type)."""

    rule: str
    name: str
    severity: Severity
    page: str  # the doc page path as given, or "<domain> contracts" without --docs
    cause: str  # the message without its subject
    hint: str
    occurrences: tuple[Finding, ...]

    @property
    def first(self) -> Finding:
        return self.occurrences[0]

    def to_dict(self) -> dict[str, Any]:
        """The first occurrence's fields (as version 1 had them) plus every occurrence."""
        return {
            **self.first.to_dict(),
            "page": self.page,
            "cause": self.cause,
            "count": len(self.occurrences),
            "occurrences": [occurrence_dict(f) for f in self.occurrences],
        }


def occurrence_dict(finding: Finding) -> dict[str, Any]:
    """Where one occurrence is: the fields that differ between a group's occurrences."""
    return {
        "event_type": finding.event_type,
        "location": finding.location,
        "file": finding.file,
        "doc": finding.doc,
        "message": finding.message,
        "fingerprint": finding.fingerprint,
    }


# A message's subject: a field path or event type (a token with a dot or brackets) followed
# by a space, or any single token followed by a colon ("eventType: documented as ...").
_SUBJECT = re.compile(r"^([A-Za-z_$][\w$.\-\[\]]*)(:?)\s+(\S.*)$", re.S)


def split_subject(message: str) -> tuple[str, str]:
    """`("data.usage", "the description says ...")`; `("", message)` when it has none."""
    match = _SUBJECT.match(message)
    if match is None:
        return "", message
    token, colon, rest = match.groups()
    if colon or "." in token or "[" in token:
        return token, rest
    return "", message


def page_of(finding: Finding) -> str:
    """The page a finding belongs to: its doc page, else its contract domain."""
    if finding.doc:
        return finding.doc.rpartition(":")[0] or finding.doc
    if finding.is_page_location and finding.file:
        return finding.file
    domain = (finding.file or "").split("/", 1)[0]
    return f"{domain} contracts" if domain else "contracts"


def doc_line(finding: Finding) -> int:
    """The page line of a finding (0 when it has none), for ordering."""
    where = finding.doc or (finding.location if finding.is_page_location else "")
    tail = where.rpartition(":")[2]
    return int(tail) if tail.isdigit() else 0


def group_findings(findings: Iterable[Finding]) -> list[FindingGroup]:
    """Groups ordered by page, then severity (errors first), then first line and rule."""
    groups: dict[tuple[str, str, str, str], list[Finding]] = {}
    for finding in findings:
        cause = split_subject(finding.message)[1]
        key = (finding.rule, finding.severity, page_of(finding), cause)
        groups.setdefault(key, []).append(finding)
    out = []
    for (_rule, _severity, page, cause), members in groups.items():
        members.sort(key=lambda f: (doc_line(f), f.event_type or "", f.location))
        first = members[0]
        out.append(
            FindingGroup(
                first.rule, first.name, first.severity, page, cause, first.hint, tuple(members)
            )
        )
    out.sort(key=lambda g: (g.page, -SEVERITY_RANK[g.severity], doc_line(g.first), g.rule, g.cause))
    return out
