"""`webhook serve` against a minimal Starlette app, and `webhook send` -> `serve` end to end.

    python benchmarks/bench_webhook.py                      # both sections
    python benchmarks/bench_webhook.py --skip send -n 5000 --rounds 3
    python benchmarks/bench_webhook.py --skip compare,send --profile

compare: the same burst of N signed events (~970 B, every documented type in turn) is posted
by a plain asyncio client (pre-built requests, keep-alive, concurrency 50: as little client
CPU as possible, so the server is what is measured) to, in turn: a minimal Starlette app on
uvicorn that only appends each body to a file (the baseline), `webhook serve` (signature
check and validation on, fsync on: the default) and `webhook serve --no-fsync`. Rounds
alternate the three, so the machine's noise hits all of them; the figures are medians, as a
ratio to the baseline of the same run, with the server's CPU per delivery (from /proc): on a
shared machine the throughput ratio swings with the load, the CPU ratio much less. The last
lines hold both ratios, per round, against the issue's target (serve >= 0.7x the baseline).

send: starts `qevcontract webhook serve`, warms it up (each event type once, so every
contract is compiled), posts a burst with the library sender (`webhook.sender.send`, httpx)
and reports deliveries/s, latency and the CPU each side spent per delivery. Then it stops
the server with SIGTERM and checks the log: every line parses, and every delivery that was
answered is there exactly once (count and ids). Exits 1 if that check fails.

--profile: one burst against `serve --no-fsync` under cProfile; the functions that took
the most time. (Wall time: a syscall's figure includes the time the process waited.)

Client and server share this machine's cores, so the figures are for both together.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from qevcontract.generate import Generator
from qevcontract.webhook._sender import Outgoing, send
from qevcontract.webhook._signature import Secret, sign

SECRET = "bench-secret-0123456789abcdefghijkl"  # 35 characters, used nowhere else
_ENTRY = (
    "import sys\n"
    "from qevcontract._cli import cli, main\n"
    "if 'webhook' in cli.commands:\n"
    "    main(sys.argv[1:])\n"
    "else:\n"
    "    from qevcontract._cli.webhook_cmd import webhook\n"
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


# The baseline: what any receiver must do at least (read the body, append it, answer 200).
BASELINE = r"""
import os, socket, sys
import uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

fd = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

async def receive(request):
    os.write(fd, await request.body() + b"\n")
    return Response(status_code=200)

app = Starlette(routes=[Route("/{path:path}", receive, methods=["POST"])])
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
sock.listen(2048)
sys.stderr.write("listening on http://127.0.0.1:%d/\n" % sock.getsockname()[1])
sys.stderr.flush()
config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
uvicorn.Server(config).run(sockets=[sock])
"""


def start_server(
    log: Path,
    fsync: bool,
    *,
    baseline: bool = False,
    profile: Path | None = None,
    source: str | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """Start a server; `source`: a `src` folder whose qevcontract it runs instead of this."""
    err_path = log.with_suffix(".stderr")
    env = {**os.environ, "QEV_WEBHOOK_SECRET": SECRET}
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))
    args = ["serve", "--port", "0", "--out", str(log), "--quiet"]
    args.append("--fsync" if fsync else "--no-fsync")
    command = [sys.executable, "-c", _ENTRY, "webhook", *args]
    if profile is not None:
        script = log.with_suffix(".entry.py")
        script.write_text(_ENTRY)
        command = [sys.executable, "-m", "cProfile", "-o", str(profile), str(script)]
        command += ["webhook", *args]
    if baseline:
        command = [sys.executable, "-c", BASELINE, str(log)]
    with err_path.open("wb") as err:
        process = subprocess.Popen(
            command,
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


# --- compare: serve against the baseline, with a client that costs little ------------------


def raw_requests(events: list[dict[str, Any]], secret: Secret) -> list[bytes]:
    """Each delivery as the exact bytes of an HTTP/1.1 request, signed, built beforehand."""
    out = []
    for event in events:
        body = orjson.dumps(event)
        head = (
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Qlik Webhook\r\n"
            f"Content-Type: application/json\r\nQlik-Signature: {sign(body, secret)}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        out.append(head.encode() + body)
    return out


async def blast(port: int, requests: list[bytes], concurrency: int) -> tuple[float, dict[int, int]]:
    """Post every request over `concurrency` keep-alive connections; (seconds, statuses)."""
    pending = iter(requests)
    statuses: dict[int, int] = {}

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for request in pending:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            statuses[status] = statuses.get(status, 0) + 1
            length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            await reader.readexactly(int(length.group(1)) if length else 0)
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - began, statuses


def run_blast(port: int, requests: list[bytes], concurrency: int) -> tuple[float, dict[int, int]]:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(blast(port, requests, concurrency))
    return uvloop.run(blast(port, requests, concurrency))


def one_server(
    kind: str,
    burst: list[bytes],
    warmup: list[bytes],
    concurrency: int,
    tmp: Path,
    other: str | None = None,
) -> tuple[float, float]:
    """(deliveries/s, server CPU ms per delivery) for one server kind, started afresh."""
    log = tmp / f"{kind}-{time.monotonic_ns()}.jsonl"
    fsync = kind in ("serve", "serve@other")
    source = other if kind == "serve@other" else None
    process, url = start_server(log, fsync, baseline=kind == "baseline", source=source)
    port = int(url.rsplit(":", 1)[1].strip("/"))
    try:
        run_blast(port, warmup, concurrency)
        cpu = cpu_seconds(process.pid)
        elapsed, statuses = run_blast(port, burst, concurrency)
        cpu = cpu_seconds(process.pid) - cpu
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    if statuses != {200: len(burst)}:
        sys.exit(f"{kind}: expected {len(burst)} answers 200, got {statuses}")
    log.unlink()
    return len(burst) / elapsed, cpu / len(burst) * 1e3


def compare(options: argparse.Namespace, secret: Secret) -> None:
    burst = raw_requests(make_events(options.n, seed=options.seed), secret)
    warmup = raw_requests(make_events(options.warmup, seed=options.seed + 1000), secret)
    kinds: tuple[str, ...] = ("baseline", "serve", "serve-no-fsync")
    if options.other is not None:
        kinds += ("serve@other",)
        print(f"  serve@other: serve (fsync) from {options.other}")
    figures: dict[str, list[tuple[float, float]]] = {kind: [] for kind in kinds}
    print(
        f"compare: {options.n} deliveries a run, concurrency {options.compare_concurrency}, "
        f"plain asyncio client, {options.rounds} round(s); load average "
        f"{os.getloadavg()[0]:.2f} at the start"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(1, options.rounds + 1):
            for kind in kinds:
                rate, cpu = one_server(
                    kind, burst, warmup, options.compare_concurrency, Path(tmp), options.other
                )
                figures[kind].append((rate, cpu))
                print(
                    f"  round {round_}  {kind:15} {rate:7,.0f}/s  server CPU {cpu:.3f} ms/delivery"
                )
    base_rate = statistics.median(r for r, _ in figures["baseline"])
    base_cpu = statistics.median(c for _, c in figures["baseline"])
    for kind in kinds:
        rates = [r for r, _ in figures[kind]]
        cpus = [c for _, c in figures[kind]]
        print(
            f"  median  {kind:15} {statistics.median(rates):7,.0f}/s = "
            f"{statistics.median(rates) / base_rate:.2f}x baseline; server CPU "
            f"{statistics.median(cpus):.3f} ms/delivery = {statistics.median(cpus) / base_cpu:.2f}x"
        )
    print(f"  target: serve >= {TARGET:.1f}x the baseline's throughput (ratios per round)")
    for kind in kinds[1:]:
        rate_ratios = _ratios(figures[kind], figures["baseline"], 0)
        cpu_ratios = _ratios(figures[kind], figures["baseline"], 1)
        met = sum(r >= TARGET for r in rate_ratios)
        print(
            f"  {kind:15} throughput {_spread(rate_ratios)} (>= {TARGET:.1f}x in {met} of "
            f"{len(rate_ratios)}); server CPU per delivery {_spread(cpu_ratios)}"
        )
    print(f"  load average {os.getloadavg()[0]:.2f} at the end")


TARGET = 0.7  # issue 16: serve's throughput against the baseline's, in the same run


def _ratios(
    figures: list[tuple[float, float]], baseline: list[tuple[float, float]], which: int
) -> list[float]:
    """Each round's figure over the baseline's of the same round."""
    return [f[which] / b[which] for f, b in zip(figures, baseline, strict=True)]


def _spread(ratios: list[float]) -> str:
    return (
        f"median {statistics.median(ratios):.2f}x (range {min(ratios):.2f}-{max(ratios):.2f}x: "
        + ", ".join(f"{x:.2f}" for x in ratios)
        + ")"
    )


def profile(options: argparse.Namespace, secret: Secret) -> None:
    import pstats

    burst = raw_requests(make_events(options.n, seed=options.seed), secret)
    warmup = raw_requests(make_events(options.warmup, seed=options.seed + 1000), secret)
    with tempfile.TemporaryDirectory() as tmp:
        log, out = Path(tmp) / "d.jsonl", Path(tmp) / "serve.prof"
        process, url = start_server(log, False, profile=out)
        port = int(url.rsplit(":", 1)[1].strip("/"))
        try:
            run_blast(port, warmup, options.compare_concurrency)
            run_blast(port, burst, options.compare_concurrency)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        print(f"profile: serve --no-fsync, {options.n} deliveries (+{options.warmup} warm-up)")
        pstats.Stats(str(out)).sort_stats("tottime").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10_000, help="deliveries in a burst")
    parser.add_argument("--concurrency", type=int, default=16, help="the sender's (send)")
    parser.add_argument(
        "--compare-concurrency", type=int, default=50, help="the plain client's (compare)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="compare: rounds of 3 servers")
    parser.add_argument("--warmup", type=int, default=400)
    parser.add_argument(
        "--no-fsync", dest="fsync", action="store_false", help="send: serve --no-fsync"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip", default="", help="comma-separated: compare, send")
    parser.add_argument("--profile", action="store_true", help="profile serve (see above)")
    parser.add_argument(
        "--other",
        metavar="SRC",
        help="compare: also run serve from another checkout's src folder in each round "
        "(before/after a change, in the same run)",
    )
    options = parser.parse_args()
    skip = set(filter(None, options.skip.split(",")))

    secret = Secret.from_text(SECRET)
    if "compare" not in skip:
        compare(options, secret)
    if options.profile:
        profile(options, secret)
    return 0 if "send" in skip else send_section(options, secret)


def send_section(options: argparse.Namespace, secret: Secret) -> int:
    """`webhook send` -> `serve`: throughput, latency, CPU, and the log checked."""
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
