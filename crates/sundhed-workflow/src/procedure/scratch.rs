//! Running directory commands for a procedure without changing the directory.

use chrono::{DateTime, Utc};
use sundhed_authorisation::{Actor, Directory, DirectoryCommand, DirectoryEvent};
use sundhed_identity::Refusal;

/// Directory commands run one after another on a scratch copy, collecting their events; the
/// directory itself changes only when the procedure's events are applied.
pub(crate) struct Scratch<'a> {
    base: &'a Directory,
    copy: Option<Directory>,
    events: Vec<DirectoryEvent>,
    at: DateTime<Utc>,
}

impl<'a> Scratch<'a> {
    pub(crate) fn new(base: &'a Directory, at: DateTime<Utc>) -> Self {
        Self {
            base,
            copy: None,
            events: Vec::new(),
            at,
        }
    }

    /// The directory as it would be after the commands run so far.
    pub(crate) fn directory(&mut self) -> &Directory {
        self.settle();
        self.copy.as_ref().unwrap_or(self.base)
    }

    /// Runs one command; its events are kept and returned.
    pub(crate) fn run(
        &mut self,
        actor: Actor,
        command: &DirectoryCommand,
    ) -> Result<&[DirectoryEvent], Refusal> {
        let start = self.events.len();
        let new = match &mut self.copy {
            None if self.events.is_empty() => self.base.handle(actor, command, self.at)?,
            None => {
                let mut copy = self.base.clone();
                copy.apply_all(&self.events);
                let new = copy.execute(actor, command, self.at)?;
                self.copy = Some(copy);
                new
            }
            Some(copy) => copy.execute(actor, command, self.at)?,
        };
        self.events.extend(new);
        Ok(self.events.get(start..).unwrap_or(&[]))
    }

    fn settle(&mut self) {
        if self.copy.is_none() && !self.events.is_empty() {
            let mut copy = self.base.clone();
            copy.apply_all(&self.events);
            self.copy = Some(copy);
        }
    }

    pub(crate) fn into_events(self) -> Vec<DirectoryEvent> {
        self.events
    }
}
