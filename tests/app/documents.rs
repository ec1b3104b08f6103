//! Documents people already use, read back with readers Sapar's code shares
//! nothing with: the programme as a Word document (unzipped, its XML read),
//! the access lists (Word and CSV) with their clearance marks, the lists sent
//! to the venues, and the briefing pack made for its reader. Every file read
//! here is also written to `target/docx/`, where CI reads it again with
//! python-docx (`tests/docx_check.py`).

use std::collections::BTreeSet;
use std::io::Read;

use chrono::DateTime;
use diesel::connection::SimpleConnection;
use serde_json::Value;

use sapar::services::catalogue::{groups, officials, participants, venues};
use sapar::services::programme::meetings;
use sapar::services::publishing;
use sapar::web::api::views::{self, meeting_input};

use crate::support::client::{csrf_of, signed_in_as_admin, ADMIN};
use crate::support::mailroom::Mailroom;
use crate::support::mime::{by_recipient, Mail};
use crate::support::{actor, load_demo, run_async, spawn_app, TestApp, TestDb};

const SPEAKER: &str = "Ашимбаев Маулен Сагатханулы";
const SECRETARY: &str = "Касымова Гульнара Токтаровна";
const PLANT: &str = "Усть-Каменогорский титано-магниевый комбинат (УКТМК)";
const MASLIKHAT_MEETING: &str = "Встреча с депутатами маслихатов области";
const PRESS: &str = "Подход к прессе";
/// Kazakh letters put into the demo, to be read back from the files.
const KAZAKH_ADDRESS: &str = "Өскемен қ., Өнеркәсіп көшесі, 1 (ұңғыма һ і ғ ү)";

/// Keeps a file for the python-docx check in CI. The SQLite and PostgreSQL
/// runs of a test write the same name at once: each writes a file of its own
/// and renames it into place, so the one left is whole.
fn keep(name: &str, bytes: &[u8]) {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/docx");
    std::fs::create_dir_all(&dir).expect("target/docx");
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let part = dir.join(format!(".{name}.{}.{n}.part", std::process::id()));
    std::fs::write(&part, bytes).expect("a document written");
    std::fs::rename(&part, dir.join(name)).expect("a document kept");
}

/// `word/document.xml` of a `.docx`, unzipped with the zip crate.
fn document_xml(docx: &[u8]) -> String {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a .docx is a zip archive");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .expect("UTF-8 XML");
    xml
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The text of each `<w:t>` in a stretch of XML, one paragraph a line.
fn text_of(xml: &str) -> String {
    let mut out = String::new();
    for paragraph in xml.split("</w:p>") {
        let mut line = String::new();
        let mut rest = paragraph;
        while let Some(at) = rest.find("<w:t") {
            let after = &rest[at..];
            // `<w:t>` or `<w:t xml:space="preserve">`, not `<w:tbl>`, `<w:tc>`…
            let open_end = after.find('>').expect("a closed tag");
            let tag = &after[..open_end];
            if tag == "<w:t" || tag.starts_with("<w:t ") {
                let body = &after[open_end + 1..];
                let close = body.find("</w:t>").expect("a closing </w:t>");
                line.push_str(&unescape(&body[..close]));
                rest = &body[close..];
            } else {
                rest = &after[open_end..];
            }
        }
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The rows of every table: each row's cells as text.
fn rows(xml: &str) -> Vec<Vec<String>> {
    xml.split("<w:tr>")
        .skip(1)
        .chain(xml.split("<w:tr ").skip(1))
        .map(|row| {
            let row = row.split("</w:tr>").next().unwrap_or_default();
            row.split("<w:tc>")
                .skip(1)
                .map(|cell| text_of(cell).trim().to_owned())
                .collect()
        })
        .collect()
}

/// The titles of the programme's items, in the order the document has them
/// (the second cell of each row that has a time in its first).
fn titles(xml: &str) -> Vec<String> {
    rows(xml)
        .into_iter()
        .filter(|r| r.len() >= 4 && r[0].contains('–') && r[0].contains(':'))
        .map(|r| r[1].lines().next().unwrap_or_default().to_owned())
        .collect()
}

fn official_id(db: &TestDb, name: &str) -> i64 {
    officials::list(&mut db.conn())
        .unwrap()
        .into_iter()
        .find(|o| o.full_name == name)
        .unwrap_or_else(|| panic!("{name}"))
        .id
}

fn venue_id(db: &TestDb, name: &str) -> i64 {
    venues::list(&mut db.conn())
        .unwrap()
        .into_iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("{name}"))
        .id
}

fn with_kazakh_address(db: &TestDb) {
    db.conn()
        .batch_execute(&format!(
            "UPDATE venues SET address = '{KAZAKH_ADDRESS}' WHERE name = '{PLANT}'"
        ))
        .expect("the address changed");
}

/// Status, headers and body of a GET.
async fn fetch(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let answer = client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    let headers = answer.headers().clone();
    (status, headers, answer.bytes().await.unwrap().to_vec())
}

fn header(headers: &reqwest::header::HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn the_programme_is_a_word_document_in_time_order_with_the_itinerarys_filters(db: &TestDb) {
    let visit = load_demo(db);
    with_kazakh_address(db);
    let secretary = official_id(db, SECRETARY);
    run_async(async {
        let app = spawn_app(db);
        let client = signed_in_as_admin(&app).await;

        let (status, headers, docx) =
            fetch(&client, &app, &format!("/visits/{visit}/programme.docx")).await;
        assert_eq!(status, 200);
        assert_eq!(
            header(&headers, "content-type"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        let disposition = header(&headers, "content-disposition");
        assert!(
            disposition.starts_with(
                "attachment; filename=\"programme-2026-02-25.docx\"; filename*=UTF-8''"
            ),
            "{disposition}"
        );
        assert!(disposition.is_ascii(), "{disposition}");
        keep("programme-internal.docx", &docx);
        let xml = document_xml(&docx);
        assert!(
            xml.contains("w:w=\"11906\"") && xml.contains("w:h=\"16838\""),
            "A4"
        );
        let text = text_of(&xml);
        assert!(text.contains("ПРОГРАММА ПРЕБЫВАНИЯ"), "{text}");
        assert!(text.contains("«проект»"), "a draft says so");
        assert!(text.contains(KAZAKH_ADDRESS), "Kazakh letters as written");
        let order = titles(&xml);
        assert_eq!(order.len(), 10, "{order:?}");
        assert_eq!(order[0], "Прибытие в Усть-Каменогорск. Встреча в аэропорту");
        assert_eq!(order[9], "Отъезд. Проводы в аэропорту");
        assert!(text.contains("Ответственные"), "the working programme");
        assert!(
            text.contains("Правила объекта: Обязательны СИЗ"),
            "venue rules"
        );
        assert!(
            text.contains("Депутаты маслихатов ВКО — 120 чел."),
            "{text}"
        );
        assert!(text.contains("→ Переезд: Сессионный зал маслихата"));

        let (_, headers, docx) = fetch(
            &client,
            &app,
            &format!("/visits/{visit}/programme.docx?official={secretary}"),
        )
        .await;
        keep("programme-secretary.docx", &docx);
        let xml = document_xml(&docx);
        assert_eq!(titles(&xml), [MASLIKHAT_MEETING]);
        assert!(text_of(&xml).contains(&format!("Для: {SECRETARY}")));
        assert!(header(&headers, "content-disposition").contains("programme-2026-02-25-kasymova"));

        let (_, headers, docx) = fetch(
            &client,
            &app,
            &format!("/visits/{visit}/programme.docx?view=public"),
        )
        .await;
        keep("programme-public.docx", &docx);
        assert!(header(&headers, "content-disposition").contains("-public.docx"));
        let xml = document_xml(&docx);
        let public = text_of(&xml);
        assert_eq!(titles(&xml).len(), 10);
        for internal in [
            "Ответственные",
            "Правила объекта",
            "Принимающая сторона",
            "+7 7232",
            "Логистика",
            "Кортеж",
            "Протокольная служба акимата ВКО",
        ] {
            assert!(
                !public.contains(internal),
                "the guest view shows {internal}"
            );
        }
        assert!(public.contains("Общая программа"));
        assert!(public.contains(KAZAKH_ADDRESS), "the address is public");

        let (_, _, docx) = fetch(
            &client,
            &app,
            &format!("/visits/{visit}/programme.docx?day=2026-02-26"),
        )
        .await;
        let xml = document_xml(&docx);
        assert!(titles(&xml).is_empty());
        assert!(text_of(&xml).contains("Мероприятий нет."));

        for bad in ["official=abc", "day=2026-13-45", "group=1x"] {
            let (status, _, _) = fetch(
                &client,
                &app,
                &format!("/visits/{visit}/programme.docx?{bad}"),
            )
            .await;
            assert_eq!(status, 404, "{bad}");
        }
        let (status, _, _) = fetch(&client, &app, "/visits/999999/programme.docx").await;
        assert_eq!(status, 404);
    });
}

/// Everyone the plant's item brings there: the officials of the item and the
/// members of its groups.
fn expected_at_the_plant(db: &TestDb, visit: i64) -> BTreeSet<String> {
    let programme = meetings::of_visit(&mut db.conn(), visit).unwrap();
    let plant = venue_id(db, PLANT);
    let items: Vec<_> = programme
        .iter()
        .filter(|m| m.row.venue_id == Some(plant))
        .collect();
    let officials = officials::list(&mut db.conn()).unwrap();
    let groups = groups::list(&mut db.conn()).unwrap();
    let participants = participants::list(&mut db.conn()).unwrap();
    let mut names = BTreeSet::new();
    for item in items {
        for id in &item.official_ids {
            names.insert(
                officials
                    .iter()
                    .find(|o| o.id == *id)
                    .unwrap()
                    .full_name
                    .clone(),
            );
        }
        for group in groups.iter().filter(|g| item.group_ids.contains(&g.row.id)) {
            for id in &group.participant_ids {
                names.insert(
                    participants
                        .iter()
                        .find(|p| p.row.id == *id)
                        .unwrap()
                        .row
                        .full_name
                        .clone(),
                );
            }
        }
    }
    names
}

fn an_access_list_names_everyone_expected_at_the_venue_and_nobody_else(db: &TestDb) {
    let visit = load_demo(db);
    with_kazakh_address(db);
    let plant = venue_id(db, PLANT);
    let expected = expected_at_the_plant(db, visit);
    assert!(expected.contains(SPEAKER) && !expected.contains(SECRETARY));
    assert!(expected.len() > 4, "officials and the work collective");
    // A participant's organisation and position, each in its column.
    let engineer = {
        let conn = &mut db.conn();
        let everyone = participants::list(conn).unwrap();
        let record = everyone
            .iter()
            .find(|p| p.row.full_name == "Петров Андрей Сергеевич")
            .expect("the plant's chief engineer");
        let mut input = views::participant_input(record);
        input.organization = Some("АО «УКТМК»".into());
        input.position = Some("главный инженер".into());
        participants::update(conn, &actor(), record.row.id, &input).unwrap();
        record.row.full_name.clone()
    };
    run_async(async {
        let app = spawn_app(db);
        let client = signed_in_as_admin(&app).await;

        let (status, headers, csv) = fetch(
            &client,
            &app,
            &format!("/visits/{visit}/access-list.csv?venue={plant}"),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-type"), "text/csv; charset=utf-8");
        assert!(header(&headers, "content-disposition")
            .starts_with("attachment; filename=\"access-list-uktmk.csv\"; filename*=UTF-8''"));
        keep("access-list-uktmk.csv", &csv);
        assert_eq!(&csv[..3], b"\xEF\xBB\xBF", "a byte order mark for Excel");
        let text = String::from_utf8(csv[3..].to_vec()).expect("UTF-8");
        let records: Vec<Vec<&str>> = text
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| l.split(';').collect())
            .collect();
        assert_eq!(
            records[0],
            [
                "№",
                "Фамилия, имя, отчество",
                "Организация",
                "Должность",
                "Время пребывания",
                "Допуск"
            ]
        );
        let names: BTreeSet<String> = records[1..].iter().map(|r| r[1].to_owned()).collect();
        assert_eq!(
            names, expected,
            "the people of the plant's item, and nobody else"
        );
        let row = records
            .iter()
            .find(|r| r[1] == engineer)
            .expect("the engineer");
        assert_eq!((row[2], row[3]), ("АО «УКТМК»", "главный инженер"));
        assert_eq!(records[1][0], "1");
        assert_eq!(records[1][1], SPEAKER, "officials first, in protocol order");
        assert_eq!(records[1][3], "Председатель Сената");
        assert!(
            records[1][4].starts_with("25.02 14:35–15:45 Посещение"),
            "{:?}",
            records[1]
        );
        assert_eq!(records[1][5], "не запрошен");
        let numbers: Vec<usize> = records[1..].iter().map(|r| r[0].parse().unwrap()).collect();
        assert_eq!(numbers, (1..=expected.len()).collect::<Vec<_>>());

        let (status, headers, docx) = fetch(
            &client,
            &app,
            &format!("/visits/{visit}/access-list.docx?venue={plant}"),
        )
        .await;
        assert_eq!(status, 200);
        assert!(header(&headers, "content-disposition").contains("access-list-uktmk.docx"));
        keep("access-list-uktmk.docx", &docx);
        let xml = document_xml(&docx);
        let table = rows(&xml);
        let names: BTreeSet<String> = table[1..].iter().map(|r| r[1].clone()).collect();
        assert_eq!(names, expected);
        assert!(text_of(&xml).contains(KAZAKH_ADDRESS));

        // A venue the visit does not use, a venue that does not exist, no
        // venue, and not a number.
        let unused = venues::list(&mut db.conn())
            .unwrap()
            .into_iter()
            .map(|v| v.id)
            .max()
            .unwrap()
            + 1;
        for query in [
            format!("venue={unused}"),
            "venue=999999".into(),
            String::new(),
            "venue=abc".into(),
        ] {
            let (status, _, page) =
                fetch(&client, &app, &format!("/visits/{visit}/access?{query}")).await;
            if query.is_empty() {
                assert_eq!(status, 200, "the page without a venue is the chooser");
            } else if query != "venue=abc" {
                assert_eq!(status, 404, "{query}");
                assert!(String::from_utf8(page)
                    .unwrap()
                    .contains("На этом визите нет такого объекта."));
            }
            for file in ["csv", "docx"] {
                let (status, _, _) = fetch(
                    &client,
                    &app,
                    &format!("/visits/{visit}/access-list.{file}?{query}"),
                )
                .await;
                assert_eq!(status, 404, "{file}?{query}");
            }
        }
    });
}

fn a_planner_marks_clearances_and_the_list_shows_them(db: &TestDb) {
    let visit = load_demo(db);
    let plant = venue_id(db, PLANT);
    let speaker = official_id(db, SPEAKER);
    let secretary = official_id(db, SECRETARY);
    run_async(async {
        let app = spawn_app(db);
        let client = signed_in_as_admin(&app).await;
        let (status, _, page) = fetch(
            &client,
            &app,
            &format!("/visits/{visit}/access?venue={plant}"),
        )
        .await;
        assert_eq!(status, 200);
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains(&format!("name=\"mark_official_{speaker}\"")));
        assert!(!page.contains(&format!("mark_official_{secretary}\"")));
        let csrf = csrf_of(&page);
        let url = format!("{}/visits/{visit}/access?venue={plant}", app.address);

        let answer = client
            .post(&url)
            .form(&[
                ("csrf", csrf.as_str()),
                (&format!("mark_official_{speaker}"), "granted"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 303);
        let (_, _, csv) = fetch(
            &client,
            &app,
            &format!("/visits/{visit}/access-list.csv?venue={plant}"),
        )
        .await;
        let text = String::from_utf8(csv).unwrap();
        let speaker_line = text.lines().find(|l| l.contains(SPEAKER)).unwrap();
        assert!(speaker_line.ends_with(";согласован"), "{speaker_line}");

        // Someone the venue does not expect, and a word that is no mark:
        // refused, and nothing is written.
        for (field, value, speaker_too) in [
            (format!("mark_official_{secretary}"), "granted", true),
            (format!("mark_official_{speaker}"), "maybe", false),
            ("mark_nobody_1".to_owned(), "granted", true),
        ] {
            let speaker_field = format!("mark_official_{speaker}");
            let mut fields = vec![("csrf", csrf.as_str()), (field.as_str(), value)];
            if speaker_too {
                fields.push((speaker_field.as_str(), "refused"));
            }
            let answer = client.post(&url).form(&fields).send().await.unwrap();
            let status = answer.status().as_u16();
            assert!(status == 400 || status == 422, "{field}={value}: {status}");
        }
        let (_, _, csv) = fetch(
            &client,
            &app,
            &format!("/visits/{visit}/access-list.csv?venue={plant}"),
        )
        .await;
        let text = String::from_utf8(csv).unwrap();
        assert!(text
            .lines()
            .find(|l| l.contains(SPEAKER))
            .unwrap()
            .ends_with(";согласован"));
    });
}

fn the_lists_go_to_each_venue_with_a_contact_both_files_attached(db: &TestDb) {
    let visit = load_demo(db);
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    // One venue without an address gets nothing.
    db.conn()
        .batch_execute(&format!(
            "UPDATE venues SET contact_email = NULL WHERE name = '{PLANT}'"
        ))
        .unwrap();
    let with_contact: BTreeSet<String> =
        sapar::services::documents::venues_of_visit(&mut db.conn(), visit)
            .unwrap()
            .into_iter()
            .filter_map(|v| v.contact_email)
            .collect();
    let token = sapar::services::accounts::create_token(&mut db.conn(), &actor(), ADMIN.0).unwrap();
    let app_settings = mail.settings.clone();
    run_async(async {
        let app = crate::support::spawn_app_with(db, app_settings);
        let answer = app
            .client
            .post(format!(
                "{}/api/v1/visits/{visit}/access-lists/send",
                app.address
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 200);
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["queued"], with_contact.len());
        let answer = app
            .client
            .post(format!(
                "{}/api/v1/visits/999999/access-lists/send",
                app.address
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 404);
    });
    assert_eq!(mail.deliver(db).sent, with_contact.len());
    let mails = by_recipient(mail.mails());
    assert_eq!(mails.keys().cloned().collect::<BTreeSet<_>>(), with_contact);
    let dairy: &Mail = &mails["production@vostok-moloko.example.kz"];
    assert!(dairy
        .subject()
        .starts_with("Список лиц для допуска: Корпорация «Восток-Молоко»"));
    let files: Vec<(String, String)> = dairy
        .root
        .leaves()
        .into_iter()
        .filter_map(|p| p.attachment.clone().map(|a| (a, p.mimetype.clone())))
        .collect();
    assert_eq!(
        files,
        [
            (
                "access-list-korporatsiya-vostok-moloko-proizvodstven.docx".to_owned(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_owned()
            ),
            (
                "access-list-korporatsiya-vostok-moloko-proizvodstven.csv".to_owned(),
                "text/csv".to_owned()
            ),
        ]
    );
    let word = dairy
        .root
        .leaves()
        .into_iter()
        .find(|p| {
            p.attachment
                .as_deref()
                .is_some_and(|a| a.ends_with(".docx"))
        })
        .unwrap();
    assert!(text_of(&document_xml(&word.raw)).contains("Корпорация «Восток-Молоко»"));
}

/// The text of one section of a briefing pack's text part: from its heading
/// to the next heading of a section, or the end.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let marker = format!("######## {heading} ########");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("{marker} in\n{text}"));
    let rest = &text[start + marker.len()..];
    match rest.find("######## ") {
        Some(end) => &rest[..end],
        None => rest,
    }
}

/// An item of a pack's text: its title, venue, officials line and the
/// transfer line under it.
#[derive(Debug)]
struct PackEntry {
    title: String,
    /// The venue's line: its name, then its address.
    venue: String,
    officials: Vec<String>,
    transfer_to: Option<String>,
}

fn entries(section: &str) -> Vec<PackEntry> {
    let mut found: Vec<PackEntry> = Vec::new();
    let lines: Vec<&str> = section.lines().collect();
    for (n, line) in lines.iter().enumerate() {
        let starts_item = line.len() > 12
            && line.as_bytes()[2] == b':'
            && line.contains('–')
            && !line.starts_with(' ');
        if starts_item {
            let title = line.split("  ").nth(1).unwrap_or_default().to_owned();
            let venue = lines
                .get(n + 1)
                .map(|l| l.trim().to_owned())
                .unwrap_or_default();
            found.push(PackEntry {
                title,
                venue,
                officials: Vec::new(),
                transfer_to: None,
            });
        } else if let Some(last) = found.last_mut() {
            let line = line.trim();
            if let Some(names) = line
                .strip_prefix("Должностные лица: ")
                .or_else(|| line.strip_prefix("Сопровождают: "))
            {
                last.officials = names.split(", ").map(str::to_owned).collect();
            }
            if let Some(to) = line.strip_prefix("-> Переезд: ") {
                last.transfer_to = Some(to.rsplit_once(", ").unwrap().0.to_owned());
            }
        }
    }
    found
}

fn an_official_in_one_meeting_receives_a_pack_that_leads_with_that_meeting(db: &TestDb) {
    let visit = load_demo(db);
    let Some(mail) = Mailroom::open(db) else {
        return;
    };
    let secretary = official_id(db, SECRETARY);
    let speaker = official_id(db, SPEAKER);
    let zone = chrono_tz::Asia::Almaty;
    let programme = meetings::of_visit(&mut db.conn(), visit).unwrap();
    let titled = |title: &str| programme.iter().find(|m| m.row.title == title).unwrap();
    // The press approach is called off before any pack is sent.
    let press = titled(PRESS);
    let mut cancelled = meeting_input(press, zone);
    cancelled.status = Some("cancelled".into());
    meetings::update(&mut db.conn(), &actor(), press.row.id, &cancelled).unwrap();
    // The secretary of the maslikhat has an item of her own right after the
    // university meeting, at another venue: in the whole programme it sits
    // between two of the Speaker's items.
    let university = titled("Встреча с коллективом ВКТУ им. Д. Серикбаева");
    let mut own = meeting_input(university, zone);
    own.title = Some("Рабочая встреча в Доме дружбы".into());
    own.starts_at = DateTime::parse_from_rfc3339("2026-02-25T12:02:00+05:00").ok();
    own.ends_at = DateTime::parse_from_rfc3339("2026-02-25T12:10:00+05:00").ok();
    own.venue_id = Some(venue_id(db, "Дом дружбы Восточно-Казахстанской области"));
    own.official_ids = vec![secretary];
    own.official_roles = Default::default();
    own.group_ids = vec![];
    own.version = None;
    meetings::create(&mut db.conn(), &actor(), visit, &own).expect("her own item");

    let queued = publishing::briefing_pack(
        &mut db.conn(),
        &actor(),
        visit,
        &[secretary, speaker],
        &[],
        &mail.settings,
    )
    .unwrap();
    assert_eq!(queued, 2);
    assert_eq!(mail.deliver(db).sent, 2);
    let mails = by_recipient(mail.mails());
    let pack = &mails["maslikhat@vko.example.kz"];
    let text = pack.text();

    // Her programme first: the maslikhat meeting, then her own item, and
    // nothing of anyone else's day.
    let yours = section(text, "Ваша программа");
    let mine: Vec<String> = entries(yours).into_iter().map(|e| e.title).collect();
    assert_eq!(mine, [MASLIKHAT_MEETING, "Рабочая встреча в Доме дружбы"]);
    assert!(text.find("Ваша программа").unwrap() < text.find("Приложение").unwrap());
    assert!(yours
        .contains("Сопровождают: Ашимбаев М. С., Нуржанов Б. С., Жумабекова А. М., Оспанов Д. Е."));
    assert!(yours.contains("-> Переезд: Дом дружбы Восточно-Казахстанской области"));

    // The whole programme as the annex: no transfer joins two people's items.
    let annex = section(text, "Приложение: вся программа визита (для сотрудников)");
    let all = entries(annex);
    assert_eq!(all.len(), 10, "{all:#?}");
    for (n, entry) in all.iter().enumerate() {
        let next_of_theirs = all[n + 1..]
            .iter()
            .find(|e| e.officials.iter().any(|o| entry.officials.contains(o)));
        if let Some(to) = &entry.transfer_to {
            let next = next_of_theirs.unwrap_or_else(|| panic!("{entry:?} leads nowhere"));
            assert!(
                next.venue.starts_with(to.as_str()),
                "the transfer after «{}» leads to {to}, their next item is at {}",
                entry.title,
                next.venue
            );
        }
    }
    let after_university = all
        .iter()
        .find(|e| e.title.starts_with("Встреча с коллективом ВКТУ"))
        .unwrap();
    assert!(after_university
        .transfer_to
        .as_deref()
        .is_some_and(|to| to.starts_with("Мастерская Лу Бань")));
    let hers = all
        .iter()
        .find(|e| e.title.starts_with("Рабочая встреча"))
        .unwrap();
    assert_eq!(
        hers.transfer_to, None,
        "she goes on to nothing of the delegation's"
    );

    // A first pack leaves the cancelled item out, everywhere.
    assert!(!text.contains(PRESS) && !pack.html().contains(PRESS));
    for calendar in pack.calendars() {
        assert!(!calendar.values("SUMMARY").iter().any(|s| s == PRESS));
    }

    // The subject has one pair of parentheses at most, never one inside another.
    let subject = pack.subject();
    let mut depth = 0;
    for c in subject.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        assert!(depth <= 1, "nested parentheses in {subject}");
    }
    assert_eq!(
        subject,
        "Справочные материалы: Рабочая поездка Председателя Сената в Восточно-Казахстанскую область — «проект»"
    );

    // Her programme as a Word document beside the calendar.
    let files: Vec<String> = pack
        .root
        .leaves()
        .into_iter()
        .filter_map(|p| p.attachment.clone())
        .collect();
    assert_eq!(
        files,
        [
            "programme.ics",
            "programme-2026-02-25-kasymova-gulnara-toktarovna.docx"
        ]
    );
    let word = pack
        .root
        .leaves()
        .into_iter()
        .find(|p| {
            p.attachment
                .as_deref()
                .is_some_and(|a| a.ends_with(".docx"))
        })
        .unwrap();
    keep("briefing-secretary.docx", &word.raw);
    let xml = document_xml(&word.raw);
    assert_eq!(
        titles(&xml),
        [MASLIKHAT_MEETING, "Рабочая встреча в Доме дружбы"]
    );
    let calendar = pack.calendar("PUBLISH");
    assert_eq!(
        calendar.values("SUMMARY").len(),
        2,
        "her items in her calendar"
    );

    // The Speaker is in every item but hers: his own programme is nearly the
    // whole one, and the annex follows.
    let speakers = &mails["speaker.office@senate.example.kz"];
    let his: Vec<String> = entries(section(speakers.text(), "Ваша программа"))
        .into_iter()
        .map(|e| e.title)
        .collect();
    assert_eq!(his.len(), 9, "{his:?}");
    assert!(!his.iter().any(|t| t.starts_with("Рабочая встреча")));

    // A second pack to the same address shows the cancelled item, marked.
    mail.sink.clear();
    publishing::briefing_pack(
        &mut db.conn(),
        &actor(),
        visit,
        &[speaker],
        &[],
        &mail.settings,
    )
    .unwrap();
    assert_eq!(mail.deliver(db).sent, 1);
    let again = &by_recipient(mail.mails())["speaker.office@senate.example.kz"];
    assert!(
        again.text().contains(&format!("{PRESS} [Отменено]")),
        "{}",
        again.text()
    );
}

crate::on_both_backends!(
    the_programme_is_a_word_document_in_time_order_with_the_itinerarys_filters,
    an_access_list_names_everyone_expected_at_the_venue_and_nobody_else,
    a_planner_marks_clearances_and_the_list_shows_them,
    the_lists_go_to_each_venue_with_a_contact_both_files_attached,
    an_official_in_one_meeting_receives_a_pack_that_leads_with_that_meeting,
);
