"""What `webhook serve` thinks of one delivery body: read it as an event, then validate it.

This is the one place the server calls the validator, so making validation envelope-aware
(legacy and hybrid deliveries) changes nothing here but `Validator` itself.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from ..validate._results import EventResult

if TYPE_CHECKING:
    from ..validate._validator import Validator

__all__ = ["DELIVERY_SOURCE", "Judge", "Judged"]

DELIVERY_SOURCE = "<delivery>"


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs every delivery
class Judged:
    """The event read from a body (None if unreadable) and the validator's result."""

    event: dict[str, Any] | None
    result: EventResult
    raw: bytes | None = None  # the body, when it is exactly orjson's compact form of `event`


class Judge:
    """Reads delivery bodies exactly as `validate` reads input, then validates them."""

    def __init__(self, validator: Validator) -> None:
        self.validator = validator

    def judge(self, body: bytes, *, index: int = 0) -> Judged:
        event, error, canonical = _read(body)
        if event is None:
            from ..validate._validator import unreadable_result

            reason = error or "unreadable body"
            return Judged(None, unreadable_result(DELIVERY_SOURCE, index, None, None, reason))
        result = self.validator.check(event, source=DELIVERY_SOURCE, index=index)
        return Judged(event, result, body if canonical else None)


def _read(body: bytes) -> tuple[dict[str, Any] | None, str | None, bool]:
    """(event, None) or (None, a one-line reason): one JSON object, as `validate` reads it;
    and whether the body is orjson's compact form of the event.

    Compact JSON that orjson re-serialises to the same bytes cannot hide a duplicate key or
    an out-of-range integer, so it skips the careful reader (what real senders post); and
    the log line can then carry those bytes as they are instead of serialising again.
    """
    try:
        event = orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    else:
        if type(event) is dict:
            try:
                if orjson.dumps(event) == body:
                    return event, None, True
            except orjson.JSONEncodeError:
                pass
    event, error = _read_carefully(body)
    return event, error, False


def _read_carefully(body: bytes) -> tuple[dict[str, Any] | None, str | None]:
    from .._input import STDIN_PATH, iter_records

    if body.lstrip(b" \t\r\n").startswith(b"["):
        return None, "the body is a JSON array; a delivery carries one event (a JSON object)"
    records = list(iter_records([STDIN_PATH], stdin=io.BytesIO(body)))
    if not records:
        return None, "empty body: expected one event (a JSON object)"
    if len(records) > 1:
        return None, (
            f"the body holds {len(records)} JSON values; a delivery carries exactly one event"
        )
    record = records[0]
    if record.error is not None:
        where = f"line {record.line}: " if record.line is not None and record.line > 1 else ""
        return None, where + record.error
    return record.event, None
