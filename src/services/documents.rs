//! Documents in the formats offices exchange: the programme as a Word
//! document, the access list of each venue (Word and CSV) with the clearance
//! marks of its security service, and the messages that send those lists to
//! the venues through the outbox.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;

use super::itinerary::{self, VisitItinerary};
use super::programme::{visits, VisitRecord};
use super::publishing::{mail_host, message_id};
use super::{now, Actor, Audit, AuditAction, ServiceError, ServiceResult};
use crate::config::Settings;
use crate::db::outbox_repo::{self, NewOutboxMessage};
use crate::db::{repo, write_transaction, DbConn};
use crate::domain::access::{self, AccessList, ListedPerson};
use crate::domain::conflicts::EngineSettings;
use crate::domain::itinerary::{Audience, Filter, Item, Place};
use crate::domain::{Clearance, FieldProblem, PersonKind, ValidationErrors};
use crate::i18n::Translator;
use crate::mail::render as mail_render;
use crate::mail::Attachment;
use crate::render::docx::{self, TitleBlock};

pub const DOCX_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const CSV_TYPE: &str = "text/csv; charset=utf-8";

/// A file to hand out: its bytes, its type, and its name twice: ASCII for
/// every client, and in the reader's letters for those that read UTF-8.
pub struct Document {
    pub filename: String,
    pub title: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Document {
    pub fn attachment(&self) -> Attachment {
        Attachment::binary(&self.filename, self.content_type, &self.bytes)
    }
}

/// Latin letters for Russian and Kazakh ones, for file names.
fn latin(c: char) -> &'static str {
    match c {
        'а' | 'ә' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ғ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' | 'і' => "i",
        'к' | 'қ' => "k",
        'л' => "l",
        'м' => "m",
        'н' | 'ң' => "n",
        'о' | 'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ұ' | 'ү' => "u",
        'ф' => "f",
        'х' | 'һ' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        _ => "",
    }
}

/// The short name of a venue: the abbreviation in its name's parentheses
/// ("… комбинат (УКТМК)" → "УКТМК"), else the name.
pub fn venue_short_name(name: &str) -> &str {
    name.rsplit_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(inside, _)| inside.trim())
        .filter(|s| !s.is_empty() && s.chars().count() <= 20)
        .unwrap_or(name)
}

/// An ASCII file-name part: "УКТМК" → "uktmk", "Дом дружбы" → "dom-druzhby",
/// at most 40 characters, never empty.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if matches!(c, 'ь' | 'ъ') {
            // The signs have no letter of their own.
        } else if !latin(c).is_empty() {
            out.push_str(latin(c));
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out: String = out.trim_matches('-').chars().take(40).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "venue".into()
    } else {
        out
    }
}

/// The programme of an itinerary the services made, as a Word document named
/// by its first day (`programme-2026-02-25.docx`, `…-public.docx` for the
/// guest programme).
pub fn programme_document(t: Translator, found: &VisitItinerary, filter: &Filter) -> Document {
    let row = &found.visit.row;
    let block = TitleBlock {
        title: &row.title,
        region: row.region.as_deref(),
        first_day: row.first_day,
        last_day: row.last_day,
        version: row.published_version,
        reader: found.reader.as_deref(),
    };
    let day = filter.day.unwrap_or(row.first_day);
    let public = found.itinerary.audience == Audience::Public;
    let suffix = if public { "-public" } else { "" };
    let reader = found
        .reader
        .as_deref()
        .map(|r| format!("-{}", slug(r)))
        .unwrap_or_default();
    Document {
        filename: format!("programme-{day}{reader}{suffix}.docx"),
        title: format!(
            "{} {day}{}.docx",
            t.get("document-programme"),
            found
                .reader
                .as_deref()
                .map(|r| format!(" — {r}"))
                .unwrap_or_default()
        ),
        content_type: DOCX_TYPE,
        bytes: docx::programme(t, &block, &found.itinerary),
    }
}

/// `/visits/{id}/programme.docx`: the itinerary's filters and renderings.
pub fn programme_docx(
    conn: &mut DbConn,
    visit_id: i64,
    filter: &Filter,
    audience: Audience,
    settings: &EngineSettings,
    t: Translator,
) -> ServiceResult<Document> {
    let found = itinerary::of_visit(conn, visit_id, filter, audience, settings)?;
    Ok(programme_document(t, &found, filter))
}

/// A venue the visit's programme uses, with its security contact.
pub struct VisitVenue {
    pub id: i64,
    pub name: String,
    pub contact_email: Option<String>,
}

/// The venues of a visit's items (cancelled ones aside), in the order of
/// their first item.
pub fn venues_of_visit(conn: &mut DbConn, visit_id: i64) -> ServiceResult<Vec<VisitVenue>> {
    let visit = visits::get(conn, visit_id)?;
    let items = itinerary::items_of_visit(conn, &visit)?;
    Ok(venues_with_contacts(conn, &items)?
        .into_iter()
        .map(|(venue, _)| venue)
        .collect())
}

/// The venues `items` use, as [`venues_of_visit`] gives them, each with its
/// place as the access list names it.
fn venues_with_contacts(
    conn: &mut DbConn,
    items: &[Item],
) -> ServiceResult<Vec<(VisitVenue, Place)>> {
    let used = venues_in(items);
    let ids: Vec<i64> = used.iter().map(|p| p.id).collect();
    let contacts: HashMap<i64, Option<String>> = repo::venues_by_ids(conn, &ids)?
        .into_iter()
        .map(|v| (v.id, v.contact_email))
        .collect();
    Ok(used
        .into_iter()
        .map(|p| {
            let venue = VisitVenue {
                contact_email: contacts.get(&p.id).cloned().flatten(),
                id: p.id,
                name: p.name.clone(),
            };
            (venue, p)
        })
        .collect())
}

fn venues_in(items: &[Item]) -> Vec<Place> {
    let mut sorted: Vec<&Item> = items.iter().filter(|i| !i.is_cancelled()).collect();
    sorted.sort_by_key(|i| (i.start, i.id));
    let mut seen = Vec::<Place>::new();
    for item in sorted {
        if let Some(place) = &item.place {
            if !seen.iter().any(|p| p.id == place.id) {
                seen.push(place.clone());
            }
        }
    }
    seen
}

/// The people an access list names, by kind and id: only those `expected`
/// holds, read by id (an office has thousands of officials and tens of
/// thousands of participants).
fn listed_people(
    conn: &mut DbConn,
    expected: &[(PersonKind, i64)],
) -> ServiceResult<HashMap<(PersonKind, i64), ListedPerson>> {
    let ids = |kind: PersonKind| -> Vec<i64> {
        expected
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| *id)
            .collect()
    };
    let mut people = HashMap::new();
    for o in repo::officials_by_ids(conn, &ids(PersonKind::Official))? {
        people.insert(
            (PersonKind::Official, o.id),
            ListedPerson {
                kind: PersonKind::Official,
                id: o.id,
                name: o.full_name,
                organization: o.organization,
                position: o.position,
                precedence: o.precedence,
            },
        );
    }
    for p in repo::participants_by_ids(conn, &ids(PersonKind::Participant))? {
        people.insert(
            (PersonKind::Participant, p.id),
            ListedPerson {
                kind: PersonKind::Participant,
                id: p.id,
                name: p.full_name,
                organization: p.organization,
                position: p.position,
                precedence: i32::MAX,
            },
        );
    }
    Ok(people)
}

/// The access list of one venue of a visit, with its clearance marks. A venue
/// the visit's programme does not use is not found.
pub fn access_list(
    conn: &mut DbConn,
    visit_id: i64,
    venue_id: i64,
) -> ServiceResult<(VisitRecord, AccessList)> {
    let visit = visits::get(conn, visit_id)?;
    let items = itinerary::items_of_visit(conn, &visit)?;
    let venue = venues_in(&items)
        .into_iter()
        .find(|p| p.id == venue_id)
        .ok_or(ServiceError::NotFound {
            entity: "venue",
            id: venue_id,
        })?;
    let list = list_at(conn, visit_id, &items, venue)?;
    Ok((visit, list))
}

/// The access list of `venue` from the visit's `items`, read once by the caller.
fn list_at(
    conn: &mut DbConn,
    visit_id: i64,
    items: &[Item],
    venue: Place,
) -> ServiceResult<AccessList> {
    let expected: Vec<(PersonKind, i64)> =
        access::expected_at(items, venue.id).into_keys().collect();
    let people = listed_people(conn, &expected)?;
    let clearances: HashMap<(PersonKind, i64), Clearance> =
        repo::clearances_at(conn, visit_id, venue.id)?
            .into_iter()
            .map(|c| ((c.person_kind, c.person_id), c.status))
            .collect();
    Ok(access::access_list(items, venue, &people, &clearances))
}

fn access_names(list: &AccessList, extension: &str, t: Translator) -> (String, String) {
    let short = venue_short_name(&list.venue.name);
    (
        format!("access-list-{}.{extension}", slug(short)),
        format!("{} — {short}.{extension}", t.get("access-title")),
    )
}

pub fn access_list_csv(t: Translator, list: &AccessList) -> Document {
    let (filename, title) = access_names(list, "csv", t);
    Document {
        filename,
        title,
        content_type: CSV_TYPE,
        bytes: docx::access_list_csv(t, list),
    }
}

pub fn access_list_docx(t: Translator, visit: &VisitRecord, list: &AccessList) -> Document {
    let (filename, title) = access_names(list, "docx", t);
    Document {
        filename,
        title,
        content_type: DOCX_TYPE,
        bytes: docx::access_list_docx(t, &visit.row.title, list),
    }
}

/// Sets the clearance marks of a venue's people (`None` clears a mark), with
/// one audit event; a person the venue's list does not name is refused and
/// nothing is written.
pub fn set_clearances(
    conn: &mut DbConn,
    actor: &Actor,
    visit_id: i64,
    venue_id: i64,
    marks: &[(PersonKind, i64, Option<Clearance>)],
) -> ServiceResult<usize> {
    write_transaction(conn, |conn| {
        let (_, list) = access_list(conn, visit_id, venue_id)?;
        let listed: BTreeMap<(PersonKind, i64), Option<Clearance>> = list
            .entries
            .iter()
            .map(|e| ((e.person.kind, e.person.id), e.clearance))
            .collect();
        if let Some((kind, id, _)) = marks
            .iter()
            .find(|(kind, id, _)| !listed.contains_key(&(*kind, *id)))
        {
            return Err(ValidationErrors::single(
                kind.as_str(),
                FieldProblem::UnknownId { id: *id },
            )
            .into());
        }
        let at = now();
        let mut changed = Vec::new();
        for (kind, id, status) in marks {
            if listed.get(&(*kind, *id)).copied().flatten() != *status {
                repo::set_clearance(conn, visit_id, venue_id, *kind, *id, *status, at)?;
                changed.push(serde_json::json!({
                    "person_kind": kind.as_str(),
                    "person_id": id,
                    "status": status.map(Clearance::as_str),
                }));
            }
        }
        if !changed.is_empty() {
            Audit::new(
                "access_clearance",
                Some(venue_id),
                AuditAction::Update,
                None,
                Some(serde_json::json!({ "venue_id": venue_id, "marks": changed })),
            )
            .in_visit(visit_id)
            .write(conn, actor)?;
        }
        Ok(changed.len())
    })
}

/// Queues one message per venue of the visit that has a contact email, its
/// access list attached as Word and CSV, in one transaction with the audit
/// event. Venues without an address are skipped: there is no one to send to.
pub fn send_access_lists(
    conn: &mut DbConn,
    actor: &Actor,
    visit_id: i64,
    settings: &Settings,
) -> ServiceResult<usize> {
    let host = mail_host(settings);
    let t = Translator(settings.default_language);
    write_transaction(conn, |conn| {
        // The visit and its items are read once for every venue's list.
        let visit = visits::get(conn, visit_id)?;
        let items = itinerary::items_of_visit(conn, &visit)?;
        let at = now();
        let mut messages = Vec::new();
        let mut sent_to = Vec::new();
        for (venue, place) in venues_with_contacts(conn, &items)? {
            let Some(email) = venue.contact_email.clone() else {
                continue;
            };
            let list = list_at(conn, visit_id, &items, place)?;
            let csv = access_list_csv(t, &list);
            let word = access_list_docx(t, &visit, &list);
            let rendered = mail_render::access_list(
                t,
                &visit.row.title,
                &list,
                vec![word.attachment(), csv.attachment()],
            )
            .map_err(|e| {
                ServiceError::Validation(ValidationErrors::single(
                    "template",
                    FieldProblem::Invalid {
                        reason: e.to_string(),
                    },
                ))
            })?;
            messages.push(NewOutboxMessage {
                visit_id: Some(visit_id),
                schedule_version: visit.row.published_version,
                recipient_email: email.clone(),
                recipient_name: String::new(),
                kind: "access_list".into(),
                subject: rendered.subject,
                body_text: rendered.text,
                body_html: rendered.html,
                attachments: serde_json::to_string(&rendered.attachments)
                    .unwrap_or_else(|_| "[]".into()),
                status: "pending".into(),
                attempts: 0,
                next_attempt_at: at,
                message_id: message_id(&host),
                created_at: at,
            });
            sent_to.push(serde_json::json!({ "venue_id": venue.id, "email": email }));
        }
        let queued = outbox_repo::queue(conn, &messages)?;
        Audit::new(
            "access_list",
            Some(visit_id),
            AuditAction::Create,
            None,
            Some(serde_json::json!({ "queued": queued, "to": sent_to, "at": Utc::now() })),
        )
        .in_visit(visit_id)
        .write(conn, actor)?;
        Ok(queued)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_ascii_and_say_what_they_are() {
        assert_eq!(
            slug(venue_short_name(
                "Усть-Каменогорский титано-магниевый комбинат (УКТМК)"
            )),
            "uktmk"
        );
        assert_eq!(
            slug("Дом дружбы Восточно-Казахстанской области"),
            "dom-druzhby-vostochno-kazakhstanskoi-obl"
        );
        assert_eq!(slug("Өскемен, «Әуежай»"), "oskemen-auezhai");
        assert_eq!(slug("«»"), "venue");
        assert_eq!(slug("Касымова Гульнара"), "kasymova-gulnara");
    }
}
