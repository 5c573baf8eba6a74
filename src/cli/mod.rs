//! Headless commands for scripts and checks. Each returns what to print on success, or a
//! typed error that `main` prints to stderr before exiting non-zero. Nothing here panics on
//! user data.

mod agree;
mod project;
mod suggest;
mod team;

pub use agree::agree;
pub use project::{check, fmt, reanchor, stats};
pub use suggest::{add_suggestions, suggest};
pub use team::{EXIT_CONFLICTS, EXIT_UNMERGEABLE, init, merge};

use crate::format::{ImportError, LoadError, SaveError};

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
    /// The window could not run.
    #[error(transparent)]
    Window(#[from] crate::app::RunError),
    /// Git could not be set up.
    #[error(transparent)]
    Git(#[from] crate::format::git::GitError),
}

/// The outcome of a command that chooses its own exit status (`merge`: 0, 1 or 2): what
/// to print on each stream and the status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Printed to stdout.
    pub stdout: String,
    /// Printed to stderr.
    pub stderr: String,
    /// The exit status.
    pub code: u8,
}

impl Report {
    /// Print both streams and give the exit status.
    #[must_use]
    pub fn exit(self) -> std::process::ExitCode {
        print!("{}", self.stdout);
        eprint!("{}", self.stderr);
        std::process::ExitCode::from(self.code)
    }
}
