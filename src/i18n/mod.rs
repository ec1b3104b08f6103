//! Interface text in Russian, Kazakh and English: the one place that words a
//! fact. Each catalogue is a Fluent file beside this module (`ru.ftl`,
//! `kk.ftl`, `en.ftl`), compiled into the binary; numbers go in as Fluent
//! numbers, so select expressions pick the CLDR plural form of each language
//! («1 ошибка», «3 ошибки», «5 ошибок»). Tests hold every catalogue to the same
//! message ids and every id the code uses to being in all of them.

pub mod conflicts;
mod dates;

pub use dates::long_date;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use fluent_syntax::ast;
use unic_langid::LanguageIdentifier;

pub use fluent_bundle::FluentValue;

use crate::domain::Language;

const RU: &str = include_str!("ru.ftl");
const KK: &str = include_str!("kk.ftl");
const EN: &str = include_str!("en.ftl");

/// One language's messages: the bundle that formats them with arguments, and
/// each message formatted once without any, so plain text costs a lookup.
struct Catalogue {
    bundle: FluentBundle<FluentResource>,
    plain: HashMap<String, String>,
}

fn resource(source: &str) -> FluentResource {
    // A syntax error keeps the entries that parsed; a test fails on any.
    FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial)
}

fn message_ids(resource: &FluentResource) -> Vec<String> {
    resource
        .entries()
        .filter_map(|entry| match entry {
            ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

fn load(tag: &str, source: &str) -> Catalogue {
    let resource = resource(source);
    let ids = message_ids(&resource);
    let locale: LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    // No U+2068/U+2069 around placeables: they would land in pages and emails.
    bundle.set_use_isolating(false);
    // Ids are unique within a catalogue (a test checks), so nothing is refused.
    let _ = bundle.add_resource(resource);
    let plain = ids
        .into_iter()
        .filter_map(|id| {
            let text = format_in(&bundle, &id, None)?;
            Some((id, text))
        })
        .collect();
    Catalogue { bundle, plain }
}

fn catalogue(language: Language) -> &'static Catalogue {
    static CATALOGUES: OnceLock<[Catalogue; 3]> = OnceLock::new();
    let all = CATALOGUES.get_or_init(|| [load("ru", RU), load("kk", KK), load("en", EN)]);
    match language {
        Language::Ru => &all[0],
        Language::Kk => &all[1],
        Language::En => &all[2],
    }
}

fn format_in(
    bundle: &FluentBundle<FluentResource>,
    key: &str,
    args: Option<&FluentArgs>,
) -> Option<String> {
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    Some(text.into_owned())
}

/// The interface text for `key`; the key itself if no catalogue has it, so a
/// missing entry shows rather than breaks the page.
pub fn text(language: Language, key: &str) -> &str {
    catalogue(language)
        .plain
        .get(key)
        .or_else(|| catalogue(Language::En).plain.get(key))
        .map_or(key, String::as_str)
}

/// The message `key` with its placeables filled from `args`; the key itself
/// if no catalogue has it.
pub fn format(language: Language, key: &str, args: &[(&str, FluentValue)]) -> String {
    let mut fluent = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent.set(*name, value.clone());
    }
    format_in(&catalogue(language).bundle, key, Some(&fluent))
        .or_else(|| format_in(&catalogue(Language::En).bundle, key, Some(&fluent)))
        .unwrap_or_else(|| key.to_owned())
}

/// A language bound for use in templates: `{{ t.get("visits-title") }}`,
/// `{{ t.count("conflicts-errors", errors) }}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Translator(pub Language);

impl Translator {
    /// A message without arguments.
    pub fn get<'a>(&self, key: &'a str) -> &'a str {
        text(self.0, key)
    }

    /// A message with named arguments:
    /// `t.with("visit-times_in_zone", &[("zone", zone.name().into())])`.
    pub fn with(&self, key: &str, args: &[(&str, FluentValue)]) -> String {
        format(self.0, key, args)
    }

    /// A message about a number, passed as `$n`, worded in its plural form.
    pub fn count(&self, key: &str, n: impl Count) -> String {
        format(self.0, key, &[("n", n.fluent())])
    }

    pub fn code(&self) -> &'static str {
        self.0.as_str()
    }

    /// A whole number with its thousands set apart as the language writes
    /// them: "1 234" (a no-break space) in Russian and Kazakh, "1,234" in English.
    pub fn grouped(&self, n: i64) -> String {
        let separator = match self.0 {
            Language::En => ',',
            _ => '\u{a0}',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(separator);
            }
            out.push(digit);
        }
        if n < 0 {
            out.insert(0, '-');
        }
        out
    }
}

/// A count, however many references away (templates hand over `&&i32`).
pub trait Count {
    fn fluent(&self) -> FluentValue<'static>;
}

impl<T: Count + ?Sized> Count for &T {
    fn fluent(&self) -> FluentValue<'static> {
        (**self).fluent()
    }
}

macro_rules! count {
    ($($t:ty),+) => {
        $(impl Count for $t {
            fn fluent(&self) -> FluentValue<'static> {
                FluentValue::from(*self)
            }
        })+
    };
}
count!(i32, i64, u32, u64, usize);

/// A number as Fluent sees it, for callers that build argument lists.
pub fn number(n: impl Into<FluentValue<'static>>) -> FluentValue<'static> {
    n.into()
}

/// Text as a Fluent argument.
pub fn string<'a>(s: impl Into<Cow<'a, str>>) -> FluentValue<'a> {
    FluentValue::String(s.into())
}

/// The best supported language in an `Accept-Language` header, by its q-values.
pub fn negotiate(header: &str) -> Option<Language> {
    let mut best: Option<(f32, Language)> = None;
    for part in header.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(language) = Language::parse(primary) {
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, language));
            }
        }
    }
    best.map(|(_, language)| language)
}

#[cfg(test)]
mod tests;
