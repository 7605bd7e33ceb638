"""wfsim.run against `wfsim run`: the same files, the same tables, the same errors."""

import re
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import wfsim
from conftest import assert_same_output, cli, cli_error


def test_out_is_byte_identical_to_the_cli(in_work, wfsim_bin):
    code, err = cli(wfsim_bin, in_work, "run", "--config", "base.yaml", "--out", "cli", "--threads", "2")
    assert code == 0, err
    r = wfsim.run("census.csv", "base.yaml", out="py", threads=2)
    assert_same_output(in_work / "cli", in_work / "py")
    # The tables returned are the files' contents.
    for kind, name in (("events", "events"), ("snapshots", "snapshot")):
        for year in (2025, 2026, 2027):
            f = in_work / "cli" / kind / f"simulation_year={year}" / f"{name}_{year}.parquet"
            got = getattr(r, kind).to_arrow()
            got = got.filter(pa.compute.equal(got["simulation_year"], year))
            assert got.equals(pq.read_table(f).combine_chunks()), (kind, year)
    assert r.summary["total_events"] == r.events.num_rows


def test_tables_without_out_equal_those_with_out(in_work):
    a = wfsim.run("census.csv", "base.yaml", seed=7)
    b = wfsim.run("census.csv", "base.yaml", seed=7, out="py7")
    for kind in ("events", "snapshots", "metrics"):
        assert getattr(a, kind).to_arrow().equals(getattr(b, kind).to_arrow()), kind
    assert a.summary["output_bytes"] == 0


def test_overrides_match_the_cli_flags(in_work, wfsim_bin):
    args = ("--seed", "9", "--scenario", "s9", "--start", "2026", "--end", "2027")
    code, err = cli(wfsim_bin, in_work, "run", "--config", "base.yaml", "--out", "cli9", "--threads", "1", *args)
    assert code == 0, err
    wfsim.run("census.csv", "base.yaml", seed=9, scenario="s9", start=2026, end=2027, out="py9", threads=1)
    assert_same_output(in_work / "cli9", in_work / "py9")


def test_metrics_and_polars(in_work):
    r = wfsim.run("census.csv", "base.yaml")
    m = r.metrics.to_polars()
    assert m["simulation_year"].to_list() == [2025, 2026, 2027]
    hires = r.events.to_polars().filter(pl.col("event_type") == "hire").group_by("simulation_year").len()
    assert sorted(hires["len"].to_list()) == sorted(m["events_hire"].to_list())
    assert [y["year"] for y in r.summary["years"]] == [2025, 2026, 2027]


@pytest.mark.parametrize(
    "source, load",
    [
        pytest.param("census.csv", pacsv.read_csv, id="pyarrow"),
        pytest.param("census.csv", pl.read_csv, id="polars"),
        pytest.param("census.csv", pd.read_csv, id="pandas"),
        pytest.param("census.parquet", pq.read_table, id="pyarrow-from-parquet"),
        pytest.param("census.parquet", pl.read_parquet, id="polars-from-parquet"),
    ],
)
def test_census_tables_give_the_path_results(in_work, wfsim_bin, source, load):
    code, err = cli(wfsim_bin, in_work, "census", "--employees", "1500", "--seed", "2", "--out", "census.parquet", "--force")
    assert code == 0, err
    by_path = wfsim.run("census.csv", "base.yaml")
    by_table = wfsim.run(load(source), "base.yaml")
    assert by_table.events.to_arrow().equals(by_path.events.to_arrow())
    assert by_table.snapshots.to_arrow().equals(by_path.snapshots.to_arrow())
    assert by_table.summary["census_file"].startswith("Arrow table (")


def test_census_parquet_path(in_work, wfsim_bin):
    cli(wfsim_bin, in_work, "census", "--employees", "300", "--seed", "4", "--out", "c300.parquet", "--force")
    code, err = cli(wfsim_bin, in_work, "run", "--census", "c300.parquet", "--out", "cli300", "--threads", "2")
    assert code == 0, err
    wfsim.run("c300.parquet", out="py300", threads=2)
    assert_same_output(in_work / "cli300", in_work / "py300")


def test_config_dict_equals_the_file(in_work):
    by_file = wfsim.run("census.csv", "base.yaml")
    by_dict = wfsim.run("census.csv", {"simulation": {"start_year": 2025, "end_year": 2027}})
    assert by_dict.events.to_arrow().equals(by_file.events.to_arrow())
    assert by_dict.summary["config_file"] is None


def test_bad_census_value_raises_census_error_with_the_cli_message(in_work, wfsim_bin):
    lines = (in_work / "census.csv").read_text().splitlines()
    header = lines[0].split(",")
    col = header.index("hire_date")
    row = lines[3].split(",")
    row[col] = "not-a-date"
    lines[3] = ",".join(row)
    (in_work / "bad.csv").write_text("\n".join(lines) + "\n")
    want = cli_error(wfsim_bin, in_work, "run", "--config", "base.yaml", "--census", "bad.csv", "--out", "x")
    with pytest.raises(wfsim.CensusError) as e:
        wfsim.run("bad.csv", "base.yaml", out="x")
    assert str(e.value) == want
    assert isinstance(e.value, wfsim.InputError) and isinstance(e.value, wfsim.WfsimError)
    assert e.value.column == "hire_date" and e.value.value == "not-a-date"
    assert not (in_work / "x").exists(), "nothing half-written"
    # The same row in a table names the table instead of a file.
    with pytest.raises(wfsim.CensusError) as e:
        wfsim.run(pacsv.read_csv(in_work / "bad.csv"), "base.yaml")
    # (a table has rows but no file lines: the CLI's "row 3 (line 4)" is "row 3" there)
    assert str(e.value) == want.replace("bad.csv", "Arrow table (pyarrow.lib.Table)", 1).replace(" (line 4)", "", 1)


def test_missing_census_raises_input_error(in_work, wfsim_bin):
    want = cli_error(wfsim_bin, in_work, "run", "--config", "base.yaml", "--census", "nope.csv", "--out", "x")
    with pytest.raises(wfsim.InputError) as e:
        wfsim.run("nope.csv", "base.yaml", out="x")
    assert str(e.value) == want


def test_bad_config_raises_config_error_with_the_key_path(in_work, wfsim_bin):
    (in_work / "bad.yaml").write_text("simulation: {end_year: 2027, census_path: census.csv}\nenrollment: {colour: blue}\n")
    want = cli_error(wfsim_bin, in_work, "run", "--config", "bad.yaml", "--out", "x")
    with pytest.raises(wfsim.ConfigError) as e:
        wfsim.run("census.csv", "bad.yaml")
    assert str(e.value) == want
    with pytest.raises(wfsim.ConfigError) as e:
        wfsim.run("census.csv", {"enrollment": {"colour": "blue"}})
    # The same message, but for where in the text (the dict is sent as one line of JSON).
    at = re.compile(r" at line \d+ column \d+")
    assert at.sub("", str(e.value)) == at.sub("", want.replace("bad.yaml", "config dict", 1))
    assert "colour" in e.value.key


def test_wrong_argument_types(in_work):
    with pytest.raises(TypeError):
        wfsim.run(42)
    with pytest.raises(TypeError):
        wfsim.run("census.csv", 42)
    with pytest.raises(wfsim.UsageError):
        wfsim.run("census.csv", "base.yaml", threads=0)
