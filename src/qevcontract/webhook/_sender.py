"""`webhook send`: post events to a consumer the way a Qlik Cloud webhook does, and time it.

Each delivery is one POST of one event with Qlik's headers, signed over the exact bytes
sent. Posts go out from `concurrency` workers sharing a keep-alive connection pool, paced
to `rate` deliveries a second if asked. Nothing is retried: the report says what the
consumer answered to each delivery, so a flaky consumer shows as such.

Only `webhook send` (and the benchmark) import this module: httpx is not light.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._signature import SIGNATURE_HEADER, Secret, sign

__all__ = [
    "QLIK_HEADERS",
    "Outgoing",
    "SendError",
    "SendReport",
    "check_url",
    "post_all",
    "send",
    "serve_log_id",
]

# What a Qlik Cloud webhook sends besides the signature (and Host / Content-Length).
QLIK_HEADERS = {"User-Agent": "Qlik Webhook", "Content-Type": "application/json"}
_MAX_LISTED = 10  # rejected deliveries named one by one in the report


class SendError(Exception):
    """Sending cannot go on (the consumer is unreachable, the URL is wrong): one line."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One delivery to make, or an input record that could not be read (`problem`)."""

    label: str  # where it came from, for messages: "events.jsonl:12", "com.qlik.app.created#3"
    body: bytes = b""
    locally_valid: bool | None = None  # None: not checked
    problem: str | None = None  # set for unreadable input: nothing is sent


@dataclass(slots=True)
class SendReport:
    """What happened to every delivery: answered (by status) or failed (by error kind)."""

    url: str
    concurrency: int = 1
    rate: float | None = None
    sent: int = 0  # deliveries attempted
    answered: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # "label: reason"
    rejected_valid: int = 0  # locally valid events the consumer answered with non-2xx
    rejected_examples: list[str] = field(default_factory=list)
    latencies: array[float] = field(default_factory=lambda: array("d"))  # seconds
    elapsed: float = 0.0

    def percentile(self, p: float) -> float | None:
        """Nearest-rank percentile of the latencies, in seconds (None if nothing answered)."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        rank = min(len(ordered), max(1, math.ceil(p / 100 * len(ordered))))
        return ordered[rank - 1]

    @property
    def per_second(self) -> float:
        """Answered deliveries a second: one that got no answer was not delivered."""
        return self.answered / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    @property
    def succeeded(self) -> int:
        """Deliveries answered 2xx."""
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    def as_dict(self) -> dict[str, Any]:
        def ms(value: float | None) -> float | None:
            return None if value is None else round(value * 1000, 3)

        return {
            "url": self.url,
            "sent": self.sent,
            "answered": self.answered,
            "failed": self.failed,
            "unreadable": len(self.unreadable),
            "succeeded": self.succeeded,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": dict(sorted(self.errors.items())),
            "rejected_valid": self.rejected_valid,
            "elapsed_s": round(self.elapsed, 6),
            "per_second": round(self.per_second, 1),
            "concurrency": self.concurrency,
            "rate": self.rate,
            "latency_ms": {
                "p50": ms(self.percentile(50)),
                "p90": ms(self.percentile(90)),
                "p99": ms(self.percentile(99)),
                "max": ms(max(self.latencies) if self.latencies else None),
            },
        }


def check_url(url: str) -> str:
    """`url` if it is an absolute http(s) URL, else SendError saying what is wrong."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise SendError(f"{url}: not a valid URL ({exc})") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise SendError(f"{url}: expected an http:// or https:// URL with a host")
    return url


async def post_all(
    url: str,
    items: Iterable[Outgoing],
    *,
    secret: Secret | None = None,
    concurrency: int = 8,
    rate: float | None = None,
    timeout: float = 10.0,
    on_unreadable: Callable[[Outgoing], None] | None = None,
    on_done: Callable[[], None] | None = None,
) -> SendReport:
    """Post every item; return the report. Raises SendError if the consumer is unreachable.

    Each worker owns one keep-alive connection (an httpx transport of its own): a shared
    pool costs about twice the CPU per request under concurrency, and the sender shares the
    machine with the consumer it measures.
    """
    report = SendReport(url=url, concurrency=concurrency, rate=rate)
    target = httpx.URL(url)
    # One TLS context for all workers: building one loads the CA bundle (tens of ms each).
    tls = httpx.create_ssl_context() if target.scheme == "https" else False
    extensions = {"timeout": httpx.Timeout(timeout).as_dict()}
    source = iter(items)
    numbering = itertools.count()
    start = time.perf_counter()

    async def worker() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncHTTPTransport(verify=tls, limits=limits) as transport:
            for item in source:
                if item.problem is not None:
                    report.unreadable.append(f"{item.label}: {item.problem}")
                    if on_unreadable is not None:
                        on_unreadable(item)
                    continue
                if rate:
                    delay = start + next(numbering) / rate - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                headers = dict(QLIK_HEADERS)
                if secret is not None:
                    headers[SIGNATURE_HEADER] = sign(item.body, secret)
                request = httpx.Request(
                    "POST", target, content=item.body, headers=headers, extensions=extensions
                )
                await _deliver(transport, request, item, report)
                if on_done is not None:
                    on_done()

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(worker())
    except* SendError as failure:
        raise failure.exceptions[0] from None
    report.elapsed = time.perf_counter() - start
    return report


def send(url: str, items: Iterable[Outgoing], **options: Any) -> SendReport:
    """`post_all` from synchronous code (on uvloop when it is installed: less CPU a post)."""
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        return runner.run(post_all(url, items, **options))


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:
        return None
    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return factory


async def _deliver(
    transport: httpx.AsyncHTTPTransport,
    request: httpx.Request,
    item: Outgoing,
    report: SendReport,
) -> None:
    report.sent += 1
    began = time.perf_counter()
    try:
        response = await transport.handle_async_request(request)
        try:
            await response.aread()
        finally:
            await response.aclose()
    except httpx.ConnectError as exc:
        if report.answered == 0:
            raise SendError(f"cannot connect to {request.url}: {_reason(exc)}") from None
        _count(report.errors, "connect error")
        return
    except httpx.TimeoutException:
        _count(report.errors, "timeout")
        return
    except httpx.TransportError as exc:
        _count(report.errors, type(exc).__name__)
        return
    report.latencies.append(time.perf_counter() - began)
    report.answered += 1
    _count(report.statuses, response.status_code)
    if not response.is_success and item.locally_valid:
        report.rejected_valid += 1
        if len(report.rejected_examples) < _MAX_LISTED:
            report.rejected_examples.append(f"{item.label}: {response.status_code}")


def serve_log_id(url: str, timeout: float = 2.0) -> str | None:
    """The `log_id` a `webhook serve` at `url` shows on /healthz; None for anything else.

    Any failure (not reachable, not JSON, no such field) is None: the caller only wants to
    know whether it is about to feed a server its own log.
    """
    target = httpx.URL(url).copy_with(path="/healthz", query=None, fragment=None)
    try:
        response = httpx.get(target, timeout=timeout, follow_redirects=False)
        found = response.json().get("log_id") if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def _count(counts: dict[Any, int], key: Any) -> None:
    counts[key] = counts.get(key, 0) + 1


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    if "refused" in text.lower() or "all connection attempts failed" in text.lower():
        return "connection refused (is the consumer running on that port?)"
    return text
