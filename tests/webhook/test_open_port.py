"""`webhook serve` on a port anyone can reach: bounded, and honest on shutdown (issue 16).

Every test runs the real server in a subprocess on a free loopback port and talks to it
over raw sockets where HTTP clients would be too polite (slow bodies, huge heads, idle
connections). Every loop is bounded.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from click.testing import CliRunner, Result

from qevcontract._cli.webhook_cmd import webhook
from qevcontract.generate import Generator

from .conftest import SECRET, SECRET_ENV, Server

QLIK = {"User-Agent": "Qlik Webhook", "Content-Type": "application/json"}


def signed(body: bytes) -> dict[str, str]:
    return {**QLIK, "Qlik-Signature": hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()}


def an_event(seed: int) -> bytes:
    (event,) = Generator().bulk.events("com.qlik.app.created", 1, seed=seed, label=False)
    return orjson.dumps(event)


def connect(server: Server) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes (bounded by the socket timeout)."""
    chunks = []
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def wait_for(condition: Any, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def healthz(server: Server) -> dict[str, Any]:
    response = httpx.get(server.url + "healthz", timeout=5)
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


def slow_head(body: bytes, path: str = "/slow") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Qlik-Signature: {signed(body)['Qlik-Signature']}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()


# --- SIGTERM with deliveries in flight ----------------------------------------------------------


def test_sigterm_answers_503_with_retry_after_to_a_body_still_arriving_and_logs_it(
    server_factory: Any,
) -> None:
    server = server_factory("--quiet", "--shutdown-grace", "1", "--body-timeout", "60")
    body = an_event(1)
    with connect(server) as sock:
        sock.sendall(slow_head(body) + body[:10])  # the rest never comes
        assert wait_for(lambda: healthz(server)["deliveries"] == 0)  # it is up and waiting
        time.sleep(0.2)
        began = time.monotonic()
        server.process.terminate()
        answer = read_answer(sock)
        waited = time.monotonic() - began
    assert answer.startswith(b"HTTP/1.1 503 "), answer[:200]
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert b"\r\nretry-after: 10" in head
    assert 0.5 < waited < 10  # after the grace, not at once, and not the old 5 s cancel
    # One SIGTERM, as a supervisor sends it: a second one (`stop()` signals again if the
    # process is still there) could land after serve has put the default handler back.
    assert server.process.wait(timeout=15) == 0
    (line,) = [ln for ln in server.lines() if ln["path"] == "/slow"]
    assert line["status"] == 503 and line["verdict"] == "rejected" and line["bytes"] == 10
    assert "stopping" in line["reason"]
    err = server.stderr()
    assert "Traceback" not in err and "Exception" not in err
    assert "1 answered 503 while stopping" in err


def test_a_second_signal_answers_503_and_logs_at_once_instead_of_cutting_deliveries(
    server_factory: Any,
) -> None:
    """SIGTERM then Ctrl-C used to force uvicorn's exit: the body in flight was answered 500,
    never logged, and stderr blamed 'a bug'. Now the second signal only ends the grace."""
    server = server_factory("--quiet", "--shutdown-grace", "30", "--body-timeout", "60")
    body = an_event(2)
    with connect(server) as sock:
        sock.sendall(slow_head(body) + body[:10])  # the rest never comes
        assert wait_for(lambda: healthz(server)["deliveries"] == 0)
        time.sleep(0.2)
        server.process.terminate()
        time.sleep(0.5)
        began = time.monotonic()
        server.process.send_signal(signal.SIGINT)
        answer = read_answer(sock)
        waited = time.monotonic() - began
    assert answer.startswith(b"HTTP/1.1 503 "), answer[:200]
    assert waited < 10  # not the 30 s grace
    assert server.process.wait(timeout=15) == 0  # no third signal: it stops by itself
    (line,) = [ln for ln in server.lines() if ln["path"] == "/slow"]
    assert line["status"] == 503 and line["bytes"] == 10
    err = server.stderr()
    assert "bug" not in err and "Exception" not in err and "Traceback" not in err
    assert "1 answered 503 while stopping" in err


def test_sigterm_lets_a_body_that_completes_within_the_grace_be_judged_and_logged(
    server_factory: Any,
) -> None:
    server = server_factory("--quiet", "--shutdown-grace", "5")
    body = an_event(2)
    with connect(server) as sock:
        sock.sendall(slow_head(body, "/finishing") + body[:10])
        time.sleep(0.3)
        server.process.terminate()
        assert wait_for(lambda: "stopping; 1 request(s) in flight" in server.stderr())
        sock.sendall(body[10:])
        answer = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]
    # One SIGTERM, as a supervisor sends it: a second one (`stop()` signals again if the
    # process is still there) could land after serve has put the default handler back.
    assert server.process.wait(timeout=15) == 0
    (line,) = [ln for ln in server.lines() if ln["path"] == "/finishing"]
    assert line["status"] == 200 and line["verdict"] == "valid"
    assert "Traceback" not in server.stderr()


# --- the request head: size, count, time ---------------------------------------------------------


def test_a_header_over_the_size_limit_is_answered_431_and_the_server_carries_on(
    server_factory: Any,
) -> None:
    server = server_factory("--quiet")
    body = an_event(3)
    response = httpx.post(
        server.url, content=body, headers={**signed(body), "X-Big": "a" * 20_000}, timeout=10
    )
    assert response.status_code == 431
    assert "16384" in response.json()["reason"]
    assert httpx.post(server.url, content=body, headers=signed(body), timeout=10).is_success
    assert all(line["status"] != 431 for line in server.lines())  # refused before a request
    assert "answered 431" in server.stderr()


def test_an_endless_head_is_cut_off_at_the_limit_not_buffered(server_factory: Any) -> None:
    server = server_factory("--quiet", "--max-header-bytes", "4096")
    with connect(server) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Endless: ")
        sent = 0
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while sent < 8 << 20:  # 8 MiB at most; the server must stop us long before
                sock.sendall(b"b" * 65536)
                sent += 65536
        answer = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert sent < 8 << 20
    assert healthz(server)["refused"]["head-size"] >= 1


def test_a_request_line_over_the_limit_is_answered_414_and_reported_apart_from_431(
    server_factory: Any,
) -> None:
    """stderr names the status each refusal got: a 431 after a 414 is not summed as a 414."""
    server = server_factory("--quiet")
    body = an_event(5)
    with httpx.Client(timeout=10) as client:
        long_target = client.post(server.url + "p" * 17_000, content=body, headers=signed(body))
        big_head = client.post(
            server.url, content=body, headers={**signed(body), "X": "a" * 17_000}
        )
    assert (long_target.status_code, big_head.status_code) == (414, 431)
    assert wait_for(lambda: "answered 431" in server.stderr())
    assert "answered 414: the request target is over 16384 bytes" in server.stderr()
    assert healthz(server)["refused"] == {"target-size": 1, "head-size": 1}


def test_too_many_header_fields_are_answered_431(server_factory: Any) -> None:
    server = server_factory("--quiet", "--max-headers", "30")
    body = an_event(4)
    many = {f"X-H{i}": "v" for i in range(40)}
    response = httpx.post(server.url, content=body, headers={**signed(body), **many}, timeout=10)
    assert response.status_code == 431
    assert "more than 30 header fields" in response.json()["reason"]
    few = {f"X-H{i}": "v" for i in range(20)}
    ok = httpx.post(server.url, content=body, headers={**signed(body), **few}, timeout=10)
    assert ok.status_code == 200


def test_a_head_that_does_not_arrive_in_time_is_answered_408(server_factory: Any) -> None:
    server = server_factory("--quiet", "--head-timeout", "0.5")
    with connect(server) as partial, connect(server) as silent:
        partial.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")  # and then nothing
        began = time.monotonic()
        answer = read_answer(partial)
        assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
        assert 0.3 < time.monotonic() - began < 5
        assert read_answer(silent) == b""  # sent nothing: closed without a word
    assert "(--head-timeout)" in server.stderr()
    assert healthz(server)["refused"]["head-timeout"] == 2


# --- connections ---------------------------------------------------------------------------------


def test_idle_connections_past_the_cap_do_not_lock_out_deliveries_or_healthz(
    server_factory: Any,
) -> None:
    server = server_factory("--quiet", "--max-connections", "20", "--head-timeout", "60")
    idle = []
    try:
        for _ in range(40):  # twice the cap, and they never send a byte
            idle.append(connect(server))
        time.sleep(0.3)
        assert healthz(server)["status"] == "ok"
        body = an_event(5)
        response = httpx.post(server.url, content=body, headers=signed(body), timeout=10)
        assert response.status_code == 200
    finally:
        for sock in idle:
            sock.close()
    assert "connections open (--max-connections)" in server.stderr()
    assert healthz(server)["refused"]["evicted"] >= 20


def test_when_every_connection_is_busy_a_new_one_is_answered_503(server_factory: Any) -> None:
    server = server_factory("--quiet", "--max-connections", "3", "--body-timeout", "30")
    body = an_event(6)
    busy = []
    try:
        for i in range(3):  # heads complete, bodies never: each holds a request in flight
            sock = connect(server)
            sock.sendall(slow_head(body, f"/busy{i}") + body[:5])
            busy.append(sock)
        time.sleep(0.3)
        with connect(server) as newcomer:
            answer = read_answer(newcomer)
        assert answer.startswith(b"HTTP/1.1 503 "), answer[:200]
        assert b"retry-after: 1" in answer.lower()
    finally:
        for sock in busy:
            sock.close()
    assert "each with a request in progress" in server.stderr()


# --- what a client without the secret can make the log grow by -----------------------------------


def test_a_rejected_flood_grows_the_log_by_a_bounded_summary_per_request(
    server_factory: Any,
) -> None:
    server = server_factory("--quiet")
    body = b'{"pad": "' + b"x" * 60_000 + b'"}'
    junk = {f"X-Junk{i}": "j" * 300 for i in range(30)}
    sent = 0
    with httpx.Client(timeout=10) as client:
        for _ in range(100):
            response = client.post(
                server.url, content=body, headers={**QLIK, "Qlik-Signature": "0" * 64, **junk}
            )
            assert response.status_code == 401
            sent += len(body) + sum(len(k) + len(v) for k, v in junk.items())
    raw = server.log.read_bytes()
    lines = raw.splitlines()
    assert len(lines) == 100
    assert max(len(line) for line in lines) < 4096  # each request sent over 69,000 bytes
    assert len(raw) < sent / 15
    line = orjson.loads(lines[0])
    assert line["bytes"] == len(body) and "body" not in line
    assert line["body_sha256"] == hashlib.sha256(body).hexdigest()
    assert line["body_head"] == body[:64].decode()
    assert line["headers_omitted"] > 0


def test_requests_refused_before_their_signature_is_checked_are_summarised_too(
    server_factory: Any,
) -> None:
    """A 16 KB request line or a 413 (refused on its Content-Length, before any signature
    check) comes from someone who has not shown the secret either: its line is bounded."""
    server = server_factory("--quiet", "--max-body", "1000")
    junk = {f"X-Junk{i}": "j" * 140 for i in range(90)}  # 14,000 bytes of head, under 16,384
    body = b"{}"
    long_path = "/" + "p" * 15_000 + "?q=1"
    with httpx.Client(timeout=10) as client:
        unsigned = client.post(server.url + long_path[1:], content=body, headers=QLIK)
        assert unsigned.status_code == 401
        too_big = client.post(
            server.url, content=b"x" * 2000, headers={**QLIK, "Qlik-Signature": "0" * 64, **junk}
        )
        assert too_big.status_code == 413
    lines = server.log.read_bytes().splitlines()
    assert [orjson.loads(line)["status"] for line in lines] == [401, 413]
    assert max(len(line) for line in lines) < 4096  # each request line or head was ~15 KB
    first = orjson.loads(lines[0])
    assert first["path"].startswith("/ppp") and first["path"].endswith("(15005 characters)")
    assert orjson.loads(lines[1])["headers_omitted"] > 0


def test_log_rejected_full_keeps_every_header_and_the_whole_body(server_factory: Any) -> None:
    server = server_factory("--quiet", "--log-rejected", "full")
    body = b'{"pad": "' + b"y" * 5000 + b'"}'
    response = httpx.post(
        server.url, content=body, headers={**QLIK, "Qlik-Signature": "0" * 64}, timeout=10
    )
    assert response.status_code == 401
    (line,) = server.lines()
    assert line["body"] == body.decode() and "body_sha256" not in line


# --- send against consumers that refuse, or never answer ----------------------------------


def run_send(*args: str, secret: str = SECRET) -> Result:
    return CliRunner().invoke(webhook, ["send", *args], env={SECRET_ENV: secret})


def test_send_against_a_server_that_refuses_everything_fails(server_factory: Any) -> None:
    server = server_factory("--quiet")
    result = run_send(
        server.url, "--fake", "com.qlik.app.created", "-n", "5", "--json", secret="W" * 40
    )
    assert result.exit_code == 1
    report = orjson.loads(result.stdout)
    assert report["statuses"] == {"401": 5} and report["succeeded"] == 0
    assert "signature rejected: check the secret" in result.stderr
    assert "no delivery succeeded" in result.stderr


def test_send_counts_only_answered_deliveries_in_the_rate() -> None:
    """A consumer that accepts the connection and never answers: nothing was delivered."""
    with socket.socket() as mute:
        mute.bind(("127.0.0.1", 0))
        mute.listen(16)  # connections complete in the backlog; nobody reads or answers
        url = f"http://127.0.0.1:{mute.getsockname()[1]}/"
        result = run_send(
            url, "--fake", "com.qlik.app.created", "-n", "2", "--timeout", "0.3", "--json"
        )
    assert result.exit_code == 1
    report = orjson.loads(result.stdout)
    assert report["answered"] == 0 and report["errors"] == {"timeout": 2}
    assert report["per_second"] == 0


# --- never feed a server its own log -------------------------------------------------------


def test_send_refuses_to_post_the_log_the_target_server_writes(
    server_factory: Any, tmp_path: Path
) -> None:
    server = server_factory("--quiet")
    body = an_event(8)
    assert httpx.post(server.url, content=body, headers=signed(body), timeout=10).is_success
    refused = run_send(server.url, str(server.log))
    assert refused.exit_code == 2
    assert "writes" in refused.output and "--force" in refused.output
    link = tmp_path / "another-name.jsonl"
    os.link(server.log, link)  # the same file under another name is the same file
    assert run_send(server.url, str(link)).exit_code == 2
    assert run_send(server.url, str(tmp_path)).exit_code == 2  # a directory holding it
    assert len(server.lines()) == 1  # nothing was sent


def test_send_posts_a_copy_of_the_log(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory("--quiet")
    body = an_event(9)
    assert httpx.post(server.url, content=body, headers=signed(body), timeout=10).is_success
    copy = tmp_path / "replay" / "events.jsonl"
    copy.parent.mkdir()
    copy.write_bytes(orjson.dumps(server.lines()[0]["event"]) + b"\n")
    result = run_send(server.url, str(copy))
    assert result.exit_code == 0, result.output
    assert len(server.lines()) == 2


# --- the progress bar: on a terminal only --------------------------------------------------------


class _Terminal:
    """A stderr that says it is a terminal, keeping what is written."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_send_shows_a_progress_bar_on_a_terminal_and_nothing_when_piped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from qevcontract._cli import webhook_cmd as webhook_cmd

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with webhook_cmd._progress(4) as (shown, done):
        assert list(shown([1, 2])) == [1, 2]
        for _ in range(4):
            done()
    assert "sending" in terminal.text and "4/4" in terminal.text

    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    with webhook_cmd._progress(4) as (shown, done):
        done()
    assert piped.getvalue() == ""
