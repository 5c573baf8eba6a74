//! The commands on one project file: `check`, `stats`, `fmt`, `reanchor`.

use std::fmt::Write as _;
use std::path::Path;

use super::CliError;
use crate::format::{Loaded, import_article, read_project, write_project};
use crate::model::text::{excerpt, plural};
use crate::model::{Outcome, reanchor as reanchor_project};

/// `spanmark check PROJECT`: load and validate; summarise, or say what is wrong.
pub fn check(path: &Path) -> Result<String, CliError> {
    let Loaded { project, warnings } = read_project(path)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: ok: article \"{}\" ({}, {}), {}, {}, {}",
        path.display(),
        project.article().name(),
        plural(project.article().char_len(), "char"),
        plural(project.article().paragraph_count(), "paragraph"),
        plural(project.labels().len(), "label"),
        plural(project.spans().len(), "span"),
        plural(project.orphans().len(), "orphan")
    );
    if warnings.is_empty() {
        return Ok(out);
    }
    let mut err = out;
    for w in &warnings {
        let _ = writeln!(err, "warning: {w}");
    }
    let _ = write!(
        err,
        "{}: {}, listed above: the file opens, but with these repairs (spans named above open as orphans)",
        path.display(),
        plural(warnings.len(), "problem")
    );
    Err(CliError::Problems(err))
}

/// `spanmark stats PROJECT`: spans per label, covered characters, article size.
pub fn stats(path: &Path) -> Result<String, CliError> {
    let Loaded { project, .. } = read_project(path)?;
    let spans = project.spans();
    let chars = project.article().char_len();
    let covered = spans.covered_chars();
    let mut out = String::new();
    let _ = writeln!(out, "article      {}", project.article().name());
    let _ = writeln!(
        out,
        "size         {} chars, {} bytes, {} paragraphs",
        chars,
        project.article().text().len(),
        project.article().paragraph_count()
    );
    let width = project
        .labels()
        .iter()
        .map(|(_, l)| l.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(12);
    for (id, label) in project.labels().iter() {
        let _ = writeln!(out, "{:<width$} {}", label.name, spans.count(id));
    }
    let _ = writeln!(out, "{:<width$} {}", "spans", spans.len());
    let _ = writeln!(out, "{:<width$} {}", "orphans", project.orphans().len());
    let percent = if chars == 0 {
        0.0
    } else {
        covered as f64 * 100.0 / chars as f64
    };
    let _ = writeln!(out, "{:<width$} {covered} chars ({percent:.1}%)", "covered");
    Ok(out)
}

/// `spanmark fmt PROJECT [--force]`: rewrite the project in canonical form through the safe
/// save (temporary file, fsync, `.bak`, rename).
///
/// A project whose load produced warnings (spans moved to orphans, a normalised text, a
/// stale checksum, repeated ids) is refused unless `force` is set: rewriting it would make
/// those repairs permanent, and `fmt` must never silently change what a file means.
pub fn fmt(path: &Path, force: bool) -> Result<String, CliError> {
    let Loaded { project, warnings } = read_project(path)?;
    if !warnings.is_empty() && !force {
        let mut err = String::new();
        for w in &warnings {
            let _ = writeln!(err, "warning: {w}");
        }
        let _ = write!(
            err,
            "{}: not rewritten: loading it needed {} repair(s) listed above, and rewriting would make them permanent; \
             fix the file, or run `spanmark fmt --force` to accept them",
            path.display(),
            warnings.len()
        );
        return Err(CliError::Problems(err));
    }
    write_project(path, &project)?;
    let mut out = String::new();
    for w in &warnings {
        let _ = writeln!(out, "warning (accepted with --force): {w}");
    }
    let _ = writeln!(out, "{}: rewritten in canonical form", path.display());
    Ok(out)
}

/// `spanmark reanchor PROJECT NEW_ARTICLE --out NEW_PROJECT`: move the project's spans onto
/// a new version of its article and save the result (safely) as `out`. Prints how many
/// spans were kept, moved, flagged for review and orphaned, and names each flagged or
/// orphaned span.
pub fn reanchor(project: &Path, new_article: &Path, out: &Path) -> Result<String, CliError> {
    let Loaded {
        project: old,
        warnings,
    } = read_project(project)?;
    let article = import_article(new_article)?;
    let (new, report) = reanchor_project(&old, article);
    write_project(out, &new)?;
    let mut text = String::new();
    for w in &warnings {
        let _ = writeln!(text, "warning: {}: {w}", project.display());
    }
    for (id, outcome) in &report.outcomes {
        let Some(span) = old.spans().get(*id) else {
            continue;
        };
        let what = format!(
            "span {} ({} {}, \"{}\")",
            id.0,
            old.labels().name(span.label),
            span.range,
            excerpt(old.span_text(span), 40)
        );
        match outcome {
            Outcome::Flagged { to, similarity } => {
                let _ = writeln!(
                    text,
                    "review: {what} placed at {to}, {:.0}% alike",
                    similarity * 100.0
                );
            }
            Outcome::Orphaned { reason } => {
                let _ = writeln!(text, "orphan: {what}: {reason}");
            }
            Outcome::Kept | Outcome::Moved { .. } => {}
        }
    }
    let _ = writeln!(
        text,
        "{}: {}: {} kept, {} moved, {} flagged for review, {} orphaned",
        out.display(),
        plural(report.outcomes.len(), "span"),
        report.kept,
        report.moved,
        report.flagged,
        report.orphaned
    );
    Ok(text)
}
