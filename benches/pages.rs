//! The visit page, from the database to HTML (release build, SQLite file):
//! the demo visit, and a programme of 1,000 meetings.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

use sapar::domain::conflicts::EngineSettings;
use sapar::domain::Language;
use sapar::i18n::Translator;
use sapar::services::demo;
use sapar::services::programme;
use sapar::web::pages::programme::{render_visit_page, VisitView};
use sapar::web::pages::Chrome;

mod support;

fn visit_page(c: &mut Criterion) {
    let (_dir, mut conn) = support::sqlite();
    let demo_visit = match demo::load(&mut conn).expect("the demo") {
        demo::DemoOutcome::Loaded { visit_id } => visit_id,
        demo::DemoOutcome::AlreadyLoaded => 1,
    };
    let large = support::build_visit(&mut conn, 1_000, 5, 3).expect("a visit of 1,000 meetings");
    let t = Translator(Language::Ru);

    let mut group = c.benchmark_group("visit_page");
    for (name, visit) in [("demo visit", demo_visit), ("1000 meetings", large)] {
        let html = render_visit_page(
            t,
            Chrome::visitor(),
            &programme::load(&mut conn, visit, EngineSettings::default()).expect("programme"),
            &VisitView::default(),
            chrono::Utc::now(),
        )
        .expect("a page");
        eprintln!("{name}: {} KiB of HTML", html.len() / 1024);
        group.bench_function(name, |b| {
            b.iter(|| {
                let programme =
                    programme::load(&mut conn, black_box(visit), EngineSettings::default())
                        .expect("programme");
                black_box(
                    render_visit_page(
                        t,
                        Chrome::visitor(),
                        &programme,
                        &VisitView::default(),
                        chrono::Utc::now(),
                    )
                    .expect("a page")
                    .len(),
                )
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(5));
    targets = visit_page
}
criterion_main!(benches);
