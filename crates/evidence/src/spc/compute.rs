//! Subgrouping, centre lines and limits of the twelve chart types, after qicharts2 0.8.1.
//!
//! Formulas: Montgomery, *Introduction to Statistical Quality Control* (6th ed.), eqs. 6.4-6.33 and
//! 7.7-7.19; Laney (2002), "Improved control charts for attributes", *Quality Engineering* 14(4);
//! Nelson (1982) for moving-range screening; Provost & Murray (2011) for T and G charts; Anhøj &
//! Olesen (2014) for the runs analysis.
//!
//! Complexity: O(r log r) time for r rows when they arrive out of x order (a sort), O(r) when they
//! are already ordered; O(r) space.

use std::cmp::Ordering;

use super::runs::runs_analysis;
use super::{
    Chart, ChartOptions, ChartPoint, ChartType, MrScreening, PartSummary, Row, Rules, RunsAnalysis,
    Series, SpcError,
};

/// d2 for moving ranges of two (Montgomery, appendix table VI).
const D2: f64 = 1.128;
/// The NHS "Making Data Count" factor from mean moving range to the 3-sigma limit.
const NHS_LIMIT: f64 = 2.66;
/// D4 for moving ranges of two.
const D4: f64 = 3.267;

/// One subgroup after aggregation, 56 bytes; NaN means missing.
#[derive(Clone, Copy)]
struct Group {
    /// Index of the subgroup's first row (its x).
    first: usize,
    y_sum: f64,
    y_length: usize,
    y_mean: f64,
    y_sd: f64,
    n: f64,
    y: f64,
}

/// The limits of one point: lower and upper 3-sigma, lower and upper 2-sigma; NaN means missing.
type Four = [f64; 4];

/// The limits of a part: the same for every point, one set per point, or (P, P', U, U') one
/// set per point computed from the point's denominator when asked for, which saves a 32-byte
/// entry per point.
enum Each {
    Same(Four),
    Per(Vec<Four>),
    /// `four(cl, sqrt(num / n) * factor)`, then capped at 1 above (`cap`) and floored at 0
    /// below (`floor`).
    Count {
        num: f64,
        factor: f64,
        cap: bool,
        floor: bool,
    },
}

/// The subgroups of a series, sorted by x: built, or (when every row has its own x and the rows
/// are already ordered, the usual case) read from the rows when asked for, which saves a
/// 56-byte entry per point.
enum Groups<'a> {
    Built(Vec<Group>),
    PerRow { rows: &'a [Row], got_n: bool },
}

impl Groups<'_> {
    fn len(&self) -> usize {
        match self {
            Groups::Built(g) => g.len(),
            Groups::PerRow { rows, .. } => rows.len(),
        }
    }

    /// The subgroup at `k` (`k < len`).
    #[inline]
    fn get(&self, k: usize) -> Group {
        match self {
            Groups::Built(g) => g[k],
            Groups::PerRow { rows, got_n } => group_of_row(&rows[k], k, *got_n),
        }
    }

    /// The subgroups in `range`, in order.
    fn iter(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl ExactSizeIterator<Item = Group> + Clone + '_ {
        range.map(|k| self.get(k))
    }
}

/// Per-part centre line and limits computed by a chart function.
struct Limits {
    cl: f64,
    each: Each,
}

impl Limits {
    fn constant(cl: f64, sigma: f64) -> Self {
        Limits {
            cl,
            each: Each::Same(four(cl, sigma)),
        }
    }

    fn none(cl: f64) -> Self {
        Limits {
            cl,
            each: Each::Same([f64::NAN; 4]),
        }
    }

    /// Applies `f` to every point's limits (stored ones; `Count` limits take their flags).
    fn map(&mut self, f: impl Fn(Four) -> Four) {
        match &mut self.each {
            Each::Same(l) => *l = f(*l),
            Each::Per(v) => v.iter_mut().for_each(|l| *l = f(*l)),
            Each::Count { .. } => {}
        }
    }

    fn floor_lower(&mut self) {
        if let Each::Count { floor, .. } = &mut self.each {
            *floor = true;
        }
        self.map(floor_four);
    }

    fn cap_upper(&mut self) {
        if let Each::Count { cap, .. } = &mut self.each {
            *cap = true;
        }
        self.map(cap_four);
    }

    /// The limits of the part's point `k`, whose subgroup is `g`.
    fn at(&self, k: usize, g: &Group) -> Four {
        match &self.each {
            Each::Same(l) => *l,
            Each::Per(v) => v.get(k).copied().unwrap_or([f64::NAN; 4]),
            &Each::Count {
                num,
                factor,
                cap,
                floor,
            } => {
                let mut l = four(self.cl, (num / g.n).sqrt() * factor);
                if cap {
                    l = cap_four(l);
                }
                if floor {
                    l = floor_four(l);
                }
                l
            }
        }
    }
}

fn floor_four([l, u, l2, u2]: Four) -> Four {
    [floor0(l), u, floor0(l2), u2]
}

fn cap_four([l, u, l2, u2]: Four) -> Four {
    [l, cap1(u), l2, cap1(u2)]
}

fn four(cl: f64, sigma: f64) -> Four {
    [
        cl - 3.0 * sigma,
        cl + 3.0 * sigma,
        cl - 2.0 * sigma,
        cl + 2.0 * sigma,
    ]
}

fn floor0(v: f64) -> f64 {
    if v < 0.0 { 0.0 } else { v }
}

fn cap1(v: f64) -> f64 {
    if v > 1.0 && v.is_finite() { 1.0 } else { v }
}

fn opt(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

fn mean_of(values: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut k) = (0.0, 0usize);
    for v in values.filter(|v| !v.is_nan()) {
        s += v;
        k += 1;
    }
    if k == 0 { f64::NAN } else { s / k as f64 }
}

fn median_of(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.filter(|v| !v.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

/// Mean moving range of a sequence (NaN pairs skipped), with optional Nelson screening: two
/// passes over the sequence, no allocation.
fn average_moving_range<I>(seq: I, screening: MrScreening) -> f64
where
    I: Iterator<Item = f64> + Clone,
{
    let mrs = seq
        .scan(None, |prev: &mut Option<f64>, v| {
            let r = prev.map(|p| (v - p).abs());
            *prev = Some(v);
            Some(r)
        })
        .flatten()
        .filter(|v| !v.is_nan());
    let amr = mean_of(mrs.clone());
    match screening {
        MrScreening::Off => amr,
        MrScreening::On => {
            let upper = D4 * amr;
            mean_of(mrs.filter(|&m| m < upper))
        }
    }
}

fn ln_gamma(x: f64) -> f64 {
    statrs::function::gamma::ln_gamma(x)
}

fn c4(n: f64) -> f64 {
    if n <= 1.0 {
        return f64::NAN;
    }
    (2.0 / (n - 1.0)).sqrt() * (ln_gamma(n / 2.0) - ln_gamma((n - 1.0) / 2.0)).exp()
}

fn c5(n: f64) -> f64 {
    (1.0 - c4(n).powi(2)).sqrt()
}

/// Groups rows by x, sorted by x, and validates them for the chart; also says whether x holds
/// category labels. One pass over the rows validates them, checks their order and (for rows
/// that turn out to be one subgroup each) their denominators; errors come in the order of
/// separate passes: every row's own error first, then all values missing, then a subgroup's.
fn aggregate(series: &Series, chart: ChartType) -> Result<(Groups<'_>, bool), SpcError> {
    let rows = series.rows();
    if rows.is_empty() {
        return Err(SpcError::EmptySeries);
    }
    let got_n = series.has_denominators();
    let (mut any_y, mut labels, mut sorted, mut distinct) = (false, false, true, true);
    // The first row that, as a subgroup of its own, has values over a zero denominator.
    let mut zero = None;
    let mut prev: Option<&Row> = None;
    for (i, r) in rows.iter().enumerate() {
        validate_row(i + 1, r, chart, got_n)?;
        any_y |= r.y.is_some();
        labels |= r.x.is_label();
        if let (true, Some(p)) = (sorted, prev) {
            match p.x.total_cmp(&r.x) {
                Ordering::Less => {}
                Ordering::Equal => distinct = false,
                Ordering::Greater => sorted = false,
            }
        }
        if zero.is_none() && zero_denominator(&group_of_row(r, i, got_n), got_n) {
            zero = Some(i);
        }
        prev = Some(r);
    }
    if !any_y {
        return Err(SpcError::AllMissing { rows: rows.len() });
    }
    let groups = if sorted && distinct {
        if let Some(k) = zero {
            return Err(SpcError::ZeroDenominator {
                x: rows[k].x.to_string(),
            });
        }
        Groups::PerRow { rows, got_n }
    } else if sorted {
        Groups::Built(group_all(rows, |k| k, got_n)?)
    } else {
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| rows[a].x.total_cmp(&rows[b].x));
        Groups::Built(group_all(rows, |k| order[k], got_n)?)
    };
    Ok((groups, labels))
}

/// The subgroups of rows taken in the order `at(0), at(1), ...`, which is sorted by x.
fn group_all(
    rows: &[Row],
    at: impl Fn(usize) -> usize,
    got_n: bool,
) -> Result<Vec<Group>, SpcError> {
    let mut points = Vec::with_capacity(rows.len());
    let mut start = 0;
    while start < rows.len() {
        let x = &rows[at(start)].x;
        let mut end = start + 1;
        while end < rows.len() && rows[at(end)].x.total_cmp(x) == Ordering::Equal {
            end += 1;
        }
        let point = group(rows, (start..end).map(&at), got_n);
        check_group(rows, &point, got_n)?;
        points.push(point);
        start = end;
    }
    Ok(points)
}

fn validate_row(row: usize, r: &Row, chart: ChartType, got_n: bool) -> Result<(), SpcError> {
    let x = || r.x.to_string();
    if let Some(y) = r.y {
        if !y.is_finite() {
            return Err(SpcError::NonFinite {
                row,
                x: x(),
                field: "y",
                value: y,
            });
        }
        if chart.counts() && y < 0.0 {
            return Err(SpcError::NegativeCount {
                row,
                x: x(),
                value: y,
                chart: chart.name(),
            });
        }
        if chart == ChartType::T && y <= 0.0 {
            return Err(SpcError::NonPositiveTime {
                row,
                x: x(),
                value: y,
            });
        }
        if (chart.needs_denominator() || got_n) && r.n.is_none() {
            return Err(SpcError::MissingDenominator {
                row,
                x: x(),
                chart: chart.name(),
            });
        }
    }
    if let Some(n) = r.n {
        if !n.is_finite() {
            return Err(SpcError::NonFinite {
                row,
                x: x(),
                field: "n",
                value: n,
            });
        }
        if n < 0.0 {
            return Err(SpcError::NegativeDenominator {
                row,
                x: x(),
                value: n,
            });
        }
    }
    Ok(())
}

/// Whether a subgroup has values over denominators that sum to zero.
#[inline]
fn zero_denominator(g: &Group, got_n: bool) -> bool {
    got_n && g.y_length > 0 && g.n == 0.0
}

/// A subgroup whose values sum to more than zero over denominators that sum to zero is an error.
fn check_group(rows: &[Row], g: &Group, got_n: bool) -> Result<(), SpcError> {
    if zero_denominator(g, got_n) {
        return Err(SpcError::ZeroDenominator {
            x: rows[g.first].x.to_string(),
        });
    }
    Ok(())
}

/// The subgroup of the one row `r` at `k`: what [`group`] gives for it, with the same
/// arithmetic (`0.0 + y` turns `-0.0` into `0.0` there too).
#[inline]
fn group_of_row(r: &Row, k: usize, got_n: bool) -> Group {
    let (y_sum, y_length, y_mean, nsum) = match r.y {
        Some(y) => {
            let sum = 0.0 + y;
            (sum, 1, sum / 1.0, 0.0 + r.n.unwrap_or(0.0))
        }
        None => (f64::NAN, 0, f64::NAN, f64::NAN),
    };
    let (n, y) = if got_n {
        (nsum, y_sum / nsum)
    } else {
        (f64::NAN, y_mean)
    };
    Group {
        first: k,
        y_sum,
        y_length,
        y_mean,
        y_sd: f64::NAN,
        n,
        y,
    }
}

/// The subgroup of the rows at `idx` (at least one).
fn group(rows: &[Row], idx: impl Iterator<Item = usize> + Clone, got_n: bool) -> Group {
    let (mut sum, mut len, mut nsum) = (0.0, 0usize, 0.0);
    let mut first = None;
    for i in idx.clone() {
        first.get_or_insert(i);
        if let Some(y) = rows[i].y {
            sum += y;
            len += 1;
            nsum += rows[i].n.unwrap_or(0.0);
        }
    }
    let first = first.unwrap_or(0);
    let (y_sum, y_mean) = if len == 0 {
        (f64::NAN, f64::NAN)
    } else {
        (sum, sum / len as f64)
    };
    let y_sd = if len >= 2 {
        let ss: f64 = idx
            .filter_map(|i| rows[i].y)
            .map(|y| (y - y_mean).powi(2))
            .sum();
        (ss / (len - 1) as f64).sqrt()
    } else {
        f64::NAN
    };
    let (n, y) = if got_n {
        let n = if len == 0 { f64::NAN } else { nsum };
        (n, y_sum / n)
    } else {
        (f64::NAN, y_mean)
    };
    Group {
        first,
        y_sum,
        y_length: len,
        y_mean,
        y_sd,
        n,
        y,
    }
}

/// Validates the options against the number of points and returns the parts as ranges of
/// 0-based indices.
fn part_ranges(
    options: &ChartOptions,
    len: usize,
) -> Result<Vec<std::ops::Range<usize>>, SpcError> {
    if !options.multiply.is_finite() || options.multiply == 0.0 {
        return Err(SpcError::InvalidOption {
            option: "multiply",
            message: format!("{} is not a finite, non-zero factor", options.multiply),
        });
    }
    if let Some(f) = options.freeze {
        if f == 0 || f > len {
            return Err(SpcError::InvalidOption {
                option: "freeze",
                message: format!("position {f} is outside 1..={len}, the plotted points"),
            });
        }
    }
    for &e in &options.exclude {
        if e == 0 || e > len {
            return Err(SpcError::InvalidOption {
                option: "exclude",
                message: format!("position {e} is outside 1..={len}, the plotted points"),
            });
        }
    }
    let mut ends = options.parts.clone();
    ends.sort_unstable();
    ends.dedup();
    for &p in &ends {
        if p == 0 || p >= len {
            return Err(SpcError::InvalidOption {
                option: "part",
                message: format!(
                    "last position {p} of a part is outside 1..{len}; the last part ends at the last point"
                ),
            });
        }
    }
    let mut start = 0;
    let mut parts = Vec::with_capacity(ends.len() + 1);
    for end in ends.into_iter().chain([len]) {
        parts.push(start..end);
        start = end;
    }
    Ok(parts)
}

impl Chart {
    /// Computes a chart of `series` with qicharts2's rules.
    ///
    /// Rows are grouped by x (a subgroup per x, ordered by x): a subgroup's y is the sum of its
    /// values over the sum of its denominators when the series has denominators, else their mean.
    /// Each part gets its own centre line, limits and Anhøj runs analysis; the centre line and
    /// limits use the part's included baseline points (with `freeze` and parts together, a part
    /// that starts after the baseline uses all its included points).
    ///
    /// Deviations from qicharts2, all on input it would turn into `NaN`s: a row whose y is missing
    /// does not add its denominator; a subgroup without values has `y = None`; a subgroup whose
    /// denominators sum to zero is an error.
    ///
    /// # Errors
    /// [`SpcError`] for an empty series, all values missing, a non-finite value, a negative count
    /// (P, P', C, U, U', G), a missing, negative or zero denominator, a count above its denominator
    /// (P, P'), a time between events of zero or less (T), options out of range, or too few points
    /// for the chart.
    ///
    /// # Complexity
    /// O(r log r) time and O(r) space for r rows (O(r) when the rows are already ordered by x).
    ///
    /// ```
    /// use kompas_evidence::spc::{Chart, ChartOptions, ChartType, Series};
    ///
    /// let s = Series::from_values(&[5.0, 7.0, 6.0, 8.0, 6.0, 7.0]);
    /// let chart = Chart::compute(&s, &ChartOptions::new(ChartType::I))?;
    /// let p = &chart.points[0];
    /// assert_eq!(p.cl, Some(6.5));
    /// assert!(p.ucl.unwrap() > 6.5 && p.lcl.unwrap() < 6.5);
    /// assert!(!chart.parts[0].runs.signal);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compute(series: &Series, options: &ChartOptions) -> Result<Chart, SpcError> {
        let mut points = Vec::new();
        let mut chart = compute_with(series, options, &mut points)?;
        chart.points = points;
        Ok(chart)
    }

    /// Computes a chart as [`Chart::compute`] does, but hands each point, in order and with the
    /// runs analysis of its part, to `visit` instead of keeping it: the returned chart has its
    /// options and part summaries and no points. For writing large charts without holding every
    /// point (a [`ChartPoint`] takes about 230 bytes). `visit` is called only once the whole
    /// chart has been computed without error.
    ///
    /// # Errors
    /// As [`Chart::compute`].
    ///
    /// # Complexity
    /// As [`Chart::compute`], with about 10 bytes of working space per point instead of 300 (70
    /// when rows share an x or arrive out of x order, which builds the subgroups).
    ///
    /// ```
    /// use kompas_evidence::spc::{Chart, ChartOptions, ChartType, Series};
    ///
    /// let s = Series::from_values(&[5.0, 7.0, 6.0, 8.0, 6.0, 7.0]);
    /// let options = ChartOptions::new(ChartType::I);
    /// let mut ucl = Vec::new();
    /// let chart = Chart::compute_each(&s, &options, |p, runs| {
    ///     assert_eq!(runs.n_obs, 6);
    ///     ucl.push(p.ucl);
    /// })?;
    /// assert!(chart.points.is_empty());
    /// let whole = Chart::compute(&s, &options)?;
    /// assert_eq!(ucl, whole.points.iter().map(|p| p.ucl).collect::<Vec<_>>());
    /// assert_eq!(chart.parts, whole.parts);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compute_each(
        series: &Series,
        options: &ChartOptions,
        mut visit: impl FnMut(&ChartPoint, &RunsAnalysis),
    ) -> Result<Chart, SpcError> {
        compute_with(series, options, &mut Visit(&mut visit))
    }

    /// Computes a chart as [`Chart::compute_each`] does, but splits the points into
    /// `visitors.len()` consecutive shares of (nearly) equal length, share `j` holding positions
    /// `j * len / count + 1 ..= (j + 1) * len / count`, and hands each share, in order, to its own
    /// visitor: the first on the calling thread, each other one on a thread of its own (scoped:
    /// all have finished when this returns). For writing a large chart on several cores: a
    /// writer formats the later shares into memory while the first is written. With one visitor
    /// this is [`Chart::compute_each`]; with none it computes the part summaries only.
    ///
    /// # Errors
    /// As [`Chart::compute`]; no visitor is called then.
    ///
    /// # Complexity
    /// As [`Chart::compute_each`], the points' work divided among the threads (the calling
    /// thread also sums every point's limits for the part summaries).
    ///
    /// ```
    /// use kompas_evidence::spc::{Chart, ChartOptions, ChartType, Series};
    ///
    /// let s = Series::from_values(&[5.0, 7.0, 6.0, 8.0, 6.0, 7.0, 9.0]);
    /// let options = ChartOptions::new(ChartType::I);
    /// let mut shares = vec![Vec::new(); 2];
    /// let mut visitors: Vec<_> = shares
    ///     .iter_mut()
    ///     .map(|share| move |p: &kompas_evidence::spc::ChartPoint, _: &_| share.push(p.position))
    ///     .collect();
    /// let chart = Chart::compute_split(&s, &options, &mut visitors)?;
    /// drop(visitors);
    /// assert_eq!(shares, [vec![1, 2, 3], vec![4, 5, 6, 7]]);
    /// assert_eq!(chart.parts, Chart::compute(&s, &options)?.parts);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compute_split<V>(
        series: &Series,
        options: &ChartOptions,
        visitors: &mut [V],
    ) -> Result<Chart, SpcError>
    where
        V: FnMut(&ChartPoint, &RunsAnalysis) + Send,
    {
        let prepared = Prepared::new(series, options)?;
        let len = prepared.len();
        let count = visitors.len().max(1);
        // The bounds of share j are j * len / count (len * count cannot overflow for any series
        // that fits in memory with fewer visitors than bytes per row).
        let bound = |j: usize| (j as u128 * len as u128 / count as u128) as usize;
        Ok(prepared.visit_split(options, visitors, |j| {
            std::iter::once(bound(j)..bound(j + 1))
        }))
    }

    /// Computes a chart as [`Chart::compute_each`] does, but cuts the points into blocks of
    /// `block` consecutive points (block `b` holding positions `b * block + 1 ..= (b + 1) *
    /// block`, the last one possibly shorter) and hands block `b`, in order and point by point,
    /// to visitor `b % visitors.len()`: the first visitor on the calling thread, each other one
    /// on a thread of its own (scoped: all have finished when this returns). For writing a
    /// large chart on several cores with little memory: each writer formats its blocks, and the
    /// blocks are written in turn as they are done. With one visitor (or a block at least as
    /// long as the chart) this is [`Chart::compute_each`]; with none it computes the part
    /// summaries only.
    ///
    /// # Errors
    /// As [`Chart::compute`]; no visitor is called then.
    ///
    /// # Panics
    /// When `block` is 0.
    ///
    /// # Complexity
    /// As [`Chart::compute_each`], the points' work divided among the threads (the calling
    /// thread also sums every point's limits for the part summaries).
    ///
    /// ```
    /// use kompas_evidence::spc::{Chart, ChartOptions, ChartType, Series};
    ///
    /// let s = Series::from_values(&[5.0, 7.0, 6.0, 8.0, 6.0, 7.0, 9.0]);
    /// let options = ChartOptions::new(ChartType::I);
    /// let mut shares = vec![Vec::new(); 2];
    /// let mut visitors: Vec<_> = shares
    ///     .iter_mut()
    ///     .map(|share| move |p: &kompas_evidence::spc::ChartPoint, _: &_| share.push(p.position))
    ///     .collect();
    /// let chart = Chart::compute_blocks(&s, &options, 2, &mut visitors)?;
    /// drop(visitors);
    /// assert_eq!(shares, [vec![1, 2, 5, 6], vec![3, 4, 7]]);
    /// assert_eq!(chart.parts, Chart::compute(&s, &options)?.parts);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compute_blocks<V>(
        series: &Series,
        options: &ChartOptions,
        block: usize,
        visitors: &mut [V],
    ) -> Result<Chart, SpcError>
    where
        V: FnMut(&ChartPoint, &RunsAnalysis) + Send,
    {
        let turns: Vec<usize> = (0..visitors.len()).collect();
        Self::compute_blocks_in_turns(series, options, block, &turns, visitors)
    }

    /// [`Chart::compute_blocks`] with the blocks dealt out in the order `turns` gives, over
    /// and over: block `b` goes to visitor `turns[b % turns.len()]`. Turns such as `[0, 1, 1]`
    /// give the second visitor two blocks for each of the first's, for a first visitor that
    /// has other work besides (writing every block out, say). Blocks whose turn names no
    /// visitor are computed (for the part summaries) but visited by none; empty `turns` visit
    /// nothing.
    ///
    /// # Errors
    /// As [`Chart::compute`]; no visitor is called then.
    ///
    /// # Panics
    /// When `block` is 0.
    ///
    /// # Complexity
    /// As [`Chart::compute_blocks`].
    ///
    /// ```
    /// use kompas_evidence::spc::{Chart, ChartOptions, ChartType, Series};
    ///
    /// let s = Series::from_values(&[5.0, 7.0, 6.0, 8.0, 6.0, 7.0, 9.0]);
    /// let options = ChartOptions::new(ChartType::I);
    /// let mut shares = vec![Vec::new(); 2];
    /// let mut visitors: Vec<_> = shares
    ///     .iter_mut()
    ///     .map(|share| move |p: &kompas_evidence::spc::ChartPoint, _: &_| share.push(p.position))
    ///     .collect();
    /// let chart = Chart::compute_blocks_in_turns(&s, &options, 1, &[0, 1, 1], &mut visitors)?;
    /// drop(visitors);
    /// assert_eq!(shares, [vec![1, 4, 7], vec![2, 3, 5, 6]]);
    /// assert_eq!(chart.parts, Chart::compute(&s, &options)?.parts);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compute_blocks_in_turns<V>(
        series: &Series,
        options: &ChartOptions,
        block: usize,
        turns: &[usize],
        visitors: &mut [V],
    ) -> Result<Chart, SpcError>
    where
        V: FnMut(&ChartPoint, &RunsAnalysis) + Send,
    {
        assert!(block > 0, "compute_blocks: a block of 0 points");
        let prepared = Prepared::new(series, options)?;
        let len = prepared.len();
        Ok(prepared.visit_split(options, visitors, |j| {
            (0..len.div_ceil(block))
                .filter(move |&b| turns.get(b % turns.len().max(1)) == Some(&j))
                .map(move |b| b * block..(b * block).saturating_add(block).min(len))
        }))
    }
}

/// One part's plotted values (before multiplying), limits and runs analysis.
struct PartCalc {
    range: std::ops::Range<usize>,
    y: Vec<f64>,
    lim: Limits,
    runs: RunsAnalysis,
}

/// Where computed points go.
trait PointSink {
    /// Told the number of points before the first arrives.
    fn reserve(&mut self, _len: usize) {}
    /// One point, with the runs analysis of its part.
    fn point(&mut self, point: ChartPoint, runs: &RunsAnalysis);
}

impl PointSink for Vec<ChartPoint> {
    fn reserve(&mut self, len: usize) {
        self.reserve_exact(len);
    }

    fn point(&mut self, point: ChartPoint, _runs: &RunsAnalysis) {
        self.push(point);
    }
}

/// A visitor of points by reference.
struct Visit<F>(F);

impl<F: FnMut(&ChartPoint, &RunsAnalysis)> PointSink for Visit<F> {
    fn point(&mut self, point: ChartPoint, runs: &RunsAnalysis) {
        (self.0)(&point, runs);
    }
}

/// Everything the points are made from, once every part's limits are known (where all errors
/// arise).
struct Prepared<'a> {
    rows: &'a [Row],
    groups: Groups<'a>,
    calcs: Vec<PartCalc>,
    include: Vec<bool>,
    freeze: usize,
    multiply: f64,
}

/// The multiplied plotted value and limits of one point, and whether it lies outside them.
struct Core {
    y: Option<f64>,
    lcl: Option<f64>,
    ucl: Option<f64>,
    /// The 2-sigma limits before multiplying.
    l2: f64,
    u2: f64,
    sigma_signal: bool,
}

/// The running sums of a part's summary.
#[derive(Default, Clone, Copy)]
struct Sums {
    sigma_signals: usize,
    sl: f64,
    su: f64,
    kl: usize,
    ku: usize,
}

impl Sums {
    #[inline]
    fn add(&mut self, c: &Core) {
        self.sigma_signals += usize::from(c.sigma_signal);
        if let Some(l) = c.lcl {
            self.sl += l;
            self.kl += 1;
        }
        if let Some(u) = c.ucl {
            self.su += u;
            self.ku += 1;
        }
    }
}

impl<'a> Prepared<'a> {
    fn new(series: &'a Series, options: &ChartOptions) -> Result<Self, SpcError> {
        let chart = options.chart;
        let rows = series.rows();
        let (groups, categorical) = aggregate(series, chart)?;
        if matches!(chart, ChartType::P | ChartType::PPrime) {
            if let Some(g) = groups.iter(0..groups.len()).find(|g| g.y_sum > g.n) {
                return Err(SpcError::CountExceedsDenominator {
                    x: rows[g.first].x.to_string(),
                    count: g.y_sum,
                    n: g.n,
                });
            }
        }
        let len = groups.len();
        let parts = part_ranges(options, len)?;
        let freeze = options.freeze.unwrap_or(len);
        let mut include = vec![true; len];
        for &e in &options.exclude {
            include[e - 1] = false;
        }
        let mut calcs = Vec::with_capacity(parts.len());
        for range in parts {
            let (start, end) = (range.start, range.end);
            let g = groups.iter(range.clone());
            let inc = &include[range.clone()];
            let mut base: Vec<bool> = (start..end).map(|i| i < freeze && include[i]).collect();
            if !base.iter().any(|&b| b) {
                base.copy_from_slice(inc);
            }
            let (y, lim) = part_limits(g, &base, options, categorical)?;
            let mut runs = runs_analysis(&y, lim.cl, inc);
            if chart == ChartType::Mr || categorical {
                runs.signal = false;
            }
            calcs.push(PartCalc {
                range,
                y,
                lim,
                runs,
            });
        }
        Ok(Prepared {
            rows,
            groups,
            calcs,
            include,
            freeze,
            multiply: options.multiply,
        })
    }

    fn len(&self) -> usize {
        self.groups.len()
    }

    /// The value, limits and sigma signal of point `k` of a part, whose subgroup is `gr`.
    #[inline]
    fn core(&self, calc: &PartCalc, k: usize, gr: &Group) -> Core {
        let m = self.multiply;
        let [l3, u3, l2, u2] = calc.lim.at(k, gr);
        let y = opt(calc.y[k] * m);
        let lcl = opt(l3 * m);
        let ucl = opt(u3 * m);
        let sigma_signal = match y {
            Some(v) => ucl.is_some_and(|u| v > u) || lcl.is_some_and(|l| v < l),
            None => false,
        };
        Core {
            y,
            lcl,
            ucl,
            l2,
            u2,
            sigma_signal,
        }
    }

    /// Point `k` of part `index` (0-based).
    #[inline]
    fn point(&self, index: usize, calc: &PartCalc, k: usize, gr: &Group, c: &Core) -> ChartPoint {
        let m = self.multiply;
        let start = calc.range.start;
        ChartPoint {
            x: self.rows[gr.first].x.clone(),
            position: start + k + 1,
            y_sum: opt(gr.y_sum),
            y_length: gr.y_length,
            y_mean: opt(gr.y_mean),
            y_sd: opt(gr.y_sd),
            n: opt(gr.n),
            y: c.y,
            cl: opt(calc.lim.cl * m),
            lcl: c.lcl,
            ucl: c.ucl,
            lcl_95: opt(c.l2 * m),
            ucl_95: opt(c.u2 * m),
            part: index + 1,
            baseline: start + k < self.freeze,
            include: self.include[start + k],
            sigma_signal: c.sigma_signal,
        }
    }

    /// Calls `f(part index, part, k, subgroup, core)` for each point whose 0-based position is in
    /// `range`, in order.
    #[inline]
    fn walk(
        &self,
        range: std::ops::Range<usize>,
        mut f: impl FnMut(usize, &PartCalc, usize, &Group, &Core),
    ) {
        for (index, calc) in self.calcs.iter().enumerate() {
            let (lo, hi) = (
                calc.range.start.max(range.start),
                calc.range.end.min(range.end),
            );
            for i in lo..hi {
                let gr = self.groups.get(i);
                let k = i - calc.range.start;
                let c = self.core(calc, k, &gr);
                f(index, calc, k, &gr, &c);
            }
        }
    }

    /// Hands the points of `ranges(j)` (ascending ranges of 0-based positions, disjoint
    /// between visitors) to visitor `j`: the first on the calling thread, which also sums every
    /// point's limits, each other one on a scoped thread of its own; returns the chart without
    /// points.
    fn visit_split<V, R>(
        &self,
        options: &ChartOptions,
        visitors: &mut [V],
        ranges: impl Fn(usize) -> R + Sync,
    ) -> Chart
    where
        V: FnMut(&ChartPoint, &RunsAnalysis) + Send,
        R: Iterator<Item = std::ops::Range<usize>>,
    {
        let len = self.len();
        let mut sums = vec![Sums::default(); self.calcs.len()];
        std::thread::scope(|scope| {
            let (first, rest) = match visitors.split_first_mut() {
                Some((first, rest)) => (Some(first), rest),
                None => (None, &mut [][..]),
            };
            for (j, visit) in rest.iter_mut().enumerate() {
                let ranges = &ranges;
                scope.spawn(move || {
                    for range in ranges(j + 1) {
                        self.walk(range, |index, calc, k, gr, c| {
                            visit(&self.point(index, calc, k, gr, c), &calc.runs);
                        });
                    }
                });
            }
            match first {
                Some(visit) => {
                    let mut own = ranges(0).peekable();
                    self.walk(0..len, |index, calc, k, gr, c| {
                        sums[index].add(c);
                        let i = calc.range.start + k;
                        while own.next_if(|r| r.end <= i).is_some() {}
                        if own.peek().is_some_and(|r| r.contains(&i)) {
                            visit(&self.point(index, calc, k, gr, c), &calc.runs);
                        }
                    });
                }
                None => self.walk(0..len, |index, _, _, _, c| sums[index].add(c)),
            }
        });
        self.chart(options, &sums)
    }

    /// The chart without points, from the sums of every part.
    fn chart(&self, options: &ChartOptions, sums: &[Sums]) -> Chart {
        let m = self.multiply;
        let parts = self
            .calcs
            .iter()
            .zip(sums)
            .enumerate()
            .map(|(k, (calc, s))| PartSummary {
                part: k + 1,
                first: calc.range.start + 1,
                last: calc.range.end,
                runs: calc.runs.clone(),
                cl: opt(calc.lim.cl * m),
                mean_lcl: (s.kl > 0).then(|| s.sl / s.kl as f64),
                mean_ucl: (s.ku > 0).then(|| s.su / s.ku as f64),
                sigma_signals: s.sigma_signals,
            })
            .collect();
        Chart {
            options: options.clone(),
            points: Vec::new(),
            parts,
        }
    }
}

/// The chart computation: every part's limits first (where all errors arise), then the points,
/// handed to `sink` one by one.
fn compute_with(
    series: &Series,
    options: &ChartOptions,
    sink: &mut impl PointSink,
) -> Result<Chart, SpcError> {
    let prepared = Prepared::new(series, options)?;
    sink.reserve(prepared.len());
    let mut sums = vec![Sums::default(); prepared.calcs.len()];
    prepared.walk(0..prepared.len(), |index, calc, k, gr, c| {
        sums[index].add(c);
        sink.point(prepared.point(index, calc, k, gr, c), &calc.runs);
    });
    Ok(prepared.chart(options, &sums))
}

fn too_few(chart: ChartType, what: &'static str, needed: usize, found: usize) -> SpcError {
    SpcError::TooFewPoints {
        chart: chart.name(),
        what,
        needed,
        found,
    }
}

/// The plotted y (before multiplying) and the limits of one part.
fn part_limits(
    g: impl ExactSizeIterator<Item = Group> + Clone,
    base: &[bool],
    options: &ChartOptions,
    categorical: bool,
) -> Result<(Vec<f64>, Limits), SpcError> {
    let chart = options.chart;
    let len = g.len();
    let y: Vec<f64> = g.clone().map(|g| g.y).collect();
    let based = |v: &[f64]| -> Vec<f64> {
        v.iter()
            .zip(base)
            .filter(|(_, b)| **b)
            .map(|(v, _)| *v)
            .collect()
    };
    let count_base = |v: &[f64]| {
        v.iter()
            .zip(base)
            .filter(|(v, b)| **b && !v.is_nan())
            .count()
    };
    match chart {
        ChartType::Run => {
            let cl = median_of(based(&y).into_iter());
            if cl.is_nan() {
                return Err(too_few(chart, "baseline values in each part", 1, 0));
            }
            Ok((y, Limits::none(cl)))
        }
        ChartType::I => {
            let lim = i_limits(&y, base, options, chart)?;
            Ok((y, lim))
        }
        ChartType::T => {
            let ty: Vec<f64> = y.iter().map(|v| v.powf(1.0 / 3.6)).collect();
            let lim = i_limits(&ty, base, options, chart)?;
            let back = |v: f64| {
                let b = v.powf(3.6);
                if b.is_nan() { f64::NAN } else { b }
            };
            // A negative lower limit on the transformed scale has no back-transform: use 0.
            let lower = |t: f64| {
                let v = back(t);
                if t < 0.0 || v.is_nan() { 0.0 } else { v }
            };
            let mut out = lim;
            out.cl = back(out.cl);
            out.map(|[l, u, l2, u2]| [lower(l), back(u), lower(l2), back(u2)]);
            Ok((y, out))
        }
        ChartType::Mr => {
            let mut mr = vec![f64::NAN; len];
            for k in 1..len {
                mr[k] = (y[k] - y[k - 1]).abs();
            }
            let found = count_base(&mr);
            if found == 0 {
                return Err(too_few(
                    chart,
                    "consecutive baseline values in each part",
                    2,
                    found,
                ));
            }
            let cl = mean_of(based(&mr).into_iter());
            let lim = Limits {
                cl,
                each: Each::Same([0.0, D4 * cl, 0.0, D4 / 3.0 * 2.0 * cl]),
            };
            Ok((mr, lim))
        }
        ChartType::Xbar | ChartType::S => {
            let first_length = g.clone().next().map(|x| x.y_length);
            let var_n = g.clone().any(|x| Some(x.y_length) != first_length);
            let usable = g
                .clone()
                .zip(base)
                .filter(|(x, b)| **b && x.y_length >= 2)
                .count();
            if usable == 0 {
                return Err(too_few(
                    chart,
                    "baseline subgroups of two or more values in each part",
                    1,
                    0,
                ));
            }
            let bg = || g.clone().zip(base).filter(|(_, b)| **b).map(|(x, _)| x);
            let pooled = {
                let (mut num, mut den) = (0.0, 0.0);
                // As qicharts2: every baseline subgroup adds its size - 1 to the degrees of
                // freedom, an empty subgroup -1 (the stored reference `expected_NA_test` has one).
                for x in bg() {
                    if !x.y_sd.is_nan() {
                        num += (x.y_length as f64 - 1.0) * x.y_sd * x.y_sd;
                    }
                    den += x.y_length as f64 - 1.0;
                }
                (num / den).sqrt()
            };
            let sbar = mean_of(bg().map(|x| x.y_sd));
            let stdev = if var_n { pooled } else { sbar };
            if chart == ChartType::Xbar {
                let (mut num, mut den) = (0.0, 0.0);
                for x in bg().filter(|x| x.y_length > 0) {
                    num += x.y_length as f64 * x.y_mean;
                    den += x.y_length as f64;
                }
                let cl = num / den;
                let a = |n: usize, s: f64| {
                    let n = n as f64;
                    if n <= 1.0 {
                        f64::NAN
                    } else {
                        s / (c4(n) * n.sqrt())
                    }
                };
                let per = g.clone().map(|x| {
                    [
                        cl - a(x.y_length, 3.0) * stdev,
                        cl + a(x.y_length, 3.0) * stdev,
                        cl - a(x.y_length, 2.0) * stdev,
                        cl + a(x.y_length, 2.0) * stdev,
                    ]
                });
                let lim = Limits {
                    cl,
                    each: Each::Per(per.collect()),
                };
                Ok((y, lim))
            } else {
                let cl = stdev;
                let b = |n: usize, s: f64| {
                    let n = n as f64;
                    if n <= 1.0 {
                        (f64::NAN, f64::NAN)
                    } else {
                        let r = s * c5(n) / c4(n);
                        ((1.0 - r).max(0.0), 1.0 + r)
                    }
                };
                let per = g.clone().map(|x| {
                    let (b3, b4) = b(x.y_length, 3.0);
                    let (b3_95, b4_95) = b(x.y_length, 2.0);
                    [b3 * cl, b4 * cl, b3_95 * cl, b4_95 * cl]
                });
                let lim = Limits {
                    cl,
                    each: Each::Per(per.collect()),
                };
                let sd: Vec<f64> = g.clone().map(|x| x.y_sd).collect();
                Ok((sd, lim))
            }
        }
        ChartType::P | ChartType::PPrime | ChartType::U | ChartType::UPrime => {
            let (mut num, mut den) = (0.0, 0.0);
            for x in g
                .clone()
                .zip(base)
                .filter(|(x, b)| **b && !x.y.is_nan())
                .map(|(x, _)| x)
            {
                num += x.y_sum;
                den += x.n;
            }
            if den == 0.0 {
                return Err(too_few(
                    chart,
                    "baseline subgroups with values in each part",
                    1,
                    0,
                ));
            }
            let cl = num / den;
            let proportion = matches!(chart, ChartType::P | ChartType::PPrime);
            let sd = |n: f64| {
                if proportion {
                    (cl * (1.0 - cl) / n).sqrt()
                } else {
                    (cl / n).sqrt()
                }
            };
            let mut factor = 1.0;
            if matches!(chart, ChartType::PPrime | ChartType::UPrime) {
                let z: Vec<f64> = g
                    .clone()
                    .zip(base)
                    .filter(|(_, b)| **b)
                    .map(|(x, _)| (x.y - cl) / sd(x.n))
                    .collect();
                if z.iter().filter(|v| v.is_finite()).count() < 2 {
                    return Err(too_few(
                        chart,
                        "baseline subgroups with values in each part",
                        2,
                        count_base(&y),
                    ));
                }
                factor = if categorical {
                    let zs: Vec<f64> = z.into_iter().filter(|v| v.is_finite()).collect();
                    let m = mean_of(zs.iter().copied());
                    (zs.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (zs.len() - 1) as f64).sqrt()
                } else {
                    average_moving_range(z.iter().copied(), options.screen_mr) / D2
                };
            }
            let mut lim = Limits {
                cl,
                each: Each::Count {
                    num: if proportion { cl * (1.0 - cl) } else { cl },
                    factor,
                    cap: false,
                    floor: false,
                },
            };
            if proportion {
                lim.cap_upper();
            }
            lim.floor_lower();
            Ok((y, lim))
        }
        ChartType::C => {
            let c: Vec<f64> = g.clone().map(|x| x.y_sum).collect();
            let cl = mean_of(based(&c).into_iter());
            if cl.is_nan() {
                return Err(too_few(chart, "baseline values in each part", 1, 0));
            }
            let mut lim = Limits::constant(cl, cl.sqrt());
            lim.floor_lower();
            Ok((c, lim))
        }
        ChartType::G => {
            let b = based(&y);
            let mean = mean_of(b.iter().copied());
            if mean.is_nan() {
                return Err(too_few(chart, "baseline values in each part", 1, 0));
            }
            let mut lim = Limits::constant(mean, (mean * (mean + 1.0)).sqrt());
            lim.floor_lower();
            lim.cl = median_of(b.into_iter());
            Ok((y, lim))
        }
    }
}

/// Centre line and limits of an I chart (Montgomery eq. 6.33).
fn i_limits(
    y: &[f64],
    base: &[bool],
    options: &ChartOptions,
    chart: ChartType,
) -> Result<Limits, SpcError> {
    let screening = options.screen_mr;
    let b = y.iter().zip(base).filter(|(_, b)| **b).map(|(v, _)| *v);
    let cl = mean_of(b.clone());
    let amr = average_moving_range(b.clone(), screening);
    if amr.is_nan() {
        let found = b.filter(|v| !v.is_nan()).count();
        return Err(too_few(
            chart,
            "consecutive baseline values in each part",
            2,
            found,
        ));
    }
    let sigma = match (chart, options.rules) {
        // NHSRplotthedots: limits at 2.66 mean moving ranges.
        (ChartType::I, Rules::Nhs) => amr * NHS_LIMIT / 3.0,
        _ => amr / D2,
    };
    Ok(Limits::constant(cl, sigma))
}
