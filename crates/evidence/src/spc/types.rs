//! Input series, chart options and chart results of the run and control charts.

use std::cmp::Ordering;
use std::fmt;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::SpcError;

/// The x of a point: a number, a date or a label (a category such as a municipality).
///
/// Points are ordered as qicharts2 orders its subgroups: numbers by value, dates by time, labels
/// alphabetically (byte order); a series mixes kinds only by accident, and then numbers come before
/// dates and dates before labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum XValue {
    /// A number (sample number, week, ...).
    Number(f64),
    /// A date; a month `2021-03` is read as its first day.
    Date(NaiveDate),
    /// A category label.
    Label(String),
}

impl XValue {
    fn rank(&self) -> u8 {
        match self {
            XValue::Number(_) => 0,
            XValue::Date(_) => 1,
            XValue::Label(_) => 2,
        }
    }

    /// The total order of subgroups described on the type.
    pub fn total_cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (XValue::Number(a), XValue::Number(b)) => a.total_cmp(b),
            (XValue::Date(a), XValue::Date(b)) => a.cmp(b),
            (XValue::Label(a), XValue::Label(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }

    /// Whether this x is a category label rather than a position in time or sequence.
    pub fn is_label(&self) -> bool {
        matches!(self, XValue::Label(_))
    }
}

impl fmt::Display for XValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XValue::Number(v) => write!(f, "{v}"),
            XValue::Date(d) => write!(f, "{d}"),
            XValue::Label(s) => f.write_str(s),
        }
    }
}

impl From<f64> for XValue {
    fn from(v: f64) -> Self {
        XValue::Number(v)
    }
}

impl From<NaiveDate> for XValue {
    fn from(d: NaiveDate) -> Self {
        XValue::Date(d)
    }
}

impl From<&str> for XValue {
    fn from(s: &str) -> Self {
        XValue::Label(s.to_owned())
    }
}

/// One row of a series: its x, its value and, for proportions and rates, its denominator.
///
/// Several rows with the same x form one subgroup (qicharts2's subgrouping by x).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Row {
    /// The subgroup this row belongs to.
    pub x: XValue,
    /// The value (measurement, count or time between events); `None` when missing.
    pub y: Option<f64>,
    /// The denominator (trials for P charts, exposure for U charts); `None` when not given.
    pub n: Option<f64>,
}

/// A series of rows, in any order; the chart groups and sorts them by x.
///
/// ```
/// use kompas_evidence::spc::Series;
///
/// let s = Series::from_values(&[3.0, 4.0, 5.0]);
/// assert_eq!(s.rows().len(), 3);
/// let p = Series::from_counts(&[2.0, 3.0], &[50.0, 60.0]);
/// assert_eq!(p.rows()[1].n, Some(60.0));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Series {
    rows: Vec<Row>,
}

impl Series {
    /// A series of the given rows.
    pub fn from_rows(rows: Vec<Row>) -> Self {
        Series { rows }
    }

    /// Values at x = 1, 2, 3, ...
    pub fn from_values(values: &[f64]) -> Self {
        Series {
            rows: values
                .iter()
                .enumerate()
                .map(|(i, &y)| Row {
                    x: XValue::Number((i + 1) as f64),
                    y: Some(y),
                    n: None,
                })
                .collect(),
        }
    }

    /// Counts and denominators at x = 1, 2, 3, ...; the shorter slice sets the length.
    pub fn from_counts(counts: &[f64], denominators: &[f64]) -> Self {
        Series {
            rows: counts
                .iter()
                .zip(denominators)
                .enumerate()
                .map(|(i, (&y, &n))| Row {
                    x: XValue::Number((i + 1) as f64),
                    y: Some(y),
                    n: Some(n),
                })
                .collect(),
        }
    }

    /// Adds a row.
    pub fn push(&mut self, row: Row) {
        self.rows.push(row);
    }

    /// The rows, in the order given.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Whether any row has a denominator.
    pub fn has_denominators(&self) -> bool {
        self.rows.iter().any(|r| r.n.is_some())
    }
}

/// The chart types of qicharts2.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ChartType {
    /// Run chart: the median as centre line, no limits.
    Run,
    /// Individuals chart (I, XmR).
    I,
    /// Moving range chart.
    Mr,
    /// Subgroup means.
    Xbar,
    /// Subgroup standard deviations.
    S,
    /// Time between rare events (I chart of y^(1/3.6), back-transformed).
    T,
    /// Proportions.
    P,
    /// Laney's P' chart (between-subgroup variation).
    #[serde(rename = "pp")]
    PPrime,
    /// Counts.
    C,
    /// Rates.
    U,
    /// Laney's U' chart.
    #[serde(rename = "up")]
    UPrime,
    /// Opportunities (cases) between rare events.
    G,
}

impl ChartType {
    /// All chart types, in qicharts2's order.
    pub const ALL: [ChartType; 12] = [
        ChartType::Run,
        ChartType::I,
        ChartType::Mr,
        ChartType::Xbar,
        ChartType::S,
        ChartType::T,
        ChartType::P,
        ChartType::PPrime,
        ChartType::C,
        ChartType::U,
        ChartType::UPrime,
        ChartType::G,
    ];

    /// qicharts2's short name (`run`, `i`, `mr`, `xbar`, `s`, `t`, `p`, `pp`, `c`, `u`, `up`, `g`).
    pub fn name(self) -> &'static str {
        match self {
            ChartType::Run => "run",
            ChartType::I => "i",
            ChartType::Mr => "mr",
            ChartType::Xbar => "xbar",
            ChartType::S => "s",
            ChartType::T => "t",
            ChartType::P => "p",
            ChartType::PPrime => "pp",
            ChartType::C => "c",
            ChartType::U => "u",
            ChartType::UPrime => "up",
            ChartType::G => "g",
        }
    }

    /// The chart's name as people write it, and as qicharts2's titles do (`run`, `I`, `MR`,
    /// `Xbar`, `S`, `T`, `P`, `P'`, `C`, `U`, `U'`, `G`).
    ///
    /// ```
    /// use kompas_evidence::spc::ChartType;
    ///
    /// assert_eq!(ChartType::PPrime.label(), "P'");
    /// assert_eq!(ChartType::PPrime.name(), "pp");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            ChartType::Run => "run",
            ChartType::I => "I",
            ChartType::Mr => "MR",
            ChartType::Xbar => "Xbar",
            ChartType::S => "S",
            ChartType::T => "T",
            ChartType::P => "P",
            ChartType::PPrime => "P'",
            ChartType::C => "C",
            ChartType::U => "U",
            ChartType::UPrime => "U'",
            ChartType::G => "G",
        }
    }

    /// Whether the chart needs a denominator per row (P, P', U, U').
    pub fn needs_denominator(self) -> bool {
        matches!(
            self,
            ChartType::P | ChartType::PPrime | ChartType::U | ChartType::UPrime
        )
    }

    /// Whether y is a count that cannot be negative (P, P', C, U, U', G).
    pub fn counts(self) -> bool {
        matches!(
            self,
            ChartType::P
                | ChartType::PPrime
                | ChartType::C
                | ChartType::U
                | ChartType::UPrime
                | ChartType::G
        )
    }
}

impl fmt::Display for ChartType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for ChartType {
    type Err = SpcError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChartType::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| SpcError::UnknownName {
                what: "chart",
                name: s.to_owned(),
                expected: "run, i, mr, xbar, s, t, p, pp, c, u, up, g",
            })
    }
}

/// Whether moving ranges above 3.267 times their mean are left out before the limits are
/// computed (Nelson 1982), for I, T, P' and U' charts.
///
/// qicharts2 screens by default (its `qic.screenedmr` option), and so do we.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MrScreening {
    /// Leave out moving ranges at or above 3.267 times the average moving range.
    #[default]
    On,
    /// Use every moving range.
    Off,
}

/// Which rule set a chart is read with.
///
/// The rule set also fixes the I chart's sigma: qicharts2 (Anhøj) uses mean moving range / 1.128
/// (Montgomery eq. 6.33); NHSRplotthedots (NHS "Making Data Count") uses limits at 2.66 times the
/// mean moving range, and so do we with [`Rules::Nhs`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Rules {
    /// Anhøj's runs rules and the 3-sigma limits, as in qicharts2.
    #[default]
    Anhoej,
    /// The NHS "Making Data Count" rules (see [`nhs_point_types`](super::nhs_point_types)).
    Nhs,
}

impl std::str::FromStr for Rules {
    type Err = SpcError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "anhoej" | "anhøj" => Ok(Rules::Anhoej),
            "nhs" => Ok(Rules::Nhs),
            _ => Err(SpcError::UnknownName {
                what: "rule set",
                name: s.to_owned(),
                expected: "anhoej, nhs",
            }),
        }
    }
}

/// What to compute: the chart type and qicharts2's options. Positions are 1-based, as in
/// qicharts2, and count the plotted points (subgroups), not the rows.
///
/// ```
/// use kompas_evidence::spc::{ChartOptions, ChartType, MrScreening};
///
/// let o = ChartOptions::new(ChartType::I).freeze(20).parts([12]).exclude([3]).screen_mr(MrScreening::Off);
/// assert_eq!(o.freeze, Some(20));
/// assert_eq!(o.parts, vec![12]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ChartOptions {
    /// The chart type.
    pub chart: ChartType,
    /// The last position of the baseline: only points up to it compute the centre line and limits.
    pub freeze: Option<usize>,
    /// The last position of each part but the last (qicharts2's `part`).
    pub parts: Vec<usize>,
    /// Positions left out of the calculations and the runs analysis; still tested against the limits.
    pub exclude: Vec<usize>,
    /// A factor applied to y, the centre line and the limits (e.g. 100 for percent).
    pub multiply: f64,
    /// Moving-range screening.
    pub screen_mr: MrScreening,
    /// The rule set (fixes the I chart's sigma constant).
    pub rules: Rules,
}

impl ChartOptions {
    /// Options for the given chart with qicharts2's defaults.
    pub fn new(chart: ChartType) -> Self {
        ChartOptions {
            chart,
            freeze: None,
            parts: Vec::new(),
            exclude: Vec::new(),
            multiply: 1.0,
            screen_mr: MrScreening::On,
            rules: Rules::Anhoej,
        }
    }

    /// Sets the baseline: positions 1..=`last`.
    pub fn freeze(mut self, last: usize) -> Self {
        self.freeze = Some(last);
        self
    }

    /// Sets the parts by the last position of each part but the last.
    pub fn parts(mut self, ends: impl IntoIterator<Item = usize>) -> Self {
        self.parts = ends.into_iter().collect();
        self
    }

    /// Sets the excluded positions.
    pub fn exclude(mut self, positions: impl IntoIterator<Item = usize>) -> Self {
        self.exclude = positions.into_iter().collect();
        self
    }

    /// Sets the multiplier.
    pub fn multiply(mut self, factor: f64) -> Self {
        self.multiply = factor;
        self
    }

    /// Sets the rule set.
    pub fn rules(mut self, rules: Rules) -> Self {
        self.rules = rules;
        self
    }

    /// Sets moving-range screening.
    pub fn screen_mr(mut self, screening: MrScreening) -> Self {
        self.screen_mr = screening;
        self
    }
}

/// One plotted point (subgroup) of a chart, with the columns of qicharts2's returned data.
///
/// Missing results are `None`: a subgroup without values has no `y`; a chart without limits (run
/// chart) or a subgroup whose limits cannot be computed (a subgroup of one on an Xbar chart) has no
/// `lcl`/`ucl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChartPoint {
    /// The subgroup's x.
    pub x: XValue,
    /// 1-based position among the plotted points.
    pub position: usize,
    /// Sum of the subgroup's values.
    pub y_sum: Option<f64>,
    /// Number of values in the subgroup.
    pub y_length: usize,
    /// Mean of the subgroup's values.
    pub y_mean: Option<f64>,
    /// Sample standard deviation of the subgroup's values (at least two values).
    pub y_sd: Option<f64>,
    /// Sum of the subgroup's denominators.
    pub n: Option<f64>,
    /// The plotted value (multiplied).
    pub y: Option<f64>,
    /// Centre line.
    pub cl: Option<f64>,
    /// Lower 3-sigma limit.
    pub lcl: Option<f64>,
    /// Upper 3-sigma limit.
    pub ucl: Option<f64>,
    /// Lower 2-sigma limit.
    pub lcl_95: Option<f64>,
    /// Upper 2-sigma limit.
    pub ucl_95: Option<f64>,
    /// 1-based part (phase).
    pub part: usize,
    /// Whether the point is in the baseline (at or before `freeze`).
    pub baseline: bool,
    /// Whether the point is used in the calculations (not excluded).
    pub include: bool,
    /// Whether the point lies outside its limits.
    pub sigma_signal: bool,
}

/// Anhøj's runs analysis of one part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RunsAnalysis {
    /// Included points in the part (missing values counted).
    pub n_obs: usize,
    /// Included points that are neither missing nor on the centre line.
    pub n_useful: usize,
    /// Longest run on one side of the centre line (`None` without useful points).
    pub longest_run: Option<usize>,
    /// Upper limit of the longest run: round(log2 n_useful) + 3.
    pub longest_run_max: Option<usize>,
    /// Number of times the curve crosses the centre line.
    pub n_crossings: Option<usize>,
    /// Lower limit of the crossings: the 5 % quantile of Binomial(n_useful - 1, 0.5).
    pub n_crossings_min: Option<usize>,
    /// Whether the longest run is too long or the crossings too few (always false for MR charts
    /// and for charts over category labels, as in qicharts2).
    pub signal: bool,
}

/// Summary of one part of a chart (qicharts2's `summary()`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PartSummary {
    /// 1-based part number.
    pub part: usize,
    /// First position of the part.
    pub first: usize,
    /// Last position of the part.
    pub last: usize,
    /// The runs analysis.
    pub runs: RunsAnalysis,
    /// Centre line (multiplied).
    pub cl: Option<f64>,
    /// Mean of the lower limits over the part.
    pub mean_lcl: Option<f64>,
    /// Mean of the upper limits over the part.
    pub mean_ucl: Option<f64>,
    /// Number of points outside their limits.
    pub sigma_signals: usize,
}

/// A computed run or control chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Chart {
    /// The options it was computed with.
    pub options: ChartOptions,
    /// The plotted points, ordered by x.
    pub points: Vec<ChartPoint>,
    /// One summary per part.
    pub parts: Vec<PartSummary>,
}

impl Chart {
    /// The chart type.
    pub fn chart_type(&self) -> ChartType {
        self.options.chart
    }

    /// The runs analysis of the part a point belongs to.
    pub fn runs_of(&self, point: &ChartPoint) -> Option<&RunsAnalysis> {
        self.parts.get(point.part.wrapping_sub(1)).map(|p| &p.runs)
    }
}
