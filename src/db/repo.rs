//! Repository functions: plain queries over `DbConn`, one concern each. They
//! neither validate nor decide; the services do.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rows::*;
use super::schema::*;
use super::DbConn;
use crate::{insert_batch, insert_returning_id};

type QResult<T> = QueryResult<T>;

/// The ids of `$table` among `$ids` that exist.
macro_rules! existing_ids {
    ($conn:expr, $table:ident, $ids:expr) => {{
        let ids: &[i64] = $ids;
        if ids.is_empty() {
            Ok(Vec::new())
        } else {
            $table::table
                .filter($table::id.eq_any(ids))
                .select($table::id)
                .load::<i64>($conn)
        }
    }};
}

pub fn existing_official_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<i64>> {
    existing_ids!(conn, officials, ids)
}
pub fn existing_venue_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<i64>> {
    existing_ids!(conn, venues, ids)
}
pub fn existing_group_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<i64>> {
    existing_ids!(conn, attendee_groups, ids)
}
pub fn existing_participant_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<i64>> {
    existing_ids!(conn, participants, ids)
}

// ---------------------------------------------------------------------------
// Officials

pub fn find_official(conn: &mut DbConn, id: i64) -> QResult<Option<OfficialRow>> {
    officials::table
        .find(id)
        .select(OfficialRow::as_select())
        .first(conn)
        .optional()
}

/// In protocol order: precedence, then name.
pub fn list_officials(conn: &mut DbConn) -> QResult<Vec<OfficialRow>> {
    officials::table
        .select(OfficialRow::as_select())
        .order((officials::precedence, officials::full_name, officials::id))
        .load(conn)
}

pub fn insert_official(
    conn: &mut DbConn,
    changes: &OfficialChanges,
    now: NaiveDateTime,
) -> QResult<i64> {
    insert_returning_id!(conn, officials, (changes, officials::created_at.eq(now)))
}

pub fn update_official(conn: &mut DbConn, id: i64, changes: &OfficialChanges) -> QResult<usize> {
    diesel::update(officials::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete_official(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(officials::table.find(id)).execute(conn)
}

/// How many meetings and visits name this official.
pub fn official_usage(conn: &mut DbConn, id: i64) -> QResult<(i64, i64)> {
    let meetings = meeting_officials::table
        .filter(meeting_officials::official_id.eq(id))
        .count()
        .get_result::<i64>(conn)?;
    let visits = visit_officials::table
        .filter(visit_officials::official_id.eq(id))
        .count()
        .get_result::<i64>(conn)?
        + visits::table
            .filter(visits::lead_official_id.eq(id))
            .count()
            .get_result::<i64>(conn)?;
    Ok((meetings, visits))
}

// ---------------------------------------------------------------------------
// Venues

pub fn find_venue(conn: &mut DbConn, id: i64) -> QResult<Option<VenueRow>> {
    venues::table
        .find(id)
        .select(VenueRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_venues(conn: &mut DbConn) -> QResult<Vec<VenueRow>> {
    venues::table
        .select(VenueRow::as_select())
        .order((venues::city, venues::name, venues::id))
        .load(conn)
}

pub fn insert_venue(conn: &mut DbConn, changes: &VenueChanges, now: NaiveDateTime) -> QResult<i64> {
    insert_returning_id!(conn, venues, (changes, venues::created_at.eq(now)))
}

pub fn update_venue(conn: &mut DbConn, id: i64, changes: &VenueChanges) -> QResult<usize> {
    diesel::update(venues::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete_venue(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(venues::table.find(id)).execute(conn)
}

pub fn meetings_at_venue(conn: &mut DbConn, id: i64) -> QResult<i64> {
    meetings::table
        .filter(meetings::venue_id.eq(id))
        .count()
        .get_result(conn)
}

// ---------------------------------------------------------------------------
// Participants and groups

pub fn find_participant(conn: &mut DbConn, id: i64) -> QResult<Option<ParticipantRow>> {
    participants::table
        .find(id)
        .select(ParticipantRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_participants(conn: &mut DbConn) -> QResult<Vec<ParticipantRow>> {
    participants::table
        .select(ParticipantRow::as_select())
        .order((participants::full_name, participants::id))
        .load(conn)
}

pub fn insert_participant(
    conn: &mut DbConn,
    changes: &ParticipantChanges,
    now: NaiveDateTime,
) -> QResult<i64> {
    insert_returning_id!(
        conn,
        participants,
        (changes, participants::created_at.eq(now))
    )
}

pub fn update_participant(
    conn: &mut DbConn,
    id: i64,
    changes: &ParticipantChanges,
) -> QResult<usize> {
    diesel::update(participants::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete_participant(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(participants::table.find(id)).execute(conn)
}

pub fn meetings_of_participant(conn: &mut DbConn, id: i64) -> QResult<i64> {
    meeting_participants::table
        .filter(meeting_participants::participant_id.eq(id))
        .count()
        .get_result(conn)
}

pub fn find_group(conn: &mut DbConn, id: i64) -> QResult<Option<GroupRow>> {
    attendee_groups::table
        .find(id)
        .select(GroupRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_groups(conn: &mut DbConn) -> QResult<Vec<GroupRow>> {
    attendee_groups::table
        .select(GroupRow::as_select())
        .order((attendee_groups::name, attendee_groups::id))
        .load(conn)
}

pub fn insert_group(conn: &mut DbConn, changes: &GroupChanges, now: NaiveDateTime) -> QResult<i64> {
    insert_returning_id!(
        conn,
        attendee_groups,
        (changes, attendee_groups::created_at.eq(now))
    )
}

pub fn update_group(conn: &mut DbConn, id: i64, changes: &GroupChanges) -> QResult<usize> {
    diesel::update(attendee_groups::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete_group(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(attendee_groups::table.find(id)).execute(conn)
}

pub fn meetings_of_group(conn: &mut DbConn, id: i64) -> QResult<i64> {
    meeting_groups::table
        .filter(meeting_groups::group_id.eq(id))
        .count()
        .get_result(conn)
}

/// `(group_id, participant_id)` pairs for the given groups (all groups when `None`).
pub fn memberships_of_groups(
    conn: &mut DbConn,
    group_ids: Option<&[i64]>,
) -> QResult<Vec<(i64, i64)>> {
    let mut query = group_members::table
        .select((group_members::group_id, group_members::participant_id))
        .order((group_members::group_id, group_members::participant_id))
        .into_boxed();
    if let Some(ids) = group_ids {
        query = query.filter(group_members::group_id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

/// `(group_id, participant_id)` pairs for the given participants (all when `None`).
pub fn memberships_of_participants(
    conn: &mut DbConn,
    participant_ids: Option<&[i64]>,
) -> QResult<Vec<(i64, i64)>> {
    let mut query = group_members::table
        .select((group_members::group_id, group_members::participant_id))
        .order((group_members::participant_id, group_members::group_id))
        .into_boxed();
    if let Some(ids) = participant_ids {
        query = query.filter(group_members::participant_id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

pub fn set_group_members(conn: &mut DbConn, group_id: i64, participant_ids: &[i64]) -> QResult<()> {
    diesel::delete(group_members::table.filter(group_members::group_id.eq(group_id)))
        .execute(conn)?;
    let rows: Vec<_> = participant_ids
        .iter()
        .map(|p| {
            (
                group_members::group_id.eq(group_id),
                group_members::participant_id.eq(*p),
            )
        })
        .collect();
    insert_batch!(conn, group_members, rows)?;
    Ok(())
}

pub fn set_participant_groups(
    conn: &mut DbConn,
    participant_id: i64,
    group_ids: &[i64],
) -> QResult<()> {
    diesel::delete(group_members::table.filter(group_members::participant_id.eq(participant_id)))
        .execute(conn)?;
    let rows: Vec<_> = group_ids
        .iter()
        .map(|g| {
            (
                group_members::group_id.eq(*g),
                group_members::participant_id.eq(participant_id),
            )
        })
        .collect();
    insert_batch!(conn, group_members, rows)?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Visits

pub fn find_visit(conn: &mut DbConn, id: i64) -> QResult<Option<VisitRow>> {
    visits::table
        .find(id)
        .select(VisitRow::as_select())
        .first(conn)
        .optional()
}

/// Upcoming first: by first day, then title.
pub fn list_visits(conn: &mut DbConn) -> QResult<Vec<VisitRow>> {
    visits::table
        .select(VisitRow::as_select())
        .order((visits::first_day, visits::title, visits::id))
        .load(conn)
}

pub fn insert_visit(conn: &mut DbConn, changes: &VisitChanges, now: NaiveDateTime) -> QResult<i64> {
    insert_returning_id!(conn, visits, (changes, visits::created_at.eq(now)))
}

pub fn update_visit(conn: &mut DbConn, id: i64, changes: &VisitChanges) -> QResult<usize> {
    diesel::update(visits::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete_visit(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(visits::table.find(id)).execute(conn)
}

/// `(visit_id, official_id)` pairs for the given visits (all when `None`).
pub fn visit_officials_of(
    conn: &mut DbConn,
    visit_ids: Option<&[i64]>,
) -> QResult<Vec<(i64, i64)>> {
    let mut query = visit_officials::table
        .select((visit_officials::visit_id, visit_officials::official_id))
        .order((visit_officials::visit_id, visit_officials::official_id))
        .into_boxed();
    if let Some(ids) = visit_ids {
        query = query.filter(visit_officials::visit_id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

pub fn set_visit_officials(conn: &mut DbConn, visit_id: i64, official_ids: &[i64]) -> QResult<()> {
    diesel::delete(visit_officials::table.filter(visit_officials::visit_id.eq(visit_id)))
        .execute(conn)?;
    let rows: Vec<_> = official_ids
        .iter()
        .map(|o| {
            (
                visit_officials::visit_id.eq(visit_id),
                visit_officials::official_id.eq(*o),
            )
        })
        .collect();
    insert_batch!(conn, visit_officials, rows)?;
    Ok(())
}

pub fn count_visits(conn: &mut DbConn) -> QResult<i64> {
    visits::table.count().get_result(conn)
}

// ---------------------------------------------------------------------------
// Meetings

pub fn find_meeting(conn: &mut DbConn, id: i64) -> QResult<Option<MeetingRow>> {
    meetings::table
        .find(id)
        .select(MeetingRow::as_select())
        .first(conn)
        .optional()
}

pub fn meetings_of_visit(conn: &mut DbConn, visit_id: i64) -> QResult<Vec<MeetingRow>> {
    meetings::table
        .filter(meetings::visit_id.eq(visit_id))
        .select(MeetingRow::as_select())
        .order((meetings::starts_at, meetings::ends_at, meetings::id))
        .load(conn)
}

pub fn insert_meeting(
    conn: &mut DbConn,
    visit_id: i64,
    changes: &MeetingChanges,
    now: NaiveDateTime,
) -> QResult<i64> {
    insert_returning_id!(
        conn,
        meetings,
        (
            changes,
            meetings::visit_id.eq(visit_id),
            meetings::version.eq(1),
            meetings::created_at.eq(now)
        )
    )
}

/// Writes the change and raises the version; with `expected_version`, only if
/// the row is still at that version. Returns the rows changed (0: stale or gone).
pub fn update_meeting(
    conn: &mut DbConn,
    id: i64,
    expected_version: Option<i32>,
    changes: &MeetingChanges,
) -> QResult<usize> {
    let bump = (changes, meetings::version.eq(meetings::version + 1));
    match expected_version {
        Some(version) => diesel::update(
            meetings::table
                .filter(meetings::id.eq(id))
                .filter(meetings::version.eq(version)),
        )
        .set(bump)
        .execute(conn),
        None => diesel::update(meetings::table.find(id))
            .set(bump)
            .execute(conn),
    }
}

pub fn delete_meeting(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(meetings::table.find(id)).execute(conn)
}

pub fn meeting_officials_of(
    conn: &mut DbConn,
    meeting_ids: &[i64],
) -> QResult<Vec<MeetingOfficialRow>> {
    meeting_officials::table
        .filter(meeting_officials::meeting_id.eq_any(meeting_ids.to_vec()))
        .select(MeetingOfficialRow::as_select())
        .order((
            meeting_officials::meeting_id,
            meeting_officials::official_id,
        ))
        .load(conn)
}

pub fn meeting_groups_of(conn: &mut DbConn, meeting_ids: &[i64]) -> QResult<Vec<(i64, i64)>> {
    meeting_groups::table
        .filter(meeting_groups::meeting_id.eq_any(meeting_ids.to_vec()))
        .select((meeting_groups::meeting_id, meeting_groups::group_id))
        .order((meeting_groups::meeting_id, meeting_groups::group_id))
        .load(conn)
}

pub fn meeting_participants_of(conn: &mut DbConn, meeting_ids: &[i64]) -> QResult<Vec<(i64, i64)>> {
    meeting_participants::table
        .filter(meeting_participants::meeting_id.eq_any(meeting_ids.to_vec()))
        .select((
            meeting_participants::meeting_id,
            meeting_participants::participant_id,
        ))
        .order((
            meeting_participants::meeting_id,
            meeting_participants::participant_id,
        ))
        .load(conn)
}

/// Replaces who attends a meeting.
pub fn set_meeting_people(
    conn: &mut DbConn,
    meeting_id: i64,
    officials: &[MeetingOfficialRow],
    group_ids: &[i64],
    participant_ids: &[i64],
) -> QResult<()> {
    diesel::delete(meeting_officials::table.filter(meeting_officials::meeting_id.eq(meeting_id)))
        .execute(conn)?;
    diesel::delete(meeting_groups::table.filter(meeting_groups::meeting_id.eq(meeting_id)))
        .execute(conn)?;
    diesel::delete(
        meeting_participants::table.filter(meeting_participants::meeting_id.eq(meeting_id)),
    )
    .execute(conn)?;
    insert_batch!(conn, meeting_officials, officials)?;
    {
        let rows: Vec<_> = group_ids
            .iter()
            .map(|g| {
                (
                    meeting_groups::meeting_id.eq(meeting_id),
                    meeting_groups::group_id.eq(*g),
                )
            })
            .collect();
        insert_batch!(conn, meeting_groups, rows)?;
    }
    {
        let rows: Vec<_> = participant_ids
            .iter()
            .map(|p| {
                (
                    meeting_participants::meeting_id.eq(meeting_id),
                    meeting_participants::participant_id.eq(*p),
                )
            })
            .collect();
        insert_batch!(conn, meeting_participants, rows)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Unavailability and travel times

pub fn find_unavailability(conn: &mut DbConn, id: i64) -> QResult<Option<UnavailabilityRow>> {
    unavailability::table
        .find(id)
        .select(UnavailabilityRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_unavailability(conn: &mut DbConn) -> QResult<Vec<UnavailabilityRow>> {
    unavailability::table
        .select(UnavailabilityRow::as_select())
        .order((unavailability::starts_at, unavailability::id))
        .load(conn)
}

pub fn insert_unavailability(conn: &mut DbConn, row: &NewUnavailability) -> QResult<i64> {
    insert_returning_id!(conn, unavailability, row)
}

pub fn delete_unavailability(conn: &mut DbConn, id: i64) -> QResult<usize> {
    diesel::delete(unavailability::table.find(id)).execute(conn)
}

pub fn find_travel_time(conn: &mut DbConn, from: i64, to: i64) -> QResult<Option<TravelTimeRow>> {
    travel_times::table
        .find((from, to))
        .select(TravelTimeRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_travel_times(conn: &mut DbConn) -> QResult<Vec<TravelTimeRow>> {
    travel_times::table
        .select(TravelTimeRow::as_select())
        .order((travel_times::from_venue_id, travel_times::to_venue_id))
        .load(conn)
}

/// Sets the minutes for one direction, replacing an earlier entry. A delete and
/// an insert rather than an upsert: both backends run it as written.
pub fn put_travel_time(conn: &mut DbConn, row: &TravelTimeRow) -> QResult<()> {
    delete_travel_time(conn, row.from_venue_id, row.to_venue_id)?;
    diesel::insert_into(travel_times::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn delete_travel_time(conn: &mut DbConn, from: i64, to: i64) -> QResult<usize> {
    diesel::delete(travel_times::table.find((from, to))).execute(conn)
}

// ---------------------------------------------------------------------------
// Users, tokens, audit, installation facts

pub fn find_user_by_email(conn: &mut DbConn, email: &str) -> QResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_user(conn: &mut DbConn, id: i64) -> QResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_users(conn: &mut DbConn) -> QResult<Vec<UserRow>> {
    users::table
        .select(UserRow::as_select())
        .order((users::email, users::id))
        .load(conn)
}

pub fn count_users(conn: &mut DbConn) -> QResult<i64> {
    users::table.count().get_result(conn)
}

pub fn insert_user(conn: &mut DbConn, user: &NewUser<'_>) -> QResult<i64> {
    insert_returning_id!(conn, users, user)
}

pub fn insert_api_token(
    conn: &mut DbConn,
    user_id: i64,
    token_hash: &str,
    now: NaiveDateTime,
) -> QResult<i64> {
    insert_returning_id!(
        conn,
        api_tokens,
        (
            api_tokens::user_id.eq(user_id),
            api_tokens::token_hash.eq(token_hash),
            api_tokens::created_at.eq(now)
        )
    )
}

/// The user behind a token that has not been revoked.
pub fn user_by_token_hash(conn: &mut DbConn, token_hash: &str) -> QResult<Option<UserRow>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_audit_event(conn: &mut DbConn, event: &NewAuditEvent) -> QResult<()> {
    diesel::insert_into(audit_events::table)
        .values(event)
        .execute(conn)?;
    Ok(())
}

pub fn audit_events_of_visit(conn: &mut DbConn, visit_id: i64) -> QResult<Vec<AuditEventRow>> {
    audit_events::table
        .filter(audit_events::visit_id.eq(visit_id))
        .select(AuditEventRow::as_select())
        .order((audit_events::at.desc(), audit_events::id.desc()))
        .load(conn)
}

pub fn audit_events_of(
    conn: &mut DbConn,
    entity: &str,
    entity_id: i64,
) -> QResult<Vec<AuditEventRow>> {
    audit_events::table
        .filter(audit_events::entity.eq(entity))
        .filter(audit_events::entity_id.eq(entity_id))
        .select(AuditEventRow::as_select())
        .order(audit_events::id)
        .load(conn)
}

pub fn meta_value(conn: &mut DbConn, key: &str) -> QResult<Option<String>> {
    app_meta::table
        .find(key)
        .select(app_meta::value)
        .first(conn)
        .optional()
}

pub fn set_meta_value(conn: &mut DbConn, key: &str, value: &str) -> QResult<()> {
    diesel::delete(app_meta::table.find(key)).execute(conn)?;
    diesel::insert_into(app_meta::table)
        .values((app_meta::key.eq(key), app_meta::value.eq(value)))
        .execute(conn)?;
    Ok(())
}

/// How many meetings each visit has, by visit id.
pub fn meeting_counts(conn: &mut DbConn) -> QResult<Vec<(i64, i64)>> {
    meetings::table
        .group_by(meetings::visit_id)
        .select((meetings::visit_id, diesel::dsl::count_star()))
        .load(conn)
}

pub fn record_sign_in_failure(
    conn: &mut DbConn,
    email: &str,
    client: &str,
    at: NaiveDateTime,
) -> QResult<()> {
    diesel::insert_into(sign_in_failures::table)
        .values((
            sign_in_failures::email.eq(email),
            sign_in_failures::client.eq(client),
            sign_in_failures::at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Failures since `since` for this email, and for this client address.
pub fn sign_in_failures_since(
    conn: &mut DbConn,
    email: &str,
    client: &str,
    since: NaiveDateTime,
) -> QResult<(i64, i64)> {
    let by_email = sign_in_failures::table
        .filter(sign_in_failures::email.eq(email))
        .filter(sign_in_failures::at.ge(since))
        .count()
        .get_result(conn)?;
    let by_client = sign_in_failures::table
        .filter(sign_in_failures::client.eq(client))
        .filter(sign_in_failures::at.ge(since))
        .count()
        .get_result(conn)?;
    Ok((by_email, by_client))
}

pub fn forget_sign_in_failures(conn: &mut DbConn, email: &str) -> QResult<usize> {
    diesel::delete(sign_in_failures::table.filter(sign_in_failures::email.eq(email))).execute(conn)
}

pub fn set_user_language(conn: &mut DbConn, user_id: i64, language: &str) -> QResult<usize> {
    diesel::update(users::table.find(user_id))
        .set(users::language.eq(language))
        .execute(conn)
}

// ---------------------------------------------------------------------------
// What the conflict engine needs

/// The meetings of a visit, and every meeting of any visit that overlaps
/// `[from, to)`: the commitments a visit's people and venues may clash with.
pub fn meetings_for_conflicts(
    conn: &mut DbConn,
    visit_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QResult<Vec<MeetingRow>> {
    meetings::table
        .filter(
            meetings::visit_id
                .eq(visit_id)
                .or(meetings::starts_at.lt(to).and(meetings::ends_at.gt(from))),
        )
        .select(MeetingRow::as_select())
        .order((meetings::starts_at, meetings::id))
        .load(conn)
}

/// The same selection as `meetings_for_conflicts`, as a subquery of ids.
macro_rules! conflict_meeting_ids {
    ($visit_id:expr, $from:expr, $to:expr) => {
        meetings::table
            .filter(
                meetings::visit_id
                    .eq($visit_id)
                    .or(meetings::starts_at.lt($to).and(meetings::ends_at.gt($from))),
            )
            .select(meetings::id)
    };
}

/// Who attends the meetings of a conflict check: officials with their roles,
/// and `(meeting_id, group_id)` and `(meeting_id, participant_id)` pairs.
pub struct MeetingLinks {
    pub officials: Vec<MeetingOfficialRow>,
    pub groups: Vec<(i64, i64)>,
    pub participants: Vec<(i64, i64)>,
}

/// The officials, groups and participants of those meetings, in three queries.
pub fn links_for_conflicts(
    conn: &mut DbConn,
    visit_id: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QResult<MeetingLinks> {
    let officials = meeting_officials::table
        .filter(meeting_officials::meeting_id.eq_any(conflict_meeting_ids!(visit_id, from, to)))
        .select(MeetingOfficialRow::as_select())
        .load(conn)?;
    let groups = meeting_groups::table
        .filter(meeting_groups::meeting_id.eq_any(conflict_meeting_ids!(visit_id, from, to)))
        .select((meeting_groups::meeting_id, meeting_groups::group_id))
        .load(conn)?;
    let participants = meeting_participants::table
        .filter(meeting_participants::meeting_id.eq_any(conflict_meeting_ids!(visit_id, from, to)))
        .select((
            meeting_participants::meeting_id,
            meeting_participants::participant_id,
        ))
        .load(conn)?;
    Ok(MeetingLinks {
        officials,
        groups,
        participants,
    })
}

pub fn officials_by_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<OfficialRow>> {
    officials::table
        .filter(officials::id.eq_any(ids))
        .select(OfficialRow::as_select())
        .load(conn)
}

pub fn venues_by_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<VenueRow>> {
    venues::table
        .filter(venues::id.eq_any(ids))
        .select(VenueRow::as_select())
        .load(conn)
}

pub fn groups_by_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<GroupRow>> {
    attendee_groups::table
        .filter(attendee_groups::id.eq_any(ids))
        .select(GroupRow::as_select())
        .load(conn)
}

pub fn participants_by_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<ParticipantRow>> {
    participants::table
        .filter(participants::id.eq_any(ids))
        .select(ParticipantRow::as_select())
        .load(conn)
}

pub fn visits_by_ids(conn: &mut DbConn, ids: &[i64]) -> QResult<Vec<VisitRow>> {
    visits::table
        .filter(visits::id.eq_any(ids))
        .select(VisitRow::as_select())
        .load(conn)
}

/// Travel times among the given venues.
pub fn travel_times_among(conn: &mut DbConn, venue_ids: &[i64]) -> QResult<Vec<TravelTimeRow>> {
    travel_times::table
        .filter(travel_times::from_venue_id.eq_any(venue_ids))
        .filter(travel_times::to_venue_id.eq_any(venue_ids))
        .select(TravelTimeRow::as_select())
        .load(conn)
}

/// Unavailability of the given officials or venues that overlaps `[from, to)`.
pub fn unavailability_for(
    conn: &mut DbConn,
    official_ids: &[i64],
    venue_ids: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QResult<Vec<UnavailabilityRow>> {
    unavailability::table
        .filter(
            unavailability::official_id
                .eq_any(official_ids)
                .or(unavailability::venue_id.eq_any(venue_ids)),
        )
        .filter(unavailability::starts_at.lt(to))
        .filter(unavailability::ends_at.gt(from))
        .select(UnavailabilityRow::as_select())
        .load(conn)
}

pub fn set_user_role(conn: &mut DbConn, user_id: i64, role: &str) -> QResult<usize> {
    diesel::update(users::table.find(user_id))
        .set(users::role.eq(role))
        .execute(conn)
}
