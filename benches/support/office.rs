//! A protocol office with years of history, written straight into a
//! migrated database (a SQLite file, or PostgreSQL for the benchmarks'
//! second figures): the `visit_list` and `office` benchmarks measure its
//! pages, and
//! `examples/office.rs` writes one to a file for the load script
//! (`scripts/load.sh`) to serve. Included by both through `#[path]`.

use std::fmt::Write;

use chrono::{Days, NaiveDate, Utc};
use diesel::connection::SimpleConnection;
use diesel::Connection;

use sapar::db::{repo, DbConn};

/// The office's size besides its visits.
const OFFICIALS: usize = 5_000;
const PARTICIPANTS: usize = 20_000;
const GROUPS: usize = 1_000;
const VENUES: usize = 200;
pub const MEETINGS_PER_VISIT: usize = 30;
/// Rows per INSERT statement.
const BATCH: usize = 500;

/// A small deterministic generator, so every run measures the same office.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Runs SQL on either database.
fn execute(conn: &mut DbConn, sql: &str) {
    match conn {
        DbConn::Sqlite(c) => c.batch_execute(sql),
        DbConn::Postgres(c) => c.batch_execute(sql),
    }
    .unwrap_or_else(|e| panic!("{e}: {}", &sql[..sql.len().min(200)]))
}

/// Inserts `rows` (each a parenthesised tuple of SQL literals) `BATCH` at a
/// time, skipping rows already there (`ON CONFLICT DO NOTHING`, which both
/// databases read).
fn insert(conn: &mut DbConn, head: &str, rows: impl Iterator<Item = String>) {
    let rows: Vec<String> = rows.collect();
    for chunk in rows.chunks(BATCH) {
        execute(
            conn,
            &format!("{head} VALUES {} ON CONFLICT DO NOTHING;", chunk.join(",")),
        );
    }
}

/// Fills a migrated database with an office: `visits` three-day visits
/// about 300 a year, two thirds of them past, each with a delegation of five
/// and 30 meetings (two officials, a group and a venue each, some of them
/// clashing), over 5,000 officials, 20,000 participants in 1,000 groups and
/// 200 venues. Written straight in batches of rows: the use cases' one row at
/// a time would take minutes. The lists' search text is filled afterwards, as
/// after a migration.
pub fn fill_office(conn: &mut DbConn, visits: usize) {
    let mut rng = XorShift(0x5eed ^ visits as u64);
    let now = "'2026-01-01 00:00:00'";
    execute(conn, "BEGIN");
    insert(
        conn,
        "INSERT INTO officials (id, full_name, precedence, language, created_at, updated_at)",
        (1..=OFFICIALS).map(|i| {
            format!(
                "({i}, 'Должностное лицо {i}', {}, 'ru', {now}, {now})",
                i % 50 + 1
            )
        }),
    );
    insert(
        conn,
        "INSERT INTO venues (id, name, kind, latitude, longitude, timezone, capacity, opens, closes, created_at, updated_at)",
        (1..=VENUES).map(|i| {
            format!(
                "({i}, 'Площадка {i}', 'government', {}, {}, 'Asia/Almaty', 200, '08:00:00', '20:00:00', {now}, {now})",
                43.0 + (i % 20) as f64 * 0.3,
                68.0 + (i / 20) as f64 * 1.5
            )
        }),
    );
    insert(
        conn,
        "INSERT INTO participants (id, full_name, language, created_at, updated_at)",
        (1..=PARTICIPANTS).map(|i| format!("({i}, 'Участник {i}', 'kk', {now}, {now})")),
    );
    insert(
        conn,
        "INSERT INTO attendee_groups (id, name, headcount, created_at, updated_at)",
        (1..=GROUPS).map(|i| format!("({i}, 'Группа {i}', 20, {now}, {now})")),
    );
    insert(
        conn,
        "INSERT INTO group_members (group_id, participant_id)",
        (1..=PARTICIPANTS).map(|p| format!("({}, {p})", (p - 1) % GROUPS + 1)),
    );

    let today = Utc::now().date_naive();
    let start = today - Days::new((visits * 2 / 3 * 365 / 300) as u64);
    let first_day = |v: usize| start + Days::new((v * 365 / 300) as u64);
    insert(
        conn,
        "INSERT INTO visits (id, title, region, timezone, first_day, last_day, status, created_at, updated_at)",
        (1..=visits).map(|v| {
            let first: NaiveDate = first_day(v);
            format!(
                "({v}, 'Рабочая поездка {v}', 'Область {}', 'Asia/Almaty', '{first}', '{}', 'draft', {now}, {now})",
                v % 17,
                first + Days::new(2)
            )
        }),
    );
    let delegations: Vec<Vec<usize>> = (0..=visits)
        .map(|_| (0..5).map(|_| rng.below(OFFICIALS) + 1).collect())
        .collect();
    insert(
        conn,
        "INSERT INTO visit_officials (visit_id, official_id)",
        (1..=visits).flat_map(|v| {
            delegations[v]
                .iter()
                .map(move |o| format!("({v}, {o})"))
                .collect::<Vec<_>>()
        }),
    );
    let (mut meetings, mut officials, mut groups) = (Vec::new(), Vec::new(), Vec::new());
    for (v, delegation) in delegations.iter().enumerate().skip(1) {
        for k in 0..MEETINGS_PER_VISIT {
            let id = (v - 1) * MEETINGS_PER_VISIT + k + 1;
            let day = first_day(v) + Days::new((k / 10) as u64);
            // Ten a day from 09:00, forty-five minutes apart, an hour long: some clash.
            let minutes = 9 * 60 + (k % 10) * 45;
            let mut line = String::new();
            write!(
                line,
                "({id}, {v}, 'meeting', 'Встреча {id}', '{day} {:02}:{:02}:00', '{day} {:02}:{:02}:00', {}, 'confirmed', 1, {now}, {now})",
                minutes / 60 - 5,
                minutes % 60,
                (minutes + 60) / 60 - 5,
                minutes % 60,
                rng.below(VENUES) + 1
            )
            .expect("a row");
            meetings.push(line);
            let (a, b) = (delegation[rng.below(5)], delegation[rng.below(5)]);
            officials.push(format!("({id}, {a}, 'principal')"));
            if a != b {
                officials.push(format!("({id}, {b}, 'accompanying')"));
            }
            groups.push(format!("({id}, {})", rng.below(GROUPS) + 1));
        }
    }
    insert(
        conn,
        "INSERT INTO meetings (id, visit_id, kind, title, starts_at, ends_at, venue_id, status, version, created_at, updated_at)",
        meetings.into_iter(),
    );
    insert(
        conn,
        "INSERT INTO meeting_officials (meeting_id, official_id, role)",
        officials.into_iter(),
    );
    insert(
        conn,
        "INSERT INTO meeting_groups (meeting_id, group_id)",
        groups.into_iter(),
    );
    execute(conn, "COMMIT");
    // The lists' search text, folded in Rust as every write does it.
    conn.transaction(repo::backfill_search_text)
        .expect("the lists' search text");
    if let DbConn::Postgres(_) = conn {
        // The ids were given, so the sequences start after them.
        for table in [
            "officials",
            "venues",
            "participants",
            "attendee_groups",
            "visits",
            "meetings",
        ] {
            execute(
                conn,
                &format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}));"),
            );
        }
    }
    execute(conn, "ANALYZE");
}
