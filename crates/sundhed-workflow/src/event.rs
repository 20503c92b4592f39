//! The events the workflow logs: directory events and procedure events, in one stream.

use serde::{Deserialize, Serialize};

use crate::seb::SebEvent;
use crate::sei::SeiEvent;
use crate::users::UserEvent;

/// The version of the procedure events this crate writes (directory events carry their own,
/// `sundhed_authorisation::EVENT_VERSION`).
pub const EVENT_VERSION: u16 = 1;

/// One logged event. Replaying them in order through
/// [`State::apply`](crate::State::apply) rebuilds the directory and every procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stream", content = "event")]
pub enum Event {
    /// A change to the directory.
    Directory(sundhed_authorisation::DirectoryEvent),
    /// A step of an SEB case.
    Seb(SebEvent),
    /// A step of an SEI case.
    Sei(SeiEvent),
    /// A step of user enrolment (activation codes, settings).
    Users(UserEvent),
}
