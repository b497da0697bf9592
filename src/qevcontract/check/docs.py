"""The rule reference, generated from the registry (docs/rules.md and `qevcontract rules`).

Regenerate the committed page with:

    qevcontract rules --format markdown > docs/rules.md

A test fails when the committed page differs from what this module renders.
"""

from __future__ import annotations

from collections.abc import Iterable

from .registry import FAMILIES, Rule, all_rules

GENERATED_NOTE = (
    "<!-- Generated from the rule registry by `qevcontract rules --format markdown > "
    "docs/rules.md`. Do not edit by hand. -->"
)


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
                f"{r.summary[0].upper()}{r.summary[1:]}.",
                "",
                r.doc,
            ]
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
        f"default severity: {rule.severity}{docs_only}\n\n"
        f"{rule.summary}\n\n{rule.doc}\n"
    )
