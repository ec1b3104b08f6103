//! Publishing to many people (release build, SQLite file): a visit whose
//! meetings invite groups of 2,000 participants in all, each with an email.
//!
//! - `publish`: a first publication, which renders and queues one notice per
//!   participant in one transaction (target under 1 s), under criterion;
//! - the worker delivering those 2,000 messages to a real SMTP server on
//!   loopback (`tests/app/support/smtp.rs`, a thread per connection), timed
//!   once and printed as messages per second (target at least 100/s).

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use diesel::prelude::*;

use sapar::config::{DatabaseTarget, Settings, SmtpUrl};
use sapar::db::schema::{outbox_messages, schedule_versions};
use sapar::db::{write_transaction, DbConn};
use sapar::domain::model::*;
use sapar::mail::transport::Transport;
use sapar::services::catalogue::{groups, officials, participants, venues};
use sapar::services::outbox as worker;
use sapar::services::programme::{meetings, visits};
use sapar::services::publishing;
use sapar::services::{Actor, ServiceError};

#[allow(dead_code)]
mod support;

#[path = "../tests/app/support/smtp.rs"]
#[allow(dead_code)]
mod smtp;

const GROUPS: usize = 20;
const PER_GROUP: usize = 100;
const PARTICIPANTS: usize = GROUPS * PER_GROUP;

/// Twenty meetings over two days, each inviting two neighbouring groups of a
/// hundred: 2,000 participants, each in two meetings.
fn build_visit(conn: &mut DbConn) -> Result<i64, ServiceError> {
    let actor = Actor::system("bench");
    write_transaction(conn, |conn| {
        let official = officials::create(
            conn,
            &actor,
            &OfficialInput {
                full_name: Some("Ашимбаев Маулен Сагатханулы".into()),
                ..Default::default()
            },
        )?
        .id;
        let venue = venues::create(
            conn,
            &actor,
            &VenueInput {
                name: Some("Дом дружбы".into()),
                address: Some("ул. Кирова, 49".into()),
                timezone: Some("Asia/Almaty".into()),
                capacity: Some(500),
                ..Default::default()
            },
        )?
        .id;
        let mut group_ids = Vec::with_capacity(GROUPS);
        for g in 0..GROUPS {
            let mut members = Vec::with_capacity(PER_GROUP);
            for p in 0..PER_GROUP {
                let person = participants::create(
                    conn,
                    &actor,
                    &ParticipantInput {
                        full_name: Some(format!("Участник {g}-{p} Әсемұлы")),
                        email: Some(format!("p{g}.{p}@example.kz")),
                        language: Some(["ru", "kk", "en"][p % 3].into()),
                        ..Default::default()
                    },
                )?;
                members.push(person.row.id);
            }
            let group = groups::create(
                conn,
                &actor,
                &GroupInput {
                    name: Some(format!("Группа {g}")),
                    headcount: Some(PER_GROUP as i32),
                    participant_ids: members,
                    ..Default::default()
                },
            )?;
            group_ids.push(group.row.id);
        }
        let first = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
        let visit = visits::create(
            conn,
            &actor,
            &VisitInput {
                title: Some("Визит для 2000 участников".into()),
                timezone: Some("Asia/Almaty".into()),
                first_day: Some(first),
                last_day: Some(first.succ_opt().unwrap_or(first)),
                official_ids: vec![official],
                ..Default::default()
            },
        )?;
        for i in 0..GROUPS {
            // Ten a day, forty minutes each with twenty between.
            let (day, slot) = (2 + i / 10, i % 10);
            let at = |minute: usize| {
                DateTime::<FixedOffset>::parse_from_rfc3339(&format!(
                    "2026-03-{day:02}T{:02}:{:02}:00+05:00",
                    8 + minute / 60,
                    minute % 60
                ))
                .ok()
            };
            meetings::create(
                conn,
                &actor,
                visit.row.id,
                &MeetingInput {
                    title: Some(format!("Встреча № {i}")),
                    starts_at: at(slot * 60),
                    ends_at: at(slot * 60 + 40),
                    venue_id: Some(venue),
                    official_ids: vec![official],
                    group_ids: vec![group_ids[i], group_ids[(i + 1) % GROUPS]],
                    ..Default::default()
                },
            )?;
        }
        Ok(visit.row.id)
    })
}

/// Forgets every publication, so the next one is a first one again.
fn unpublish(conn: &mut DbConn) {
    diesel::delete(outbox_messages::table)
        .execute(conn)
        .expect("the outbox emptied");
    diesel::delete(schedule_versions::table)
        .execute(conn)
        .expect("the versions removed");
}

fn publish(c: &mut Criterion) {
    let (dir, mut conn) = support::sqlite();
    let target = DatabaseTarget::Sqlite(dir.path().join("bench.db"));
    let started = Instant::now();
    let visit = build_visit(&mut conn).expect("a visit for 2,000 participants");
    eprintln!(
        "built a visit for {PARTICIPANTS} participants in {:?}",
        started.elapsed()
    );
    let mut settings = Settings::from_lookup(|_| None).expect("default settings");
    settings.data_dir = dir.path().to_owned();
    settings.database = target;
    let actor = Actor::system("bench");

    let published =
        publishing::publish(&mut conn, &actor, visit, true, &settings).expect("published");
    assert_eq!(published.queued, PARTICIPANTS, "one notice per participant");

    let mut group = c.benchmark_group("publish");
    group.bench_function("first publication, 2000 participants", |b| {
        // Each sample is a first publication again: the one before is undone,
        // outside the measured time.
        b.iter_custom(|iterations| {
            let mut measured = Duration::ZERO;
            for _ in 0..iterations {
                unpublish(&mut conn);
                let started = Instant::now();
                let published =
                    publishing::publish(&mut conn, &actor, black_box(visit), true, &settings)
                        .expect("published");
                measured += started.elapsed();
                assert_eq!(black_box(published.queued), PARTICIPANTS);
            }
            measured
        })
    });
    group.finish();

    deliver(&mut conn, visit, &mut settings, &actor);
}

/// Workers draining one publication into a real SMTP server: one, as a
/// single app instance runs it, then four at once on the same queue.
fn deliver(conn: &mut DbConn, visit: i64, settings: &mut Settings, actor: &Actor) {
    let Some(sink) = smtp::SmtpSink::start() else {
        return;
    };
    settings.smtp_url = Some(SmtpUrl::parse(&sink.url()).expect("an SMTP URL"));
    let pool = sapar::db::pool(&settings.database).expect("a pool");
    for workers in [1, 4] {
        unpublish(conn);
        sink.clear();
        let queued = publishing::publish(conn, actor, visit, true, settings)
            .expect("published")
            .queued;
        let started = Instant::now();
        let sent: usize = std::thread::scope(|scope| {
            let running: Vec<_> = (0..workers)
                .map(|_| {
                    let (pool, settings) = (&pool, &*settings);
                    scope.spawn(move || {
                        let transport =
                            Transport::from_settings(settings).expect("an SMTP transport");
                        let round = worker::send_due(pool, &transport, &settings.mail_from)
                            .expect("a round");
                        assert_eq!((round.failed, round.retrying), (0, 0));
                        round.sent
                    })
                })
                .collect();
            running
                .into_iter()
                .map(|w| w.join().expect("a worker"))
                .sum()
        });
        let elapsed = started.elapsed();
        assert_eq!(sent, queued);
        assert_eq!(sink.wait_for(queued, Duration::from_secs(10)).len(), queued);
        println!(
            "publish/deliver over SMTP on loopback, {workers} worker(s): {queued} messages in {:.2} s \
             = {:.0} messages/s, {:.1} ms a message (target >= 100/s)",
            elapsed.as_secs_f64(),
            queued as f64 / elapsed.as_secs_f64(),
            elapsed.as_secs_f64() * 1000.0 / queued as f64,
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(10));
    targets = publish
}
criterion_main!(benches);
