"""Validate JSONL archives on a Dask cluster: `read_jsonl` and `validate`.

```python
import qevcontract.dask as qd

result = qd.validate(qd.read_jsonl("s3://bucket/events/2026-12-*.jsonl"))
rows, summary = result.compute()        # one pass: pandas rows + the CLI's summary
summary = result.to_parquet("s3://bucket/reports/2026-12/")   # or write the rows
```

Every partition is read and checked by the CLI's own code (`qevcontract._scale`), so the
verdicts, messages and counts are those of `qevcontract validate --format json` on the same
files. Line numbers are the file's when each partition holds whole files, which is what
`read_jsonl` (and `dask.bag.read_text` without `blocksize`) gives. Needs the `dask` extra:
``pip install 'qevcontract[dask]'``.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._scale import (
    Rows,
    arrow_schema,
    as_bytes,
    check_lines,
    freeze,
    module,
    require,
    summary_object,
    thaw,
)
from .validate._results import Summary

if TYPE_CHECKING:  # pragma: no cover
    from .validate._validator import Validator

__all__ = ["DaskResult", "read_jsonl", "validate"]


def _dask_bag() -> Any:
    return require("dask", "dask.bag", also=("dask.dataframe", "pyarrow"))


def read_jsonl(urlpath: str | list[str], **storage_options: Any) -> Any:
    """A bag of (line, path) for JSONL files, read so that `validate` sees them as the CLI
    does: one partition per file (exact line numbers), lines split at LF only (a bare CR
    is JSON whitespace, not a line break), and invalid UTF-8 kept as the bytes it was
    (``errors="surrogateescape"``) so that it is reported, not replaced or fatal.
    Compressed files (``.jsonl.gz``, ...) are read by their extension."""
    bag = _dask_bag()
    return bag.read_text(
        urlpath,
        compression="infer",
        encoding="utf-8",
        errors="surrogateescape",
        linedelimiter="\n",
        include_path=True,
        storage_options=storage_options or None,
    )


@dataclass(frozen=True)
class DaskResult:
    """Lazy results: `frame`, a Dask DataFrame of result rows (columns as in
    `qevcontract._scale.COLUMNS`), and the run's summary. `compute` and `to_parquet`
    validate once for both; `summary` alone validates too (and drops the rows)."""

    frame: Any
    _parts: list[Any]  # per partition, a Delayed (pandas rows, Summary)

    def summary(self) -> dict[str, Any]:
        """The `summary` object of `validate --format json` on the same lines."""
        dask = module("dask")

        (summaries,) = dask.compute([_second(part) for part in self._parts])
        return summary_object(_merge(summaries))

    def compute(self, **kwargs: Any) -> tuple[Any, dict[str, Any]]:
        """(pandas DataFrame of rows, summary), from one pass over the input."""
        dask, pd = module("dask"), module("pandas")

        (parts,) = dask.compute(self._parts, **kwargs)
        rows = pd.concat([part[0] for part in parts], ignore_index=True) if parts else _meta()
        return rows, summary_object(_merge([part[1] for part in parts]))

    def to_parquet(
        self, path: str, *, overwrite: bool = False, **storage_options: Any
    ) -> dict[str, Any]:
        """Write the rows as a Parquet dataset (a folder of ``part.N.parquet`` files, local
        or any fsspec URL) and return the summary, from one pass over the input.

        A folder that already holds files is refused (FileExistsError): a dataset mixed
        with an earlier run's parts would count events twice. `overwrite` empties it."""
        dask = module("dask")
        fs, root = module("fsspec").core.url_to_fs(path, **storage_options)
        if fs.exists(root) and fs.ls(root):
            if not overwrite:
                raise FileExistsError(
                    f"{path}: not empty (to_parquet(..., overwrite=True) empties it)"
                )
            fs.rm(root, recursive=True)

        writes = [
            dask.delayed(_write_part, pure=False)(part, path, number, storage_options)
            for number, part in enumerate(self._parts)
        ]
        (summaries,) = dask.compute(writes)
        return summary_object(_merge(summaries))


def validate(
    data: Any,
    *,
    validator: Validator | None = None,
    column: str | None = None,
    problems_only: bool = False,
) -> DaskResult:
    """Validate a Dask bag of JSONL lines, or a Dask DataFrame column of them.

    Bag items are lines (str or bytes), or (line, path) pairs as `read_jsonl` and
    ``read_text(..., include_path=True)`` give, with their line ends (a last line without
    one is reported cut off, as the CLI does); a DataFrame needs `column` (a Series is
    taken as it is), whose values are whole lines. Lines are numbered per source within
    each partition, as the CLI numbers a file; items without a path are named
    ``<dask partition N>``. str lines are turned back into bytes with ``surrogateescape``,
    so read text with that error handler (``errors="strict"``, Dask's default, fails the
    whole partition on invalid UTF-8); a DataFrame column must be binary
    (``pd.ArrowDtype(pa.binary())``) to hold such lines.
    `problems_only` keeps only rows of events with a violation, warning or note (the
    summary still counts every event). `validator` defaults to ``Validator()``.
    """
    bag_module = _dask_bag()
    dask, dd = module("dask"), module("dask.dataframe")

    frozen = freeze(validator)
    column_values = not isinstance(data, bag_module.Bag)
    if not column_values:
        parts = data.to_delayed(optimize_graph=True)
    else:
        if isinstance(data, dd.DataFrame):
            if column is None:
                raise ValueError("validate(dataframe) needs column=: the one holding JSON lines")
            data = data[column]
        if not isinstance(data, dd.Series):
            raise TypeError(
                f"expected a dask Bag, DataFrame or Series of JSON lines, not {type(data).__name__}"
            )
        parts = data.to_delayed(optimize_graph=True)
    checked = [
        dask.delayed(_check_partition, pure=True, nout=2)(
            part, number, frozen, problems_only, column_values
        )
        for number, part in enumerate(parts)
    ]
    frame = dd.from_delayed([rows for rows, _ in checked], meta=_meta(), verify_meta=False)
    return DaskResult(frame, checked)


def _check_partition(
    items: Iterable[Any], number: int, frozen: bytes, problems_only: bool, column_values: bool
) -> tuple[Any, Summary]:
    """One partition, in a worker: its rows as pandas, and its counts.

    Bag items are lines as read (a last line without LF is cut short: the CLI says so);
    column values are whole lines without their LF, given back here."""
    validator = thaw(frozen)
    rows = Rows(problems_only=problems_only)
    default = f"<dask partition {number}>"
    positions: dict[str, tuple[int, int]] = {}  # source -> next (line, index)
    run: list[bytes] = []
    run_source = default

    def flush() -> None:
        if run:
            line, index = positions.get(run_source, (1, 0))
            positions[run_source] = check_lines(
                validator, run, run_source, rows, first_line=line, first_index=index
            )
            run.clear()

    for item in items:
        if isinstance(item, tuple):
            line, source = item
        else:
            line, source = item, default
        if source != run_source:
            flush()
            run_source = source
        run.append(as_bytes(line) + b"\n" if column_values else as_bytes(line))
    flush()
    return _frame(rows), rows.summary


def _second(part: Any) -> Any:
    dask = module("dask")

    return dask.delayed(operator.itemgetter(1), pure=True)(part)


def _write_part(
    part: tuple[Any, Summary], path: str, number: int, storage_options: dict[str, Any]
) -> Summary:
    """Write one partition's rows as ``part.N.parquet`` under `path`; its counts back."""
    fsspec, pa, pq = module("fsspec"), module("pyarrow"), module("pyarrow.parquet")

    rows, summary = part
    fs, root = fsspec.core.url_to_fs(path, **storage_options)
    fs.makedirs(root, exist_ok=True)
    table = pa.Table.from_pandas(rows, schema=arrow_schema(), preserve_index=False)
    with fs.open(f"{root.rstrip('/')}/part.{number:05d}.parquet", "wb") as handle:
        pq.write_table(table, handle)
    return summary


def _merge(summaries: list[Summary]) -> Summary:
    total = Summary()
    for summary in summaries:
        total.merge(summary)
    return total


def _frame(rows: Rows) -> Any:
    """Rows as a pandas DataFrame with Arrow-backed columns (nullable, Parquet-ready)."""
    table = module("pyarrow").Table.from_pydict(rows.columns, schema=arrow_schema())
    return table.to_pandas(types_mapper=module("pandas").ArrowDtype)


def _meta() -> Any:
    return _frame(Rows())
