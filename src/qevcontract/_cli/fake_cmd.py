"""`qevcontract fake`: realistic fake events, broken ones on purpose, and the fixture set."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

import click

from .._options import EVENT_FORMATS, EventFormat
from .common import (
    QevCommandError,
    choice_option,
    contracts_option,
    count_option,
    dir_option,
    file_option,
    load_catalog,
    progress_option,
    report_drift,
    seed_option,
)

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from ..generate import Generator


def _complete_types(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """TAB on a TYPE: the event types of the contract set (`--contracts` if given first)."""
    from click.shell_completion import CompletionItem

    from ..contracts import ContractError, load

    try:
        types = load(ctx.params.get("contracts_dir")).types
    except (ContractError, OSError):
        return []
    return [CompletionItem(t) for t in types if t.startswith(incomplete)]


@click.command("fake")
@contracts_option
@click.argument("types", nargs=-1, metavar="TYPE...", shell_complete=_complete_types)
@click.option("--all", "all_types", is_flag=True, help="Every event type in the contract set.")
@count_option(0, "Events per event type.")
@seed_option("Same seed, same bytes out.")
@click.option(
    "--invalid",
    is_flag=True,
    help="Events each broken in exactly one way, labelled with a qevbroken attribute.",
)
@click.option(
    "--no-label",
    is_flag=True,
    help="Leave out the qevbroken / qevpayload label attributes.",
)
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="PATH=VALUE",
    help="Pin a value in every event, e.g. data.status=failed (VALUE is JSON, else text). "
    "Repeatable.",
)
@choice_option("--format", "fmt", choices=EVENT_FORMATS, default="jsonl", help="Output format.")
@file_option("-o", "--output", help="Write to FILE instead of standard output.")
@click.option(
    "--shuffle",
    is_flag=True,
    help="Interleave the types at random (seeded) instead of one type after another.",
)
@dir_option(
    "--fixtures",
    "fixtures_dir",
    help="Write the fixture set (valid and labelled invalid events per type) to DIR.",
)
@click.option(
    "--check",
    is_flag=True,
    help="With --fixtures: write nothing; exit 1 if DIR differs from what would be written.",
)
@progress_option("when stderr is a terminal and the events are not written to it")
def fake(
    types: tuple[str, ...],
    all_types: bool,
    count: int,
    seed: int,
    invalid: bool,
    no_label: bool,
    assignments: tuple[str, ...],
    fmt: EventFormat,
    output: Path | None,
    shuffle: bool,
    fixtures_dir: Path | None,
    check: bool,
    contracts_dir: str | None,
    progress: bool | None,
) -> None:
    """Generate fake events of each TYPE (exact names or shell patterns such as
    'com.qlik.v1.alerting-task.*'), valid against their contracts.

    \b
    Examples:
      qevcontract fake com.qlik.v1.app.reload.finished -n 1000 -o reloads.jsonl
      qevcontract fake 'com.qlik.v1.alerting-task.*' --set data.triggerType=MANUAL
      qevcontract fake com.qlik.app.created --invalid -n 7
      qevcontract fake --all -n 10000 --shuffle --seed 42 > load.jsonl
      qevcontract fake --all --fixtures fixtures/ [--check]
    """
    from ..contracts import UnknownEventType
    from ..generate import GenerationError, Generator, OverrideError
    from ..generate._selection import select_types
    from .progress import with_progress

    if check and fixtures_dir is None:
        raise QevCommandError("--check works with --fixtures DIR")
    catalog = load_catalog(contracts_dir)
    generator = Generator(catalog)
    try:
        if fixtures_dir is not None:
            extras = [
                flag
                for flag, used in (
                    ("--invalid", invalid),
                    ("--no-label", no_label),
                    ("--set", bool(assignments)),
                    ("--output", output is not None),
                    ("--shuffle", shuffle),
                    ("--format", fmt != "jsonl"),
                    ("--count", count != 1),
                )
                if used
            ]
            _fixtures(generator, fixtures_dir, seed, check, types, all_types, extras)
            return
        if not types and not all_types:
            raise QevCommandError("name at least one TYPE (or a pattern), or use --all")
        chosen = select_types(catalog, types, all_types=all_types)
        for t in chosen:  # fail on contracts or pins before writing anything
            generator.bulk.compiled(t)
            generator.pins(t, assignments)
        streams = _Streams(generator, count, seed, invalid, not no_label, assignments)
        stream = streams.interleaved(chosen) if shuffle else streams.in_turn(chosen)
        shown = _progress_wanted(progress, output)
        _write(with_progress(stream, enabled=shown, shared=False), fmt, output)
    except UnknownEventType as exc:
        raise QevCommandError(str(exc)) from None
    except (GenerationError, OverrideError) as exc:
        raise QevCommandError(str(exc)) from None


def _progress_wanted(flag: bool | None, output: Path | None) -> bool:
    """`--progress` as asked; by default on a terminal's stderr, unless the events go to the
    same terminal (a progress line between them would garble both)."""
    if flag is not None:
        return flag
    if not sys.stderr.isatty():
        return False
    return output is not None or not sys.stdout.isatty()


def _fixtures(
    generator: Generator,
    root: Path,
    seed: int,
    check: bool,
    types: tuple[str, ...],
    all_types: bool,
    extras: list[str],
) -> None:
    from ..generate._fixtures import REGENERATE, build_fixtures, drift, write_fixtures

    if extras:
        raise QevCommandError(f"--fixtures writes a fixed set; drop {', '.join(extras)}")
    if types or not all_types:
        raise QevCommandError("--fixtures covers every type: use --all and no TYPE")
    files = build_fixtures(generator, seed)
    if check:
        changes = drift(root, files)
        stale = f"{len(changes)} fixture file(s) are out of date; run: {REGENERATE}"
        report_drift(root, changes, stale, f"{len(files)} files")
        return
    try:
        changes = write_fixtures(root, files)
    except OSError as exc:
        raise QevCommandError(f"{root}: cannot write fixtures ({exc.strerror or exc})") from None
    click.echo(
        f"{root}: {len(changes)} file(s) written or removed, {len(files)} in the set", err=True
    )


class _Streams(NamedTuple):
    """The run's events: each type's own stream (count, seed, pins, valid or broken), one
    type after another or mixed at random."""

    generator: Generator
    per_type: int  # events of each type
    seed: int
    invalid: bool
    label: bool
    assignments: tuple[str, ...]

    def in_turn(self, types: list[str]) -> Iterator[dict[str, Any]]:
        for t in types:
            yield from self.one_type(t)

    def one_type(self, event_type: str) -> Iterator[dict[str, Any]]:
        pins = self.generator.pins(event_type, self.assignments)
        paths = [(p.path, p.value) for p in pins]
        bulk = self.generator.bulk
        if self.invalid:
            from ..generate._breakage import Breaker

            for broken in Breaker(bulk, event_type).broken(
                self.per_type, seed=self.seed, pins=paths
            ):
                yield broken.labelled() if self.label else broken.event
        else:
            yield from bulk.events(
                event_type, self.per_type, seed=self.seed, label=self.label, pins=paths
            )

    def interleaved(self, types: list[str]) -> Iterator[dict[str, Any]]:
        """Each type's own stream (so its events match the unshuffled output), mixed at random."""
        from ..generate._bulk import seeded

        streams = [self.one_type(t) for t in types]
        remaining = [self.per_type] * len(types)
        total = self.per_type * len(types)
        r = seeded(self.seed, "shuffle")
        while total:
            # Pick the next type with probability proportional to what it has left.
            ticket = int(r.random() * total)
            i = 0
            while ticket >= remaining[i]:
                ticket -= remaining[i]
                i += 1
            remaining[i] -= 1
            total -= 1
            yield next(streams[i])


def _write(stream: Iterator[dict[str, Any]], fmt: EventFormat, output: Path | None) -> None:
    from ..generate._serialize import write_events

    if output is None:
        out: BinaryIO = sys.stdout.buffer
        write_events(stream, fmt, out)
        out.flush()
        return
    try:
        with output.open("wb") as fh:
            n = write_events(stream, fmt, fh)
    except OSError as exc:
        raise QevCommandError(f"{output}: cannot write ({exc.strerror or exc})") from None
    click.echo(f"{output}: {n} event(s) written", err=True)
