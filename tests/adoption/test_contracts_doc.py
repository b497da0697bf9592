"""docs/contracts.md against the contract set it describes.

Every annotation and catalogue field the bundled set uses must be documented, and the
page's Python recipes must run and do what the page says (the bundled file is
self-contained: it validates with no way to resolve anything from outside).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qevcontract.contracts import bundled_path

from .support import DOCS, SAMPLE_TYPE, code_blocks, sample_events

DOC = DOCS / "contracts.md"


def documented(name: str) -> bool:
    return f"`{name}`" in DOC.read_text(encoding="utf-8")


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


def _bundled_documents() -> list[dict[str, Any]]:
    root = bundled_path()
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.json"))]


def test_every_annotation_in_the_bundled_set_is_documented() -> None:
    used = {k for doc in _bundled_documents() for k in _keys(doc) if k.startswith("x-qev-")}
    assert used, "the bundled set should carry x-qev-* annotations"
    assert sorted(k for k in used if not documented(k)) == []


def test_every_catalogue_and_bookkeeping_field_is_documented() -> None:
    catalog = json.loads((bundled_path() / "catalog.json").read_text(encoding="utf-8"))
    fields = set(catalog) | {k for entry in catalog["events"] for k in entry}
    fields |= {k for source in catalog["sources"] for k in source}
    for doc in _bundled_documents():
        fields |= set(doc.get("x-qev-event", {}))
        fields |= {k for p in doc.get("x-qev-provenance", []) for k in p}
    assert sorted(f for f in fields if not documented(f)) == []


def _python_blocks() -> list[str]:
    blocks = [b.text for b in code_blocks(DOC, "python")]
    assert len(blocks) == 2, "docs/contracts.md: the registry and the bundling recipes"
    return blocks


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_registry_recipe_reports_the_missing_payload_properties(tmp_path: Path) -> None:
    done = _run(_python_blocks()[0], tmp_path)
    assert done.returncode == 0, done.stderr
    # The recipe's event has a name but none of the other required task properties.
    assert "'id' is a required property" in done.stdout
    assert "'name' is a required property" not in done.stdout


def test_bundled_file_validates_on_its_own(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry

    done = _run(_python_blocks()[1], tmp_path)
    assert done.returncode == 0, done.stderr
    (written,) = tmp_path.glob("*.schema.json")
    schema = json.loads(written.read_text(encoding="utf-8"))
    # An empty registry that cannot retrieve: every $ref must resolve inside the file.
    validator = jsonschema.Draft202012Validator(
        schema,
        registry=Registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    good, bad = sample_events()
    assert good["type"] == SAMPLE_TYPE
    assert list(validator.iter_errors(good)) == []
    assert [list(e.absolute_path) for e in validator.iter_errors(bad)] == [["data", "enabled"]]
    # The envelope is inside too: a wrong specversion fails.
    assert not validator.is_valid({**good, "specversion": "0.3"})
