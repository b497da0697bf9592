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

Only `webhook serve` imports this module (uvicorn and httptools are not light).
"""

from __future__ import annotations

import asyncio
import http
from dataclasses import dataclass
from typing import Any, cast

import httptools
import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .notices import Notices

__all__ = ["BODY_COMPLETE", "Guard", "Limits", "protocol_class"]

# ASGI scope extension: a callable saying whether the request body has arrived in full.
BODY_COMPLETE = "qevcontract.body_complete"


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

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def is_closing(self) -> bool:  # called per request: not through __getattr__
        return self._transport.is_closing()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def protocol_class(guard: Guard) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol with `guard`'s limits (uvicorn's `http=` takes a class)."""
    limits = guard.limits
    notices = guard.notices

    class GuardedProtocol(HttpToolsProtocol):
        _head_timer: asyncio.TimerHandle | None = None
        _in_head = True  # the bytes arriving belong to a request head
        _head_bytes = 0  # raw bytes of the current head so far (an upper bound)
        _head_started = False  # the parser has seen the start of a request
        _refused = False

        @property
        def busy(self) -> bool:
            """A request head arrived and its answer has not been sent in full."""
            return self.cycle is not None and not self.cycle.response_complete

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(cast(asyncio.Transport, _Coalescing(transport, self.loop)))
            self._extensions = {BODY_COMPLETE: self._body_complete}
            self._arm_head_timer()
            guard.open[self] = None
            if len(guard.open) > limits.max_connections:
                guard.make_room(self)

        def connection_lost(self, exc: Exception | None) -> None:
            guard.open.pop(self, None)
            self._disarm_head_timer()
            super().connection_lost(exc)

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
            if self._in_head and self._head_started:  # a head is arriving in pieces
                if self._head_bytes > limits.max_head_bytes:
                    self._refuse_now(431, self._too_large(), "head-size")
                else:
                    self._arm_head_timer()

        # Parser callbacks, in the order they come.

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._head_started = True

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
            super().on_headers_complete()
            # The app may skip its body timer when the body is already here (most are: it
            # runs after this chunk of data, usually the whole request, has been parsed).
            scope: dict[str, Any] = self.scope  # type: ignore[assignment]
            scope["extensions"] = self._extensions

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._in_head = True
            self._head_bytes = 0

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
            """Answer `status` and close, whatever the parser was doing."""
            if not self.transport.is_closing():
                self.transport.write(_answer(status, reason, retry_after))
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
