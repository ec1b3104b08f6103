//! Email against a real SMTP server on loopback (`support/smtp.rs`, in Rust),
//! on both backends: every kind of message parsed back into its MIME parts, who
//! gets what on a first publish and on a re-publish, hostile names, and the
//! faults that must never lose a message (a refusing server, a worker killed
//! mid-batch, two workers on one PostgreSQL queue, a retry from the outbox page).

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use mailparse::MailHeaderMap;
use serde_json::{json, Value};

use sapar::config::MailDomains;
use sapar::db::outbox_repo::{self, OutboxRow};
use sapar::db::schema::{outbox_messages, participants as participant_rows};
use sapar::domain::model::ParticipantInput;
use sapar::domain::Language;
use sapar::domain::MeetingStatus;
use sapar::i18n::Translator;
use sapar::mail::transport::Transport;
use sapar::services::accounts::{self, NewUserInput, Password};
use sapar::services::catalogue::{groups, participants, ParticipantRecord};
use sapar::services::outbox::{self as worker, Round, MAX_ATTEMPTS};
use sapar::services::programme::{meetings, MeetingRecord};
use sapar::web::api::views::meeting_input;

use crate::support::client::{browser, csrf_of, sign_in, ADMIN};
use crate::support::mailroom::Mailroom;
use crate::support::mime::{by_recipient, Mail};
use crate::support::smtp::SmtpSink;
use crate::support::{
    actor, load_demo, run_async, run_async_value, spawn_app, spawn_app_with, Backend, TestDb,
};

/// The host of Message-IDs and calendar UIDs: the test settings' base URL
/// (`http://127.0.0.1:8080`, the same for the app the API tests start).
const HOST: &str = "127.0.0.1";
const DEPUTIES_MEETING: &str = "Встреча с депутатами маслихатов области";
const UNIVERSITY_MEETING: &str = "Встреча с коллективом ВКТУ им. Д. Серикбаева";
const FRIENDSHIP_MEETING: &str =
    "Встреча с общественностью, представителями этнокультурных объединений и активной молодежью";

// ---------------------------------------------------------------------------
// Fixtures

fn outbox(db: &TestDb) -> Vec<OutboxRow> {
    let mut rows = outbox_repo::list(&mut db.conn(), None, 10_000).expect("the outbox");
    rows.sort_by_key(|r| r.id);
    rows
}

fn programme(db: &TestDb, visit: i64) -> Vec<MeetingRecord> {
    meetings::of_visit(&mut db.conn(), visit).expect("the programme")
}

fn meeting_titled(db: &TestDb, visit: i64, title: &str) -> MeetingRecord {
    programme(db, visit)
        .into_iter()
        .find(|m| m.row.title == title)
        .unwrap_or_else(|| panic!("a meeting titled {title}"))
}

fn people(db: &TestDb) -> Vec<ParticipantRecord> {
    participants::list(&mut db.conn()).expect("the participants")
}

fn person_named(db: &TestDb, name: &str) -> ParticipantRecord {
    people(db)
        .into_iter()
        .find(|p| p.row.full_name == name)
        .unwrap_or_else(|| panic!("a participant named {name}"))
}

/// The meetings that concern a participant: by name or through their groups.
fn meetings_of(programme: &[MeetingRecord], person: &ParticipantRecord) -> BTreeSet<i64> {
    programme
        .iter()
        .filter(|m| m.row.status != MeetingStatus::Cancelled)
        .filter(|m| {
            m.participant_ids.contains(&person.row.id)
                || m.group_ids.iter().any(|g| person.group_ids.contains(g))
        })
        .map(|m| m.row.id)
        .collect()
}

fn uid(meeting: i64) -> String {
    format!("meeting-{meeting}@{HOST}")
}

/// Makes every pending message due now (as time passing would).
fn make_due(db: &TestDb) {
    let past = Utc::now().naive_utc() - chrono::Duration::minutes(1);
    diesel::update(outbox_messages::table.filter(outbox_messages::status.eq("pending")))
        .set(outbox_messages::next_attempt_at.eq(past))
        .execute(&mut *db.conn())
        .expect("messages made due");
}

/// Ends every lease now (as a dead worker's would after LEASE_SECONDS).
fn expire_leases(db: &TestDb) {
    let past = Utc::now().naive_utc() - chrono::Duration::seconds(1);
    diesel::update(outbox_messages::table.filter(outbox_messages::lease_until.is_not_null()))
        .set(outbox_messages::lease_until.eq(Some(past)))
        .execute(&mut *db.conn())
        .expect("leases expired");
}

fn planner_token(db: &TestDb) -> String {
    let conn = &mut db.conn();
    accounts::create_user(
        conn,
        &actor(),
        &NewUserInput {
            email: "planner@sapar.test",
            full_name: "",
            role: "planner",
            language: Language::Ru,
            password: &Password::new("a password for tests"),
        },
    )
    .expect("a planner");
    accounts::create_token(conn, &actor(), "planner@sapar.test").expect("a token")
}

// ---------------------------------------------------------------------------
// Who gets what

fn a_first_publish_invites_each_participant_once_to_only_their_meetings(db: &TestDb) {
    let visit = load_demo(db);
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    // Through the API, as a planner would: refused while errors stand, then
    // published with them acknowledged.
    let token = planner_token(db);
    let published = publish_through_the_api(db, visit, &token);
    let everyone = people(db);
    let programme = programme(db, visit);
    let invited: Vec<&ParticipantRecord> = everyone
        .iter()
        .filter(|p| p.row.email.is_some() && !meetings_of(&programme, p).is_empty())
        .collect();
    assert_eq!(
        invited.len(),
        13,
        "every demo participant has an email and a meeting"
    );
    assert_eq!(published, json!({ "version": 1, "queued": 13 }));

    // Nothing is sent by publishing itself: the worker sends.
    assert_eq!(mail.sink.count(), 0);
    let round = mail.deliver(db);
    assert_eq!((round.sent, round.retrying, round.failed), (13, 0, 0));

    let rows = outbox(db);
    assert!(rows
        .iter()
        .all(|r| r.status == "sent" && r.attempts == 1 && r.sent_at.is_some()));
    let mails = by_recipient(mail.mails());
    assert_eq!(mails.len(), 13, "exactly one message each");
    let titles: BTreeMap<i64, &str> = programme
        .iter()
        .map(|m| (m.row.id, m.row.title.as_str()))
        .collect();
    for person in invited {
        let email = person.row.email.clone().expect("an email");
        let message = mails
            .get(&email)
            .unwrap_or_else(|| panic!("a message to {email}"));
        let row = rows
            .iter()
            .find(|r| r.recipient_email == email)
            .expect("an outbox row");
        assert_eq!(row.kind, "invitation");
        assert_eq!(message.message_id(), row.message_id);
        assert_eq!(message.to().addr, email);

        let theirs = meetings_of(&programme, person);
        let invite = message.calendar("REQUEST");
        assert_eq!(
            invite.uids(),
            theirs.iter().map(|m| uid(*m)).collect::<BTreeSet<_>>(),
            "{email}'s calendar holds their meetings and no other"
        );
        for (id, title) in &titles {
            let mentioned = message.text().contains(title) || message.html().contains(title);
            assert_eq!(
                mentioned,
                theirs.contains(id),
                "{email}: {title} is {} their programme",
                if theirs.contains(id) { "on" } else { "not on" }
            );
        }
    }
}

/// Publishes through the API (a 409 first, without the acknowledgement).
fn publish_through_the_api(db: &TestDb, visit: i64, token: &str) -> Value {
    run_async_value(async {
        let app = spawn_app(db);
        let url = format!("{}/api/v1/visits/{visit}/publish", app.address);
        let refused = app
            .client
            .post(&url)
            .bearer_auth(token)
            .json(&json!({ "acknowledge_errors": false }))
            .send()
            .await
            .expect("an answer");
        assert_eq!(refused.status().as_u16(), 409);
        let body: Value = refused.json().await.expect("JSON");
        assert!(
            body["conflicts"].as_array().is_some_and(|c| !c.is_empty()),
            "{body}"
        );
        let accepted = app
            .client
            .post(&url)
            .bearer_auth(token)
            .json(&json!({ "acknowledge_errors": true }))
            .send()
            .await
            .expect("an answer");
        assert_eq!(accepted.status().as_u16(), 200);
        accepted.json().await.expect("JSON")
    })
}

fn a_republish_writes_once_to_each_person_affected_and_to_nobody_else(db: &TestDb) {
    let visit = load_demo(db);
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    mail.publish(db, visit);
    assert_eq!(mail.deliver(db).sent, 13);
    mail.sink.clear();

    // The university meeting moves ten minutes later; the evening meeting
    // with the public and the youth is cancelled.
    let zone = chrono_tz::Asia::Almaty;
    let university = meeting_titled(db, visit, UNIVERSITY_MEETING);
    let mut moved = meeting_input(&university, zone);
    moved.starts_at = DateTime::parse_from_rfc3339("2026-02-25T11:20:00+05:00").ok();
    moved.ends_at = DateTime::parse_from_rfc3339("2026-02-25T12:10:00+05:00").ok();
    meetings::update(&mut db.conn(), &actor(), university.row.id, &moved).expect("moved");
    let friendship = meeting_titled(db, visit, FRIENDSHIP_MEETING);
    let mut cancelled = meeting_input(&friendship, zone);
    cancelled.status = Some("cancelled".into());
    meetings::update(&mut db.conn(), &actor(), friendship.row.id, &cancelled).expect("cancelled");

    let published = mail.publish(db, visit);
    assert_eq!(published.version, 2);
    let round = mail.deliver(db);
    assert_eq!((round.sent, round.failed), (6, 0));

    let group_members = |name: &str| -> Vec<ParticipantRecord> {
        let group = groups::list(&mut db.conn())
            .expect("groups")
            .into_iter()
            .find(|g| g.row.name == name)
            .expect("a demo group");
        people(db)
            .into_iter()
            .filter(|p| group.participant_ids.contains(&p.row.id))
            .collect()
    };
    let youth = group_members("Активная молодежь");
    let staff = group_members("Коллектив ВКТУ им. Д. Серикбаева");
    let public = group_members("Общественность и этнокультурные объединения");
    assert_eq!((youth.len(), staff.len(), public.len()), (2, 1, 3));
    let email = |p: &ParticipantRecord| p.row.email.clone().expect("an email");
    let rows = outbox(db);
    let row_of = |to: &str| {
        rows.iter()
            .find(|r| r.recipient_email == to && r.schedule_version == Some(2))
            .expect("an outbox row of version 2")
    };

    let mails = by_recipient(mail.mails());
    let affected: BTreeSet<String> = youth
        .iter()
        .chain(&staff)
        .chain(&public)
        .map(email)
        .collect();
    assert_eq!(
        mails.keys().cloned().collect::<BTreeSet<_>>(),
        affected,
        "the affected get one message each; deputies, the lab, the plant and the dairy get nothing"
    );
    let was = "11:10–12:00";
    let now = "11:20–12:10";
    for person in &youth {
        let message = &mails[&email(person)];
        let row = row_of(&email(person));
        let t = Translator(person.row.language);
        assert_eq!(row.kind, "change");
        assert_eq!(message.message_id(), row.message_id);
        assert_eq!(message.subject(), row.subject);
        let text = message.text();
        assert!(
            text.contains(UNIVERSITY_MEETING) && text.contains(FRIENDSHIP_MEETING),
            "{text}"
        );
        assert!(
            text.contains(t.get("mail-changed")) && text.contains(t.get("mail-cancelled")),
            "{text}"
        );
        assert!(
            text.contains(now) && text.contains(was),
            "the new time and the old: {text}"
        );
        assert_eq!(
            message.calendars().len(),
            2,
            "one calendar to update, one to cancel"
        );
        let request = message.calendar("REQUEST");
        assert_eq!(request.filename, "invite.ics");
        assert_eq!(request.uids(), BTreeSet::from([uid(university.row.id)]));
        assert_eq!(request.values("SEQUENCE"), vec!["1".to_owned()]);
        let cancel = message.calendar("CANCEL");
        assert_eq!(cancel.filename, "cancel.ics");
        assert_eq!(cancel.content_type_method, "CANCEL");
        assert_eq!(cancel.uids(), BTreeSet::from([uid(friendship.row.id)]));
        assert_eq!(cancel.values("STATUS"), vec!["CANCELLED".to_owned()]);
    }
    for person in &staff {
        let message = &mails[&email(person)];
        assert_eq!(row_of(&email(person)).kind, "change");
        assert!(message.text().contains(now) && message.text().contains(was));
        assert!(
            !message.text().contains(FRIENDSHIP_MEETING),
            "not their meeting"
        );
        assert_eq!(message.calendars().len(), 1);
        assert_eq!(
            message.calendar("REQUEST").uids(),
            BTreeSet::from([uid(university.row.id)])
        );
    }
    for person in &public {
        let message = &mails[&email(person)];
        let t = Translator(person.row.language);
        assert_eq!(row_of(&email(person)).kind, "cancellation");
        assert!(
            message
                .subject()
                .starts_with(t.get("mail-subject-cancellation")),
            "{}",
            message.subject()
        );
        assert!(message.text().contains(FRIENDSHIP_MEETING));
        assert!(
            !message.text().contains(UNIVERSITY_MEETING),
            "not their meeting"
        );
        assert_eq!(message.calendars().len(), 1, "only a cancellation");
        let cancel = message.calendar("CANCEL");
        assert_eq!(cancel.uids(), BTreeSet::from([uid(friendship.row.id)]));
    }
}

// ---------------------------------------------------------------------------
// Each kind of message, parsed back

fn an_invitation_reads_right_in_every_header_and_part(db: &TestDb) {
    let visit = load_demo(db);
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    mail.publish(db, visit);
    mail.deliver(db);
    // A deputy who reads Kazakh: her name in the To header must survive encoding.
    let name = "Тлеубергенова Әсем Қайратқызы";
    let person = person_named(db, name);
    let email = person.row.email.clone().expect("an email");
    let row = outbox(db)
        .into_iter()
        .find(|r| r.recipient_email == email)
        .expect("her outbox row");
    let mails = by_recipient(mail.mails());
    let message = &mails[&email];

    assert_eq!(
        message.root.shape(),
        "multipart/mixed[multipart/alternative[text/plain,text/html],text/calendar]"
    );
    let from = message.mailbox("From");
    assert_eq!(
        (from.display_name.as_deref(), from.addr.as_str()),
        (Some("Сапар"), "sapar@senate.example.kz")
    );
    let to = message.to();
    assert_eq!(
        (to.display_name.as_deref(), to.addr.as_str()),
        (Some(name), email.as_str())
    );
    assert!(message.raw_headers().is_ascii(), "headers travel encoded");
    let t = Translator(Language::Kk);
    assert_eq!(message.subject(), row.subject);
    assert_eq!(
        message.subject(),
        format!(
            "{}: Рабочая поездка Председателя Сената в Восточно-Казахстанскую область",
            t.get("mail-subject-invitation")
        )
    );
    assert_eq!(message.message_id(), row.message_id);
    assert!(row.message_id.starts_with('<') && row.message_id.ends_with(&format!("@{HOST}>")));
    assert_eq!(
        message.header("Auto-Submitted").as_deref(),
        Some("auto-generated")
    );
    assert_eq!(message.header("MIME-Version").as_deref(), Some("1.0"));
    assert!(message.has_header("Date"));
    assert!(!message.has_header("Bcc") && !message.has_header("Cc"));
    assert_eq!(message.rcpt_tos, vec![email.clone()]);
    assert_eq!(
        message.mail_from, "sapar@senate.example.kz",
        "the envelope sender"
    );

    let text = message.text();
    assert!(
        text.contains(&format!("{}, {name}!", t.get("mail-greeting"))),
        "{text}"
    );
    assert!(text.contains(DEPUTIES_MEETING), "{text}");
    assert!(
        text.contains("25.02.2026 09:30–10:45"),
        "local time in Ust-Kamenogorsk: {text}"
    );
    assert!(
        text.contains("ул. Горького, 40"),
        "the venue's address: {text}"
    );
    assert!(
        text.contains("Касымова Гульнара, +7 7232 24 11 11"),
        "the venue's contact: {text}"
    );
    assert!(!text.contains('<'), "the text part is text, not HTML");
    let html = message.html();
    assert!(
        html.contains("09:30–10:45") && html.contains("ул. Горького, 40"),
        "{html}"
    );
    assert!(
        html.contains("<html")
            && html.contains(&format!("{}/visits/{visit}", mail.settings.base_url))
    );
    for part in [message.leaf("text/plain"), message.leaf("text/html")] {
        assert_eq!(
            part.params
                .get("charset")
                .map(|c| c.to_ascii_lowercase())
                .as_deref(),
            Some("utf-8")
        );
    }

    let invite = message.calendar("REQUEST");
    assert_eq!(invite.filename, "invite.ics");
    assert_eq!(invite.content_type_method, "REQUEST");
    let deputies = meeting_titled(db, visit, DEPUTIES_MEETING);
    assert_eq!(invite.uids(), BTreeSet::from([uid(deputies.row.id)]));
    assert_eq!(
        invite.values("DTSTART"),
        vec!["20260225T043000Z".to_owned()]
    );
    assert_eq!(invite.values("SUMMARY"), vec![DEPUTIES_MEETING.to_owned()]);
    assert!(
        invite
            .values("ATTENDEE")
            .iter()
            .any(|a| a.ends_with(&email)),
        "she is the attendee: {:?}",
        invite.lines
    );
    assert!(
        invite
            .values("ORGANIZER")
            .iter()
            .any(|o| o.ends_with("sapar@senate.example.kz")),
        "{:?}",
        invite.lines
    );
}

fn a_briefing_pack_carries_the_whole_programme_as_a_published_calendar(db: &TestDb) {
    let visit = load_demo(db);
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    let token = planner_token(db);
    let speaker = sapar::services::catalogue::officials::list(&mut db.conn())
        .expect("officials")
        .into_iter()
        .find(|o| o.full_name == "Ашимбаев Маулен Сагатханулы")
        .expect("the Speaker");
    // A guest outside the people Sapar knows, in a domain the settings allow.
    let mut settings = db.settings();
    settings.mail_allowed_domains = MailDomains::parse("example.kz").expect("a domain");
    run_async(async {
        let app = spawn_app_with(db, settings);
        let answer = app
            .client
            .post(format!(
                "{}/api/v1/visits/{visit}/briefing-pack",
                app.address
            ))
            .bearer_auth(&token)
            .json(&json!({ "official_ids": [speaker.id], "emails": ["guest@example.kz"] }))
            .send()
            .await
            .expect("an answer");
        assert_eq!(answer.status().as_u16(), 200);
        assert_eq!(
            answer.json::<Value>().await.expect("JSON"),
            json!({ "queued": 2 })
        );
    });
    assert_eq!(mail.deliver(db).sent, 2);

    let programme = programme(db, visit);
    assert_eq!(programme.len(), 10);
    let rows = outbox(db);
    let mails = by_recipient(mail.mails());
    assert_eq!(mails.len(), 2);
    let speaker_email = speaker.email.clone().expect("the Speaker's office email");
    for (to, display) in [
        (speaker_email.as_str(), Some("Ашимбаев Маулен Сагатханулы")),
        ("guest@example.kz", None),
    ] {
        let message = &mails[to];
        let row = rows
            .iter()
            .find(|r| r.recipient_email == to)
            .expect("a row");
        assert_eq!(row.kind, "briefing_pack");
        assert_eq!(message.message_id(), row.message_id);
        assert_eq!(message.subject(), row.subject);
        assert!(
            message
                .subject()
                .contains("Рабочая поездка Председателя Сената"),
            "{}",
            message.subject()
        );
        let mailbox = message.to();
        assert_eq!(
            (mailbox.display_name.as_deref(), mailbox.addr.as_str()),
            (display, to)
        );
        assert_eq!(
            message.root.shape(),
            "multipart/mixed[multipart/alternative[text/plain,text/html],text/calendar,\
             application/vnd.openxmlformats-officedocument.wordprocessingml.document]"
        );
        let text = message.text();
        for meeting in &programme {
            assert!(
                text.contains(&meeting.row.title),
                "{} in the pack",
                meeting.row.title
            );
        }
        assert!(
            text.contains("09:30–10:45") && text.contains("ул. Горького, 40"),
            "{text}"
        );
        assert!(
            message.html().contains("09:30–10:45") && message.html().contains("ул. Горького, 40")
        );
        let calendar = message.calendar("PUBLISH");
        assert_eq!(calendar.filename, "programme.ics");
        assert_eq!(calendar.content_type_method, "PUBLISH");
        assert_eq!(
            calendar.uids(),
            programme
                .iter()
                .map(|m| uid(m.row.id))
                .collect::<BTreeSet<_>>(),
            "every meeting of the demo"
        );
    }
    // Nobody named gets a greeting by name; the guest is greeted as a colleague.
    assert!(mails["guest@example.kz"]
        .text()
        .contains(Translator(Language::Ru).get("mail-colleague")));
}

fn names_with_line_breaks_or_markup_cannot_inject_headers_or_html(db: &TestDb) {
    let visit = load_demo(db);
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    let hostile = "Иванов\r\nBcc: evil@example.kz <b>x</b>";
    let deputies = groups::list(&mut db.conn())
        .expect("groups")
        .into_iter()
        .find(|g| g.row.name == "Депутаты маслихатов ВКО")
        .expect("the deputies");
    let input = |name: &str| ParticipantInput {
        full_name: Some(name.to_owned()),
        email: Some("ivanov@example.kz".into()),
        language: Some("ru".into()),
        group_ids: vec![deputies.row.id],
        ..Default::default()
    };
    // The form refuses a name with a line break ...
    assert!(participants::create(&mut db.conn(), &actor(), &input(hostile)).is_err());
    // ... but mail must be safe even for a row that never went through it (an
    // import, an older version): the name is written straight to the table.
    let created =
        participants::create(&mut db.conn(), &actor(), &input("Иванов")).expect("a participant");
    diesel::update(participant_rows::table.find(created.row.id))
        .set(participant_rows::full_name.eq(hostile))
        .execute(&mut *db.conn())
        .expect("the name is rewritten");

    mail.publish(db, visit);
    assert_eq!(mail.deliver(db).failed, 0);
    let all = mail.mails();
    assert!(
        all.iter()
            .all(|m| m.rcpt_tos.iter().all(|r| !r.contains("evil"))),
        "nobody else is written to"
    );
    let mails = by_recipient(all);
    let message = &mails["ivanov@example.kz"];
    let headers = message.raw_headers();
    assert!(
        !headers.to_ascii_lowercase().contains("\r\nbcc:") && !message.has_header("Bcc"),
        "{headers}"
    );
    let to = message.to();
    assert_eq!(to.addr, "ivanov@example.kz");
    assert_eq!(
        to.display_name.as_deref(),
        Some("Иванов Bcc: evil@example.kz <b>x</b>"),
        "the name stays text"
    );
    assert!(
        message.text().contains("<b>x</b>"),
        "plain text shows the name as typed"
    );
    // Askama writes `<` as `&#60;`; either spelling is the text "<b>".
    let html = message
        .html()
        .replace("&#60;", "&lt;")
        .replace("&#62;", "&gt;");
    assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    // In the calendar the name is a parameter: no line of its own.
    let invite = message.calendar("REQUEST");
    assert!(
        invite.lines.iter().all(|l| !l.starts_with("Bcc")),
        "{:?}",
        invite.lines
    );
}

// ---------------------------------------------------------------------------
// Faults: none loses a message

fn a_refusing_server_delays_messages_and_loses_none(db: &TestDb) {
    let visit = load_demo(db);
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    mail.publish(db, visit);
    mail.sink.refuse(true);
    let round = mail.deliver(db);
    assert_eq!((round.sent, round.retrying, round.failed), (0, 13, 0));
    assert_eq!(mail.sink.count(), 0);
    for row in outbox(db) {
        assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
        let error = row.last_error.clone().unwrap_or_default();
        assert!(
            error.contains("Try again later"),
            "the server's words are kept: {error}"
        );
        assert!(
            row.next_attempt_at > Utc::now().naive_utc(),
            "retried later, not at once"
        );
        assert!(row.lease_until.is_none(), "the claim is released");
    }
    // Not due yet: the next poll leaves them be.
    assert_eq!(mail.deliver(db).handled(), 0);

    mail.sink.refuse(false);
    make_due(db);
    let round = mail.deliver(db);
    assert_eq!((round.sent, round.retrying, round.failed), (13, 0, 0));
    let rows = outbox(db);
    assert!(rows
        .iter()
        .all(|r| r.status == "sent" && r.attempts == 2 && r.last_error.is_none()));
    let received: BTreeSet<String> = mail.mails().iter().map(Mail::message_id).collect();
    let queued: BTreeSet<String> = rows.iter().map(|r| r.message_id.clone()).collect();
    assert_eq!(received, queued, "every message, once");
    assert_eq!(mail.sink.count(), 13);
}

fn sapar(db: &TestDb, mail: &Mailroom, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sapar"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn")
        .envs(db.env())
        .env("SAPAR_SMTP_URL", mail.sink.url())
        .env("SAPAR_MAIL_FROM", &mail.settings.mail_from)
        .stdin(Stdio::null());
    command
}

fn outbox_send(db: &TestDb, mail: &Mailroom) -> String {
    let output: Output = sapar(db, mail, &["outbox", "send"])
        .output()
        .expect("sapar runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn a_worker_killed_mid_batch_loses_nothing_and_repeats_each_message_at_most_once(db: &TestDb) {
    let visit = load_demo(db);
    // A slow server: each message is saved, then acknowledged half a second later.
    let Some(sink) = SmtpSink::start_with_delay(Duration::from_millis(500)) else {
        return;
    };
    let mail = Mailroom::with_sink(db, sink).expect("a mailroom");
    mail.publish(db, visit);

    let mut worker = sapar(db, &mail, &["outbox", "send"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sapar starts");
    mail.sink.wait_for(3, Duration::from_secs(30));
    worker.kill().expect("the worker is killed");
    worker.wait().expect("the worker is gone");

    let rows = outbox(db);
    let sent_before = rows.iter().filter(|r| r.status == "sent").count();
    assert!(sent_before < 13, "killed mid-batch: {sent_before} sent");
    assert!(
        rows.iter()
            .filter(|r| r.status == "pending")
            .all(|r| r.lease_until.is_some()),
        "the dead worker's claims hold until their lease ends"
    );
    // While the leases hold, another worker leaves those messages alone.
    assert!(outbox_send(db, &mail).starts_with("0 sent"));

    expire_leases(db);
    let printed = outbox_send(db, &mail);
    assert!(
        printed.starts_with(&format!("{} sent", 13 - sent_before)),
        "{printed}"
    );

    let rows = outbox(db);
    assert!(
        rows.iter().all(|r| r.status == "sent"),
        "every message delivered in the end"
    );
    let mut by_to: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for message in mail.mails() {
        by_to
            .entry(message.rcpt_tos.join(","))
            .or_default()
            .push(message.message_id());
    }
    assert_eq!(by_to.len(), 13, "everyone got their message");
    for row in &rows {
        let got = &by_to[&row.recipient_email];
        assert!(
            got.iter().all(|id| *id == row.message_id),
            "a repeat carries the same Message-ID"
        );
    }
    // Each message is repeated at most once, and only the ones in flight when
    // the process died (at most one per sending lane).
    assert!(
        by_to.values().all(|ids| ids.len() <= 2),
        "no message is repeated more than once: {by_to:?}"
    );
    let repeats: usize = by_to.values().map(|ids| ids.len() - 1).sum();
    assert!(
        repeats <= sapar::services::outbox::LANES,
        "only messages in flight are repeated: {by_to:?}"
    );
    eprintln!("killed after {sent_before} sent; {repeats} repeated");
}

/// Two workers on their own pools take from one PostgreSQL queue at once:
/// `FOR UPDATE SKIP LOCKED` gives each message to one of them.
#[test]
fn two_workers_on_one_postgres_queue_send_each_message_exactly_once() {
    let Some(db) = TestDb::new(Backend::Postgres) else {
        return;
    };
    let visit = load_demo(&db);
    let Some(mail) = Mailroom::open(&db) else {
        return;
    };
    // 187 more deputies: 200 people to write to.
    let deputies = groups::list(&mut db.conn())
        .expect("groups")
        .into_iter()
        .find(|g| g.row.name == "Депутаты маслихатов ВКО")
        .expect("the deputies");
    let mut members = deputies.participant_ids.clone();
    for i in 0..187 {
        let created = participants::create(
            &mut db.conn(),
            &actor(),
            &ParticipantInput {
                full_name: Some(format!("Депутат № {i}")),
                email: Some(format!("deputy{i}@maslikhat.example.kz")),
                language: Some("ru".into()),
                ..Default::default()
            },
        )
        .expect("a participant");
        members.push(created.row.id);
    }
    let mut group = sapar::web::api::views::group_input(&deputies);
    group.participant_ids = members;
    group.headcount = Some(250);
    groups::update(&mut db.conn(), &actor(), deputies.row.id, &group).expect("the group grows");
    assert_eq!(mail.publish(&db, visit).queued, 200);

    let start = std::sync::Barrier::new(2);
    let rounds: Vec<Round> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (settings, start) = (&mail.settings, &start);
                scope.spawn(move || {
                    let pool = sapar::db::pool(&settings.database).expect("a pool of its own");
                    let transport = Transport::from_settings(settings).expect("a transport");
                    start.wait();
                    worker::send_due(&pool, &transport, &settings.mail_from).expect("a round")
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("the worker ran"))
            .collect()
    });
    let sent: Vec<usize> = rounds.iter().map(|r| r.sent).collect();
    eprintln!("two workers sent {sent:?}");
    assert_eq!(sent.iter().sum::<usize>(), 200, "{rounds:?}");
    assert!(rounds.iter().all(|r| r.failed == 0 && r.retrying == 0));

    let received = mail.sink.received();
    let ids: Vec<String> = received
        .iter()
        .map(|r| {
            let (headers, _) = mailparse::parse_headers(&r.raw).expect("headers");
            headers.get_first_value("Message-ID").expect("a Message-ID")
        })
        .collect();
    let distinct: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), 200, "no message twice");
    assert_eq!(distinct.len(), 200);
    let queued: BTreeSet<String> = outbox(&db).into_iter().map(|r| r.message_id).collect();
    assert_eq!(
        distinct.into_iter().cloned().collect::<BTreeSet<_>>(),
        queued
    );
}

fn a_message_failed_for_good_is_retried_from_the_outbox_page(db: &TestDb) {
    let visit = load_demo(db);
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    let token = planner_token(db);
    mail.publish(db, visit);
    let doomed = outbox(db)[0].clone();
    // Its last attempt comes next, and the server refuses it.
    diesel::update(outbox_messages::table.find(doomed.id))
        .set(outbox_messages::attempts.eq(MAX_ATTEMPTS - 1))
        .execute(&mut *db.conn())
        .expect("attempts set");
    mail.sink.refuse(true);
    let round = mail.deliver(db);
    assert_eq!((round.failed, round.retrying), (1, 12));

    run_async(async {
        let app = spawn_app(db);
        let list = |token: String| {
            let client = app.client.clone();
            let url = format!("{}/api/v1/outbox?visit={visit}", app.address);
            async move {
                let body: Value = client
                    .get(url)
                    .bearer_auth(token)
                    .send()
                    .await
                    .expect("an answer")
                    .json()
                    .await
                    .expect("JSON");
                body["messages"]
                    .as_array()
                    .expect("messages")
                    .iter()
                    .find(|m| m["id"] == json!(doomed.id))
                    .cloned()
                    .expect("the doomed message")
            }
        };
        let failed = list(token.clone()).await;
        assert_eq!(failed["status"], "failed", "{failed}");
        assert_eq!(failed["attempts"], MAX_ATTEMPTS);
        assert_eq!(failed["to"], doomed.recipient_email.as_str());
        assert_eq!(failed["message_id"], doomed.message_id.as_str());
        assert!(
            failed["last_error"]
                .as_str()
                .is_some_and(|e| e.contains("Try again later")),
            "{failed}"
        );

        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let page = client
            .get(format!("{}/outbox", app.address))
            .send()
            .await
            .expect("the outbox page")
            .text()
            .await
            .expect("HTML");
        assert!(
            page.contains(&format!("action=\"/outbox/{}/retry\"", doomed.id)),
            "a retry button"
        );
        assert!(page.contains("Try again later"), "the error is shown");
        let retried = client
            .post(format!("{}/outbox/{}/retry", app.address, doomed.id))
            .form(&[("csrf", csrf_of(&page))])
            .send()
            .await
            .expect("an answer");
        assert_eq!(retried.status().as_u16(), 303);
        let pending = list(token.clone()).await;
        assert_eq!(
            (pending["status"].as_str(), pending["attempts"].as_i64()),
            (Some("pending"), Some(0))
        );

        mail.sink.refuse(false);
        make_due(db);
        let round = mail.deliver(db);
        assert_eq!((round.sent, round.failed), (13, 0));
        let sent = list(token.clone()).await;
        assert_eq!(
            (sent["status"].as_str(), sent["last_error"].clone()),
            (Some("sent"), Value::Null)
        );
    });
    let ids: Vec<String> = mail.mails().iter().map(Mail::message_id).collect();
    assert_eq!(ids.iter().filter(|id| **id == doomed.message_id).count(), 1);
    assert_eq!(ids.len(), 13);
}

crate::on_both_backends!(
    a_first_publish_invites_each_participant_once_to_only_their_meetings,
    a_republish_writes_once_to_each_person_affected_and_to_nobody_else,
    an_invitation_reads_right_in_every_header_and_part,
    a_briefing_pack_carries_the_whole_programme_as_a_published_calendar,
    names_with_line_breaks_or_markup_cannot_inject_headers_or_html,
    a_refusing_server_delays_messages_and_loses_none,
    a_worker_killed_mid_batch_loses_nothing_and_repeats_each_message_at_most_once,
    a_message_failed_for_good_is_retried_from_the_outbox_page,
);
