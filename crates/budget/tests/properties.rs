//! Property tests: outcomes fit the budget, MES satisfies EJR+ up to one, `.pb` reading and
//! writing are inverse.

use std::collections::BTreeMap;

use kompas_budget::{
    Ballot, Completion, Decimal, Election, Greedy, GreedyVariant, LineEnding, Mes, MetaEntry,
    Project, ProjectId, Rule, TieBreak, Utility, analyse, run,
};
use proptest::prelude::*;

/// A small approval election: costs, budget, ballots (as project indices).
fn approval() -> impl Strategy<Value = Election> {
    (2usize..7, 1usize..10).prop_flat_map(|(m, n)| {
        (
            prop::collection::vec(1i64..30, m),
            10i64..80,
            prop::collection::vec(prop::collection::btree_set(0..m, 1..=m), n),
        )
            .prop_map(move |(costs, budget, ballots)| {
                let mut text = format!(
                    "META\nkey;value\nbudget;{budget}\nvote_type;approval\nnum_projects;{m}\nnum_votes;{n}\n\
                     PROJECTS\nproject_id;cost\n"
                );
                for (j, c) in costs.iter().enumerate() {
                    text.push_str(&format!("p{j};{c}\n"));
                }
                text.push_str("VOTES\nvoter_id;vote\n");
                for (i, b) in ballots.iter().enumerate() {
                    let ids: Vec<String> = b.iter().map(|j| format!("p{j}")).collect();
                    text.push_str(&format!("v{i};{}\n", ids.join(",")));
                }
                Election::parse(&text).expect("generated text is valid")
            })
    })
}

fn rules() -> Vec<Rule> {
    let mut v = vec![
        Rule::Greedy(Greedy::default()),
        Rule::Greedy(Greedy {
            variant: GreedyVariant::NoSkip,
            ..Greedy::default()
        }),
        Rule::Phragmen,
        Rule::Utilitarian {
            utility: Utility::Cost,
        },
    ];
    for completion in [
        Completion::None,
        Completion::Add1,
        Completion::Add1Full,
        Completion::Utilitarian,
    ] {
        for utility in [Utility::Cost, Utility::Cardinality] {
            v.push(Rule::Mes(Mes {
                utility,
                completion,
                ..Mes::default()
            }));
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_outcome_exceeds_the_budget(e in approval()) {
        let budget = e.budget().unwrap();
        for rule in rules() {
            let out = run(&e, &rule, &TieBreak::default()).unwrap();
            prop_assert!(out.total_cost.cmp_value(&budget).is_le(), "{rule:?}: {} > {budget}", out.total_cost);
            let mut ids = out.funded.clone();
            ids.sort();
            ids.dedup();
            prop_assert_eq!(ids.len(), out.funded.len());
        }
    }

    #[test]
    fn mes_satisfies_ejr_up_to_one(e in approval()) {
        for completion in [Completion::None, Completion::Add1, Completion::Add1Full] {
            let rule = Rule::Mes(Mes { completion, ..Mes::default() });
            let out = run(&e, &rule, &TieBreak::default()).unwrap();
            let an = analyse(&e, &out).unwrap();
            prop_assert!(an.ejr_violations.is_empty(), "{completion:?}: {:?}", an.ejr_violations);
        }
    }

    #[test]
    fn writing_then_reading_gives_the_same_election(
        names in prop::collection::vec("[a-z;\" ,]{0,8}", 1..5),
        costs in prop::collection::vec((0i128..100_000, 0u32..3), 1..5),
        crlf in any::<bool>(),
        ages in prop::collection::vec("[0-9]{0,2}", 0..6),
    ) {
        let m = names.len().min(costs.len());
        let projects: Vec<Project> = (0..m).map(|j| Project {
            id: ProjectId(format!("{j}")),
            cost: Decimal::new(costs[j].0, costs[j].1).unwrap(),
            selected: Some(j % 2 == 0),
            fields: BTreeMap::from([("name".to_owned(), names[j].clone())]),
        }).collect();
        let ballots: Vec<Ballot> = ages.iter().enumerate().map(|(i, a)| Ballot {
            voter_id: format!("v{i}"),
            vote: (0..m).filter(|j| (i + j) % 2 == 0).map(|j| ProjectId(format!("{j}"))).collect(),
            points: None,
            fields: BTreeMap::from([("age".to_owned(), a.clone())]),
        }).collect();
        let e = Election {
            meta: vec![
                MetaEntry { key: "budget".into(), value: "1000.5".into() },
                MetaEntry { key: "description".into(), value: "a;b \"c\"".into() },
            ],
            project_columns: vec!["project_id".into(), "cost".into(), "name".into(), "selected".into()],
            projects,
            vote_columns: vec!["voter_id".into(), "vote".into(), "age".into()],
            ballots,
            line_ending: if crlf { LineEnding::CrLf } else { LineEnding::Lf },
        };
        let text = e.to_pb();
        let back = Election::parse(&text).unwrap();
        prop_assert_eq!(&back, &e);
        prop_assert_eq!(back.to_pb(), text);
    }
}
