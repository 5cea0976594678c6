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
    /// The goal hierarchy could not be aggregated.
    #[error("cannot aggregate the goal hierarchy")]
    Goals(#[from] kompas_goals::Error),
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
/// [`FollowUpError::Year`] for a year chrono cannot represent; [`FollowUpError::Goals`] when the
/// hierarchy cannot be aggregated.
///
/// # Complexity
/// O(G + L + O log O + N·A) for G goals, L links, O observations and N narratives linked to goals
/// with A ancestors each.
pub fn follow_up(compass: &Compass, year: i32) -> Result<FollowUp, FollowUpError> {
    let period = Period::year(year).map_err(|_| FollowUpError::Year(year))?;
    let ctx = Context::new(compass, period);

    let scores = ctx.scores()?;
    let voices = ctx.voices();
    let trends = ctx.indicator_trends();
    let goals = ctx.goal_statuses(&scores, &voices, &trends);
    let (charts, charts_omitted) = ctx.pick_charts(trends);

    Ok(FollowUp {
        municipality: compass.municipality.name.clone(),
        year,
        has_illustrative_values: ctx.has_illustrative_values(),
        clutter: ctx.clutter(),
        goals_without_evidence: ctx.goals_without_evidence(),
        goals_without_bridge: ctx.goals_without_bridge(),
        initiatives: ctx.initiatives(),
        value: ctx.value(),
        learning: ctx.learning(),
        spillovers: ctx.spillovers(),
        charts_omitted,
        charts,
        goals,
    })
}

/// What one indicator's chart says.
struct IndicatorTrend {
    trend: Trend,
    chart: Option<IndicatorChart>,
}

/// Indexes over a document, built once per follow-up.
struct Context<'a> {
    c: &'a Compass,
    period: Period,
    indicators: BTreeMap<IndicatorId, &'a Indicator>,
    /// Ungrouped observations per indicator, sorted by period end.
    series: BTreeMap<IndicatorId, Vec<&'a Observation>>,
    units: BTreeMap<UnitId, &'a crate::Unit>,
    /// The goals each indicator is attached to.
    indicator_goals: BTreeMap<IndicatorId, BTreeSet<GoalId>>,
    /// The narratives in the period that name each goal, directly or through one of its own
    /// indicators.
    narratives_by_goal: BTreeMap<GoalId, Vec<&'a Narrative>>,
    /// The strongest evidence rating of each goal, its own or one of its indicators'.
    strength_by_goal: BTreeMap<GoalId, kompas_evidence::Confidence>,
    /// The goals in topological order (parents before children), computed once.
    topo: Vec<GoalId>,
}

impl<'a> Context<'a> {
    fn new(c: &'a Compass, period: Period) -> Context<'a> {
        let mut series: BTreeMap<IndicatorId, Vec<&Observation>> = BTreeMap::new();
        for o in &c.observations {
            if o.group.is_none() && o.period.end() <= period.end() {
                series.entry(o.indicator).or_default().push(o);
            }
        }
        for s in series.values_mut() {
            s.sort_by_key(|o| (o.period.end(), o.period.start(), o.id));
        }
        let indicator_goals = c.goals.indicator_goals();
        let goals_of = |i: &IndicatorId| indicator_goals.get(i).into_iter().flatten().copied();
        let mut narratives_by_goal: BTreeMap<GoalId, Vec<&Narrative>> = BTreeMap::new();
        for n in &c.narratives {
            if !narrative_in(n, period) {
                continue;
            }
            let Some(l) = n.links() else { continue };
            let named: BTreeSet<GoalId> = l
                .goals
                .iter()
                .copied()
                .chain(l.indicators.iter().flat_map(goals_of))
                .collect();
            for g in named {
                narratives_by_goal.entry(g).or_default().push(n);
            }
        }
        let mut strength_by_goal: BTreeMap<GoalId, kompas_evidence::Confidence> = BTreeMap::new();
        for r in &c.evidence_ratings {
            let goals: Vec<GoalId> = match r.subject {
                kompas_evidence::Subject::Goal(g) => vec![g],
                kompas_evidence::Subject::Indicator(i) => goals_of(&i).collect(),
            };
            for g in goals {
                let e = strength_by_goal.entry(g).or_insert(r.strength.confidence());
                *e = (*e).max(r.strength.confidence());
            }
        }
        Context {
            c,
            period,
            indicators: c.indicators.iter().map(|i| (i.id, i)).collect(),
            series,
            units: c.units.iter().map(|u| (u.id, u)).collect(),
            narratives_by_goal,
            strength_by_goal,
            indicator_goals,
            topo: c.goals.topological_order(),
        }
    }

    fn title(&self, g: GoalId) -> Text {
        self.c
            .goals
            .goal(g)
            .map(|g| g.title.clone())
            .unwrap_or_else(|| fallback_text(&g.to_string()))
    }

    fn goal_ref(&self, g: GoalId) -> GoalRef {
        GoalRef {
            id: g,
            title: self.title(g),
        }
    }

    /// The latest observation of an indicator within the period, if any.
    fn latest_in_period(&self, i: IndicatorId) -> Option<&'a Observation> {
        self.series
            .get(&i)?
            .iter()
            .rev()
            .find(|o| o.period.overlaps(&self.period))
            .copied()
    }

    fn has_illustrative_values(&self) -> bool {
        self.c
            .observations
            .iter()
            .any(|o| o.provenance == kompas_evidence::Provenance::Illustrative)
    }

    /// The charts to show: special causes first (concern, then improvement), then the indicators
    /// attached nearest the city goals, then by indicator id; at most [`MAX_CHARTS`].
    fn pick_charts(
        &self,
        trends: BTreeMap<IndicatorId, IndicatorTrend>,
    ) -> (Vec<IndicatorChart>, usize) {
        let rank = |t: Trend| match t {
            Trend::Concern => 0,
            Trend::Improvement => 1,
            Trend::Mixed => 2,
            _ => 3,
        };
        let mut charts: Vec<(u8, u32, IndicatorChart)> = trends
            .into_values()
            .filter_map(|t| t.chart)
            .map(|c| {
                let depth = self
                    .indicator_goals
                    .get(&c.indicator)
                    .into_iter()
                    .flatten()
                    .filter_map(|g| self.c.goals.goal(*g))
                    .map(|g| g.level.depth())
                    .min()
                    .unwrap_or(u32::MAX);
                (rank(c.trend), depth, c)
            })
            .collect();
        charts.sort_by_key(|c| (c.0, c.1, c.2.indicator));
        let omitted = charts.len().saturating_sub(MAX_CHARTS);
        charts.truncate(MAX_CHARTS);
        (charts.into_iter().map(|(_, _, c)| c).collect(), omitted)
    }

    /// Score and coverage per goal.
    fn scores(&self) -> Result<BTreeMap<GoalId, (Option<f64>, f64)>, FollowUpError> {
        let plan = self.c.goals.to_plan()?;
        let leaf_values: Vec<f64> = plan
            .leaf_codes()
            .iter()
            .map(|code| {
                code.parse::<IndicatorId>()
                    .ok()
                    .and_then(|id| {
                        let ind = self.indicators.get(&id)?;
                        let obs = self.latest_in_period(id)?;
                        ind.score(obs.rate().unwrap_or(obs.value))
                    })
                    .unwrap_or(f64::NAN)
            })
            .collect();
        let eval = plan.evaluate(&["compass".to_owned()], &leaf_values)?;
        let mut out = BTreeMap::new();
        for (node, code) in plan.node_codes().iter().enumerate() {
            if let Ok(g) = code.parse::<GoalId>() {
                out.insert(g, (eval.node_value(node, 0), eval.coverage_column(node)[0]));
            }
        }
        Ok(out)
    }

    /// Voice coverage per goal: narratives and value statements by perspective, counted data by
    /// source, each counted once per goal it reaches (its linked goals and their ancestors).
    fn voices(&self) -> BTreeMap<GoalId, VoiceCoverage> {
        let h = &self.c.goals;
        let mut out: BTreeMap<GoalId, VoiceCoverage> = BTreeMap::new();
        let mut reach = |goals: &mut dyn Iterator<Item = GoalId>,
                         f: &mut dyn FnMut(&mut VoiceCoverage)| {
            let mut hit = BTreeSet::new();
            for g in goals {
                if h.contains(g) {
                    hit.insert(g);
                    hit.extend(h.ancestors(g).unwrap_or_default());
                }
            }
            for g in hit {
                f(out.entry(g).or_default());
            }
        };
        for n in &self.c.narratives {
            if !narrative_in(n, self.period) {
                continue;
            }
            let (Some(links), Some(p)) = (n.links(), narrative_perspective(n)) else {
                continue;
            };
            let mut goals = links.goals.iter().copied().chain(
                links
                    .indicators
                    .iter()
                    .flat_map(|i| self.goals_of_indicator(*i)),
            );
            reach(&mut goals, &mut |v| {
                *v.by_perspective.entry(p).or_default() += 1
            });
        }
        for s in &self.c.value_statements {
            let p = s.perspective;
            reach(&mut s.goals.iter().copied(), &mut |v| {
                *v.by_perspective.entry(p).or_default() += 1
            });
        }
        for (id, ind) in &self.indicators {
            if self.latest_in_period(*id).is_none() {
                continue;
            }
            let source = ind.source;
            reach(
                &mut self.goals_of_indicator(*id).into_iter(),
                &mut |v| match source {
                    SourceKind::Register => v.registers += 1,
                    SourceKind::Survey => v.surveys += 1,
                    _ => {}
                },
            );
        }
        out
    }

    fn goals_of_indicator(&self, i: IndicatorId) -> Vec<GoalId> {
        self.indicator_goals
            .get(&i)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }

    /// The chart of each indicator with at least [`MIN_CHART_POINTS`] observations up to the end
    /// of the period, and what its latest part says in the indicator's improvement direction.
    ///
    /// A P chart when every observation has a denominator no smaller than its count, a U chart
    /// when every observation has a denominator, an I chart otherwise.
    fn indicator_trends(&self) -> BTreeMap<IndicatorId, IndicatorTrend> {
        use kompas_evidence::spc::{
            self, Chart, ChartOptions, ChartType, Improvement, LatestSignal, Row, Series, XValue,
        };
        let mut out = BTreeMap::new();
        for (id, obs) in &self.series {
            let Some(ind) = self.indicators.get(id) else {
                continue;
            };
            if obs.len() < MIN_CHART_POINTS {
                out.insert(
                    *id,
                    IndicatorTrend {
                        trend: Trend::NoData,
                        chart: None,
                    },
                );
                continue;
            }
            let with_n = obs.iter().all(|o| o.denominator.is_some_and(|n| n > 0.0));
            // Laney's P' and U' charts when the subgroups are large (mean denominator over
            // 1,000), where the plain charts' limits shrink until every point signals.
            let large = with_n
                && obs.iter().filter_map(|o| o.denominator).sum::<f64>() / obs.len() as f64
                    > 1000.0;
            let chart_type = match (
                with_n,
                obs.iter()
                    .all(|o| o.denominator.is_some_and(|n| o.value <= n)),
                large,
            ) {
                (true, true, false) => ChartType::P,
                (true, true, true) => ChartType::PPrime,
                (true, false, false) => ChartType::U,
                (true, false, true) => ChartType::UPrime,
                (false, _, _) => ChartType::I,
            };
            let rows = obs
                .iter()
                .map(|o| Row {
                    x: XValue::Date(o.period.end()),
                    y: Some(o.value),
                    n: o.denominator,
                })
                .collect();
            let Ok(chart) =
                Chart::compute(&Series::from_rows(rows), &ChartOptions::new(chart_type))
            else {
                out.insert(
                    *id,
                    IndicatorTrend {
                        trend: Trend::NoData,
                        chart: None,
                    },
                );
                continue;
            };
            let improvement = match ind.direction {
                kompas_evidence::Direction::HigherIsBetter => Improvement::Increase,
                kompas_evidence::Direction::LowerIsBetter => Improvement::Decrease,
                _ => Improvement::Neutral,
            };
            let trend = match spc::latest_signal(&chart, improvement) {
                LatestSignal::Improvement => Trend::Improvement,
                LatestSignal::Concern => Trend::Concern,
                _ => Trend::NoSignal,
            };
            let point_types = spc::nhs_point_types(&chart, improvement);
            out.insert(
                *id,
                IndicatorTrend {
                    trend,
                    chart: Some(IndicatorChart {
                        indicator: *id,
                        name: ind.name.clone(),
                        unit: ind.unit.clone(),
                        trend,
                        chart,
                        point_types,
                    }),
                },
            );
        }
        out
    }

    fn goal_statuses(
        &self,
        scores: &BTreeMap<GoalId, (Option<f64>, f64)>,
        voices: &BTreeMap<GoalId, VoiceCoverage>,
        trends: &BTreeMap<IndicatorId, IndicatorTrend>,
    ) -> Vec<GoalStatus> {
        let h = &self.c.goals;
        // The trend of a goal combines the charts of the indicators in its whole subtree: bottom
        // up, each goal combines its own indicators' trends with its children's.
        let mut subtree_trends: BTreeMap<GoalId, Trend> = BTreeMap::new();
        for &g in self.topo.iter().rev() {
            let mut ts: Vec<Trend> = h
                .indicators(g)
                .map(|m| {
                    m.keys()
                        .filter_map(|i| trends.get(i).map(|t| t.trend))
                        .collect()
                })
                .unwrap_or_default();
            ts.extend(
                h.children(g)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|c| subtree_trends.get(c).copied()),
            );
            subtree_trends.insert(g, combine_trends(&ts));
        }
        let mut out = Vec::with_capacity(h.len());
        let mut seen = BTreeSet::new();
        let mut roots = h.roots();
        roots.sort_by_key(|g| (h.goal(*g).map(|x| x.level), *g));
        let mut stack: Vec<(GoalId, usize)> = roots.into_iter().rev().map(|g| (g, 0)).collect();
        while let Some((g, depth)) = stack.pop() {
            if !seen.insert(g) {
                continue;
            }
            let Some(goal) = h.goal(g) else { continue };
            let (score, coverage) = scores.get(&g).copied().unwrap_or((None, 0.0));
            let trend = subtree_trends.get(&g).copied().unwrap_or(Trend::NoData);
            out.push(GoalStatus {
                id: g,
                title: goal.title.clone(),
                level: goal.level.to_string(),
                depth,
                parents: h.parents(g).unwrap_or_default(),
                owner: self.units.get(&goal.owner).map(|u| u.name.clone()),
                score,
                coverage,
                trend,
                triangulation: self.triangulation(g, trend),
                evidence_strength: self.strength(g).map(|c| confidence_word(c).to_owned()),
                voices: voices.get(&g).cloned().unwrap_or_default(),
            });
            let children = h.children(g).unwrap_or_default();
            for c in children.into_iter().rev() {
                if !seen.contains(&c) {
                    stack.push((c, depth + 1));
                }
            }
        }
        out
    }

    /// The strongest evidence rating of a goal or of the indicators attached to it.
    fn strength(&self, g: GoalId) -> Option<kompas_evidence::Confidence> {
        self.strength_by_goal.get(&g).copied()
    }

    /// Triangulates a goal's chart signal with the narratives linked to it in the period.
    fn triangulation(&self, g: GoalId, trend: Trend) -> Option<TriangulationView> {
        use kompas_evidence::{QuantSignal, Verdict};
        let signal = match trend {
            Trend::Improvement => Some(QuantSignal::SpecialCauseImprovement),
            Trend::Concern => Some(QuantSignal::SpecialCauseDeterioration),
            Trend::NoSignal => Some(QuantSignal::NoSignal),
            Trend::Mixed | Trend::NoData => None,
        };
        // Narratives about the goal, or about one of its own indicators, counted as about the goal.
        let narratives: Vec<Narrative> = self
            .narratives_by_goal
            .get(&g)
            .into_iter()
            .flatten()
            .map(|n| {
                let mut n = (*n).clone();
                if let Some(l) = links_mut(&mut n) {
                    l.goals.insert(g);
                }
                n
            })
            .collect();
        if signal.is_none() && narratives.is_empty() {
            return None;
        }
        let f = kompas_evidence::triangulate(
            kompas_evidence::Subject::Goal(g),
            signal,
            self.strength(g),
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
        let observed: BTreeSet<IndicatorId> = self
            .series
            .iter()
            .filter(|(_, s)| !s.is_empty())
            .map(|(i, _)| *i)
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

    fn goals_without_evidence(&self) -> Vec<GoalRef> {
        let h = &self.c.goals;
        let mut reached: BTreeSet<GoalId> = BTreeSet::new();
        let mut direct: BTreeSet<GoalId> = BTreeSet::new();
        for g in h.goals() {
            let observed = h.indicators(g.id).is_ok_and(|m| {
                m.keys()
                    .any(|i| self.series.get(i).is_some_and(|s| !s.is_empty()))
            });
            if observed {
                direct.insert(g.id);
            }
        }
        for n in &self.c.narratives {
            if let Some(l) = n.links() {
                direct.extend(l.goals.iter().copied().filter(|g| h.contains(*g)));
                for i in &l.indicators {
                    direct.extend(self.goals_of_indicator(*i));
                }
            }
        }
        // Bottom up: a goal is reached when evidence names it or reaches one of its children.
        for &g in self.topo.iter().rev() {
            let hit = direct.contains(&g)
                || h.children(g)
                    .unwrap_or_default()
                    .iter()
                    .any(|c| reached.contains(c));
            if hit {
                reached.insert(g);
            }
        }
        self.topo
            .iter()
            .filter(|g| !reached.contains(g))
            .map(|g| self.goal_ref(*g))
            .collect()
    }

    /// Goals that reach no city goal: top down, a goal bridges when it is a city goal or one of
    /// its parents bridges (the same answer as `GoalHierarchy::bridges_to` being empty, in
    /// O(V + E)).
    fn goals_without_bridge(&self) -> Vec<GoalRef> {
        let h = &self.c.goals;
        let mut bridged: BTreeSet<GoalId> = BTreeSet::new();
        for &g in &self.topo {
            let city = h
                .goal(g)
                .is_some_and(|x| x.level == kompas_goals::Level::City);
            if city
                || h.parents(g)
                    .unwrap_or_default()
                    .iter()
                    .any(|p| bridged.contains(p))
            {
                bridged.insert(g);
            }
        }
        self.topo
            .iter()
            .filter(|g| !bridged.contains(g))
            .map(|g| self.goal_ref(*g))
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
                            .filter_map(|i| self.indicators.get(i))
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

/// A follow-up shows at most this many charts.
pub const MAX_CHARTS: usize = 24;

/// Indicators need at least this many observations for a chart.
pub const MIN_CHART_POINTS: usize = 8;

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

/// Combines the trends of several indicators.
fn combine_trends(ts: &[Trend]) -> Trend {
    let up = ts.contains(&Trend::Improvement) || ts.contains(&Trend::Mixed);
    let down = ts.contains(&Trend::Concern) || ts.contains(&Trend::Mixed);
    match (up, down) {
        (true, true) => Trend::Mixed,
        (true, false) => Trend::Improvement,
        (false, true) => Trend::Concern,
        (false, false) if ts.contains(&Trend::NoSignal) => Trend::NoSignal,
        _ => Trend::NoData,
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
        assert_eq!(combine_trends(&[]), NoData);
        assert_eq!(combine_trends(&[NoSignal, NoData]), NoSignal);
        assert_eq!(combine_trends(&[Improvement, NoSignal]), Improvement);
        assert_eq!(combine_trends(&[Improvement, Concern]), Mixed);
        assert_eq!(combine_trends(&[Concern]), Concern);
    }
}
