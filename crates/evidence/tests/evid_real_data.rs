//! The evidence model on real data: the Aarhus goals' indicators (2024) and Statens Serum
//! Institut's COVID-19 series for Aarhus, from `testdata/evid/`.

use chrono::NaiveDate;
use kompas_core::{IndicatorId, ObservationId, Period, Perspective, Text};
use kompas_evidence::{
    Direction, EquityPairing, Error, Indicator, Observation, Purpose, Series, SourceKind,
    ValueLevel,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/evid/");

fn read(name: &str) -> Vec<csv::StringRecord> {
    let text = std::fs::read_to_string(format!("{DIR}{name}")).expect("testdata file");
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .expect("well-formed csv")
}

fn month(ym: &str) -> Period {
    let start = NaiveDate::parse_from_str(&format!("{ym}-01"), "%Y-%m-%d").expect("yyyy-mm");
    let next = start
        .checked_add_months(chrono::Months::new(1))
        .expect("next month");
    Period::new(start, next.pred_opt().expect("day before")).expect("month period")
}

/// How the tests read the published table into indicators: the source kind from the measurement
/// note, an equity pairing where the indicator follows "gap vulnerable groups vs everyone".
fn aarhus_indicators() -> Vec<(u32, Indicator)> {
    read("aarhus_goals_and_indicators_2024.csv")
        .iter()
        .map(|r| {
            let goal: u32 = r[0].parse().expect("goal number");
            let name = &r[2];
            let note = &r[3];
            let (source, perspective) = if note.contains("survey") {
                (SourceKind::Survey, Perspective::Citizen)
            } else {
                (SourceKind::Register, Perspective::Management)
            };
            let mut ind = Indicator::new(
                IndicatorId::from_name(&format!("aarhus/2024/{name}")),
                Text::en(name).expect("named"),
                "as published",
                Direction::HigherIsBetter,
                ValueLevel::Value,
                Purpose::Strategic,
                source,
                perspective,
            );
            if name.contains("gap vulnerable groups vs everyone") {
                ind = ind.with_equity(EquityPairing {
                    vulnerable_group: "vulnerable".into(),
                    reference_group: "all".into(),
                    description: Text::en("vulnerable groups").ok(),
                });
            }
            (goal, ind)
        })
        .collect()
}

#[test]
fn aarhus_indicators_carry_source_and_equity() {
    let inds = aarhus_indicators();
    assert_eq!(inds.len(), 12);
    let surveys = inds
        .iter()
        .filter(|(_, i)| i.source == SourceKind::Survey)
        .count();
    assert_eq!(
        surveys, 5,
        "citizenship, loneliness, security, well-being, the vision"
    );
    let equity_goals: Vec<u32> = inds
        .iter()
        .filter(|(_, i)| i.equity.is_some())
        .map(|(g, _)| *g)
        .collect();
    assert_eq!(equity_goals, vec![1, 2, 3]);
    for (_, i) in &inds {
        let json = serde_json::to_string(i).expect("serialise");
        let back: Indicator = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(&back, i);
    }
}

fn monthly() -> (IndicatorId, Vec<(csv::StringRecord, Observation)>) {
    let ind = IndicatorId::from_name("aarhus/covid/positivity");
    let rows = read("aarhus_covid_monthly.csv")
        .into_iter()
        .map(|r| {
            let o = Observation::new(
                ObservationId::from_name(&format!("ssi/monthly/{}", &r[0])),
                ind,
                month(&r[0]),
                r[1].parse().expect("cases"),
            )
            .with_denominator(r[2].parse().expect("tested"))
            .with_source("SSI");
            (r, o)
        })
        .collect();
    (ind, rows)
}

#[test]
fn monthly_series_reproduces_ssi_positivity() {
    let (ind, rows) = monthly();
    let published: Vec<f64> = rows
        .iter()
        .map(|(r, _)| r[3].parse().expect("positivity"))
        .collect();
    let series =
        Series::new(ind, rows.into_iter().rev().map(|(_, o)| o).collect()).expect("valid series");
    assert_eq!(series.len(), 37);
    let rates = series.rates(None);
    assert_eq!(rates.len(), published.len());
    for (k, (rate, p)) in rates.iter().zip(&published).enumerate() {
        let rate = rate.expect("tested persons > 0 in every month");
        // SSI publishes positivity rounded to five decimals.
        assert!(
            (rate - p).abs() <= 5e-6 + 1e-12,
            "month {k}: {rate} against {p}"
        );
    }
    let first = &series.observations()[0];
    assert_eq!(first.period, month("2020-02"));
}

#[test]
fn daily_series_sum_to_the_monthly_table() {
    // Two daily series: cases (9 days have no case data: missing, so no observation) and tested
    // persons (every day).
    let cases_ind = IndicatorId::from_name("aarhus/covid/cases");
    let tested_ind = IndicatorId::from_name("aarhus/covid/tested");
    let (mut cases, mut tested, mut missing) = (Vec::new(), Vec::new(), 0);
    for r in read("aarhus_covid_daily_cases_tested.csv") {
        let date = NaiveDate::parse_from_str(&r[0], "%Y-%m-%d").expect("date");
        let id = |kind: &str| ObservationId::from_name(&format!("ssi/daily/{kind}/{}", &r[0]));
        tested.push(Observation::on(
            id("tested"),
            tested_ind,
            date,
            r[2].parse().expect("tested"),
        ));
        if r[1].is_empty() {
            missing += 1;
        } else {
            cases.push(Observation::on(
                id("cases"),
                cases_ind,
                date,
                r[1].parse().expect("cases"),
            ));
        }
    }
    assert_eq!(missing, 9);
    let cases = Series::new(cases_ind, cases).expect("valid daily cases");
    let tested = Series::new(tested_ind, tested).expect("valid daily tests");
    assert_eq!((cases.len(), tested.len()), (1078, 1087));
    let (_, rows) = monthly();
    for (r, m) in rows {
        let in_month = |s: &Series| -> Vec<f64> {
            s.group(None)
                .filter(|o| m.period.contains(o.period.start()))
                .map(|o| o.value)
                .collect()
        };
        let c = in_month(&cases);
        assert_eq!(c.iter().sum::<f64>(), m.value, "cases in {}", &r[0]);
        assert_eq!(
            c.len().to_string(),
            &r[4],
            "days with case data in {}",
            &r[0]
        );
        let t = in_month(&tested);
        assert_eq!(Some(t.iter().sum()), m.denominator, "tested in {}", &r[0]);
        assert_eq!(
            t.len().to_string(),
            &r[5],
            "days with test data in {}",
            &r[0]
        );
    }
}

#[test]
fn a_repeated_real_month_is_rejected_naming_the_observation() {
    let (ind, rows) = monthly();
    let mut obs: Vec<Observation> = rows.into_iter().map(|(_, o)| o).collect();
    let dup_id = ObservationId::from_name("ssi/monthly/2021-12/again");
    obs.push(Observation::new(dup_id, ind, month("2021-12"), 1.0));
    let err = Series::new(ind, obs).expect_err("duplicate month");
    match &err {
        Error::DuplicatePeriod {
            observation, other, ..
        } => {
            assert_eq!(*observation, dup_id);
            assert_eq!(*other, ObservationId::from_name("ssi/monthly/2021-12"));
        }
        e => panic!("unexpected error {e}"),
    }
    assert!(err.to_string().contains(&dup_id.to_string()));
    assert!(err.to_string().contains("2021-12-01..=2021-12-31"));
}
