//! [`follow_up`]: the follow-up of a [`Compass`] for one year, as data.
//!
//! Pure functions over a document: no I/O, no clock. The result, a [`FollowUp`], is what
//! `kompas-report` renders and what `kompas report --format json` prints.

mod model;

use std::collections::{BTreeMap, BTreeSet};

use kompas_core::{GoalId, IndicatorId, Period, Perspective, Text, UnitId};
use kompas_evidence::{Indicator, Narrative, Observation, SourceKind};

pub use model::{
    AttributeRepresentation, DecisionView, Diagnostic, DilemmaView, FollowUp, GoalRef, GoalStatus,
    IndicatorChart, InitiativeStatus, LearningStatus, MandateView, RepresentationCell, Severity,
    Spillover, Trend, TriangulationView, ValueStatus, VoiceCoverage,
};

use crate::{Compass, UnitKind};

/// Why a follow-up could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FollowUpError {
    /// The year is outside the range of dates kompas handles.
    #[error("year {0} is out of range")]
    Year(i32),
}

/// The follow-up of a document for one calendar year.
///
/// Per goal, from the city goals down: the aggregated score (each indicator's latest observation in
/// the year, scored 0-100 against its goalposts, then weighted arithmetic means up the hierarchy),
/// coverage (the share of effective indicator weight with a scored observation in the year), the
/// trend from the indicators' charts, the triangulation of counted data with narratives, and voice
/// coverage. Then goal clutter and gaps; each initiative's charter findings and representativeness;
/// open dilemmas and the openness of decisions; learning in the year; value spillover between
/// departments; and the indicators' charts.
///
/// # Errors
/// [`FollowUpError::Year`] for a year chrono cannot represent.
///
/// # Complexity
/// O(G + L + O log O + N·A) for G goals, L links, O observations and N narratives linked to goals
/// with A ancestors each.
pub fn follow_up(compass: &Compass, year: i32) -> Result<FollowUp, FollowUpError> {
    let period = Period::year(year).map_err(|_| FollowUpError::Year(year))?;
    let ctx = Context::new(compass, period);

    // Two independent chains: the charts, scores and voices, then the goal statuses built from
    // them; and the diagnostics and the rest of the report, which need none of those. Both
    // chains split their loops into rayon tasks, so a core that finishes one side helps the other.
    let ((trends, goals), side) = join(
        || {
            let (trends, (scores, voices)) =
                join(|| ctx.indicator_trends(), || (ctx.scores(), ctx.voices()));
            let goals = ctx.goal_statuses(&scores, &voices, &trends);
            (trends, goals)
        },
        || Side {
            clutter: ctx.clutter(),
            goals_without_evidence: ctx.goals_without_evidence(),
            goals_without_bridge: ctx.goals_without_bridge(),
            initiatives: ctx.initiatives(),
            value: ctx.value(),
            learning: ctx.learning(),
            spillovers: ctx.spillovers(),
        },
    );
    let (charts, charts_omitted) = ctx.pick_charts(&trends);

    Ok(FollowUp {
        municipality: compass.municipality.name.clone(),
        year,
        has_illustrative_values: ctx.has_illustrative_values(),
        clutter: side.clutter,
        goals_without_evidence: side.goals_without_evidence,
        goals_without_bridge: side.goals_without_bridge,
        initiatives: side.initiatives,
        value: side.value,
        learning: side.learning,
        spillovers: side.spillovers,
        charts_omitted,
        charts,
        goals,
    })
}

/// The parts of a follow-up that do not depend on the indicators' charts or the goals' scores.
struct Side {
    clutter: Vec<Diagnostic>,
    goals_without_evidence: Vec<GoalRef>,
    goals_without_bridge: Vec<GoalRef>,
    initiatives: Vec<InitiativeStatus>,
    value: ValueStatus,
    learning: LearningStatus,
    spillovers: Vec<Spillover>,
}

/// The chart direction of an indicator's direction.
fn improvement(d: kompas_evidence::Direction) -> kompas_evidence::spc::Improvement {
    use kompas_evidence::spc::Improvement;
    match d {
        kompas_evidence::Direction::HigherIsBetter => Improvement::Increase,
        kompas_evidence::Direction::LowerIsBetter => Improvement::Decrease,
        _ => Improvement::Neutral,
    }
}

/// A follow-up shows at most this many charts.
pub const MAX_CHARTS: usize = 24;

/// Indicators need at least this many observations for a chart.
pub const MIN_CHART_POINTS: usize = 8;

/// A compressed sparse row list: the items of row `r` are `items[start[r]..start[r + 1]]`.
struct Csr<T = u32> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy + Default> Csr<T> {
    /// Builds the rows from `(row, item)` pairs; items keep their order within a row.
    fn from_pairs(rows: usize, pairs: &[(u32, T)]) -> Csr<T> {
        let mut start = vec![0u32; rows + 1];
        for &(r, _) in pairs {
            start[r as usize + 1] += 1;
        }
        for r in 0..rows {
            start[r + 1] += start[r];
        }
        let mut next = start.clone();
        let mut items = vec![T::default(); pairs.len()];
        for &(r, i) in pairs {
            let slot = &mut next[r as usize];
            items[*slot as usize] = i;
            *slot += 1;
        }
        Csr { start, items }
    }

    fn row(&self, r: usize) -> &[T] {
        match (self.start.get(r), self.start.get(r + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }

    fn range(&self, r: usize) -> std::ops::Range<usize> {
        match (self.start.get(r), self.start.get(r + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }
}

/// Runs `f` on every item, on all cores with the `parallel` feature; the results keep the
/// items' order.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        items.iter().map(f).collect()
    }
}

/// Runs two closures, in parallel with the `parallel` feature.
fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(feature = "parallel")]
    {
        rayon::join(a, b)
    }
    #[cfg(not(feature = "parallel"))]
    {
        (a(), b())
    }
}

/// What one indicator's chart says.
struct IndicatorTrend {
    trend: Trend,
    /// Whether the indicator has a chart. Only the few charts a report shows are kept, and
    /// they are computed again when picked: holding every indicator's chart would take more
    /// memory than the rest of a large follow-up.
    charted: bool,
}

/// Trend flags, ORed up the hierarchy: a goal's trend combines every chart below it.
const UP: u8 = 1;
const DOWN: u8 = 2;
const STEADY: u8 = 4;

fn trend_flags(t: Trend) -> u8 {
    match t {
        Trend::Improvement => UP,
        Trend::Concern => DOWN,
        Trend::Mixed => UP | DOWN,
        Trend::NoSignal => STEADY,
        Trend::NoData => 0,
    }
}

fn flags_trend(f: u8) -> Trend {
    match (f & UP != 0, f & DOWN != 0) {
        (true, true) => Trend::Mixed,
        (true, false) => Trend::Improvement,
        (false, true) => Trend::Concern,
        (false, false) if f & STEADY != 0 => Trend::NoSignal,
        _ => Trend::NoData,
    }
}

/// Indexes over a document, built once per follow-up.
///
/// Goals are numbered by their place in the topological order (parents first, ties by id) and
/// indicators by a slot (the document's indicators first, then ids attached to goals but not
/// defined), so that every pass over the hierarchy is a loop over arrays.
struct Context<'a> {
    c: &'a Compass,
    period: Period,
    units: BTreeMap<UnitId, &'a crate::Unit>,
    /// The goals in topological order (parents before children).
    topo: Vec<GoalId>,
    /// A goal's place in `topo`.
    goal_pos: foldhash::HashMap<GoalId, u32>,
    /// The goals, by place in `topo`.
    goal_defs: Vec<&'a kompas_goals::Goal>,
    /// Per goal: its parents, in id order.
    parents: Csr,
    /// Per goal: its child goals, in id order, with the link weights.
    children: Csr<(u32, f64)>,
    /// Per goal: its indicators' slots, in id order, with the weights.
    goal_inds: Csr<(u32, f64)>,
    /// Per indicator slot: the goals it is attached to, in id order.
    ind_goals: Csr,
    /// Per slot: the indicator's id and definition (`None` when attached but not defined).
    ind_ids: Vec<IndicatorId>,
    ind_defs: Vec<Option<&'a Indicator>>,
    ind_pos: foldhash::HashMap<IndicatorId, u32>,
    /// Per slot: ungrouped observations up to the end of the period, sorted by period end.
    series: Csr,
    /// The narratives in the period that name each goal, directly or through one of its own
    /// indicators (indexes into the document's narratives).
    narratives_by_goal: Csr,
    /// The strongest evidence rating of each goal, its own or one of its indicators'.
    strength: Vec<Option<kompas_evidence::Confidence>>,
}

impl<'a> Context<'a> {
    fn new(c: &'a Compass, period: Period) -> Context<'a> {
        use foldhash::HashMapExt;
        let h = &c.goals;
        let topo = h.topological_order();
        let mut goal_pos = foldhash::HashMap::with_capacity(topo.len());
        for (k, g) in topo.iter().enumerate() {
            goal_pos.insert(*g, k as u32);
        }
        // Indicator slots: defined ones first (a repeated id keeps its last definition, as a map
        // would), then the ids attached without a definition.
        let mut ind_pos: foldhash::HashMap<IndicatorId, u32> =
            foldhash::HashMap::with_capacity(c.indicators.len());
        let mut ind_ids = Vec::with_capacity(c.indicators.len());
        let mut ind_defs: Vec<Option<&Indicator>> = Vec::with_capacity(c.indicators.len());
        for ind in &c.indicators {
            match ind_pos.get(&ind.id) {
                Some(&s) => ind_defs[s as usize] = Some(ind),
                None => {
                    ind_pos.insert(ind.id, ind_ids.len() as u32);
                    ind_ids.push(ind.id);
                    ind_defs.push(Some(ind));
                }
            }
        }
        // Links and attachments, visiting goals in id order so that every row is in id order.
        let mut parent_pairs = Vec::with_capacity(topo.len());
        let mut child_pairs: Vec<(u32, (u32, f64))> = Vec::with_capacity(topo.len());
        let mut ind_pairs: Vec<(u32, (u32, f64))> = Vec::new();
        let mut goal_defs: Vec<Option<&kompas_goals::Goal>> = vec![None; topo.len()];
        for goal in h.goals() {
            let Some(&p) = goal_pos.get(&goal.id) else {
                continue;
            };
            goal_defs[p as usize] = Some(goal);
            for (child, link) in h.child_links(goal.id).unwrap_or_default() {
                if let Some(&k) = goal_pos.get(&child) {
                    child_pairs.push((p, (k, link.weight.get())));
                }
            }
            if let Ok(m) = h.indicators(goal.id) {
                for (i, w) in m {
                    let slot = *ind_pos.entry(*i).or_insert_with(|| {
                        ind_ids.push(*i);
                        ind_defs.push(None);
                        (ind_ids.len() - 1) as u32
                    });
                    ind_pairs.push((p, (slot, w.get())));
                }
            }
        }
        // Parents in id order: the child rows were filled from parents in id order.
        let mut by_child: Vec<(u32, u32)> = child_pairs.iter().map(|&(p, (k, _))| (k, p)).collect();
        by_child.sort_by_key(|&(k, p)| (k, topo[p as usize]));
        parent_pairs.extend(by_child);
        let n = topo.len();
        let parents = Csr::from_pairs(n, &parent_pairs);
        let children = Csr::from_pairs(n, &child_pairs);
        let goal_inds = Csr::from_pairs(n, &ind_pairs);
        let mut by_ind: Vec<(u32, u32)> = ind_pairs.iter().map(|&(g, (i, _))| (i, g)).collect();
        by_ind.sort_by_key(|&(i, g)| (i, topo[g as usize]));
        let ind_goals = Csr::from_pairs(ind_ids.len(), &by_ind);

        // Observations per slot, sorted by period end.
        // In blocks on all cores: a large document holds millions of observations.
        const BLOCK: usize = 1 << 16;
        let blocks: Vec<usize> = (0..c.observations.len()).step_by(BLOCK).collect();
        let obs_pairs: Vec<(u32, u32)> = par_map(&blocks, |&from| {
            let to = (from + BLOCK).min(c.observations.len());
            (from..to)
                .filter_map(|k| {
                    let o = &c.observations[k];
                    if o.group.is_some() || o.period.end() > period.end() {
                        return None;
                    }
                    ind_pos.get(&o.indicator).map(|&s| (s, k as u32))
                })
                .collect::<Vec<_>>()
        })
        .concat();
        let mut series = Csr::from_pairs(ind_ids.len(), &obs_pairs);
        let key = |k: &u32| {
            let o = &c.observations[*k as usize];
            (o.period.end(), o.period.start(), o.id)
        };
        let rows: Vec<std::ops::Range<usize>> =
            (0..ind_ids.len()).map(|s| series.range(s)).collect();
        let sorted: Vec<Vec<u32>> = par_map(&rows, |r| {
            let mut v = series.items[r.clone()].to_vec();
            if !v.is_sorted_by_key(key) {
                v.sort_by_key(key);
            }
            v
        });
        series.items = sorted.concat();

        // Narratives in the period per goal they name, directly or through an indicator.
        let mut narrative_pairs = Vec::new();
        let mut named: Vec<u32> = Vec::new();
        for (k, nar) in c.narratives.iter().enumerate() {
            if !narrative_in(nar, period) {
                continue;
            }
            let Some(l) = nar.links() else { continue };
            named.clear();
            named.extend(l.goals.iter().filter_map(|g| goal_pos.get(g).copied()));
            for i in &l.indicators {
                if let Some(&s) = ind_pos.get(i) {
                    named.extend_from_slice(ind_goals.row(s as usize));
                }
            }
            named.sort_unstable();
            named.dedup();
            narrative_pairs.extend(named.iter().map(|&g| (g, k as u32)));
        }
        let narratives_by_goal = Csr::from_pairs(n, &narrative_pairs);

        let mut strength: Vec<Option<kompas_evidence::Confidence>> = vec![None; n];
        for r in &c.evidence_ratings {
            let conf = r.strength.confidence();
            let mut raise = |g: u32| {
                let e = &mut strength[g as usize];
                *e = Some(e.map_or(conf, |x| x.max(conf)));
            };
            match r.subject {
                kompas_evidence::Subject::Goal(g) => {
                    if let Some(&g) = goal_pos.get(&g) {
                        raise(g);
                    }
                }
                kompas_evidence::Subject::Indicator(i) => {
                    if let Some(&s) = ind_pos.get(&i) {
                        ind_goals.row(s as usize).iter().for_each(|&g| raise(g));
                    }
                }
            }
        }
        Context {
            c,
            period,
            units: c.units.iter().map(|u| (u.id, u)).collect(),
            goal_defs: goal_defs.into_iter().flatten().collect(),
            topo,
            goal_pos,
            parents,
            children,
            goal_inds,
            ind_goals,
            ind_ids,
            ind_defs,
            ind_pos,
            series,
            narratives_by_goal,
            strength,
        }
    }

    fn title(&self, g: GoalId) -> Text {
        self.goal_pos
            .get(&g)
            .and_then(|&p| self.goal_defs.get(p as usize))
            .map(|g| g.title.clone())
            .unwrap_or_else(|| fallback_text(&g.to_string()))
    }

    fn goal_ref(&self, g: GoalId) -> GoalRef {
        GoalRef {
            id: g,
            title: self.title(g),
        }
    }

    /// An indicator slot's observations, sorted by period end.
    fn series(&self, slot: usize) -> impl DoubleEndedIterator<Item = &'a Observation> + '_ {
        let obs = &self.c.observations;
        self.series.row(slot).iter().map(move |&k| &obs[k as usize])
    }

    /// The latest observation of an indicator slot within the period, if any.
    fn latest_in_period(&self, slot: usize) -> Option<&'a Observation> {
        self.series(slot)
            .rev()
            .find(|o| o.period.overlaps(&self.period))
    }

    fn has_illustrative_values(&self) -> bool {
        self.c
            .observations
            .iter()
            .any(|o| o.provenance == kompas_evidence::Provenance::Illustrative)
    }

    /// The charts to show: special causes first (concern, then improvement), then the indicators
    /// attached nearest the city goals, then by indicator id; at most [`MAX_CHARTS`].
    fn pick_charts(&self, trends: &[Option<IndicatorTrend>]) -> (Vec<IndicatorChart>, usize) {
        let rank = |t: Trend| match t {
            Trend::Concern => 0,
            Trend::Improvement => 1,
            Trend::Mixed => 2,
            _ => 3,
        };
        let mut charts: Vec<(u8, u32, IndicatorId, usize)> = trends
            .iter()
            .enumerate()
            .filter_map(|(slot, t)| {
                let t = t.as_ref().filter(|t| t.charted)?;
                let depth = self
                    .ind_goals
                    .row(slot)
                    .iter()
                    .map(|&g| self.goal_defs[g as usize].level.depth())
                    .min()
                    .unwrap_or(u32::MAX);
                Some((rank(t.trend), depth, self.ind_ids[slot], slot))
            })
            .collect();
        charts.sort_unstable();
        let omitted = charts.len().saturating_sub(MAX_CHARTS);
        charts.truncate(MAX_CHARTS);
        let picked = charts
            .into_iter()
            .filter_map(|(_, _, id, slot)| {
                let ind = self.ind_defs[slot]?;
                let t = trends[slot].as_ref()?;
                let chart = self.chart(slot)?;
                let point_types =
                    kompas_evidence::spc::nhs_point_types(&chart, improvement(ind.direction));
                Some(IndicatorChart {
                    indicator: id,
                    name: ind.name.clone(),
                    unit: ind.unit.clone(),
                    trend: t.trend,
                    chart,
                    point_types,
                })
            })
            .collect();
        (picked, omitted)
    }

    /// Score and coverage per goal (by place in `topo`): each indicator's latest observation in
    /// the period scored against its goalposts, then weighted arithmetic means up the hierarchy,
    /// renormalised over the children with a value; coverage is the share of the weight backed
    /// by data (as `kompas_goals::AggregationPlan` computes them).
    fn scores(&self) -> Vec<(Option<f64>, f64)> {
        let leaf: Vec<Option<f64>> = (0..self.ind_ids.len())
            .map(|slot| {
                let ind = self.ind_defs[slot]?;
                let obs = self.latest_in_period(slot)?;
                ind.score(obs.rate().unwrap_or(obs.value))
            })
            .collect();
        let mut out: Vec<(Option<f64>, f64)> = vec![(None, 0.0); self.topo.len()];
        for g in (0..self.topo.len()).rev() {
            let (mut num, mut den, mut cov, mut total) = (0.0, 0.0, 0.0, 0.0);
            for &(child, w) in self.children.row(g) {
                let (v, c) = out[child as usize];
                total += w;
                cov += w * c;
                if let Some(v) = v.filter(|_| w != 0.0) {
                    num += w * v;
                    den += w;
                }
            }
            for &(slot, w) in self.goal_inds.row(g) {
                let v = leaf[slot as usize];
                total += w;
                if let Some(v) = v {
                    cov += w;
                    if w != 0.0 {
                        num += w * v;
                        den += w;
                    }
                }
            }
            let value = (den > 0.0 && total > 0.0).then(|| num / den);
            out[g] = (value, if total > 0.0 { cov / total } else { 0.0 });
        }
        out
    }

    /// Voice coverage per goal: narratives and value statements by perspective, counted data by
    /// source, each counted once per goal it reaches (its linked goals and their ancestors).
    ///
    /// One upward walk per source, with a stamp per goal instead of an ancestor set: O(S·A) for
    /// S sources reaching A goals each.
    fn voices(&self) -> Vec<VoiceCoverage> {
        const P: usize = Perspective::ALL.len();
        let n = self.topo.len();
        let mut persp = vec![[0usize; P]; n];
        let mut registers = vec![0usize; n];
        let mut surveys = vec![0usize; n];
        let mut stamp = vec![0u32; n];
        let mut round = 0u32;
        let mut stack: Vec<u32> = Vec::new();
        let mut walk = |start: &mut dyn Iterator<Item = u32>, f: &mut dyn FnMut(usize)| {
            round += 1;
            stack.clear();
            for g in start {
                if stamp[g as usize] != round {
                    stamp[g as usize] = round;
                    stack.push(g);
                }
            }
            while let Some(g) = stack.pop() {
                f(g as usize);
                for &p in self.parents.row(g as usize) {
                    if stamp[p as usize] != round {
                        stamp[p as usize] = round;
                        stack.push(p);
                    }
                }
            }
        };
        let p_index = |p: Perspective| Perspective::ALL.iter().position(|x| *x == p);
        for nar in &self.c.narratives {
            if !narrative_in(nar, self.period) {
                continue;
            }
            let (Some(links), Some(p)) =
                (nar.links(), narrative_perspective(nar).and_then(p_index))
            else {
                continue;
            };
            let mut goals = links
                .goals
                .iter()
                .filter_map(|g| self.goal_pos.get(g).copied())
                .chain(
                    links
                        .indicators
                        .iter()
                        .filter_map(|i| self.ind_pos.get(i))
                        .flat_map(|&s| self.ind_goals.row(s as usize).iter().copied()),
                );
            walk(&mut goals, &mut |g| persp[g][p] += 1);
        }
        for s in &self.c.value_statements {
            let Some(p) = p_index(s.perspective) else {
                continue;
            };
            let mut goals = s.goals.iter().filter_map(|g| self.goal_pos.get(g).copied());
            walk(&mut goals, &mut |g| persp[g][p] += 1);
        }
        for slot in 0..self.ind_ids.len() {
            let Some(ind) = self.ind_defs[slot] else {
                continue;
            };
            if self.latest_in_period(slot).is_none() {
                continue;
            }
            let counter = match ind.source {
                SourceKind::Register => &mut registers,
                SourceKind::Survey => &mut surveys,
                _ => continue,
            };
            let mut goals = self.ind_goals.row(slot).iter().copied();
            walk(&mut goals, &mut |g| counter[g] += 1);
        }
        (0..n)
            .map(|g| VoiceCoverage {
                by_perspective: Perspective::ALL
                    .iter()
                    .zip(persp[g])
                    .filter(|(_, k)| *k > 0)
                    .map(|(p, k)| (*p, k))
                    .collect(),
                registers: registers[g],
                surveys: surveys[g],
            })
            .collect()
    }

    /// The chart of each indicator slot with at least [`MIN_CHART_POINTS`] observations up to
    /// the end of the period, and what its latest part says in the indicator's improvement
    /// direction; `None` for slots without a definition or without observations.
    ///
    /// A P chart when every observation has a denominator no smaller than its count, a U chart
    /// when every observation has a denominator, an I chart otherwise.
    fn indicator_trends(&self) -> Vec<Option<IndicatorTrend>> {
        let slots: Vec<usize> = (0..self.ind_ids.len()).collect();
        par_map(&slots, |&slot| self.indicator_trend(slot))
    }

    fn indicator_trend(&self, slot: usize) -> Option<IndicatorTrend> {
        use kompas_evidence::spc::{self, LatestSignal};
        let ind = self.ind_defs[slot]?;
        if self.series.row(slot).is_empty() {
            return None;
        }
        let Some(chart) = self.chart(slot) else {
            return Some(IndicatorTrend {
                trend: Trend::NoData,
                charted: false,
            });
        };
        let trend = match spc::latest_signal(&chart, improvement(ind.direction)) {
            LatestSignal::Improvement => Trend::Improvement,
            LatestSignal::Concern => Trend::Concern,
            _ => Trend::NoSignal,
        };
        Some(IndicatorTrend {
            trend,
            charted: true,
        })
    }

    /// The run or control chart of an indicator slot's series, when it has enough points and
    /// the chart can be computed: P or U with denominators (Laney's P' or U' for large
    /// subgroups), else I.
    fn chart(&self, slot: usize) -> Option<kompas_evidence::spc::Chart> {
        use kompas_evidence::spc::{Chart, ChartOptions, ChartType, Row, Series, XValue};
        let len = self.series.row(slot).len();
        if len < MIN_CHART_POINTS {
            return None;
        }
        let obs = || self.series(slot);
        let with_n = obs().all(|o| o.denominator.is_some_and(|n| n > 0.0));
        // Laney's P' and U' charts when the subgroups are large (mean denominator over 1,000),
        // where the plain charts' limits shrink until every point signals.
        let large =
            with_n && obs().filter_map(|o| o.denominator).sum::<f64>() / len as f64 > 1000.0;
        let chart_type = match (
            with_n,
            obs().all(|o| o.denominator.is_some_and(|n| o.value <= n)),
            large,
        ) {
            (true, true, false) => ChartType::P,
            (true, true, true) => ChartType::PPrime,
            (true, false, false) => ChartType::U,
            (true, false, true) => ChartType::UPrime,
            (false, _, _) => ChartType::I,
        };
        let rows = obs()
            .map(|o| Row {
                x: XValue::Date(o.period.end()),
                y: Some(o.value),
                n: o.denominator,
            })
            .collect();
        Chart::compute(&Series::from_rows(rows), &ChartOptions::new(chart_type)).ok()
    }

    /// The goals from the city goals down (depth first, children in id order), each with its
    /// score, coverage, trend, triangulation, evidence strength and voices.
    fn goal_statuses(
        &self,
        scores: &[(Option<f64>, f64)],
        voices: &[VoiceCoverage],
        trends: &[Option<IndicatorTrend>],
    ) -> Vec<GoalStatus> {
        let n = self.topo.len();
        // The trend of a goal combines the charts of the indicators in its whole subtree.
        let mut flags = vec![0u8; n];
        for g in (0..n).rev() {
            let mut f = 0;
            for &(s, _) in self.goal_inds.row(g) {
                if let Some(t) = &trends[s as usize] {
                    f |= trend_flags(t.trend);
                }
            }
            for &(c, _) in self.children.row(g) {
                f |= flags[c as usize];
            }
            flags[g] = f;
        }
        // Depth-first order from the roots (sorted by level, then id).
        let mut roots: Vec<u32> = (0..n as u32)
            .filter(|&g| self.parents.row(g as usize).is_empty())
            .collect();
        let level = |g: u32| self.goal_defs[g as usize].level;
        roots.sort_by_key(|&g| (level(g), self.topo[g as usize]));
        let mut order: Vec<(u32, usize)> = Vec::with_capacity(n);
        let mut seen = vec![false; n];
        let mut stack: Vec<(u32, usize)> = roots.into_iter().rev().map(|g| (g, 0)).collect();
        while let Some((g, depth)) = stack.pop() {
            if std::mem::replace(&mut seen[g as usize], true) {
                continue;
            }
            order.push((g, depth));
            for &(c, _) in self.children.row(g as usize).iter().rev() {
                if !seen[c as usize] {
                    stack.push((c, depth + 1));
                }
            }
        }
        par_map(&order, |&(g, depth)| {
            let gi = g as usize;
            let id = self.topo[gi];
            let goal = self.goal_defs[gi];
            let (score, coverage) = scores[gi];
            let trend = flags_trend(flags[gi]);
            GoalStatus {
                id,
                title: goal.title.clone(),
                level: goal.level.to_string(),
                depth,
                parents: self
                    .parents
                    .row(gi)
                    .iter()
                    .map(|&p| self.topo[p as usize])
                    .collect(),
                owner: self.units.get(&goal.owner).map(|u| u.name.clone()),
                score,
                coverage,
                trend,
                triangulation: self.triangulation(gi, trend),
                evidence_strength: self.strength[gi].map(|c| confidence_word(c).to_owned()),
                voices: voices[gi].clone(),
            }
        })
    }

    /// Triangulates a goal's chart signal with the narratives linked to it in the period.
    fn triangulation(&self, g: usize, trend: Trend) -> Option<TriangulationView> {
        use kompas_evidence::{QuantSignal, Verdict};
        let signal = match trend {
            Trend::Improvement => Some(QuantSignal::SpecialCauseImprovement),
            Trend::Concern => Some(QuantSignal::SpecialCauseDeterioration),
            Trend::NoSignal => Some(QuantSignal::NoSignal),
            Trend::Mixed | Trend::NoData => None,
        };
        let id = self.topo[g];
        // Narratives about the goal, or about one of its own indicators, counted as about the goal.
        let narratives: Vec<Narrative> = self
            .narratives_by_goal
            .row(g)
            .iter()
            .map(|&k| {
                let mut n = self.c.narratives[k as usize].clone();
                if let Some(l) = links_mut(&mut n) {
                    l.goals.insert(id);
                }
                n
            })
            .collect();
        if signal.is_none() && narratives.is_empty() {
            return None;
        }
        let f = kompas_evidence::triangulate(
            kompas_evidence::Subject::Goal(id),
            signal,
            self.strength[g],
            &narratives,
        );
        let verdict = match f.verdict {
            Verdict::Converge => "converge",
            Verdict::Diverge => "diverge",
            Verdict::OneSided => "one_sided",
            _ => "insufficient",
        };
        let told: Vec<String> = f
            .tallies
            .iter()
            .map(|(p, t)| {
                format!(
                    "{}: {} better, {} worse, {} mixed",
                    p.label_en(),
                    t.better,
                    t.worse,
                    t.mixed
                )
            })
            .collect();
        let summary = format!(
            "chart: {}; stories: {}",
            match signal {
                Some(QuantSignal::SpecialCauseImprovement) => "improvement",
                Some(QuantSignal::SpecialCauseDeterioration) => "deterioration",
                Some(_) => "no signal",
                None => "none",
            },
            if told.is_empty() {
                "none".to_owned()
            } else {
                told.join("; ")
            }
        );
        Some(TriangulationView {
            verdict: verdict.to_owned(),
            confidence: confidence_word(f.confidence).to_owned(),
            summary,
        })
    }

    fn clutter(&self) -> Vec<Diagnostic> {
        let observed: BTreeSet<IndicatorId> = (0..self.ind_ids.len())
            .filter(|&s| !self.series.row(s).is_empty())
            .map(|s| self.ind_ids[s])
            .collect();
        let opts = kompas_goals::DiagnosticOptions::default().observed(observed);
        kompas_goals::diagnose(&self.c.goals, &opts)
            .into_iter()
            .map(|d| Diagnostic {
                code: d.code.to_string(),
                severity: match d.severity {
                    kompas_goals::Severity::Error => Severity::Error,
                    kompas_goals::Severity::Warning => Severity::Warning,
                    _ => Severity::Info,
                },
                message: d.message,
            })
            .collect()
    }

    /// Goals that no evidence reaches: bottom up, a goal is reached when an observed indicator
    /// or a narrative names it, or evidence reaches one of its children. In topological order.
    fn goals_without_evidence(&self) -> Vec<GoalRef> {
        let n = self.topo.len();
        let mut reached = vec![false; n];
        for (g, r) in reached.iter_mut().enumerate() {
            *r = self
                .goal_inds
                .row(g)
                .iter()
                .any(|&(s, _)| !self.series.row(s as usize).is_empty());
        }
        for nar in &self.c.narratives {
            if let Some(l) = nar.links() {
                for g in &l.goals {
                    if let Some(&g) = self.goal_pos.get(g) {
                        reached[g as usize] = true;
                    }
                }
                for i in &l.indicators {
                    if let Some(&s) = self.ind_pos.get(i) {
                        for &g in self.ind_goals.row(s as usize) {
                            reached[g as usize] = true;
                        }
                    }
                }
            }
        }
        for g in (0..n).rev() {
            if !reached[g] {
                reached[g] = self
                    .children
                    .row(g)
                    .iter()
                    .any(|&(c, _)| reached[c as usize]);
            }
        }
        (0..n)
            .filter(|&g| !reached[g])
            .map(|g| self.goal_ref(self.topo[g]))
            .collect()
    }

    /// Goals that reach no city goal: top down, a goal bridges when it is a city goal or one of
    /// its parents bridges (the same answer as `GoalHierarchy::bridges_to` being empty, in
    /// O(V + E)).
    fn goals_without_bridge(&self) -> Vec<GoalRef> {
        let n = self.topo.len();
        let mut bridged = vec![false; n];
        for g in 0..n {
            bridged[g] = self.goal_defs[g].level == kompas_goals::Level::City
                || self.parents.row(g).iter().any(|&p| bridged[p as usize]);
        }
        (0..n)
            .filter(|&g| !bridged[g])
            .map(|g| self.goal_ref(self.topo[g]))
            .collect()
    }

    fn initiatives(&self) -> Vec<InitiativeStatus> {
        self.c
            .initiatives
            .iter()
            .map(|ini| {
                let findings = kompas_cocreation::check_initiative(ini, &self.c.actors)
                    .into_iter()
                    .map(|f| Diagnostic {
                        code: f.code.to_string(),
                        severity: match f.severity {
                            kompas_cocreation::Severity::Error => Severity::Error,
                            kompas_cocreation::Severity::Warning => Severity::Warning,
                            _ => Severity::Info,
                        },
                        message: f.message,
                    })
                    .collect();
                let participants = self
                    .c
                    .participants
                    .iter()
                    .filter(|p| p.initiative == Some(ini.id))
                    .count();
                let people: Vec<kompas_cocreation::Participant> = self
                    .c
                    .participants
                    .iter()
                    .filter(|p| p.initiative == Some(ini.id))
                    .cloned()
                    .collect();
                InitiativeStatus {
                    id: ini.id,
                    title: ini.title.clone(),
                    findings,
                    participants,
                    representativeness: self.representativeness(&people),
                }
            })
            .collect()
    }

    /// Participants against the population margins, per attribute, with small cells suppressed.
    fn representativeness(
        &self,
        people: &[kompas_cocreation::Participant],
    ) -> Vec<AttributeRepresentation> {
        let opts = kompas_cocreation::RepresentOptions::default();
        let Ok(rep) = kompas_cocreation::represent(people, &self.c.population, &opts) else {
            return Vec::new();
        };
        // Only the published tables: small cells (and a lone small cell's neighbour) suppressed.
        rep.publish()
            .attributes
            .into_iter()
            .map(|a| AttributeRepresentation {
                attribute: a.attribute,
                dissimilarity: a.dissimilarity,
                cells: a
                    .cells
                    .into_iter()
                    .map(|c| RepresentationCell {
                        value: c.value,
                        participants_share: c.share,
                        population_share: c.population_share,
                    })
                    .collect(),
            })
            .collect()
    }

    fn value(&self) -> ValueStatus {
        let decided: BTreeSet<_> = self.c.decisions.iter().map(|d| d.dilemma).collect();
        let dilemmas: BTreeMap<_, _> = self.c.dilemmas.iter().map(|d| (d.id, d)).collect();
        let open_dilemmas = self
            .c
            .dilemmas
            .iter()
            .filter(|d| !decided.contains(&d.id))
            .map(|d| DilemmaView {
                id: d.id,
                question: d.question.clone(),
            })
            .collect();
        let findings = kompas_value::check_decisions(&self.c.decisions, &self.c.dilemmas);
        let decisions = self
            .c
            .decisions
            .iter()
            .map(|d| {
                let t = d.transparency();
                let voice = self
                    .c
                    .rankings
                    .iter()
                    .find(|r| r.decision == d.id)
                    .and_then(|r| profile(d, r).ok())
                    .and_then(|p| kompas_value::whose_voice(&p, &d.chosen).ok());
                let mut remarks: Vec<String> = t
                    .missing
                    .iter()
                    .map(|m| format!("lists no {}", m.as_str()))
                    .collect();
                remarks.extend(
                    findings
                        .iter()
                        .filter(|f| f.subject == kompas_value::Subject::Decision(d.id))
                        .map(|f| f.message.clone()),
                );
                remarks.sort();
                remarks.dedup();
                DecisionView {
                    id: d.id,
                    question: dilemmas
                        .get(&d.dilemma)
                        .map(|x| x.question.clone())
                        .unwrap_or_else(|| fallback_text(&d.dilemma.to_string())),
                    decided_by: d.authority.as_str().to_owned(),
                    chosen: d.chosen.clone(),
                    open_basis: t.is_open(),
                    remarks,
                    follows: voice
                        .as_ref()
                        .map(|v| v.follows.clone())
                        .unwrap_or_default(),
                    overrules: voice
                        .as_ref()
                        .map(|v| v.overrules.clone())
                        .unwrap_or_default(),
                }
            })
            .collect();
        let measures: Vec<kompas_value::GoalMeasures> = self
            .c
            .goals
            .goals()
            .map(|g| kompas_value::GoalMeasures {
                goal: g.id,
                levels: self
                    .c
                    .goals
                    .indicators(g.id)
                    .map(|m| {
                        m.keys()
                            .filter_map(|i| {
                                self.ind_pos.get(i).and_then(|&s| self.ind_defs[s as usize])
                            })
                            .map(|i| value_level(i.value_level))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .filter(|m| !m.levels.is_empty())
            .collect();
        let goal_findings = kompas_value::check_goals(&measures, &self.c.value_statements);
        let pick = |code: kompas_value::CheckCode| -> Vec<GoalRef> {
            goal_findings
                .iter()
                .filter(|f| f.code == code)
                .filter_map(|f| match f.subject {
                    kompas_value::Subject::Goal(g) => Some(self.goal_ref(g)),
                    _ => None,
                })
                .collect()
        };
        ValueStatus {
            open_dilemmas,
            decisions,
            output_only_goals: pick(kompas_value::CheckCode::ValueOutputOnly),
            desk_defined_goals: pick(kompas_value::CheckCode::ValueDefinedAtDesk),
        }
    }

    /// Learning in the period: cycles acted on, predictions contradicted, mandate questions.
    fn learning(&self) -> LearningStatus {
        use kompas_evidence::ActDecision;
        let mut status = LearningStatus::default();
        let in_period =
            |c: &kompas_evidence::LearningCycle| c.started.is_none_or(|d| d <= self.period.end());
        for c in self.c.learning_cycles.iter().filter(|c| in_period(c)) {
            match &c.act {
                Some(a) => {
                    let word = match a.decision {
                        ActDecision::Adopt => "adopt",
                        ActDecision::Adapt => "adapt",
                        _ => "abandon",
                    };
                    *status.acted.entry(word.to_owned()).or_default() += 1;
                }
                None => status.open += 1,
            }
            if c.needs_reflection() {
                status
                    .contradicted
                    .push(c.aim.get(kompas_core::Lang::En).to_owned());
            }
        }
        if let Ok(log) = kompas_evidence::LearningLog::new(
            self.c
                .learning_cycles
                .iter()
                .filter(|c| in_period(c))
                .cloned()
                .collect(),
        ) {
            status.mandate_questions = log
                .mandate_questions()
                .into_iter()
                .map(|m| MandateView {
                    question: m.question.as_ref().map_or_else(
                        || format!("{:?}", m.reason),
                        |q| q.get(kompas_core::Lang::En).to_owned(),
                    ),
                    goal: self.c.goals.contains(m.goal).then(|| self.goal_ref(m.goal)),
                })
                .collect();
        }
        status
    }

    /// The department a unit belongs to (itself when it is one).
    fn department_of(&self, mut u: UnitId) -> Option<UnitId> {
        for _ in 0..64 {
            let unit = self.units.get(&u)?;
            if unit.kind == UnitKind::Department {
                return Some(u);
            }
            u = unit.parent?;
        }
        None
    }

    fn spillovers(&self) -> Vec<Spillover> {
        let mut out = Vec::new();
        for ini in &self.c.initiatives {
            // The departments running the initiative: its municipal actors' departments.
            let running: BTreeSet<UnitId> = ini
                .referenced_actors()
                .into_iter()
                .filter_map(|a| self.c.actors.iter().find(|x| x.id == a))
                .filter_map(|a| a.unit())
                .filter_map(|u| self.department_of(u))
                .collect();
            let Some(from) = running.iter().next().copied() else {
                continue;
            };
            // Goals where its value shows up: the goals it seeks, and goals its narratives reach.
            let mut goals: BTreeSet<GoalId> = ini.referenced_goals().collect();
            for n in &self.c.narratives {
                if let Some(l) = n.links() {
                    if l.initiatives.contains(&ini.id) {
                        goals.extend(l.goals.iter().copied());
                    }
                }
            }
            for g in goals {
                let Some(goal) = self.c.goals.goal(g) else {
                    continue;
                };
                let Some(to) = self.department_of(goal.owner) else {
                    continue;
                };
                if !running.contains(&to) {
                    out.push(Spillover {
                        initiative: ini.title.clone(),
                        from: self.unit_name(from),
                        goal: self.goal_ref(g),
                        to: self.unit_name(to),
                    });
                }
            }
        }
        out
    }

    fn unit_name(&self, u: UnitId) -> Text {
        self.units
            .get(&u)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| fallback_text(&u.to_string()))
    }
}

/// The stakeholder rankings of a decision as a `kompas-value` profile over its options. The error
/// names the ballot (its index) and what is wrong with it.
pub(crate) fn profile(
    d: &kompas_value::Decision,
    r: &crate::StakeholderRankings,
) -> Result<kompas_value::Profile, (usize, String)> {
    let mut p =
        kompas_value::Profile::new(d.options.iter().cloned()).map_err(|e| (0, e.to_string()))?;
    for (k, b) in r.ballots.iter().enumerate() {
        p.push(b.count, &b.ranking, Some(&b.group), k as u64 + 1)
            .map_err(|e| (k, e.to_string()))?;
    }
    Ok(p)
}

/// The word for a confidence level.
fn confidence_word(c: kompas_evidence::Confidence) -> &'static str {
    match c {
        kompas_evidence::Confidence::High => "high",
        kompas_evidence::Confidence::Moderate => "moderate",
        kompas_evidence::Confidence::Low => "low",
        _ => "very low",
    }
}

/// A narrative's links, mutably.
fn links_mut(n: &mut Narrative) -> Option<&mut kompas_evidence::Links> {
    match n {
        Narrative::Story(s) => Some(&mut s.links),
        Narrative::Harvest(h) => Some(&mut h.links),
        _ => None,
    }
}

/// Whose voice a narrative carries: the teller's or the social actor's perspective. Selection
/// records carry no voice of their own.
fn narrative_perspective(n: &Narrative) -> Option<Perspective> {
    match n {
        Narrative::Story(s) => Some(s.teller.perspective),
        Narrative::Harvest(h) => Some(h.perspective),
        _ => None,
    }
}

/// Whether a narrative tells of events up to the end of a period (undated ones count).
fn narrative_in(n: &Narrative, period: Period) -> bool {
    narrative_when(n).is_none_or(|p| p.start() <= period.end())
}

/// When a narrative's events happened, if told.
fn narrative_when(n: &Narrative) -> Option<Period> {
    match n {
        Narrative::Story(s) => s.events,
        Narrative::Harvest(h) => h.when,
        _ => None,
    }
}

/// Maps the evidence crate's value level onto the value crate's (the same four levels).
fn value_level(l: kompas_evidence::ValueLevel) -> kompas_value::ValueLevel {
    match l {
        kompas_evidence::ValueLevel::Output => kompas_value::ValueLevel::Output,
        kompas_evidence::ValueLevel::Quality => kompas_value::ValueLevel::Quality,
        kompas_evidence::ValueLevel::Effect => kompas_value::ValueLevel::Effect,
        kompas_evidence::ValueLevel::Value => kompas_value::ValueLevel::Value,
    }
}

/// A text for an id with no title (a dangling reference that validation reports).
fn fallback_text(s: &str) -> Text {
    Text::en(s).unwrap_or_else(|_| Text::en("?").unwrap_or_else(|_| unreachable!("non-blank")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trends_combine() {
        use Trend::*;
        let combine = |ts: &[Trend]| flags_trend(ts.iter().fold(0, |f, t| f | trend_flags(*t)));
        assert_eq!(combine(&[]), NoData);
        assert_eq!(combine(&[NoSignal, NoData]), NoSignal);
        assert_eq!(combine(&[Improvement, NoSignal]), Improvement);
        assert_eq!(combine(&[Improvement, Concern]), Mixed);
        assert_eq!(combine(&[Concern]), Concern);
        assert_eq!(combine(&[Mixed, NoSignal]), Mixed);
        // Nesting does not change the answer: a child's combined trend feeds its parent.
        assert_eq!(
            combine(&[combine(&[Improvement, NoSignal]), Concern]),
            Mixed
        );
    }
}
