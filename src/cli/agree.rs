//! `spanmark agree A B [C …] [--json]`: how well analysts agree, per label and overall, for
//! projects of one article or for corpus folders compared document by document.
//!
//! Only annotations count (confirmed spans and those needing review), not suggestions. The
//! measures and their corner cases are those of [`crate::model::agreement`].

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::CliError;
use crate::format::read_project;
use crate::model::Project;
use crate::model::agreement::{
    Agreement, Annotation, Document, GroupAgreement, GroupScores, PairTally, Scores, group,
};

/// One analyst's input: a project, or a folder of projects.
struct Input {
    path: PathBuf,
    /// (relative path, project), sorted by path.
    projects: Vec<(String, Project)>,
}

/// Every project (`*.ron`) under `dir`, by path relative to it; hidden folders skipped.
fn projects_under(dir: &Path) -> Result<Vec<(String, Project)>, CliError> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(folder) = stack.pop() {
        let canonical = std::fs::canonicalize(&folder).unwrap_or_else(|_| folder.clone());
        if !seen.insert(canonical) {
            continue;
        }
        let entries = std::fs::read_dir(&folder).map_err(|e| {
            CliError::Problems(format!(
                "could not read the folder ({e}): {}",
                folder.display()
            ))
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
                && name != "corpus.ron"
            {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                found.push((relative, read_project(&path)?.project));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found)
}

fn load(path: &Path) -> Result<Input, CliError> {
    let projects = if path.is_dir() {
        projects_under(path)?
    } else {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        vec![(name, read_project(path)?.project)]
    };
    Ok(Input {
        path: path.to_owned(),
        projects,
    })
}

/// One project's annotations as the agreement module takes them.
fn document(project: &Project) -> Document<'_> {
    Document {
        len: project.article().char_len(),
        spans: project
            .spans()
            .iter()
            .filter(|s| s.status.is_annotation())
            .map(|s| Annotation {
                range: s.range,
                label: project.labels().name(s.label),
            })
            .collect(),
    }
}

fn fmt_score(score: Option<f64>) -> String {
    score.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"))
}

fn json_score(score: Option<f64>) -> serde_json::Value {
    score.map_or(serde_json::Value::Null, serde_json::Value::from)
}

fn scores_json(s: &Scores) -> serde_json::Value {
    serde_json::json!({
        "strict_f1": json_score(s.strict_f1),
        "overlap_f1": json_score(s.overlap_f1),
        "kappa": json_score(s.kappa),
        "alpha": json_score(s.alpha),
    })
}

fn agreement_json(a: &Agreement) -> serde_json::Value {
    let labels: serde_json::Map<String, serde_json::Value> = a
        .labels
        .iter()
        .map(|(name, s)| (name.clone(), scores_json(s)))
        .collect();
    serde_json::json!({
        "labels": labels,
        "overall": scores_json(&a.overall),
        "documents": a.documents,
        "chars": a.chars,
    })
}

fn group_json(g: &GroupScores) -> serde_json::Value {
    serde_json::json!({
        "fleiss_kappa": json_score(g.fleiss_kappa),
        "alpha": json_score(g.alpha),
    })
}

fn table(out: &mut String, a: &Agreement) {
    let _ = writeln!(
        out,
        "{:<16} {:>9} {:>10} {:>7} {:>7} {:>11}",
        "label", "strict_f1", "overlap_f1", "kappa", "alpha", "spans"
    );
    let rows = a
        .labels
        .iter()
        .map(|(name, s)| (name.as_str(), s, a.label_counts.get(name).copied()))
        .chain(std::iter::once((
            "overall",
            &a.overall,
            Some(a.overall_counts),
        )));
    for (name, s, counts) in rows {
        let spans = counts.map_or_else(String::new, |c| format!("{}/{}", c.a, c.b));
        let _ = writeln!(
            out,
            "{:<16} {:>9} {:>10} {:>7} {:>7} {:>11}",
            name,
            fmt_score(s.strict_f1),
            fmt_score(s.overlap_f1),
            fmt_score(s.kappa),
            fmt_score(s.alpha),
            spans
        );
    }
}

/// The project of document `name` in `input` (a single project's input has one, whatever its
/// name).
fn pick<'i>(input: &'i Input, name: &str) -> Option<&'i Project> {
    if name.is_empty() {
        input.projects.first().map(|(_, p)| p)
    } else {
        input
            .projects
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p)
    }
}

/// `spanmark agree INPUTS… [--json]`.
pub fn agree(paths: &[PathBuf], json: bool) -> Result<String, CliError> {
    if paths.len() < 2 {
        return Err(CliError::Problems(
            "agree needs two or more projects (or corpus folders) to compare".to_owned(),
        ));
    }
    let inputs = paths
        .iter()
        .map(|p| load(p))
        .collect::<Result<Vec<_>, _>>()?;
    // Documents every input has, by relative path (a single project per input pairs up
    // whatever its file is called).
    let names: Vec<String> = if inputs
        .iter()
        .all(|i| i.projects.len() == 1 && !i.path.is_dir())
    {
        vec![String::new()]
    } else {
        let mut common: BTreeSet<&str> = inputs
            .first()
            .map(|i| i.projects.iter().map(|(n, _)| n.as_str()).collect())
            .unwrap_or_default();
        for input in inputs.iter().skip(1) {
            let here: BTreeSet<&str> = input.projects.iter().map(|(n, _)| n.as_str()).collect();
            common = common.intersection(&here).copied().collect();
        }
        common.into_iter().map(str::to_owned).collect()
    };
    let mut labels: BTreeSet<String> = BTreeSet::new();
    for input in &inputs {
        for (_, p) in &input.projects {
            labels.extend(p.labels().iter().map(|(_, l)| l.name.clone()));
        }
    }
    let label_refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    let mut per_annotator: Vec<Vec<Document<'_>>> = vec![Vec::new(); inputs.len()];
    for name in &names {
        for (docs, input) in per_annotator.iter_mut().zip(&inputs) {
            let Some(project) = pick(input, name) else {
                continue;
            };
            docs.push(document(project));
        }
    }
    let slices: Vec<&[Document<'_>]> = per_annotator.iter().map(Vec::as_slice).collect();
    let result: GroupAgreement = group(&label_refs, &slices)
        .map_err(|e| CliError::Problems(format!("the inputs cannot be compared: {e}")))?;
    let corpus = names.len() > 1 || inputs.iter().any(|i| i.path.is_dir());

    let display: Vec<String> = inputs
        .iter()
        .map(|i| i.path.display().to_string())
        .collect();
    if json {
        return Ok(json_report(&result, &display));
    }
    let mut out = text_report(&result, &display);
    if corpus {
        per_document(&mut out, &inputs, &names, &label_refs, &display);
    }
    Ok(out)
}

fn name_of(display: &[String], i: usize) -> &str {
    display.get(i).map_or("", String::as_str)
}

/// The JSON report: one object for a pair; pairs and group measures for three or more.
fn json_report(result: &GroupAgreement, display: &[String]) -> String {
    let value = if display.len() == 2 {
        let pair = result.pairs.first().map(|p| &p.agreement);
        pair.map_or(serde_json::Value::Null, agreement_json)
    } else {
        let pairs: Vec<serde_json::Value> = result
            .pairs
            .iter()
            .map(|p| {
                let mut v = agreement_json(&p.agreement);
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("a".to_owned(), name_of(display, p.first).into());
                    obj.insert("b".to_owned(), name_of(display, p.second).into());
                }
                v
            })
            .collect();
        let group_labels: serde_json::Map<String, serde_json::Value> = result
            .labels
            .iter()
            .map(|(n, g)| (n.clone(), group_json(g)))
            .collect();
        serde_json::json!({
            "pairs": pairs,
            "group": { "labels": group_labels, "overall": group_json(&result.overall) },
        })
    };
    format!("{value}\n")
}

/// The readable report: a table per pair, and the group's measures for three or more.
fn text_report(result: &GroupAgreement, display: &[String]) -> String {
    let mut out = String::new();
    for pair in &result.pairs {
        let a = &pair.agreement;
        let _ = writeln!(
            out,
            "{} vs {}: {} document(s), {} chars",
            name_of(display, pair.first),
            name_of(display, pair.second),
            a.documents,
            a.chars
        );
        table(&mut out, a);
        out.push('\n');
    }
    if display.len() > 2 {
        let _ = writeln!(out, "all {} annotators together", display.len());
        let _ = writeln!(out, "{:<16} {:>12} {:>7}", "label", "fleiss_kappa", "alpha");
        for (name, g) in result
            .labels
            .iter()
            .map(|(n, g)| (n.as_str(), g))
            .chain(std::iter::once(("overall", &result.overall)))
        {
            let _ = writeln!(
                out,
                "{:<16} {:>12} {:>7}",
                name,
                fmt_score(g.fleiss_kappa),
                fmt_score(g.alpha)
            );
        }
        out.push('\n');
    }
    out
}

/// Per document, for the first pair: where the analysts disagree most.
fn per_document(
    out: &mut String,
    inputs: &[Input],
    names: &[String],
    labels: &[&str],
    display: &[String],
) {
    let _ = writeln!(
        out,
        "per document ({} vs {})",
        name_of(display, 0),
        name_of(display, 1)
    );
    let _ = writeln!(
        out,
        "{:<40} {:>9} {:>10} {:>7}",
        "document", "strict_f1", "overlap_f1", "kappa"
    );
    for name in names {
        let (Some(a), Some(b)) = (
            inputs.first().and_then(|i| pick(i, name)),
            inputs.get(1).and_then(|i| pick(i, name)),
        ) else {
            continue;
        };
        let mut tally = PairTally::new(labels);
        if tally.add(&document(a), &document(b)).is_err() {
            let _ = writeln!(out, "{name:<40} (different article lengths: not compared)");
            continue;
        }
        let s = tally.agreement().overall;
        let _ = writeln!(
            out,
            "{:<40} {:>9} {:>10} {:>7}",
            name,
            fmt_score(s.strict_f1),
            fmt_score(s.overlap_f1),
            fmt_score(s.kappa)
        );
    }
}
