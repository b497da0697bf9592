"""`qevcontract webhook sign | verify | send` through click, against a real server."""

from __future__ import annotations

import hashlib
import hmac
import os
import socket
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner, Result

from qevcontract._cli.webhook_cmd import webhook
from qevcontract.generate import Generator

from .conftest import SECRET, SECRET_ENV, Server


def run(*args: str, secret: str | None = SECRET, stdin: bytes | None = None) -> Result:
    env = {SECRET_ENV: secret} if secret is not None else {SECRET_ENV: ""}
    return CliRunner().invoke(webhook, list(args), env=env, input=stdin)


def expected_signature(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def body_file(tmp_path: Path) -> Path:
    path = tmp_path / "body.json"
    path.write_bytes(b'{"specversion": "1.0", "id": "e-1"}\n')
    return path


# --- sign / verify -----------------------------------------------------------------------------


def test_sign_prints_the_hmac_of_the_exact_bytes(body_file: Path) -> None:
    result = run("sign", str(body_file))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == expected_signature(body_file.read_bytes())  # newline too


def test_sign_reads_standard_input() -> None:
    result = run("sign", "-", stdin=b'{"a":1}')
    assert result.output.strip() == expected_signature(b'{"a":1}')


def test_sign_with_a_secret_file(tmp_path: Path, body_file: Path) -> None:
    other = "Pq9" * 11  # 33 characters
    secret_file = tmp_path / "secret"
    secret_file.write_text(other + "\n")
    secret_file.chmod(0o600)
    result = run("sign", str(body_file), "--secret-file", str(secret_file), secret=None)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == expected_signature(body_file.read_bytes(), other)
    assert result.stderr == ""  # a private file: no warning


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_secret_file_others_can_read_is_warned_about_in_one_line(
    tmp_path: Path, body_file: Path, mode: int
) -> None:
    other = "Zr4" * 11
    secret_file = tmp_path / "secret"
    secret_file.write_text(other + "\n")
    secret_file.chmod(mode)
    result = run("sign", str(body_file), "--secret-file", str(secret_file), secret=None)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == expected_signature(body_file.read_bytes(), other)
    assert result.stderr.count("\n") == 1 and "warning" in result.stderr
    assert str(secret_file) in result.stderr and f"{mode:04o}" in result.stderr
    assert other not in result.stderr and other not in result.stdout


def test_no_secret_is_a_usage_error(body_file: Path) -> None:
    result = run("sign", str(body_file), secret=None)
    assert result.exit_code == 2
    assert "no webhook secret" in result.output and SECRET_ENV in result.output


def test_a_short_secret_is_refused_without_being_printed(body_file: Path) -> None:
    result = run("sign", str(body_file), secret="hunter2-but-longer")
    assert result.exit_code == 2
    assert "32 to 64 characters" in result.output
    assert "hunter2" not in result.output


def test_the_secret_cannot_be_given_as_an_argument(body_file: Path) -> None:
    result = run("sign", str(body_file), "--secret", SECRET)
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_a_missing_body_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = run("sign", str(tmp_path / "absent.json"))
    assert result.exit_code == 2
    assert "cannot read" in result.output and "Traceback" not in result.output


def test_verify_exit_codes(body_file: Path) -> None:
    good = expected_signature(body_file.read_bytes())
    ok = run("verify", str(body_file), "--signature", good)
    assert ok.exit_code == 0 and "valid" in ok.output
    wrong = run("verify", str(body_file), "--signature", good[::-1])
    assert wrong.exit_code == 1 and "does not match" in wrong.output
    malformed = run("verify", str(body_file), "--signature", "abc")
    assert malformed.exit_code == 2 and "64 hex digits" in malformed.output
    for result in (ok, wrong, malformed):
        assert SECRET not in result.output


# --- send --------------------------------------------------------------------------------------


def send(server: Server, *args: str, secret: str | None = SECRET) -> Result:
    return run("send", server.url, *args, secret=secret)


def test_send_fake_events_end_to_end(shared_server: Server) -> None:
    before = len(shared_server.lines())
    result = send(shared_server, "--fake", "com.qlik.app.created", "-n", "20", "--seed", "5")
    assert result.exit_code == 0, result.output
    assert "200: 20" in result.output
    new = shared_server.lines()[before:]
    assert len(new) == 20
    assert {ln["signature"] for ln in new} == {"valid"}
    assert {ln["verdict"] for ln in new} == {"valid"}
    # Headers exactly as a Qlik webhook sends them (plus what HTTP itself needs).
    assert set(new[0]["headers"]) == {
        "host",
        "content-length",
        "user-agent",
        "content-type",
        "qlik-signature",
    }
    assert new[0]["headers"]["user-agent"] == "Qlik Webhook"
    assert new[0]["headers"]["content-type"] == "application/json"
    # The events are the generator's, unchanged.
    generated = list(Generator().bulk.events("com.qlik.app.created", 20, seed=5, label=False))
    assert sorted(ln["id"] for ln in new) == sorted(e["id"] for e in generated)


def test_send_json_report(shared_server: Server) -> None:
    result = send(shared_server, "--fake", "com.qlik.app.created", "-n", "5", "--json")
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.output)
    assert report["sent"] == 5 and report["answered"] == 5 and report["statuses"] == {"200": 5}
    latency = report["latency_ms"]
    assert 0 < latency["p50"] <= latency["p90"] <= latency["p99"] <= latency["max"]


def test_send_recorded_events_reports_unreadable_lines(
    shared_server: Server, tmp_path: Path
) -> None:
    events = list(Generator().bulk.events("com.qlik.app.created", 3, seed=7, label=False))
    path = tmp_path / "recorded.jsonl"
    lines = [orjson.dumps(e) for e in events]
    path.write_bytes(lines[0] + b"\n" + b'{"broken": \n' + lines[1] + b"\n" + lines[2] + b"\n")
    before = len(shared_server.lines())
    result = send(shared_server, str(path))
    assert result.exit_code == 1
    assert f"{path}:2: unreadable" in result.output
    assert "200: 3" in result.output
    assert len(shared_server.lines()) - before == 3


def test_send_paces_deliveries_with_rate(shared_server: Server) -> None:
    result = send(
        shared_server, "--fake", "com.qlik.app.created", "-n", "10", "--rate", "50", "--json"
    )
    report = orjson.loads(result.output)
    assert report["sent"] == 10
    assert report["elapsed_s"] >= 9 / 50 * 0.95  # the 10th may leave 9/50 s after the first


def test_fail_on_status_fails_when_a_valid_event_is_rejected(server_factory: Any) -> None:
    # The strict server refuses this type (the docs leave its payload open): locally valid,
    # remotely 422.
    server = server_factory("--strict", "--quiet")
    args = ["--fake", "com.qlik.v1.role.created", "--fake", "com.qlik.app.created", "-n", "3"]
    lenient = send(server, *args)  # some accepted: without --fail-on-status, a pass
    assert lenient.exit_code == 0, lenient.output
    assert "200: 3, 422: 3" in lenient.output
    strict = send(server, *args, "--fail-on-status")
    assert strict.exit_code == 1
    assert "3 valid event(s) rejected" in strict.output


def test_fail_on_status_counts_a_wrong_secret(shared_server: Server) -> None:
    result = send(
        shared_server, "--fake", "com.qlik.app.created", "-n", "2", "--fail-on-status",
        secret="W" * 40,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "401: 2" in result.output


@pytest.mark.parametrize("envelope", ["legacy", "hybrid", "cloudevents"])
def test_send_in_each_envelope(shared_server: Server, envelope: str) -> None:
    before = len(shared_server.lines())
    result = send(
        shared_server, "--fake", "com.qlik.app.created", "-n", "3", "--seed", "9",
        "--envelope", envelope,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    new = shared_server.lines()[before:]
    assert [ln["envelope"] for ln in new] == [envelope] * 3
    generated = list(Generator().bulk.events("com.qlik.app.created", 3, seed=9, label=False))
    assert sorted(orjson.dumps(ln["event"]["data"]) for ln in new) == sorted(
        orjson.dumps(e["data"]) for e in generated
    )  # the payload is the same whatever the envelope


def test_send_to_a_port_nobody_listens_on(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("send", f"http://127.0.0.1:{port}/", "--fake", "com.qlik.app.created")
    assert result.exit_code == 2
    assert "cannot connect" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ftp://example.invalid/", "--fake", "com.qlik.app.created"], "http:// or https://"),
        (["http://127.0.0.1:9/"], "give PATHS"),
        (["http://127.0.0.1:9/", "x.jsonl", "--fake", "com.qlik.app.created"], "not both"),
        (["http://127.0.0.1:9/", "--fake", "com.qlik.app.creatd"], "com.qlik.app.created"),
        (["http://127.0.0.1:9/", "no-such-file.jsonl"], "no such file"),
    ],
)
def test_send_usage_errors(args: list[str], message: str) -> None:
    result = run("send", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_percentiles_are_nearest_rank() -> None:
    from qevcontract.webhook._sender import SendReport

    report = SendReport(url="u")
    assert report.percentile(50) is None
    for ms in range(1, 101):  # 1..100 in reverse order
        report.latencies.append((101 - ms) / 1000)
    assert report.percentile(50) == 0.050
    assert report.percentile(99) == 0.099
    assert report.percentile(100) == 0.100
    single = SendReport(url="u")
    single.latencies.append(0.007)
    assert single.percentile(1) == single.percentile(99) == 0.007


def test_send_fake_of_a_type_the_generator_cannot_serve_is_a_one_line_error(
    tmp_path: Path,
) -> None:
    import json
    import shutil

    contracts = tmp_path / "contracts"
    shutil.copytree(Path(__file__).resolve().parents[2] / "contracts", contracts)
    target = contracts / "apps" / "com.qlik.app.created.schema.json"
    schema = json.loads(target.read_text())
    schema["properties"]["data"]["oneOf"] = [{"required": ["id"]}, {"required": ["name"]}]
    target.write_text(json.dumps(schema))
    result = run(
        "send", "http://127.0.0.1:9/", "--fake", "com.qlik.app.*", "--contracts", str(contracts)
    )
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.count("\n") == 1 and "internal error" not in result.stderr
    assert "com.qlik.app.created: /data: keyword 'oneOf' is not supported" in result.stderr
