"""The ASGI app of `webhook serve`: check, validate and log each delivery, then answer.

A plain ASGI callable, no web framework: a delivery is one route, and a framework's request
objects, routing and middleware cost more CPU per delivery than the whole signature check
(benchmarks/bench_webhook.py has the profile). The order of checks for a POST is the order
a consumer should use: size (413) before reading everything, signature (401) before looking
at the content, content type (415), JSON (400), then the contract (200, or 422 if asked).
Every answered delivery has its log line written first; see `deliveries` for the guarantees.

Stopping (`begin_stop`): deliveries whose body is still arriving get until the grace
deadline, then are answered 503 with Retry-After; requests that arrive after the stop are
answered 503 at once. Either way the answer is logged before it leaves, like any other.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import orjson

from .._options import UnknownTypes
from ._deliveries import DeliveryLog, LogWriter
from ._notices import Notices
from ._record import (
    Outcome,
    Verdict,
    delivery_line,
    loggable_headers,
    remote_address,
    response_body,
)
from ._signature import Secret, describe_check, verify
from ._verdict import Judge

__all__ = [
    "DEFAULT_MAX_BODY",
    "RETRY_AFTER",
    "Counters",
    "ReceiverApp",
    "Reply",
    "ServeSettings",
    "create_app",
]

DEFAULT_MAX_BODY = 1 << 20  # 1 MiB
RETRY_AFTER = 10  # seconds, in the 503 answered while stopping: a restart takes about that
JSON_MEDIA_TYPES = frozenset({"application/json", "application/cloudevents+json"})

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
# An answer: status, JSON body, headers besides content-type and content-length.
Reply = tuple[int, bytes, Sequence[tuple[bytes, bytes]] | None]

_JSON = (b"content-type", b"application/json")
# Set by `protocol` (the server's): whether the body is already in. Without it (another
# ASGI server, tests), every body read runs under the body timer.
BODY_COMPLETE = "qevcontract.body_complete"


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
    unknown_types: UnknownTypes = "error"  # an event type without a contract
    log_rejected: str = "summary"  # 401 bodies in the log: summary (size, digest, head) | full
    max_headers: int = 100
    max_header_bytes: int = 16384
    head_timeout: float = 10.0
    max_connections: int = 1000
    shutdown_grace: float = 5.0  # seconds in-flight deliveries get after SIGTERM

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


class ReceiverApp:
    """The ASGI callable: POST anywhere is a delivery, `GET /healthz` says it is up."""

    def __init__(
        self,
        settings: ServeSettings,
        judge: Judge,
        log: DeliveryLog,
        *,
        counters: Counters | None = None,
        stderr: TextIO | None = None,
        notices: Notices | None = None,
    ) -> None:
        self.settings = settings
        self.judge = judge
        self.log = log
        self.writer = LogWriter(log)
        self.counters = counters if counters is not None else Counters()
        self.stderr = stderr
        self.notices = notices if notices is not None else Notices(None)
        self.stop_deadline: float | None = None  # loop time; set once stopping
        self.answered_while_stopping = 0
        # 1, 2, 3, ...: `next` on a count is atomic, so a number is never handed out twice.
        self._numbers = itertools.count(1)
        self._slow_reads: set[asyncio.Timeout] = set()
        self._ticker: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            method, path = scope["method"], scope["path"]
            if method == "POST" and path != "/healthz":
                await self.delivery(scope, receive, send)
            else:
                await _answer(send, *self.not_a_delivery(method, path))
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    def not_a_delivery(self, method: str, path: str) -> Reply:
        """The answer to anything but a delivery (a POST not to /healthz): /healthz or 405."""
        if path == "/healthz":
            if method in ("GET", "HEAD"):
                return 200, orjson.dumps(self.health()), None
            return 405, b'{"reason": "GET only"}', [(b"allow", b"GET")]
        return 405, b'{"reason": "deliveries are POSTed"}', [(b"allow", b"POST")]

    def health(self) -> dict[str, Any]:
        """What GET /healthz answers: totals, refusals, and which log file is written."""
        return {
            "status": "stopping" if self.stop_deadline is not None else "ok",
            **self.counters.as_dict(),
            "refused": dict(sorted(self.notices.totals.items())),
            "log_id": self.log.identity,
        }

    # --- one delivery ------------------------------------------------------------------------

    async def delivery(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Decide, log, then answer: the answer never leaves before the log line."""
        received = time.time()
        headers = loggable_headers(scope["headers"])
        number = _Number(self._numbers)
        if self.stop_deadline is not None:
            outcome = self._stopping(0)
        else:
            try:
                complete = scope.get("extensions", {}).get(BODY_COMPLETE)
                arrived = complete is not None and complete()
                outcome = await self._decide(headers, receive, number, arrived)
            except Exception as exc:  # a bug: answer and log it as one line, keep serving
                outcome = _bug(exc)
        verdict = response_body(outcome)
        line = self._line(
            outcome,
            number,
            received,
            remote_address(scope.get("client")),
            scope["method"],
            scope["path"],
            scope.get("query_string") or b"",
            headers,
            verdict,
        )
        try:
            await self.writer.append(line)
        except OSError as exc:
            await _answer(send, *self._unlogged(outcome, exc))
            return
        reply = self._logged(outcome, verdict)
        if reply is not None:
            await _answer(send, *reply)

    def complete_delivery(
        self,
        path: str,
        query: bytes,
        remote: str | None,
        raw_headers: list[tuple[bytes, bytes]],
        body: bytes,
        answer: Callable[[Reply], None],
    ) -> None:
        """`delivery` for a POST whose body is all here, without ASGI: `answer` is called
        with the reply once the log line is written (at once without fsync), or not at all
        if there is nothing to answer. The server's fast path (`protocol`) calls this, with
        the client's address already as "host:port"."""
        received = time.time()
        headers = loggable_headers(raw_headers)
        number = _Number(self._numbers)
        if self.stop_deadline is not None:
            outcome = self._stopping(0)
        else:
            try:
                outcome = self._judge_body(headers, _sized(body, self.settings.max_body), number)
            except _BodyProblem as problem:
                outcome = self._problem(problem)
            except Exception as exc:  # a bug: answer and log it as one line, keep serving
                outcome = _bug(exc)
        verdict = response_body(outcome)
        line = self._line(outcome, number, received, remote, "POST", path, query, headers, verdict)

        def logged(error: OSError | None) -> None:
            if error is None:
                reply = self._logged(outcome, verdict)
            else:
                reply = self._unlogged(outcome, error)
            if reply is not None:
                answer(reply)

        self.writer.append_then(line, logged)

    def _line(
        self,
        outcome: Outcome,
        number: _Number,
        received: float,
        remote: str | None,
        method: str,
        path: str,
        query: bytes,
        headers: dict[str, str],
        verdict: bytes,
    ) -> bytes:
        return delivery_line(
            outcome,
            seq=number.take(),
            received=received,
            remote=remote,
            method=method,
            target=path + "?" + query.decode("latin-1") if query else path,
            headers=headers,
            summarize=self._untrusted(outcome),
            verdict=verdict,
        )

    def _logged(self, outcome: Outcome, verdict: bytes) -> Reply | None:
        """Count a delivery whose line is in the log; its answer, `verdict` being
        `response_body(outcome)` (None: the client left)."""
        self.counters.add(outcome)
        if outcome.status is None:  # the client is gone: nothing to answer
            return None
        extra = None
        if outcome.status == 503:
            self.answered_while_stopping += 1
            extra = [(b"retry-after", str(RETRY_AFTER).encode()), (b"connection", b"close")]
        return outcome.status, verdict, extra

    def _unlogged(self, outcome: Outcome, exc: OSError) -> Reply:
        reason = f"cannot write the delivery log {self.settings.out}: {exc.strerror or exc}"
        failed = Outcome("error", 500, outcome.signature, 0, reason)
        return 500, response_body(failed), None

    def _untrusted(self, outcome: Outcome) -> bool:
        """Log a bounded summary: a secret is set and this request did not prove it holds it
        (401, and 408, 413 or 503 refused before the signature could be checked)."""
        settings = self.settings
        return (
            settings.log_rejected == "summary"
            and settings.secret is not None
            and outcome.signature != "valid"
        )

    def _stopping(self, size: int) -> Outcome:
        reason = f"the receiver is stopping; retry in {RETRY_AFTER} s"
        return Outcome("rejected", 503, "unchecked", size, reason)

    async def _decide(
        self, headers: dict[str, str], receive: Receive, n: _Number, arrived: bool
    ) -> Outcome:
        try:
            if arrived:  # in full already: one receive, which does not wait
                body = await self._arrived_body(receive)
            else:
                body = await self._read_body(headers.get("content-length"), receive)
        except _BodyProblem as problem:
            return self._problem(problem)
        return self._judge_body(headers, body, n)

    def _problem(self, problem: _BodyProblem) -> Outcome:
        if problem.status == 503:
            return self._stopping(problem.size)
        verdict: Verdict = "disconnected" if problem.status is None else "rejected"
        return Outcome(verdict, problem.status, "unchecked", problem.size, problem.reason)

    def _judge_body(self, headers: dict[str, str], body: bytes, n: _Number) -> Outcome:
        """The verdict on a body read in full: signature, content type, JSON, contract."""
        settings = self.settings
        signature = "unchecked"
        if settings.secret is not None:
            signature = verify(body, headers.get("qlik-signature"), settings.secret)
            if signature != "valid":
                reason = describe_check(signature)
                return Outcome("rejected", 401, signature, len(body), reason, body=body)
        media_type = headers.get("content-type", "")
        if media_type not in JSON_MEDIA_TYPES:  # as senders write it, or else parsed:
            media_type = media_type.split(";", 1)[0].strip().lower()
        if media_type not in JSON_MEDIA_TYPES:
            shown = media_type or "none"
            reason = f"Content-Type is {shown}; a webhook delivery is application/json"
            return Outcome("rejected", 415, signature, len(body), reason, body=body)
        judged = self.judge.judge(body, index=n.take())
        result = judged.result
        if judged.event is None:
            return Outcome(
                "unreadable", 400, signature, len(body), result.error, body=body, result=result
            )
        status = 422 if result.status == "invalid" and settings.answers_422 else 200
        judgement: Verdict = "valid" if result.status == "valid" else "invalid"
        return Outcome(
            judgement,
            status,
            signature,
            len(body),
            event=judged.event,
            result=result,
            event_json=judged.raw,
        )

    async def _arrived_body(self, receive: Receive) -> bytes:
        message = await receive()
        if message["type"] != "http.request":
            raise _BodyProblem(None, "the client disconnected (truncated body)", 0)
        return _sized(message.get("body", b""), self.settings.max_body)

    async def _read_body(self, declared: str | None, receive: Receive) -> bytes:
        """The whole body, or a `_BodyProblem` (413, 408, 503, or None: the client left)."""
        limit = self.settings.max_body
        if declared is not None and declared.isdigit() and int(declared) > limit:
            reason = f"the body is {declared} bytes, over the limit of {limit} (--max-body)"
            raise _BodyProblem(413, reason, 0)
        loop = asyncio.get_running_loop()
        body_deadline = loop.time() + self.settings.body_timeout
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout_at(body_deadline) as timer:
                self._slow_reads.add(timer)
                try:
                    while True:
                        message = await receive()
                        if message["type"] != "http.request":
                            reason = f"the client disconnected after {size} body bytes"
                            raise _BodyProblem(None, reason + " (truncated body)", size)
                        chunk = message.get("body", b"")
                        size += len(chunk)
                        if size > limit:
                            reason = f"the body is over the limit of {limit} bytes (--max-body)"
                            raise _BodyProblem(413, reason, size)
                        chunks.append(chunk)
                        if not message.get("more_body", False):
                            break
                finally:
                    self._slow_reads.discard(timer)
        except TimeoutError:
            stop = self.stop_deadline
            if stop is not None and stop <= body_deadline:
                raise _BodyProblem(503, "stopping", size) from None
            reason = f"the body did not arrive in full within {self.settings.body_timeout:g} s"
            raise _BodyProblem(408, reason, size) from None
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    # --- start and stop ------------------------------------------------------------------------

    def begin_stop(self, grace: float) -> None:
        """From now on new requests get 503; bodies still arriving get `grace` seconds."""
        if self.stop_deadline is not None:
            return
        self._cut_reads(asyncio.get_running_loop().time() + grace)

    def end_grace(self) -> None:
        """Stopping, and impatient (a second signal): bodies still arriving get 503 now."""
        self._cut_reads(asyncio.get_running_loop().time())

    def _cut_reads(self, deadline: float) -> None:
        self.stop_deadline = deadline
        for timer in self._slow_reads:
            when = timer.when()
            if when is None or when > deadline:
                timer.reschedule(deadline)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.stderr is not None and self.settings.summary_interval > 0:
                    self._ticker = asyncio.create_task(self._live_summary())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._ticker is not None:
                    self._ticker.cancel()
                    await asyncio.gather(self._ticker, return_exceptions=True)
                await self.writer.drain()
                self.notices.flush()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _live_summary(self) -> None:
        """A line on stderr whenever the totals moved: in place on a terminal, else appended."""
        assert self.stderr is not None
        stderr, totals, interval = self.stderr, self.counters, self.settings.summary_interval
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


# `serve` runs it; tests drive it in-process (httpx.ASGITransport).
create_app = ReceiverApp


def _sized(body: bytes, limit: int) -> bytes:
    """`body`, or 413 as a `_BodyProblem` if it is over `limit` bytes."""
    if len(body) > limit:
        reason = f"the body is over the limit of {limit} bytes (--max-body)"
        raise _BodyProblem(413, reason, len(body))
    return body


def _bug(exc: Exception) -> Outcome:
    reason = f"internal error: {type(exc).__name__}: {exc} (a bug; please report it)"
    return Outcome("error", 500, "unchecked", 0, reason)


async def _answer(
    send: Send, status: int, body: bytes, extra: Sequence[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [_JSON, (b"content-length", str(len(body)).encode())]
    if extra:
        headers.extend(extra)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
