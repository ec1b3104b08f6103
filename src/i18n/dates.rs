//! Dates as people write them, in each language.

use chrono::{Datelike, NaiveDate};

use super::Translator;
use crate::domain::Language;

/// "Wednesday, 25 February 2026" in the reader's language.
pub fn long_date(t: Translator, day: NaiveDate) -> String {
    let weekday = t
        .get(&format!("weekday-{}", day.weekday().num_days_from_monday()))
        .to_owned();
    let month = t.get(&format!("month-{}", day.month())).to_owned();
    match t.0 {
        Language::En => format!("{weekday}, {} {month} {}", day.day(), day.year()),
        Language::Ru => format!("{weekday}, {} {month} {} г.", day.day(), day.year()),
        Language::Kk => format!("{} жылғы {} {month}, {weekday}", day.year(), day.day()),
    }
}
