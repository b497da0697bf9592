"""qevcontract: machine-readable contracts for Qlik Cloud system events.

The public API is re-exported here. Heavy modules are imported lazily so that
`import qevcontract` (and the CLI start-up) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
]

if TYPE_CHECKING:  # pragma: no cover
    pass

_LAZY: dict[str, tuple[str, str]] = {}


def __getattr__(name: str) -> Any:
    """Import public names on first use: keeps CLI start-up and pre-commit hooks fast."""
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'qevcontract' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module_name), attr)
    globals()[name] = value
    return value
