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
    from ._report import REPORTERS, drive, drive_batches, make_reporter, renderer_for
    from ._results import EventResult, Summary, Violation
    from ._run import iter_batches
    from ._validator import InvalidEventError, Validator

_LAZY: dict[str, str] = {
    "Validator": "qevcontract.validate._validator",
    "InvalidEventError": "qevcontract.validate._validator",
    "Violation": "qevcontract.validate._results",
    "EventResult": "qevcontract.validate._results",
    "Summary": "qevcontract.validate._results",
    "REPORTERS": "qevcontract.validate._report",
    "make_reporter": "qevcontract.validate._report",
    "drive": "qevcontract.validate._report",
    "drive_batches": "qevcontract.validate._report",
    "renderer_for": "qevcontract.validate._report",
    "iter_batches": "qevcontract.validate._run",
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
