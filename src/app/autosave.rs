//! Autosave and crash recovery: a pure decision ([`Autosave::tick`]) about when to write
//! the recovery file, and the app's glue that writes it on a background task, offers
//! earlier sessions' work for restoring, and removes recovery files that are no longer
//! needed.
//!
//! The decision takes the time as an argument (egui's clock in the app, any number in
//! tests), so its rules are unit-tested without a window or a wall clock:
//!
//! ```text
//!   change at t=0 ─ wait 3 s ─ write        a change at t=2 restarts the wait
//!   undo back to the saved state            → remove the recovery file
//!   "Don't save"                            → remove it, and never rewrite that state
//! ```

use std::path::PathBuf;

use crate::format::recovery::{self, RecoveryFile};
use crate::format::{Loaded, SaveError};

use super::SpanmarkApp;
use super::document::is_project_path;
use super::tasks::Task;

/// Unsaved work is written to the recovery file this long after the last change.
pub const DELAY_SECS: f64 = 3.0;

/// What autosave should do now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tick {
    /// Nothing.
    Idle,
    /// Nothing yet; look again after this many seconds.
    WaitSecs(f64),
    /// Write the project, whose history state is this, to the recovery file.
    Write(u64),
    /// The recovery file is stale (the project is back to its saved state): remove it.
    Discard,
}

/// When the project last changed and what was last written: the whole autosave state.
#[derive(Clone, Debug, Default)]
pub struct Autosave {
    /// History state and the time at which it was first seen.
    changed: Option<(u64, f64)>,
    /// History state of the last recovery write.
    written: Option<u64>,
    /// A state the analyst gave up ("Don't save"): never written again.
    discarded: Option<u64>,
}

impl Autosave {
    /// Decide, at time `now_secs`, for a project in history state `state` (dirty or not),
    /// while a write may still be `busy`.
    pub fn tick(&mut self, now_secs: f64, state: u64, dirty: bool, busy: bool) -> Tick {
        if busy {
            return Tick::Idle;
        }
        if !dirty {
            self.changed = None;
            return if self.written.take().is_some() {
                Tick::Discard
            } else {
                Tick::Idle
            };
        }
        if self.written == Some(state) || self.discarded == Some(state) {
            return Tick::Idle;
        }
        let since = match self.changed {
            Some((seen, at)) if seen == state => now_secs - at,
            _ => {
                self.changed = Some((state, now_secs));
                0.0
            }
        };
        if since < DELAY_SECS {
            return Tick::WaitSecs(DELAY_SECS - since);
        }
        self.written = Some(state);
        Tick::Write(state)
    }

    /// The last write failed: try again after the usual delay, not on every frame.
    pub fn failed(&mut self) {
        self.written = None;
        self.changed = None;
    }

    /// The recovery file was removed because the analyst gave up the changes of `state`.
    pub fn discarded(&mut self, state: u64) {
        self.written = None;
        self.changed = None;
        self.discarded = Some(state);
    }
}

/// The app's recovery bookkeeping beside the pure decision.
pub struct Recovery {
    /// Where recovery files go; `None` turns autosave off.
    pub dir: Option<PathBuf>,
    /// The decision state.
    pub autosave: Autosave,
    /// The recovery file this session writes; the document's usual one when `None`.
    pub target: Option<PathBuf>,
    /// A write in progress.
    pub pending: Option<Task<Result<PathBuf, SaveError>>>,
    /// The last failure was already shown; don't repeat it every few seconds.
    pub error_shown: bool,
    /// Unsaved work from earlier sessions, offered for restoring one after the other.
    pub offers: Vec<RecoveryFile>,
}

impl Recovery {
    /// Bookkeeping for recovery files in `dir` (none: autosave off).
    #[must_use]
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self {
            dir,
            autosave: Autosave::default(),
            target: None,
            pending: None,
            error_shown: false,
            offers: Vec::new(),
        }
    }
}

impl SpanmarkApp {
    /// Look for unsaved work of the open document (or, when spanmark started without a
    /// file and there is none for it, of the most recent other document) and offer to
    /// restore it, oldest first.
    pub(super) fn offer_recovery(&mut self, any_document: bool) {
        let Some(dir) = self.recovery.dir.clone() else {
            return;
        };
        let key = self.doc.recovery_key();
        let mut found = recovery::find_all_in(&dir, key.as_deref());
        if found.is_empty() && any_document {
            found = recovery::find_any_in(&dir).into_iter().take(1).collect();
        }
        self.recovery.offers = found;
    }

    /// The file this session autosaves to.
    pub(super) fn autosave_target(&self) -> Option<PathBuf> {
        let dir = self.recovery.dir.as_deref()?;
        let key = self.doc.recovery_key();
        Some(
            self.recovery
                .target
                .clone()
                .unwrap_or_else(|| recovery::path_in(dir, key.as_deref())),
        )
    }

    /// Open the work kept in `file`.
    pub(super) fn restore(&mut self, file: &RecoveryFile) {
        match file.load() {
            Ok(Loaded { project, warnings }) => {
                let path = file.document.clone().filter(|p| is_project_path(p));
                self.set_document(project, path);
                // Go on autosaving into the restored file: it only ever holds more work.
                self.recovery.target = Some(file.path.clone());
                self.doc.mark_unsaved();
                self.say(format!("Restored unsaved work from {}", file.path.display()));
                if !warnings.is_empty() {
                    self.messages.warning(
                        format!(
                            "{} of the restored work could not be placed; {} listed under Orphans.",
                            super::plural(warnings.len(), "span"),
                            if warnings.len() == 1 { "it is" } else { "they are" }
                        ),
                        warnings,
                    );
                }
            }
            Err(e) => self.messages.error(
                format!(
                    "The unsaved work could not be restored: {e}. The recovery file was kept; open it as a project to look at it."
                ),
                Vec::new(),
            ),
        }
    }

    /// Remove this session's recovery file for the open document (its work was saved or
    /// given up). Another session's work still waiting to be offered is never removed.
    pub(super) fn discard_recovery(&mut self) {
        let Some(target) = self.autosave_target() else {
            return;
        };
        if self.recovery.offers.iter().any(|o| o.path == target) {
            return;
        }
        match std::fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => self.messages.error(
                format!(
                    "Could not remove the recovery file ({e}): {}",
                    target.display()
                ),
                Vec::new(),
            ),
        }
    }

    /// The analyst gave up the open document's changes ("Don't save"): its recovery file
    /// goes, and autosave does not write that state again.
    pub(super) fn give_up_changes(&mut self) {
        self.finish_autosave();
        self.discard_recovery();
        let state = self.doc.history().state_serial();
        self.recovery.autosave.discarded(state);
    }

    /// Write the recovery file a few seconds after the last change, on a background task.
    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        if let Some(result) = self.recovery.pending.as_ref().and_then(Task::poll) {
            self.recovery.pending = None;
            match result
                .map_err(|e| e.to_string())
                .and_then(|r| r.map_err(|e| e.to_string()))
            {
                Ok(_) => self.recovery.error_shown = false,
                Err(e) => {
                    self.recovery.autosave.failed();
                    if !std::mem::replace(&mut self.recovery.error_shown, true) {
                        self.messages.error(
                            format!("Autosave failed, so unsaved work is not protected against a crash: {e}"),
                            Vec::new(),
                        );
                    }
                }
            }
        }
        if self.recovery.dir.is_none() {
            return;
        }
        let now = ctx.input(|i| i.time);
        let tick = self.recovery.autosave.tick(
            now,
            self.doc.history().state_serial(),
            self.doc.is_dirty(),
            self.recovery.pending.is_some(),
        );
        match tick {
            Tick::Idle => {}
            Tick::WaitSecs(secs) => {
                ctx.request_repaint_after(std::time::Duration::from_secs_f64(secs));
            }
            // Undone back to what is on disk: the recovery file would only offer stale work.
            Tick::Discard => self.discard_recovery(),
            Tick::Write(_) => self.write_recovery(ctx),
        }
    }

    fn write_recovery(&mut self, ctx: &egui::Context) {
        if self
            .autosave_target()
            .is_some_and(|t| self.recovery.offers.iter().any(|o| o.path == t))
        {
            // The usual file holds earlier work not yet restored or discarded.
            self.autosave_beside();
        }
        let Some(target) = self.autosave_target() else {
            return;
        };
        let project = self.doc.project().clone();
        let key = self.doc.recovery_key();
        match Task::spawn(ctx, "autosave", move || {
            recovery::write_to(&target, key.as_deref(), &project)
        }) {
            Ok(task) => self.recovery.pending = Some(task),
            Err(e) => {
                self.recovery.autosave.failed();
                self.messages
                    .error(format!("Autosave failed: {e}"), Vec::new());
            }
        }
    }

    /// Autosave from now on into a recovery file of this session's own, beside the
    /// document's usual one (which holds another session's work the analyst kept).
    pub(super) fn autosave_beside(&mut self) {
        if let Some(dir) = &self.recovery.dir {
            let key = self.doc.recovery_key();
            self.recovery.target = Some(recovery::session_path_in(
                dir,
                key.as_deref(),
                std::process::id(),
            ));
        }
    }

    /// Wait for an autosave in progress (tests, and before quitting).
    pub fn finish_autosave(&mut self) {
        if let Some(task) = self.recovery.pending.take() {
            let failed = match task.wait() {
                Ok(Ok(_)) => None,
                Ok(Err(e)) => Some(e.to_string()),
                Err(e) => Some(e.to_string()),
            };
            if let Some(e) = failed {
                self.recovery.autosave.failed();
                self.messages
                    .error(format!("Autosave failed: {e}"), Vec::new());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_written_once_after_the_delay_and_a_new_change_restarts_it() {
        let mut a = Autosave::default();
        assert_eq!(a.tick(10.0, 1, true, false), Tick::WaitSecs(3.0));
        assert_eq!(a.tick(12.0, 1, true, false), Tick::WaitSecs(1.0));
        // Another change at t=12 starts the wait again.
        assert_eq!(a.tick(12.0, 2, true, false), Tick::WaitSecs(3.0));
        assert_eq!(a.tick(14.5, 2, true, false), Tick::WaitSecs(0.5));
        assert_eq!(a.tick(15.0, 2, true, false), Tick::Write(2));
        assert_eq!(a.tick(20.0, 2, true, false), Tick::Idle, "written once");
    }

    #[test]
    fn nothing_is_decided_while_a_write_is_busy() {
        let mut a = Autosave::default();
        assert_eq!(a.tick(0.0, 1, true, true), Tick::Idle);
        assert_eq!(a.tick(0.0, 1, true, false), Tick::WaitSecs(3.0));
    }

    #[test]
    fn undoing_back_to_the_saved_state_removes_the_recovery_file_once() {
        let mut a = Autosave::default();
        a.tick(0.0, 1, true, false);
        assert_eq!(a.tick(3.0, 1, true, false), Tick::Write(1));
        assert_eq!(a.tick(4.0, 0, false, false), Tick::Discard);
        assert_eq!(a.tick(5.0, 0, false, false), Tick::Idle);
        // Clean without ever writing: nothing to remove.
        let mut b = Autosave::default();
        assert_eq!(b.tick(0.0, 0, false, false), Tick::Idle);
    }

    /// "Don't save" on quit removed the recovery file, then the same frame's autosave wrote
    /// it again (the change was older than the delay), so the next start offered to restore
    /// work the user had discarded.
    #[test]
    fn regression_dont_save_on_quit_kept_the_recovery_file() {
        let mut a = Autosave::default();
        a.tick(0.0, 4, true, false);
        assert_eq!(a.tick(3.0, 4, true, false), Tick::Write(4));
        a.discarded(4);
        assert_eq!(a.tick(9.0, 4, true, false), Tick::Idle);
        // A later change is work again.
        assert_eq!(a.tick(9.0, 5, true, false), Tick::WaitSecs(3.0));
    }

    #[test]
    fn a_failed_write_is_retried_after_the_delay_not_every_frame() {
        let mut a = Autosave::default();
        a.tick(0.0, 1, true, false);
        assert_eq!(a.tick(3.0, 1, true, false), Tick::Write(1));
        a.failed();
        assert_eq!(a.tick(3.5, 1, true, false), Tick::WaitSecs(3.0));
        assert_eq!(a.tick(6.5, 1, true, false), Tick::Write(1));
    }
}
