## English
app-name = Sapar
app-tagline = Planning official visits
nav-visits = Visits
nav-language = Language
visits-title = Visits
visits-empty = No visits yet.
visits-name = Title
visits-region = Region
visits-days = Dates
visits-status = Status
visits-delegation = Delegation
visits-meetings = Items
status-draft = Draft
status-published = Published
status-completed = Completed
status-cancelled = Cancelled
error-title = Error
error-not_found = Page not found.
error-internal = Something went wrong. Try again; if it happens again, tell your administrator.
error-forbidden = Your role may not do this, or the form has expired: open the page again.
nav-skip = Skip to content
nav-sections = Sections
nav-officials = Officials
nav-venues = Venues
nav-groups = Groups
nav-participants = Participants
nav-unavailability = Unavailability
nav-travel_times = Travel times
nav-users = Users
nav-sign_out = Sign out
login-title = Sign in
login-email = Email
login-password = Password
login-submit = Sign in
login-wrong = Wrong email or password.
visits-new = New visit
visits-upcoming = Upcoming
visits-past = Past
visits-conflicts = Conflicts
conflicts-errors = { $n } { $n ->
    [one] error
   *[other] errors
}
conflicts-warnings = { $n } { $n ->
    [one] warning
   *[other] warnings
}
conflicts-none = no conflicts
editor-add = Add
editor-new = New
editor-edit = Edit
editor-open = Open
editor-save = Save
editor-delete = Delete
editor-back = ← Back to the list
editor-empty = Nothing here yet.
editor-actions = Actions
editor-fix_fields = Check the marked fields.
editor-delete_refused = Cannot delete:
editor-their_changes = Someone changed this while you were editing. Compare:
editor-field = Field
editor-theirs = Saved by the other person
editor-yours = Yours
editor-stale = Another user has changed this item. Your input is kept in the form: check the differences and save again.
entity-officials = official
entity-venues = venue
entity-groups = group
entity-participants = participant
entity-unavailability = unavailability
entity-visits = visit
entity-meetings = programme item
problem-required = Fill in this field.
problem-too_long = Too long: at most { $max } { $max ->
    [one] character
   *[other] characters
}.
problem-email = This is not an email address.
problem-zone = Unknown time zone; for example Asia/Almaty.
problem-end_before_start = The end must be after the start.
problem-last_before_first = The last day cannot be before the first.
problem-range = Must be between { $min } and { $max }.
problem-choice = Choose a value from the list.
problem-unknown = No such record: it may have been deleted.
problem-duplicate = Already taken.
problem-invalid = Invalid value
problem-whole_number = Not a whole number.
problem-number = Not a number.
problem-date = Not a date.
problem-date_bounds = Must lie between 2000-01-01 and 2099-12-31.
problem-date_time = Not a date and time.
problem-time = Enter a time such as 09:00.
problem-single_line = Must be a single line.
problem-listed_twice = The same value is listed twice.
problem-below_members = { $members ->
    [one] { $members } member is
   *[other] { $members } members are
} named: the headcount cannot be smaller.
problem-visit_too_long = A visit lasts at most { $days } { $days ->
    [one] day
   *[other] days
}.
problem-not_among_officials = Official #{ $id } is not among the meeting's officials.
problem-official_or_venue = Give an official or a venue, not both.
problem-same_venue = Must differ from the venue travelled from.
problem-password_short = At least { $min } { $min ->
    [one] character
   *[other] characters
}.
problem-no_such_user = No user has this email.
field-official_roles = Officials' roles
field-published_version = Published version
field-full_name = Full name
field-position = Position
field-organization = Organisation
field-precedence = Precedence
field-email = Email
field-phone = Phone
field-language = Language
field-notes = Notes
field-name = Name
field-kind = Kind
field-address = Address
field-city = City
field-latitude = Latitude
field-longitude = Longitude
field-timezone = Time zone
field-capacity = Capacity
field-opens = Opens
field-closes = Closes
field-contact_name = Contact person
field-contact_phone = Contact phone
field-contact_email = Contact email
field-description = Description
field-headcount = Expected headcount
field-contact_participant_id = Contact participant
field-participant_ids = Participants
field-group_ids = Groups
field-official_id = Official
field-venue_id = Venue
field-starts_at = Starts
field-ends_at = Ends
field-reason = Reason
field-title = Title
field-theme = Theme
field-region = Region
field-first_day = First day
field-last_day = Last day
field-lead_official_id = Head of delegation
field-official_ids = Officials
field-status = Status
field-responsible = Responsible
field-agenda = Agenda
field-briefing_notes = Background and talking points
field-logistics = Logistics (transport, interpreter, greeting)
field-dress_code = Dress code
field-from_venue_id = From
field-to_venue_id = To
field-minutes = Minutes of travel
hint-precedence = 1 is the highest rank; lists are printed in this order.
hint-timezone = An IANA name such as Asia/Almaty.
hint-notes = Venue rules: protective equipment, no photography, entrance and parking.
language-ru = Русский
language-kk = Қазақша
language-en = English
venue_kind-university = University
venue_kind-plant = Plant
venue_kind-lab = Laboratory
venue_kind-government = Government building
venue_kind-cultural = Cultural centre
venue_kind-hotel = Hotel
venue_kind-airport = Airport
venue_kind-other = Other
meeting_kind-meeting = Meeting
meeting_kind-site_visit = Site visit
meeting_kind-press = Press approach
meeting_kind-meal = Meal
meeting_kind-transfer = Transfer
meeting_kind-ceremony = Ceremony
meeting_kind-other = Other
meeting_status-tentative = Tentative
meeting_status-confirmed = Confirmed
meeting_status-cancelled = Cancelled
visit-audit = Change log
visit-edit = Edit visit
visit-add_item = Add an item
visit-delegation = Delegation
visit-conflicts = Conflicts
visit-no_conflicts = No conflicts: the programme can run as planned.
visit-suggestion = Earliest free slot
visit-apply = Move there
visit-empty_day = Nothing on this day.
visit-time = Time
visit-timeline = Timeline
timeline-officials = Officials
timeline-venues = Venues
timeline-clash = Clash
timeline-minute_unit = min
timeline-meeting = Meeting
timeline-cancelled = Cancelled
timeline-transfer = Transfer
visit-times_in_zone = Times are in the { $zone } time zone.
error = Error
warning = Warning
weekday-0 = Monday
weekday-1 = Tuesday
weekday-2 = Wednesday
weekday-3 = Thursday
weekday-4 = Friday
weekday-5 = Saturday
weekday-6 = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
users-role = Role
users-since = Since
users-add = Add a user
users-password_hint = At least 10 characters.
users-refused = Cannot change:
role-admin = Admin
role-planner = Planner
role-viewer = Viewer
audit-back = ← Back to the programme
audit-when = When
audit-who = Who
audit-what = What
audit-changes = Changes
audit-create = created
audit-update = changed
audit-delete = deleted
audit-publish = published
audit-load = loaded
audit-entity-official = Official
audit-entity-venue = Venue
audit-entity-group = Group
audit-entity-participant = Participant
audit-entity-visit = Visit
audit-entity-meeting = Programme item
audit-entity-unavailability = Unavailability
audit-entity-travel_time = Travel time
audit-entity-user = User
audit-entity-demo = Demo data
travel-explain = Travel times between venues. Without an entry the time is estimated from coordinates (40 km/h plus 10 minutes to board), else 30 minutes is assumed.
travel-set = Set a travel time
in_use-venue = { $meetings ->
    [one] { $meetings } meeting takes
   *[other] { $meetings } meetings take
} place there; move or delete them first
in_use-official = named in { $meetings } { $meetings ->
    [one] meeting
   *[other] meetings
} and { $visits } { $visits ->
    [one] visit
   *[other] visits
}; remove them there first
in_use-group = invited to { $meetings } { $meetings ->
    [one] meeting
   *[other] meetings
}; remove it there first
in_use-participant = invited by name to { $meetings } { $meetings ->
    [one] meeting
   *[other] meetings
}; remove them there first
in_use-visit = it has been published to its participants; set its status to cancelled instead
itinerary-toolbar = Programme
itinerary-internal = Working programme
itinerary-public = Guest programme
itinerary-print_hint = To print: Ctrl+P, A4.
itinerary-for = For
itinerary-version = Version { $n }
itinerary-draft = Draft (not published)
itinerary-printed = printed
itinerary-nothing = Nothing scheduled.
itinerary-host = Host
itinerary-rules = Venue rules
itinerary-logistics = Logistics
itinerary-transfer = Transfer
itinerary-minutes = { $n } min
itinerary-too_short = not enough time for the transfer
mail-new = NEW
mail-changed = CHANGED
mail-cancelled = CANCELLED
mail-was = was
mail-contact = Contact
mail-greeting = Hello
mail-version = version
mail-calendar_attached = A calendar file is attached: open it to add or update the events.
mail-signature = Sent by Sapar, the visit planning system.
mail-subject-invitation = Invitation
mail-subject-change = Programme changes
mail-subject-cancellation = Cancelled
mail-intro-invitation = You are invited to items of the visit
mail-intro-change = Items that concern you have changed in the programme of the visit
mail-intro-cancellation = Items you were invited to have been cancelled, visit
mail-briefing-subject = Briefing pack
mail-briefing-intro = Here is the briefing pack for the visit: the programme day by day, venues, attendees, agenda and talking points.
mail-colleague = colleagues
## Calendar subscriptions
nav-calendars = Calendars
calendars-explain = A subscription shows one official's or participant's meetings in their calendar app and follows every change. Whoever holds the link can read the feed: give it only to its person, and revoke it when it leaks or is no longer needed.
calendars-none = No subscriptions yet.
calendars-person = Person
calendars-official = official
calendars-participant = participant
calendars-created = Created
calendars-status = Status
calendars-issued = The new subscription's link, shown only this once (Sapar keeps no copy): copy it now and give it to its person alone.
calendars-active = Active
calendars-revoked = Revoked
calendars-subscribe = Subscribe (webcal)
calendars-download = Download .ics
calendars-revoke = Revoke
calendars-create = New subscription
calendars-visit_ics = Calendar (.ics)
publish-title = Publish the programme
publish-errors = Errors: acknowledge each one
publish-acknowledge = I understand; publish with this error
publish-warnings = Warnings
publish-recipients = Who will be written to
publish-nobody = Nothing changed for any participant: no message will be sent.
publish-message = Message
publish-items = Items
publish-no_email = no email
publish-without_email = Without an email address (no message will be sent):
publish-submit = Publish
publish-acknowledge_all = Acknowledge every error before publishing.
publish-unacknowledged = the visit has { $n } { $n ->
    [one] conflict
   *[other] conflicts
} of severity error; acknowledge them to publish
changelog-title = Programme versions
changelog-none = The programme has not been published yet.
changelog-same = No changes.
outbox-title = Outbox
outbox-waiting = Messages are still being sent.
outbox-refresh = Refresh
outbox-publication = Publication
outbox-sent = Sent
outbox-pending = Waiting
outbox-failed = Failed
outbox-to = To
outbox-subject = Subject
outbox-attempts = Attempts
outbox-error = Error
outbox-retry = Retry
outbox-kind-briefing_pack = Briefing pack
outbox-kind-invitation = Invitation
outbox-kind-change = Changes
outbox-kind-cancellation = Cancellation
outbox-status-pending = waiting
outbox-status-sent = sent
outbox-status-failed = failed
nav-outbox = Outbox
visit-publish = Publish
visit-changelog = Versions
visit-itinerary = Printable programme

## Conflicts: one sentence per conflict (i18n/conflicts.rs)
conflict-venue_double_booked = { $who } is booked for «{ $a }» and «{ $b }» at the same time ({ $ta } and { $tb }).
conflict-group_double_booked = { $count ->
    [1] Group { $who } is
   *[other] Groups { $who } are
} expected at «{ $a }» and «{ $b }» at the same time ({ $ta } and { $tb }).
conflict-participant_double_booked = { $who } { $count ->
    [1] is
   *[other] are
} invited to «{ $a }» and «{ $b }» at the same time ({ $ta } and { $tb }).
conflict-double_booked = { $who } { $count ->
    [1] is
   *[other] are
} booked for «{ $a }» and «{ $b }» at the same time ({ $ta } and { $tb }).
conflict-group = Group «{ $name }»
conflict-travel = { $who } { $count ->
    [1] has
   *[other] have
} only { $gap } { $gap ->
    [one] minute
   *[other] minutes
} between «{ $a }» (ends { $ends }) and «{ $b }» (starts { $starts }), but the transfer from { $from } to { $to } takes { $needed } { $needed ->
    [one] minute
   *[other] minutes
}.
conflict-travel_tight = { $who } { $count ->
    [1] has
   *[other] have
} { $gap } { $gap ->
    [one] minute
   *[other] minutes
} between «{ $a }» (ends { $ends }) and «{ $b }» (starts { $starts }); the transfer from { $from } to { $to } takes { $needed } { $needed ->
    [one] minute
   *[other] minutes
}, leaving less than { $buffer } { $buffer ->
    [one] minute
   *[other] minutes
} to spare.
conflict-opening_hours = «{ $title }» ({ $when }) at { $subject } is outside its opening hours ({ $hours }).
conflict-capacity = «{ $title }» at { $subject } expects { $expected } { $expected ->
    [one] person
   *[other] people
}, but the venue holds { $capacity }.
conflict-visit_dates = «{ $title }» ({ $when }) falls outside the visit's days ({ $days }).
conflict-venue_unavailable = { $who } is unavailable { $window }{ $reason }, but «{ $title }» is held there ({ $when }).
conflict-unavailable = { $who } { $count ->
    [1] is
   *[other] are
} unavailable { $window }{ $reason }, but { $count ->
    [1] is
   *[other] are
} booked for «{ $title }» ({ $when }).
conflict-no_break = { $subject } { $count ->
    [1] has
   *[other] have
} no break of at least { $min_break } { $min_break ->
    [one] minute
   *[other] minutes
} from { $from } to { $to }: { $titles } follow one another for { $length }.
conflict-length = { $h ->
    [0] { $m } min
   *[other] { $m ->
        [0] { $h } h
       *[other] { $h } h { $m } min
    }
}

# accounts: access that can be taken away (/account, /users, password reset)
nav-account = My account
users-last_admin = the last active admin can be neither disabled nor demoted
users-status = Status
users-active = Active
users-disabled = Disabled
users-disable = Disable
users-enable = Enable
users-reset = Send a password reset link
users-reset_sent = A password reset link has been sent to:
problem-wrong_password = This is not your current password.
problem-passwords_differ = The two passwords differ.
account-title = My account
account-password = Change password
account-current_password = Current password
account-new_password = New password
account-again = New password again
account-password_changed = Your password has been changed. Your other sessions have been signed out.
account-sessions = Sessions
account-sessions_hint = Where you are signed in. Sign out of a session you do not recognise, and change your password.
account-where = Where
account-signed_in = Signed in
account-last_seen = Last seen
account-this_session = this session
account-end = Sign out
account-end_all = Sign out everywhere
account-end_all_hint = Ends every session, this one too.
account-tokens = API tokens
account-tokens_none = No API tokens.
account-token_label = Label
account-token_days = Valid for, days
account-token_days_hint = Leave empty for a token that works until it is revoked.
account-token_created = Created
account-token_last_used = Last used
account-token_expires = Expires
account-token_create = Create a token
account-token_issued = The new token, shown only this once (Sapar keeps no copy): copy it now.
account-token_revoke = Revoke
reset-title = New password
reset-lead = Choose a new password for this account:
reset-submit = Set the password
reset-gone_title = This link no longer works
reset-gone = The link has been used already, or its hour is over, or a newer link replaced it. Ask your administrator for a new one.
reset-unknown = There is no such link. Check that it was copied whole, or ask your administrator for a new one.
login-password_changed = Your password has been set. Sign in with the new one.
mail-reset-subject = Set a new password for Sapar
mail-reset-intro = Your administrator has asked Sapar to send you a link to set a new password. Open it and type the new password twice:
mail-reset-action = Set a new password
mail-reset-once = The link works once, within one hour.
mail-reset-ignore = If you did not expect this message, tell your administrator; your current password keeps working until a new one is set.
outbox-kind-password_reset = Password reset
## Calendar feeds and briefing-pack recipients
problem-refused_recipients = These addresses belong to no staff member, official or participant, nor to an allowed domain: { $addresses }.
problem-too_many_ids = One list may name at most { $max }.
problem-too_many_recipients = At most { $max } { $max ->
    [one] recipient
   *[other] recipients
} at a time.
## Sign-in and transport hardening: failed sign-ins slow the next try down.
login-too_soon = Too many failed sign-ins in a row.
login-next_try_seconds = Try again in { $n } { $n ->
    [one] second
   *[other] seconds
}.
login-next_try_minutes = Try again in { $n } { $n ->
    [one] minute
   *[other] minutes
}.

## The visit page of a large visit: one day at a time, clashes grouped
visit-days = Days of the visit
visit-day_meetings = { $n } { $n ->
    [one] meeting
   *[other] meetings
}
visit-all_days = All days
visit-all_severities = Errors and warnings
visit-conflicts_day = Day
visit-conflicts_severity = Severity
visit-conflicts_filter = Show
visit-conflicts_none_match = No conflict matches the chosen filters.
visit-conflicts_shown = { $shown } of { $total } shown.
visit-conflicts_show_all = Show all
## Paged, searchable lists: the search box, the count and the page links.
list-search = Search by name
list-find = Find
list-range = { $first }–{ $last } of { $total }
list-pages = Pages
list-previous = ← Previous
list-next = Next →
list-none_found = Nothing matches this search.
# visits list at scale: search and pages (/visits)
visits-search = Search by title, region or official
visits-search_button = Search
visits-not_found = No visits match the search.
visits-pages = Pages of the list
visits-previous = ← Previous
visits-next = Next →
visits-page = Page { $page } of { $pages }

## Pickers: references searched rather than listed whole
picker-search = Find by name
picker-nobody = none
picker-none_chosen = Nothing chosen yet.
picker-found = Found: { $n }
picker-all_chosen = Everything found is already ticked.
picker-more = { $n } more — refine the search.
picker-unsaved = Not saved yet: tick what you need and press Save.

## Running late
late-link = Running late…
late-title = Running late
late-explain = This item and every later item of its day that shares an official with it (or with an item already moved) move by the same minutes. Cancelled items stay.
late-quick = Minutes late
late-minutes = Other number of minutes
late-minutes_hint = A whole number; negative moves ahead of time. At most 720 either way.
late-preview = Preview
late-cancel = Cancel
late-preview_title = Running late
late-by = { $minutes } min
late-moved = What moves
late-before = Was
late-after = Becomes
late-conflicts = Conflicts
late-conflicts_same = The conflicts stay as they are.
late-conflicts_appear = Conflicts that appear
late-conflicts_disappear = Conflicts that disappear
late-resolved = resolved
late-told = Who will be told
late-official = official
late-participant = participant
late-told_hint = Participants get the change notice when the visit is published; officials receive a new briefing pack on request.
late-apply = Apply
late-apply_publish = Apply and publish
late-changed = The programme changed since the preview, so nothing was saved. Here is the preview as it is now.
problem-shift_zero = Enter a number of minutes other than 0.
problem-shift_past_day = An item would run past the end of its day (midnight). Move fewer minutes, or move items one by one.
problem-shift_before_day = An item would start before its day begins (midnight). Move fewer minutes.
problem-meeting_cancelled = This item is cancelled: it does not run late.

## The day of the visit
today-link = Today
today-title = Day of the visit
today-bad_at = The time in the link is not readable: use a date and time with an offset, such as 2026-02-25T10:00:00+05:00.
today-bad_official = The official in the link is not a number.
today-unknown_official = No such official in this visit.
today-minutes = { $minutes } min
today-left = { $time } left
today-starts_in = Starts at { $start }, in { $time }
today-leave = Leave at { $time }
today-transfer = Transfer from { $from }: { $time }
today-as_of = As of { $time }
today-refresh = update every minute
today-update_now = Update now
today-conflicts = Conflicts today
today-empty = No items on this day.
today-now = Now
today-nothing_now = Nothing under way.
today-next = Next
today-nothing_next = Nothing more today.
today-rest = Later today
today-address = Address

## Documents: the programme in Word, access lists per venue
document-programme = Programme of the visit
document-draft = draft
document-time = Time
document-item = Item
document-venue = Venue and address
document-who = Who
document-responsible = Responsible
document-headcount = { $n ->
    [one] { $n } person
   *[other] { $n } people
}
docs-programme_docx = Programme (Word)
docs-access = Access lists
docs-send_access = Send the lists to the venues
access-title = Access list
access-number = No.
access-name = Full name
access-organization = Organisation
access-position = Position
access-times = Expected
access-clearance = Clearance
access-empty = Nobody is expected at this venue.
access-venue = Venue
access-csv = Download CSV (Excel)
access-docx = Download Word
access-save = Save the marks
access-saved = The marks are saved.
access-contact = Security contact
access-no_contact = the venue has no email address
access-unknown_venue = This visit has no such venue.
clearance-requested = requested
clearance-granted = granted
clearance-refused = refused
clearance-none = not requested
mail-briefing-yours = Your programme
mail-briefing-with = With
mail-briefing-annex = Annex: the whole programme of the visit (for staff)
mail-briefing-attached = Attached: the programme as a Word document (.docx) and a calendar file (.ics).
mail-access-subject = Access list
mail-access-intro = Please find the list of the people we ask you to admit to the venue during the visit. The same list is attached in Word and CSV.
