//! Conflicts as a planner thinks of them. The engine reports one conflict per
//! pair of meetings and subject, so one 15-minute transfer that three officials
//! make together is three conflicts; a planner sees one clash touching three
//! people, fixed by one move. Grouping keeps the engine's order.

use std::collections::HashMap;

use super::{Conflict, ConflictKind, MeetingIds, Severity, Subject};

/// One clash: the engine's conflicts that are the same problem (same kind,
/// severity, meetings and facts) and differ only in whom they touch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clash {
    pub kind: ConflictKind,
    pub severity: Severity,
    pub meeting_ids: MeetingIds,
    /// Everyone and everything it touches, in the order the engine found them.
    pub subjects: Vec<Subject>,
    /// The positions of its conflicts in the list it was grouped from; the
    /// first one words it and carries its suggestion.
    pub members: Vec<usize>,
}

impl Clash {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Groups conflicts into clashes, in the order each clash was first reported.
pub fn group_clashes(conflicts: &[Conflict]) -> Vec<Clash> {
    let mut clashes: Vec<Clash> = Vec::new();
    // The clashes sharing a kind, severity and meetings; their facts decide.
    let mut buckets: HashMap<(ConflictKind, Severity, &[i64]), Vec<usize>> = HashMap::new();
    for (at, conflict) in conflicts.iter().enumerate() {
        let bucket = buckets
            .entry((conflict.kind, conflict.severity, &conflict.meeting_ids))
            .or_default();
        let same = bucket
            .iter()
            .copied()
            .find(|&c| conflicts[clashes[c].members[0]].details == conflict.details);
        match same {
            Some(c) => {
                let clash = &mut clashes[c];
                clash.members.push(at);
                if let Some(subject) = conflict.subject {
                    if !clash.subjects.contains(&subject) {
                        clash.subjects.push(subject);
                    }
                }
            }
            None => {
                bucket.push(clashes.len());
                clashes.push(Clash {
                    kind: conflict.kind,
                    severity: conflict.severity,
                    meeting_ids: conflict.meeting_ids.clone(),
                    subjects: conflict.subject.into_iter().collect(),
                    members: vec![at],
                });
            }
        }
    }
    clashes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::conflicts::{ConflictDetails, TravelEstimate};

    fn travel(subject: Subject, meetings: [i64; 2], gap: i64) -> Conflict {
        Conflict {
            kind: ConflictKind::TravelTime,
            severity: Severity::Error,
            meeting_ids: meetings.into(),
            subject: Some(subject),
            details: ConflictDetails::Travel {
                from_venue_id: 1,
                to_venue_id: 2,
                gap_minutes: gap,
                needed_minutes: 40,
                buffer_minutes: 10,
                estimate: TravelEstimate::Explicit,
            },
            suggestion: None,
        }
    }

    #[test]
    fn one_transfer_made_by_three_officials_is_one_clash_naming_them_all() {
        let conflicts = [
            travel(Subject::Official(1), [10, 11], 15),
            travel(Subject::Official(2), [10, 11], 15),
            travel(Subject::Official(3), [10, 11], 15),
        ];
        let clashes = group_clashes(&conflicts);
        assert_eq!(clashes.len(), 1);
        assert_eq!(
            clashes[0].subjects,
            vec![
                Subject::Official(1),
                Subject::Official(2),
                Subject::Official(3)
            ]
        );
        assert_eq!(clashes[0].members, vec![0, 1, 2]);
        assert_eq!(clashes[0].meeting_ids, vec![10, 11]);
    }

    #[test]
    fn other_meetings_other_kinds_or_other_facts_stay_apart() {
        let mut overlap = travel(Subject::Official(1), [10, 11], 15);
        overlap.kind = ConflictKind::OfficialDoubleBooked;
        let mut warning = travel(Subject::Official(2), [10, 11], 15);
        warning.severity = Severity::Warning;
        let conflicts = [
            travel(Subject::Official(1), [10, 11], 15),
            travel(Subject::Official(1), [11, 12], 15),
            travel(Subject::Official(2), [10, 11], 20),
            overlap,
            warning,
        ];
        let clashes = group_clashes(&conflicts);
        assert_eq!(clashes.len(), 5, "{clashes:#?}");
        assert!(clashes.iter().all(|c| c.members.len() == 1));
    }

    #[test]
    fn clashes_keep_the_order_they_were_first_reported_in() {
        let conflicts = [
            travel(Subject::Official(1), [20, 21], 15),
            travel(Subject::Official(1), [10, 11], 15),
            travel(Subject::Official(2), [20, 21], 15),
            travel(Subject::Official(2), [10, 11], 15),
        ];
        let clashes = group_clashes(&conflicts);
        assert_eq!(clashes.len(), 2);
        assert_eq!(clashes[0].meeting_ids, vec![20, 21]);
        assert_eq!(clashes[0].members, vec![0, 2]);
        assert_eq!(clashes[1].members, vec![1, 3]);
    }

    #[test]
    fn a_subject_named_twice_is_listed_once_and_none_adds_no_name() {
        let mut nobody = travel(Subject::Official(1), [10, 11], 15);
        nobody.subject = None;
        let conflicts = [
            travel(Subject::Official(1), [10, 11], 15),
            travel(Subject::Official(1), [10, 11], 15),
            nobody,
        ];
        let clashes = group_clashes(&conflicts);
        assert_eq!(clashes.len(), 1);
        assert_eq!(clashes[0].subjects, vec![Subject::Official(1)]);
        assert_eq!(clashes[0].members.len(), 3);
    }
}
