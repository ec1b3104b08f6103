//! One sentence per conflict, in the planner's language, naming the people,
//! places and meetings with their local times (the venue's zone, else the
//! visit's). The domain gives the facts ([`ConflictDetails`]) and the lookups;
//! the sentences are catalogue messages (`conflict-*`) with placeables, so the
//! numbers in them take their plural forms.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::{number, string, Translator};
use crate::domain::conflicts::{
    Clash, Conflict, ConflictDetails, ConflictKind, Lookup, Severity, Shown, Snapshot, Subject,
};
use crate::domain::{Language, TimeRange};

/// The messages a conflict is worded with, and the arguments each is given
/// (checked by the catalogue tests).
pub const MESSAGE_ARGUMENTS: &[(&str, &[&str])] = &[
    ("conflict-venue_double_booked", DOUBLE_BOOKED),
    ("conflict-group_double_booked", DOUBLE_BOOKED),
    ("conflict-participant_double_booked", DOUBLE_BOOKED),
    ("conflict-double_booked", DOUBLE_BOOKED),
    ("conflict-group", &["name"]),
    ("conflict-travel", TRAVEL),
    ("conflict-travel_tight", TRAVEL),
    (
        "conflict-opening_hours",
        &["title", "when", "subject", "hours"],
    ),
    (
        "conflict-capacity",
        &["title", "subject", "expected", "capacity"],
    ),
    ("conflict-visit_dates", &["title", "when", "days"]),
    ("conflict-venue_unavailable", UNAVAILABLE),
    ("conflict-unavailable", UNAVAILABLE),
    (
        "conflict-no_break",
        &[
            "subject",
            "count",
            "from",
            "to",
            "titles",
            "min_break",
            "length",
        ],
    ),
    ("conflict-length", &["h", "m"]),
];

// `count`: how many the clash names in `who` (or `subject`), for the verb.
const DOUBLE_BOOKED: &[&str] = &["who", "count", "a", "b", "ta", "tb"];
const TRAVEL: &[&str] = &[
    "who", "count", "a", "ends", "b", "starts", "from", "to", "gap", "needed", "buffer",
];
const UNAVAILABLE: &[&str] = &["who", "count", "window", "reason", "title", "when"];

/// The sentence for one conflict. Builds lookups over the whole snapshot; to
/// describe many conflicts, make one [`Describer`] and reuse it.
pub fn describe(conflict: &Conflict, snapshot: &Snapshot, lang: Language) -> String {
    Describer::new(snapshot).describe(conflict, lang)
}

/// Words conflicts over one snapshot.
pub struct Describer<'s> {
    lookup: Lookup<'s>,
}

impl<'s> Describer<'s> {
    pub fn new(snapshot: &'s Snapshot) -> Self {
        Self {
            lookup: Lookup::new(snapshot),
        }
    }

    pub fn describe(&self, conflict: &Conflict, lang: Language) -> String {
        let subjects: Vec<Subject> = conflict.subject.into_iter().collect();
        self.describe_touching(conflict, &subjects, lang)
    }

    /// The sentence for a clash: its first conflict, naming everyone it
    /// touches where that conflict names one.
    pub fn describe_clash(&self, clash: &Clash, conflicts: &[Conflict], lang: Language) -> String {
        match clash.members.first().and_then(|&at| conflicts.get(at)) {
            Some(first) => self.describe_touching(first, &clash.subjects, lang),
            None => String::new(),
        }
    }

    fn describe_touching(
        &self,
        conflict: &Conflict,
        subjects: &[Subject],
        lang: Language,
    ) -> String {
        let t = Translator(lang);
        let names = |name: &dyn Fn(Subject) -> String| {
            subjects
                .iter()
                .map(|&s| name(s))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut shown: Vec<Shown> = conflict
            .meeting_ids
            .iter()
            .map(|&id| self.lookup.shown(id))
            .collect();
        shown.sort_by_key(|s| s.time.map(|t| t.start()));
        let subject = names(&|s| self.lookup.name(s));
        let count = number(subjects.len() as i64);
        let first = shown.first();
        let title = |s: Option<&Shown>| s.map_or(String::new(), |s| s.title.clone());
        let titles = || {
            shown
                .iter()
                .map(|s| format!("«{}»", s.title))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (&conflict.details, shown.as_slice()) {
            (ConflictDetails::Overlap { .. }, [a, b]) => {
                let dated = local_date(a) != local_date(b);
                let (key, who) = match conflict.kind {
                    ConflictKind::VenueDoubleBooked => ("conflict-venue_double_booked", subject),
                    ConflictKind::GroupDoubleBooked => (
                        "conflict-group_double_booked",
                        names(&|s| format!("«{}»", self.lookup.name(s))),
                    ),
                    ConflictKind::ParticipantDoubleBooked => {
                        ("conflict-participant_double_booked", subject)
                    }
                    _ => ("conflict-double_booked", subject),
                };
                t.with(
                    key,
                    &[
                        ("who", string(who)),
                        ("count", count),
                        ("a", string(&a.title)),
                        ("b", string(&b.title)),
                        ("ta", string(span_of(a, dated))),
                        ("tb", string(span_of(b, dated))),
                    ],
                )
            }
            (
                ConflictDetails::Travel {
                    from_venue_id,
                    to_venue_id,
                    gap_minutes,
                    needed_minutes,
                    buffer_minutes,
                    ..
                },
                [a, b],
            ) => {
                let who = names(&|s| match s {
                    Subject::Group(_) => {
                        t.with("conflict-group", &[("name", string(self.lookup.name(s)))])
                    }
                    _ => self.lookup.name(s),
                });
                let ends = a.time.map_or(String::new(), |t| clock(t.end(), a.zone));
                let starts = b.time.map_or(String::new(), |t| clock(t.start(), b.zone));
                let key = if conflict.severity == Severity::Warning {
                    "conflict-travel_tight"
                } else {
                    "conflict-travel"
                };
                t.with(
                    key,
                    &[
                        ("who", string(who)),
                        ("count", count),
                        ("a", string(&a.title)),
                        ("ends", string(ends)),
                        ("b", string(&b.title)),
                        ("starts", string(starts)),
                        ("from", string(self.lookup.venue_name(*from_venue_id))),
                        ("to", string(self.lookup.venue_name(*to_venue_id))),
                        ("gap", number(*gap_minutes)),
                        ("needed", number(*needed_minutes)),
                        ("buffer", number(*buffer_minutes)),
                    ],
                )
            }
            (ConflictDetails::OpeningHours { opens, closes }, _) => {
                let hours = format!("{}–{}", opens.format("%H:%M"), closes.format("%H:%M"));
                t.with(
                    "conflict-opening_hours",
                    &[
                        ("title", string(title(first))),
                        (
                            "when",
                            string(first.map_or(String::new(), |s| span_of(s, false))),
                        ),
                        ("subject", string(subject)),
                        ("hours", string(hours)),
                    ],
                )
            }
            (ConflictDetails::Capacity { expected, capacity }, _) => t.with(
                "conflict-capacity",
                &[
                    ("title", string(title(first))),
                    ("subject", string(subject)),
                    ("expected", number(*expected)),
                    ("capacity", number(*capacity)),
                ],
            ),
            (
                ConflictDetails::VisitDates {
                    first_day,
                    last_day,
                    ..
                },
                _,
            ) => {
                // The visit's days are in its zone, so the time is shown there too.
                let when = first.map_or(String::new(), |s| {
                    let zone = s.visit.map_or(s.zone, |v| v.timezone);
                    s.time.map_or(String::new(), |t| span(t, zone, true))
                });
                let days = format!("{}–{}", date(*first_day), date(*last_day));
                t.with(
                    "conflict-visit_dates",
                    &[
                        ("title", string(title(first))),
                        ("when", string(when)),
                        ("days", string(days)),
                    ],
                )
            }
            (ConflictDetails::Unavailable { window, reason }, _) => {
                let zone = first.map_or(Tz::UTC, |s| s.zone);
                let reason = reason
                    .as_deref()
                    .filter(|r| !r.trim().is_empty())
                    .map_or(String::new(), |r| format!(" ({})", r.trim()));
                let key = if conflict.kind == ConflictKind::VenueUnavailable {
                    "conflict-venue_unavailable"
                } else {
                    "conflict-unavailable"
                };
                t.with(
                    key,
                    &[
                        ("who", string(subject)),
                        ("count", count),
                        ("window", string(span(*window, zone, true))),
                        ("reason", string(reason)),
                        ("title", string(title(first))),
                        (
                            "when",
                            string(first.map_or(String::new(), |s| span_of(s, false))),
                        ),
                    ],
                )
            }
            (
                ConflictDetails::NoBreak {
                    stretch,
                    min_break_minutes,
                    ..
                },
                _,
            ) => {
                let zone = first.map_or(Tz::UTC, |s| s.zone);
                let (from, to) = span_ends(*stretch, zone);
                let minutes = stretch.duration().num_minutes();
                let length = t.with(
                    "conflict-length",
                    &[("h", number(minutes / 60)), ("m", number(minutes % 60))],
                );
                t.with(
                    "conflict-no_break",
                    &[
                        ("subject", string(subject)),
                        ("count", count),
                        ("from", string(from)),
                        ("to", string(to)),
                        ("titles", string(titles())),
                        ("min_break", number(*min_break_minutes)),
                        ("length", string(length)),
                    ],
                )
            }
            // Details that do not match the meetings listed: a conflict built
            // by hand. Say what we can.
            _ => format!("{}: {subject} {}", conflict.kind, titles()),
        }
    }
}

fn local_date(shown: &Shown) -> Option<NaiveDate> {
    shown
        .time
        .map(|t| t.start().with_timezone(&shown.zone).date_naive())
}

fn span_of(shown: &Shown, dated: bool) -> String {
    shown
        .time
        .map_or(String::new(), |t| span(t, shown.zone, dated))
}

/// `10:00–11:00`; with dates (`25.02 10:00–11:00`) when asked or when the range
/// crosses local midnight (`25.02 23:30–26.02 00:30`).
fn span(range: TimeRange, zone: Tz, dated: bool) -> String {
    let (start, end) = (
        range.start().with_timezone(&zone),
        range.end().with_timezone(&zone),
    );
    if start.date_naive() != end.date_naive() {
        format!(
            "{}–{}",
            start.format("%d.%m %H:%M"),
            end.format("%d.%m %H:%M")
        )
    } else if dated {
        format!("{}–{}", start.format("%d.%m %H:%M"), end.format("%H:%M"))
    } else {
        format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"))
    }
}

/// The two ends of a range, dated only when it crosses local midnight.
fn span_ends(range: TimeRange, zone: Tz) -> (String, String) {
    let (start, end) = (
        range.start().with_timezone(&zone),
        range.end().with_timezone(&zone),
    );
    let format = if start.date_naive() != end.date_naive() {
        "%d.%m %H:%M"
    } else {
        "%H:%M"
    };
    (
        start.format(format).to_string(),
        end.format(format).to_string(),
    )
}

fn clock(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%H:%M").to_string()
}

fn date(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

#[cfg(test)]
mod tests;
