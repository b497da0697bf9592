"""`webhook serve` over real HTTP: the server runs in a subprocess on a loopback port."""

from __future__ import annotations

import hashlib
import hmac
import signal
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from qevcontract.generate import Generator

from .conftest import SECRET, Server

QLIK_HEADERS = {"User-Agent": "Qlik Webhook", "Content-Type": "application/json"}


def signature(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def fake_events(n: int, event_type: str = "com.qlik.app.created", seed: int = 1) -> list[Any]:
    return list(Generator().bulk.events(event_type, n, seed=seed, label=False))


def post(
    server: Server,
    body: bytes,
    *,
    sign: bool = True,
    headers: dict[str, str] | None = None,
    path: str = "/",
) -> httpx.Response:
    sent = dict(QLIK_HEADERS)
    if sign:
        sent["Qlik-Signature"] = signature(body)
    sent.update(headers or {})
    return httpx.post(server.url.rstrip("/") + path, content=body, headers=sent, timeout=10)


def wait_for_lines(server: Server, n: int, timeout: float = 5) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    lines = server.lines()
    while len(lines) < n and time.monotonic() < deadline:
        time.sleep(0.02)
        lines = server.lines()
    return lines


def line_for(server: Server, **match: Any) -> dict[str, Any]:
    """The one log line whose fields equal `match` (fails if not exactly one)."""
    found = [line for line in server.lines() if all(line.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"{len(found)} lines match {match}"
    return found[0]


# --- answers, one by one -----------------------------------------------------------------------


def test_healthz_answers_while_serving(shared_server: Server) -> None:
    response = httpx.get(shared_server.url + "healthz", timeout=10)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_a_signed_valid_event_is_logged_before_the_200(shared_server: Server) -> None:
    event = fake_events(1, seed=11)[0]
    body = orjson.dumps(event)
    response = post(shared_server, body)
    assert response.status_code == 200
    assert response.json()["verdict"] == "valid"
    # Logged before the answer left: no waiting needed.
    line = line_for(shared_server, id=event["id"])
    assert line["status"] == 200
    assert line["verdict"] == "valid"
    assert line["signature"] == "valid"
    assert line["envelope"] == "cloudevents"
    assert line["event"] == event
    assert line["bytes"] == len(body)
    assert line["headers"]["user-agent"] == "Qlik Webhook"
    assert line["received"].endswith("Z")


@pytest.mark.parametrize(
    ("header", "outcome", "seed"),
    [
        (None, "missing", 1001),
        ("0" * 64, "mismatch", 1002),
        ("not-a-signature", "malformed", 1003),
        ("ab" * 31, "malformed", 1004),
    ],
)
def test_a_bad_signature_is_answered_401_and_logged(
    shared_server: Server, header: str | None, outcome: str, seed: int
) -> None:
    event = fake_events(1, seed=seed)[0]
    body = orjson.dumps(event)
    headers = {} if header is None else {"Qlik-Signature": header}
    response = post(shared_server, body, sign=False, headers=headers)
    assert response.status_code == 401
    assert response.json()["verdict"] == "rejected"
    digest = hashlib.sha256(body).hexdigest()
    line = [ln for ln in shared_server.lines() if ln.get("body_sha256") == digest]
    assert len(line) == 1
    assert line[0]["status"] == 401 and line[0]["signature"] == outcome
    # Someone without the secret gets a bounded summary in the log, not the whole body.
    assert "body" not in line[0] and line[0]["bytes"] == len(body)
    assert body.decode().startswith(line[0]["body_head"]) and len(line[0]["body_head"]) == 64


def test_a_signature_over_other_bytes_is_refused(shared_server: Server) -> None:
    event = fake_events(1, seed=21)[0]
    compact = orjson.dumps(event)
    pretty = orjson.dumps(event, option=orjson.OPT_INDENT_2)  # same event, other bytes
    response = post(
        shared_server, pretty, sign=False, headers={"Qlik-Signature": signature(compact)}
    )
    assert response.status_code == 401


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_wrong_content_type_is_answered_415(shared_server: Server, content_type: str) -> None:
    body = orjson.dumps(fake_events(1, seed=31)[0])
    response = post(shared_server, body, headers={"Content-Type": content_type})
    assert response.status_code == 415
    assert content_type in response.json()["reason"]


def test_json_with_charset_and_cloudevents_media_type_are_accepted(shared_server: Server) -> None:
    for i, content_type in enumerate(
        ["application/json; charset=utf-8", "application/cloudevents+json"]
    ):
        body = orjson.dumps(fake_events(1, seed=40 + i)[0])
        response = post(shared_server, body, headers={"Content-Type": content_type})
        assert response.status_code == 200, content_type


@pytest.mark.parametrize(
    ("body", "reason_part"),
    [
        (b"this is not json", "not JSON"),
        (b'{"specversion": "1.0", "id": "x"', "truncated"),
        (b"[1, 2]", "JSON object"),
        (b"", "empty"),
        (b'{"id": "a", "id": "b"}', "duplicate"),
    ],
)
def test_a_body_that_is_not_one_json_event_is_answered_400(
    shared_server: Server, body: bytes, reason_part: str
) -> None:
    response = post(shared_server, body)
    assert response.status_code == 400
    payload = response.json()
    assert payload["verdict"] == "unreadable"
    assert reason_part.lower() in payload["reason"].lower()


def test_an_invalid_event_is_answered_200_with_its_violations(shared_server: Server) -> None:
    event = fake_events(1, seed=51)[0]
    del event["source"]
    response = post(shared_server, orjson.dumps(event))
    assert response.status_code == 200
    payload = response.json()
    assert payload["verdict"] == "invalid"
    assert "/source" in [v["pointer"] for v in payload["violations"]]
    line = line_for(shared_server, id=event["id"])
    assert line["verdict"] == "invalid" and line["violations"]


def test_a_body_over_the_limit_is_answered_413(shared_server: Server) -> None:
    body = b'{"pad": "' + b"x" * (1 << 20) + b'"}'  # just over the default 1 MiB
    response = post(shared_server, body)
    assert response.status_code == 413
    assert "limit" in response.json()["reason"]


def test_a_chunked_body_over_the_limit_is_cut_off_with_413(shared_server: Server) -> None:
    def chunks() -> Any:
        for _ in range(40):
            yield b"x" * 65536  # 2.5 MiB in all, no Content-Length

    response = httpx.post(
        shared_server.url,
        content=chunks(),
        headers={**QLIK_HEADERS, "Qlik-Signature": "0" * 64},
        timeout=10,
    )
    assert response.status_code == 413


def test_a_truncated_body_is_logged_as_disconnected_and_the_server_carries_on(
    shared_server: Server,
) -> None:
    before = len(shared_server.lines())
    with socket.create_connection(("127.0.0.1", shared_server.port), timeout=5) as sock:
        sock.sendall(
            b"POST /cut HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n" + b'{"specversion": "1.0"'
        )
        time.sleep(0.2)
    lines = wait_for_lines(shared_server, before + 1)
    cut = [ln for ln in lines if ln["path"] == "/cut"]
    assert len(cut) == 1
    assert cut[0]["verdict"] == "disconnected" and cut[0]["status"] is None
    assert httpx.get(shared_server.url + "healthz", timeout=10).status_code == 200


def test_a_body_that_stalls_is_answered_408(server_factory: Any) -> None:
    server = server_factory("--body-timeout", "0.5", "--quiet")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n" + b'{"specversion"'
        )
        began = time.monotonic()
        answer = sock.recv(4096)
        waited = time.monotonic() - began
    assert answer.startswith(b"HTTP/1.1 408")
    assert 0.3 < waited < 5
    assert line_for(server, path="/slow")["verdict"] == "rejected"


def test_any_path_receives_and_the_query_is_logged(shared_server: Server) -> None:
    event = fake_events(1, seed=61)[0]
    response = post(shared_server, orjson.dumps(event), path="/hooks/qlik?tenant=t1")
    assert response.status_code == 200
    assert line_for(shared_server, id=event["id"])["path"] == "/hooks/qlik?tenant=t1"


def test_get_on_the_delivery_path_is_not_allowed(shared_server: Server) -> None:
    assert httpx.get(shared_server.url, timeout=10).status_code == 405


def test_concurrent_posts_are_each_logged_exactly_once(shared_server: Server) -> None:
    events = fake_events(120, event_type="com.qlik.v1.app.reload.finished", seed=71)
    with (
        httpx.Client(timeout=10) as client,
        ThreadPoolExecutor(max_workers=12) as pool,
    ):

        def deliver(event: Any) -> int:
            body = orjson.dumps(event)
            headers = {**QLIK_HEADERS, "Qlik-Signature": signature(body)}
            return client.post(shared_server.url, content=body, headers=headers).status_code

        statuses = list(pool.map(deliver, events))
    assert statuses == [200] * len(events)
    logged = [ln["id"] for ln in shared_server.lines() if ln.get("type") == events[0]["type"]]
    assert sorted(logged) == sorted(e["id"] for e in events)
    seqs = [ln["seq"] for ln in shared_server.lines()]
    assert len(seqs) == len(set(seqs))


def test_the_secret_is_in_no_output(shared_server: Server) -> None:
    assert SECRET not in shared_server.log.read_text()
    assert SECRET not in shared_server.stderr()


# --- options and lifecycle ---------------------------------------------------------------------


def test_reject_invalid_answers_422(server_factory: Any) -> None:
    server = server_factory("--reject-invalid", "--quiet")
    valid, invalid = fake_events(2, seed=81)
    invalid["time"] = "yesterday"
    assert post(server, orjson.dumps(valid)).status_code == 200
    response = post(server, orjson.dumps(invalid))
    assert response.status_code == 422
    assert "/time" in [v["pointer"] for v in response.json()["violations"]]


def test_unknown_types_can_be_let_through_or_refused(server_factory: Any) -> None:
    """A producer's own event types (no contract) pass with `warn`; the default refuses."""
    event = fake_events(1, seed=83)[0]
    custom = dict(event, type="com.example.inventory.counted", id="custom-1")
    strict = server_factory("--reject-invalid", "--quiet", log_name="strict.jsonl")
    refused = post(strict, orjson.dumps(custom))
    assert refused.status_code == 422
    assert refused.json()["violations"][0]["code"] == "QEV101"
    lenient = server_factory(
        "--reject-invalid", "--unknown-types", "warn", "--quiet", log_name="lenient.jsonl"
    )
    accepted = post(lenient, orjson.dumps(custom))
    assert accepted.status_code == 200
    assert [v["severity"] for v in accepted.json()["violations"]] == ["warning"]
    broken = dict(custom, id="custom-2", specversion="0.3")  # the envelope is still checked
    assert post(lenient, orjson.dumps(broken)).status_code == 422


def test_without_a_secret_unsigned_deliveries_are_accepted(server_factory: Any) -> None:
    server = server_factory("--quiet", secret=None)
    assert "NOT checked" in server.stderr()
    event = fake_events(1, seed=91)[0]
    assert post(server, orjson.dumps(event), sign=False).status_code == 200
    assert line_for(server, id=event["id"])["signature"] == "unchecked"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_shuts_down_cleanly_after_a_live_summary(
    server_factory: Any, sig: signal.Signals
) -> None:
    server = server_factory()  # not --quiet: the live summary is on
    event = fake_events(1, seed=101)[0]
    assert post(server, orjson.dumps(event)).status_code == 200
    deadline = time.monotonic() + 10
    while "1 deliveries (1 valid)" not in server.stderr() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "1 deliveries (1 valid)" in server.stderr()  # the live summary, before the stop
    assert server.stop(sig) == 0
    assert "stopped; 1 deliveries (1 valid); 1 line(s) appended" in server.stderr()
    assert "Traceback" not in server.stderr()
    assert [line["id"] for line in server.lines()] == [event["id"]]


def test_sigterm_while_posting_loses_no_answered_delivery_and_tears_no_line(
    server_factory: Any,
) -> None:
    server = server_factory("--quiet")
    events = fake_events(3000, event_type="com.qlik.v1.app.reload.finished", seed=111)
    answered: list[str] = []
    lock = threading.Lock()
    stop_posting = threading.Event()

    def worker(chunk: list[Any]) -> None:
        with httpx.Client(timeout=5) as client:
            for event in chunk:
                if stop_posting.is_set():
                    return
                body = orjson.dumps(event)
                headers = {**QLIK_HEADERS, "Qlik-Signature": signature(body)}
                try:
                    response = client.post(server.url, content=body, headers=headers)
                except httpx.TransportError:
                    return  # the server is going away: this one was not answered
                if response.status_code == 200:
                    with lock:
                        answered.append(event["id"])

    threads = [threading.Thread(target=worker, args=(events[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while len(answered) < 150 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.stop() == 0  # SIGTERM mid-burst
    stop_posting.set()
    for thread in threads:
        thread.join(timeout=20)
    lines = server.lines()  # every line parses: none half-written
    # A body still arriving at the stop is answered 503 and logged as a bounded summary
    # without an id (docs/webhook.md: `rejected` covers "503 while stopping"): not a delivery.
    logged = [ln["id"] for ln in lines if "id" in ln]
    assert {ln["verdict"] for ln in lines if "id" not in ln} <= {"rejected", "disconnected"}
    assert len(logged) == len(set(logged))  # each delivery once
    assert set(answered) <= set(logged)  # everything answered is on disk
    assert 150 <= len(answered) < len(events)  # the stop did come mid-burst


def test_a_busy_port_is_a_one_line_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from qevcontract._cli.webhook_cmd import webhook

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            webhook,
            ["serve", "--port", str(port), "--out", str(tmp_path / "d.jsonl")],
            env={"QEV_WEBHOOK_SECRET": SECRET},
        )
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def test_an_unwritable_log_is_a_one_line_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from qevcontract._cli.webhook_cmd import webhook

    result = CliRunner().invoke(
        webhook,
        ["serve", "--port", "0", "--out", str(tmp_path / "missing-dir" / "d.jsonl")],
        env={"QEV_WEBHOOK_SECRET": SECRET},
    )
    assert result.exit_code == 2
    assert "cannot open the delivery log" in result.output
