//! Reference fields in an office of thousands, over real HTTP on both
//! backends: a form names only what it holds and searches for the rest, a
//! search (or Enter) shows the form again unsaved, saving keeps exactly the
//! ticked ones, and an id that names nobody comes back marked.

use diesel::Connection;

use sapar::domain::model::{GroupInput, ParticipantInput};
use sapar::services::catalogue::{groups, participants};
use sapar::services::programme::meetings;

use crate::support::client::{browser, csrf_of, page, sign_in, ADMIN};
use crate::support::{actor, load_demo, run_async, spawn_app, TestDb};

/// People in the office besides the group's members.
const OFFICE: usize = 2_000;
/// The group's members: the first of them by name.
const MEMBERS: usize = 20;
const NEWCOMER: &str = "Серикбаева Алтынай";

/// `OFFICE` participants "Участник 0001"… and one `NEWCOMER`, in one
/// transaction; gives their ids in that order, the newcomer last.
fn large_office(db: &TestDb) -> Vec<i64> {
    let mut conn = db.conn();
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        let mut people: Vec<ParticipantInput> = (1..=OFFICE)
            .map(|n| ParticipantInput {
                full_name: Some(format!("Участник {n:04}")),
                organization: Some("Аппарат".into()),
                ..Default::default()
            })
            .collect();
        people.push(ParticipantInput {
            full_name: Some(NEWCOMER.into()),
            organization: Some("Маслихат области".into()),
            ..Default::default()
        });
        Ok(people
            .iter()
            .map(|person| {
                participants::create(conn, &actor(), person)
                    .expect("a participant")
                    .row
                    .id
            })
            .collect())
    })
    .expect("the office")
}

/// A group of the office's first `MEMBERS` people; gives its id, their ids
/// and the newcomer's.
fn youth_group(db: &TestDb) -> (i64, Vec<i64>, i64) {
    let office = large_office(db);
    let members = office[..MEMBERS].to_vec();
    let group = groups::create(
        &mut db.conn(),
        &actor(),
        &GroupInput {
            name: Some("Активная молодёжь".into()),
            participant_ids: members.clone(),
            ..Default::default()
        },
    )
    .expect("a group");
    (group.row.id, members, office[OFFICE])
}

async fn post(client: &reqwest::Client, url: String, form: &[(&str, String)]) -> (u16, String) {
    let response = client.post(url).form(form).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The group form's fields as a browser sends them, members ticked.
fn group_form(csrf: &str, name: &str, members: &[i64]) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("csrf", csrf.to_owned()),
        ("name", name.to_owned()),
        ("contact_participant_id", String::new()),
    ];
    form.extend(members.iter().map(|id| ("participant_ids", id.to_string())));
    form
}

fn ticked(body: &str, name: &str, id: i64) -> bool {
    body.contains(&format!("name=\"{name}\" value=\"{id}\" checked>"))
}

fn offered(body: &str, name: &str, id: i64) -> bool {
    body.contains(&format!("name=\"{name}\" value=\"{id}\">"))
}

fn member_ids(db: &TestDb, group: i64) -> Vec<i64> {
    let mut ids = groups::get(&mut db.conn(), group).unwrap().participant_ids;
    ids.sort();
    ids
}

fn a_group_form_in_a_large_office_searches_rather_than_lists(db: &TestDb) {
    let (group, members, newcomer) = youth_group(db);
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let edit = format!("{}/groups/{group}/edit", app.address);
        let save = format!("{}/groups/{group}", app.address);

        // The members ticked, nobody else: a few kilobytes, not the office.
        let (status, form) = page(&client, edit.clone()).await;
        assert_eq!(status, 200);
        assert!(form.len() < 12_000, "{} bytes", form.len());
        assert!(members
            .iter()
            .all(|id| ticked(&form, "participant_ids", *id)));
        assert!(form.contains("Участник 0020 — Аппарат"));
        assert!(!form.contains("Участник 0021") && !form.contains(NEWCOMER));
        assert!(form.contains("name=\"find-participant_ids\""));
        // Enter submits the first submit button: a search, never the save.
        let entity = &form[form.find("class=\"entity\"").unwrap()..];
        let first_button = &entity[entity.find("type=\"submit\"").unwrap()..];
        assert!(
            first_button.starts_with("type=\"submit\" name=\"_find\""),
            "{first_button:.80}"
        );
        let csrf = csrf_of(&form);

        // A search, any letter case: the form again, the newcomer offered
        // unticked, everything typed kept, nothing saved.
        let mut searching = group_form(&csrf, "Молодёжь области", &members[1..]);
        searching.push(("find-participant_ids", "СЕРИКБ".into()));
        searching.push(("_find", "participant_ids".into()));
        let (status, found) = post(&client, save.clone(), &searching).await;
        assert_eq!(status, 200);
        assert!(offered(&found, "participant_ids", newcomer), "{found}");
        assert!(found.contains("Серикбаева Алтынай — Маслихат области"));
        assert!(found.contains("value=\"Молодёжь области\""));
        assert!(found.contains("value=\"СЕРИКБ\""));
        assert!(!ticked(&found, "participant_ids", members[0]));
        assert!(ticked(&found, "participant_ids", members[1]));
        assert!(found.contains("Изменения ещё не сохранены"));
        assert_eq!(member_ids(db, group), members, "a search saves nothing");
        assert_eq!(
            groups::get(&mut db.conn(), group).unwrap().row.name,
            "Активная молодёжь"
        );

        // Enter in any field sends the first find button: nothing saved either.
        let mut entered = group_form(&csrf, "Молодёжь области", &[]);
        entered.push(("find-participant_ids", "серикб".into()));
        entered.push(("_find", "contact_participant_id".into()));
        let (status, found) = post(&client, save.clone(), &entered).await;
        assert_eq!(status, 200);
        assert!(offered(&found, "participant_ids", newcomer));
        assert_eq!(member_ids(db, group), members, "Enter saves nothing");

        // Many matches: the first twenty, and how many more to narrow down.
        let mut many = group_form(&csrf, "Активная молодёжь", &members);
        many.push(("find-participant_ids", "участник 01".into()));
        many.push(("_find", "participant_ids".into()));
        let (_, found) = post(&client, save.clone(), &many).await;
        assert!(found.contains("Участник 0100") && found.contains("Участник 0119"));
        assert!(!found.contains("Участник 0120"));
        assert!(found.contains("Ещё 80 — уточните поиск."), "{found}");

        // Saving keeps exactly the ticked ones: the newcomer in…
        let mut with_newcomer = members.clone();
        with_newcomer.push(newcomer);
        let mut saving = group_form(&csrf, "Активная молодёжь", &with_newcomer);
        saving.push(("find-participant_ids", "серикб".into()));
        let (status, _) = post(&client, save.clone(), &saving).await;
        assert_eq!(status, 303);
        assert_eq!(member_ids(db, group), with_newcomer);
        let (_, form) = page(&client, edit.clone()).await;
        assert!(ticked(&form, "participant_ids", newcomer));
        assert!(form.contains(NEWCOMER));

        // …and the first member out, by unticking.
        let remaining = &with_newcomer[1..];
        let saving = group_form(&csrf, "Активная молодёжь", remaining);
        let (status, _) = post(&client, save.clone(), &saving).await;
        assert_eq!(status, 303);
        assert_eq!(member_ids(db, group), remaining);
        let (_, form) = page(&client, edit).await;
        assert!(!form.contains("Участник 0001"));

        // The contact is one person, picked the same way with a radio button.
        let mut contact = group_form(&csrf, "Активная молодёжь", remaining);
        contact.push(("find-contact_participant_id", "серикб".into()));
        contact.push(("_find", "contact_participant_id".into()));
        let (_, found) = post(&client, save.clone(), &contact).await;
        assert!(found.contains(&format!(
            "type=\"radio\" name=\"contact_participant_id\" value=\"{newcomer}\">"
        )));
        let mut contact = group_form(&csrf, "Активная молодёжь", remaining);
        contact[2].1 = newcomer.to_string();
        let (status, _) = post(&client, save, &contact).await;
        assert_eq!(status, 303);
        let saved = groups::get(&mut db.conn(), group).unwrap();
        assert_eq!(saved.row.contact_participant_id, Some(newcomer));

        // The list names the members of the groups it shows.
        let (_, list) = page(&client, format!("{}/groups", app.address)).await;
        assert!(list.contains(NEWCOMER) && !list.contains("Участник 0500"));
    });
}

fn an_id_that_names_nobody_comes_back_marked(db: &TestDb) {
    let (group, members, _) = youth_group(db);
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let (_, form) = page(&client, format!("{}/groups/{group}/edit", app.address)).await;
        let csrf = csrf_of(&form);
        let save = format!("{}/groups/{group}", app.address);
        for bad in ["999999", "первый"] {
            let mut ids = group_form(&csrf, "Активная молодёжь", &members);
            ids.push(("participant_ids", bad.into()));
            let (status, again) = post(&client, save.clone(), &ids).await;
            assert_eq!(status, 422, "{bad}");
            assert!(again.contains("class=\"field has-problem\""), "{bad}");
            assert!(again.contains("aria-describedby=\"p-participant_ids\""));
            assert!(
                again.contains(&format!("value=\"{bad}\" checked>")),
                "{bad} stays ticked, to be unticked"
            );
            assert!(ticked(&again, "participant_ids", members[0]));
        }
        let mut contact = group_form(&csrf, "Активная молодёжь", &members);
        contact[2].1 = "424242".into();
        let (status, again) = post(&client, save, &contact).await;
        assert_eq!(status, 422);
        assert!(again.contains("aria-describedby=\"p-contact_participant_id\""));
        assert!(again.contains("value=\"424242\" checked> #424242"));
        assert_eq!(member_ids(db, group), members, "nothing saved");
    });
}

fn the_meeting_form_picks_officials_groups_and_people_the_same_way(db: &TestDb) {
    let visit = load_demo(db);
    let before = meetings::of_visit(&mut db.conn(), visit).unwrap().len();
    run_async(async {
        let app = spawn_app(db);
        let client = browser();
        sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
        let (status, form) = page(
            &client,
            format!("{}/visits/{visit}/meetings/new", app.address),
        )
        .await;
        assert_eq!(status, 200);
        for field in ["official_ids", "group_ids", "participant_ids"] {
            assert!(
                form.contains(&format!("name=\"find-{field}\"")),
                "{field} is searched"
            );
        }
        assert!(form.contains("name=\"venue_id\""), "venues stay a list");
        let csrf = csrf_of(&form);
        let add = format!("{}/visits/{visit}/meetings", app.address);
        let mut searching = vec![
            ("csrf", csrf.clone()),
            ("title", "Встреча с активом".to_owned()),
            ("starts_at", "2026-02-25T18:00".to_owned()),
            ("ends_at", "2026-02-25T19:00".to_owned()),
            ("status", "tentative".to_owned()),
            ("find-official_ids", "ашимб".to_owned()),
            ("_find", "official_ids".to_owned()),
        ];
        let (status, found) = post(&client, add.clone(), &searching).await;
        assert_eq!(status, 200);
        assert!(found.contains("Ашимбаев"), "the Speaker is found");
        assert!(found.contains("value=\"Встреча с активом\""));
        assert!(found.contains("value=\"2026-02-25T18:00\""));
        assert_eq!(
            meetings::of_visit(&mut db.conn(), visit).unwrap().len(),
            before,
            "a search saves nothing"
        );
        // Tick what was found and save.
        let speaker = offered_id(&found, "official_ids");
        searching.retain(|(name, _)| *name != "_find");
        searching.push(("official_ids", speaker.to_string()));
        let (status, _) = post(&client, add, &searching).await;
        assert_eq!(status, 303);
        let meetings = meetings::of_visit(&mut db.conn(), visit).unwrap();
        assert_eq!(meetings.len(), before + 1);
        let added = meetings
            .iter()
            .find(|m| m.row.title == "Встреча с активом")
            .expect("the new meeting");
        assert_eq!(added.official_ids, vec![speaker]);
    });
}

/// The first record a picker offers to tick.
fn offered_id(body: &str, name: &str) -> i64 {
    let marker = format!("type=\"checkbox\" name=\"{name}\" value=\"");
    body.match_indices(&marker)
        .map(|(at, _)| &body[at + marker.len()..])
        .find_map(|rest| {
            let (id, after) = rest.split_once('"')?;
            after.starts_with('>').then(|| id.parse().ok()).flatten()
        })
        .unwrap_or_else(|| panic!("nothing offered in {name}"))
}

crate::on_both_backends!(
    a_group_form_in_a_large_office_searches_rather_than_lists,
    an_id_that_names_nobody_comes_back_marked,
    the_meeting_form_picks_officials_groups_and_people_the_same_way,
);
