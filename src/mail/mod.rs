//! Mail: rendering messages from templates, the transports that deliver them
//! (SMTP, or `.eml` files when no server is configured), and the outbox worker.

pub mod render;
pub mod transport;
pub mod worker;

use serde::{Deserialize, Serialize};

/// A file attached to a message (calendar invitations are text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: String,
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
