"""The shape of one delivery-log line, and of the JSON answer `webhook serve` gives.

Both say the same thing (the log with more context), so they are built from one `Outcome`.
The line format is documented in docs/webhook.md; change both together.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import orjson

from ..validate._results import EventResult, Violation

__all__ = [
    "REDACTED_HEADERS",
    "SUMMARY_BODY_BYTES",
    "SUMMARY_HEADERS",
    "SUMMARY_HEADER_CHARS",
    "SUMMARY_PATH_CHARS",
    "Outcome",
    "Verdict",
    "delivery_line",
    "loggable_headers",
    "response_body",
]

Verdict = Literal["valid", "invalid", "unreadable", "rejected", "disconnected", "error"]

# Credentials a client may send that have no business in a log file. `Qlik-Signature` is
# kept: it is derived from the body and does not reveal the secret.
REDACTED_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-api-key", "x-auth-token"}
)

# A request refused for its signature comes from someone without the secret: its line is a
# bounded summary (a flood of them must not grow the log by what they send). At most:
SUMMARY_BODY_BYTES = 64  # the first bytes of the body, as text
SUMMARY_HEADERS = 20  # header fields, in the order received
SUMMARY_HEADER_CHARS = 64  # characters of each header name and value
SUMMARY_PATH_CHARS = 256  # characters of the path (a request line may be 16 KB)


@dataclass(slots=True)
class Outcome:
    """Everything known about one delivery once it is decided."""

    verdict: Verdict
    status: int | None  # the HTTP status answered; None when the client went away first
    signature: str  # valid / missing / malformed / mismatch, or "unchecked" (no secret)
    size: int  # body bytes received
    reason: str | None = None  # one line, for anything but valid / invalid
    event: dict[str, Any] | None = None
    body: bytes | None = None  # kept (as text) when the body could not be read as an event
    result: EventResult | None = None
    event_json: bytes | None = None  # `event` as compact JSON, when the body already was


def _violation(v: Violation) -> dict[str, Any]:
    return {
        "pointer": v.pointer,
        "message": v.message,
        "code": v.code,
        "rule": v.rule,
        "keyword": v.keyword,
        "severity": v.severity,
    }


def _common(outcome: Outcome) -> dict[str, Any]:
    out: dict[str, Any] = {"verdict": outcome.verdict}
    if outcome.reason is not None:
        out["reason"] = outcome.reason
    result = outcome.result
    if result is not None and outcome.event is not None:
        out["envelope"] = result.envelope
        out["id"] = result.event_id
        out["type"] = result.event_type
        out["contract"] = result.contract
        out["violations"] = [_violation(v) for v in result.violations]
    return out


def remote_address(client: tuple[str, int] | None) -> str | None:
    """A client as the delivery log shows it ("host:port"), or None when unknown."""
    return f"{client[0]}:{client[1]}" if client else None


def response_body(outcome: Outcome) -> bytes:
    """The JSON answer to the sender: the verdict and, for events, what is wrong."""
    return orjson.dumps(_common(outcome))


def delivery_line(
    outcome: Outcome,
    *,
    seq: int,
    received: datetime | float,
    remote: str | None,
    method: str,
    target: str,
    headers: dict[str, str],
    summarize: bool = False,
    verdict: bytes | None = None,
) -> bytes:
    """One JSON line for the delivery log, ending in a newline.

    `summarize`: the request is not trusted (refused before its signature was found valid),
    so its line keeps a bounded summary of the body (`body_sha256`, `body_head`), of the
    headers and of the path instead of all of them. `verdict`: `response_body(outcome)`,
    when the caller has it already (the line repeats its members).
    """
    line: dict[str, Any] = {
        "seq": seq,
        "received": _stamp(received),
        "remote": remote,
        "method": method,
        "path": target,
        "status": outcome.status,
        "signature": outcome.signature,
        "bytes": outcome.size,
        "headers": headers,
    }
    if outcome.event is not None and outcome.event_json is not None and not summarize:
        # A delivery's usual line: the answer's members and the body, which is the event's
        # compact JSON already, are spliced in as bytes instead of serialised again.
        if verdict is None:
            verdict = response_body(outcome)
        return b"".join(
            (orjson.dumps(line)[:-1], b",", verdict[1:-1], b',"event":', outcome.event_json, b"}\n")
        )
    line.update(_common(outcome))
    if outcome.event is not None:
        line["event"] = outcome.event
    elif outcome.body is not None and summarize:
        line["body_sha256"] = hashlib.sha256(outcome.body).hexdigest()
        line["body_head"] = outcome.body[:SUMMARY_BODY_BYTES].decode("utf-8", errors="replace")
    elif outcome.body is not None:
        line["body"] = outcome.body.decode("utf-8", errors="replace")
    if summarize:
        line["path"] = _cut(target, SUMMARY_PATH_CHARS)
        kept = list(headers.items())[:SUMMARY_HEADERS]
        line["headers"] = {_cut(k): _cut(v) for k, v in kept}
        if len(headers) > SUMMARY_HEADERS:
            line["headers_omitted"] = len(headers) - SUMMARY_HEADERS
    return orjson.dumps(line) + b"\n"


_second: tuple[int, str] = (-1, "")  # the last whole second formatted, and its text


def _stamp(received: datetime | float) -> str:
    """RFC 3339 UTC with microseconds ("2026-01-02T03:04:05.123456Z").

    From a POSIX timestamp, the seconds part is formatted once per second: the server
    stamps thousands of deliveries a second and `datetime.isoformat` is a measurable part
    of a delivery's CPU. The microseconds are rounded as `datetime.fromtimestamp` rounds
    them (half to even, carrying into the next second), so the text is the one it gives.
    """
    global _second
    if isinstance(received, datetime):
        text = received.astimezone(UTC).isoformat(timespec="microseconds")
        return text.replace("+00:00", "Z")
    whole = int(received)
    micros = round((received - whole) * 1_000_000)
    if micros == 1_000_000:
        whole, micros = whole + 1, 0
    cached = _second  # one tuple: a thread never sees one second's number with another's text
    if cached[0] != whole:
        cached = _second = (whole, time.strftime("%Y-%m-%dT%H:%M:%S.", time.gmtime(whole)))
    return f"{cached[1]}{micros:06d}Z"


def _cut(text: str, limit: int = SUMMARY_HEADER_CHARS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


def loggable_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Headers by lower-case name, repeats joined with ", ", credentials left out.

    From the ASGI scope's raw pairs in one pass: a delivery's headers are decoded once, for
    the log and for the checks alike (a repeated `Qlik-Signature` is then not 64 hex digits:
    ambiguous, refused).
    """
    out: dict[str, str] = {}
    for name_bytes, value_bytes in raw:
        key = name_bytes.decode("latin-1")
        if not key.islower():  # ASGI servers lower-case names; an app driven by hand may not
            key = key.lower()
        if key in REDACTED_HEADERS:
            out[key] = "<redacted>"
        elif key in out:
            out[key] = f"{out[key]}, {value_bytes.decode('latin-1')}"
        else:
            out[key] = value_bytes.decode("latin-1")
    return out
