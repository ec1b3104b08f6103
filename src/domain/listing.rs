//! Paged, searchable lists: what a caller asks for (a page of a list, maybe
//! narrowed by a search) and the lower-cased text records are searched in.

use crate::domain::{FieldProblem, ValidationErrors};

/// Items in a page when the caller names no `limit`.
pub const DEFAULT_LIMIT: i64 = 200;
/// The most items one page may hold.
pub const MAX_LIMIT: i64 = 1000;

/// A page of a list as asked for: `limit` items from `offset` on, of those
/// whose search text holds `q` (all of them without one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            q: None,
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

impl ListQuery {
    /// Reads the three parameters as the URL gives them (text, or absent);
    /// a blank `q` is no search.
    pub fn parse(
        q: Option<&str>,
        limit: Option<&str>,
        offset: Option<&str>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let limit = whole(&mut errors, "limit", limit, 1, MAX_LIMIT).unwrap_or(DEFAULT_LIMIT);
        let offset = whole(&mut errors, "offset", offset, 0, i64::MAX).unwrap_or(0);
        let q = q
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_owned);
        errors.into_result(|| Self { q, limit, offset })
    }

    /// The same search and page size, `limit` items further on (or back).
    pub fn moved(&self, offset: i64) -> Self {
        Self {
            offset: offset.max(0),
            ..self.clone()
        }
    }

    /// Whether `text` holds the search, in any case (a list held whole, such
    /// as a visit's meetings, is searched with this rather than in SQL).
    pub fn matches(&self, text: &str) -> bool {
        self.q
            .as_deref()
            .is_none_or(|q| text.to_lowercase().contains(&q.to_lowercase()))
    }

    /// The `LIKE` pattern the search text is matched with: the search lower-
    /// cased as [`search_text`] is, its wildcards escaped with `\`.
    pub fn pattern(&self) -> Option<String> {
        self.q.as_deref().map(|q| {
            let mut pattern = String::from("%");
            for c in q.to_lowercase().chars() {
                if matches!(c, '%' | '_' | '\\') {
                    pattern.push('\\');
                }
                pattern.push(c);
            }
            pattern.push('%');
            pattern
        })
    }
}

fn whole(
    errors: &mut ValidationErrors,
    field: &str,
    text: Option<&str>,
    min: i64,
    max: i64,
) -> Option<i64> {
    let text = text?.trim();
    match text.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        Ok(_) => {
            errors.add(
                field,
                FieldProblem::OutOfRange {
                    min: min.to_string(),
                    max: max.to_string(),
                },
            );
            None
        }
        Err(_) => {
            errors.add(field, FieldProblem::NotAWholeNumber);
            None
        }
    }
}

/// One page of a list and how many items the whole (searched) list holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
        }
    }
}

/// The text a record is found by: its names and titles, lower-cased in Rust
/// (Unicode-aware, which SQLite's `lower()` is not), one per line.
pub fn search_text<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(|part| part.trim().to_lowercase())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_is_folded_and_wildcards_escaped() {
        assert_eq!(
            search_text([Some("Ашимбаев Ерлан"), None, Some(" Сенат ")]),
            "ашимбаев ерлан\nсенат"
        );
        let query = ListQuery::parse(Some(" АШИМБ_% "), None, None).unwrap();
        assert_eq!(query.pattern().unwrap(), "%ашимб\\_\\%%");
    }

    #[test]
    fn limits_outside_the_range_are_refused_by_name() {
        for bad in ["0", "1001", "-3", "ten"] {
            let errors = ListQuery::parse(None, Some(bad), None).unwrap_err();
            assert!(errors.to_string().contains("limit"), "{bad}: {errors}");
        }
        assert!(ListQuery::parse(None, None, Some("-1")).is_err());
        let query = ListQuery::parse(Some("  "), Some("1000"), Some("40")).unwrap();
        assert_eq!((query.q, query.limit, query.offset), (None, 1000, 40));
    }
}
