//! Criterion benches for citizens' panel selection: LEXIMIN on example_small_20 and MAXIMIN on
//! geneva_30 (the replication instances of Flanigan et al., Nature 2021), and the Beck–Fiala
//! ticket rounding of geneva_30's LEXIMIN lottery to 1,000 tickets.

use criterion::{Criterion, criterion_group, criterion_main};
use kompas::cocreation::panel::{
    Algorithm, Instance, ParseOptions, Selection, TicketOptions, select,
};

fn load(dir: &str, options: &ParseOptions) -> Instance {
    let base = format!("{}/testdata/sortition/{dir}", env!("CARGO_MANIFEST_DIR"));
    let quotas = std::fs::read_to_string(format!("{base}/categories.csv")).expect("categories.csv");
    let pool = std::fs::read_to_string(format!("{base}/respondents.csv")).expect("respondents.csv");
    Instance::parse(&quotas, &pool, options).expect("instance")
}

fn panel(c: &mut Criterion) {
    let small = load("example_small_20", &ParseOptions::default());
    let geneva = load(
        "geneva_30",
        &ParseOptions::default().id_column("pool_member_identifier"),
    );
    let mut group = c.benchmark_group("panel");
    group.sample_size(10);
    group.bench_function("leximin_example_small_20", |b| {
        b.iter(|| {
            select(&small, &Selection::new(20, Algorithm::Leximin), &mut |_| {}).expect("lottery")
        })
    });
    group.bench_function("maximin_geneva_30", |b| {
        b.iter(|| {
            select(
                &geneva,
                &Selection::new(30, Algorithm::Maximin),
                &mut |_| {},
            )
            .expect("lottery")
        })
    });
    group.bench_function("tickets_beck_fiala_geneva_30_m1000", |b| {
        // The LEXIMIN lottery (about 15 s) is computed once, only when this bench runs.
        let lottery = select(
            &geneva,
            &Selection::new(30, Algorithm::Leximin),
            &mut |_| {},
        )
        .expect("lottery");
        let plain = TicketOptions { search: None };
        b.iter(|| lottery.tickets_with(1000, &plain).expect("tickets"))
    });
    group.finish();
}

criterion_group!(benches, panel);
criterion_main!(benches);
