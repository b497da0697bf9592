"""The fast path of `webhook serve` (a request that arrives whole is answered without uvicorn's
ASGI cycle) against what the slow path does: the same answers, in order, on the same
connection rules (RFC 9112: pipelining, persistence, HTTP/1.0).

The first tests drive the protocol in-process to pin which path a request takes; the rest
talk to the real server over raw sockets, where the edges are (pipelined requests, a body in
pieces, keep-alive, HTTP/1.0).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import time
from typing import Any

import orjson
import uvicorn
from uvicorn.server import ServerState

from qevcontract.webhook._notices import Notices
from qevcontract.webhook._protocol import BODY_WAIT, Guard, Limits, protocol_class

from .conftest import Server
from .test_open_port import an_event, connect, signed

# --- which path a request takes (in-process) -----------------------------------------------


class _Transport:
    def __init__(self) -> None:
        self.written: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 4242) if name in ("peername", "sockname") else default

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class _App:
    """Counts what reaches it: whole requests (fast path) and ASGI calls (uvicorn's)."""

    def __init__(self, fail: bool = False, later: bool = False) -> None:
        self.later = later  # answer at the end of the loop's turn, as once the line is written
        self.fast: list[tuple[str, bytes]] = []
        self.asgi: list[str] = []
        self.bodies: list[bytes] = []  # as read by the ASGI app
        self.disconnected: list[str] = []
        self.before_close: list[str] = []  # `asgi` before the client closed
        self.fail = fail

    def complete_delivery(
        self, path: str, query: bytes, client: Any, headers: Any, body: bytes, answer: Any
    ) -> None:
        self.fast.append((path, body))
        if self.fail:
            raise RuntimeError("a bug")
        if self.later:
            asyncio.get_running_loop().call_soon(answer, (200, b"{}", None))
        else:
            answer((200, b"{}", None))

    def not_a_delivery(self, method: str, path: str) -> Any:
        self.fast.append((path, b""))
        return 200, b"{}", None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.asgi.append(scope["path"])
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                self.disconnected.append(scope["path"])
                break
            body += message["body"]
            if not message["more_body"]:
                break
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def _drive(
    chunks: list[bytes],
    app: _App | None = None,
    pause: float = 0.0,
    leave: bool = False,
    stop: bool = False,
) -> tuple[_App, _Transport]:
    """Feed `chunks` to one connection, one read each, with `pause` seconds in between (the
    loop runs meanwhile); then the client closes, or with `leave` vanishes right away; with
    `stop`, the server stops first."""
    app = app or _App()
    transport = _Transport()

    async def run() -> None:
        cls = protocol_class(Guard(Limits(), Notices(None)), app)  # type: ignore[arg-type]
        config = uvicorn.Config(app, http=cls, log_config=None, lifespan="off")
        config.load()
        protocol: Any = cls(config, ServerState(), {}, asyncio.get_running_loop())  # type: ignore[call-arg]
        protocol.connection_made(transport)
        for i, chunk in enumerate(chunks):
            protocol.data_received(chunk)
            if i < len(chunks) - 1:
                await asyncio.sleep(pause)
        if stop:
            protocol.shutdown()
        if leave:
            protocol.connection_lost(None)
        for _ in range(5):
            await asyncio.sleep(0)
        app.before_close = list(app.asgi)
        if not leave:
            protocol.connection_lost(None)

    asyncio.run(run())
    return app, transport


def _post(body: bytes, path: str = "/") -> bytes:
    return f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body


def test_a_request_that_arrives_whole_skips_the_asgi_cycle() -> None:
    app, _ = _drive([_post(b'{"a":1}', "/one"), b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"])
    assert app.fast == [("/one", b'{"a":1}'), ("/healthz", b"")]
    assert app.asgi == []


def test_a_body_in_the_read_after_its_head_is_still_fast() -> None:
    request = _post(b'{"a":12345}', "/split")  # as httpx writes: the head, then the body
    head_end = request.index(b"\r\n\r\n") + 4
    app, _ = _drive([request[:head_end], request[head_end:]])
    assert app.fast == [("/split", b'{"a":12345}')]
    assert app.asgi == []


def test_a_body_that_keeps_arriving_takes_uvicorns_path_with_all_its_bytes() -> None:
    request = _post(b'{"a":12345}', "/slow")
    app, _ = _drive([request[:-8], request[-8:-4], request[-4:]])  # three reads
    assert (app.fast, app.asgi) == ([], ["/slow"])
    app, _ = _drive([request[:-4], request[-4:]], pause=BODY_WAIT * 4)  # one late read
    assert (app.fast, app.asgi) == ([], ["/slow"])
    assert app.bodies == [b'{"a":12345}']


def test_a_client_leaving_while_its_body_is_awaited_is_seen_by_uvicorns_path() -> None:
    request = _post(b'{"a":12345}', "/gone")
    app, _ = _drive([request[:-4]], leave=True)
    assert (app.fast, app.asgi, app.disconnected) == ([], ["/gone"], ["/gone"])


def test_expect_100_continue_takes_uvicorns_path() -> None:
    head = b"POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
    app, _ = _drive([head + b"{}"])
    assert (app.fast, app.asgi) == ([], ["/e"])


def test_a_bug_on_the_fast_path_is_answered_500_and_closes_like_uvicorn() -> None:
    app, transport = _drive([_post(b"{}") + _post(b"{}", "/after")], _App(fail=True))
    answer = b"".join(transport.written)
    assert answer.startswith(b"HTTP/1.1 500 Internal Server Error\r\n")
    assert b"\r\nconnection: close\r\n" in answer
    assert answer.endswith(b"\r\n\r\nInternal Server Error")
    assert transport.closed
    assert app.fast == [("/", b"{}")]  # what was pipelined behind it is not taken up


def _statuses(transport: _Transport) -> list[bytes]:
    return re.findall(rb"HTTP/1\.1 (\d{3}) ", b"".join(transport.written))


def test_a_refusal_behind_a_delivery_being_logged_waits_for_its_answer() -> None:
    """RFC 9112 section 9.3.2: "A server MAY process a sequence of pipelined requests in
    parallel [...] but it MUST send the corresponding responses in the same order that the
    requests were received." A delivery answered once its line is written, then bytes that
    are not HTTP (or a head over the limits) in the same read: the client reads the
    delivery's 200 first, then the refusal, then the connection closes. (The refusal used to
    go first and the answer was dropped: the client took the 400 for its logged delivery.)"""
    garbage = b"NOT HTTP AT ALL\r\n\r\n"
    app, transport = _drive([_post(b"{}", "/logged") + garbage], _App(later=True))
    assert app.fast == [("/logged", b"{}")]
    assert _statuses(transport) == [b"200", b"400"]
    assert transport.closed
    many = b"".join(b"X-%d: v\r\n" % i for i in range(Limits().max_headers + 1))
    crowded = b"POST /next HTTP/1.1\r\nHost: x\r\n" + many + b"Content-Length: 2\r\n\r\n{}"
    app, transport = _drive([_post(b"{}", "/logged") + crowded], _App(later=True))
    assert app.fast == [("/logged", b"{}")]
    assert _statuses(transport) == [b"200", b"431"]
    assert transport.closed


def test_keep_alive_closes_a_connection_idle_since_its_last_answer_not_its_first() -> None:
    """uvicorn's keep-alive rule (close after `timeout_keep_alive` seconds without a
    request), kept with one timer per connection instead of one per request: answers
    0.3 s apart keep a connection open past the 1 s timeout, 1 s of silence closes it
    (margins wide enough for a loaded machine running the suite on every core)."""
    app, transport = _App(), _Transport()
    closed_at: list[float] = []

    async def run() -> None:
        cls = protocol_class(Guard(Limits(), Notices(None)), app)  # type: ignore[arg-type]
        config = uvicorn.Config(app, http=cls, log_config=None, lifespan="off")
        config.timeout_keep_alive = 1.0  # type: ignore[assignment]
        config.load()
        protocol: Any = cls(config, ServerState(), {}, asyncio.get_running_loop())  # type: ignore[call-arg]
        protocol.connection_made(transport)
        loop = asyncio.get_running_loop()
        for i in range(4):  # 1.2 s in all, never 1 s without a request
            protocol.data_received(_post(b"{}", f"/{i}"))
            await asyncio.sleep(0.3)
            assert not transport.closed, f"closed after request {i}"
        last_answer = loop.time() - 0.3
        while not transport.closed and loop.time() - last_answer < 4:
            await asyncio.sleep(0.02)
        closed_at.append(loop.time() - last_answer)
        protocol.connection_lost(None)

    asyncio.run(run())
    assert [path for path, _ in app.fast] == ["/0", "/1", "/2", "/3"]
    assert 0.95 <= closed_at[0] < 3.0


# --- the real server --------------------------------------------------------------------------

_HEAD_END = b"\r\n\r\n"


def read_responses(sock: socket.socket, count: int) -> list[tuple[bytes, bytes]]:
    """`count` responses (head, body) read off `sock` by their Content-Length."""
    buffer = b""
    out: list[tuple[bytes, bytes]] = []
    deadline = time.monotonic() + 10
    while len(out) < count and time.monotonic() < deadline:
        end = buffer.find(_HEAD_END)
        if end >= 0:
            head = buffer[:end]
            found = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            length = int(found.group(1)) if found else 0
            start = end + len(_HEAD_END)
            if len(buffer) >= start + length:
                out.append((head, buffer[start : start + length]))
                buffer = buffer[start + length :]
                continue
        chunk = sock.recv(65536)
        if not chunk:
            break
        buffer += chunk
    return out


def delivery(body: bytes, path: str = "/", version: str = "1.1") -> bytes:
    head = "".join(f"{k}: {v}\r\n" for k, v in signed(body).items())
    return (
        f"POST {path} HTTP/{version}\r\nHost: x\r\n{head}Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def without_date(head: bytes) -> bytes:
    return re.sub(rb"\r\ndate: [^\r]*", b"", head)


def closed_by_server(sock: socket.socket) -> bool:
    with contextlib.suppress(ConnectionResetError):
        return sock.recv(1) == b""
    return True


def test_pipelined_requests_are_answered_in_order_and_logged_once(shared_server: Server) -> None:
    bodies = [an_event(700 + i) for i in range(3)]
    ids = [orjson.loads(b)["id"] for b in bodies]
    with connect(shared_server) as sock:
        sock.sendall(
            delivery(bodies[0], "/p0")
            + b"PUT /p1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
            + delivery(bodies[1], "/p2")
            + b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            + delivery(bodies[2], "/p4")
        )
        answers = read_responses(sock, 5)
    statuses = [head.split(b" ", 2)[1] for head, _ in answers]
    assert statuses == [b"200", b"405", b"200", b"200", b"200"]
    assert [orjson.loads(answers[i][1])["id"] for i in (0, 2, 4)] == ids
    assert orjson.loads(answers[3][1])["status"] == "ok"
    logged = [line for line in shared_server.lines() if line.get("id") in ids]
    assert [line["id"] for line in logged] == ids
    assert [line["path"] for line in logged] == ["/p0", "/p2", "/p4"]


def test_a_body_split_across_packets_gets_the_same_answer_as_a_whole_one(
    shared_server: Server,
) -> None:
    request = delivery(an_event(710), "/split")
    with connect(shared_server) as sock:
        sock.sendall(request)
        ((whole_head, whole_body),) = read_responses(sock, 1)
        for piece in (request[:40], request[40:-300], request[-300:-7], request[-7:]):
            sock.sendall(piece)
            time.sleep(0.05)
        ((split_head, split_body),) = read_responses(sock, 1)
    assert whole_head.startswith(b"HTTP/1.1 200 ")
    assert without_date(split_head) == without_date(whole_head)
    assert split_body == whole_body


def test_the_connection_stays_open_after_a_fast_answer(shared_server: Server) -> None:
    with connect(shared_server) as sock:
        for seed in (720, 721, 722):
            sock.sendall(delivery(an_event(seed)))
            ((head, body),) = read_responses(sock, 1)
            assert head.startswith(b"HTTP/1.1 200 ")
            assert b"connection: close" not in head.lower()
            assert orjson.loads(body)["verdict"] == "valid"


def test_http_1_0_is_answered_and_then_closed(shared_server: Server) -> None:
    body = an_event(730)
    with connect(shared_server) as sock:
        sock.sendall(delivery(body, version="1.0"))
        ((head, answer),) = read_responses(sock, 1)
        assert head.startswith(b"HTTP/1.1 200 ")
        assert b"\r\nconnection: close" in head.lower()
        assert orjson.loads(answer)["id"] == orjson.loads(body)["id"]
        assert closed_by_server(sock)


def test_head_on_healthz_has_the_length_and_no_body(shared_server: Server) -> None:
    with connect(shared_server) as sock:
        sock.sendall(b"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while data.count(_HEAD_END) < 2:
            chunk = sock.recv(65536)
            assert chunk, "closed before both answers"
            data += chunk
    head, rest = data.split(_HEAD_END, 1)
    # "the server SHOULD send the same header fields ... as if the request method had been
    # GET" and "MUST NOT send content in the response" (RFC 9110, 9.3.2).
    found = re.search(rb"\r\ncontent-length: (\d+)", head)
    assert head.startswith(b"HTTP/1.1 200 ") and found is not None and int(found.group(1)) > 0
    assert rest.startswith(b"HTTP/1.1 200 ")  # the GET's answer follows the head at once


def test_nothing_pipelined_behind_a_closing_answer_is_logged_or_answered(
    server_factory: Any,
) -> None:
    server = server_factory("--no-fsync", "--quiet")  # answered at the end of the read's turn
    first, second = an_event(740), an_event(741)
    # The parser would read on (HTTP/1.0 asking for keep-alive), the server closes (uvicorn
    # keeps no HTTP/1.0 connection open); with `Connection: close` the parser stops itself.
    closing = delivery(first, version="1.0").replace(
        b"Host: x\r\n", b"Host: x\r\nConnection: keep-alive\r\n"
    )
    with connect(server) as sock:
        sock.sendall(closing + delivery(second))
        answers = read_responses(sock, 2)
        assert closed_by_server(sock)
    assert [orjson.loads(body)["id"] for _, body in answers] == [orjson.loads(first)["id"]]
    server.stop()
    assert [line["id"] for line in server.lines()] == [orjson.loads(first)["id"]]


def test_a_body_awaited_when_the_server_stops_goes_uvicorns_way_to_get_the_grace() -> None:
    request = _post(b'{"a":12345}', "/stopping")
    app, _ = _drive([request[:-4]], stop=True)
    assert (app.fast, app.before_close) == ([], ["/stopping"])
