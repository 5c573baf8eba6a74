//! Background work: one small helper for everything that must not block a frame (native
//! file dialogs, opening large files, re-anchoring, autosave writes).
//!
//! A [`Task`] runs a closure on its own thread and hands the result back through a channel;
//! the thread asks egui for a repaint when it is done, so the next frame picks the result up
//! with [`Task::poll`]. Nothing here touches the project.

use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// Work running off the UI thread, and when it started.
pub struct Task<T> {
    answer: Receiver<T>,
    since: Instant,
}

/// Why a task has no result.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    /// The system refused another thread.
    #[error("could not start a background task ({0})")]
    Spawn(std::io::Error),
    /// The task's thread ended without an answer (it panicked).
    #[error("a background task stopped without an answer")]
    Lost,
}

impl<T: Send + 'static> Task<T> {
    /// Run `job` on a new thread named `name`.
    pub fn spawn(
        ctx: &egui::Context,
        name: &str,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<Self, TaskError> {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                // The receiver may be gone (the app moved on); the result is then not needed.
                let _ = tx.send(job());
                ctx.request_repaint();
            })
            .map_err(TaskError::Spawn)?;
        Ok(Self::from_receiver(rx))
    }
}

impl<T> Task<T> {
    /// A task whose answer arrives on `answer` (a native dialog's thread).
    #[must_use]
    pub fn from_receiver(answer: Receiver<T>) -> Self {
        Self {
            answer,
            since: Instant::now(),
        }
    }

    /// The result, once it is there.
    #[must_use]
    pub fn poll(&self) -> Option<Result<T, TaskError>> {
        match self.answer.try_recv() {
            Ok(value) => Some(Ok(value)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(TaskError::Lost)),
        }
    }

    /// Wait for the result.
    pub fn wait(self) -> Result<T, TaskError> {
        self.answer.recv().map_err(|_| TaskError::Lost)
    }

    /// How long it has been running.
    #[must_use]
    pub fn elapsed(&self) -> Duration {
        self.since.elapsed()
    }
}
