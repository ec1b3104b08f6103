//! Delivering one outbox message: over SMTP with lettre, or as an `.eml` file
//! in the data folder when `SAPAR_SMTP_URL` is unset.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as MimeAttachment, Mailbox, MultiPart, SinglePart};
use lettre::{Message, SmtpTransport, Transport as _};

use super::{header_safe, Attachment, Envelope};
use crate::config::Settings;

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("the message cannot be built: {0}")]
    Build(String),
    #[error("the mail server refused or failed: {0}")]
    Smtp(String),
    #[error("cannot write the message file: {0}")]
    File(String),
}

impl SendError {
    /// Whether trying again later may help (a server that is down or busy),
    /// as opposed to a message that can never be sent.
    pub fn is_temporary(&self) -> bool {
        !matches!(self, SendError::Build(_))
    }
}

pub enum Transport {
    Smtp(Box<SmtpTransport>),
    Files(PathBuf),
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> Result<Self, SendError> {
        match &settings.smtp_url {
            Some(url) => {
                let transport = SmtpTransport::from_url(url.as_str())
                    .map_err(|e| SendError::Smtp(e.to_string()))?
                    .timeout(Some(Duration::from_secs(30)))
                    .build();
                Ok(Self::Smtp(Box::new(transport)))
            }
            None => Ok(Self::Files(settings.mail_dir())),
        }
    }

    pub fn send(&self, from: &str, message: &Envelope<'_>) -> Result<(), SendError> {
        let email = build(from, message)?;
        match self {
            Self::Smtp(smtp) => smtp
                .send(&email)
                .map(drop)
                .map_err(|e| SendError::Smtp(e.to_string())),
            Self::Files(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| SendError::File(e.to_string()))?;
                let name = format!("{:06}-{}.eml", message.number, message.kind);
                std::fs::write(dir.join(name), email.formatted())
                    .map_err(|e| SendError::File(e.to_string()))
            }
        }
    }
}

/// The MIME message: text and HTML alternatives, then the attachments.
pub fn build(from: &str, message: &Envelope<'_>) -> Result<Message, SendError> {
    let bad = |e: &dyn std::fmt::Display| SendError::Build(e.to_string());
    let from: Mailbox = from.parse().map_err(|e| bad(&e))?;
    let address = message.recipient_email.parse().map_err(|e| bad(&e))?;
    let name = header_safe(message.recipient_name);
    let to = Mailbox::new((!name.is_empty()).then_some(name), address);
    let attachments: Vec<Attachment> =
        serde_json::from_str(message.attachments).map_err(|e| bad(&e))?;

    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(message.body_text.to_owned()))
        .singlepart(SinglePart::html(message.body_html.to_owned()));
    let body = if attachments.is_empty() {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for attachment in attachments {
            let content_type = ContentType::parse(&attachment.content_type).map_err(|e| bad(&e))?;
            let filename = header_safe(&attachment.filename);
            let bytes = attachment
                .bytes()
                .ok_or_else(|| bad(&"an attachment that is not base64"))?;
            mixed = mixed.singlepart(MimeAttachment::new(filename).body(bytes, content_type));
        }
        mixed
    };
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(header_safe(message.subject))
        .message_id(Some(message.message_id.to_owned()));
    builder = builder.header(AutoSubmitted);
    builder.multipart(body).map_err(|e| bad(&e))
}

/// `Auto-Submitted: auto-generated`: these are notices, not replies to anyone.
#[derive(Clone)]
struct AutoSubmitted;

impl lettre::message::header::Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}
