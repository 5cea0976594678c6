//! Analysis: satisfaction figures, Gini, EJR+ up to one and loss reasons.

use kompas_budget::{Completion, Election, Greedy, LossKind, Mes, Rule, TieBreak, analyse, run};

const POLARISED: &str = "META\nkey;value\nbudget;10\n\
PROJECTS\nproject_id;cost\na;5\nb;5\nc;3\n\
VOTES\nvoter_id;vote\n1;a,b\n2;a,b\n3;a,b\n4;a,b\n5;a,b\n6;a,b\n7;c\n8;c\n9;c\n10;c\n";

#[test]
fn greedy_violates_ejr_and_mes_does_not() {
    let e = Election::parse(POLARISED).unwrap();
    let g = run(&e, &Rule::Greedy(Greedy::default()), &TieBreak::default()).unwrap();
    let ids: Vec<&str> = g.funded.iter().map(|p| p.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    let an = analyse(&e, &g).unwrap();
    assert_eq!(an.ejr_violations.len(), 1);
    let v = &an.ejr_violations[0];
    assert_eq!((v.project.as_str(), v.group_size), ("c", 4));
    assert_eq!(v.best_with_project.to_string(), "3");
    assert!((an.share_without_funded - 0.4).abs() < 1e-12);
    assert!((an.avg_funded_approved - 1.2).abs() < 1e-12);
    // Six voters at 10, four at 0: Gini = Σ|xi - xj| / (2 n² mean) = 2·24·10 / (2·100·6) = 0.4.
    assert!((an.gini_cost_satisfaction - 0.4).abs() < 1e-12);
    assert_eq!(an.voters[0].cost_satisfaction.to_string(), "10");
    assert_eq!(an.voters[9].funded_approved, 0);

    let m = run(&e, &Rule::Mes(Mes::default()), &TieBreak::default()).unwrap();
    let mut ids: Vec<&str> = m.funded.iter().map(|p| p.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["a", "c"]);
    assert!(analyse(&e, &m).unwrap().ejr_violations.is_empty());
}

#[test]
fn unfunded_projects_in_assen_have_reasons() {
    let path = format!(
        "{}/../../testdata/pabulib/Netherlands_Assen_2024.pb",
        env!("CARGO_MANIFEST_DIR")
    );
    let e = Election::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let rule = Rule::Mes(Mes {
        completion: Completion::Add1,
        ..Mes::default()
    });
    let out = run(&e, &rule, &TieBreak::default()).unwrap();
    let an = analyse(&e, &out).unwrap();
    assert_eq!(an.unfunded.len(), e.projects.len() - out.funded.len());
    for r in &an.unfunded {
        assert!(!out.funded.contains(&r.project));
        assert!(r.effective_support >= 0.0);
        if r.kind == LossKind::InsufficientSupport {
            assert!(r.effective_support < 100.0, "{r:?}");
        }
    }
    // sorted by effective support, highest first
    for w in an.unfunded.windows(2) {
        assert!(w[0].effective_support >= w[1].effective_support);
    }
    assert!(an.ejr_violations.is_empty());
    assert_eq!(an.voters.len(), 84);
}
