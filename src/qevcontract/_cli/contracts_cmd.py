"""`qevcontract contracts ...`: build, list and show contract sets."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .._errors import first_line
from .common import (
    QevCommandError,
    contracts_option,
    file_option,
    load_catalog,
    report_drift,
)

if TYPE_CHECKING:
    from ..contracts import CatalogEntry


@click.group()
def contracts() -> None:
    """Build contracts from doc pages, list and show them."""


@contracts.command("build")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the contract set to (created if missing).",
)
@file_option(
    "--overrides",
    "overrides_file",
    help="Overrides file. Default: OUT/overrides.yaml when it exists.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if OUT differs from what the pages build (for CI).",
)
def build_cmd(
    pages: tuple[str, ...], out_dir: Path, overrides_file: Path | None, check: bool
) -> None:
    """Build one JSON Schema per event type from doc PAGES (files or directories).

    \b
    Formats are recognised by content: Markdown reference pages, flattened-text
    pages, and changelog entries; other files of a directory (an overview page, a
    how-to) are skipped with a note. Prose, notes and other tables are skipped. A
    construct that cannot be read (an unknown attribute, an unreadable Metadata
    value, an unresolvable type name) is left out of the contract and printed as
    a warning with its file and line; only a page whose structure cannot be read
    (no event sections, a broken table) stops the build. A type documented on
    several pages is built from the most recently updated one (last_updated).
    The output is byte-for-byte reproducible.

    \b
    Example:
      qevcontract contracts build ../shared/seeds ../shared/qlik-pages --out contracts/
    """
    from ..builder._build import build_contracts, stale_files, write_contracts
    from ..builder._model import PageError
    from ..builder._overrides import OverrideError, load_overrides
    from ..builder._pages import PageReadError

    try:
        overrides = load_overrides(overrides_file or out_dir / "overrides.yaml")
        if overrides_file is not None and not overrides_file.exists():
            raise QevCommandError(f"{overrides_file}: overrides file not found")
        result = build_contracts(pages, overrides)
    except (PageError, PageReadError, OverrideError) as exc:
        raise QevCommandError(str(exc)) from None

    for path, reason in result.skipped:
        click.echo(f"skipped: {path} ({reason})", err=True)
    for warning in result.warnings():
        click.echo(f"warning: {warning}", err=True)
    for ov in result.applied_overrides:
        click.echo(f"override applied: {ov.type} {ov.op} {ov.pointer} ({ov.reason})", err=True)
    n_events = sum(1 for rel in result.files if "/" in rel and not rel.startswith("envelope/"))
    if check:
        try:
            stale = stale_files(result, out_dir)
        except OSError as exc:
            raise QevCommandError(f"{out_dir}: cannot read contracts ({_reason(exc)})") from None
        rebuild = f"qevcontract contracts build {' '.join(pages)} --out {out_dir}"
        message = f"{len(stale)} file(s) differ from what the pages build; run: {rebuild}"
        report_drift(out_dir, stale, message, f"{n_events} event types")
        return
    try:
        changes = write_contracts(result, out_dir)
    except OSError as exc:
        raise QevCommandError(f"{out_dir}: cannot write contracts ({_reason(exc)})") from None
    for rel, what in changes.items():
        click.echo(
            f"{ {'missing': 'added', 'changed': 'updated', 'extra': 'removed'}[what] }: {rel}"
        )
    click.echo(
        f"built {n_events} event types from {len(result.pages)} page(s) into {out_dir} "
        f"({len(changes)} file(s) changed)",
        err=True,
    )


def _reason(exc: OSError) -> str:
    """One line on why a file operation failed, naming the file when it is another one."""
    why = exc.strerror or first_line(exc)
    return f"{why}: {exc.filename}" if exc.filename else why


@contracts.command("list")
@contracts_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--by-domain",
    is_flag=True,
    help="Coverage at a glance: one row per domain with its number of types, how many have "
    "a documented payload, how many are envelope only and how many are deprecated.",
)
def list_cmd(contracts_dir: str | None, fmt: str, by_domain: bool) -> None:
    """List the event types of a contract set, or its coverage per domain.

    \b
    A type whose payload no page documents (a changelog names it) is listed as
    "unspecified": its contract checks the envelope only. The summary line (on
    stderr) counts types, domains, documented payloads and deprecated types.

    \b
    Examples:
      qevcontract contracts list
      qevcontract contracts list --by-domain
    """
    catalog = load_catalog(contracts_dir)
    entries = catalog.entries
    coverage = _coverage(entries)
    if fmt == "json":
        rows = [
            {
                "type": e.type,
                "domain": e.domain,
                "channel": e.channel,
                "title": e.title,
                "stability": e.stability,
                "deprecated": e.deprecated,
                "payload_documented": e.payload_documented,
                "examples": e.examples,
                "file": e.file,
            }
            for e in entries
        ]
        doc: dict[str, object] = {"contracts": str(catalog.root), "events": rows}
        if by_domain:
            doc["domains"] = [{"domain": d, **counts} for d, counts in coverage.items()]
        click.echo(json.dumps(doc, indent=2))
        return
    header: tuple[str, ...]
    rows_t: list[tuple[str, ...]]
    if by_domain:
        header = ("DOMAIN", "TYPES", "DOCUMENTED", "ENVELOPE-ONLY", "DEPRECATED")
        keys = ("types", "documented", "envelope_only", "deprecated")
        rows_t = [(d, *(str(c[k]) for k in keys)) for d, c in coverage.items()]
        totals = {k: sum(c[k] for c in coverage.values()) for k in keys}
        rows_t.append(("total", *(str(totals[k]) for k in keys)))
    else:
        header = ("TYPE", "DOMAIN", "PAYLOAD", "EXAMPLES")
        rows_t = [
            (
                e.type + (" (deprecated)" if e.deprecated else ""),
                e.domain,
                "documented" if e.payload_documented else "unspecified",
                str(e.examples),
            )
            for e in entries
        ]
    _echo_table(header, rows_t)
    documented = sum(1 for e in entries if e.payload_documented)
    deprecated = sum(1 for e in entries if e.deprecated)
    click.echo(
        f"{len(entries)} event types in {len(coverage)} domains ({documented} with a "
        f"documented payload, {len(entries) - documented} envelope only, {deprecated} "
        f"deprecated) in {catalog.root}",
        err=True,
    )


def _coverage(entries: Sequence[CatalogEntry]) -> dict[str, dict[str, int]]:
    """Domain -> counts of its types, documented payloads, envelope-only and deprecated."""
    out: dict[str, dict[str, int]] = {}
    for e in entries:
        c = out.setdefault(
            e.domain, {"types": 0, "documented": 0, "envelope_only": 0, "deprecated": 0}
        )
        c["types"] += 1
        c["documented" if e.payload_documented else "envelope_only"] += 1
        c["deprecated"] += int(e.deprecated)
    return dict(sorted(out.items()))


def _echo_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


@contracts.command("show")
@click.argument("event_type")
@contracts_option
@click.option("--examples", "only_examples", is_flag=True, help="Print only the doc examples.")
def show_cmd(event_type: str, contracts_dir: str | None, only_examples: bool) -> None:
    """Print the contract (JSON Schema) for EVENT_TYPE."""
    from ..contracts import UnknownEventType

    catalog = load_catalog(contracts_dir)
    try:
        doc = catalog.examples(event_type) if only_examples else catalog.schema(event_type)
    except UnknownEventType as exc:
        raise QevCommandError(str(exc)) from None
    click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
