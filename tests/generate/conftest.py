"""Session-wide objects for the generator tests: compiling and validators are built once."""

from __future__ import annotations

import pytest

from qevcontract.contracts import Catalog
from qevcontract.generate import Generator
from qevcontract.validate._validator import Validator


@pytest.fixture(scope="session")
def generator(catalog: Catalog) -> Generator:
    return Generator(catalog)


@pytest.fixture(scope="session")
def validator(catalog: Catalog) -> Validator:
    """The project's validator with its default engine (jsonschema-rs)."""
    return Validator(catalog)


@pytest.fixture(scope="session")
def reference_validator(catalog: Catalog) -> Validator:
    """The reference engine (python-jsonschema), independent of jsonschema-rs."""
    return Validator(catalog, engine="python")
