"""`qevcontract check` (doc-quirk findings) and `qevcontract rules` (the rule reference).

Both import the checker inside the command body: `qevcontract --help` and other commands
never pay for it.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import (
    EXIT_FINDINGS,
    EXIT_OK,
    QevCommandError,
    choice_option,
    color_option,
    contracts_option,
    file_option,
    load_catalog,
)

# Kept literal (not imported from the checker) so that importing the CLI stays cheap;
# a test checks they match the checker's own lists.
OUTPUT_FORMATS = ("text", "json", "sarif", "github")
FAIL_ON = ("error", "warning", "info", "never")
SHOW = ("error", "warning", "info")
RULES_FORMATS = ("text", "markdown", "json")


@click.command("check")
@contracts_option
@click.option(
    "--docs",
    "docs",
    multiple=True,
    metavar="PAGES...",
    help="Doc pages (files or directories) the contracts were built from: adds page-only "
    "rules and page:line locations, and reports on the contracts built from these pages "
    "(findings on the others are counted in the summary).",
)
@click.argument("more_pages", nargs=-1, metavar="", type=click.Path(path_type=str))
@choice_option(
    "--format", "output_format", choices=OUTPUT_FORMATS, default="text", help="Output format."
)
@choice_option(
    "--fail-on",
    choices=FAIL_ON,
    default=None,
    help="Exit 1 when a finding at or above this severity remains. Default: the config's "
    "fail-on, else error.",
)
@file_option(
    "--config",
    "config_file",
    help="Config file (severities, show, fail-on, ignores; docs/rules.md documents it). "
    "Default: the nearest .qevcontract.yaml or pyproject.toml [tool.qevcontract] from the "
    "working directory up.",
)
@file_option("--baseline", "baseline_file", help="Report only findings not in this baseline file.")
@file_option(
    "--write-baseline",
    "write_baseline_file",
    help="Write today's findings to this baseline file and exit 0.",
)
@choice_option(
    "--show",
    choices=SHOW,
    default=None,
    help="Lowest severity the text and github formats list (json and sarif list all). "
    "Default: the config's show, else warning; the summary counts every finding.",
)
@color_option("the text format", when="on a terminal")
@click.option(
    "-q", "--quiet", is_flag=True, help="Text format: one line per cause, no places or hints."
)
def check(
    contracts_dir: str | None,
    docs: tuple[str, ...],
    more_pages: tuple[str, ...],
    output_format: str,
    fail_on: str | None,
    config_file: Path | None,
    baseline_file: Path | None,
    write_baseline_file: Path | None,
    show: str | None,
    color: bool | None,
    quiet: bool,
) -> None:
    """Report quirks of the contracts and, with --docs, of the doc pages.

    \b
    Runs every rule (`qevcontract rules` lists them) and prints the findings,
    one entry per cause (a rule's message on one page), summary first.
    Infos are counted but not listed unless --show info.
    Exit codes: 0 nothing at or above --fail-on, 1 some finding is,
    2 usage error or unreadable input (contracts, pages, config, baseline).

    \b
    Examples:
      qevcontract check
      qevcontract check --docs ../shared/seeds --show info
      qevcontract check --docs ../shared/seeds --format sarif > check.sarif
      qevcontract check --write-baseline .qevcontract-baseline.json
      qevcontract check --baseline .qevcontract-baseline.json --fail-on warning
    """
    if more_pages and not docs:
        raise QevCommandError(
            f"unexpected argument {more_pages[0]!r}; pass doc pages with --docs PAGES..."
        )
    if baseline_file is not None and write_baseline_file is not None:
        raise QevCommandError("use either --baseline or --write-baseline, not both")

    from ..check._baseline import BaselineError, load_baseline, write_baseline
    from ..check._config import ConfigError, load_config
    from ..check._report import Where, renderer
    from ..check._report.text import render as render_text
    from ..check._runner import run_check

    catalog = load_catalog(contracts_dir)
    pages = _parse_pages([*docs, *more_pages]) if docs else None
    try:
        config = load_config(config_file)
        baseline = load_baseline(baseline_file) if baseline_file is not None else None
    except (ConfigError, BaselineError) as exc:
        raise QevCommandError(str(exc)) from None

    report = run_check(catalog, pages, config=config, baseline=baseline, fail_on=fail_on, show=show)

    if write_baseline_file is not None:
        try:
            count = write_baseline(write_baseline_file, report.findings)
        except BaselineError as exc:
            raise QevCommandError(str(exc)) from None
        click.echo(f"wrote {count} finding(s) to baseline {write_baseline_file}", err=True)
        raise SystemExit(EXIT_OK)

    where = Where(catalog.root)
    if output_format == "text":
        from .._report.style import no_color

        if color is None and no_color():
            color = False  # https://no-color.org: any non-empty value
        click.echo(render_text(report, where, quiet=quiet), nl=False, color=color)
    else:
        click.echo(renderer(output_format)(report, where), nl=False)
    raise SystemExit(EXIT_FINDINGS if report.failed else EXIT_OK)


def _parse_pages(paths: list[str]):  # type: ignore[no-untyped-def]
    from ..builder._model import PageError
    from ..builder._pages import PageReadError, parse_pages

    try:
        return parse_pages(paths)
    except (PageError, PageReadError) as exc:
        raise QevCommandError(str(exc)) from None


@click.command("rules")
@click.argument("rule_ref", required=False, metavar="[CODE]")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(RULES_FORMATS),
    default="text",
    show_default=True,
    help="markdown renders docs/rules.md.",
)
def rules(rule_ref: str | None, output_format: str) -> None:
    """List the check rules, or show one rule's documentation.

    \b
    Examples:
      qevcontract rules
      qevcontract rules QEV301
      qevcontract rules --format markdown > docs/rules.md
    """
    from ..check._docs import rule_text, rules_markdown, rules_text
    from ..check._registry import UnknownRule, all_rules, find_rule

    pool = all_rules()
    if rule_ref is not None:
        try:
            pool = (find_rule(rule_ref, pool),)
        except UnknownRule as exc:
            raise QevCommandError(str(exc)) from None
    if output_format == "markdown":
        click.echo(rules_markdown(pool), nl=False)
    elif output_format == "json":
        doc = [
            {
                "code": r.code,
                "name": r.name,
                "family": r.family,
                "severity": r.severity,
                "why": r.why,
                "summary": r.summary,
                "doc": r.doc,
                "needs_docs": r.needs_docs,
            }
            for r in pool
        ]
        click.echo(json.dumps(doc, indent=2))
    elif rule_ref is not None:
        click.echo(rule_text(pool[0]), nl=False)
    else:
        click.echo(rules_text(pool), nl=False)
