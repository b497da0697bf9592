"""Failures inside the receiver, provoked in-process: it answers 500, never a lie about disk."""

from __future__ import annotations

import asyncio
import errno
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from qevcontract.validate._validator import Validator
from qevcontract.webhook._deliveries import DeliveryLog
from qevcontract.webhook._server import Counters, ServeSettings, create_app
from qevcontract.webhook._verdict import Judge, Judged

EVENT = {
    "specversion": "1.0",
    "id": "e-1",
    "type": "com.qlik.app.created",
    "source": "com.qlik/engine",
}


@pytest.fixture(scope="module")
def judge() -> Judge:
    return Judge(Validator())


def post(judge: Judge, log: DeliveryLog, counters: Counters, body: bytes) -> httpx.Response:
    """One delivery straight into the ASGI app, no socket."""
    settings = ServeSettings(out=log.path, fsync=False, summary_interval=0)
    app = create_app(settings, judge, log, counters=counters)

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post(
                "/", content=body, headers={"Content-Type": "application/json"}
            )

    return asyncio.run(go())


def test_a_log_that_cannot_be_written_means_500_not_200(
    tmp_path: Path, judge: Judge, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = DeliveryLog(tmp_path / "d.jsonl", fsync=False)

    def disk_full(lines: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(log, "write_batch", disk_full)
    counters = Counters()
    response = post(judge, log, counters, orjson.dumps(EVENT))
    assert response.status_code == 500
    assert "cannot write the delivery log" in response.json()["reason"]
    assert counters.logged == 0


def test_a_bug_while_judging_is_answered_500_and_logged(tmp_path: Path) -> None:
    class BrokenJudge(Judge):
        def judge(self, body: bytes, *, index: int = 0) -> Judged:
            raise RuntimeError("boom")

    log = DeliveryLog(tmp_path / "d.jsonl", fsync=False)
    counters = Counters()
    response = post(BrokenJudge(Validator()), log, counters, orjson.dumps(EVENT))
    log.close()
    assert response.status_code == 500
    assert "internal error: RuntimeError: boom" in response.json()["reason"]
    (line,) = [orjson.loads(raw) for raw in (tmp_path / "d.jsonl").read_bytes().splitlines()]
    assert line["verdict"] == "error" and line["status"] == 500
    assert counters.verdicts == {"error": 1}


def test_deliveries_decided_concurrently_get_distinct_indices_that_match_their_seq(
    tmp_path: Path,
) -> None:
    """One app, two deliveries: the first is held inside validation until the second has
    been decided and logged. Each must still be judged and logged under its own number."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    first_judging, second_done = threading.Event(), threading.Event()
    indices: dict[str, int] = {}

    class HoldingJudge(Judge):
        def judge(self, body: bytes, *, index: int = 0) -> Judged:
            event_id = orjson.loads(body)["id"]
            indices[event_id] = index
            if event_id == "first":
                first_judging.set()
                assert second_done.wait(10)
            return super().judge(body, index=index)

    log = DeliveryLog(tmp_path / "d.jsonl", fsync=False)
    settings = ServeSettings(out=log.path, fsync=False, summary_interval=0)
    app = create_app(settings, HoldingJudge(Validator()), log)

    def deliver(event_id: str) -> int:
        async def go() -> int:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                response = await client.post(
                    "/",
                    content=orjson.dumps({**EVENT, "id": event_id}),
                    headers={"Content-Type": "application/json"},
                )
                return response.status_code

        return asyncio.run(go())

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(deliver, "first")
        assert first_judging.wait(10)
        second = pool.submit(deliver, "second")
        assert second.result(timeout=10) == 200
        second_done.set()
        assert first.result(timeout=10) == 200
    log.close()
    lines = [orjson.loads(raw) for raw in (tmp_path / "d.jsonl").read_bytes().splitlines()]
    seq_of = {line["id"]: line["seq"] for line in lines}
    assert indices["first"] != indices["second"]
    assert indices == seq_of
    assert sorted(seq_of.values()) == [1, 2]
