"""Without the extra installed, the adapters say in one line what to install."""

from __future__ import annotations

import sys

import pytest

from qevcontract import _scale


@pytest.mark.parametrize(
    ("adapter", "engine", "call"),
    [
        ("dask", "dask", lambda m: m.validate(None)),
        ("dask", "dask", lambda m: m.read_jsonl("x.jsonl")),
        ("spark", "pyspark", lambda m: m.validate(None)),
        ("spark", "pyspark", lambda m: m.read_jsonl(None, "x.jsonl")),
    ],
)
def test_a_missing_engine_is_one_line_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch, adapter: str, engine: str, call: object
) -> None:
    import importlib

    module = importlib.import_module(f"qevcontract.{adapter}")  # importable without it
    for name in list(sys.modules):
        if name == engine or name.startswith(engine + "."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, engine, None)  # `import engine` now fails
    with pytest.raises(ImportError) as failure:
        call(module)  # type: ignore[operator]
    message = str(failure.value)
    assert isinstance(failure.value, _scale.MissingExtra)
    assert "\n" not in message
    assert f"pip install 'qevcontract[{adapter}]'" in message
