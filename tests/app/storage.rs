//! Every entity's create, read, update, delete and list, on both backends,
//! through the services layer.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use sapar::db::{self, repo};
use sapar::domain::model::*;
use sapar::domain::{Language, VenueKind, VisitStatus};
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::catalogue::{
    groups, officials, participants, travel_times, unavailability, venues,
};
use sapar::services::programme::{meetings, visits};
use sapar::services::{demo, ServiceError};

use crate::support::{actor, TestDb};

fn text(s: &str) -> Option<String> {
    Some(s.to_owned())
}

fn instant(s: &str) -> Option<DateTime<chrono::FixedOffset>> {
    Some(DateTime::parse_from_rfc3339(s).expect("a test instant"))
}

pub fn official(name: &str) -> OfficialInput {
    OfficialInput {
        full_name: text(name),
        position: text("Депутат Сената"),
        precedence: Some(10),
        email: text("deputy@senate.example.kz"),
        language: text("kk"),
        ..Default::default()
    }
}

pub fn venue(name: &str) -> VenueInput {
    VenueInput {
        name: text(name),
        kind: text("plant"),
        address: text("ул. Промышленная, 1"),
        city: text("Усть-Каменогорск"),
        latitude: Some(49.9242),
        longitude: Some(82.7081),
        timezone: text("Asia/Almaty"),
        capacity: Some(60),
        opens: text("08:00"),
        closes: text("18:00"),
        contact_email: text("host@plant.example.kz"),
        ..Default::default()
    }
}

pub fn visit(official_ids: Vec<i64>) -> VisitInput {
    VisitInput {
        title: text("Рабочая поездка"),
        region: text("Восточно-Казахстанская область"),
        timezone: text("Asia/Almaty"),
        first_day: NaiveDate::from_ymd_opt(2026, 2, 25),
        last_day: NaiveDate::from_ymd_opt(2026, 2, 26),
        lead_official_id: official_ids.first().copied(),
        official_ids,
        ..Default::default()
    }
}

pub fn meeting(venue_id: i64, official_ids: Vec<i64>, starts: &str, ends: &str) -> MeetingInput {
    MeetingInput {
        title: text("Встреча с трудовым коллективом"),
        kind: text("site_visit"),
        starts_at: instant(starts),
        ends_at: instant(ends),
        venue_id: Some(venue_id),
        official_ids,
        status: text("confirmed"),
        ..Default::default()
    }
}

fn officials_crud(db: &TestDb) {
    let conn = &mut db.conn();
    let a = officials::create(conn, &actor(), &official("Ашимбаев Маулен")).unwrap();
    let b = officials::create(
        conn,
        &actor(),
        &OfficialInput {
            precedence: Some(1),
            ..official("Әбілқасымова Құралай")
        },
    )
    .unwrap();
    assert_eq!(officials::get(conn, a.id).unwrap(), a);
    assert_eq!(a.language, Language::Kk);
    // Protocol order: precedence first.
    let names: Vec<_> = officials::list(conn)
        .unwrap()
        .into_iter()
        .map(|o| o.full_name)
        .collect();
    assert_eq!(names, ["Әбілқасымова Құралай", "Ашимбаев Маулен"]);

    let updated = officials::update(
        conn,
        &actor(),
        a.id,
        &OfficialInput {
            position: None,
            phone: text("+7 7172 74 00 01"),
            ..official("Ашимбаев Маулен Сагатханулы")
        },
    )
    .unwrap();
    assert_eq!(updated.full_name, "Ашимбаев Маулен Сагатханулы");
    assert_eq!(updated.position, None, "a cleared field is stored as empty");
    assert_eq!(updated.phone.as_deref(), Some("+7 7172 74 00 01"));

    officials::delete(conn, &actor(), b.id).unwrap();
    assert!(matches!(
        officials::get(conn, b.id),
        Err(ServiceError::NotFound {
            entity: "official",
            ..
        })
    ));
    assert!(matches!(
        officials::delete(conn, &actor(), b.id),
        Err(ServiceError::NotFound { .. })
    ));
    assert_eq!(officials::list(conn).unwrap().len(), 1);

    let history: Vec<_> = repo::audit_events_of(conn, "official", a.id)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(history, ["create", "update"]);
    let deleted = repo::audit_events_of(conn, "official", b.id).unwrap();
    assert_eq!(deleted.last().unwrap().action, "delete");
    assert!(deleted
        .last()
        .unwrap()
        .before
        .as_deref()
        .unwrap()
        .contains("Әбілқасымова"));
}

fn venues_crud(db: &TestDb) {
    let conn = &mut db.conn();
    let created = venues::create(conn, &actor(), &venue("УКТМК")).unwrap();
    assert_eq!(created.kind, VenueKind::Plant);
    assert_eq!(created.timezone, chrono_tz::Asia::Almaty);
    assert_eq!(created.opens.unwrap().to_string(), "08:00:00");
    assert_eq!(created.latitude, Some(49.9242));

    let updated = venues::update(
        conn,
        &actor(),
        created.id,
        &VenueInput {
            opens: None,
            closes: None,
            latitude: None,
            longitude: None,
            timezone: text("Europe/Moscow"),
            ..venue("УКТМК, цех № 1")
        },
    )
    .unwrap();
    assert_eq!(updated.name, "УКТМК, цех № 1");
    assert_eq!((updated.opens, updated.latitude), (None, None));
    assert_eq!(updated.timezone, chrono_tz::Europe::Moscow);
    assert_eq!(venues::list(conn).unwrap(), vec![updated]);

    venues::delete(conn, &actor(), created.id).unwrap();
    assert!(venues::list(conn).unwrap().is_empty());
}

fn participants_and_groups_crud(db: &TestDb) {
    let conn = &mut db.conn();
    let ivanova = participants::create(
        conn,
        &actor(),
        &ParticipantInput {
            full_name: text("Иванова Елена"),
            email: text("e.ivanova@maslikhat.example.kz"),
            ..Default::default()
        },
    )
    .unwrap();
    let group = groups::create(
        conn,
        &actor(),
        &GroupInput {
            name: text("Депутаты маслихата"),
            headcount: Some(120),
            contact_participant_id: Some(ivanova.row.id),
            participant_ids: vec![ivanova.row.id],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(group.participant_ids, vec![ivanova.row.id]);
    assert_eq!(
        participants::get(conn, ivanova.row.id).unwrap().group_ids,
        vec![group.row.id]
    );

    // A participant joins a second group from their own side.
    let youth = groups::create(
        conn,
        &actor(),
        &GroupInput {
            name: text("Активная молодежь"),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(youth.row.headcount, 0);
    let moved = participants::update(
        conn,
        &actor(),
        ivanova.row.id,
        &ParticipantInput {
            full_name: text("Иванова Елена Викторовна"),
            language: text("en"),
            group_ids: vec![group.row.id, youth.row.id],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(moved.group_ids, vec![group.row.id, youth.row.id]);
    assert_eq!(moved.row.email, None);
    assert_eq!(
        groups::get(conn, youth.row.id).unwrap().participant_ids,
        vec![ivanova.row.id]
    );

    let listed = groups::list(conn).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(participants::list(conn).unwrap(), vec![moved.clone()]);

    let renamed = groups::update(
        conn,
        &actor(),
        group.row.id,
        &GroupInput {
            name: text("Депутаты маслихатов области"),
            headcount: Some(150),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(renamed.participant_ids, Vec::<i64>::new());
    assert_eq!(renamed.row.contact_participant_id, None);

    // Deleting a participant takes their memberships with them.
    participants::delete(conn, &actor(), ivanova.row.id).unwrap();
    assert!(groups::get(conn, youth.row.id)
        .unwrap()
        .participant_ids
        .is_empty());
    groups::delete(conn, &actor(), youth.row.id).unwrap();
    assert_eq!(groups::list(conn).unwrap().len(), 1);
}

fn visits_and_meetings_crud(db: &TestDb) {
    let conn = &mut db.conn();
    let speaker = officials::create(conn, &actor(), &official("Ашимбаев")).unwrap();
    let akim = officials::create(conn, &actor(), &official("Аким")).unwrap();
    let plant = venues::create(conn, &actor(), &venue("УКТМК")).unwrap();
    let created = visits::create(conn, &actor(), &visit(vec![speaker.id])).unwrap();
    assert_eq!(created.official_ids, vec![speaker.id]);
    assert_eq!(created.row.status, VisitStatus::Draft);

    let updated = visits::update(
        conn,
        &actor(),
        created.row.id,
        &VisitInput {
            official_ids: vec![speaker.id, akim.id],
            theme: text("Новая Конституция"),
            ..visit(vec![speaker.id])
        },
    )
    .unwrap();
    assert_eq!(updated.official_ids, vec![speaker.id, akim.id]);
    assert_eq!(visits::list(conn).unwrap(), vec![updated.clone()]);

    let m = meetings::create(
        conn,
        &actor(),
        created.row.id,
        &MeetingInput {
            official_roles: BTreeMap::from([(akim.id, "host".to_owned())]),
            ..meeting(
                plant.id,
                vec![speaker.id, akim.id],
                "2026-02-25T14:20:00+05:00",
                "2026-02-25T15:30:00+05:00",
            )
        },
    )
    .unwrap();
    assert_eq!(m.row.version, 1);
    assert_eq!(
        m.official_roles[&speaker.id], "principal",
        "the visit's lead is the principal"
    );
    assert_eq!(m.official_roles[&akim.id], "host");

    let moved = meetings::update(
        conn,
        &actor(),
        m.row.id,
        &MeetingInput {
            version: Some(1),
            agenda: text("Осмотр цеха"),
            ..meeting(
                plant.id,
                vec![speaker.id],
                "2026-02-25T15:00:00+05:00",
                "2026-02-25T16:00:00+05:00",
            )
        },
    )
    .unwrap();
    assert_eq!(moved.row.version, 2);
    assert_eq!(moved.official_ids, vec![speaker.id]);
    assert_eq!(moved.row.agenda.as_deref(), Some("Осмотр цеха"));
    assert_eq!(
        meetings::of_visit(conn, created.row.id).unwrap(),
        vec![moved.clone()]
    );

    meetings::delete(conn, &actor(), m.row.id).unwrap();
    assert!(meetings::of_visit(conn, created.row.id).unwrap().is_empty());

    // A draft visit goes with its programme.
    meetings::create(
        conn,
        &actor(),
        created.row.id,
        &meeting(
            plant.id,
            vec![speaker.id],
            "2026-02-25T10:00:00+05:00",
            "2026-02-25T11:00:00+05:00",
        ),
    )
    .unwrap();
    visits::delete(conn, &actor(), created.row.id).unwrap();
    assert!(visits::list(conn).unwrap().is_empty());
    assert!(matches!(
        meetings::of_visit(conn, created.row.id),
        Err(ServiceError::NotFound {
            entity: "visit",
            ..
        })
    ));
    // Now nothing names the venue or the officials, so they can go.
    venues::delete(conn, &actor(), plant.id).unwrap();
    officials::delete(conn, &actor(), akim.id).unwrap();

    let log = repo::audit_events_of_visit(conn, created.row.id).unwrap();
    let actions: Vec<_> = log
        .iter()
        .rev()
        .map(|e| (e.entity.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("visit", "create"),
            ("visit", "update"),
            ("meeting", "create"),
            ("meeting", "update"),
            ("meeting", "delete"),
            ("meeting", "create"),
            ("visit", "delete"),
        ]
    );
}

fn unavailability_and_travel_times_crud(db: &TestDb) {
    let conn = &mut db.conn();
    let speaker = officials::create(conn, &actor(), &official("Ашимбаев")).unwrap();
    let a = venues::create(conn, &actor(), &venue("Аэропорт")).unwrap();
    let b = venues::create(conn, &actor(), &venue("Маслихат")).unwrap();

    let window = unavailability::create(
        conn,
        &actor(),
        &UnavailabilityInput {
            official_id: Some(speaker.id),
            starts_at: instant("2026-02-26T09:00:00+05:00"),
            ends_at: instant("2026-02-26T13:00:00+05:00"),
            reason: text("Пленарное заседание"),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(window.starts_at.to_string(), "2026-02-26 04:00:00");
    let closed = unavailability::create(
        conn,
        &actor(),
        &UnavailabilityInput {
            venue_id: Some(b.id),
            starts_at: instant("2026-02-27T00:00:00Z"),
            ends_at: instant("2026-02-28T00:00:00Z"),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        unavailability::list(conn).unwrap(),
        vec![window.clone(), closed]
    );
    unavailability::delete(conn, &actor(), window.id).unwrap();
    assert_eq!(unavailability::list(conn).unwrap().len(), 1);

    let put = |conn: &mut db::DbConn, from, to, minutes| {
        travel_times::put(
            conn,
            &actor(),
            &TravelTimeInput {
                from_venue_id: Some(from),
                to_venue_id: Some(to),
                minutes: Some(minutes),
            },
        )
        .unwrap()
    };
    put(conn, a.id, b.id, 25);
    put(conn, b.id, a.id, 30);
    put(conn, a.id, b.id, 20);
    let listed: Vec<_> = travel_times::list(conn)
        .unwrap()
        .into_iter()
        .map(|t| (t.from_venue_id, t.to_venue_id, t.minutes))
        .collect();
    assert_eq!(listed, [(a.id, b.id, 20), (b.id, a.id, 30)]);
    travel_times::delete(conn, &actor(), b.id, a.id).unwrap();
    assert_eq!(travel_times::list(conn).unwrap().len(), 1);

    // A venue's travel times and closures go with it.
    venues::delete(conn, &actor(), b.id).unwrap();
    assert!(travel_times::list(conn).unwrap().is_empty());
    assert!(unavailability::list(conn).unwrap().is_empty());
}

fn users_and_tokens(db: &TestDb) {
    let conn = &mut db.conn();
    // `prepare` made the first admin.
    assert_eq!(accounts::count_users(conn).unwrap(), 1);
    let password = Password::new("planner-password-1");
    let user = accounts::create_user(
        conn,
        &actor(),
        &NewUserInput {
            email: "Planner@Senate.example.KZ",
            full_name: "Жумабекова Айгерим",
            role: "planner",
            language: Language::Kk,
            password: &password,
        },
    )
    .unwrap();
    assert_eq!(user.email, "Planner@senate.example.kz");
    assert!(user.password_hash.starts_with("$argon2id$"));
    let found = accounts::authenticate(conn, "Planner@senate.example.kz", &password).unwrap();
    assert_eq!(found.map(|u| u.id), Some(user.id));
    assert!(
        accounts::authenticate(conn, &user.email, &Password::new("wrong-password"))
            .unwrap()
            .is_none()
    );

    let again = accounts::create_user(
        conn,
        &actor(),
        &NewUserInput {
            email: "Planner@senate.example.kz",
            full_name: "",
            role: "viewer",
            language: Language::Ru,
            password: &password,
        },
    );
    assert!(matches!(again, Err(ServiceError::Validation(e)) if e.get("email").is_some()));

    let token = accounts::create_token(conn, &actor(), &user.email).unwrap();
    assert!(token.starts_with("sapar_") && token.len() > 40);
    assert_eq!(
        accounts::user_by_token(conn, &token).unwrap().map(|u| u.id),
        Some(user.id)
    );
    assert!(accounts::user_by_token(conn, "sapar_forged")
        .unwrap()
        .is_none());
}

fn a_stale_meeting_version_is_refused_and_changes_nothing(db: &TestDb) {
    let conn = &mut db.conn();
    let speaker = officials::create(conn, &actor(), &official("Ашимбаев")).unwrap();
    let plant = venues::create(conn, &actor(), &venue("УКТМК")).unwrap();
    let v = visits::create(conn, &actor(), &visit(vec![speaker.id])).unwrap();
    let original = meetings::create(
        conn,
        &actor(),
        v.row.id,
        &meeting(
            plant.id,
            vec![speaker.id],
            "2026-02-25T10:00:00+05:00",
            "2026-02-25T11:00:00+05:00",
        ),
    )
    .unwrap();
    // Planner one saves at version 1.
    meetings::update(
        conn,
        &actor(),
        original.row.id,
        &MeetingInput {
            version: Some(1),
            ..meeting(
                plant.id,
                vec![speaker.id],
                "2026-02-25T10:30:00+05:00",
                "2026-02-25T11:30:00+05:00",
            )
        },
    )
    .unwrap();
    let after_first = meetings::get(conn, original.row.id).unwrap();
    // Planner two, still at version 1, is refused.
    let stale = meetings::update(
        conn,
        &actor(),
        original.row.id,
        &MeetingInput {
            version: Some(1),
            title: text("Другое название"),
            ..meeting(
                plant.id,
                vec![],
                "2026-02-25T12:00:00+05:00",
                "2026-02-25T13:00:00+05:00",
            )
        },
    );
    assert!(matches!(
        stale,
        Err(ServiceError::StaleVersion {
            entity: "meeting",
            current: 2,
            ..
        })
    ));
    assert_eq!(meetings::get(conn, original.row.id).unwrap(), after_first);
    let updates = repo::audit_events_of(conn, "meeting", original.row.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "update")
        .count();
    assert_eq!(updates, 1, "the refused save left no audit event");
}

fn deletes_that_would_orphan_data_are_refused(db: &TestDb) {
    let conn = &mut db.conn();
    let speaker = officials::create(conn, &actor(), &official("Ашимбаев")).unwrap();
    let plant = venues::create(conn, &actor(), &venue("УКТМК")).unwrap();
    let collective = groups::create(
        conn,
        &actor(),
        &GroupInput {
            name: text("Трудовой коллектив"),
            ..Default::default()
        },
    )
    .unwrap();
    let guest = participants::create(
        conn,
        &actor(),
        &ParticipantInput {
            full_name: text("Петров Андрей"),
            ..Default::default()
        },
    )
    .unwrap();
    let v = visits::create(conn, &actor(), &visit(vec![speaker.id])).unwrap();
    meetings::create(
        conn,
        &actor(),
        v.row.id,
        &MeetingInput {
            group_ids: vec![collective.row.id],
            participant_ids: vec![guest.row.id],
            ..meeting(
                plant.id,
                vec![speaker.id],
                "2026-02-25T10:00:00+05:00",
                "2026-02-25T11:00:00+05:00",
            )
        },
    )
    .unwrap();

    match venues::delete(conn, &actor(), plant.id) {
        Err(ServiceError::InUse {
            entity: "venue",
            reason,
            ..
        }) => {
            assert_eq!(
                reason.to_string(),
                "1 meeting takes place there; move or delete them first"
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(matches!(
        officials::delete(conn, &actor(), speaker.id),
        Err(ServiceError::InUse {
            entity: "official",
            ..
        })
    ));
    assert!(matches!(
        groups::delete(conn, &actor(), collective.row.id),
        Err(ServiceError::InUse {
            entity: "group",
            ..
        })
    ));
    assert!(matches!(
        participants::delete(conn, &actor(), guest.row.id),
        Err(ServiceError::InUse {
            entity: "participant",
            ..
        })
    ));
    // Nothing was removed.
    assert_eq!(venues::list(conn).unwrap().len(), 1);
    assert_eq!(officials::list(conn).unwrap().len(), 1);
    assert_eq!(groups::list(conn).unwrap().len(), 1);
    assert_eq!(participants::list(conn).unwrap().len(), 1);

    // A published visit is cancelled, not deleted.
    visits::update(
        conn,
        &actor(),
        v.row.id,
        &VisitInput {
            status: text("published"),
            ..visit(vec![speaker.id])
        },
    )
    .unwrap();
    assert!(matches!(
        visits::delete(conn, &actor(), v.row.id),
        Err(ServiceError::InUse {
            entity: "visit",
            ..
        })
    ));
}

fn utc_instants_round_trip_to_the_second(db: &TestDb) {
    let speaker = officials::create(&mut db.conn(), &actor(), &official("Ашимбаев")).unwrap();
    let plant = venues::create(&mut db.conn(), &actor(), &venue("УКТМК")).unwrap();
    let v = visits::create(&mut db.conn(), &actor(), &visit(vec![speaker.id])).unwrap();
    let written = meetings::create(
        &mut db.conn(),
        &actor(),
        v.row.id,
        // Given in Almaty time with seconds and a fraction, and in Moscow time.
        &meeting(
            plant.id,
            vec![speaker.id],
            "2026-02-25T09:59:58.900+05:00",
            "2026-02-25T08:15:01+03:00",
        ),
    )
    .unwrap();

    // Read back over a new connection, as after a restart.
    let mut fresh = db.fresh_connection();
    let read = meetings::get(&mut fresh, written.row.id).unwrap();
    assert_eq!(
        read.row.starts_at.and_utc().to_rfc3339(),
        "2026-02-25T04:59:58+00:00"
    );
    assert_eq!(
        read.row.ends_at.and_utc().to_rfc3339(),
        "2026-02-25T05:15:01+00:00"
    );
    assert_eq!(read, written);
}

fn a_failed_change_writes_nothing(db: &TestDb) {
    let conn = &mut db.conn();
    let before_groups = groups::list(conn).unwrap().len();
    let refused = groups::create(
        conn,
        &actor(),
        &GroupInput {
            name: text("Группа"),
            participant_ids: vec![4242],
            ..Default::default()
        },
    );
    assert!(
        matches!(refused, Err(ServiceError::Validation(e)) if e.get("participant_ids").is_some())
    );
    assert_eq!(groups::list(conn).unwrap().len(), before_groups);
    assert!(repo::audit_events_of(conn, "group", 1).unwrap().is_empty());
}

fn migrations_from_an_empty_database_then_nothing_to_do(db: &TestDb) {
    // `TestDb::new` migrated it already; a second run finds nothing.
    let mut conn = db.fresh_connection();
    assert_eq!(db::run_migrations(&mut conn).unwrap(), 0);
    assert!(db::ping(&mut conn));
}

fn the_demo_visit_loads_once(db: &TestDb) {
    let conn = &mut db.conn();
    let first = demo::load(conn).unwrap();
    let demo::DemoOutcome::Loaded { visit_id } = first else {
        panic!("the demo should load into an empty database");
    };
    assert_eq!(demo::load(conn).unwrap(), demo::DemoOutcome::AlreadyLoaded);

    let visit = visits::get(conn, visit_id).unwrap();
    assert_eq!(visit.row.timezone, chrono_tz::Asia::Almaty);
    assert_eq!(
        visit.row.first_day,
        NaiveDate::from_ymd_opt(2026, 2, 25).unwrap()
    );
    assert_eq!(visits::list(conn).unwrap().len(), 1);
    let programme = meetings::of_visit(conn, visit_id).unwrap();
    assert_eq!(programme.len(), 10);
    assert!(programme
        .iter()
        .any(|m| m.row.title.contains("титано-магниевого комбината")));
    let first_item = &programme[0];
    assert_eq!(
        first_item.row.starts_at.to_string(),
        "2026-02-25 03:30:00",
        "08:30 in Almaty is 03:30 UTC"
    );
    assert_eq!(venues::list(conn).unwrap().len(), 8);
    assert_eq!(groups::list(conn).unwrap().len(), 7);
    let speaker = &officials::list(conn).unwrap()[0];
    assert_eq!(speaker.full_name, "Ашимбаев Маулен Сагатханулы");
    assert_eq!(visit.row.lead_official_id, Some(speaker.id));
}

crate::on_both_backends!(
    officials_crud,
    venues_crud,
    participants_and_groups_crud,
    visits_and_meetings_crud,
    unavailability_and_travel_times_crud,
    users_and_tokens,
    a_stale_meeting_version_is_refused_and_changes_nothing,
    deletes_that_would_orphan_data_are_refused,
    utc_instants_round_trip_to_the_second,
    a_failed_change_writes_nothing,
    migrations_from_an_empty_database_then_nothing_to_do,
    the_demo_visit_loads_once,
);
