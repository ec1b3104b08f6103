//! Published programmes and what changed between them. A schedule version keeps
//! a snapshot of the programme; the next publication compares against it and
//! tells each person only what changed in the meetings that concern them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// One meeting as it was published: enough to tell what changed and to write
/// the notice, without reading the live programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedMeeting {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub venue_id: Option<i64>,
    pub venue: Option<String>,
    pub address: Option<String>,
    /// The venue's zone (else the visit's), for local times in notices.
    pub zone: Tz,
    pub contact: Option<String>,
    /// What the meeting is about, as published: the one free text a person's
    /// own calendar feed shows. Versions published before it was kept have none.
    #[serde(default)]
    pub agenda: Option<String>,
    pub cancelled: bool,
    /// Meeting version, so calendar SEQUENCE rises with each change.
    pub version: i32,
    pub official_ids: Vec<i64>,
    /// Participants invited by name or through a group.
    pub participant_ids: Vec<i64>,
}

impl PublishedMeeting {
    /// The venue and its address, as a calendar's `LOCATION` and a notice show them.
    pub fn place(&self) -> Option<String> {
        match (&self.venue, &self.address) {
            (Some(v), Some(a)) => Some(format!("{v}, {a}")),
            (Some(v), None) => Some(v.clone()),
            _ => None,
        }
    }

    /// Whether the official was on this meeting when it was published.
    pub fn names_official(&self, official: i64) -> bool {
        self.official_ids.contains(&official)
    }

    /// Whether the participant was invited (by name or through a group) when
    /// it was published.
    pub fn invites_participant(&self, participant: i64) -> bool {
        self.participant_ids.contains(&participant)
    }
}

/// A visit's programme as published.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeSnapshot {
    pub meetings: Vec<PublishedMeeting>,
}

/// What happened to one meeting for one person between two publications.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Newly on their programme (a new meeting, or they were newly invited).
    New { meeting: PublishedMeeting },
    /// Still on it, but different: when, how long, or where.
    Changed {
        before: Box<PublishedMeeting>,
        after: Box<PublishedMeeting>,
        moved: bool,
        resized: bool,
        venue_changed: bool,
        renamed: bool,
    },
    /// Off their programme: cancelled, deleted, or they were uninvited.
    Cancelled { meeting: PublishedMeeting },
}

impl Change {
    pub fn meeting(&self) -> &PublishedMeeting {
        match self {
            Change::New { meeting } | Change::Cancelled { meeting } => meeting,
            Change::Changed { after, .. } => after,
        }
    }

    pub fn is_cancellation(&self) -> bool {
        matches!(self, Change::Cancelled { .. })
    }
}

fn attending(
    snapshot: &ProgrammeSnapshot,
    person: i64,
    of: fn(&PublishedMeeting) -> &[i64],
) -> BTreeMap<i64, &PublishedMeeting> {
    snapshot
        .meetings
        .iter()
        .filter(|m| !m.cancelled && of(m).contains(&person))
        .map(|m| (m.id, m))
        .collect()
}

fn participants_of(m: &PublishedMeeting) -> &[i64] {
    &m.participant_ids
}

fn officials_of(m: &PublishedMeeting) -> &[i64] {
    &m.official_ids
}

fn changes_between(
    before: BTreeMap<i64, &PublishedMeeting>,
    after: BTreeMap<i64, &PublishedMeeting>,
) -> Vec<Change> {
    let ids: BTreeSet<i64> = before.keys().chain(after.keys()).copied().collect();
    let mut changes: Vec<Change> = ids
        .into_iter()
        .filter_map(|id| match (before.get(&id), after.get(&id)) {
            (None, Some(now)) => Some(Change::New {
                meeting: (*now).clone(),
            }),
            (Some(was), None) => Some(Change::Cancelled {
                meeting: (*was).clone(),
            }),
            (Some(was), Some(now)) => {
                let moved = was.start != now.start;
                let resized = (was.end - was.start) != (now.end - now.start);
                let venue_changed = was.venue_id != now.venue_id;
                let renamed = was.title != now.title;
                (moved || resized || venue_changed || renamed || was.end != now.end).then(|| {
                    Change::Changed {
                        before: Box::new((*was).clone()),
                        after: Box::new((*now).clone()),
                        moved,
                        resized,
                        venue_changed,
                        renamed,
                    }
                })
            }
            (None, None) => None,
        })
        .collect();
    changes.sort_by_key(|c| (c.meeting().start, c.meeting().id));
    changes
}

/// What changed for a participant (invited by name or through a group)
/// between two publications; everything is new on a first publication.
pub fn changes_for_participant(
    before: Option<&ProgrammeSnapshot>,
    after: &ProgrammeSnapshot,
    participant: i64,
) -> Vec<Change> {
    let empty = ProgrammeSnapshot::default();
    changes_between(
        attending(before.unwrap_or(&empty), participant, participants_of),
        attending(after, participant, participants_of),
    )
}

/// The same for an official.
pub fn changes_for_official(
    before: Option<&ProgrammeSnapshot>,
    after: &ProgrammeSnapshot,
    official: i64,
) -> Vec<Change> {
    let empty = ProgrammeSnapshot::default();
    changes_between(
        attending(before.unwrap_or(&empty), official, officials_of),
        attending(after, official, officials_of),
    )
}

/// Everything that changed in a programme between two publications.
pub fn changes_between_snapshots(
    before: Option<&ProgrammeSnapshot>,
    after: &ProgrammeSnapshot,
) -> Vec<Change> {
    fn all(s: &ProgrammeSnapshot) -> BTreeMap<i64, &PublishedMeeting> {
        s.meetings
            .iter()
            .filter(|m| !m.cancelled)
            .map(|m| (m.id, m))
            .collect()
    }
    let empty = ProgrammeSnapshot::default();
    changes_between(all(before.unwrap_or(&empty)), all(after))
}

/// Every participant named in either snapshot.
pub fn participants_in(snapshots: &[&ProgrammeSnapshot]) -> BTreeSet<i64> {
    snapshots
        .iter()
        .flat_map(|s| s.meetings.iter())
        .flat_map(|m| m.participant_ids.iter().copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn meeting(id: i64, hour: u32, minutes: i64, venue: i64, people: &[i64]) -> PublishedMeeting {
        let start = Utc.with_ymd_and_hms(2026, 2, 25, hour, 0, 0).unwrap();
        PublishedMeeting {
            id,
            title: format!("Meeting {id}"),
            kind: "meeting".into(),
            start,
            end: start + chrono::Duration::minutes(minutes),
            venue_id: Some(venue),
            venue: Some(format!("Venue {venue}")),
            address: None,
            zone: chrono_tz::Asia::Almaty,
            contact: None,
            agenda: None,
            cancelled: false,
            version: 1,
            official_ids: vec![],
            participant_ids: people.to_vec(),
        }
    }

    #[test]
    fn everything_is_new_on_a_first_publication() {
        let first = ProgrammeSnapshot {
            meetings: vec![meeting(1, 5, 60, 1, &[7]), meeting(2, 7, 60, 1, &[8])],
        };
        let changes = changes_for_participant(None, &first, 7);
        assert_eq!(changes.len(), 1);
        assert!(matches!(&changes[0], Change::New { meeting } if meeting.id == 1));
    }

    #[test]
    fn a_republish_names_moves_resizes_venue_changes_and_cancellations_and_nothing_else() {
        let before = ProgrammeSnapshot {
            meetings: vec![
                meeting(1, 5, 60, 1, &[7]),
                meeting(2, 7, 60, 1, &[7]),
                meeting(3, 9, 60, 1, &[7]),
                meeting(4, 11, 60, 1, &[7]),
                meeting(5, 12, 60, 1, &[8]),
            ],
        };
        let mut after = before.clone();
        after.meetings[0].start += chrono::Duration::minutes(30); // moved, and shorter
        after.meetings[1].end += chrono::Duration::minutes(15); // longer
        after.meetings[2].venue_id = Some(2); // another venue
        after.meetings[3].cancelled = true;
        let changes = changes_for_participant(Some(&before), &after, 7);
        assert_eq!(changes.len(), 4);
        assert!(matches!(
            &changes[0],
            Change::Changed {
                moved: true,
                resized: true,
                venue_changed: false,
                ..
            }
        ));
        assert!(matches!(
            &changes[1],
            Change::Changed {
                moved: false,
                resized: true,
                ..
            }
        ));
        assert!(matches!(
            &changes[2],
            Change::Changed {
                venue_changed: true,
                moved: false,
                ..
            }
        ));
        assert!(changes[3].is_cancellation());
        assert!(
            changes_for_participant(Some(&before), &after, 8).is_empty(),
            "nothing for the unaffected"
        );
    }
}
