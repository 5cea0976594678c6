//! Draws a run or control chart as a self-contained SVG: points, centre line, limits, signals.

use std::fmt::Write as _;

use kompas_evidence::spc::{Chart, PointType, XValue};

use crate::svg::esc;

/// What to draw besides the chart itself.
///
/// ```
/// use kompas_evidence::spc::{Chart, ChartOptions, ChartType, Series};
/// use kompas_report::{chart_svg, ChartSvg};
///
/// let chart = Chart::compute(&Series::from_values(&[5.0, 6.0, 5.5, 9.0, 5.2]), &ChartOptions::new(ChartType::I))?;
/// let svg = chart_svg(&chart, &ChartSvg::new("Waiting time").y_label("days"));
/// assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ChartSvg {
    /// Title above the chart.
    pub title: String,
    /// Label of the y axis.
    pub y_label: String,
    /// NHS point types, one per point; when given they colour the points (improvement blue,
    /// concern orange, neutral purple), else points outside the limits are highlighted.
    pub point_types: Option<Vec<PointType>>,
    /// Width in pixels (default 800).
    pub width: Option<u32>,
    /// Height in pixels (default 400).
    pub height: Option<u32>,
    /// The language of the words the drawing adds: "chart" after the chart type in the title,
    /// and the legend (default English).
    pub lang: kompas_core::Lang,
}

impl ChartSvg {
    /// Options with a title.
    pub fn new(title: impl Into<String>) -> Self {
        ChartSvg {
            title: title.into(),
            ..ChartSvg::default()
        }
    }

    /// Sets the y-axis label.
    pub fn y_label(mut self, label: impl Into<String>) -> Self {
        self.y_label = label.into();
        self
    }

    /// Sets the NHS point types.
    pub fn point_types(mut self, types: Vec<PointType>) -> Self {
        self.point_types = Some(types);
        self
    }

    /// Sets the language of the words the drawing adds (the title's "chart", the legend).
    pub fn lang(mut self, lang: kompas_core::Lang) -> Self {
        self.lang = lang;
        self
    }
}

/// A "nice" step for about `target` ticks over `span` (1, 2 or 5 times a power of ten).
fn nice_step(span: f64, target: f64) -> f64 {
    let raw = span / target;
    let mag = 10f64.powf(raw.log10().floor());
    let r = raw / mag;
    let f = if r <= 1.0 {
        1.0
    } else if r <= 2.0 {
        2.0
    } else if r <= 5.0 {
        5.0
    } else {
        10.0
    };
    f * mag
}

/// At most this many decimals in a label (a step below 1e-17 says nothing more).
const MAX_DECIMALS: usize = 17;

/// At most this many y-axis ticks (about 6 are asked for; more only for degenerate ranges).
const MAX_TICKS: usize = 40;

/// `v` with as many decimals as `step` needs (none for a step of 1 or more).
fn fmt_num(v: f64, step: f64) -> String {
    if !(step.is_finite() && step > 0.0) {
        return format!("{v}");
    }
    let decimals = if step >= 1.0 {
        0
    } else {
        ((-step.log10().floor()) as usize).min(MAX_DECIMALS)
    };
    format!("{v:.decimals$}")
}

fn x_label(x: &XValue) -> String {
    match x {
        XValue::Date(d) => d.format("%Y-%m").to_string(),
        other => other.to_string(),
    }
}

const BLUE: &str = "#1f5fa8";
const ORANGE: &str = "#e8740c";
const PURPLE: &str = "#7b3fa0";
const GREY: &str = "#5b5b5b";

/// Renders `chart` as a standalone SVG document (UTF-8, no external resources).
///
/// Points are joined by a line; the centre line is solid, the limits dashed and stepped where they
/// vary (P and U charts); each part has its own lines. Points outside the limits (or, with NHS point
/// types, special causes) are drawn larger and coloured, and a part with a runs signal has its centre
/// line dashed in orange, as qicharts2 draws it.
///
/// Complexity: O(n) for n points.
pub fn chart_svg(chart: &Chart, options: &ChartSvg) -> String {
    // The words the drawing adds, in the options' language.
    let labels = crate::Labels::new(options.lang);
    let w = f64::from(options.width.unwrap_or(800));
    let h = f64::from(options.height.unwrap_or(400));
    let (left, right, top, bottom) = (70.0, 20.0, 40.0, 95.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let pts = &chart.points;
    let values = pts
        .iter()
        .flat_map(|p| [p.y, p.cl, p.lcl, p.ucl])
        .flatten()
        .filter(|v| v.is_finite());
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        // A flat chart: one unit either side, or more where one unit is below the precision.
        let pad = (lo.abs().max(hi.abs()) * 2f64.powi(-40)).max(1.0);
        lo = (lo - pad).max(f64::MIN);
        hi = (hi + pad).min(f64::MAX);
    }
    // A range wider than the largest double (from near -MAX to near MAX) is measured in halves.
    let wide = !(hi - lo).is_finite();
    let step = if wide {
        nice_step(hi / 2.0 - lo / 2.0, 3.0)
    } else {
        nice_step(hi - lo, 6.0)
    };
    let lo = ((lo / step).floor() * step).max(f64::MIN);
    let hi = ((hi / step).ceil() * step).min(f64::MAX);
    let n = pts.len().max(1);
    let xs = |i: usize| {
        if n == 1 {
            left + pw / 2.0
        } else {
            left + pw * i as f64 / (n - 1) as f64
        }
    };
    let ys = |v: f64| {
        if (ph * (hi - lo)).is_finite() {
            top + ph * (hi - v) / (hi - lo)
        } else {
            top + ph * ((hi / 2.0 - v / 2.0) / (hi / 2.0 - lo / 2.0))
        }
    };

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="22" font-size="15" font-weight="bold" text-anchor="middle">{}</text>"#,
        w / 2.0,
        esc(&format!(
            "{} ({} {})",
            options.title,
            chart.chart_type().label(),
            labels.chart_line[0]
        ))
    );
    // Axes and y grid.
    let mut t = lo;
    let mut ticks = 0;
    while t.is_finite() && t <= hi + step / 2.0 && ticks < MAX_TICKS {
        let y = ys(t);
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{y:.2}" x2="{:.2}" y2="{y:.2}" stroke="#e4e4e4"/><text x="{:.2}" y="{:.2}" text-anchor="end">{}</text>"##,
            left + pw,
            left - 6.0,
            y + 4.0,
            fmt_num(t, step)
        );
        t += step;
        ticks += 1;
    }
    let _ = writeln!(
        s,
        r#"<line x1="{left}" y1="{top}" x2="{left}" y2="{:.2}" stroke="black"/><line x1="{left}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="black"/>"#,
        top + ph,
        top + ph,
        left + pw,
        top + ph
    );
    let label_every = n.div_ceil(12).max(1);
    for (i, p) in pts.iter().enumerate() {
        if i % label_every == 0 || i + 1 == n {
            let (x, y) = (xs(i), top + ph + 14.0);
            let _ = writeln!(
                s,
                r#"<text x="{x:.2}" y="{y:.2}" text-anchor="end" transform="rotate(-40 {x:.2} {y:.2})">{}</text>"#,
                esc(&x_label(&p.x))
            );
        }
    }
    let _ = writeln!(
        s,
        r#"<text x="16" y="{:.2}" text-anchor="middle" transform="rotate(-90 16 {:.2})">{}</text>"#,
        top + ph / 2.0,
        top + ph / 2.0,
        esc(&options.y_label)
    );
    // Centre line and limits, part by part; varying limits are drawn as steps.
    for part in &chart.parts {
        let range = part.first - 1..part.last;
        let runs_signal = part.runs.signal;
        let line = |get: &dyn Fn(usize) -> Option<f64>| -> String {
            let mut d = String::new();
            let mut pen = false;
            for i in range.clone() {
                let half = if n > 1 {
                    pw / (n - 1) as f64 / 2.0
                } else {
                    pw / 2.0
                };
                let (x0, x1) = (
                    if i == range.start {
                        xs(i)
                    } else {
                        xs(i) - half
                    },
                    if i + 1 == range.end {
                        xs(i)
                    } else {
                        xs(i) + half
                    },
                );
                match get(i).filter(|v| v.is_finite()) {
                    Some(v) => {
                        let _ = write!(
                            d,
                            "{}{x0:.2},{:.2} L{x1:.2},{:.2} ",
                            if pen { "L" } else { "M" },
                            ys(v),
                            ys(v)
                        );
                        pen = true;
                    }
                    None => pen = false,
                }
            }
            d
        };
        let cl = line(&|i| pts[i].cl);
        let (cl_colour, cl_dash) = if runs_signal {
            (ORANGE, r#" stroke-dasharray="8 4""#)
        } else {
            (GREY, "")
        };
        let _ = writeln!(
            s,
            r#"<path d="{cl}" fill="none" stroke="{cl_colour}" stroke-width="1.5"{cl_dash}/>"#
        );
        for get in [
            &(|i: usize| pts[i].lcl) as &dyn Fn(usize) -> Option<f64>,
            &|i: usize| pts[i].ucl,
        ] {
            let d = line(get);
            if !d.is_empty() {
                let _ = writeln!(
                    s,
                    r##"<path d="{d}" fill="none" stroke="#9a9a9a" stroke-dasharray="4 3"/>"##
                );
            }
        }
    }
    // The data line, broken at parts and missing values.
    let mut d = String::new();
    let mut pen = false;
    let mut last_part = 0;
    for (i, p) in pts.iter().enumerate() {
        match p.y {
            Some(v) => {
                let m = if pen && p.part == last_part { "L" } else { "M" };
                let _ = write!(d, "{m}{:.2},{:.2} ", xs(i), ys(v));
                pen = true;
                last_part = p.part;
            }
            None => pen = false,
        }
    }
    let _ = writeln!(
        s,
        r##"<path d="{d}" fill="none" stroke="#8c8c8c" stroke-width="1.2"/>"##
    );
    for (i, p) in pts.iter().enumerate() {
        let Some(v) = p.y else { continue };
        let colour = match options.point_types.as_ref().and_then(|t| t.get(i)) {
            Some(PointType::SpecialCauseImprovement) => Some(BLUE),
            Some(PointType::SpecialCauseConcern) => Some(ORANGE),
            Some(PointType::SpecialCauseNeutralHigh | PointType::SpecialCauseNeutralLow) => {
                Some(PURPLE)
            }
            Some(PointType::CommonCause) => None,
            None => p.sigma_signal.then_some(ORANGE),
        };
        let (r, fill) = match colour {
            Some(c) => (4.5, c),
            None => (2.8, GREY),
        };
        let _ = writeln!(
            s,
            r#"<circle cx="{:.2}" cy="{:.2}" r="{r}" fill="{fill}"><title>{}: {}</title></circle>"#,
            xs(i),
            ys(v),
            esc(&x_label(&p.x)),
            fmt_num(v, step / 100.0)
        );
    }
    // Legend.
    let ly = h - 8.0;
    let [improvement, concern, ..] = labels.trend_words;
    let [neutral, outside, runs_line] = labels.chart_legend;
    let legend = if options.point_types.is_some() {
        format!(
            r##"<circle cx="{l}" cy="{y}" r="4.5" fill="{BLUE}"/><text x="{a}" y="{t}">{improvement}</text><circle cx="{b}" cy="{y}" r="4.5" fill="{ORANGE}"/><text x="{c}" y="{t}">{concern}</text><circle cx="{d}" cy="{y}" r="4.5" fill="{PURPLE}"/><text x="{e}" y="{t}">{neutral}</text>"##,
            l = left,
            a = left + 8.0,
            b = left + 110.0,
            c = left + 118.0,
            d = left + 200.0,
            e = left + 208.0,
            y = ly - 4.0,
            t = ly
        )
    } else {
        format!(
            r##"<circle cx="{l}" cy="{y}" r="4.5" fill="{ORANGE}"/><text x="{a}" y="{t}">{outside}</text><line x1="{b}" y1="{y}" x2="{c}" y2="{y}" stroke="{ORANGE}" stroke-dasharray="8 4" stroke-width="1.5"/><text x="{d}" y="{t}">{runs_line}</text>"##,
            l = left,
            a = left + 8.0,
            b = left + 140.0,
            c = left + 170.0,
            d = left + 176.0,
            y = ly - 4.0,
            t = ly
        )
    };
    let _ = writeln!(s, "{legend}");
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use kompas_evidence::spc::{ChartOptions, ChartType, Series};

    fn svg_of(values: &[f64], chart: ChartType) -> String {
        let chart =
            Chart::compute(&Series::from_values(values), &ChartOptions::new(chart)).unwrap();
        chart_svg(&chart, &ChartSvg::new("t"))
    }

    #[test]
    fn extreme_and_flat_values_give_a_small_finite_drawing() {
        // Each once made the tick loop run without end (a range past the largest double, a
        // step too small to move a large value) or asked for hundreds of decimals.
        for (values, chart) in [
            (
                vec![2027.0, -535037.4, 1.797_693_134_862_315_7e308, 5e-324, 1e6],
                ChartType::Run,
            ),
            (
                vec![2027.0, -535037.4, 1.797_693_134_862_315_7e308, 5e-324, 1e6],
                ChartType::I,
            ),
            (vec![-1.7e308, 1.7e308, 0.0, 1.0], ChartType::Run),
            (vec![1e16, 1e16 + 2.0, 1e16 + 4.0, 1e16], ChartType::Run),
            (vec![1e300; 5], ChartType::Run),
            (vec![5e-324, 1e-323, 0.0, 5e-324], ChartType::Run),
        ] {
            let svg = svg_of(&values, chart);
            assert!(svg.len() < 100_000, "{values:?}: {} bytes", svg.len());
            assert!(svg.ends_with("</svg>\n"), "{values:?}");
            for bad in ["NaN", "inf"] {
                assert!(!svg.contains(bad), "{values:?}: {bad} in the drawing");
            }
            let ticks = svg.matches(r##"stroke="#e4e4e4""##).count();
            assert!(
                (2..=MAX_TICKS).contains(&ticks),
                "{values:?}: {ticks} ticks"
            );
        }
    }

    #[test]
    fn ordinary_ranges_keep_their_nice_ticks() {
        // 5-9 on a step of 1: the axis runs 5, 6, 7, 8, 9.
        let svg = svg_of(&[5.0, 6.0, 5.5, 9.0, 5.2], ChartType::Run);
        let labels: Vec<&str> = svg
            .split(r#"text-anchor="end">"#)
            .skip(1)
            .take(5)
            .map(|t| t.split('<').next().unwrap_or(""))
            .collect();
        assert_eq!(labels, ["5", "6", "7", "8", "9"]);
        assert_eq!(fmt_num(0.25, 0.05), "0.25");
        assert_eq!(fmt_num(1.0, 5e-324), "1.00000000000000000");
        assert_eq!(fmt_num(1.5, 0.0), "1.5");
    }
}
