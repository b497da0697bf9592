"""`qevcontract contracts ...`: build, list and show contract sets."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import EXIT_FINDINGS, QevCommandError, contracts_option, load_catalog


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
@click.option(
    "--overrides",
    "overrides_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
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
    pages, and changelog entries. A line that cannot be interpreted stops the
    build with its file and line. The output is byte-for-byte reproducible.

    \b
    Example:
      qevcontract contracts build ../shared/seeds --out contracts/
    """
    from ..builder.build import build_contracts, stale_files, write_contracts
    from ..builder.model import PageError
    from ..builder.overrides import OverrideError, load_overrides
    from ..builder.pages import PageReadError

    try:
        overrides = load_overrides(overrides_file or out_dir / "overrides.yaml")
        if overrides_file is not None and not overrides_file.exists():
            raise QevCommandError(f"{overrides_file}: overrides file not found")
        result = build_contracts(pages, overrides)
    except (PageError, PageReadError, OverrideError) as exc:
        raise QevCommandError(str(exc)) from None

    for path, reason in result.skipped:
        click.echo(f"skipped: {path} ({reason})", err=True)
    for ov in result.applied_overrides:
        click.echo(f"override applied: {ov.type} {ov.op} {ov.pointer} ({ov.reason})", err=True)
    n_events = sum(1 for rel in result.files if "/" in rel and not rel.startswith("envelope/"))
    if check:
        try:
            stale = stale_files(result, out_dir)
        except OSError as exc:
            raise QevCommandError(f"{out_dir}: cannot read contracts ({_reason(exc)})") from None
        for rel, what in stale.items():
            click.echo(f"{what}: {out_dir / rel}")
        if stale:
            click.echo(
                f"{len(stale)} file(s) differ from what the pages build; "
                f"run: qevcontract contracts build {' '.join(pages)} --out {out_dir}",
                err=True,
            )
            raise SystemExit(EXIT_FINDINGS)
        click.echo(f"{out_dir}: up to date ({n_events} event types)", err=True)
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
    why = exc.strerror or str(exc).splitlines()[0]
    return f"{why}: {exc.filename}" if exc.filename else why


@contracts.command("list")
@contracts_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def list_cmd(contracts_dir: str | None, fmt: str) -> None:
    """List the event types of a contract set."""
    catalog = load_catalog(contracts_dir)
    entries = catalog.entries
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
        click.echo(json.dumps({"contracts": str(catalog.root), "events": rows}, indent=2))
        return
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
    widths = [max(len(r[i]) for r in [header, *rows_t]) for i in range(len(header))]
    for r in [header, *rows_t]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    documented = sum(1 for e in entries if e.payload_documented)
    click.echo(
        f"{len(entries)} event types ({documented} with a documented payload, "
        f"{len(entries) - documented} envelope only) in {catalog.root}",
        err=True,
    )


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
