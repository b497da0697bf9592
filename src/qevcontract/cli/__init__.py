"""The `qevcontract` command line: a thin click layer over the library.

Sub-commands import their library modules inside the command body, so `qevcontract --help`
and a pre-commit run of `validate` never pay for modules they do not use.

Exit codes (the same for every sub-command):
  0  success (everything valid / nothing found at the failing level)
  1  violations or findings
  2  usage error, or input that could not be read at all
  3  internal error (a bug: please report it with the command line)
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from .common import EXIT_INTERNAL, QevCommandError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="qevcontract")
def cli() -> None:
    """Contracts for Qlik Cloud system events: build them from the docs, validate events
    against them, generate fake events, check the docs for quirks, diff two contract sets.

    \b
    Exit codes: 0 success, 1 violations or findings, 2 usage error or unreadable input,
    3 internal error.
    """


def _register() -> None:
    from .check_cmd import check, rules
    from .contracts_cmd import contracts
    from .diff_cmd import diff
    from .fake_cmd import fake
    from .normalize_cmd import normalize
    from .validate_cmd import validate
    from .webhook_cmd import webhook

    cli.add_command(validate)
    cli.add_command(contracts)
    cli.add_command(fake)
    cli.add_command(check)
    cli.add_command(rules)
    cli.add_command(diff)
    cli.add_command(normalize)
    cli.add_command(webhook)


_register()


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one-line messages and documented exit codes, never a traceback."""
    try:
        cli.main(args=argv, prog_name="qevcontract", standalone_mode=True)
    except QevCommandError as exc:  # pragma: no cover - handled in commands via click
        click.echo(f"qevcontract: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:
        click.echo(
            f"qevcontract: internal error: {type(exc).__name__}: {exc} "
            "(this is a bug; please report it with the command line)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
