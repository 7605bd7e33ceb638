"""Batches on a Ray cluster: each (scenario, seed) run, or a small group of them, is a Ray task.

The tasks write their kept files straight into the batch's staging directory beside ``out``
(so ``out`` must be on a filesystem every worker sees); the driver gathers each run's metrics
and writes the metrics, ensemble and delta tables with the same library code as ``wfsim
batch``, then swaps the directory into place. Files do not depend on the number of workers or
the order tasks finish in: results are put back in run order before anything is computed.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional, Sequence, Union

from . import BatchResult, UsageError, WriteError, _keep, _read_batch, _wfsim

# A task that fails for a reason outside wfsim (a worker or node lost) is retried by Ray this
# many times; a WriteError (a full or flaky shared disk) is retried too. Bad input is not: it
# fails the same way everywhere, so the batch fails with its message at once.
MAX_RETRIES = 3


def _part_root(staging: str) -> str:
    """Where a task writes its part of the output. The one place that knows the output is a
    shared filesystem path: an object-store URL would be handled here."""
    return staging


def _run_group(
    batch: str,
    out: str,
    keep: tuple,
    created_at_micros: int,
    census_map: Optional[str],
    cwd: str,
    staging: str,
    runs: List[int],
) -> List[Any]:
    # Paths in the batch file (and the census map) resolve as they did on the driver.
    os.chdir(cwd)
    plan = _wfsim.BatchPlan(batch, out, keep[0], keep[1], 1, created_at_micros, census_map)
    root = _part_root(staging)
    return [plan.run(r, root) for r in runs]


def run_batch(
    batch: Union[str, "os.PathLike[str]"],
    *,
    out: Union[str, "os.PathLike[str]"],
    ray_address: Optional[str] = None,
    keep: Union[str, Sequence[str]] = "metrics",
    runs_per_task: int = 1,
    census_map: Union[str, "os.PathLike[str]", None] = None,
) -> BatchResult:
    """``wfsim batch`` with its runs as Ray tasks; returns what :func:`wfsim.batch` returns.

    ``ray_address`` is passed to ``ray.init`` when Ray is not initialised yet (``None`` starts
    a local cluster or joins the one ``RAY_ADDRESS`` names; ``"auto"`` joins the local node's).
    ``census_map`` is as in :func:`wfsim.batch` (``wfsim batch --census-map``); every task
    reads the census with it, as the driver does.
    """
    import ray

    if runs_per_task < 1:
        raise UsageError(f"runs_per_task: {runs_per_task} is not a whole number from 1")
    if not ray.is_initialized():
        ray.init(address=ray_address)
    batch, out = os.fspath(batch), os.fspath(out)
    events, snapshots = _keep(keep)
    map_path = None if census_map is None else os.fspath(census_map)
    plan = _wfsim.BatchPlan(batch, out, events, snapshots, None, None, map_path)
    staging = os.path.abspath(plan.begin())
    task = ray.remote(num_cpus=1, max_retries=MAX_RETRIES, retry_exceptions=[WriteError])(
        _run_group
    )
    groups = [
        list(range(first, min(first + runs_per_task, plan.runs)))
        for first in range(0, plan.runs, runs_per_task)
    ]
    cwd = os.getcwd()
    refs = [
        task.remote(
            batch, out, (events, snapshots), plan.created_at_micros, map_path, cwd, staging, g
        )
        for g in groups
    ]
    try:
        results = [m for group in ray.get(refs) for m in group]
    except ray.exceptions.RayTaskError as e:
        for ref in refs:
            ray.cancel(ref)
        # The wfsim error itself, with its message, not Ray's wrapper.
        cause = e.cause if isinstance(e.cause, BaseException) else e
        raise cause from None
    summary: Dict[str, Any] = json.loads(plan.finish(results))
    return _read_batch(out, summary)


__all__ = ["run_batch", "MAX_RETRIES"]
