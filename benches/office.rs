//! A protocol office's pages at the size of years of visits (release build):
//! 1,000 visits of 30 meetings, 5,000 officials, 20,000 participants in 1,000
//! groups, 200 venues, in a SQLite file and, when a server is reachable, in
//! PostgreSQL. Each page as its handler makes it, from the use case to HTML:
//! `/visits`, one visit's page, its conflicts, and `/participants` (the first
//! page and a search). The reference in the same run: a bare sort of 30,000
//! numbers, so figures from a busy machine can be read against each other.

use std::hint::black_box;

use chrono::Utc;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

use sapar::db::DbConn;
use sapar::domain::conflicts::EngineSettings;
use sapar::domain::Language;
use sapar::i18n::Translator;
use sapar::services::{conflicts, programme, visit_list, ListQuery};
use sapar::web::pages::editor::{list_data, render_list, ParticipantPages};
use sapar::web::pages::programme::{render_visit_page, VisitView};
use sapar::web::pages::visits::render_visit_list;
use sapar::web::pages::Chrome;

#[path = "support/office.rs"]
mod generated;
#[allow(dead_code)]
mod support;

const VISITS: usize = 1_000;

/// A visit of the office that is neither its first nor its last: the one
/// whose days are soonest from today, as a planner opens it.
fn current_visit(conn: &mut DbConn) -> i64 {
    let today = Utc::now().date_naive();
    let list = visit_list::load(conn, "", 1, today, EngineSettings::default()).expect("the list");
    list.current
        .first()
        .map(|l| l.visit.row.id)
        .expect("an upcoming visit")
}

fn pages(c: &mut Criterion, backend: &str, conn: &mut DbConn) {
    let t = Translator(Language::Ru);
    let settings = EngineSettings::default;
    let visit = current_visit(conn);
    let mut group = c.benchmark_group(format!("office/{backend}"));
    group.bench_function("/visits", |b| {
        b.iter(|| {
            let today = Utc::now().date_naive();
            let list = visit_list::load(conn, "", 1, today, settings()).expect("the list");
            black_box(render_visit_list(t, Chrome::visitor(), String::new(), list).expect("a page"))
        })
    });
    group.bench_function("a visit's page, 30 meetings", |b| {
        b.iter(|| {
            let programme = programme::load(conn, black_box(visit), settings()).expect("programme");
            black_box(
                render_visit_page(
                    t,
                    Chrome::visitor(),
                    &programme,
                    &VisitView::default(),
                    Utc::now(),
                )
                .expect("a page"),
            )
        })
    });
    group.bench_function("a visit's conflicts, 30 meetings", |b| {
        b.iter(|| {
            let found = conflicts::of_visit(conn, black_box(visit), settings()).expect("conflicts");
            black_box(found.reports(Language::Ru))
        })
    });
    for (name, q) in [
        ("/participants", None),
        ("/participants?q=участник 1234", Some("участник 1234")),
    ] {
        let query = ListQuery {
            q: q.map(str::to_owned),
            limit: 50,
            offset: 0,
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let listed = list_data::<ParticipantPages>(conn, &query).expect("a page");
                black_box(
                    render_list::<ParticipantPages>(
                        t,
                        Chrome::visitor(),
                        "/participants",
                        &query,
                        listed,
                    )
                    .expect("a page"),
                )
            })
        });
    }
    let numbers: Vec<u64> = (0..30_000u64)
        .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .collect();
    group.bench_function("reference: sort 30,000 numbers", |b| {
        b.iter_batched_ref(
            || numbers.clone(),
            |v| v.sort_unstable(),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn office(c: &mut Criterion) {
    let (_dir, mut sqlite) = support::sqlite();
    generated::fill_office(&mut sqlite, VISITS);
    pages(c, "sqlite", &mut sqlite);
    drop(sqlite);
    if let Some((_guard, mut postgres)) = support::postgres() {
        generated::fill_office(&mut postgres, VISITS);
        pages(c, "postgres", &mut postgres);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = office
}
criterion_main!(benches);
