"""Shared test helpers: where the repository, the committed contracts and the seeds are,
and which tests pytest-xdist must keep together on one worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
CONTRACTS = REPO / "contracts"
SEEDS = REPO.parent / "shared" / "seeds"
QLIK_PAGES = REPO.parent / "shared" / "qlik-pages"

# Folders whose tests run on one xdist worker, in one piece (`--dist loadgroup`, pyproject):
# - scale: a real Spark (local[2], a JVM) and a Dask cluster (two worker processes) each want
#   both cores; two xdist workers starting them at once would fight for CPU and memory. One
#   worker also builds the archive and its CLI oracle once.
# - adoption: the session snapshot of the working tree, the shared pre-commit hook
#   environment (a pip install) and the built sdist/wheel are made once, not once per worker.
# Everything else is dealt to the workers one test at a time.
XDIST_GROUPS = {"tests/scale/": "scale", "tests/adoption/": "adoption"}


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: unknown under `-p no:xdist`
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup` that also keeps each XDIST_GROUPS folder on one worker.

    A scheduler, not `xdist_group` marks added at collection: xdist 3.8 passes a mark's group
    by rewriting the node id, which pytest 9.2 no longer lets it do (pytest-xdist issue 1386),
    so the marks are silently ignored. Node ids reach the scheduler unchanged.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class FolderGroupScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for folder, group in XDIST_GROUPS.items():
                if nodeid.startswith(folder):
                    return group
            return str(super()._split_scope(nodeid))

    return FolderGroupScheduling(config, log)


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"doc pages not found at {SEEDS} (CI has them beside the repository)")
    return SEEDS


@pytest.fixture(scope="session")
def qlik_pages() -> Path:
    """The qlik.dev event pages; the bundled set is built from the seeds and these."""
    if not QLIK_PAGES.is_dir():
        pytest.skip(f"doc pages not found at {QLIK_PAGES} (CI has them beside the repository)")
    return QLIK_PAGES


@pytest.fixture(scope="session")
def catalog():  # type: ignore[no-untyped-def]
    from qevcontract.contracts import load

    return load(CONTRACTS)
