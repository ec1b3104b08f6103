//! A real SMTP server on loopback for the email tests and the outbox
//! benchmark: plain `std::net` and a thread per connection, on a free port,
//! keeping every message it accepts in memory, stopped when dropped.
//!
//! It speaks what lettre needs (greeting, EHLO/HELO advertising 8BITMIME and
//! SMTPUTF8, MAIL FROM, RCPT TO, DATA with dot-stuffing undone, RSET, NOOP,
//! QUIT) and accepts every message, unless told to refuse for a while. It
//! needs nothing outside the Rust toolchain, so the email tests run wherever
//! `cargo test` runs. The benchmark includes this file too, so it depends on
//! nothing else of the test binary.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The name the server gives itself in its greeting.
const HOSTNAME: &str = "sapar-sink";

/// One message as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    /// The DATA bytes, headers and body, dot-stuffing undone.
    pub raw: Vec<u8>,
}

/// What the listener and its connections share with the handle.
struct Shared {
    messages: Mutex<Vec<Received>>,
    arrived: Condvar,
    refusing: AtomicBool,
    stopping: AtomicBool,
    /// The last queue number given; it goes on after `clear`.
    numbers: AtomicUsize,
    delay: Duration,
    /// The open connections by number, so that dropping the server closes them.
    connections: Mutex<HashMap<usize, TcpStream>>,
}

pub struct SmtpSink {
    pub port: u16,
    shared: Arc<Shared>,
    listener: Option<JoinHandle<()>>,
}

impl SmtpSink {
    /// A server that acknowledges each message at once. Always `Some`: the
    /// `Option` is kept for the callers that used to skip without a server.
    pub fn start() -> Option<Self> {
        Self::start_with_delay(Duration::ZERO)
    }

    /// A server that waits `delay` after keeping each message before it
    /// acknowledges it: a slow server, so a test can stop its client
    /// mid-batch, possibly after a message arrived but before the client
    /// heard so.
    pub fn start_with_delay(delay: Duration) -> Option<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on loopback");
        let port = listener.local_addr().expect("the bound address").port();
        let shared = Arc::new(Shared {
            messages: Mutex::new(Vec::new()),
            arrived: Condvar::new(),
            refusing: AtomicBool::new(false),
            stopping: AtomicBool::new(false),
            numbers: AtomicUsize::new(0),
            delay,
            connections: Mutex::new(HashMap::new()),
        });
        let accepting = Arc::clone(&shared);
        let listener = std::thread::Builder::new()
            .name(format!("smtp-sink-{port}"))
            .spawn(move || accept(listener, accepting))
            .expect("the SMTP server's thread starts");
        Some(Self {
            port,
            shared,
            listener: Some(listener),
        })
    }

    /// What `SAPAR_SMTP_URL` would say to reach this server.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// While refusing, every DATA is answered `451 4.3.0 Try again later`
    /// and nothing is kept.
    pub fn refuse(&self, refusing: bool) {
        self.shared.refusing.store(refusing, Ordering::SeqCst);
    }

    /// How many messages the server has accepted so far.
    pub fn count(&self) -> usize {
        self.messages().len()
    }

    fn messages(&self) -> std::sync::MutexGuard<'_, Vec<Received>> {
        self.shared
            .messages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Every message accepted so far, in the order it arrived.
    pub fn received(&self) -> Vec<Received> {
        self.messages().clone()
    }

    /// Waits until at least `n` messages have arrived, or panics after `limit`.
    pub fn wait_for(&self, n: usize, limit: Duration) -> Vec<Received> {
        let started = Instant::now();
        let mut messages = self.messages();
        loop {
            if messages.len() >= n {
                return messages.clone();
            }
            let left = limit.saturating_sub(started.elapsed());
            assert!(
                !left.is_zero(),
                "{} message(s) arrived in {limit:?}, expected {n}",
                messages.len()
            );
            messages = self
                .shared
                .arrived
                .wait_timeout(messages, left)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    /// Forgets what arrived so far (the numbering goes on).
    pub fn clear(&self) {
        self.messages().clear();
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wakes the listener blocked in accept, which then sees `stopping`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(listener) = self.listener.take() {
            let _ = listener.join();
        }
        let connections = std::mem::take(
            &mut *self
                .shared
                .connections
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        for connection in connections.into_values() {
            let _ = connection.shutdown(Shutdown::Both);
        }
    }
}

/// Accepts connections until the handle is dropped, one thread for each.
fn accept(listener: TcpListener, shared: Arc<Shared>) {
    for (number, stream) in listener.incoming().enumerate() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let Ok(clone) = stream.try_clone() else {
            continue;
        };
        shared
            .connections
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(number, clone);
        let serving = Arc::clone(&shared);
        let _ = std::thread::Builder::new()
            .name("smtp-sink-session".to_owned())
            .spawn(move || {
                // A client that hangs up mid-session is no concern of the tests.
                let _ = session(&stream, &serving);
                let _ = stream.shutdown(Shutdown::Both);
                serving
                    .connections
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .remove(&number);
            });
    }
}

/// The envelope being built by one client.
#[derive(Default)]
struct Envelope {
    mail_from: Option<String>,
    rcpt_tos: Vec<String>,
}

/// One client's conversation, up to QUIT or until it hangs up.
fn session(stream: &TcpStream, shared: &Shared) -> io::Result<()> {
    // Each reply goes out whole and at once: split writes held back by
    // Nagle's algorithm wait for the client's delayed acknowledgement.
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream);
    let mut writer = stream;
    let mut reply =
        |text: &str| -> io::Result<()> { writer.write_all(format!("{text}\r\n").as_bytes()) };
    reply(&format!("220 {HOSTNAME} ESMTP"))?;
    let mut envelope = Envelope::default();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, argument) = text.split_once(' ').unwrap_or((text, ""));
        match verb.to_ascii_uppercase().as_str() {
            "EHLO" => {
                envelope = Envelope::default();
                reply(&format!("250-{HOSTNAME}\r\n250-8BITMIME\r\n250 SMTPUTF8"))?;
            }
            "HELO" => {
                envelope = Envelope::default();
                reply(&format!("250 {HOSTNAME}"))?;
            }
            "MAIL" => {
                envelope = Envelope {
                    mail_from: Some(address(argument, "FROM:")),
                    rcpt_tos: Vec::new(),
                };
                reply("250 2.1.0 OK")?;
            }
            "RCPT" => {
                envelope.rcpt_tos.push(address(argument, "TO:"));
                reply("250 2.1.5 OK")?;
            }
            "DATA" => {
                reply("354 End data with <CR><LF>.<CR><LF>")?;
                let raw = read_data(&mut reader)?;
                let envelope = std::mem::take(&mut envelope);
                if shared.refusing.load(Ordering::SeqCst) {
                    reply("451 4.3.0 Try again later")?;
                    continue;
                }
                let number = shared.numbers.fetch_add(1, Ordering::SeqCst) + 1;
                shared
                    .messages
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push(Received {
                        mail_from: envelope.mail_from.unwrap_or_default(),
                        rcpt_tos: envelope.rcpt_tos,
                        raw,
                    });
                shared.arrived.notify_all();
                if !shared.delay.is_zero() {
                    std::thread::sleep(shared.delay);
                }
                reply(&format!("250 2.0.0 OK: queued as {number:06}"))?;
            }
            "RSET" => {
                envelope = Envelope::default();
                reply("250 2.0.0 OK")?;
            }
            "NOOP" => reply("250 2.0.0 OK")?,
            "QUIT" => {
                reply("221 2.0.0 Bye")?;
                return Ok(());
            }
            _ => reply("502 5.5.2 Command not recognized")?,
        }
    }
}

/// The address of `MAIL FROM:<a@b> BODY=8BITMIME` or `RCPT TO:<a@b>`, without
/// its angle brackets or parameters (`<>` gives the empty address).
fn address(argument: &str, prefix: &str) -> String {
    let argument = argument.trim();
    let rest = match argument.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => &argument[prefix.len()..],
        _ => argument,
    };
    let rest = rest.trim_start();
    match rest.strip_prefix('<').and_then(|r| r.split_once('>')) {
        Some((inside, _)) => inside.to_owned(),
        None => rest.split(' ').next().unwrap_or_default().to_owned(),
    }
}

/// The message after `354`, up to the line holding a single dot, that line
/// left out and each line's leading dot of transparency removed (RFC 5321
/// 4.5.2). Line endings are kept as sent.
fn read_data(reader: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the client hung up inside DATA",
            ));
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(raw);
        }
        raw.extend_from_slice(line.strip_prefix(b".").unwrap_or(&line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(wire: &[u8]) -> io::Result<Vec<u8>> {
        read_data(&mut io::Cursor::new(wire))
    }

    #[test]
    fn data_ends_at_the_lone_dot_and_keeps_crlf() {
        let raw = data(b"Subject: a\r\n\r\nline one\r\nline two\r\n.\r\nQUIT\r\n").unwrap();
        assert_eq!(raw, b"Subject: a\r\n\r\nline one\r\nline two\r\n");
    }

    #[test]
    fn data_undoes_dot_stuffing() {
        let raw = data(b"..\r\n..leading dot\r\n.x\r\nmid.dot.\r\n.\r\n").unwrap();
        assert_eq!(raw, b".\r\n.leading dot\r\nx\r\nmid.dot.\r\n");
    }

    #[test]
    fn data_without_its_end_is_an_error() {
        assert!(data(b"Subject: a\r\n\r\nno end\r\n").is_err());
        assert!(data(b"Subject: a\r\n. \r\n").is_err());
    }

    #[test]
    fn addresses_lose_brackets_and_parameters() {
        assert_eq!(
            address("FROM:<a@b.kz> BODY=8BITMIME SMTPUTF8", "FROM:"),
            "a@b.kz"
        );
        assert_eq!(address("to: <Әлия@b.kz>", "TO:"), "Әлия@b.kz");
        assert_eq!(address("FROM:<>", "FROM:"), "");
    }

    #[test]
    fn a_session_over_loopback_is_received() {
        let sink = SmtpSink::start().unwrap();
        let mut client = TcpStream::connect(("127.0.0.1", sink.port)).unwrap();
        client
            .write_all(
                b"EHLO t\r\nMAIL FROM:<a@b.kz>\r\nRCPT TO:<c@d.kz>\r\nRCPT TO:<e@f.kz>\r\n\
                  DATA\r\nSubject: x\r\n\r\n..dot\r\n.\r\nQUIT\r\n",
            )
            .unwrap();
        let mut answers = String::new();
        io::Read::read_to_string(&mut client, &mut answers).unwrap();
        assert!(answers.starts_with("220 "), "{answers}");
        assert!(
            answers.contains("250 2.0.0 OK: queued as 000001"),
            "{answers}"
        );
        assert!(answers.ends_with("221 2.0.0 Bye\r\n"), "{answers}");
        let received = sink.wait_for(1, Duration::from_secs(5));
        assert_eq!(received[0].mail_from, "a@b.kz");
        assert_eq!(received[0].rcpt_tos, ["c@d.kz", "e@f.kz"]);
        assert_eq!(received[0].raw, b"Subject: x\r\n\r\n.dot\r\n");
    }
}
