//! Criterion benches for kompas-budget on real Pabulib files: MES, MES with Add1, and greedy.
//!
//! `cargo bench --bench budget`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kompas::budget::{Completion, Election, Greedy, Mes, Rule, TieBreak, run};

fn load(name: &str) -> Election {
    let path = format!("{}/testdata/pabulib/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Election::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn mes(completion: Completion) -> Rule {
    Rule::Mes(Mes {
        completion,
        ..Mes::default()
    })
}

fn budget(c: &mut Criterion) {
    let tie = TieBreak::default();
    let files = [
        ("assen", "Netherlands_Assen_2024.pb"),
        ("swiecie", "Poland_Swiecie_2023.pb"),
        ("wieliczka", "Poland_Wieliczka_2023_Green_Budget.pb"),
        ("mokotow", "Poland_Warszawa_2023_Mokotow.pb"),
    ];
    let mut g = c.benchmark_group("budget");
    g.sample_size(10);
    for (short, name) in files {
        let e = load(name);
        g.bench_function(format!("greedy/{short}"), |b| {
            b.iter(|| run(black_box(&e), &Rule::Greedy(Greedy::default()), &tie))
        });
        g.bench_function(format!("mes/{short}"), |b| {
            b.iter(|| run(black_box(&e), &mes(Completion::None), &tie))
        });
        if short != "mokotow" {
            g.bench_function(format!("mes_add1/{short}"), |b| {
                b.iter(|| run(black_box(&e), &mes(Completion::Add1), &tie))
            });
        }
    }
    let text = std::fs::read_to_string(format!(
        "{}/testdata/pabulib/Poland_Warszawa_2023_Mokotow.pb",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_default();
    g.bench_function("parse/mokotow", |b| {
        b.iter(|| Election::parse(black_box(&text)))
    });
    g.finish();
    // MES + Add1 on Mokotów (349 MES runs, about a second of CPU): a group of its own with a
    // small sample.
    let mut slow = c.benchmark_group("budget_slow");
    slow.sample_size(10);
    let e = load("Poland_Warszawa_2023_Mokotow.pb");
    slow.bench_function("mes_add1/mokotow", |b| {
        b.iter(|| run(black_box(&e), &mes(Completion::Add1), &tie))
    });
    slow.finish();
}

criterion_group!(benches, budget);
criterion_main!(benches);
