//! `spanmark suggest`: the offline suggesters on an article or a project, writing a project
//! with the suggestions added as `Suggested` spans (existing spans untouched; a project's
//! rejected suggestions are not proposed again); on a corpus folder, every document, with
//! what was confirmed in one document proposed wherever it occurs in the others.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::{CliError, Report};
use crate::format::corpus::{read_config, scan};
use crate::format::corpus_suggest::{RunOptions, suggest_corpus};
use crate::format::{Loaded, import_article, read_project, write_project};
use crate::model::suggest::propose::{insert_proposals, proposals};
use crate::model::suggest::suggest as find_suggestions;
use crate::model::text::plural;
use crate::model::{LabelSet, Project};

/// The project to add suggestions to: a project file as it is, or a new project for an
/// article file.
fn load(input: &Path) -> Result<Project, CliError> {
    if input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
    {
        let Loaded { project, .. } = read_project(input)?;
        Ok(project)
    } else {
        Ok(Project::new(import_article(input)?, LabelSet::default()))
    }
}

/// Add suggestions to `project`; returns how many of each label were added.
pub fn add_suggestions(project: &mut Project) -> Vec<(String, usize)> {
    let found = find_suggestions(project.article().text());
    let spans = proposals(project, &found, project.fresh_id());
    insert_proposals(project, spans, 0).0
}

/// `spanmark suggest ARTICLE_OR_PROJECT --out PROJECT`.
pub fn suggest(input: &Path, out: &Path) -> Result<String, CliError> {
    let mut project = load(input)?;
    let before = project.spans().len();
    let counts = add_suggestions(&mut project);
    write_project(out, &project)?;
    let added: usize = counts.iter().map(|(_, n)| n).sum();
    let mut text = format!(
        "{}: {added} suggestion(s) added, {before} existing span(s) untouched",
        out.display()
    );
    for (label, n) in counts.iter().filter(|(_, n)| *n > 0) {
        let _ = write!(text, "; {label} {n}");
    }
    text.push('\n');
    Ok(text)
}

/// `spanmark suggest INPUT --out OUT`: one article or project (see [`suggest`]), or every
/// document of the corpus folder INPUT, written at the same relative paths under OUT (in
/// place when OUT is INPUT). Progress goes to standard error as documents are done; the
/// status is 2 when some documents failed (the others are written).
#[must_use]
pub fn suggest_path(input: &Path, out: &Path) -> Report {
    if input.is_dir() {
        suggest_folder(input, out).unwrap_or_else(|e| Report::error(1, &e.to_string()))
    } else {
        Report::from_result(suggest(input, out))
    }
}

/// Every document of the corpus folder `dir`.
fn suggest_folder(dir: &Path, out: &Path) -> Result<Report, CliError> {
    let scan = scan(dir)?;
    let labels = read_config(dir).config.labels;
    let total = scan.docs.len();
    let done = AtomicUsize::new(0);
    // About a hundred progress lines for a large corpus, every document for a small one.
    let step = (total / 100).max(1);
    let cancel = AtomicBool::new(false);
    let options = RunOptions {
        out,
        labels: &labels,
        open: None,
        cancel: &cancel,
    };
    let report = suggest_corpus(&scan, &options, &|_| {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(step) || n == total {
            eprintln!("suggest: {n}/{total} documents");
        }
    });
    let mut stderr = String::new();
    for problem in &scan.problems {
        let _ = writeln!(stderr, "spanmark: suggest: {problem}");
    }
    let mut failed = 0;
    for (rel, why) in report.failures() {
        failed += 1;
        let _ = writeln!(stderr, "spanmark: suggest: {rel}: {why}");
    }
    let written = report
        .docs
        .iter()
        .filter(|d| {
            matches!(
                d.outcome,
                crate::format::corpus_suggest::Outcome::Written { .. }
            )
        })
        .count();
    let per_label = report.per_label();
    let added: usize = per_label.iter().map(|(_, n)| n).sum();
    let mut stdout = format!(
        "{}: {} added ({} learned across documents) in {} of {}; {} written to {}",
        dir.display(),
        plural(added, "suggestion"),
        report.learned_total(),
        plural(written, "document"),
        total,
        plural(written, "project"),
        out.display()
    );
    for (label, n) in &per_label {
        let _ = write!(stdout, "; {label} {n}");
    }
    if failed > 0 {
        let _ = write!(stdout, "; {} failed", plural(failed, "document"));
    }
    stdout.push('\n');
    Ok(Report {
        stdout,
        stderr,
        code: if failed > 0 { 2 } else { 0 },
    })
}
