//! Synthetic programmes for the benchmarks that go through the database.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};

use sapar::config::DatabaseTarget;
use sapar::db::{self, write_transaction, DbConn};
use sapar::domain::model::*;
use sapar::services::catalogue::{groups, officials, venues};
use sapar::services::programme::{meetings, visits};
use sapar::services::{Actor, ServiceError};

/// A migrated SQLite file in a temporary folder (kept alive by the returned guard).
pub fn sqlite() -> (tempfile::TempDir, DbConn) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let target = DatabaseTarget::Sqlite(dir.path().join("bench.db"));
    let mut conn = db::establish(&target).expect("a SQLite file");
    db::run_migrations(&mut conn).expect("migrations");
    (dir, conn)
}

/// A migrated database of its own on the PostgreSQL server named by
/// `SAPAR_TEST_POSTGRES_URL` (else the local one the tests use), dropped with
/// the returned guard; `None`, after saying why, when there is none.
#[allow(dead_code)]
pub fn postgres() -> Option<(PostgresGuard, DbConn)> {
    use diesel::{Connection, RunQueryDsl};
    let admin_url = std::env::var("SAPAR_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let mut admin = match diesel::PgConnection::establish(&admin_url) {
        Ok(conn) => conn,
        Err(e) => {
            eprintln!("no PostgreSQL figures: cannot connect to {admin_url} ({e})");
            return None;
        }
    };
    let name = format!("sapar_bench_{}", std::process::id());
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&mut admin)
        .ok()?;
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("a database for the benchmark");
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(base, _)| base);
    let url = format!("{base}/{name}");
    let mut conn = db::establish(&DatabaseTarget::Postgres(url)).expect("the new database");
    db::run_migrations(&mut conn).expect("migrations");
    Some((PostgresGuard { admin, name }, conn))
}

/// Drops the benchmark's database when the benchmark is done with it.
pub struct PostgresGuard {
    admin: diesel::PgConnection,
    name: String,
}

impl Drop for PostgresGuard {
    fn drop(&mut self) {
        use diesel::RunQueryDsl;
        let _ = diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut self.admin);
    }
}

/// A small deterministic generator, so every run measures the same programme.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A visit of `n` one-hour meetings over `days` days, each with two officials,
/// a venue and up to two groups, drawn so that some of them clash.
pub fn build_visit(conn: &mut DbConn, n: usize, days: i64, seed: u64) -> Result<i64, ServiceError> {
    let actor = Actor::system("bench");
    let mut rng = XorShift(seed);
    // Sized like a real programme: a few meetings per person a day.
    let people = (n / 5).max(10);
    write_transaction(conn, |conn| {
        let official_ids: Vec<i64> = (0..people)
            .map(|i| {
                officials::create(
                    conn,
                    &actor,
                    &OfficialInput {
                        full_name: Some(format!("Official {i}")),
                        ..Default::default()
                    },
                )
                .map(|o| o.id)
            })
            .collect::<Result<_, _>>()?;
        let venue_ids: Vec<i64> = (0..people / 2)
            .map(|i| {
                venues::create(
                    conn,
                    &actor,
                    &VenueInput {
                        name: Some(format!("Venue {i}")),
                        timezone: Some("Asia/Almaty".into()),
                        latitude: Some(49.9 + (i % 10) as f64 * 0.01),
                        longitude: Some(82.6 + (i / 10) as f64 * 0.01),
                        capacity: Some(100),
                        opens: Some("08:00".into()),
                        closes: Some("20:00".into()),
                        ..Default::default()
                    },
                )
                .map(|v| v.id)
            })
            .collect::<Result<_, _>>()?;
        let group_ids: Vec<i64> = (0..people)
            .map(|i| {
                groups::create(
                    conn,
                    &actor,
                    &GroupInput {
                        name: Some(format!("Group {i}")),
                        headcount: Some(20),
                        ..Default::default()
                    },
                )
                .map(|g| g.row.id)
            })
            .collect::<Result<_, _>>()?;
        // Each seed gets its own season, so two generated visits never share days.
        let first = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default()
            + Duration::days((seed % 50) as i64 * 90);
        let visit = visits::create(
            conn,
            &actor,
            &VisitInput {
                title: Some(format!("Visit of {n} meetings")),
                timezone: Some("Asia/Almaty".into()),
                first_day: Some(first),
                last_day: Some(first + Duration::days(days - 1)),
                ..Default::default()
            },
        )?;
        let zone = FixedOffset::east_opt(5 * 3600).unwrap_or(FixedOffset::east_opt(0).unwrap());
        for i in 0..n {
            let day = first + Duration::days(rng.below(days as u64) as i64);
            let minute = 8 * 60 + 5 * rng.below(12 * 12) as i64;
            let start: DateTime<FixedOffset> = zone
                .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
                .single()
                .unwrap_or_else(|| zone.timestamp_opt(0, 0).unwrap())
                + Duration::minutes(minute);
            let a = official_ids[rng.below(people as u64) as usize];
            let b = official_ids[rng.below(people as u64) as usize];
            let mut officials = vec![a];
            if b != a {
                officials.push(b);
            }
            let groups: Vec<i64> = (0..rng.below(3))
                .map(|_| group_ids[rng.below(people as u64) as usize])
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            meetings::create(
                conn,
                &actor,
                visit.row.id,
                &MeetingInput {
                    title: Some(format!("Meeting {i}")),
                    starts_at: Some(start),
                    ends_at: Some(start + Duration::minutes(60)),
                    venue_id: Some(venue_ids[rng.below(venue_ids.len() as u64) as usize]),
                    official_ids: officials,
                    group_ids: groups,
                    ..Default::default()
                },
            )?;
        }
        Ok(visit.row.id)
    })
}
