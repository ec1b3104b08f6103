//! The day of the visit on a phone held in one hand: what is on now (and how
//! long it has left), what is next (when to leave, the transfer, the address,
//! the host and their phone, the venue's rules), then the rest of the day;
//! the day's conflicts on top in red. Large type. A small script of its own
//! (`/static/today.js`) reloads the page every minute while it is shown,
//! unless the reader unticks "update every minute" (remembered on the
//! phone); without the script, "Update now" does it by hand. Not a
//! `<meta http-equiv="refresh">`: that reloads whoever is reading, with no
//! way to stop it.

use std::collections::HashSet;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::programme::zone_label;
use super::{html, Chrome};
use crate::domain::conflicts::official_transfers;
use crate::domain::day_view::{self, Slot};
use crate::domain::{MeetingStatus, TimeRange};
use crate::i18n::{self, long_date, Translator};
use crate::services::programme::{self as programme_service, MeetingRecord, Programme};
use crate::web::error::AppError;
use crate::web::routing::Routes;
use crate::web::session::Staff;
use crate::web::AppState;

pub fn routes(routes: &mut Routes) {
    routes.get("/visits/{id}/today", today_page);
}

/// The days a visit's day links list at most.
const DAY_LINKS: usize = 14;

#[derive(Deserialize)]
struct TodayQuery {
    official: Option<String>,
    at: Option<String>,
}

/// One item as the phone shows it.
struct Card {
    title: String,
    time: String,
    zone: Option<String>,
    venue: Option<String>,
    address: Option<String>,
    host: Option<String>,
    /// The host's phone as written, and the `tel:` link that dials it.
    phone: Option<(String, Option<String>)>,
    rules: Option<String>,
    cancelled: bool,
}

/// The next item, with when to set off for it.
struct Next {
    card: Card,
    starts_in: String,
    leave: Option<String>,
    transfer: Option<String>,
}

struct DayLink {
    href: String,
    label: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "pages/today.html")]
struct TodayPage {
    t: Translator,
    visit_id: i64,
    title: String,
    who: Option<String>,
    official: Option<i64>,
    day: String,
    as_of: String,
    /// This page's own address, for "Update now".
    here: String,
    /// Each conflict's severity and sentence.
    conflicts: Vec<(&'static str, String)>,
    now: Vec<(Card, String)>,
    next: Option<Next>,
    rest: Vec<Card>,
    empty_day: bool,
    days: Vec<DayLink>,
}

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ProblemPage<'a> {
    t: Translator,
    chrome: Chrome,
    status: u16,
    message: &'a str,
}

/// A clear page for a link this view cannot read, in the reader's language.
fn problem(
    req: &HttpRequest,
    staff: &Staff,
    status: StatusCode,
    key: &str,
) -> Result<HttpResponse, AppError> {
    let body = ProblemPage {
        t: staff.t,
        chrome: Chrome::of(staff, req.path()),
        status: status.as_u16(),
        message: staff.t.get(key),
    }
    .render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// An RFC 3339 instant from a link; a `+` of an offset that arrived as a
/// space (unencoded in the query) is read as the `+` it was.
fn parse_at(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&text.trim().replace(' ', "+"))
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

async fn today_page(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<TodayQuery>,
) -> Result<HttpResponse, AppError> {
    let visit_id = id.into_inner();
    let at = match query.at.as_deref().filter(|a| !a.trim().is_empty()) {
        None => Utc::now(),
        Some(text) => match parse_at(text).filter(|at| (2000..2100).contains(&at.year())) {
            Some(at) => at,
            None => return problem(&req, &staff, StatusCode::BAD_REQUEST, "today-bad_at"),
        },
    };
    let official = match query.official.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return problem(&req, &staff, StatusCode::BAD_REQUEST, "today-bad_official"),
        },
    };
    let engine = state.settings.engine.clone();
    let programme = state
        .db(move |conn| programme_service::load(conn, visit_id, engine))
        .await?;
    if let Some(o) = official {
        if !programme.officials.contains_key(&o) {
            return problem(
                &req,
                &staff,
                StatusCode::NOT_FOUND,
                "today-unknown_official",
            );
        }
    }
    let here = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |p| p.as_str().to_owned());
    let body = render(staff.t, &programme, official, at, here)?;
    Ok(html(body))
}

fn hhmm(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%H:%M").to_string()
}

fn card(programme: &Programme, m: &MeetingRecord) -> Card {
    let zone = programme.zone_of(m);
    let (start, end) = (m.row.starts_at.and_utc(), m.row.ends_at.and_utc());
    let venue = m.row.venue_id.and_then(|v| programme.venues.get(&v));
    Card {
        title: m.row.title.clone(),
        time: format!("{}–{}", hhmm(start, zone), hhmm(end, zone)),
        zone: (zone != programme.visit_zone()).then(|| zone_label(start.with_timezone(&zone))),
        venue: venue.map(|v| v.name.clone()),
        address: venue.and_then(|v| v.address.clone()),
        host: venue.and_then(|v| v.contact_name.clone()),
        phone: venue
            .and_then(|v| v.contact_phone.clone())
            .map(|phone| (phone.clone(), tel_uri(&phone))),
        rules: venue.and_then(|v| v.notes.clone()),
        cancelled: m.row.status == MeetingStatus::Cancelled,
    }
}

/// A `tel:` URI for a phone number as people write it ("+7 (7232) 70-10-10"
/// dials as `tel:+77232701010`): the digits, and a leading plus. `None` when
/// there are no digits to dial.
fn tel_uri(written: &str) -> Option<String> {
    let digits: String = written.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let plus = if written.trim_start().starts_with('+') {
        "+"
    } else {
        ""
    };
    Some(format!("tel:{plus}{digits}"))
}

/// The day view of `programme` at `at`, for one official or for everyone.
fn render(
    t: Translator,
    programme: &Programme,
    official: Option<i64>,
    at: DateTime<Utc>,
    here: String,
) -> Result<String, AppError> {
    let visit_id = programme.visit.row.id;
    let zone = programme.visit_zone();
    let day: NaiveDate = at.with_timezone(&zone).date_naive();
    let mut days = programme.days();
    let todays: Vec<&MeetingRecord> = days
        .remove(&day)
        .unwrap_or_default()
        .into_iter()
        .filter(|m| official.is_none_or(|o| m.official_ids.contains(&o)))
        .collect();
    let slots: Vec<Slot> = todays
        .iter()
        .filter_map(|m| {
            Some(Slot {
                id: m.row.id,
                time: TimeRange::from_naive_utc(m.row.starts_at, m.row.ends_at).ok()?,
                cancelled: m.row.status == MeetingStatus::Cancelled,
            })
        })
        .collect();
    let moment = day_view::at_moment(&slots, at);
    let find = |id: i64| todays.iter().find(|m| m.row.id == id).copied();
    let minutes = |n: i64| t.with("today-minutes", &[("minutes", i18n::number(n))]);

    let now = moment
        .now
        .iter()
        .filter_map(|id| find(*id))
        .map(|m| {
            let left = day_view::minutes_until(at, m.row.ends_at.and_utc());
            (
                card(programme, m),
                t.with("today-left", &[("time", i18n::string(minutes(left)))]),
            )
        })
        .collect();

    let transfers = official_transfers(&programme.found.snapshot, Some(visit_id));
    let next = moment.next.and_then(find).map(|m| {
        let start = m.row.starts_at.and_utc();
        let transfer = transfers
            .iter()
            .filter(|tr| tr.to_meeting_id == m.row.id)
            .filter(|tr| official.is_none_or(|o| tr.official_id == o))
            .max_by_key(|tr| tr.needed_minutes);
        let starts_in = t.with(
            "today-starts_in",
            &[
                ("start", i18n::string(hhmm(start, programme.zone_of(m)))),
                (
                    "time",
                    i18n::string(minutes(day_view::minutes_until(at, start))),
                ),
            ],
        );
        Next {
            card: card(programme, m),
            starts_in,
            leave: transfer.map(|tr| {
                let leave = day_view::leave_at(start, tr.needed_minutes);
                t.with(
                    "today-leave",
                    &[("time", i18n::string(hhmm(leave, programme.zone_of(m))))],
                )
            }),
            transfer: transfer.map(|tr| {
                let from = programme
                    .venues
                    .get(&tr.from_venue_id)
                    .map(|v| v.name.clone())
                    .unwrap_or_default();
                t.with(
                    "today-transfer",
                    &[
                        ("time", i18n::string(minutes(tr.needed_minutes))),
                        ("from", i18n::string(from)),
                    ],
                )
            }),
        }
    });
    let rest = moment
        .rest
        .iter()
        .filter_map(|id| find(*id))
        .map(|m| card(programme, m))
        .collect();

    let shown: HashSet<i64> = todays.iter().map(|m| m.row.id).collect();
    let clashes = programme.found.clashes(zone);
    let of_today: Vec<_> = clashes
        .iter()
        .filter(|(c, d)| *d == Some(day) && c.meeting_ids.iter().any(|id| shown.contains(id)))
        .map(|(c, _)| c)
        .collect();
    let conflicts = programme
        .found
        .clash_reports(&of_today, t.0)
        .into_iter()
        .map(|r| (r.severity, r.message))
        .collect();

    let keep = |at: DateTime<Utc>| {
        let mut href = format!(
            "/visits/{visit_id}/today?at={}",
            at.to_rfc3339_opts(SecondsFormat::Secs, true)
        );
        if let Some(o) = official {
            href.push_str(&format!("&official={o}"));
        }
        href
    };
    let row = &programme.visit.row;
    let days = row
        .first_day
        .iter_days()
        .take_while(|d| *d <= row.last_day)
        .take(DAY_LINKS)
        .filter_map(|d| {
            let start = crate::domain::shift::local_day(
                d.and_hms_opt(12, 0, 0)?
                    .and_local_timezone(zone)
                    .earliest()?
                    .to_utc(),
                zone,
            )?
            .0;
            Some(DayLink {
                href: keep(start),
                label: d.format("%d.%m").to_string(),
                current: d == day,
            })
        })
        .collect();

    let page = TodayPage {
        t,
        visit_id,
        title: row.title.clone(),
        who: official
            .and_then(|o| programme.officials.get(&o))
            .map(|o| o.full_name.clone()),
        official,
        day: long_date(t, day),
        as_of: t.with("today-as_of", &[("time", i18n::string(hhmm(at, zone)))]),
        here,
        conflicts,
        empty_day: todays.is_empty(),
        now,
        next,
        rest,
        days,
    };
    Ok(page.render()?)
}

#[cfg(test)]
mod tests {
    use super::tel_uri;

    #[test]
    fn a_phone_as_written_dials_as_its_digits() {
        assert_eq!(
            tel_uri("+7 7232 70 10 10").as_deref(),
            Some("tel:+77232701010")
        );
        assert_eq!(
            tel_uri(" +7 (7232) 70-10-10").as_deref(),
            Some("tel:+77232701010")
        );
        assert_eq!(
            tel_uri("8 705 111 22 33").as_deref(),
            Some("tel:87051112233")
        );
        assert_eq!(tel_uri("приёмная"), None);
    }
}
