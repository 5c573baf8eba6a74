//! Headless commands for scripts and checks. Each returns what to print on success, or a
//! typed error that `main` prints to stderr before exiting non-zero. Nothing here panics on
//! user data.

mod interop;
mod project;

pub use interop::{export, import};
pub use project::{check, fmt, reanchor, stats};

use crate::format::interop::InteropError;
use crate::format::{ImportError, LoadError, SaveError};

/// What a command prints on success and the exit status it ends with (0 for a clean run;
/// a command documents any other, such as 2 for "done, with problems listed").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Printed to standard output.
    pub stdout: String,
    /// The process exit status.
    pub code: u8,
}

impl Report {
    /// A clean run that prints `stdout`.
    #[must_use]
    pub fn ok(stdout: String) -> Self {
        Self { stdout, code: 0 }
    }
}

/// Why a command did not succeed. The exit status is 1 unless a command says otherwise.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A project could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// An article could not be imported.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// A file could not be written.
    #[error(transparent)]
    Save(#[from] SaveError),
    /// The command ran and found problems, listed in the message.
    #[error("{0}")]
    Problems(String),
    /// An export or import failed (nothing was imported).
    #[error(transparent)]
    Interop(#[from] InteropError),
    /// The window could not run.
    #[error(transparent)]
    Window(#[from] crate::app::RunError),
}
