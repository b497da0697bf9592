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

from .._filesync import apply_sync, plan_sync
from .._spec.envelopes import envelope_files
from .._spec.uris import BASE_URI
from ._assemble import collect_events
from ._model import DocPage, PageWarning
from ._overrides import Override, apply_override
from ._pages import read_pages
from ._schema import contract_file, event_contract

CATALOG_FILE = "catalog.json"
CATALOG_VERSION = 1


@dataclass
class BuildResult:
    """Every file of a contract set, as JSON documents keyed by relative path."""

    files: dict[str, Any]
    pages: list[DocPage]
    applied_overrides: list[Override] = field(default_factory=list)
    # Files in the page folders that were not read, with why (see pages.skipped_page_files).
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    def warnings(self) -> list[PageWarning]:
        """What the pages said that the build could not read, page by page, line order."""
        return [w for page in self.pages for w in sorted(page.warnings, key=lambda w: w.line)]


def render(doc: Any) -> bytes:
    """The canonical on-disk form of a contract file."""
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def build_from_pages(pages: list[DocPage], overrides: Sequence[Override] = ()) -> BuildResult:
    sources = collect_events(pages)
    files: dict[str, Any] = dict(envelope_files())
    by_type = {t: event_contract(src) for t, src in sources.items()}
    unknown = [o for o in overrides if o.type not in by_type]
    if unknown:
        from ._overrides import OverrideError

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
                    "page": p.name,
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
    pages, skipped = read_pages(page_paths)
    result = build_from_pages(pages, overrides)
    result.skipped = skipped
    return result


def _generated_here(out_dir: Path) -> set[str]:
    """Files in `out_dir` that an earlier build wrote: never a user's own schema files.

    Evidence of that is either the earlier build's catalogue (its events' `file` and its
    `envelopes`) or a `*.schema.json` whose `$id` is exactly the `$id` this builder gives a
    file at that place (BASE_URI + its relative path). A schema with another `$id`, with none,
    or that is not JSON is someone else's; so is a contract set copied into a subfolder.
    """
    if not out_dir.is_dir():
        return set()
    owned: set[str] = set()
    catalog = _read_json(out_dir / CATALOG_FILE)
    if isinstance(catalog, dict):
        events = catalog.get("events")
        envelopes = catalog.get("envelopes")
        listed = (
            [e.get("file") for e in events if isinstance(e, dict)]
            if isinstance(events, list)
            else []
        )
        listed += envelopes if isinstance(envelopes, list) else []
        # Only what a build writes, whatever an edited catalogue says (filesync also refuses
        # absolute paths and `..`).
        owned.update(r for r in listed if isinstance(r, str) and r.endswith(".schema.json"))
    for path in out_dir.rglob("*.schema.json"):
        rel = path.relative_to(out_dir).as_posix()
        if rel in owned or not path.is_file():
            continue
        doc = _read_json(path)
        if isinstance(doc, dict) and doc.get("$id") == BASE_URI + rel:
            owned.add(rel)
    return owned


def _read_json(path: Path) -> Any:
    """The JSON document in `path`, or None when it is absent, unreadable or not JSON."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _rendered(result: BuildResult) -> dict[str, bytes]:
    return {rel: render(doc) for rel, doc in result.files.items()}


def stale_files(result: BuildResult, out_dir: Path) -> dict[str, str]:
    """Relative path -> "changed" / "missing" / "extra" against what is on disk.

    "extra" is only ever a file an earlier build generated (see `_generated_here`).
    """
    return dict(plan_sync(out_dir, _rendered(result), _generated_here(out_dir)))


def write_contracts(result: BuildResult, out_dir: Path) -> dict[str, str]:
    """Write the set; remove generated files that no longer have a source. Returns changes.

    OSError (an unwritable or impossible output directory) propagates to the caller.
    """
    files = _rendered(result)
    plan = plan_sync(out_dir, files, _generated_here(out_dir))
    apply_sync(out_dir, files, plan)
    return dict(plan)
