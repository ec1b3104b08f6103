//! What a conflict's sentence needs from the snapshot, looked up by id: the
//! names of people, groups and places, and each meeting as it is shown (its
//! title, its time, and the zone its local times are given in: the venue's,
//! else the visit's). The wording itself lives in `i18n::conflicts`.

use chrono_tz::Tz;

use super::conflict::Subject;
use super::index::IdMap;
use super::snapshot::{Meeting, Snapshot, Venue, Visit};
use crate::domain::values::{display_zone, TimeRange};

/// Names and meetings by id, built once per snapshot.
pub struct Lookup<'s> {
    meetings: IdMap<&'s Meeting>,
    officials: IdMap<&'s str>,
    venues: IdMap<&'s Venue>,
    groups: IdMap<&'s str>,
    participants: IdMap<&'s str>,
    visits: IdMap<&'s Visit>,
}

/// A meeting as a sentence shows it.
pub struct Shown<'s> {
    /// The title, or `#id` for a meeting the snapshot does not hold.
    pub title: String,
    pub time: Option<TimeRange>,
    /// The venue's zone, else the visit's, else UTC.
    pub zone: Tz,
    pub visit: Option<&'s Visit>,
}

impl<'s> Lookup<'s> {
    pub fn new(snapshot: &'s Snapshot) -> Self {
        Self {
            meetings: snapshot.meetings.iter().map(|m| (m.id, m)).collect(),
            officials: snapshot
                .officials
                .iter()
                .map(|o| (o.id, o.full_name.as_str()))
                .collect(),
            venues: snapshot.venues.iter().map(|v| (v.id, v)).collect(),
            groups: snapshot
                .groups
                .iter()
                .map(|g| (g.id, g.name.as_str()))
                .collect(),
            participants: snapshot
                .participants
                .iter()
                .map(|p| (p.id, p.full_name.as_str()))
                .collect(),
            visits: snapshot.visits.iter().map(|v| (v.id, v)).collect(),
        }
    }

    pub fn shown(&self, id: i64) -> Shown<'s> {
        match self.meetings.get(&id) {
            Some(m) => {
                let visit = self.visits.get(&m.visit_id).copied();
                let venue = m.venue_id.and_then(|v| self.venues.get(&v));
                let zone = display_zone(
                    venue.map(|v| v.timezone),
                    visit.map_or(Tz::UTC, |v| v.timezone),
                );
                Shown {
                    title: m.title.clone(),
                    time: Some(m.time),
                    zone,
                    visit,
                }
            }
            None => Shown {
                title: format!("#{id}"),
                time: None,
                zone: Tz::UTC,
                visit: None,
            },
        }
    }

    /// The subject's name, or `#id` for one the snapshot does not hold.
    pub fn name(&self, subject: Subject) -> String {
        let found = match subject {
            Subject::Official(id) => self.officials.get(&id).copied(),
            Subject::Venue(id) => self.venues.get(&id).map(|v| v.name.as_str()),
            Subject::Group(id) => self.groups.get(&id).copied(),
            Subject::Participant(id) => self.participants.get(&id).copied(),
        };
        found.map_or_else(|| format!("#{}", subject.id()), str::to_owned)
    }

    pub fn venue_name(&self, id: i64) -> String {
        self.name(Subject::Venue(id))
    }
}
