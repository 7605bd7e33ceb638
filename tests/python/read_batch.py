"""Reads a `wfsim batch --keep events,snapshots` output with DuckDB, Polars and pyarrow, each as
one hive-partitioned dataset, and checks that they agree with each other and with the batch's
metrics.parquet. Usage: read_batch.py BATCH_DIR"""
import sys

import duckdb
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq

out = sys.argv[1]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


metrics = pq.read_table(f"{out}/metrics.parquet").to_pylist()
event_columns = [c for c in metrics[0] if c.startswith("events_")]
# per (scenario, seed, year): events = the sum of the event counts; snapshot rows = everyone
# employed in the year = n_start + hires.
want_events = {(m["scenario_id"], m["random_seed"], m["simulation_year"]): sum(m[c] for c in event_columns) for m in metrics}
want_rows = {(m["scenario_id"], m["random_seed"], m["simulation_year"]): m["n_start"] + m["events_hire"] for m in metrics}

for kind, want in (("events", want_events), ("snapshots", want_rows)):
    glob = f"{out}/{kind}/**/*.parquet"
    con = duckdb.connect()
    rows = con.execute(
        f"select scenario_id, random_seed, simulation_year, count(*) from read_parquet('{glob}', hive_partitioning = true) group by all"
    ).fetchall()
    got = {(s, int(k), int(y)): n for s, k, y, n in rows}
    check(got == want, f"duckdb {kind}: {len(got)} runs x years, counts equal metrics.parquet")

    counts = (
        pl.scan_parquet(glob, hive_partitioning=True)
        .group_by("scenario_id", "random_seed", "simulation_year")
        .agg(pl.len())
        .collect()
    )
    got = {(s, int(k), int(y)): n for s, k, y, n in counts.iter_rows()}
    check(got == want, f"polars {kind}: counts equal metrics.parquet")

    table = ds.dataset(f"{out}/{kind}", format="parquet", partitioning="hive").to_table(
        columns=["scenario_id", "random_seed", "simulation_year"]
    )
    got = {}
    for s, k, y in zip(*(table.column(c).to_pylist() for c in ("scenario_id", "random_seed", "simulation_year"))):
        got[(s, int(k), int(y))] = got.get((s, int(k), int(y)), 0) + 1
    check(got == want, f"pyarrow {kind}: counts equal metrics.parquet")

if failures:
    sys.exit(f"readers-test: {len(failures)} checks failed")
