"""Checks what `wfsim report` wrote with readers that share no code with it.

    check_report.py png FILE WIDTH HEIGHT
        the screenshot has the expected size and is not blank: many distinct colours and a
        good share of non-white pixels (charts, tables and text were drawn).
    check_report.py run-xlsx WORKBOOK RUN_DIR
        every per-year sheet equals generation_summary.json (openpyxl), the nondiscrimination
        sheets its `ndt` of each year, under a line stating the tests' simplifications.
    check_report.py optimize-xlsx WORKBOOK OPTIMIZE_DIR
        the Designs sheet equals designs.parquet design by design.
    check_report.py batch-xlsx WORKBOOK BATCH_DIR
        the Metrics, Ensemble and Deltas sheets equal metrics.parquet, ensemble.parquet and
        deltas.parquet cell for cell (openpyxl, pyarrow); the Sensitivity sheet, with
        uncertainty, the rank correlations of the draws with the horizon cost; the nondiscrimination sheets hold the
        share of seeds passing each test (ensemble.parquet) and the ADP margin's statistics over
        the seeds, recomputed here from metrics.parquet with the spec's percentile formula.
"""
import json
import sys
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
from PIL import Image


def fail(message):
    sys.exit(f"check_report: {message}")


def check_png(path, width, height):
    img = Image.open(path).convert("RGB")
    if img.size != (width, height):
        fail(f"{path}: size {img.size}, expected {(width, height)}")
    colours = img.getcolors(maxcolors=1 << 24)
    distinct = len(colours)
    white = sum(n for n, c in colours if min(c) >= 250)
    inked = 1 - white / (width * height)
    if distinct < 50 or inked < 0.03:
        fail(f"{path}: looks blank ({distinct} colours, {inked:.1%} non-white)")
    print(f"{path}: {width}x{height}, {distinct} colours, {inked:.1%} non-white")


def header(ws):
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]


def rows(ws):
    """The data rows: up to the first empty row (a note may follow it)."""
    out = []
    for r in ws.iter_rows(min_row=2, values_only=True):
        if all(v is None for v in r):
            break
        out.append(list(r))
    return out


def note(ws):
    """The line under the data rows, after one empty row (None without one)."""
    n = len(rows(ws))
    value = ws.cell(row=n + 3, column=1).value
    if ws.max_row > n + 3:
        fail(f"sheet {ws.title}: rows after the note")
    return value


def check_simplifications(ws):
    line = note(ws)
    # spec §9's list, in the words of its simplifications
    needed = ["top-paid-group", "318 attribution", "hours-based", "permissive disaggregation",
              "step 2", "deferral part", "5-year distribution look-back"]
    if not line or any(w not in line for w in needed):
        fail(f"sheet {ws.title}: the tests' simplifications are not stated: {line!r}")


def result(test):
    if test["safe_harbor"]:
        return "SH"
    return {True: "PASS", False: "FAIL", None: "n/a"}[test["pass"]]


def check_run_ndt(wb, years):
    want = []
    for y in years:
        row = [y["year"]]
        for t in (y["ndt"]["adp"], y["ndt"]["acp"]):
            margin = None if t["limit"] is None or t["hce"] is None else t["limit"] - t["hce"]
            row += [t["hce"], t["nhce"], t["limit"], margin, result(t), t["excess"]]
        want.append(row)
    ws = wb["Nondiscrimination"]
    got = rows(ws)
    if got != want:
        fail(f"sheet Nondiscrimination: {got} != {want}")
    for r, row in enumerate(got, start=2):
        for c, value in enumerate(row, start=1):
            if value == "FAIL" and not ws.cell(row=r, column=c).font.b:
                fail(f"sheet Nondiscrimination: FAIL at row {r} is not marked")
    want = []
    for y in years:
        n = y["ndt"]
        c = n["coverage"]
        cov = "n/a" if c["ratio"] is None else ("PASS" if c["pass"] else "FAIL")
        want.append([
            y["year"], n["hce_count"], n["key_count"], n["adp"]["n_hce"], n["adp"]["n_nhce"],
            c["n_hce"], c["benefiting_hce"], c["n_nhce"], c["benefiting_nhce"], c["ratio"], cov,
            n["top_heavy"]["ratio"], "yes" if n["top_heavy"]["top_heavy"] else "no",
        ])
    got = rows(wb["Coverage and top-heavy"])
    if got != want:
        fail(f"sheet Coverage and top-heavy: {got} != {want}")
    for name in ["Nondiscrimination", "Coverage and top-heavy"]:
        check_simplifications(wb[name])
    if "%" not in wb["Nondiscrimination"]["E2"].number_format:
        fail(f"sheet Nondiscrimination: margin format {wb['Nondiscrimination']['E2'].number_format!r}")


def check_frozen(wb):
    for ws in wb.worksheets:
        if ws.freeze_panes != "A2":
            fail(f"sheet {ws.title}: header row not frozen ({ws.freeze_panes})")


def check_run(book, run_dir):
    wb = openpyxl.load_workbook(book)
    check_frozen(wb)
    summary = json.loads((Path(run_dir) / "generation_summary.json").read_text())
    years = summary["years"]
    want = {
        "Payroll": [[y["year"], y["payroll"], y["employee_deferrals"]] for y in years],
        "Employer cost": [
            [y["year"], y["employer_match"], y["employer_core"], y["forfeitures"],
             y["employer_cost"], y["payroll"], y["employer_cost_pct_of_payroll"]]
            for y in years
        ],
        "Participation": [
            [y["year"], y["eligible_end"], y["enrolled_end"], y["participation_rate"],
             y["avg_deferral_rate"]]
            for y in years
        ],
    }
    for name, expected in want.items():
        got = rows(wb[name])
        if got != expected:
            fail(f"sheet {name}: {got} != {expected}")
    hc = rows(wb["Headcount"])
    for row, y in zip(hc, years, strict=True):
        if [row[0], row[1], row[6], row[7]] != [y["year"], y["n_start"], y["n_end"], y["target"]]:
            fail(f"sheet Headcount: {row} does not match {y}")
    money = wb["Payroll"]["B2"].number_format
    pct = wb["Participation"]["D2"].number_format
    if "$" not in money or "%" not in pct:
        fail(f"number formats: money {money!r}, percent {pct!r}")
    check_run_ndt(wb, years)
    # numbers stored as numbers, not text (issue 34, friction 10)
    inputs = {r[0]: r[1] for r in rows(wb["Inputs"])}
    if inputs.get("seed") != summary["random_seed"]:
        fail(f"sheet Inputs: seed {inputs.get('seed')!r}")
    cfg = summary["resolved_config"]
    for key, want in [
        ("resolved_config.simulation.start_year", cfg["simulation"]["start_year"]),
        ("resolved_config.employer_core.rate", cfg["employer_core"]["rate"]),
    ]:
        got = inputs.get(key)
        if isinstance(got, str) or got != want:
            fail(f"sheet Inputs: {key} is {got!r}, expected the number {want!r}")
    print(f"{book}: {len(wb.sheetnames)} sheets match {run_dir}/generation_summary.json")


def check_batch(book, batch_dir):
    wb = openpyxl.load_workbook(book)
    check_frozen(wb)
    d = Path(batch_dir)
    metrics = pq.read_table(d / "metrics.parquet").to_pylist()
    got = rows(wb["Metrics"])
    names = header(wb["Metrics"])
    if len(got) != len(metrics):
        fail(f"sheet Metrics: {len(got)} rows, metrics.parquet has {len(metrics)}")
    for row, m in zip(got, metrics):
        if row != [m[n] for n in names]:
            fail(f"sheet Metrics: {row} != {m}")
    stat_names = ["mean", "sd", "min", "p10", "p25", "p50", "p75", "p90", "max"]
    for sheet, file in [("Ensemble", "ensemble.parquet"), ("Deltas", "deltas.parquet")]:
        # the yearly statistics (the horizon rows, with no year, are not on these sheets yet)
        table = {
            (r["scenario_id"], r["simulation_year"], r["metric"]): r
            for r in pq.read_table(d / file).to_pylist()
            if r["simulation_year"] is not None
        }
        got = rows(wb[sheet])
        if len(got) != len(table):
            fail(f"sheet {sheet}: {len(got)} rows, {file} has {len(table)}")
        for row in got:
            r = table[(row[0], row[1], row[2])]
            if row[3:] != [r["n"]] + [r[n] for n in stat_names]:
                fail(f"sheet {sheet}: {row} != {r}")
    check_horizon(wb, d)
    inputs = {r[0]: r[1] for r in rows(wb["Inputs"])}
    if inputs.get("runs") != len(metrics) // len({m["simulation_year"] for m in metrics}):
        fail(f"sheet Inputs: runs {inputs.get('runs')!r} is not the number of runs")
    for sheet in ["Metrics", "Ensemble", "Deltas"]:
        check_simplifications(wb[sheet])
    check_batch_ndt(wb, metrics, d)
    check_sensitivity(wb, d)
    print(f"{book}: Metrics, Ensemble, Deltas and the nondiscrimination sheets match {batch_dir}")


def spearman(x, y):
    """Rank correlation, ranks by counting (ties at their average rank)."""
    def ranks(v):
        return [1 + sum(b < a for b in v) + (sum(b == a for b in v) - 1) / 2 for a in v]
    rx, ry = ranks(x), ranks(y)
    m = (len(x) + 1) / 2
    cov = sum((a - m) * (b - m) for a, b in zip(rx, ry))
    vx = sum((a - m) ** 2 for a in rx)
    vy = sum((b - m) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5


def check_sensitivity(wb, d):
    """With parameters.parquet, the Sensitivity sheet ranks each drawn key per scenario: its
    correlation with the horizon's employer cost equals one recomputed from the files."""
    if not (d / "parameters.parquet").exists():
        if "Sensitivity" in wb.sheetnames:
            fail("a Sensitivity sheet without uncertainty")
        return
    draws = {}
    for r in pq.read_table(d / "parameters.parquet").to_pylist():
        draws.setdefault(r["key_path"], {})[r["random_seed"]] = r["value"]
    cost = {}
    for r in pq.read_table(d / "horizon.parquet").to_pylist():
        if r["metric"] == "employer_cost_total":
            cost.setdefault(r["scenario_id"], {})[r["random_seed"]] = r["value"]
    got = rows(wb["Sensitivity"])
    if len(got) != len(cost) * len(draws):
        fail(f"sheet Sensitivity: {len(got)} rows for {len(cost)} scenarios x {len(draws)} keys")
    for row in got:
        scenario, key, rho = row[0], row[1], row[2]
        seeds = sorted(draws[key])
        want = spearman([draws[key][k] for k in seeds], [cost[scenario][k] for k in seeds])
        if abs(rho - want) > 1e-9:
            fail(f"sheet Sensitivity: {scenario} {key}: {rho} != {want}")


def check_horizon(wb, d):
    """The Horizon sheet: the horizon rows (no year) of ensemble.parquet and deltas.parquet."""
    def horizon(file):
        return {
            (r["scenario_id"], r["metric"]): r
            for r in pq.read_table(d / file).to_pylist()
            if r["simulation_year"] is None
        }
    ensemble, deltas = horizon("ensemble.parquet"), horizon("deltas.parquet")
    got = rows(wb["Horizon"])
    if len(got) != len(ensemble):
        fail(f"sheet Horizon: {len(got)} rows, ensemble.parquet has {len(ensemble)} horizon rows")
    for row in got:
        e = ensemble[(row[0], row[1])]
        want = [row[0], row[1], e["n"], e["p10"], e["p50"], e["p90"], e["mean"]]
        dl = deltas.get((row[0], row[1]))
        want += [None] * 4 if dl is None else [dl["p10"], dl["p50"], dl["p90"], dl["mean"]]
        if row != want:
            fail(f"sheet Horizon: {row} != {want}")
    if not any(r[1] == "employer_cost_total" for r in got):
        fail("sheet Horizon: no employer_cost_total")


def percentile(xs, q):
    """Spec §8: x[i] + (h - i) * (x[i+1] - x[i]) with h = (n - 1) * q."""
    h = (len(xs) - 1) * q
    i = int(h)
    if i + 1 >= len(xs):
        return xs[-1]
    return xs[i] + (h - i) * (xs[i + 1] - xs[i])


def check_batch_ndt(wb, metrics, d):
    ensemble = {
        (r["scenario_id"], r["simulation_year"], r["metric"]): r
        for r in pq.read_table(d / "ensemble.parquet").to_pylist()
        if r["simulation_year"] is not None  # the horizon rows have no year
    }
    got = rows(wb["NDT pass shares"])
    keys = sorted({(r[0], r[1]) for r in got})
    if len(got) != len({(r[0], r[1]) for r in ensemble}):
        fail(f"sheet NDT pass shares: {len(got)} rows")
    for row in got:
        want = [row[0], row[1]]
        for m in ["adp_pass", "acp_pass", "coverage_pass", "top_heavy"]:
            e = ensemble[(row[0], row[1], m)]
            want += [e["mean"], e["n"]]
        if row != want:
            fail(f"sheet NDT pass shares: {row} != {want}")
    margins = {}
    for m in metrics:  # sorted by scenario, seed, year
        if m["adp_limit"] is not None and m["adp_hce"] is not None:
            margins.setdefault((m["scenario_id"], m["simulation_year"]), []).append(
                m["adp_limit"] - m["adp_hce"])
    got = rows(wb["NDT ADP margin"])
    if sorted((r[0], r[1]) for r in got) != keys:
        fail("sheet NDT ADP margin: not one row per scenario and year")
    for row in got:
        xs = margins.get((row[0], row[1]), [])
        if not xs:
            want = [row[0], row[1], 0] + [None] * 8
        else:
            acc = 0.0
            for x in xs:
                acc += x
            s = sorted(xs)
            want = [row[0], row[1], len(xs), s[0]] + [
                percentile(s, q) for q in (0.10, 0.25, 0.50, 0.75, 0.90)
            ] + [s[-1], acc / len(xs)]
        if row != want:
            fail(f"sheet NDT ADP margin: {row} != {want}")
        if any(x < 0 for x in xs):
            print(f"NDT ADP margin: {row[0]} {row[1]}: {sum(x < 0 for x in xs)} of {len(xs)} seeds below the limit")
    for name in ["NDT pass shares", "NDT ADP margin"]:
        check_simplifications(wb[name])


def check_optimize(book, opt_dir):
    """The Designs sheet equals designs.parquet design by design: its seeds, rank, lever values,
    statistics and whether it meets every constraint."""
    wb = openpyxl.load_workbook(book)
    check_frozen(wb)
    table = pq.read_table(Path(opt_dir) / "designs.parquet")
    names = table.column_names
    levers = names[names.index("design") + 1:names.index("stage")]
    measures = names[names.index("seeds") + 1:names.index("feasible")]
    want = {r["design"]: r for r in table.to_pylist()}
    ws = wb["Designs"]
    head = header(ws)
    got = rows(ws)
    if len(got) != len(want):
        fail(f"sheet Designs: {len(got)} rows, designs.parquet has {len(want)}")
    for row in got:
        cells = dict(zip(head, row))
        r = want[cells["design"]]
        lever_cells = row[3:3 + len(levers)]
        expect = [r["seeds"], r["rank"]] + [r[l] for l in levers] + [r[m] for m in measures]
        have = [cells["seeds"], cells["rank"]] + lever_cells + [cells[m] for m in measures]
        if have != expect:
            fail(f"sheet Designs: design {cells['design']}: {have} != {expect}")
        if cells["meets every constraint"] != ("yes" if r["feasible"] else "no"):
            fail(f"sheet Designs: design {cells['design']}: feasibility")
    print(f"{book}: the Designs sheet matches {opt_dir}/designs.parquet ({len(got)} designs)")


def main():
    kind, *args = sys.argv[1:]
    if kind == "png":
        check_png(args[0], int(args[1]), int(args[2]))
    elif kind == "run-xlsx":
        check_run(*args)
    elif kind == "batch-xlsx":
        check_batch(*args)
    elif kind == "optimize-xlsx":
        check_optimize(*args)
    else:
        fail(f"unknown check {kind}")


main()
