//! The visits list: current and upcoming visits first, then past ones, searched
//! and paged, each with its conflict counts from one run of the engine over the
//! visits of the page.
//!
//! A protocol office keeps years of visits, so the page loads in a fixed number
//! of queries whatever their count: the page's rows, counted and cut in SQL
//! (a search narrows by the search text and the delegations' names), their
//! delegations, and one conflict snapshot for the page's visits.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::conflicts::{self, VisitCounts};
use super::programme::VisitRecord;
use super::ServiceResult;
use crate::db::{repo, DbConn};
use crate::domain::conflicts::EngineSettings;
use crate::domain::listing::ListQuery;

/// Visits a page lists.
pub const PAGE_SIZE: usize = 30;

/// One visit of the list with what its programme holds.
pub struct Listed {
    pub visit: VisitRecord,
    pub counts: VisitCounts,
}

/// One page of the list.
pub struct VisitList {
    /// Visits whose last day is today or later, soonest first.
    pub current: Vec<Listed>,
    /// Past visits, latest first.
    pub past: Vec<Listed>,
    /// The page shown, from 1 (a page past the end shows the last one).
    pub page: usize,
    pub pages: usize,
    /// Visits matching the search, on every page.
    pub total: usize,
}

/// The page `page` (from 1) of the visits matching `q` (anywhere in the title,
/// the region, the theme or a delegation member's name, in any letter case).
pub fn load(
    conn: &mut DbConn,
    q: &str,
    page: usize,
    today: NaiveDate,
    settings: EngineSettings,
) -> ServiceResult<VisitList> {
    let query = ListQuery {
        q: Some(q.trim().to_owned()).filter(|q| !q.is_empty()),
        ..ListQuery::default()
    };
    let pattern = query.pattern();
    let offset = |page: usize| ((page - 1) * PAGE_SIZE) as i64;
    let (mut shown, current_total, past_total) = repo::page_visit_list(
        conn,
        today,
        pattern.as_deref(),
        offset(page.max(1)),
        PAGE_SIZE as i64,
    )?;
    let total = (current_total + past_total) as usize;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    if page > pages {
        // Past the end: the last page, as a link from an older, longer list expects.
        shown = repo::page_visit_list(
            conn,
            today,
            pattern.as_deref(),
            offset(pages),
            PAGE_SIZE as i64,
        )?
        .0;
    }
    let page = page.clamp(1, pages);

    let ids: Vec<i64> = shown.iter().map(|v| v.id).collect();
    let mut delegations: HashMap<i64, Vec<i64>> = HashMap::new();
    for (visit, official) in repo::visit_officials_of(conn, Some(&ids))? {
        delegations.entry(visit).or_default().push(official);
    }
    let counts = conflicts::counts_of_visits(conn, &shown.iter().collect::<Vec<_>>(), settings)?;
    let (current, past) = shown
        .into_iter()
        .map(|row| Listed {
            counts: counts.get(&row.id).copied().unwrap_or_default(),
            visit: VisitRecord {
                official_ids: delegations.remove(&row.id).unwrap_or_default(),
                row,
            },
        })
        .partition(|l| l.visit.row.last_day >= today);
    Ok(VisitList {
        current,
        past,
        page,
        pages,
        total,
    })
}
