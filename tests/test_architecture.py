"""The import rules of docs/architecture.md, enforced.

The layout is the architecture: foundations at the bottom, the product's verbs on them, the
CLI on top. A rule broken here is a dependency that makes a package impossible to read, test or
reuse on its own; the fix is to move the shared piece down, never to relax the rule.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT_PACKAGE = "qevcontract"

# Top-level units (a package or a module directly under qevcontract/), by layer.
FOUNDATIONS = {
    "_spec",
    "_input",
    "_pointer",
    "_schema_keywords",
    "_regex_sample",
    "_report",
    "_options",
    "_extras",
    "_errors",
    "_filesync",
}
CONSUMERS = {
    "validate",
    "generate",
    "envelopes",
    "diff",
    "webhook",
    "dask",
    "spark",
    "pytest_plugin",
    "_scale",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every qevcontract module a file imports, at module level or inside a function."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == ROOT_PACKAGE:
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.split(".")[0] != ROOT_PACKAGE:
                continue
            # `from . import x` imports the module x if there is one, else a name of `base`.
            for alias in node.names:
                yield (
                    node.lineno,
                    base + "." + alias.name if _is_module(base + "." + alias.name) else base,
                )


def _is_module(dotted: str) -> bool:
    path = SRC.joinpath(*dotted.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def _unit(module: str) -> str:
    """The top-level unit a dotted name belongs to: 'validate' for qevcontract.validate._run."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


EDGES = [
    (path, line, _unit(_module_name(path)), _unit(target))
    for path in sorted((SRC / ROOT_PACKAGE).rglob("*.py"))
    for line, target in _imports(path)
]


def _broken(allowed: Callable[[str, str], bool]) -> list[str]:
    return [
        f"{path.relative_to(SRC)}:{line}: {source} imports {target}"
        for path, line, source, target in EDGES
        if source != target and target and not allowed(source, target)
    ]


def test_the_rules_see_the_real_tree() -> None:
    units = {source for _, _, source, _ in EDGES}
    assert {"validate", "builder", "_cli", "check"} <= units
    assert len(EDGES) > 200


def test_nothing_imports_the_cli() -> None:
    # The CLI is the top: an import of it from below would pull click into library users.
    assert _broken(lambda source, target: target != "_cli" or source == "__main__") == []


def test_no_consumer_imports_the_builder() -> None:
    # The builder produces contracts from pages; consumers read the contracts through Catalog.
    assert _broken(lambda source, target: not (source in CONSUMERS and target == "builder")) == []


def test_foundations_import_only_foundations() -> None:
    assert _broken(lambda source, target: source not in FOUNDATIONS or target in FOUNDATIONS) == []


def test_contracts_stand_on_foundations_only() -> None:
    assert _broken(lambda source, target: source != "contracts" or target in FOUNDATIONS) == []


def test_the_packages_import_each_other_without_cycles() -> None:
    graph: dict[str, set[str]] = {}
    for _, _, source, target in EDGES:
        if source != target and source and target:
            graph.setdefault(source, set()).add(target)
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in trail:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif len(trail) < 12:
                visit(nxt, [*trail, nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert sorted({" -> ".join(c) for c in cycles}) == []


@pytest.mark.parametrize(
    "unit", sorted(FOUNDATIONS | CONSUMERS | {"builder", "check", "contracts"})
)
def test_every_named_unit_exists(unit: str) -> None:
    # A rename must update the rules, or the rules silently stop applying.
    base = SRC / ROOT_PACKAGE
    assert (base / unit).is_dir() or (base / f"{unit}.py").is_file()
