//! Itineraries of a visit: the programme loaded with everything an itinerary
//! may print, then arranged by the domain for one reader.

use std::collections::{BTreeSet, HashMap};

use super::programme::{meetings, visits, MeetingRecord, VisitRecord};
use super::ServiceResult;
use crate::db::{repo, DbConn};
use crate::domain::conflicts::{estimate_travel, Coordinates, EngineSettings};
use crate::domain::itinerary::{self, Audience, Filter, Item, Itinerary, Party, Person, Place};

/// An itinerary with what its header names.
pub struct VisitItinerary {
    pub visit: VisitRecord,
    pub itinerary: Itinerary,
    /// Whose itinerary it is, when it is one person's or one group's.
    pub reader: Option<String>,
}

/// Every item of a visit with its venue, people and groups (a fixed number of
/// queries, however long the programme, each reading only the officials,
/// venues, groups and participants the programme names).
pub fn items_of_visit(conn: &mut DbConn, visit: &VisitRecord) -> ServiceResult<Vec<Item>> {
    let records = meetings::of_visit(conn, visit.row.id)?;
    let named = |each: &dyn Fn(&MeetingRecord) -> Vec<i64>| {
        let ids: BTreeSet<i64> = records.iter().flat_map(each).collect();
        ids.into_iter().collect::<Vec<_>>()
    };
    let official_ids = named(&|m| m.official_ids.clone());
    let venue_ids = named(&|m| m.row.venue_id.into_iter().collect());
    let group_ids = named(&|m| m.group_ids.clone());
    let participant_ids = named(&|m| m.participant_ids.clone());
    let officials: HashMap<i64, _> = repo::officials_by_ids(conn, &official_ids)?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let venues: HashMap<i64, _> = repo::venues_by_ids(conn, &venue_ids)?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let groups: HashMap<i64, _> = repo::groups_by_ids(conn, &group_ids)?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut members: HashMap<i64, Vec<i64>> = HashMap::with_capacity(group_ids.len());
    for (group, participant) in repo::memberships_of_groups(conn, Some(&group_ids))? {
        members.entry(group).or_default().push(participant);
    }
    let participants: HashMap<i64, _> = repo::participants_by_ids(conn, &participant_ids)?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let items = records
        .iter()
        .map(|m| Item {
            id: m.row.id,
            title: m.row.title.clone(),
            kind: m.row.kind,
            status: m.row.status,
            start: m.row.starts_at.and_utc(),
            end: m.row.ends_at.and_utc(),
            place: m.row.venue_id.and_then(|v| venues.get(&v)).map(|v| Place {
                id: v.id,
                name: v.name.clone(),
                address: v.address.clone(),
                zone: v.timezone,
                host: v.contact_name.clone(),
                host_phone: v.contact_phone.clone(),
                rules: v.notes.clone(),
            }),
            officials: m
                .official_ids
                .iter()
                .filter_map(|id| officials.get(id))
                .map(|o| Person {
                    id: o.id,
                    name: o.full_name.clone(),
                    position: o.position.clone(),
                    precedence: o.precedence,
                    role: m.official_roles.get(&o.id).cloned(),
                })
                .collect(),
            groups: m
                .group_ids
                .iter()
                .filter_map(|id| groups.get(id))
                .map(|g| Party {
                    id: g.id,
                    name: g.name.clone(),
                    headcount: g.headcount,
                    member_ids: members.get(&g.id).cloned().unwrap_or_default(),
                })
                .collect(),
            participants: m
                .participant_ids
                .iter()
                .filter_map(|id| participants.get(id))
                .map(|p| Person {
                    id: p.id,
                    name: p.full_name.clone(),
                    // A participant is placed by organisation, then position.
                    position: Some(
                        [p.organization.as_deref(), p.position.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(", "),
                    )
                    .filter(|placed| !placed.is_empty()),
                    precedence: 0,
                    role: None,
                })
                .collect(),
            responsible: m.row.responsible.clone(),
            agenda: m.row.agenda.clone(),
            briefing_notes: m.row.briefing_notes.clone(),
            logistics: m.row.logistics.clone(),
            dress_code: m.row.dress_code.clone(),
        })
        .collect();
    Ok(items)
}

/// A visit's itinerary for the reader `filter` names, in the given rendering.
pub fn of_visit(
    conn: &mut DbConn,
    visit_id: i64,
    filter: &Filter,
    audience: Audience,
    settings: &EngineSettings,
) -> ServiceResult<VisitItinerary> {
    let visit = visits::get(conn, visit_id)?;
    let items = items_of_visit(conn, &visit)?;
    let travel = travel_function(conn, settings, &items)?;
    let reader = match (filter.official, filter.group, filter.participant) {
        (Some(id), _, _) => Some(super::catalogue::officials::get(conn, id)?.full_name),
        (_, Some(id), _) => Some(super::catalogue::groups::get(conn, id)?.row.name),
        (_, _, Some(id)) => Some(super::catalogue::participants::get(conn, id)?.row.full_name),
        _ => None,
    };
    let itinerary = itinerary::build(items, visit.row.timezone, filter, audience, travel);
    Ok(VisitItinerary {
        visit,
        itinerary,
        reader,
    })
}

/// Travel minutes between the venues of `items` as the conflict engine
/// counts them.
pub fn travel_function(
    conn: &mut DbConn,
    settings: &EngineSettings,
    items: &[Item],
) -> ServiceResult<impl Fn(i64, i64) -> i64> {
    let venue_ids: Vec<i64> = items
        .iter()
        .filter_map(|item| item.place.as_ref().map(|place| place.id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let travel: HashMap<(i64, i64), i64> = repo::travel_times_among(conn, &venue_ids)?
        .into_iter()
        .map(|t| ((t.from_venue_id, t.to_venue_id), i64::from(t.minutes)))
        .collect();
    let coordinates: HashMap<i64, Coordinates> = repo::venues_by_ids(conn, &venue_ids)?
        .into_iter()
        .filter_map(|v| {
            Some((
                v.id,
                Coordinates {
                    latitude: v.latitude?,
                    longitude: v.longitude?,
                },
            ))
        })
        .collect();
    let settings = settings.clone();
    Ok(move |from: i64, to: i64| {
        let explicit = travel
            .get(&(from, to))
            .or_else(|| travel.get(&(to, from)))
            .copied();
        estimate_travel(
            &settings,
            explicit,
            coordinates.get(&from).copied(),
            coordinates.get(&to).copied(),
        )
        .0
    })
}
