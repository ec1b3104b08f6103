//! Small validated values the rest of Sapar builds on: languages, email addresses,
//! time ranges, zones and the closed vocabularies of the domain.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::validation::FieldProblem;

/// Declares a closed vocabulary stored and exchanged as a lowercase word.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn parse(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }

            /// The accepted words, for error messages.
            pub fn choices() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// The stored word, read back once where rows are loaded.
        impl TryFrom<String> for $name {
            type Error = UnknownWord;
            fn try_from(word: String) -> Result<Self, UnknownWord> {
                Self::parse(&word).ok_or(UnknownWord {
                    vocabulary: stringify!($name),
                    word,
                })
            }
        }
    };
}

/// A stored word that is not in its vocabulary: the database holds something
/// Sapar never writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{word:?} is not a {vocabulary}")]
pub struct UnknownWord {
    pub vocabulary: &'static str,
    pub word: String,
}

vocabulary!(
    /// The interface and message languages.
    Language { Ru => "ru", Kk => "kk", En => "en" }
);
vocabulary!(VenueKind {
    University => "university",
    Plant => "plant",
    Lab => "lab",
    Government => "government",
    Cultural => "cultural",
    Hotel => "hotel",
    Airport => "airport",
    Other => "other",
});
vocabulary!(MeetingKind {
    Meeting => "meeting",
    SiteVisit => "site_visit",
    Press => "press",
    Meal => "meal",
    Transfer => "transfer",
    Ceremony => "ceremony",
    Other => "other",
});
vocabulary!(MeetingStatus {
    Tentative => "tentative",
    Confirmed => "confirmed",
    Cancelled => "cancelled",
});
vocabulary!(VisitStatus {
    Draft => "draft",
    Published => "published",
    Completed => "completed",
    Cancelled => "cancelled",
});
vocabulary!(
    /// What an official does at a meeting.
    OfficialRole { Principal => "principal", Host => "host", Accompanying => "accompanying" }
);
vocabulary!(
    /// Where a venue's security service stands on letting a person in.
    Clearance { Requested => "requested", Granted => "granted", Refused => "refused" }
);
vocabulary!(
    /// Whom an access list names: an official or a participant.
    PersonKind { Official => "official", Participant => "participant" }
);
vocabulary!(
    /// A staff member's rights: viewers read, planners edit, admins also manage users.
    Role { Admin => "admin", Planner => "planner", Viewer => "viewer" }
);

impl Role {
    pub fn can_edit(self) -> bool {
        matches!(self, Role::Admin | Role::Planner)
    }

    pub fn can_manage_users(self) -> bool {
        self == Role::Admin
    }
}

/// An email address that has passed a practical check: one `@`, a local part, a
/// dotted domain, no spaces or control characters (so it cannot smuggle headers).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let s = raw.trim();
        if s.chars().count() > Self::MAX_LEN {
            return Err(FieldProblem::TooLong { max: Self::MAX_LEN });
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(FieldProblem::InvalidEmail);
        };
        let bad_char = |c: char| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c);
        // A dotted domain; `localhost` too, for the first admin of a fresh install.
        let domain_ok = (domain.contains('.') || domain.eq_ignore_ascii_case("localhost"))
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@')
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.chars().any(bad_char) || !domain_ok {
            return Err(FieldProblem::InvalidEmail);
        }
        // Domains are case-insensitive; the local part is kept as typed.
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An IANA time zone such as `Asia/Almaty`.
pub fn parse_zone(name: &str) -> Result<Tz, FieldProblem> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| FieldProblem::UnknownTimeZone)
}

/// The zone a meeting's times are shown in: its venue's, else its visit's.
/// Every page, email, calendar and sentence that shows a meeting's time asks
/// this one rule.
pub fn display_zone(venue: Option<Tz>, visit: Tz) -> Tz {
    venue.unwrap_or(visit)
}

/// A half-open interval `[start, end)` of UTC instants with `end` after `start`.
/// A meeting that ends at 10:00 does not touch one that starts at 10:00.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeRange {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl TimeRange {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Self, FieldProblem> {
        if end <= start {
            return Err(FieldProblem::EndNotAfterStart);
        }
        Ok(Self { start, end })
    }

    /// From the naive UTC instants the database stores.
    pub fn from_naive_utc(start: NaiveDateTime, end: NaiveDateTime) -> Result<Self, FieldProblem> {
        Self::new(start.and_utc(), end.and_utc())
    }

    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    pub fn duration(&self) -> chrono::Duration {
        self.end - self.start
    }

    pub fn overlaps(&self, other: &TimeRange) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// An instant to the second, as stored: sub-second parts carry no meaning in a
/// programme and would not round-trip the same way on every backend.
pub fn to_the_second(at: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::Timelike;
    at.with_nanosecond(0).unwrap_or(at)
}

/// "Ашимбаев Маулен Сагатханулы" as "Ашимбаев М. С.": surname and initials,
/// as protocol lists print them.
pub fn short_name(full_name: &str) -> String {
    let mut parts = full_name.split_whitespace();
    let Some(surname) = parts.next() else {
        return String::new();
    };
    let initials: Vec<String> = parts
        .filter_map(|p| p.chars().next())
        .map(|c| format!("{c}."))
        .collect();
    if initials.is_empty() {
        surname.to_owned()
    } else {
        format!("{surname} {}", initials.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn emails_are_checked_and_domains_lowercased() {
        assert_eq!(
            EmailAddress::parse(" Aide@Senate.GOV.kz ")
                .unwrap()
                .as_str(),
            "Aide@senate.gov.kz"
        );
        for bad in [
            "",
            "no-at",
            "a@b",
            "a b@c.kz",
            "a@c..kz",
            "x@y.kz\r\nBcc: z@z.kz",
            "<a@b.kz>",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(FieldProblem::InvalidEmail),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_range_must_end_after_it_starts_and_is_half_open() {
        let at = |h| Utc.with_ymd_and_hms(2026, 2, 25, h, 0, 0).unwrap();
        assert_eq!(
            TimeRange::new(at(10), at(10)),
            Err(FieldProblem::EndNotAfterStart)
        );
        assert_eq!(
            TimeRange::new(at(11), at(10)),
            Err(FieldProblem::EndNotAfterStart)
        );
        let a = TimeRange::new(at(9), at(10)).unwrap();
        let b = TimeRange::new(at(10), at(11)).unwrap();
        let c = TimeRange::new(at(9), at(11)).unwrap();
        assert!(!a.overlaps(&b));
        assert!(a.overlaps(&c) && b.overlaps(&c));
    }

    #[test]
    fn kazakhstan_zones_know_the_2024_change() {
        let almaty = parse_zone("Asia/Almaty").unwrap();
        let winter_2026 = Utc.with_ymd_and_hms(2026, 2, 25, 5, 0, 0).unwrap();
        assert_eq!(
            winter_2026
                .with_timezone(&almaty)
                .format("%H:%M")
                .to_string(),
            "10:00"
        );
        let winter_2023 = Utc.with_ymd_and_hms(2023, 2, 25, 5, 0, 0).unwrap();
        assert_eq!(
            winter_2023
                .with_timezone(&almaty)
                .format("%H:%M")
                .to_string(),
            "11:00"
        );
        assert_eq!(
            parse_zone("Mars/Olympus"),
            Err(FieldProblem::UnknownTimeZone)
        );
    }

    #[test]
    fn vocabularies_round_trip() {
        for kind in VenueKind::ALL {
            assert_eq!(VenueKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(
            MeetingKind::parse("site_visit"),
            Some(MeetingKind::SiteVisit)
        );
        assert_eq!(Role::parse("root"), None);
    }
}
