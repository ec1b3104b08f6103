//! Publishing a visit and the messages it causes: a numbered schedule version,
//! one notice to each participant affected since the version before (nothing to
//! the others), and briefing packs for officials and staff. Every message is
//! written to the outbox in the same transaction as its cause.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use rand::RngCore;

use super::conflicts::{self as conflict_service, ConflictReport};
use super::documents;
use super::itinerary;
use super::programme::{meetings, visits, VisitRecord};
use super::{now, Actor, Audit, AuditAction, ListQuery, Page, ServiceError, ServiceResult};
use crate::config::Settings;
use crate::db::outbox_repo::{self, NewOutboxMessage, OutboxRow};
use crate::db::{repo, write_transaction, DbConn};
use crate::domain::itinerary::{Audience, Filter, Item};
use crate::domain::publication::{self, Change, ProgrammeSnapshot, PublishedMeeting};
use crate::domain::{
    display_zone, EmailAddress, FieldProblem, Language, MeetingStatus, ValidationErrors,
};
use crate::i18n::Translator;
use crate::mail::render::{self, BriefingPack};
use crate::render::calendar::{Calendar, Method};

/// The host part of Message-IDs and calendar UIDs.
pub fn mail_host(settings: &Settings) -> String {
    let rest = settings.base_url.split("://").nth(1).unwrap_or("localhost");
    let host = rest.split(['/', ':']).next().unwrap_or("localhost");
    if host.is_empty() {
        "localhost".into()
    } else {
        host.to_owned()
    }
}

pub(super) fn message_id(host: &str) -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("<{hex}@{host}>")
}

/// The programme as it would be published now: meetings with their venue, the
/// officials, and every participant invited by name or through a group.
pub fn snapshot_now(conn: &mut DbConn, visit: &VisitRecord) -> ServiceResult<ProgrammeSnapshot> {
    let records = meetings::of_visit(conn, visit.row.id)?;
    let venue_ids: BTreeSet<i64> = records.iter().filter_map(|m| m.row.venue_id).collect();
    let group_ids: BTreeSet<i64> = records.iter().flat_map(|m| m.group_ids.clone()).collect();
    let venues: HashMap<i64, _> =
        repo::venues_by_ids(conn, &venue_ids.into_iter().collect::<Vec<_>>())?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
    let mut members: HashMap<i64, Vec<i64>> = HashMap::new();
    let group_ids: Vec<i64> = group_ids.into_iter().collect();
    for (group, participant) in repo::memberships_of_groups(conn, Some(&group_ids))? {
        members.entry(group).or_default().push(participant);
    }
    let meetings = records
        .iter()
        .map(|m| {
            let venue = m.row.venue_id.and_then(|v| venues.get(&v));
            let mut people: BTreeSet<i64> = m.participant_ids.iter().copied().collect();
            for group in &m.group_ids {
                people.extend(members.get(group).into_iter().flatten());
            }
            PublishedMeeting {
                id: m.row.id,
                title: m.row.title.clone(),
                kind: m.row.kind.to_string(),
                start: m.row.starts_at.and_utc(),
                end: m.row.ends_at.and_utc(),
                venue_id: m.row.venue_id,
                venue: venue.map(|v| v.name.clone()),
                address: venue.and_then(|v| v.address.clone()),
                zone: display_zone(venue.map(|v| v.timezone), visit.row.timezone),
                contact: venue.and_then(|v| match (&v.contact_name, &v.contact_phone) {
                    (Some(n), Some(p)) => Some(format!("{n}, {p}")),
                    (Some(n), None) => Some(n.clone()),
                    (None, Some(p)) => Some(p.clone()),
                    (None, None) => None,
                }),
                agenda: m.row.agenda.clone(),
                cancelled: m.row.status == MeetingStatus::Cancelled,
                version: m.row.version,
                official_ids: m.official_ids.clone(),
                participant_ids: people.into_iter().collect(),
            }
        })
        .collect();
    Ok(ProgrammeSnapshot { meetings })
}

fn previous(conn: &mut DbConn, visit_id: i64) -> ServiceResult<Option<(i32, ProgrammeSnapshot)>> {
    Ok(outbox_repo::latest_version(conn, visit_id)?.map(|v| {
        (
            v.number,
            serde_json::from_str(&v.snapshot).unwrap_or_default(),
        )
    }))
}

/// One person a publication writes to.
pub struct Recipient {
    pub participant_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub language: Language,
    pub changes: Vec<Change>,
}

impl Recipient {
    pub fn kind(&self) -> &'static str {
        render::notice_kind(&self.changes)
    }
}

/// What publishing now would do.
pub struct Preview {
    pub visit: VisitRecord,
    pub next_version: i32,
    pub conflicts: Vec<ConflictReport>,
    pub errors: usize,
    pub recipients: Vec<Recipient>,
    pub snapshot: ProgrammeSnapshot,
}

pub fn preview(
    conn: &mut DbConn,
    visit_id: i64,
    settings: &Settings,
    language: Language,
) -> ServiceResult<Preview> {
    let visit = visits::get(conn, visit_id)?;
    let found = conflict_service::of_visit(conn, visit_id, settings.engine.clone())?;
    let snapshot = snapshot_now(conn, &visit)?;
    let before = previous(conn, visit_id)?;
    let people = publication::participants_in(&[
        &snapshot,
        before
            .as_ref()
            .map(|(_, s)| s)
            .unwrap_or(&ProgrammeSnapshot::default()),
    ]);
    let ids: Vec<i64> = people.into_iter().collect();
    let recipients = repo::participants_by_ids(conn, &ids)?
        .into_iter()
        .filter_map(|p| {
            let changes = publication::changes_for_participant(
                before.as_ref().map(|(_, s)| s),
                &snapshot,
                p.id,
            );
            (!changes.is_empty()).then_some(Recipient {
                participant_id: p.id,
                name: p.full_name,
                email: p.email,
                language: p.language,
                changes,
            })
        })
        .collect();
    Ok(Preview {
        next_version: before.map(|(n, _)| n + 1).unwrap_or(1),
        errors: found.errors(),
        conflicts: found.reports(language),
        recipients,
        snapshot,
        visit,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Published {
    pub version: i32,
    pub queued: usize,
}

/// Publishes a visit: refused while it has errors nobody acknowledged; then a
/// new schedule version and one notice per affected participant, all in one
/// transaction.
pub fn publish(
    conn: &mut DbConn,
    actor: &Actor,
    visit_id: i64,
    acknowledge_errors: bool,
    settings: &Settings,
) -> ServiceResult<Published> {
    let host = mail_host(settings);
    write_transaction(conn, |conn| {
        let preview = preview(conn, visit_id, settings, settings.default_language)?;
        if preview.errors > 0 && !acknowledge_errors {
            return Err(ServiceError::UnacknowledgedErrors(
                preview
                    .conflicts
                    .into_iter()
                    .filter(|c| c.severity == "error")
                    .collect(),
            ));
        }
        let at = now();
        let version = preview.next_version;
        let snapshot_json = serde_json::to_string(&preview.snapshot).unwrap_or_default();
        outbox_repo::insert_version(conn, visit_id, version, at, actor.user_id, &snapshot_json)?;
        outbox_repo::set_published(conn, visit_id, version, at)?;
        let link = format!("{}/visits/{visit_id}", settings.base_url);
        let organizer = EmailAddress::parse(
            &settings
                .mail_from
                .rsplit('<')
                .next()
                .unwrap_or("")
                .replace('>', ""),
        )
        .ok()
        .map(|e| ("Sapar".to_owned(), e.to_string()));
        let mut messages = Vec::new();
        for recipient in &preview.recipients {
            let Some(email) = recipient.email.clone() else {
                continue;
            };
            let t = Translator(recipient.language);
            let rendered = render::notice(
                t,
                &recipient.name,
                &preview.visit.row.title,
                version,
                &recipient.changes,
                &link,
                &host,
                organizer.clone(),
                (recipient.name.clone(), email.clone()),
                Utc::now(),
            )
            .map_err(|e| {
                ServiceError::Validation(ValidationErrors::single(
                    "template",
                    FieldProblem::Invalid {
                        reason: e.to_string(),
                    },
                ))
            })?;
            messages.push(outbox_message(
                &host,
                visit_id,
                Some(version),
                &recipient.name,
                &email,
                recipient.kind(),
                rendered,
                at,
            ));
        }
        let queued = outbox_repo::queue(conn, &messages)?;
        Audit::new(
            "visit",
            Some(visit_id),
            AuditAction::Publish,
            None,
            Some(serde_json::json!({ "version": version, "queued": queued, "acknowledged_errors": preview.errors })),
        )
        .in_visit(visit_id)
        .write(conn, actor)?;
        Ok(Published { version, queued })
    })
}

#[allow(clippy::too_many_arguments)]
fn outbox_message(
    host: &str,
    visit_id: i64,
    version: Option<i32>,
    name: &str,
    email: &str,
    kind: &str,
    rendered: render::Rendered,
    at: chrono::NaiveDateTime,
) -> NewOutboxMessage {
    NewOutboxMessage {
        visit_id: Some(visit_id),
        schedule_version: version,
        recipient_email: email.to_owned(),
        recipient_name: name.to_owned(),
        kind: kind.to_owned(),
        subject: rendered.subject,
        body_text: rendered.text,
        body_html: rendered.html,
        attachments: serde_json::to_string(&rendered.attachments).unwrap_or_else(|_| "[]".into()),
        status: "pending".into(),
        attempts: 0,
        next_attempt_at: at,
        message_id: message_id(host),
        created_at: at,
    }
}

/// The most recipients one briefing-pack call reaches, officials' own
/// addresses included: a pack carries the whole programme, so it goes to a
/// delegation, not to a mailing list.
pub const MAX_BRIEFING_RECIPIENTS: usize = 100;

/// The addresses among `extra` that may not receive a briefing pack: those of
/// no staff user, official or participant (compared ignoring case) and of no
/// domain in `SAPAR_MAIL_ALLOWED_DOMAINS`.
fn refused_recipients(
    conn: &mut DbConn,
    extra: &[EmailAddress],
    settings: &Settings,
) -> ServiceResult<Vec<String>> {
    let known: BTreeSet<String> = repo::known_email_addresses(conn)?
        .iter()
        .map(|a| a.to_lowercase())
        .collect();
    Ok(extra
        .iter()
        .map(ToString::to_string)
        .filter(|a| !known.contains(&a.to_lowercase()))
        .filter(|a| !settings.mail_allowed_domains.allow(a))
        .collect())
}

/// Queues briefing packs for officials (by id) and any other addresses,
/// stamped with the visit's published version. Every other address must be a
/// known person's or in an allowed domain, and one call reaches at most
/// `MAX_BRIEFING_RECIPIENTS`; otherwise nothing is queued.
pub fn briefing_pack(
    conn: &mut DbConn,
    actor: &Actor,
    visit_id: i64,
    official_ids: &[i64],
    emails: &[String],
    settings: &Settings,
) -> ServiceResult<usize> {
    let mut errors = ValidationErrors::new();
    let found = repo::officials_by_ids(conn, official_ids)?;
    let reached = found.iter().filter(|o| o.email.is_some()).count() + emails.len();
    if reached > MAX_BRIEFING_RECIPIENTS {
        errors.add(
            "emails",
            FieldProblem::TooManyRecipients {
                max: MAX_BRIEFING_RECIPIENTS,
            },
        );
    }
    let extra: Vec<EmailAddress> = emails
        .iter()
        .filter_map(|e| errors.check("emails", EmailAddress::parse(e)))
        .collect();
    if let Some(missing) = official_ids
        .iter()
        .find(|id| !found.iter().any(|o| o.id == **id))
    {
        errors.add("official_ids", FieldProblem::UnknownId { id: *missing });
    }
    if errors.get("emails").is_none() {
        let refused = refused_recipients(conn, &extra, settings)?;
        if !refused.is_empty() {
            errors.add(
                "emails",
                FieldProblem::RefusedRecipients { addresses: refused },
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let host = mail_host(settings);
    write_transaction(conn, |conn| {
        let visit = visits::get(conn, visit_id)?;
        let version = visit.row.published_version;
        let items = itinerary::items_of_visit(conn, &visit)?;
        let travel = itinerary::travel_function(conn, &settings.engine, &items)?;
        let zone = visit.row.timezone;
        // Whoever has had a pack before knows the items now cancelled, and
        // reads them marked so; a first pack leaves them out.
        let written = outbox_repo::already_written(conn, visit_id, "briefing_pack")?;
        let current: Vec<Item> = items
            .iter()
            .filter(|i| !i.is_cancelled())
            .cloned()
            .collect();
        let programme_of = |items: &[Item], filter: &Filter| {
            crate::domain::itinerary::build(
                items.to_vec(),
                zone,
                filter,
                Audience::Internal,
                &travel,
            )
        };
        let whole_first = programme_of(&current, &Filter::default());
        let whole_again = programme_of(&items, &Filter::default());
        let snapshot = snapshot_now(conn, &visit)?;
        let delegation: Vec<String> = repo::officials_by_ids(conn, &visit.official_ids)?
            .into_iter()
            .map(|o| match o.position {
                Some(p) => format!("{}, {p}", o.full_name),
                None => o.full_name,
            })
            .collect();
        // Officials by their own id: their pack leads with their programme.
        let mut recipients: Vec<(Option<i64>, String, String, Language)> = found
            .iter()
            .filter_map(|o| {
                let language = o.language;
                o.email
                    .clone()
                    .map(|e| (Some(o.id), o.full_name.clone(), e, language))
            })
            .collect();
        recipients.extend(extra.iter().map(|e| {
            (
                None,
                String::new(),
                e.to_string(),
                settings.default_language,
            )
        }));
        let at = now();
        let link = format!("{}/visits/{visit_id}", settings.base_url);
        let addresses: Vec<String> = recipients.iter().map(|(_, _, e, _)| e.clone()).collect();
        let mut messages = Vec::new();
        for (official, name, email, language) in recipients {
            let t = Translator(language);
            let first = !written.contains(&email.to_lowercase());
            let (source, whole) = if first {
                (&current, &whole_first)
            } else {
                (&items, &whole_again)
            };
            let filter = Filter {
                official,
                ..Filter::default()
            };
            let own = official.map(|_| programme_of(source, &filter));
            let own = own.filter(|o| !o.days.is_empty());
            let items_in = |it: &crate::domain::itinerary::Itinerary| {
                it.days.iter().map(|d| d.entries.len()).sum::<usize>()
            };
            // The whole programme follows as an annex when it holds more
            // than the reader's own.
            let annex = own.as_ref().is_none_or(|o| items_in(o) < items_in(whole));
            let mut sections = Vec::new();
            if let Some(own) = &own {
                sections.push(render::BriefingSection {
                    heading: Some(t.get("mail-briefing-yours").to_owned()),
                    days: render::itinerary_days(t, own),
                    personal: true,
                });
            }
            if annex {
                sections.push(render::BriefingSection {
                    heading: own
                        .is_some()
                        .then(|| t.get("mail-briefing-annex").to_owned()),
                    days: render::itinerary_days(t, whole),
                    personal: false,
                });
            }
            let pack = BriefingPack {
                visit: &visit.row.title,
                theme: visit.row.theme.as_deref(),
                region: visit.row.region.as_deref(),
                dates: format!(
                    "{} — {}",
                    visit.row.first_day.format("%d.%m.%Y"),
                    visit.row.last_day.format("%d.%m.%Y")
                ),
                version: match version {
                    Some(n) => t.count("itinerary-version", n),
                    None => t.get("itinerary-draft").to_owned(),
                },
                version_short: match version {
                    Some(n) => t.count("itinerary-version", n),
                    None => format!("«{}»", t.get("document-draft")),
                },
                delegation: delegation.clone(),
                sections,
                reader: official,
                link: &link,
            };
            // The reader's calendar and Word programme: their own items when
            // they have any, else the whole programme.
            let mine = |m: &&crate::domain::publication::PublishedMeeting| {
                own.is_none() || official.is_some_and(|id| m.official_ids.contains(&id))
            };
            let calendar = Calendar {
                name: visit.row.title.clone(),
                method: Method::Publish,
                events: snapshot
                    .meetings
                    .iter()
                    .filter(mine)
                    .filter(|m| !(first && m.cancelled))
                    .map(|m| render::event_of(m, &host, Utc::now(), false))
                    .collect(),
                zone: Some(zone),
            };
            let document = documents::programme_document(
                t,
                &itinerary::VisitItinerary {
                    visit: visit.clone(),
                    itinerary: own.clone().unwrap_or_else(|| whole.clone()),
                    reader: own.as_ref().map(|_| name.clone()),
                },
                &filter,
            );
            let greeting = if name.is_empty() {
                t.get("mail-colleague").to_owned()
            } else {
                name.clone()
            };
            let rendered =
                render::briefing(t, &greeting, &pack, &calendar, vec![document.attachment()])
                    .map_err(|e| {
                        ServiceError::Validation(ValidationErrors::single(
                            "template",
                            FieldProblem::Invalid {
                                reason: e.to_string(),
                            },
                        ))
                    })?;
            messages.push(outbox_message(
                &host,
                visit_id,
                version,
                &name,
                &email,
                "briefing_pack",
                rendered,
                at,
            ));
        }
        let queued = outbox_repo::queue(conn, &messages)?;
        Audit::new(
            "briefing_pack",
            Some(visit_id),
            AuditAction::Create,
            None,
            Some(serde_json::json!({ "queued": queued, "version": version, "recipients": addresses })),
        )
        .in_visit(visit_id)
        .write(conn, actor)?;
        Ok(queued)
    })
}

pub fn outbox(conn: &mut DbConn, visit_id: Option<i64>) -> ServiceResult<Vec<OutboxRow>> {
    Ok(outbox_repo::list(conn, visit_id, 1000)?)
}

/// One page of the outbox, newest first, of one visit or of all, searched in
/// recipients and subjects.
pub fn outbox_page(
    conn: &mut DbConn,
    visit_id: Option<i64>,
    query: &ListQuery,
) -> ServiceResult<Page<OutboxRow>> {
    Ok(outbox_repo::page(conn, visit_id, query)?)
}

/// The outbox as its page shows it: one page of the messages, newest first,
/// and how many of each publication's messages are sent, waiting or failed.
pub fn outbox_progress(
    conn: &mut DbConn,
    visit_id: Option<i64>,
    query: &ListQuery,
) -> ServiceResult<(Page<OutboxRow>, Vec<outbox_repo::ProgressCount>)> {
    Ok((
        outbox_repo::page(conn, visit_id, query)?,
        outbox_repo::progress(conn, visit_id)?,
    ))
}

/// Every published version of a visit, oldest first.
pub fn versions(
    conn: &mut DbConn,
    visit_id: i64,
) -> ServiceResult<Vec<outbox_repo::ScheduleVersionRow>> {
    Ok(outbox_repo::versions(conn, visit_id)?)
}

/// Puts a failed message back in the queue.
pub fn retry(conn: &mut DbConn, actor: &Actor, id: i64) -> ServiceResult<()> {
    write_transaction(conn, |conn| {
        let message = outbox_repo::find(conn, id)?.ok_or(ServiceError::NotFound {
            entity: "message",
            id,
        })?;
        outbox_repo::retry(conn, id, now())?;
        Audit::new(
            "outbox_message",
            Some(id),
            AuditAction::Update,
            None,
            Some(serde_json::json!({ "retry": true })),
        )
        .in_visit(message.visit_id.unwrap_or_default())
        .write(conn, actor)
    })
}
