"""Fixtures for the Python package's tests (run by scripts/python-test).

Every comparison is against the `wfsim` command line (WFSIM_BIN) on the same inputs, in the
same working directory, so paths in summaries read the same."""

import filecmp
import json
import os
import subprocess
from pathlib import Path

import pytest

# Fields of the JSON summaries that measure the machine, not the model.
VOLATILE = {"wall_seconds", "events_per_second", "runs_per_second", "peak_memory_bytes", "threads"}

BASE = "simulation: {start_year: 2025, end_year: 2027, census_path: census.csv}\n"
BATCH = """base: base.yaml
seeds: {first: 1, count: 3}
scenarios:
  current: {}
  ae_4pct: {enrollment: {auto_enrollment: {default_deferral_rate: 0.04}}}
  stretch_match: {employer_match: {tiers: [{from: 0, to: 0.12, rate: 0.25}]}}
"""
# The same study with assumption uncertainty (spec §8).
UNCERTAIN = BATCH + """uncertainty:
  enrollment.match_response.existing_participants: {uniform: [0, 0.6]}
  workforce.total_termination_rate: {triangular: [0.8, 1.0, 1.2], scale: true}
"""


@pytest.fixture(scope="session")
def wfsim_bin():
    path = os.environ.get("WFSIM_BIN")
    assert path and os.access(path, os.X_OK), "set WFSIM_BIN to the wfsim binary to compare with"
    return path


@pytest.fixture(scope="session")
def work(tmp_path_factory, wfsim_bin):
    """A census of 1,500, a base config naming it, and a 3 x 3 batch file, also with uncertainty."""
    d = tmp_path_factory.mktemp("work")
    subprocess.run(
        [wfsim_bin, "census", "-q", "--employees", "1500", "--seed", "2", "--out", "census.csv"],
        cwd=d,
        check=True,
    )
    (d / "base.yaml").write_text(BASE)
    (d / "study.yaml").write_text(BATCH)
    (d / "uncertain.yaml").write_text(UNCERTAIN)
    return d


@pytest.fixture
def in_work(work, monkeypatch):
    monkeypatch.chdir(work)
    return work


def cli(wfsim_bin, cwd, *args):
    """Runs the CLI; returns (exit code, stderr)."""
    p = subprocess.run([wfsim_bin, "-q", *args], cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stderr


def cli_error(wfsim_bin, cwd, *args):
    """The CLI's error message (what follows `error: `), asserting it failed."""
    code, err = cli(wfsim_bin, cwd, *args)
    assert code != 0, f"wfsim {' '.join(args)} succeeded"
    assert err.startswith("error: "), err
    return err[len("error: "):].strip()


def files(root: Path):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def assert_same_output(a: Path, b: Path):
    """The same files; Parquet byte for byte, JSON equal but for the machine's figures."""
    assert files(a) == files(b)
    assert any(f.endswith(".parquet") for f in files(a))
    for f in files(a):
        if f.endswith(".json"):
            ja, jb = (json.loads((root / f).read_text()) for root in (a, b))
            strip = lambda j: {k: v for k, v in j.items() if k not in VOLATILE}
            assert strip(ja) == strip(jb), f
        else:
            assert filecmp.cmp(a / f, b / f, shallow=False), f"{f} differs"
