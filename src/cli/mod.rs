//! Headless commands for scripts and checks. Each returns what to print on success, or a
//! typed error that `main` prints to stderr before exiting non-zero. Nothing here panics on
//! user data.

mod agree;
mod project;
mod suggest;

pub use agree::agree;
pub use project::{check, fmt, reanchor, stats};
pub use suggest::{add_suggestions, suggest};

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
}
