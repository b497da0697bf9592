"""Shared test helpers: where the repository, the committed contracts and the seeds are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONTRACTS = REPO / "contracts"
SEEDS = REPO.parent / "shared" / "seeds"
QLIK_PAGES = REPO.parent / "shared" / "qlik-pages"


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
