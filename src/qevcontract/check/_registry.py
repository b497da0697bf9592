"""The rule registry: every rule's code, name, family, default severity, summary and doc.

Rule families live in `check/rules/<family>.py`, each exporting a `RULES` tuple; this module
only collects them (importing the family modules on first use), so the registry holds no
mutable state and `qevcontract rules` lists exactly what `check` runs.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._findings import Hit, Severity

if TYPE_CHECKING:
    from ._context import CheckContext

RuleFunction = Callable[["CheckContext"], Iterable[Hit]]

# Family -> (code range, what it covers); the order is the documentation order.
FAMILIES: dict[str, tuple[str, str]] = {
    "examples": ("QEV2xx", "doc examples validated against their own contract"),
    "naming": ("QEV3xx", "event type names and field spellings"),
    "cloudevents": ("QEV4xx", "CloudEvents 1.0 conformance of the envelope and examples"),
    "consistency": ("QEV5xx", "the same thing defined differently in different places"),
    "completeness": ("QEV6xx", "what the docs leave out, cut off or deprecate"),
    "descriptions": ("QEV7xx", "prose that contradicts the schema, the example or the event"),
    "pages": ("QEV8xx", "what the builder could not read, and pages that disagree"),
}


@dataclass(frozen=True)
class Rule:
    """A named check with a stable code. `function` yields hits from a `CheckContext`."""

    code: str
    name: str
    family: str
    severity: Severity
    summary: str
    doc: str
    function: RuleFunction
    # True for rules that only read doc pages (they run only with `--docs`).
    needs_docs: bool = False
    # Why the default severity is what it is, in one line (docs/rules.md prints it):
    # error = an event built from the page would be wrong or rejected; warning = a consumer
    # must know; info = editorial.
    why: str = ""


class UnknownRule(KeyError):
    """A rule code or name that no rule has; carries the nearest ones."""

    def __init__(self, ref: str, suggestions: list[str]) -> None:
        super().__init__(ref)
        self.ref = ref
        self.suggestions = suggestions

    def __str__(self) -> str:
        hint = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        return f"no rule {self.ref!r}{hint}"


def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by code."""
    from ._rules import (
        cloudevents as cloudevents,
    )
    from ._rules import (
        completeness as completeness,
    )
    from ._rules import (
        consistency as consistency,
    )
    from ._rules import (
        descriptions as descriptions,
    )
    from ._rules import (
        examples as examples,
    )
    from ._rules import (
        naming as naming,
    )
    from ._rules import (
        pages as pages,
    )
    from ._rules import (
        strings as strings,
    )

    modules = (
        examples, naming, cloudevents, strings, consistency, completeness, descriptions, pages
    )  # fmt: skip
    rules = [rule for module in modules for rule in module.RULES]
    return tuple(sorted(rules, key=lambda r: r.code))


def find_rule(ref: str, rules: Iterable[Rule] | None = None) -> Rule:
    """A rule by code (`QEV301`, case-insensitive) or name (`example-type-mismatch`)."""
    pool = tuple(rules) if rules is not None else all_rules()
    wanted = ref.strip()
    for rule in pool:
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    names = [r.code for r in pool] + [r.name for r in pool]
    raise UnknownRule(ref, difflib.get_close_matches(wanted, names, n=2, cutoff=0.6))
