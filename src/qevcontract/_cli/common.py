"""Shared CLI plumbing: exit codes, one-line error reporting, and the options several
commands take (one definition each, so they read and behave the same everywhere)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .._options import UNKNOWN_TYPES

if TYPE_CHECKING:
    from ..contracts import Catalog

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class QevCommandError(click.ClickException):
    """A user-facing failure: printed as one line, exits with `exit_code` (default 2)."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: object = None) -> None:
        click.echo(f"qevcontract: error: {self.format_message()}", err=True)


def contracts_option(f: F) -> F:
    """`--contracts DIR`: use another contract set than the bundled one."""
    return dir_option(
        "--contracts",
        "contracts_dir",
        path_type=str,
        help="Contract set to use (a directory with catalog.json). Default: the bundled set.",
    )(f)


def unknown_types_option(note: str = "") -> Callable[[F], F]:
    """`--unknown-types error|warn|ignore`, the same for every command that validates."""
    return choice_option(
        "--unknown-types",
        choices=UNKNOWN_TYPES,
        default="error",
        help=f"What an event type without a contract is{note} (its envelope is always checked).",
    )


def choice_option(
    *decls: str, choices: Sequence[str], default: str | None, help: str
) -> Callable[[F], F]:
    """An option taking one value of a closed set; --help shows the default when there is one
    (None: the command works out a default of its own, which the help text explains)."""
    return click.option(
        *decls,
        type=click.Choice(choices),
        default=default,
        show_default=True if default is not None else None,
        help=help,
    )


def file_option(*decls: str, help: str) -> Callable[[F], F]:
    """An option naming one file (not a directory) to read or write; not given: None."""
    return click.option(
        *decls, type=click.Path(dir_okay=False, path_type=Path), default=None, help=help
    )


def dir_option(*decls: str, help: str, path_type: type[Any] = Path) -> Callable[[F], F]:
    """An option naming a directory (`DIR` in --help); not given: None."""
    return click.option(
        *decls,
        type=click.Path(file_okay=False, path_type=path_type),
        default=None,
        metavar="DIR",
        help=help,
    )


def count_option(minimum: int, help: str) -> Callable[[F], F]:
    """`-n/--count`: how many events, at least `minimum`, one by default."""
    return click.option(
        "-n", "--count", type=click.IntRange(min=minimum), default=1, show_default=True, help=help
    )


def seed_option(help: str) -> Callable[[F], F]:
    """`--seed`: the seed of generated events, 0 by default."""
    return click.option("--seed", type=int, default=0, show_default=True, help=help)


def color_option(what: str, when: str = "only on a terminal") -> Callable[[F], F]:
    """`--color/--no-color` for `what`; by default colour follows the terminal and NO_COLOR."""
    return click.option(
        "--color/--no-color",
        default=None,
        help=f"Colour {what}. Default: {when}, unless NO_COLOR is set.",
    )


def progress_option(when: str) -> Callable[[F], F]:
    """`--progress/--no-progress`: a progress line on stderr; `when` says the default."""
    return click.option(
        "--progress/--no-progress",
        default=None,
        help=f"Progress line on stderr. Default: {when}.",
    )


def load_catalog(contracts_dir: str | None) -> Catalog:
    """Load a catalogue or fail with a one-line message."""
    from ..contracts import ContractError, load

    try:
        return load(contracts_dir)
    except ContractError as exc:
        raise QevCommandError(str(exc)) from None


def report_drift(root: Path, drift: Mapping[str, str], stale: str, up_to_date: str) -> None:
    """The `--check` of a command that writes a file set: one line per file that differs from
    what would be written (to stdout), then exit 1 with `stale` (how to regenerate), or say
    on stderr that `root` is up to date (`up_to_date`: what it holds)."""
    for rel, what in drift.items():
        click.echo(f"{what}: {root / rel}")
    if drift:
        click.echo(stale, err=True)
        raise SystemExit(EXIT_FINDINGS)
    click.echo(f"{root}: up to date ({up_to_date})", err=True)


def exit_on_sigterm() -> Callable[[], None]:
    """Make SIGTERM (a cancelled CI job, `timeout`) and SIGHUP (the terminal closed) end the
    run as Ctrl-C does, through every `finally`: temporary files removed, worker processes
    stopped; the exit code is 128 + the signal (143, 129).
    Returns the function that puts the previous handlers back."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    wanted = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    try:
        previous = {signum: signal.signal(signum, stop) for signum in wanted}
    except ValueError:  # not the main thread (an embedding application): leave them alone
        return lambda: None

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore
