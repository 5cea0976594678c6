//! Reading, writing and validating real and malformed `.pb` files.

use kompas_budget::{Election, Error, VoteType};

const FILES: [&str; 7] = [
    "Netherlands_Assen_2024.pb",
    "Poland_Krakow_2023_Nowa_Huta.pb",
    "Poland_Swiecie_2023.pb",
    "Poland_Warszawa_2023_Mokotow.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "Switzerland_Zurich_D10.pb",
    "Switzerland_Zurich_S5R.pb",
];

fn read(name: &str) -> String {
    let path = format!(
        "{}/../../testdata/pabulib/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn real_files_round_trip_byte_for_byte() {
    for name in FILES {
        let text = read(name);
        let e = Election::parse(&text).unwrap_or_else(|err| panic!("{name}: {err}"));
        let mut out = e.to_pb();
        // Wieliczka mixes `\r\n` with one bare `\n`; compare it with line endings normalised.
        let text = if name.contains("Wieliczka") {
            out = out.replace("\r\n", "\n");
            text.replace("\r\n", "\n")
        } else {
            text
        };
        if out != text {
            let at = out
                .bytes()
                .zip(text.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            let lo = at.saturating_sub(60);
            panic!(
                "{name}: first difference at byte {at}: wrote {:?}, read {:?}",
                &out[lo..(at + 40).min(out.len())],
                &text[lo..(at + 40).min(text.len())]
            );
        }
        assert_eq!(Election::parse(&e.to_pb()).unwrap(), e, "{name}");
        assert_eq!(Election::parse(&out).unwrap().ballots, e.ballots, "{name}");
    }
}

#[test]
fn real_files_have_expected_shape() {
    let e = Election::parse(&read("Poland_Krakow_2023_Nowa_Huta.pb")).unwrap();
    assert_eq!(e.vote_type().unwrap(), VoteType::Ordinal);
    assert_eq!(e.budget().unwrap().to_string(), "2458488.22");
    assert_eq!(e.projects.len(), 50);
    assert_eq!(e.ballots.len(), 7520);
    assert_eq!(e.ballots[0].fields["sex"], "M");
    let z = Election::parse(&read("Switzerland_Zurich_D10.pb")).unwrap();
    assert_eq!(z.vote_type().unwrap(), VoteType::Cumulative);
    assert_eq!(z.ballots[0].points.as_ref().unwrap().len(), 3);
    let w = Election::parse(&read("Poland_Wieliczka_2023_Green_Budget.pb")).unwrap();
    let p = w.projects.iter().find(|p| p.id.as_str() == "80").unwrap();
    assert_eq!(
        p.fields["name"],
        "Drzewne przytulasy i relaksacyjne gniazda w Parku \"Stok pod Baranem\""
    );
}

const GOOD: &str = "META\nkey;value\nnum_projects;2\nnum_votes;2\nbudget;10\nvote_type;approval\nmax_length;2\n\
PROJECTS\nproject_id;cost\na;6\nb;5\nVOTES\nvoter_id;vote\nv1;a,b\nv2;b\n";

#[track_caller]
fn check_err(text: &str, line: usize, needle: &str) {
    match Election::parse(text) {
        Err(err @ Error::Format { .. }) => {
            let msg = err.to_string();
            assert!(msg.starts_with(&format!("line {line}")), "{msg}");
            assert!(msg.contains(needle), "{msg}");
        }
        other => panic!("expected a format error, got {other:?}"),
    }
}

#[test]
fn good_text_parses() {
    let e = Election::parse(GOOD).unwrap();
    assert_eq!(e.ballots.len(), 2);
    assert!(e.validate().is_ok());
}

#[test]
fn bad_input_names_the_line() {
    check_err(&GOOD.replace("b;5", "b;-5"), 11, "negative cost");
    check_err(&GOOD.replace("budget;10\n", ""), 1, "missing `budget`");
    check_err(&GOOD.replace("v2;b", "v2;c"), 15, "unknown project `c`");
    check_err(&GOOD.replace("v2;b", "v1;b"), 15, "duplicate voter_id");
    check_err(&GOOD.replace("v2;b", "v2;b;x"), 15, "expected 2 fields");
    check_err(
        &GOOD.replace("PROJECTS\n", "PROJECTZ\n"),
        8,
        "expected 2 fields",
    );
    check_err(
        &GOOD.replace("num_votes;2", "num_votes;3"),
        4,
        "num_votes is 3",
    );
    check_err(
        &GOOD.replace("max_length;2", "max_length;1"),
        14,
        "more than max_length 1",
    );
    check_err(
        &GOOD
            .replace("a;6\n", "a;6\na;7\n")
            .replace("num_projects;2", "num_projects;3"),
        11,
        "duplicate project_id",
    );
    check_err(&GOOD.replace("b;5", "b;5x"), 11, "not a decimal");
    check_err("PROJECTS\nproject_id;cost\n", 3, "missing section META");
    check_err(&GOOD.replace("v2;b", "v2;\"b"), 15, "unterminated");
    let cumulative = "META\nkey;value\nbudget;10\nvote_type;cumulative\nmax_sum_points;5\n\
PROJECTS\nproject_id;cost\na;6\nb;5\nVOTES\nvoter_id;vote;points\nv1;a,b;3,3\n";
    check_err(cumulative, 12, "max_sum_points");
    check_err(
        &cumulative.replace("3,3", "3"),
        12,
        "1 points for 2 projects",
    );
}
