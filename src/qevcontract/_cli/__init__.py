"""The `qevcontract` command line: a thin click layer over the library.

Sub-commands import their library modules inside the command body, so `qevcontract --help`
and a pre-commit run of `validate` never pay for modules they do not use.

Exit codes (the same for every sub-command):
  0    success (everything valid / nothing found at the failing level)
  1    violations or findings
  2    usage error, input that could not be read at all, or a missing extra
       (`webhook serve` without `pip install 'qevcontract[webhook]'`)
  3    internal error (a bug: please report it with the command line)
  130  interrupted (Ctrl-C)
  141  the output pipe was closed early (e.g. `| head`)
  129  hung up (SIGHUP), 143 terminated (SIGTERM): validate and normalize clean up first
"""

from __future__ import annotations

import os
import sys

import click

from .._extras import MissingExtra
from .common import EXIT_INTERNAL, EXIT_USAGE

PROG_NAME = "qevcontract"
# click's standard completion protocol: `eval "$(_QEVCONTRACT_COMPLETE=bash_source qevcontract)"`.
COMPLETE_VAR = "_QEVCONTRACT_COMPLETE"
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """`-V`: the version from the installed package's metadata, read only when asked for."""
    if not value or ctx.resilient_parsing:
        return
    from .. import __version__

    click.echo(f"{PROG_NAME}, version {__version__}")
    ctx.exit()


@click.group(context_settings=CONTEXT_SETTINGS)
@click.option(
    "-V",
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
def cli() -> None:
    """Contracts for Qlik Cloud system events: build them from the docs, validate events
    against them (CloudEvents 1.0, legacy and hybrid envelopes), generate fake events,
    check the docs for quirks, diff two contract sets, normalize envelopes, and send,
    receive and verify signed webhooks.

    \b
    Exit codes: 0 success, 1 violations or findings, 2 usage error or unreadable input,
    3 internal error, 130 interrupted, 141 output pipe closed early, 129/143 hung up or
    terminated.

    \b
    Shell completion (bash; zsh and fish likewise, see the README):
      eval "$(_QEVCONTRACT_COMPLETE=bash_source qevcontract)"
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


# click >= 8.2 raises this (a UsageError) for a bare group: it is a request for help.
NO_ARGS_IS_HELP: type[click.UsageError] = getattr(
    click.exceptions, "NoArgsIsHelpError", type("_Never", (click.UsageError,), {})
)


def _complete_if_asked() -> None:
    """Answer the shell's completion request, as click's own `main()` would, and exit."""
    instruction = os.environ.get(COMPLETE_VAR)
    if instruction:
        from click.shell_completion import shell_complete

        sys.exit(shell_complete(cli, {}, PROG_NAME, COMPLETE_VAR, instruction))


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one-line messages and documented exit codes, never a traceback."""
    args = sys.argv[1:] if argv is None else list(argv)
    _complete_if_asked()
    try:
        # Invoked directly rather than through click's main(), which turns a closed output
        # pipe into exit 1 ("violations found") and usage errors into three lines.
        with cli.make_context(PROG_NAME, args) as ctx:
            cli.invoke(ctx)
    except NO_ARGS_IS_HELP as exc:  # `qevcontract` or a group with no sub-command
        click.echo(exc.format_message())
        sys.exit(0)
    except click.UsageError as exc:
        # One line, with where to look, instead of click's three-line usage block.
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        click.echo(f"qevcontract: error: {exc.format_message()}{hint}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except MissingExtra as exc:
        click.echo(f"qevcontract: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("qevcontract: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not a failure of ours; silence the
        # interpreter's own flush error on exit.
        import os

        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        sys.exit(141)
    except SystemExit:
        raise
    except Exception as exc:
        click.echo(
            f"qevcontract: internal error: {type(exc).__name__}: {exc} "
            "(this is a bug; please report it with the command line)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
