//! Criterion benches for goal aggregation: a full pass over a generated hierarchy of 1,000,000
//! goals (6 levels, about 5 % with a second parent) holding 1,000,000 indicators observed for 10
//! units (10,000,000 indicator values); incremental re-aggregation after one value changes; and
//! COINr's whole ASEM pipeline.
//!
//! `cargo bench --bench aggregation`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kompas::goals::{
    AggregationPlan, Coin, CsvText, Denomination, Imputation, Pipeline, PlanNode, Treatment,
    WinsoriseSpec,
};

/// Goals per level, top first: 1 + 20 + 400 + 8,000 + 160,000 + 831,579 = 1,000,000.
const LEVELS: [usize; 6] = [1, 20, 400, 8_000, 160_000, 831_579];
const INDICATORS: usize = 1_000_000;
const UNITS: usize = 10;

/// A small deterministic generator (SplitMix64), so the bench needs no extra dependency.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The generated hierarchy: returns the plan nodes and the number of multi-parent goals.
fn generate() -> (Vec<PlanNode>, usize) {
    let mut rng = SplitMix(2026);
    let mut offsets = vec![0usize];
    for n in LEVELS {
        offsets.push(offsets.last().copied().unwrap_or(0) + n);
    }
    let mut nodes: Vec<PlanNode> = (0..offsets[LEVELS.len()])
        .map(|g| PlanNode {
            code: format!("g{g}"),
            children: Vec::new(),
        })
        .collect();
    let mut multi = 0;
    for level in 1..LEVELS.len() {
        let (parent_start, parents) = (offsets[level - 1], LEVELS[level - 1]);
        for k in 0..LEVELS[level] {
            let g = offsets[level] + k;
            let primary = parent_start + k * parents / LEVELS[level];
            nodes[primary]
                .children
                .push((format!("g{g}"), 0.5 + rng.unit()));
            if rng.unit() < 0.05 && parents > 1 {
                let mut other = parent_start + rng.below(parents);
                if other == primary {
                    other = parent_start + (other - parent_start + 1) % parents;
                }
                nodes[other]
                    .children
                    .push((format!("g{g}"), 0.5 + rng.unit()));
                multi += 1;
            }
        }
    }
    let (bottom, count) = (offsets[LEVELS.len() - 1], LEVELS[LEVELS.len() - 1]);
    for i in 0..INDICATORS {
        nodes[bottom + i % count]
            .children
            .push((format!("i{i}"), 0.5 + rng.unit()));
    }
    (nodes, multi)
}

fn large(c: &mut Criterion) {
    let (nodes, multi) = generate();
    let goals = nodes.len();
    let plan = AggregationPlan::new(nodes).expect("generated plan is a DAG");
    eprintln!(
        "generated: {goals} goals, {multi} with a second parent ({:.1} %), {} indicators x {UNITS} units = {} values, {} links",
        100.0 * multi as f64 / goals as f64,
        plan.leaf_count(),
        plan.leaf_count() * UNITS,
        plan.link_count()
    );
    let units: Vec<String> = (0..UNITS).map(|u| format!("u{u}")).collect();
    let mut rng = SplitMix(7);
    let values: Vec<f64> = (0..plan.leaf_count() * UNITS)
        .map(|_| 100.0 * rng.unit())
        .collect();

    let mut group = c.benchmark_group("aggregation");
    group.sample_size(10);
    group.bench_function("full_1M_goals_10M_values", |b| {
        b.iter(|| {
            plan.evaluate(black_box(&units), black_box(&values))
                .expect("evaluates")
        })
    });
    let mut eval = plan.evaluate(&units, &values).expect("evaluates");
    let mut k = 0usize;
    group.sample_size(100);
    group.bench_function("incremental_one_value", |b| {
        b.iter(|| {
            k = (k + 7_919) % plan.leaf_count();
            let touched = plan.update(&mut eval, k, k % UNITS, 42.0).expect("updates");
            black_box(touched)
        })
    });
    group.finish();
}

fn asem(c: &mut Criterion) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/composite/");
    let data = std::fs::read_to_string(format!("{dir}ASEM_iData.csv")).expect("testdata");
    let meta = std::fs::read_to_string(format!("{dir}ASEM_iMeta.csv")).expect("testdata");
    let pipeline = Pipeline {
        denominate: Denomination::ByMeta,
        impute: Imputation::GroupMean {
            column: "EurAsia_group".into(),
        },
        treat: Treatment::Winsorise(WinsoriseSpec::default()),
        ..Pipeline::default()
    };
    c.bench_function("aggregation/asem_read_and_pipeline", |b| {
        b.iter(|| {
            let coin = Coin::from_csv(
                CsvText {
                    name: "iData",
                    text: &data,
                },
                CsvText {
                    name: "iMeta",
                    text: &meta,
                },
            )
            .expect("reads");
            pipeline.run(&coin).expect("runs")
        })
    });
}

criterion_group!(benches, large, asem);
criterion_main!(benches);
