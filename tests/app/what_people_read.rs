//! Snapshots of what people read: the briefing pack the Speaker receives, the
//! change notice a participant receives on a re-publish, and the Speaker's
//! printed itinerary. A change to any of them is reviewed like code.
//!
//! What varies between runs and backends (ids, the app's address, the time of
//! printing) is replaced by a bracketed placeholder before the comparison, so
//! one snapshot serves SQLite and PostgreSQL. After an intended change in
//! wording, accept the new text with
//! `INSTA_UPDATE=always cargo test --test app what_people_read`
//! and read the diff of `tests/app/snapshots/app__what_people_read__*.snap`.

use chrono::DateTime;

use sapar::domain::Language;
use sapar::i18n::Translator;
use sapar::services::catalogue::{groups, officials, participants, ParticipantRecord};
use sapar::services::programme::meetings;
use sapar::services::publishing;
use sapar::web::api::views::meeting_input;

use crate::support::client::{browser, sign_in, ADMIN};
use crate::support::mailroom::Mailroom;
use crate::support::mime::{by_recipient, Mail};
use crate::support::{actor, load_demo, run_async_value, spawn_app, TestDb};

const SPEAKER: &str = "Ашимбаев Маулен Сагатханулы";
const UNIVERSITY_MEETING: &str = "Встреча с коллективом ВКТУ им. Д. Серикбаева";
const FRIENDSHIP_MEETING: &str =
    "Встреча с общественностью, представителями этнокультурных объединений и активной молодежью";
const YOUTH: &str = "Активная молодежь";

/// What any page or message of the demo visit carries that differs between
/// runs and backends: the app's address, and the visit's id in links. Line
/// ends are made `\n`.
fn redact_run(text: &str, base_url: &str, visit: i64) -> String {
    let text = text
        .replace("\r\n", "\n")
        .replace(base_url.trim_end_matches('/'), "[base url]");
    redact_id(&text, "/visits/", visit, "[visit]")
}

/// Replaces the id in `{prefix}{id}` with a placeholder wherever the number
/// ends there (for visit 1, not in `/visits/12`).
fn redact_id(text: &str, prefix: &str, id: i64, placeholder: &str) -> String {
    let needle = format!("{prefix}{id}");
    let mut redacted = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&needle) {
        let after = &rest[at + needle.len()..];
        redacted.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            redacted.push_str(&needle);
        } else {
            redacted.push_str(prefix);
            redacted.push_str(placeholder);
        }
        rest = after;
    }
    redacted.push_str(rest);
    redacted
}

/// The headers a reader sees, then the part itself.
fn readable(mail: &Mail, part: &str) -> String {
    format!(
        "Subject: {}\nTo: {}\nParts: {}\n\n{part}",
        mail.subject(),
        mail.header("To").unwrap_or_default(),
        mail.root.shape()
    )
}

fn speaker_id(db: &TestDb) -> (i64, String) {
    let speaker = officials::list(&mut db.conn())
        .expect("officials")
        .into_iter()
        .find(|o| o.full_name == SPEAKER)
        .expect("the Speaker");
    (
        speaker.id,
        speaker.email.expect("the Speaker's office email"),
    )
}

fn a_briefing_pack_reads_as_the_snapshot_says(db: &TestDb) {
    let visit = load_demo(db);
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    let (speaker, email) = speaker_id(db);
    let queued = publishing::briefing_pack(
        &mut db.conn(),
        &actor(),
        visit,
        &[speaker],
        &[],
        &mail.settings,
    )
    .expect("the pack is queued");
    assert_eq!(queued, 1);
    assert_eq!(mail.deliver(db).sent, 1);
    let mails = by_recipient(mail.mails());
    let pack = &mails[&email];

    let base_url = &mail.settings.base_url;
    insta::assert_snapshot!(
        "briefing_pack_text",
        redact_run(&readable(pack, pack.text()), base_url, visit)
    );
    insta::assert_snapshot!(
        "briefing_pack_html",
        redact_run(&readable(pack, pack.html()), base_url, visit)
    );
}

/// The first member of the youth group by name: on both of the re-published
/// meetings, so their notice holds a move and a cancellation.
fn first_of_the_youth(db: &TestDb) -> ParticipantRecord {
    let group = groups::list(&mut db.conn())
        .expect("groups")
        .into_iter()
        .find(|g| g.row.name == YOUTH)
        .expect("the demo's youth group");
    let mut members: Vec<ParticipantRecord> = participants::list(&mut db.conn())
        .expect("participants")
        .into_iter()
        .filter(|p| group.participant_ids.contains(&p.row.id))
        .collect();
    members.sort_by(|a, b| a.row.full_name.cmp(&b.row.full_name));
    members.into_iter().next().expect("a member of the youth")
}

fn a_change_notice_reads_as_the_snapshot_says(db: &TestDb) {
    let visit = load_demo(db);
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    mail.publish(db, visit);
    mail.deliver(db);
    mail.sink.clear();

    // The university meeting moves ten minutes later; the evening meeting
    // with the public and the youth is cancelled.
    let zone = chrono_tz::Asia::Almaty;
    let programme = meetings::of_visit(&mut db.conn(), visit).expect("the programme");
    let titled = |title: &str| {
        programme
            .iter()
            .find(|m| m.row.title == title)
            .unwrap_or_else(|| panic!("a meeting titled {title}"))
    };
    let university = titled(UNIVERSITY_MEETING);
    let mut moved = meeting_input(university, zone);
    moved.starts_at = DateTime::parse_from_rfc3339("2026-02-25T11:20:00+05:00").ok();
    moved.ends_at = DateTime::parse_from_rfc3339("2026-02-25T12:10:00+05:00").ok();
    meetings::update(&mut db.conn(), &actor(), university.row.id, &moved).expect("moved");
    let friendship = titled(FRIENDSHIP_MEETING);
    let mut cancelled = meeting_input(friendship, zone);
    cancelled.status = Some("cancelled".into());
    meetings::update(&mut db.conn(), &actor(), friendship.row.id, &cancelled).expect("cancelled");
    assert_eq!(mail.publish(db, visit).version, 2);
    mail.deliver(db);

    let person = first_of_the_youth(db);
    let email = person.row.email.clone().expect("an email");
    let mails = by_recipient(mail.mails());
    let notice = &mails[&email];

    let base_url = &mail.settings.base_url;
    insta::assert_snapshot!(
        "change_notice_text",
        redact_run(&readable(notice, notice.text()), base_url, visit)
    );
    insta::assert_snapshot!(
        "change_notice_html",
        redact_run(&readable(notice, notice.html()), base_url, visit)
    );
}

/// The time of printing, after the label that introduces it, up to the end
/// of its paragraph.
fn redact_printed_at(html: &str, label: &str) -> String {
    let marker = format!("{label} ");
    let Some(start) = html.find(&marker).map(|i| i + marker.len()) else {
        panic!("the page says when it was printed ({label}):\n{html}");
    };
    let end = html[start..]
        .find("</p>")
        .map(|i| i + start)
        .expect("the end of the paragraph");
    format!("{}[printed at]{}", &html[..start], &html[end..])
}

fn the_speakers_printed_itinerary_reads_as_the_snapshot_says(db: &TestDb) {
    let visit = load_demo(db);
    let (speaker, _) = speaker_id(db);
    let (html, base_url) = page(db, &format!("/visits/{visit}/itinerary?official={speaker}"));

    let label = Translator(Language::Ru).get("itinerary-printed");
    let html = redact_printed_at(&html, label);
    let html = redact_id(&html, "official=", speaker, "[speaker]");
    insta::assert_snapshot!("speaker_itinerary", redact_run(&html, &base_url, visit));
}

/// A page as the signed-in admin sees it, and the address it came from.
fn page(db: &TestDb, path: &str) -> (String, String) {
    run_async_value(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let response = client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), 200, "{path}");
        (response.text().await.expect("a page"), app.address.clone())
    })
}

crate::on_both_backends!(
    a_briefing_pack_reads_as_the_snapshot_says,
    a_change_notice_reads_as_the_snapshot_says,
    the_speakers_printed_itinerary_reads_as_the_snapshot_says,
);
