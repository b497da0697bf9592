"""`qevcontract diff OLD NEW`: breaking changes between two contract sets, by whom they break."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import click

from .common import (
    EXIT_FINDINGS,
    EXIT_OK,
    QevCommandError,
    choice_option,
    color_option,
    dir_option,
)

SIDE_CHOICES = ("producer", "consumer", "both")
FORMAT_CHOICES = ("text", "json", "github")


@click.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@choice_option(
    "--for",
    "for_side",
    choices=SIDE_CHOICES,
    default="both",
    help="Whose breaks fail the run: producers (emit events), consumers (receive them), or both.",
)
@choice_option(
    "--format",
    "fmt",
    choices=FORMAT_CHOICES,
    default="text",
    help="text for people, json (versioned, see docs/diff.md), github (workflow annotations).",
)
@dir_option(
    "--repo",
    help="Git repository for revision arguments. Default: the current directory.",
)
@click.option(
    "--strict-open-content",
    is_flag=True,
    help="Count an optional property newly declared in an open object as a producer break "
    "(a producer may have sent that name with another type).",
)
@click.option(
    "--no-witness",
    is_flag=True,
    help="Skip the search for witness events (faster; verdicts still use the oracle).",
)
@color_option("the text report")
def diff(
    old: str,
    new: str,
    for_side: str,
    fmt: str,
    repo: Path | None,
    strict_open_content: bool,
    no_witness: bool,
    color: bool | None,
) -> None:
    """Compare contract sets OLD and NEW type by type and classify every change by whom
    it breaks: producers (events valid before are now rejected) or consumers (events the old
    contract ruled out may now arrive).

    \b
    OLD and NEW are contract directories or git revisions: REV means REV:contracts,
    REV:PATH another directory at that revision (read with git archive, never fetched).
    A break comes with a witness event: one side accepts it, the other rejects it.

    \b
    Exit codes: 0 no break for the --for side(s), 1 breaking changes, 2 usage error or
    unreadable input (missing directory, unknown revision, not a contract set).

    \b
    Examples:
      qevcontract diff main HEAD --for consumer
      qevcontract diff old-contracts/ contracts/ --format json
    """
    from .._report.style import color_wanted
    from ..diff._compare import DiffError, diff_catalogs
    from ..diff._load import SideError, open_side
    from ..diff._model import DiffOptions, Side
    from ..diff._report import render

    sides = (Side.PRODUCER, Side.CONSUMER) if for_side == "both" else (Side(for_side),)
    options = DiffOptions(strict_open_content=strict_open_content, witnesses=not no_witness)
    with ExitStack() as stack:
        try:
            old_side = stack.enter_context(open_side(old, repo=repo))
            new_side = stack.enter_context(open_side(new, repo=repo))
            report = diff_catalogs(
                old_side.catalog,
                new_side.catalog,
                options,
                old_label=old_side.label,
                new_label=new_side.label,
            )
        except (SideError, DiffError) as exc:
            raise QevCommandError(str(exc)) from None
        prefix = new_side.root_in_repo or _relative(new_side.catalog.root)
        line_of = _line_finder(Path(new_side.catalog.root)) if fmt == "github" else None
        if color is None:
            color = color_wanted(sys.stdout)
        rendered = render(report, fmt, sides, path_prefix=prefix, line_of=line_of, color=color)
        click.echo(rendered, nl=False, color=color)
    raise SystemExit(EXIT_FINDINGS if any(report.breaks(s) for s in sides) else EXIT_OK)


def _line_finder(root: Path) -> Callable[[str, str], int | None]:
    """The line of a JSON pointer in a file of the set at `root` (None: no such file)."""
    from .._input.locate import locate_json

    texts: dict[str, bytes | None] = {}

    def line_of(file: str, pointer: str) -> int | None:
        if file not in texts:
            try:
                texts[file] = (root / file).read_bytes()
            except OSError:  # a removed type's file
                texts[file] = None
        text = texts[file]
        found = locate_json(text, pointer) if text is not None else None
        return found[0] if found else None

    return line_of


def _relative(path: Path) -> str:
    """A directory as GitHub annotations want it: relative to the working directory."""
    try:
        return os.path.relpath(path).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return str(path)
