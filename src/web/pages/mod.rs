//! The server-rendered pages staff work in. Every page but sign-in needs a
//! signed-in user; viewers read, planners edit, admins also manage users.

mod account;
mod admin;
mod auth;
mod calendars;
mod documents;
pub mod editor;
pub mod form;
pub mod itinerary;
mod late;
pub mod programme;
mod publishing;
mod reset;
mod today;
pub mod visits;

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use super::routing::Routes;
use super::session::Staff;
use super::AppState;
use crate::i18n::Translator;
use crate::services;

pub fn routes(routes: &mut Routes) {
    routes
        .get("/healthz", healthz)
        .get("/metrics", super::metrics::serve)
        .get("/", home)
        .get("/static/app.css", stylesheet)
        .get("/static/today.js", day_view_script);
    auth::routes(routes);
    visits::routes(routes);
    editor::routes(routes);
    programme::routes(routes);
    admin::routes(routes);
    itinerary::routes(routes);
    publishing::routes(routes);
    calendars::routes(routes);
    documents::routes(routes);
    account::routes(routes);
    reset::routes(routes);
    late::routes(routes);
    today::routes(routes);
}

/// What the layout needs around every page: the language, who is signed in,
/// what they may do, and the form token.
pub struct Chrome {
    pub user: Option<String>,
    pub csrf: String,
    pub can_edit: bool,
    pub is_admin: bool,
    /// The current path, to come back to after switching language.
    pub path: String,
}

impl Chrome {
    pub fn visitor() -> Self {
        Self {
            user: None,
            csrf: String::new(),
            can_edit: false,
            is_admin: false,
            path: "/".into(),
        }
    }

    pub fn of(staff: &Staff, path: &str) -> Self {
        Self {
            user: Some(staff.user.email.clone()),
            csrf: staff.csrf.clone(),
            can_edit: staff.can_edit(),
            is_admin: staff.is_admin(),
            path: path.to_owned(),
        }
    }
}

/// What a paged list page is asked for: a search and where to start.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageParams {
    q: Option<String>,
    offset: Option<String>,
}

/// The search box, the count and the previous/next links of a paged list page.
pub struct Pager {
    /// The search as typed, for the box.
    pub q: String,
    /// Other parameters of the page the search and the links keep (the
    /// outbox's visit).
    pub kept: Vec<(&'static str, String)>,
    /// "1–50 of 1 234", or nothing when the list is empty.
    pub range: Option<String>,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// Items on one page.
    pub const SIZE: i64 = 50;

    /// The page asked for; an offset that is no number starts at the top,
    /// as a page has no field to mark.
    pub fn query(params: &PageParams) -> services::ListQuery {
        let query = services::ListQuery::parse(params.q.as_deref(), None, params.offset.as_deref())
            .unwrap_or_else(|_| {
                services::ListQuery::parse(params.q.as_deref(), None, None).unwrap_or_default()
            });
        services::ListQuery {
            limit: Self::SIZE,
            ..query
        }
    }

    /// The links of `base` around the page `query` asked for, `shown` items of `total`.
    pub fn new(
        t: Translator,
        base: &str,
        query: &services::ListQuery,
        total: i64,
        shown: usize,
    ) -> Self {
        Self::keeping(t, base, Vec::new(), query, total, shown)
    }

    /// As [`Pager::new`], the links and the search keeping `kept` too.
    pub fn keeping(
        t: Translator,
        base: &str,
        kept: Vec<(&'static str, String)>,
        query: &services::ListQuery,
        total: i64,
        shown: usize,
    ) -> Self {
        let link = |offset: i64| {
            let mut pairs = kept.clone();
            if let Some(q) = &query.q {
                pairs.push(("q", q.clone()));
            }
            if offset > 0 {
                pairs.push(("offset", offset.to_string()));
            }
            let encoded = serde_html_form::to_string(&pairs).unwrap_or_default();
            if encoded.is_empty() {
                base.to_owned()
            } else {
                format!("{base}?{encoded}")
            }
        };
        let shown = shown as i64;
        let range = (shown > 0).then(|| {
            t.with(
                "list-range",
                &[
                    ("first", crate::i18n::string(t.grouped(query.offset + 1))),
                    ("last", crate::i18n::string(t.grouped(query.offset + shown))),
                    ("total", crate::i18n::string(t.grouped(total))),
                ],
            )
        });
        Self {
            q: query.q.clone().unwrap_or_default(),
            range,
            previous: (query.offset > 0).then(|| link((query.offset - query.limit).max(0))),
            next: (query.offset + shown < total).then(|| link(query.offset + query.limit)),
            kept,
        }
    }
}

pub fn html(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .finish()
}

/// A local path to go to after sign-in or a language switch; anything else
/// becomes the visits page.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if is_same_site_path(path) => path.to_owned(),
        _ => "/visits".to_owned(),
    }
}

/// Where to land after switching the language on the page at `next` (made
/// safe as [`safe_next`] does): that page, or, when the page was the answer
/// to a form sent to a path no page has (`/users/7/role`,
/// `/meetings/3/late/apply`), the nearest page above it (`/users`,
/// `/meetings/3/late`).
pub fn page_at_or_above(next: &str) -> String {
    let next = safe_next(Some(next));
    let (path, _) = next.split_once('?').unwrap_or((&next, ""));
    if is_page(path) {
        return next;
    }
    let mut path = path.trim_end_matches('/');
    while let Some((above, _)) = path.rsplit_once('/') {
        if above.is_empty() {
            break;
        }
        if is_page(above) {
            return above.to_owned();
        }
        path = above;
    }
    "/visits".to_owned()
}

/// Whether a GET route answers at `path` (`/visits/7` matches `/visits/{id}`).
fn is_page(path: &str) -> bool {
    static PATTERNS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        super::routing::table()
            .into_iter()
            .filter(|r| r.method == actix_web::http::Method::GET)
            .map(|r| r.pattern)
            .collect()
    });
    let segments: Vec<&str> = path.split('/').collect();
    patterns.iter().any(|pattern| {
        let parts: Vec<&str> = pattern.split('/').collect();
        parts.len() == segments.len()
            && parts.iter().zip(&segments).all(|(part, segment)| {
                match part.strip_prefix('{').and_then(|p| p.split_once('}')) {
                    Some((_, suffix)) => segment.len() > suffix.len() && segment.ends_with(suffix),
                    None => part == segment,
                }
            })
    })
}

/// A path on this site, as written and once percent-decoded: one leading "/"
/// (so no scheme and no "//host"), and no backslash, control character or
/// whitespace anywhere, since browsers drop tabs and newlines from a URL
/// (`/%09/evil.example` would become `//evil.example`) and read `\` as `/`.
fn is_same_site_path(raw: &str) -> bool {
    let plain = |path: &str| {
        path.starts_with('/')
            && !path[1..].starts_with('/')
            && !path
                .chars()
                .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
    };
    plain(raw) && percent_decoded(raw).is_some_and(|decoded| plain(&decoded))
}

/// `text` with its `%XX` escapes decoded; `None` when that is not UTF-8. A
/// `%` not followed by two hex digits stays as it is.
fn percent_decoded(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// 200 when the database answers, 503 when it does not. The body (JSON) says
/// how the outbox keeps up: its status is "degraded", still with 200, when the
/// oldest due message has waited more than 15 minutes, so a load balancer
/// keeps the instance while monitoring can tell mail is not going out.
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let backlog = web::block(move || {
        services::with_connection(&pool, |conn| Ok(services::outbox::backlog(conn)?))
    })
    .await
    .ok()
    .and_then(Result::ok);
    match backlog {
        Some(backlog) => HttpResponse::Ok().json(serde_json::json!({
            "status": if backlog.stale() { "degraded" } else { "ok" },
            "database": "ok",
            "outbox": {
                "pending": backlog.pending,
                "failed": backlog.failed,
                "oldest_due_seconds": backlog.oldest_due_seconds,
            },
        })),
        None => HttpResponse::ServiceUnavailable().json(serde_json::json!({
            "status": "unavailable",
            "database": "unavailable",
        })),
    }
}

async fn home() -> HttpResponse {
    see_other("/visits")
}

async fn stylesheet() -> HttpResponse {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../../static/app.css"),
    )
}

/// The day view's only script: it reloads the page each minute, unless the
/// reader stops it.
async fn day_view_script() -> HttpResponse {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../../static/today.js"),
    )
}

/// A file built into the binary, cached for an hour.
fn asset(content_type: &str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body)
}

/// The office's own zone: where instants that belong to no visit and no
/// venue are entered and shown (sessions, tokens, calendar links, an
/// official's unavailability). Kazakhstan keeps one zone, UTC+5, since
/// 2024-03-01, and the tz database knows it.
pub const OFFICE_ZONE: chrono_tz::Tz = chrono_tz::Asia::Almaty;

/// An instant that belongs to no visit, in the office's zone with its
/// offset: "01.12.2026 18:05 (UTC+05:00)".
pub fn office_time(at: chrono::NaiveDateTime) -> String {
    at.and_utc()
        .with_timezone(&OFFICE_ZONE)
        .format("%d.%m.%Y %H:%M (UTC%:z)")
        .to_string()
}

/// Translator shorthand for page structs.
pub fn translator(staff: &Staff) -> Translator {
    staff.t
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn switching_the_language_lands_on_a_page() {
        use super::page_at_or_above;
        assert_eq!(page_at_or_above("/visits/7"), "/visits/7");
        assert_eq!(
            page_at_or_above("/participants?q=%D0%B0"),
            "/participants?q=%D0%B0"
        );
        assert_eq!(page_at_or_above("/users/7/role"), "/users");
        assert_eq!(
            page_at_or_above("/meetings/3/late/apply"),
            "/meetings/3/late"
        );
        assert_eq!(page_at_or_above("/account/tokens"), "/account");
        assert_eq!(page_at_or_above("/calendars/4/revoke"), "/calendars");
        assert_eq!(page_at_or_above("/nowhere/at/all"), "/visits");
        assert_eq!(page_at_or_above("//evil.example"), "/visits");
    }

    #[test]
    fn next_keeps_paths_on_this_site() {
        for path in [
            "/visits",
            "/visits/3/programme?day=2026-03-02",
            "/admin/users#tokens",
            "/visits?q=%D0%B2%D0%B8%D0%B7%D0%B8%D1%82",
            "/print/100%25",
        ] {
            assert_eq!(safe_next(Some(path)), path);
        }
    }

    #[test]
    fn next_sends_anything_else_to_the_visits_page() {
        for hostile in [
            "",
            "visits",
            "https://evil.example/",
            "javascript:alert(1)",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/visits\\..\\..",
            "/%09/evil.example",
            "/\t/evil.example",
            "/%0a/evil.example",
            "/%0D%0ALocation:%20https://evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5C/evil.example",
            "/%5cevil.example",
            "/ /evil.example",
            "/%20/evil.example",
            "/visits\u{0}",
            "/%00",
            "/%7F",
            "/\u{85}/evil.example",
            "/\u{a0}/evil.example",
            "/%C2%A0/evil.example",
            "/%E2%80%A8/evil.example",
            "/%FF",
            " /visits",
            "%2F%2Fevil.example",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/visits", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/visits");
    }
}
