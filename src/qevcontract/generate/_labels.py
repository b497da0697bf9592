"""In-band labels on generated events, and how to strip them.

Labels are CloudEvents extension attributes (lower-case name, string value), so a labelled
event is still a well-formed CloudEvent and passes the default validator everywhere except
where the label itself is the point. Stripping every label gives back exactly the event the
generator built: nothing else is added or changed for the label's sake.
"""

from __future__ import annotations

from typing import Any

#: On an invalid event: how it was broken, as "<kind> <JSON pointer>".
BROKEN = "qevbroken"
#: On an event whose payload the docs leave unspecified: `data` is a placeholder.
PAYLOAD = "qevpayload"
PAYLOAD_UNDOCUMENTED = "undocumented"

LABELS = (BROKEN, PAYLOAD)


def strip_labels(event: dict[str, Any]) -> dict[str, Any]:
    """A copy of `event` without qevcontract's labels."""
    return {k: v for k, v in event.items() if k not in LABELS}


def format_broken(kind: str, pointer: str) -> str:
    return f"{kind} {pointer}"


def parse_broken(label: str) -> tuple[str, str]:
    """`"not-in-enum /data/status"` -> `("not-in-enum", "/data/status")`."""
    kind, _, pointer = label.partition(" ")
    return kind, pointer
