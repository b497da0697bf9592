"""pytest plugin: realistic Qlik Cloud events for the tests of code that consumes them.

Registered through the `pytest11` entry point, so installing qevcontract makes it available:

    def test_failed_reload_alerts(qlik_event):
        event = qlik_event("com.qlik.v1.app.reload.finished", data__status="failed")
        ...

    @given(qlik_events("com.qlik.v1.app.*"))
    def test_handler_accepts_every_app_event(event): ...

    def test_producer_output(assert_valid_event):
        assert_valid_event(build_my_event())

Every pytest run in a project with qevcontract installed imports this module, so it imports
nothing heavy: the generator, the validator and hypothesis load on first use.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from .generate import Generator
    from .validate._validator import Validator

__all__ = ["assert_valid_event", "qlik_events"]

_INI_CONTRACTS = "qevcontract_contracts"
PATH_SEPARATOR = "__"  # keyword arguments cannot hold dots: data__name means data.name


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        _INI_CONTRACTS,
        "Contract set for the qlik_event / assert_valid_event fixtures "
        "(a directory with catalog.json). Default: the set bundled with qevcontract.",
        default="",
    )


def _contracts(config: pytest.Config) -> str | None:
    value = str(config.getini(_INI_CONTRACTS) or "").strip()
    if not value:
        return None
    return str(config.rootpath / value)


# --------------------------------------------------------------------------- validation


def assert_valid_event(
    event: Any, *, strict: bool = False, validator: Validator | None = None
) -> None:
    """Fail the test, listing every violation, unless `event` satisfies its contract.

    Pass a `validator` (or use the `assert_valid_event` fixture, which shares one per
    session and mode) when checking many events: building one compiles schemas. A
    `validator` brings its own contracts and mode; `strict` applies only without one.
    """
    from .validate._validator import InvalidEventError, Validator

    if validator is None:
        validator = Validator(strict=strict)
    try:
        validator.validate(event)
    except InvalidEventError as exc:
        etype = event.get("type") if isinstance(event, dict) else None
        eid = event.get("id") if isinstance(event, dict) else None
        head = f"event {etype or '(no type)'} (id {eid!r}) violates its contract:"
        lines = [f"  {v.code} {v.pointer or '/'}: {v.message}" for v in exc.errors]
        raise AssertionError("\n".join([head, *lines])) from None


@pytest.fixture(scope="session")
def _qevcontract_validator(pytestconfig: pytest.Config) -> Validator:
    from .validate._validator import Validator

    return Validator(_contracts(pytestconfig))


@pytest.fixture(scope="session")
def _qevcontract_strict_validator(_qevcontract_validator: Validator) -> Validator:
    """The strict twin of the session validator: the same (configured) contracts."""
    from .validate._validator import Validator

    return Validator(_qevcontract_validator.catalog, strict=True)


@pytest.fixture(name="assert_valid_event")
def _assert_valid_event_fixture(
    _qevcontract_validator: Validator, _qevcontract_strict_validator: Validator
) -> Callable[[Any], None]:
    """`assert_valid_event(event, strict=False)`: fails with the list of violations.

    Both modes use one validator per session, on the `qevcontract_contracts` contract set.
    """

    def check(event: Any, *, strict: bool = False) -> None:
        chosen = _qevcontract_strict_validator if strict else _qevcontract_validator
        assert_valid_event(event, validator=chosen)

    return check


# ---------------------------------------------------------------------------- generation


@pytest.fixture(scope="session")
def qevcontract_generator(pytestconfig: pytest.Config) -> Generator:
    """The session's event generator (contracts compiled once per session)."""
    from .generate import Generator

    return Generator(_contracts(pytestconfig))


@pytest.fixture
def qlik_event(
    request: pytest.FixtureRequest, qevcontract_generator: Generator
) -> Callable[..., dict[str, Any]]:
    """A factory of valid events: `qlik_event("com.qlik.app.created", data__name="Sales")`.

    Keyword arguments pin values (`__` separates path segments). Events are deterministic per
    test (seeded from the test id and the call number), so a failure reproduces.
    """
    base = zlib.crc32(request.node.nodeid.encode("utf-8"))
    calls: Iterator[int] = iter(range(1 << 30))

    def make(event_type: str, **pins: Any) -> dict[str, Any]:
        from .contracts import UnknownEventType
        from .generate import OverrideError

        overrides = {k.replace(PATH_SEPARATOR, "."): v for k, v in pins.items()}
        seed = base * 1000 + next(calls)
        try:
            return qevcontract_generator.events(event_type, 1, seed=seed, overrides=overrides)[0]
        except (OverrideError, UnknownEventType) as exc:
            # The test's own arguments are wrong: say so, without the generator's traceback.
            pytest.fail(f"qlik_event({event_type!r}, ...): {exc}", pytrace=False)

    return make


def qlik_events(
    *patterns: str, contracts: str | None = None, label: bool = True, **pins: Any
) -> SearchStrategy[dict[str, Any]]:
    """A Hypothesis strategy of valid events of every type matching `patterns`.

    `@given(qlik_events("com.qlik.v1.app.*"))`; keyword arguments pin values as in
    `qlik_event` and must suit every matching type. Needs the `testing` extra (Hypothesis).
    """
    from ._extras import require_extra

    require_extra("testing")
    from hypothesis import strategies as st

    from .generate import Generator
    from .generate._selection import select_types

    generator = Generator(contracts)
    types = select_types(generator.catalog, patterns, all_types=not patterns)
    overrides = {k.replace(PATH_SEPARATOR, "."): v for k, v in pins.items()}
    return st.one_of([generator.strategy(t, overrides=overrides, label=label) for t in types])
