"""The pieces behind `serve`'s limits, without a server: the connection cap against the
open-file limit, and notices that sum a flood instead of repeating it."""

from __future__ import annotations

import io
import resource
from typing import Any

import pytest

from qevcontract.webhook._notices import Notices
from qevcontract.webhook._server import RESERVED_FDS, connection_cap


def fake_limits(monkeypatch: pytest.MonkeyPatch, soft: int, hard: int) -> list[Any]:
    calls: list[Any] = []
    monkeypatch.setattr(resource, "getrlimit", lambda which: (soft, hard))
    monkeypatch.setattr(resource, "setrlimit", lambda which, limits: calls.append(limits))
    return calls


def test_the_soft_open_file_limit_is_raised_before_the_cap_is_lowered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = fake_limits(monkeypatch, soft=1024, hard=65536)
    assert connection_cap(1000) == (1000, None)
    assert calls == [(65536, 65536)]


def test_a_cap_that_does_not_fit_the_hard_limit_is_lowered_with_a_note(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_limits(monkeypatch, soft=1024, hard=1024)  # the machine: 1,100 idle clients
    cap, note = connection_cap(2000)
    assert cap == 1024 - RESERVED_FDS
    assert note is not None and "--max-connections lowered from 2000" in note


def test_notices_print_the_first_of_a_kind_at_once_and_sum_the_rest() -> None:
    err = io.StringIO()
    notices = Notices(err)
    for _ in range(500):
        notices.note("head-size", "answered 431: too large (--max-header-bytes)")
    notices.note("evicted", "closed an idle connection (--max-connections)")
    notices.flush()
    lines = err.getvalue().splitlines()
    assert lines == [
        "qevcontract webhook: answered 431: too large (--max-header-bytes)",
        "qevcontract webhook: closed an idle connection (--max-connections)",
        "qevcontract webhook: 499 more: answered 431: too large (--max-header-bytes)",
    ]
    assert notices.totals == {"head-size": 500, "evicted": 1}


def test_in_a_running_server_the_sums_come_out_every_interval() -> None:
    import asyncio

    err = io.StringIO()
    notices = Notices(err, interval=0.05)

    async def flood() -> None:
        for _ in range(3):
            notices.note("head-timeout", "closed a slow connection (--head-timeout)")
        await asyncio.sleep(0.3)

    asyncio.run(flood())
    assert err.getvalue().splitlines() == [
        "qevcontract webhook: closed a slow connection (--head-timeout)",
        "qevcontract webhook: 2 more: closed a slow connection (--head-timeout)",
    ]
