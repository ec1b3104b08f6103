//! iCalendar (RFC 5545) files of a programme: a visit's whole `.ics`, a person's
//! subscription feed (`webcal://`), and the attachment of an invitation
//! (`METHOD:REQUEST`) or a cancellation (`METHOD:CANCEL`).
//!
//! Pure text in, text out. Every instant is written in UTC with a `Z`, so the
//! file needs no `VTIMEZONE`: clients show it in their own zone, and the tz
//! database (which knows Kazakhstan's 2024 move to UTC+5) is applied before the
//! file is made, not by a guess inside it. Titles, names and addresses come from
//! users and may come from an attacker, so every value is escaped or cleaned
//! here: nothing put into an event can start a new line, property or component.
//! The output is deterministic (same calendar, same bytes), so snapshots stay
//! stable and a feed can carry an `ETag` of its content.
//!
//! ```text
//! let ics = render(&Calendar { name, method: Method::Request, events, zone: Some(visit.zone) });
//! // attach as `Method::Request.content_type()`
//! ```

use std::fmt::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::domain::values::MeetingStatus;

/// Who made the file, as RFC 5545 asks every calendar to say.
pub const PRODID: &str = "-//Sapar//Sapar//RU";

/// The longest content line in octets, without its CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// What the receiver of a calendar is asked to do with it (RFC 5546).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// A programme or a feed to look at: nothing is asked of the reader.
    Publish,
    /// An invitation, or a change to one the reader already has.
    Request,
    /// The events are called off: clients remove them.
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }

    /// The MIME type of an attachment or a feed carrying this method: mail
    /// clients look for `method=` to offer the invitation's buttons.
    pub fn content_type(self) -> &'static str {
        match self {
            Method::Publish => "text/calendar; charset=utf-8; method=PUBLISH",
            Method::Request => "text/calendar; charset=utf-8; method=REQUEST",
            Method::Cancel => "text/calendar; charset=utf-8; method=CANCEL",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Tentative,
    Confirmed,
    Cancelled,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Tentative => "TENTATIVE",
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Cancelled => "CANCELLED",
        }
    }
}

impl From<MeetingStatus> for EventStatus {
    fn from(status: MeetingStatus) -> Self {
        match status {
            MeetingStatus::Tentative => EventStatus::Tentative,
            MeetingStatus::Confirmed => EventStatus::Confirmed,
            MeetingStatus::Cancelled => EventStatus::Cancelled,
        }
    }
}

/// One item of the programme as a `VEVENT`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarEvent {
    /// Stable for a meeting across versions (`meeting-42@sapar.example.kz`): a
    /// client matches a change or a cancellation to the event it holds by it.
    pub uid: String,
    /// Rises with each change of the meeting; a client ignores an update whose
    /// sequence is not above the one it holds.
    pub sequence: u32,
    pub start: DateTime<Utc>,
    /// After `start` (a `TimeRange` guarantees it).
    pub end: DateTime<Utc>,
    /// When this rendering of the event was made (`DTSTAMP`).
    pub stamp: DateTime<Utc>,
    pub last_modified: Option<DateTime<Utc>>,
    pub summary: String,
    /// The venue's name and address.
    pub location: Option<String>,
    /// Free text; line breaks are kept.
    pub description: Option<String>,
    pub status: EventStatus,
    /// (name, email). Required by clients for `Request` and `Cancel`.
    pub organizer: Option<(String, String)>,
    /// (name, email) of each person invited, in the order given.
    pub attendees: Vec<(String, String)>,
    pub url: Option<String>,
    /// (latitude, longitude) in degrees.
    pub geo: Option<(f64, f64)>,
}

/// A whole `VCALENDAR`: a visit's programme, a person's feed or a mail attachment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calendar {
    /// Shown by clients as the calendar's name (`X-WR-CALNAME`).
    pub name: String,
    pub method: Method,
    /// Written in the order given.
    pub events: Vec<CalendarEvent>,
    /// The visit's zone, as a hint for clients that show a feed (`X-WR-TIMEZONE`);
    /// times themselves are always UTC.
    pub zone: Option<Tz>,
}

/// The calendar as an `.ics` text: UTF-8, every line ended by CRLF (the last
/// too) and folded at 75 octets.
pub fn render(calendar: &Calendar) -> String {
    let mut ics = Lines::default();
    ics.push("BEGIN:VCALENDAR");
    ics.push("VERSION:2.0");
    ics.push(&format!("PRODID:{PRODID}"));
    ics.push("CALSCALE:GREGORIAN");
    ics.push(&format!("METHOD:{}", calendar.method.as_str()));
    ics.push(&format!("X-WR-CALNAME:{}", escape_text(&calendar.name)));
    if let Some(zone) = calendar.zone {
        ics.push(&format!("X-WR-TIMEZONE:{}", zone.name()));
    }
    for event in &calendar.events {
        render_event(&mut ics, event, calendar.method);
    }
    ics.push("END:VCALENDAR");
    ics.0
}

fn render_event(ics: &mut Lines, event: &CalendarEvent, method: Method) {
    // A cancellation cancels everything it carries, whatever the meeting's
    // stored status says.
    let status = match method {
        Method::Cancel => EventStatus::Cancelled,
        Method::Publish | Method::Request => event.status,
    };
    ics.push("BEGIN:VEVENT");
    ics.push(&format!("UID:{}", escape_text(&event.uid)));
    ics.push(&format!("DTSTAMP:{}", utc(event.stamp)));
    ics.push(&format!("SEQUENCE:{}", event.sequence));
    ics.push(&format!("DTSTART:{}", utc(event.start)));
    ics.push(&format!("DTEND:{}", utc(event.end)));
    ics.push(&format!("SUMMARY:{}", escape_text(&event.summary)));
    if let Some(location) = non_empty(event.location.as_deref()) {
        ics.push(&format!("LOCATION:{}", escape_text(location)));
    }
    if let Some(description) = non_empty(event.description.as_deref()) {
        ics.push(&format!("DESCRIPTION:{}", escape_text(description)));
    }
    if let Some((lat, lon)) = event.geo.filter(|&(lat, lon)| valid_geo(lat, lon)) {
        ics.push(&format!("GEO:{lat:.6};{lon:.6}"));
    }
    if let Some(url) = event.url.as_deref().and_then(trusted_uri) {
        ics.push(&format!("URL:{url}"));
    }
    if let Some((name, email)) = &event.organizer {
        if let Some(line) = person_line("ORGANIZER", name, email, "") {
            ics.push(&line);
        }
    }
    let mut seen: Vec<String> = Vec::new();
    for (name, email) in &event.attendees {
        // One line per person, however many ways they were invited.
        let key = email.trim().to_lowercase();
        if seen.contains(&key) {
            continue;
        }
        if let Some(line) = person_line("ATTENDEE", name, email, ";ROLE=REQ-PARTICIPANT") {
            ics.push(&line);
            seen.push(key);
        }
    }
    ics.push(&format!("STATUS:{}", status.as_str()));
    if let Some(modified) = event.last_modified {
        ics.push(&format!("LAST-MODIFIED:{}", utc(modified)));
    }
    // A called-off meeting no longer makes anyone busy.
    let transp = match status {
        EventStatus::Cancelled => "TRANSPARENT",
        EventStatus::Tentative | EventStatus::Confirmed => "OPAQUE",
    };
    ics.push(&format!("TRANSP:{transp}"));
    ics.push("END:VEVENT");
}

/// Content lines, each folded and ended by CRLF as it is added.
#[derive(Default)]
struct Lines(String);

impl Lines {
    fn push(&mut self, line: &str) {
        self.0.push_str(&fold(line));
        self.0.push_str("\r\n");
    }
}

/// A UTC instant in the iCalendar basic form, to the second: `20260225T050000Z`.
fn utc(at: DateTime<Utc>) -> String {
    let mut s = String::with_capacity(16);
    // Writing into a String cannot fail.
    let _ = write!(s, "{}", at.format("%Y%m%dT%H%M%SZ"));
    s
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

fn valid_geo(lat: f64, lon: f64) -> bool {
    lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
}

/// `ORGANIZER;CN=…:mailto:…` or `ATTENDEE;CN=…;ROLE=…:mailto:…`, or nothing
/// when the address cannot be trusted in a URI.
fn person_line(property: &str, name: &str, email: &str, extra: &str) -> Option<String> {
    let email = trusted_email(email)?;
    let cn = param_value(name);
    let cn = if cn.is_empty() {
        String::new()
    } else {
        format!(";CN={cn}")
    };
    Some(format!("{property}{cn}{extra}:mailto:{email}"))
}

/// An address fit for `mailto:`: one `@` between two non-empty parts, and
/// nothing that could end the line, open a header (`?`) or pose as a display
/// form (`<…>`). Anything else is dropped, not repaired.
fn trusted_email(raw: &str) -> Option<&str> {
    let email = raw.trim();
    let (local, domain) = email.split_once('@')?;
    let bad = |c: char| c.is_control() || c.is_whitespace() || "<>?@\"".contains(c);
    if local.is_empty() || domain.is_empty() || email.chars().filter(|&c| c == '@').count() != 1 {
        return None;
    }
    if local.chars().any(bad) || domain.chars().any(bad) {
        return None;
    }
    Some(email)
}

/// A URI value is not TEXT and has no escaping: one with spaces or control
/// characters is dropped rather than written broken.
fn trusted_uri(raw: &str) -> Option<&str> {
    let uri = raw.trim();
    if uri.is_empty() || uri.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    Some(uri)
}

/// A parameter value (RFC 5545 §3.2): control characters become spaces, runs
/// of spaces one, DQUOTEs go (a quoted value cannot hold them), and a value
/// with `:`, `;` or `,` is put in DQUOTEs so it cannot end the parameter list.
pub fn param_value(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .filter(|&c| c != '"')
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.contains([':', ';', ',']) {
        format!("\"{cleaned}\"")
    } else {
        cleaned
    }
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped with
/// a backslash, each line break written `\n`. A CR is dropped (so CRLF counts as
/// one break), a tab becomes a space, and other control characters are removed:
/// whatever the input, the value stays on its content line.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line (given without its CRLF) so that no physical line is
/// longer than 75 octets: a CRLF and a space are put before the character that
/// would pass the limit, so a UTF-8 character is never split. A backslash and
/// the character it escapes are kept together too: RFC 5545 allows a fold
/// between them, but some clients read the escape before they unfold. The
/// result has no trailing CRLF; removing every "CRLF space" gives the line back.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 3 * (line.len() / (MAX_LINE_OCTETS - 1)));
    let mut octets = 0;
    let mut chars = line.char_indices();
    while let Some((at, c)) = chars.next() {
        let mut width = c.len_utf8();
        if c == '\\' {
            if let Some((_, escaped)) = chars.next() {
                width += escaped.len_utf8();
            }
        }
        if octets + width > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            // The leading space counts towards the continuation line.
            octets = 1;
        }
        out.push_str(&line[at..at + width]);
        octets += width;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use chrono::{NaiveDate, TimeZone};
    use chrono_tz::Asia::Almaty;

    /// An instant from a local wall time in Almaty (UTC+5 since March 2024).
    fn almaty(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        let naive = NaiveDate::from_ymd_opt(2026, 2, day)
            .expect("a real date")
            .and_hms_opt(hour, minute, 0)
            .expect("a real time");
        Almaty
            .from_local_datetime(&naive)
            .single()
            .expect("Almaty has no clock changes")
            .with_timezone(&Utc)
    }

    fn meeting(summary: &str) -> CalendarEvent {
        CalendarEvent {
            uid: "meeting-42@sapar.example.kz".to_string(),
            sequence: 0,
            start: almaty(25, 10, 0),
            end: almaty(25, 11, 30),
            stamp: Utc.with_ymd_and_hms(2026, 2, 20, 9, 0, 0).unwrap(),
            last_modified: None,
            summary: summary.to_string(),
            location: None,
            description: None,
            status: EventStatus::Confirmed,
            organizer: None,
            attendees: Vec::new(),
            url: None,
            geo: None,
        }
    }

    fn calendar(method: Method, events: Vec<CalendarEvent>) -> Calendar {
        Calendar {
            name: "Визит в ВКО".to_string(),
            method,
            events,
            zone: Some(Almaty),
        }
    }

    /// The physical lines, each without its CRLF.
    fn lines(ics: &str) -> Vec<&str> {
        let body = ics.strip_suffix("\r\n").expect("ends in CRLF");
        body.split("\r\n").collect()
    }

    /// The logical content lines, after unfolding (RFC 5545 §3.1).
    fn unfolded(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn property(ics: &str, name: &str) -> Vec<String> {
        let prefix = format!("{name}:");
        let with_params = format!("{name};");
        unfolded(ics)
            .into_iter()
            .filter(|l| l.starts_with(&prefix) || l.starts_with(&with_params))
            .collect()
    }

    fn unescape_text(value: &str) -> String {
        let mut out = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') | Some('N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn a_one_event_calendar_renders_exactly() {
        let mut event = meeting("Встреча с депутатами маслихатов");
        event.sequence = 2;
        event.last_modified = Some(Utc.with_ymd_and_hms(2026, 2, 19, 12, 30, 0).unwrap());
        event.location = Some("ВКТУ, ул. Серикбаева, 19".to_string());
        event.description = Some("Повестка:\n1. Вступление".to_string());
        event.geo = Some((49.948, 82.6275));
        event.url = Some("https://sapar.example.kz/meetings/42".to_string());
        event.organizer = Some((
            "Аппарат Сената".to_string(),
            "protocol@senate.gov.kz".to_string(),
        ));
        event.attendees = vec![("Иванов, И. И.".to_string(), "ivanov@vko.gov.kz".to_string())];
        let ics = render(&calendar(Method::Request, vec![event]));
        let expected = "BEGIN:VCALENDAR\r\n\
            VERSION:2.0\r\n\
            PRODID:-//Sapar//Sapar//RU\r\n\
            CALSCALE:GREGORIAN\r\n\
            METHOD:REQUEST\r\n\
            X-WR-CALNAME:Визит в ВКО\r\n\
            X-WR-TIMEZONE:Asia/Almaty\r\n\
            BEGIN:VEVENT\r\n\
            UID:meeting-42@sapar.example.kz\r\n\
            DTSTAMP:20260220T090000Z\r\n\
            SEQUENCE:2\r\n\
            DTSTART:20260225T050000Z\r\n\
            DTEND:20260225T063000Z\r\n\
            SUMMARY:Встреча с депутатами маслихатов\r\n\
            LOCATION:ВКТУ\\, ул. Серикбаева\\, 19\r\n\
            DESCRIPTION:Повестка:\\n1. Вступление\r\n\
            GEO:49.948000;82.627500\r\n\
            URL:https://sapar.example.kz/meetings/42\r\n\
            ORGANIZER;CN=Аппарат Сената:mailto:protocol@senate.gov.kz\r\n\
            ATTENDEE;CN=\"Иванов, И. И.\";ROLE=REQ-PARTICIPANT:mailto:ivanov@vko.\r\n\
            \x20gov.kz\r\n\
            STATUS:CONFIRMED\r\n\
            LAST-MODIFIED:20260219T123000Z\r\n\
            TRANSP:OPAQUE\r\n\
            END:VEVENT\r\n\
            END:VCALENDAR\r\n";
        assert_eq!(ics, expected);
    }

    #[test]
    fn every_line_ends_in_crlf_and_no_line_feed_stands_alone() {
        let mut event = meeting("Line one\nline two\r\nline three\rfour");
        event.description = Some("a\n\nb\r\n".repeat(40));
        event.location = Some("x\u{2028}y".to_string());
        let ics = render(&calendar(Method::Publish, vec![event.clone(), event]));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        let bytes = ics.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                assert!(i > 0 && bytes[i - 1] == b'\r', "bare LF at octet {i}");
            }
            if b == b'\r' {
                assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at octet {i}");
            }
        }
    }

    #[test]
    fn a_long_kazakh_summary_is_folded_within_75_octets_and_unfolds_to_the_same_text() {
        let summary: String = "Встреча с депутатами маслихатов әғқңөұүһі "
            .chars()
            .cycle()
            .take(200)
            .collect();
        let mut event = meeting(&summary);
        event.description = Some(format!("{summary}\n{summary}"));
        let ics = render(&calendar(Method::Publish, vec![event]));
        for line in lines(&ics) {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        assert!(
            lines(&ics).len() > unfolded(&ics).len(),
            "something was folded"
        );
        let summaries = property(&ics, "SUMMARY");
        assert_eq!(summaries.len(), 1);
        let value = summaries[0].strip_prefix("SUMMARY:").unwrap();
        assert_eq!(unescape_text(value), summary);
        let description = &property(&ics, "DESCRIPTION")[0]["DESCRIPTION:".len()..];
        assert_eq!(unescape_text(description), format!("{summary}\n{summary}"));
    }

    #[test]
    fn folding_never_splits_a_character_of_any_width() {
        // 1-, 2-, 3- and 4-octet characters, starting at every offset.
        let pieces = "aә€😀";
        for lead in 0..8 {
            let line = format!("{}{}", "x".repeat(lead), pieces.repeat(30));
            let folded = fold(&line);
            for physical in folded.split("\r\n") {
                assert!(physical.len() <= 75);
            }
            // Every piece is valid UTF-8 (it is a &str), and unfolding restores the line.
            assert_eq!(folded.replace("\r\n ", ""), line);
        }
        assert_eq!(fold("short"), "short");
        let exactly = "y".repeat(75);
        assert_eq!(fold(&exactly), exactly);
        assert_eq!(fold(&"y".repeat(76)), format!("{}\r\n y", "y".repeat(75)));
        // An escape is not cut in two, even where the limit falls between its halves.
        let escape_at_the_edge = format!("{}\\,rest", "d".repeat(74));
        assert_eq!(
            fold(&escape_at_the_edge),
            format!("{}\r\n \\,rest", "d".repeat(74))
        );
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_line_breaks() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(
            escape_text("one\ntwo\r\nthree\rfour"),
            r"one\ntwo\nthreefour"
        );
        assert_eq!(escape_text("tab\there\u{0}\u{7}\u{1b}[31m"), "tab here[31m");
        assert_eq!(escape_text("Әсем: 10:00"), "Әсем: 10:00");
    }

    #[test]
    fn a_hostile_summary_cannot_open_a_new_component() {
        let mut event = meeting("Meeting\r\nBEGIN:VEVENT\r\nUID:evil\r\nEND:VEVENT");
        event.location = Some("Hall\nATTENDEE:mailto:evil@x.kz".to_string());
        event.uid = "meeting-1@sapar.example.kz\r\nX-EVIL:1".to_string();
        let ics = render(&calendar(Method::Publish, vec![event]));
        let logical = unfolded(&ics);
        assert_eq!(logical.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 1);
        assert_eq!(logical.iter().filter(|l| *l == "END:VEVENT").count(), 1);
        assert!(!logical
            .iter()
            .any(|l| l.starts_with("UID:evil") || l.starts_with("X-EVIL")));
        assert!(!logical.iter().any(|l| l.starts_with("ATTENDEE")));
        assert_eq!(
            property(&ics, "SUMMARY"),
            vec![r"SUMMARY:Meeting\nBEGIN:VEVENT\nUID:evil\nEND:VEVENT".to_string()]
        );
    }

    #[test]
    fn hostile_names_are_quoted_and_untrustworthy_addresses_are_dropped() {
        let mut event = meeting("Meeting");
        event.organizer = Some(("Boss\r\nX-EVIL:1".to_string(), "boss@gov.kz".to_string()));
        event.attendees = vec![
            ("Quote \"Me\"; ok".to_string(), "a@gov.kz".to_string()),
            (
                "Plain".to_string(),
                "b@gov.kz\r\nATTENDEE:mailto:c@evil.kz".to_string(),
            ),
            ("Angle".to_string(), "<d@gov.kz>".to_string()),
            ("Query".to_string(), "e@gov.kz?subject=x".to_string()),
            ("No at".to_string(), "nobody".to_string()),
            ("Again".to_string(), "A@gov.kz".to_string()),
        ];
        let ics = render(&calendar(Method::Request, vec![event]));
        assert_eq!(
            property(&ics, "ORGANIZER"),
            vec!["ORGANIZER;CN=\"Boss X-EVIL:1\":mailto:boss@gov.kz".to_string()]
        );
        assert_eq!(
            property(&ics, "ATTENDEE"),
            vec!["ATTENDEE;CN=\"Quote Me; ok\";ROLE=REQ-PARTICIPANT:mailto:a@gov.kz".to_string()]
        );
        assert!(!ics.contains("X-EVIL:1\r\n"));
    }

    #[test]
    fn a_cancelled_meeting_is_marked_cancelled_and_frees_the_time() {
        let mut event = meeting("Встреча с молодёжью");
        event.status = EventStatus::from(MeetingStatus::Cancelled);
        let ics = render(&calendar(Method::Publish, vec![event]));
        assert_eq!(
            property(&ics, "STATUS"),
            vec!["STATUS:CANCELLED".to_string()]
        );
        assert_eq!(
            property(&ics, "TRANSP"),
            vec!["TRANSP:TRANSPARENT".to_string()]
        );
    }

    #[test]
    fn a_cancellation_cancels_every_event_it_carries() {
        let confirmed = meeting("Посещение ТМК");
        let mut tentative = meeting("Обед");
        tentative.uid = "meeting-43@sapar.example.kz".to_string();
        tentative.status = EventStatus::Tentative;
        let ics = render(&calendar(Method::Cancel, vec![confirmed, tentative]));
        assert_eq!(property(&ics, "METHOD"), vec!["METHOD:CANCEL".to_string()]);
        assert_eq!(
            property(&ics, "STATUS"),
            vec![
                "STATUS:CANCELLED".to_string(),
                "STATUS:CANCELLED".to_string()
            ]
        );
        assert_eq!(
            Method::Cancel.content_type(),
            "text/calendar; charset=utf-8; method=CANCEL"
        );
    }

    #[test]
    fn a_changed_meeting_keeps_its_uid_and_raises_its_sequence() {
        let first = meeting("Встреча");
        let mut moved = first.clone();
        moved.sequence = 1;
        moved.start = almaty(25, 12, 0);
        moved.end = almaty(25, 13, 0);
        let before = render(&calendar(Method::Request, vec![first]));
        let after = render(&calendar(Method::Request, vec![moved]));
        assert_eq!(property(&before, "UID"), property(&after, "UID"));
        assert_eq!(
            property(&before, "UID"),
            vec!["UID:meeting-42@sapar.example.kz".to_string()]
        );
        assert_eq!(
            property(&before, "SEQUENCE"),
            vec!["SEQUENCE:0".to_string()]
        );
        assert_eq!(property(&after, "SEQUENCE"), vec!["SEQUENCE:1".to_string()]);
    }

    #[test]
    fn an_almaty_morning_meeting_is_written_in_utc() {
        let event = meeting("Встреча");
        assert_eq!(
            event
                .start
                .with_timezone(&Almaty)
                .format("%H:%M")
                .to_string(),
            "10:00"
        );
        let ics = render(&calendar(Method::Publish, vec![event]));
        assert_eq!(
            property(&ics, "DTSTART"),
            vec!["DTSTART:20260225T050000Z".to_string()]
        );
        assert_eq!(
            property(&ics, "DTEND"),
            vec!["DTEND:20260225T063000Z".to_string()]
        );
        assert!(!ics.contains("VTIMEZONE") && !ics.contains("TZID"));
    }

    #[test]
    fn the_same_calendar_renders_to_the_same_bytes() {
        let mut event = meeting("Встреча");
        event.attendees = vec![
            ("Б".to_string(), "b@gov.kz".to_string()),
            ("А".to_string(), "a@gov.kz".to_string()),
        ];
        let cal = calendar(Method::Publish, vec![event.clone(), event]);
        assert_eq!(render(&cal), render(&cal.clone()));
    }

    #[test]
    fn empty_or_impossible_optional_values_are_left_out() {
        let mut event = meeting("Встреча");
        event.location = Some("  ".to_string());
        event.geo = Some((f64::NAN, 82.6));
        event.url = Some("https://x.kz/a b".to_string());
        let ics = render(&calendar(Method::Publish, vec![event]));
        for name in [
            "LOCATION",
            "GEO",
            "URL",
            "ORGANIZER",
            "ATTENDEE",
            "LAST-MODIFIED",
        ] {
            assert!(property(&ics, name).is_empty(), "{name}");
        }
        let mut far = meeting("Встреча");
        far.geo = Some((91.0, 0.0));
        assert!(property(&render(&calendar(Method::Publish, vec![far])), "GEO").is_empty());
    }
}
