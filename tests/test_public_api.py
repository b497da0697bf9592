"""The public Python API: importable names, lazy loading, fast import."""

from __future__ import annotations

import subprocess
import sys

import qevcontract


def test_every_public_name_resolves() -> None:
    for name in qevcontract.__all__:
        assert getattr(qevcontract, name) is not None


def test_importing_the_package_does_not_import_heavy_modules() -> None:
    code = (
        "import sys, qevcontract, qevcontract.cli; "
        "heavy = [m for m in ('jsonschema', 'jsonschema_rs', 'hypothesis', 'yaml', 'referencing')"
        " if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
