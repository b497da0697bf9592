"""The public Python API: importable names, lazy loading, fast import."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import qevcontract


def test_every_public_name_resolves() -> None:
    for name in qevcontract.__all__:
        assert getattr(qevcontract, name) is not None


def test_importing_the_package_does_not_import_heavy_modules() -> None:
    code = (
        "import sys, qevcontract, qevcontract._cli; "
        "heavy = [m for m in ('jsonschema', 'jsonschema_rs', 'hypothesis', 'yaml', 'referencing')"
        " if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


PUBLIC_PACKAGES = (
    "qevcontract.builder",
    "qevcontract.check",
    "qevcontract.contracts",
    "qevcontract.diff",
    "qevcontract.envelopes",
    "qevcontract.generate",
    "qevcontract.validate",
    "qevcontract.webhook",
)
PUBLIC_MODULES = ("qevcontract.dask", "qevcontract.spark", "qevcontract.pytest_plugin")


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_each_public_package_gives_every_name_it_lists(package: str) -> None:
    module = importlib.import_module(package)
    for name in getattr(module, "__all__", ()):
        assert getattr(module, name) is not None, f"{package}.{name}"


def test_everything_but_the_public_api_is_marked_private() -> None:
    # docs/architecture.md: a module is public only if it is listed there; the rest start
    # with `_`, so a user can tell from an import line that it may change in any release.
    root = Path(qevcontract.__file__).parent
    public = {"qevcontract", *PUBLIC_PACKAGES, *PUBLIC_MODULES}
    unmarked = []
    for path in sorted(root.rglob("*.py")):
        parts = ["qevcontract", *path.relative_to(root).with_suffix("").parts]
        if parts[-1] in {"__init__", "__main__"}:
            parts.pop()
        if any(part.startswith("_") for part in parts[1:]):
            continue
        if ".".join(parts) not in public:
            unmarked.append(".".join(parts))
    assert unmarked == []
