//! Panel inputs and bad input: both formats, households, and errors naming the row and value.

use kompas_cocreation::panel::{
    Algorithm, Error, Instance, ParseOptions, QuotaFormat, Selection, TicketMethod, TicketOptions,
    check_quotas, replace, select,
};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/sortition");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const QUOTAS: &str =
    "category,feature,min,max\ngender,f,1,2\ngender,m,1,2\nage,young,1,2\nage,old,1,2\n";

#[test]
fn sortition_foundation_format_reads_the_scotland_fixture() {
    let inst = Instance::parse(
        &read("sa_fixture_scotland/features.csv"),
        &read("sa_fixture_scotland/candidates.csv"),
        &ParseOptions::default(),
    )
    .unwrap();
    assert_eq!(inst.format(), QuotaFormat::SortitionFoundation);
    assert_eq!(inst.len(), 150);
    assert_eq!(inst.id(0), Some("p0"));
    assert_eq!(inst.categories().len(), 4);
    let gender = &inst.categories()[0];
    assert_eq!(gender.values[0].max_flex, Some(12));
    let lottery = select(&inst, &Selection::new(22, Algorithm::Maximin), &mut |_| {}).unwrap();
    assert!(lottery.min_probability() > 0.0);
    for p in lottery.panels() {
        assert!(inst.is_valid_panel(&p.members, 22));
    }
}

#[test]
fn unknown_value_names_line_column_and_value() {
    let pool = "gender,age\nf,young\nm,middle\n";
    let err = Instance::parse(QUOTAS, pool, &ParseOptions::default()).unwrap_err();
    assert!(
        matches!(err, Error::UnknownValue { line: 3, .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("line 3") && msg.contains("`middle`") && msg.contains("`age`"),
        "{msg}"
    );
}

#[test]
fn duplicate_ids_name_both_lines() {
    let pool = "id,gender,age\na,f,young\nb,m,old\na,m,young\n";
    let err = Instance::parse(QUOTAS, pool, &ParseOptions::default().id_column("id")).unwrap_err();
    assert_eq!(
        err,
        Error::DuplicateId {
            id: "a".into(),
            first_line: 2,
            line: 4
        }
    );
    assert!(err.to_string().contains("duplicate id `a`"));
}

#[test]
fn missing_category_column_is_named() {
    let err = Instance::parse(QUOTAS, "gender\nf\n", &ParseOptions::default()).unwrap_err();
    assert!(err.to_string().contains("missing column `age`"), "{err}");
}

#[test]
fn bad_quota_numbers_name_line_and_column() {
    let quotas = "category,feature,min,max\ngender,f,1,x\n";
    let err = Instance::parse(quotas, "gender\nf\n", &ParseOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("line 2: column `max`: `x`"),
        "{err}"
    );
    let quotas = "category,feature,min,max\ngender,f,3,1\n";
    let err = Instance::parse(quotas, "gender\nf\n", &ParseOptions::default()).unwrap_err();
    assert!(err.to_string().contains("below min 3"), "{err}");
}

#[test]
fn panel_size_larger_than_pool_is_an_error() {
    let inst = Instance::parse(
        QUOTAS,
        "gender,age\nf,young\nm,old\n",
        &ParseOptions::default(),
    )
    .unwrap();
    let err = select(&inst, &Selection::new(3, Algorithm::Leximin), &mut |_| {}).unwrap_err();
    assert_eq!(err, Error::PanelSize { size: 3, pool: 2 });
    assert!(err.to_string().contains("panel size 3"));
}

#[test]
fn impossible_quotas_report_the_value_and_a_minimal_relaxation() {
    // Two women needed, only one in the pool.
    let quotas = "category,feature,min,max\ngender,f,2,2\ngender,m,0,2\n";
    let pool = "gender\nf\nm\nm\nm\n";
    let inst = Instance::parse(quotas, pool, &ParseOptions::default()).unwrap();
    let err = check_quotas(&inst, 2).unwrap_err();
    let Error::Infeasible { report } = &err else {
        panic!("expected infeasible, got {err:?}");
    };
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("`gender` = `f`: min 2 but only 1"))
    );
    let relax = report.relaxation.as_ref().unwrap();
    assert_eq!(relax.len(), 1);
    assert_eq!(
        (relax[0].value.as_str(), relax[0].new_min, relax[0].new_max),
        ("f", 1, 2)
    );
    assert!(
        err.to_string()
            .contains("suggested relaxation: gender = f: 2..2 -> 1..2"),
        "{err}"
    );
    // select reports the same.
    let err = select(&inst, &Selection::new(2, Algorithm::Leximin), &mut |_| {}).unwrap_err();
    assert!(matches!(err, Error::Infeasible { .. }));
}

#[test]
fn relaxation_stays_within_flex_bounds() {
    let quotas = "feature,value,min,max,min_flex,max_flex\ngender,f,2,2,2,2\ngender,m,0,2,0,2\n";
    let pool = "id,gender\n1,f\n2,m\n3,m\n";
    let inst = Instance::parse(quotas, pool, &ParseOptions::default()).unwrap();
    let Error::Infeasible { report } = check_quotas(&inst, 2).unwrap_err() else {
        panic!("expected infeasible");
    };
    assert_eq!(report.relaxation, None);
}

#[test]
fn households_allow_at_most_one_member() {
    let quotas = "category,feature,min,max\ngender,f,1,1\ngender,m,1,1\n";
    // f1 and m1 share an address; f2 lives alone.
    let pool = "gender,street\nf,A\nm,A\nf,B\nm,C\n";
    let options = ParseOptions::default().household(["street"]);
    let inst = Instance::parse(quotas, pool, &options).unwrap();
    let lottery = select(&inst, &Selection::new(2, Algorithm::Leximin), &mut |_| {}).unwrap();
    for p in lottery.panels() {
        assert!(
            !(p.members.contains(&0) && p.members.contains(&1)),
            "{:?}",
            p.members
        );
    }
    // Without the rule, everyone can reach 1/2; with it, LEXIMIN still gives 1/2 to all.
    assert!((lottery.min_probability() - 0.5).abs() < 1e-6);
}

#[test]
fn replacement_keeps_quotas_and_the_rest_of_the_panel() {
    let inst = Instance::parse(
        &read("example_small_20/categories.csv"),
        &read("example_small_20/respondents.csv"),
        &ParseOptions::default(),
    )
    .unwrap();
    let lottery = select(&inst, &Selection::new(20, Algorithm::Leximin), &mut |_| {}).unwrap();
    let panel = lottery.draw(3);
    let dropouts = [panel[0], panel[5]];
    let refilled = replace(&inst, &panel, &dropouts, 11).unwrap();
    assert!(inst.is_valid_panel(&refilled, 20));
    for p in &panel {
        assert_eq!(refilled.contains(p), !dropouts.contains(p));
    }
    assert_eq!(replace(&inst, &panel, &dropouts, 11).unwrap(), refilled);
    let outsider = (0..inst.len()).find(|p| !panel.contains(p)).unwrap();
    let err = replace(&inst, &panel, &[outsider], 1).unwrap_err();
    assert!(err.to_string().contains("is not on the panel"), "{err}");
}

#[test]
fn tickets_keep_marginals_within_the_reported_deviation() {
    let inst = Instance::parse(
        &read("example_small_20/categories.csv"),
        &read("example_small_20/respondents.csv"),
        &ParseOptions::default(),
    )
    .unwrap();
    let lottery = select(&inst, &Selection::new(20, Algorithm::Leximin), &mut |_| {}).unwrap();
    let tickets = lottery.tickets(1000).unwrap();
    assert_eq!(tickets.panels.len(), 1000);
    let mut hits = vec![0usize; inst.len()];
    for t in &tickets.panels {
        assert!(inst.is_valid_panel(t, 20));
        for &m in t {
            hits[m] += 1;
        }
    }
    let worst = hits
        .iter()
        .zip(lottery.probabilities())
        .map(|(&h, &p)| (h as f64 / 1000.0 - p).abs())
        .fold(0.0, f64::max);
    assert!((worst - tickets.max_deviation).abs() < 1e-12);
    assert!(worst <= 2.0 / 1000.0, "{worst}");
    assert!((tickets.bound - 20.0 / 1000.0).abs() < 1e-15);
    assert_eq!(tickets.draw(5), tickets.draw(5));
    assert!(matches!(lottery.tickets(0), Err(Error::Option { .. })));
    // The Beck–Fiala rounding alone: every ticket a panel of the lottery, the guarantee k/M,
    // and the kept rounding never worse than it.
    let plain = lottery
        .tickets_with(1000, &TicketOptions { search: None })
        .unwrap();
    assert_eq!(plain.method, TicketMethod::BeckFiala);
    assert_eq!(plain.panels.len(), 1000);
    for t in &plain.panels {
        assert!(lottery.panels().iter().any(|p| &p.members == t), "{t:?}");
    }
    assert!(plain.max_deviation < plain.bound, "{}", plain.max_deviation);
    assert!(tickets.max_deviation <= plain.max_deviation);
}

#[test]
fn nash_is_at_least_as_good_as_leximin_in_log_welfare() {
    let inst = Instance::parse(
        &read("example_small_20/categories.csv"),
        &read("example_small_20/respondents.csv"),
        &ParseOptions::default(),
    )
    .unwrap();
    let nash = select(&inst, &Selection::new(20, Algorithm::Nash), &mut |_| {}).unwrap();
    let lex = select(&inst, &Selection::new(20, Algorithm::Leximin), &mut |_| {}).unwrap();
    let welfare = |p: &[f64]| p.iter().map(|x| x.ln()).sum::<f64>();
    assert!(welfare(nash.probabilities()) >= welfare(lex.probabilities()) - 1e-3);
    assert!(lex.min_probability() >= nash.min_probability() - 1e-6);
}
