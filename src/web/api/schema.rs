//! OpenAPI schemas of the API's bodies. Requests are the domain inputs and
//! responses the views, both deriving their schemas; the bodies the handlers
//! build in place are described by the small structs below. A test checks that
//! every input's schema names exactly the fields the type serializes.

use std::borrow::Cow;
use std::collections::BTreeMap;

use utoipa::openapi::schema::{Object, ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use super::views::{MeetingView, Resource, VisitView};
use crate::domain::conflicts::{ConflictKind, Severity};
use crate::domain::model::*;

/// A response made from a view: the view's own fields and those of the input
/// it flattens side by side, every one always sent (`null` when unset), and
/// open to additions, unlike the strict request it mirrors.
fn response<T: PartialSchema>(title: &str) -> Schema {
    fn gather(schema: RefOr<Schema>, into: &mut Object) {
        match schema {
            RefOr::T(Schema::Object(object)) => into.properties.extend(object.properties),
            RefOr::T(Schema::AllOf(all)) => all.items.into_iter().for_each(|s| gather(s, into)),
            _ => {}
        }
    }
    let mut object: Object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .title(Some(title))
        .build();
    gather(T::schema(), &mut object);
    object.required = object.properties.keys().cloned().collect();
    Schema::Object(object)
}

/// Names a response schema in the document, made by `response`.
macro_rules! response_schema {
    ($marker:ident, $name:literal, $view:ty) => {
        pub struct $marker;
        impl PartialSchema for $marker {
            fn schema() -> RefOr<Schema> {
                response::<$view>($name).into()
            }
        }
        impl ToSchema for $marker {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

response_schema!(OfficialDoc, "Official", Resource<OfficialInput>);
response_schema!(VenueDoc, "Venue", Resource<VenueInput>);
response_schema!(GroupDoc, "Group", Resource<GroupInput>);
response_schema!(ParticipantDoc, "Participant", Resource<ParticipantInput>);
response_schema!(VisitDoc, "Visit", VisitView);
response_schema!(MeetingDoc, "Meeting", MeetingView);
response_schema!(
    UnavailabilityDoc,
    "UnavailabilityWindow",
    Resource<UnavailabilityInput>
);
response_schema!(TravelTimeDoc, "TravelTime", TravelTimeInput);

// The structs below only describe JSON the handlers build in place; nothing
// constructs them.

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct OfficialList {
    officials: Vec<OfficialDoc>,
    /// how many items the whole list (after `q`) holds; this page has at most `limit` of them
    total: i64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct VenueList {
    venues: Vec<VenueDoc>,
    /// how many items the whole list (after `q`) holds; this page has at most `limit` of them
    total: i64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct GroupList {
    groups: Vec<GroupDoc>,
    /// how many items the whole list (after `q`) holds; this page has at most `limit` of them
    total: i64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ParticipantList {
    participants: Vec<ParticipantDoc>,
    /// how many items the whole list (after `q`) holds; this page has at most `limit` of them
    total: i64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct VisitList {
    visits: Vec<VisitDoc>,
    /// how many items the whole list (after `q`) holds; this page has at most `limit` of them
    total: i64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct MeetingList {
    meetings: Vec<MeetingDoc>,
    /// how many items the whole list (after `q`) holds; this page has at most `limit` of them
    total: i64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct UnavailabilityList {
    unavailability: Vec<UnavailabilityDoc>,
    /// how many items the whole list (after `q`) holds; this page has at most `limit` of them
    total: i64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct TravelTimeList {
    travel_times: Vec<TravelTimeDoc>,
    /// how many items the whole list (after `q`) holds; this page has at most `limit` of them
    total: i64,
}

/// The error JSON of `super::error`.
#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(as = Error)]
pub struct ErrorDoc {
    #[schema(inline)]
    error: ErrorDetail,
}

#[allow(dead_code)]
#[derive(ToSchema)]
struct ErrorDetail {
    #[schema(inline)]
    code: ErrorCode,
    message: String,
    /// what is wrong, by field name
    fields: BTreeMap<String, String>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    StaleVersion,
    InUse,
    HasErrors,
    PayloadTooLarge,
    Validation,
    Internal,
}

/// The conflicts of a visit, as `services::conflicts::ConflictReport`.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ConflictList {
    #[schema(inline)]
    conflicts: Vec<ConflictReport>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
struct ConflictReport {
    #[schema(inline)]
    kind: ConflictKind,
    #[schema(inline)]
    severity: Severity,
    meeting_ids: Vec<i64>,
    #[schema(inline, required = true)]
    subject: Option<SubjectRef>,
    message: String,
    /// the earliest slot on the same day that fits everyone involved, for the meeting `meeting_id`
    #[schema(inline, required = true)]
    suggestion: Option<Slot>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
struct SubjectRef {
    #[schema(rename = "type", inline)]
    kind: SubjectKind,
    id: i64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
enum SubjectKind {
    Official,
    Venue,
    Group,
    Participant,
}

#[allow(dead_code)]
#[derive(ToSchema)]
struct Slot {
    meeting_id: i64,
    /// RFC 3339 with an offset, e.g. 2026-02-25T10:00:00+05:00
    #[schema(value_type = chrono::DateTime<chrono::FixedOffset>)]
    starts_at: String,
    /// RFC 3339 with an offset, e.g. 2026-02-25T10:00:00+05:00
    #[schema(value_type = chrono::DateTime<chrono::FixedOffset>)]
    ends_at: String,
}

/// What a shift moves (or would move), the visit's conflicts after it, and
/// who is told.
#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(as = Shifted)]
pub struct ShiftedDoc {
    #[schema(inline)]
    moved: Vec<MovedDoc>,
    /// the visit's conflicts after the move, as `GET /visits/{id}/conflicts` gives them
    #[schema(inline)]
    conflicts: Vec<ConflictReport>,
    #[schema(inline)]
    notify: Vec<NotifyDoc>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
struct MovedDoc {
    meeting_id: i64,
    /// the new start, RFC 3339 in the venue's (else the visit's) zone
    #[schema(value_type = chrono::DateTime<chrono::FixedOffset>)]
    starts_at: String,
    /// the new end, RFC 3339 in the venue's (else the visit's) zone
    #[schema(value_type = chrono::DateTime<chrono::FixedOffset>)]
    ends_at: String,
}

/// A participant or official whose items move, by address.
#[allow(dead_code)]
#[derive(ToSchema)]
struct NotifyDoc {
    #[schema(format = Email)]
    email: String,
    meeting_ids: Vec<i64>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(as = Published)]
pub struct PublishedDoc {
    version: i32,
    queued: i32,
}

#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(as = Queued)]
pub struct QueuedDoc {
    queued: i32,
}

#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(as = OutboxList)]
pub struct OutboxDoc {
    #[schema(inline)]
    messages: Vec<OutboxMessage>,
    /// how many items the whole list (after `q`) holds; this page has at most `limit` of them
    total: i64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
struct OutboxMessage {
    id: i64,
    /// an email address
    #[schema(format = Email)]
    to: String,
    #[schema(inline)]
    kind: MessageKind,
    subject: String,
    #[schema(inline)]
    status: MessageStatus,
    attempts: i32,
    /// single line, at most 200 characters
    #[schema(required = true)]
    last_error: Option<String>,
    schedule_version: Option<i32>,
    #[schema(required = false)]
    message_id: String,
}

#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
enum MessageKind {
    BriefingPack,
    Invitation,
    Change,
    Cancellation,
}

#[allow(dead_code)]
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
enum MessageStatus {
    Pending,
    Sent,
    Failed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    use utoipa::openapi::schema::AdditionalProperties;

    fn object<T: ToSchema>() -> Object {
        match T::schema() {
            RefOr::T(Schema::Object(object)) => object,
            _ => unreachable!("{} is an object", T::name()),
        }
    }

    fn serialized<T: serde::Serialize + Default>() -> BTreeSet<String> {
        match serde_json::to_value(T::default()).unwrap() {
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            _ => unreachable!("inputs are objects"),
        }
    }

    /// The schema names exactly the fields the type serializes, requires
    /// `required` on create and refuses anything else.
    fn strict<T: ToSchema + serde::Serialize + Default>(required: &[&str]) {
        let name = T::name();
        let object = object::<T>();
        let declared: BTreeSet<String> = object.properties.keys().cloned().collect();
        assert_eq!(
            declared,
            serialized::<T>(),
            "the {name} schema and its type differ"
        );
        let required: BTreeSet<String> = required.iter().map(|f| f.to_string()).collect();
        let marked: BTreeSet<String> = object.required.iter().cloned().collect();
        assert_eq!(marked, required, "{name} requires other fields");
        assert!(
            matches!(
                object.additional_properties.as_deref(),
                Some(AdditionalProperties::FreeForm(false))
            ),
            "{name} refuses unknown fields"
        );
    }

    #[test]
    fn every_input_schema_names_exactly_its_fields_and_requires_what_create_needs() {
        strict::<OfficialInput>(&["full_name"]);
        strict::<VenueInput>(&["name", "timezone"]);
        strict::<GroupInput>(&["name"]);
        strict::<ParticipantInput>(&["full_name"]);
        strict::<VisitInput>(&["title", "timezone", "first_day", "last_day"]);
        strict::<MeetingInput>(&["title", "starts_at", "ends_at"]);
        strict::<UnavailabilityInput>(&["starts_at", "ends_at"]);
        strict::<TravelTimeInput>(&["from_venue_id", "to_venue_id", "minutes"]);
    }

    #[test]
    fn a_response_is_its_input_with_an_id_every_field_present() {
        let official = match response::<Resource<OfficialInput>>("Official") {
            Schema::Object(object) => object,
            _ => unreachable!("responses are objects"),
        };
        let mut expected = serialized::<OfficialInput>();
        expected.insert("id".into());
        let required: BTreeSet<String> = official.required.iter().cloned().collect();
        assert_eq!(required, expected);
        assert!(official.additional_properties.is_none());
    }
}
