//! The web side: actix-web routes, the shared state they run with, and the
//! server itself.

pub mod api;
pub mod client;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod pages;
pub mod routing;
pub mod session;

use std::any::Any;
use std::net::TcpListener;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::middleware::{self, Next};
use actix_web::{web, App, HttpServer};
use futures_util::FutureExt;

use crate::config::Settings;
use crate::services::{self, Conn, Pool, ServiceError};
use error::AppError;
use routing::{RouteEntry, Routes};

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    /// Encrypts and authenticates session cookies; derived from the secret key.
    pub cookie_key: actix_web::cookie::Key,
    /// The request counters `/metrics` shows.
    pub metrics: Arc<metrics::Registry>,
}

impl AppState {
    pub fn new(pool: Pool, settings: Settings) -> Self {
        Self {
            cookie_key: session::cookie_key(settings.secret_key.expose()),
            pool,
            settings: Arc::new(settings),
            metrics: Arc::default(),
        }
    }
}

impl AppState {
    /// Runs blocking database work on actix's thread pool, with a pooled connection.
    pub async fn db<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut Conn) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || services::with_connection(&pool, work))
            .await?
            .map_err(AppError::from)
    }
}

/// One line per request: method, path (never the query, which may carry
/// tokens), status and time taken; and the request counted for `/metrics`
/// under its route pattern (`/visits/{id}`), never its raw path.
async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| metrics::UNMATCHED.to_owned());
    let registry = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.metrics.clone());
    // A feed's or a reset link's path is its secret: the log keeps that one
    // was used, not which.
    let path = match req.path() {
        p if p.starts_with("/calendar/") => "/calendar/….ics".to_owned(),
        p if p.starts_with("/reset/") => "/reset/…".to_owned(),
        p => p.to_owned(),
    };
    let response = next.call(req).await;
    let status = match &response {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    let took = started.elapsed();
    if let Some(registry) = registry {
        registry.observe(&route, method.as_str(), status.as_u16(), took);
    }
    tracing::info!(
        target: "sapar::http",
        "{method} {path} {} {:.1}ms",
        status.as_u16(),
        took.as_secs_f64() * 1000.0
    );
    response
}

/// A panic in a handler answers that one request with a plain 500 and is
/// logged; without this boundary it would take the worker thread down with
/// every other request it was serving. The answer is an error rather than a
/// response: a response needs the request, which routing must hold alone.
async fn catch_panics(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let (method, path) = (req.method().clone(), req.path().to_owned());
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            tracing::error!(
                %method,
                %path,
                "handler panicked: {}",
                panic_message(panic.as_ref())
            );
            Err(actix_web::error::ErrorInternalServerError(
                "500 Internal Server Error",
            ))
        }
    }
}

/// The text a panic was raised with, when it was raised with text.
fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// Headers every answer carries unless its handler set its own. `no-store`
/// keeps signed-in pages and API answers out of shared and browser caches
/// (the stylesheet sets its own caching). Over https, HSTS tells browsers to
/// come back only over https.
fn security_headers(https: bool) -> middleware::DefaultHeaders {
    let headers = middleware::DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        ))
        .add(("X-Frame-Options", "DENY"))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("Cache-Control", "no-store"));
    if https {
        headers.add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
    } else {
        headers
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    register(&mut Routes::new(cfg, &mut Vec::new()));
}

fn register(routes: &mut Routes) {
    api::routes(routes);
    pages::routes(routes);
}

/// Every route the app answers (method and path pattern), read from the
/// registration itself.
pub fn route_table() -> Vec<RouteEntry> {
    routing::table()
}

/// Binds the listener; a taken or invalid address is reported, not panicked on.
pub fn listen(addr: &str) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr)
}

/// The HTTP server over an already bound listener.
pub fn server(state: AppState, listener: TcpListener) -> std::io::Result<Server> {
    let https = session::secure(&state);
    // Each blocking task holds or waits for one of the pool's connections, so
    // threads beyond the pool's size only wait; fewer threads also keep the
    // allocator's per-thread arenas, and with them the memory, few.
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let blocking = (state.pool.max_size() as usize).div_ceil(workers).max(1);
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .wrap(middleware::from_fn(session::identify))
            .wrap(middleware::from_fn(api::identify))
            .wrap(middleware::from_fn(catch_panics))
            .wrap(security_headers(https))
            .wrap(middleware::from_fn(log_request))
            .configure(routes)
            .default_service(web::to(|| async {
                Err::<actix_web::HttpResponse, _>(AppError::NotFound)
            }))
    })
    .workers(workers)
    .worker_max_blocking_threads(blocking)
    .listen(listener)?
    .run();
    Ok(server)
}

#[cfg(test)]
mod tests {
    use actix_web::test::{call_service, init_service, read_body, try_call_service, TestRequest};

    use actix_web::HttpResponse;

    use super::*;
    use crate::config::{DatabaseTarget, Secret, Settings};
    use crate::web::error::AppError;

    async fn panics() -> HttpResponse {
        panic!("a bug in a handler")
    }

    async fn answers() -> HttpResponse {
        HttpResponse::Ok().body("still here")
    }

    #[actix_web::test]
    async fn a_panicking_handler_answers_500_and_the_same_app_serves_the_next_request() {
        let app = init_service(
            App::new()
                .wrap(middleware::from_fn(catch_panics))
                .route("/panics", web::get().to(panics))
                .route("/answers", web::get().to(answers)),
        )
        .await;
        // The server turns the error into its answer, as `from_error` does here.
        let error = try_call_service(&app, TestRequest::get().uri("/panics").to_request())
            .await
            .err()
            .expect("the panic answered as an error");
        let response = HttpResponse::from_error(error);
        assert_eq!(response.status(), 500);
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .unwrap();
        assert_eq!(body, "500 Internal Server Error");
        let response = call_service(&app, TestRequest::get().uri("/answers").to_request()).await;
        assert_eq!(response.status(), 200);
        assert_eq!(read_body(response).await, "still here");
    }

    async fn panics_in_the_database_work(
        state: web::Data<AppState>,
    ) -> Result<HttpResponse, AppError> {
        state
            .db(|_| -> Result<(), ServiceError> { panic!("a bug in a use case") })
            .await?;
        Ok(HttpResponse::Ok().finish())
    }

    #[actix_web::test]
    async fn a_panic_in_database_work_is_a_500_without_the_boundary() {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = Settings::from_lookup(|_| None).unwrap();
        settings.database = DatabaseTarget::Sqlite(dir.path().join("sapar.db"));
        settings.secret_key = Secret::new("k".repeat(32));
        let (pool, _) = crate::app::prepare(&settings, false).unwrap();
        let app = init_service(
            App::new()
                .app_data(web::Data::new(AppState::new(pool, settings)))
                .route("/work", web::get().to(panics_in_the_database_work)),
        )
        .await;
        let response = call_service(&app, TestRequest::get().uri("/work").to_request()).await;
        assert_eq!(response.status(), 500);
    }
}
