//! The follow-up of the embedded Aarhus example and of small documents built by hand.

use kompas::{Compass, Municipality, Trend, follow_up};
use kompas_core::{GoalId, IndicatorId, ObservationId, Period, Perspective, Text, UnitId, Weight};
use kompas_evidence::{Direction, Indicator, Observation, Purpose, Range, SourceKind, ValueLevel};
use kompas_goals::{Goal, GoalHierarchy, Level, Link};

fn goal<'a>(f: &'a kompas::FollowUp, en: &str) -> &'a kompas::GoalStatus {
    f.goals
        .iter()
        .find(|g| g.title.as_en() == Some(en))
        .unwrap_or_else(|| panic!("no goal {en:?}"))
}

#[test]
fn the_aarhus_follow_up_covers_all_three_anchor_points() {
    let c = kompas::example::aarhus();
    let f = follow_up(&c, 2024).unwrap();
    // Knowledge: every goal is there, city goals first; scores within 0-100.
    assert_eq!(f.goals.len(), c.goals.len());
    assert_eq!(
        f.goals[0].title.as_en(),
        Some("Aarhus must be a good city for everyone")
    );
    assert!(
        f.goals
            .iter()
            .all(|g| g.score.is_none_or(|s| (0.0..=100.0).contains(&s)))
    );
    // The unbridged local goal is flagged, and no evidence reaches the goal without indicators.
    assert!(
        f.goals_without_bridge
            .iter()
            .any(|g| g.title.as_en() == Some("More visitors to the swimming pools"))
    );
    assert!(f.goals_without_evidence.iter().any(
        |g| g.title.as_en() == Some("All children and young people thrive, learn and develop")
    ));
    // Numbers say loneliness falls; citizens' stories say it grows: a divergence, not an average.
    let community = goal(&f, "A city of community and fellowship");
    assert_eq!(community.trend, Trend::Improvement);
    assert_eq!(community.triangulation.as_ref().unwrap().verdict, "diverge");
    // Co-creation: the assembly's sex balance against Aarhus's adults (FOLK1A 2020K1):
    // 18 of 36 are men; men are 137,418 of 282,182 adults.
    let assembly = &f.initiatives[0];
    assert_eq!(assembly.participants, 36);
    let sex = assembly
        .representativeness
        .iter()
        .find(|a| a.attribute == "sex")
        .unwrap();
    let expected = (0.5 - 137_418.0 / 282_182.0f64).abs();
    assert!(
        (sex.dissimilarity - expected).abs() < 1e-12,
        "{} vs {expected}",
        sex.dissimilarity
    );
    // Cells under 5 persons are suppressed (two members aged 75+).
    let age = assembly
        .representativeness
        .iter()
        .find(|a| a.attribute == "age_band")
        .unwrap();
    assert_eq!(
        age.cells
            .iter()
            .find(|c| c.value == "75+")
            .unwrap()
            .participants_share,
        None
    );
    // Value: the halls decision is open about its basis and follows the survey respondents.
    let d = &f.value.decisions[0];
    assert!(d.open_basis);
    assert_eq!(d.follows, ["survey respondents"]);
    assert_eq!(d.overrules, ["associations", "self-organised"]);
    assert_eq!(f.value.open_dilemmas.len(), 1);
    // Learning: one contradicted prediction raises a mandate question on the home-care goal.
    assert_eq!(f.learning.contradicted.len(), 1);
    assert_eq!(
        f.learning.mandate_questions[0]
            .goal
            .as_ref()
            .and_then(|g| g.title.as_en()),
        Some("More older people manage daily life on their own after rehabilitation")
    );
    // Spillover: the climate assembly (Technical Services and Environment) shows value in a
    // goal of Culture and Citizens' Services.
    assert!(f.spillovers.iter().any(|s| s.from.as_en()
        == Some("Technical Services and Environment")
        && s.to.as_en() == Some("Culture and Citizens' Services")));
    assert!(f.has_illustrative_values);
}

#[test]
fn the_follow_up_is_deterministic() {
    let c = kompas::example::aarhus();
    let a = serde_json::to_string(&follow_up(&c, 2024).unwrap()).unwrap();
    let b = serde_json::to_string(&follow_up(&c.clone(), 2024).unwrap()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn real_covid_positivity_signals_the_omicron_wave() {
    // Statens Serum Institut's monthly positivity for Aarhus: a P' chart (large denominators)
    // whose latest part ends in a special cause of concern (lower is better).
    let f = follow_up(&kompas::example::aarhus(), 2022).unwrap();
    let chart = f
        .charts
        .iter()
        .find(|c| c.name.as_en() == Some("Share of positive COVID-19 tests"))
        .unwrap();
    assert_eq!(
        chart.chart.chart_type(),
        kompas_evidence::spc::ChartType::PPrime
    );
    assert_eq!(chart.chart.points.len(), 34, "2020-03 .. 2022-12");
    let at = |x: &str| {
        chart
            .chart
            .points
            .iter()
            .find(|p| p.x.to_string() == x)
            .unwrap()
    };
    // Omicron: from January 2022 positivity leaves the limits; February is the peak (35 %).
    assert!(at("2021-12-31").y.unwrap() < at("2021-12-31").ucl.unwrap());
    for month in ["2022-01-31", "2022-02-28", "2022-03-31"] {
        assert!(
            at(month).y.unwrap() > at(month).ucl.unwrap(),
            "{month} above the upper limit"
        );
    }
    let peak = chart
        .chart
        .points
        .iter()
        .max_by(|a, b| a.y.partial_cmp(&b.y).unwrap())
        .unwrap();
    assert_eq!(peak.x.to_string(), "2022-02-28");
    assert_eq!(chart.trend, Trend::Concern);
}

/// A hand-built document: one city goal, two department goals, three indicators.
fn small() -> Compass {
    let mut c = Compass::new(Municipality {
        name: Text::en("Testby").unwrap(),
        code: None,
        council_size: None,
    });
    let unit = UnitId::from_u128(1);
    c.units.push(kompas::Unit {
        id: unit,
        name: Text::en("Town").unwrap(),
        kind: kompas::UnitKind::Municipality,
        parent: None,
    });
    let mut h = GoalHierarchy::default();
    let (city, a, b) = (
        GoalId::from_u128(1),
        GoalId::from_u128(2),
        GoalId::from_u128(3),
    );
    h.add_goal(Goal::new(
        city,
        Text::en("City").unwrap(),
        Level::City,
        unit,
    ))
    .unwrap();
    h.add_goal(Goal::new(
        a,
        Text::en("A").unwrap(),
        Level::Department,
        unit,
    ))
    .unwrap();
    h.add_goal(Goal::new(
        b,
        Text::en("B").unwrap(),
        Level::Department,
        unit,
    ))
    .unwrap();
    h.link(a, city, Link::new(Weight::new(3.0).unwrap()))
        .unwrap();
    h.link(b, city, Link::new(Weight::new(1.0).unwrap()))
        .unwrap();
    for (k, (g, dir)) in [
        (a, Direction::HigherIsBetter),
        (a, Direction::LowerIsBetter),
        (b, Direction::HigherIsBetter),
    ]
    .into_iter()
    .enumerate()
    {
        let id = IndicatorId::from_u128(k as u128 + 101);
        c.indicators.push(
            Indicator::new(
                id,
                Text::en(format!("i{k}")).unwrap(),
                "%",
                dir,
                ValueLevel::Effect,
                Purpose::Strategic,
                SourceKind::Register,
                Perspective::Citizen,
            )
            .with_goalposts(Range::new(0.0, 100.0).unwrap()),
        );
        h.attach_indicator(g, id, Weight::ONE).unwrap();
    }
    c.goals = h;
    c
}

#[test]
fn scores_and_coverage_follow_goalposts_weights_and_missing_data() {
    let mut c = small();
    let obs = |n: u128, i: u128, v: f64| {
        Observation::new(
            ObservationId::from_u128(n),
            IndicatorId::from_u128(i + 100),
            Period::year(2024).unwrap(),
            v,
        )
    };
    // A: 80 on a higher-is-better indicator (score 80) and 30 on a lower-is-better one (score 70).
    c.observations = vec![obs(1, 1, 80.0), obs(2, 2, 30.0)];
    let f = follow_up(&c, 2024).unwrap();
    let by = |t: &str| {
        f.goals
            .iter()
            .find(|g| g.title.as_en() == Some(t))
            .unwrap()
            .clone()
    };
    assert!((by("A").score.unwrap() - 75.0).abs() < 1e-9);
    assert_eq!(by("A").coverage, 1.0);
    // B has no data: no score, no coverage; the city goal renormalises over A but reports that
    // only 3/4 of its weight is backed by data.
    assert_eq!(by("B").score, None);
    assert_eq!(by("B").coverage, 0.0);
    assert!((by("City").score.unwrap() - 75.0).abs() < 1e-9);
    assert!((by("City").coverage - 0.75).abs() < 1e-9);
    // Observations of another year do not count for this one.
    let f2023 = follow_up(&c, 2023).unwrap();
    assert_eq!(f2023.goals[0].score, None);
    assert_eq!(f2023.goals[0].coverage, 0.0);
}

#[test]
fn a_generated_municipality_follows_up_within_its_limits() {
    use kompas::generate::{Generate, generate};
    let c = generate(
        &Generate::default()
            .goals(2_000)
            .observations(30_000)
            .narratives(300),
    );
    assert!(c.validate().is_empty());
    let f = follow_up(&c, 2016).unwrap();
    assert_eq!(f.goals.len(), 2_000);
    assert!(f.charts.len() <= kompas::MAX_CHARTS);
    let mut per_indicator = std::collections::BTreeMap::new();
    for o in c
        .observations
        .iter()
        .filter(|o| o.period.end() <= chrono::NaiveDate::from_ymd_opt(2016, 12, 31).unwrap())
    {
        *per_indicator.entry(o.indicator).or_insert(0usize) += 1;
    }
    let charted = per_indicator
        .values()
        .filter(|n| **n >= kompas::MIN_CHART_POINTS)
        .count();
    assert!(charted > 1_000);
    assert_eq!(f.charts.len() + f.charts_omitted, charted);
    // Charts with special causes come before those without.
    let rank = |t: Trend| matches!(t, Trend::Concern | Trend::Improvement);
    let first_plain = f
        .charts
        .iter()
        .position(|c| !rank(c.trend))
        .unwrap_or(f.charts.len());
    assert!(f.charts[first_plain..].iter().all(|c| !rank(c.trend)));
}

#[test]
fn bridges_and_evidence_gaps_agree_with_the_hierarchy_queries() {
    use kompas::generate::{Generate, generate};
    for c in [
        kompas::example::aarhus(),
        generate(
            &Generate::default()
                .goals(1_500)
                .observations(2_000)
                .narratives(100),
        ),
    ] {
        let f = follow_up(&c, 2024).unwrap();
        let h = &c.goals;
        let expect: std::collections::BTreeSet<GoalId> = h
            .goals()
            .filter(|g| h.bridges_to(g.id).unwrap().is_empty())
            .map(|g| g.id)
            .collect();
        let got: std::collections::BTreeSet<GoalId> =
            f.goals_without_bridge.iter().map(|g| g.id).collect();
        assert_eq!(got, expect);
        // A goal without evidence has no observed indicator and no narrative in its subtree.
        for g in &f.goals_without_evidence {
            let subtree: Vec<GoalId> = std::iter::once(g.id)
                .chain(h.descendants(g.id).unwrap())
                .collect();
            for s in subtree {
                let observed = h
                    .indicators(s)
                    .unwrap()
                    .keys()
                    .any(|i| c.observations.iter().any(|o| o.indicator == *i));
                assert!(!observed, "goal {} has evidence below it", g.id);
            }
        }
    }
}
