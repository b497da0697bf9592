"""The HTTP/1.1 connection handler of `webhook serve`: uvicorn's httptools protocol, bounded.

uvicorn itself puts no limit on the request head (header count, size, the time it takes to
arrive) nor on the number of open connections, which is fine behind a proxy and not on an
open port: a client without the secret could hold every file descriptor with idle
connections, or make the server buffer a header of any size. This subclass adds, per
connection and before the app sees anything:

* a head timeout: a connection whose request head is not complete `head_timeout` seconds
  after it opened (or after the request began) is answered 408 (or just closed, if it sent
  nothing) — slow clients cannot hold a connection forever;
* a header count and a head size limit (431; a request line alone over the size: 414),
  checked on the raw bytes as they arrive, so memory per connection stays bounded;
* a connection cap: at the cap, the oldest connection with no request in progress is
  closed to make room, so valid deliveries and `/healthz` still get in; only when every
  connection is busy with a request is the newcomer answered 503 with Retry-After.

Each of these writes a notice on stderr (summed when they repeat, see `notices`). These
refusals happen before there is a request to speak of, so they are not delivery-log lines;
they are counted in `/healthz` and in the closing line.

The fast path. uvicorn turns every request into an ASGI cycle: a scope dict, a task, and
`receive`/`send` coroutines passing message dicts, which cost a delivery more CPU than its
signature check. A request that arrives whole, in one read or with its body in the next read
within `BODY_WAIT` (senders such as httpx write head and body apart), and with nothing else
in progress on its connection is handled here instead, from the parser's callbacks: the
app's synchronous `complete_delivery` (or `not_a_delivery`) decides and logs it, and the
answer is written as one buffer whose head is built once per status and second. Everything
else takes uvicorn's path unchanged: a body still arriving after that (it is handed over
with what came so far, as if uvicorn had had it from the start; so is a body still awaited
when the client leaves or the server stops), `Expect: 100-continue`, upgrades, a request
pipelined behind one still being answered. Limits, keep-alive, HTTP/1.0 and shutdown behave
the same on both paths: the fast request stands in for uvicorn's cycle where the connection
looks.

Only `webhook serve` imports this module (uvicorn and httptools are not light).
"""

from __future__ import annotations

import asyncio
import functools
import http
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import httptools
import orjson
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from ._notices import Notices
from ._record import remote_address

if TYPE_CHECKING:
    from ._app import ReceiverApp, Reply

__all__ = ["BODY_COMPLETE", "BODY_WAIT", "Guard", "Limits", "protocol_class"]

# ASGI scope extension: a callable saying whether the request body has arrived in full.
BODY_COMPLETE = "qevcontract.body_complete"


# Seconds a fast request's body may take to follow its head (in the next read) before the
# request is handed to uvicorn's path: the gap between a sender's two writes, not a slow body.
BODY_WAIT = 0.05


@dataclass(frozen=True, slots=True)
class Limits:
    """What one client may take: head size, header count, head time; and connections in all."""

    max_headers: int = 100
    max_head_bytes: int = 16384  # request line and header fields together
    head_timeout: float = 10.0  # seconds for a request head to arrive in full
    max_connections: int = 1000


class _Refused(Exception):
    """Stops the parser once a refusal has been answered."""


class Guard:
    """What every connection shares: the limits, the open connections by age, the notices."""

    def __init__(self, limits: Limits, notices: Notices) -> None:
        self.limits = limits
        self.notices = notices
        self.open: dict[Any, None] = {}  # insertion order: oldest first

    def make_room(self, newcomer: Any) -> None:
        """At the cap: close the oldest idle connection, or refuse `newcomer` if none is idle."""
        cap = self.limits.max_connections
        for connection in self.open:
            if connection is not newcomer and not connection.busy:
                connection.evict()
                self.notices.note(
                    "evicted",
                    f"{cap} connections open (--max-connections): closed the oldest one "
                    "with no request in progress to let a new one in",
                )
                return
        newcomer.refuse(503, f"too many connections (over {cap}); retry later", retry_after=1)
        self.notices.note(
            "full",
            f"{cap} connections open (--max-connections), each with a request in progress: "
            "answered 503 to a new connection",
        )


def _answer(status: int, reason: str, retry_after: int | None) -> bytes:
    body = orjson.dumps({"verdict": "rejected", "reason": reason})
    phrase = http.HTTPStatus(status).phrase
    head = [
        f"HTTP/1.1 {status} {phrase}",
        "content-type: application/json",
        f"content-length: {len(body)}",
        "connection: close",
    ]
    if retry_after is not None:
        head.append(f"retry-after: {retry_after}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


class _NoEvent:
    """uvicorn's connection code wakes its cycle's reader; a fast request has none."""

    def set(self) -> None:
        pass


class _Fast:
    """A request on the fast path, where uvicorn's connection code looks for its cycle.

    It has what that code reads and writes (`response_complete`, `keep_alive`,
    `disconnected`, `more_body`, `message_event`), and the request itself.
    """

    __slots__ = (
        "body",
        "disconnected",
        "keep_alive",
        "method",
        "path",
        "query",
        "response_complete",
        "waited",
    )
    more_body = False
    message_event = _NoEvent()

    def __init__(self, method: bytes, path: str, query: bytes, keep_alive: bool) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.keep_alive = keep_alive
        self.body: list[bytes] = []
        self.response_complete = False
        self.disconnected = False
        self.waited = False  # a read ended before its body did


class _Heads:
    """The start of a fast answer's head as bytes: status line, uvicorn's default headers
    (a date, replaced by uvicorn each second), content type, up to the content length."""

    def __init__(self) -> None:
        self._defaults: object = None
        self._built: dict[tuple[int, bytes], bytes] = {}

    def get(self, status: int, defaults: list[tuple[bytes, bytes]], media_type: bytes) -> bytes:
        if defaults is not self._defaults:
            self._defaults, self._built = defaults, {}
        key = (status, media_type)
        head = self._built.get(key)
        if head is None:
            fields = b"".join(name + b": " + value + b"\r\n" for name, value in defaults)
            head = STATUS_LINE[status] + fields
            head += b"content-type: " + media_type + b"\r\ncontent-length: "
            self._built[key] = head
        return head


_JSON = b"application/json"
_PLAIN_TEXT = b"text/plain; charset=utf-8"


def _closes(extra: Any) -> bool:
    """Whether headers the app added say `Connection: close` (as uvicorn reads them)."""
    for name, value in extra:
        if name == b"connection" and b"close" in [t.strip().lower() for t in value.split(b",")]:
            return True
    return False


class _Coalescing:
    """A connection's transport whose writes in one turn of the loop leave as one.

    uvicorn writes an answer's head and its body separately: two segments, two wake-ups of
    the client and, on loopback, the kernel's receive work twice on the server's CPU. Held
    until the end of the turn (or until `close`), they go out in one `write`.
    """

    __slots__ = ("_loop", "_pending", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] | None = None

    def write(self, data: bytes) -> None:
        if not data:
            return
        if self._pending is None:
            self._pending = [data]
            self._loop.call_soon(self._flush)
        else:
            self._pending.append(data)

    def _flush(self) -> None:
        pending, self._pending = self._pending, None
        # A transport closed meanwhile (the client left) takes no more writes; uvloop raises.
        if pending and not self._transport.is_closing():
            self._transport.write(pending[0] if len(pending) == 1 else b"".join(pending))

    def write_now(self, data: bytes) -> None:
        """Write `data` now, after whatever this turn held back (answers stay in order)."""
        if self._pending is not None:
            self._pending.append(data)
            self._flush()
        elif not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def is_closing(self) -> bool:  # called per request: not through __getattr__
        return self._transport.is_closing()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def protocol_class(guard: Guard, app: ReceiverApp | None = None) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol with `guard`'s limits (uvicorn's `http=` takes a class).

    With `app` (the one uvicorn runs), requests that arrive whole take the fast path.
    """
    limits = guard.limits
    notices = guard.notices
    heads = _Heads()

    class GuardedProtocol(HttpToolsProtocol):
        _head_timer: asyncio.TimerHandle | None = None
        _in_head = True  # the bytes arriving belong to a request head
        _head_bytes = 0  # raw bytes of the current head so far (an upper bound)
        _head_started = False  # the parser has seen the start of a request
        _refused = False
        _fast: _Fast | None = None  # a fast request whose head is in and body not yet
        _body_timer: asyncio.TimerHandle | None = None  # its `BODY_WAIT`
        _after_answer: bytes | None = None  # a refusal waiting for the answer before it

        @property
        def busy(self) -> bool:
            """A request head arrived and its answer has not been sent in full."""
            return self.cycle is not None and not self.cycle.response_complete

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            self._out = _Coalescing(transport, self.loop)
            super().connection_made(cast(asyncio.Transport, self._out))
            self._remote = remote_address(self.client)  # spelled once per connection
            self._extensions = {BODY_COMPLETE: self._body_complete}
            self._arm_head_timer()
            guard.open[self] = None
            if len(guard.open) > limits.max_connections:
                guard.make_room(self)

        def connection_lost(self, exc: Exception | None) -> None:
            self.release()  # uvicorn's cycle then learns the client left
            guard.open.pop(self, None)
            self._disarm_head_timer()
            if self.timeout_keep_alive_task is not None:
                self.timeout_keep_alive_task.cancel()
                self.timeout_keep_alive_task = None
            super().connection_lost(exc)

        # Keep-alive: uvicorn arms a timer when an answer is complete and cancels it when
        # the next bytes arrive, a timer per request. Here the timer stays armed across
        # requests; it closes the connection only if it has been idle since the last
        # answer for the whole timeout, and otherwise waits for the rest of it.

        _idle_since: float | None = None  # loop time of the last answer; None: not idle

        def _unset_keepalive_if_required(self) -> None:
            self._idle_since = None

        def on_response_complete(self) -> None:
            # uvicorn's, with the timer above.
            self.server_state.total_requests += 1
            if self.transport.is_closing():
                return
            self.flow.resume_reading()
            if self.pipeline:
                cycle, pipelined_app = self.pipeline.pop()
                self._start_asgi_task(cycle, pipelined_app)
                return
            self._idle_since = self.loop.time()
            if self.timeout_keep_alive_task is None:
                self.timeout_keep_alive_task = self.loop.call_later(
                    self.timeout_keep_alive, self._keep_alive_due
                )

        def _keep_alive_due(self) -> None:
            self.timeout_keep_alive_task = None
            since = self._idle_since
            if since is None:  # a request is in progress: armed again once it is answered
                return
            left = since + self.timeout_keep_alive - self.loop.time()
            if left > 0:
                self.timeout_keep_alive_task = self.loop.call_later(left, self._keep_alive_due)
            else:
                self.timeout_keep_alive_handler()

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return
            self._unset_keepalive_if_required()
            if self._in_head:
                self._head_bytes += len(data)
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserUpgrade:
                self._refuse_now(400, "protocol upgrades are not supported", "malformed")
                return
            except httptools.HttpParserError:
                if not self._refused:  # not one of ours: a request that is not HTTP/1.1
                    self._refuse_now(400, "not a valid HTTP/1.1 request", "malformed")
                return
            finally:
                fast = self._fast
                if fast is not None:  # the read ended inside its body
                    if fast.waited or self._refused or self.transport.is_closing():
                        self._hand_over(fast)
                    else:  # the body may be a write behind: wait for the next read
                        fast.waited = True
                        self._body_timer = self.loop.call_later(BODY_WAIT, self.release)
            if self._in_head and self._head_started:  # a head is arriving in pieces
                if self._head_bytes > limits.max_head_bytes:
                    self._refuse_now(431, self._too_large(), "head-size")
                else:
                    self._arm_head_timer()

        # Parser callbacks, in the order they come.

        def on_message_begin(self) -> None:
            # uvicorn builds its ASGI scope here; only a request not taking the fast path
            # gets one (`_begin_asgi`).
            self.url = b""
            self.expect_100_continue = False
            self.headers = []
            self._head_started = True
            # A request began: the keep-alive timer of an answer given while this read was
            # parsed no longer applies (the head timer does).
            self._unset_keepalive_if_required()

        def _begin_asgi(self) -> None:
            url, headers, expect = self.url, self.headers, self.expect_100_continue
            super().on_message_begin()  # the scope, and an empty head
            self.url, self.expect_100_continue = url, expect
            self.headers.extend(headers)  # the scope's list

        def on_url(self, url: bytes) -> None:
            super().on_url(url)
            if len(self.url) > limits.max_head_bytes:
                self._refuse_in_parser(
                    414, f"the request target is over {limits.max_head_bytes} bytes", "target-size"
                )

        def on_headers_complete(self) -> None:
            self._disarm_head_timer()
            self._in_head = self._head_started = False
            # Counted here, not header by header: the head is already bounded in bytes, and
            # a callback per header costs every delivery.
            if len(self.headers) > limits.max_headers:
                reason = f"more than {limits.max_headers} header fields (--max-headers)"
                self._refuse_in_parser(431, reason, "header-count")
            if self._head_bytes > limits.max_head_bytes:  # an upper bound: check exactly
                size = len(self.url) + sum(len(n) + len(v) + 4 for n, v in self.headers)
                if size > limits.max_head_bytes:
                    self._refuse_in_parser(431, self._too_large(), "head-size")
            if self.transport.is_closing():
                # Only a fast answer closes a connection while a read is being parsed (its
                # request said `Connection: close`, or was HTTP/1.0): what was pipelined
                # behind it is dropped unanswered and unlogged, as uvicorn never starts it.
                return
            if not self._begin_fast():
                self._begin_cycle()

        def _begin_cycle(self) -> None:
            """uvicorn's way: a scope, a cycle, and a task (or a place in the pipeline)."""
            self._begin_asgi()
            super().on_headers_complete()
            # The app may skip its body timer when the body is already here (most are: it
            # runs after this chunk of data, usually the whole request, has been parsed).
            scope: dict[str, Any] = self.scope  # type: ignore[assignment]
            scope["extensions"] = self._extensions

        def on_body(self, body: bytes) -> None:
            fast = self._fast
            if fast is None:
                super().on_body(body)
            else:
                fast.body.append(body)

        def on_message_complete(self) -> None:
            fast = self._fast
            self._in_head = True
            self._head_bytes = 0
            if fast is None:
                super().on_message_complete()
                return
            self._fast = None
            if self._body_timer is not None:
                self._body_timer.cancel()
                self._body_timer = None
            self._complete(fast)

        # The fast path.

        def _begin_fast(self) -> bool:
            """Make this request a fast one, if it may be (see the module's docstring)."""
            cycle = self.cycle
            if (
                app is None
                or (cycle is not None and not cycle.response_complete)
                or self.pipeline
                or self.expect_100_continue
                or self.limit_concurrency is not None
                or self.parser.should_upgrade()
            ):
                return False
            try:  # as uvicorn reads the target; what it fails on, it reports its own way
                parsed = httptools.parse_url(self.url)
                path = parsed.path.decode("ascii")
            except (httptools.HttpParserInvalidURLError, UnicodeDecodeError):
                return False
            if "%" in path:
                path = urllib.parse.unquote(path)
            parser = self.parser
            keep_alive = parser.get_http_version() != "1.0" and parser.should_keep_alive()
            query = parsed.query or b""
            fast = _Fast(parser.get_method(), self.root_path + path, query, keep_alive)
            self.cycle = self._fast = fast  # type: ignore[assignment]
            return True

        def release(self) -> bool:
            """Hand a fast request still waiting for its body to uvicorn's path; whether
            there was one (the server calls this when it stops)."""
            if self._fast is None:
                return False
            self._hand_over(self._fast)
            return True

        def shutdown(self) -> None:
            self.release()
            super().shutdown()

        def _hand_over(self, fast: _Fast) -> None:
            """A fast request's body is still arriving: start uvicorn's cycle for it, with
            the body so far, as uvicorn would have at its head."""
            if self._body_timer is not None:
                self._body_timer.cancel()
                self._body_timer = None
            self._fast = None
            self.cycle = None  # type: ignore[assignment]
            self._begin_cycle()
            for chunk in fast.body:
                super().on_body(chunk)

        def _complete(self, fast: _Fast) -> None:
            assert app is not None
            chunks = fast.body
            body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
            fast.body = []
            try:
                if fast.method == b"POST" and fast.path != "/healthz":
                    answer = functools.partial(self._reply, fast)
                    app.complete_delivery(
                        fast.path, fast.query, self._remote, self.headers, body, answer
                    )
                else:
                    method = fast.method.decode("ascii")
                    self._reply(fast, app.not_a_delivery(method, fast.path))
            except Exception as exc:  # a bug: as uvicorn answers an app that raised
                self.logger.error("Exception in ASGI application\n", exc_info=exc)
                if not fast.response_complete:
                    fast.keep_alive = False
                    self._reply(fast, (500, b"Internal Server Error", None), _PLAIN_TEXT)

        def _reply(self, fast: _Fast, reply: Reply, media_type: bytes = _JSON) -> None:
            """Write the answer as uvicorn would, in one buffer, and finish the request."""
            if fast.disconnected or fast.response_complete:
                return
            status, body, extra = reply
            keep_alive = fast.keep_alive
            defaults = self.server_state.default_headers
            head = [heads.get(status, defaults, media_type), b"%d\r\n" % len(body)]
            closes = False
            if extra:
                closes = _closes(extra)
                keep_alive = keep_alive and not closes
                head.extend(name + b": " + value + b"\r\n" for name, value in extra)
            if not keep_alive and not closes:
                head.append(b"connection: close\r\n")
            head.append(b"\r\n")
            if fast.method != b"HEAD":
                head.append(body)
            self._out.write_now(b"".join(head))
            fast.response_complete = True
            refusal = self._after_answer
            if refusal is not None:  # what came after this request was refused (`refuse`)
                self._after_answer = None
                self._out.write_now(refusal)
                self.evict()
            elif not keep_alive:
                self.transport.close()
            self.on_response_complete()

        def _body_complete(self) -> bool:
            # The current cycle: with pipelining a later request's, whose head came after
            # this body ended; "not complete" only ever costs a timer.
            return self.cycle is not None and not self.cycle.more_body

        # Refusals and timers.

        def _too_large(self) -> str:
            return f"the request head is over {limits.max_head_bytes} bytes (--max-header-bytes)"

        def _refuse_in_parser(self, status: int, reason: str, kind: str) -> None:
            self._refuse_now(status, reason, kind)
            raise _Refused(reason)

        def _refuse_now(self, status: int, reason: str, kind: str) -> None:
            if kind == "malformed":
                notices.note(kind, "answered 400 to a request that is not valid HTTP/1.1")
            else:
                notices.note(kind, f"answered {status}: {reason}")
            self.refuse(status, reason)

        def refuse(self, status: int, reason: str, retry_after: int | None = None) -> None:
            """Answer `status` and close, whatever the parser was doing.

            A delivery read before it whose answer still waits for its log line is answered
            first: answers go in the order of the requests, and a client would take the
            refusal for its delivery's answer (and send again what was logged).
            """
            refusal = _answer(status, reason, retry_after)
            cycle: object = self.cycle  # uvicorn's type for it; a `_Fast` on the fast path
            if (
                isinstance(cycle, _Fast)
                and cycle is not self._fast  # its body is in: it is being decided and logged
                and not cycle.response_complete
                and not cycle.disconnected
                and not self.transport.is_closing()
            ):
                self._refused = True  # nothing more is parsed
                self._disarm_head_timer()
                self._after_answer = refusal
                return
            if not self.transport.is_closing():
                self.transport.write(refusal)
            self.evict()

        def evict(self) -> None:
            """Close; from now on this connection no longer counts against the cap."""
            self._refused = True
            self._disarm_head_timer()
            guard.open.pop(self, None)
            self.transport.close()

        def _arm_head_timer(self) -> None:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(limits.head_timeout, self._head_late)

        def _disarm_head_timer(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_late(self) -> None:
            self._head_timer = None
            if self.busy or self.transport.is_closing() or not self._in_head:
                return
            notices.note(
                "head-timeout",
                f"closed a connection with no complete request head after "
                f"{limits.head_timeout:g} s (--head-timeout)",
            )
            if self._head_started:
                reason = f"the request head did not arrive within {limits.head_timeout:g} s"
                self.refuse(408, reason)
            else:
                self.evict()

    return GuardedProtocol
