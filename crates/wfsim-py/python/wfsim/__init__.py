"""wfsim: project a workforce and its retirement plan from a census and a config.

``wfsim.run`` and ``wfsim.batch`` call the same library as the ``wfsim`` command line, so the
same inputs give the same results (and, with ``out=``, the same files). Results are Arrow
tables taken from the engine without a copy; ``.to_polars()`` and ``.to_pandas()`` convert.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Dict, Mapping, Optional, Sequence, Union

import pyarrow as pa
import pyarrow.parquet as pq

from . import _wfsim
from ._wfsim import (
    CensusError,
    ConfigError,
    EngineError,
    InputError,
    OutputError,
    UsageError,
    WfsimError,
    WriteError,
)

__version__ = _wfsim.__version__
__all__ = [
    "run",
    "batch",
    "Table",
    "RunResult",
    "BatchResult",
    "WfsimError",
    "UsageError",
    "InputError",
    "ConfigError",
    "CensusError",
    "OutputError",
    "EngineError",
    "WriteError",
]

PathLike = Union[str, "os.PathLike[str]"]


class Table:
    """An Arrow table of results; hand it to Polars, pandas, DuckDB or anything that reads Arrow."""

    def __init__(self, table: pa.Table) -> None:
        self._table = table

    def to_arrow(self) -> pa.Table:
        return self._table

    def to_polars(self) -> Any:
        import polars as pl

        return pl.from_arrow(self._table)

    def to_pandas(self, **kwargs: Any) -> Any:
        return self._table.to_pandas(**kwargs)

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self._table.__arrow_c_stream__(requested_schema)

    @property
    def schema(self) -> pa.Schema:
        return self._table.schema

    @property
    def column_names(self) -> list:
        return self._table.column_names

    @property
    def num_rows(self) -> int:
        return self._table.num_rows

    def __len__(self) -> int:
        return self._table.num_rows

    def __repr__(self) -> str:
        return f"wfsim.Table({self._table.num_rows} rows: {', '.join(self._table.column_names)})"


class RunResult:
    """One run: its events, year-end snapshots and per-year metrics, and its summary."""

    def __init__(self, events: Table, snapshots: Table, metrics: Table, summary: Dict[str, Any]):
        self.events = events
        self.snapshots = snapshots
        self.metrics = metrics
        self.summary = summary

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"wfsim.RunResult({s['scenario_id']}, seed {s['random_seed']}, "
            f"{s['start_year']}-{s['end_year']}: {s['total_events']} events)"
        )


class BatchResult:
    """A batch: every run's metrics, their ensemble statistics and paired deltas, the horizon
    totals, each seed's draws of the uncertain assumptions (``None`` without ``uncertainty:``),
    and the summary."""

    def __init__(
        self,
        metrics: Table,
        ensemble: Table,
        deltas: Table,
        horizon: Table,
        parameters: Optional[Table],
        summary: Dict[str, Any],
    ):
        self.metrics = metrics
        self.ensemble = ensemble
        self.deltas = deltas
        self.horizon = horizon
        self.parameters = parameters
        self.summary = summary

    def __repr__(self) -> str:
        return f"wfsim.BatchResult({self.summary['runs']} runs, baseline {self.summary['baseline']})"


def _census_arg(census: Any) -> tuple:
    """A path stays a path (the loader reads CSV or Parquet); anything else must be Arrow."""
    if census is None:
        return None, ""
    if isinstance(census, (str, os.PathLike)):
        return os.fspath(census), ""
    if hasattr(census, "__arrow_c_stream__"):
        kind = type(census)
        return census.__arrow_c_stream__(), f"{kind.__module__}.{kind.__qualname__}"
    raise TypeError(
        "census: expected a path (CSV or Parquet) or an Arrow-compatible table "
        f"(pyarrow, Polars, pandas), got {type(census).__name__}"
    )


def _config_args(config: Any) -> tuple:
    if config is None:
        return None, None
    if isinstance(config, (str, os.PathLike)):
        return os.fspath(config), None
    if isinstance(config, Mapping):
        # YAML reads JSON, so the dict goes to the same parser and validation as a file.
        return None, json.dumps(config)
    raise TypeError(f"config: expected a path or a dict, got {type(config).__name__}")


def run(
    census: Any,
    config: Union[PathLike, Mapping[str, Any], None] = None,
    *,
    seed: Optional[int] = None,
    scenario: Optional[str] = None,
    start: Optional[int] = None,
    end: Optional[int] = None,
    out: Optional[PathLike] = None,
    threads: Optional[int] = None,
) -> RunResult:
    """Run the model once, like ``wfsim run``; with ``out`` also write its output directory."""
    census_arg, label = _census_arg(census)
    config_path, config_text = _config_args(config)
    events, snapshots, metrics, summary = _wfsim.run(
        census_arg,
        f"Arrow table ({label})" if label else "",
        config_path,
        config_text,
        seed,
        scenario,
        start,
        end,
        None if out is None else os.fspath(out),
        threads,
    )
    return RunResult(
        Table(pa.table(events)),
        Table(pa.table(snapshots)),
        Table(pa.table(metrics)),
        json.loads(summary),
    )


def _keep(keep: Union[str, Sequence[str]]) -> tuple:
    kinds = [k.strip() for k in keep.split(",")] if isinstance(keep, str) else list(keep)
    unknown = [k for k in kinds if k not in ("metrics", "events", "snapshots")]
    if unknown:
        raise UsageError(
            f"keep: unknown value {unknown[0]!r}: expected metrics, events and/or snapshots"
        )
    return "events" in kinds, "snapshots" in kinds


def _read_batch(out: str, summary: Dict[str, Any]) -> BatchResult:
    def read(name: str) -> Table:
        return Table(pq.read_table(os.path.join(out, name)))

    parameters = os.path.join(out, "parameters.parquet")
    return BatchResult(
        read("metrics.parquet"),
        read("ensemble.parquet"),
        read("deltas.parquet"),
        read("horizon.parquet"),
        read("parameters.parquet") if os.path.exists(parameters) else None,
        summary,
    )


def batch(
    batch: PathLike,
    *,
    out: Optional[PathLike] = None,
    keep: Union[str, Sequence[str]] = "metrics",
    threads: Optional[int] = None,
    census_map: Optional[PathLike] = None,
) -> BatchResult:
    """Run a batch file's scenarios x seeds, like ``wfsim batch``.

    With ``out`` the batch's directory is written there (replaced atomically); without it the
    files go to a temporary directory that is removed once the tables are read. ``census_map``
    is a YAML file with a ``census:`` section (columns, date_format, sheet, header_row,
    deferral_rate_unit) saying how the census file is laid out, for every scenario, like
    ``wfsim batch --census-map``.
    """
    events, snapshots = _keep(keep)
    map_path = None if census_map is None else os.fspath(census_map)
    if out is None:
        with tempfile.TemporaryDirectory(prefix="wfsim-batch-") as tmp:
            where = os.path.join(tmp, "batch")
            summary = _wfsim.run_batch(
                os.fspath(batch), where, events, snapshots, threads, map_path
            )
            # read_table reads the files into memory, so the tables outlive the directory.
            return _read_batch(where, json.loads(summary))
    where = os.fspath(out)
    summary = _wfsim.run_batch(os.fspath(batch), where, events, snapshots, threads, map_path)
    return _read_batch(where, json.loads(summary))


class OptimizeResult:
    """An optimization: every evaluated design, the Pareto front (``None`` with one objective),
    the best design's overlay as YAML text (``None`` when no design meets every constraint),
    and the summary."""

    def __init__(self, designs: Table, pareto: Optional[Table], best: Optional[str], summary: Dict[str, Any]):
        self.designs = designs
        self.pareto = pareto
        self.best = best
        self.summary = summary

    def __repr__(self) -> str:
        s = self.summary
        return f"wfsim.OptimizeResult({s['designs_evaluated']} designs, {s['feasible']} feasible, best {s['best']})"


def _read_optimize(out: str, summary: Dict[str, Any]) -> OptimizeResult:
    pareto = os.path.join(out, "pareto.parquet")
    best = os.path.join(out, "best.yaml")
    best_text = None
    if os.path.exists(best):
        with open(best, encoding="utf-8") as f:
            best_text = f.read()
    return OptimizeResult(
        Table(pq.read_table(os.path.join(out, "designs.parquet"))),
        Table(pq.read_table(pareto)) if os.path.exists(pareto) else None,
        best_text,
        summary,
    )


def optimize(
    spec: PathLike,
    *,
    out: Optional[PathLike] = None,
    threads: Optional[int] = None,
    census_map: Optional[PathLike] = None,
) -> OptimizeResult:
    """Search an optimization file's designs, like ``wfsim optimize``.

    With ``out`` the directory is written there (replaced atomically); without it the files go
    to a temporary directory that is removed once they are read.
    """
    map_path = None if census_map is None else os.fspath(census_map)
    if out is None:
        with tempfile.TemporaryDirectory(prefix="wfsim-optimize-") as tmp:
            where = os.path.join(tmp, "optimize")
            summary = _wfsim.run_optimize(os.fspath(spec), where, threads, map_path)
            return _read_optimize(where, json.loads(summary))
    where = os.fspath(out)
    summary = _wfsim.run_optimize(os.fspath(spec), where, threads, map_path)
    return _read_optimize(where, json.loads(summary))

