//! Calendars and printable itineraries of a long programme (release build,
//! SQLite file): the staff `.ics` of a visit of 1,000 meetings (target under
//! 20 ms), and its printable working programme from the database to HTML
//! (target under 50 ms).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

use sapar::domain::conflicts::EngineSettings;
use sapar::domain::itinerary::{Audience, Filter};
use sapar::domain::Language;
use sapar::i18n::Translator;
use sapar::services::{calendars, itinerary};
use sapar::web::pages::itinerary::render_itinerary;

mod support;

const BASE: &str = "https://sapar.example.kz";

fn feeds(c: &mut Criterion) {
    let (_dir, mut conn) = support::sqlite();
    let visit = support::build_visit(&mut conn, 1_000, 5, 7).expect("a visit of 1,000 meetings");
    let t = Translator(Language::Ru);
    let settings = EngineSettings::default();

    let ics = calendars::visit_ics(&mut conn, visit, Language::Ru, BASE).expect("an .ics");
    eprintln!(
        "1000 meetings: {} KiB of .ics, {} events",
        ics.len() / 1024,
        ics.matches("BEGIN:VEVENT").count()
    );
    let found = itinerary::of_visit(
        &mut conn,
        visit,
        &Filter::default(),
        Audience::Internal,
        &settings,
    )
    .expect("an itinerary");
    let html = render_itinerary(t, &found, Audience::Internal, chrono::Utc::now()).expect("HTML");
    eprintln!("1000 meetings: {} KiB of itinerary HTML", html.len() / 1024);

    let mut group = c.benchmark_group("feeds");
    group.bench_function("visit .ics, 1000 meetings", |b| {
        b.iter(|| {
            let ics = calendars::visit_ics(&mut conn, black_box(visit), Language::Ru, BASE)
                .expect("an .ics");
            black_box(ics.len())
        })
    });
    group.bench_function("printable itinerary, 1000 meetings", |b| {
        b.iter(|| {
            let found = itinerary::of_visit(
                &mut conn,
                black_box(visit),
                &Filter::default(),
                Audience::Internal,
                &settings,
            )
            .expect("an itinerary");
            let html =
                render_itinerary(t, &found, Audience::Internal, chrono::Utc::now()).expect("HTML");
            black_box(html.len())
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(5));
    targets = feeds
}
criterion_main!(benches);
