"""Checks what `wfsim report` wrote with readers that share no code with it.

    check_report.py png FILE WIDTH HEIGHT
        the screenshot has the expected size and is not blank: many distinct colours and a
        good share of non-white pixels (charts, tables and text were drawn).
    check_report.py run-xlsx WORKBOOK RUN_DIR
        every per-year sheet equals generation_summary.json (openpyxl).
    check_report.py batch-xlsx WORKBOOK BATCH_DIR
        the Metrics, Ensemble and Deltas sheets equal metrics.parquet, ensemble.parquet and
        deltas.parquet cell for cell (openpyxl, pyarrow).
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
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]


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
    inputs = {r[0]: r[1] for r in rows(wb["Inputs"])}
    if inputs.get("seed") != str(summary["random_seed"]):
        fail(f"sheet Inputs: seed {inputs.get('seed')!r}")
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
        table = {
            (r["scenario_id"], r["simulation_year"], r["metric"]): r
            for r in pq.read_table(d / file).to_pylist()
        }
        got = rows(wb[sheet])
        if len(got) != len(table):
            fail(f"sheet {sheet}: {len(got)} rows, {file} has {len(table)}")
        for row in got:
            r = table[(row[0], row[1], row[2])]
            if row[3:] != [r["n"]] + [r[n] for n in stat_names]:
                fail(f"sheet {sheet}: {row} != {r}")
    print(f"{book}: Metrics, Ensemble and Deltas match {batch_dir}")


def main():
    kind, *args = sys.argv[1:]
    if kind == "png":
        check_png(args[0], int(args[1]), int(args[2]))
    elif kind == "run-xlsx":
        check_run(*args)
    elif kind == "batch-xlsx":
        check_batch(*args)
    else:
        fail(f"unknown check {kind}")


main()
