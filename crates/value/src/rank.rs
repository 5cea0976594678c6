//! Aggregating stakeholder rankings: Borda, Copeland, Schulze and Kemeny, in exact integers, with
//! ties reported as tiers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Error, Pairwise, Profile};

/// A method that aggregates rankings into one collective order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Borda count (pairwise form): each option scores one point per voter and per option that
    /// voter ranks strictly below it. With complete strict ballots this is the classic
    /// n-1, n-2, ..., 0 count; ties and unranked options score nothing against each other.
    Borda,
    /// Copeland: wins minus losses in the pairwise majority contests.
    Copeland,
    /// Schulze's beatpath method (winning votes), with the strongest-path matrix.
    Schulze,
    /// Kemeny-Young: the orders that agree with the most pairwise preferences (at most
    /// [`KEMENY_MAX_OPTIONS`] options).
    Kemeny,
}

impl Method {
    /// The lowercase name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Borda => "borda",
            Method::Copeland => "copeland",
            Method::Schulze => "schulze",
            Method::Kemeny => "kemeny",
        }
    }
}

impl std::str::FromStr for Method {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "borda" => Ok(Method::Borda),
            "copeland" => Ok(Method::Copeland),
            "schulze" => Ok(Method::Schulze),
            "kemeny" => Ok(Method::Kemeny),
            other => Err(format!(
                "method {other:?} is unknown: expected borda, copeland, schulze or kemeny"
            )),
        }
    }
}

/// The largest number of options [`Method::Kemeny`] accepts: it lists every optimal order, and
/// there are 8! = 40,320 orders of 8 options.
pub const KEMENY_MAX_OPTIONS: usize = 8;

/// The collective order a method gives, with what it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectiveRanking {
    /// The method used.
    pub method: Method,
    /// The options, in matrix order.
    pub options: Vec<String>,
    /// The collective order, best first, as tiers: options in one tier are tied. Ties are never
    /// broken silently.
    pub order: Vec<Vec<String>>,
    /// Each option's score, where the method has one (Borda points, Copeland wins minus losses);
    /// empty for Schulze and Kemeny, whose orders rest on the matrices instead.
    pub scores: BTreeMap<String, i128>,
    /// The pairwise-preference matrix `d`.
    pub pairwise: Vec<Vec<u64>>,
    /// Schulze's strongest-path matrix `p` (Schulze only).
    pub strongest_paths: Option<Vec<Vec<u64>>>,
    /// Every optimal Kemeny order and its agreement score (Kemeny only).
    pub kemeny: Option<KemenyOptima>,
}

impl CollectiveRanking {
    /// Whether any tier holds more than one option.
    pub fn has_ties(&self) -> bool {
        self.order.iter().any(|t| t.len() > 1)
    }

    /// The winners: the first tier.
    pub fn winners(&self) -> &[String] {
        self.order.first().map_or(&[], Vec::as_slice)
    }
}

/// The optimal orders of the Kemeny-Young method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KemenyOptima {
    /// The agreement of an optimal order: the sum of `d[x][y]` over the pairs it puts x above y.
    pub score: u128,
    /// Every order reaching that score, each best first, sorted.
    pub orders: Vec<Vec<String>>,
}

/// Aggregates the profile's ballots with `method`.
///
/// # Errors
/// [`Error::TooManyOptions`] for Kemeny over more than [`KEMENY_MAX_OPTIONS`] options.
///
/// ```
/// use kompas_value::{aggregate, Method, Profile};
///
/// let csv = "count,ranking\n5,A>C>B>E>D\n5,A>D>E>C>B\n8,B>E>D>A>C\n3,C>A>B>E>D\n7,C>A>E>B>D\n2,C>B>A>D>E\n7,D>C>E>B>A\n8,E>B>A>D>C\n";
/// let r = aggregate(&Profile::parse_csv(csv, None)?, Method::Schulze)?;
/// assert_eq!(r.order, [["E"], ["A"], ["C"], ["B"], ["D"]]); // Schulze (2011), example 1
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn aggregate(profile: &Profile, method: Method) -> Result<CollectiveRanking, Error> {
    let pw = profile.pairwise();
    Ok(match method {
        Method::Borda => borda(&pw),
        Method::Copeland => copeland(&pw),
        Method::Schulze => schulze(&pw),
        Method::Kemeny => kemeny(&pw)?,
    })
}

fn names(options: &[String], idx: &[usize]) -> Vec<String> {
    idx.iter().map(|&i| options[i].clone()).collect()
}

/// Tiers from scores, highest first; equal scores share a tier (in matrix order).
fn tiers_by_score(options: &[String], scores: &[i128]) -> Vec<Vec<String>> {
    let mut idx: Vec<usize> = (0..options.len()).collect();
    idx.sort_by(|&a, &b| scores[b].cmp(&scores[a]).then(a.cmp(&b)));
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut last: Option<i128> = None;
    for i in idx {
        if last == Some(scores[i]) {
            if let Some(t) = out.last_mut() {
                t.push(options[i].clone());
            }
        } else {
            out.push(vec![options[i].clone()]);
        }
        last = Some(scores[i]);
    }
    out
}

/// Tiers from a strict partial order `beats`: each tier is the options of the rest that no other
/// remaining option beats.
fn tiers_by_relation(n: usize, beats: impl Fn(usize, usize) -> bool) -> Vec<Vec<usize>> {
    let mut rest: Vec<usize> = (0..n).collect();
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (top, others): (Vec<usize>, Vec<usize>) = rest
            .iter()
            .partition(|&&x| !rest.iter().any(|&y| y != x && beats(y, x)));
        if top.is_empty() {
            // Cannot happen for a strict partial order; keep the rest together rather than loop.
            out.push(rest);
            break;
        }
        out.push(top);
        rest = others;
    }
    out
}

fn scored(method: Method, pw: &Pairwise, scores: Vec<i128>) -> CollectiveRanking {
    CollectiveRanking {
        method,
        order: tiers_by_score(&pw.options, &scores),
        scores: pw.options.iter().cloned().zip(scores).collect(),
        options: pw.options.clone(),
        pairwise: pw.d.clone(),
        strongest_paths: None,
        kemeny: None,
    }
}

/// The Borda count in its pairwise form: option x scores the sum over y of `d[x][y]`.
///
/// Complexity: O(n²). Reference: J.-C. de Borda, "Mémoire sur les élections au scrutin" (1781);
/// the pairwise form as in W. Zwicker, "Introduction to the theory of voting", *Handbook of
/// Computational Social Choice* (2016), ch. 2.
pub fn borda(pw: &Pairwise) -> CollectiveRanking {
    let n = pw.len();
    let scores = (0..n)
        .map(|x| (0..n).map(|y| i128::from(pw.get(x, y))).sum())
        .collect();
    scored(Method::Borda, pw, scores)
}

/// Copeland's method: option x scores its pairwise majority wins minus its losses (ties score 0).
///
/// Complexity: O(n²). Reference: A. H. Copeland, "A reasonable social welfare function",
/// University of Michigan seminar (1951).
pub fn copeland(pw: &Pairwise) -> CollectiveRanking {
    let n = pw.len();
    let scores = (0..n)
        .map(|x| {
            (0..n)
                .filter(|&y| y != x)
                .map(|y| i128::from(pw.get(x, y).cmp(&pw.get(y, x)) as i8))
                .sum()
        })
        .collect();
    scored(Method::Copeland, pw, scores)
}

/// Schulze's method with winning votes: the strength of the link x→y is `d[x][y]` when
/// `d[x][y] > d[y][x]` and 0 otherwise; `p[x][y]` is the strength of the strongest path (the
/// widest path, by Floyd–Warshall); x is better than y when `p[x][y] > p[y][x]`. The order lists
/// the potential winners of the remaining options tier by tier.
///
/// Complexity: O(n³) time, O(n²) space. Reference: M. Schulze, "A new monotonic,
/// clone-independent, reversal symmetric, and Condorcet-consistent single-winner election method",
/// *Social Choice and Welfare* 36 (2011) 267–303.
pub fn schulze(pw: &Pairwise) -> CollectiveRanking {
    let p = strongest_paths(pw);
    let tiers = tiers_by_relation(pw.len(), |x, y| p[x][y] > p[y][x]);
    CollectiveRanking {
        method: Method::Schulze,
        options: pw.options.clone(),
        order: tiers.iter().map(|t| names(&pw.options, t)).collect(),
        scores: BTreeMap::new(),
        pairwise: pw.d.clone(),
        strongest_paths: Some(p),
        kemeny: None,
    }
}

/// The strongest-path matrix of Schulze's method (winning votes); the diagonal is 0.
pub fn strongest_paths(pw: &Pairwise) -> Vec<Vec<u64>> {
    let n = pw.len();
    let mut p: Vec<Vec<u64>> = (0..n)
        .map(|x| {
            (0..n)
                .map(|y| {
                    if x != y && pw.get(x, y) > pw.get(y, x) {
                        pw.get(x, y)
                    } else {
                        0
                    }
                })
                .collect()
        })
        .collect();
    for k in 0..n {
        for x in 0..n {
            if x == k {
                continue;
            }
            for y in 0..n {
                if y != x && y != k {
                    p[x][y] = p[x][y].max(p[x][k].min(p[k][y]));
                }
            }
        }
    }
    p
}

/// The Kemeny-Young method: the orders that maximise the agreement, the sum of `d[x][y]` over the
/// pairs they put x above y. Every optimal order is listed; the collective order puts x above y
/// only when every optimal order does, so ties between optimal orders show as tiers.
///
/// Exact, by dynamic programming over subsets (the best order of a set is its best first option
/// followed by the best order of the rest): O(2ⁿ·n²) time, O(2ⁿ) space, plus the optimal orders
/// listed. Reference: J. G. Kemeny, "Mathematics without numbers", *Daedalus* 88 (1959) 577–591;
/// H. P. Young and A. Levenglick, "A consistent extension of Condorcet's election principle", *SIAM
/// J. Appl. Math.* 35 (1978) 285–300.
///
/// # Errors
/// [`Error::TooManyOptions`] above [`KEMENY_MAX_OPTIONS`] options.
pub fn kemeny(pw: &Pairwise) -> Result<CollectiveRanking, Error> {
    let n = pw.len();
    if n > KEMENY_MAX_OPTIONS {
        return Err(Error::TooManyOptions {
            method: "kemeny",
            got: n,
            max: KEMENY_MAX_OPTIONS,
        });
    }
    let full = (1usize << n) - 1;
    // gain(x, set): agreement from putting x above every option in `set`.
    let gain = |x: usize, set: usize| -> u128 {
        (0..n)
            .filter(|&y| set & (1 << y) != 0)
            .map(|y| u128::from(pw.get(x, y)))
            .sum()
    };
    // best[s]: the best agreement of an order of the options in s among themselves.
    let mut best = vec![0u128; full + 1];
    for s in 1..=full {
        best[s] = (0..n)
            .filter(|&x| s & (1 << x) != 0)
            .map(|x| gain(x, s & !(1 << x)) + best[s & !(1 << x)])
            .max()
            .unwrap_or(0);
    }
    let mut orders = Vec::new();
    let mut prefix = Vec::with_capacity(n);
    collect_optima(n, full, &best, &gain, &mut prefix, &mut orders);
    orders.sort();
    // x above y in the collective order when x precedes y in every optimal order.
    let mut above = vec![vec![true; n]; n];
    for o in &orders {
        let mut pos = vec![0; n];
        for (i, &x) in o.iter().enumerate() {
            pos[x] = i;
        }
        for x in 0..n {
            for y in 0..n {
                if pos[x] >= pos[y] {
                    above[x][y] = false;
                }
            }
        }
    }
    let tiers = tiers_by_relation(n, |x, y| x != y && above[x][y]);
    Ok(CollectiveRanking {
        method: Method::Kemeny,
        options: pw.options.clone(),
        order: tiers.iter().map(|t| names(&pw.options, t)).collect(),
        scores: BTreeMap::new(),
        pairwise: pw.d.clone(),
        strongest_paths: None,
        kemeny: Some(KemenyOptima {
            score: best[full],
            orders: orders.iter().map(|o| names(&pw.options, o)).collect(),
        }),
    })
}

fn collect_optima(
    n: usize,
    set: usize,
    best: &[u128],
    gain: &dyn Fn(usize, usize) -> u128,
    prefix: &mut Vec<usize>,
    out: &mut Vec<Vec<usize>>,
) {
    if set == 0 {
        out.push(prefix.clone());
        return;
    }
    for x in 0..n {
        if set & (1 << x) != 0 {
            let rest = set & !(1 << x);
            if gain(x, rest) + best[rest] == best[set] {
                prefix.push(x);
                collect_optima(n, rest, best, gain, prefix, out);
                prefix.pop();
            }
        }
    }
}
