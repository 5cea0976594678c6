//! Properties and bad-input behaviour of the run and control charts.

use kompas_evidence::spc::{
    Chart, ChartOptions, ChartPoint, ChartType, CsvColumns, DecimalMark, Improvement, LatestSignal,
    Row, RunsAnalysis, Series, SpcError, XValue, latest_signal, nhs_point_types, parse_series,
    parse_series_text,
};
use proptest::prelude::*;

fn compute(s: &Series, o: ChartOptions) -> Result<Chart, SpcError> {
    Chart::compute(s, &o)
}

#[track_caller]
fn err(s: &Series, o: ChartOptions) -> SpcError {
    match compute(s, o) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

#[test]
fn empty_series_is_an_error() {
    let e = err(&Series::default(), ChartOptions::new(ChartType::I));
    assert_eq!(e, SpcError::EmptySeries);
    assert!(e.to_string().contains("empty"));
}

#[test]
fn all_values_missing_is_an_error() {
    let rows = (1..=3)
        .map(|i| Row {
            x: XValue::Number(f64::from(i)),
            y: None,
            n: None,
        })
        .collect();
    let e = err(&Series::from_rows(rows), ChartOptions::new(ChartType::Run));
    assert_eq!(e, SpcError::AllMissing { rows: 3 });
}

#[test]
fn non_numeric_cell_names_line_and_column() {
    let text = "week,cost\n1,3.5\n2,abc\n";
    let e = parse_series(text, &CsvColumns::new("week", "cost")).unwrap_err();
    assert!(matches!(e, SpcError::NotANumber { line: 3, .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.contains("line 3") && msg.contains("\"cost\"") && msg.contains("abc"),
        "{msg}"
    );
    assert_eq!(msg, msg.to_lowercase());
}

#[test]
fn missing_column_is_named() {
    let e = parse_series("a,b\n1,2\n", &CsvColumns::new("a", "c")).unwrap_err();
    assert!(e.to_string().contains("\"c\""), "{e}");
}

#[test]
fn zero_denominator_is_an_error() {
    let s = Series::from_counts(&[1.0, 2.0, 3.0], &[10.0, 0.0, 10.0]);
    let e = err(&s, ChartOptions::new(ChartType::P));
    assert_eq!(e, SpcError::ZeroDenominator { x: "2".into() });
}

#[test]
fn negative_counts_are_errors_for_count_charts() {
    let s = Series::from_values(&[1.0, -2.0, 3.0]);
    for chart in [ChartType::C, ChartType::G] {
        let e = err(&s, ChartOptions::new(chart));
        assert!(matches!(e, SpcError::NegativeCount { row: 2, .. }), "{e:?}");
    }
    // A negative value is fine on an I chart.
    assert!(compute(&s, ChartOptions::new(ChartType::I)).is_ok());
}

#[test]
fn count_above_denominator_is_an_error_for_p_charts() {
    let s = Series::from_counts(&[1.0, 12.0], &[10.0, 10.0]);
    let e = err(&s, ChartOptions::new(ChartType::P));
    assert!(
        matches!(e, SpcError::CountExceedsDenominator { .. }),
        "{e:?}"
    );
    assert!(compute(&s, ChartOptions::new(ChartType::U)).is_ok());
}

#[test]
fn p_chart_without_denominators_is_an_error() {
    let e = err(
        &Series::from_values(&[1.0, 2.0]),
        ChartOptions::new(ChartType::P),
    );
    assert!(
        matches!(e, SpcError::MissingDenominator { row: 1, .. }),
        "{e:?}"
    );
}

#[test]
fn too_few_points_is_an_error() {
    let one = Series::from_values(&[4.0]);
    for chart in [
        ChartType::I,
        ChartType::Mr,
        ChartType::Xbar,
        ChartType::S,
        ChartType::T,
    ] {
        let e = err(&one, ChartOptions::new(chart));
        assert!(matches!(e, SpcError::TooFewPoints { .. }), "{chart}: {e:?}");
    }
    // A run chart of one point is a chart, without a runs signal.
    let run = compute(&one, ChartOptions::new(ChartType::Run)).unwrap();
    assert_eq!(run.parts[0].runs.n_useful, 0);
    assert!(!run.parts[0].runs.signal);
}

#[test]
fn options_out_of_range_are_errors() {
    let s = Series::from_values(&[1.0, 2.0, 3.0, 4.0]);
    for o in [
        ChartOptions::new(ChartType::I).freeze(5),
        ChartOptions::new(ChartType::I).freeze(0),
        ChartOptions::new(ChartType::I).parts([4]),
        ChartOptions::new(ChartType::I).exclude([9]),
        ChartOptions::new(ChartType::I).multiply(f64::NAN),
    ] {
        assert!(matches!(err(&s, o), SpcError::InvalidOption { .. }));
    }
}

#[test]
fn t_chart_needs_positive_times() {
    let e = err(
        &Series::from_values(&[3.0, 0.0, 2.0]),
        ChartOptions::new(ChartType::T),
    );
    assert!(
        matches!(e, SpcError::NonPositiveTime { row: 2, .. }),
        "{e:?}"
    );
}

#[test]
fn danish_numbers_and_padded_fields() {
    let text = "\u{feff}Kommune;Testede;Cases\n101;  608.802; 335.468\n147;   99.216;  52.312\n";
    let s = parse_series(text, &CsvColumns::new("Kommune", "Cases").n("Testede")).unwrap();
    assert_eq!(s.rows()[0].y, Some(335_468.0));
    assert_eq!(s.rows()[1].n, Some(99_216.0));
    // With a decimal point the same cells are small decimals.
    let s = parse_series(
        text,
        &CsvColumns::new("Kommune", "Cases").decimal(DecimalMark::Point),
    )
    .unwrap();
    assert_eq!(s.rows()[0].y, Some(335.468));
    // A malformed thousands group is rejected.
    let e = parse_series("a;b\n1;12.34\n", &CsvColumns::new("a", "b")).unwrap_err();
    assert!(matches!(e, SpcError::NotANumber { line: 2, .. }), "{e:?}");
}

#[test]
fn subgrouping_by_x_sorts_and_pools_rows() {
    let text = "x,y,n\n2,1,10\n1,2,10\n2,3,30\n";
    let s = parse_series(text, &CsvColumns::new("x", "y").n("n")).unwrap();
    let c = compute(&s, ChartOptions::new(ChartType::U)).unwrap();
    assert_eq!(c.points.len(), 2);
    assert_eq!(c.points[0].x, XValue::Number(1.0));
    assert_eq!(c.points[1].y, Some(4.0 / 40.0));
    assert_eq!(c.points[1].n, Some(40.0));
    assert_eq!(c.points[0].cl, Some(6.0 / 50.0));
}

#[test]
fn c_g_and_run_charts_follow_their_formulas() {
    let y = [3.0, 5.0, 4.0, 6.0, 2.0, 4.0];
    let s = Series::from_values(&y);
    let c = compute(&s, ChartOptions::new(ChartType::C)).unwrap();
    assert_eq!(c.points[0].cl, Some(4.0));
    assert_eq!(c.points[0].ucl, Some(4.0 + 3.0 * 2.0));
    assert_eq!(c.points[0].lcl, Some(0.0)); // 4 - 6 floored at 0
    let g = compute(&s, ChartOptions::new(ChartType::G)).unwrap();
    assert_eq!(g.points[0].cl, Some(4.0)); // the median
    assert_eq!(g.points[0].ucl, Some(4.0 + 3.0 * (4.0f64 * 5.0).sqrt()));
    let run = compute(&s, ChartOptions::new(ChartType::Run)).unwrap();
    assert_eq!(run.points[0].cl, Some(4.0));
    assert_eq!(run.points[0].ucl, None);
    // Two points on the median are not useful.
    assert_eq!(run.parts[0].runs.n_useful, 4);
}

#[test]
fn t_chart_back_transforms_an_i_chart_of_the_transformed_times() {
    let y = [10.0, 20.0, 15.0, 30.0, 25.0, 12.0];
    let t = compute(&Series::from_values(&y), ChartOptions::new(ChartType::T)).unwrap();
    let ty: Vec<f64> = y.iter().map(|v| v.powf(1.0 / 3.6)).collect();
    let i = compute(&Series::from_values(&ty), ChartOptions::new(ChartType::I)).unwrap();
    let back = |v: Option<f64>| v.map(|v| v.powf(3.6));
    assert!((t.points[0].cl.unwrap() - back(i.points[0].cl).unwrap()).abs() < 1e-9);
    assert!((t.points[0].ucl.unwrap() - back(i.points[0].ucl).unwrap()).abs() < 1e-9);
    assert_eq!(t.points[3].y, Some(30.0));
}

#[test]
fn laney_charts_widen_overdispersed_limits() {
    // Large denominators with real between-month variation: P limits are too narrow, P' wider.
    let counts = [520.0, 610.0, 480.0, 700.0, 560.0, 450.0, 650.0, 590.0];
    let n = [
        10_000.0, 11_000.0, 9_500.0, 12_000.0, 10_500.0, 9_800.0, 11_500.0, 10_200.0,
    ];
    let s = Series::from_counts(&counts, &n);
    let p = compute(&s, ChartOptions::new(ChartType::P)).unwrap();
    let pp = compute(&s, ChartOptions::new(ChartType::PPrime)).unwrap();
    let u = compute(&s, ChartOptions::new(ChartType::U)).unwrap();
    let up = compute(&s, ChartOptions::new(ChartType::UPrime)).unwrap();
    for k in 0..counts.len() {
        assert!(pp.points[k].ucl > p.points[k].ucl);
        assert!(up.points[k].ucl > u.points[k].ucl);
    }
    assert!(p.points.iter().any(|q| q.sigma_signal));
    assert_eq!(pp.points[0].cl, p.points[0].cl);
}

#[test]
fn parts_freeze_and_exclude() {
    let y = [5.0, 6.0, 5.0, 6.0, 5.0, 10.0, 11.0, 10.0, 11.0, 10.0];
    let s = Series::from_values(&y);
    let c = compute(&s, ChartOptions::new(ChartType::I).parts([5])).unwrap();
    assert_eq!(c.parts.len(), 2);
    assert_eq!(c.points[0].cl, Some(5.4));
    assert_eq!(c.points[9].cl, Some(10.4));
    assert_eq!(c.points[9].part, 2);
    let f = compute(&s, ChartOptions::new(ChartType::I).freeze(5)).unwrap();
    assert_eq!(f.points[9].cl, Some(5.4));
    assert!(f.points[9].sigma_signal);
    assert!(f.points[4].baseline && !f.points[5].baseline);
    // An excluded point leaves the centre line but is still tested against the limits.
    let e = compute(&s, ChartOptions::new(ChartType::I).freeze(6).exclude([6])).unwrap();
    assert_eq!(e.points[0].cl, Some(5.4));
    assert!(!e.points[5].include && e.points[5].sigma_signal);
    assert_eq!(e.parts[0].runs.n_obs, 9);
}

#[test]
fn nhs_shift_and_trend_are_found_and_summarised() {
    // A trend of 7 rising points after a stable baseline.
    let y = [
        5.0, 6.0, 5.0, 6.0, 5.0, 6.0, 5.0, 6.0, 5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 5.7,
    ];
    let c = compute(
        &Series::from_values(&y),
        ChartOptions::new(ChartType::I).freeze(8),
    )
    .unwrap();
    let t = nhs_point_types(&c, Improvement::Decrease);
    assert!(
        t[8..].iter().all(|p| p.as_str() == "special_cause_concern"),
        "{t:?}"
    );
    assert_eq!(
        latest_signal(&c, Improvement::Decrease),
        LatestSignal::Concern
    );
    assert_eq!(
        latest_signal(&c, Improvement::Neutral),
        LatestSignal::Neutral
    );
    let flat = compute(
        &Series::from_values(&y[..8]),
        ChartOptions::new(ChartType::I),
    )
    .unwrap();
    assert_eq!(
        latest_signal(&flat, Improvement::Increase),
        LatestSignal::NoSignal
    );
}

fn chart_type() -> impl Strategy<Value = ChartType> {
    prop::sample::select(ChartType::ALL.to_vec())
}

/// One visitor per list, each pushing the points it is handed (and their runs) onto its list.
fn collectors(
    lists: &mut [Vec<(ChartPoint, RunsAnalysis)>],
) -> Vec<impl FnMut(&ChartPoint, &RunsAnalysis) + Send + '_> {
    lists
        .iter_mut()
        .map(|list| move |p: &ChartPoint, runs: &RunsAnalysis| list.push((p.clone(), runs.clone())))
        .collect()
}

/// As [`any_value`], with the values that fail a whole chart (`NaN`, infinity) rare, so that
/// most series of a few dozen rows make a chart.
fn mostly_finite() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        4 => Just(None),
        1 => Just(Some(f64::NAN)),
        1 => Just(Some(f64::INFINITY)),
        8 => Just(Some(0.0)),
        100 => (-5.0f64..50.0).prop_map(Some),
        100 => (0u32..40).prop_map(|v| Some(f64::from(v))),
    ]
}

fn any_value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        Just(None),
        Just(Some(f64::NAN)),
        Just(Some(f64::INFINITY)),
        Just(Some(0.0)),
        (-5.0f64..50.0).prop_map(Some),
        (0u32..40).prop_map(|v| Some(f64::from(v))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn i_chart_limits_are_symmetric(y in prop::collection::vec(-1e6f64..1e6, 2..60)) {
        let c = compute(&Series::from_values(&y), ChartOptions::new(ChartType::I)).unwrap();
        for p in &c.points {
            let (cl, lcl, ucl) = (p.cl.unwrap(), p.lcl.unwrap(), p.ucl.unwrap());
            let tol = 1e-9 * (cl.abs() + (ucl - cl).abs()).max(1.0);
            prop_assert!(((ucl - cl) - (cl - lcl)).abs() <= tol);
            prop_assert!(lcl <= cl && cl <= ucl);
        }
    }

    #[test]
    fn runs_statistics_are_invariant_to_shift_and_scale(
        y in prop::collection::vec(-1000i32..1000, 1..80),
        a in prop_oneof![-50i32..-1, 1i32..50],
        b in -1000i32..1000,
        k in -4i32..5,
    ) {
        let base: Vec<f64> = y.iter().map(|&v| f64::from(v)).collect();
        let moved: Vec<f64> = base.iter().map(|v| f64::from(a) * v + f64::from(b)).collect();
        let r0 = compute(&Series::from_values(&base), ChartOptions::new(ChartType::Run)).unwrap();
        let r1 = compute(&Series::from_values(&moved), ChartOptions::new(ChartType::Run)).unwrap();
        prop_assert_eq!(&r0.parts[0].runs, &r1.parts[0].runs);
        if base.len() >= 2 {
            // The mean is exact under scaling by a power of two.
            let scaled: Vec<f64> = base.iter().map(|v| v * 2f64.powi(k)).collect();
            let i0 = compute(&Series::from_values(&base), ChartOptions::new(ChartType::I)).unwrap();
            let i1 = compute(&Series::from_values(&scaled), ChartOptions::new(ChartType::I)).unwrap();
            prop_assert_eq!(&i0.parts[0].runs, &i1.parts[0].runs);
        }
    }

    #[test]
    fn no_input_panics(
        rows in prop::collection::vec((0u8..12, any_value(), any_value()), 0..30),
        labels in any::<bool>(),
        chart in chart_type(),
        freeze in prop::option::of(0usize..32),
        parts in prop::collection::vec(0usize..32, 0..3),
        exclude in prop::collection::vec(0usize..32, 0..3),
        multiply in prop_oneof![Just(1.0), Just(100.0), Just(0.0), Just(f64::NAN)],
    ) {
        let rows: Vec<Row> = rows
            .into_iter()
            .map(|(x, y, n)| Row {
                x: if labels { XValue::Label(format!("k{x}")) } else { XValue::Number(f64::from(x)) },
                y,
                n,
            })
            .collect();
        let mut o = ChartOptions::new(chart).parts(parts).exclude(exclude).multiply(multiply);
        if let Some(f) = freeze {
            o = o.freeze(f);
        }
        if let Ok(c) = Chart::compute(&Series::from_rows(rows), &o) {
            for p in &c.points {
                for v in [p.y, p.cl, p.lcl, p.ucl].into_iter().flatten() {
                    prop_assert!(v.is_finite());
                }
            }
            let types = nhs_point_types(&c, Improvement::Increase);
            prop_assert_eq!(types.len(), c.points.len());
        }
    }

    /// Streaming the points, whole or split into shares, gives the same points, parts and errors as
    /// computing the whole chart.
    #[test]
    fn compute_each_visits_the_points_of_compute(
        rows in prop::collection::vec((0u8..12, mostly_finite(), mostly_finite()), 0..30),
        chart in chart_type(),
        freeze in prop::option::of(0usize..32),
        parts in prop::collection::vec(0usize..32, 0..3),
        exclude in prop::collection::vec(0usize..32, 0..3),
        count in 0usize..5,
        block in 1usize..7,
        pattern in prop::collection::vec(0usize..6, 0..6),
    ) {
        let rows: Vec<Row> = rows
            .into_iter()
            .map(|(x, y, n)| Row { x: XValue::Number(f64::from(x)), y, n })
            .collect();
        let series = Series::from_rows(rows);
        let mut o = ChartOptions::new(chart).parts(parts).exclude(exclude);
        if let Some(f) = freeze {
            o = o.freeze(f);
        }
        let mut seen = Vec::new();
        let streamed = Chart::compute_each(&series, &o, |p, runs| seen.push((p.clone(), runs.clone())));
        // The same points split into `count` shares, each visited on its own thread; in blocks
        // of `block` points, by turns; and in blocks dealt out in the order of `pattern` (which
        // may name no visitor).
        let (mut shares, mut turns, mut dealt) = (vec![Vec::new(); count], vec![Vec::new(); count], vec![Vec::new(); count]);
        let split = Chart::compute_split(&series, &o, &mut collectors(&mut shares));
        let blocks = Chart::compute_blocks(&series, &o, block, &mut collectors(&mut turns));
        let in_turns = Chart::compute_blocks_in_turns(&series, &o, block, &pattern, &mut collectors(&mut dealt));
        match Chart::compute(&series, &o) {
            Ok(whole) => {
                let streamed = streamed.unwrap();
                prop_assert!(streamed.points.is_empty());
                prop_assert_eq!(&streamed.parts, &whole.parts);
                prop_assert_eq!(seen.len(), whole.points.len());
                for ((p, runs), q) in seen.iter().zip(&whole.points) {
                    prop_assert_eq!(p, q);
                    prop_assert_eq!(Some(runs), whole.runs_of(q));
                }
                let split = split.unwrap();
                prop_assert!(split.points.is_empty());
                prop_assert_eq!(&split.parts, &whole.parts);
                let len = whole.points.len();
                for (j, share) in shares.iter().enumerate() {
                    prop_assert_eq!(share.len(), (j + 1) * len / count - j * len / count);
                }
                if count > 0 {
                    prop_assert_eq!(&shares.concat(), &seen);
                }
                let blocks = blocks.unwrap();
                prop_assert!(blocks.points.is_empty());
                prop_assert_eq!(&blocks.parts, &whole.parts);
                // The points of the blocks whose owner is `j`.
                let owned = |j: usize, owner: &dyn Fn(usize) -> Option<usize>| -> Vec<_> {
                    seen.iter()
                        .enumerate()
                        .filter(|(i, _)| owner(i / block) == Some(j))
                        .map(|(_, v)| v.clone())
                        .collect()
                };
                for (j, turn) in turns.iter().enumerate() {
                    prop_assert_eq!(turn, &owned(j, &|b| Some(b % count)));
                }
                let in_turns = in_turns.unwrap();
                prop_assert!(in_turns.points.is_empty());
                prop_assert_eq!(&in_turns.parts, &whole.parts);
                for (j, turn) in dealt.iter().enumerate() {
                    prop_assert_eq!(turn, &owned(j, &|b| pattern.get(b % pattern.len().max(1)).copied()));
                }
            }
            Err(e) => {
                prop_assert_eq!(streamed.unwrap_err().to_string(), e.to_string());
                prop_assert!(seen.is_empty());
                prop_assert_eq!(split.unwrap_err().to_string(), e.to_string());
                prop_assert!(shares.iter().all(Vec::is_empty));
                prop_assert_eq!(blocks.unwrap_err().to_string(), e.to_string());
                prop_assert!(turns.iter().all(Vec::is_empty));
                prop_assert_eq!(in_turns.unwrap_err().to_string(), e.to_string());
                prop_assert!(dealt.iter().all(Vec::is_empty));
            }
        }
    }

    /// A cell noted as written the way its number prints is exactly that number's `{}`,
    /// and reading with the cells noted gives the series `parse_series` gives.
    #[test]
    fn noted_cells_print_as_written(
        cells in prop::collection::vec(
            (
                "[+-]?(0|00|[1-9][0-9]{0,17})(\\.[0-9]{0,5}0?)?|[0-9]{1,3}e-?[0-9]|NA| 7 |-0|",
                "[+-]?(0|0[0-9]|[1-9][0-9]{0,16})(\\.[0-9]{0,9})?|1,5|1\\.234,5| 2 |",
            ),
            1..20,
        ),
        delimiter in prop::sample::select(vec![',', ';']),
        crlf in any::<bool>(),
    ) {
        let d = delimiter;
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("x{d}y{end}");
        for (k, (x, y)) in cells.iter().enumerate() {
            // Every other row has x from the generator, the rest a plain position.
            let x = if k % 2 == 0 { x.clone() } else { (k + 1).to_string() };
            let y = if d == ',' { y.replace(',', "") } else { y.clone() };
            text.push_str(&format!("{x}{d}{y}{end}"));
        }
        let cols = CsvColumns::new("x", "y");
        let plain = parse_series(&text, &cols);
        match parse_series_text(&text, &cols) {
            Ok(parsed) => {
                prop_assert_eq!(Ok(parsed.series()), plain.as_ref());
                for (i, row) in parsed.series().rows().iter().enumerate() {
                    if let Some(t) = parsed.x_text(i) {
                        match &row.x {
                            XValue::Number(v) => prop_assert_eq!(t, format!("{v}")),
                            other => prop_assert!(false, "x text {t:?} for {other:?}"),
                        }
                    }
                    if let Some(t) = parsed.y_text(i) {
                        prop_assert_eq!(Some(t.to_owned()), row.y.map(|v| format!("{v}")));
                    }
                }
                prop_assert_eq!(parsed.y_text(parsed.series().rows().len()), None);
            }
            Err(e) => prop_assert_eq!(Err(e), plain),
        }
    }

    #[test]
    fn csv_reader_never_panics(text in "[a-c0-9;,.\\- \n\"]{0,80}") {
        let _ = parse_series(&text, &CsvColumns::new("a", "b").n("c"));
    }
}

#[test]
fn crossing_limit_for_large_series_matches_an_exact_sum() {
    // P(X <= k) for Binomial(m, 1/2) summed exactly in log space, against the beta-function path.
    fn exact(m: usize) -> usize {
        let ln2 = std::f64::consts::LN_2;
        let mut ln_c = 0.0f64; // ln C(m, k)
        let mut cdf = 0.0f64;
        for k in 0..=m {
            if k > 0 {
                ln_c += ((m - k + 1) as f64).ln() - (k as f64).ln();
            }
            cdf += (ln_c - m as f64 * ln2).exp();
            if cdf >= 0.05 * (1.0 - 64.0 * f64::EPSILON) {
                return k;
            }
        }
        m
    }
    for n in [101, 250, 1_000, 4_097, 20_000] {
        assert_eq!(
            kompas_evidence::spc::anhoej_limits(n).map(|l| l.1),
            Some(exact(n - 1)),
            "n = {n}"
        );
    }
}
