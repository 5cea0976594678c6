//! Lotteries over panels: selection, statistics, seeded draws, tickets and replacements.

use std::collections::BTreeMap;

use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Problem};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha20Rng;
use statrs::distribution::{Beta, ContinuousCDF};

use super::cg::{self, Goal, TypeLottery};
use super::legacy::legacy_once;
use super::model::{Counts, Model, solver_error};
use super::tickets::{self, TicketMethod, TicketOptions, Tickets};
use super::{Error, Instance};

/// The selection algorithm.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Algorithm {
    /// The greedy draw used before 2021 (probabilities estimated by Monte Carlo).
    Legacy,
    /// Maximise the smallest selection probability.
    Maximin,
    /// Maximise the smallest probability, then the second smallest, and so on.
    Leximin,
    /// Maximise the sum of the logarithms of the probabilities (Nash welfare).
    Nash,
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Legacy => "legacy",
            Self::Maximin => "maximin",
            Self::Leximin => "leximin",
            Self::Nash => "nash",
        })
    }
}

/// What to select: panel size, algorithm and, for LEGACY, the Monte Carlo runs and seed.
///
/// ```
/// use kompas_cocreation::panel::{Algorithm, Selection};
/// let selection = Selection::new(30, Algorithm::Leximin);
/// assert_eq!(selection.size(), 30);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    size: usize,
    algorithm: Algorithm,
    legacy_runs: usize,
    legacy_seed: u64,
}

impl Selection {
    /// A panel of `size` people chosen by `algorithm` (LEGACY: 10 000 runs, seed 0).
    pub fn new(size: usize, algorithm: Algorithm) -> Self {
        Self {
            size,
            algorithm,
            legacy_runs: 10_000,
            legacy_seed: 0,
        }
    }

    /// Monte Carlo runs for LEGACY.
    pub fn legacy_runs(mut self, runs: usize) -> Self {
        self.legacy_runs = runs;
        self
    }

    /// The seed of LEGACY's Monte Carlo estimate.
    pub fn legacy_seed(mut self, seed: u64) -> Self {
        self.legacy_seed = seed;
        self
    }

    /// The panel size.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
}

/// Progress of a long selection, passed to the callback of [`select`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Progress {
    /// The stage (LEXIMIN), round (NASH) or batch of runs (LEGACY).
    pub stage: usize,
    /// People whose probability is fixed so far (LEXIMIN), or runs done (LEGACY).
    pub fixed: usize,
    /// Panels in the portfolio.
    pub panels: usize,
    /// The stage's optimal minimum probability (LEXIMIN/MAXIMIN) or the relative gap (NASH).
    pub value: f64,
}

/// One panel of a lottery and its probability.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct WeightedPanel {
    /// Person indices, ascending.
    pub members: Vec<usize>,
    /// The probability of this panel.
    pub probability: f64,
}

/// LEGACY's Monte Carlo estimate.
#[derive(
    Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct MonteCarlo {
    /// Successful runs.
    pub runs: usize,
    /// 99 % upper confidence bound (Jeffreys interval) on the smallest selection probability.
    pub min_upper_bound: f64,
}

/// A lottery over panels with each person's selection probability.
///
/// ```
/// use kompas_cocreation::panel::{Algorithm, Instance, ParseOptions, Selection, select};
/// let quotas = "category,feature,min,max\ngender,f,1,1\ngender,m,1,1\n";
/// let pool = "gender\nf\nm\nm\n";
/// let instance = Instance::parse(quotas, pool, &ParseOptions::default())?;
/// let lottery = select(&instance, &Selection::new(2, Algorithm::Leximin), &mut |_| {})?;
/// assert!((lottery.probabilities()[0] - 1.0).abs() < 1e-6);
/// assert!((lottery.min_probability() - 0.5).abs() < 1e-6);
/// assert_eq!(lottery.draw(7).len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Lottery {
    algorithm: Algorithm,
    size: usize,
    panels: Vec<WeightedPanel>,
    probabilities: Vec<f64>,
    monte_carlo: Option<MonteCarlo>,
    types: Option<TypeParts>,
}

/// The type-level lottery behind a lottery: members per type, count panels, probabilities.
type TypeParts = (Vec<Vec<usize>>, Vec<Counts>, Vec<f64>);

/// Selects a lottery of panels. `progress` is called after each stage of a long run.
///
/// LEXIMIN/MAXIMIN: column generation (see the module docs); each stage solves LPs with a
/// dedicated simplex and pricing MILPs by branch and bound, so the worst case is exponential,
/// but on real instances the number of panels generated is a few times the number of types.
/// NASH: Frank–Wolfe with the same pricing. LEGACY: `runs × O(k·n·c)`.
///
/// # Errors
/// [`Error::PanelSize`] if the size is 0 or above the pool, [`Error::Infeasible`] (with a
/// suggested relaxation) if no panel meets the quotas, [`Error::Solver`] on numerical failure.
pub fn select(
    instance: &Instance,
    selection: &Selection,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Lottery, Error> {
    let k = selection.size;
    let model = Model::new(instance, k)?;
    if selection.algorithm == Algorithm::Legacy {
        check_quotas(instance, k)?;
        return legacy(instance, selection, progress);
    }
    let result = match selection.algorithm {
        Algorithm::Nash => cg::nash(&model, progress)?,
        Algorithm::Maximin => cg::leximin(&model, Goal::Maximin, progress)?,
        _ => cg::leximin(&model, Goal::Leximin, progress)?,
    };
    let Some(types) = result else {
        return Err(infeasible(instance, &model));
    };
    Ok(from_types(instance, &model, selection.algorithm, &types))
}

fn from_types(
    instance: &Instance,
    model: &Model,
    algorithm: Algorithm,
    lottery: &TypeLottery,
) -> Lottery {
    let pi_t = lottery.type_probabilities(model);
    let mut probabilities = vec![0.0; instance.len()];
    for (t, members) in model.members.iter().enumerate() {
        for &m in members {
            probabilities[m] = pi_t[t].clamp(0.0, 1.0);
        }
    }
    let mut merged: BTreeMap<Vec<usize>, f64> = BTreeMap::new();
    for (c, &p) in lottery.panels.iter().zip(&lottery.probabilities) {
        for (members, share) in expand(model, c) {
            *merged.entry(members).or_insert(0.0) += p * share;
        }
    }
    Lottery {
        algorithm,
        size: model.k,
        panels: merged
            .into_iter()
            .map(|(members, probability)| WeightedPanel {
                members,
                probability,
            })
            .collect(),
        probabilities,
        monte_carlo: None,
        types: Some((
            model.members.clone(),
            lottery.panels.clone(),
            lottery.probabilities.clone(),
        )),
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Turns a count-per-type panel into person panels whose mixture gives every member of type `t`
/// probability `c_t / n_t`: each type's `n_t / gcd(c_t, n_t)` cyclic windows are equally likely
/// and the types are coupled comonotonically on `[0, 1)`, so at most `1 + Σ_t (m_t − 1)` panels.
fn expand(model: &Model, c: &[u32]) -> Vec<(Vec<usize>, f64)> {
    // Breakpoints j/m as (j, m), for every type with a proper subset chosen.
    let mut windows: Vec<(usize, u64)> = Vec::new();
    for (t, &ct) in c.iter().enumerate() {
        let n = u64::from(model.size(t));
        let ct = u64::from(ct);
        if ct > 0 && ct < n {
            windows.push((t, n / gcd(ct, n)));
        }
    }
    let mut points: Vec<(u64, u64)> = vec![(0, 1), (1, 1)];
    for &(_, m) in &windows {
        points.extend((1..m).map(|j| (j, m)));
    }
    points.sort_by(|a, b| {
        (u128::from(a.0) * u128::from(b.1)).cmp(&(u128::from(b.0) * u128::from(a.1)))
    });
    points.dedup_by(|a, b| u128::from(a.0) * u128::from(b.1) == u128::from(b.0) * u128::from(a.1));
    let mut out = Vec::new();
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let share = b.0 as f64 / b.1 as f64 - a.0 as f64 / a.1 as f64;
        let mut members = Vec::new();
        for (t, &ct) in c.iter().enumerate() {
            let list = &model.members[t];
            let n = list.len();
            let ct = ct as usize;
            if ct == 0 {
                continue;
            }
            let m = windows.iter().find(|w| w.0 == t).map_or(1, |w| w.1);
            // Window index floor(a * m): constant on [a, b).
            let j = (u128::from(a.0) * u128::from(m) / u128::from(a.1)) as usize;
            for s in 0..ct {
                members.push(list[(j * ct + s) % n]);
            }
        }
        members.sort_unstable();
        out.push((members, share));
    }
    out
}

fn legacy(
    instance: &Instance,
    selection: &Selection,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Lottery, Error> {
    let k = selection.size;
    let runs = selection.legacy_runs.max(1);
    let mut rng = ChaCha20Rng::seed_from_u64(selection.legacy_seed);
    let mut counts: BTreeMap<Vec<usize>, usize> = BTreeMap::new();
    let mut done = 0;
    for run in 0..runs {
        let panel = (0..100).find_map(|_| legacy_once(instance, k, &mut rng));
        if let Some(panel) = panel {
            *counts.entry(panel).or_insert(0) += 1;
            done += 1;
        }
        if (run + 1) % 1000 == 0 {
            progress(&Progress {
                stage: (run + 1) / 1000,
                fixed: run + 1,
                panels: counts.len(),
                value: 0.0,
            });
        }
    }
    if done == 0 {
        return Err(Error::Solver {
            stage: "legacy",
            message: format!("no greedy draw met the quotas in {runs} runs of 100 attempts"),
        });
    }
    let mut hits = vec![0usize; instance.len()];
    for (panel, &c) in &counts {
        for &m in panel {
            hits[m] += c;
        }
    }
    let probabilities: Vec<f64> = hits.iter().map(|&h| h as f64 / done as f64).collect();
    let min_hits = hits.iter().copied().min().unwrap_or(0);
    let beta = Beta::new(min_hits as f64 + 0.5, (done - min_hits) as f64 + 0.5).map_err(|e| {
        Error::Solver {
            stage: "legacy confidence bound",
            message: e.to_string().to_lowercase(),
        }
    })?;
    Ok(Lottery {
        algorithm: Algorithm::Legacy,
        size: k,
        panels: counts
            .into_iter()
            .map(|(members, c)| WeightedPanel {
                members,
                probability: c as f64 / done as f64,
            })
            .collect(),
        probabilities,
        monte_carlo: Some(MonteCarlo {
            runs: done,
            min_upper_bound: beta.inverse_cdf(0.99),
        }),
        types: None,
    })
}

impl Lottery {
    /// The algorithm that made this lottery.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The panel size.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The panels with their probabilities, ordered by member list.
    pub fn panels(&self) -> &[WeightedPanel] {
        &self.panels
    }

    /// Each person's selection probability, in pool order.
    pub fn probabilities(&self) -> &[f64] {
        &self.probabilities
    }

    /// LEGACY's Monte Carlo details.
    pub fn monte_carlo(&self) -> Option<MonteCarlo> {
        self.monte_carlo
    }

    /// The smallest selection probability.
    pub fn min_probability(&self) -> f64 {
        self.probabilities
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
    }

    /// The Gini coefficient of the probabilities: `Σ_i Σ_j |π_i − π_j| / (2 n² mean)`, computed
    /// in O(n log n) from the sorted vector.
    pub fn gini(&self) -> f64 {
        gini(&self.probabilities)
    }

    /// The geometric mean of the probabilities (0 if anyone has probability 0).
    pub fn geometric_mean(&self) -> f64 {
        geometric_mean(&self.probabilities)
    }

    /// Draws one panel with a ChaCha20 generator seeded by `seed`: same seed, same panel.
    /// Probabilities are turned into integer weights (units of 2⁻⁵³) so the draw itself is exact.
    pub fn draw(&self, seed: u64) -> Vec<usize> {
        let weights: Vec<u64> = self
            .panels
            .iter()
            .map(|p| (p.probability.max(0.0) * 9_007_199_254_740_992.0).round() as u64)
            .collect();
        let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        if total == 0 {
            return Vec::new();
        }
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let mut r = rng.random_range(0..total);
        for (p, &w) in self.panels.iter().zip(&weights) {
            if r < u128::from(w) {
                return p.members.clone();
            }
            r -= u128::from(w);
        }
        self.panels
            .last()
            .map(|p| p.members.clone())
            .unwrap_or_default()
    }

    /// Rounds the lottery to `m` equally likely tickets (panels, repeats allowed) for a public,
    /// verifiable draw, with the default [`TicketOptions`]: see [`Self::tickets_with`].
    ///
    /// # Errors
    /// As [`Self::tickets_with`].
    pub fn tickets(&self, m: usize) -> Result<Tickets, Error> {
        self.tickets_with(m, &TicketOptions::default())
    }

    /// Rounds the lottery to `m` equally likely tickets, after Flanigan, Kehne & Procaccia,
    /// "Fair sortition made transparent" (NeurIPS 2021).
    ///
    /// Every ticket is a panel of this lottery (so it meets every quota), and every person's
    /// share of the `m` tickets differs from their selection probability by less than `k/m`:
    /// the Beck–Fiala iterated rounding of the paper (see the `tickets` module notes in the
    /// source for the argument). With `options.search`, an integer program over the type-level
    /// lottery then looks for a rounding with a smaller largest deviation for that long; the
    /// better of the two is kept, so the bound holds either way. [`Tickets::max_deviation`] is
    /// computed exactly from the tickets kept.
    ///
    /// Cost: the Beck–Fiala rounding takes `O(r²·f)` per rebuild of its echelon form (`f`
    /// floating panels, `r` constraints held), a fraction of a second on geneva_30; the search
    /// takes up to its time limit.
    ///
    /// ```
    /// use kompas_cocreation::panel::{Algorithm, Instance, ParseOptions, Selection, select};
    ///
    /// let quotas = "category,feature,min,max\nsex,f,1,1\nsex,m,1,1\n";
    /// let pool = "id,sex\na,f\nb,f\nc,m\nd,m\ne,m\n";
    /// let instance = Instance::parse(quotas, pool, &ParseOptions::default())?;
    /// let lottery = select(&instance, &Selection::new(2, Algorithm::Leximin), &mut |_| {})?;
    /// let tickets = lottery.tickets(12)?;
    /// assert_eq!(tickets.panels.len(), 12);
    /// // Women have probability 1/2 and men 1/3: both are exact multiples of 1/12.
    /// assert!(tickets.max_deviation < 1e-9);
    /// assert!(tickets.max_deviation < tickets.bound);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Option`] for `m` outside `1..=1_000_000` or a LEGACY lottery (its panels are a
    /// Monte Carlo sample, not a lottery to round); [`Error::Solver`] when the search fails.
    pub fn tickets_with(&self, m: usize, options: &TicketOptions) -> Result<Tickets, Error> {
        let Some((members, panels, probs)) = &self.types else {
            return Err(Error::Option {
                option: "tickets",
                message: "tickets need an optimised lottery (leximin, maximin or nash), not legacy"
                    .to_owned(),
            });
        };
        if m == 0 || m > 1_000_000 {
            return Err(Error::Option {
                option: "tickets",
                message: format!("{m} tickets; expected 1..=1000000"),
            });
        }
        let counts = tickets::beck_fiala(&self.panels, self.probabilities.len(), self.size, m);
        let mut list = Vec::with_capacity(m);
        for (panel, &c) in self.panels.iter().zip(&counts) {
            list.extend(std::iter::repeat_n(panel.members.clone(), c));
        }
        let mut best = Tickets {
            max_deviation: tickets::max_deviation(&list, &self.probabilities),
            panels: list,
            bound: self.size as f64 / m as f64,
            method: TicketMethod::BeckFiala,
        };
        if let Some(limit) = options.search {
            if let Some(list) = tickets::milp(members, panels, probs, m, limit)? {
                let deviation = tickets::max_deviation(&list, &self.probabilities);
                if deviation < best.max_deviation {
                    best.panels = list;
                    best.max_deviation = deviation;
                    best.method = TicketMethod::Milp;
                }
            }
        }
        Ok(best)
    }

    /// The publishable summary with the lottery replaced by `tickets` (each with probability
    /// 1/M) and the panel drawn from the tickets with `seed`.
    pub fn report_with_tickets(
        &self,
        instance: &Instance,
        tickets: &Tickets,
        seed: u64,
    ) -> PanelReport {
        let id = |i: usize| instance.id(i).unwrap_or_default().to_owned();
        let mut report = self.report(instance, seed);
        let share = 1.0 / tickets.panels.len().max(1) as f64;
        report.panels = tickets
            .panels
            .iter()
            .map(|p| ReportPanel {
                members: p.iter().map(|&m| id(m)).collect(),
                probability: share,
            })
            .collect();
        let mut drawn: Vec<String> = tickets.draw(seed).into_iter().map(id).collect();
        drawn.sort();
        report.drawn = drawn;
        report.tickets = Some(tickets.panels.len());
        report.ticket_max_deviation = Some(tickets.max_deviation);
        report.ticket_bound = Some(tickets.bound);
        report.ticket_method = Some(tickets.method);
        report
    }

    /// The publishable summary: ids, statistics and the panel drawn with `seed`.
    pub fn report(&self, instance: &Instance, seed: u64) -> PanelReport {
        let id = |i: usize| instance.id(i).unwrap_or_default().to_owned();
        let mut drawn: Vec<String> = self.draw(seed).into_iter().map(id).collect();
        drawn.sort();
        PanelReport {
            algorithm: self.algorithm,
            panel_size: self.size,
            seed,
            min_probability: self.min_probability(),
            gini: self.gini(),
            geometric_mean: self.geometric_mean(),
            min_probability_upper_bound: self.monte_carlo.map(|m| m.min_upper_bound),
            probabilities: self
                .probabilities
                .iter()
                .enumerate()
                .map(|(i, &p)| (id(i), p))
                .collect(),
            panels: self
                .panels
                .iter()
                .map(|p| ReportPanel {
                    members: p.members.iter().map(|&m| id(m)).collect(),
                    probability: p.probability,
                })
                .collect(),
            drawn,
            tickets: None,
            ticket_max_deviation: None,
            ticket_bound: None,
            ticket_method: None,
        }
    }
}

/// The Gini coefficient of a vector of non-negative numbers (0 for an empty or all-zero vector).
pub fn gini(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let total: f64 = values.iter().sum();
    if values.is_empty() || total <= 0.0 {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    // Σ_i Σ_j |x_i − x_j| = 2 Σ_i (2i − n + 1) x_(i) for 0-based sorted order.
    let s: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| (2.0 * i as f64 - n + 1.0) * x)
        .sum();
    s / (n * total)
}

/// The geometric mean of a vector of non-negative numbers (0 if any is 0).
pub fn geometric_mean(values: &[f64]) -> f64 {
    if values.is_empty() || values.iter().any(|&v| v <= 0.0) {
        return 0.0;
    }
    (values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64).exp()
}

/// One panel in a [`PanelReport`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ReportPanel {
    /// Member ids.
    pub members: Vec<String>,
    /// The panel's probability.
    pub probability: f64,
}

/// The publishable result of a selection (what `kompas panel` prints).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct PanelReport {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// The panel size k.
    pub panel_size: usize,
    /// The seed of the draw.
    pub seed: u64,
    /// The smallest selection probability.
    pub min_probability: f64,
    /// The Gini coefficient of the probabilities.
    pub gini: f64,
    /// The geometric mean of the probabilities.
    pub geometric_mean: f64,
    /// LEGACY only: the 99 % upper confidence bound on the minimum.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub min_probability_upper_bound: Option<f64>,
    /// Id → selection probability.
    pub probabilities: BTreeMap<String, f64>,
    /// The lottery.
    pub panels: Vec<ReportPanel>,
    /// The ids of the panel drawn with `seed`, sorted.
    pub drawn: Vec<String>,
    /// With tickets: their number M (`panels` then lists the M tickets).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tickets: Option<usize>,
    /// With tickets: the largest gap between a person's share of tickets and probability.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ticket_max_deviation: Option<f64>,
    /// With tickets: the guaranteed bound on that gap, k/M.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ticket_bound: Option<f64>,
    /// With tickets: the rounding kept.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ticket_method: Option<TicketMethod>,
}

/// One quota changed by a suggested relaxation.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Relaxation {
    /// The category.
    pub category: String,
    /// The value.
    pub value: String,
    /// The quota as given.
    pub min: usize,
    /// The quota as given.
    pub max: usize,
    /// The suggested lower quota.
    pub new_min: usize,
    /// The suggested upper quota.
    pub new_max: usize,
}

/// Why no panel meets the quotas, and the smallest relaxation that would admit one.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct InfeasibilityReport {
    /// Quota problems visible one category or value at a time.
    pub problems: Vec<String>,
    /// The relaxation with the smallest total change in people (within `min_flex`/`max_flex`),
    /// or `None` if even the flex limits admit no panel.
    pub relaxation: Option<Vec<Relaxation>>,
}

impl std::fmt::Display for InfeasibilityReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts: Vec<String> = self.problems.clone();
        if parts.is_empty() {
            parts.push("the quotas conflict across categories".to_owned());
        }
        match &self.relaxation {
            Some(r) => {
                let changes: Vec<String> = r
                    .iter()
                    .map(|x| {
                        format!(
                            "{} = {}: {}..{} -> {}..{}",
                            x.category, x.value, x.min, x.max, x.new_min, x.new_max
                        )
                    })
                    .collect();
                parts.push(format!("suggested relaxation: {}", changes.join(", ")));
            }
            None => parts.push("no relaxation within min_flex/max_flex admits a panel".to_owned()),
        }
        f.write_str(&parts.join("; "))
    }
}

/// Checks that some panel of `size` meets the quotas.
///
/// # Errors
/// [`Error::PanelSize`], or [`Error::Infeasible`] with a report naming each quota problem and a
/// minimal relaxation (a MILP minimising the total change of the bounds).
pub fn check_quotas(instance: &Instance, size: usize) -> Result<(), Error> {
    let model = Model::new(instance, size)?;
    match model.best_panel(&vec![0.0; model.types()], None)? {
        Some(_) => Ok(()),
        None => Err(infeasible(instance, &model)),
    }
}

fn infeasible(instance: &Instance, model: &Model) -> Error {
    let k = model.k;
    let mut problems = Vec::new();
    let mut available: Vec<Vec<usize>> = instance
        .categories()
        .iter()
        .map(|c| vec![0; c.values.len()])
        .collect();
    for p in 0..instance.len() {
        for (c, &v) in instance.values_of(p).unwrap_or_default().iter().enumerate() {
            available[c][v] += 1;
        }
    }
    let mut flex = Vec::new();
    for (c, cat) in instance.categories().iter().enumerate() {
        let mins: usize = cat.values.iter().map(|v| v.min).sum();
        let maxs: usize = cat.values.iter().map(|v| v.max).sum();
        if mins > k {
            problems.push(format!(
                "category `{}`: minimums sum to {mins}, above the panel size {k}",
                cat.name
            ));
        }
        if maxs < k {
            problems.push(format!(
                "category `{}`: maximums sum to {maxs}, below the panel size {k}",
                cat.name
            ));
        }
        for (v, q) in cat.values.iter().enumerate() {
            if available[c][v] < q.min {
                problems.push(format!(
                    "`{}` = `{}`: min {} but only {} in the pool",
                    cat.name, q.value, q.min, available[c][v]
                ));
            }
            flex.push((q.min_flex, q.max_flex.unwrap_or(k).max(q.max)));
        }
    }
    let relaxation = match model.relax(&flex) {
        Ok(Some(bounds)) => Some(
            model
                .bounds
                .iter()
                .zip(bounds)
                .filter(|(b, (nl, nh))| b.2 != *nl || b.3 != *nh)
                .map(|(&(c, v, lo, hi), (nl, nh))| {
                    let cat = &instance.categories()[c];
                    Relaxation {
                        category: cat.name.clone(),
                        value: cat.values[v].value.clone(),
                        min: lo,
                        max: hi,
                        new_min: nl,
                        new_max: nh,
                    }
                })
                .collect(),
        ),
        _ => None,
    };
    Error::Infeasible {
        report: Box::new(InfeasibilityReport {
            problems,
            relaxation,
        }),
    }
}

/// Refills seats after dropouts: keeps everyone else on `panel`, and picks as many people from
/// the rest of the pool as dropped out so that the quotas (and households) hold again. Among all
/// valid refills it takes the one maximising a random weight drawn from `seed` (a seeded random
/// valid refill, not a uniform one). Returns the new panel, ascending.
///
/// # Errors
/// [`Error::Replacement`] if a dropout is not on the panel or the panel breaks a quota even
/// before the dropouts; [`Error::Infeasible`] if no refill meets the quotas.
pub fn replace(
    instance: &Instance,
    panel: &[usize],
    dropouts: &[usize],
    seed: u64,
) -> Result<Vec<usize>, Error> {
    let k = panel.len();
    if !instance.is_valid_panel(
        &{
            let mut p = panel.to_vec();
            p.sort_unstable();
            p
        },
        k,
    ) {
        return Err(Error::Replacement {
            message: "the panel does not meet the quotas; expected a valid panel".to_owned(),
        });
    }
    for &d in dropouts {
        if !panel.contains(&d) {
            return Err(Error::Replacement {
                message: format!(
                    "`{}` dropped out but is not on the panel",
                    instance.id(d).unwrap_or("?")
                ),
            });
        }
    }
    let stay: Vec<usize> = panel
        .iter()
        .copied()
        .filter(|p| !dropouts.contains(p))
        .collect();
    let houses: std::collections::BTreeSet<usize> = stay
        .iter()
        .filter_map(|&p| instance.household_of(p))
        .collect();
    let candidates: Vec<usize> = (0..instance.len())
        .filter(|p| !panel.contains(p))
        .filter(|&p| {
            instance
                .household_of(p)
                .is_none_or(|h| !houses.contains(&h))
        })
        .collect();
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut problem = Problem::new(OptimizationDirection::Maximize);
    let vars: Vec<_> = candidates
        .iter()
        .map(|_| problem.add_binary_var(rng.random::<f64>()))
        .collect();
    let need = k - stay.len();
    let all: LinearExpr = vars.iter().map(|&v| (v, 1.0)).collect();
    problem.add_constraint(all, ComparisonOp::Eq, need as f64);
    let mut by_house: BTreeMap<usize, Vec<microlp::Variable>> = BTreeMap::new();
    for (&p, &v) in candidates.iter().zip(&vars) {
        if let Some(h) = instance.household_of(p) {
            by_house.entry(h).or_default().push(v);
        }
    }
    for vs in by_house.values() {
        let e: LinearExpr = vs.iter().map(|&v| (v, 1.0)).collect();
        problem.add_constraint(e, ComparisonOp::Le, 1.0);
    }
    for (c, cat) in instance.categories().iter().enumerate() {
        for (v, q) in cat.values.iter().enumerate() {
            let has = |p: usize| instance.values_of(p).is_some_and(|x| x[c] == v);
            let kept = stay.iter().filter(|&&p| has(p)).count();
            let e: LinearExpr = candidates
                .iter()
                .zip(&vars)
                .filter(|(p, _)| has(**p))
                .map(|(_, &x)| (x, 1.0))
                .collect();
            problem.add_constraint(e.clone(), ComparisonOp::Ge, q.min as f64 - kept as f64);
            problem.add_constraint(e, ComparisonOp::Le, q.max as f64 - kept as f64);
        }
    }
    let outcome = match problem.solve() {
        Ok(o) => o,
        Err(microlp::Error::Infeasible) => {
            return Err(Error::Infeasible {
                report: Box::new(InfeasibilityReport {
                    problems: vec![format!(
                        "no {need} people left in the pool refill the panel within the quotas"
                    )],
                    relaxation: None,
                }),
            });
        }
        Err(e) => return Err(solver_error("replacement", &e)),
    };
    let Some(solution) = outcome.solution() else {
        return Err(Error::Solver {
            stage: "replacement",
            message: "interrupted".to_owned(),
        });
    };
    let mut out = stay;
    for (&p, &v) in candidates.iter().zip(&vars) {
        if solution.var_value_raw(v) > 0.5 {
            out.push(p);
        }
    }
    out.sort_unstable();
    if !instance.is_valid_panel(&out, k) {
        return Err(Error::Solver {
            stage: "replacement",
            message: "the refill breaks a quota".to_owned(),
        });
    }
    Ok(out)
}
