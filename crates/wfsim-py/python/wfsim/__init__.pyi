import os
from typing import Any, Dict, Mapping, Optional, Sequence, Union

import pyarrow as pa

__version__: str

PathLike = Union[str, os.PathLike[str]]

class WfsimError(Exception): ...
class UsageError(WfsimError): ...
class InputError(WfsimError):
    file: Optional[str]
class ConfigError(InputError):
    file: str
    key: str
class CensusError(InputError):
    file: str
    row: Optional[str]
    column: Optional[str]
    value: Optional[str]
class OutputError(WfsimError): ...
class EngineError(WfsimError): ...
class WriteError(WfsimError): ...

class Table:
    def __init__(self, table: pa.Table) -> None: ...
    def to_arrow(self) -> pa.Table: ...
    def to_polars(self) -> Any: ...
    def to_pandas(self, **kwargs: Any) -> Any: ...
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...
    @property
    def schema(self) -> pa.Schema: ...
    @property
    def column_names(self) -> list[str]: ...
    @property
    def num_rows(self) -> int: ...
    def __len__(self) -> int: ...

class RunResult:
    events: Table
    snapshots: Table
    metrics: Table
    summary: Dict[str, Any]

class BatchResult:
    metrics: Table
    ensemble: Table
    deltas: Table
    horizon: Table
    parameters: Optional[Table]
    summary: Dict[str, Any]

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
) -> RunResult: ...
def batch(
    batch: PathLike,
    *,
    out: Optional[PathLike] = None,
    keep: Union[str, Sequence[str]] = "metrics",
    threads: Optional[int] = None,
    census_map: Optional[PathLike] = None,
) -> BatchResult: ...

class OptimizeResult:
    designs: Table
    pareto: Optional[Table]
    best: Optional[str]
    summary: Dict[str, Any]

def optimize(
    spec: PathLike,
    *,
    out: Optional[PathLike] = None,
    threads: Optional[int] = None,
    census_map: Optional[PathLike] = None,
) -> OptimizeResult: ...

