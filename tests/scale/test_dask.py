"""qevcontract.dask on a real local cluster (two worker processes on loopback), checked
against the CLI's JSON report on the same files, event by event."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import EDGE_LINES, by_event, cli_report, frame_rows, report_rows

pytestmark = pytest.mark.scale

distributed = pytest.importorskip("distributed")
qd = pytest.importorskip("qevcontract.dask")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


def test_rows_and_summary_are_the_clis(client: Any, archive: list[str]) -> None:
    report = cli_report(archive)
    result = qd.validate(qd.read_jsonl(archive))
    rows, summary = result.compute()
    assert summary == report["summary"]
    assert summary["read"] == summary["valid"] + summary["invalid"] + summary["unreadable"]
    assert by_event(frame_rows(rows)) == by_event(report_rows(report))
    # What the archive was built to hold really is there (the comparison is not vacuous).
    assert summary["unreadable"] >= 6
    assert set(summary["by_envelope"]) == {"cloudevents", "hybrid", "legacy"}
    assert summary["notes"] > 0
    bad_utf8 = rows[rows["message"].str.contains("invalid UTF-8", na=False)]
    assert list(bad_utf8["line"]) == [EDGE_LINES.index(EDGE_LINES[2]) + 1]


def test_settings_travel_and_one_validator_per_worker(client: Any, archive: list[str]) -> None:
    from qevcontract import Validator, _scale

    def builds() -> int:
        return _scale.BUILDS[0]

    before = client.run(builds)
    # Settings no other test uses, so this validator is new to every worker.
    validator = Validator(strict=True, unknown_types="warn")
    result = qd.validate(qd.read_jsonl(archive), validator=validator)
    assert result.summary() == cli_report(archive, "--strict", "--unknown-types", "warn")["summary"]
    after = client.run(builds)
    assert len(archive) > 20  # partitions: one per file
    assert all(0 <= after[w] - before[w] <= 1 for w in after), (before, after)


def test_parquet_and_problems_only(client: Any, archive: list[str], tmp_path: Any) -> None:
    import pandas as pd

    report = cli_report(archive)
    result = qd.validate(qd.read_jsonl(archive), problems_only=True)
    summary = result.to_parquet(str(tmp_path / "rows"))
    assert summary == report["summary"]  # every event counted, not only the rows kept
    rows = pd.read_parquet(tmp_path / "rows")
    expected = [r for r in report_rows(report) if r[8] is not None]
    assert by_event(frame_rows(rows)) == by_event(expected)
    # A second run into the same folder: refused, or it replaces the first one's parts.
    with pytest.raises(FileExistsError, match="not empty"):
        result.to_parquet(str(tmp_path / "rows"))
    assert result.to_parquet(str(tmp_path / "rows"), overwrite=True) == summary
    assert len(pd.read_parquet(tmp_path / "rows")) == len(rows)


def test_a_dataframe_column(client: Any, archive: list[str]) -> None:
    """Lines from any DataFrame column: no file names, so each partition is one source.
    A string column cannot hold invalid UTF-8: such lines stay bytes, in a binary column."""
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow as pa

    edge = next(p for p in archive if p.endswith("edge.jsonl"))
    report = cli_report([edge])
    raw = pd.Series(EDGE_LINES, dtype=pd.ArrowDtype(pa.binary()))
    frame = dd.from_pandas(pd.DataFrame({"n": range(len(raw)), "raw": raw}), npartitions=1)
    rows, summary = qd.validate(frame, column="raw").compute()
    assert summary == report["summary"]
    renamed = [("<dask partition 0>", *r[1:]) for r in report_rows(report)]
    assert by_event(frame_rows(rows)) == by_event(renamed)


def test_a_plain_bag_with_three_partitions(client: Any) -> None:
    """Without paths, lines are numbered within their partition, as a file of their own."""
    import dask.bag as db

    lines = [line + b"\n" for line in EDGE_LINES]
    rows, summary = qd.validate(db.from_sequence(lines, npartitions=3)).compute()
    assert set(rows["source"]) == {f"<dask partition {n}>" for n in range(3)}
    assert summary["read"] == summary["valid"] + summary["invalid"] + summary["unreadable"]
    assert summary["read"] == sum(1 for line in EDGE_LINES if line.strip())


def test_compressed_files(client: Any, edge_gz: tuple[str, str]) -> None:
    """Archives are kept gzipped: read by extension, counted as the plain file."""
    edge, packed = edge_gz
    report = cli_report([edge])
    rows, summary = qd.validate(qd.read_jsonl(packed)).compute()
    assert summary == report["summary"]
    renamed = [(packed, *r[1:]) for r in report_rows(report)]
    assert by_event(frame_rows(rows)) == by_event(renamed)
