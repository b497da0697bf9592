"""`qevcontract validate`: the CI gate."""

from __future__ import annotations

import os
import sys
from typing import TextIO

import click

from .._options import (
    ENGINES,
    ENVELOPE_MODES,
    REPORT_FORMATS,
    EngineName,
    EnvelopeMode,
    ReportFormat,
    UnknownTypes,
)
from .common import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    QevCommandError,
    choice_option,
    color_option,
    contracts_option,
    exit_on_sigterm,
    progress_option,
    unknown_types_option,
)
from .output import OutputFile

FORMATS = REPORT_FORMATS


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, path_type=str))
@contracts_option
@click.option(
    "--type",
    "force_type",
    metavar="TYPE",
    help="Validate every event against this type's contract, whatever its `type`.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Reject properties a documented object does not list, and events whose "
    "payload the docs leave unspecified.",
)
@choice_option(
    "--format",
    "fmt",
    choices=FORMATS,
    default="text",
    help="Report format: text for people; json (versioned, see "
    "docs/validate-report.md), junit, sarif or github for CI.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    default="-",
    show_default=True,
    help="Write the report to FILE (a regular file is replaced only by a complete report).",
)
@choice_option(
    "--envelope",
    choices=ENVELOPE_MODES,
    default="auto",
    help="Envelope shape of the events. auto: recognise each event's shape (CloudEvents 1.0, "
    "Qlik's legacy 0.1-style envelope, or a hybrid of both).",
)
@unknown_types_option()
@choice_option(
    "--engine",
    choices=ENGINES,
    default="rs",
    help="rs: jsonschema-rs (fast). python: python-jsonschema (the reference).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes for large inputs (0: one per CPU). Results stay in input order.",
)
@click.option(
    "--max-errors",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Show at most N problems in the text report (all are still counted).",
)
@click.option("-q", "--quiet", is_flag=True, help="Text report: print only the summary line.")
@click.option("-v", "--verbose", is_flag=True, help="Text report: also list valid events.")
@color_option("the text report")
@progress_option("when stderr is a terminal")
def validate(
    paths: tuple[str, ...],
    contracts_dir: str | None,
    force_type: str | None,
    strict: bool,
    fmt: ReportFormat,
    output: str,
    envelope: EnvelopeMode,
    unknown_types: UnknownTypes,
    engine: EngineName,
    jobs: int,
    max_errors: int | None,
    quiet: bool,
    verbose: bool,
    color: bool | None,
    progress: bool | None,
) -> None:
    """Validate events in PATHS against their contracts.

    \b
    PATHS are .json files (one event or an array), .jsonl/.ndjson (one event
    per line, streamed), .yaml/.yml (one or more documents), directories
    (searched recursively for those extensions) or - for stdin (JSON or JSONL).
    Each event is checked against the contract for its `type`, and always
    against its envelope: CloudEvents 1.0, Qlik's legacy (0.1-style) envelope,
    or a hybrid of both whose halves must agree. Input that cannot be read is
    reported with file and line; the rest is still validated.

    \b
    Exit codes: 0 every event valid; 1 violations or unreadable input;
    2 usage error, or nothing readable at all.

    \b
    Examples:
      qevcontract validate events/
      qevcontract validate captured.jsonl --format json -o report.json
      cat event.json | qevcontract validate -
    """
    from .._input import InputError, expand_paths, prepare_paths
    from ..contracts import ContractError, UnknownEventType
    from ..validate._engines import SchemaRefError
    from ..validate._report import drive, drive_batches, make_reporter, renderer_for
    from ..validate._run import WorkerError, iter_batches, iter_results
    from ..validate._validator import Validator
    from .progress import with_batch_progress, with_progress

    if not paths:
        raise QevCommandError("no input: give files, directories, or - to read stdin")
    try:
        validator = Validator(
            contracts_dir,
            strict=strict,
            engine=engine,
            force_type=force_type,
            envelope=envelope,
            unknown_types=unknown_types,
        )
    except (ContractError, UnknownEventType) as exc:
        raise QevCommandError(str(exc)) from None
    try:
        # A path that does not exist is a usage error, found before any output is written.
        files = expand_paths(list(paths))
        prepare_paths(files)
    except InputError as exc:
        raise QevCommandError(str(exc)) from None
    if output != "-":
        if any(_same_file(p, output) for p in paths):
            raise QevCommandError(f"{output}: is also an input; write the report elsewhere")
        # A previous report inside an input folder is never read as an event.
        files = [f for f in files if not _same_file(f, output)]
    target = None if output == "-" else OutputFile(output)
    stream = _report_stream(target)
    finished = False
    restore_sigterm = exit_on_sigterm()
    try:
        reporter = make_reporter(
            fmt, stream, color=color, quiet=quiet, verbose=verbose, max_errors=max_errors
        )
        show = progress if progress is not None else (sys.stderr.isatty() and not quiet)
        shared = target is None and sys.stdout.isatty()  # report and progress on one screen
        name = contracts_dir or "bundled"
        jobs = jobs or os.cpu_count() or 1
        if jobs > 1:
            # Workers render the report too when the format allows: the parent only writes.
            render = renderer_for(reporter)
            batches = iter_batches(validator, files, jobs=jobs, render=render, text_files=True)
            summary = drive_batches(
                reporter,
                with_batch_progress(batches, enabled=show, shared=shared),
                contracts=name,
                engine=engine,
                strict=strict,
            )
        else:
            results = iter_results(validator, files)
            summary = drive(
                reporter,
                with_progress(results, enabled=show, shared=shared),
                contracts=name,
                engine=engine,
                strict=strict,
            )
        finished = True
    except (InputError, SchemaRefError, ContractError) as exc:
        raise QevCommandError(str(exc)) from None
    except WorkerError as exc:
        raise QevCommandError(
            f"{exc}; the report is incomplete: run again, with fewer --jobs if memory is short",
            exit_code=EXIT_INTERNAL,
        ) from None
    except BrokenPipeError:
        raise  # the reader of our output left: exit 141 quietly (cli.main)
    except OSError as exc:  # readers turn read errors into records: this is the report
        where = "standard output" if target is None else output
        raise QevCommandError(f"{where}: cannot write the report: {exc.strerror}") from None
    finally:
        restore_sigterm()
        if target is not None:
            _close(stream, target, complete=finished)
    if output != "-" and not quiet:
        # The report went to a file: leave the verdict in the log too (CI jobs read both).
        from ..validate._report import summary_line

        click.echo(f"{summary_line(summary)} (report: {output})", err=True)
    if summary.read == summary.unreadable:
        what = "no events found" if summary.read == 0 else "nothing could be read"
        click.echo(f"qevcontract: error: {what} in {', '.join(paths)}", err=True)
        raise SystemExit(EXIT_USAGE)
    raise SystemExit(EXIT_OK if summary.valid == summary.read else EXIT_FINDINGS)


def _same_file(path: str, other: str) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False


def _report_stream(target: OutputFile | None) -> TextIO:
    """The report stream, UTF-8 whatever the locale since reports carry event text: stdout,
    or FILE (through a temporary file when FILE is a regular file; see cli/output.py)."""
    if target is None:
        out = sys.stdout
        reconfigure = getattr(out, "reconfigure", None)
        if reconfigure is not None and (out.encoding or "").lower() not in ("utf-8", "utf8"):
            reconfigure(encoding="utf-8", errors="surrogateescape")
        return out
    import io

    # A file name that is not UTF-8 (read with surrogateescape) is written back as its bytes.
    return io.TextIOWrapper(target.open(), encoding="utf-8", errors="surrogateescape", newline="\n")


def _close(stream: TextIO, target: OutputFile, *, complete: bool) -> None:
    """Close the report; put it in place only when the run completed."""
    try:
        stream.close()
    except OSError as exc:  # the last flush: a full disk, a lost mount
        target.discard()
        if complete:
            raise QevCommandError(f"{target.path}: cannot write: {exc.strerror}") from None
        return
    if complete:
        target.commit()
    else:
        target.discard()
