"""Fake Qlik Cloud events: valid ones, realistic ones, and ones broken on purpose.

    from qevcontract.generate import events, invalid_events, strategy

    events("com.qlik.v1.app.reload.finished", 100, seed=1)          # list of dicts
    events("com.qlik.app.created", 5, seed=1, overrides={"data.name": "Sales"})
    invalid_events("com.qlik.app.created", 7, seed=1)                # list of BrokenEvent
    strategy("com.qlik.app.created")                                 # Hypothesis strategy

`events` and `invalid_events` use the compiled bulk generator (no Hypothesis: tens of thousands
of events a second); `strategy` uses hypothesis-jsonschema, for property tests. Each call to
the module-level functions compiles what it needs; hold a `Generator` to reuse that work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..contracts import Catalog, load
from ._breakage import KINDS, BrokenEvent
from ._errors import GenerationError, OverrideError
from ._labels import BROKEN, PAYLOAD, strip_labels

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from ..validate._validator import Validator
    from ._bulk import BulkGenerator
    from ._overrides import Pin

__all__ = [
    "BROKEN",
    "KINDS",
    "PAYLOAD",
    "BrokenEvent",
    "GenerationError",
    "Generator",
    "OverrideError",
    "events",
    "invalid_events",
    "strategy",
    "strip_labels",
]

Overrides = Mapping[str, Any] | Iterable[str] | None


class Generator:
    """Generates events from one contract set, compiling each type once.

    Pickles as its catalogue: worker processes recompile what they use.
    """

    def __init__(self, catalog: Catalog | str | None = None) -> None:
        self.catalog = catalog if isinstance(catalog, Catalog) else load(catalog)
        self._bulk: BulkGenerator | None = None
        self._validator: Validator | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"catalog": self.catalog}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["catalog"])  # type: ignore[misc]

    @property
    def bulk(self) -> BulkGenerator:
        if self._bulk is None:
            from ._bulk import BulkGenerator

            self._bulk = BulkGenerator(self.catalog)
        return self._bulk

    def pins(self, event_type: str, overrides: Overrides, sep: str = ".") -> list[Pin]:
        """Parse and check overrides for `event_type`; raises `OverrideError` if they break it."""
        from ._overrides import check_pins, pins_from

        self.catalog.entry(event_type)
        pins = pins_from(overrides, sep)
        if pins:
            if self._validator is None:
                from ..validate._validator import Validator

                self._validator = Validator(self.catalog)
            check_pins(pins, event_type, self.bulk, self._validator)
        return pins

    def events(
        self,
        event_type: str,
        n: int,
        *,
        seed: int,
        valid: bool = True,
        overrides: Overrides = None,
        label: bool = True,
    ) -> list[dict[str, Any]]:
        """`n` events of `event_type`, the same for the same seed.

        `valid=False` gives events each broken in one way, labelled with a `qevbroken`
        attribute unless `label=False`. Payload-undocumented types carry `qevpayload`.
        """
        if n < 0:
            raise ValueError(f"n must be 0 or more, not {n}")
        if not valid:
            broken = self.invalid_events(event_type, n, seed=seed, overrides=overrides)
            return [b.labelled() if label else b.event for b in broken]
        pins = self.pins(event_type, overrides)
        paths = [(p.path, p.value) for p in pins]
        return list(self.bulk.events(event_type, n, seed=seed, label=label, pins=paths))

    def invalid_events(
        self, event_type: str, n: int, *, seed: int, overrides: Overrides = None
    ) -> list[BrokenEvent]:
        """`n` events each broken in exactly one way; kinds take turns (see `KINDS`)."""
        from ._breakage import Breaker

        if n < 0:
            raise ValueError(f"n must be 0 or more, not {n}")
        pins = self.pins(event_type, overrides)
        breaker = Breaker(self.bulk, event_type)
        return list(breaker.broken(n, seed=seed, pins=[(p.path, p.value) for p in pins]))

    def strategy(
        self, event_type: str, *, overrides: Overrides = None, label: bool = True
    ) -> SearchStrategy[dict[str, Any]]:
        """A Hypothesis strategy of valid `event_type` events (hypothesis-jsonschema)."""
        try:
            from ._strategies import event_strategy
        except ImportError as exc:
            raise GenerationError(
                f"strategies need hypothesis and hypothesis-jsonschema ({exc}); "
                "install them, e.g. pip install 'qevcontract[testing]'"
            ) from None

        pins = self.pins(event_type, overrides)
        return event_strategy(self.bulk, event_type, pins, label=label)


def events(
    event_type: str,
    n: int,
    *,
    seed: int,
    valid: bool = True,
    overrides: Overrides = None,
    label: bool = True,
    catalog: Catalog | str | None = None,
) -> list[dict[str, Any]]:
    """`n` events of `event_type` for `seed` (see `Generator.events`)."""
    return Generator(catalog).events(
        event_type, n, seed=seed, valid=valid, overrides=overrides, label=label
    )


def invalid_events(
    event_type: str,
    n: int,
    *,
    seed: int,
    overrides: Overrides = None,
    catalog: Catalog | str | None = None,
) -> list[BrokenEvent]:
    """`n` events of `event_type` each broken in one labelled way."""
    return Generator(catalog).invalid_events(event_type, n, seed=seed, overrides=overrides)


def strategy(
    event_type: str,
    *,
    overrides: Overrides = None,
    label: bool = True,
    catalog: Catalog | str | None = None,
) -> SearchStrategy[dict[str, Any]]:
    """A Hypothesis strategy of valid `event_type` events, built with hypothesis-jsonschema."""
    return Generator(catalog).strategy(event_type, overrides=overrides, label=label)
