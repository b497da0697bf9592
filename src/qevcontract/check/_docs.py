"""The rule reference, generated from the registry (docs/rules.md and `qevcontract rules`).

Regenerate the committed page with:

    qevcontract rules --format markdown > docs/rules.md

A test fails when the committed page differs from what this module renders.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._registry import FAMILIES, Rule, all_rules

GENERATED_NOTE = (
    "<!-- Generated from the rule registry by `qevcontract rules --format markdown > "
    "docs/rules.md`. Do not edit by hand. -->"
)


SEVERITY_SECTION = [
    "## Severities",
    "",
    "- **error**: an event built from the page would be wrong or rejected (by the contract, by "
    "a CloudEvents SDK, or by a subscription to the documented type).",
    "- **warning**: nothing is rejected, but a consumer must know it to read the events right "
    "(a field spelled two ways, a default only the prose states, a payload left undocumented).",
    "- **info**: editorial (a missing description, a placeholder in an example). The text "
    "report counts infos but does not list them; `--show info` (or `show: info` in the "
    "configuration) lists them.",
    "",
    "Each rule below says why it has its severity. The text report lists one entry per "
    "cause: the findings of one rule on one page with the same message (less the field or "
    "event type it opens with) are one entry with their places, and each rule's hint is "
    "printed once. `--format json` and `--format sarif` keep every occurrence "
    "(`occurrences`); baselines and fingerprints are per occurrence, as before.",
    "",
    "With `--docs`, every rule still sees the whole contract set (cross-event rules compare "
    "all events), but the report covers the contracts built from the pages given: findings "
    "on the others are counted in the summary, not listed (run without `--docs` to see "
    "them). Locations, in SARIF and GitHub annotations too, are then the pages and lines "
    "as given.",
]

CONFIG_SECTION = [
    "## Configuration file",
    "",
    "`qevcontract check` reads the first of `.qevcontract.yaml`, `.qevcontract.yml` (section "
    "`check:`) or a `pyproject.toml` with a `[tool.qevcontract.check]` table, searching from "
    "the working directory up to the repository root (the directory holding `.git`); "
    "`--config FILE` names one. A mistake in it (an unknown key or rule, a bad severity) is a "
    "one-line error naming the file and key, exit code 2.",
    "",
    "```yaml",
    "check:",
    "  fail-on: warning        # error | warning | info | never (default error); --fail-on wins",
    "  show: info              # lowest severity the text/github reports list (default warning)",
    "  severity:               # per rule, by code or name: error | warning | info | off",
    "    QEV609: off",
    "    example-placeholder: warning",
    "  ignore:                 # each entry needs at least one of rule, event-type, location",
    "    - rule: QEV305",
    "      event-type: com.qlik.v1.alerting-task.*   # glob on the event type",
    "      reason: the alertID spelling is what production sends",
    "    - location: tasks.md:90                     # a page line, as given or by file name",
    "    - rule: QEV203",
    "      location: /examples/*                      # glob on the JSON pointer",
    "    - event-type: com.qlik.license.*            # every rule, some event types",
    "```",
    "",
    "The same in `pyproject.toml`:",
    "",
    "```toml",
    "[tool.qevcontract.check]",
    'fail-on = "warning"',
    'show = "info"',
    "",
    "[tool.qevcontract.check.severity]",
    'QEV609 = "off"',
    "",
    "[[tool.qevcontract.check.ignore]]",
    'rule = "QEV305"',
    'event-type = "com.qlik.v1.alerting-task.*"',
    "```",
    "",
    "`location` is a glob matched against the finding's JSON pointer (`/properties/data/...`) "
    "and, when the run had `--docs`, against its `page:line` (the page as given to `--docs`, "
    "or its file name alone: `tasks.md:90`). Suppressed findings are counted in the summary. "
    "An `ignore` entry that matches no finding is reported after the summary (`config: "
    "... check.ignore[2] (...) matched no finding`), so stale entries do not pile up; entries "
    "for rules that did not run (switched off, or page-only without `--docs`) are not.",
]


def rules_markdown(rules: Iterable[Rule] | None = None) -> str:
    """docs/rules.md: an index table, then one section per family and per rule."""
    pool = sorted(rules if rules is not None else all_rules(), key=lambda r: r.code)
    out = [
        "# `qevcontract check` rules",
        "",
        GENERATED_NOTE,
        "",
        f"`qevcontract check` runs {len(pool)} rules over a contract set (and, with `--docs`, "
        "over the doc pages it was built from). Every rule has a stable code and a default "
        "severity; change a severity, switch a rule off (`off`) or suppress single findings "
        "in `.qevcontract.yaml` (`check:` section) or `pyproject.toml` "
        "(`[tool.qevcontract.check]`), and accept today's findings with a baseline "
        "(`--write-baseline` / `--baseline`). Rules marked *docs only* run only with `--docs`.",
        "",
        *SEVERITY_SECTION,
        "",
        "| code | name | severity | summary |",
        "| --- | --- | --- | --- |",
    ]
    for r in pool:
        docs_only = " *(docs only)*" if r.needs_docs else ""
        out.append(f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.severity} | "
                   f"{_cell(r.summary)}{docs_only} |")  # fmt: skip
    for family, (codes, what) in FAMILIES.items():
        members = [r for r in pool if r.family == family]
        if not members:
            continue
        out += ["", f"## {family.capitalize()} ({codes}): {what}"]
        for r in members:
            out += [
                "",
                f"### {r.code}",
                "",
                f"`{r.name}` · default severity **{r.severity}**"
                + (" · runs only with `--docs`" if r.needs_docs else ""),
                "",
                f"Why {r.severity}: {r.why}.",
                "",
                f"{r.summary[0].upper()}{r.summary[1:]}.",
                "",
                r.doc,
            ]
    out += ["", *CONFIG_SECTION]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rules_text(rules: Iterable[Rule] | None = None) -> str:
    """`qevcontract rules`: one line per rule."""
    pool = sorted(rules if rules is not None else all_rules(), key=lambda r: r.code)
    width = max((len(r.name) for r in pool), default=0)
    lines = [
        f"{r.code}  {r.severity:<7}  {r.name:<{width}}  {r.summary}"
        + ("  [--docs]" if r.needs_docs else "")
        for r in pool
    ]
    return "\n".join(lines) + "\n"


def rule_text(rule: Rule) -> str:
    """`qevcontract rules CODE`: the full entry for one rule."""
    codes, what = FAMILIES.get(rule.family, ("", ""))
    docs_only = "\nruns only with --docs" if rule.needs_docs else ""
    return (
        f"{rule.code} {rule.name}\n"
        f"family: {rule.family} ({codes}: {what})\n"
        f"default severity: {rule.severity} ({rule.why}){docs_only}\n\n"
        f"{rule.summary}\n\n{rule.doc}\n"
    )
