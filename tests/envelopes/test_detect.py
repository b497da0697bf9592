"""Shape detection: cheap, and right on the three shapes and on things that are none."""

from __future__ import annotations

import timeit
from typing import Any

import pytest

from qevcontract.envelopes import detect


@pytest.mark.parametrize(
    ("event", "shape"),
    [
        ({"specversion": "1.0", "id": "1", "type": "t", "source": "s"}, "cloudevents"),
        ({"id": "1", "type": "t"}, "cloudevents"),  # no specversion: still meant as 1.0
        ({"cloudEventsVersion": "0.1", "eventId": "1", "eventType": "t"}, "legacy"),
        ({"eventID": "1", "source": "s"}, "legacy"),
        ({"source": "s", "extensions": {"tenantId": "t"}}, "legacy"),
        ({"contentType": "application/json", "data": {}}, "legacy"),
        ({"specversion": "1.0", "id": "1", "eventType": "t"}, "hybrid"),
        ({"type": "t", "extensions": {"tenantid": "x"}}, "hybrid"),
        # A 1.0 extension attribute that happens to be called `extensions`.
        ({"specversion": "1.0", "id": "1", "extensions": "x"}, "cloudevents"),
        # `contenttype` is a valid 1.0 name: on its own it says nothing.
        ({"contenttype": "application/json", "data": {}}, None),
        ({"source": "s", "data": {}}, None),
        ({}, None),
        ([{"specversion": "1.0"}], None),
        ("specversion", None),
        (None, None),
    ],
)
def test_detect(event: Any, shape: str | None) -> None:
    assert detect(event) == shape


def test_detect_is_cheap() -> None:
    """The validator calls it for every event: a few microseconds at most."""
    event = {f"attr{i}": i for i in range(20)} | {"specversion": "1.0", "id": "1"}
    seconds = min(timeit.repeat(lambda: detect(event), number=2000, repeat=3)) / 2000
    assert seconds < 20e-6
