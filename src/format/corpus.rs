//! A corpus on disk: a folder of articles (`*.txt`) with their projects (`*.ron`) beside
//! them, the corpus settings in `corpus.ron` at its root, and a rebuildable cache of
//! document summaries under `.spanmark/` (see `docs/corpus.md`).
//!
//! ```text
//!   news/                      the corpus folder
//!     corpus.ron               label scheme and settings (`spanmark init` writes it)
//!     desk-3/a.txt, a.ron      an article and its project (made when first tagged)
//!     desk-3/b.txt             an article not started yet
//!     old/c.ron                a project whose article is not beside it (still a document)
//!     .spanmark/               the cache: .gitignore (`*`) and summaries.json
//! ```
//!
//! Scanning reads and never writes, except the cache inside the corpus folder (and only
//! when asked). Hidden entries (`.name`) are skipped; a symbolic link to a folder is
//! followed once, and never back into a folder already scanned; whatever cannot be read is
//! skipped and reported by path. Loading and summarising projects runs on every core
//! (rayon).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::safe_write::SaveError;
use super::{LoadError, Loaded, read_project};
use crate::model::Project;
use crate::model::article::normalise;
use crate::model::corpus::{CorpusConfig, CorpusTotals, DocSummary, totals};
use crate::model::corpus_search::{CorpusIndex, DocIndex};

mod cache;
mod config;
mod rename;
mod scan;

pub use self::cache::cache_dir;
use self::cache::{read_cache, write_cache};
pub use self::config::{
    ConfigRead, InitReport, config_path, config_to_ron, init, load_config, read_config,
    write_config,
};
pub use self::rename::{RenameReport, rename_label, rename_label_in};
pub use self::scan::scan;

pub use crate::model::corpus::summarize;

/// The corpus settings file at the root of a corpus.
pub const CORPUS_FILE: &str = "corpus.ron";
/// The newest `corpus.ron` format this build reads, and the one it writes.
pub const CORPUS_FORMAT: u32 = 1;
/// The cache folder inside a corpus (hidden, so scanning skips it).
pub const CACHE_DIR: &str = ".spanmark";
/// The summaries cache inside [`CACHE_DIR`].
pub const CACHE_FILE: &str = "summaries.json";
/// Version of the cache's layout; a cache of another version is ignored and rebuilt.
const CACHE_VERSION: u32 = 1;
/// Largest `corpus.ron` read (it holds labels and settings, never text).
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;
/// Largest cache file read.
const MAX_CACHE_BYTES: u64 = 512 * 1024 * 1024;

/// Why a corpus could not be opened, or a corpus-wide change not made. Each message ends
/// with the path concerned.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The path is not a folder (or does not exist).
    #[error("not a folder; give the folder that holds the articles: {}", path.display())]
    NotAFolder {
        /// The path given.
        path: PathBuf,
    },
    /// A file or folder could not be read.
    #[error("could not read it ({source}): {}", path.display())]
    Io {
        /// The OS error.
        source: io::Error,
        /// The file or folder.
        path: PathBuf,
    },
    /// `corpus.ron` is not a corpus file this build understands.
    #[error("the corpus settings are unreadable ({problem}); the default labels are used until the file is fixed in a text editor: {}", path.display())]
    Config {
        /// What is wrong.
        problem: String,
        /// The `corpus.ron`.
        path: PathBuf,
    },
    /// `corpus.ron` was written by a newer spanmark.
    #[error("the corpus settings use format {found}, but this spanmark reads format {supported} at most; the default labels are used (open the corpus with a newer spanmark to use its own): {}", path.display())]
    NewerConfig {
        /// The file's format.
        found: u32,
        /// What we read.
        supported: u32,
        /// The `corpus.ron`.
        path: PathBuf,
    },
    /// A label name that cannot be used (empty, or the same as the old one).
    #[error("cannot rename label \"{old}\" to \"{new}\": {problem}: {}", path.display())]
    BadRename {
        /// The label's current name.
        old: String,
        /// The name asked for.
        new: String,
        /// Why not.
        problem: String,
        /// The corpus folder.
        path: PathBuf,
    },
    /// A file could not be written.
    #[error(transparent)]
    Save(#[from] SaveError),
}

/// Size and modification time of a file: what the cache compares to know a file is
/// unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, whole seconds since the Unix epoch.
    pub secs: u64,
    /// Modification time, the nanoseconds within that second.
    pub nanos: u32,
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Self {
        let since = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .unwrap_or_default();
        Self {
            size: meta.len(),
            secs: since.as_secs(),
            nanos: since.subsec_nanos(),
        }
    }
}

/// One document's files as the scan found them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocFiles {
    /// Path relative to the corpus folder, `/` separators: the article's, or the project's
    /// when no article lies beside it (the same as the summary's `path`).
    pub rel: String,
    /// The article (`.txt`), when there is one.
    pub article: Option<PathBuf>,
    /// The project (`.ron`): where it is, or where it will be made.
    pub project: PathBuf,
    /// The project exists as a file.
    pub project_exists: bool,
    /// The project's path relative to the corpus folder ([`DocFiles::project_rel`]).
    project_rel: String,
    /// What the scan found wrong with the document's files (a `.ron` that is a folder).
    pub problem: Option<String>,
    article_stamp: Option<Stamp>,
    project_stamp: Option<Stamp>,
}

impl DocFiles {
    /// The project's path relative to the corpus folder, `/` separators.
    #[must_use]
    pub fn project_rel(&self) -> &str {
        &self.project_rel
    }

    /// When the document last changed (project, else article), seconds since the epoch.
    fn modified_secs(&self) -> u64 {
        self.project_stamp
            .or(self.article_stamp)
            .map_or(0, |s| s.secs)
    }
}

/// Something the scan skipped, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanProblem {
    /// The entry.
    pub path: PathBuf,
    /// What went wrong, as a sentence for the panel.
    pub problem: String,
}

impl std::fmt::Display for ScanProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.problem, self.path.display())
    }
}

/// Every document of a corpus folder, sorted by path.
#[derive(Clone, Debug, Default)]
pub struct Scan {
    /// The corpus folder, as given.
    pub root: PathBuf,
    /// The documents, sorted by `rel` (byte order).
    pub docs: Vec<DocFiles>,
    /// Entries skipped, with why.
    pub problems: Vec<ScanProblem>,
}

/// Read, load and summarise one document (no cache). Never fails: what goes wrong becomes
/// the summary's `problem`.
#[must_use]
pub fn summarize_files(doc: &DocFiles) -> DocSummary {
    let modified = doc.modified_secs();
    let article_text = doc.article.as_ref().map(|path| read_article_text(path));
    let mut summary = if doc.project_exists {
        match read_project(&doc.project) {
            Ok(Loaded { project, warnings }) => {
                let mut s = summarize(doc.rel.clone(), &project, doc.article.is_some(), modified);
                if let Some(first) = warnings.first() {
                    s.problem = Some(format!(
                        "loading the project needed {} repair(s), e.g. {first}",
                        warnings.len()
                    ));
                }
                if let Some(Ok(text)) = &article_text
                    && text.as_str() != project.article().text()
                {
                    s.problem.get_or_insert_with(|| {
                        "the article was changed since it was annotated; its spans are re-anchored when it is opened".to_owned()
                    });
                }
                s
            }
            Err(e) => DocSummary {
                path: doc.rel.clone(),
                has_article: doc.article.is_some(),
                has_project: true,
                chars: match &article_text {
                    Some(Ok(text)) => text.chars().count(),
                    _ => 0,
                },
                modified_secs: modified,
                problem: Some(e.to_string()),
                ..DocSummary::default()
            },
        }
    } else {
        match &article_text {
            Some(Ok(text)) => {
                DocSummary::unannotated(doc.rel.clone(), text.chars().count(), modified)
            }
            _ => DocSummary {
                path: doc.rel.clone(),
                has_article: doc.article.is_some(),
                modified_secs: modified,
                ..DocSummary::default()
            },
        }
    };
    if let Some(Err(e)) = article_text {
        summary.problem.get_or_insert(e);
    }
    if let Some(problem) = &doc.problem {
        summary.problem.get_or_insert_with(|| problem.clone());
    }
    summary
}

/// The normalised text of an article file, checked as an import would check it, or what
/// is wrong with it (a sentence naming the file).
pub fn read_article_text(path: &Path) -> Result<String, String> {
    let bytes = super::import::read_article_bytes(path).map_err(|e| e.to_string())?;
    let text = super::import::checked_text(Some(path), &bytes).map_err(|e| e.to_string())?;
    Ok(normalise(text).into_owned())
}

/// How [`open`] uses the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenOptions {
    /// Reuse summaries of unchanged files from the cache.
    pub read_cache: bool,
    /// Write the cache (inside the corpus folder) when anything changed.
    pub write_cache: bool,
}

impl Default for OpenOptions {
    /// The window's way: read and write the cache.
    fn default() -> Self {
        Self {
            read_cache: true,
            write_cache: true,
        }
    }
}

/// What the cache did during an open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CacheReport {
    /// Summaries taken from the cache.
    pub reused: usize,
    /// Documents read from disk (new or changed).
    pub read: usize,
    /// The cache was written.
    pub written: bool,
    /// Why the cache could not be read or written (the corpus opens all the same).
    pub problem: Option<String>,
}

/// A corpus as the window and the commands see it.
#[derive(Clone, Debug)]
pub struct Corpus {
    /// The corpus folder.
    pub root: PathBuf,
    /// The settings: from `corpus.ron`, or the defaults.
    pub config: CorpusConfig,
    /// `corpus.ron` exists (readable or not).
    pub has_config: bool,
    /// Why `corpus.ron` could not be used (the defaults are used instead).
    pub config_problem: Option<String>,
    /// One summary per document, sorted by path; `files` is in the same order.
    pub docs: Vec<DocSummary>,
    /// The files of each document, in the order of `docs`.
    pub files: Vec<DocFiles>,
    /// Entries the scan skipped, with why.
    pub problems: Vec<ScanProblem>,
    /// What the cache did.
    pub cache: CacheReport,
}

impl Corpus {
    /// The totals for the dashboard and `stats`, with the scheme's labels first.
    #[must_use]
    pub fn totals(&self) -> CorpusTotals {
        totals(&self.docs, Some(&self.config.labels))
    }

    /// The position of the document whose `rel` (or project path) is `rel`.
    #[must_use]
    pub fn position(&self, rel: &str) -> Option<usize> {
        self.files
            .iter()
            .position(|f| f.rel == rel || f.project_rel() == rel)
    }

    /// A sentence for a corpus with no documents, to show instead of an empty panel.
    #[must_use]
    pub fn empty_explanation(&self) -> Option<String> {
        self.docs.is_empty().then(|| {
            format!(
                "No articles here: a corpus is a folder of .txt articles (in subfolders too, except hidden ones), each annotated in the .ron project beside it. Copy articles into the folder and open it again: {}",
                self.root.display()
            )
        })
    }

    /// Take `summary` as document `i`'s, made by whoever just wrote its project (a corpus
    /// suggestion run), so it need not be read again; its files' stamps are taken anew.
    pub fn set_summary(&mut self, i: usize, summary: DocSummary) {
        let Some(files) = self.files.get_mut(i) else {
            return;
        };
        restamp(files);
        if let Some(slot) = self.docs.get_mut(i) {
            *slot = summary;
        }
    }

    /// Document `i`'s project was just saved as `project`: its summary from memory, without
    /// reading the file again.
    pub fn saved(&mut self, i: usize, project: &Project) {
        let Some(files) = self.files.get_mut(i) else {
            return;
        };
        restamp(files);
        let summary = summarize(
            files.rel.clone(),
            project,
            files.article.is_some(),
            files.modified_secs(),
        );
        if let Some(slot) = self.docs.get_mut(i) {
            *slot = summary;
        }
    }

    /// Read document `i` again from disk (after a change by another program), updating its
    /// summary.
    pub fn refresh(&mut self, i: usize) {
        let Some(files) = self.files.get_mut(i) else {
            return;
        };
        restamp(files);
        let summary = summarize_files(files);
        if let Some(slot) = self.docs.get_mut(i) {
            *slot = summary;
        }
    }
}

/// Take the stamps of a document's files (and whether its project exists) from disk again.
fn restamp(files: &mut DocFiles) {
    let stamp = |path: &Path| {
        fs::metadata(path)
            .ok()
            .filter(fs::Metadata::is_file)
            .map(|m| Stamp::of(&m))
    };
    files.article_stamp = files.article.as_deref().and_then(stamp);
    files.project_stamp = stamp(&files.project);
    files.project_exists = files.project_stamp.is_some();
}

/// Open the corpus in `dir`: read `corpus.ron` (falling back to the defaults with a
/// problem), scan the folder, and summarise every document, taking unchanged ones from the
/// cache when `options` allow and reading the rest in parallel. The only file it may write
/// is the cache, inside `dir`.
pub fn open(dir: &Path, options: OpenOptions) -> Result<Corpus, CorpusError> {
    let scan = scan(dir)?;
    let config = read_config(dir);
    let mut cache_report = CacheReport::default();
    let cached = if options.read_cache {
        match read_cache(dir) {
            Ok(cached) => cached,
            Err(problem) => {
                cache_report.problem = Some(problem);
                BTreeMap::new()
            }
        }
    } else {
        BTreeMap::new()
    };
    let docs: Vec<Option<DocSummary>> = scan
        .docs
        .iter()
        .map(|f| {
            cached
                .get(f.rel.as_str())
                .filter(|c| {
                    c.article == f.article_stamp
                        && c.project == f.project_stamp
                        && f.problem.is_none()
                })
                .map(|c| c.summary.to_model(&f.rel))
        })
        .collect();
    cache_report.reused = docs.iter().filter(|d| d.is_some()).count();
    cache_report.read = docs.len() - cache_report.reused;
    let docs: Vec<DocSummary> = docs
        .into_par_iter()
        .zip(scan.docs.par_iter())
        .map(|(cached, files)| cached.unwrap_or_else(|| summarize_files(files)))
        .collect();
    let stale = cache_report.read > 0 || cached.len() != docs.len();
    if options.write_cache && stale {
        match write_cache(dir, &scan.docs, &docs) {
            Ok(()) => cache_report.written = true,
            Err(problem) => cache_report.problem = Some(problem),
        }
    }
    Ok(Corpus {
        root: dir.to_owned(),
        config: config.config,
        has_config: config.exists,
        config_problem: config.problem.map(|e| e.to_string()),
        docs,
        files: scan.docs,
        problems: scan.problems,
        cache: cache_report,
    })
}

/// Load every existing project of `docs` in parallel and hand each, with its files, to `f`;
/// the results come back in the order of `docs` (documents without a project are left
/// out). Projects are dropped as soon as `f` returns, so memory stays bounded by the cores.
pub fn map_projects<T, F>(docs: &[DocFiles], f: F) -> Vec<T>
where
    T: Send,
    F: Fn(&DocFiles, Result<Loaded, LoadError>) -> T + Sync + Send,
{
    docs.par_iter()
        .filter(|d| d.project_exists)
        .map(|d| f(d, read_project(&d.project)))
        .collect()
}

/// Build the search index of every document of `corpus`, in parallel, in the order of
/// `corpus.docs` (so a hit's `doc` is a position in `corpus.docs`). A document whose project
/// fails to load is indexed by its article's text alone, or left empty; the problems are
/// returned beside the index, as (document path, problem).
#[must_use]
pub fn build_index(files: &[DocFiles]) -> (CorpusIndex, Vec<(String, String)>) {
    let built: Vec<(DocIndex, Option<String>)> = files
        .par_iter()
        .map(|f| {
            let path: Arc<str> = Arc::from(f.rel.as_str());
            let mut problem = None;
            if f.project_exists {
                match read_project(&f.project) {
                    Ok(loaded) => return (DocIndex::new(path, &loaded.project), None),
                    Err(e) => problem = Some(e.to_string()),
                }
            }
            let text = f.article.as_deref().map(read_article_text);
            match text {
                Some(Ok(text)) => (DocIndex::article_only(path, Arc::from(text)), problem),
                Some(Err(e)) => (
                    DocIndex::article_only(path, Arc::from("")),
                    problem.or(Some(e)),
                ),
                None => (DocIndex::article_only(path, Arc::from("")), problem),
            }
        })
        .collect();
    let mut problems = Vec::new();
    let mut docs = Vec::with_capacity(built.len());
    for (doc, problem) in built {
        if let Some(problem) = problem {
            problems.push((doc.path().to_owned(), problem));
        }
        docs.push(doc);
    }
    (CorpusIndex::new(docs), problems)
}

#[cfg(test)]
mod tests;
