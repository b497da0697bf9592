"""SARIF 2.1.0, the parts every qevcontract log shares: the header, the driver, the rules'
shape, and where a result sits.

Two choices, per the standard (OASIS SARIF 2.1.0 plus Errata 01):
- `$schema` is the schema OASIS publishes (the `id` of
  `sarif-schema-2.1.0.json` in the errata01 release), not a mirror's copy;
- an artifact in the run's source tree is a relative reference with `uriBaseId`
  `%SRCROOT%` (§3.4.3: a relative `uri` SHOULD come with a `uriBaseId`), and the run says
  what `%SRCROOT%` is in `originalUriBaseIds` (§3.14.14); any other file is an absolute
  `file:` URI, with no `uriBaseId`. Paths are percent-encoded, so a space or `#` in a file
  name still makes a valid URI reference.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from .levels import sarif_level

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/qevcontract/qevcontract"
SOURCE_ROOT = "%SRCROOT%"


def log_header() -> dict[str, Any]:
    """The log's first members; `runs` follows."""
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION}


def run_head(rules: list[dict[str, Any]], root: Path) -> dict[str, Any]:
    """A run up to its `results`: the tool, what `%SRCROOT%` stands for, how columns count
    (code points: the locators count characters, not UTF-16 units)."""
    from .. import __version__  # package metadata: read only when a log is written

    return {
        "tool": {
            "driver": {
                "name": "qevcontract",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": file_uri(root).rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
    }


def rule_descriptor(
    code: str,
    name: str,
    summary: str,
    severity: str,
    *,
    description: str | None = None,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    """A reportingDescriptor (§3.49): id, name, descriptions, default level, tags."""
    rule: dict[str, Any] = {"id": code, "name": name, "shortDescription": {"text": summary}}
    if description is not None:
        rule["fullDescription"] = {"text": description}
        rule["help"] = {"text": description}
    rule["defaultConfiguration"] = {"level": sarif_level(severity)}
    if tags is not None:
        rule["properties"] = {"tags": tags}
    return rule


def file_uri(path: Path) -> str:
    """`file:///...` for an absolute path; never fails, even on names that are not UTF-8
    (which Python carries as lone surrogates)."""
    posix = path.as_posix()
    return "file://" + ("" if posix.startswith("/") else "/") + _quote(posix)


def _quote(path: str) -> str:
    return quote(path, safe="/", errors="surrogatepass")


def artifact_location(path: str) -> dict[str, Any]:
    """An artifactLocation for a forward-slash path: relative ones (to the run's source
    root, `..` allowed) under `%SRCROOT%`, absolute ones as `file:` URIs."""
    if PurePosixPath(path).is_absolute() or Path(path).is_absolute():
        return {"uri": file_uri(Path(path))}
    return {"uri": _quote(path), "uriBaseId": SOURCE_ROOT}


def physical_location(
    artifact: dict[str, Any], line: int | None, column: int | None
) -> dict[str, Any]:
    """A physicalLocation; the region only when the line is known (lines and columns count
    from 1, §3.30.5)."""
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line is not None and line >= 1:
        region = {"startLine": line}
        if column is not None and column >= 1:
            region["startColumn"] = column
        physical["region"] = region
    return physical
