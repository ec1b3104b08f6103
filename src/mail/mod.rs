//! Mail: rendering messages from templates, and the transports that deliver
//! them (SMTP, or `.eml` files when no server is configured). It renders and
//! sends what it is handed; the outbox that hands it messages is a use case
//! (`services::outbox`).

pub mod render;
pub mod transport;

use serde::{Deserialize, Serialize};

/// One message ready to send, as the outbox holds it.
pub struct Envelope<'a> {
    /// Numbers the `.eml` file a message is written to.
    pub number: i64,
    /// The message's kind, in the `.eml` file's name.
    pub kind: &'a str,
    pub recipient_email: &'a str,
    pub recipient_name: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    /// The attachments as JSON (a list of [`Attachment`]).
    pub attachments: &'a str,
    pub message_id: &'a str,
}

/// A file attached to a message: calendar invitations are text, kept as
/// they are; Word documents are bytes, kept in the outbox as base64.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub base64: bool,
}

impl Attachment {
    pub fn text(filename: &str, content_type: &str, content: String) -> Self {
        Self {
            filename: filename.to_owned(),
            content_type: content_type.to_owned(),
            content,
            base64: false,
        }
    }

    pub fn binary(filename: &str, content_type: &str, bytes: &[u8]) -> Self {
        use base64::Engine;
        Self {
            filename: filename.to_owned(),
            content_type: content_type.to_owned(),
            content: base64::engine::general_purpose::STANDARD.encode(bytes),
            base64: true,
        }
    }

    /// The file's bytes; an undecodable stored body is `None`.
    pub fn bytes(self) -> Option<Vec<u8>> {
        use base64::Engine;
        if self.base64 {
            base64::engine::general_purpose::STANDARD
                .decode(self.content.as_bytes())
                .ok()
        } else {
            Some(self.content.into_bytes())
        }
    }
}

/// Removes what must never reach a mail header: line breaks and other
/// control characters become spaces.
pub fn header_safe(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_text_cannot_carry_line_breaks() {
        assert_eq!(
            header_safe("Иванов\r\nBcc: all@example.kz"),
            "Иванов Bcc: all@example.kz"
        );
        assert_eq!(header_safe("  Әсем\tТлеубергенова "), "Әсем Тлеубергенова");
    }
}
