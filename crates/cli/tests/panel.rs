//! `kompas panel`: reproduces the published minimum on example_small_20 and reports bad input.

use std::process::Command;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/sortition");

fn kompas(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kompas"))
        .arg("panel")
        .args(args)
        .output()
        .expect("run kompas")
}

fn small(extra: &[&str]) -> std::process::Output {
    let quotas = format!("{DATA}/example_small_20/categories.csv");
    let pool = format!("{DATA}/example_small_20/respondents.csv");
    let mut args = vec!["--quotas", &quotas, "--pool", &pool, "--size", "20"];
    args.extend_from_slice(extra);
    kompas(&args)
}

#[test]
fn leximin_json_reproduces_published_minimum() {
    let out = small(&["--algorithm", "leximin", "--seed", "7"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let min = v["min_probability"].as_f64().unwrap();
    assert!((min - 0.10).abs() < 5e-4, "{min}");
    assert!(v["gini"].as_f64().unwrap() < 1e-3);
    assert!((v["geometric_mean"].as_f64().unwrap() - 0.10).abs() < 5e-4);
    let probs = v["probabilities"].as_object().unwrap();
    assert_eq!(probs.len(), 200);
    assert!(probs.contains_key("1") && probs.contains_key("200"));
    let panels = v["panels"].as_array().unwrap();
    let total: f64 = panels
        .iter()
        .map(|p| p["probability"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-6);
    assert!(
        panels
            .iter()
            .all(|p| p["members"].as_array().unwrap().len() == 20)
    );
    assert_eq!(v["drawn"].as_array().unwrap().len(), 20);
    // Same seed, same output.
    let again = small(&["--algorithm", "leximin", "--seed", "7"]);
    assert_eq!(out.stdout, again.stdout);
}

#[test]
fn tickets_and_csv() {
    let out = small(&[
        "--algorithm",
        "leximin",
        "--tickets",
        "100",
        "--format",
        "csv",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id,probability,drawn"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 200);
    assert_eq!(rows.iter().filter(|r| r.ends_with(",1")).count(), 20);
    let json = small(&["--tickets", "100"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["tickets"].as_u64(), Some(100));
    assert_eq!(v["panels"].as_array().unwrap().len(), 100);
    assert_eq!(v["ticket_bound"].as_f64(), Some(0.2));
    assert!(v["ticket_max_deviation"].as_f64().unwrap() < 0.2);
    // Beck–Fiala alone, and a bad search time.
    let plain = small(&["--tickets", "100", "--ticket-search", "0"]);
    let v: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(v["ticket_method"].as_str(), Some("beck-fiala"));
    assert!(v["ticket_max_deviation"].as_f64().unwrap() < 0.2);
    let bad = small(&["--tickets", "100", "--ticket-search", "-1"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--ticket-search -1"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn ids_come_from_the_id_column_and_households_apply() {
    let dir = std::env::temp_dir().join(format!("kompas-panel-ids-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let q = dir.join("q.csv");
    std::fs::write(&q, "category,feature,min,max\ngender,f,1,1\ngender,m,1,1\n").unwrap();
    let p = dir.join("p.csv");
    std::fs::write(&p, "code,gender,street\nA1,f,x\nB2,m,x\nC3,f,y\nD4,m,z\n").unwrap();
    let (q, p) = (q.to_str().unwrap(), p.to_str().unwrap());
    let out = kompas(&[
        "--quotas",
        q,
        "--pool",
        p,
        "--size",
        "2",
        "--id-column",
        "code",
        "--household",
        "street",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let probs = v["probabilities"].as_object().unwrap();
    assert_eq!(probs.keys().collect::<Vec<_>>(), ["A1", "B2", "C3", "D4"]);
    for panel in v["panels"].as_array().unwrap() {
        let m: Vec<&str> = panel["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert!(!(m.contains(&"A1") && m.contains(&"B2")), "{m:?}");
    }
    let legacy = kompas(&[
        "--quotas",
        q,
        "--pool",
        p,
        "--size",
        "2",
        "--id-column",
        "code",
        "--algorithm",
        "legacy",
    ]);
    assert!(
        legacy.status.success(),
        "{}",
        String::from_utf8_lossy(&legacy.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&legacy.stdout).unwrap();
    assert!(v["min_probability_upper_bound"].as_f64().is_some());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_input_exits_2_naming_the_problem() {
    let quotas = format!("{DATA}/example_small_20/categories.csv");
    let pool = format!("{DATA}/example_small_20/respondents.csv");
    let out = kompas(&["--quotas", &quotas, "--pool", &pool, "--size", "500"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("panel size 500") && err.contains("pool of 200"),
        "{err}"
    );
    // A quota file whose values do not match the pool.
    let dir = std::env::temp_dir().join(format!("kompas-panel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let q = dir.join("q.csv");
    std::fs::write(
        &q,
        "category,feature,min,max\ngender,female,9,20\ngender,male,9,20\n",
    )
    .unwrap();
    let p = dir.join("p.csv");
    std::fs::write(&p, "gender\nfemale\nmale\nother\n").unwrap();
    let out = kompas(&[
        "--quotas",
        q.to_str().unwrap(),
        "--pool",
        p.to_str().unwrap(),
        "--size",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 4") && err.contains("`other`"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
