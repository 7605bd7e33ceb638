"""wfsim.batch against `wfsim batch`: the same files and tables."""

import pyarrow.parquet as pq
import pytest

import wfsim
from conftest import assert_same_output, cli, cli_error


def test_batch_out_is_identical_to_the_cli(in_work, wfsim_bin):
    code, err = cli(wfsim_bin, in_work, "batch", "study.yaml", "--out", "cli_batch", "--keep", "events,snapshots")
    assert code == 0, err
    r = wfsim.batch("study.yaml", out="py_batch", keep="events,snapshots")
    assert_same_output(in_work / "cli_batch", in_work / "py_batch")
    assert r.metrics.to_arrow().equals(pq.read_table(in_work / "cli_batch" / "metrics.parquet"))
    assert r.summary["runs"] == 9 and r.summary["baseline"] == "current"


def test_batch_without_out_returns_the_tables(in_work):
    r = wfsim.batch("study.yaml")
    bands = r.ensemble.to_polars()
    assert set(bands["scenario_id"]) == {"current", "ae_4pct", "stretch_match"}
    assert set(r.deltas.to_polars()["scenario_id"]) == {"ae_4pct", "stretch_match"}
    assert r.metrics.num_rows == 3 * 3 * 3


def test_uncertain_batch_returns_its_draws_as_the_cli_writes_them(in_work, wfsim_bin):
    code, err = cli(wfsim_bin, in_work, "batch", "uncertain.yaml", "--out", "cli_uncertain")
    assert code == 0, err
    r = wfsim.batch("uncertain.yaml", out="py_uncertain")
    assert_same_output(in_work / "cli_uncertain", in_work / "py_uncertain")
    draws = r.parameters.to_arrow()
    assert draws.equals(pq.read_table(in_work / "cli_uncertain" / "parameters.parquet"))
    assert draws.column_names == ["random_seed", "key_path", "value"]
    assert draws.num_rows == 3 * 2
    assert r.horizon.num_rows == 3 * 3 * 12
    assert [u["key_path"] for u in r.summary["uncertainty"]] == [
        "enrollment.match_response.existing_participants",
        "workforce.total_termination_rate",
    ]
    assert wfsim.batch("study.yaml").parameters is None


def test_bad_batch_raises_with_the_cli_message(in_work, wfsim_bin):
    (in_work / "bad_study.yaml").write_text("base: base.yaml\nseeds: [1]\nscenarios: {a: {enrollment: {colour: 1}}}\n")
    want = cli_error(wfsim_bin, in_work, "batch", "bad_study.yaml", "--out", "x")
    with pytest.raises(wfsim.ConfigError) as e:
        wfsim.batch("bad_study.yaml")
    assert str(e.value) == want


def test_unknown_keep(in_work):
    with pytest.raises(wfsim.UsageError):
        wfsim.batch("study.yaml", keep="everything")


def test_the_tests_pass_shares_and_a_safe_harbor(in_work):
    # spec §9 through the Python package: the pass flags are int32 (null where a test does not
    # apply) and their ensemble mean is the share of seeds that pass; a safe harbor passes all
    (in_work / "ndt_study.yaml").write_text(
        "base: base.yaml\nseeds: [1, 2]\nscenarios:\n  plain: {}\n"
        "  harbor: {ndt: {safe_harbor: adp_acp}}\n"
    )
    r = wfsim.batch("ndt_study.yaml")
    m = r.metrics.to_arrow()
    assert str(m.schema.field("adp_pass").type) == "int32"
    assert str(m.schema.field("adp_excess").type) == "double"
    harbor = r.ensemble.to_polars().filter(scenario_id="harbor", metric="acp_pass")
    assert harbor["mean"].to_list() == [1.0] * len(harbor)
    assert (harbor["n"] == 2).all()
    run = wfsim.run("census.csv", config="base.yaml")
    first = run.summary["years"][0]["ndt"]
    assert set(first) == {"hce_count", "key_count", "adp", "acp", "coverage", "top_heavy"}
    assert first["adp"]["safe_harbor"] is False


def test_optimize_writes_what_the_cli_writes(in_work, wfsim_bin):
    (in_work / "opt.yaml").write_text(
        "base: base.yaml\nseeds: {first: 1, count: 3}\n"
        "levers:\n  enrollment.auto_enrollment.default_deferral_rate: [0.03, 0.06]\n"
        "  employer_core.rate: [0, 0.01]\n"
        "objective: [{metric: employer_cost_total, goal: minimize}, {metric: avg_deferral_rate, goal: maximize}]\n"
        "constraints:\n  - {metric: participation_rate, stat: p10, op: '>=', value: 0.5}\n"
    )
    code, err = cli(wfsim_bin, in_work, "optimize", "opt.yaml", "--out", "cli_opt")
    assert code == 0, err
    r = wfsim.optimize("opt.yaml", out="py_opt")
    assert_same_output(in_work / "cli_opt", in_work / "py_opt")
    assert r.designs.num_rows == 4
    assert r.pareto is not None and r.pareto.num_rows >= 1
    assert r.best is not None and "default_deferral_rate" in r.best
    assert r.summary["method"] == "grid"
    again = wfsim.optimize("opt.yaml")
    assert again.designs.to_arrow().equals(r.designs.to_arrow())
