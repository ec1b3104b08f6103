//! The messages Sapar sends, rendered from templates (`templates/email/…`):
//! a real text part, an HTML part, and the calendar attachment.

use askama::Template;
use chrono::{DateTime, Utc};

use super::Attachment;
use crate::domain::itinerary::Itinerary;
use crate::domain::publication::{Change, PublishedMeeting};
use crate::i18n::Translator;
use crate::render::calendar::{self, Calendar, CalendarEvent, EventStatus, Method};

/// One rendered message, ready for the outbox.
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<Attachment>,
}

/// "25.02.2026 09:30–10:45 (+05)" in the meeting's zone.
pub fn when(t: Translator, meeting: &PublishedMeeting) -> String {
    let z = meeting.zone;
    let (start, end) = (
        meeting.start.with_timezone(&z),
        meeting.end.with_timezone(&z),
    );
    let _ = t;
    format!(
        "{} {}–{} ({})",
        start.format("%d.%m.%Y"),
        start.format("%H:%M"),
        end.format("%H:%M"),
        start.format("%Z")
    )
}

fn place(meeting: &PublishedMeeting) -> String {
    meeting.place().unwrap_or_default()
}

/// One line of a notice: what happened to a meeting.
pub struct ChangeLine {
    pub label: String,
    pub title: String,
    pub when: String,
    pub place: String,
    pub was: Option<String>,
    pub contact: Option<String>,
    pub cancelled: bool,
}

/// How a change reads in a notice or the changelog.
pub fn change_line(t: Translator, change: &Change) -> ChangeLine {
    match change {
        Change::New { meeting } => ChangeLine {
            label: t.get("mail-new").to_owned(),
            title: meeting.title.clone(),
            when: when(t, meeting),
            place: place(meeting),
            was: None,
            contact: meeting.contact.clone(),
            cancelled: false,
        },
        Change::Changed { before, after, .. } => {
            let mut was = Vec::new();
            if before.start != after.start || before.end != after.end {
                was.push(when(t, before));
            }
            if before.venue_id != after.venue_id {
                was.push(place(before));
            }
            if before.title != after.title {
                was.push(format!("«{}»", before.title));
            }
            ChangeLine {
                label: t.get("mail-changed").to_owned(),
                title: after.title.clone(),
                when: when(t, after),
                place: place(after),
                was: (!was.is_empty()).then(|| was.join("; ")),
                contact: after.contact.clone(),
                cancelled: false,
            }
        }
        Change::Cancelled { meeting } => ChangeLine {
            label: t.get("mail-cancelled").to_owned(),
            title: meeting.title.clone(),
            when: when(t, meeting),
            place: place(meeting),
            was: None,
            contact: None,
            cancelled: true,
        },
    }
}

#[derive(Template)]
#[template(path = "email/notice/subject.txt")]
struct NoticeSubject<'a> {
    t: Translator,
    kind: &'a str,
    visit: &'a str,
}

#[derive(Template)]
#[template(path = "email/notice/body.txt")]
struct NoticeText<'a> {
    t: Translator,
    name: &'a str,
    visit: &'a str,
    intro: &'a str,
    lines: &'a [ChangeLine],
    version: i32,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/notice/body.html")]
struct NoticeHtml<'a> {
    t: Translator,
    name: &'a str,
    visit: &'a str,
    intro: &'a str,
    lines: &'a [ChangeLine],
    version: i32,
    link: &'a str,
}

/// The kind of a notice, from what it carries.
pub fn notice_kind(changes: &[Change]) -> &'static str {
    if changes.iter().all(|c| matches!(c, Change::New { .. })) {
        "invitation"
    } else if changes.iter().all(Change::is_cancellation) {
        "cancellation"
    } else {
        "change"
    }
}

pub fn event_of(
    meeting: &PublishedMeeting,
    host: &str,
    stamp: DateTime<Utc>,
    cancelled: bool,
) -> CalendarEvent {
    CalendarEvent {
        uid: format!("meeting-{}@{host}", meeting.id),
        sequence: u32::try_from(meeting.version.max(1) - 1).unwrap_or(0) + u32::from(cancelled),
        start: meeting.start,
        end: meeting.end,
        stamp,
        last_modified: None,
        summary: meeting.title.clone(),
        location: Some(place(meeting)).filter(|p| !p.is_empty()),
        description: meeting.contact.clone(),
        status: if cancelled || meeting.cancelled {
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

/// A participant's notice: only the meetings that concern them, with `.ics`
/// (REQUEST for what is on, CANCEL for what is off).
#[allow(clippy::too_many_arguments)]
pub fn notice(
    t: Translator,
    name: &str,
    visit: &str,
    version: i32,
    changes: &[Change],
    link: &str,
    host: &str,
    organizer: Option<(String, String)>,
    attendee: (String, String),
    stamp: DateTime<Utc>,
) -> Result<Rendered, askama::Error> {
    let kind = notice_kind(changes);
    let lines: Vec<ChangeLine> = changes.iter().map(|c| change_line(t, c)).collect();
    let intro = t.get(match kind {
        "invitation" => "mail-intro-invitation",
        "cancellation" => "mail-intro-cancellation",
        _ => "mail-intro-change",
    });
    let subject = NoticeSubject { t, kind, visit }.render()?.trim().to_owned();
    let text = NoticeText {
        t,
        name,
        visit,
        intro,
        lines: &lines,
        version,
        link,
    }
    .render()?;
    let html = NoticeHtml {
        t,
        name,
        visit,
        intro,
        lines: &lines,
        version,
        link,
    }
    .render()?;

    let with_people = |mut event: CalendarEvent| {
        event.organizer = organizer.clone();
        event.attendees = vec![attendee.clone()];
        event
    };
    let (off, on): (Vec<&Change>, Vec<&Change>) = changes.iter().partition(|c| c.is_cancellation());
    let mut attachments = Vec::new();
    if !on.is_empty() {
        let calendar = Calendar {
            name: visit.to_owned(),
            method: Method::Request,
            events: on
                .iter()
                .map(|c| with_people(event_of(c.meeting(), host, stamp, false)))
                .collect(),
            zone: None,
        };
        attachments.push(Attachment::text(
            "invite.ics",
            Method::Request.content_type(),
            calendar::render(&calendar),
        ));
    }
    if !off.is_empty() {
        let calendar = Calendar {
            name: visit.to_owned(),
            method: Method::Cancel,
            events: off
                .iter()
                .map(|c| with_people(event_of(c.meeting(), host, stamp, true)))
                .collect(),
            zone: None,
        };
        attachments.push(Attachment::text(
            "cancel.ics",
            Method::Cancel.content_type(),
            calendar::render(&calendar),
        ));
    }
    Ok(Rendered {
        subject,
        text,
        html,
        attachments,
    })
}

#[derive(Template)]
#[template(path = "email/briefing_pack/body.txt")]
struct BriefingText<'a> {
    t: Translator,
    name: &'a str,
    pack: &'a BriefingPack<'a>,
}

#[derive(Template)]
#[template(path = "email/briefing_pack/body.html")]
struct BriefingHtml<'a> {
    t: Translator,
    name: &'a str,
    pack: &'a BriefingPack<'a>,
}

/// One part of a briefing pack: the reader's own programme, or the whole
/// programme (an annex when the reader has their own part).
pub struct BriefingSection<'a> {
    pub heading: Option<String>,
    pub days: Vec<(String, &'a crate::domain::itinerary::Day)>,
    /// The reader's own items: the officials line names who accompanies them.
    pub personal: bool,
}

/// What a briefing pack is made of.
pub struct BriefingPack<'a> {
    pub visit: &'a str,
    pub theme: Option<&'a str>,
    pub region: Option<&'a str>,
    pub dates: String,
    pub version: String,
    /// The version as the subject says it: "Версия 2", «проект».
    pub version_short: String,
    pub delegation: Vec<String>,
    pub sections: Vec<BriefingSection<'a>>,
    /// The official the pack is made for, left out of "accompanied by".
    pub reader: Option<i64>,
    pub link: &'a str,
}

impl BriefingPack<'_> {
    pub fn short(&self, name: &str) -> String {
        crate::domain::short_name(name)
    }

    /// The officials of an item other than the reader, in protocol order.
    pub fn others(&self, officials: &[crate::domain::itinerary::Person]) -> String {
        officials
            .iter()
            .filter(|o| Some(o.id) != self.reader)
            .map(|o| crate::domain::short_name(&o.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The briefing pack for an official or staff member: the visit at a glance,
/// the reader's own programme first, then the whole programme; the calendar
/// and the programme as a Word document attached.
pub fn briefing(
    t: Translator,
    name: &str,
    pack: &BriefingPack<'_>,
    calendar: &Calendar,
    documents: Vec<Attachment>,
) -> Result<Rendered, askama::Error> {
    let subject = format!(
        "{}: {} — {}",
        t.get("mail-briefing-subject"),
        pack.visit,
        pack.version_short
    );
    let mut attachments = vec![Attachment::text(
        "programme.ics",
        calendar.method.content_type(),
        calendar::render(calendar),
    )];
    attachments.extend(documents);
    Ok(Rendered {
        subject,
        text: BriefingText { t, name, pack }.render()?,
        html: BriefingHtml { t, name, pack }.render()?,
        attachments,
    })
}

/// For templates: an itinerary's days with headings (kept here so both parts agree).
pub fn itinerary_days(
    t: Translator,
    itinerary: &Itinerary,
) -> Vec<(String, &crate::domain::itinerary::Day)> {
    itinerary
        .days
        .iter()
        .map(|d| (crate::i18n::long_date(t, d.date), d))
        .collect()
}

#[derive(Template)]
#[template(path = "email/password_reset/subject.txt")]
struct ResetSubject {
    t: Translator,
}

#[derive(Template)]
#[template(path = "email/password_reset/body.txt")]
struct ResetText<'a> {
    t: Translator,
    name: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/password_reset/body.html")]
struct ResetHtml<'a> {
    t: Translator,
    name: &'a str,
    link: &'a str,
}

/// The email that carries a one-time link to set a new password.
pub fn password_reset(t: Translator, name: &str, link: &str) -> Result<Rendered, askama::Error> {
    Ok(Rendered {
        subject: ResetSubject { t }.render()?.trim().to_owned(),
        text: ResetText { t, name, link }.render()?,
        html: ResetHtml { t, name, link }.render()?,
        attachments: Vec::new(),
    })
}

#[derive(Template)]
#[template(path = "email/access_list/body.txt")]
struct AccessText<'a> {
    t: Translator,
    visit: &'a str,
    list: &'a crate::domain::access::AccessList,
    rows: &'a [[String; 6]],
}

#[derive(Template)]
#[template(path = "email/access_list/body.html")]
struct AccessHtml<'a> {
    t: Translator,
    visit: &'a str,
    list: &'a crate::domain::access::AccessList,
    rows: &'a [[String; 6]],
    headings: [&'static str; 6],
}

/// A cell's lines, for templates.
fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

/// The message to a venue's security service: its access list in the body
/// and attached (`documents`: the Word and CSV files).
pub fn access_list(
    t: Translator,
    visit: &str,
    list: &crate::domain::access::AccessList,
    documents: Vec<Attachment>,
) -> Result<Rendered, askama::Error> {
    let rows = crate::render::docx::access_rows(t, list);
    Ok(Rendered {
        subject: format!(
            "{}: {} — {}",
            t.get("mail-access-subject"),
            list.venue.name,
            visit
        ),
        text: AccessText {
            t,
            visit,
            list,
            rows: &rows,
        }
        .render()?,
        html: AccessHtml {
            t,
            visit,
            list,
            rows: &rows,
            headings: crate::render::docx::access_headings(t),
        }
        .render()?,
        attachments: documents,
    })
}
