//! A message as the SMTP server received it, parsed back into its MIME parts:
//! headers decoded, the text and HTML alternatives, calendar attachments
//! unfolded into lines.

use std::collections::{BTreeMap, BTreeSet};

use mailparse::{MailHeaderMap, ParsedMail};

use super::smtp::Received;

/// One MIME part and what it holds.
#[derive(Debug)]
pub struct Part {
    pub mimetype: String,
    pub params: BTreeMap<String, String>,
    /// `Some(filename)` for an attachment.
    pub attachment: Option<String>,
    pub body: String,
    /// The body's bytes, transfer encoding undone (for binary attachments).
    pub raw: Vec<u8>,
    pub parts: Vec<Part>,
}

impl Part {
    fn of(parsed: &ParsedMail<'_>) -> Self {
        let disposition = parsed.get_content_disposition();
        Self {
            mimetype: parsed.ctype.mimetype.clone(),
            params: parsed.ctype.params.clone(),
            attachment: (disposition.disposition == mailparse::DispositionType::Attachment).then(
                || {
                    disposition
                        .params
                        .get("filename")
                        .cloned()
                        .unwrap_or_default()
                },
            ),
            body: if parsed.subparts.is_empty() && parsed.ctype.mimetype.starts_with("text/") {
                parsed.get_body().expect("a decodable body")
            } else {
                String::new()
            },
            raw: if parsed.subparts.is_empty() {
                parsed.get_body_raw().expect("a decodable body")
            } else {
                Vec::new()
            },
            parts: parsed.subparts.iter().map(Part::of).collect(),
        }
    }

    /// The tree of content types, e.g. `multipart/mixed[text/plain,text/html]`.
    pub fn shape(&self) -> String {
        if self.parts.is_empty() {
            self.mimetype.clone()
        } else {
            let inner: Vec<String> = self.parts.iter().map(Part::shape).collect();
            format!("{}[{}]", self.mimetype, inner.join(","))
        }
    }

    pub fn leaves(&self) -> Vec<&Part> {
        if self.parts.is_empty() {
            vec![self]
        } else {
            self.parts.iter().flat_map(Part::leaves).collect()
        }
    }
}

/// A calendar attachment, unfolded.
#[derive(Debug)]
pub struct Ics {
    pub filename: String,
    pub content_type_method: String,
    pub lines: Vec<String>,
}

impl Ics {
    pub fn values(&self, name: &str) -> Vec<String> {
        self.lines
            .iter()
            .filter_map(|l| {
                let (key, value) = l.split_once(':')?;
                (key == name || key.starts_with(&format!("{name};"))).then(|| value.to_owned())
            })
            .collect()
    }

    pub fn method(&self) -> String {
        self.values("METHOD").join(",")
    }

    pub fn uids(&self) -> BTreeSet<String> {
        self.values("UID").into_iter().collect()
    }
}

pub struct Mail {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub raw: Vec<u8>,
    pub headers: Vec<(String, String)>,
    pub root: Part,
}

impl Mail {
    pub fn parse(received: &Received) -> Self {
        let parsed = mailparse::parse_mail(&received.raw).expect("a parsable message");
        Self {
            mail_from: received.mail_from.clone(),
            rcpt_tos: received.rcpt_tos.clone(),
            raw: received.raw.clone(),
            headers: parsed
                .headers
                .iter()
                .map(|h| (h.get_key(), h.get_value()))
                .collect(),
            root: Part::of(&parsed),
        }
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    pub fn has_header(&self, name: &str) -> bool {
        self.header(name).is_some()
    }

    pub fn mailbox(&self, name: &str) -> mailparse::SingleInfo {
        let parsed = mailparse::parse_mail(&self.raw).expect("a parsable message");
        let header = parsed
            .headers
            .get_first_header(name)
            .unwrap_or_else(|| panic!("a {name} header"));
        let list = mailparse::addrparse_header(header).expect("an address list");
        assert_eq!(list.count_addrs(), 1, "one address in {name}");
        list.extract_single_info().expect("a single mailbox")
    }

    pub fn to(&self) -> mailparse::SingleInfo {
        self.mailbox("To")
    }

    pub fn subject(&self) -> String {
        self.header("Subject").expect("a subject")
    }

    pub fn message_id(&self) -> String {
        self.header("Message-ID")
            .expect("a Message-ID")
            .trim()
            .to_owned()
    }

    pub fn leaf(&self, mimetype: &str) -> &Part {
        self.root
            .leaves()
            .into_iter()
            .find(|p| p.mimetype == mimetype && p.attachment.is_none())
            .unwrap_or_else(|| panic!("a {mimetype} part in {}", self.root.shape()))
    }

    pub fn text(&self) -> &str {
        &self.leaf("text/plain").body
    }

    pub fn html(&self) -> &str {
        &self.leaf("text/html").body
    }

    pub fn calendars(&self) -> Vec<Ics> {
        self.root
            .leaves()
            .into_iter()
            .filter(|p| p.mimetype == "text/calendar")
            .map(|p| Ics {
                filename: p.attachment.clone().expect("a calendar is an attachment"),
                content_type_method: p.params.get("method").cloned().unwrap_or_default(),
                lines: p
                    .body
                    .replace("\r\n ", "")
                    .replace("\r\n\t", "")
                    .split("\r\n")
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
            .collect()
    }

    pub fn calendar(&self, method: &str) -> Ics {
        let mut found: Vec<Ics> = self
            .calendars()
            .into_iter()
            .filter(|c| c.method() == method)
            .collect();
        assert_eq!(found.len(), 1, "one {method} calendar");
        found.remove(0)
    }

    /// The raw header block, as it travelled.
    pub fn raw_headers(&self) -> String {
        let text = String::from_utf8_lossy(&self.raw);
        text.split("\r\n\r\n").next().unwrap_or_default().to_owned()
    }
}

/// Messages keyed by their one envelope recipient; panics on a second message
/// to the same person.
pub fn by_recipient(mails: Vec<Mail>) -> BTreeMap<String, Mail> {
    let mut found = BTreeMap::new();
    for mail in mails {
        assert_eq!(mail.rcpt_tos.len(), 1, "one recipient per message");
        let to = mail.rcpt_tos[0].clone();
        assert!(
            found.insert(to.clone(), mail).is_none(),
            "a second message to {to}"
        );
    }
    found
}
