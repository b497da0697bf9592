"""`qevcontract normalize`: legacy and hybrid deliveries to CloudEvents 1.0, or back."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from .._options import ENVELOPE_SHAPES, EnvelopeShape
from .common import (
    EXIT_FINDINGS,
    EXIT_OK,
    QevCommandError,
    choice_option,
    color_option,
    exit_on_sigterm,
)
from .output import OutputFile

if TYPE_CHECKING:
    from ..envelopes._stream import Counts

Write = Callable[[bytes], object]

#: The shapes `--to` offers, hybrid last: the help explains it as the other two in one.
TARGETS = tuple(sorted(ENVELOPE_SHAPES, key=lambda shape: shape == "hybrid"))


@click.command("normalize")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@choice_option(
    "--to",
    "target",
    choices=TARGETS,
    default="cloudevents",
    help="Shape to write: pure CloudEvents 1.0, Qlik's legacy shape, or both in one (hybrid).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    default=None,
    metavar="FILE",
    help="Write JSON Lines to FILE (replaced when the run ends; may be an input) instead of "
    "standard output.",
)
@color_option("the messages on stderr")
def normalize(paths: tuple[str, ...], target: str, output: Path | None, color: bool | None) -> None:
    """Convert events between envelope shapes: legacy and hybrid deliveries to pure
    CloudEvents 1.0 (default), or 1.0 events to the legacy shape for consumers not yet
    migrated. Reads what validate reads (JSON, JSON Lines, YAML, directories, - for
    standard input) and writes one JSON line per event. Nothing is dropped silently:
    legacy attributes with no 1.0 place go into the qevlegacy attribute, so converting
    back gives the same event (docs/envelopes.md).

    \b
    Messages and a summary go to standard error:
      events.jsonl:7: warning: extensions.region: ...; kept in qevlegacy
      1000 read: 998 converted, 1 unchanged, 1 unreadable (1 warning)

    \b
    Exit codes: 0 every event converted faithfully (warnings allowed), 1 some input was
    unreadable, had no envelope, or could not be converted so that it comes back the
    same, 2 usage error, a path that cannot be read or written, or nothing readable.

    \b
    Examples:
      qevcontract normalize captured/ -o events.jsonl
      qevcontract normalize events.jsonl --to legacy > legacy.jsonl
      cat delivery.json | qevcontract normalize -
    """
    from .._input import InputError, iter_records
    from .._report.style import color_wanted
    from ..envelopes._stream import normalize_records

    if not paths:
        raise QevCommandError("no input: give files, directories, or - to read stdin")
    shape = cast("EnvelopeShape", target)
    report = _Messages(color_wanted(sys.stderr) if color is None else color)

    def run(write: Write) -> Counts:
        return normalize_records(iter_records(list(paths)), shape, write, report)

    restore_sigterm = exit_on_sigterm()  # a cancelled job still removes its temporary file
    try:
        if output is None or str(output) == "-":
            stdout = sys.stdout.buffer
            counts = run(stdout.write)
            stdout.flush()
        else:
            counts = _to_file(output, run, keep=lambda done: done.read > done.unreadable)
    except InputError as exc:
        raise QevCommandError(str(exc)) from None
    finally:
        restore_sigterm()
    click.echo(counts.summary(), err=True)
    if counts.read == counts.unreadable:  # as validate: nothing to convert is a usage error
        what = "no events found" if counts.read == 0 else "nothing could be read"
        raise QevCommandError(f"{what} in {', '.join(paths)}")
    raise SystemExit(EXIT_OK if counts.clean else EXIT_FINDINGS)


# The kinds of message normalize_records writes (`where: kind: text`), and their colours.
_KINDS = {": warning: ": "yellow", ": unreadable: ": "red", ": not converted: ": "red"}


class _Messages:
    """Writes each message line to stderr; with colour, its location bold and its kind
    coloured, as validate's text report does."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, line: str) -> None:
        if self.color:
            line = self.paint(line)
        click.echo(line, err=True, color=self.color)

    @staticmethod
    def paint(line: str) -> str:
        for marker, fg in _KINDS.items():
            where, found, rest = line.partition(marker)
            if found:
                kind = click.style(marker[2:-2], fg=fg, bold=(fg == "red") or None)
                return f"{click.style(where, bold=True)}: {kind}: {rest}"
        return line


class _WriteFailed(Exception):
    pass


def _to_file(
    output: Path, run: Callable[[Write], Counts], keep: Callable[[Counts], bool]
) -> Counts:
    """Run into FILE, put in place only if `keep` says so: an interrupted or empty run leaves
    any earlier output as it was, and the output may be one of the inputs (cli/output.py)."""
    target = OutputFile(output)
    handle = target.open()
    try:
        with handle:

            def write(data: bytes) -> None:
                try:
                    handle.write(data)
                except OSError as exc:
                    raise _WriteFailed(exc.strerror) from None

            counts = run(write)
    except _WriteFailed as exc:
        target.discard()
        raise QevCommandError(f"{output}: cannot write: {exc}") from None
    except OSError as exc:  # closing (the last flush)
        target.discard()
        raise QevCommandError(f"{output}: cannot write: {exc.strerror}") from None
    except BaseException:
        target.discard()
        raise
    if keep(counts):
        target.commit()
    else:
        target.discard()
    return counts
