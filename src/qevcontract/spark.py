"""Validate JSONL archives with Spark: `read_jsonl` and `validate` (and `local_session`,
a loopback session for one machine).

```python
import qevcontract.spark as qs

result = qs.validate(qs.read_jsonl(spark, "s3a://bucket/events/2026-12-*.jsonl"))
summary = result.write_parquet("s3a://bucket/reports/2026-12/")   # rows, then counts
```

Lines reach Python as Arrow batches of their raw bytes (`mapInArrow`); each is read and
checked by the CLI's own code (`qevcontract._scale`), so verdicts, messages and counts are
those of `qevcontract validate --format json` on the same files, invalid UTF-8 included
(Spark's text source keeps a line's bytes as they were). Needs the `spark` extra:
``pip install 'qevcontract[spark]'``, a Java runtime, and qevcontract on the executors.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._scale import (
    COLUMNS,
    Rows,
    arrow_schema,
    check_lines,
    freeze,
    module,
    require,
    summary_from_counts,
    thaw,
)

if TYPE_CHECKING:  # pragma: no cover
    from .validate._validator import Validator

__all__ = ["SparkResult", "local_session", "read_jsonl", "summarize", "validate"]

_SOURCE, _START, _LINE = "_qev_source", "_qev_block_start", "_qev_line"
SCHEMA = ", ".join(f"`{name}` {'long' if kind == 'int64' else 'string'}" for name, kind in COLUMNS)


def _pyspark() -> Any:
    return require("spark", "pyspark.sql", also=("pyarrow", "pandas"))


def local_session(
    app_name: str = "qevcontract", *, cores: int = 2, config: Mapping[str, str] | None = None
) -> Any:
    """A Spark session on this machine alone: `local[cores]`, driver bound to loopback, no
    web UI and no console progress bar (they would interleave with the report); Spark's log
    at ERROR. For a laptop, a test or a benchmark; on a cluster, use your own session.

    `SPARK_LOCAL_IP` (loopback) and `PYSPARK_PYTHON` (this interpreter, so executors import
    this environment's qevcontract) are set unless already set. `config` adds settings.
    """
    import os
    import sys

    sql = _pyspark()
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    settings = {
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        **(config or {}),
    }
    builder = sql.SparkSession.builder.master(f"local[{cores}]").appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def read_jsonl(spark: Any, paths: str | list[str]) -> Any:
    """A DataFrame of JSONL lines read as the CLI reads them: split at LF only (a bare CR
    is JSON whitespace, not a line break; Spark's default also splits at CR)."""
    _pyspark()
    return spark.read.option("lineSep", "\n").text(paths)


@dataclass(frozen=True)
class SparkResult:
    """`frame`: a lazy Spark DataFrame of result rows (columns as in
    `qevcontract._scale.COLUMNS`; write it as any DataFrame). `summary` runs one
    aggregation over it; `write_parquet` writes the rows and counts what it wrote."""

    frame: Any

    def summary(self) -> dict[str, Any]:
        """The `summary` object of `validate --format json` on the same lines (validates
        again unless `frame` is cached or was read back from what it wrote)."""
        return summarize(self.frame)

    def write_parquet(
        self, path: str, *, mode: str = "errorifexists", problems_only: bool = False
    ) -> dict[str, Any]:
        """Write the rows to Parquet and return the summary; the input is validated once.

        All rows: the summary is counted from the written files. `problems_only` writes
        only rows of events with a violation, warning or note, which cannot count the
        others: the rows are then persisted (memory, spilling to disk) while both the
        write and the count read them. `mode`: "errorifexists" or "overwrite" (appending
        would count the earlier rows too)."""
        if mode not in ("errorifexists", "error", "overwrite"):
            raise ValueError(f"mode must be 'errorifexists' or 'overwrite', not {mode!r}")
        if not problems_only:
            self.frame.write.mode(mode).parquet(path)
            return summarize(self.frame.sparkSession.read.parquet(path))
        from pyspark import StorageLevel

        rows = self.frame.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            rows.where(rows["violation"].isNotNull()).write.mode(mode).parquet(path)
            return summarize(rows)
        finally:
            rows.unpersist()


def validate(
    dataframe: Any,
    *,
    validator: Validator | None = None,
    column: str | None = None,
    exact_lines: bool = True,
) -> SparkResult:
    """Validate a Spark DataFrame of JSONL lines (string or binary `column`; the only
    column by default), as `read_jsonl` or ``spark.read.text`` give.

    Rows are named and numbered from Spark's file metadata (path, split). Spark splits
    large plain files (``spark.sql.files.maxPartitionBytes``, 128 MB by default; gzip is
    never split), and a split does not know how many lines came before it: with
    `exact_lines`, a first job (in the JVM, no Python) counts the lines of every split,
    so that every row carries its file's line and event numbers, as the CLI's report. With
    ``exact_lines=False`` that pass is skipped: rows of a split that does not start its
    file have null line and index, and a message that cites another line counts from the
    split's start; verdicts, codes and the summary are unchanged. (Compressed files that
    Spark cannot split, such as gzip, never need the pass.) A DataFrame not read
    from files has its rows named ``<spark partition N>``, numbered within the partition.
    """
    _pyspark()
    from pyspark.sql import functions as F

    if column is None:
        if len(dataframe.columns) != 1:
            raise ValueError(
                f"validate(dataframe) needs column=: it has {len(dataframe.columns)} columns"
            )
        column = dataframe.columns[0]
    line = F.col(column).cast("binary").alias(_LINE)
    try:
        lines = dataframe.select(
            line,
            F.col("_metadata.file_path").alias(_SOURCE),
            F.col("_metadata.file_block_start").alias(_START),
        )
    except Exception:  # not read from files: no _metadata column
        lines = dataframe.select(
            line, F.lit(None).cast("string").alias(_SOURCE), F.lit(0).cast("long").alias(_START)
        )
        exact_lines = False
    frozen = freeze(validator)
    offsets = _split_offsets(lines) if exact_lines and _may_split(dataframe) else {}

    def check(batches: Iterator[Any]) -> Iterator[Any]:
        return _check_batches(batches, frozen, offsets)

    return SparkResult(lines.mapInArrow(check, SCHEMA))


# Spark never splits a file compressed with a codec that cannot start mid-stream (Hadoop's
# non-splittable codecs; bzip2 is splittable): such files need no counting pass.
_WHOLE_FILE_CODECS = (".gz", ".deflate", ".zst", ".lz4", ".snappy")


def _may_split(dataframe: Any) -> bool:
    """Whether Spark may split one of the input files: False when each is compressed with
    a codec Spark cannot split, or no larger than the split size Spark computes (sizes
    from the file system, as the planner sees them). When in doubt, True. Being wrong
    cannot give a wrong line number: a split without its offset has null lines."""
    try:
        files = dataframe.inputFiles()
        plain = {f for f in files if not f.lower().endswith(_WHOLE_FILE_CODECS)}
        if not plain:
            return False
        spark = dataframe.sparkSession
        jvm, context = spark.sparkContext._jvm, spark.sparkContext
        hadoop = context._jsc.hadoopConfiguration()
        conf = spark._jsparkSession.sessionState().conf()
        open_cost = conf.filesOpenCostInBytes()
        sizes = []
        for name in files:
            path = jvm.org.apache.hadoop.fs.Path(name)
            sizes.append(path.getFileSystem(hadoop).getFileStatus(path).getLen())
        # FilePartition.maxSplitBytes, as Spark 3 and 4 compute it.
        min_partitions = conf.filesMinPartitionNum()
        parallelism = (
            min_partitions.get() if min_partitions.isDefined() else context.defaultParallelism
        )
        per_core = sum(size + open_cost for size in sizes) // max(1, parallelism)
        split = min(conf.filesMaxPartitionBytes(), max(open_cost, per_core))
        return any(size > split for name, size in zip(files, sizes, strict=True) if name in plain)
    except Exception:  # Spark Connect (no JVM here), another file source: count to be sure
        return True


def _split_offsets(lines: Any) -> dict[tuple[str, int], tuple[int, int]]:
    """(first line, first event index) of every split that does not start its file, from
    one JVM-only job that counts each split's lines and non-blank lines (events)."""
    from pyspark.sql import functions as F

    blank = F.btrim(F.col(_LINE), F.lit(b" \t\r")) == F.lit(b"")
    counts = (
        lines.groupBy(_SOURCE, _START)
        .agg(F.count(F.lit(1)).alias("lines"), F.sum(F.when(blank, 0).otherwise(1)).alias("events"))
        .collect()
    )
    splits: dict[str, list[tuple[int, int, int]]] = {}
    for row in counts:
        splits.setdefault(row[_SOURCE], []).append((row[_START], row["lines"], row["events"]))
    offsets: dict[tuple[str, int], tuple[int, int]] = {}
    for source, parts in splits.items():
        if len(parts) < 2:
            continue
        line, index = 1, 0
        for start, count, events in sorted(parts):
            offsets[(source, start)] = (line, index)
            line, index = line + count, index + events
    return offsets


def _check_batches(
    batches: Iterator[Any], frozen: bytes, offsets: dict[tuple[str, int], tuple[int, int]]
) -> Iterator[Any]:
    """One partition's Arrow batches of lines, in an executor's Python worker: result rows,
    one Arrow batch out per batch in. `offsets`: where splits after a file's first start."""
    from pyspark import TaskContext

    record_batch = module("pyarrow").RecordBatch
    validator = thaw(frozen)
    schema = arrow_schema()
    context = TaskContext.get()
    default = f"<spark partition {context.partitionId() if context else 0}>"
    positions: dict[tuple[str, int], tuple[int, int]] = {}  # (source, split) -> (line, index)
    for batch in batches:
        rows = Rows()
        lines = batch.column(_LINE).to_pylist()
        sources = batch.column(_SOURCE).to_pylist()
        starts = batch.column(_START).to_pylist()
        begin = 0
        for end in range(1, len(lines) + 1):
            if end < len(lines) and sources[end] == sources[begin] and starts[end] == starts[begin]:
                continue
            key = (sources[begin] or default, starts[begin] or 0)
            line, index = positions.get(key) or offsets.get(key, (1, 0))
            # Spark strips line ends; the CLI's lines keep theirs.
            run = [(raw or b"") + b"\n" for raw in lines[begin:end]]
            positions[key] = check_lines(
                validator, run, key[0], rows, first_line=line, first_index=index,
                numbered=key[1] == 0 or key in offsets,
            )  # fmt: skip
            begin = end
        yield record_batch.from_pydict(rows.columns, schema=schema)


def summarize(frame: Any) -> dict[str, Any]:
    """The JSON report's summary from a results frame (say, read back from Parquet), in
    one aggregation: events are counted on their first row, violations on each."""
    _pyspark()
    from pyspark.sql import functions as F

    first = F.col("violation").isNull() | (F.col("violation") == 0)

    def key(what: str, value: Any, when: Any) -> Any:
        return F.when(when & value.isNotNull(), F.struct(F.lit(what).alias("what"),
                                                         value.alias("value")))  # fmt: skip

    keys = F.array(
        key("status", F.col("status"), first),
        key("type", F.col("type"), first),
        key("envelope", F.col("envelope"), first),
        key("severity", F.col("severity"), F.lit(True)),
    )
    counted = (
        frame.select(F.explode(keys).alias("k"))
        .where(F.col("k").isNotNull())
        .groupBy("k.what", "k.value")
        .count()
        .collect()
    )
    return summary_from_counts({(row["what"], row["value"]): row["count"] for row in counted})
