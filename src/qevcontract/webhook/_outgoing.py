"""Where `webhook send` gets its deliveries: recorded events or generated ones, as bytes.

Events are streamed (one at a time from files, stdin or the generator), put in the envelope
asked for, and serialised once: those exact bytes are what is signed and sent.
"""

from __future__ import annotations

import itertools
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from .._options import ENVELOPE_SHAPES
from ._sender import Outgoing

if TYPE_CHECKING:
    from ..contracts import Catalog
    from ..validate._validator import Validator

__all__ = ["converter", "from_fakes", "from_paths", "input_files"]

Convert = Callable[[dict[str, Any]], dict[str, Any]]


def converter(envelope: str | None, on_warning: Callable[[str], None]) -> Convert | None:
    """The function putting an event in `envelope` (None: send events as they are).

    It raises ValueError (`qevcontract.envelopes.UnknownEnvelope`) for a value in no
    envelope at all; warnings (attributes the target shape cannot carry) go to `on_warning`.
    A 1.0 event is sent without the `qevlegacy` attribute normalize keeps for round trips:
    Qlik never sends it.
    """
    if envelope is None:
        return None
    if envelope not in ENVELOPE_SHAPES:
        raise ValueError(f"unknown envelope {envelope!r}")
    from .. import envelopes

    def convert(event: dict[str, Any]) -> dict[str, Any]:
        if envelope == "cloudevents":
            result = envelopes.to_cloudevents(event, exact=False)
        elif envelope == "legacy":
            result = envelopes.to_legacy(event)
        else:
            result = envelopes.to_hybrid(event)
        for warning in result.warnings:
            on_warning(warning)
        return result.event

    return convert


def _outgoing(
    event: dict[str, Any], label: str, convert: Convert | None, validator: Validator | None
) -> Outgoing:
    if convert is not None:
        try:
            event = convert(event)
        except ValueError as exc:
            return Outgoing(label, problem=f"cannot change its envelope: {exc}")
    valid = validator.is_valid(event) if validator is not None else None
    return Outgoing(label, orjson.dumps(event), valid)


def from_paths(
    paths: Sequence[str], convert: Convert | None, validator: Validator | None
) -> Iterator[Outgoing]:
    """One delivery per event read from `paths` (as `validate` reads them; `-` is stdin).

    Raises `qevcontract._input.InputError` now, before anything is sent, for a
    path that does not exist or is not event data; unreadable events become items with a
    `problem`, and so does a file that cannot be opened later on (reading stops there).
    """
    from .._input import InputError, iter_records

    records = iter_records(list(paths))
    first = next(records, None)  # checks every path before the first delivery

    def items() -> Iterator[Outgoing]:
        if first is None:
            return
        try:
            for record in itertools.chain((first,), records):
                where = f"{record.source}:{record.line}" if record.line else record.source
                if record.error is not None:
                    yield Outgoing(where, problem=record.error)
                else:
                    yield _outgoing(record.event, where, convert, validator)
        except InputError as exc:
            yield Outgoing("input", problem=str(exc))

    return items()


def input_files(paths: Sequence[str], limit: int = 100_000) -> dict[str, str]:
    """The regular files `paths` read from (directories walked, `-` if stdin is a file), by
    `deliveries.file_identity`: to compare with the log a `webhook serve` is writing.

    Pipes and other streams have no identity to compare; at most `limit` files are looked at.
    """
    from ._deliveries import file_identity

    found: dict[str, str] = {}

    def add(name: str, status: os.stat_result) -> None:
        if len(found) < limit:
            found[file_identity(status)] = name

    for path in paths:
        try:
            if path == "-":
                status = os.fstat(sys.stdin.fileno())
                if stat.S_ISREG(status.st_mode):
                    add("<stdin>", status)
            elif os.path.isdir(path):
                for root, _, names in os.walk(path):
                    for name in names:
                        full = os.path.join(root, name)
                        add(full, os.stat(full))
            else:
                add(path, os.stat(path))
        except (OSError, ValueError):  # unreadable or no real stdin: the reader reports it
            continue
    return found


def from_fakes(
    catalog: Catalog,
    types: Sequence[str],
    count: int,
    seed: int,
    convert: Convert | None,
    validator: Validator | None,
) -> Iterator[Outgoing]:
    """`count` generated valid events of each type in turn, the same for the same seed.

    Every type's generator is compiled now, before the first delivery, so compiling does
    not stall deliveries in flight (and their latency figures).
    """
    from ..generate import Generator

    generator = Generator(catalog)
    for event_type in types:
        generator.bulk.compiled(event_type)

    def items() -> Iterator[Outgoing]:
        for event_type in types:
            events = generator.bulk.events(event_type, count, seed=seed, label=False)
            for i, event in enumerate(events, 1):
                yield _outgoing(event, f"{event_type}#{i}", convert, validator)

    return items()
