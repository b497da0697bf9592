"""Shared by the start-up benchmarks: measure qevcontract as an installed package runs.

`pip install qevcontract` compiles the package's bytecode at install time, and Python writes
it on first import of an editable install, unless PYTHONDONTWRITEBYTECODE is set (as it is on
some CI and sandbox machines). Then every run recompiles our modules from source (about 30 ms
here) while the tool we compare with, installed by pip, loads its bytecode: not a fair race.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path


def compile_package() -> str:
    """Compile qevcontract's bytecode if missing or stale; say what was done, for the output."""
    import qevcontract

    package = Path(qevcontract.__file__).parent
    compileall.compile_dir(package, quiet=1)
    flag = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    return (
        f"bytecode compiled for {package} (as pip does on install; PYTHONDONTWRITEBYTECODE {flag})"
    )
