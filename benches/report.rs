//! Criterion benches for the follow-up: loading a Compass document, computing its follow-up and
//! rendering it, on the embedded Aarhus example and on a generated municipality of 100,000 goals,
//! 1,000,000 observations and 10,000 narratives (`kompas::generate`).
//!
//! `cargo bench --bench report`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kompas::generate::{Generate, generate};
use kompas_core::Lang;

fn aarhus(c: &mut Criterion) {
    let compass = kompas::example::aarhus();
    let json = compass.to_json_pretty().expect("serialises");
    c.bench_function("aarhus/load", |b| {
        b.iter(|| kompas::Compass::from_json(black_box(&json)))
    });
    c.bench_function("aarhus/follow_up", |b| {
        b.iter(|| kompas::follow_up(black_box(&compass), 2024))
    });
    let f = kompas::follow_up(&compass, 2024).expect("follows up");
    c.bench_function("aarhus/render_html", |b| {
        b.iter(|| kompas_report::render(black_box(&f), kompas_report::Format::Html, Lang::En))
    });
}

fn large(c: &mut Criterion) {
    let compass = generate(&Generate::default());
    let json = serde_json::to_string(&compass).expect("serialises");
    let mut g = c.benchmark_group("generated_100k_goals");
    g.sample_size(10);
    g.bench_function("load", |b| {
        b.iter(|| kompas::Compass::from_json(black_box(&json)))
    });
    g.bench_function("follow_up", |b| {
        b.iter(|| kompas::follow_up(black_box(&compass), 2020))
    });
    let f = kompas::follow_up(&compass, 2020).expect("follows up");
    g.bench_function("render_json", |b| {
        b.iter(|| kompas_report::render(black_box(&f), kompas_report::Format::Json, Lang::En))
    });
    g.finish();
}

criterion_group!(benches, aarhus, large);
criterion_main!(benches);
