"""`qevcontract webhook`: sign and verify bodies, receive deliveries, send them.

The secret is read from $QEV_WEBHOOK_SECRET or --secret-file, never from an argument
(arguments show in `ps`), and no output of these commands contains it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .._extras import require_extra
from .._options import ENVELOPE_SHAPES, UnknownTypes
from .common import (
    EXIT_FINDINGS,
    QevCommandError,
    choice_option,
    contracts_option,
    count_option,
    load_catalog,
    seed_option,
    unknown_types_option,
)

if TYPE_CHECKING:
    from ..webhook._sender import Outgoing, SendReport
    from ..webhook._signature import Secret

F = TypeVar("F", bound=Callable[..., Any])


def _secret_file_option(f: F) -> F:
    return click.option(
        "--secret-file",
        type=click.Path(dir_okay=False, path_type=str),
        default=None,
        metavar="FILE",
        help="Read the webhook secret (32 to 64 characters) from FILE instead of "
        "$QEV_WEBHOOK_SECRET. There is no option that takes the secret itself.",
    )(f)


def _load_secret(secret_file: str | None) -> Secret | None:
    from ..webhook._signature import SecretError, load_secret, secret_file_warning

    try:
        secret = load_secret(secret_file)
    except SecretError as exc:
        raise QevCommandError(str(exc)) from None
    if secret_file is not None:
        warning = secret_file_warning(secret_file)
        if warning is not None:
            click.echo(f"qevcontract webhook: warning: {warning}", err=True)
    return secret


def _require_secret(secret_file: str | None) -> Secret:
    from ..webhook._signature import SECRET_ENV

    secret = _load_secret(secret_file)
    if secret is None:
        raise QevCommandError(f"no webhook secret: set {SECRET_ENV} or use --secret-file FILE")
    return secret


def _read_body(path: str) -> bytes:
    """The exact bytes of FILE (`-`: standard input): nothing stripped, nothing decoded."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise QevCommandError(f"{path}: cannot read: {exc.strerror}") from None


def _limit_option(
    name: str, default: float, metavar: str, help: str, minimum: float | None = None
) -> Callable[[F], F]:
    """A limit: a positive count (int default) or a duration (float default), default shown."""
    kind: click.ParamType[Any]
    if isinstance(default, int):
        kind = click.IntRange(min=1 if minimum is None else int(minimum))
    elif minimum is None:
        kind = click.FloatRange(min=0, min_open=True)
    else:
        kind = click.FloatRange(min=minimum)

    def decorate(f: F) -> F:
        return click.option(
            name, type=kind, default=default, show_default=True, metavar=metavar, help=help
        )(f)

    return decorate


@click.group("webhook")
def webhook() -> None:
    """The webhook workbench: sign and verify Qlik-Signature values, run a local receiver
    that validates and logs deliveries (serve), and post events the way Qlik does (send).

    \b
    The secret comes from $QEV_WEBHOOK_SECRET or --secret-file, never from the command line.

    \b
    Example:
      export QEV_WEBHOOK_SECRET=...      # 32 to 64 characters
      qevcontract webhook serve --out deliveries.jsonl &
      qevcontract webhook send http://127.0.0.1:8080/ --fake com.qlik.app.created -n 100
    """


@webhook.command("sign")
@click.argument("file", metavar="FILE")
@_secret_file_option
def sign_command(file: str, secret_file: str | None) -> None:
    """Print the Qlik-Signature value for the body in FILE (`-` for standard input): the hex
    HMAC-SHA256 of its exact bytes, trailing newline included if the file has one.
    """
    from ..webhook._signature import sign

    secret = _require_secret(secret_file)
    click.echo(sign(_read_body(file), secret))


@webhook.command("verify")
@click.argument("file", metavar="FILE")
@click.option(
    "--signature",
    required=True,
    metavar="SIG",
    help="The Qlik-Signature header value received with the body.",
)
@_secret_file_option
def verify_command(file: str, signature: str, secret_file: str | None) -> None:
    """Check that SIG is the Qlik-Signature of the body in FILE (`-`: standard input).

    \b
    Exit 0 if it matches, 1 if not, 2 if SIG is not a signature (64 hex digits).
    """
    from ..webhook._signature import describe_check, verify

    secret = _require_secret(secret_file)
    body = _read_body(file)
    check = verify(body, signature, secret)
    if check in ("missing", "malformed"):
        raise QevCommandError(
            f"--signature: expected the 64 hex digits of a Qlik-Signature, got "
            f"{len(signature.strip())} character(s)"
        )
    if check == "valid":
        click.echo(f"{file}: signature valid ({len(body)} bytes)")
        return
    click.echo(f"{file}: {describe_check(check)} ({len(body)} bytes)")
    sys.exit(EXIT_FINDINGS)


@webhook.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port to listen on (0: any free port; the one chosen is printed).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("deliveries.jsonl"),
    show_default=True,
    help="Append one JSON line per delivery to this file.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Validate as `validate --strict` does and answer 422 to invalid events.",
)
@click.option(
    "--reject-invalid",
    is_flag=True,
    help="Answer 422 to events that violate their contract (default: 200, verdict logged).",
)
@_limit_option("--max-body", 1 << 20, "BYTES", "Larger bodies are answered 413.")
@_limit_option(
    "--body-timeout",
    10.0,
    "SECONDS",
    "A body that has not arrived in full by then is answered 408.",
)
@click.option(
    "--fsync/--no-fsync",
    default=True,
    show_default=True,
    help="Wait for the disk, not only the OS, before answering (survives a power cut). "
    "Concurrent deliveries share one fsync.",
)
@unknown_types_option(", as for `validate` (with --reject-invalid, error answers 422)")
@choice_option(
    "--log-rejected",
    choices=["summary", "full"],
    default="summary",
    help="How a request that has not shown the secret (401, or 408, 413, 503 before its "
    "signature was checked) is logged: its size, SHA-256, first 64 bytes, path cut to 256 "
    "and first 20 headers cut to 64 characters (summary), or every header and the whole "
    "body (full: lets anyone without the secret grow the log).",
)
@_limit_option("--max-headers", 100, "N", "Requests with more header fields are answered 431.")
@_limit_option(
    "--max-header-bytes",
    16384,
    "BYTES",
    "Requests whose head (request line and headers) is larger are answered 431 "
    "(414 for the request line alone).",
    minimum=256,
)
@_limit_option(
    "--head-timeout",
    10.0,
    "SECONDS",
    "A connection whose request head has not arrived in full by then is answered 408 "
    "and closed (closed silently if it sent nothing).",
)
@_limit_option(
    "--max-connections",
    1000,
    "N",
    "Open connections at most; past it the oldest connection with no request in "
    "progress is closed, or, if all are busy, the new one is answered 503. Lowered to fit "
    "the open-file limit.",
)
@_limit_option(
    "--shutdown-grace",
    5.0,
    "SECONDS",
    "On SIGTERM or Ctrl-C, deliveries in flight get this long to finish; those still "
    "receiving their body are then answered 503 with Retry-After (and logged).",
    minimum=0,
)
@click.option("--quiet", is_flag=True, help="No live summary on stderr.")
@_secret_file_option
@contracts_option
def serve_command(
    host: str,
    port: int,
    out: Path,
    strict: bool,
    reject_invalid: bool,
    max_body: int,
    body_timeout: float,
    fsync: bool,
    unknown_types: UnknownTypes,
    log_rejected: str,
    max_headers: int,
    max_header_bytes: int,
    head_timeout: float,
    max_connections: int,
    shutdown_grace: float,
    quiet: bool,
    secret_file: str | None,
    contracts_dir: str | None,
) -> None:
    """Receive webhook deliveries locally: check the signature (if a secret is set), read
    and validate each event, append it to --out before answering. Stops cleanly on Ctrl-C
    or SIGTERM. GET /healthz answers while it runs.

    \b
    Answers: 200 (verdict in the body and the log), 401 bad or missing signature,
    400 not one JSON event, 408 body or head too slow, 413 body too large, 415 not JSON,
    422 invalid event (with --strict or --reject-invalid), 431 too many or too large
    headers, 503 + Retry-After while stopping or when every connection is busy.

    \b
    Exit 0 after a clean stop; 2 if it cannot start (port busy, log not writable).
    """
    require_extra("webhook")
    from ..webhook._server import ServeError, ServeSettings, serve

    settings = ServeSettings(
        host=host,
        port=port,
        out=out,
        secret=_load_secret(secret_file),
        strict=strict,
        reject_invalid=reject_invalid,
        max_body=max_body,
        body_timeout=body_timeout,
        fsync=fsync,
        contracts=contracts_dir,
        summary_interval=0 if quiet else 1.0,
        unknown_types=unknown_types,
        log_rejected=log_rejected,
        max_headers=max_headers,
        max_header_bytes=max_header_bytes,
        head_timeout=head_timeout,
        max_connections=max_connections,
        shutdown_grace=shutdown_grace,
    )
    try:
        serve(settings)
    except ServeError as exc:
        raise QevCommandError(str(exc)) from None


@webhook.command("send")
@click.argument("url")
@click.argument("paths", nargs=-1, metavar="[PATHS]...")
@click.option(
    "--fake",
    "fake_types",
    multiple=True,
    metavar="TYPE",
    help="Send generated valid events of TYPE (a name or a pattern); repeatable.",
)
@count_option(1, "With --fake: events per type.")
@seed_option("With --fake: the seed.")
@choice_option(
    "--envelope",
    choices=ENVELOPE_SHAPES,
    default=None,
    help="Put each event in this envelope before sending (default: as read or generated).",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="PER_SECOND",
    help="Pace deliveries to this many a second (default: as fast as the consumer answers).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1, max=1000),
    default=8,
    show_default=True,
    help="Deliveries in flight at once.",
)
@_limit_option("--timeout", 10.0, "SECONDS", "Give up on a delivery not answered by then.")
@click.option(
    "--fail-on-status",
    is_flag=True,
    help="Exit 1 if the consumer answers anything but 2xx to an event valid against its contract.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Send even when URL is a `webhook serve` whose delivery log is one of PATHS "
    "(each delivery would be appended to the file being read, without end).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_secret_file_option
@contracts_option
def send_command(
    url: str,
    paths: tuple[str, ...],
    fake_types: tuple[str, ...],
    count: int,
    seed: int,
    envelope: str | None,
    rate: float | None,
    concurrency: int,
    timeout: float,
    fail_on_status: bool,
    force: bool,
    as_json: bool,
    secret_file: str | None,
    contracts_dir: str | None,
) -> None:
    """Post events to URL as a Qlik Cloud webhook would: one event per POST, Qlik's
    headers, a Qlik-Signature over the exact bytes sent when a secret is set. Events come
    from PATHS (files, directories, `-` for stdin; as `validate` reads them) or --fake.

    \b
    Exit 0 when every delivery was answered and at least one was accepted (2xx); 1 if
    none was accepted (a consumer refusing everything, say a wrong secret: 401), if any
    got no answer, an input record was unreadable or, with --fail-on-status, a valid
    event was answered with anything but 2xx; 2 for usage errors, a consumer that cannot
    be reached, or URL being the `webhook serve` that writes one of PATHS (--force).
    The rate counts answered deliveries only.

    \b
    Examples:
      qevcontract webhook send http://127.0.0.1:8080/ --fake com.qlik.app.created -n 100
      qevcontract webhook send http://127.0.0.1:8080/ recorded.jsonl --envelope legacy
      qevcontract webhook send http://127.0.0.1:8080/ --fake 'com.qlik.v1.app.*' -n 1000 \\
          --concurrency 32 --fail-on-status
    """
    require_extra("webhook")
    from .._input import InputError
    from ..contracts import UnknownEventType
    from ..webhook._outgoing import converter, from_fakes, from_paths
    from ..webhook._sender import SendError, check_url, send

    if bool(paths) == bool(fake_types):
        raise QevCommandError("give PATHS to send recorded events, or --fake TYPE, not both")
    secret = _load_secret(secret_file)
    catalog = load_catalog(contracts_dir)
    warned: set[str] = set()

    def warn_once(message: str) -> None:
        if message not in warned:
            warned.add(message)
            click.echo(f"qevcontract webhook: warning: {message}", err=True)

    try:
        check_url(url)
        convert = converter(envelope, warn_once)
        validator = None
        if fail_on_status:
            from ..validate._validator import Validator

            validator = Validator(catalog)
        if fake_types:
            from ..generate._errors import GenerationError
            from ..generate._selection import select_types

            types = select_types(catalog, fake_types)
            try:  # compiles every type now: a contract the generator cannot serve is usage
                items = from_fakes(catalog, types, count, seed, convert, validator)
            except GenerationError as exc:
                raise QevCommandError(str(exc)) from None
            total = count * len(types)
        else:
            if not force:
                _refuse_own_log(url, paths)
            items = from_paths(paths, convert, validator)
            total = None
        if secret is None:
            warn_once("no secret set ($QEV_WEBHOOK_SECRET or --secret-file): sending unsigned")
        with _progress(total) as (shown, done):
            report = send(
                url,
                shown(items),
                secret=secret,
                concurrency=concurrency,
                rate=rate,
                timeout=timeout,
                on_unreadable=lambda item: click.echo(
                    f"{item.label}: unreadable: {item.problem}", err=True
                ),
                on_done=done,
            )
    except (SendError, InputError) as exc:
        raise QevCommandError(str(exc)) from None
    except UnknownEventType as exc:
        raise QevCommandError(str(exc)) from None
    _print_report(report, as_json)
    sys.exit(_send_exit_code(report, fail_on_status, secret is not None))


def _send_exit_code(report: SendReport, fail_on_status: bool, signed: bool) -> int:
    """1 (with a line on stderr saying why) when the run should fail a CI job, else 0."""
    refused = report.statuses.get(401, 0)
    if refused:
        where = "" if signed else " (none is set: $QEV_WEBHOOK_SECRET or --secret-file)"
        click.echo(
            f"qevcontract webhook: signature rejected: check the secret{where}; "
            f"{refused} of {report.sent} deliveries answered 401",
            err=True,
        )
    if report.sent and not report.succeeded:
        click.echo(
            f"qevcontract webhook: no delivery succeeded: none of {report.sent} was answered 2xx",
            err=True,
        )
        return EXIT_FINDINGS
    if report.failed or report.unreadable or (fail_on_status and report.rejected_valid):
        return EXIT_FINDINGS
    return 0


def _refuse_own_log(url: str, paths: tuple[str, ...]) -> None:
    """Usage error if URL is a `webhook serve` appending to a file among PATHS."""
    from ..webhook._outgoing import input_files
    from ..webhook._sender import serve_log_id

    files = input_files(paths)
    if not files:
        return
    log_id = serve_log_id(url)
    if log_id is not None and log_id in files:
        raise QevCommandError(
            f"{url} is the webhook serve that writes {files[log_id]}: each delivery would be "
            "appended to the file being sent, without end (--force to send anyway)"
        )


@contextlib.contextmanager
def _progress(
    total: int | None,
) -> Iterator[tuple[Callable[[Iterable[Outgoing]], Iterable[Outgoing]], Callable[[], None]]]:
    """A progress bar on stderr while sending, when stderr is a terminal (else nothing).

    With a known total (--fake) a bar of answered deliveries; reading PATHS, whose length
    is not known, the running count of deliveries sent.
    """
    if not sys.stderr.isatty():
        yield (lambda items: items), (lambda: None)
        return
    if total is None:
        from .progress import with_progress

        yield (lambda items: with_progress(items, enabled=True, label="deliveries")), (lambda: None)
        return
    with click.progressbar(
        length=total, label="sending", file=sys.stderr, show_pos=True, show_eta=True
    ) as bar:
        yield (lambda items: items), (lambda: bar.update(1))


def _print_report(report: SendReport, as_json: bool) -> None:
    if as_json:
        import orjson

        click.echo(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2).decode())
        return
    click.echo(
        f"{report.sent} deliveries to {report.url} in {report.elapsed:.2f} s "
        f"({report.per_second:.0f} answered/s, concurrency {report.concurrency})"
    )
    if report.statuses:
        answers = ", ".join(f"{code}: {n}" for code, n in sorted(report.statuses.items()))
        click.echo(f"  answers   {answers}")
    if report.errors:
        failures = ", ".join(f"{kind}: {n}" for kind, n in sorted(report.errors.items()))
        click.echo(f"  no answer {failures}")
    if report.unreadable:
        click.echo(f"  unreadable input: {len(report.unreadable)} event(s), not sent")
    if report.latencies:
        figures = report.as_dict()["latency_ms"]
        click.echo(
            "  latency   " + ", ".join(f"{name} {value:.1f} ms" for name, value in figures.items())
        )
    if report.rejected_valid:
        click.echo(
            f"  {report.rejected_valid} valid event(s) rejected: "
            + ", ".join(report.rejected_examples)
            + (" ..." if report.rejected_valid > len(report.rejected_examples) else "")
        )
