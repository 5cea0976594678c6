//! Reference checks: real elections reproduce their published `selected` column.
//!
//! | file | META rule | reproduced by |
//! |---|---|---|
//! | Assen 2024 | equalshares/add1 | MES + `add1` and MES + `add1-full` (both agree) |
//! | Świecie 2023 | equalshares/add1 | MES + `add1` and MES + `add1-full` (both agree) |
//! | Wieliczka 2023 | equalshares/add1-comparison | MES + `add1-full` (+ comparison: MES kept); `add1` gives 31 projects, as pabutools does |
//! | Warsaw Mokotów 2023 | greedy | greedy by votes |
//! | Kraków Nowa Huta 2023 | greedy | greedy by ordinal score (3/2/1) |

use kompas_budget::{
    Comparison, Completion, Election, Greedy, GreedyMeasure, Kept, Mes, Outcome, ProjectId, Rule,
    TieBreak, run,
};

fn load(name: &str) -> Election {
    let path = format!(
        "{}/../../testdata/pabulib/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Election::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn published(e: &Election) -> Vec<ProjectId> {
    let mut v: Vec<ProjectId> = e
        .projects
        .iter()
        .filter(|p| p.selected == Some(true))
        .map(|p| p.id.clone())
        .collect();
    v.sort();
    v
}

fn sorted(o: &Outcome) -> Vec<ProjectId> {
    let mut v = o.funded.clone();
    v.sort();
    v
}

fn mes(completion: Completion) -> Rule {
    Rule::Mes(Mes {
        completion,
        ..Mes::default()
    })
}

#[track_caller]
fn check(name: &str, rule: Rule) -> Outcome {
    let e = load(name);
    let out = run(&e, &rule, &TieBreak::default()).unwrap();
    assert!(!published(&e).is_empty());
    assert_eq!(sorted(&out), published(&e), "{name} with {rule:?}");
    assert!(out.total_cost.cmp_value(&e.budget().unwrap()).is_le());
    out
}

#[test]
fn assen_reproduces_with_both_add1_stop_rules() {
    let a = check("Netherlands_Assen_2024.pb", mes(Completion::Add1));
    let f = check("Netherlands_Assen_2024.pb", mes(Completion::Add1Full));
    assert_eq!(a.funded.len(), 9);
    assert!(a.mes_runs > 1 && f.mes_runs >= a.mes_runs);
}

#[test]
fn assen_has_a_real_tie_that_refuse_reports() {
    let e = load("Netherlands_Assen_2024.pb");
    match run(&e, &mes(Completion::Add1), &TieBreak::Refuse) {
        Err(kompas_budget::Error::Tie { projects }) => assert!(projects.len() >= 2),
        other => panic!("expected a tie, got {other:?}"),
    }
}

#[test]
fn swiecie_reproduces_with_both_add1_stop_rules() {
    let a = check("Poland_Swiecie_2023.pb", mes(Completion::Add1));
    let f = check("Poland_Swiecie_2023.pb", mes(Completion::Add1Full));
    assert_eq!(a.funded.len(), 17);
    assert!(f.mes_runs > a.mes_runs);
}

#[test]
fn wieliczka_reproduces_with_add1_full_and_the_comparison() {
    let f = check(
        "Poland_Wieliczka_2023_Green_Budget.pb",
        mes(Completion::Add1Full),
    );
    assert_eq!(f.funded.len(), 30);
    let c = check(
        "Poland_Wieliczka_2023_Green_Budget.pb",
        Rule::Mes(Mes {
            completion: Completion::Add1Full,
            comparison: Comparison::Greedy,
            ..Mes::default()
        }),
    );
    let cmp = c.comparison.unwrap();
    assert_eq!(cmp.kept, Kept::Mes);
    assert!(cmp.prefer_mes > cmp.prefer_greedy);
    // The first-exhaustive stop rule stops earlier, with 31 projects (pabutools agrees).
    let e = load("Poland_Wieliczka_2023_Green_Budget.pb");
    let a = run(&e, &mes(Completion::Add1), &TieBreak::default()).unwrap();
    assert_eq!(a.funded.len(), 31);
    assert_ne!(sorted(&a), published(&e));
}

#[test]
fn mokotow_reproduces_with_greedy_by_votes() {
    let out = check(
        "Poland_Warszawa_2023_Mokotow.pb",
        Rule::Greedy(Greedy::default()),
    );
    assert_eq!(out.funded.len(), 24);
}

#[test]
fn krakow_nowa_huta_reproduces_with_greedy_by_ordinal_score() {
    let out = check(
        "Poland_Krakow_2023_Nowa_Huta.pb",
        Rule::Greedy(Greedy {
            measure: GreedyMeasure::Score,
            ..Greedy::default()
        }),
    );
    assert_eq!(out.funded.len(), 8);
}

/// MES with Add1 on Warsaw Mokotów: 54 projects (the figure). Slow in debug builds.
#[test]
#[cfg_attr(debug_assertions, ignore)]
fn mokotow_mes_add1_funds_54_projects() {
    let e = load("Poland_Warszawa_2023_Mokotow.pb");
    let out = run(&e, &mes(Completion::Add1), &TieBreak::default()).unwrap();
    assert_eq!(out.funded.len(), 54);
    assert!(out.total_cost.cmp_value(&e.budget().unwrap()).is_le());
    assert_eq!(out.exact_mes_runs, 0);
}
