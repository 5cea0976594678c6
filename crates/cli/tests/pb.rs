//! `kompas pb`: the CLI contract on real Pabulib files.

use std::process::Command;

fn data(name: &str) -> String {
    format!(
        "{}/../../testdata/pabulib/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn kompas(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kompas"))
        .args(args)
        .output()
        .expect("kompas runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn published(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(data(name)).unwrap();
    let e = kompas_budget::Election::parse(&text).unwrap();
    let mut v: Vec<String> = e
        .projects
        .iter()
        .filter(|p| p.selected == Some(true))
        .map(|p| p.id.to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn text_lists_the_funded_ids_of_assen() {
    let f = data("Netherlands_Assen_2024.pb");
    let (code, out, err) = kompas(&["pb", &f, "--rule", "mes", "--completion", "add1"]);
    assert_eq!(code, 0, "{err}");
    let mut ids: Vec<String> = out.lines().map(str::to_owned).collect();
    ids.sort();
    assert_eq!(ids, published("Netherlands_Assen_2024.pb"));
}

#[test]
fn json_carries_costs_votes_satisfaction_runs_and_endowment() {
    let f = data("Poland_Swiecie_2023.pb");
    let (code, out, err) = kompas(&[
        "pb",
        &f,
        "--rule",
        "mes",
        "--completion",
        "add1-full",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let funded = v["funded"].as_array().unwrap();
    assert_eq!(funded.len(), 17);
    assert!(
        funded
            .iter()
            .all(|p| p["cost"].is_string() && p["votes"].as_u64().unwrap() > 0)
    );
    assert!(v["mes_runs"].as_u64().unwrap() > 1);
    assert!(v["endowment"]["approx"].as_f64().unwrap() > 1_070_000.0 / 2553.0);
    let share = v["satisfaction"]["share_without_funded"].as_f64().unwrap();
    assert!((0.0..1.0).contains(&share));
    assert!(
        v["satisfaction"]["gini_cost_satisfaction"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert!(v["ejr_violations"].as_array().unwrap().is_empty());
    assert_eq!(v["unfunded"].as_array().unwrap().len(), 22 - 17);
}

#[test]
fn pb_format_writes_the_file_back_with_selected() {
    let f = data("Poland_Krakow_2023_Nowa_Huta.pb");
    let (code, out, err) = kompas(&["pb", &f, "--rule", "greedy", "--format", "pb"]);
    assert_eq!(code, 0, "{err}");
    // Greedy by ordinal score reproduces the published outcome, so the file comes back as it was.
    assert_eq!(out, std::fs::read_to_string(&f).unwrap());
}

#[test]
fn refuse_reports_the_tied_projects() {
    let f = data("Netherlands_Assen_2024.pb");
    let (code, _, err) = kompas(&[
        "pb",
        &f,
        "--rule",
        "mes",
        "--completion",
        "add1",
        "--tie-break",
        "refuse",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("tie between projects"), "{err}");
}

#[test]
fn bad_input_names_the_line() {
    let dir = std::env::temp_dir().join(format!("kompas-pb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bad.pb");
    std::fs::write(
        &f,
        "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\n1;b\n",
    )
    .unwrap();
    let (code, _, err) = kompas(&["pb", f.to_str().unwrap(), "--rule", "greedy"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("line 9") && err.contains("unknown project `b`"),
        "{err}"
    );
    let (code, _, err) = kompas(&[
        "pb",
        &data("Netherlands_Assen_2024.pb"),
        "--rule",
        "greedy",
        "--tie-break",
        "cheapest",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("tie-break key `cheapest`"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn other_rules_run() {
    let f = data("Netherlands_Assen_2024.pb");
    for rule in ["phragmen", "utilitarian", "greedy"] {
        let (code, out, err) = kompas(&["pb", &f, "--rule", rule]);
        assert_eq!(code, 0, "{rule}: {err}");
        assert!(!out.trim().is_empty(), "{rule}");
    }
    let (code, _, err) = kompas(&["pb", &f, "--rule", "greedy", "--completion", "add1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--rule mes only"), "{err}");
}
