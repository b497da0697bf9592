"""`webhook send` against `webhook serve` on loopback: throughput, latency, nothing lost.

    python benchmarks/bench_webhook.py [-n 10000] [--concurrency 16] [--no-fsync] [--warmup 400]

Starts `qevcontract webhook serve` in a subprocess (signature check on: a secret is set;
validation on; the delivery log in a temporary directory), warms it up (each event type
once, so every contract is compiled), then posts a burst of N signed fake events with the
library sender (`qevcontract.webhook.sender.send`) and reports deliveries/s, p50/p90/p99
latency and the CPU each side spent per delivery. Then it stops the server with SIGTERM and
checks the log: every line parses, and every delivery that was answered is there exactly
once (count and ids). Exits 1 if that check fails.

Client and server share this machine's cores, so the figures are for both together.
Target: at least 1,000 deliveries/s.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from qevcontract.generate import Generator
from qevcontract.webhook.sender import Outgoing, send
from qevcontract.webhook.signature import Secret

SECRET = "bench-secret-0123456789abcdefghijkl"  # 35 characters, used nowhere else
_ENTRY = (
    "import sys\n"
    "from qevcontract.cli import cli, main\n"
    "if 'webhook' in cli.commands:\n"
    "    main(sys.argv[1:])\n"
    "else:\n"
    "    from qevcontract.cli.webhook_cmd import webhook\n"
    "    webhook.main(sys.argv[2:], prog_name='qevcontract webhook')\n"
)


def make_events(n: int, seed: int) -> list[dict[str, Any]]:
    """N valid events, the documented types taking turns, ids unique."""
    generator = Generator()
    types = [t for t in generator.catalog.types if generator.catalog.entry(t).payload_documented]
    per_type = -(-n // len(types))
    streams = [
        iter(list(generator.bulk.events(t, per_type, seed=seed, label=False))) for t in types
    ]
    events = [next(streams[i % len(types)]) for i in range(n)]
    for i, event in enumerate(events):
        event["id"] = f"{seed}-{i:07d}-{event['id']}"
    return events


def start_server(log: Path, fsync: bool) -> tuple[subprocess.Popen[bytes], str]:
    err_path = log.with_suffix(".stderr")
    env = {**os.environ, "QEV_WEBHOOK_SECRET": SECRET}
    args = ["serve", "--port", "0", "--out", str(log), "--quiet"]
    args.append("--fsync" if fsync else "--no-fsync")
    with err_path.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-c", _ENTRY, "webhook", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(r"listening on (http://\S+/)", err_path.read_text())
        if found:
            return process, found.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    sys.exit(f"the server did not start: {err_path.read_text()}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def deliveries(events: list[dict[str, Any]]) -> list[Outgoing]:
    return [Outgoing(e["id"], orjson.dumps(e), True) for e in events]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10_000, help="deliveries in the burst")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=400)
    parser.add_argument(
        "--no-fsync", dest="fsync", action="store_false", help="serve --no-fsync (flush only)"
    )
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()

    secret = Secret.from_text(SECRET)
    warmup = make_events(options.warmup, seed=options.seed + 1000)
    burst = make_events(options.n, seed=options.seed)
    mean_size = sum(len(orjson.dumps(e)) for e in burst[:1000]) / min(1000, len(burst))
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "deliveries.jsonl"
        process, url = start_server(log, options.fsync)
        try:
            send(url, deliveries(warmup), secret=secret, concurrency=options.concurrency)
            server_cpu = cpu_seconds(process.pid)
            client_cpu = time.process_time()
            report = send(url, deliveries(burst), secret=secret, concurrency=options.concurrency)
            client_cpu = time.process_time() - client_cpu
            server_cpu = cpu_seconds(process.pid) - server_cpu
        finally:
            process.send_signal(signal.SIGTERM)
            exit_code = process.wait(timeout=60)
        raw = log.read_bytes()
        lines = [orjson.loads(line) for line in raw.splitlines()]  # raises on a torn line

    ids = [line.get("id") for line in lines]
    sent_ids = {e["id"] for e in warmup} | {e["id"] for e in burst}
    answered = report.answered + len(warmup)
    checks = {
        "server exited 0 on SIGTERM": exit_code == 0,
        "log ends on a whole line": raw.endswith(b"\n"),
        "every burst delivery answered 200": report.statuses == {200: options.n},
        "lines == answered deliveries": len(lines) == answered,
        "each id exactly once": len(ids) == len(set(ids)) and set(ids) == sent_ids,
        "every line valid and signed": all(
            line["verdict"] == "valid" and line["signature"] == "valid" for line in lines
        ),
    }
    figures = report.as_dict()
    latency = figures["latency_ms"]
    stacks = [m for m in ("uvloop", "httptools") if _importable(m)]
    print(
        f"webhook send -> serve, loopback, {options.n} deliveries (+{options.warmup} warm-up), "
        f"concurrency {options.concurrency}, ~{mean_size:.0f} B events, signature + "
        f"validation on, log {'fsync' if options.fsync else 'flush'}; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end; "
        f"speedups installed: {', '.join(stacks) or 'none'}"
    )
    print(f"  throughput  {report.per_second:,.0f} deliveries/s ({report.elapsed:.2f} s)")
    print(
        f"  latency     p50 {latency['p50']:.2f} ms  p90 {latency['p90']:.2f} ms  "
        f"p99 {latency['p99']:.2f} ms  max {latency['max']:.2f} ms"
    )
    print(
        f"  cpu         server {server_cpu / options.n * 1e3:.3f} ms/delivery, "
        f"client {client_cpu / options.n * 1e3:.3f} ms/delivery"
    )
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'}        {name}")
    return 0 if all(checks.values()) else 1


def _importable(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
