"""What the checker reports: severities, rule hits and findings.

Rules yield `Hit`s (where and what); the runner stamps each with its rule's code and the
configured severity to make a `Finding`. Both are plain frozen values, so they pickle and
compare cheaply and carry no reference to a catalogue or a page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
# Higher is more severe; `--fail-on` compares against this.
SEVERITY_RANK: dict[str, int] = {"info": 1, "warning": 2, "error": 3}
# `--fail-on` also accepts "never" (report, but always exit 0).
FAIL_ON_CHOICES = ("error", "warning", "info", "never")


def at_or_above(severity: str, threshold: str) -> bool:
    """Whether `severity` reaches `threshold` ("never" is never reached)."""
    if threshold == "never":
        return False
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold]


@dataclass(frozen=True, slots=True)
class Hit:
    """One thing a rule found, before the runner attaches the rule code and severity.

    `location` is a JSON pointer into the contract `file` (relative to the contract set), or
    `page:line` for a fact only a doc page holds. `key` makes the fingerprint stable for
    findings whose location is not a pointer (page lines shift) or is shared by several
    contracts (a page-wide schema): it never contains message wording or line numbers.
    """

    location: str
    message: str
    hint: str = ""
    event_type: str | None = None
    file: str | None = None
    doc: str | None = None
    key: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """A reported finding: the documented JSON shape plus where it lives on disk."""

    rule: str  # stable code, e.g. "QEV301"
    name: str  # the rule's name, e.g. "example-type-mismatch"
    severity: Severity
    event_type: str | None  # None for page-wide findings
    location: str  # JSON pointer into the contract, or "page-file-name:line"
    message: str
    hint: str = ""
    file: str | None = None  # contract file (relative to the set) or doc page path
    doc: str | None = None  # "page:line" where the docs say it, when pages were given
    key: str = ""

    @property
    def is_page_location(self) -> bool:
        return not (self.location == "" or self.location.startswith("/"))

    @property
    def fingerprint(self) -> str:
        """Stable identity for baselines: rule, event type and where, never the wording.

        Pointer locations are part of it; page locations are not (their line numbers move
        when the page is edited above them), so page findings rely on their `key`.
        """
        where = "" if self.is_page_location else self.location
        raw = "\x1f".join((self.rule, self.event_type or "", where, self.key))
        return hashlib.sha256(raw.encode()).hexdigest()[:20]

    def sort_key(self) -> tuple[str, int, str, str, str, str]:
        """By file, then page line (numerically), event type, location, rule."""
        line = self.location.rsplit(":", 1)[-1] if self.is_page_location else ""
        return (
            self.file or "",
            int(line) if line.isdigit() else 0,
            self.event_type or "",
            self.location,
            self.rule,
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        """The finding as the versioned JSON report documents it."""
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "event_type": self.event_type,
            "location": self.location,
            "message": self.message,
            "hint": self.hint,
            "file": self.file,
            "doc": self.doc,
            "fingerprint": self.fingerprint,
        }
