//! `/metrics`: counters kept by the request middleware, and gauges read at
//! scrape time (the outbox, the database pool, the conflict engine's time),
//! written in the Prometheus text format by hand. Off (404) unless
//! `SAPAR_METRICS_TOKEN` is set; then only for `Authorization: Bearer` it.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use super::error::AppError;
use super::AppState;
use crate::services;

/// The upper bounds, in seconds, of the request duration histogram's buckets.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The route label of a request no route matched: one label for every such
/// path, so a scan of random paths cannot grow the registry.
pub const UNMATCHED: &str = "(unmatched)";

/// Requests by route pattern, method and status, and their durations by
/// route. One short lock per request; the keys are bounded by the route table.
#[derive(Debug, Default)]
pub struct Registry {
    inner: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    requests: HashMap<(String, String, u16), u64>,
    durations: HashMap<String, Histogram>,
}

#[derive(Debug, Default, Clone)]
struct Histogram {
    /// Observations at or under each bound of [`BUCKETS`] (not cumulative).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Registry {
    /// Counts one answered request.
    pub fn observe(&self, route: &str, method: &str, status: u16, took: Duration) {
        let seconds = took.as_secs_f64();
        let mut counts = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *counts
            .requests
            .entry((route.to_owned(), method.to_owned(), status))
            .or_default() += 1;
        let histogram = counts.durations.entry(route.to_owned()).or_default();
        if let Some(i) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            histogram.buckets[i] += 1;
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// The HTTP counters in the exposition format, sorted so scrapes compare.
    fn write_http(&self, out: &mut String) {
        let (mut requests, mut durations) = {
            let counts = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            (
                counts
                    .requests
                    .iter()
                    .map(|(k, v)| (k.clone(), *v))
                    .collect::<Vec<_>>(),
                counts
                    .durations
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect::<Vec<_>>(),
            )
        };
        requests.sort();
        durations.sort_by(|a, b| a.0.cmp(&b.0));
        out.push_str(
            "# HELP sapar_http_requests_total HTTP requests answered, by route pattern, method and status.\n\
             # TYPE sapar_http_requests_total counter\n",
        );
        for ((route, method, status), n) in &requests {
            let _ = writeln!(
                out,
                "sapar_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                escape(route),
                escape(method)
            );
        }
        out.push_str(
            "# HELP sapar_http_request_duration_seconds Time to answer HTTP requests, by route pattern.\n\
             # TYPE sapar_http_request_duration_seconds histogram\n",
        );
        for (route, histogram) in &durations {
            let route = escape(route);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(histogram.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "sapar_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "sapar_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\n\
                 sapar_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\n\
                 sapar_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                histogram.count, histogram.sum, histogram.count
            );
        }
    }
}

/// A label value as the format wants it: backslash, quote and newline escaped.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Whether the request carries the token, compared in time that does not
/// depend on where the two differ (or on their lengths: digests are compared).
fn authorised(req: &HttpRequest, token: &str) -> bool {
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    let (a, b) = (Sha256::digest(given.as_bytes()), Sha256::digest(token));
    let differ = a
        .iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y));
    !given.is_empty() && differ == 0
}

/// `GET /metrics`.
pub async fn serve(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let Some(token) = &state.settings.metrics_token else {
        return Err(AppError::NotFound);
    };
    if !authorised(&req, token.expose()) {
        return Ok(HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .content_type("text/plain; charset=utf-8")
            .body("a metrics token is needed: Authorization: Bearer <SAPAR_METRICS_TOKEN>\n"));
    }
    let pool = state.pool.clone();
    let backlog = state
        .db(|conn| Ok(services::outbox::backlog(conn)?))
        .await?;
    let pool_use = services::pool_use(&pool);
    let engine = services::conflicts::engine_time();

    let mut out = String::new();
    state.metrics.write_http(&mut out);
    let _ = write!(
        out,
        "# HELP sapar_outbox_messages Outbox messages waiting to be sent (pending) and given up on (failed).\n\
         # TYPE sapar_outbox_messages gauge\n\
         sapar_outbox_messages{{status=\"pending\"}} {}\n\
         sapar_outbox_messages{{status=\"failed\"}} {}\n\
         # HELP sapar_outbox_oldest_due_seconds Seconds since the oldest pending message became due (0: none is due).\n\
         # TYPE sapar_outbox_oldest_due_seconds gauge\n\
         sapar_outbox_oldest_due_seconds {}\n\
         # HELP sapar_conflict_engine_seconds Time spent finding conflicts.\n\
         # TYPE sapar_conflict_engine_seconds summary\n\
         sapar_conflict_engine_seconds_sum {}\n\
         sapar_conflict_engine_seconds_count {}\n\
         # HELP sapar_db_pool_connections Database connections open in the pool.\n\
         # TYPE sapar_db_pool_connections gauge\n\
         sapar_db_pool_connections {}\n\
         # HELP sapar_db_pool_idle_connections Open database connections not in use.\n\
         # TYPE sapar_db_pool_idle_connections gauge\n\
         sapar_db_pool_idle_connections {}\n\
         # HELP sapar_db_pool_max_connections The most connections the pool opens.\n\
         # TYPE sapar_db_pool_max_connections gauge\n\
         sapar_db_pool_max_connections {}\n",
        backlog.pending,
        backlog.failed,
        backlog.oldest_due_seconds.unwrap_or(0),
        engine.seconds,
        engine.runs,
        pool_use.connections,
        pool_use.idle,
        pool_use.max,
    );
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_fall_in_cumulative_buckets() {
        let registry = Registry::default();
        registry.observe("/visits/{id}", "GET", 200, Duration::from_millis(3));
        registry.observe("/visits/{id}", "GET", 200, Duration::from_millis(300));
        registry.observe("/visits/{id}", "POST", 422, Duration::from_secs(30));
        let mut out = String::new();
        registry.write_http(&mut out);
        assert!(out.contains(
            "sapar_http_requests_total{route=\"/visits/{id}\",method=\"GET\",status=\"200\"} 2\n"
        ));
        assert!(out.contains(
            "sapar_http_requests_total{route=\"/visits/{id}\",method=\"POST\",status=\"422\"} 1\n"
        ));
        assert!(out.contains(
            "sapar_http_request_duration_seconds_bucket{route=\"/visits/{id}\",le=\"0.005\"} 1\n"
        ));
        assert!(out.contains(
            "sapar_http_request_duration_seconds_bucket{route=\"/visits/{id}\",le=\"0.5\"} 2\n"
        ));
        assert!(out.contains(
            "sapar_http_request_duration_seconds_bucket{route=\"/visits/{id}\",le=\"10\"} 2\n"
        ));
        assert!(out.contains(
            "sapar_http_request_duration_seconds_bucket{route=\"/visits/{id}\",le=\"+Inf\"} 3\n"
        ));
        assert!(
            out.contains("sapar_http_request_duration_seconds_count{route=\"/visits/{id}\"} 3\n")
        );
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
