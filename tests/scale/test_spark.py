"""qevcontract.spark on a real local Spark (local[2], loopback only), checked against the
CLI's JSON report on the same files, event by event."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import CUT_LINE, EDGE_LINES, by_event, cli_report, frame_rows, report_rows

pytestmark = pytest.mark.scale

pytest.importorskip("pyspark")
qs = pytest.importorskip("qevcontract.spark")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs a Java runtime (.ci/run installs one): none found")
    saved = {k: os.environ.get(k) for k in ("SPARK_LOCAL_IP", "PYSPARK_PYTHON")}
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = sys.executable  # executors run this venv's Python
    session = qs.local_session(
        "qevcontract-tests",
        config={
            "spark.sql.shuffle.partitions": "2",
            # Small Arrow batches: runs of one file cross batch boundaries, as in big archives.
            "spark.sql.execution.arrow.maxRecordsPerBatch": "16",
        },
    )
    try:
        yield session
    finally:
        session.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


INCOMPLETE = "incomplete JSON: the line ends inside the event (one event per line)"


def _expected(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The CLI's rows, with the one documented difference: Spark drops line ends, so a
    last line cut off without its LF reads as a complete line that ends inside the event
    (same verdict, same code, the other of the reader's two messages)."""
    rows = []
    for row in report_rows(report):
        if row[0].endswith("cut.jsonl") and row[7] == "unreadable":
            assert row[14].startswith("truncated JSON")
            row = (
                *row[:14],
                "incomplete JSON: the line ends inside the event (one event per line)",
            )
        rows.append(row)
    return rows


def test_rows_and_summary_are_the_clis(spark: Any, archive: list[str]) -> None:
    report = cli_report(archive)
    lines = qs.read_jsonl(spark, archive)
    assert not qs._may_split(lines)  # small files: no counting pass
    result = qs.validate(lines)
    rows = result.frame.toPandas()
    assert result.summary() == report["summary"]
    assert by_event(frame_rows(rows, strip="file:")) == by_event(_expected(report))
    summary = report["summary"]
    assert summary["unreadable"] >= 6
    assert set(summary["by_envelope"]) == {"cloudevents", "hybrid", "legacy"}
    bad_utf8 = rows[rows["message"].str.contains("invalid UTF-8", na=False)]
    assert list(bad_utf8["line"]) == [EDGE_LINES.index(EDGE_LINES[2]) + 1]
    assert CUT_LINE  # the cut file's last event is in the comparison above


def test_parquet_problems_only_and_settings(spark: Any, archive: list[str], tmp_path: Any) -> None:
    import pandas as pd

    from qevcontract import Validator

    report = cli_report(archive, "--strict")
    result = qs.validate(qs.read_jsonl(spark, archive), validator=Validator(strict=True))
    summary = result.write_parquet(str(tmp_path / "rows"), problems_only=True)
    assert summary == report["summary"]
    rows = pd.read_parquet(tmp_path / "rows")
    expected = [r for r in _expected(report) if r[8] is not None]
    assert by_event(frame_rows(rows, strip="file:")) == by_event(expected)


def test_split_files_are_numbered_as_whole_files(
    spark: Any, archive: list[str], tmp_path: Any
) -> None:
    """A file Spark splits: a first pass counts each split's lines, so rows carry the
    file's line numbers and messages that cite a line cite the right one."""
    big = tmp_path / "big.jsonl"
    with big.open("wb") as out:
        for _ in range(10):
            for path in archive:
                with open(path, "rb") as handle:
                    out.write(handle.read().rstrip(b"\n") + b"\n")
    report = cli_report([str(big)])
    expected = report_rows(report)
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(big.stat().st_size // 5))
    try:
        frame = qs.read_jsonl(spark, str(big))
        assert frame.rdd.getNumPartitions() >= 4
        assert qs._may_split(frame)
        exact = qs.validate(frame).frame.toPandas()
        rough = qs.validate(frame, exact_lines=False).frame.toPandas()
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
    assert by_event(frame_rows(exact, strip="file:")) == by_event(expected)
    assert qs.summarize(spark.createDataFrame(rough)) == report["summary"]
    numbered = [r for r in frame_rows(rough, strip="file:") if r[1] is not None]
    assert 0 < len(numbered) < len(expected)
    assert set(numbered) <= set(expected)


def test_a_dataframe_not_read_from_files(spark: Any, archive: list[str]) -> None:
    edge = next(p for p in archive if p.endswith("edge.jsonl"))
    report = cli_report([edge])
    frame = spark.createDataFrame([(line,) for line in EDGE_LINES], "raw binary").coalesce(1)
    rows = qs.validate(frame).frame.toPandas()
    renamed = [("<spark partition 0>", *r[1:]) for r in report_rows(report)]
    assert by_event(frame_rows(rows)) == by_event(renamed)


def test_compressed_files(spark: Any, edge_gz: tuple[str, str]) -> None:
    """Archives are kept gzipped; Spark reads them whole (never split), by extension."""
    edge, packed = edge_gz
    report = cli_report([edge])
    rows = qs.validate(qs.read_jsonl(spark, packed)).frame.toPandas()
    renamed = [(packed, *r[1:]) for r in report_rows(report)]
    assert by_event(frame_rows(rows, strip="file:")) == by_event(renamed)
