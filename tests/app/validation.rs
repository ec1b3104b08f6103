//! Each kind of bad input is refused with the field named, on both backends,
//! and changes nothing.

use chrono::{DateTime, NaiveDate};
use sapar::domain::model::*;
use sapar::domain::FieldProblem;
use sapar::services::catalogue::{
    groups, officials, participants, travel_times, unavailability, venues,
};
use sapar::services::programme::{meetings, visits};
use sapar::services::ServiceError;

use crate::storage::{meeting, official, venue, visit};
use crate::support::{actor, TestDb};

fn problem<T: std::fmt::Debug>(result: Result<T, ServiceError>, field: &str) -> FieldProblem {
    match result {
        Err(ServiceError::Validation(errors)) => errors
            .get(field)
            .cloned()
            .unwrap_or_else(|| panic!("no problem with {field} in {errors}")),
        other => panic!("expected a validation error on {field}, got {other:?}"),
    }
}

fn each_validation_error_names_its_field(db: &TestDb) {
    let conn = &mut db.conn();
    let speaker = officials::create(conn, &actor(), &official("Ашимбаев")).unwrap();
    let plant = venues::create(conn, &actor(), &venue("УКТМК")).unwrap();
    let v = visits::create(conn, &actor(), &visit(vec![speaker.id])).unwrap();

    // Unknown time zone.
    let bad_zone = VenueInput {
        timezone: Some("Asia/Oskemen".into()),
        ..venue("Зал")
    };
    assert_eq!(
        problem(venues::create(conn, &actor(), &bad_zone), "timezone"),
        FieldProblem::UnknownTimeZone
    );

    // End not after start, for a meeting and for an unavailability window.
    let backwards = meeting(
        plant.id,
        vec![speaker.id],
        "2026-02-25T11:00:00+05:00",
        "2026-02-25T11:00:00+05:00",
    );
    assert_eq!(
        problem(
            meetings::create(conn, &actor(), v.row.id, &backwards),
            "ends_at"
        ),
        FieldProblem::EndNotAfterStart
    );
    let window = UnavailabilityInput {
        official_id: Some(speaker.id),
        starts_at: DateTime::parse_from_rfc3339("2026-02-25T12:00:00+05:00").ok(),
        ends_at: DateTime::parse_from_rfc3339("2026-02-25T09:00:00+05:00").ok(),
        ..Default::default()
    };
    assert_eq!(
        problem(unavailability::create(conn, &actor(), &window), "ends_at"),
        FieldProblem::EndNotAfterStart
    );

    // Unknown referenced ids, wherever an id is taken.
    let ghost_venue = meeting(
        9999,
        vec![speaker.id],
        "2026-02-25T10:00:00+05:00",
        "2026-02-25T11:00:00+05:00",
    );
    assert_eq!(
        problem(
            meetings::create(conn, &actor(), v.row.id, &ghost_venue),
            "venue_id"
        ),
        FieldProblem::UnknownId { id: 9999 }
    );
    let ghost_official = meeting(
        plant.id,
        vec![speaker.id, 777],
        "2026-02-25T10:00:00+05:00",
        "2026-02-25T11:00:00+05:00",
    );
    assert_eq!(
        problem(
            meetings::create(conn, &actor(), v.row.id, &ghost_official),
            "official_ids"
        ),
        FieldProblem::UnknownId { id: 777 }
    );
    let ghost_group = MeetingInput {
        group_ids: vec![31],
        participant_ids: vec![32],
        ..meeting(
            plant.id,
            vec![],
            "2026-02-25T10:00:00+05:00",
            "2026-02-25T11:00:00+05:00",
        )
    };
    let result = meetings::create(conn, &actor(), v.row.id, &ghost_group);
    assert!(matches!(&result, Err(ServiceError::Validation(e))
        if e.get("group_ids") == Some(&FieldProblem::UnknownId { id: 31 })
        && e.get("participant_ids") == Some(&FieldProblem::UnknownId { id: 32 })));
    assert!(matches!(
        meetings::create(conn, &actor(), 5555, &ghost_group),
        Err(ServiceError::NotFound {
            entity: "visit",
            id: 5555
        })
    ));
    assert_eq!(
        problem(
            visits::create(conn, &actor(), &visit(vec![404])),
            "lead_official_id"
        ),
        FieldProblem::UnknownId { id: 404 }
    );
    assert_eq!(
        problem(
            participants::create(
                conn,
                &actor(),
                &ParticipantInput {
                    full_name: Some("Ким".into()),
                    group_ids: vec![8],
                    ..Default::default()
                }
            ),
            "group_ids"
        ),
        FieldProblem::UnknownId { id: 8 }
    );
    let travel = TravelTimeInput {
        from_venue_id: Some(plant.id),
        to_venue_id: Some(1234),
        minutes: Some(20),
    };
    assert_eq!(
        problem(travel_times::put(conn, &actor(), &travel), "to_venue_id"),
        FieldProblem::UnknownId { id: 1234 }
    );
    let ghost_window = UnavailabilityInput {
        venue_id: Some(4321),
        ..window.clone()
    };
    assert!(matches!(
        unavailability::create(conn, &actor(), &UnavailabilityInput {
            ends_at: DateTime::parse_from_rfc3339("2026-02-25T13:00:00+05:00").ok(),
            official_id: None,
            ..ghost_window
        }),
        Err(ServiceError::Validation(e)) if e.get("venue_id") == Some(&FieldProblem::UnknownId { id: 4321 })
    ));

    // Invalid email.
    let bad_email = OfficialInput {
        email: Some("aide at senate".into()),
        ..official("Помощник")
    };
    assert_eq!(
        problem(officials::create(conn, &actor(), &bad_email), "email"),
        FieldProblem::InvalidEmail
    );
    let header_injection = VenueInput {
        contact_email: Some("host@plant.kz\r\nBcc: all@example.kz".into()),
        ..venue("Зал")
    };
    assert_eq!(
        problem(
            venues::create(conn, &actor(), &header_injection),
            "contact_email"
        ),
        FieldProblem::InvalidEmail
    );

    // First day after last day.
    let inverted = VisitInput {
        first_day: NaiveDate::from_ymd_opt(2026, 2, 27),
        ..visit(vec![speaker.id])
    };
    assert_eq!(
        problem(visits::create(conn, &actor(), &inverted), "last_day"),
        FieldProblem::FirstDayAfterLastDay
    );

    // Coordinates and capacity out of range.
    let off_the_map = VenueInput {
        latitude: Some(95.0),
        longitude: Some(-200.0),
        capacity: Some(0),
        ..venue("Зал")
    };
    let result = venues::create(conn, &actor(), &off_the_map);
    assert!(matches!(&result, Err(ServiceError::Validation(e))
        if matches!(e.get("latitude"), Some(FieldProblem::OutOfRange { .. }))
        && matches!(e.get("longitude"), Some(FieldProblem::OutOfRange { .. }))
        && matches!(e.get("capacity"), Some(FieldProblem::OutOfRange { .. }))));

    // Text too long (counted in characters, Kazakh letters included).
    let long_name = OfficialInput {
        full_name: Some("ә".repeat(201)),
        ..official("x")
    };
    assert_eq!(
        problem(officials::create(conn, &actor(), &long_name), "full_name"),
        FieldProblem::TooLong { max: 200 }
    );
    let long_group = GroupInput {
        name: Some("Группа".into()),
        description: Some("қ".repeat(20_001)),
        ..Default::default()
    };
    assert_eq!(
        problem(groups::create(conn, &actor(), &long_group), "description"),
        FieldProblem::TooLong { max: 20_000 }
    );

    // Required fields.
    assert_eq!(
        problem(
            officials::create(conn, &actor(), &OfficialInput::default()),
            "full_name"
        ),
        FieldProblem::Required
    );

    // None of it was written.
    assert_eq!(officials::list(conn).unwrap().len(), 1);
    assert_eq!(venues::list(conn).unwrap().len(), 1);
    assert_eq!(visits::list(conn).unwrap().len(), 1);
    assert!(meetings::of_visit(conn, v.row.id).unwrap().is_empty());
    assert!(groups::list(conn).unwrap().is_empty());
    assert!(participants::list(conn).unwrap().is_empty());
    assert!(unavailability::list(conn).unwrap().is_empty());
    assert!(travel_times::list(conn).unwrap().is_empty());
}

fn updates_are_validated_too(db: &TestDb) {
    let conn = &mut db.conn();
    let speaker = officials::create(conn, &actor(), &official("Ашимбаев")).unwrap();
    let bad = OfficialInput {
        precedence: Some(0),
        ..official("Ашимбаев")
    };
    assert!(matches!(
        problem(
            officials::update(conn, &actor(), speaker.id, &bad),
            "precedence"
        ),
        FieldProblem::OutOfRange { .. }
    ));
    assert_eq!(officials::get(conn, speaker.id).unwrap(), speaker);
    assert!(matches!(
        officials::update(conn, &actor(), 999, &official("Никто")),
        Err(ServiceError::NotFound {
            entity: "official",
            id: 999
        })
    ));
}

crate::on_both_backends!(
    each_validation_error_names_its_field,
    updates_are_validated_too
);
