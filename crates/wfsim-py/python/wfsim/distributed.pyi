import os
from typing import Optional, Sequence, Union

from . import BatchResult

MAX_RETRIES: int

def run_batch(
    batch: Union[str, os.PathLike[str]],
    *,
    out: Union[str, os.PathLike[str]],
    ray_address: Optional[str] = None,
    keep: Union[str, Sequence[str]] = "metrics",
    runs_per_task: int = 1,
    census_map: Union[str, os.PathLike[str], None] = None,
) -> BatchResult: ...
