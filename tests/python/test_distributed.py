"""wfsim.distributed.run_batch on a real local Ray cluster (2 CPUs) against `wfsim batch`."""

import pytest
import ray

import wfsim
import wfsim.distributed
from conftest import assert_same_output, cli, cli_error


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.mark.parametrize("runs_per_task", [1, 4])
def test_ray_batch_is_identical_to_the_cli(cluster, in_work, wfsim_bin, runs_per_task):
    code, err = cli(wfsim_bin, in_work, "batch", "study.yaml", "--out", "cli_batch", "--keep", "events,snapshots")
    assert code == 0, err
    out = f"ray_batch_{runs_per_task}"
    r = wfsim.distributed.run_batch("study.yaml", out=out, keep="events,snapshots", runs_per_task=runs_per_task)
    assert_same_output(in_work / "cli_batch", in_work / out)
    assert r.summary["runs"] == 9


def test_ray_batch_with_uncertainty_is_identical_to_the_cli(cluster, in_work, wfsim_bin):
    code, err = cli(wfsim_bin, in_work, "batch", "uncertain.yaml", "--out", "cli_uncertain_ray")
    assert code == 0, err
    r = wfsim.distributed.run_batch("uncertain.yaml", out="ray_uncertain", runs_per_task=2)
    assert_same_output(in_work / "cli_uncertain_ray", in_work / "ray_uncertain")
    assert r.parameters.num_rows == 3 * 2


def test_ray_batch_of_bad_input_fails_with_its_message(cluster, in_work, wfsim_bin):
    lines = (in_work / "census.csv").read_text().splitlines()
    lines[5] = lines[5].replace(",", ",,", 1)
    (in_work / "bad.csv").write_text("\n".join(lines) + "\n")
    (in_work / "bad_base.yaml").write_text("simulation: {start_year: 2025, end_year: 2026, census_path: bad.csv}\n")
    (in_work / "bad_study.yaml").write_text("base: bad_base.yaml\nseeds: [1, 2]\nscenarios: {a: {}}\n")
    want = cli_error(wfsim_bin, in_work, "batch", "bad_study.yaml", "--out", "x")
    with pytest.raises(wfsim.InputError) as e:
        wfsim.distributed.run_batch("bad_study.yaml", out="x")
    assert str(e.value) == want
    assert not (in_work / "x").exists()
