"""A real `webhook serve` in a subprocess on a free loopback port, and helpers to talk to it.

The server picks its own port (`--port 0`) and announces it on stderr, so there is no race
between finding a free port and binding it. Every server is stopped with SIGTERM (then
killed, if it ignores that) when its test ends.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

SECRET = "kx7Qw2LmP9vR4tZ8bN3cF6hJ1dS5gA0e"  # 32 characters, made up for the tests
SECRET_ENV = "QEV_WEBHOOK_SECRET"
_LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:(\d+)/)")

# Runs the `webhook` group whether or not the lead has registered it under `qevcontract`.
_ENTRY = (
    "import sys\n"
    "from qevcontract._cli import cli, main\n"
    "if 'webhook' in cli.commands:\n"
    "    main(sys.argv[1:])\n"
    "else:\n"
    "    from qevcontract._cli.webhook_cmd import webhook\n"
    "    webhook.main(sys.argv[2:], prog_name='qevcontract webhook')\n"
)


def qevcontract_command(*args: str) -> list[str]:
    """The argv that runs `qevcontract webhook ARGS...` with this interpreter."""
    return [sys.executable, "-c", _ENTRY, "webhook", *args]


def environment(secret: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != SECRET_ENV}
    if secret is not None:
        env[SECRET_ENV] = secret
    return env


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    port: int
    log: Path
    stderr_path: Path

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        """Send `sig`, wait for the exit; its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
            raise

    def lines(self) -> list[dict[str, Any]]:
        """Every line of the delivery log, parsed (fails the test on a broken line)."""
        raw = self.log.read_bytes()
        assert raw == b"" or raw.endswith(b"\n"), "the log ends inside a line"
        return [orjson.loads(line) for line in raw.splitlines()]

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")


def start_server(
    tmp_path: Path, *args: str, secret: str | None = SECRET, log_name: str = "deliveries.jsonl"
) -> Server:
    """Start `webhook serve --port 0` with ARGS; return once it listens."""
    log = tmp_path / log_name
    stderr_path = tmp_path / f"{log_name}.stderr"
    with stderr_path.open("wb") as err:
        process = subprocess.Popen(
            qevcontract_command("serve", "--port", "0", "--out", str(log), *args),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=environment(secret),
            cwd=tmp_path,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = _LISTENING.search(stderr_path.read_text(errors="replace"))
        if found:
            return Server(process, found.group(1), int(found.group(2)), log, stderr_path)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    process.wait(timeout=5)
    pytest.fail(f"the server did not start: {stderr_path.read_text(errors='replace')}")


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Any]:
    """`start(*args, secret=...)` starts a server that is stopped after the test."""
    started: list[Server] = []

    def start(*args: str, secret: str | None = SECRET, log_name: str = "d.jsonl") -> Server:
        server = start_server(tmp_path, *args, secret=secret, log_name=log_name)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.stop()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One signed-delivery server for the tests that only post and read (faster)."""
    server = start_server(tmp_path_factory.mktemp("shared-server"))
    yield server
    if server.process.poll() is None:
        server.stop()
