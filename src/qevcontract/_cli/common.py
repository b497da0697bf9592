"""Shared CLI plumbing: exit codes and one-line error reporting."""

from __future__ import annotations

from collections.abc import Callable
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
    return click.option(
        "--contracts",
        "contracts_dir",
        type=click.Path(file_okay=False, path_type=str),
        default=None,
        metavar="DIR",
        help="Contract set to use (a directory with catalog.json). Default: the bundled set.",
    )(f)


def unknown_types_option(note: str = "") -> Callable[[F], F]:
    """`--unknown-types error|warn|ignore`, the same for every command that validates."""
    return click.option(
        "--unknown-types",
        type=click.Choice(UNKNOWN_TYPES),
        default="error",
        show_default=True,
        help=f"What an event type without a contract is{note} (its envelope is always checked).",
    )


def load_catalog(contracts_dir: str | None) -> Catalog:
    """Load a catalogue or fail with a one-line message."""
    from ..contracts import ContractError, load

    try:
        return load(contracts_dir)
    except ContractError as exc:
        raise QevCommandError(str(exc)) from None


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
