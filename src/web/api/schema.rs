//! OpenAPI schemas of the API's bodies. The inputs are domain types, which
//! know nothing of OpenAPI, so their schemas are declared here, field by field;
//! a test checks that every declared schema names exactly the fields the type
//! serializes, so the two cannot drift apart.

use std::borrow::Cow;

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr};

use crate::domain::model::*;
use crate::domain::values::{
    Language, MeetingKind, MeetingStatus, OfficialRole, VenueKind, VisitStatus,
};

/// The shape of one field.
pub enum Field {
    Text,
    LongText,
    Integer,
    Number,
    Id,
    Ids,
    Instant,
    Date,
    LocalTime,
    Zone,
    Email,
    Choice(Vec<&'static str>),
    RoleMap,
}

fn words<T: Copy>(all: &[T], word: fn(T) -> &'static str) -> Field {
    Field::Choice(all.iter().map(|v| word(*v)).collect())
}

impl Field {
    fn schema(&self, nullable: bool) -> Schema {
        let kind = |t: Type| -> utoipa::openapi::schema::SchemaType {
            if nullable {
                utoipa::openapi::schema::SchemaType::Array(vec![t, Type::Null])
            } else {
                utoipa::openapi::schema::SchemaType::Type(t)
            }
        };
        let text = |format: Option<KnownFormat>, description: &str| {
            ObjectBuilder::new()
                .schema_type(kind(Type::String))
                .format(format.map(SchemaFormat::KnownFormat))
                .description(Some(description))
        };
        match self {
            Field::Text => text(None, "single line, at most 200 characters").into(),
            Field::LongText => text(None, "at most 20000 characters").into(),
            Field::Integer => ObjectBuilder::new()
                .schema_type(kind(Type::Integer))
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
                .into(),
            Field::Number => ObjectBuilder::new()
                .schema_type(kind(Type::Number))
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
                .into(),
            Field::Id => ObjectBuilder::new()
                .schema_type(kind(Type::Integer))
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .into(),
            Field::Ids => ArrayBuilder::new()
                .items(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
                )
                .into(),
            Field::Instant => text(
                Some(KnownFormat::DateTime),
                "RFC 3339 with an offset, e.g. 2026-02-25T10:00:00+05:00",
            )
            .into(),
            Field::Date => text(Some(KnownFormat::Date), "YYYY-MM-DD").into(),
            Field::LocalTime => text(None, "local time HH:MM")
                .pattern(Some("^[0-2][0-9]:[0-5][0-9]$"))
                .into(),
            Field::Zone => text(None, "IANA time zone, e.g. Asia/Almaty").into(),
            Field::Email => text(Some(KnownFormat::Email), "an email address").into(),
            Field::Choice(choices) => {
                let mut values: Vec<serde_json::Value> = choices
                    .iter()
                    .map(|c| serde_json::Value::from(*c))
                    .collect();
                if nullable {
                    values.push(serde_json::Value::Null);
                }
                ObjectBuilder::new()
                    .schema_type(kind(Type::String))
                    .enum_values(Some(values))
                    .into()
            }
            Field::RoleMap => ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some("role by official id: principal, host or accompanying"))
                .additional_properties(Some(
                    words(OfficialRole::ALL, OfficialRole::as_str).schema(false),
                ))
                .into(),
        }
    }
}

/// Declares a body's fields: name, shape, and whether required on create.
pub struct Body {
    pub name: &'static str,
    pub fields: Vec<(&'static str, Field, bool)>,
}

impl Body {
    /// The schema of a request body: required fields as listed, nothing else allowed.
    pub fn request(&self) -> Schema {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .title(Some(format!("{} (request)", self.name)))
            .additional_properties(Some(
                utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
            ));
        for (name, field, required) in &self.fields {
            let nullable = !required && !matches!(field, Field::Ids | Field::RoleMap);
            object = object.property(*name, field.schema(nullable));
            if *required {
                object = object.required(*name);
            }
        }
        object.into()
    }

    /// The schema of the resource in a response: its id, its fields, and `extra`.
    pub fn response(&self, extra: &[(&'static str, Field)]) -> Schema {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .title(Some(self.name))
            .property("id", Field::Id.schema(false))
            .required("id");
        for (name, field, _) in &self.fields {
            let nullable = !matches!(field, Field::Ids | Field::RoleMap);
            object = object
                .property(*name, field.schema(nullable))
                .required(*name);
        }
        for (name, field) in extra {
            object = object.property(*name, field.schema(true)).required(*name);
        }
        object.into()
    }
}

pub fn official() -> Body {
    use Field::*;
    Body {
        name: "Official",
        fields: vec![
            ("full_name", Text, true),
            ("position", Text, false),
            ("organization", Text, false),
            ("precedence", Integer, false),
            ("email", Email, false),
            ("phone", Text, false),
            ("language", words(Language::ALL, Language::as_str), false),
            ("notes", LongText, false),
        ],
    }
}

pub fn venue() -> Body {
    use Field::*;
    Body {
        name: "Venue",
        fields: vec![
            ("name", Text, true),
            ("kind", words(VenueKind::ALL, VenueKind::as_str), false),
            ("address", Text, false),
            ("city", Text, false),
            ("latitude", Number, false),
            ("longitude", Number, false),
            ("timezone", Zone, true),
            ("capacity", Integer, false),
            ("opens", LocalTime, false),
            ("closes", LocalTime, false),
            ("contact_name", Text, false),
            ("contact_phone", Text, false),
            ("contact_email", Email, false),
            ("notes", LongText, false),
        ],
    }
}

pub fn group() -> Body {
    use Field::*;
    Body {
        name: "Group",
        fields: vec![
            ("name", Text, true),
            ("description", LongText, false),
            ("headcount", Integer, false),
            ("contact_participant_id", Id, false),
            ("participant_ids", Ids, false),
        ],
    }
}

pub fn participant() -> Body {
    use Field::*;
    Body {
        name: "Participant",
        fields: vec![
            ("full_name", Text, true),
            ("email", Email, false),
            ("phone", Text, false),
            ("organization", Text, false),
            ("language", words(Language::ALL, Language::as_str), false),
            ("group_ids", Ids, false),
        ],
    }
}

pub fn visit() -> Body {
    use Field::*;
    Body {
        name: "Visit",
        fields: vec![
            ("title", Text, true),
            ("theme", LongText, false),
            ("region", Text, false),
            ("timezone", Zone, true),
            ("first_day", Date, true),
            ("last_day", Date, true),
            ("official_ids", Ids, false),
            ("lead_official_id", Id, false),
            (
                "status",
                words(VisitStatus::ALL, VisitStatus::as_str),
                false,
            ),
        ],
    }
}

pub fn meeting() -> Body {
    use Field::*;
    Body {
        name: "Meeting",
        fields: vec![
            ("title", Text, true),
            ("kind", words(MeetingKind::ALL, MeetingKind::as_str), false),
            ("starts_at", Instant, true),
            ("ends_at", Instant, true),
            ("venue_id", Id, false),
            ("official_ids", Ids, false),
            ("official_roles", RoleMap, false),
            ("group_ids", Ids, false),
            ("participant_ids", Ids, false),
            ("responsible", Text, false),
            ("agenda", LongText, false),
            ("briefing_notes", LongText, false),
            ("logistics", LongText, false),
            ("dress_code", Text, false),
            (
                "status",
                words(MeetingStatus::ALL, MeetingStatus::as_str),
                false,
            ),
            ("version", Integer, false),
        ],
    }
}

pub fn unavailability() -> Body {
    use Field::*;
    Body {
        name: "Unavailability",
        fields: vec![
            ("official_id", Id, false),
            ("venue_id", Id, false),
            ("starts_at", Instant, true),
            ("ends_at", Instant, true),
            ("reason", Text, false),
        ],
    }
}

pub fn travel_time() -> Body {
    use Field::*;
    Body {
        name: "TravelTime",
        fields: vec![
            ("from_venue_id", Id, true),
            ("to_venue_id", Id, true),
            ("minutes", Integer, true),
        ],
    }
}

/// Implements `ToSchema` for an input type from its `Body`.
macro_rules! input_schema {
    ($ty:ty, $name:literal, $body:path) => {
        impl utoipa::PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                $body().request().into()
            }
        }
        impl utoipa::ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

input_schema!(OfficialInput, "OfficialInput", official);
input_schema!(VenueInput, "VenueInput", venue);
input_schema!(GroupInput, "GroupInput", group);
input_schema!(ParticipantInput, "ParticipantInput", participant);
input_schema!(VisitInput, "VisitInput", visit);
input_schema!(MeetingInput, "MeetingInput", meeting);
input_schema!(UnavailabilityInput, "UnavailabilityInput", unavailability);
input_schema!(TravelTimeInput, "TravelTimeInput", travel_time);

/// Marker types naming response schemas in the OpenAPI document.
macro_rules! response_schema {
    ($marker:ident, $name:literal, $schema:expr) => {
        pub struct $marker;
        impl utoipa::PartialSchema for $marker {
            fn schema() -> RefOr<Schema> {
                $schema.into()
            }
        }
        impl utoipa::ToSchema for $marker {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

response_schema!(OfficialDoc, "Official", official().response(&[]));
response_schema!(VenueDoc, "Venue", venue().response(&[]));
response_schema!(GroupDoc, "Group", group().response(&[]));
response_schema!(ParticipantDoc, "Participant", participant().response(&[]));
response_schema!(
    VisitDoc,
    "Visit",
    visit().response(&[("published_version", Field::Integer)])
);
response_schema!(
    MeetingDoc,
    "Meeting",
    meeting().response(&[("visit_id", Field::Id)])
);
response_schema!(
    UnavailabilityDoc,
    "UnavailabilityWindow",
    unavailability().response(&[])
);
response_schema!(
    TravelTimeDoc,
    "TravelTime",
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("from_venue_id", Field::Id.schema(false))
        .property("to_venue_id", Field::Id.schema(false))
        .property("minutes", Field::Integer.schema(false))
        .required("from_venue_id")
        .required("to_venue_id")
        .required("minutes")
);
response_schema!(
    ErrorDoc,
    "Error",
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property(
            "error",
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .property(
                    "code",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some([
                            "bad_request",
                            "unauthorized",
                            "forbidden",
                            "not_found",
                            "stale_version",
                            "in_use",
                            "has_errors",
                            "payload_too_large",
                            "validation",
                            "internal",
                        ]))
                )
                .property("message", ObjectBuilder::new().schema_type(Type::String))
                .property(
                    "fields",
                    ObjectBuilder::new()
                        .schema_type(Type::Object)
                        .description(Some("what is wrong, by field name"))
                        .additional_properties(Some(
                            ObjectBuilder::new().schema_type(Type::String)
                        ))
                )
                .required("code")
                .required("message")
                .required("fields")
        )
        .required("error")
);

/// A list response: `{"<key>": [<item>…]}`.
pub fn list_of(key: &str, item: &str) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property(
            key,
            ArrayBuilder::new().items(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(item))),
        )
        .required(key)
        .into()
}

response_schema!(
    OfficialList,
    "OfficialList",
    list_of("officials", "Official")
);
response_schema!(VenueList, "VenueList", list_of("venues", "Venue"));
response_schema!(GroupList, "GroupList", list_of("groups", "Group"));
response_schema!(
    ParticipantList,
    "ParticipantList",
    list_of("participants", "Participant")
);
response_schema!(VisitList, "VisitList", list_of("visits", "Visit"));
response_schema!(MeetingList, "MeetingList", list_of("meetings", "Meeting"));
response_schema!(
    UnavailabilityList,
    "UnavailabilityList",
    list_of("unavailability", "UnavailabilityWindow")
);
response_schema!(
    TravelTimeList,
    "TravelTimeList",
    list_of("travel_times", "TravelTime")
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn declared(body: Body) -> BTreeSet<&'static str> {
        body.fields.iter().map(|(name, _, _)| *name).collect()
    }

    fn serialized<T: serde::Serialize + Default>() -> BTreeSet<String> {
        match serde_json::to_value(T::default()).unwrap() {
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            _ => unreachable!("inputs are objects"),
        }
    }

    fn same(body: Body, fields: BTreeSet<String>) {
        let name = body.name;
        let declared: BTreeSet<String> = declared(body).into_iter().map(str::to_owned).collect();
        assert_eq!(declared, fields, "the {name} schema and its type differ");
    }

    #[test]
    fn every_schema_names_exactly_its_types_fields() {
        same(official(), serialized::<OfficialInput>());
        same(venue(), serialized::<VenueInput>());
        same(group(), serialized::<GroupInput>());
        same(participant(), serialized::<ParticipantInput>());
        same(visit(), serialized::<VisitInput>());
        same(meeting(), serialized::<MeetingInput>());
        same(unavailability(), serialized::<UnavailabilityInput>());
        same(travel_time(), serialized::<TravelTimeInput>());
    }
}

response_schema!(
    ConflictList,
    "ConflictList",
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property(
            "conflicts",
            ArrayBuilder::new().items(
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .property(
                        "kind",
                        ObjectBuilder::new().schema_type(Type::String).enum_values(Some([
                            "official_double_booked",
                            "venue_double_booked",
                            "group_double_booked",
                            "participant_double_booked",
                            "travel_time",
                            "outside_venue_hours",
                            "over_capacity",
                            "outside_visit_dates",
                            "official_unavailable",
                            "venue_unavailable",
                            "no_break",
                        ]))
                    )
                    .property("severity", ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["error", "warning"])))
                    .property("meeting_ids", Field::Ids.schema(false))
                    .property(
                        "subject",
                        ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::SchemaType::Array(vec![Type::Object, Type::Null]))
                            .property(
                                "type",
                                ObjectBuilder::new()
                                    .schema_type(Type::String)
                                    .enum_values(Some(["official", "venue", "group", "participant"]))
                            )
                            .property("id", Field::Id.schema(false))
                    )
                    .property("message", ObjectBuilder::new().schema_type(Type::String))
                    .property(
                        "suggestion",
                        ObjectBuilder::new()
                            .schema_type(utoipa::openapi::schema::SchemaType::Array(vec![Type::Object, Type::Null]))
                            .description(Some("the earliest slot on the same day that fits everyone involved, for the meeting `meeting_id`"))
                            .property("meeting_id", Field::Id.schema(false))
                            .property("starts_at", Field::Instant.schema(false))
                            .property("ends_at", Field::Instant.schema(false))
                    )
                    .required("kind")
                    .required("severity")
                    .required("meeting_ids")
                    .required("subject")
                    .required("message")
                    .required("suggestion")
            )
        )
        .required("conflicts")
);

response_schema!(
    PublishDoc,
    "PublishRequest",
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(
            utoipa::openapi::schema::AdditionalProperties::FreeForm(false)
        ))
        .property(
            "acknowledge_errors",
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .description(Some(
                    "publish although the visit has conflicts of severity error"
                ))
        )
);
response_schema!(
    PublishedDoc,
    "Published",
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("version", Field::Integer.schema(false))
        .property("queued", Field::Integer.schema(false))
        .required("version")
        .required("queued")
);
response_schema!(
    BriefingDoc,
    "BriefingPackRequest",
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(
            utoipa::openapi::schema::AdditionalProperties::FreeForm(false)
        ))
        .property("official_ids", Field::Ids.schema(false))
        .property(
            "emails",
            ArrayBuilder::new().items(RefOr::T(Field::Email.schema(false)))
        )
);
response_schema!(
    QueuedDoc,
    "Queued",
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("queued", Field::Integer.schema(false))
        .required("queued")
);
response_schema!(
    OutboxDoc,
    "OutboxList",
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property(
            "messages",
            ArrayBuilder::new().items(
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .property("id", Field::Id.schema(false))
                    .property("to", Field::Email.schema(false))
                    .property(
                        "kind",
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .enum_values(Some([
                                "briefing_pack",
                                "invitation",
                                "change",
                                "cancellation"
                            ]))
                    )
                    .property("subject", ObjectBuilder::new().schema_type(Type::String))
                    .property(
                        "status",
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .enum_values(Some(["pending", "sent", "failed"]))
                    )
                    .property("attempts", Field::Integer.schema(false))
                    .property("last_error", Field::Text.schema(true))
                    .property("schedule_version", Field::Integer.schema(true))
                    .property("message_id", ObjectBuilder::new().schema_type(Type::String))
                    .required("id")
                    .required("to")
                    .required("kind")
                    .required("subject")
                    .required("status")
                    .required("attempts")
                    .required("last_error")
            )
        )
        .required("messages")
);
