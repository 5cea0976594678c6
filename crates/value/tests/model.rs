//! The value model: checks, transparency, whose voice, weighted sum, and serde round trips of the
//! document types.

use chrono::NaiveDate;
use kompas_core::{
    DecisionId, DilemmaId, GoalId, NarrativeId, ObservationId, Perspective, Text, ValueStatementId,
};
use kompas_value::{
    Alternative, Authority, CheckCode, Criterion, Decision, Dilemma, DilemmaKind, Direction,
    EvidenceRef, GoalMeasures, Hearing, LifeDomain, Origin, Position, Principle, Profile,
    Publication, Scope, Severity, Stance, Subject, TransparencyGap, ValueLevel, ValueStatement,
    Voice, check_decisions, check_goals, weighted_sum, whose_voice,
};
use proptest::prelude::*;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 6, 1).unwrap_or_default()
}

fn statement(name: &str, perspective: Perspective, goals: Vec<GoalId>) -> ValueStatement {
    ValueStatement {
        id: ValueStatementId::from_name(name),
        text: Text::en(name).expect("text"),
        perspective,
        origin: Origin::Dialogue,
        domain: LifeDomain::CultureLeisureAndSport,
        scope: Scope::Shared,
        date: date(),
        goals,
    }
}

fn decision(authority: Authority) -> Decision {
    Decision {
        id: DecisionId::from_name("d1"),
        dilemma: DilemmaId::from_name("halls"),
        authority,
        options: vec!["halls".into(), "outdoor".into()],
        chosen: "outdoor".into(),
        heard: vec![
            Hearing {
                perspective: Perspective::Citizen,
                participants: 120,
                note: None,
            },
            Hearing {
                perspective: Perspective::CivilSociety,
                participants: 14,
                note: None,
            },
            Hearing {
                perspective: Perspective::Citizen,
                participants: 30,
                note: None,
            },
        ],
        evidence: vec![
            EvidenceRef::Observation(ObservationId::from_name("o")),
            EvidenceRef::Narrative(NarrativeId::from_name("n")),
            EvidenceRef::Finding("usage survey 2021".into()),
        ],
        rationale: Some(Text::en("self-organised sport grows fastest").expect("text")),
        date: date(),
        publication: Publication::Published,
    }
}

fn dilemma(kind: DilemmaKind) -> Dilemma {
    Dilemma {
        id: DilemmaId::from_name("halls"),
        question: Text::en("halls or outdoor facilities?").expect("text"),
        kind,
        positions: vec![
            Position {
                code: "halls".into(),
                label: Text::en("more hall hours for associations").expect("text"),
                statements: vec![
                    ValueStatementId::from_name("s2"),
                    ValueStatementId::from_name("s1"),
                ],
                held_by: vec![Perspective::CivilSociety],
            },
            Position {
                code: "outdoor".into(),
                label: Text::en("outdoor facilities open to all").expect("text"),
                statements: vec![ValueStatementId::from_name("s1")],
                held_by: vec![Perspective::Citizen],
            },
        ],
        stances: vec![Stance {
            principle: Principle::PoliticiansDefineValue,
            note: None,
        }],
    }
}

#[test]
fn value_level_checks() {
    let g1 = GoalId::from_name("g1");
    let g2 = GoalId::from_name("g2");
    let g3 = GoalId::from_name("g3");
    let goals = [
        GoalMeasures {
            goal: g1,
            levels: vec![ValueLevel::Output, ValueLevel::Output],
        },
        GoalMeasures {
            goal: g2,
            levels: vec![ValueLevel::Output, ValueLevel::Value],
        },
        GoalMeasures {
            goal: g3,
            levels: vec![],
        },
    ];
    let statements = [
        statement("s1", Perspective::Employee, vec![g1]),
        statement("s2", Perspective::Citizen, vec![g2]),
        statement("s3", Perspective::Management, vec![g3]),
    ];
    let f = check_goals(&goals, &statements);
    let got: Vec<(CheckCode, Subject)> = f.iter().map(|f| (f.code, f.subject)).collect();
    let mut want = vec![
        (CheckCode::ValueOutputOnly, Subject::Goal(g1)),
        (CheckCode::ValueDefinedAtDesk, Subject::Goal(g1)),
        (CheckCode::ValueNoMeasures, Subject::Goal(g3)),
        (CheckCode::ValueDefinedAtDesk, Subject::Goal(g3)),
    ];
    want.sort();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    assert_eq!(got_sorted, want);
    let desk = f
        .iter()
        .find(|f| f.code == CheckCode::ValueDefinedAtDesk && f.subject == Subject::Goal(g1));
    assert!(desk.is_some_and(|f| f.message.contains("perspectives heard: employee")));
    assert_eq!(CheckCode::ValueOutputOnly.as_str(), "value-output-only");
    assert_eq!(
        CheckCode::DecisionBelowPoliticalLevel.severity(),
        Severity::Error
    );
}

#[test]
fn transparency_and_political_level() {
    let open = decision(Authority::Committee);
    let t = open.transparency();
    assert!(t.is_open());
    assert_eq!(t.participants, 164);
    assert_eq!(
        t.perspectives,
        [Perspective::Citizen, Perspective::CivilSociety]
    );
    assert!(t.external_voice);
    assert!(
        check_decisions(
            std::slice::from_ref(&open),
            &[dilemma(DilemmaKind::BetweenPoliticalPriorities)]
        )
        .is_empty()
    );

    let mut closed = decision(Authority::DepartmentManagement);
    closed.heard.clear();
    closed.rationale = None;
    let t = closed.transparency();
    assert_eq!(
        t.missing,
        [
            TransparencyGap::PerspectivesHeard,
            TransparencyGap::Rationale
        ]
    );
    let f = check_decisions(
        std::slice::from_ref(&closed),
        &[dilemma(DilemmaKind::BetweenPoliticalPriorities)],
    );
    let codes: Vec<CheckCode> = f.iter().map(|f| f.code).collect();
    assert_eq!(
        codes,
        [
            CheckCode::DecisionNotOpen,
            CheckCode::DecisionBelowPoliticalLevel
        ]
    );
    assert!(f[1].message.contains("at department_management level"));

    // Not political by kind, but politicians hold a position: still political.
    let mut d = dilemma(DilemmaKind::IndividualVsCommunity);
    assert!(!d.is_political());
    d.positions[0].held_by.push(Perspective::Political);
    assert!(d.is_political());
    // A professional dilemma may be settled by management.
    let f = check_decisions(
        &[decision(Authority::UnitManagement)],
        &[dilemma(DilemmaKind::CitizenVsProfessional)],
    );
    assert!(f.is_empty(), "{f:?}");
    // Unknown dilemma.
    let f = check_decisions(&[decision(Authority::CityCouncil)], &[]);
    assert_eq!(
        f.iter().map(|f| f.code).collect::<Vec<_>>(),
        [CheckCode::DecisionUnknownDilemma]
    );
}

#[test]
fn decision_validation_and_links() {
    let mut d = decision(Authority::CityCouncil);
    assert!(d.validate().is_ok());
    assert_eq!(d.observation_ids(), [ObservationId::from_name("o")]);
    assert_eq!(d.narrative_ids(), [NarrativeId::from_name("n")]);
    d.chosen = "pool".into();
    let e = d.validate().expect_err("unknown choice").to_string();
    assert!(e.ends_with("chosen option \"pool\" is not among the options considered: expected one of halls, outdoor"), "{e}");
    d.options.push("halls".into());
    assert!(
        d.validate()
            .expect_err("repeated")
            .to_string()
            .contains("option \"halls\" is repeated")
    );
    let mut dl = dilemma(DilemmaKind::BetweenAreas);
    assert_eq!(dl.statement_ids().len(), 2);
    assert!(dl.validate().is_ok());
    dl.positions[1].code = "halls".into();
    let e = dl.validate().expect_err("repeated code").to_string();
    assert!(
        e.ends_with("position code \"halls\" is blank or repeated: expected distinct codes"),
        "{e}"
    );
    let p = Profile::parse_csv("count,ranking,group\n3,halls>outdoor,a\n", None).expect("valid");
    let v = decision(Authority::CityCouncil)
        .whose_voice(&p)
        .expect("known");
    assert_eq!(v.overrules, ["a"]);
}

#[test]
fn whose_voice_counts_groups_exactly() {
    let csv = "count,ranking,group\n\
               30,halls>outdoor>both,associations\n\
               5,outdoor>halls>both,associations\n\
               40,outdoor>both>halls,self-organised\n\
               6,both=outdoor>halls,professionals\n\
               9,halls>both>outdoor,\n";
    let p = Profile::parse_csv(csv, None).expect("valid");
    let v = whose_voice(&p, "outdoor").expect("known");
    assert_eq!(v.follows, ["professionals", "self-organised"]);
    assert_eq!(v.overrules, ["associations"]);
    assert_eq!(v.ungrouped_voters, 9);
    let a = &v.groups[0];
    assert_eq!(
        (a.group.as_str(), a.voters, a.first_choice),
        ("associations", 35, 5)
    );
    assert_eq!(a.preferred_over_chosen, ["halls"]);
    assert_eq!(a.voice, Voice::Overrules);
    assert_eq!(v.groups[1].first_choice, 6); // a tie at the top counts as first choice
}

#[test]
fn weighted_sum_normalises_and_reports_ties() {
    let c = [
        Criterion {
            name: "users".into(),
            weight: kompas_core::Weight::new(3.0).expect("w"),
            direction: Direction::Benefit,
        },
        Criterion {
            name: "cost".into(),
            weight: kompas_core::Weight::new(1.0).expect("w"),
            direction: Direction::Cost,
        },
        Criterion {
            name: "flat".into(),
            weight: kompas_core::Weight::new(1.0).expect("w"),
            direction: Direction::Benefit,
        },
    ];
    let alts = [
        Alternative {
            name: "a".into(),
            values: vec![100.0, 10.0, 5.0],
        },
        Alternative {
            name: "b".into(),
            values: vec![0.0, 0.0, 5.0],
        },
        Alternative {
            name: "c".into(),
            values: vec![100.0, 10.0, 5.0],
        },
    ];
    let r = weighted_sum(&c, &alts).expect("valid");
    // a: 3/5 * 1 + 1/5 * 0 + 1/5 * 1 = 0.8; b: 0 + 1/5 + 1/5 = 0.4.
    assert!((r.scores["a"] - 0.8).abs() < 1e-12);
    assert!((r.scores["b"] - 0.4).abs() < 1e-12);
    assert_eq!(
        r.order,
        vec![vec!["a".to_owned(), "c".to_owned()], vec!["b".to_owned()]]
    );
}

fn arb_perspective() -> impl Strategy<Value = Perspective> {
    proptest::sample::select(Perspective::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn document_types_serde_round_trip(
        p in arb_perspective(),
        d in proptest::sample::select(LifeDomain::ALL.to_vec()),
        n in 0u32..5000,
        goals in proptest::collection::vec(any::<u128>(), 0..4),
        text in "[a-zæøå ]{1,30}",
    ) {
        prop_assume!(!text.trim().is_empty());
        let mut s = statement(&text, p, goals.into_iter().map(GoalId::from_u128).collect());
        s.domain = d;
        let back: ValueStatement = serde_json::from_str(&serde_json::to_string(&s).expect("ser")).expect("de");
        prop_assert_eq!(back, s);
        let mut dec = decision(Authority::Committee);
        dec.heard[0].participants = n;
        dec.heard[0].perspective = p;
        let back: Decision = serde_json::from_str(&serde_json::to_string(&dec).expect("ser")).expect("de");
        prop_assert_eq!(back, dec);
        let mut dl = dilemma(DilemmaKind::IndividualVsCommunity);
        dl.positions[1].held_by = vec![p];
        dl.stances.push(Stance { principle: Principle::OpenBasis, note: Text::en(text.clone()).ok() });
        let back: Dilemma = serde_json::from_str(&serde_json::to_string(&dl).expect("ser")).expect("de");
        prop_assert_eq!(back, dl);
    }
}

#[test]
fn json_schema_is_generated_for_document_types() {
    let s = schemars::schema_for!(Decision);
    let json = serde_json::to_string(&s).expect("schema");
    assert!(
        json.contains("\"rationale\"") && json.contains("city_council"),
        "{json}"
    );
    let s = serde_json::to_string(&schemars::schema_for!(ValueStatement)).expect("schema");
    assert!(s.contains("culture_leisure_and_sport"));
}

#[test]
fn every_authority_has_one_code_the_serde_name_and_two_names() {
    let mut codes = std::collections::BTreeSet::new();
    for a in Authority::ALL {
        assert_eq!(Authority::from_code(a.as_str()), Some(a));
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            format!("\"{}\"", a.as_str())
        );
        assert!(!a.label_da().is_empty() && !a.label_en().is_empty());
        assert!(!a.label_en().contains('_'));
        assert!(codes.insert(a.as_str()));
    }
}
