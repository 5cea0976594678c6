//! Bad input gives an error naming the row and cell (or line and column), never a panic.

use kompas_value::{
    Alternative, ComparisonMatrix, Criterion, Direction, Error, Method, Profile, aggregate,
    weighted_sum, whose_voice,
};

#[track_caller]
fn ahp_err(csv: &str) -> String {
    ComparisonMatrix::parse_csv(csv)
        .expect_err("matrix must be rejected")
        .to_string()
}

#[track_caller]
fn ballots_err(csv: &str, options: Option<&[String]>) -> String {
    Profile::parse_csv(csv, options)
        .expect_err("ballots must be rejected")
        .to_string()
}

#[test]
fn non_reciprocal_matrix_names_row_and_cell() {
    let e = ahp_err(",a,b,c\na,1,3,5\nb,1/3,1,2\nc,1/5,1,1\n");
    assert_eq!(
        e,
        "ahp matrix row 2 (b), column 3 (c): judgment 2 is not reciprocal to 1 in row 3, column 2: expected 1"
    );
}

#[test]
fn zero_and_negative_judgments_name_row_and_cell() {
    assert_eq!(
        ahp_err(",a,b\na,1,0\nb,1,1\n"),
        "ahp matrix row 1 (a), column 2 (b): judgment 0 is invalid: expected a finite number > 0"
    );
    assert_eq!(
        ahp_err(",a,b\na,1,2\nb,-0.5,1\n"),
        "ahp matrix row 2 (b), column 1 (a): judgment -0.5 is invalid: expected a finite number > 0"
    );
    assert_eq!(
        ahp_err(",a,b\na,1,x\nb,1,1\n"),
        "ahp matrix row 1 (a), column 2 (b): \"x\" is not a number: expected a positive number or a fraction like 1/3"
    );
    assert!(ahp_err(",a,b\na,1,1/0\nb,1,1\n").contains("judgment inf is invalid"));
    assert_eq!(
        ahp_err(",a,b\na,1,1e12\nb,1e-12,1\n"),
        "ahp matrix row 1 (a), column 2 (b): judgment 1000000000000 is out of range: expected a number from 1e-9 to 1e9"
    );
}

#[test]
fn malformed_matrices_are_rejected() {
    assert_eq!(
        ahp_err(",a,b\na,2,1\nb,1,1\n"),
        "ahp matrix row 1 (a), column 1: judgment 2 is invalid: expected 1 on the diagonal"
    );
    assert_eq!(
        ahp_err(",a,b\na,1,1\nb,1\n"),
        "ahp matrix row 2: 1 judgment(s) given: expected 2"
    );
    assert_eq!(
        ahp_err(",a,b\nb,1,1\na,1,1\n"),
        "ahp matrix row 1: name \"b\" does not match column 1 of the header: expected \"a\""
    );
    assert!(ahp_err(",a,b\na,1,1\n").contains("expected 2"));
    assert!(ahp_err("").contains("expected at least 1"));
    // Deserialising checks too.
    let bad = r#"{"names":["a","b"],"a":[[1.0,2.0],[2.0,1.0]]}"#;
    assert!(serde_json::from_str::<ComparisonMatrix>(bad).is_err());
}

#[test]
fn unknown_and_repeated_options_name_line_and_column() {
    let opts: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
    assert_eq!(
        ballots_err("count,ranking\n2,A>B>C\n3,A>D\n", Some(&opts)),
        "ballots line 3, column ranking: option \"D\" is unknown: expected one of A, B, C"
    );
    assert_eq!(
        ballots_err("count,ranking\n2,A>B=A\n", None),
        "ballots line 2, column ranking: option \"A\" is repeated: expected each option at most once"
    );
    assert_eq!(
        ballots_err("count,ranking\n2,A>>B\n", None),
        "ballots line 2, column ranking: \"A>>B\" is invalid: expected options separated by '>' (preference) or '=' (tie)"
    );
    assert_eq!(
        ballots_err("count,ranking\n0,A>B\n", None),
        "ballots line 2, column count: \"0\" is invalid: expected a positive integer"
    );
    assert_eq!(
        ballots_err("count,ranking\n-1,A>B\n", None),
        "ballots line 2, column count: \"-1\" is invalid: expected a positive integer"
    );
    assert_eq!(
        ballots_err("votes,ranking\n1,A\n", None),
        "ballots header: column \"count\" is missing: expected columns count,ranking and optionally group"
    );
    assert!(ballots_err("count,ranking\n", None).contains("expected at least 1"));
}

#[test]
fn vote_totals_that_overflow_are_rejected() {
    let csv = format!("count,ranking\n{},A>B\n1,B>A\n", u64::MAX);
    assert_eq!(
        ballots_err(&csv, None),
        "ballots line 3: vote totals overflow: expected totals below 2^64"
    );
}

#[test]
fn kemeny_refuses_more_than_eight_options() {
    let csv = "count,ranking\n1,A>B>C>D>E>F>G>H>I\n";
    let p = Profile::parse_csv(csv, None).expect("valid");
    let err = aggregate(&p, Method::Kemeny).expect_err("too many");
    assert_eq!(
        err.to_string(),
        "kemeny: 9 options given: expected at most 8 for an exact answer"
    );
    // The other methods take any number.
    assert!(aggregate(&p, Method::Schulze).is_ok());
}

#[test]
fn whose_voice_rejects_an_unknown_choice() {
    let p = Profile::parse_csv("count,ranking,group\n1,A>B,x\n", None).expect("valid");
    assert_eq!(
        whose_voice(&p, "C").expect_err("unknown").to_string(),
        "chosen option \"C\" is unknown: expected one of A, B"
    );
}

#[test]
fn weighted_sum_names_alternative_and_criterion() {
    let c = [Criterion {
        name: "users".into(),
        weight: kompas_core::Weight::ONE,
        direction: Direction::Benefit,
    }];
    let err = weighted_sum(
        &c,
        &[Alternative {
            name: "hall".into(),
            values: vec![f64::NAN],
        }],
    )
    .expect_err("nan");
    assert_eq!(
        err.to_string(),
        "weighted sum: alternative \"hall\", criterion \"users\": value NaN is invalid: expected a finite number"
    );
    let zero = [Criterion {
        weight: kompas_core::Weight::ZERO,
        ..c[0].clone()
    }];
    assert_eq!(
        weighted_sum(&zero, &[]).expect_err("zero"),
        Error::ZeroWeights
    );
}

#[test]
fn synthesis_checks_its_inputs() {
    let crit =
        kompas_value::ahp(&ComparisonMatrix::parse_csv(",x,y\nx,1,2\ny,1/2,1\n").expect("valid"));
    let ab =
        kompas_value::ahp(&ComparisonMatrix::parse_csv(",a,b\na,1,3\nb,1/3,1\n").expect("valid"));
    let ac =
        kompas_value::ahp(&ComparisonMatrix::parse_csv(",a,c\na,1,3\nc,1/3,1\n").expect("valid"));
    assert_eq!(
        kompas_value::synthesise(&crit, std::slice::from_ref(&ab))
            .expect_err("one missing")
            .to_string(),
        "ahp synthesis: 1 local result(s) given: expected one per criterion (2)"
    );
    assert_eq!(
        kompas_value::synthesise(&crit, &[ab.clone(), ac])
            .expect_err("mismatch")
            .to_string(),
        "ahp synthesis: local result 2 (criterion y) compares a, c: expected a, b"
    );
    let ok = kompas_value::synthesise(&crit, &[ab.clone(), ab]).expect("valid");
    assert!((ok[0].1 - 0.75).abs() < 1e-12);
}
