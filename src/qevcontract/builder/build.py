"""Doc pages in, contract files out: the orchestration of the builder.

Output is deterministic (sorted keys, two-space indent, final newline, no timestamps), so
the same pages always give byte-identical contracts and a rebuild can be diffed in CI.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .assemble import collect_events
from .envelope import envelope_files
from .model import DocPage
from .overrides import Override, apply_override
from .pages import parse_pages
from .schema import contract_file, event_contract

CATALOG_FILE = "catalog.json"
CATALOG_VERSION = 1


@dataclass
class BuildResult:
    """Every file of a contract set, as JSON documents keyed by relative path."""

    files: dict[str, Any]
    pages: list[DocPage]
    applied_overrides: list[Override] = field(default_factory=list)


def render(doc: Any) -> bytes:
    """The canonical on-disk form of a contract file."""
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def build_from_pages(pages: list[DocPage], overrides: Sequence[Override] = ()) -> BuildResult:
    sources = collect_events(pages)
    files: dict[str, Any] = dict(envelope_files())
    by_type = {t: event_contract(src) for t, src in sources.items()}
    unknown = [o for o in overrides if o.type not in by_type]
    if unknown:
        from .overrides import OverrideError

        o = unknown[0]
        raise OverrideError(f"overrides[{o.index}]: no event type {o.type!r} in the pages built")
    for o in overrides:
        by_type[o.type] = apply_override(by_type[o.type], o)
    entries = []
    for event_type, contract in by_type.items():
        meta = contract["x-qev-event"]
        rel = contract_file(meta["domain"], event_type)
        files[rel] = contract
        entries.append(
            {
                "type": event_type,
                "file": rel,
                "id": contract["$id"],
                "domain": meta["domain"],
                "channel": meta["channel"],
                "title": meta["title"],
                "stability": meta["stability"],
                "deprecated": meta["deprecated"],
                "payload_documented": meta["payload_documented"],
                "examples": len(contract["examples"]),
                "pages": sorted({p["page"] for p in contract["x-qev-provenance"]}),
            }
        )
    files[CATALOG_FILE] = {
        "catalog_version": CATALOG_VERSION,
        "generator": "qevcontract contracts build",
        "envelopes": sorted(envelope_files()),
        "sources": sorted(
            (
                {
                    "page": Path(p.path).name,
                    "format": p.format,
                    "title": p.title,
                    "source_url": p.source_url,
                    "last_updated": p.last_updated,
                }
                for p in pages
            ),
            key=lambda s: s["page"],
        ),
        "events": entries,
    }
    return BuildResult(files, pages, list(overrides))


def build_contracts(
    page_paths: Sequence[str | Path], overrides: Sequence[Override] = ()
) -> BuildResult:
    """Parse the pages and build the contract set in memory."""
    return build_from_pages(parse_pages(page_paths), overrides)


def _existing_generated(out_dir: Path) -> set[str]:
    found = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*.schema.json")}
    if (out_dir / CATALOG_FILE).exists():
        found.add(CATALOG_FILE)
    return found


def stale_files(result: BuildResult, out_dir: Path) -> dict[str, str]:
    """Relative path -> "changed" / "missing" / "extra" against what is on disk."""
    out: dict[str, str] = {}
    for rel, doc in result.files.items():
        target = out_dir / rel
        if not target.exists():
            out[rel] = "missing"
        elif target.read_bytes() != render(doc):
            out[rel] = "changed"
    for rel in sorted(_existing_generated(out_dir) - set(result.files)) if out_dir.exists() else []:
        out[rel] = "extra"
    return dict(sorted(out.items()))


def write_contracts(result: BuildResult, out_dir: Path) -> dict[str, str]:
    """Write the set; remove generated files that no longer have a source. Returns changes."""
    changes = stale_files(result, out_dir)
    for rel, what in changes.items():
        target = out_dir / rel
        if what == "extra":
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(result.files[rel]))
    return changes
