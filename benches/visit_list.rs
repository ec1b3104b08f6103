//! The visits list of a protocol office with years of history (release build,
//! SQLite file): the page's use case and its HTML, at 100 and at 1,000
//! visits, with one visit's programme page (30 meetings) measured in the
//! same run as the reference.

use std::hint::black_box;

use chrono::Utc;
use criterion::{criterion_group, criterion_main, Criterion};

use sapar::db::DbConn;
use sapar::domain::conflicts::EngineSettings;
use sapar::domain::Language;
use sapar::i18n::Translator;
use sapar::services::{programme, visit_list};
use sapar::web::pages::programme::{render_visit_page, VisitView};
use sapar::web::pages::visits::render_visit_list;
use sapar::web::pages::Chrome;

#[path = "support/office.rs"]
mod office;
mod support;

use office::{fill_office, MEETINGS_PER_VISIT};

/// The `/visits` handler's path: the use case, then the HTML.
fn visits_page(conn: &mut DbConn, q: &str) -> usize {
    let today = Utc::now().date_naive();
    let list = visit_list::load(conn, q, 1, today, EngineSettings::default()).expect("the list");
    render_visit_list(
        Translator(Language::Ru),
        Chrome::visitor(),
        q.to_owned(),
        list,
    )
    .expect("a page")
    .len()
}

fn visit_list(c: &mut Criterion) {
    let (_reference_dir, mut reference) = support::sqlite();
    let reference_visit =
        support::build_visit(&mut reference, MEETINGS_PER_VISIT, 3, 7).expect("a visit");
    let t = Translator(Language::Ru);
    let mut group = c.benchmark_group("visit_list");
    group.bench_function("reference: one visit's page, 30 meetings", |b| {
        b.iter(|| {
            let programme = programme::load(
                &mut reference,
                black_box(reference_visit),
                EngineSettings::default(),
            )
            .expect("programme");
            black_box(
                render_visit_page(
                    t,
                    Chrome::visitor(),
                    &programme,
                    &VisitView::default(),
                    Utc::now(),
                )
                .expect("a page")
                .len(),
            )
        })
    });
    for visits in [100, 1_000] {
        let (_dir, mut conn) = support::sqlite();
        let started = std::time::Instant::now();
        fill_office(&mut conn, visits);
        eprintln!(
            "an office of {visits} visits written in {:.1} s; its first page is {} KiB",
            started.elapsed().as_secs_f64(),
            visits_page(&mut conn, "") / 1024
        );
        group.bench_function(format!("/visits, {visits} visits"), |b| {
            b.iter(|| black_box(visits_page(&mut conn, black_box(""))))
        });
        group.bench_function(
            format!("/visits?q=поездка 1, {visits} visits"),
            |b| b.iter(|| black_box(visits_page(&mut conn, black_box("поездка 1")))),
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(5));
    targets = visit_list
}
criterion_main!(benches);
