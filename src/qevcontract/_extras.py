"""Optional dependencies: one check, one message, wherever a feature needs an extra.

The core install (validate, fake, check, diff, normalize, contracts) stays light; the
webhook server and client and the Hypothesis strategies come with extras. A feature that
needs one calls `require_extra` before importing it, so a user without the extra reads one
line naming the install to run instead of a `ModuleNotFoundError` traceback.
"""

from __future__ import annotations

import importlib.util
from types import MappingProxyType

# extra -> (what it is for, modules it must provide). Keep in step with pyproject.toml.
EXTRAS = MappingProxyType(
    {
        # What `webhook serve` (uvicorn's httptools protocol) and `send` (httpx) import.
        "webhook": ("webhook serve and send", ("uvicorn", "httptools", "httpx")),
        "testing": ("Hypothesis strategies", ("hypothesis", "hypothesis_jsonschema")),
        "dask": ("the Dask adapters (qevcontract.dask)", ("dask", "pandas", "pyarrow", "fsspec")),
        "spark": ("the Spark adapters (qevcontract.spark)", ("pyspark", "pandas", "pyarrow")),
    }
)


class MissingExtra(ModuleNotFoundError):
    """A feature was used whose optional dependencies are not installed."""

    def __init__(self, extra: str, module: str) -> None:
        purpose = EXTRAS[extra][0]
        super().__init__(
            f"{purpose} need the '{extra}' extra (module {module!r} is not installed): "
            + install_hint(extra),
            name=module,
        )
        self.extra = extra


def install_hint(extra: str) -> str:
    """The command that installs `extra`, as the error message and the docs print it."""
    return f"pip install 'qevcontract[{extra}]'"


def require_extra(extra: str) -> None:
    """Raise `MissingExtra` unless every module of `extra` can be imported."""
    for module in EXTRAS[extra][1]:
        if importlib.util.find_spec(module) is None:
            raise MissingExtra(extra, module)
