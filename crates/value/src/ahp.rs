//! The analytic hierarchy process (AHP): weights from a pairwise-comparison matrix, consistency.

use serde::{Deserialize, Serialize};

use crate::Error;

/// How far `a[i][j] · a[j][i]` may stray from 1 before a matrix counts as not reciprocal. The
/// slack lets judgments such as 1/3 be written with three decimals (0.333 · 3 = 0.999).
pub const RECIPROCAL_TOLERANCE: f64 = 0.01;

/// Power iteration stops when no weight changes by more than this between two steps.
pub const POWER_TOLERANCE: f64 = 1e-12;

/// Power iteration stops after this many steps even when not yet within [`POWER_TOLERANCE`].
pub const POWER_MAX_ITERATIONS: usize = 100_000;

/// The smallest judgment accepted (Saaty's scale runs from 1/9 to 9; this bound only keeps the
/// arithmetic finite).
pub const MIN_JUDGMENT: f64 = 1e-9;

/// The largest judgment accepted.
pub const MAX_JUDGMENT: f64 = 1e9;

/// A consistency ratio above this is reported as inconsistent (Saaty's 10 % rule).
pub const CR_THRESHOLD: f64 = 0.1;

/// Saaty's random consistency indices RI for n = 1..=10 (T. L. Saaty, "How to make a decision: the
/// analytic hierarchy process", *European Journal of Operational Research* 48 (1990) 9–26).
pub const RANDOM_INDEX: [f64; 10] = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];

/// A positive reciprocal matrix of pairwise judgments: `get(i, j)` says how many times more
/// important (preferred, likely) element i is than element j.
///
/// ```
/// use kompas_value::ComparisonMatrix;
///
/// let m = ComparisonMatrix::parse_csv(",a,b\na,1,3\nb,1/3,1\n")?;
/// assert_eq!(m.names(), ["a", "b"]);
/// let err = ComparisonMatrix::parse_csv(",a,b\na,1,3\nb,2,1\n").unwrap_err();
/// assert!(err.to_string().starts_with("ahp matrix row 1 (a), column 2 (b): judgment 3 is not reciprocal"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawMatrix")]
pub struct ComparisonMatrix {
    names: Vec<String>,
    a: Vec<Vec<f64>>,
}

#[derive(Deserialize)]
struct RawMatrix {
    names: Vec<String>,
    a: Vec<Vec<f64>>,
}

impl TryFrom<RawMatrix> for ComparisonMatrix {
    type Error = Error;
    fn try_from(r: RawMatrix) -> Result<Self, Error> {
        ComparisonMatrix::new(r.names, r.a)
    }
}

impl ComparisonMatrix {
    /// Checks and wraps a matrix given by rows.
    ///
    /// # Errors
    /// Naming the row and cell (1-based): [`Error::NotSquare`], [`Error::NonPositiveJudgment`] for
    /// a zero, negative or non-finite judgment, [`Error::JudgmentOutOfRange`] outside
    /// [`MIN_JUDGMENT`]..=[`MAX_JUDGMENT`], [`Error::DiagonalNotOne`], and
    /// [`Error::NotReciprocal`] when `a[i][j] · a[j][i]` strays from 1 by more than
    /// [`RECIPROCAL_TOLERANCE`]; [`Error::InvalidOption`] for blank or repeated names and
    /// [`Error::TooFewOptions`] for an empty matrix.
    pub fn new(names: Vec<String>, rows: Vec<Vec<f64>>) -> Result<Self, Error> {
        let n = names.len();
        if n == 0 {
            return Err(Error::TooFewOptions {
                what: "ahp matrix",
                got: 0,
                min: 1,
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for name in &names {
            if name.trim().is_empty() || !seen.insert(name.as_str()) {
                return Err(Error::InvalidOption {
                    option: name.clone(),
                });
            }
        }
        if rows.len() != n {
            return Err(Error::NotSquare {
                row: rows.len().min(n) + 1,
                got: if rows.len() > n { n + 1 } else { 0 },
                expected: n,
            });
        }
        for (i, r) in rows.iter().enumerate() {
            if r.len() != n {
                return Err(Error::NotSquare {
                    row: i + 1,
                    got: r.len(),
                    expected: n,
                });
            }
            for (j, &v) in r.iter().enumerate() {
                if !(v.is_finite() && v > 0.0) {
                    return Err(Error::NonPositiveJudgment {
                        row: i + 1,
                        row_name: names[i].clone(),
                        column: j + 1,
                        column_name: names[j].clone(),
                        value: v,
                    });
                }
                if !(MIN_JUDGMENT..=MAX_JUDGMENT).contains(&v) {
                    return Err(Error::JudgmentOutOfRange {
                        row: i + 1,
                        row_name: names[i].clone(),
                        column: j + 1,
                        column_name: names[j].clone(),
                        value: v,
                    });
                }
            }
        }
        for i in 0..n {
            if (rows[i][i] - 1.0).abs() > RECIPROCAL_TOLERANCE {
                return Err(Error::DiagonalNotOne {
                    row: i + 1,
                    name: names[i].clone(),
                    value: rows[i][i],
                });
            }
            for j in i + 1..n {
                if (rows[i][j] * rows[j][i] - 1.0).abs() > RECIPROCAL_TOLERANCE {
                    return Err(Error::NotReciprocal {
                        row: i + 1,
                        row_name: names[i].clone(),
                        column: j + 1,
                        column_name: names[j].clone(),
                        value: rows[i][j],
                        mirror: rows[j][i],
                        expected: 1.0 / rows[j][i],
                    });
                }
            }
        }
        Ok(ComparisonMatrix { names, a: rows })
    }

    /// Reads a matrix from CSV text: a header row whose first cell is ignored and whose other cells
    /// name the elements, then one row per element, in the same order, starting with its name.
    /// Judgments are numbers (`3`, `0.2`) or fractions (`1/5`).
    ///
    /// # Errors
    /// As [`ComparisonMatrix::new`], plus [`Error::NotANumber`] and [`Error::RowNameMismatch`]
    /// naming the row and cell, and [`Error::Csv`] for text that is not CSV.
    pub fn parse_csv(text: &str) -> Result<Self, Error> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut records = Vec::new();
        for rec in reader.records() {
            let rec = rec.map_err(|e| Error::Csv {
                what: "ahp matrix",
                line: e.position().map_or(0, |p| p.line()),
                message: e.to_string().to_lowercase(),
            })?;
            if !rec.iter().all(str::is_empty) {
                records.push(rec);
            }
        }
        let Some((header, body)) = records.split_first() else {
            return Err(Error::TooFewOptions {
                what: "ahp matrix",
                got: 0,
                min: 1,
            });
        };
        let names: Vec<String> = header.iter().skip(1).map(str::to_owned).collect();
        let n = names.len();
        let mut rows = Vec::with_capacity(body.len());
        for (i, rec) in body.iter().enumerate() {
            let row_name = rec.get(0).unwrap_or("");
            if rec.len() != n + 1 {
                return Err(Error::NotSquare {
                    row: i + 1,
                    got: rec.len().saturating_sub(1),
                    expected: n,
                });
            }
            match names.get(i) {
                Some(expected) if expected == row_name => {}
                Some(expected) => {
                    return Err(Error::RowNameMismatch {
                        row: i + 1,
                        got: row_name.to_owned(),
                        expected: expected.clone(),
                    });
                }
                None => {
                    return Err(Error::NotSquare {
                        row: i + 1,
                        got: n,
                        expected: n,
                    });
                }
            }
            let mut row = Vec::with_capacity(n);
            for (j, cell) in rec.iter().skip(1).enumerate() {
                let v = parse_judgment(cell).ok_or_else(|| Error::NotANumber {
                    row: i + 1,
                    row_name: row_name.to_owned(),
                    column: j + 1,
                    column_name: names[j].clone(),
                    value: cell.to_owned(),
                })?;
                row.push(v);
            }
            rows.push(row);
        }
        ComparisonMatrix::new(names, rows)
    }

    /// The consistent matrix `a[i][j] = w[i] / w[j]` of positive weights (handy for tests and for
    /// turning known ratios into judgments).
    ///
    /// # Errors
    /// [`Error::NonPositiveJudgment`] for a weight that is not a finite number > 0, and the
    /// errors of [`ComparisonMatrix::new`].
    pub fn from_weights(names: Vec<String>, weights: &[f64]) -> Result<Self, Error> {
        let rows = weights
            .iter()
            .map(|wi| weights.iter().map(|wj| wi / wj).collect())
            .collect();
        ComparisonMatrix::new(names, rows)
    }

    /// The element names, in matrix order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the matrix is empty (never true for a checked matrix).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The judgment at row `i`, column `j` (0-based), if in range.
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        self.a.get(i).and_then(|r| r.get(j)).copied()
    }
}

fn parse_judgment(cell: &str) -> Option<f64> {
    match cell.split_once('/') {
        Some((p, q)) => Some(p.trim().parse::<f64>().ok()? / q.trim().parse::<f64>().ok()?),
        None => cell.parse().ok(),
    }
}

/// Whether a matrix's consistency ratio is acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consistency {
    /// CR ≤ 0.1 (or n ≤ 2, where every reciprocal matrix is consistent).
    Acceptable,
    /// CR > 0.1: the judgments should be revisited, starting with the triad named.
    Inconsistent,
    /// n > 10: Saaty's table has no random index, so no ratio is given.
    NotAssessed,
}

/// Three elements whose judgments disagree most: `a[i][j] · a[j][k]` against `a[i][k]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Triad {
    /// The three elements i, j, k (in matrix order).
    pub elements: [String; 3],
    /// `a[i][j] · a[j][k] / a[i][k]`: 1 for a consistent triad.
    pub ratio: f64,
}

/// The result of the AHP on one matrix: weights, principal eigenvalue and consistency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ahp {
    /// The element names, in matrix order.
    pub names: Vec<String>,
    /// The weights: the principal right eigenvector, normalised to sum to 1.
    pub weights: Vec<f64>,
    /// The principal eigenvalue λmax (the mean of `(A w)_i / w_i`).
    pub lambda_max: f64,
    /// The consistency index CI = (λmax − n) / (n − 1); 0 for n ≤ 2.
    pub consistency_index: f64,
    /// Saaty's random index RI for n, when n ≤ 10.
    pub random_index: Option<f64>,
    /// The consistency ratio CR = CI / RI; 0 for n ≤ 2, absent for n > 10.
    pub consistency_ratio: Option<f64>,
    /// Acceptable, inconsistent (CR > 0.1) or not assessed.
    pub consistency: Consistency,
    /// The most inconsistent triad (n ≥ 3), always computed; the one to revisit when inconsistent.
    pub most_inconsistent_triad: Option<Triad>,
    /// Power-iteration steps taken.
    pub iterations: usize,
}

/// The AHP weights and consistency of a comparison matrix.
///
/// The weights are the principal eigenvector, found by power iteration from the uniform vector
/// until no weight moves by more than [`POWER_TOLERANCE`] (at most [`POWER_MAX_ITERATIONS`] steps;
/// a positive matrix has a simple dominant eigenvalue, so it converges by Perron's theorem). The
/// most inconsistent triad maximises |ln(a_ij · a_jk / a_ik)|.
///
/// Complexity: O(k·n²) for k steps, plus O(n³) for the triads. References: T. L. Saaty, *The
/// Analytic Hierarchy Process* (McGraw-Hill, 1980); T. L. Saaty, "How to make a decision: the
/// analytic hierarchy process", *European Journal of Operational Research* 48 (1990) 9–26.
///
/// ```
/// use kompas_value::{ahp, ComparisonMatrix, Consistency};
///
/// // Saaty (1990), house example: the three houses compared on the size of the house.
/// let m = ComparisonMatrix::parse_csv(",A,B,C\nA,1,6,8\nB,1/6,1,4\nC,1/8,1/4,1\n")?;
/// let r = ahp(&m);
/// assert!((r.weights[0] - 0.754).abs() < 5e-4);
/// assert!((r.lambda_max - 3.136).abs() < 5e-4);
/// assert_eq!(r.consistency, Consistency::Inconsistent); // CR = 0.117
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ahp(m: &ComparisonMatrix) -> Ahp {
    let n = m.len();
    let a = &m.a;
    let mul = |w: &[f64]| -> Vec<f64> {
        (0..n)
            .map(|i| (0..n).map(|j| a[i][j] * w[j]).sum())
            .collect()
    };
    let mut w = vec![1.0 / n as f64; n];
    let mut iterations = 0;
    while iterations < POWER_MAX_ITERATIONS {
        iterations += 1;
        let y = mul(&w);
        let s: f64 = y.iter().sum();
        let next: Vec<f64> = y.iter().map(|v| v / s).collect();
        let delta = next
            .iter()
            .zip(&w)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        w = next;
        if delta <= POWER_TOLERANCE {
            break;
        }
    }
    let aw = mul(&w);
    let lambda_max = aw.iter().zip(&w).map(|(x, y)| x / y).sum::<f64>() / n as f64;
    let consistency_index = if n <= 2 {
        0.0
    } else {
        ((lambda_max - n as f64) / (n as f64 - 1.0)).max(0.0)
    };
    let random_index = RANDOM_INDEX.get(n - 1).copied();
    let consistency_ratio = match random_index {
        _ if n <= 2 => Some(0.0),
        Some(ri) => Some(consistency_index / ri),
        None => None,
    };
    let consistency = match consistency_ratio {
        Some(cr) if cr > CR_THRESHOLD => Consistency::Inconsistent,
        Some(_) => Consistency::Acceptable,
        None => Consistency::NotAssessed,
    };
    let mut most: Option<(f64, usize, usize, usize, f64)> = None;
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                let ratio = a[i][j] * a[j][k] / a[i][k];
                let dev = ratio.ln().abs();
                if most.is_none_or(|(d, ..)| dev > d) {
                    most = Some((dev, i, j, k, ratio));
                }
            }
        }
    }
    Ahp {
        names: m.names.clone(),
        weights: w,
        lambda_max,
        consistency_index,
        random_index,
        consistency_ratio,
        consistency,
        most_inconsistent_triad: most.map(|(_, i, j, k, ratio)| Triad {
            elements: [m.names[i].clone(), m.names[j].clone(), m.names[k].clone()],
            ratio,
        }),
        iterations,
    }
}

/// Hierarchic composition: the global priority of each alternative is the sum over criteria of the
/// criterion's weight times the alternative's local priority under it (Saaty 1980, 1990).
///
/// `local[c]` must rank the same alternatives, in the same order, as `local[0]`, and there must be
/// one per criterion.
///
/// # Errors
/// [`Error::Synthesis`] when the number of local results differs from the number of criteria, or
/// a local result compares other alternatives than the first.
///
/// Complexity: O(c·a) for c criteria and a alternatives.
pub fn synthesise(criteria: &Ahp, local: &[Ahp]) -> Result<Vec<(String, f64)>, Error> {
    if local.len() != criteria.weights.len() {
        return Err(Error::Synthesis {
            problem: format!(
                "{} local result(s) given: expected one per criterion ({})",
                local.len(),
                criteria.weights.len()
            ),
        });
    }
    let Some(first) = local.first() else {
        return Ok(Vec::new());
    };
    let mut total = vec![0.0; first.names.len()];
    for (c, (l, cw)) in local.iter().zip(&criteria.weights).enumerate() {
        if l.names != first.names {
            return Err(Error::Synthesis {
                problem: format!(
                    "local result {} (criterion {}) compares {}: expected {}",
                    c + 1,
                    criteria.names.get(c).map_or("?", String::as_str),
                    l.names.join(", "),
                    first.names.join(", ")
                ),
            });
        }
        for (t, w) in total.iter_mut().zip(&l.weights) {
            *t += cw * w;
        }
    }
    Ok(first.names.iter().cloned().zip(total).collect())
}
