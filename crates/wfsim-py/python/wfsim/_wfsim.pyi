import os
from typing import Any, List, Optional, Tuple

__version__: str

class WfsimError(Exception): ...
class UsageError(WfsimError): ...
class InputError(WfsimError): ...
class ConfigError(InputError): ...
class CensusError(InputError): ...
class OutputError(WfsimError): ...
class EngineError(WfsimError): ...
class WriteError(WfsimError): ...

class ArrowStream:
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...

class BatchPlan:
    def __init__(
        self,
        path: str,
        out: str,
        keep_events: bool,
        keep_snapshots: bool,
        threads: Optional[int] = None,
        created_at_micros: Optional[int] = None,
        census_map: Optional[str] = None,
    ) -> None: ...
    @property
    def runs(self) -> int: ...
    @property
    def created_at_micros(self) -> int: ...
    def begin(self) -> str: ...
    def run(self, r: int, root: str) -> List[Tuple[int, List[Tuple[int, int]]]]: ...
    def finish(self, results: List[List[Tuple[int, List[Tuple[int, int]]]]]) -> str: ...

def run(
    census: Any,
    census_label: str,
    config_path: Optional[str],
    config_text: Optional[str],
    seed: Optional[int],
    scenario: Optional[str],
    start: Optional[int],
    end: Optional[int],
    out: Optional[str],
    threads: Optional[int],
) -> Tuple[ArrowStream, ArrowStream, ArrowStream, str]: ...
def run_batch(
    path: str,
    out: str,
    keep_events: bool,
    keep_snapshots: bool,
    threads: Optional[int] = None,
    census_map: Optional[str] = None,
) -> str: ...
def run_optimize(
    path: str,
    out: str,
    threads: Optional[int] = None,
    census_map: Optional[str] = None,
) -> str: ...
