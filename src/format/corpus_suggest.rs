//! Suggestions for every document of a corpus folder, learning across documents.
//!
//! Two passes over the folder, each on every core (rayon):
//!
//! ```text
//!   1. lessons   every project is read; what it confirmed and rejected, by label name,
//!                goes into one `Learned` index (see `model::suggest::across`)
//!   2. suggest   every document is read again (its project, or a new project for an
//!                article never tagged), gets what the corpus taught and what the
//!                suggesters find as `Suggested` spans, and is written by the safe save
//! ```
//!
//! Reading projects twice keeps memory bounded by the cores rather than the corpus. A
//! document that cannot be read or written is reported and the others go on; nothing is
//! written for it, and every write goes through [`write_project`] (temporary file, rename,
//! `.bak` of the old version), so no project is ever lost or half written.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::corpus::{DocFiles, Scan};
use super::{import_article, read_project, write_project};
use crate::model::corpus::{DocSummary, summarize};
use crate::model::suggest::across::{Learned, Lessons};
use crate::model::suggest::propose::{corpus_proposals, insert_proposals};
use crate::model::suggest::suggest;
use crate::model::{LabelSet, Project};

/// Workers per core in pass 2 (see [`suggest_corpus`]).
const WORKERS_PER_CORE: usize = 4;

/// A document the window has open: its lessons come from memory (they may be unsaved),
/// and it is neither read nor written (the window adds its suggestions itself).
#[derive(Clone, Debug, Default)]
pub struct OpenDoc {
    /// Its path relative to the corpus folder ([`DocFiles::rel`]).
    pub rel: String,
    /// What it teaches as it is in the window.
    pub lessons: Lessons,
}

/// How a corpus run goes.
#[derive(Clone, Debug)]
pub struct RunOptions<'a> {
    /// Where projects are written, at their paths relative to the corpus folder (the
    /// corpus folder itself writes them in place).
    pub out: &'a Path,
    /// Labels for the projects of articles never tagged (the corpus scheme).
    pub labels: &'a LabelSet,
    /// The document open in the window, if any.
    pub open: Option<&'a OpenDoc>,
    /// Set to stop: documents not begun yet are left as they are.
    pub cancel: &'a AtomicBool,
}

/// What happened to one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Suggestions were added and the project written to `path` (also when none were
    /// added but the output folder is another one, so that it holds every project).
    Written {
        /// The project written.
        path: PathBuf,
        /// Suggestions added, per label name, in the project's label order (zeros left out).
        added: Vec<(String, usize)>,
        /// How many of them the corpus taught.
        learned: usize,
        /// The document's new summary, for the documents panel.
        summary: Box<DocSummary>,
    },
    /// Nothing to add, written in place: the project was left untouched.
    Unchanged,
    /// The document open in the window: not read nor written here.
    Skipped,
    /// The run was cancelled before this document was begun.
    Cancelled,
    /// The document could not be read or written (a sentence ending with the path).
    Failed(String),
}

/// One document's result, as it comes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocResult {
    /// Its position in the scan's documents.
    pub index: usize,
    /// Its path relative to the corpus folder.
    pub rel: String,
    /// What happened.
    pub outcome: Outcome,
}

/// The whole run.
#[derive(Clone, Debug, Default)]
pub struct RunReport {
    /// Every document's result, in the scan's order.
    pub docs: Vec<DocResult>,
    /// What the corpus taught (for the document the window has open).
    pub learned: Learned,
}

impl RunReport {
    /// Suggestions added per label name, over every document, in first-seen order.
    #[must_use]
    pub fn per_label(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = Vec::new();
        for d in &self.docs {
            let Outcome::Written { added, .. } = &d.outcome else {
                continue;
            };
            for (label, n) in added {
                match out.iter_mut().find(|(l, _)| l == label) {
                    Some((_, total)) => *total += n,
                    None => out.push((label.clone(), *n)),
                }
            }
        }
        out
    }

    /// Suggestions the corpus taught, over every document.
    #[must_use]
    pub fn learned_total(&self) -> usize {
        self.docs
            .iter()
            .map(|d| match &d.outcome {
                Outcome::Written { learned, .. } => *learned,
                _ => 0,
            })
            .sum()
    }

    /// The documents that failed, with why.
    pub fn failures(&self) -> impl Iterator<Item = (&str, &str)> {
        self.docs.iter().filter_map(|d| match &d.outcome {
            Outcome::Failed(why) => Some((d.rel.as_str(), why.as_str())),
            _ => None,
        })
    }
}

/// What every project of `scan` teaches (the open document's from memory), in one index.
/// Projects that cannot be read teach nothing; pass 2 reports them.
#[must_use]
pub fn learn(scan: &Scan, open: Option<&OpenDoc>) -> Learned {
    let lessons: Vec<Lessons> = scan
        .docs
        .par_iter()
        .filter_map(|d| match open {
            Some(o) if o.rel == d.rel => Some(o.lessons.clone()),
            _ if d.project_exists => read_project(&d.project)
                .ok()
                .map(|l| Lessons::of(&l.project)),
            _ => None,
        })
        .collect();
    Learned::from_lessons(&lessons)
}

/// Run the suggesters on every document of `scan` (see the module docs), calling
/// `on_doc` from the workers as each document is done.
pub fn suggest_corpus(
    scan: &Scan,
    options: &RunOptions<'_>,
    on_doc: &(dyn Fn(&DocResult) + Sync),
) -> RunReport {
    let learned = learn(scan, options.open);
    let in_place = same_folder(&scan.root, options.out);
    let pass = || -> Vec<DocResult> {
        scan.docs
            .par_iter()
            .enumerate()
            .map(|(index, doc)| {
                let outcome = if options.cancel.load(Ordering::Relaxed) {
                    Outcome::Cancelled
                } else if options.open.is_some_and(|o| o.rel == doc.rel) {
                    Outcome::Skipped
                } else {
                    let out = if in_place {
                        doc.project.clone()
                    } else {
                        options.out.join(doc.project_rel())
                    };
                    suggest_one(doc, &learned, options.labels, &out, in_place)
                        .unwrap_or_else(Outcome::Failed)
                };
                let result = DocResult {
                    index,
                    rel: doc.rel.clone(),
                    outcome,
                };
                on_doc(&result);
                result
            })
            .collect()
    };
    // Each document ends in a safe save, whose fsyncs wait on the disk rather than the
    // cores: with a few workers per core the waits overlap (measured on 1,000 documents
    // and 2 cores: 4.0 s with 2 workers, 1.4 s with 8). Without a pool of its own the run
    // still works, on rayon's usual one worker per core.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let docs = match rayon::ThreadPoolBuilder::new()
        .num_threads(cores * WORKERS_PER_CORE)
        .thread_name(|i| format!("suggest-{i}"))
        .build()
    {
        Ok(pool) => pool.install(pass),
        Err(_) => pass(),
    };
    RunReport { docs, learned }
}

/// True when `a` and `b` are the same folder.
fn same_folder(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// One document of pass 2.
fn suggest_one(
    doc: &DocFiles,
    learned: &Learned,
    labels: &LabelSet,
    out: &Path,
    in_place: bool,
) -> Result<Outcome, String> {
    if let Some(problem) = &doc.problem {
        return Err(format!("{problem}: {}", doc.project.display()));
    }
    let mut project = if doc.project_exists {
        read_project(&doc.project)
            .map_err(|e| e.to_string())?
            .project
    } else if let Some(article) = &doc.article {
        Project::new(
            import_article(article).map_err(|e| e.to_string())?,
            labels.clone(),
        )
    } else {
        return Err(format!("no article and no project: {}", doc.rel));
    };
    let found = suggest(project.article().text());
    let (spans, learned_count) = corpus_proposals(&project, &found, &[learned], project.fresh_id());
    if spans.is_empty() && in_place {
        return Ok(Outcome::Unchanged);
    }
    let (mut added, learned_added) = insert_proposals(&mut project, spans, learned_count);
    if let Some(parent) = out.parent()
        && !in_place
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("could not make the folder ({e}): {}", parent.display()))?;
    }
    write_project(out, &project).map_err(|e| e.to_string())?;
    added.retain(|(_, n)| *n > 0);
    let modified_secs = std::fs::metadata(out)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    let summary = summarize(
        doc.rel.clone(),
        &project,
        doc.article.is_some(),
        modified_secs,
    );
    Ok(Outcome::Written {
        path: out.to_owned(),
        added,
        learned: learned_added,
        summary: Box::new(summary),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::corpus::scan;
    use crate::model::notation::parse;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn corpus(root: &Path) -> TestResult {
        let a = parse("[Claim:Gazprom cut supplies] on Monday.")?;
        write_project(&root.join("a.ron"), &a)?;
        std::fs::write(root.join("a.txt"), a.article().text())?;
        std::fs::write(root.join("b.txt"), "Then Gazprom cut supplies.")?;
        Ok(())
    }

    #[test]
    fn a_cancelled_run_writes_nothing() -> TestResult {
        let dir = tempfile::tempdir()?;
        corpus(dir.path())?;
        let before = std::fs::read(dir.path().join("a.ron"))?;
        let scan = scan(dir.path())?;
        let cancel = AtomicBool::new(true);
        let labels = LabelSet::default();
        let options = RunOptions {
            out: dir.path(),
            labels: &labels,
            open: None,
            cancel: &cancel,
        };
        let report = suggest_corpus(&scan, &options, &|_| {});
        assert_eq!(report.docs.len(), 2);
        assert!(report.docs.iter().all(|d| d.outcome == Outcome::Cancelled));
        assert!(!dir.path().join("b.ron").exists());
        assert_eq!(std::fs::read(dir.path().join("a.ron"))?, before);
        Ok(())
    }

    #[test]
    fn the_open_document_teaches_from_memory_and_is_not_written() -> TestResult {
        let dir = tempfile::tempdir()?;
        corpus(dir.path())?;
        let before = std::fs::read(dir.path().join("a.ron"))?;
        std::fs::write(
            dir.path().join("b.txt"),
            "Then Gazprom cut supplies on Monday.",
        )?;
        let scan = scan(dir.path())?;
        // In the window, a now also has "Monday" confirmed (not saved yet).
        let open = OpenDoc {
            rel: "a.txt".to_owned(),
            lessons: Lessons::of(&parse("[Claim:Gazprom cut supplies] on [Claim:Monday].")?),
        };
        let cancel = AtomicBool::new(false);
        let labels = LabelSet::default();
        let options = RunOptions {
            out: dir.path(),
            labels: &labels,
            open: Some(&open),
            cancel: &cancel,
        };
        let seen = std::sync::Mutex::new(0);
        let report = suggest_corpus(&scan, &options, &|_| {
            if let Ok(mut n) = seen.lock() {
                *n += 1;
            }
        });
        assert_eq!(*seen.lock().map_err(|e| e.to_string())?, 2);
        assert_eq!(std::fs::read(dir.path().join("a.ron"))?, before);
        let outcomes: Vec<_> = report.docs.iter().map(|d| &d.outcome).collect();
        assert!(matches!(outcomes.first(), Some(Outcome::Skipped)));
        let b = read_project(&dir.path().join("b.ron"))?.project;
        let texts: Vec<&str> = b
            .spans()
            .iter()
            .filter(|s| s.status == crate::model::Status::Suggested)
            .map(|s| b.span_text(s))
            .collect();
        assert!(texts.contains(&"Gazprom cut supplies"), "{texts:?}");
        assert!(texts.contains(&"Monday"), "{texts:?}");
        assert_eq!(report.learned_total(), 2);
        Ok(())
    }
}
