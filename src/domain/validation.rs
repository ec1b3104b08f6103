//! What can be wrong with a field, and the set of such problems for one input.
//! Problems are codes, not sentences: the edge (a form, the API) words them in
//! the reader's language.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum FieldProblem {
    Required,
    TooLong {
        max: usize,
    },
    InvalidEmail,
    UnknownTimeZone,
    EndNotAfterStart,
    FirstDayAfterLastDay,
    OutOfRange {
        min: String,
        max: String,
    },
    NotOneOf {
        choices: String,
    },
    UnknownId {
        id: i64,
    },
    Duplicate,
    NotAWholeNumber,
    NotANumber,
    NotAChoice,
    NotADate,
    NotADateTime,
    NotATime,
    NotSingleLine,
    ListedTwice,
    /// A headcount below the people named in the group.
    BelowMembers {
        members: i32,
    },
    VisitTooLong {
        max_days: i64,
    },
    /// A role given to an official the meeting does not list.
    NotAmongOfficials {
        id: i64,
    },
    OfficialOrVenue,
    SameVenue,
    PasswordTooShort {
        min: usize,
    },
    NoSuchUser,
    /// The password given as the current one is not.
    WrongPassword,
    /// The new password typed twice, differently.
    PasswordsDiffer,
    /// A date before 2000-01-01 or after 2099-12-31, the years a programme may name.
    DateOutOfBounds,
    /// Mail addresses that belong to no staff user, official or participant
    /// and to no allowed domain: a briefing pack may not go to them.
    RefusedRecipients {
        addresses: Vec<String>,
    },
    /// More recipients than one call may reach.
    TooManyRecipients {
        max: usize,
    },
    /// A list of records longer than one change may name.
    TooManyIds {
        max: usize,
    },
    /// A shift by 0 minutes: nothing would move.
    ShiftByZero,
    /// A shift that would take an item past the end of its local day.
    ShiftPastDayEnd,
    /// A shift ahead of time that would take an item before its day begins.
    ShiftBeforeDayStart,
    /// A cancelled item: it does not run late.
    MeetingCancelled,
    /// Anything else, in English from a parser; shown after a general word.
    Invalid {
        reason: String,
    },
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => f.write_str("is required"),
            Self::TooLong { max } => write!(f, "is longer than {max} characters"),
            Self::InvalidEmail => f.write_str("is not a valid email address"),
            Self::UnknownTimeZone => {
                f.write_str("is not a known IANA time zone (for example Asia/Almaty)")
            }
            Self::EndNotAfterStart => f.write_str("must be after the start"),
            Self::FirstDayAfterLastDay => f.write_str("must not be before the first day"),
            Self::OutOfRange { min, max } => write!(f, "must be between {min} and {max}"),
            Self::NotOneOf { choices } => write!(f, "must be one of: {choices}"),
            Self::UnknownId { id } => write!(f, "refers to {id}, which does not exist"),
            Self::Duplicate => f.write_str("is already taken"),
            Self::NotAWholeNumber => f.write_str("not a whole number"),
            Self::NotANumber => f.write_str("not a number"),
            Self::NotAChoice => f.write_str("not a choice from the list"),
            Self::NotADate => f.write_str("not a date"),
            Self::NotADateTime => f.write_str("not a date and time"),
            Self::NotATime => f.write_str("must be a time such as 09:00"),
            Self::NotSingleLine => f.write_str("must be a single line"),
            Self::ListedTwice => f.write_str("lists an id twice"),
            Self::BelowMembers { members } => {
                write!(f, "is smaller than the {members} named members")
            }
            Self::VisitTooLong { max_days } => write!(f, "a visit lasts at most {max_days} days"),
            Self::NotAmongOfficials { id } => {
                write!(f, "names official {id}, who is not in official_ids")
            }
            Self::OfficialOrVenue => f.write_str("give an official or a venue, not both"),
            Self::SameVenue => f.write_str("must differ from the venue travelled from"),
            Self::PasswordTooShort { min } => write!(f, "must be at least {min} characters"),
            Self::NoSuchUser => f.write_str("no user has this email"),
            Self::WrongPassword => f.write_str("is not the current password"),
            Self::PasswordsDiffer => f.write_str("does not match the new password"),
            Self::DateOutOfBounds => f.write_str("must lie between 2000-01-01 and 2099-12-31"),
            Self::RefusedRecipients { addresses } => write!(
                f,
                "belong to no staff user, official or participant and to no allowed domain: {}",
                addresses.join(", ")
            ),
            Self::TooManyRecipients { max } => write!(f, "at most {max} recipients a call"),
            Self::TooManyIds { max } => write!(f, "may name at most {max} records"),
            Self::ShiftByZero => f.write_str("must not be 0"),
            Self::ShiftPastDayEnd => {
                f.write_str("would move an item past the end of its local day")
            }
            Self::ShiftBeforeDayStart => {
                f.write_str("would move an item before the start of its local day")
            }
            Self::MeetingCancelled => f.write_str("is a cancelled item"),
            Self::Invalid { reason } => f.write_str(reason),
        }
    }
}

/// Every problem found in one input, by field name, so a form can mark all of
/// them at once rather than one per attempt.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    fields: BTreeMap<String, FieldProblem>,
}

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, problem: FieldProblem) -> Self {
        let mut errors = Self::new();
        errors.add(field, problem);
        errors
    }

    /// Records a problem; the first one found for a field is the one kept.
    pub fn add(&mut self, field: &str, problem: FieldProblem) {
        self.fields.entry(field.to_owned()).or_insert(problem);
    }

    /// Keeps the value of a check, or records its problem and gives `None`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, FieldProblem>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.add(field, problem);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&FieldProblem> {
        self.fields.get(field)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldProblem)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn merge(&mut self, other: ValidationErrors) {
        for (field, problem) in other.fields {
            self.fields.entry(field).or_insert(problem);
        }
    }

    /// `Ok(value)` when nothing was recorded.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (field, problem) in &self.fields {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{field} {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Text limits, in characters.
pub const NAME_MAX: usize = 200;
pub const SHORT_MAX: usize = 200;
pub const PHONE_MAX: usize = 50;
pub const LONG_MAX: usize = 20_000;

/// A required text: trimmed, not empty, not longer than `max`.
pub fn required_text(raw: &str, max: usize) -> Result<String, FieldProblem> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldProblem::Required);
    }
    bounded(text, max)
}

/// An optional text: trimmed; empty becomes `None`.
pub fn optional_text(raw: Option<&str>, max: usize) -> Result<Option<String>, FieldProblem> {
    match raw.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => bounded(text, max).map(Some),
    }
}

fn bounded(text: &str, max: usize) -> Result<String, FieldProblem> {
    if text.chars().count() > max {
        Err(FieldProblem::TooLong { max })
    } else {
        Ok(text.to_owned())
    }
}

/// A single-line text must not carry line breaks (they end up in email headers
/// and calendar fields).
pub fn single_line(text: String) -> Result<String, FieldProblem> {
    if text.contains(['\r', '\n']) {
        Err(FieldProblem::NotSingleLine)
    } else {
        Ok(text)
    }
}

pub fn in_range<T: PartialOrd + fmt::Display>(value: T, min: T, max: T) -> Result<T, FieldProblem> {
    if value < min || value > max {
        Err(FieldProblem::OutOfRange {
            min: min.to_string(),
            max: max.to_string(),
        })
    } else {
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_bounded_in_characters() {
        assert_eq!(required_text("  Сенат ", 10), Ok("Сенат".into()));
        assert_eq!(required_text("   ", 10), Err(FieldProblem::Required));
        assert_eq!(required_text("әғқңөұүһі", 9), Ok("әғқңөұүһі".into()));
        assert_eq!(
            required_text("әғқңөұүһі!", 9),
            Err(FieldProblem::TooLong { max: 9 })
        );
        assert_eq!(optional_text(Some(" "), 5), Ok(None));
    }

    #[test]
    fn all_problems_of_an_input_are_kept() {
        let mut errors = ValidationErrors::new();
        errors.add("email", FieldProblem::InvalidEmail);
        errors.add("email", FieldProblem::Required);
        errors.add("name", FieldProblem::Required);
        assert_eq!(errors.get("email"), Some(&FieldProblem::InvalidEmail));
        assert_eq!(
            errors.to_string(),
            "email is not a valid email address; name is required"
        );
    }
}
