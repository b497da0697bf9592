"""`webhook serve`: a local receiver that checks, validates and logs what a webhook posts.

A Starlette app served by uvicorn on a socket bound here (so a busy port is a one-line
error, and port 0 picks a free one). The order of checks for a POST is the order a consumer
should use: size (413) before reading everything, signature (401) before looking at the
content, content type (415), JSON (400), then the contract (200, or 422 if asked). Every
answered delivery has its log line written first; see `deliveries` for the guarantees.

Only `webhook serve` imports this module (starlette and uvicorn are not light).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import uvicorn
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .deliveries import DeliveryLog, LogWriter
from .record import Outcome, Verdict, delivery_line, response_body
from .signature import SIGNATURE_HEADER, Secret, describe_check, verify
from .verdict import Judge

__all__ = ["DEFAULT_MAX_BODY", "Counters", "ServeError", "ServeSettings", "create_app", "serve"]

DEFAULT_MAX_BODY = 1 << 20  # 1 MiB
JSON_MEDIA_TYPES = frozenset({"application/json", "application/cloudevents+json"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class ServeError(Exception):
    """The server cannot start (port busy, log not writable, bad settings): one line."""


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """What `webhook serve` was asked for."""

    host: str = "127.0.0.1"
    port: int = 8080
    out: Path = Path("deliveries.jsonl")
    secret: Secret | None = None
    strict: bool = False  # strict contracts (as `validate --strict`) and 422 for invalid
    reject_invalid: bool = False  # 422 for invalid events, with the ordinary contracts
    max_body: int = DEFAULT_MAX_BODY
    body_timeout: float = 10.0  # seconds for a body to arrive in full (else 408)
    fsync: bool = True  # on disk, not only handed to the OS, before answering
    contracts: str | None = None
    summary_interval: float = 1.0  # seconds between live summary lines on stderr
    unknown_types: str = "error"  # an event type without a contract: error | warn | ignore

    @property
    def answers_422(self) -> bool:
        return self.strict or self.reject_invalid


@dataclass(slots=True)
class Counters:
    """Running totals for the live summary, /healthz and the closing line."""

    logged: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    envelopes: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: Outcome) -> None:
        self.logged += 1
        self.verdicts[outcome.verdict] = self.verdicts.get(outcome.verdict, 0) + 1
        if outcome.result is not None and outcome.result.envelope and outcome.event is not None:
            env = outcome.result.envelope
            self.envelopes[env] = self.envelopes.get(env, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "deliveries": self.logged,
            "verdicts": dict(sorted(self.verdicts.items())),
            "envelopes": dict(sorted(self.envelopes.items())),
        }

    def line(self) -> str:
        parts = ", ".join(f"{n} {v}" for v, n in sorted(self.verdicts.items()))
        return f"{self.logged} deliveries" + (f" ({parts})" if parts else "")


class _BodyProblem(Exception):
    def __init__(self, status: int | None, reason: str, size: int) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.size = size


class _Number:
    """One delivery's sequence number, drawn once, when first needed.

    Judging a body needs it (as the event's index) and so does the log line; both get the
    same number, and no other delivery can get it, however decisions interleave.
    """

    __slots__ = ("_numbers", "_value")

    def __init__(self, numbers: Iterator[int]) -> None:
        self._numbers = numbers
        self._value: int | None = None

    def take(self) -> int:
        if self._value is None:
            self._value = next(self._numbers)
        return self._value


class _Receiver:
    """The POST handler and its state: one per app, nothing global."""

    def __init__(
        self, settings: ServeSettings, judge: Judge, writer: LogWriter, counters: Counters
    ) -> None:
        self.settings = settings
        self.judge = judge
        self.writer = writer
        self.counters = counters
        # 1, 2, 3, ...: `next` on a count is atomic, so a number is never handed out twice.
        self._numbers = itertools.count(1)

    async def receive(self, request: Request) -> Response:
        """Decide, log, then answer: the answer never leaves before the log line."""
        received = datetime.now(UTC)
        number = _Number(self._numbers)
        try:
            outcome = await self._decide(request, number)
        except Exception as exc:  # a bug: answer and log it as one line, keep serving
            reason = f"internal error: {type(exc).__name__}: {exc} (a bug; please report it)"
            outcome = Outcome("error", 500, "unchecked", 0, reason)
        client = request.client
        line = delivery_line(
            outcome,
            seq=number.take(),
            received=received,
            remote=f"{client.host}:{client.port}" if client else None,
            method=request.method,
            target=_target(request),
            headers=list(request.headers.items()),
        )
        try:
            await self.writer.append(line)
        except OSError as exc:
            reason = f"cannot write the delivery log {self.settings.out}: {exc.strerror or exc}"
            return _json_response(500, Outcome("error", 500, outcome.signature, 0, reason))
        self.counters.add(outcome)
        if outcome.status is None:  # the client is gone: nothing to answer
            return Response(status_code=400)
        return _json_response(outcome.status, outcome)

    async def _decide(self, request: Request, number: _Number) -> Outcome:
        settings = self.settings
        try:
            body = await self._read_body(request)
        except _BodyProblem as problem:
            verdict: Verdict = "disconnected" if problem.status is None else "rejected"
            return Outcome(verdict, problem.status, "unchecked", problem.size, problem.reason)
        signature = "unchecked"
        if settings.secret is not None:
            signature = verify(body, request.headers.get(SIGNATURE_HEADER), settings.secret)
            if signature != "valid":
                reason = describe_check(signature)
                return Outcome("rejected", 401, signature, len(body), reason, body=body)
        media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type not in JSON_MEDIA_TYPES:
            shown = media_type or "none"
            reason = f"Content-Type is {shown}; a webhook delivery is application/json"
            return Outcome("rejected", 415, signature, len(body), reason, body=body)
        judged = self.judge.judge(body, index=number.take())
        result = judged.result
        if judged.event is None:
            return Outcome(
                "unreadable", 400, signature, len(body), result.error, body=body, result=result
            )
        status = 422 if result.status == "invalid" and settings.answers_422 else 200
        judgement: Verdict = "valid" if result.status == "valid" else "invalid"
        return Outcome(judgement, status, signature, len(body), event=judged.event, result=result)

    async def _read_body(self, request: Request) -> bytes:
        """The whole body, or a `_BodyProblem` (413, 408, or None: the client went away)."""
        limit = self.settings.max_body
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            reason = f"the body is {declared} bytes, over the limit of {limit} (--max-body)"
            raise _BodyProblem(413, reason, 0)
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.settings.body_timeout):
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > limit:
                        reason = f"the body is over the limit of {limit} bytes (--max-body)"
                        raise _BodyProblem(413, reason, size)
                    chunks.append(chunk)
        except ClientDisconnect:
            reason = f"the client disconnected after {size} body bytes (truncated body)"
            raise _BodyProblem(None, reason, size) from None
        except TimeoutError:
            reason = f"the body did not arrive in full within {self.settings.body_timeout:g} s"
            raise _BodyProblem(408, reason, size) from None
        return b"".join(chunks)


def _target(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def _json_response(status: int, outcome: Outcome) -> Response:
    return Response(response_body(outcome), status_code=status, media_type="application/json")


def create_app(
    settings: ServeSettings,
    judge: Judge,
    log: DeliveryLog,
    *,
    counters: Counters | None = None,
    stderr: TextIO | None = None,
) -> Starlette:
    """The ASGI app: POST anywhere is a delivery, `GET /healthz` says it is up."""
    totals = counters if counters is not None else Counters()
    writer = LogWriter(log)
    receiver = _Receiver(settings, judge, writer, totals)

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", **totals.as_dict()})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ticker = None
        if stderr is not None and settings.summary_interval > 0:
            ticker = asyncio.create_task(_live_summary(totals, settings.summary_interval, stderr))
        try:
            yield
        finally:
            if ticker is not None:
                ticker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await ticker
            await writer.drain()

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/{path:path}", receiver.receive, methods=["POST"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


async def _live_summary(totals: Counters, interval: float, stderr: TextIO) -> None:
    """A line on stderr whenever the totals moved: in place on a terminal, else appended."""
    tty = stderr.isatty()
    last = 0
    last_time = time.monotonic()
    while True:
        await asyncio.sleep(interval)
        now = time.monotonic()
        moved, elapsed = totals.logged - last, now - last_time
        last, last_time = totals.logged, now
        if not moved:
            continue
        text = f"qevcontract webhook: {totals.line()}, {moved / elapsed:.0f}/s"
        stderr.write(f"\r\x1b[K{text}" if tty else f"{text}\n")
        stderr.flush()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or ServeError with a one-line reason."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.setblocking(False)
    return sock


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(settings: ServeSettings, *, stderr: TextIO | None = None) -> Counters:
    """Run until SIGINT or SIGTERM; return the totals. Raises ServeError before starting."""
    from ..contracts import ContractError
    from ..validate.validator import Validator

    err = stderr if stderr is not None else sys.stderr
    try:
        validator = Validator(
            settings.contracts, strict=settings.strict, unknown_types=settings.unknown_types
        )
    except ContractError as exc:
        raise ServeError(str(exc)) from None
    try:
        log = DeliveryLog(settings.out, fsync=settings.fsync)
    except OSError as exc:
        raise ServeError(f"{settings.out}: cannot open the delivery log: {exc.strerror}") from None
    counters = Counters()
    try:
        sock = bind(settings.host, settings.port)
        app = create_app(settings, Judge(validator), log, counters=counters, stderr=err)
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            server_header=False,
            timeout_graceful_shutdown=5,
        )
        for message in _startup_notes(settings, log, _url(sock)):
            err.write(message + "\n")
        err.flush()
        _GracefulServer(config).run(sockets=[sock])
    finally:
        log.close()
    err.write(
        ("\n" if err.isatty() else "")
        + f"qevcontract webhook: stopped; {counters.line()}; {log.lines_written} line(s) "
        f"appended to {settings.out}\n"
    )
    err.flush()
    return counters


def _startup_notes(settings: ServeSettings, log: DeliveryLog, url: str) -> Iterator[str]:
    checks = "signatures checked" if settings.secret else "signatures NOT checked (no secret)"
    yield (
        f"qevcontract webhook: listening on {url} ({checks}; deliveries appended to "
        f"{settings.out}; Ctrl-C to stop)"
    )
    if settings.secret is None:
        yield (
            "qevcontract webhook: note: set QEV_WEBHOOK_SECRET or --secret-file to reject "
            "deliveries without a valid Qlik-Signature"
        )
    if settings.host not in LOOPBACK_HOSTS:
        yield (
            f"qevcontract webhook: warning: bound to {settings.host}, not only this machine: "
            "anyone who can reach it can post"
        )
    if log.repaired_tail:
        yield (
            f"qevcontract webhook: warning: {settings.out} ended inside a line (a previous "
            "writer was killed mid-write); new lines start after it"
        )


class _GracefulServer(uvicorn.Server):
    """uvicorn, minus re-raising the stop signal after a clean shutdown, so we exit 0.

    The first SIGINT or SIGTERM stops accepting and lets in-flight deliveries finish (and
    be logged); a second SIGINT forces the exit.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
