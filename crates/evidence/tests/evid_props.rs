//! Property tests of the evidence model: serde round trips of every type, validation that never
//! panics, GRADE and CERQual clamping, and the triangulation invariants (order of narratives
//! does not matter; a divergence is never reported as convergence).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use kompas_core::{
    GoalId, IndicatorId, InitiativeId, LearningCycleId, NarrativeId, ObservationId, Period,
    Perspective, Text,
};
use kompas_evidence::*;
use proptest::prelude::*;
use proptest::sample::select;

fn text() -> impl Strategy<Value = Text> {
    ("[a-zæøå ]{0,6}", "[a-z]{1,6}", any::<bool>()).prop_map(|(da, en, both)| {
        let t = if both {
            Text::both(da, en)
        } else {
            Text::en(en)
        };
        t.expect("the English wording is never blank")
    })
}

fn perspective() -> impl Strategy<Value = Perspective> {
    select(Perspective::ALL.to_vec())
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (2019i32..2023, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("valid date"))
}

fn period() -> impl Strategy<Value = Period> {
    (date(), 0u64..200)
        .prop_map(|(d, len)| Period::new(d, d + chrono::Days::new(len)).expect("start before end"))
}

fn finite() -> impl Strategy<Value = f64> {
    -1e9f64..1e9
}

fn range() -> impl Strategy<Value = Range> {
    (finite(), 1e-3f64..1e6).prop_map(|(low, w)| Range::new(low, low + w).expect("low < high"))
}

fn indicator() -> impl Strategy<Value = Indicator> {
    let direction = prop_oneof![
        Just(Direction::HigherIsBetter),
        Just(Direction::LowerIsBetter),
        range().prop_map(Direction::TargetBand),
    ];
    (
        (any::<u128>(), text(), "[a-z%]{0,5}", direction),
        (
            select(ValueLevel::ALL.to_vec()),
            select(vec![Purpose::Strategic, Purpose::LocalImprovement]),
            select(vec![
                SourceKind::Register,
                SourceKind::Survey,
                SourceKind::Observation,
                SourceKind::Dialogue,
            ]),
            perspective(),
        ),
        (
            proptest::option::of(range()),
            proptest::option::of((finite(), proptest::option::of(period()))),
            proptest::option::of(("[a-z]{1,4}", "[a-z]{1,4}", proptest::option::of(text()))),
        ),
    )
        .prop_map(
            |((id, name, unit, dir), (lvl, pur, src, p), (gp, tg, eq))| {
                let mut i = Indicator::new(
                    IndicatorId::from_u128(id),
                    name,
                    unit,
                    dir,
                    lvl,
                    pur,
                    src,
                    p,
                );
                i.goalposts = gp;
                i.target = tg.map(|(v, per)| Target::new(v, per).expect("finite"));
                i.equity = eq.map(|(v, r, d)| EquityPairing {
                    vulnerable_group: v,
                    reference_group: r,
                    description: d,
                });
                i
            },
        )
}

fn raw_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -1e6f64..1e6,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
    ]
}

/// Observations of indicator 1 (sometimes 2) with colliding months, groups and bad values.
fn raw_observation() -> impl Strategy<Value = Observation> {
    (
        0u128..40,
        prop_oneof![9 => Just(1u128), 1 => Just(2u128)],
        (2020i32..2022, 1u32..=12, any::<bool>()),
        raw_value(),
        proptest::option::of(prop_oneof![8 => 0f64..1e6, 1 => Just(-1.0), 1 => Just(f64::NAN)]),
        select(vec![None, Some("a"), Some("b")]),
    )
        .prop_map(|(id, ind, (y, m, whole_year), v, den, g)| {
            let period = if whole_year {
                Period::year(y).expect("year")
            } else {
                let start = NaiveDate::from_ymd_opt(y, m, 1).expect("month start");
                let end = start
                    .checked_add_months(chrono::Months::new(1))
                    .and_then(|d| d.pred_opt())
                    .expect("month end");
                Period::new(start, end).expect("month")
            };
            let mut o = Observation::new(
                ObservationId::from_u128(id),
                IndicatorId::from_u128(ind),
                period,
                v,
            );
            o.denominator = den;
            o.group = g.map(str::to_owned);
            o
        })
}

fn links() -> impl Strategy<Value = Links> {
    (
        proptest::collection::btree_set(0u128..3, 0..3),
        proptest::collection::btree_set(0u128..3, 0..3),
        proptest::collection::btree_set(0u128..3, 0..2),
    )
        .prop_map(|(g, i, n)| Links {
            goals: g.into_iter().map(GoalId::from_u128).collect(),
            indicators: i.into_iter().map(IndicatorId::from_u128).collect(),
            initiatives: n.into_iter().map(InitiativeId::from_u128).collect(),
        })
}

fn told() -> impl Strategy<Value = ToldDirection> {
    select(vec![
        ToldDirection::Better,
        ToldDirection::Worse,
        ToldDirection::Mixed,
        ToldDirection::Unclear,
    ])
}

fn consent() -> impl Strategy<Value = Consent> {
    prop_oneof![
        4 => Just(Consent::Publish),
        4 => Just(Consent::AnalysisOnly),
        1 => Just(Consent::NotRecorded),
        1 => Just(Consent::Withdrawn),
    ]
}

fn story() -> impl Strategy<Value = Story> {
    (
        (0u128..1000, text(), text(), text(), perspective()),
        (
            proptest::option::of("[A-Z][a-z]{1,5}"),
            consent(),
            proptest::option::of(period()),
        ),
        (text(), text(), told(), links()),
    )
        .prop_map(
            |(
                (id, title, body, role, p),
                (pseudonym, consent, events),
                (domain, why, d, links),
            )| {
                Story {
                    id: NarrativeId::from_u128(id),
                    title,
                    text: body,
                    teller: Teller {
                        role,
                        perspective: p,
                        pseudonym,
                    },
                    consent,
                    events,
                    domain,
                    why_significant: why,
                    direction: d,
                    links,
                }
            },
        )
}

fn selection() -> impl Strategy<Value = SelectionRecord> {
    (
        0u128..1000,
        select(vec![
            PanelLevel::Local,
            PanelLevel::Department,
            PanelLevel::Municipality,
            PanelLevel::Council,
            PanelLevel::Citizens,
        ]),
        text(),
        date(),
        proptest::collection::btree_set(0u128..20, 1..5),
        any::<prop::sample::Index>(),
        text(),
        proptest::collection::vec(
            (perspective(), proptest::option::of(0u128..20), text()),
            0..3,
        ),
    )
        .prop_map(|(id, level, panel, d, cands, pick, reasons, dissent)| {
            let cands: Vec<NarrativeId> = cands.into_iter().map(NarrativeId::from_u128).collect();
            let chosen = cands[pick.index(cands.len())];
            let mut s = SelectionRecord::new(
                NarrativeId::from_u128(id),
                level,
                panel,
                d,
                cands.into_iter().collect(),
                chosen,
                reasons,
            )
            .expect("chosen is a candidate");
            for (p, pref, r) in dissent {
                s = s.with_dissent(Dissent {
                    perspective: p,
                    preferred: pref.map(NarrativeId::from_u128),
                    reason: r,
                });
            }
            s
        })
}

fn harvest() -> impl Strategy<Value = OutcomeHarvest> {
    (
        (
            0u128..1000,
            text(),
            text(),
            perspective(),
            proptest::option::of(period()),
        ),
        (text(), text(), told(), links()),
        (
            select(vec![
                SubstantiationStatus::NotChecked,
                SubstantiationStatus::Disputed,
                SubstantiationStatus::Partly,
                SubstantiationStatus::Confirmed,
            ]),
            proptest::collection::vec(perspective(), 0..3),
            proptest::option::of(text()),
        ),
    )
        .prop_map(
            |(
                (id, change, actor, p, when),
                (contribution, significance, d, links),
                (st, by, note),
            )| {
                OutcomeHarvest {
                    id: NarrativeId::from_u128(id),
                    change,
                    social_actor: actor,
                    perspective: p,
                    when,
                    contribution,
                    significance,
                    direction: d,
                    substantiation: Substantiation {
                        status: st,
                        by,
                        note,
                    },
                    links,
                }
            },
        )
}

fn narrative() -> impl Strategy<Value = Narrative> {
    prop_oneof![
        3 => story().prop_map(Narrative::Story),
        1 => selection().prop_map(Narrative::Selection),
        2 => harvest().prop_map(Narrative::Harvest),
    ]
}

fn concern() -> impl Strategy<Value = Concern> {
    select(vec![
        Concern::NotSerious,
        Concern::Serious,
        Concern::VerySerious,
    ])
}

fn factor() -> impl Strategy<Value = Factor> {
    select(vec![Factor::Absent, Factor::Present])
}

fn grade() -> impl Strategy<Value = GradeAssessment> {
    (
        select(vec![
            StudyDesign::RandomisedTrial,
            StudyDesign::Observational,
        ]),
        (concern(), concern(), concern(), concern(), concern()),
        select(vec![
            EffectSize::NotLarge,
            EffectSize::Large,
            EffectSize::VeryLarge,
        ]),
        factor(),
        factor(),
    )
        .prop_map(
            |(design, (rb, inc, ind, imp, pb), le, dr, pc)| GradeAssessment {
                design,
                risk_of_bias: rb,
                inconsistency: inc,
                indirectness: ind,
                imprecision: imp,
                publication_bias: pb,
                large_effect: le,
                dose_response: dr,
                plausible_confounding: pc,
            },
        )
}

fn cq() -> impl Strategy<Value = CerqualConcern> {
    select(vec![
        CerqualConcern::NoOrVeryMinor,
        CerqualConcern::Minor,
        CerqualConcern::Moderate,
        CerqualConcern::Serious,
    ])
}

fn cerqual() -> impl Strategy<Value = CerqualAssessment> {
    (cq(), cq(), cq(), cq()).prop_map(|(m, c, a, r)| CerqualAssessment {
        methodological_limitations: m,
        coherence: c,
        adequacy: a,
        relevance: r,
    })
}

fn strength() -> impl Strategy<Value = EvidenceStrength> {
    prop_oneof![
        (1u8..=5).prop_map(|l| EvidenceStrength::Nesta {
            level: NestaLevel::new(l).expect("1..=5")
        }),
        (1u8..=5).prop_map(|l| EvidenceStrength::Maryland {
            level: MarylandLevel::new(l).expect("1..=5")
        }),
        grade().prop_map(EvidenceStrength::Grade),
        cerqual().prop_map(EvidenceStrength::Cerqual),
    ]
}

fn change() -> impl Strategy<Value = ChangeDirection> {
    select(vec![
        ChangeDirection::Improvement,
        ChangeDirection::Deterioration,
        ChangeDirection::NoChange,
    ])
}

fn signal() -> impl Strategy<Value = QuantSignal> {
    select(vec![
        QuantSignal::SpecialCauseImprovement,
        QuantSignal::SpecialCauseDeterioration,
        QuantSignal::NoSignal,
    ])
}

/// A cycle with id `0..8` and a predecessor that may dangle or loop.
fn cycle() -> impl Strategy<Value = LearningCycle> {
    (
        (0u128..8, text(), text(), text(), change()),
        proptest::option::of(0u128..9),
        proptest::collection::btree_set(0u128..4, 0..3),
        proptest::collection::vec(
            (
                select(vec![
                    MeasureKind::Outcome,
                    MeasureKind::Process,
                    MeasureKind::Balancing,
                ]),
                text(),
                proptest::option::of(0u128..4),
            ),
            0..3,
        ),
        proptest::option::of((text(), change(), proptest::option::of(signal()))),
        proptest::option::of((
            select(vec![
                ActDecision::Adopt,
                ActDecision::Adapt,
                ActDecision::Abandon,
            ]),
            proptest::collection::vec((0u128..4, text()), 0..2),
        )),
        (
            proptest::collection::vec(text(), 0..2),
            proptest::collection::vec(text(), 0..2),
        ),
    )
        .prop_map(
            |((id, aim, idea, pred, exp), pre, goals, measures, study, act, (seen, surprises))| {
                let mut c = LearningCycle::new(
                    LearningCycleId::from_u128(id),
                    aim,
                    idea,
                    Prediction {
                        text: pred,
                        expected: exp,
                    },
                );
                c.predecessor = pre.map(LearningCycleId::from_u128);
                c.goals = goals.into_iter().map(GoalId::from_u128).collect();
                c.measures = measures
                    .into_iter()
                    .map(|(kind, name, ind)| Measure {
                        kind,
                        name,
                        indicator: ind.map(IndicatorId::from_u128),
                    })
                    .collect();
                c.study = study.map(|(result, observed, signal)| Study {
                    result,
                    observed,
                    signal,
                });
                c.act = act.map(|(decision, rev)| Act {
                    decision,
                    note: None,
                    revisit: rev
                        .into_iter()
                        .map(|(g, q)| GoalRevisit {
                            goal: GoalId::from_u128(g),
                            question: q,
                        })
                        .collect(),
                });
                c.carried_out = DoPhase {
                    observations: seen,
                    surprises,
                };
                c
            },
        )
}

#[track_caller]
fn round_trip<T>(v: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_string(v).expect("serialise");
    let back: T = serde_json::from_str(&json).expect("deserialise what we wrote");
    assert_eq!(&back, v, "{json}");
}

fn the_lean(signal: Option<QuantSignal>) -> Option<Lean> {
    match signal {
        Some(QuantSignal::SpecialCauseImprovement) => Some(Lean::Better),
        Some(QuantSignal::SpecialCauseDeterioration) => Some(Lean::Worse),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn indicators_round_trip(i in indicator(), any_value in proptest::num::f64::NORMAL) {
        round_trip(&i);
        if let Some(gp) = i.goalposts {
            for v in [gp.low(), gp.high(), (gp.low() + gp.high()) / 2.0, any_value] {
                let s = i.score(v).expect("goalposts and a finite value");
                prop_assert!((0.0..=100.0).contains(&s));
            }
        }
    }

    #[test]
    fn series_validation_never_panics_and_keeps_its_promises(
        obs in proptest::collection::vec(raw_observation(), 0..12)
    ) {
        let ind = IndicatorId::from_u128(1);
        match Series::new(ind, obs.clone()) {
            Ok(s) => {
                prop_assert_eq!(s.len(), obs.len());
                for w in s.observations().windows(2) {
                    prop_assert!((&w[0].group, w[0].period) <= (&w[1].group, w[1].period));
                    if w[0].group == w[1].group {
                        prop_assert!(w[0].period.end() < w[1].period.start());
                    }
                }
                prop_assert!(s.observations().iter().all(|o| o.value.is_finite()));
                round_trip(&s);
                let mut rev = obs.clone();
                rev.reverse();
                prop_assert_eq!(Series::new(ind, rev).expect("same set, other order"), s);
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(obs.iter().any(|o| msg.contains(&o.id.to_string())), "{}", msg);
            }
        }
    }

    #[test]
    fn narratives_round_trip(n in narrative()) {
        round_trip(&n);
        let refs = n.referenced_narratives();
        prop_assert!(refs.windows(2).all(|w| w[0] < w[1]));
        if let Narrative::Selection(s) = &n {
            prop_assert!(refs.contains(&s.chosen()));
            prop_assert!(s.dissent().iter().filter_map(|d| d.preferred).all(|p| refs.contains(&p)));
        }
    }

    #[test]
    fn strength_round_trips(s in strength()) {
        round_trip(&s);
    }

    #[test]
    fn grade_is_always_clamped(a in grade()) {
        let c = a.certainty();
        prop_assert_eq!(c.rating(), a.raw_rating().clamp(1, 4));
        prop_assert!((-8..=8).contains(&a.raw_rating()));
        // Adding a serious concern never raises certainty; adding an upgrade never lowers it.
        let mut worse = a;
        worse.risk_of_bias = Concern::VerySerious;
        prop_assert!(worse.certainty() <= c);
        let mut better = a;
        better.dose_response = Factor::Present;
        prop_assert!(better.certainty() >= c);
        round_trip(&a);
    }

    #[test]
    fn cerqual_is_clamped_and_monotone(a in cerqual()) {
        let c = a.confidence();
        let mut worse = a;
        worse.coherence = CerqualConcern::Serious;
        prop_assert!(worse.confidence() <= c);
        let best = CerqualAssessment::default();
        prop_assert!(c <= best.confidence());
        round_trip(&a);
    }

    #[test]
    fn learning_logs_validate_without_panics(cycles in proptest::collection::vec(cycle(), 0..8)) {
        match LearningLog::new(cycles.clone()) {
            Ok(log) => {
                for c in log.cycles() {
                    let chain = log.chain(c.id);
                    prop_assert_eq!(chain.last(), Some(&c.id));
                    prop_assert!(chain.len() <= cycles.len());
                    let first = log.get(chain[0]).expect("in the log");
                    prop_assert_eq!(first.predecessor, None);
                    prop_assert_eq!(c.needs_reflection(), c.prediction_check() == PredictionCheck::Contradicted);
                }
                for (g, ids) in log.by_goal() {
                    prop_assert!(ids.windows(2).all(|w| w[0] < w[1]));
                    prop_assert!(ids.iter().all(|id| log.get(*id).is_some_and(|c| c.goals.contains(&g))));
                }
                for (i, ids) in log.by_indicator() {
                    prop_assert!(ids.iter().all(|id| log.get(*id).is_some_and(|c| c.indicators().contains(&i))));
                }
                let qs = log.mandate_questions();
                prop_assert!(qs.windows(2).all(|w| w[0] <= w[1]));
                for q in &qs {
                    round_trip(q);
                    if q.reason == MandateReason::RepeatedContradiction {
                        prop_assert!(q.raised_by.len() >= 2);
                        prop_assert!(q.raised_by.iter().all(|id| log.get(*id).is_some_and(LearningCycle::needs_reflection)));
                    }
                }
                round_trip(&log);
            }
            Err(e) => {
                let expected = matches!(
                    e,
                    Error::DuplicateCycle { .. }
                        | Error::UnknownPredecessor { .. }
                        | Error::PredecessorLoop { .. }
                );
                prop_assert!(expected, "{}", e);
            }
        }
    }

    #[test]
    fn triangulation_ignores_the_order_of_narratives(
        (ns, shuffled) in proptest::collection::vec(narrative(), 0..14)
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
        sig in proptest::option::of(signal()),
        st in proptest::option::of(select(Confidence::ALL.to_vec())),
        goal in 0u128..3,
    ) {
        let subject = Subject::Goal(GoalId::from_u128(goal));
        let a = triangulate(subject, sig, st, &ns);
        let b = triangulate(subject, sig, st, &shuffled);
        prop_assert_eq!(&a, &b);
        round_trip(&a);
    }

    #[test]
    fn a_divergence_is_never_reported_as_convergence(
        ns in proptest::collection::vec(narrative(), 0..14),
        sig in proptest::option::of(signal()),
        st in proptest::option::of(select(Confidence::ALL.to_vec())),
        ind in 0u128..3,
    ) {
        let subject = Subject::Indicator(IndicatorId::from_u128(ind));
        let f = triangulate(subject, sig, st, &ns);
        // Recount independently: every usable linked narrative by perspective.
        let mut better: std::collections::BTreeMap<Perspective, (u32, u32)> = Default::default();
        let mut linked = BTreeSet::new();
        for n in &ns {
            let (id, p, d, usable, links) = match n {
                Narrative::Story(s) => (s.id, s.teller.perspective, s.direction, s.consent.permits_analysis(), &s.links),
                Narrative::Harvest(h) => (h.id, h.perspective, h.direction, h.substantiation.status != SubstantiationStatus::Disputed, &h.links),
                Narrative::Selection(_) => continue,
            };
            if !links.indicators.contains(&IndicatorId::from_u128(ind)) { continue; }
            linked.insert(id);
            if !usable { continue; }
            let e = better.entry(p).or_default();
            match d {
                ToldDirection::Better => e.0 += 1,
                ToldDirection::Worse => e.1 += 1,
                _ => {}
            }
        }
        let numbers = the_lean(sig);
        let opposed = better.values().any(|&(b, w)| match numbers {
            Some(Lean::Better) => w > b,
            Some(Lean::Worse) => b > w,
            _ => false,
        });
        let split = better.values().any(|&(b, w)| b == w && b > 0);
        let persp_both = better.values().any(|&(b, w)| b > w) && better.values().any(|&(b, w)| w > b);
        if opposed || split || persp_both {
            prop_assert_eq!(f.verdict, Verdict::Diverge);
        }
        if f.verdict == Verdict::Diverge {
            prop_assert!(opposed || split || persp_both);
            prop_assert_eq!(f.confidence, Confidence::VeryLow);
            prop_assert_eq!(f.direction, None);
        }
        if f.verdict == Verdict::Converge {
            let leans: BTreeSet<Lean> = f.leans.iter().map(|l| l.lean).collect();
            prop_assert_eq!(leans.len(), 1);
            prop_assert!(numbers.is_some());
        }
        // Every linked narrative is either counted or excluded, never silently dropped.
        let seen: BTreeSet<NarrativeId> = f.sources.iter().chain(&f.excluded).copied().collect();
        prop_assert_eq!(seen, linked);
    }
}

#[test]
fn json_schemas_name_the_fields() {
    let schema = serde_json::to_string(&schemars::schema_for!(Narrative)).expect("schema");
    for field in [
        "why_significant",
        "consent",
        "substantiation",
        "chosen",
        "dissent",
    ] {
        assert!(schema.contains(field), "{field} missing from the schema");
    }
    let schema = serde_json::to_string(&schemars::schema_for!(LearningLog)).expect("schema");
    assert!(schema.contains("prediction") && schema.contains("\"do\""));
    let schema = serde_json::to_string(&schemars::schema_for!(Finding)).expect("schema");
    assert!(schema.contains("dissent") && schema.contains("leans"));
}
