//! The commands for working as a team through git: `merge` (git's merge driver for project
//! files) and `init` (registering that driver in a repository).

use std::fmt::Write as _;
use std::path::Path;

use super::{CliError, Report};
use crate::format::git::register_merge_driver;
use crate::format::safe_write::{SaveError, Step, write_atomic_with};
use crate::format::{Loaded, project_to_ron, read_project};
use crate::model::merge::merge as merge_projects;

/// Exit status of a merge that left conflicts (git then reports the file as conflicted).
pub const EXIT_CONFLICTS: u8 = 1;
/// Exit status when an input cannot be read or merged; OURS is left untouched.
pub const EXIT_UNMERGEABLE: u8 = 2;

/// `spanmark merge BASE OURS THEIRS [PATH]`: three-way merge of projects, written into
/// OURS (git's contract for a merge driver). Exit 0 when clean, 1 when conflicts remain
/// (the file is still a valid project, conflicts marked in span notes), 2 when an input is
/// unreadable or the two sides annotate different texts (OURS untouched). `path` (git's
/// `%P`) names the file in messages. Prints a one-line summary to stderr.
#[must_use]
pub fn merge(base: &Path, ours: &Path, theirs: &Path, path: Option<&Path>) -> Report {
    let name = path.unwrap_or(ours).display().to_string();
    let refuse = |why: String| Report {
        stdout: String::new(),
        stderr: format!("spanmark merge: {name}: not merged, the file was left as it is: {why}\n"),
        code: EXIT_UNMERGEABLE,
    };
    let mut stderr = String::new();
    let mut load = |which: &str, file: &Path| -> Result<Loaded, String> {
        let loaded = read_project(file).map_err(|e| format!("{which} version: {e}"))?;
        for w in &loaded.warnings {
            let _ = writeln!(stderr, "spanmark merge: {name}: warning ({which}): {w}");
        }
        Ok(loaded)
    };
    let loaded = load("base", base).and_then(|b| {
        let o = load("ours", ours)?;
        let t = load("theirs", theirs)?;
        Ok((b, o, t))
    });
    let (b, o, t) = match loaded {
        Ok(all) => all,
        Err(why) => return refuse(why),
    };
    let merged = match merge_projects(&b.project, &o.project, &t.project) {
        Ok(m) => m,
        Err(e) => return refuse(e.to_string()),
    };
    let text = match project_to_ron(&merged.project) {
        Ok(text) => text,
        Err(e) => {
            return refuse(
                SaveError {
                    step: Step::Serialise,
                    source: std::io::Error::other(e.to_string()),
                    path: ours.to_owned(),
                }
                .to_string(),
            );
        }
    };
    // Git's %A is a temporary file: no .bak beside it (git keeps every version anyway).
    if let Err(e) = write_atomic_with(ours, text.as_bytes(), false, &mut |_| Ok(())) {
        return refuse(e.to_string());
    }
    for note in &merged.summary.notes {
        let _ = writeln!(stderr, "spanmark merge: {name}: note: {note}");
    }
    let numbers: Vec<String> = merged
        .conflicts
        .iter()
        .map(|c| format!("#{}", c.number))
        .collect();
    let _ = write!(stderr, "spanmark merge: {name}: {}", merged.summary);
    if numbers.is_empty() {
        let _ = writeln!(stderr);
    } else {
        let _ = writeln!(
            stderr,
            " ({}), kept as NeedsReview spans whose note starts \"merge conflict\": resolve them in the review panel, then commit",
            numbers.join(", ")
        );
    }
    Report {
        stdout: String::new(),
        stderr,
        code: if numbers.is_empty() {
            0
        } else {
            EXIT_CONFLICTS
        },
    }
}

/// `spanmark init DIR` (the git part): register spanmark as the merge driver of `*.ron`
/// files when DIR is in a git repository, and say what was done.
pub fn init(dir: &Path) -> Result<String, CliError> {
    Ok(register_merge_driver(dir)?.to_string())
}
