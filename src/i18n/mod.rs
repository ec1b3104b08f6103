//! Interface text in Russian, Kazakh and English. Each catalogue is a plain
//! `key = value` file beside this module, compiled into the binary; every
//! catalogue has the same keys (a test holds them to it).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::Language;

const RU: &str = include_str!("ru.txt");
const KK: &str = include_str!("kk.txt");
const EN: &str = include_str!("en.txt");

type Catalogue = HashMap<&'static str, &'static str>;

fn parse(source: &'static str) -> Catalogue {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim(), value.trim()))
        .collect()
}

fn catalogue(language: Language) -> &'static Catalogue {
    static CATALOGUES: OnceLock<[Catalogue; 3]> = OnceLock::new();
    let all = CATALOGUES.get_or_init(|| [parse(RU), parse(KK), parse(EN)]);
    match language {
        Language::Ru => &all[0],
        Language::Kk => &all[1],
        Language::En => &all[2],
    }
}

/// The interface text for `key`; the key itself if no catalogue has it, so a
/// missing entry shows rather than breaks the page.
pub fn text(language: Language, key: &str) -> &str {
    catalogue(language)
        .get(key)
        .or_else(|| catalogue(Language::En).get(key))
        .copied()
        .unwrap_or(key)
}

/// A language bound for use in templates: `{{ t.get("visits-title") }}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Translator(pub Language);

impl Translator {
    pub fn get<'a>(&self, key: &'a str) -> &'a str {
        text(self.0, key)
    }

    pub fn code(&self) -> &'static str {
        self.0.as_str()
    }
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
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_catalogue_has_the_same_keys() {
        let keys = |source| parse(source).into_keys().collect::<BTreeSet<_>>();
        let ru = keys(RU);
        assert!(!ru.is_empty());
        assert_eq!(ru, keys(KK), "ru and kk differ");
        assert_eq!(ru, keys(EN), "ru and en differ");
    }

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(
            negotiate("de-DE,de;q=0.9,en;q=0.5,kk;q=0.7"),
            Some(Language::Kk)
        );
        assert_eq!(negotiate("en-GB"), Some(Language::En));
        assert_eq!(negotiate("fr, de"), None);
        assert_eq!(negotiate("ru;q=0, en;q=0.1"), Some(Language::En));
    }

    #[test]
    fn text_falls_back_to_the_key() {
        assert_eq!(text(Language::Ru, "no.such.key"), "no.such.key");
        assert_eq!(text(Language::Ru, "nav-visits"), "Визиты");
    }
}
