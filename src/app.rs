//! The eframe application (being written).

use std::path::PathBuf;

/// Start the window.
pub fn run(_file: Option<PathBuf>) -> Result<(), String> {
    Err("the window is not built yet".to_owned())
}
