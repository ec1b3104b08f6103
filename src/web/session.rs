//! Staff sessions: the encrypted, HttpOnly cookie carries only the session's
//! random secret; the session itself (whose, its form token, when it ends) is
//! a row in the database, so signing out or disabling a user ends it at once
//! on every instance. Also the extractors that pages use to know who asks.

use std::future::Future;
use std::pin::Pin;

use actix_web::body::MessageBody;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, CookieJar, Key, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use rand::RngCore;

use super::client::client_address;
use super::error::AppError;
use super::AppState;
use crate::domain::{Language, Role};
use crate::i18n::{self, Translator};
use crate::services::sessions;
use crate::services::{SessionRow, UserRow};

/// The session cookie's names over https and over plain http. With https the
/// `__Host-` prefix makes browsers keep the cookie only when it is Secure, for
/// the whole site and set by this very host (no Domain), so that a sibling
/// subdomain cannot plant or shadow it.
const SESSION_COOKIE: (&str, &str) = ("__Host-sapar_session", "sapar_session");
/// A signed random value for forms shown before sign-in (the sign-in form itself).
const PRE_SESSION_COOKIE: (&str, &str) = ("__Host-sapar_csrf", "sapar_csrf");
pub use crate::services::sessions::SESSION_HOURS;

pub fn random_token() -> String {
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The cookie key, derived from the installation's secret.
pub fn cookie_key(secret: &str) -> Key {
    Key::derive_from(secret.as_bytes())
}

/// Whether Sapar is reached over https, so its cookies can be Secure.
pub fn secure(state: &AppState) -> bool {
    state.settings.base_url.starts_with("https://")
}

/// The cookie name for this installation: `__Host-` prefixed over https.
fn cookie_name(state: &AppState, (https, http): (&'static str, &'static str)) -> &'static str {
    if secure(state) {
        https
    } else {
        http
    }
}

/// Every cookie Sapar sets: the whole site, no Domain, not for scripts.
fn site_cookie(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure(state))
        .finish()
}

fn private_cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    max_age: CookieDuration,
) -> Cookie<'static> {
    let mut jar = CookieJar::new();
    let mut cookie = site_cookie(state, name, value);
    cookie.set_max_age(max_age);
    jar.private_mut(&state.cookie_key).add(cookie);
    jar.get(name)
        .cloned()
        .unwrap_or_else(|| Cookie::new(name, ""))
}

fn read_private(req: &HttpRequest, state: &AppState, name: &str) -> Option<String> {
    let raw = req.cookie(name)?;
    let mut jar = CookieJar::new();
    jar.add_original(raw.into_owned());
    jar.private(&state.cookie_key)
        .get(name)
        .map(|c| c.value().to_owned())
}

/// The cookie that carries a new session's secret.
pub fn session_cookie(state: &AppState, secret: &str) -> Cookie<'static> {
    private_cookie(
        state,
        cookie_name(state, SESSION_COOKIE),
        secret.to_owned(),
        CookieDuration::hours(SESSION_HOURS),
    )
}

/// Starts a server-side session for `user`; the cookie to set.
pub async fn start_session(
    req: &HttpRequest,
    state: &AppState,
    user: &UserRow,
) -> Result<Cookie<'static>, AppError> {
    let user_id = user.id;
    let seen_from = where_from(req, state);
    let started = state
        .db(move |conn| sessions::start(conn, user_id, &seen_from))
        .await?;
    Ok(session_cookie(state, &started.secret))
}

/// Ends the request's session on the server, if it has one.
pub async fn end_session(req: &HttpRequest, state: &AppState) -> Result<(), AppError> {
    if let Some(secret) = read_private(req, state, cookie_name(state, SESSION_COOKIE)) {
        state.db(move |conn| sessions::end(conn, &secret)).await?;
    }
    Ok(())
}

/// A short "where" for the session list: the client address and browser.
fn where_from(req: &HttpRequest, state: &AppState) -> String {
    let agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let agent: String = agent.chars().take(160).collect();
    let address = client_address(req, state);
    if agent.is_empty() {
        address
    } else {
        format!("{address}, {agent}")
    }
}

/// The live session of the request and its user, looked up once per request.
async fn live_session(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Option<(SessionRow, UserRow)>, AppError> {
    if let Some(LiveSession(found)) = req.extensions().get::<LiveSession>() {
        return Ok(found.clone());
    }
    let Some(secret) = read_private(req, state, cookie_name(state, SESSION_COOKIE)) else {
        return Ok(None);
    };
    let found = state.db(move |conn| sessions::find(conn, &secret)).await?;
    req.extensions_mut().insert(LiveSession(found.clone()));
    Ok(found)
}

/// The session a request came with (or that it came with none that is live),
/// looked up once per request.
#[derive(Clone)]
struct LiveSession(Option<(SessionRow, UserRow)>);

/// Looks the request's session up before its handler runs. The extractors a
/// handler checks a role with (`Staff`, `Planner`, `Admin`) then answer at
/// once, before a form or body extractor can: actix answers with the first
/// extractor to fail, so without this a viewer posting a bad form could be
/// told what is wrong with the form (400) instead of being refused (403),
/// depending on which lookup finished first.
pub async fn identify(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(state) = req.app_data::<web::Data<AppState>>().cloned() {
        // A failed lookup is not cached: the extractor that needs the
        // session meets the failure again and answers it.
        let _ = live_session(req.request(), &state).await;
    }
    next.call(req).await
}

/// The cookie that ends the session in the browser.
pub fn ended_session_cookie(state: &AppState) -> Cookie<'static> {
    let mut cookie = site_cookie(state, cookie_name(state, SESSION_COOKIE), String::new());
    cookie.make_removal();
    cookie
}

/// The pre-session CSRF value of the sign-in form, and the cookie to set when new.
pub fn pre_session_token(req: &HttpRequest, state: &AppState) -> (String, Option<Cookie<'static>>) {
    let name = cookie_name(state, PRE_SESSION_COOKIE);
    match read_private(req, state, name) {
        Some(token) => (token, None),
        None => {
            let token = random_token();
            let cookie = private_cookie(
                state,
                name,
                token.clone(),
                CookieDuration::hours(SESSION_HOURS),
            );
            (token, Some(cookie))
        }
    }
}

pub fn pre_session_matches(req: &HttpRequest, state: &AppState, submitted: &str) -> bool {
    read_private(req, state, cookie_name(state, PRE_SESSION_COOKIE))
        .is_some_and(|t| constant_time_eq(&t, submitted))
}

/// The form token of the request's session, if it has a live one.
pub(super) async fn session_csrf(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Option<String>, AppError> {
    Ok(live_session(req, state).await?.map(|(s, _)| s.csrf))
}

pub(super) fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The language for a request without a signed-in user: `?lang=`, else the
/// browser's `Accept-Language`, else the configured default.
pub fn visitor_language(req: &HttpRequest, state: &AppState) -> Language {
    let query =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok();
    query
        .and_then(|q| q.get("lang").and_then(|l| Language::parse(l)))
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(i18n::negotiate)
        })
        .unwrap_or(state.settings.default_language)
}

/// A signed-in staff member.
pub struct Staff {
    pub user: UserRow,
    pub role: Role,
    pub csrf: String,
    /// The id of the session this request came with.
    pub session_id: i64,
    pub t: Translator,
}

impl Staff {
    pub fn can_edit(&self) -> bool {
        self.role.can_edit()
    }

    pub fn is_admin(&self) -> bool {
        self.role.can_manage_users()
    }
}

async fn staff_of(req: HttpRequest) -> Result<Staff, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::Blocking("no application state".into()))?
        .clone();
    let next = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let sign_in = || AppError::SignInRequired { next: next.clone() };
    let (session, user) = live_session(&req, &state).await?.ok_or_else(sign_in)?;
    let role = user.role;
    let language = user.language;
    Ok(Staff {
        user,
        role,
        csrf: session.csrf,
        session_id: session.id,
        t: Translator(language),
    })
}

impl FromRequest for Staff {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        Box::pin(staff_of(req.clone()))
    }
}
