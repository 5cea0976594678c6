//! Criterion benches of the run and control charts: an I chart with the runs analysis and a P
//! chart with per-point limits, each on 1,000,000 points (whole chart, and streamed point by
//! point with `Chart::compute_each`, and in two shares on two threads with `Chart::compute_split`
//! as `kompas spc` writes a large CSV); and reading a 100,000-row CSV text (in two halves).
//!
//! `cargo bench --bench spc`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kompas::evidence::spc::{
    Chart, ChartOptions, ChartPoint, ChartType, CsvColumns, RunsAnalysis, Series, parse_series,
};

/// A small deterministic generator (xorshift64*), so the benches need no random crate.
struct Gen(u64);

impl Gen {
    fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal (sum of 12 uniforms).
    fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let s: f64 = (0..12).map(|_| self.next_f64()).sum();
        mean + sd * (s - 6.0)
    }
}

fn i_series(len: usize) -> Series {
    let mut g = Gen(0x5eed);
    let y: Vec<f64> = (0..len).map(|_| g.normal(100.0, 10.0)).collect();
    Series::from_values(&y)
}

fn p_series(len: usize) -> Series {
    let mut g = Gen(0xfeed);
    let mut counts = Vec::with_capacity(len);
    let mut n = Vec::with_capacity(len);
    for _ in 0..len {
        let trials = (50.0 + 450.0 * g.next_f64()).round();
        counts.push((trials * (0.1 + 0.02 * (g.next_f64() - 0.5))).round());
        n.push(trials);
    }
    Series::from_counts(&counts, &n)
}

/// A visitor counting the points above the centre line.
fn counter(above: &mut usize) -> impl FnMut(&ChartPoint, &RunsAnalysis) + Send + '_ {
    move |p, _| *above += usize::from(p.y > p.cl)
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("spc");
    group.sample_size(10);
    let i = i_series(1_000_000);
    let i_opts = ChartOptions::new(ChartType::I);
    group.bench_function("i_chart_runs_1e6", |b| {
        b.iter(|| Chart::compute(black_box(&i), &i_opts).map(|c| c.parts[0].runs.n_crossings))
    });
    group.bench_function("i_chart_runs_each_1e6", |b| {
        b.iter(|| {
            let mut above = 0usize;
            Chart::compute_each(black_box(&i), &i_opts, |p, _| {
                above += usize::from(p.y > p.cl);
            })
            .map(|_| above)
        })
    });
    group.bench_function("i_chart_runs_split2_1e6", |b| {
        b.iter(|| {
            let mut above = [0usize; 2];
            let [a, b] = &mut above;
            let mut visitors = [counter(a), counter(b)];
            let chart = Chart::compute_split(black_box(&i), &i_opts, &mut visitors);
            drop(visitors);
            chart.map(|_| above)
        })
    });
    let p = p_series(1_000_000);
    let p_opts = ChartOptions::new(ChartType::P);
    group.bench_function("p_chart_per_point_limits_1e6", |b| {
        b.iter(|| Chart::compute(black_box(&p), &p_opts).map(|c| c.points[0].ucl))
    });
    let mut text = String::from("x,y\n");
    let mut g = Gen(7);
    for k in 1..=100_000 {
        text.push_str(&format!("{k},{:.4}\n", g.normal(100.0, 10.0)));
    }
    group.bench_function("parse_csv_1e5", |b| {
        b.iter(|| {
            parse_series(black_box(&text), &CsvColumns::new("x", "y")).map(|s| s.rows().len())
        })
    });
    group.finish();
}

criterion_group!(spc, benches);
criterion_main!(spc);
