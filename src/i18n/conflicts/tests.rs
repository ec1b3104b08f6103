//! The sentences, over the conflict engine's own test programmes.

use super::*;
use crate::domain::conflicts::tests::{
    hm, meeting, programme, slot, travel, ALMATY, ASHIMBAYEV, DAIRY, DANIYAR, DEPUTIES,
    FRIENDSHIP_HOUSE, SERIKOVA, STUDENTS, UNIVERSITY, VISIT,
};
use crate::domain::conflicts::{find_conflicts, Meeting, Unavailability, Unavailable, Venue};

#[test]
fn messages_name_the_official_the_meetings_and_the_local_times() {
    let snapshot = programme(vec![
        meeting(1, "Meeting with deputies", "10:00", "11:00").with_officials([ASHIMBAYEV]),
        meeting(2, "University visit", "10:30", "11:30").with_officials([ASHIMBAYEV]),
    ]);
    let conflict = &find_conflicts(&snapshot, None)[0];
    assert_eq!(
        describe(conflict, &snapshot, Language::En),
        "Ashimbayev M. is booked for «Meeting with deputies» and «University visit» at the same time (10:00–11:00 and 10:30–11:30)."
    );
    assert_eq!(
        describe(conflict, &snapshot, Language::Ru),
        "Ashimbayev M.: «Meeting with deputies» и «University visit» назначены на одно и то же время (10:00–11:00 и 10:30–11:30)."
    );
    assert_eq!(
        describe(conflict, &snapshot, Language::Kk),
        "Ashimbayev M.: «Meeting with deputies» және «University visit» бір уақытқа белгіленген (10:00–11:00 және 10:30–11:30)."
    );
}

#[test]
fn a_travel_message_gives_the_gap_and_the_transfer() {
    let mut snapshot = programme(vec![
        meeting(1, "A", "15:50", "16:50")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV]),
        meeting(2, "B", "17:00", "18:00")
            .at_venue(FRIENDSHIP_HOUSE)
            .with_officials([ASHIMBAYEV]),
    ]);
    snapshot
        .travel_times
        .push(travel(DAIRY, FRIENDSHIP_HOUSE, 25));
    let conflict = &find_conflicts(&snapshot, None)[0];
    assert_eq!(
        describe(conflict, &snapshot, Language::En),
        "Ashimbayev M. has only 10 minutes between «A» (ends 16:50) and «B» (starts 17:00), but the transfer from Dairy to House of Friendship takes 25 minutes."
    );
    assert_eq!(
        describe(conflict, &snapshot, Language::Ru),
        "Ashimbayev M.: между «A» (окончание в 16:50) и «B» (начало в 17:00) только 10 минут, а время в пути из «Dairy» в «House of Friendship» — 25 минут."
    );
    assert_eq!(
        describe(conflict, &snapshot, Language::Kk),
        "Ashimbayev M.: «A» (аяқталуы 16:50) және «B» (басталуы 17:00) арасында небәрі 10 минут бар, ал «Dairy» орнынан «House of Friendship» орнына дейінгі жол 25 минут алады."
    );
}

#[test]
fn every_kind_has_a_sentence_in_every_language_naming_who_and_what() {
    let mut snapshot = programme(vec![
        // Official, venue, group and participant double bookings.
        meeting(1, "Meeting with deputies", "10:00", "11:00")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV])
            .with_groups([DEPUTIES]),
        meeting(2, "University visit", "10:30", "11:30")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV])
            .with_groups([DEPUTIES, STUDENTS])
            .with_participants([DANIYAR]),
        meeting(3, "Press approach", "10:45", "11:15").with_participants([DANIYAR]),
        // A transfer too short, a closed and crowded university, a long day.
        meeting(4, "Lunch", "11:40", "12:40")
            .at_venue(UNIVERSITY)
            .with_officials([ASHIMBAYEV])
            .with_groups([STUDENTS]),
        meeting(5, "Evening concert", "12:50", "15:00")
            .at_venue(FRIENDSHIP_HOUSE)
            .with_officials([ASHIMBAYEV]),
        // After the visit, and while Serikova is away.
        Meeting::new(6, VISIT, "Farewell", slot(28, "10:00", "11:00")).with_officials([SERIKOVA]),
    ]);
    snapshot.venues[2] = Venue::new(UNIVERSITY, "University", ALMATY)
        .open(hm("12:00"), hm("18:00"))
        .holding(20);
    snapshot.unavailability = vec![
        Unavailability {
            who: Unavailable::Official(SERIKOVA),
            time: slot(28, "00:00", "23:00"),
            reason: Some("Session of the Senate".into()),
        },
        Unavailability {
            who: Unavailable::Venue(FRIENDSHIP_HOUSE),
            time: slot(25, "14:00", "23:00"),
            reason: None,
        },
    ];
    let conflicts = find_conflicts(&snapshot, None);
    let mut kinds: Vec<_> = conflicts.iter().map(|c| c.kind).collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds, ConflictKind::ALL);

    let words = Describer::new(&snapshot);
    let name = |s: Subject| match s {
        Subject::Official(ASHIMBAYEV) => "Ashimbayev M.",
        Subject::Official(_) => "Serikova A.",
        Subject::Venue(DAIRY) => "Dairy",
        Subject::Venue(FRIENDSHIP_HOUSE) => "House of Friendship",
        Subject::Venue(_) => "University",
        Subject::Group(DEPUTIES) => "Deputies",
        Subject::Group(_) => "Students",
        Subject::Participant(_) => "Daniyar S.",
    };
    for conflict in &conflicts {
        for lang in Language::ALL {
            let sentence = words.describe(conflict, *lang);
            assert_eq!(sentence, describe(conflict, &snapshot, *lang));
            assert!(sentence.ends_with('.'), "{sentence}");
            if conflict.kind != ConflictKind::OutsideVisitDates {
                let who = name(conflict.subject.unwrap());
                assert!(sentence.contains(who), "{lang}: {sentence} lacks {who}");
            }
            for id in &conflict.meeting_ids {
                let title = &snapshot
                    .meetings
                    .iter()
                    .find(|m| m.id == *id)
                    .unwrap()
                    .title;
                assert!(
                    sentence.contains(&format!("«{title}»")),
                    "{lang}: {sentence}"
                );
            }
        }
    }
    let english: Vec<String> = conflicts
        .iter()
        .map(|c| words.describe(c, Language::En))
        .collect();
    assert!(english.contains(
        &"«Farewell» (28.02 10:00–11:00) falls outside the visit's days (25.02.2026–27.02.2026)."
            .to_string()
    ));
    assert!(english.contains(&"Serikova A. is unavailable 28.02 00:00–23:00 (Session of the Senate), but is booked for «Farewell» (10:00–11:00).".to_string()));
}

#[test]
fn minutes_agree_with_their_number() {
    let gap = |lang, n: i64| {
        Translator(lang).with(
            "conflict-travel",
            &[("gap", number(n)), ("needed", number(n))],
        )
    };
    for (n, word) in [
        (1, "1 минута"),
        (2, "2 минуты"),
        (5, "5 минут"),
        (11, "11 минут"),
        (12, "12 минут"),
        (21, "21 минута"),
        (24, "24 минуты"),
        (25, "25 минут"),
        (101, "101 минута"),
    ] {
        let sentence = gap(Language::Ru, n);
        assert!(sentence.contains(&format!("только {word},")), "{sentence}");
    }
    assert!(gap(Language::En, 1).contains("only 1 minute between"));
    assert!(gap(Language::En, 21).contains("only 21 minutes between"));
    assert!(gap(Language::Kk, 21).contains("небәрі 21 минут бар"));
}

#[test]
fn lengths_and_headcounts_agree_with_their_numbers() {
    let length = |lang, minutes: i64| {
        Translator(lang).with(
            "conflict-length",
            &[("h", number(minutes / 60)), ("m", number(minutes % 60))],
        )
    };
    assert_eq!(length(Language::Ru, 45), "45 мин");
    assert_eq!(length(Language::Ru, 120), "2 ч");
    assert_eq!(length(Language::En, 150), "2 h 30 min");
    assert_eq!(length(Language::Kk, 61), "1 сағ 1 мин");
    let crowd = |lang, n: i64| {
        Translator(lang).with(
            "conflict-capacity",
            &[
                ("title", string("A")),
                ("subject", string("B")),
                ("expected", number(n)),
                ("capacity", number(20)),
            ],
        )
    };
    assert!(crowd(Language::Ru, 21).contains("ожидается 21 человек,"));
    assert!(crowd(Language::Ru, 23).contains("ожидаются 23 человека,"));
    assert!(crowd(Language::Ru, 25).contains("ожидается 25 человек,"));
    assert!(crowd(Language::En, 1).contains("expects 1 person,"));
    assert!(crowd(Language::En, 30).contains("expects 30 people,"));
}

#[test]
fn a_clash_touching_two_officials_names_both_in_one_sentence() {
    let mut snapshot = programme(vec![
        meeting(1, "A", "15:50", "16:50")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV, SERIKOVA]),
        meeting(2, "B", "17:00", "18:00")
            .at_venue(FRIENDSHIP_HOUSE)
            .with_officials([ASHIMBAYEV, SERIKOVA]),
    ]);
    snapshot
        .travel_times
        .push(travel(DAIRY, FRIENDSHIP_HOUSE, 25));
    let conflicts = find_conflicts(&snapshot, None);
    assert_eq!(conflicts.len(), 2, "one per official");
    let clashes = crate::domain::conflicts::group_clashes(&conflicts);
    assert_eq!(clashes.len(), 1);
    let words = Describer::new(&snapshot);
    let sentence = words.describe_clash(&clashes[0], &conflicts, Language::Ru);
    assert!(
        sentence.starts_with("Ashimbayev M., Serikova A.: между «A»")
            || sentence.starts_with("Serikova A., Ashimbayev M.: между «A»"),
        "{sentence}"
    );
    let sentence = words.describe_clash(&clashes[0], &conflicts, Language::En);
    assert!(
        sentence.contains(" have only 10 minutes between «A»"),
        "{sentence}"
    );
    let one = words.describe(&conflicts[0], Language::En);
    assert!(one.contains(" has only 10 minutes between «A»"), "{one}");
}

#[test]
fn a_clash_naming_several_takes_the_plural() {
    let mut snapshot = programme(vec![
        meeting(1, "A", "15:50", "16:50")
            .at_venue(DAIRY)
            .with_officials([ASHIMBAYEV, SERIKOVA])
            .with_groups([DEPUTIES, STUDENTS]),
        meeting(2, "B", "16:30", "18:00")
            .at_venue(FRIENDSHIP_HOUSE)
            .with_officials([ASHIMBAYEV, SERIKOVA])
            .with_groups([DEPUTIES, STUDENTS]),
        meeting(3, "C", "10:00", "11:00").with_groups([DEPUTIES]),
        meeting(4, "D", "10:30", "11:30").with_groups([DEPUTIES]),
    ]);
    snapshot
        .travel_times
        .push(travel(DAIRY, FRIENDSHIP_HOUSE, 25));
    let conflicts = find_conflicts(&snapshot, None);
    let clashes = crate::domain::conflicts::group_clashes(&conflicts);
    let words = Describer::new(&snapshot);
    let say = |kind: ConflictKind, first: i64, lang: Language| {
        let clash = clashes
            .iter()
            .find(|c| c.kind == kind && c.meeting_ids[0] == first)
            .expect("a clash of that kind");
        words.describe_clash(clash, &conflicts, lang)
    };
    let officials = say(ConflictKind::OfficialDoubleBooked, 1, Language::En);
    assert!(
        officials.contains(" are booked for «A» and «B»"),
        "{officials}"
    );
    let groups = say(ConflictKind::GroupDoubleBooked, 1, Language::En);
    assert!(
        groups.starts_with("Groups «Deputies», «Students» are expected at «A»")
            || groups.starts_with("Groups «Students», «Deputies» are expected at «A»"),
        "{groups}"
    );
    let groups = say(ConflictKind::GroupDoubleBooked, 1, Language::Ru);
    assert!(groups.starts_with("Группы «"), "{groups}");
    assert!(
        groups.contains("» приглашены одновременно на «A»"),
        "{groups}"
    );
    let groups = say(ConflictKind::GroupDoubleBooked, 1, Language::Kk);
    assert!(groups.contains("» топтары «A»"), "{groups}");
    // One group, one official: the singular, as before.
    assert!(say(ConflictKind::GroupDoubleBooked, 3, Language::En)
        .starts_with("Group «Deputies» is expected at «C»"));
    assert!(say(ConflictKind::GroupDoubleBooked, 3, Language::Ru)
        .starts_with("Группа «Deputies» приглашена одновременно на «C»"));
    assert!(
        say(ConflictKind::GroupDoubleBooked, 3, Language::Kk).starts_with("«Deputies» тобы «C»")
    );
}
