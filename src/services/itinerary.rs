//! Itineraries of a visit: the programme loaded with everything an itinerary
//! may print, then arranged by the domain for one reader.

use std::collections::HashMap;

use super::programme::{meetings, visits, VisitRecord};
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
/// queries, however long the programme).
pub fn items_of_visit(conn: &mut DbConn, visit: &VisitRecord) -> ServiceResult<Vec<Item>> {
    let records = meetings::of_visit(conn, visit.row.id)?;
    let officials: HashMap<i64, _> = repo::list_officials(conn)?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let venues: HashMap<i64, _> = repo::list_venues(conn)?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let groups: HashMap<i64, _> = repo::list_groups(conn)?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let memberships = repo::memberships_of_groups(conn, None)?;
    let participants: HashMap<i64, _> = repo::list_participants(conn)?
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
                    member_ids: memberships
                        .iter()
                        .filter(|(gid, _)| *gid == g.id)
                        .map(|(_, p)| *p)
                        .collect(),
                })
                .collect(),
            participants: m
                .participant_ids
                .iter()
                .filter_map(|id| participants.get(id))
                .map(|p| Person {
                    id: p.id,
                    name: p.full_name.clone(),
                    position: p.organization.clone(),
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
    let travel = travel_function(conn, settings)?;
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

/// Travel minutes between venues as the conflict engine counts them.
pub fn travel_function(
    conn: &mut DbConn,
    settings: &EngineSettings,
) -> ServiceResult<impl Fn(i64, i64) -> i64> {
    let travel: HashMap<(i64, i64), i64> = repo::list_travel_times(conn)?
        .into_iter()
        .map(|t| ((t.from_venue_id, t.to_venue_id), i64::from(t.minutes)))
        .collect();
    let coordinates: HashMap<i64, Coordinates> = repo::list_venues(conn)?
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
