"""Verdicts on events: the `Validator`, its results, the five reports and the `--jobs` driver.

These names are the package's public API; its `_`-prefixed modules are private. They are
imported on first use, so importing one of them (or the CLI) does not load the engines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "REPORTERS",
    "EventResult",
    "InvalidEventError",
    "Summary",
    "Validator",
    "Violation",
    "drive",
    "drive_batches",
    "iter_batches",
    "make_reporter",
    "renderer_for",
]

if TYPE_CHECKING:  # pragma: no cover
    from .report import REPORTERS, drive, drive_batches, make_reporter, renderer_for
    from .results import EventResult, Summary, Violation
    from .run import iter_batches
    from .validator import InvalidEventError, Validator

_LAZY: dict[str, str] = {
    "Validator": "qevcontract.validate.validator",
    "InvalidEventError": "qevcontract.validate.validator",
    "Violation": "qevcontract.validate.results",
    "EventResult": "qevcontract.validate.results",
    "Summary": "qevcontract.validate.results",
    "REPORTERS": "qevcontract.validate.report",
    "make_reporter": "qevcontract.validate.report",
    "drive": "qevcontract.validate.report",
    "drive_batches": "qevcontract.validate.report",
    "renderer_for": "qevcontract.validate.report",
    "iter_batches": "qevcontract.validate.run",
}


def __getattr__(name: str) -> Any:
    """Import a public name on first use (the engines and reporters are not light)."""
    try:
        module_name = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'qevcontract.validate' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value
