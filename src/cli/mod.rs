//! Headless commands for scripts and checks. Each returns what to print on success, or a
//! typed error that `main` prints to stderr before exiting non-zero. Nothing here panics on
//! user data.

mod agree;
mod corpus;
mod interop;
mod project;
mod suggest;
mod team;

pub use agree::agree;
pub use corpus::{GrepOptions, check_path, grep, stats_path};
pub use interop::{export, import};
pub use project::{check, fmt, reanchor, stats};
pub use suggest::{add_suggestions, suggest};
pub use team::{EXIT_CONFLICTS, EXIT_UNMERGEABLE, merge};

use crate::format::corpus::CorpusError;
use crate::format::interop::InteropError;
use crate::format::{ImportError, LoadError, SaveError};

/// What a command prints and its exit status, for commands whose status says more than
/// success or failure (`grep`: 0 matched, 1 nothing matched, 2 error).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Printed to standard output.
    pub stdout: String,
    /// Printed to standard error.
    pub stderr: String,
    /// The exit status.
    pub code: u8,
}

impl Report {
    /// A clean run that prints `stdout`.
    #[must_use]
    pub fn ok(stdout: String) -> Self {
        Self {
            stdout,
            ..Self::default()
        }
    }

    /// Nothing printed but `message` (after `spanmark: `) on standard error.
    #[must_use]
    pub fn error(code: u8, message: &str) -> Self {
        Self {
            stdout: String::new(),
            stderr: format!("spanmark: {message}\n"),
            code,
        }
    }

    /// A command's usual result: its output and status 0, or its error and status 1.
    #[must_use]
    pub fn from_result(result: Result<String, CliError>) -> Self {
        match result {
            Ok(stdout) => Self {
                stdout,
                ..Self::default()
            },
            Err(e) => Self::error(1, &e.to_string()),
        }
    }
}

/// `spanmark init DIR`: write `corpus.ron` when it is absent and, when DIR is inside a git
/// repository, register spanmark as git's merge driver for projects. Running it twice
/// changes nothing.
pub fn init(dir: &std::path::Path) -> Result<String, CliError> {
    let mut out = corpus::init(dir)?;
    out.push_str(&team::init(dir)?);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
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
    /// A corpus folder could not be opened or changed.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// The command ran and found problems, listed in the message.
    #[error("{0}")]
    Problems(String),
    /// An export or import failed (nothing was imported).
    #[error(transparent)]
    Interop(#[from] InteropError),
    /// The window could not run.
    #[error(transparent)]
    Window(#[from] crate::app::RunError),
    /// Git could not be set up.
    #[error(transparent)]
    Git(#[from] crate::format::git::GitError),
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
