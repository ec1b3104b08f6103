//! The catalogues against each other and against the code that asks them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_bundle::FluentResource;

use super::*;
use crate::domain::{Language, MeetingKind, MeetingStatus, Role, VenueKind, VisitStatus};

const ALL: [(Language, &str); 3] = [(Language::Ru, RU), (Language::Kk, KK), (Language::En, EN)];

fn ids(source: &str) -> BTreeSet<String> {
    message_ids(&resource(source)).into_iter().collect()
}

#[test]
fn every_catalogue_parses_with_unique_ids() {
    for (language, source) in ALL {
        if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
            panic!("{language:?}: {errors:?}");
        }
        let list = message_ids(&resource(source));
        assert_eq!(list.len(), ids(source).len(), "{language:?} repeats an id");
    }
}

#[test]
fn every_catalogue_has_the_same_ids() {
    let ru = ids(RU);
    assert!(ru.len() > 100);
    assert_eq!(ru, ids(KK), "ru and kk differ");
    assert_eq!(ru, ids(EN), "ru and en differ");
}

/// The arguments each message is given by its callers; a message missing here
/// is formatted with none.
fn arguments() -> BTreeMap<&'static str, Vec<(&'static str, FluentValue<'static>)>> {
    let n = |name: &'static str| (name, number(7));
    let s = |name: &'static str| (name, string("x"));
    let mut map: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for key in [
        "conflicts-errors",
        "visit-day_meetings",
        "conflicts-warnings",
        "itinerary-version",
        "itinerary-minutes",
        "publish-unacknowledged",
        "login-next_try_seconds",
        "login-next_try_minutes",
        "picker-more",
        "picker-found",
        "document-headcount",
    ] {
        map.insert(key, vec![n("n")]);
    }
    map.insert("problem-too_long", vec![n("max")]);
    map.insert("problem-range", vec![s("min"), s("max")]);
    map.insert("problem-below_members", vec![n("members")]);
    map.insert("problem-visit_too_long", vec![n("days")]);
    map.insert("problem-not_among_officials", vec![n("id")]);
    map.insert("problem-password_short", vec![n("min")]);
    map.insert("visits-page", vec![n("page"), n("pages")]);
    map.insert("problem-refused_recipients", vec![s("addresses")]);
    map.insert("problem-too_many_recipients", vec![n("max")]);
    map.insert("problem-too_many_ids", vec![n("max")]);
    map.insert("visit-times_in_zone", vec![s("zone")]);
    map.insert("visit-conflicts_shown", vec![n("shown"), n("total")]);
    map.insert("list-range", vec![s("first"), s("last"), s("total")]);
    map.insert("late-by", vec![s("minutes")]);
    map.insert("today-minutes", vec![n("minutes")]);
    for key in ["today-left", "today-leave", "today-as_of"] {
        map.insert(key, vec![s("time")]);
    }
    map.insert("today-starts_in", vec![s("start"), s("time")]);
    map.insert("today-transfer", vec![s("time"), s("from")]);
    for key in ["in_use-venue", "in_use-group", "in_use-participant"] {
        map.insert(key, vec![n("meetings")]);
    }
    map.insert("in_use-official", vec![n("meetings"), n("visits")]);
    for (key, names) in conflicts::MESSAGE_ARGUMENTS {
        map.insert(key, names.iter().map(|name| (*name, number(7))).collect());
    }
    map
}

#[test]
fn every_message_formats_without_errors_given_its_arguments() {
    let arguments = arguments();
    for (language, _) in ALL {
        let catalogue = catalogue(language);
        for id in catalogue.plain.keys() {
            let mut fluent = FluentArgs::new();
            for (name, value) in arguments.get(id.as_str()).into_iter().flatten() {
                fluent.set(*name, value.clone());
            }
            let message = catalogue.bundle.get_message(id).expect("listed");
            let pattern = message.value().expect("every message has a value");
            let mut errors = Vec::new();
            let text = catalogue
                .bundle
                .format_pattern(pattern, Some(&fluent), &mut errors);
            assert!(errors.is_empty(), "{language:?} {id}: {errors:?}");
            assert!(!text.contains('\u{2068}'), "{language:?} {id} is isolated");
        }
    }
}

/// Literal keys in the source and templates: string literals shaped like a
/// catalogue id (`family-rest`) whose family the catalogue knows.
fn literal_keys(dir: &Path, families: &BTreeSet<String>, found: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            literal_keys(&path, families, found);
            continue;
        }
        if path.ends_with("i18n/tests.rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for literal in text.split('"').skip(1).step_by(2) {
            let Some((family, rest)) = literal.split_once('-') else {
                continue;
            };
            let shaped = !rest.is_empty()
                && literal
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-".contains(c));
            if shaped && families.contains(family) {
                found.insert(literal.to_owned());
            }
        }
    }
}

#[test]
fn every_key_the_code_uses_is_in_every_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let known = ids(RU);
    let families: BTreeSet<String> = known
        .iter()
        .filter_map(|id| id.split_once('-').map(|(f, _)| f.to_owned()))
        .collect();
    let mut used = BTreeSet::new();
    literal_keys(&root.join("src"), &families, &mut used);
    literal_keys(&root.join("templates"), &families, &mut used);
    // Element ids and classes in templates that share a family's name.
    for not_a_key in [
        "conflicts-h",
        "conflict-counts",
        "conflict-list",
        "itinerary-head",
    ] {
        used.remove(not_a_key);
    }
    assert!(used.contains("visits-title"), "the scan finds keys");

    // Keys built at run time, family by family.
    let words = |family: &str, words: &[&str]| {
        words
            .iter()
            .map(|w| format!("{family}-{w}"))
            .collect::<Vec<_>>()
    };
    used.extend((0..7).map(|d| format!("weekday-{d}")));
    used.extend((1..=12).map(|m| format!("month-{m}")));
    used.extend(Role::ALL.iter().map(|r| format!("role-{}", r.as_str())));
    used.extend(
        Language::ALL
            .iter()
            .map(|l| format!("language-{}", l.as_str())),
    );
    used.extend(
        VisitStatus::ALL
            .iter()
            .map(|s| format!("status-{}", s.as_str())),
    );
    used.extend(
        VenueKind::ALL
            .iter()
            .map(|k| format!("venue_kind-{}", k.as_str())),
    );
    used.extend(
        MeetingKind::ALL
            .iter()
            .map(|k| format!("meeting_kind-{}", k.as_str())),
    );
    used.extend(
        MeetingStatus::ALL
            .iter()
            .map(|s| format!("meeting_status-{}", s.as_str())),
    );
    let kinds = [
        "briefing_pack",
        "invitation",
        "change",
        "cancellation",
        "password_reset",
    ];
    used.extend(words("outbox-kind", &kinds));
    used.extend(words("outbox-status", &["pending", "sent", "failed"]));
    let slugs = [
        "officials",
        "venues",
        "groups",
        "participants",
        "unavailability",
        "visits",
    ];
    used.extend(words("nav", &slugs));
    used.extend(words("entity", &slugs));
    let actions = ["create", "update", "delete", "publish", "load"];
    used.extend(words("audit", &actions));
    let audited = [
        "official",
        "venue",
        "group",
        "participant",
        "visit",
        "meeting",
        "unavailability",
        "travel_time",
        "user",
        "demo",
    ];
    used.extend(words("audit-entity", &audited));

    for (language, source) in ALL {
        let known = ids(source);
        let missing: Vec<_> = used.difference(&known).collect();
        assert!(missing.is_empty(), "{language:?} lacks {missing:?}");
    }
}

#[test]
fn counts_agree_with_their_numbers() {
    let errors = |language, n: i64| Translator(language).count("conflicts-errors", n);
    let ru: Vec<String> = [1, 3, 5, 21, 11, 22, 25, 101, 111]
        .map(|n| errors(Language::Ru, n))
        .to_vec();
    assert_eq!(
        ru,
        [
            "1 ошибка",
            "3 ошибки",
            "5 ошибок",
            "21 ошибка",
            "11 ошибок",
            "22 ошибки",
            "25 ошибок",
            "101 ошибка",
            "111 ошибок"
        ]
    );
    let warnings = |language, n: i64| Translator(language).count("conflicts-warnings", n);
    assert_eq!(warnings(Language::Ru, 1), "1 предупреждение");
    assert_eq!(warnings(Language::Ru, 4), "4 предупреждения");
    assert_eq!(warnings(Language::Ru, 12), "12 предупреждений");
    assert_eq!(errors(Language::Kk, 1), "1 қате");
    assert_eq!(errors(Language::Kk, 5), "5 қате");
    assert_eq!(warnings(Language::Kk, 21), "21 ескерту");
    assert_eq!(errors(Language::En, 1), "1 error");
    assert_eq!(errors(Language::En, 3), "3 errors");
    assert_eq!(errors(Language::En, 21), "21 errors");
    assert_eq!(warnings(Language::En, 1), "1 warning");
    assert_eq!(warnings(Language::En, 0), "0 warnings");
}

#[test]
fn arguments_fill_placeables_without_isolation_marks() {
    let t = Translator(Language::Ru);
    assert_eq!(
        t.with("visit-times_in_zone", &[("zone", string("Asia/Almaty"))]),
        "Время указывается по часовому поясу Asia/Almaty."
    );
    assert_eq!(t.count("itinerary-version", 3), "Версия 3");
    assert_eq!(
        t.with("problem-too_long", &[("max", number(21))]),
        "Слишком длинно: не более 21 символа."
    );
    assert_eq!(
        Translator(Language::En).with("problem-too_long", &[("max", number(1))]),
        "Too long: at most 1 character."
    );
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
    assert_eq!(text(Language::Ru, "no-such-key"), "no-such-key");
    assert_eq!(text(Language::Ru, "nav-visits"), "Визиты");
    assert_eq!(
        Translator(Language::Kk).count("no-such-key", 2),
        "no-such-key"
    );
}
