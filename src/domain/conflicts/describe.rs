//! One sentence per conflict, in the planner's language, naming the people,
//! places and meetings with their local times (the venue's zone, else the
//! visit's). The templates live here as match arms so the engine stays pure; a
//! translation catalogue may take them over later.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::conflict::{Conflict, ConflictDetails, ConflictKind, Severity, Subject};
use super::index::IdMap;
use super::snapshot::{Meeting, Snapshot, Venue, Visit};
use crate::domain::values::{Language, TimeRange};

/// The sentence for one conflict. Builds lookups over the whole snapshot; to
/// describe many conflicts, make one [`Describer`] and reuse it.
pub fn describe(conflict: &Conflict, snapshot: &Snapshot, lang: Language) -> String {
    Describer::new(snapshot).describe(conflict, lang)
}

/// Names and times looked up by id, built once per snapshot.
pub struct Describer<'s> {
    meetings: IdMap<&'s Meeting>,
    officials: IdMap<&'s str>,
    venues: IdMap<&'s Venue>,
    groups: IdMap<&'s str>,
    participants: IdMap<&'s str>,
    visits: IdMap<&'s Visit>,
}

/// A meeting as a sentence shows it.
struct Shown<'s> {
    title: String,
    time: Option<TimeRange>,
    /// The venue's zone, else the visit's, else UTC.
    zone: Tz,
    visit: Option<&'s Visit>,
}

impl<'s> Describer<'s> {
    pub fn new(snapshot: &'s Snapshot) -> Self {
        Self {
            meetings: snapshot.meetings.iter().map(|m| (m.id, m)).collect(),
            officials: snapshot
                .officials
                .iter()
                .map(|o| (o.id, o.full_name.as_str()))
                .collect(),
            venues: snapshot.venues.iter().map(|v| (v.id, v)).collect(),
            groups: snapshot
                .groups
                .iter()
                .map(|g| (g.id, g.name.as_str()))
                .collect(),
            participants: snapshot
                .participants
                .iter()
                .map(|p| (p.id, p.full_name.as_str()))
                .collect(),
            visits: snapshot.visits.iter().map(|v| (v.id, v)).collect(),
        }
    }

    pub fn describe(&self, conflict: &Conflict, lang: Language) -> String {
        let mut shown: Vec<Shown> = conflict
            .meeting_ids
            .iter()
            .map(|&id| self.shown(id))
            .collect();
        shown.sort_by_key(|s| s.time.map(|t| t.start()));
        let subject = conflict.subject.map(|s| self.name(s)).unwrap_or_default();
        let first = shown.first();
        let title = |s: Option<&Shown>| s.map_or(String::new(), |s| s.title.clone());
        match (&conflict.details, shown.as_slice()) {
            (ConflictDetails::Overlap { .. }, [a, b]) => {
                let dated = local_date(a) != local_date(b);
                let (ta, tb) = (span_of(a, dated), span_of(b, dated));
                double_booked(conflict.kind, lang, &subject, &a.title, &b.title, &ta, &tb)
            }
            (
                ConflictDetails::Travel {
                    from_venue_id,
                    to_venue_id,
                    gap_minutes,
                    needed_minutes,
                    buffer_minutes,
                    ..
                },
                [a, b],
            ) => {
                let who = match conflict.subject {
                    Some(Subject::Group(_)) => group_phrase(lang, &subject),
                    _ => subject,
                };
                let ends = a.time.map_or(String::new(), |t| clock(t.end(), a.zone));
                let starts = b.time.map_or(String::new(), |t| clock(t.start(), b.zone));
                let trip = Trip {
                    from: self.venue_name(*from_venue_id),
                    to: self.venue_name(*to_venue_id),
                    gap: *gap_minutes,
                    needed: *needed_minutes,
                    buffer: *buffer_minutes,
                };
                let warning = conflict.severity == Severity::Warning;
                travel(
                    lang,
                    &who,
                    (&a.title, &ends),
                    (&b.title, &starts),
                    &trip,
                    warning,
                )
            }
            (ConflictDetails::OpeningHours { opens, closes }, _) => {
                let hours = format!("{}–{}", opens.format("%H:%M"), closes.format("%H:%M"));
                let when = first.map_or(String::new(), |s| span_of(s, false));
                let title = title(first);
                match lang {
                    Language::En => format!(
                        "«{title}» ({when}) at {subject} is outside its opening hours ({hours})."
                    ),
                    Language::Ru => format!(
                        "«{title}» ({when}) выходит за часы работы площадки «{subject}» ({hours})."
                    ),
                    Language::Kk => format!(
                        "«{title}» ({when}) «{subject}» орнының жұмыс уақытынан ({hours}) тыс өтеді."
                    ),
                }
            }
            (ConflictDetails::Capacity { expected, capacity }, _) => {
                let title = title(first);
                match lang {
                    Language::En => format!(
                        "«{title}» at {subject} expects {expected} people, but the venue holds {capacity}."
                    ),
                    Language::Ru => format!(
                        "На «{title}» ожидается {expected} чел., а площадка «{subject}» вмещает {capacity}."
                    ),
                    Language::Kk => format!(
                        "«{title}» іс-шарасына {expected} адам күтіледі, ал «{subject}» орны {capacity} адамды ғана сыйғызады."
                    ),
                }
            }
            (
                ConflictDetails::VisitDates {
                    first_day,
                    last_day,
                    ..
                },
                _,
            ) => {
                // The visit's days are in its zone, so the time is shown there too.
                let when = first.map_or(String::new(), |s| {
                    let zone = s.visit.map_or(s.zone, |v| v.timezone);
                    s.time.map_or(String::new(), |t| span(t, zone, true))
                });
                let days = format!("{}–{}", date(*first_day), date(*last_day));
                let title = title(first);
                match lang {
                    Language::En => {
                        format!("«{title}» ({when}) falls outside the visit's days ({days}).")
                    }
                    Language::Ru => format!("«{title}» ({when}) выходит за даты визита ({days})."),
                    Language::Kk => format!("«{title}» ({when}) сапар күндерінен ({days}) тыс."),
                }
            }
            (ConflictDetails::Unavailable { window, reason }, _) => {
                let zone = first.map_or(Tz::UTC, |s| s.zone);
                let window = span(*window, zone, true);
                let reason = reason
                    .as_deref()
                    .filter(|r| !r.trim().is_empty())
                    .map_or(String::new(), |r| format!(" ({})", r.trim()));
                let when = first.map_or(String::new(), |s| span_of(s, false));
                let title = title(first);
                unavailable(
                    conflict.kind,
                    lang,
                    &subject,
                    &window,
                    &reason,
                    &title,
                    &when,
                )
            }
            (
                ConflictDetails::NoBreak {
                    stretch,
                    min_break_minutes,
                    ..
                },
                _,
            ) => {
                let zone = first.map_or(Tz::UTC, |s| s.zone);
                let (from, to) = span_ends(*stretch, zone);
                let minutes = stretch.duration().num_minutes();
                let titles = shown
                    .iter()
                    .map(|s| format!("«{}»", s.title))
                    .collect::<Vec<_>>()
                    .join(", ");
                let length = duration(lang, minutes);
                match lang {
                    Language::En => format!(
                        "{subject} has no break of at least {} from {from} to {to}: {titles} follow one another for {length}.",
                        minutes_en(*min_break_minutes)
                    ),
                    Language::Ru => format!(
                        "{subject}: с {from} до {to} нет перерыва хотя бы на {min_break_minutes} мин — {titles} идут подряд {length}."
                    ),
                    Language::Kk => format!(
                        "{subject}: {from}–{to} аралығында кемінде {min_break_minutes} минуттық үзіліс жоқ: {titles} {length} бойы қатарынан өтеді."
                    ),
                }
            }
            // Details that do not match the meetings listed: a conflict built
            // by hand. Say what we can.
            _ => {
                let titles = shown
                    .iter()
                    .map(|s| format!("«{}»", s.title))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("{}: {subject} {titles}", conflict.kind)
            }
        }
    }

    fn shown(&self, id: i64) -> Shown<'s> {
        match self.meetings.get(&id) {
            Some(m) => {
                let visit = self.visits.get(&m.visit_id).copied();
                let zone = m
                    .venue_id
                    .and_then(|v| self.venues.get(&v))
                    .map(|v| v.timezone)
                    .or(visit.map(|v| v.timezone))
                    .unwrap_or(Tz::UTC);
                Shown {
                    title: m.title.clone(),
                    time: Some(m.time),
                    zone,
                    visit,
                }
            }
            None => Shown {
                title: format!("#{id}"),
                time: None,
                zone: Tz::UTC,
                visit: None,
            },
        }
    }

    fn name(&self, subject: Subject) -> String {
        let found = match subject {
            Subject::Official(id) => self.officials.get(&id).copied(),
            Subject::Venue(id) => self.venues.get(&id).map(|v| v.name.as_str()),
            Subject::Group(id) => self.groups.get(&id).copied(),
            Subject::Participant(id) => self.participants.get(&id).copied(),
        };
        found.map_or_else(|| format!("#{}", subject.id()), str::to_owned)
    }

    fn venue_name(&self, id: i64) -> String {
        self.name(Subject::Venue(id))
    }
}

fn double_booked(
    kind: ConflictKind,
    lang: Language,
    who: &str,
    a: &str,
    b: &str,
    ta: &str,
    tb: &str,
) -> String {
    use ConflictKind as K;
    match (kind, lang) {
        (K::VenueDoubleBooked, Language::En) => {
            format!("{who} is booked for «{a}» and «{b}» at the same time ({ta} and {tb}).")
        }
        (K::VenueDoubleBooked, Language::Ru) => {
            format!("Площадка «{who}» занята одновременно: «{a}» и «{b}» ({ta} и {tb}).")
        }
        (K::VenueDoubleBooked, Language::Kk) => {
            format!("«{who}» орнында «{a}» және «{b}» бір уақытта өтеді ({ta} және {tb}).")
        }
        (K::GroupDoubleBooked, Language::En) => format!(
            "Group «{who}» is expected at «{a}» and «{b}» at the same time ({ta} and {tb})."
        ),
        (K::GroupDoubleBooked, Language::Ru) => {
            format!("Группа «{who}» приглашена одновременно на «{a}» и «{b}» ({ta} и {tb}).")
        }
        (K::GroupDoubleBooked, Language::Kk) => format!(
            "«{who}» тобы «{a}» және «{b}» іс-шараларына бір уақытта шақырылған ({ta} және {tb})."
        ),
        (K::ParticipantDoubleBooked, Language::En) => {
            format!("{who} is invited to «{a}» and «{b}» at the same time ({ta} and {tb}).")
        }
        (K::ParticipantDoubleBooked, Language::Ru) => {
            format!("{who}: приглашения на «{a}» и «{b}» совпадают по времени ({ta} и {tb}).")
        }
        (K::ParticipantDoubleBooked, Language::Kk) => {
            format!("{who}: «{a}» және «{b}» шақыруларының уақыты қабаттасады ({ta} және {tb}).")
        }
        (_, Language::En) => {
            format!("{who} is booked for «{a}» and «{b}» at the same time ({ta} and {tb}).")
        }
        (_, Language::Ru) => {
            format!("{who}: «{a}» и «{b}» назначены на одно и то же время ({ta} и {tb}).")
        }
        (_, Language::Kk) => {
            format!("{who}: «{a}» және «{b}» бір уақытқа белгіленген ({ta} және {tb}).")
        }
    }
}

struct Trip {
    from: String,
    to: String,
    gap: i64,
    needed: i64,
    buffer: i64,
}

fn travel(
    lang: Language,
    who: &str,
    (a, ends): (&str, &str),
    (b, starts): (&str, &str),
    trip: &Trip,
    warning: bool,
) -> String {
    let Trip {
        from,
        to,
        gap,
        needed,
        buffer,
    } = trip;
    match (lang, warning) {
        (Language::En, false) => format!(
            "{who} has only {} between «{a}» (ends {ends}) and «{b}» (starts {starts}), but the transfer from {from} to {to} takes {}.",
            minutes_en(*gap),
            minutes_en(*needed)
        ),
        (Language::En, true) => format!(
            "{who} has {} between «{a}» (ends {ends}) and «{b}» (starts {starts}); the transfer from {from} to {to} takes {}, leaving less than {} to spare.",
            minutes_en(*gap),
            minutes_en(*needed),
            minutes_en(*buffer)
        ),
        (Language::Ru, false) => format!(
            "{who}: между «{a}» (окончание в {ends}) и «{b}» (начало в {starts}) только {}, а время в пути из «{from}» в «{to}» — {}.",
            minutes_ru(*gap),
            minutes_ru(*needed)
        ),
        (Language::Ru, true) => format!(
            "{who}: между «{a}» (окончание в {ends}) и «{b}» (начало в {starts}) {}, время в пути из «{from}» в «{to}» — {}, запас меньше {buffer} мин.",
            minutes_ru(*gap),
            minutes_ru(*needed)
        ),
        (Language::Kk, false) => format!(
            "{who}: «{a}» (аяқталуы {ends}) және «{b}» (басталуы {starts}) арасында небәрі {gap} минут бар, ал «{from}» орнынан «{to}» орнына дейінгі жол {needed} минут алады."
        ),
        (Language::Kk, true) => format!(
            "{who}: «{a}» (аяқталуы {ends}) және «{b}» (басталуы {starts}) арасында {gap} минут бар, «{from}» орнынан «{to}» орнына дейінгі жол {needed} минут алады, {buffer} минуттық уақыт қоры қалмайды."
        ),
    }
}

fn unavailable(
    kind: ConflictKind,
    lang: Language,
    who: &str,
    window: &str,
    reason: &str,
    title: &str,
    when: &str,
) -> String {
    match (kind, lang) {
        (ConflictKind::VenueUnavailable, Language::En) => format!(
            "{who} is unavailable {window}{reason}, but «{title}» is held there ({when})."
        ),
        (ConflictKind::VenueUnavailable, Language::Ru) => format!(
            "Площадка «{who}» недоступна {window}{reason}, а на это время там назначено мероприятие «{title}» ({when})."
        ),
        (ConflictKind::VenueUnavailable, Language::Kk) => format!(
            "«{who}» орны {window} аралығында қолжетімсіз{reason}, бірақ онда «{title}» ({when}) өтеді."
        ),
        (_, Language::En) => format!(
            "{who} is unavailable {window}{reason}, but is booked for «{title}» ({when})."
        ),
        (_, Language::Ru) => format!(
            "{who}: «{title}» ({when}) приходится на период недоступности {window}{reason}."
        ),
        (_, Language::Kk) => format!(
            "{who} {window} аралығында қолжетімсіз{reason}, бірақ «{title}» ({when}) іс-шарасына белгіленген."
        ),
    }
}

fn group_phrase(lang: Language, name: &str) -> String {
    match lang {
        Language::En => format!("Group «{name}»"),
        Language::Ru => format!("Группа «{name}»"),
        Language::Kk => format!("«{name}» тобы"),
    }
}

fn local_date(shown: &Shown) -> Option<NaiveDate> {
    shown
        .time
        .map(|t| t.start().with_timezone(&shown.zone).date_naive())
}

fn span_of(shown: &Shown, dated: bool) -> String {
    shown
        .time
        .map_or(String::new(), |t| span(t, shown.zone, dated))
}

/// `10:00–11:00`; with dates (`25.02 10:00–11:00`) when asked or when the range
/// crosses local midnight (`25.02 23:30–26.02 00:30`).
fn span(range: TimeRange, zone: Tz, dated: bool) -> String {
    let (start, end) = (
        range.start().with_timezone(&zone),
        range.end().with_timezone(&zone),
    );
    if start.date_naive() != end.date_naive() {
        format!(
            "{}–{}",
            start.format("%d.%m %H:%M"),
            end.format("%d.%m %H:%M")
        )
    } else if dated {
        format!("{}–{}", start.format("%d.%m %H:%M"), end.format("%H:%M"))
    } else {
        format!("{}–{}", start.format("%H:%M"), end.format("%H:%M"))
    }
}

/// The two ends of a range, dated only when it crosses local midnight.
fn span_ends(range: TimeRange, zone: Tz) -> (String, String) {
    let (start, end) = (
        range.start().with_timezone(&zone),
        range.end().with_timezone(&zone),
    );
    let format = if start.date_naive() != end.date_naive() {
        "%d.%m %H:%M"
    } else {
        "%H:%M"
    };
    (
        start.format(format).to_string(),
        end.format(format).to_string(),
    )
}

fn clock(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%H:%M").to_string()
}

fn date(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

fn minutes_en(n: i64) -> String {
    if n == 1 {
        "1 minute".to_owned()
    } else {
        format!("{n} minutes")
    }
}

/// `1 минута`, `2 минуты`, `5 минут`, `21 минута`: the nominative after a number.
pub(super) fn minutes_ru(n: i64) -> String {
    let (last, last_two) = (n.abs() % 10, n.abs() % 100);
    let word = if last == 1 && last_two != 11 {
        "минута"
    } else if (2..=4).contains(&last) && !(12..=14).contains(&last_two) {
        "минуты"
    } else {
        "минут"
    };
    format!("{n} {word}")
}

fn duration(lang: Language, minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let (hours, mins) = match lang {
        Language::En => ("h", "min"),
        Language::Ru => ("ч", "мин"),
        Language::Kk => ("сағ", "мин"),
    };
    match (h, m) {
        (0, m) => format!("{m} {mins}"),
        (h, 0) => format!("{h} {hours}"),
        (h, m) => format!("{h} {hours} {m} {mins}"),
    }
}
