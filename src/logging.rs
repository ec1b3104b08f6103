//! Log lines on standard error: readable text (the default) or, with
//! `SAPAR_LOG_FORMAT=json`, one JSON object a line for a log collector. The
//! JSON writer is a small `FormatEvent` of our own rather than another crate.

use std::fmt;

use chrono::{SecondsFormat, Utc};
use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// The target of the one line each request is logged with
/// (`METHOD PATH STATUS TIMEms`).
pub const HTTP_TARGET: &str = "sapar::http";

/// Starts logging to standard error in `format`, at `RUST_LOG`'s levels
/// (`info` when unset).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.with_target(false).init(),
        LogFormat::Json => builder.event_format(JsonLines).init(),
    }
}

/// Writes each event as `{"timestamp", "level", "target", "message", …fields}`
/// on one line; a request's line also as `method`, `path`, `status` and `ms`.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonLines;

impl<S, N> FormatEvent<S, N> for JsonLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        writeln!(writer, "{}", json_line(event))
    }
}

fn json_line(event: &Event<'_>) -> Value {
    let meta = event.metadata();
    let mut fields = Fields::default();
    event.record(&mut fields);
    let message = match fields.0.remove("message") {
        Some(Value::String(text)) => text,
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let mut line = Map::new();
    line.insert(
        "timestamp".into(),
        Utc::now()
            .to_rfc3339_opts(SecondsFormat::Millis, true)
            .into(),
    );
    line.insert("level".into(), meta.level().to_string().into());
    line.insert("target".into(), meta.target().into());
    if meta.target() == HTTP_TARGET {
        if let Some(request) = request_fields(&message) {
            line.extend(request);
        }
    }
    line.insert("message".into(), message.into());
    for (name, value) in fields.0 {
        line.entry(name).or_insert(value);
    }
    Value::Object(line)
}

/// `GET /visits/3 200 1.5ms` as its fields; `None` for any other text.
fn request_fields(message: &str) -> Option<Map<String, Value>> {
    let mut parts = message.split(' ');
    let (method, path, status, ms) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let status: u16 = status.parse().ok()?;
    let ms: f64 = ms.strip_suffix("ms")?.parse().ok()?;
    let mut fields = Map::new();
    fields.insert("method".into(), method.into());
    fields.insert("path".into(), path.into());
    fields.insert("status".into(), status.into());
    fields.insert("ms".into(), serde_json::Number::from_f64(ms)?.into());
    Some(fields)
}

/// An event's fields as JSON values: numbers and booleans as such, anything
/// else as its text.
#[derive(Default)]
struct Fields(Map<String, Value>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name().into(), format!("{value:?}").into());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        let value = serde_json::Number::from_f64(value)
            .map(Value::Number)
            .unwrap_or_else(|| value.to_string().into());
        self.0.insert(field.name().into(), value);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Collects what the subscriber writes.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn lines(log: impl FnOnce()) -> Vec<Value> {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .event_format(JsonLines)
            .finish();
        tracing::subscriber::with_default(subscriber, log);
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        text.lines()
            .map(|line| serde_json::from_str(line).expect("one JSON object a line"))
            .collect()
    }

    #[test]
    fn a_request_line_has_its_fields() {
        let logged = lines(
            || tracing::info!(target: "sapar::http", "{} {} {} {:.1}ms", "GET", "/visits/3", 200, 1.25),
        );
        assert_eq!(logged.len(), 1);
        let line = &logged[0];
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["target"], "sapar::http");
        assert_eq!(line["message"], "GET /visits/3 200 1.2ms");
        assert_eq!(line["method"], "GET");
        assert_eq!(line["path"], "/visits/3");
        assert_eq!(line["status"], 200);
        assert_eq!(line["ms"], 1.2);
        let stamp = line["timestamp"].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
            "{stamp}"
        );
    }

    #[test]
    fn other_events_keep_their_fields_and_stay_on_one_line() {
        let logged = lines(|| {
            tracing::warn!(migrations = 3, database = %"sqlite://x", "ready\nsecond line");
        });
        assert_eq!(logged.len(), 1);
        let line = &logged[0];
        assert_eq!(line["level"], "WARN");
        assert_eq!(line["message"], "ready\nsecond line");
        assert_eq!(line["migrations"], 3);
        assert_eq!(line["database"], "sqlite://x");
        assert!(line.get("method").is_none());
    }
}
