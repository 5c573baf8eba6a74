//! The commands over a corpus folder (each also takes a single project, as before):
//! `init`, `stats [--json]`, `grep` and `check`. Projects are loaded on every core (rayon).

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::{CliError, Report};
use crate::format::corpus::{self as disk, OpenOptions};
use crate::format::{Loaded, read_project};
use crate::model::corpus::{CorpusTotals, summarize, totals};
use crate::model::text::plural;
use crate::model::{Project, Status};

/// `spanmark init DIR`: write `corpus.ron` (the default label scheme and settings) when the
/// folder has none; running it again changes nothing.
pub fn init(dir: &Path) -> Result<String, CliError> {
    let report = disk::init(dir)?;
    let mut out = String::new();
    if report.created {
        let _ = writeln!(
            out,
            "{}: written (labels Claim, Quote, Disclaimer); {} in the corpus",
            report.config.display(),
            plural(report.documents, "document")
        );
    } else {
        let _ = writeln!(
            out,
            "{}: already there, left unchanged; {} in the corpus",
            report.config.display(),
            plural(report.documents, "document")
        );
        if let Some(problem) = report.existing_problem {
            let _ = writeln!(out, "warning: {problem}");
        }
    }
    Ok(out)
}

/// `spanmark stats PATH [--json]`: the figures of a corpus folder, or of one project.
pub fn stats_path(path: &Path, json: bool) -> Result<String, CliError> {
    if path.is_dir() {
        return stats_corpus(path, json);
    }
    if !json {
        return super::stats(path);
    }
    let Loaded { project, .. } = read_project(path)?;
    let summary = summarize(path.to_string_lossy(), &project, false, 0);
    let t = totals(std::slice::from_ref(&summary), Some(project.labels()));
    Ok(format!("{}\n", totals_json(&t, &[])))
}

fn stats_corpus(dir: &Path, json: bool) -> Result<String, CliError> {
    // The cache is used when the window left one, but a command that only reads never
    // writes it.
    let corpus = disk::open(
        dir,
        OpenOptions {
            read_cache: true,
            write_cache: false,
        },
    )?;
    let t = corpus.totals();
    let problems: Vec<(String, String)> = corpus
        .config_problem
        .iter()
        .map(|p| (disk::CORPUS_FILE.to_owned(), p.clone()))
        .chain(corpus.problems.iter().map(|p| {
            let rel = p.path.strip_prefix(dir).unwrap_or(&p.path);
            (rel.to_string_lossy().into_owned(), p.problem.clone())
        }))
        .chain(
            corpus
                .docs
                .iter()
                .filter_map(|d| d.problem.as_ref().map(|p| (d.path.clone(), p.clone()))),
        )
        .collect();
    if json {
        return Ok(format!("{}\n", totals_json(&t, &problems)));
    }
    let width = t
        .spans
        .iter()
        .map(|c| c.label.chars().count())
        .max()
        .unwrap_or(0)
        .max(12);
    let mut out = String::new();
    let _ = writeln!(out, "{:<width$} {}", "corpus", dir.display());
    let _ = writeln!(out, "{:<width$} {}", "documents", t.documents);
    let _ = writeln!(out, "{:<width$} {}", "annotated", t.annotated);
    let _ = writeln!(out, "{:<width$} {}", "in progress", t.in_progress);
    let _ = writeln!(out, "{:<width$} {}", "done", t.done);
    for c in &t.spans {
        if c.suggested > 0 {
            let _ = writeln!(
                out,
                "{:<width$} {} (+{} suggested)",
                c.label, c.annotations, c.suggested
            );
        } else {
            let _ = writeln!(out, "{:<width$} {}", c.label, c.annotations);
        }
    }
    let _ = writeln!(out, "{:<width$} {}", "spans", t.annotations());
    let _ = writeln!(out, "{:<width$} {}", "orphans", t.orphans);
    let _ = writeln!(
        out,
        "{:<width$} {} of {} chars ({:.1}%)",
        "covered",
        t.covered_chars,
        t.chars,
        percent(t.covered_chars, t.chars)
    );
    let _ = writeln!(out, "{:<width$} {}", "problems", problems.len());
    for (path, problem) in &problems {
        let _ = writeln!(out, "  {path}: {problem}");
    }
    Ok(out)
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// The `--json` object: `documents`, `annotated`, `done`, `in_progress`, `spans` and
/// `suggested` (per label), `orphans`, `chars`, `covered_chars`, `problems`.
fn totals_json(t: &CorpusTotals, problems: &[(String, String)]) -> Value {
    let per_label = |f: fn(&crate::model::corpus::LabelCount) -> usize| {
        Value::Object(
            t.spans
                .iter()
                .map(|c| (c.label.clone(), Value::from(f(c))))
                .collect::<Map<_, _>>(),
        )
    };
    json!({
        "documents": t.documents,
        "annotated": t.annotated,
        "done": t.done,
        "in_progress": t.in_progress,
        "spans": per_label(|c| c.annotations),
        "suggested": per_label(|c| c.suggested),
        "orphans": t.orphans,
        "chars": t.chars,
        "covered_chars": t.covered_chars,
        "problems": problems
            .iter()
            .map(|(path, problem)| json!({"path": path, "problem": problem}))
            .collect::<Vec<_>>(),
    })
}

/// How `grep` matches.
#[derive(Clone, Debug, Default)]
pub struct GrepOptions {
    /// Only spans with this label.
    pub label: Option<String>,
    /// Ignore case.
    pub ignore_case: bool,
}

/// `spanmark grep PATTERN PATH [--label L] [-i]`: every span (of a corpus folder, or of one
/// project) whose text or note matches the regular expression, one per line:
/// `PATH:START-END<TAB>LABEL<TAB>TEXT` (PATH relative to the folder, offsets in chars,
/// text on one line). Exit 0 when something matched, 1 when nothing did, 2 on an error
/// (a bad pattern, a project that does not load, a folder that cannot be read), as grep.
#[must_use]
pub fn grep(pattern: &str, path: &Path, options: &GrepOptions) -> Report {
    let re = match regex::RegexBuilder::new(pattern)
        .case_insensitive(options.ignore_case)
        .build()
    {
        Ok(re) => re,
        Err(e) => {
            return Report::error(
                2,
                &format!("the pattern is not a valid regular expression: {e}"),
            );
        }
    };
    let mut report = Report::default();
    if path.is_dir() {
        let scan = match disk::scan(path) {
            Ok(scan) => scan,
            Err(e) => return Report::error(2, &e.to_string()),
        };
        let results = disk::map_projects(&scan.docs, |doc, loaded| match loaded {
            Ok(Loaded { project, .. }) => {
                Ok(grep_project(doc.project_rel(), &project, &re, options))
            }
            Err(e) => Err(e.to_string()),
        });
        for problem in &scan.problems {
            let _ = writeln!(report.stderr, "spanmark: {problem}");
            report.code = 2;
        }
        for result in results {
            match result {
                Ok(lines) => report.stdout.push_str(&lines),
                Err(e) => {
                    let _ = writeln!(report.stderr, "spanmark: {e}");
                    report.code = 2;
                }
            }
        }
    } else {
        match read_project(path) {
            Ok(Loaded { project, .. }) => {
                report.stdout = grep_project(&path.to_string_lossy(), &project, &re, options);
            }
            Err(e) => return Report::error(2, &e.to_string()),
        }
    }
    if report.code == 0 && report.stdout.is_empty() {
        report.code = 1;
    }
    report
}

/// The `grep` lines of one project.
fn grep_project(path: &str, project: &Project, re: &regex::Regex, options: &GrepOptions) -> String {
    let labels = project.labels();
    let wanted = match &options.label {
        Some(name) => match labels.by_name(name) {
            Some(id) => Some(id),
            None => return String::new(),
        },
        None => None,
    };
    let mut out = String::new();
    for span in project.spans() {
        if span.status == Status::Rejected || wanted.is_some_and(|id| id != span.label) {
            continue;
        }
        let text = project.span_text(span);
        if re.is_match(text) || re.is_match(&span.note) {
            let one_line: String = text
                .chars()
                .map(|c| {
                    if c == '\n' || c == '\r' || c == '\t' {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "{path}:{}-{}\t{}\t{one_line}",
                span.range.start(),
                span.range.end(),
                labels.name(span.label)
            );
        }
    }
    out
}

/// `spanmark check PATH`: one project as before, or every project of a corpus folder:
/// each bad one is named with its error (every one, never stopping at the first); exit 1
/// when any is bad (or `corpus.ron` or an entry cannot be read).
#[must_use]
pub fn check_path(path: &Path) -> Report {
    if !path.is_dir() {
        return Report::from_result(super::check(path));
    }
    let scan = match disk::scan(path) {
        Ok(scan) => scan,
        Err(e) => return Report::error(1, &e.to_string()),
    };
    let mut report = Report::default();
    let mut bad = 0;
    if let Err(e) = disk::load_config(path) {
        let _ = writeln!(report.stderr, "error: {e}");
        bad += 1;
    }
    for problem in &scan.problems {
        let _ = writeln!(report.stderr, "error: {problem}");
        bad += 1;
    }
    let results = disk::map_projects(&scan.docs, |doc, loaded| {
        let rel = doc.project_rel();
        match loaded {
            Ok(Loaded { project, warnings }) => {
                let mut lines = String::new();
                for w in &warnings {
                    let _ = writeln!(lines, "warning: {rel}: {w}");
                }
                let stale = doc
                    .article
                    .as_deref()
                    .map(disk::read_article_text)
                    .and_then(Result::ok)
                    .is_some_and(|text| text != project.article().text());
                let note = stale.then(|| {
                    format!("note: {rel}: its article was changed since it was annotated; opening it re-anchors the spans\n")
                });
                (warnings.is_empty(), lines, note)
            }
            Err(e) => (false, format!("error: {e}\n"), None),
        }
    });
    let projects = results.len();
    for (ok, lines, note) in results {
        if !ok {
            bad += 1;
        }
        report.stderr.push_str(&lines);
        if let Some(note) = note {
            report.stdout.push_str(&note);
        }
    }
    let without_project = scan.docs.iter().filter(|d| !d.project_exists).count();
    if bad == 0 {
        let _ = writeln!(
            report.stdout,
            "{}: ok: {projects} project(s), {without_project} article(s) without a project yet",
            path.display()
        );
    } else {
        let _ = writeln!(
            report.stderr,
            "spanmark: {}: {bad} problem(s), listed above; {projects} project(s) checked",
            path.display()
        );
        report.code = 1;
    }
    report
}
