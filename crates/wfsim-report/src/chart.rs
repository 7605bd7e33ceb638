//! The report's charts as inline SVG, drawn by plotters: lines, bars (grouped or stacked), bands
//! (every scenario on one axis) and grouped box plots. Every chart has a title, a legend, and axes labelled with their
//! units; the x axis is categorical (years or bins) so each tick is one labelled category. A
//! rate or share axis starts at 0.

use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use wfsim::batch::metrics::Stats;

/// What the y axis counts; decides the tick labels and the unit in the axis title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// US dollars.
    Money,
    /// A fraction, shown in percent.
    Percent,
    /// A difference of two fractions, shown in percentage points.
    Points,
}

/// One named series, one value per x category (`None`: no value).
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
    /// Drawn dashed (a target or limit beside the actual figures; seen even where equal).
    pub dashed: bool,
}

impl Series {
    pub fn new(name: impl Into<String>, values: Vec<Option<f64>>) -> Series {
        Series {
            name: name.into(),
            values,
            dashed: false,
        }
    }

    pub fn dashed(name: impl Into<String>, values: Vec<Option<f64>>) -> Series {
        Series {
            dashed: true,
            ..Series::new(name, values)
        }
    }
}

/// Title and axes of a chart.
pub struct Axes<'a> {
    pub title: &'a str,
    pub x_desc: &'a str,
    pub x_labels: &'a [String],
    pub y_desc: &'a str,
    pub unit: Unit,
}

/// One series of a band or box chart: the statistics per x category, and the index of its
/// colour in the palette (a scenario keeps its colour from chart to chart).
pub struct Fan {
    pub name: String,
    pub stats: Vec<Stats>,
    pub color: usize,
}

const WIDTH: u32 = 960;
const HEIGHT: u32 = 400;
const FONT: &str = "sans-serif";

/// Okabe–Ito, distinguishable with the common colour-vision deficiencies, then greys.
const PALETTE: [RGBColor; 11] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
    RGBColor(120, 120, 120),
    RGBColor(170, 120, 60),
    RGBColor(90, 60, 140),
];

fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Drawing into a string cannot fail for lack of a file or font; an error here is a bug.
fn drawn<T, E: std::fmt::Debug>(r: Result<T, E>) -> T {
    r.expect("drawing into an SVG string")
}

/// How tick values are printed and which unit the axis title names.
struct Scale {
    divisor: f64,
    suffix: &'static str,
    decimals: usize,
    unit: Unit,
}

impl Scale {
    fn of(unit: Unit, lo: f64, hi: f64) -> Scale {
        let big = lo.abs().max(hi.abs());
        let (divisor, suffix) = match unit {
            Unit::Money if big >= 1e6 => (1e6, "($ millions)"),
            Unit::Money if big >= 1e3 => (1e3, "($ thousands)"),
            Unit::Money => (1.0, "($)"),
            Unit::Percent => (0.01, "(%)"),
            Unit::Points => (0.01, "(percentage points)"),
            Unit::Count => (1.0, "(number)"),
        };
        let span = (hi - lo).abs() / divisor;
        let decimals = if span < 0.05 {
            3
        } else if span < 2.0 {
            2
        } else if span < 20.0 {
            1
        } else {
            0
        };
        Scale {
            divisor,
            suffix,
            decimals,
            unit,
        }
    }

    fn tick(&self, v: f64) -> String {
        let x = v / self.divisor;
        // -0.0 prints as "-0"
        let x = if x == 0.0 { 0.0 } else { x };
        match self.unit {
            Unit::Count if self.decimals == 0 => crate::table::grouped_int(x.round()),
            _ => format!("{x:.*}", self.decimals),
        }
    }
}

/// The y range over `values`, padded by 5 %; `zero` keeps 0 in range (bars).
fn y_range(values: impl Iterator<Item = f64>, zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
        (l.min(v), h.max(v))
    });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi - lo < 1e-12 {
        let pad = if hi.abs() > 0.0 { hi.abs() * 0.05 } else { 1.0 };
        return (lo - pad, hi + pad);
    }
    let pad = (hi - lo) * 0.05;
    (
        if zero && lo == 0.0 { 0.0 } else { lo - pad },
        if zero && hi == 0.0 { 0.0 } else { hi + pad },
    )
}

/// The SVG as it goes inline into HTML5: without the namespace attribute (an URL) and scaled
/// by CSS, the view box keeping its proportions.
fn finish(svg: String) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The title above and a legend strip under it; returns the plotting area.
fn frame<'a>(root: &Area<'a>, title: &str, legend: &[(String, RGBColor)]) -> Area<'a> {
    drawn(root.fill(&WHITE));
    let body = drawn(root.titled(title, (FONT, 20).into_font().style(FontStyle::Bold)));
    if legend.is_empty() {
        return body;
    }
    // entries left to right, wrapping onto a new line before the right edge (text width is
    // estimated, as no font is loaded)
    let mut placed = vec![];
    let (mut x, mut y) = (90, 0);
    for (name, c) in legend {
        let w = 34 + 7 * name.chars().count() as i32;
        if x + w > WIDTH as i32 - 20 && x > 90 {
            (x, y) = (90, y + 22);
        }
        placed.push((name, c, x, y));
        x += w;
    }
    let (strip, rest) = body.split_vertically(y + 26);
    for (name, c, x, y) in placed {
        drawn(strip.draw(&Rectangle::new([(x, y + 6), (x + 14, y + 18)], c.filled())));
        drawn(strip.draw(&Text::new(
            name.clone(),
            (x + 19, y + 5),
            (FONT, 14).into_font().color(&BLACK),
        )));
    }
    rest
}

/// A categorical x axis: category `i` sits at `i`, labelled `labels[i]` (ticks between
/// categories get no label).
fn x_axis(n: usize) -> std::ops::Range<f64> {
    -0.5..n as f64 - 0.5
}

fn label_of(labels: &[String], v: f64) -> String {
    let i = v.round();
    if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
        labels[i as usize].clone()
    } else {
        String::new()
    }
}

/// Line chart, one line with markers per series (a dashed series on top of the solid ones). A
/// rate's axis starts at 0, so a drift of a point does not look like a collapse.
pub fn lines(a: &Axes, series: &[Series]) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let legend: Vec<_> = series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), color(i)))
            .collect();
        let area = frame(&root, a.title, &legend);
        let (lo, hi) = y_range(
            series
                .iter()
                .flat_map(|s| s.values.iter().flatten().copied()),
            a.unit == Unit::Percent,
        );
        let scale = Scale::of(a.unit, lo, hi);
        let mut chart = drawn(
            ChartBuilder::on(&area)
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(84)
                .build_cartesian_2d(x_axis(a.x_labels.len()), lo..hi),
        );
        let y_desc = format!("{} {}", a.y_desc, scale.suffix);
        mesh(&mut chart, a, &scale, &y_desc);
        let solid_first = series.iter().enumerate().filter(|(_, s)| !s.dashed);
        for (i, s) in solid_first.chain(series.iter().enumerate().filter(|(_, s)| s.dashed)) {
            if s.dashed {
                dashed_line(&mut chart, &s.values, color(i));
            } else {
                line_with_points(&mut chart, &s.values, color(i));
            }
        }
        drawn(root.present());
    }
    finish(svg)
}

/// A line with a marker at each point, broken where a value is missing.
fn line_with_points(chart: &mut Chart, values: &[Option<f64>], c: RGBColor) {
    for run in segments(values) {
        drawn(chart.draw_series(std::iter::once(PathElement::new(
            run.clone(),
            c.stroke_width(2),
        ))));
        drawn(chart.draw_series(run.into_iter().map(|p| Circle::new(p, 3, c.filled()))));
    }
}

/// A dashed line with hollow markers, broken where a value is missing.
fn dashed_line(chart: &mut Chart, values: &[Option<f64>], c: RGBColor) {
    for run in segments(values) {
        drawn(chart.draw_series(std::iter::once(DashedPathElement::new(
            run.clone(),
            8,
            5,
            c.stroke_width(2),
        ))));
        drawn(
            chart.draw_series(
                run.into_iter()
                    .map(|p| Circle::new(p, 6, c.stroke_width(2))),
            ),
        );
    }
}

/// Runs of consecutive present values as points.
fn segments(values: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = vec![];
    let mut current = vec![];
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => current.push((i as f64, *v)),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn mesh(chart: &mut Chart, a: &Axes, scale: &Scale, y_desc: &str) {
    let labels = a.x_labels;
    let x_fmt = |v: &f64| label_of(labels, *v);
    let y_fmt = |v: &f64| scale.tick(*v);
    drawn(
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(labels.len() + 1)
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(215, 215, 215))
            .x_desc(a.x_desc)
            .y_desc(y_desc)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 14))
            .draw(),
    );
}

/// Bar chart: per category, the series side by side, or stacked (positive values upwards
/// from 0, negative downwards).
pub fn bars(a: &Axes, series: &[Series], stacked: bool) -> String {
    let n = a.x_labels.len();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let legend: Vec<_> = series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), color(i)))
            .collect();
        let area = frame(&root, a.title, &legend);
        // (series, category, bottom, top)
        let mut rects = vec![];
        for x in 0..n {
            let (mut up, mut down) = (0.0, 0.0);
            for (i, s) in series.iter().enumerate() {
                let v = s.values[x].unwrap_or(0.0);
                if stacked {
                    let (b, t) = if v >= 0.0 {
                        (up, up + v)
                    } else {
                        (down + v, down)
                    };
                    if v >= 0.0 {
                        up += v;
                    } else {
                        down += v;
                    }
                    rects.push((i, x, b, t));
                } else {
                    rects.push((i, x, 0.0f64.min(v), 0.0f64.max(v)));
                }
            }
        }
        let (lo, hi) = y_range(rects.iter().flat_map(|r| [r.2, r.3]), true);
        let scale = Scale::of(a.unit, lo, hi);
        let mut chart = drawn(
            ChartBuilder::on(&area)
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(84)
                .build_cartesian_2d(x_axis(n), lo..hi),
        );
        let y_desc = format!("{} {}", a.y_desc, scale.suffix);
        mesh(&mut chart, a, &scale, &y_desc);
        let slots = if stacked { 1 } else { series.len().max(1) };
        let width = 0.8 / slots as f64;
        drawn(chart.draw_series(rects.iter().map(|&(i, x, b, t)| {
            let left = x as f64 - 0.4 + if stacked { 0.0 } else { i as f64 * width };
            Rectangle::new([(left, b), (left + width * 0.92, t)], color(i).filled())
        })));
        if lo < 0.0 {
            drawn(chart.draw_series(std::iter::once(PathElement::new(
                vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)],
                BLACK.stroke_width(1),
            ))));
        }
        drawn(root.present());
    }
    finish(svg)
}

/// Every series on one chart and one y axis, so scenarios compare by eye: per series its P10–P90
/// band (translucent, so overlapping bands stay visible) and its median as a line with markers.
/// A rate's axis starts at 0; `zero` draws the 0 line (for paired differences).
pub fn bands(a: &Axes, series: &[Fan], zero: bool) -> String {
    let n = a.x_labels.len();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let legend: Vec<_> = series
            .iter()
            .map(|s| (s.name.clone(), color(s.color)))
            .collect();
        let area = frame(&root, a.title, &legend);
        let values = series
            .iter()
            .flat_map(|s| s.stats.iter().flat_map(|st| [st.p10, st.p90, st.p50]))
            .flatten();
        let (lo, hi) = y_range(values.chain(zero.then_some(0.0)), a.unit == Unit::Percent);
        let scale = Scale::of(a.unit, lo, hi);
        let mut chart = drawn(
            ChartBuilder::on(&area)
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(84)
                .build_cartesian_2d(x_axis(n), lo..hi),
        );
        let y_desc = format!("{} {}", a.y_desc, scale.suffix);
        mesh(&mut chart, a, &scale, &y_desc);
        if zero {
            drawn(chart.draw_series(std::iter::once(PathElement::new(
                vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)],
                BLACK.stroke_width(1),
            ))));
        }
        for s in series {
            let at = |v: fn(&Stats) -> Option<f64>| -> Vec<(f64, f64)> {
                s.stats
                    .iter()
                    .enumerate()
                    .filter_map(|(x, st)| v(st).map(|v| (x as f64, v)))
                    .collect()
            };
            let mut band = at(|st| st.p10);
            band.extend(at(|st| st.p90).into_iter().rev());
            let c = color(s.color);
            drawn(chart.draw_series(std::iter::once(Polygon::new(band, c.mix(0.18).filled()))));
        }
        // the medians over every band
        for s in series {
            let median: Vec<Option<f64>> = s.stats.iter().map(|st| st.p50).collect();
            line_with_points(&mut chart, &median, color(s.color));
        }
        drawn(root.present());
    }
    finish(svg)
}

/// Box plots on one shared y axis: per x category, one box per series side by side (like
/// grouped bars), the box from P25 to P75, the whisker from P10 to P90, a bar across at the
/// median; a category without values gets no box. `zero` draws the 0 line and keeps it in range.
pub fn boxes(a: &Axes, series: &[Fan], zero: bool) -> String {
    let n = a.x_labels.len();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let legend: Vec<_> = series
            .iter()
            .map(|s| (s.name.clone(), color(s.color)))
            .collect();
        let area = frame(&root, a.title, &legend);
        let values = series
            .iter()
            .flat_map(|s| s.stats.iter().flat_map(|st| [st.p10, st.p90, st.p50]))
            .flatten();
        let (lo, hi) = y_range(values.chain(zero.then_some(0.0)), false);
        let scale = Scale::of(a.unit, lo, hi);
        let mut chart = drawn(
            ChartBuilder::on(&area)
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(84)
                .build_cartesian_2d(x_axis(n), lo..hi),
        );
        let y_desc = format!("{} {}", a.y_desc, scale.suffix);
        mesh(&mut chart, a, &scale, &y_desc);
        if zero {
            drawn(chart.draw_series(std::iter::once(PathElement::new(
                vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)],
                BLACK.stroke_width(1),
            ))));
        }
        let width = 0.8 / series.len().max(1) as f64;
        for (i, s) in series.iter().enumerate() {
            let c = color(s.color);
            let fill = blend(c.mix(0.35).to_rgba());
            for (x, st) in s.stats.iter().enumerate().take(n) {
                let (Some(p10), Some(p25), Some(p50), Some(p75), Some(p90)) =
                    (st.p10, st.p25, st.p50, st.p75, st.p90)
                else {
                    continue;
                };
                let left = x as f64 - 0.4 + i as f64 * width;
                let (l, r) = (left + width * 0.08, left + width * 0.92);
                let mid = (l + r) / 2.0;
                let cap = (r - l) * 0.25;
                drawn(chart.draw_series([
                    PathElement::new(vec![(mid, p10), (mid, p90)], c.stroke_width(1)),
                    PathElement::new(vec![(mid - cap, p10), (mid + cap, p10)], c.stroke_width(1)),
                    PathElement::new(vec![(mid - cap, p90), (mid + cap, p90)], c.stroke_width(1)),
                ]));
                drawn(chart.draw_series([
                    Rectangle::new([(l, p25), (r, p75)], fill.filled()),
                    Rectangle::new([(l, p25), (r, p75)], c.stroke_width(1)),
                ]));
                drawn(chart.draw_series(std::iter::once(PathElement::new(
                    vec![(l, p50), (r, p50)],
                    c.stroke_width(3),
                ))));
            }
        }
        drawn(root.present());
    }
    finish(svg)
}

/// A tornado chart of rank correlations: one row per name (the first at the top), per row one
/// horizontal bar per series from 0 to its value in [-1, 1]; a missing value gets no bar. The
/// x axis always spans -1 to 1, so a short bar reads as a weak link on every chart.
pub fn tornado(title: &str, x_desc: &str, names: &[String], series: &[Series]) -> String {
    let n = names.len();
    let mut svg = String::new();
    // room for the names at the left, and a row height that keeps a bar per series legible
    let label_width = 30 + 7 * names.iter().map(|s| s.chars().count()).max().unwrap_or(0) as u32;
    let height = (140 + n as u32 * (12 + 14 * series.len() as u32)).max(220);
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let legend: Vec<_> = series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), color(i)))
            .collect();
        let area = frame(&root, title, &legend);
        // row i sits at y = n - 1 - i, so the first name is at the top
        let mut chart = drawn(
            ChartBuilder::on(&area)
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(label_width.min(WIDTH / 2))
                .build_cartesian_2d(-1.0..1.0, x_axis(n)),
        );
        let reversed: Vec<String> = names.iter().rev().cloned().collect();
        let y_fmt = |v: &f64| label_of(&reversed, *v);
        let x_fmt = |v: &f64| format!("{v:.1}");
        drawn(
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(n + 1)
                .x_labels(11)
                .light_line_style(TRANSPARENT)
                .bold_line_style(RGBColor(215, 215, 215))
                .x_desc(x_desc)
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .label_style((FONT, 13))
                .axis_desc_style((FONT, 14))
                .draw(),
        );
        let width = 0.8 / series.len().max(1) as f64;
        for (j, s) in series.iter().enumerate() {
            drawn(
                chart.draw_series(s.values.iter().enumerate().filter_map(|(i, v)| {
                    let v = (*v)?;
                    let top = (n - 1 - i) as f64 + 0.4 - j as f64 * width;
                    Some(Rectangle::new(
                        [(0.0f64.min(v), top), (0.0f64.max(v), top - width * 0.9)],
                        color(j).filled(),
                    ))
                })),
            );
        }
        drawn(chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
            BLACK.stroke_width(1),
        ))));
        drawn(root.present());
    }
    finish(svg)
}

/// How a group of scatter points is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A filled dot in the group's colour.
    Filled,
    /// A hollow grey ring: the points that miss (drawn under the others).
    Hollow,
    /// A large dot with a ring: the one point to find first.
    Star,
}

/// One group of a scatter chart.
pub struct Points {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub mark: Mark,
    pub color: usize,
}

/// A scatter chart on two value axes, each labelled with its unit; `line` (e.g. a Pareto front)
/// joins its points in x order on top of the groups; `x_bound` (a constraint) is a dashed
/// vertical line.
pub fn scatter(
    title: &str,
    x: (&str, Unit),
    y: (&str, Unit),
    groups: &[Points],
    line: &[(f64, f64)],
    x_bound: Option<f64>,
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let legend: Vec<_> = groups
            .iter()
            .map(|g| {
                let c = if g.mark == Mark::Hollow {
                    RGBColor(150, 150, 150)
                } else {
                    color(g.color)
                };
                (g.name.clone(), c)
            })
            .collect();
        let area = frame(&root, title, &legend);
        let all = || groups.iter().flat_map(|g| g.points.iter().copied());
        let (x_lo, x_hi) = y_range(all().map(|p| p.0).chain(x_bound), false);
        let (y_lo, y_hi) = y_range(all().map(|p| p.1), false);
        let (sx, sy) = (Scale::of(x.1, x_lo, x_hi), Scale::of(y.1, y_lo, y_hi));
        let mut chart = drawn(
            ChartBuilder::on(&area)
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(84)
                .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi),
        );
        let x_fmt = |v: &f64| sx.tick(*v);
        let y_fmt = |v: &f64| sy.tick(*v);
        let (x_desc, y_desc) = (
            format!("{} {}", x.0, sx.suffix),
            format!("{} {}", y.0, sy.suffix),
        );
        drawn(
            chart
                .configure_mesh()
                .light_line_style(TRANSPARENT)
                .bold_line_style(RGBColor(215, 215, 215))
                .x_desc(x_desc)
                .y_desc(y_desc)
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .label_style((FONT, 13))
                .axis_desc_style((FONT, 14))
                .draw(),
        );
        // the misses first, so the designs that count are drawn over them
        let order = groups
            .iter()
            .filter(|g| g.mark == Mark::Hollow)
            .chain(groups.iter().filter(|g| g.mark == Mark::Filled))
            .chain(groups.iter().filter(|g| g.mark == Mark::Star));
        for g in order {
            let c = color(g.color);
            match g.mark {
                Mark::Hollow => drawn(
                    chart.draw_series(
                        g.points
                            .iter()
                            .map(|&p| Circle::new(p, 4, RGBColor(150, 150, 150).stroke_width(1))),
                    ),
                ),
                Mark::Filled => drawn(
                    chart.draw_series(g.points.iter().map(|&p| Circle::new(p, 4, c.filled()))),
                ),
                Mark::Star => {
                    drawn(
                        chart.draw_series(g.points.iter().map(|&p| Circle::new(p, 7, c.filled()))),
                    );
                    drawn(
                        chart.draw_series(
                            g.points
                                .iter()
                                .map(|&p| Circle::new(p, 11, c.stroke_width(2))),
                        ),
                    )
                }
            };
        }
        if let Some(b) = x_bound {
            drawn(chart.draw_series(std::iter::once(DashedPathElement::new(
                vec![(b, y_lo), (b, y_hi)],
                6,
                4,
                RGBColor(213, 94, 0).stroke_width(2),
            ))));
        }
        if line.len() > 1 {
            let mut pts = line.to_vec();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            drawn(chart.draw_series(std::iter::once(PathElement::new(
                pts,
                BLACK.stroke_width(2),
            ))));
        }
        drawn(root.present());
    }
    finish(svg)
}

/// An opaque colour for a translucent one over white/// An opaque colour for a translucent one over white (bands print the same on any renderer).
fn blend(c: RGBAColor) -> RGBColor {
    let mix = |v: u8| (v as f64 * c.3 + 255.0 * (1.0 - c.3)).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_follow_the_unit() {
        let s = Scale::of(Unit::Money, 0.0, 25_000_000.0);
        assert_eq!(
            (s.suffix, s.tick(12_000_000.0)),
            ("($ millions)", "12".into())
        );
        let s = Scale::of(Unit::Percent, 0.70, 0.78);
        assert_eq!(s.tick(0.72), "72.0");
        let s = Scale::of(Unit::Count, 4800.0, 5400.0);
        assert_eq!(s.tick(5000.0), "5,000");
    }

    /// The texts of an SVG (tick labels, titles), trimmed.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .map(|t| {
                t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()]
                    .trim()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn a_rate_axis_starts_at_zero() {
        // a participation rate between 64 % and 65 %: on an axis from 64 to 65 a point of drift
        // looks like a collapse
        let labels = vec!["2025".to_string(), "2026".to_string()];
        let axes = |unit| Axes {
            title: "t",
            x_desc: "year",
            x_labels: &labels,
            y_desc: "y",
            unit,
        };
        let rate = lines(
            &axes(Unit::Percent),
            &[Series::new("p", vec![Some(0.64), Some(0.65)])],
        );
        assert!(texts(&rate).iter().any(|t| t == "0"), "{:?}", texts(&rate));
        let band = Stats {
            p10: Some(0.64),
            p50: Some(0.645),
            p90: Some(0.65),
            ..Stats::default()
        };
        let fan = bands(
            &axes(Unit::Percent),
            &[Fan {
                name: "s".into(),
                stats: vec![band; 2],
                color: 0,
            }],
            false,
        );
        assert!(texts(&fan).iter().any(|t| t == "0"), "{:?}", texts(&fan));
        // a headcount is not stretched down to 0
        let count = lines(
            &axes(Unit::Count),
            &[Series::new("n", vec![Some(4800.0), Some(5400.0)])],
        );
        assert!(
            !texts(&count).iter().any(|t| t == "0"),
            "{:?}",
            texts(&count)
        );
    }

    #[test]
    fn the_svg_carries_no_url() {
        let labels = vec!["2025".to_string(), "2026".to_string()];
        let a = Axes {
            title: "t",
            x_desc: "year",
            x_labels: &labels,
            y_desc: "y",
            unit: Unit::Count,
        };
        let svg = lines(&a, &[Series::new("s", vec![Some(1.0), None])]);
        assert!(svg.starts_with("<svg") && !svg.contains("http"), "{svg}");
    }
}
