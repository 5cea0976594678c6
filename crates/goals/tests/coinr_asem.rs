//! Reference check: COINr's standard ASEM pipeline ("build_example_coin") reproduces every
//! unit's score for every aggregate, the rank, the normalised indicators and the 15 winsorised
//! indicators; plus the pipeline with missing data and imputation off.

use kompas_core::Share;
use kompas_goals::{
    Coin, CsvText, Denomination, Detail, Imputation, IndexResult, LogEntry, Normalisation,
    Pipeline, Treatment, WinsoriseSpec,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/composite/");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{name}")).expect("testdata file")
}

fn coin() -> Coin {
    let data = read("ASEM_iData.csv");
    let meta = read("ASEM_iMeta.csv");
    Coin::from_csv(
        CsvText {
            name: "ASEM_iData.csv",
            text: &data,
        },
        CsvText {
            name: "ASEM_iMeta.csv",
            text: &meta,
        },
    )
    .expect("ASEM reads")
}

fn standard() -> Pipeline {
    Pipeline {
        denominate: Denomination::ByMeta,
        impute: Imputation::GroupMean {
            column: "EurAsia_group".into(),
        },
        screen: Some(Share::new(0.9).unwrap()),
        treat: Treatment::Winsorise(WinsoriseSpec::default()),
        ..Pipeline::default()
    }
}

/// Parses an expected CSV: header, then `uCode` first and numbers after.
fn expected(name: &str) -> (Vec<String>, Vec<(String, Vec<f64>)>) {
    let text = read(name);
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split(',');
            let unit = f.next().unwrap().to_string();
            (unit, f.map(|v| v.parse::<f64>().unwrap()).collect())
        })
        .collect();
    (header, rows)
}

#[test]
fn asem_standard_pipeline_reproduces_coinr_scores_and_ranks() {
    let result = standard().run(&coin()).unwrap();
    assert_eq!(
        result.units.len(),
        51,
        "no unit is screened out after imputation"
    );
    let (header, rows) = expected("ASEM_expected_build_example_coin.csv");
    assert_eq!(rows.len(), 51);
    let mut checked = 0;
    for (unit, values) in &rows {
        for (col, want) in header[1..].iter().zip(values) {
            if col == "Rank" {
                assert_eq!(result.rank(unit), Some(*want as u32), "rank of {unit}");
            } else {
                let got = result.score(col, unit).unwrap_or(f64::NAN);
                assert!(
                    (got - want).abs() <= 1e-6,
                    "{unit} {col}: got {got}, expected {want}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 51 * 12);
    // The published 2-d.p. figures.
    let two_dp = |u: &str| (result.score("Index", u).unwrap() * 100.0).round() / 100.0;
    assert_eq!(two_dp("CHE"), 68.38);
    assert_eq!(two_dp("IND"), 39.79);
    assert_eq!(result.rank("IND"), Some(45));
    // Imputation leaves full coverage.
    assert!(
        result
            .coverage
            .iter()
            .all(|c| c.values.iter().all(|v| *v == 1.0))
    );
}

#[test]
fn asem_standard_pipeline_reproduces_normalised_indicators() {
    let result = standard().run(&coin()).unwrap();
    let (header, rows) = expected("ASEM_expected_normalised.csv");
    for (unit, values) in &rows {
        let u = result.units.iter().position(|x| x == unit).unwrap();
        for (col, want) in header[1..].iter().zip(values) {
            let ind = result.indicators.iter().find(|c| &c.code == col).unwrap();
            let got = ind.values[u];
            assert!(
                (got - want).abs() <= 1e-6,
                "{unit} {col}: got {got}, expected {want}"
            );
        }
    }
}

#[test]
fn asem_flags_fifteen_indicators_for_winsorising_and_none_for_log() {
    let result = standard().run(&coin()).unwrap();
    let winsorised: Vec<&str> = result
        .log
        .iter()
        .filter_map(|e| match e {
            LogEntry::Winsorised { indicator, .. } => Some(indicator.as_str()),
            _ => None,
        })
        .collect();
    let logged = result
        .log
        .iter()
        .filter(|e| matches!(e, LogEntry::LogTransformed { .. }))
        .count();
    assert_eq!(winsorised.len(), 15, "{winsorised:?}");
    assert_eq!(logged, 0);
    let imputed = result
        .log
        .iter()
        .filter(|e| matches!(e, LogEntry::Imputed { .. }))
        .count();
    let lost = result
        .log
        .iter()
        .filter(|e| matches!(e, LogEntry::DenominatorMissing { .. }))
        .count();
    // LAO has no Energy denominator, so Elec and Gas are lost on denomination.
    assert_eq!(lost, 2);
    assert_eq!(imputed, 63 + lost, "every missing cell is imputed");
}

fn without_imputation() -> IndexResult {
    let p = Pipeline {
        impute: Imputation::None,
        screen: None,
        ..standard()
    };
    p.run(&coin()).unwrap()
}

#[test]
fn missing_data_flows_through_treatment_normalisation_and_aggregation() {
    let c = coin();
    let result = without_imputation();
    let lost: Vec<(String, String)> = result
        .log
        .iter()
        .filter_map(|e| match e {
            LogEntry::DenominatorMissing { indicator, unit } => {
                Some((indicator.clone(), unit.clone()))
            }
            _ => None,
        })
        .collect();
    // Missing raw cells (and cells whose denominator is missing) stay missing after treatment
    // and normalisation.
    let mut missing = 0;
    for (i, ind) in c.indicators().iter().enumerate() {
        for (u, _) in c.units().iter().enumerate() {
            let raw = c
                .value(&ind.code, u)
                .filter(|_| !lost.contains(&(ind.code.clone(), c.units()[u].clone())));
            let norm = result.indicators[i].get(u);
            assert_eq!(
                raw.is_none(),
                norm.is_none(),
                "{} {}",
                ind.code,
                c.units()[u]
            );
            missing += usize::from(raw.is_none());
            if let Some(v) = norm {
                assert!((0.0..=100.0).contains(&v));
            }
        }
    }
    assert_eq!(missing, 63 + 2);
    // Each pillar is the mean of its present indicators, and its coverage the present share.
    let plan = c.plan().unwrap();
    for agg in c.aggregates().iter().filter(|a| a.level == 2) {
        let node = plan.node_index(&agg.code).unwrap();
        let kids = plan.children(node);
        for (u, unit) in result.units.iter().enumerate() {
            let present: Vec<f64> = kids
                .iter()
                .filter_map(|(k, _)| {
                    result
                        .indicators
                        .iter()
                        .find(|c| c.code == *k)
                        .unwrap()
                        .get(u)
                })
                .collect();
            let want = present.iter().sum::<f64>() / present.len() as f64;
            let got = result.score(&agg.code, unit).unwrap();
            assert!((got - want).abs() < 1e-9, "{unit} {}", agg.code);
            let cov = result.coverage_of(&agg.code, unit).unwrap();
            assert!((cov - present.len() as f64 / kids.len() as f64).abs() < 1e-12);
        }
    }
    // Some unit has less than full coverage on the Index, and ranks still cover everyone.
    assert!(
        result
            .units
            .iter()
            .any(|u| result.coverage_of("Index", u).unwrap() < 1.0)
    );
    assert!(result.ranks.iter().all(Option::is_some));
}

#[test]
fn the_fast_reader_and_the_general_reader_agree_on_asem() {
    let data = read("ASEM_iData.csv");
    let meta = read("ASEM_iMeta.csv");
    let read_coin = |text: &str| {
        Coin::from_csv(
            CsvText {
                name: "ASEM_iData.csv",
                text,
            },
            CsvText {
                name: "ASEM_iMeta.csv",
                text: &meta,
            },
        )
        .unwrap()
    };
    let fast = read_coin(&data);
    // A quoted header cell sends the file through the general (csv crate) reader; CRLF line
    // ends stay on the fast path.
    let general = read_coin(&data.replacen("uName", "\"uName\"", 1));
    let crlf = read_coin(&data.replace('\n', "\r\n"));
    for other in [&general, &crlf] {
        assert_eq!(fast.units(), other.units());
        assert_eq!(fast.unit_names(), other.unit_names());
        assert_eq!(fast.groups(), other.groups());
        for ind in fast.indicators() {
            for u in 0..fast.units().len() {
                assert_eq!(
                    fast.value(&ind.code, u).map(f64::to_bits),
                    other.value(&ind.code, u).map(f64::to_bits),
                    "{} {}",
                    ind.code,
                    fast.units()[u]
                );
            }
        }
        let (a, b) = (
            standard().run(&fast).unwrap(),
            standard().run(other).unwrap(),
        );
        assert_eq!(a.to_csv(), b.to_csv());
    }
    assert!(fast.groups()["EurAsia_group"].labels().len() == 2);
}

/// `Detail::Scores` (what `kompas index` asks for) gives the full run's units, scores and ranks,
/// and `write_csv` the full run's CSV, without the indicators, coverage or log.
#[test]
fn scores_only_gives_the_full_runs_scores_ranks_and_csv() {
    let other = Pipeline {
        impute: Imputation::Median,
        screen: Some(Share::new(0.95).unwrap()),
        normalise: Normalisation::Rank,
        ..Pipeline::default()
    };
    let coin = coin();
    for pipeline in [standard(), other] {
        let full = pipeline.run(&coin).unwrap();
        let scores = pipeline
            .run_owned_with(coin.clone(), Detail::Scores)
            .unwrap();
        assert!(!full.log.is_empty() && !full.indicators.is_empty());
        assert!(scores.log.is_empty() && scores.indicators.is_empty());
        assert!(scores.coverage.is_empty());
        assert_eq!(scores.units, full.units);
        assert_eq!(scores.aggregates, full.aggregates);
        assert_eq!(scores.ranks, full.ranks);
        let mut written = Vec::new();
        scores.write_csv(&mut written).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), full.to_csv());
    }
}
