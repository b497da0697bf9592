"""The doc-quirk checker: named rules over a contract set (and its doc pages).

    from qevcontract.contracts import load
    from qevcontract.check import run_check

    report = run_check(load())            # the bundled contracts
    for finding in report.findings:       # Finding: rule, severity, event_type, location, ...
        print(finding.rule, finding.location, finding.message)

`run_check(catalog, pages, config=, baseline=, fail_on=)` returns a `CheckReport`; pages come
from `qevcontract.builder._pages.parse_pages`. `all_rules()` lists the rules, `load_config`
reads `.qevcontract.yaml` / `pyproject.toml`, `load_baseline` / `write_baseline` handle
baselines. Nothing here imports a validator until a rule needs one.
"""

from __future__ import annotations

from ._baseline import Baseline, BaselineError, load_baseline, write_baseline
from ._config import CheckConfig, ConfigError, Suppression, load_config
from ._findings import Finding, Hit, Severity
from ._registry import Rule, UnknownRule, all_rules, find_rule
from ._runner import CheckReport, run_check

__all__ = [
    "Baseline",
    "BaselineError",
    "CheckConfig",
    "CheckReport",
    "ConfigError",
    "Finding",
    "Hit",
    "Rule",
    "Severity",
    "Suppression",
    "UnknownRule",
    "all_rules",
    "find_rule",
    "load_baseline",
    "load_config",
    "run_check",
    "write_baseline",
]
