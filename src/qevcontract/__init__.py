"""qevcontract: machine-readable contracts for Qlik Cloud system events.

The public API is re-exported here. Heavy modules are imported lazily so that
`import qevcontract` (and the CLI start-up) stays fast. The version has one source, the
installed package's metadata (pyproject.toml), read on first use of `__version__`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "Catalog",
    "EventResult",
    "InvalidEventError",
    "Summary",
    "Validator",
    "Violation",
    "__version__",
    "load_contracts",
]

if TYPE_CHECKING:  # pragma: no cover
    __version__: str
    from .contracts import Catalog
    from .contracts import load as load_contracts
    from .validate._results import EventResult, Summary, Violation
    from .validate._validator import InvalidEventError, Validator

_LAZY: dict[str, tuple[str, str]] = {
    "Catalog": ("qevcontract.contracts", "Catalog"),
    "load_contracts": ("qevcontract.contracts", "load"),
    "Validator": ("qevcontract.validate._validator", "Validator"),
    "InvalidEventError": ("qevcontract.validate._validator", "InvalidEventError"),
    "Violation": ("qevcontract.validate._results", "Violation"),
    "EventResult": ("qevcontract.validate._results", "EventResult"),
    "Summary": ("qevcontract.validate._results", "Summary"),
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qevcontract")
    except PackageNotFoundError:  # a source tree on sys.path, never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    """Import public names on first use: keeps CLI start-up and pre-commit hooks fast."""
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'qevcontract' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module_name), attr)
    globals()[name] = value
    return value
