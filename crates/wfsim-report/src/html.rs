//! The report as one self-contained HTML5 page: inline CSS and SVG, no script, no external
//! reference of any kind, the system font stack, and a print style for PDF.
//!
//! Every number cell carries its exact value in `data-v` (Rust's shortest round-trip form), so
//! a test can compare a chart's table with the summary or metrics it came from.

use crate::table::{display, Cell, Format, Report, Section, Table};
use std::fmt::Write;

const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       margin: 0 auto; max-width: 1000px; padding: 16px 24px 48px; color: #1a1a1a; background: #fff;
       line-height: 1.4; }
h1 { font-size: 1.6em; margin: 0.4em 0; }
h2 { font-size: 1.3em; margin: 1.6em 0 0.3em; border-bottom: 2px solid #0072b2; padding-bottom: 2px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 0.92em; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
nav ol { columns: 2; font-size: 0.92em; }
nav a { color: #0a58a0; }
.note { font-size: 0.92em; color: #333; }
.caveat { font-size: 0.88em; color: #333; font-style: italic; border-left: 3px solid #e69f00;
          padding: 1px 0 1px 8px; margin: 4px 0 10px; }
figure { margin: 12px 0; }
svg { width: 100%; height: auto; display: block; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85em; margin: 8px 0 16px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid #ccc; padding: 2px 6px; }
th { background: #eef3f8; text-align: left; vertical-align: bottom; }
td { overflow-wrap: break-word; }
td.n { overflow-wrap: normal; text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #f7f7f7; }
td.w { overflow-wrap: normal; white-space: nowrap; }
td.mark { color: #b00020; font-weight: 700; white-space: nowrap; }
details > summary { cursor: pointer; color: #0a58a0; font-size: 0.92em; margin: 4px 0; }
footer { margin-top: 32px; font-size: 0.8em; color: #555; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  table { font-size: 8pt; }
  .scroll { overflow: visible; }
  tbody tr:nth-child(even) { background: none; }
}
@page { margin: 14mm; }
"#;

/// `&`, `<`, `>` and `"` escaped for text and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The id of a table in the page (tables are found by it in tests).
pub fn table_id(t: &Table) -> String {
    format!("table-{}", slug(&t.id))
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn table(out: &mut String, t: &Table) {
    let _ = write!(
        out,
        "<div class=\"scroll\"><table id=\"{}\"><caption>{}</caption><thead><tr>",
        table_id(t),
        esc(&t.title)
    );
    for c in &t.columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(&c.name));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (cell, c) in row.iter().zip(&t.columns) {
            match cell.num() {
                Some(v) => {
                    let _ = write!(
                        out,
                        "<td class=\"n\" data-v=\"{v}\">{}</td>",
                        esc(&display(cell, c.format))
                    );
                }
                None if matches!(cell, Cell::Empty) => out.push_str("<td></td>"),
                None if matches!(cell, Cell::Mark(_)) => {
                    let _ = write!(
                        out,
                        "<td class=\"mark\">{}</td>",
                        esc(&display(cell, Format::Text))
                    );
                }
                None => {
                    let text = display(cell, Format::Text);
                    // a short word (a scenario id, a metric name) is not broken across lines
                    let word = text.chars().count() <= 32 && !text.contains(char::is_whitespace);
                    let _ = write!(
                        out,
                        "<td{}>{}</td>",
                        if word { " class=\"w\"" } else { "" },
                        breakable(&esc(&text))
                    );
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

/// A long word (a config key path) may break after each `.`, never inside a name.
fn breakable(text: &str) -> String {
    if text.len() <= 32 || text.contains(char::is_whitespace) {
        return text.to_string();
    }
    text.replace('.', ".<wbr>")
}

fn section(out: &mut String, s: &Section) {
    let _ = write!(
        out,
        "<section id=\"{}\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        s.id,
        esc(&s.title),
        esc(&s.note)
    );
    if let Some(c) = &s.caveat {
        let _ = writeln!(out, "<p class=\"caveat\">{}</p>", esc(c));
    }
    for (i, svg) in s.charts.iter().enumerate() {
        let _ = writeln!(
            out,
            "<figure id=\"chart-{}-{}\">{svg}</figure>",
            s.id,
            i + 1
        );
    }
    if s.folded && !s.tables.is_empty() {
        out.push_str("<details>\n<summary>The numbers (also in the workbook)</summary>\n");
    }
    for t in &s.tables {
        table(out, t);
    }
    if s.folded && !s.tables.is_empty() {
        out.push_str("</details>\n");
    }
    out.push_str("</section>\n");
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n<dl class=\"facts\">\n",
        esc(&r.title),
        esc(&r.title)
    );
    for (k, v) in &r.facts {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
    }
    out.push_str("</dl>\n</header>\n<nav>\n<h2>Contents</h2>\n<ol>\n");
    for s in r.sections.iter().chain(std::iter::once(&r.inputs)) {
        let _ = writeln!(out, "<li><a href=\"#{}\">{}</a></li>", s.id, esc(&s.title));
    }
    out.push_str("</ol>\n</nav>\n<main>\n");
    for s in &r.sections {
        section(&mut out, s);
    }
    section(&mut out, &r.inputs);
    let _ = write!(
        out,
        "</main>\n<footer>Made by wfsim report {}. Charts are inline SVG; the page loads nothing from anywhere.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc(r#"a<b & "c">"#), "a&lt;b &amp; &quot;c&quot;&gt;");
        assert_eq!(slug("IRS limits"), "irs-limits");
        assert_eq!(
            breakable("resolved_config.enrollment.auto_enrollment.default_deferral_rate"),
            "resolved_config.<wbr>enrollment.<wbr>auto_enrollment.<wbr>default_deferral_rate"
        );
        assert_eq!(breakable("0.06"), "0.06");
    }
}
