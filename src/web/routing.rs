//! Route registration that keeps a list of what it registered: every route
//! goes through [`Routes`], so [`table`] is the app's routes as actix has them,
//! and a test can hold each one to an access decision without the list being
//! typed twice (`sapar::web::route_table`).

use actix_web::http::Method;
use actix_web::{web, App, FromRequest, Handler, Responder};

/// One registered route: its method and its full path pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteEntry {
    pub method: Method,
    pub pattern: String,
}

/// A `ServiceConfig` that records each route it is given.
pub struct Routes<'a> {
    cfg: &'a mut web::ServiceConfig,
    /// The scope the routes are registered in ("" at the root).
    prefix: String,
    seen: &'a mut Vec<RouteEntry>,
}

macro_rules! method {
    ($name:ident, $method:ident) => {
        pub fn $name<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
        where
            F: Handler<Args>,
            Args: FromRequest + 'static,
            F::Output: Responder + 'static,
        {
            self.add(
                Method::$method,
                path,
                web::method(Method::$method).to(handler),
            )
        }
    };
}

impl<'a> Routes<'a> {
    pub fn new(cfg: &'a mut web::ServiceConfig, seen: &'a mut Vec<RouteEntry>) -> Self {
        Self {
            cfg,
            prefix: String::new(),
            seen,
        }
    }

    method!(get, GET);
    method!(post, POST);
    method!(put, PUT);
    method!(patch, PATCH);
    method!(delete, DELETE);

    fn add(&mut self, method: Method, path: &str, route: actix_web::Route) -> &mut Self {
        self.seen.push(RouteEntry {
            method,
            pattern: format!("{}{path}", self.prefix),
        });
        self.cfg.route(path, route);
        self
    }

    /// Registers the routes `inner` gives under `path`, in the scope `dress`
    /// makes of it (its app data, its default service).
    pub fn scope(
        &mut self,
        path: &str,
        dress: impl FnOnce(actix_web::Scope) -> actix_web::Scope,
        inner: impl FnOnce(&mut Routes),
    ) -> &mut Self {
        let prefix = format!("{}{path}", self.prefix);
        let seen = &mut *self.seen;
        let scope =
            dress(web::scope(path)).configure(|cfg| inner(&mut Routes { cfg, prefix, seen }));
        self.cfg.service(scope);
        self
    }
}

/// Every route the app registers, in registration order.
pub fn table() -> Vec<RouteEntry> {
    let mut seen = Vec::new();
    let _ = App::new().configure(|cfg| super::register(&mut Routes::new(cfg, &mut seen)));
    seen
}
