//! The web side: actix-web routes, the shared state they run with, and the
//! server itself.

pub mod api;
pub mod error;
pub mod extract;
pub mod pages;
pub mod routing;
pub mod session;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::middleware::{self, Next};
use actix_web::{web, App, HttpServer};

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
}

impl AppState {
    pub fn new(pool: Pool, settings: Settings) -> Self {
        Self {
            cookie_key: session::cookie_key(settings.secret_key.expose()),
            pool,
            settings: Arc::new(settings),
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
/// tokens), status and time taken.
async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    // A feed's path is its secret: the log keeps that a feed was read, not which.
    let path = match req.path() {
        p if p.starts_with("/calendar/") => "/calendar/….ics".to_owned(),
        p => p.to_owned(),
    };
    let response = next.call(req).await?;
    tracing::info!(
        target: "sapar::http",
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(response)
}

fn security_headers() -> middleware::DefaultHeaders {
    middleware::DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        ))
        .add(("X-Frame-Options", "DENY"))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
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
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .wrap(security_headers())
            .wrap(middleware::from_fn(session::identify))
            .wrap(middleware::from_fn(api::identify))
            .wrap(middleware::from_fn(log_request))
            .configure(routes)
            .default_service(web::to(|| async {
                Err::<actix_web::HttpResponse, _>(AppError::NotFound)
            }))
    })
    .listen(listener)?
    .run();
    Ok(server)
}
