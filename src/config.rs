//! Settings: one typed value read from the environment (and an optional `.env`),
//! validated once at start and passed to whatever needs it. No globals.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use rand::RngCore;

use crate::domain::conflicts::EngineSettings;
use crate::domain::Language;

/// Which database Sapar talks to, decided by the scheme of `SAPAR_DATABASE_URL`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// A SQLite file (bundled SQLite, WAL mode).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL, kept as given.
    Postgres(String),
}

impl DatabaseTarget {
    /// Reads `sqlite://path`, `sqlite:path`, `postgres://…` or `postgresql://…`.
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if rest.is_empty() {
                return Err(ConfigError::invalid(
                    "SAPAR_DATABASE_URL",
                    "the sqlite:// URL names no file",
                ));
            }
            return Ok(Self::Sqlite(PathBuf::from(rest)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        let scheme = url.split(':').next().unwrap_or(url);
        Err(ConfigError::invalid(
            "SAPAR_DATABASE_URL",
            format!("unknown scheme '{scheme}' (expected sqlite://FILE or postgres://…)"),
        ))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// Shows the target without a password, so it can be logged.
impl fmt::Display for DatabaseTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Self::Postgres(url) => f.write_str(&redact_url_password(url)),
        }
    }
}

impl fmt::Debug for DatabaseTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// `scheme://user:secret@host/…` becomes `scheme://user:***@host/…`.
pub fn redact_url_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// The SMTP transport, or none (messages become `.eml` files).
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        if url.starts_with("smtp://") || url.starts_with("smtps://") {
            Ok(Self(url.to_owned()))
        } else {
            Err(ConfigError::invalid(
                "SAPAR_SMTP_URL",
                "expected smtp://host:port or smtps://user:pass@host",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_url_password(&self.0))
    }
}

/// The mail domains a briefing pack may go to beyond the people Sapar knows
/// (`SAPAR_MAIL_ALLOWED_DOMAINS`, comma-separated): lower-cased, each checked
/// as a host name at start, so a typo stops the server instead of quietly
/// refusing every address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MailDomains(Vec<String>);

impl MailDomains {
    pub fn parse(list: &str) -> Result<Self, ConfigError> {
        let mut domains = Vec::new();
        for domain in list.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            let domain = domain.to_lowercase();
            if !is_host_name(&domain) {
                return Err(ConfigError::invalid(
                    "SAPAR_MAIL_ALLOWED_DOMAINS",
                    format!("'{domain}' is not a domain such as senate.gov.kz"),
                ));
            }
            domains.push(domain);
        }
        Ok(Self(domains))
    }

    /// Whether the address's domain is one listed, ignoring case. A
    /// subdomain of a listed domain is not: each is listed on its own.
    pub fn allow(&self, address: &str) -> bool {
        address
            .rsplit_once('@')
            .is_some_and(|(_, domain)| self.0.iter().any(|d| d.eq_ignore_ascii_case(domain)))
    }
}

/// Dot-separated labels of ASCII letters, digits and inner hyphens, at least
/// two of them, as in a mail address's domain.
fn is_host_name(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// How log lines are written (`SAPAR_LOG_FORMAT`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines, as a terminal shows them.
    #[default]
    Text,
    /// One JSON object a line, for a log collector.
    Json,
}

impl LogFormat {
    /// `text` or `json` (any case, spaces around ignored); unset or blank is text.
    pub fn parse(value: Option<&str>) -> Result<Self, ConfigError> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(Self::Text),
            Some(v) if v.eq_ignore_ascii_case("text") => Ok(Self::Text),
            Some(v) if v.eq_ignore_ascii_case("json") => Ok(Self::Json),
            Some(v) => Err(ConfigError::invalid(
                "SAPAR_LOG_FORMAT",
                format!("'{v}' is not text or json"),
            )),
        }
    }

    /// Reads `SAPAR_LOG_FORMAT` from the environment (after `.env`), before the
    /// other settings, since logging starts first.
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::parse(std::env::var("SAPAR_LOG_FORMAT").ok().as_deref())
    }
}

/// A secret that never shows in logs or debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database: DatabaseTarget,
    pub bind: String,
    pub base_url: String,
    pub smtp_url: Option<SmtpUrl>,
    pub mail_from: String,
    /// Where briefing packs may go besides staff, officials and participants.
    pub mail_allowed_domains: MailDomains,
    pub secret_key: Secret,
    pub default_language: Language,
    pub admin_email: Option<String>,
    pub admin_password: Option<Secret>,
    pub outbox_poll_ms: u64,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see
    /// `web::client`); empty: the TCP peer is the client.
    pub trusted_proxies: Vec<IpAddr>,
    /// Travel estimates and break rules of the conflict engine.
    pub engine: EngineSettings,
    /// The bearer token `/metrics` asks for; `None`: no `/metrics` (404).
    pub metrics_token: Option<Secret>,
    pub log_format: LogFormat,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{variable}: {reason}")]
    Invalid {
        variable: &'static str,
        reason: String,
    },
    #[error("data folder {path}: {reason}")]
    DataDir { path: PathBuf, reason: String },
}

impl ConfigError {
    fn invalid(variable: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            variable,
            reason: reason.into(),
        }
    }
}

impl Settings {
    /// Reads the process environment (after loading `.env`, if there is one).
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is normal; a malformed one is not worth refusing to start over.
        let _ = dotenvy::dotenv();
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can supply their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());

        let data_dir =
            PathBuf::from(get("SAPAR_DATA_DIR").unwrap_or_else(|| "./sapar-data".into()));
        let database = match get("SAPAR_DATABASE_URL") {
            Some(url) => DatabaseTarget::parse(url.trim())?,
            None => DatabaseTarget::Sqlite(data_dir.join("sapar.db")),
        };

        let bind = get("SAPAR_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        if bind.parse::<SocketAddr>().is_err() && !bind.contains(':') {
            return Err(ConfigError::invalid(
                "SAPAR_BIND",
                format!("'{bind}' is not an address like 127.0.0.1:8080"),
            ));
        }
        let base_url = get("SAPAR_BASE_URL")
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ConfigError::invalid(
                "SAPAR_BASE_URL",
                "expected an http:// or https:// URL",
            ));
        }

        let smtp_url = get("SAPAR_SMTP_URL")
            .map(|u| SmtpUrl::parse(u.trim()))
            .transpose()?;
        let mail_from = get("SAPAR_MAIL_FROM").unwrap_or_else(|| "Sapar <sapar@localhost>".into());
        if !mail_from.contains('@') || mail_from.contains(['\r', '\n']) {
            return Err(ConfigError::invalid(
                "SAPAR_MAIL_FROM",
                "expected an address such as Sapar <sapar@example.kz>",
            ));
        }

        let mail_allowed_domains = match get("SAPAR_MAIL_ALLOWED_DOMAINS") {
            Some(list) => MailDomains::parse(&list)?,
            None => MailDomains::default(),
        };

        let default_language = match get("SAPAR_DEFAULT_LANG") {
            Some(code) => Language::parse(code.trim()).ok_or_else(|| {
                ConfigError::invalid(
                    "SAPAR_DEFAULT_LANG",
                    format!("'{code}' is not ru, kk or en"),
                )
            })?,
            None => Language::Ru,
        };

        let outbox_poll_ms = match get("SAPAR_OUTBOX_POLL_MS") {
            Some(ms) => ms
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|ms| *ms > 0)
                .ok_or_else(|| {
                    ConfigError::invalid(
                        "SAPAR_OUTBOX_POLL_MS",
                        "expected a positive number of milliseconds",
                    )
                })?,
            None => 2000,
        };

        let trusted_proxies = match get("SAPAR_TRUSTED_PROXIES") {
            Some(list) => parse_trusted_proxies(&list)?,
            None => Vec::new(),
        };

        let secret_key = match get("SAPAR_SECRET_KEY") {
            Some(key) if key.len() < 32 => {
                return Err(ConfigError::invalid(
                    "SAPAR_SECRET_KEY",
                    "must be at least 32 characters",
                ))
            }
            Some(key) => Secret::new(key),
            // Generated and stored on first use; see `ensure_data_dir`.
            None => Secret::new(String::new()),
        };

        let number = |name: &'static str, default: i64, max: i64| -> Result<i64, ConfigError> {
            match get(name) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (0..=max).contains(n))
                    .ok_or_else(|| {
                        ConfigError::invalid(
                            name,
                            format!("expected a whole number from 0 to {max}"),
                        )
                    }),
            }
        };
        let defaults = EngineSettings::default();
        let engine = EngineSettings {
            road_speed_kmh: number("SAPAR_ROAD_SPEED_KMH", defaults.road_speed_kmh as i64, 300)?
                .max(1) as f64,
            boarding_margin_minutes: number(
                "SAPAR_TRAVEL_MARGIN_MIN",
                defaults.boarding_margin_minutes,
                600,
            )?,
            default_travel_minutes: number(
                "SAPAR_DEFAULT_TRAVEL_MIN",
                defaults.default_travel_minutes,
                1440,
            )?,
            warning_buffer_minutes: number(
                "SAPAR_TRAVEL_BUFFER_MIN",
                defaults.warning_buffer_minutes,
                600,
            )?,
            max_stretch_minutes: number(
                "SAPAR_MAX_STRETCH_MIN",
                defaults.max_stretch_minutes,
                1440,
            )?,
            ..defaults
        };

        let metrics_token = match get("SAPAR_METRICS_TOKEN") {
            Some(token) if token.trim().len() < 16 || token.trim() != token => {
                return Err(ConfigError::invalid(
                    "SAPAR_METRICS_TOKEN",
                    "must be at least 16 characters, without spaces around",
                ))
            }
            Some(token) => Some(Secret::new(token)),
            None => None,
        };
        let log_format = LogFormat::parse(lookup("SAPAR_LOG_FORMAT").as_deref())?;

        Ok(Self {
            metrics_token,
            log_format,
            engine,
            data_dir,
            database,
            bind,
            base_url,
            smtp_url,
            mail_from,
            mail_allowed_domains,
            secret_key,
            default_language,
            admin_email: get("SAPAR_ADMIN_EMAIL").map(|e| e.trim().to_owned()),
            admin_password: get("SAPAR_ADMIN_PASSWORD").map(Secret::new),
            outbox_poll_ms,
            trusted_proxies,
        })
    }

    /// Creates the data folder, checks it can be written, and loads (or creates) the
    /// secret key kept there when `SAPAR_SECRET_KEY` is not set.
    pub fn ensure_data_dir(&mut self) -> Result<(), ConfigError> {
        let dir = self.data_dir.clone();
        let fail = |reason: String| ConfigError::DataDir {
            path: dir.clone(),
            reason,
        };
        std::fs::create_dir_all(&dir).map_err(|e| fail(format!("cannot create it ({e})")))?;
        let probe = dir.join(".write-test");
        std::fs::write(&probe, b"ok").map_err(|e| fail(format!("cannot write there ({e})")))?;
        let _ = std::fs::remove_file(&probe);

        if let DatabaseTarget::Sqlite(path) = &self.database {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| ConfigError::DataDir {
                    path: parent.to_owned(),
                    reason: format!("cannot create the database folder ({e})"),
                })?;
            }
        }

        if self.secret_key.expose().is_empty() {
            self.secret_key = load_or_create_secret(&dir.join("secret.key")).map_err(fail)?;
        }
        Ok(())
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }
}

/// `SAPAR_TRUSTED_PROXIES`: IP addresses separated by commas. A name or a
/// range is refused rather than ignored, so a typo cannot quietly make every
/// client look like the proxy.
fn parse_trusted_proxies(list: &str) -> Result<Vec<IpAddr>, ConfigError> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpAddr>()
                .map(|ip| ip.to_canonical())
                .map_err(|_| {
                    ConfigError::invalid(
                        "SAPAR_TRUSTED_PROXIES",
                        format!("'{entry}' is not an IP address (expected e.g. 10.0.0.2,::1)"),
                    )
                })
        })
        .collect()
}

fn load_or_create_secret(path: &Path) -> Result<Secret, String> {
    match std::fs::read_to_string(path) {
        Ok(key) if key.trim().len() >= 32 => return Ok(Secret::new(key.trim())),
        Ok(_) => return Err(format!("{} is too short to be a key", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read {} ({e})", path.display())),
    }
    let mut bytes = [0u8; 48];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    write_private(path, key.as_bytes())
        .map_err(|e| format!("cannot write {} ({e})", path.display()))?;
    Ok(Secret::new(key))
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents)
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(move |name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn defaults_follow_the_contract() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.data_dir, PathBuf::from("./sapar-data"));
        assert_eq!(
            s.database,
            DatabaseTarget::Sqlite(PathBuf::from("./sapar-data/sapar.db"))
        );
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.base_url, "http://127.0.0.1:8080");
        assert_eq!(s.mail_from, "Sapar <sapar@localhost>");
        assert_eq!(s.default_language, Language::Ru);
        assert_eq!(s.outbox_poll_ms, 2000);
        assert!(s.smtp_url.is_none());
        assert!(s.trusted_proxies.is_empty());
        assert!(s.metrics_token.is_none());
        assert_eq!(s.log_format, LogFormat::Text);
    }

    #[test]
    fn the_log_format_is_text_or_json() {
        for (value, format) in [
            ("text", LogFormat::Text),
            ("json", LogFormat::Json),
            (" JSON ", LogFormat::Json),
            ("", LogFormat::Text),
        ] {
            let s = settings(&[("SAPAR_LOG_FORMAT", value)]).unwrap();
            assert_eq!(s.log_format, format, "{value:?}");
        }
        let err = settings(&[("SAPAR_LOG_FORMAT", "yaml")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "SAPAR_LOG_FORMAT: 'yaml' is not text or json"
        );
    }

    #[test]
    fn a_metrics_token_is_long_enough_and_never_shown() {
        let s = settings(&[("SAPAR_METRICS_TOKEN", "scrape-me-0123456789")]).unwrap();
        let token = s.metrics_token.clone().unwrap();
        assert_eq!(token.expose(), "scrape-me-0123456789");
        assert!(!format!("{s:?}").contains("scrape-me"));
        for bad in ["short", " scrape-me-0123456789"] {
            let err = settings(&[("SAPAR_METRICS_TOKEN", bad)]).unwrap_err();
            assert!(
                err.to_string().starts_with("SAPAR_METRICS_TOKEN: "),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn trusted_proxies_are_ip_addresses() {
        let s = settings(&[("SAPAR_TRUSTED_PROXIES", " 10.0.0.2, ::1,,::ffff:10.0.0.3 ")]).unwrap();
        let expected: Vec<IpAddr> = ["10.0.0.2", "::1", "10.0.0.3"]
            .iter()
            .map(|a| a.parse().unwrap())
            .collect();
        assert_eq!(s.trusted_proxies, expected);
        for bad in [
            "proxy.internal",
            "10.0.0.0/8",
            "10.0.0.2:8080",
            "10.0.0.256",
        ] {
            let err = settings(&[("SAPAR_TRUSTED_PROXIES", bad)]).unwrap_err();
            assert!(
                err.to_string().starts_with("SAPAR_TRUSTED_PROXIES: '"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn an_unknown_database_scheme_is_refused_by_name() {
        let err = settings(&[("SAPAR_DATABASE_URL", "mysql://localhost/x")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "SAPAR_DATABASE_URL: unknown scheme 'mysql' (expected sqlite://FILE or postgres://…)"
        );
    }

    #[test]
    fn postgres_passwords_do_not_show() {
        let target = DatabaseTarget::parse("postgres://app:hunter2@db:5432/sapar").unwrap();
        assert_eq!(target.to_string(), "postgres://app:***@db:5432/sapar");
        let smtp = SmtpUrl::parse("smtps://mailer:pa55@mail.gov.kz").unwrap();
        assert_eq!(format!("{smtp:?}"), "smtps://mailer:***@mail.gov.kz");
    }

    #[test]
    fn bad_values_are_named() {
        assert!(settings(&[("SAPAR_DEFAULT_LANG", "de")])
            .unwrap_err()
            .to_string()
            .starts_with("SAPAR_DEFAULT_LANG"));
        assert!(settings(&[("SAPAR_OUTBOX_POLL_MS", "soon")])
            .unwrap_err()
            .to_string()
            .starts_with("SAPAR_OUTBOX_POLL_MS"));
        assert!(settings(&[("SAPAR_SMTP_URL", "http://x")]).is_err());
    }

    #[test]
    fn allowed_mail_domains_are_lower_cased_and_checked() {
        assert_eq!(
            settings(&[]).unwrap().mail_allowed_domains,
            MailDomains::default()
        );
        let s = settings(&[("SAPAR_MAIL_ALLOWED_DOMAINS", " Senate.GOV.kz, akimat.kz ,")]).unwrap();
        let domains = &s.mail_allowed_domains;
        assert!(domains.allow("aide@senate.gov.kz"));
        assert!(domains.allow("Aide@SENATE.gov.KZ"));
        assert!(domains.allow("press@akimat.kz"));
        assert!(!domains.allow("aide@mail.senate.gov.kz"), "no subdomains");
        assert!(!domains.allow("aide@senate.gov.kz.example.com"));
        assert!(!domains.allow("senate.gov.kz"));
        assert!(!MailDomains::default().allow("aide@senate.gov.kz"));
        for bad in [
            "@senate.gov.kz",
            "senate",
            "-senate.kz",
            "sen ate.kz",
            "senate..kz",
            "*.kz",
        ] {
            let err = settings(&[("SAPAR_MAIL_ALLOWED_DOMAINS", bad)]).unwrap_err();
            assert!(
                err.to_string().starts_with("SAPAR_MAIL_ALLOWED_DOMAINS: "),
                "{bad}: {err}"
            );
        }
    }
}
