//! Reference checks: every case file under `testdata/value/` (format in its README), run by one
//! harness.

use std::path::{Path, PathBuf};

use kompas_value::{
    Ahp, CollectiveRanking, ComparisonMatrix, Consistency, Method, Profile, aggregate, ahp,
    synthesise,
};

fn dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/value")).to_path_buf()
}

fn files(ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("testdata/value exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

/// The lines of a case file: (key, rest), without comments and blank lines.
fn lines(path: &Path) -> Vec<(String, Vec<String>)> {
    std::fs::read_to_string(path)
        .expect("readable case file")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut it = l.split_whitespace().map(str::to_owned);
            let key = it.next().expect("a key");
            (key, it.collect())
        })
        .collect()
}

/// `A=B>C` as tiers.
fn tiers(s: &str) -> Vec<Vec<String>> {
    s.split('>')
        .map(|t| t.split('=').map(str::to_owned).collect())
        .collect()
}

fn method_of(key: &str) -> Option<Method> {
    key.split('.').next().and_then(|m| m.parse().ok())
}

#[track_caller]
fn check_case(path: &Path) -> usize {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    let ls = lines(path);
    let options: Vec<String> = ls
        .iter()
        .find(|(k, _)| k == "options")
        .map(|(_, r)| r.clone())
        .unwrap_or_else(|| panic!("{name}: no options line"));
    let mut profile = Profile::new(options.clone()).expect("valid options");
    for (i, (k, r)) in ls.iter().enumerate() {
        if k == "ballot" {
            let count: u64 = r[0].parse().expect("count");
            let ranking = r.get(1).map_or("", String::as_str);
            profile
                .push(count, ranking, None, i as u64 + 1)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    let d = profile.pairwise();
    let index = |o: &str| {
        options
            .iter()
            .position(|x| x == o)
            .unwrap_or_else(|| panic!("{name}: unknown option {o}"))
    };
    let mut results: std::collections::BTreeMap<Method, CollectiveRanking> = Default::default();
    let mut checks = 0;
    for (k, r) in &ls {
        match k.as_str() {
            "options" | "ballot" => {}
            "d" => {
                let x = index(&r[0]);
                for (y, v) in r[1..].iter().enumerate() {
                    assert_eq!(
                        d.get(x, y),
                        v.parse::<u64>().expect("number"),
                        "{name}: d[{},{}]",
                        r[0],
                        options[y]
                    );
                    checks += 1;
                }
            }
            _ => {
                let method = method_of(k).unwrap_or_else(|| panic!("{name}: unknown key {k}"));
                let res = results
                    .entry(method)
                    .or_insert_with(|| aggregate(&profile, method).expect("aggregates"));
                match k.split_once('.').map(|(_, f)| f) {
                    Some("order") => assert_eq!(res.order, tiers(&r[0]), "{name}: {k}"),
                    Some("score") if method == Method::Kemeny => {
                        let got = res.kemeny.as_ref().expect("kemeny detail").score;
                        assert_eq!(got.to_string(), r[0], "{name}: {k}");
                    }
                    Some("score") => {
                        let want: i128 = r[1].parse().expect("score");
                        assert_eq!(res.scores.get(&r[0]), Some(&want), "{name}: {k} {}", r[0]);
                    }
                    Some("optimum") => {
                        let orders = &res.kemeny.as_ref().expect("kemeny detail").orders;
                        let want: Vec<String> = r[0].split('>').map(str::to_owned).collect();
                        assert!(
                            orders.contains(&want),
                            "{name}: {k} {} not in {orders:?}",
                            r[0]
                        );
                    }
                    Some("p") => {
                        let p = res.strongest_paths.as_ref().expect("strongest paths");
                        let x = index(&r[0]);
                        for (y, v) in r[1..].iter().enumerate() {
                            assert_eq!(
                                p[x][y],
                                v.parse::<u64>().expect("number"),
                                "{name}: p[{},{}]",
                                r[0],
                                options[y]
                            );
                        }
                    }
                    _ => panic!("{name}: unknown key {k}"),
                }
                checks += 1;
            }
        }
    }
    // Every optimum listed, and no other.
    let listed = ls.iter().filter(|(k, _)| k == "kemeny.optimum").count();
    if listed > 0 {
        let orders = &results[&Method::Kemeny]
            .kemeny
            .as_ref()
            .expect("detail")
            .orders;
        assert_eq!(orders.len(), listed, "{name}: number of kemeny optima");
    }
    checks
}

#[test]
fn ranking_reference_cases() {
    let cases = files("case");
    assert!(
        cases.len() >= 7,
        "expected the ranking cases, found {cases:?}"
    );
    for c in &cases {
        let checks = check_case(c);
        assert!(checks > 0, "{c:?} checked nothing");
    }
}

fn load_ahp(path: &Path) -> (Ahp, Vec<(String, Vec<String>)>) {
    let name = path.display().to_string();
    let ls = lines(path);
    let names = ls
        .iter()
        .find(|(k, _)| k == "names")
        .map(|(_, r)| r.clone())
        .unwrap_or_else(|| panic!("{name}: no names"));
    let mut csv = format!(",{}\n", names.join(","));
    for (k, r) in &ls {
        if k == "row" {
            csv.push_str(&r.join(","));
            csv.push('\n');
        }
    }
    let m = ComparisonMatrix::parse_csv(&csv).unwrap_or_else(|e| panic!("{name}: {e}"));
    (ahp(&m), ls)
}

fn tolerance(ls: &[(String, Vec<String>)]) -> f64 {
    ls.iter()
        .find(|(k, _)| k == "tolerance")
        .map_or(5e-4, |(_, r)| r[0].parse().expect("tolerance"))
        + 1e-9
}

#[track_caller]
fn close(name: &str, what: &str, got: f64, want: &str, tol: f64) {
    let want: f64 = want.parse().expect("number");
    assert!(
        (got - want).abs() <= tol,
        "{name}: {what} = {got}, published {want} (tolerance {tol})"
    );
}

#[test]
fn ahp_reference_cases() {
    let cases = files("ahp");
    assert!(cases.len() >= 6);
    let mut checked = 0;
    for path in &cases {
        let name = path.display().to_string();
        let (r, ls) = load_ahp(path);
        let tol = tolerance(&ls);
        assert!((r.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        for (k, v) in &ls {
            match k.as_str() {
                "names" | "row" | "tolerance" => continue,
                "weights" => {
                    assert_eq!(v.len(), r.weights.len(), "{name}: weights");
                    for (i, w) in v.iter().enumerate() {
                        close(&name, &format!("weight {i}"), r.weights[i], w, tol);
                    }
                }
                "lambda_max" => close(&name, k, r.lambda_max, &v[0], tol),
                "ci" => close(&name, k, r.consistency_index, &v[0], tol),
                "cr" => close(&name, k, r.consistency_ratio.expect("cr"), &v[0], tol),
                "consistency" => {
                    let want = match v[0].as_str() {
                        "acceptable" => Consistency::Acceptable,
                        "inconsistent" => Consistency::Inconsistent,
                        other => panic!("{name}: consistency {other}"),
                    };
                    assert_eq!(r.consistency, want, "{name}");
                    if want == Consistency::Inconsistent {
                        assert!(r.most_inconsistent_triad.is_some(), "{name}: triad named");
                    }
                }
                other => panic!("{name}: unknown key {other}"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} published figures checked");
}

#[test]
fn ahp_synthesis_reference_case() {
    for path in files("synthesis") {
        let name = path.display().to_string();
        let ls = lines(&path);
        let tol = tolerance(&ls);
        let criteria = ls
            .iter()
            .find(|(k, _)| k == "criteria")
            .map(|(_, r)| load_ahp(&dir().join(&r[0])).0)
            .expect("criteria");
        let local: Vec<Ahp> = ls
            .iter()
            .filter(|(k, _)| k == "local")
            .map(|(_, r)| load_ahp(&dir().join(&r[0])).0)
            .collect();
        let got = synthesise(&criteria, &local).unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = &ls
            .iter()
            .find(|(k, _)| k == "priorities")
            .expect("priorities")
            .1;
        assert_eq!(got.len(), want.len());
        for ((alt, g), w) in got.iter().zip(want) {
            close(&name, alt, *g, w, tol);
        }
    }
}
