//! Renaming a label in every project of a corpus (and in its scheme), file by file through
//! the safe save, with a report of what changed.

use crate::format::{Loaded, read_project, write_project};
use crate::model::{Edit, Label, LabelSet};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

use super::{CorpusError, config_path, load_config, scan, write_config};

/// What [`rename_label`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenameReport {
    /// Projects changed and saved, with how many spans carry the renamed label.
    pub changed: Vec<(PathBuf, usize)>,
    /// Projects without the label, left as they were.
    pub untouched: usize,
    /// Projects that could not be changed, with why; each is unchanged on disk.
    pub failed: Vec<(PathBuf, String)>,
    /// `corpus.ron` was changed too.
    pub scheme_changed: bool,
    /// Why `corpus.ron` could not be changed, if it could not.
    pub scheme_problem: Option<String>,
}

/// Rename label `old` to `new` in every project of the corpus in `dir` and in its
/// `corpus.ron`, each file through the safe save. A project that fails to load, needed
/// repairs to load (saving would make them permanent), or already has a label called
/// `new` is left unchanged and listed in `failed`.
pub fn rename_label(dir: &Path, old: &str, new: &str) -> Result<RenameReport, CorpusError> {
    check_rename(dir, old, new)?;
    let scan = scan(dir)?;
    let projects: Vec<PathBuf> = scan
        .docs
        .iter()
        .filter(|d| d.project_exists)
        .map(|d| d.project.clone())
        .collect();
    let mut report = rename_label_in(&projects, old, new);
    match load_config(dir) {
        Ok(Some(mut config)) => {
            if let Some(id) = config.labels.by_name(old) {
                let renamed = config.labels.get(id).map(|l| Label {
                    name: new.to_owned(),
                    ..l.clone()
                });
                match renamed.map(|l| config.labels.with_changed(id, l)) {
                    Some(Ok(labels)) => {
                        config.labels = labels;
                        match write_config(dir, &config) {
                            Ok(()) => report.scheme_changed = true,
                            Err(e) => report.scheme_problem = Some(e.to_string()),
                        }
                    }
                    Some(Err(e)) => {
                        report.scheme_problem =
                            Some(format!("{e}: {}", config_path(dir).display()));
                    }
                    None => {}
                }
            }
        }
        Ok(None) => {}
        Err(e) => report.scheme_problem = Some(e.to_string()),
    }
    Ok(report)
}

pub(super) fn check_rename(dir: &Path, old: &str, new: &str) -> Result<(), CorpusError> {
    let problem = if new.trim().is_empty() {
        Some("the new name is blank")
    } else if old == new {
        Some("the names are the same")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(CorpusError::BadRename {
            old: old.to_owned(),
            new: new.to_owned(),
            problem: problem.to_owned(),
            path: dir.to_owned(),
        }),
        None => Ok(()),
    }
}

/// Rename label `old` to `new` in each of `projects` (the window passes every project but
/// the open one, which it renames in memory). See [`rename_label`].
#[must_use]
pub fn rename_label_in(projects: &[PathBuf], old: &str, new: &str) -> RenameReport {
    let outcomes: Vec<(PathBuf, Result<Option<usize>, String>)> = projects
        .par_iter()
        .map(|path| (path.clone(), rename_in_project(path, old, new)))
        .collect();
    let mut report = RenameReport::default();
    for (path, outcome) in outcomes {
        match outcome {
            Ok(Some(spans)) => report.changed.push((path, spans)),
            Ok(None) => report.untouched += 1,
            Err(problem) => report.failed.push((path, problem)),
        }
    }
    report
}

/// Rename in one project: the number of spans carrying the label when it was changed,
/// `None` when the project has no such label.
pub(super) fn rename_in_project(
    path: &Path,
    old: &str,
    new: &str,
) -> Result<Option<usize>, String> {
    let Loaded {
        mut project,
        warnings,
    } = read_project(path).map_err(|e| e.to_string())?;
    let Some(id) = project.labels().by_name(old) else {
        return Ok(None);
    };
    if !warnings.is_empty() {
        return Err(format!(
            "not changed: loading it needed {} repair(s) that saving would make permanent; open it in spanmark or run `spanmark check` on it",
            warnings.len()
        ));
    }
    if project.labels().by_name(new).is_some() {
        return Err(format!(
            "not changed: it already has a label called \"{new}\""
        ));
    }
    let before: LabelSet = project.labels().clone();
    let Some(label) = before.get(id) else {
        return Ok(None);
    };
    let after = before
        .with_changed(
            id,
            Label {
                name: new.to_owned(),
                ..label.clone()
            },
        )
        .map_err(|e| format!("not changed: {e}"))?;
    let spans = project.spans().iter().filter(|s| s.label == id).count();
    project
        .apply(&Edit::SetLabels { before, after })
        .map_err(|e| format!("not changed: {e}"))?;
    write_project(path, &project).map_err(|e| e.to_string())?;
    Ok(Some(spans))
}
