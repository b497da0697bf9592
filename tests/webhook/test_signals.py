"""After `serve` has stopped, a further SIGTERM or SIGINT must not kill it before it has closed
its log and written its closing line (it used to: exit -15, no closing line)."""

from __future__ import annotations

import io
import os
import signal
import threading
from typing import Any

import pytest
import uvicorn

from qevcontract.webhook._server import _already_stopping, _GracefulServer

pytestmark = pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(),
    reason="signal handlers can only be set from the main thread",
)


def test_signals_stay_held_from_the_stop_to_the_closing_line_then_are_given_back() -> None:
    app: Any = object()  # only kept by the server; nothing here runs it
    server = _GracefulServer(uvicorn.Config(app), app, 1.0, io.StringIO())
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with server.capture_signals():
            assert signal.getsignal(signal.SIGTERM) == server.handle_exit
        # uvicorn has returned; serve is closing the log and writing its closing line
        for sig in before:
            assert signal.getsignal(sig) is _already_stopping
        os.kill(os.getpid(), signal.SIGTERM)  # with the default handler: this process dies
        os.kill(os.getpid(), signal.SIGINT)  # with Python's: KeyboardInterrupt here
        server.restore_signals()
        assert {sig: signal.getsignal(sig) for sig in before} == before
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
