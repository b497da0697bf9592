"""Shared by the Dask and Spark tests: an archive with every kind of line, and the oracle.

The oracle is the CLI itself: `qevcontract validate --format json` run as a separate
process on the same files. Engine rows are compared with the rows its report implies,
event by event and violation by violation.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"

# A valid event, then lines each unreadable or odd in one way the reader must survive.
VALID = (FIXTURES / "valid" / "apps" / "com.qlik.app.created.jsonl").read_bytes().splitlines()[0]
EDGE_LINES: list[bytes] = [
    b"\xef\xbb\xbf" + VALID,  # a byte order mark before the first event
    b"",  # a blank line: a line, not an event
    VALID.replace(b'"id":"', b'"id":"\xff\xfe', 1),  # invalid UTF-8 inside a string
    b"not json at all",
    b"[1, 2, 3]",  # JSON, but not an object
    VALID[:-1] + b',"id":"again"}',  # a duplicate key
    VALID[:-1] + b',"big":123456789012345678901234567890}',  # beyond 64-bit integers
    VALID.replace(b'","', b'", "'),  # not compact: the careful path
    VALID.replace(b'"com.qlik.app.created"', b'"com.qlik.app.creatd"'),  # unknown type
    VALID.replace(b'"specversion":"1.0"', b'"specversion":"0.3"'),
    VALID + b"\r",  # a CRLF line end: CR is JSON whitespace
    b"   ",
    b'{"specversion": "1.0", "id": "x"',  # cut inside the event, but the line ends
    VALID.replace(b'"time":"', b'"time":"yesterday', 1),
]


CUT_LINE = VALID[: len(VALID) // 2]


def _write_lines(path: Path, lines: Iterable[bytes]) -> Path:
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def _cli(*args: str, stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "qevcontract", *args], stdout=stdout, check=False, timeout=300
    )


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """JSONL files as an archive holds them: the repository's valid and invalid fixtures,
    legacy and hybrid deliveries of some of them, and a file of unreadable and odd lines."""
    root = tmp_path_factory.mktemp("archive")
    files: list[Path] = []
    for fixture in sorted(FIXTURES.glob("*/*/*.jsonl")):
        target = root / fixture.relative_to(FIXTURES)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fixture, target)
        files.append(target)
    for shape in ("legacy", "hybrid"):
        target = root / f"{shape}.jsonl"
        apps = sorted(str(p) for p in (FIXTURES / "valid" / "apps").glob("*.jsonl"))
        with target.open("wb") as out:
            assert _cli("normalize", *apps, "--to", shape, stdout=out).returncode == 0
        lines = target.read_bytes().splitlines()
        # One hybrid whose halves disagree on the type (an error, QEV121).
        lines[0] = lines[0].replace(b'"com.qlik.app.created"', b'"com.qlik.app.deleted"', 1)
        files.append(_write_lines(target, lines))
    files.append(_write_lines(root / "edge.jsonl", EDGE_LINES))
    # An archive cut off mid-event (a transfer that stopped): the last line has no LF.
    cut = root / "cut.jsonl"
    cut.write_bytes(VALID + b"\n" + CUT_LINE)
    files.append(cut)
    return [str(f) for f in files]


# The oracle's output by (paths, options): the Dask and Spark tests ask for the same few
# reports (the whole archive, its file of odd lines) and every file they name is written once
# and never changed, so each report is computed once per session. A fresh dict every call.
_REPORTS: dict[tuple[tuple[str, ...], tuple[str, ...]], bytes] = {}


def cli_report(paths: Sequence[str], *options: str) -> dict[str, Any]:
    """The CLI's JSON report on `paths` (exit 1: there are invalid events)."""
    key = (tuple(paths), options)
    if key not in _REPORTS:
        done = _cli("validate", "--format", "json", *options, *paths)
        assert done.returncode in (0, 1), done.returncode
        _REPORTS[key] = done.stdout
    report: dict[str, Any] = json.loads(_REPORTS[key])
    return report


def report_rows(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The result rows the CLI's report implies, in the engines' column order."""
    rows = []
    for r in report["results"]:
        event = (r["source"], r["line"], r["index"], r["id"], r["type"], r["contract"],
                 r["envelope"], r["status"])  # fmt: skip
        if not r["violations"]:
            rows.append((*event, None, None, None, None, None, None, None))
        for n, v in enumerate(r["violations"]):
            rows.append((*event, n, v["pointer"], v["column"], v["code"], v["rule"],
                         v["severity"], v["message"]))  # fmt: skip
    return rows


def frame_rows(frame: Any, *, strip: str = "") -> list[tuple[Any, ...]]:
    """A pandas results frame as tuples (nulls as None), sources without `strip`."""
    from qevcontract._scale import COLUMN_NAMES

    assert tuple(frame.columns) == COLUMN_NAMES
    rows = []
    for values in frame.astype(object).itertuples(index=False, name=None):
        row = [None if _is_null(v) else v for v in values]
        row[0] = row[0].removeprefix(strip)
        for i in (1, 2, 8, 10):  # integer columns (pandas may hand them back as floats)
            if row[i] is not None:
                row[i] = int(row[i])
        rows.append(tuple(row))
    return rows


def _is_null(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def by_event(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows in a fixed order: source, event index, violation number."""
    return sorted(rows, key=lambda r: (r[0], r[2] if r[2] is not None else -1,
                                       r[8] if r[8] is not None else -1))  # fmt: skip


@pytest.fixture
def edge_gz(archive: list[str], tmp_path: Path) -> tuple[str, str]:
    """(the file of odd lines, the same gzipped): archives are kept compressed."""
    import gzip

    edge = next(p for p in archive if p.endswith("edge.jsonl"))
    packed = tmp_path / "edge.jsonl.gz"
    packed.write_bytes(gzip.compress(Path(edge).read_bytes()))
    return edge, str(packed)
