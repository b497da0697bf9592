"""`webhook serve`: run the receiver (`app`) under uvicorn on a socket bound here.

The socket is bound before uvicorn starts (so a busy port is a one-line error, and port 0
picks a free one); connections are handled by the bounded protocol in `protocol` (head
timeout, header limits, connection cap). uvicorn's own log messages are turned into one
line each on stderr: whatever happens, `serve` prints no traceback.

Stopping: the first SIGINT or SIGTERM stops accepting, answers 503 to new requests,
gives deliveries in flight `shutdown_grace` seconds (then answers 503 to those still
receiving their body), writes every answer's log line, closes the log, and exits 0.

Only `webhook serve` imports this module (uvicorn is not light).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any, TextIO

import uvicorn

from ._app import DEFAULT_MAX_BODY, Counters, ReceiverApp, ServeSettings, create_app
from ._deliveries import DeliveryLog
from ._notices import Notices
from ._protocol import Guard, Limits, protocol_class
from ._verdict import Judge

__all__ = [
    "DEFAULT_MAX_BODY",
    "Counters",
    "ServeError",
    "ServeSettings",
    "create_app",
    "serve",
]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
RESERVED_FDS = 32  # file descriptors kept free for the log, the listener, stdio, the loop
BACKSTOP = 30.0  # seconds past the grace after which uvicorn cancels what is left


class ServeError(Exception):
    """The server cannot start (port busy, log not writable, bad settings): one line."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or ServeError with a one-line reason."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.setblocking(False)
    return sock


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(settings: ServeSettings, *, stderr: TextIO | None = None) -> Counters:
    """Run until SIGINT or SIGTERM; return the totals. Raises ServeError before starting."""
    from ..contracts import ContractError
    from ..validate._validator import Validator

    err = stderr if stderr is not None else sys.stderr
    try:
        validator = Validator(
            settings.contracts, strict=settings.strict, unknown_types=settings.unknown_types
        )
    except ContractError as exc:
        raise ServeError(str(exc)) from None
    try:
        log = DeliveryLog(settings.out, fsync=settings.fsync)
    except OSError as exc:
        raise ServeError(f"{settings.out}: cannot open the delivery log: {exc.strerror}") from None
    counters = Counters()
    notices = Notices(err)
    cap, cap_note = connection_cap(settings.max_connections)
    limits = Limits(
        max_headers=settings.max_headers,
        max_head_bytes=settings.max_header_bytes,
        head_timeout=settings.head_timeout,
        max_connections=cap,
    )
    server: _GracefulServer | None = None
    try:
        try:
            sock = bind(settings.host, settings.port)
            app = create_app(
                settings, Judge(validator), log, counters=counters, stderr=err, notices=notices
            )
            config = uvicorn.Config(
                app,
                http=protocol_class(Guard(limits, notices), app),
                log_config=None,
                access_log=False,
                lifespan="on",
                server_header=False,
                proxy_headers=False,
                timeout_graceful_shutdown=int(settings.shutdown_grace + BACKSTOP),
            )
            notes = list(_startup_notes(settings, log, _url(sock)))
            if cap_note:
                notes.append(f"qevcontract webhook: note: {cap_note}")
            for message in notes:
                err.write(message + "\n")
            err.flush()
            if settings.fsync:
                # The fsync thread, back from the disk, waits for the GIL up to the switch
                # interval (5 ms) while the loop is busy: every delivery waiting for that fsync
                # waits too. A shorter interval hands the GIL back sooner.
                sys.setswitchinterval(0.0005)
            server = _GracefulServer(config, app, settings.shutdown_grace, err)
            with _one_line_logging(err):
                server.run(sockets=[sock])
        finally:
            log.close()
        _say_stopped(err, settings, log, app, counters, notices)
    finally:
        if server is not None:  # the signals it held since it stopped
            server.restore_signals()
    return counters


def _say_stopped(
    err: TextIO,
    settings: ServeSettings,
    log: DeliveryLog,
    app: ReceiverApp,
    counters: Counters,
    notices: Notices,
) -> None:
    """The closing line: what was received, and what the log holds."""
    refused = sum(notices.totals.values())
    err.write(
        ("\n" if err.isatty() else "")
        + f"qevcontract webhook: stopped; {counters.line()}; {log.lines_written} line(s) "
        f"appended to {settings.out}"
        + (
            f"; {app.answered_while_stopping} answered 503 while stopping"
            if app.answered_while_stopping
            else ""
        )
        + (f"; {refused} connection(s) refused or closed by the limits" if refused else "")
        + "\n"
    )
    err.flush()


def connection_cap(wanted: int) -> tuple[int, str | None]:
    """`wanted`, or less if this process may not open that many files (and a note why).

    The soft open-file limit is raised to the hard one first: past it, accept() fails and
    every client, /healthz included, waits.
    """
    try:
        import resource
    except ImportError:  # not on POSIX: no such limit to respect
        return wanted, None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or hard > soft):
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
    if soft == resource.RLIM_INFINITY or wanted + RESERVED_FDS <= soft:
        return wanted, None
    cap = max(1, soft - RESERVED_FDS)
    return cap, (
        f"--max-connections lowered from {wanted} to {cap}: this process may open "
        f"{soft} files (ulimit -n)"
    )


def _startup_notes(settings: ServeSettings, log: DeliveryLog, url: str) -> Iterator[str]:
    checks = "signatures checked" if settings.secret else "signatures NOT checked (no secret)"
    yield (
        f"qevcontract webhook: listening on {url} ({checks}; deliveries appended to "
        f"{settings.out}; Ctrl-C to stop)"
    )
    if settings.secret is None:
        yield (
            "qevcontract webhook: note: set QEV_WEBHOOK_SECRET or --secret-file to reject "
            "deliveries without a valid Qlik-Signature"
        )
    if settings.host not in LOOPBACK_HOSTS:
        yield (
            f"qevcontract webhook: warning: bound to {settings.host}, not only this machine: "
            "anyone who can reach it can post"
        )
    if log.repaired_tail:
        yield (
            f"qevcontract webhook: warning: {settings.out} ended inside a line (a previous "
            "writer was killed mid-write); new lines start after it"
        )


class _GracefulServer(uvicorn.Server):
    """uvicorn, stopping the way `serve` promises, and exiting 0 after a clean stop.

    The first SIGINT or SIGTERM tells the app (503 for new requests, a grace period for
    bodies in flight) and then lets uvicorn stop accepting and wait for the answers; a
    second one ends the grace at once (bodies still arriving: 503, logged); a third forces
    the exit. uvicorn's re-raising of the signal is left out.
    """

    def __init__(
        self, config: uvicorn.Config, app: ReceiverApp, grace: float, stderr: TextIO
    ) -> None:
        super().__init__(config)
        self._app = app
        self._grace = grace
        self._stderr = stderr
        self._signals = 0
        self._previous: dict[int, Any] = {}  # the handlers before `capture_signals`

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # uvicorn forces the exit on a second SIGINT: its in-flight requests are cancelled,
        # answered 500 and never logged. A second signal ends the grace instead.
        self._signals += 1
        if self._signals == 2:
            self._stderr.write(
                "qevcontract webhook: stopping now: bodies still arriving are answered 503 "
                "(again to force the exit, cutting deliveries in flight without a log line)\n"
            )
            self._stderr.flush()
            asyncio.get_running_loop().call_soon_threadsafe(self._app.end_grace)
            return
        if self._signals >= 2:
            self.force_exit = True
        super().handle_exit(sig, frame)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # Requests being answered: uvicorn's tasks, and fast ones waiting for their fsync.
        busy = sum(1 for c in self.server_state.connections if getattr(c, "busy", False))
        if busy:
            lead = "\r\x1b[K" if self._stderr.isatty() else ""
            self._stderr.write(
                f"{lead}qevcontract webhook: stopping; {busy} request(s) in flight get up to "
                f"{self._grace:g} s (--shutdown-grace)\n"
            )
            self._stderr.flush()
        # Requests whose body was still awaited on the fast path go uvicorn's way, and get
        # one turn of the loop to start reading it: then they get the grace, as any other.
        released = [c for c in list(self.server_state.connections) if _release(c)]
        if released:
            await asyncio.sleep(0)
        self._app.begin_stop(self._grace)
        await super().shutdown(sockets)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        handled = (signal.SIGINT, signal.SIGTERM)
        self._previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            # Stopping is under way: a further signal until `serve` has closed the log and
            # written its closing line (`restore_signals`) changes nothing. With the default
            # handlers back, it would kill the process on the way out: exit -15, no line.
            for sig in handled:
                signal.signal(sig, _already_stopping)

    def restore_signals(self) -> None:
        """The handlers `serve` found, back once it has said it stopped."""
        previous, self._previous = self._previous, {}
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _already_stopping(sig: int, frame: FrameType | None) -> None:
    """SIGINT or SIGTERM after the server stopped, before `serve` returns: nothing to do."""


def _release(connection: object) -> bool:
    release = getattr(connection, "release", None)
    return bool(release()) if release is not None else False


class _OneLine(logging.Formatter):
    """A log record as one line, an exception as its type and message: never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text = f"{text.rstrip()} ({type(exc).__name__}: {exc})"
        text = " ".join(text.split())
        if record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError):
            text += " (cut short by the forced exit)"
        elif record.levelno >= logging.ERROR:
            text += " (a bug; please report it)"
        return f"qevcontract webhook: {record.levelname.lower()}: {text}"


@contextlib.contextmanager
def _one_line_logging(stderr: TextIO) -> Iterator[None]:
    """uvicorn's and asyncio's warnings and errors, one line each on `stderr`, while serving."""
    handler = logging.StreamHandler(stderr)
    handler.setFormatter(_OneLine())
    saved = []
    for name in ("uvicorn", "asyncio"):
        logger = logging.getLogger(name)
        saved.append((logger, logger.level, logger.propagate))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
        logger.propagate = False
    try:
        yield
    finally:
        for logger, level, propagate in saved:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate
