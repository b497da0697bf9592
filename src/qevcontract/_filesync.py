"""Bring a directory in line with a generated file set, touching only what the generator owns.

Both generated trees (the contract set and the fixture set) are synced the same way: write
what is missing or different, and remove files that an earlier run generated but the new
set no longer has. What counts as "generated earlier" is the caller's decision (`owned`),
and it must be evidence the generator left behind (an index it wrote, an `$id` it stamped),
never "every file that matches a pattern": a user's own files in the directory stay.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Literal

Change = Literal["missing", "changed", "extra"]


def safe_relative(rel: object) -> str | None:
    """`rel` as a normalised relative POSIX path inside the root, or None if it is not one.

    An index read back from disk is untrusted input: an absolute path, `..` or an empty
    segment must never make a sync delete something outside its directory.
    """
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel:
        return None
    path = PurePosixPath(rel)
    if path.is_absolute() or any(part in ("", ".", "..") for part in rel.split("/")):
        return None
    return path.as_posix()


def plan_sync(root: Path, files: Mapping[str, bytes], owned: Iterable[str]) -> dict[str, Change]:
    """{relative path: change} that would make `root` hold exactly `files`.

    "missing": in `files`, not on disk; "changed": on disk with other bytes; "extra": in
    `owned`, on disk, and not in `files` (to be removed). Sorted by path.
    """
    out: dict[str, Change] = {}
    for rel, data in files.items():
        target = root / rel
        if not target.is_file():
            out[rel] = "missing"
        elif target.read_bytes() != data:
            out[rel] = "changed"
    for raw in owned:
        rel_or_none = safe_relative(raw)
        if rel_or_none is None or rel_or_none in files:
            continue
        if (root / rel_or_none).is_file():
            out[rel_or_none] = "extra"
    return dict(sorted(out.items()))


def apply_sync(root: Path, files: Mapping[str, bytes], plan: Mapping[str, Change]) -> None:
    """Carry out a `plan_sync` plan. OSError (unwritable directory, ...) propagates."""
    for rel, what in plan.items():
        target = root / rel
        if what == "extra":
            target.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[rel])


__all__ = ["Change", "apply_sync", "plan_sync", "safe_relative"]
