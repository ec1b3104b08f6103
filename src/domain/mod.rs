//! The pure heart of Sapar: values, entities and the rules between them.
//! Nothing here touches a database, the network or mail (a test holds us to it).

pub mod access;
pub mod conflicts;
pub mod day_view;
pub mod itinerary;
pub mod listing;
pub mod model;
pub mod publication;
pub mod shift;
pub mod validation;
pub mod values;

pub use validation::{FieldProblem, ValidationErrors};
pub use values::{
    display_zone, short_name, Clearance, EmailAddress, Language, MeetingKind, MeetingStatus,
    OfficialRole, PersonKind, Role, TimeRange, VenueKind, VisitStatus,
};
