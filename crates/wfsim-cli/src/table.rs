//! The per-year summary table printed after a run.

use wfsim::event::YearCounts;

pub fn render(years: &[YearCounts]) -> String {
    let header = [
        "year", "start", "exp_term", "rif", "hires", "nh_term", "promo", "raises", "elig",
        "vol_enr", "auto_enr", "opt_out", "escal", "end", "growth%",
    ];
    let rows: Vec<Vec<String>> = years
        .iter()
        .map(|y| {
            vec![
                y.year.to_string(),
                y.n_start.to_string(),
                y.experienced_terminations.to_string(),
                y.rif_terminations.to_string(),
                y.hires.to_string(),
                y.new_hire_terminations.to_string(),
                y.promotions.to_string(),
                y.raises.to_string(),
                y.eligibilities.to_string(),
                y.voluntary_enrollments.to_string(),
                y.auto_enrollments.to_string(),
                y.opt_outs.to_string(),
                y.escalations.to_string(),
                y.n_end.to_string(),
                format!("{:.2}", y.growth_pct()),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].len())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let parts: Vec<String> = cells
            .zip(&widths)
            .map(|(c, w)| format!("{c:>w$}"))
            .collect();
        format!("{}\n", parts.join("  ").trim_end())
    };
    let mut out = line(&mut header.iter().copied());
    for r in &rows {
        out.push_str(&line(&mut r.iter().map(String::as_str)));
    }
    out
}
