//! Calendars: a visit's whole programme as an `.ics` for staff, and the
//! `webcal://` subscription feeds of one official or one participant across
//! every visit, behind revocable tokens.
//!
//! A feed holds only what was published: each visit's last published version
//! (its stored snapshot), never the draft being edited, so a meeting added or
//! moved shows only after the next publication. Of that, only the meetings
//! that concerned its person: an official's are the meetings that named them;
//! a participant's are those they were invited to by name or through a group.
//! A feed's link may be forwarded, so it carries when, where and the agenda,
//! and nothing internal: no host phones, venue notes, briefing notes or
//! logistics.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use rand::rngs::OsRng;
use rand::RngCore;
use serde::Serialize;

use super::{now, Actor, Audit, ServiceError, ServiceResult};
use crate::db::calendar_repo::{self, CalendarTokenRow};
use crate::db::outbox_repo;
use crate::db::rows::{MeetingRow, VenueRow};
use crate::db::{repo, write_transaction, DbConn};
use crate::domain::publication::{ProgrammeSnapshot, PublishedMeeting};
use crate::domain::{FieldProblem, Language, ValidationErrors, VisitStatus};
use crate::i18n;
use crate::render::calendar::{self, Calendar, CalendarEvent, EventStatus, Method};

/// A feed's token as listed: its row and its person's name.
pub use crate::db::calendar_repo::CalendarTokenListing;

/// Whom a subscription is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum Subscriber {
    Official(i64),
    Participant(i64),
}

impl Subscriber {
    fn columns(self) -> (Option<i64>, Option<i64>) {
        match self {
            Self::Official(id) => (Some(id), None),
            Self::Participant(id) => (None, Some(id)),
        }
    }

    /// Whether a published meeting concerned this person when it was published.
    fn concerned_by(self, meeting: &PublishedMeeting) -> bool {
        match self {
            Self::Official(id) => meeting.names_official(id),
            Self::Participant(id) => meeting.invites_participant(id),
        }
    }

    fn of(row: &CalendarTokenRow) -> Option<Self> {
        match (row.official_id, row.participant_id) {
            (Some(id), None) => Some(Self::Official(id)),
            (None, Some(id)) => Some(Self::Participant(id)),
            _ => None,
        }
    }
}

/// The host name of the base URL (`https://sapar.example.kz:8443/x` gives
/// `sapar.example.kz`): the right-hand side of every event's UID.
pub fn host_of(base_url: &str) -> &str {
    let authority = authority_of(base_url);
    if let Some(rest) = authority.strip_prefix('[') {
        // An IPv6 literal keeps its brackets' content.
        return rest.split(']').next().unwrap_or(rest);
    }
    authority.split(':').next().unwrap_or(authority)
}

/// `host[:port]` of the base URL, for the links of a subscription.
pub fn authority_of(base_url: &str) -> &str {
    let rest = base_url
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(base_url);
    let rest = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    rest.rsplit('@').next().unwrap_or(rest)
}

/// The event UID of a meeting: the same in every feed, file and message, so a
/// client matches a change to the event it holds.
pub fn meeting_uid(meeting_id: i64, base_url: &str) -> String {
    format!("meeting-{meeting_id}@{}", host_of(base_url))
}

/// The links that subscribe to a token's feed: `webcal://…` (calendar apps
/// open it as a subscription) and the same feed over `https://` (or `http://`).
pub fn subscription_links(base_url: &str, token: &str) -> (String, String) {
    let base = base_url.trim_end_matches('/');
    let path = format!("/calendar/{token}.ics");
    let webcal = format!("webcal://{}{path}", authority_of(base));
    (webcal, format!("{base}{path}"))
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// The description of a meeting for staff: agenda, logistics and dress code,
/// as paragraphs separated by a blank line.
fn staff_description(meeting: &MeetingRow, language: Language) -> Option<String> {
    let labelled = |key: &str, value: &str| format!("{}: {value}", i18n::text(language, key));
    let parts: Vec<String> = [
        non_empty(meeting.agenda.as_deref()).map(str::to_owned),
        non_empty(meeting.logistics.as_deref()).map(|l| labelled("itinerary-logistics", l)),
        non_empty(meeting.dress_code.as_deref()).map(|d| labelled("field-dress_code", d)),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// One meeting of the live programme as staff read it. `visit_cancelled`
/// calls off every meeting of a cancelled visit, whatever its own status says.
fn staff_event(
    meeting: &MeetingRow,
    venue: Option<&VenueRow>,
    visit_cancelled: bool,
    language: Language,
    base_url: &str,
) -> CalendarEvent {
    let status = if visit_cancelled {
        EventStatus::Cancelled
    } else {
        meeting.status.into()
    };
    let location = venue.map(|v| match non_empty(v.address.as_deref()) {
        Some(address) => format!("{}, {address}", v.name),
        None => v.name.clone(),
    });
    let base = base_url.trim_end_matches('/');
    CalendarEvent {
        uid: meeting_uid(meeting.id, base_url),
        sequence: u32::try_from(meeting.version.saturating_sub(1)).unwrap_or(0),
        start: meeting.starts_at.and_utc(),
        end: meeting.ends_at.and_utc(),
        stamp: meeting.updated_at.and_utc(),
        last_modified: Some(meeting.updated_at.and_utc()),
        summary: meeting.title.clone(),
        location,
        description: staff_description(meeting, language),
        status,
        organizer: None,
        attendees: Vec::new(),
        url: Some(format!("{base}/visits/{}", meeting.visit_id)),
        geo: venue.and_then(|v| Some((v.latitude?, v.longitude?))),
    }
}

/// One meeting of a published version as its person's feed shows it: title,
/// time, place and agenda, nothing more. `published_at` stamps it, so a
/// client sees it changed only when a new version is published.
fn published_event(
    meeting: &PublishedMeeting,
    visit_cancelled: bool,
    published_at: NaiveDateTime,
    base_url: &str,
) -> CalendarEvent {
    CalendarEvent {
        uid: meeting_uid(meeting.id, base_url),
        sequence: u32::try_from(meeting.version.saturating_sub(1)).unwrap_or(0),
        start: meeting.start,
        end: meeting.end,
        stamp: published_at.and_utc(),
        last_modified: Some(published_at.and_utc()),
        summary: meeting.title.clone(),
        location: meeting.place(),
        description: non_empty(meeting.agenda.as_deref()).map(str::to_owned),
        status: if visit_cancelled || meeting.cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        },
        organizer: None,
        attendees: Vec::new(),
        url: None,
        geo: None,
    }
}

/// Events for `meetings` with their venues and visits loaded in two queries.
fn events_of(
    conn: &mut DbConn,
    meetings: &[MeetingRow],
    language: Language,
    base_url: &str,
) -> ServiceResult<Vec<CalendarEvent>> {
    let venues: HashMap<i64, VenueRow> = calendar_repo::venues_of(conn, meetings)?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let cancelled: Vec<i64> = calendar_repo::visits_of(conn, meetings)?
        .into_iter()
        .filter(|v| v.status == VisitStatus::Cancelled)
        .map(|v| v.id)
        .collect();
    Ok(meetings
        .iter()
        .map(|m| {
            let venue = m.venue_id.and_then(|id| venues.get(&id));
            let visit_cancelled = cancelled.contains(&m.visit_id);
            staff_event(m, venue, visit_cancelled, language, base_url)
        })
        .collect())
}

/// A visit's whole programme for staff (`METHOD:PUBLISH`, every meeting, in
/// time order), in the reader's language: four queries, however long it is.
pub fn visit_calendar(
    conn: &mut DbConn,
    visit_id: i64,
    language: Language,
    base_url: &str,
) -> ServiceResult<Calendar> {
    let visit = repo::find_visit(conn, visit_id)?.ok_or(ServiceError::NotFound {
        entity: "visit",
        id: visit_id,
    })?;
    let meetings = repo::meetings_of_visit(conn, visit_id)?;
    let events = events_of(conn, &meetings, language, base_url)?;
    Ok(Calendar {
        name: visit.title,
        method: Method::Publish,
        events,
        zone: Some(visit.timezone),
    })
}

/// The `.ics` text of `visit_calendar`.
pub fn visit_ics(
    conn: &mut DbConn,
    visit_id: i64,
    language: Language,
    base_url: &str,
) -> ServiceResult<String> {
    Ok(calendar::render(&visit_calendar(
        conn, visit_id, language, base_url,
    )?))
}

/// A person's feed, in their own language: from each visit's last published
/// version, the meetings that concerned them. A visit never published adds
/// nothing. A visit cancelled since calls off its meetings at once: a
/// cancellation reveals nothing of a draft, and people should not come.
pub fn person_calendar(
    conn: &mut DbConn,
    subscriber: Subscriber,
    base_url: &str,
) -> ServiceResult<Calendar> {
    let (name, language) = match subscriber {
        Subscriber::Official(id) => {
            let person = repo::find_official(conn, id)?.ok_or(ServiceError::NotFound {
                entity: "official",
                id,
            })?;
            (person.full_name, person.language)
        }
        Subscriber::Participant(id) => {
            let person = repo::find_participant(conn, id)?.ok_or(ServiceError::NotFound {
                entity: "participant",
                id,
            })?;
            (person.full_name, person.language)
        }
    };
    let mut events = Vec::new();
    for (version, visit) in outbox_repo::published_versions(conn)? {
        let snapshot: ProgrammeSnapshot =
            serde_json::from_str(&version.snapshot).unwrap_or_default();
        let visit_cancelled = visit.status == VisitStatus::Cancelled;
        events.extend(
            snapshot
                .meetings
                .iter()
                .filter(|m| subscriber.concerned_by(m))
                .map(|m| published_event(m, visit_cancelled, version.published_at, base_url)),
        );
    }
    events.sort_by(|a, b| (a.start, a.end, &a.uid).cmp(&(b.start, b.end, &b.uid)));
    Ok(Calendar {
        name: format!("{} · {name}", i18n::text(language, "app-name")),
        method: Method::Publish,
        events,
        zone: None,
    })
}

/// The feed behind a token, as `.ics` text; `None` for a token that is
/// unknown or revoked (the caller answers both alike).
pub fn feed_ics(conn: &mut DbConn, token: &str, base_url: &str) -> ServiceResult<Option<String>> {
    if !looks_like_token(token) {
        return Ok(None);
    }
    let digest = super::tokens::digest(token);
    let Some(row) = calendar_repo::live_calendar_token(conn, &digest)? else {
        return Ok(None);
    };
    let Some(subscriber) = Subscriber::of(&row) else {
        return Ok(None);
    };
    match person_calendar(conn, subscriber, base_url) {
        Ok(calendar) => Ok(Some(calendar::render(&calendar))),
        // The person went between the two queries: as good as revoked.
        Err(ServiceError::NotFound { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}

/// 64 lowercase hex digits: anything else is not ours, and costs no query.
pub fn looks_like_token(token: &str) -> bool {
    token.len() == 64
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the audit log keeps of a token: never the secret itself.
#[derive(Serialize)]
struct TokenAudit {
    subscriber: Option<Subscriber>,
    created_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
}

impl From<&CalendarTokenRow> for TokenAudit {
    fn from(row: &CalendarTokenRow) -> Self {
        Self {
            subscriber: Subscriber::of(row),
            created_at: row.created_at,
            revoked_at: row.revoked_at,
        }
    }
}

fn get(conn: &mut DbConn, id: i64) -> ServiceResult<CalendarTokenRow> {
    calendar_repo::find_calendar_token(conn, id)?.ok_or(ServiceError::NotFound {
        entity: "calendar_token",
        id,
    })
}

/// A feed token just made: its id, the secret (shown this once; only its
/// digest is kept) and its row.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub id: i64,
    pub token: String,
    pub row: CalendarTokenRow,
}

/// Makes a new feed token for an official or a participant that exists.
pub fn create_token(
    conn: &mut DbConn,
    actor: &Actor,
    subscriber: Subscriber,
) -> ServiceResult<IssuedToken> {
    write_transaction(conn, |conn| {
        let exists = match subscriber {
            Subscriber::Official(id) => !repo::existing_official_ids(conn, &[id])?.is_empty(),
            Subscriber::Participant(id) => !repo::existing_participant_ids(conn, &[id])?.is_empty(),
        };
        if !exists {
            let (field, id) = match subscriber {
                Subscriber::Official(id) => ("official_id", id),
                Subscriber::Participant(id) => ("participant_id", id),
            };
            return Err(ServiceError::Validation(ValidationErrors::single(
                field,
                FieldProblem::UnknownId { id },
            )));
        }
        let (official_id, participant_id) = subscriber.columns();
        let token = new_token();
        let id = calendar_repo::insert_calendar_token(
            conn,
            &super::tokens::digest(&token),
            official_id,
            participant_id,
            actor.user_id,
            now(),
        )?;
        let created = get(conn, id)?;
        Audit::created("calendar_token", id, &TokenAudit::from(&created)).write(conn, actor)?;
        Ok(IssuedToken {
            id,
            token: token.clone(),
            row: created,
        })
    })
}

/// Ends a token for good: its feed answers 404 from now on. Revoking a token
/// already revoked changes nothing.
pub fn revoke_token(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<CalendarTokenRow> {
    write_transaction(conn, |conn| {
        let before = get(conn, id)?;
        if calendar_repo::revoke_calendar_token(conn, id, now())? == 0 {
            return Ok(before);
        }
        let after = get(conn, id)?;
        Audit::updated(
            "calendar_token",
            id,
            &TokenAudit::from(&before),
            &TokenAudit::from(&after),
        )
        .write(conn, actor)?;
        Ok(after)
    })
}

/// Ends a token the acting user made. Another's token, one already ended and
/// one that never was are all alike not found: the caller learns nothing of
/// feeds that are not theirs.
pub fn revoke_own_token(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
) -> ServiceResult<CalendarTokenRow> {
    let not_found = ServiceError::NotFound {
        entity: "calendar_token",
        id,
    };
    let Some(row) = calendar_repo::find_calendar_token(conn, id)? else {
        return Err(not_found);
    };
    if row.revoked_at.is_some() || actor.user_id.is_none() || row.created_by != actor.user_id {
        return Err(not_found);
    }
    revoke_token(conn, actor, id)
}

/// The live tokens a user made, with their person's name, newest first.
pub fn own_tokens(conn: &mut DbConn, user_id: i64) -> ServiceResult<Vec<CalendarTokenListing>> {
    Ok(calendar_repo::live_calendar_tokens_of(conn, user_id)?)
}

/// Every token with its person's name, newest first.
pub fn list_tokens(conn: &mut DbConn) -> ServiceResult<Vec<CalendarTokenListing>> {
    Ok(calendar_repo::list_calendar_tokens(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_and_authority_come_from_the_base_url() {
        assert_eq!(host_of("https://sapar.example.kz"), "sapar.example.kz");
        assert_eq!(host_of("http://127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(
            host_of("https://user@sapar.example.kz:8443/app/"),
            "sapar.example.kz"
        );
        assert_eq!(host_of("http://[::1]:8080"), "::1");
        assert_eq!(authority_of("http://127.0.0.1:8080/"), "127.0.0.1:8080");
        assert_eq!(
            meeting_uid(42, "https://sapar.example.kz/"),
            "meeting-42@sapar.example.kz"
        );
    }

    #[test]
    fn subscription_links_use_webcal_and_the_base_url() {
        let (webcal, https) = subscription_links("https://sapar.example.kz/", "ab12");
        assert_eq!(webcal, "webcal://sapar.example.kz/calendar/ab12.ics");
        assert_eq!(https, "https://sapar.example.kz/calendar/ab12.ics");
    }

    #[test]
    fn tokens_are_64_hex_digits_and_differ() {
        let (a, b) = (new_token(), new_token());
        assert!(looks_like_token(&a) && looks_like_token(&b));
        assert_ne!(a, b);
        assert!(!looks_like_token("../../etc/passwd"));
        assert!(!looks_like_token(&a.to_uppercase()));
    }
}
