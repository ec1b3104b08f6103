//! The mailroom of a test: a real SMTP server on loopback, the settings that
//! point the app at it, and the worker's round that delivers what is due.

use sapar::config::{Settings, SmtpUrl};
use sapar::mail::transport::Transport;
use sapar::services::outbox::{self as worker, Round};
use sapar::services::publishing;

use super::mime::Mail;
use super::smtp::SmtpSink;
use super::{actor, TestDb};

/// The sender every test message carries.
pub const FROM: &str = "Сапар <sapar@senate.example.kz>";

/// The SMTP server, the settings that point at it, and the transport.
pub struct Mailroom {
    pub sink: SmtpSink,
    pub settings: Settings,
    pub transport: Transport,
}

impl Mailroom {
    pub fn open(db: &TestDb) -> Option<Self> {
        Self::with_sink(db, SmtpSink::start()?)
    }

    pub fn with_sink(db: &TestDb, sink: SmtpSink) -> Option<Self> {
        let settings = mail_settings(db, &sink);
        let transport = Transport::from_settings(&settings).expect("an SMTP transport");
        Some(Self {
            sink,
            settings,
            transport,
        })
    }

    /// What the worker does on each poll: every due message, once.
    pub fn deliver(&self, db: &TestDb) -> Round {
        worker::send_due(db.pool(), &self.transport, &self.settings.mail_from)
            .expect("the worker reaches the database")
    }

    pub fn publish(&self, db: &TestDb, visit: i64) -> publishing::Published {
        publishing::publish(&mut db.conn(), &actor(), visit, true, &self.settings)
            .expect("the visit is published")
    }

    /// Every message received so far, parsed.
    pub fn mails(&self) -> Vec<Mail> {
        self.sink.received().iter().map(Mail::parse).collect()
    }
}

pub fn mail_settings(db: &TestDb, sink: &SmtpSink) -> Settings {
    let mut settings = db.settings();
    settings.smtp_url = Some(SmtpUrl::parse(&sink.url()).expect("an SMTP URL"));
    settings.mail_from = FROM.to_owned();
    settings
}
