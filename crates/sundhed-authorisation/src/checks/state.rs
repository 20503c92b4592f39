//! The rule tying events to the state they were computed on (`AUTHZ-STATE-01`).

use sundhed_identity::Violation;

use crate::event::DirectoryEvent;
use crate::rules::STATE;

/// Rule `AUTHZ-STATE-01`: events apply only to the directory version they were computed on.
/// `version` is the directory's version (how many events it has applied); the first of
/// `events` must apply to it, and each next one to the version after the one before, so a
/// command's or batch's events are applied whole, in order, to the state their checks read
/// (issue 13 item 7: events handled on a directory that has changed since would otherwise
/// make live grants whose support is already gone).
pub(crate) fn check_computed_on<'a>(
    version: u64,
    events: impl IntoIterator<Item = &'a DirectoryEvent>,
) -> Result<(), Violation> {
    let mut expected = version;
    for (index, event) in events.into_iter().enumerate() {
        if event.applies_to != expected {
            return Err(Violation::new(
                STATE,
                format!(
                    "event {} of the batch was computed for directory version {}, and would \
                     apply to version {expected}",
                    index.saturating_add(1),
                    event.applies_to
                ),
            ));
        }
        expected = expected.saturating_add(1);
    }
    Ok(())
}
