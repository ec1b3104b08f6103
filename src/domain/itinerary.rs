//! Itineraries: a visit's programme arranged for one reader, day by day in
//! local time, with the transfers between venues. Two renderings of one plan,
//! as protocol services make them: the working programme (everything, for the
//! organisers) and the guest programme (days, times, places and titles, fit
//! for the delegation and the press).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::values::{MeetingKind, MeetingStatus};

/// Who reads the itinerary, and so what it may show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Everything: notes, logistics, phones, names.
    Internal,
    /// No notes, security or transport details, phone numbers or participants' names.
    Public,
}

/// Whose itinerary it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Filter {
    pub official: Option<i64>,
    pub group: Option<i64>,
    pub participant: Option<i64>,
    pub day: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub position: Option<String>,
    pub precedence: i32,
    pub role: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub id: i64,
    pub name: String,
    pub address: Option<String>,
    pub zone: Tz,
    pub host: Option<String>,
    pub host_phone: Option<String>,
    /// Access rules: protective equipment, photography, entrance and parking.
    pub rules: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Party {
    pub id: i64,
    pub name: String,
    pub headcount: i32,
    pub member_ids: Vec<i64>,
}

/// One programme item with everything an itinerary may print about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub id: i64,
    pub title: String,
    pub kind: MeetingKind,
    pub status: MeetingStatus,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub place: Option<Place>,
    pub officials: Vec<Person>,
    pub groups: Vec<Party>,
    pub participants: Vec<Person>,
    pub responsible: Option<String>,
    pub agenda: Option<String>,
    pub briefing_notes: Option<String>,
    pub logistics: Option<String>,
    pub dress_code: Option<String>,
}

impl Item {
    pub fn is_cancelled(&self) -> bool {
        self.status == MeetingStatus::Cancelled
    }
}

/// The way to the next item's venue.
#[derive(Clone, Debug, PartialEq)]
pub struct Transfer {
    pub to: String,
    pub minutes: i64,
    /// The time between the two items is shorter than the drive.
    pub too_short: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub item: Item,
    /// Local time in the venue's zone (else the visit's): "09:30", "10:45".
    pub starts: String,
    pub ends: String,
    /// The same times in the visit's zone, with its abbreviation, when the
    /// venue's zone differs: "12:30–13:45 +05".
    pub in_visit_zone: Option<String>,
    /// The venue zone's abbreviation when it differs from the visit's.
    pub zone_label: Option<String>,
    pub transfer: Option<Transfer>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Day {
    pub date: NaiveDate,
    pub entries: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Itinerary {
    pub audience: Audience,
    pub days: Vec<Day>,
}

/// Whether an item concerns the reader the filter names. A participant is
/// concerned by items they are invited to by name or through a group.
pub fn concerns(item: &Item, filter: &Filter) -> bool {
    let official = filter
        .official
        .is_none_or(|id| item.officials.iter().any(|o| o.id == id));
    let group = filter
        .group
        .is_none_or(|id| item.groups.iter().any(|g| g.id == id));
    let participant = filter.participant.is_none_or(|id| {
        item.participants.iter().any(|p| p.id == id)
            || item.groups.iter().any(|g| g.member_ids.contains(&id))
    });
    official && group && participant
}

/// Arranges `items` for a reader: only what concerns them, by local day (in
/// `visit_zone`) and time, people in protocol order, transfers between
/// consecutive venues, and for the public nothing internal.
pub fn build(
    mut items: Vec<Item>,
    visit_zone: Tz,
    filter: &Filter,
    audience: Audience,
    travel_minutes: impl Fn(i64, i64) -> i64,
) -> Itinerary {
    items.retain(|item| concerns(item, filter));
    items.retain(|item| {
        filter
            .day
            .is_none_or(|day| item.start.with_timezone(&visit_zone).date_naive() == day)
    });
    items.sort_by_key(|i| (i.start, i.end, i.id));

    // One reader's items follow one another; in the whole programme a
    // transfer leads only to the next item of someone in this one, never to
    // another person's item that happens to come next.
    let personal =
        filter.official.is_some() || filter.group.is_some() || filter.participant.is_some();
    let mut days: BTreeMap<NaiveDate, Vec<Entry>> = BTreeMap::new();
    let count = items.len();
    for index in 0..count {
        let item = &items[index];
        let next = items[index + 1..].iter().find(|n| {
            n.status != MeetingStatus::Cancelled
                && n.start >= item.end
                && (personal || shares_someone(item, n))
        });
        let transfer = match (item.place.as_ref(), next.and_then(|n| n.place.as_ref())) {
            (Some(here), Some(there))
                if here.id != there.id && item.status != MeetingStatus::Cancelled =>
            {
                let minutes = travel_minutes(here.id, there.id);
                let gap = next
                    .map(|n| (n.start - item.end).num_minutes())
                    .unwrap_or(i64::MAX);
                Some(Transfer {
                    to: there.name.clone(),
                    minutes,
                    too_short: gap < minutes,
                })
            }
            _ => None,
        };
        let zone = item.place.as_ref().map(|p| p.zone).unwrap_or(visit_zone);
        let (start, end) = (
            item.start.with_timezone(&zone),
            item.end.with_timezone(&zone),
        );
        let differs = zone != visit_zone;
        let entry = Entry {
            starts: start.format("%H:%M").to_string(),
            ends: end.format("%H:%M").to_string(),
            zone_label: differs.then(|| start.format("%Z").to_string()),
            in_visit_zone: differs.then(|| {
                let (s, e) = (
                    item.start.with_timezone(&visit_zone),
                    item.end.with_timezone(&visit_zone),
                );
                format!(
                    "{}–{} {}",
                    s.format("%H:%M"),
                    e.format("%H:%M"),
                    s.format("%Z")
                )
            }),
            transfer,
            item: for_audience(item.clone(), audience),
        };
        days.entry(item.start.with_timezone(&visit_zone).date_naive())
            .or_default()
            .push(entry);
    }
    Itinerary {
        audience,
        days: days
            .into_iter()
            .map(|(date, entries)| Day { date, entries })
            .collect(),
    }
}

/// Whether two items have an official or a group in common.
pub fn shares_someone(a: &Item, b: &Item) -> bool {
    a.officials
        .iter()
        .any(|o| b.officials.iter().any(|p| p.id == o.id))
        || a.groups
            .iter()
            .any(|g| b.groups.iter().any(|h| h.id == g.id))
}

/// Puts people in protocol order and, for the public, removes what is internal.
fn for_audience(mut item: Item, audience: Audience) -> Item {
    item.officials
        .sort_by(|a, b| (a.precedence, &a.name).cmp(&(b.precedence, &b.name)));
    item.participants.sort_by(|a, b| a.name.cmp(&b.name));
    if audience == Audience::Public {
        item.participants.clear();
        for group in &mut item.groups {
            group.member_ids.clear();
        }
        item.responsible = None;
        item.briefing_notes = None;
        item.logistics = None;
        item.agenda = None;
        if let Some(place) = &mut item.place {
            place.host = None;
            place.host_phone = None;
            place.rules = None;
        }
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn almaty() -> Tz {
        "Asia/Almaty".parse().unwrap()
    }

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        almaty()
            .with_ymd_and_hms(2026, 2, 25, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn place(id: i64, name: &str, zone: Tz) -> Place {
        Place {
            id,
            name: name.into(),
            address: Some("ул. Промышленная, 1".into()),
            zone,
            host: Some("Петров А. С.".into()),
            host_phone: Some("+7 701 600 00 01".into()),
            rules: Some("Каска и очки обязательны".into()),
        }
    }

    fn person(id: i64, name: &str, precedence: i32) -> Person {
        Person {
            id,
            name: name.into(),
            position: None,
            precedence,
            role: None,
        }
    }

    fn item(
        id: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        place: Place,
        officials: Vec<Person>,
    ) -> Item {
        Item {
            id,
            title: format!("Item {id}"),
            kind: MeetingKind::Meeting,
            status: MeetingStatus::Confirmed,
            start,
            end,
            place: Some(place),
            officials,
            groups: vec![Party {
                id: 7,
                name: "Коллектив".into(),
                headcount: 80,
                member_ids: vec![70],
            }],
            participants: vec![person(71, "Ким В. Н.", 0)],
            responsible: Some("Аппарат".into()),
            agenda: Some("Повестка".into()),
            briefing_notes: Some("Тезисы".into()),
            logistics: Some("Кортеж".into()),
            dress_code: None,
        }
    }

    #[test]
    fn a_personal_itinerary_holds_only_that_persons_items_in_order_with_transfers() {
        let plant = place(1, "УКТМК", almaty());
        let dairy = place(2, "Восток-Молоко", almaty());
        let speaker = person(1, "Ашимбаев М. С.", 1);
        let akim = person(2, "Нуржанов Б. С.", 5);
        let items = vec![
            item(
                3,
                at(16, 25),
                at(17, 15),
                dairy.clone(),
                vec![speaker.clone()],
            ),
            item(
                2,
                at(14, 35),
                at(15, 45),
                plant.clone(),
                vec![akim.clone(), speaker.clone()],
            ),
            item(4, at(18, 0), at(19, 0), plant, vec![akim]),
        ];
        let filter = Filter {
            official: Some(1),
            ..Filter::default()
        };
        let it = build(items, almaty(), &filter, Audience::Internal, |_, _| 30);
        let entries = &it.days[0].entries;
        assert_eq!(
            entries.iter().map(|e| e.item.id).collect::<Vec<_>>(),
            [2, 3]
        );
        assert_eq!(
            (entries[0].starts.as_str(), entries[0].ends.as_str()),
            ("14:35", "15:45")
        );
        assert_eq!(
            entries[0].item.officials[0].name, "Ашимбаев М. С.",
            "protocol order"
        );
        let transfer = entries[0].transfer.as_ref().unwrap();
        assert_eq!(
            (transfer.to.as_str(), transfer.minutes, transfer.too_short),
            ("Восток-Молоко", 30, false)
        );
    }

    #[test]
    fn in_the_whole_programme_a_transfer_never_joins_two_peoples_items() {
        let plant = place(1, "УКТМК", almaty());
        let dairy = place(2, "Восток-Молоко", almaty());
        let hotel = place(3, "Иртыш", almaty());
        let speaker = person(1, "Ашимбаев М. С.", 1);
        let secretary = person(3, "Касымова Г. Т.", 10);
        let mut items = vec![
            item(1, at(10, 0), at(11, 0), plant, vec![speaker.clone()]),
            item(2, at(11, 15), at(12, 0), hotel, vec![secretary]),
            item(3, at(12, 30), at(13, 0), dairy, vec![speaker]),
        ];
        for i in &mut items {
            i.groups.clear();
        }
        let it = build(
            items,
            almaty(),
            &Filter::default(),
            Audience::Internal,
            |_, _| 10,
        );
        let entries = &it.days[0].entries;
        let transfer = entries[0].transfer.as_ref().expect("the Speaker moves on");
        assert_eq!(transfer.to, "Восток-Молоко", "to the Speaker's next item");
        assert!(
            entries[1].transfer.is_none(),
            "the secretary goes nowhere after"
        );
    }

    #[test]
    fn a_participant_is_concerned_by_name_or_through_a_group() {
        let plant = place(1, "УКТМК", almaty());
        let one = item(1, at(10, 0), at(11, 0), plant, vec![]);
        let mut other = one.clone();
        other.id = 2;
        other.participants.clear();
        other.groups.clear();
        let by_group = Filter {
            participant: Some(70),
            ..Filter::default()
        };
        assert!(concerns(&one, &by_group));
        assert!(!concerns(&other, &by_group));
    }

    #[test]
    fn the_public_rendering_has_nothing_internal() {
        let it = build(
            vec![item(
                1,
                at(10, 0),
                at(11, 0),
                place(1, "УКТМК", almaty()),
                vec![],
            )],
            almaty(),
            &Filter::default(),
            Audience::Public,
            |_, _| 0,
        );
        let shown = &it.days[0].entries[0].item;
        assert!(shown.participants.is_empty() && shown.groups[0].member_ids.is_empty());
        assert_eq!(
            (
                shown.briefing_notes.as_ref(),
                shown.logistics.as_ref(),
                shown.agenda.as_ref()
            ),
            (None, None, None)
        );
        let place = shown.place.as_ref().unwrap();
        assert_eq!(
            (place.host_phone.as_ref(), place.rules.as_ref()),
            (None, None)
        );
        assert_eq!(shown.groups[0].headcount, 80, "how many attend is public");
    }

    #[test]
    fn a_venue_in_another_zone_shows_both_times() {
        let moscow: Tz = "Europe/Moscow".parse().unwrap();
        let it = build(
            vec![item(
                1,
                at(10, 0),
                at(11, 0),
                place(1, "Совет Федерации", moscow),
                vec![],
            )],
            almaty(),
            &Filter::default(),
            Audience::Internal,
            |_, _| 0,
        );
        let entry = &it.days[0].entries[0];
        assert_eq!(
            (entry.starts.as_str(), entry.zone_label.as_deref()),
            ("08:00", Some("MSK"))
        );
        assert_eq!(entry.in_visit_zone.as_deref(), Some("10:00–11:00 +05"));
    }

    #[test]
    fn a_day_filter_keeps_that_local_day() {
        let plant = place(1, "УКТМК", almaty());
        let late = item(1, at(23, 30), at(23, 50), plant.clone(), vec![]);
        let mut next = item(2, at(23, 30), at(23, 50), plant, vec![]);
        next.start += chrono::Duration::days(1);
        next.end += chrono::Duration::days(1);
        let filter = Filter {
            day: NaiveDate::from_ymd_opt(2026, 2, 25),
            ..Filter::default()
        };
        let it = build(
            vec![late, next],
            almaty(),
            &filter,
            Audience::Internal,
            |_, _| 0,
        );
        assert_eq!(it.days.len(), 1);
        assert_eq!(it.days[0].entries[0].item.id, 1);
    }
}
