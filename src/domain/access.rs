//! Access lists: whom a venue's security service should let in during a visit.
//! A plant or a government building admits a delegation only by a list sent
//! ahead: every official, every member of the groups and every participant of
//! the items held there, numbered, with the times they are expected and where
//! the security service stands on each.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use super::itinerary::{Item, Place};
use super::values::{Clearance, PersonKind};

/// A person as the list names them.
#[derive(Clone, Debug, PartialEq)]
pub struct ListedPerson {
    pub kind: PersonKind,
    pub id: i64,
    pub name: String,
    pub organization: Option<String>,
    pub position: Option<String>,
    /// Protocol rank of an official; participants come after all officials.
    pub precedence: i32,
}

/// One item a person is expected at.
#[derive(Clone, Debug, PartialEq)]
pub struct Appearance {
    pub title: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AccessEntry {
    /// From 1, in the order of the list.
    pub number: usize,
    pub person: ListedPerson,
    /// In time order.
    pub appearances: Vec<Appearance>,
    pub clearance: Option<Clearance>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AccessList {
    pub venue: Place,
    pub entries: Vec<AccessEntry>,
}

/// Everyone the items at `venue_id` bring there (cancelled items bring no
/// one), each with the ids of their items in time order: the officials, the
/// members of the groups and the participants invited by name.
pub fn expected_at(items: &[Item], venue_id: i64) -> BTreeMap<(PersonKind, i64), Vec<i64>> {
    let mut here: Vec<&Item> = items
        .iter()
        .filter(|i| !i.is_cancelled() && i.place.as_ref().is_some_and(|p| p.id == venue_id))
        .collect();
    here.sort_by_key(|i| (i.start, i.end, i.id));
    let mut expected: BTreeMap<(PersonKind, i64), Vec<i64>> = BTreeMap::new();
    for item in here {
        let people = item
            .officials
            .iter()
            .map(|o| (PersonKind::Official, o.id))
            .chain(
                item.groups
                    .iter()
                    .flat_map(|g| g.member_ids.iter())
                    .chain(item.participants.iter().map(|p| &p.id))
                    .map(|id| (PersonKind::Participant, *id)),
            );
        for key in people {
            let ids = expected.entry(key).or_default();
            if !ids.contains(&item.id) {
                ids.push(item.id);
            }
        }
    }
    expected
}

/// The list of a venue: officials in protocol order (precedence, then name),
/// then participants by name, numbered; a person the caller could not name is
/// left out rather than printed as a bare id.
pub fn access_list(
    items: &[Item],
    venue: Place,
    people: &HashMap<(PersonKind, i64), ListedPerson>,
    clearances: &HashMap<(PersonKind, i64), Clearance>,
) -> AccessList {
    let by_id: HashMap<i64, &Item> = items.iter().map(|i| (i.id, i)).collect();
    let mut entries: Vec<AccessEntry> = expected_at(items, venue.id)
        .into_iter()
        .filter_map(|(key, item_ids)| {
            let person = people.get(&key)?.clone();
            Some(AccessEntry {
                number: 0,
                person,
                appearances: item_ids
                    .iter()
                    .filter_map(|id| by_id.get(id))
                    .map(|i| Appearance {
                        title: i.title.clone(),
                        start: i.start,
                        end: i.end,
                    })
                    .collect(),
                clearance: clearances.get(&key).copied(),
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        let rank = |e: &AccessEntry| {
            (
                e.person.kind != PersonKind::Official,
                if e.person.kind == PersonKind::Official {
                    e.person.precedence
                } else {
                    0
                },
                e.person.name.clone(),
                e.person.id,
            )
        };
        rank(a).cmp(&rank(b))
    });
    for (n, entry) in entries.iter_mut().enumerate() {
        entry.number = n + 1;
    }
    AccessList { venue, entries }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::itinerary::{Party, Person};
    use crate::domain::values::{MeetingKind, MeetingStatus};
    use chrono::TimeZone;

    fn place(id: i64) -> Place {
        Place {
            id,
            name: format!("Venue {id}"),
            address: None,
            zone: chrono_tz::Asia::Almaty,
            host: None,
            host_phone: None,
            rules: None,
        }
    }

    fn item(id: i64, hour: u32, venue: i64, officials: &[i64], members: &[i64]) -> Item {
        let at = |h| chrono::Utc.with_ymd_and_hms(2026, 2, 25, h, 0, 0).unwrap();
        Item {
            id,
            title: format!("Item {id}"),
            kind: MeetingKind::Meeting,
            status: MeetingStatus::Confirmed,
            start: at(hour),
            end: at(hour + 1),
            place: Some(place(venue)),
            officials: officials
                .iter()
                .map(|id| Person {
                    id: *id,
                    name: format!("Official {id}"),
                    position: None,
                    precedence: 0,
                    role: None,
                })
                .collect(),
            groups: vec![Party {
                id: 1,
                name: "Group".into(),
                headcount: 10,
                member_ids: members.to_vec(),
            }],
            participants: Vec::new(),
            responsible: None,
            agenda: None,
            briefing_notes: None,
            logistics: None,
            dress_code: None,
        }
    }

    fn person(kind: PersonKind, id: i64, name: &str, precedence: i32) -> ListedPerson {
        ListedPerson {
            kind,
            id,
            name: name.into(),
            organization: None,
            position: None,
            precedence,
        }
    }

    #[test]
    fn the_list_holds_the_people_of_the_venues_items_and_nobody_else() {
        let mut cancelled = item(3, 6, 1, &[9], &[99]);
        cancelled.status = MeetingStatus::Cancelled;
        let items = vec![
            item(2, 5, 1, &[1, 2], &[10]),
            item(1, 3, 1, &[2], &[11]),
            item(4, 4, 2, &[3], &[12]),
            cancelled,
        ];
        let people: HashMap<_, _> = [
            person(PersonKind::Official, 1, "Бекова", 5),
            person(PersonKind::Official, 2, "Аманов", 1),
            person(PersonKind::Official, 3, "Elsewhere", 1),
            person(PersonKind::Official, 9, "Cancelled", 1),
            person(PersonKind::Participant, 10, "Яковлев", 0),
            person(PersonKind::Participant, 11, "Абаев", 0),
            person(PersonKind::Participant, 12, "Elsewhere", 0),
            person(PersonKind::Participant, 99, "Cancelled", 0),
        ]
        .into_iter()
        .map(|p| ((p.kind, p.id), p))
        .collect();
        let clearances = HashMap::from([((PersonKind::Participant, 10), Clearance::Granted)]);
        let list = access_list(&items, place(1), &people, &clearances);
        let names: Vec<(usize, &str)> = list
            .entries
            .iter()
            .map(|e| (e.number, e.person.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [(1, "Аманов"), (2, "Бекова"), (3, "Абаев"), (4, "Яковлев")]
        );
        let amanov = &list.entries[0];
        assert_eq!(
            amanov
                .appearances
                .iter()
                .map(|a| a.title.as_str())
                .collect::<Vec<_>>(),
            ["Item 1", "Item 2"],
            "in time order"
        );
        assert_eq!(list.entries[3].clearance, Some(Clearance::Granted));
        assert_eq!(list.entries[2].clearance, None);
    }
}
