//! The tables, kept by hand in types both backends share: ids are `BigInt`,
//! instants are UTC `Timestamp`, structured data is JSON in `Text`.

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        full_name -> Text,
        password_hash -> Text,
        role -> Text,
        language -> Text,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        secret_hash -> Text,
        csrf -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        seen_from -> Text,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        label -> Text,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    password_resets (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    officials (id) {
        id -> BigInt,
        full_name -> Text,
        position -> Nullable<Text>,
        organization -> Nullable<Text>,
        precedence -> Integer,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        language -> Text,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        search_text -> Text,
    }
}

diesel::table! {
    venues (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        address -> Nullable<Text>,
        city -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        timezone -> Text,
        capacity -> Nullable<Integer>,
        opens -> Nullable<Time>,
        closes -> Nullable<Time>,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        search_text -> Text,
    }
}

diesel::table! {
    participants (id) {
        id -> BigInt,
        full_name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        organization -> Nullable<Text>,
        language -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        search_text -> Text,
    }
}

diesel::table! {
    attendee_groups (id) {
        id -> BigInt,
        name -> Text,
        description -> Nullable<Text>,
        headcount -> Integer,
        contact_participant_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        search_text -> Text,
    }
}

diesel::table! {
    group_members (group_id, participant_id) {
        group_id -> BigInt,
        participant_id -> BigInt,
    }
}

diesel::table! {
    visits (id) {
        id -> BigInt,
        title -> Text,
        theme -> Nullable<Text>,
        region -> Nullable<Text>,
        timezone -> Text,
        first_day -> Date,
        last_day -> Date,
        lead_official_id -> Nullable<BigInt>,
        status -> Text,
        published_version -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        search_text -> Text,
    }
}

diesel::table! {
    visit_officials (visit_id, official_id) {
        visit_id -> BigInt,
        official_id -> BigInt,
    }
}

diesel::table! {
    meetings (id) {
        id -> BigInt,
        visit_id -> BigInt,
        kind -> Text,
        title -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        venue_id -> Nullable<BigInt>,
        responsible -> Nullable<Text>,
        agenda -> Nullable<Text>,
        briefing_notes -> Nullable<Text>,
        logistics -> Nullable<Text>,
        dress_code -> Nullable<Text>,
        status -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meeting_officials (meeting_id, official_id) {
        meeting_id -> BigInt,
        official_id -> BigInt,
        role -> Text,
    }
}

diesel::table! {
    meeting_groups (meeting_id, group_id) {
        meeting_id -> BigInt,
        group_id -> BigInt,
    }
}

diesel::table! {
    meeting_participants (meeting_id, participant_id) {
        meeting_id -> BigInt,
        participant_id -> BigInt,
    }
}

diesel::table! {
    unavailability (id) {
        id -> BigInt,
        official_id -> Nullable<BigInt>,
        venue_id -> Nullable<BigInt>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    travel_times (from_venue_id, to_venue_id) {
        from_venue_id -> BigInt,
        to_venue_id -> BigInt,
        minutes -> Integer,
    }
}

diesel::table! {
    schedule_versions (id) {
        id -> BigInt,
        visit_id -> BigInt,
        number -> Integer,
        published_at -> Timestamp,
        published_by -> Nullable<BigInt>,
        snapshot -> Text,
    }
}

diesel::table! {
    outbox_messages (id) {
        id -> BigInt,
        visit_id -> Nullable<BigInt>,
        schedule_version -> Nullable<Integer>,
        recipient_email -> Text,
        recipient_name -> Text,
        kind -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        attachments -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        message_id -> Text,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        search_text -> Text,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        actor -> Text,
        entity -> Text,
        entity_id -> Nullable<BigInt>,
        visit_id -> Nullable<BigInt>,
        action -> Text,
        before -> Nullable<Text>,
        after -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    app_meta (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    sign_in_throttle (scope, subject) {
        scope -> Text,
        subject -> Text,
        failures -> BigInt,
        last_failure_at -> Timestamp,
    }
}

diesel::table! {
    calendar_tokens (id) {
        id -> BigInt,
        token_hash -> Text,
        official_id -> Nullable<BigInt>,
        participant_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        created_by -> Nullable<BigInt>,
    }
}

diesel::joinable!(calendar_tokens -> officials (official_id));
diesel::joinable!(calendar_tokens -> participants (participant_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(attendee_groups -> participants (contact_participant_id));
diesel::joinable!(group_members -> attendee_groups (group_id));
diesel::joinable!(group_members -> participants (participant_id));
diesel::joinable!(visits -> officials (lead_official_id));
diesel::joinable!(visit_officials -> visits (visit_id));
diesel::joinable!(visit_officials -> officials (official_id));
diesel::joinable!(meetings -> visits (visit_id));
diesel::joinable!(meetings -> venues (venue_id));
diesel::joinable!(meeting_officials -> meetings (meeting_id));
diesel::joinable!(meeting_officials -> officials (official_id));
diesel::joinable!(meeting_groups -> meetings (meeting_id));
diesel::joinable!(meeting_groups -> attendee_groups (group_id));
diesel::joinable!(meeting_participants -> meetings (meeting_id));
diesel::joinable!(meeting_participants -> participants (participant_id));
diesel::joinable!(schedule_versions -> visits (visit_id));

diesel::allow_tables_to_appear_in_same_query!(
    calendar_tokens,
    users,
    sessions,
    api_tokens,
    password_resets,
    officials,
    venues,
    participants,
    attendee_groups,
    group_members,
    visits,
    visit_officials,
    meetings,
    meeting_officials,
    meeting_groups,
    meeting_participants,
    unavailability,
    travel_times,
    schedule_versions,
    outbox_messages,
    audit_events,
    app_meta,
    sign_in_throttle,
);
