"""The contract set on disk: the catalogue, schemas, doc examples and the offline registry.

`load()` is cheap: it reads `catalog.json` only; schemas are read on first use. A `Catalog`
pickles as its directory and index (no caches, no compiled validators), so worker processes
rebuild it cheaply and there is no global state to share.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._offline import OfflineRefError, format_checker, offline_registry, rs_registry

if TYPE_CHECKING:
    import referencing
    from jsonschema import FormatChecker

__all__ = [
    "Catalog",
    "CatalogEntry",
    "ContractError",
    "OfflineRefError",
    "UnknownEventType",
    "bundled_path",
    "load",
]

CATALOG_FILE = "catalog.json"
SUPPORTED_CATALOG_VERSIONS = (1,)


class ContractError(Exception):
    """A contract set that cannot be loaded; the message says which file and why."""


class UnknownEventType(KeyError):
    """An event type the catalogue has no contract for; carries the nearest known types."""

    def __init__(self, event_type: str, suggestions: list[str]) -> None:
        super().__init__(event_type)
        self.event_type = event_type
        self.suggestions = suggestions

    def __str__(self) -> str:
        hint = f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        return f"no contract for event type {self.event_type!r}{hint}"


@dataclass(frozen=True)
class CatalogEntry:
    """One event type as listed in `catalog.json`."""

    type: str
    file: str
    id: str
    domain: str
    channel: str | None
    title: str | None
    stability: str | None
    deprecated: bool
    payload_documented: bool
    examples: int
    pages: tuple[str, ...]


def bundled_path() -> Path:
    """The contract set shipped inside the installed package."""
    from importlib.resources import files

    return Path(str(files("qevcontract") / "bundled"))


def load(path: str | Path | None = None) -> Catalog:
    """Load a contract set (the bundled one by default)."""
    root = Path(path) if path is not None else bundled_path()
    index_file = root / CATALOG_FILE
    if not root.is_dir():
        raise ContractError(f"{root}: contract directory not found")
    try:
        index = json.loads(index_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContractError(
            f"{root}: no {CATALOG_FILE}; build a contract set with 'qevcontract contracts build'"
        ) from None
    except (OSError, ValueError) as exc:
        raise ContractError(f"{index_file}: unreadable catalogue ({exc})") from None
    return Catalog(root, index)


class Catalog:
    """A loaded contract set. Schemas and the registry are built lazily and cached."""

    def __init__(self, root: Path, index: dict[str, Any]) -> None:
        version = index.get("catalog_version") if isinstance(index, dict) else None
        if version not in SUPPORTED_CATALOG_VERSIONS:
            raise ContractError(
                f"{root / CATALOG_FILE}: catalog_version {version!r} is not supported "
                f"(this qevcontract reads {SUPPORTED_CATALOG_VERSIONS})"
            )
        self.root = root
        self._index = index
        try:
            self._entries = self._read_entries(index)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ContractError(
                f"{root / CATALOG_FILE}: malformed catalogue entry ({type(exc).__name__}: {exc}); "
                "rebuild it with 'qevcontract contracts build'"
            ) from None
        self._schemas: dict[str, dict[str, Any]] = {}
        self._registry: referencing.Registry[Any] | None = None

    @staticmethod
    def _read_entries(index: dict[str, Any]) -> dict[str, CatalogEntry]:
        return {
            e["type"]: CatalogEntry(
                type=e["type"],
                file=e["file"],
                id=e["id"],
                domain=e["domain"],
                channel=e.get("channel"),
                title=e.get("title"),
                stability=e.get("stability"),
                deprecated=bool(e.get("deprecated")),
                payload_documented=bool(e.get("payload_documented")),
                examples=int(e.get("examples", 0)),
                pages=tuple(e.get("pages", ())),
            )
            for e in index.get("events", [])
        }

    # Pickle the directory and index only: caches are rebuilt on demand in the worker. The
    # bundled set pickles as "bundled", so a worker whose site-packages lives elsewhere
    # (Spark, Dask) finds its own copy.
    def __getstate__(self) -> dict[str, Any]:
        bundled = self.root.resolve() == bundled_path().resolve()
        return {"root": None if bundled else self.root, "index": self._index}

    def __setstate__(self, state: dict[str, Any]) -> None:
        root = state["root"] if state["root"] is not None else bundled_path()
        self.__init__(root, state["index"])  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"<Catalog {self.root} ({len(self._entries)} event types)>"

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, event_type: object) -> bool:
        return event_type in self._entries

    @property
    def types(self) -> list[str]:
        """Every event type with a contract, sorted."""
        return sorted(self._entries)

    @property
    def entries(self) -> list[CatalogEntry]:
        return [self._entries[t] for t in self.types]

    @property
    def envelope_files(self) -> list[str]:
        return list(self._index.get("envelopes", []))

    def suggest(self, event_type: str, n: int = 3) -> list[str]:
        """The really close known types, for "did you mean" messages (see `nearest_types`)."""
        return nearest_types(event_type, self.types, n)

    def entry(self, event_type: str) -> CatalogEntry:
        try:
            return self._entries[event_type]
        except KeyError:
            raise UnknownEventType(event_type, self.suggest(event_type)) from None

    def _read(self, rel: str) -> dict[str, Any]:
        if rel not in self._schemas:
            path = self.root / rel
            try:
                self._schemas[rel] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ContractError(f"{path}: unreadable contract ({exc})") from None
        return self._schemas[rel]

    def schema(self, event_type: str) -> dict[str, Any]:
        """The contract for a type (shared; do not mutate)."""
        return self._read(self.entry(event_type).file)

    def examples(self, event_type: str) -> list[Any]:
        """The doc examples kept verbatim in the contract."""
        return list(self.schema(event_type).get("examples", []))

    def envelope(self, rel: str) -> dict[str, Any]:
        return self._read(rel)

    def resources(self) -> dict[str, dict[str, Any]]:
        """Every schema in the set, by `$id`."""
        docs = [self._read(rel) for rel in self.envelope_files]
        docs += [self._read(e.file) for e in self.entries]
        return {d["$id"]: d for d in docs}

    def registry(self) -> referencing.Registry[Any]:
        """A `referencing.Registry` of the whole set that refuses to retrieve anything else."""
        if self._registry is None:
            self._registry = offline_registry(self.resources()).crawl()
        return self._registry

    def rs_registry(self) -> Any:
        """A new jsonschema-rs registry of the whole set (it does not pickle, so the caller
        keeps it, never the catalogue); compile with `offline=True`. An unresolvable `$ref`
        raises `ValueError` or `jsonschema_rs.ReferencingError`."""
        return rs_registry(self.resources())

    @staticmethod
    def format_checker() -> FormatChecker:
        """The format checker for python-jsonschema: the same verdicts as jsonschema-rs."""
        return format_checker()


# --- "did you mean" ---------------------------------------------------------------------

# Namespace segments after `com.qlik.` that do not name the resource (`com.qlik.v1.user.x`
# and `com.qlik.core.user.x` are both about users).
_NAMESPACES = frozenset({"core"})
_MAX_EDITS = 2


def nearest_types(event_type: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Known types really close to `event_type`, closest first, at most `n`.

    Close is: a small edit distance (a typo: at most two characters, `tasks` for `task`),
    or else the same resource with the same action in another namespace (`com.qlik.v1.space.
    created` -> `com.qlik.space.created`), or else the same resource with another action.
    Only the best of these tiers is offered. A type of another resource that merely shares
    the action (`role.created` for `user.created`) is never suggested.
    """
    wanted = _resource_action(event_type)
    tiers: dict[int, list[tuple[int, str]]] = {}
    for name in known:
        edits = _edit_distance(event_type, name, _MAX_EDITS)
        if edits <= _MAX_EDITS:
            tiers.setdefault(0, []).append((edits, name))
            continue
        other = _resource_action(name)
        if wanted is None or other is None or wanted[0] != other[0]:
            continue
        tier = 1 if wanted[1] == other[1] else 2
        tiers.setdefault(tier, []).append((_edit_distance(event_type, name, 99), name))
    if not tiers:
        return []
    return [name for _, name in sorted(tiers[min(tiers)])[:n]]


@functools.lru_cache(maxsize=1024)  # the known types' are asked for again on every miss
def _resource_action(event_type: str) -> tuple[str, str] | None:
    """(`user`, `created`) for `com.qlik.v1.user.created`; plural resources made singular."""
    parts = event_type.split(".")
    if parts[:2] == ["com", "qlik"]:
        parts = parts[2:]
    if parts and (parts[0] in _NAMESPACES or (parts[0][:1] == "v" and parts[0][1:].isdigit())):
        parts = parts[1:]
    if len(parts) < 2:
        return None
    resource = ".".join(p[:-1] if p.endswith("s") and len(p) > 3 else p for p in parts[:-1])
    return resource, parts[-1]


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    # A common prefix and suffix do not change the distance; type names share most of theirs
    # (`com.qlik.`, `.created`), and without them a typo costs a few cells, not ~1,600.
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    # Only cells within `limit` of the diagonal can stay within `limit`: the others are
    # taken as `limit + 1`, which keeps every result up to `limit` exact.
    big = limit + 1
    previous = [j if j <= limit else big for j in range(len(b) + 1)]
    for i, ca in enumerate(a, 1):
        current = [big] * (len(b) + 1)
        if i <= limit:
            current[0] = i
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            cell = previous[j - 1] + (ca != b[j - 1])
            if previous[j] + 1 < cell:
                cell = previous[j] + 1
            if current[j - 1] + 1 < cell:
                cell = current[j - 1] + 1
            current[j] = cell
        if min(current) > limit:
            return big
        previous = current
    return min(previous[-1], big)
