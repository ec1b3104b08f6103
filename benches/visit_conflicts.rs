//! The conflicts of one visit, from the database: a SQLite file (WAL), the
//! release build, the snapshot loaded in a fixed number of queries, then the
//! engine. Visits of 50 and of 5,000 meetings.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

use sapar::domain::conflicts::EngineSettings;
use sapar::services::conflicts;

mod support;
use support::build_visit;

fn visit_conflicts(c: &mut Criterion) {
    let (_dir, mut conn) = support::sqlite();
    let small = build_visit(&mut conn, 50, 2, 7).expect("a visit of 50 meetings");
    let large = build_visit(&mut conn, 5_000, 60, 11).expect("a visit of 5,000 meetings");

    let mut group = c.benchmark_group("visit_conflicts_from_sqlite");
    for (name, visit) in [("50 meetings", small), ("5000 meetings", large)] {
        let found =
            conflicts::of_visit(&mut conn, visit, EngineSettings::default()).expect("conflicts");
        eprintln!("{name}: {} conflicts", found.conflicts.len());
        group.bench_function(name, |b| {
            b.iter(|| {
                let found =
                    conflicts::of_visit(&mut conn, black_box(visit), EngineSettings::default())
                        .expect("conflicts");
                black_box(found.conflicts.len())
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(5));
    targets = visit_conflicts
}
criterion_main!(benches);
