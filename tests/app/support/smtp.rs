//! A real SMTP server on loopback for the email tests: `tests/smtp_sink.py`
//! (Python's aiosmtpd) on a free port, saving every message it accepts into a
//! folder of its own, stopped when dropped.
//!
//! Without python3 or aiosmtpd a test says "skipping an SMTP test: …" and
//! passes, except with CI=true, where it fails (CI installs aiosmtpd).
//! `SAPAR_PYTHON` points at another interpreter. The benchmark includes this
//! file too, so it depends on nothing else of the test binary.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py");

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn python() -> String {
    std::env::var("SAPAR_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// One message as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    /// The DATA bytes, headers and body.
    pub raw: Vec<u8>,
}

#[derive(serde::Deserialize)]
struct Envelope {
    mail_from: String,
    rcpt_tos: Vec<String>,
}

pub struct SmtpSink {
    child: Child,
    pub port: u16,
    folder: tempfile::TempDir,
}

impl SmtpSink {
    /// A server that accepts at once; `None` after saying why when python3 or
    /// aiosmtpd is missing outside CI.
    pub fn start() -> Option<Self> {
        Self::start_with_delay(Duration::ZERO)
    }

    /// A server that waits `delay` after saving each message before it
    /// acknowledges it.
    pub fn start_with_delay(delay: Duration) -> Option<Self> {
        if let Err(why) = Self::available() {
            if in_ci() {
                panic!("CI=true and the SMTP test server cannot run: {why}");
            }
            eprintln!("skipping an SMTP test: {why}");
            return None;
        }
        let folder = tempfile::tempdir().expect("a temporary folder");
        // The server's log goes to a file: a pipe nobody reads could fill and stall it.
        let log = folder.path().join("sink.log");
        let mut command = Command::new(python());
        command
            .arg(SCRIPT)
            .arg("0")
            .arg(folder.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("a log file"));
        if !delay.is_zero() {
            command.arg(format!("{:.3}", delay.as_secs_f64()));
        }
        let mut child = command.spawn().expect("python3 starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        let port = line
            .strip_prefix("ready ")
            .and_then(|p| p.trim().parse::<u16>().ok());
        match (read, port) {
            (Ok(_), Some(port)) => Some(Self {
                child,
                port,
                folder,
            }),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                let err = std::fs::read_to_string(&log).unwrap_or_default();
                panic!("the SMTP test server did not start: {line:?} {err}");
            }
        }
    }

    /// Whether python3 runs and has aiosmtpd.
    fn available() -> Result<(), String> {
        let output = Command::new(python())
            .args(["-c", "import aiosmtpd"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {} ({e})", python()))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{} has no aiosmtpd (pip install aiosmtpd): {}",
                python(),
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    }

    /// What `SAPAR_SMTP_URL` would say to reach this server.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn folder(&self) -> &Path {
        self.folder.path()
    }

    /// While refusing, every DATA is answered `451 4.3.0 Try again later`.
    pub fn refuse(&self, refusing: bool) {
        let flag = self.folder().join("refuse");
        if refusing {
            std::fs::write(flag, b"").expect("the refuse flag is written");
        } else if flag.exists() {
            std::fs::remove_file(flag).expect("the refuse flag is removed");
        }
    }

    /// How many messages the server has accepted so far.
    pub fn count(&self) -> usize {
        self.envelopes().len()
    }

    fn envelopes(&self) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(self.folder())
            .expect("the sink's folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        found.sort();
        found
    }

    /// Every message accepted so far, in the order it arrived.
    pub fn received(&self) -> Vec<Received> {
        self.envelopes()
            .into_iter()
            .map(|json| {
                let envelope: Envelope =
                    serde_json::from_slice(&std::fs::read(&json).expect("an envelope file"))
                        .expect("an envelope");
                Received {
                    mail_from: envelope.mail_from,
                    rcpt_tos: envelope.rcpt_tos,
                    raw: std::fs::read(json.with_extension("eml")).expect("a message file"),
                }
            })
            .collect()
    }

    /// Waits until at least `n` messages have arrived, or panics after `limit`.
    pub fn wait_for(&self, n: usize, limit: Duration) -> Vec<Received> {
        let started = Instant::now();
        loop {
            if self.count() >= n {
                return self.received();
            }
            assert!(
                started.elapsed() < limit,
                "{} message(s) arrived in {limit:?}, expected {n}",
                self.count()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Forgets what arrived so far (the numbering goes on).
    pub fn clear(&self) {
        for json in self.envelopes() {
            let _ = std::fs::remove_file(json.with_extension("eml"));
            let _ = std::fs::remove_file(json);
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
