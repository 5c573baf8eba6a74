//! Running the `spanmark` binary from the command-line tests.

#![allow(
    dead_code,
    reason = "each test crate uses a different part of these helpers"
)]

use std::process::{Command, Output};

/// Run the built `spanmark` with `args` (no backtraces in its error output).
pub fn spanmark(args: &[&str]) -> Result<Output, std::io::Error> {
    Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .output()
}

/// A process's output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
