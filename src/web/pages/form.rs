//! Forms from field descriptions: one description of an entity's fields both
//! renders its form (values kept, problems marked beside each field) and reads
//! the submission back into the entity's input, which the services validate.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::domain::{FieldProblem, ValidationErrors};
use crate::i18n::{self, Translator};
use crate::services::Page;

/// How a field is typed and shown.
#[derive(Clone, Debug)]
pub enum Kind {
    Text,
    LongText,
    Email,
    Tel,
    Integer,
    Decimal,
    Date,
    Time,
    /// A local date and time, read in the zone the page gives.
    Instant,
    /// One of a closed vocabulary; labels come from `<prefix>-<word>`.
    Word {
        words: Vec<&'static str>,
        prefix: &'static str,
    },
    /// One of a list loaded at request time (an official, a venue…).
    Reference(Source),
    /// Several of such a list.
    References(Source),
    Zone,
}

/// Where a reference field's choices come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    Officials,
    Venues,
    Groups,
    Participants,
}

impl Source {
    /// Whether a form searches this source rather than listing it whole: an
    /// office keeps thousands of officials, participants and groups, but a
    /// few hundred venues still make a usable list.
    pub fn searched(self) -> bool {
        !matches!(self, Source::Venues)
    }
}

/// The most matches a picker's search shows at once.
pub const FOUND_LIMIT: i64 = 20;

/// The name of the buttons that search a form's pickers instead of saving it.
pub const FIND: &str = "_find";

/// The name of a picker's search box: `find-participant_ids`.
pub fn search_key(field: &str) -> String {
    format!("find-{field}")
}

/// Whether a form was sent to run its pickers' searches (a find button, or
/// Enter, whose default is the first find button) rather than to be saved.
pub fn finding(submitted: &Submitted) -> bool {
    submitted.contains_key(FIND)
}

/// The text typed into a picker's search box, if any.
pub fn search_of<'a>(submitted: &'a Submitted, field: &str) -> Option<&'a str> {
    Some(first(submitted, &search_key(field)).trim()).filter(|q| !q.is_empty())
}

/// The ids a submission names in each searched source's fields (what its
/// pickers show as chosen, and a list page as names).
pub fn named_ids(fields: &[Field], values: &Submitted) -> HashMap<Source, Vec<i64>> {
    let mut named: HashMap<Source, Vec<i64>> = HashMap::new();
    for field in fields {
        let (Kind::Reference(source) | Kind::References(source)) = field.kind else {
            continue;
        };
        let ids = values
            .get(field.name)
            .into_iter()
            .flatten()
            .filter_map(|v| v.trim().parse::<i64>().ok());
        named.entry(source).or_default().extend(ids);
    }
    for ids in named.values_mut() {
        ids.sort_unstable();
        ids.dedup();
    }
    named
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

impl Field {
    pub fn new(name: &'static str, kind: Kind) -> Self {
        Self {
            name,
            kind,
            required: false,
        }
    }

    pub fn required(name: &'static str, kind: Kind) -> Self {
        Self {
            name,
            kind,
            required: true,
        }
    }
}

/// What reference fields show: whole lists of the small sources, the names
/// of the records a form names, and what each picker's search found.
#[derive(Default)]
pub struct Choices {
    /// Sources listed whole (venues): `(id, label)` in list order.
    pub listed: HashMap<Source, Vec<(i64, String)>>,
    /// Labels of the named records of searched sources, by id.
    pub named: HashMap<Source, HashMap<i64, String>>,
    /// Each picker's search results (one page, and how many match in all),
    /// by field name.
    pub found: HashMap<&'static str, Page<(i64, String)>>,
}

impl Choices {
    /// A record's label, or `#id` for one that no longer exists (or never did).
    pub fn label(&self, source: Source, id: i64) -> String {
        let named = self.named.get(&source).and_then(|names| names.get(&id));
        let listed = || {
            self.listed
                .get(&source)
                .and_then(|list| list.iter().find(|(i, _)| *i == id))
                .map(|(_, label)| label)
        };
        named
            .or_else(listed)
            .cloned()
            .unwrap_or_else(|| format!("#{id}"))
    }
}

/// One field as the template draws it.
pub struct Control {
    pub name: &'static str,
    pub label: String,
    pub widget: &'static str,
    pub required: bool,
    pub value: String,
    pub options: Vec<Choice>,
    /// For a reference searched rather than listed.
    pub picker: Option<Picker>,
    pub problem: Option<String>,
    pub hint: Option<String>,
}

/// A reference field as a search: the chosen records ticked, a search box, and
/// the matches of the last search to tick. Works without script: the search
/// is a submit button that shows the same form again, unsaved, with the matches.
pub struct Picker {
    /// Checkboxes for several, radio buttons for one.
    pub multiple: bool,
    /// The text in the search box.
    pub query: String,
    /// What the form holds now, ticked.
    pub chosen: Vec<Choice>,
    /// Matches of the search not already chosen, unticked.
    pub found: Vec<Choice>,
    /// How many records match the search, chosen or not.
    pub matched: i64,
    /// Matches beyond the page shown.
    pub more: i64,
    /// Whether a search ran (so "nothing found" can be said).
    pub searched: bool,
}

impl Picker {
    pub fn input_type(&self) -> &'static str {
        if self.multiple {
            "checkbox"
        } else {
            "radio"
        }
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Submitted values by field name (a multi-select sends its name once per value).
pub type Submitted = BTreeMap<String, Vec<String>>;

pub fn parse_body(body: &[u8]) -> Result<Submitted, String> {
    let pairs: Vec<(String, String)> =
        serde_html_form::from_bytes(body).map_err(|e| e.to_string())?;
    let mut submitted = Submitted::new();
    for (key, value) in pairs {
        submitted.entry(key).or_default().push(value);
    }
    Ok(submitted)
}

pub fn first<'a>(submitted: &'a Submitted, name: &str) -> &'a str {
    submitted
        .get(name)
        .and_then(|v| v.first())
        .map(String::as_str)
        .unwrap_or("")
}

/// A problem worded in the reader's language.
pub fn problem_text(t: Translator, problem: &FieldProblem) -> String {
    match problem {
        FieldProblem::Required => t.get("problem-required").to_owned(),
        FieldProblem::TooLong { max } => t.with("problem-too_long", &[("max", i18n::number(*max))]),
        FieldProblem::InvalidEmail => t.get("problem-email").to_owned(),
        FieldProblem::UnknownTimeZone => t.get("problem-zone").to_owned(),
        FieldProblem::EndNotAfterStart => t.get("problem-end_before_start").to_owned(),
        FieldProblem::FirstDayAfterLastDay => t.get("problem-last_before_first").to_owned(),
        FieldProblem::OutOfRange { min, max } => t.with(
            "problem-range",
            &[("min", i18n::string(min)), ("max", i18n::string(max))],
        ),
        FieldProblem::NotOneOf { .. } => t.get("problem-choice").to_owned(),
        FieldProblem::UnknownId { .. } => t.get("problem-unknown").to_owned(),
        FieldProblem::Duplicate => t.get("problem-duplicate").to_owned(),
        FieldProblem::NotAWholeNumber => t.get("problem-whole_number").to_owned(),
        FieldProblem::NotANumber => t.get("problem-number").to_owned(),
        FieldProblem::NotAChoice => t.get("problem-choice").to_owned(),
        FieldProblem::NotADate => t.get("problem-date").to_owned(),
        FieldProblem::DateOutOfBounds => t.get("problem-date_bounds").to_owned(),
        FieldProblem::NotADateTime => t.get("problem-date_time").to_owned(),
        FieldProblem::NotATime => t.get("problem-time").to_owned(),
        FieldProblem::NotSingleLine => t.get("problem-single_line").to_owned(),
        FieldProblem::ListedTwice => t.get("problem-listed_twice").to_owned(),
        FieldProblem::BelowMembers { members } => t.with(
            "problem-below_members",
            &[("members", i18n::number(*members))],
        ),
        FieldProblem::VisitTooLong { max_days } => t.with(
            "problem-visit_too_long",
            &[("days", i18n::number(*max_days))],
        ),
        FieldProblem::NotAmongOfficials { id } => {
            t.with("problem-not_among_officials", &[("id", i18n::number(*id))])
        }
        FieldProblem::OfficialOrVenue => t.get("problem-official_or_venue").to_owned(),
        FieldProblem::SameVenue => t.get("problem-same_venue").to_owned(),
        FieldProblem::PasswordTooShort { min } => {
            t.with("problem-password_short", &[("min", i18n::number(*min))])
        }
        FieldProblem::NoSuchUser => t.get("problem-no_such_user").to_owned(),
        FieldProblem::WrongPassword => t.get("problem-wrong_password").to_owned(),
        FieldProblem::PasswordsDiffer => t.get("problem-passwords_differ").to_owned(),
        FieldProblem::RefusedRecipients { addresses } => t.with(
            "problem-refused_recipients",
            &[("addresses", i18n::string(addresses.join(", ")))],
        ),
        FieldProblem::TooManyRecipients { max } => t.with(
            "problem-too_many_recipients",
            &[("max", i18n::number(*max))],
        ),
        FieldProblem::TooManyIds { max } => {
            t.with("problem-too_many_ids", &[("max", i18n::number(*max))])
        }
        FieldProblem::ShiftByZero => t.get("problem-shift_zero").to_owned(),
        FieldProblem::ShiftPastDayEnd => t.get("problem-shift_past_day").to_owned(),
        FieldProblem::ShiftBeforeDayStart => t.get("problem-shift_before_day").to_owned(),
        FieldProblem::MeetingCancelled => t.get("problem-meeting_cancelled").to_owned(),
        FieldProblem::Invalid { reason } => format!("{} ({reason})", t.get("problem-invalid")),
    }
}

fn widget(kind: &Kind) -> &'static str {
    match kind {
        Kind::Text | Kind::Zone => "text",
        Kind::LongText => "textarea",
        Kind::Email => "email",
        Kind::Tel => "tel",
        Kind::Integer | Kind::Decimal => "number",
        Kind::Date => "date",
        Kind::Time => "time",
        Kind::Instant => "datetime-local",
        Kind::Reference(source) | Kind::References(source) if source.searched() => "picker",
        Kind::Word { .. } | Kind::Reference(_) => "select",
        Kind::References(_) => "multiselect",
    }
}

/// The form's values from an input (for an edit form), instants shown in `zone`.
pub fn values_of(fields: &[Field], input: &impl Serialize, zone: Tz) -> Submitted {
    let json = serde_json::to_value(input).unwrap_or_default();
    let mut values = Submitted::new();
    for field in fields {
        let value = &json[field.name];
        let shown: Vec<String> = match (&field.kind, value) {
            (_, Value::Null) => vec![],
            (Kind::Instant, Value::String(s)) => chrono::DateTime::parse_from_rfc3339(s)
                .map(|at| vec![at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string()])
                .unwrap_or_default(),
            (_, Value::Array(items)) => items.iter().map(scalar).collect(),
            (_, other) => vec![scalar(other)],
        };
        values.insert(field.name.to_owned(), shown);
    }
    values
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Reads a submission into `T`. Typing problems (a number that is not one, a
/// time that is not a time) are reported per field, like validation.
pub fn read<T: DeserializeOwned>(
    fields: &[Field],
    submitted: &Submitted,
    zone: Tz,
) -> Result<T, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut object = Map::new();
    for field in fields {
        let values: Vec<&str> = submitted
            .get(field.name)
            .map(|v| {
                v.iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let one = values.first().copied();
        let value = match (&field.kind, one) {
            (Kind::References(_), _) => {
                let mut ids = Vec::new();
                for v in &values {
                    match v.parse::<i64>() {
                        Ok(id) => ids.push(Value::from(id)),
                        Err(_) => errors.add(field.name, FieldProblem::NotAChoice),
                    }
                }
                Value::Array(ids)
            }
            (_, None) => Value::Null,
            (Kind::Integer, Some(v)) => match v.parse::<i32>() {
                Ok(n) => Value::from(n),
                Err(_) => {
                    errors.add(field.name, FieldProblem::NotAWholeNumber);
                    Value::Null
                }
            },
            (Kind::Decimal, Some(v)) => match v.replace(',', ".").parse::<f64>() {
                Ok(n) if n.is_finite() => Value::from(n),
                _ => {
                    errors.add(field.name, FieldProblem::NotANumber);
                    Value::Null
                }
            },
            (Kind::Reference(_), Some(v)) => match v.parse::<i64>() {
                Ok(id) => Value::from(id),
                Err(_) => {
                    errors.add(field.name, FieldProblem::NotAChoice);
                    Value::Null
                }
            },
            (Kind::Instant, Some(v)) => match local_instant(v, zone) {
                Some(at) => Value::from(at),
                None => {
                    errors.add(field.name, FieldProblem::NotADateTime);
                    Value::Null
                }
            },
            (Kind::Date, Some(v)) if chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err() => {
                errors.add(field.name, FieldProblem::NotADate);
                Value::Null
            }
            (_, Some(v)) => Value::from(v),
        };
        object.insert(field.name.to_owned(), value);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    serde_json::from_value(Value::Object(object)).map_err(|e| {
        ValidationErrors::single(
            "form",
            FieldProblem::Invalid {
                reason: e.to_string(),
            },
        )
    })
}

/// `YYYY-MM-DDTHH:MM` in `zone`, as RFC 3339 with that zone's offset.
fn local_instant(text: &str, zone: Tz) -> Option<String> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    // In a gap of a daylight-saving change, the later reading; Kazakhstan has none.
    let at = zone.from_local_datetime(&naive).earliest()?;
    Some(at.fixed_offset().to_rfc3339())
}

/// The controls of a form: values as given, problems worded, choices listed.
pub fn controls(
    t: Translator,
    fields: &[Field],
    values: &Submitted,
    errors: &ValidationErrors,
    choices: &Choices,
) -> Vec<Control> {
    fields
        .iter()
        .map(|field| {
            let given = values.get(field.name).cloned().unwrap_or_default();
            let selected = |value: &str| given.iter().any(|g| g == value);
            let options = match &field.kind {
                Kind::Word { words, prefix } => words
                    .iter()
                    .map(|w| Choice {
                        value: (*w).to_owned(),
                        label: t.get(&format!("{prefix}-{w}")).to_owned(),
                        selected: selected(w),
                    })
                    .collect(),
                Kind::Reference(source) | Kind::References(source) if !source.searched() => choices
                    .listed
                    .get(source)
                    .map(|list| {
                        list.iter()
                            .map(|(id, label)| Choice {
                                value: id.to_string(),
                                label: label.clone(),
                                selected: selected(&id.to_string()),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            let hint_key = format!("hint-{}", field.name);
            let hint = Some(t.get(&hint_key))
                .filter(|h| *h != hint_key)
                .map(str::to_owned);
            let picker = match field.kind {
                Kind::Reference(source) if source.searched() => {
                    Some(picker(field, source, false, &given, values, choices))
                }
                Kind::References(source) if source.searched() => {
                    Some(picker(field, source, true, &given, values, choices))
                }
                _ => None,
            };
            Control {
                name: field.name,
                label: t.get(&format!("field-{}", field.name)).to_owned(),
                widget: widget(&field.kind),
                required: field.required,
                value: given.first().cloned().unwrap_or_default(),
                options,
                picker,
                problem: errors.get(field.name).map(|p| problem_text(t, p)),
                hint,
            }
        })
        .collect()
}

/// A searched reference field: the given values ticked (a value that is no
/// id is kept as typed, so the field's problem has something to point at),
/// then the search's matches not already among them.
fn picker(
    field: &Field,
    source: Source,
    multiple: bool,
    given: &[String],
    values: &Submitted,
    choices: &Choices,
) -> Picker {
    let chosen: Vec<Choice> = given
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .take(if multiple { usize::MAX } else { 1 })
        .map(|v| Choice {
            value: v.to_owned(),
            label: match v.parse::<i64>() {
                Ok(id) => choices.label(source, id),
                Err(_) => v.to_owned(),
            },
            selected: true,
        })
        .collect();
    let found = choices.found.get(field.name);
    Picker {
        multiple,
        query: search_of(values, field.name).unwrap_or("").to_owned(),
        found: found
            .map(|found| {
                found
                    .items
                    .iter()
                    .filter(|(id, _)| !chosen.iter().any(|c| c.value == id.to_string()))
                    .map(|(id, label)| Choice {
                        value: id.to_string(),
                        label: label.clone(),
                        selected: false,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        matched: found.map_or(0, |f| f.total),
        more: found.map_or(0, |f| (f.total - f.items.len() as i64).max(0)),
        searched: found.is_some(),
        chosen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::MeetingInput;

    fn fields() -> Vec<Field> {
        vec![
            Field::required("title", Kind::Text),
            Field::required("starts_at", Kind::Instant),
            Field::new("official_ids", Kind::References(Source::Officials)),
            Field::new("venue_id", Kind::Reference(Source::Venues)),
        ]
    }

    #[test]
    fn a_submission_reads_into_the_input_with_local_times_in_the_zone() {
        let submitted = parse_body(b"title=%D0%92%D1%81%D1%82%D1%80%D0%B5%D1%87%D0%B0&starts_at=2026-02-25T10%3A00&official_ids=3&official_ids=1&venue_id=").unwrap();
        let zone: Tz = "Asia/Almaty".parse().unwrap();
        let input: MeetingInput = read(&fields(), &submitted, zone).unwrap();
        assert_eq!(input.title.as_deref(), Some("Встреча"));
        assert_eq!(
            input.starts_at.unwrap().to_rfc3339(),
            "2026-02-25T10:00:00+05:00"
        );
        assert_eq!(input.official_ids, vec![3, 1]);
        assert_eq!(input.venue_id, None);
    }

    #[test]
    fn typing_mistakes_are_field_problems() {
        let submitted = parse_body(b"title=A&starts_at=tomorrow&official_ids=x").unwrap();
        let errors = read::<MeetingInput>(&fields(), &submitted, Tz::UTC).unwrap_err();
        assert!(errors.get("starts_at").is_some() && errors.get("official_ids").is_some());
    }

    #[test]
    fn problems_are_worded_in_the_readers_language() {
        let fields = [Field::new("headcount", Kind::Integer)];
        let submitted = parse_body(b"headcount=many").unwrap();
        let errors = read::<serde_json::Value>(&fields, &submitted, Tz::UTC).unwrap_err();
        let problem = errors.get("headcount").expect("a problem");
        let ru = Translator(crate::domain::Language::Ru);
        assert_eq!(problem_text(ru, problem), "Не целое число.");
        let en = Translator(crate::domain::Language::En);
        assert_eq!(problem_text(en, problem), "Not a whole number.");
        let members = FieldProblem::BelowMembers { members: 3 };
        assert_eq!(
            problem_text(ru, &members),
            "Названо 3 участника — численность не может быть меньше."
        );
    }

    #[test]
    fn a_picker_ticks_what_the_form_holds_and_offers_the_rest_of_the_search() {
        let fields = [Field::new(
            "participant_ids",
            Kind::References(Source::Participants),
        )];
        let submitted =
            parse_body(b"participant_ids=3&participant_ids=x&find-participant_ids=+%D0%B0+")
                .unwrap();
        let mut choices = Choices::default();
        choices.named.insert(
            Source::Participants,
            HashMap::from([(3, "Третий".to_owned())]),
        );
        let found = Page {
            items: vec![(3, "Третий".to_owned()), (5, "Пятый".to_owned())],
            total: 30,
        };
        choices.found.insert("participant_ids", found);
        let ru = Translator(crate::domain::Language::Ru);
        let controls = controls(ru, &fields, &submitted, &ValidationErrors::new(), &choices);
        assert_eq!(controls[0].widget, "picker");
        let picker = controls[0].picker.as_ref().expect("a picker");
        let chosen: Vec<_> = picker
            .chosen
            .iter()
            .map(|c| (&*c.value, &*c.label))
            .collect();
        assert_eq!(chosen, [("3", "Третий"), ("x", "x")]);
        let found: Vec<_> = picker.found.iter().map(|c| &*c.value).collect();
        assert_eq!(found, ["5"], "the chosen one is not offered twice");
        assert_eq!((picker.query.as_str(), picker.more), ("а", 28));
        assert_eq!(picker.input_type(), "checkbox");
        assert_eq!(named_ids(&fields, &submitted)[&Source::Participants], [3]);
    }

    #[test]
    fn an_edit_form_shows_instants_in_the_zone() {
        let input = MeetingInput {
            starts_at: chrono::DateTime::parse_from_rfc3339("2026-02-25T05:00:00Z").ok(),
            official_ids: vec![1, 2],
            ..Default::default()
        };
        let values = values_of(&fields(), &input, "Asia/Almaty".parse().unwrap());
        assert_eq!(values["starts_at"], ["2026-02-25T10:00"]);
        assert_eq!(values["official_ids"], ["1", "2"]);
    }
}
