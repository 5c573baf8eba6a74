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

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::project_file::{LabelV1, labels_from};
use super::safe_write::{SaveError, write_atomic, write_atomic_with};
use super::{LoadError, Loaded, read_project, write_project};
use crate::model::article::normalise;
use crate::model::corpus::{CorpusConfig, CorpusTotals, DocState, DocSummary, LabelCount, totals};
use crate::model::corpus_search::{CorpusIndex, DocIndex};
use crate::model::{Edit, Label, LabelSet};

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

/// An article or project file found while walking, before pairing.
#[derive(Default)]
struct Found {
    article: Option<(PathBuf, Stamp, String)>,
    project: Option<(PathBuf, Stamp, String)>,
    /// The project path exists but is not a regular file.
    project_not_file: Option<PathBuf>,
}

/// Find every document under `dir` (see the module docs). Reads only; a folder that cannot
/// be read is skipped and reported, unless it is `dir` itself.
pub fn scan(dir: &Path) -> Result<Scan, CorpusError> {
    let meta = fs::metadata(dir).map_err(|_| CorpusError::NotAFolder {
        path: dir.to_owned(),
    })?;
    if !meta.is_dir() {
        return Err(CorpusError::NotAFolder {
            path: dir.to_owned(),
        });
    }
    let mut walk = Walk::default();
    walk.folders.push((dir.to_owned(), String::new()));
    let mut first = true;
    // Folders in the corpus are walked before linked folders, so a link into the corpus
    // itself is recognised as "already scanned" and its files keep their real paths.
    while let Some((folder, prefix)) = walk.folders.pop().or_else(|| walk.links.pop()) {
        let canonical = fs::canonicalize(&folder).unwrap_or_else(|_| folder.clone());
        if !walk.visited.insert(canonical) {
            walk.skip(
                folder,
                "skipped: a link to a folder already scanned (a loop, or a second link to it)",
            );
            continue;
        }
        let entries = match fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(source) if first => {
                return Err(CorpusError::Io {
                    source,
                    path: folder,
                });
            }
            Err(e) => {
                walk.skip(
                    folder,
                    format!("skipped: the folder could not be read ({e})"),
                );
                continue;
            }
        };
        first = false;
        for entry in entries {
            match entry {
                Ok(entry) => walk.entry(&entry, &prefix),
                Err(e) => walk.skip(
                    folder.clone(),
                    format!("skipped an entry that could not be read ({e})"),
                ),
            }
        }
    }
    let mut docs: Vec<DocFiles> = walk
        .found
        .into_values()
        .filter_map(|f| pair(dir, f))
        .collect();
    docs.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut problems = walk.problems;
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Scan {
        root: dir.to_owned(),
        docs,
        problems,
    })
}

/// The state of a scan: folders still to read, what was found, what was skipped.
#[derive(Default)]
struct Walk {
    /// Folders to read, with their relative path.
    folders: Vec<(PathBuf, String)>,
    /// Linked folders to read once `folders` is empty.
    links: Vec<(PathBuf, String)>,
    /// Canonical paths of the folders read, so none is read twice.
    visited: HashSet<PathBuf>,
    /// Articles and projects by relative path without extension.
    found: BTreeMap<String, Found>,
    problems: Vec<ScanProblem>,
}

impl Walk {
    fn skip(&mut self, path: PathBuf, problem: impl Into<String>) {
        self.problems.push(ScanProblem {
            path,
            problem: problem.into(),
        });
    }

    /// Look at one entry of a folder whose relative path is `prefix`.
    fn entry(&mut self, entry: &fs::DirEntry, prefix: &str) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            return;
        }
        let path = entry.path();
        let rel = if prefix.is_empty() {
            name.clone().into_owned()
        } else {
            format!("{prefix}/{name}")
        };
        let Ok(kind) = entry.file_type() else {
            self.skip(path, "skipped: its type could not be read");
            return;
        };
        let linked = kind.is_symlink();
        // Follow links: a link to a file counts as that file, a link to a folder is walked
        // (once).
        let meta = match if linked {
            fs::metadata(&path)
        } else {
            entry.metadata()
        } {
            Ok(meta) => meta,
            Err(e) if linked => {
                if is_article_name(&name) || is_project_name(&name) {
                    self.skip(
                        path,
                        format!("skipped: a link to something that cannot be read ({e})"),
                    );
                }
                return;
            }
            Err(e) => {
                self.skip(path, format!("skipped: could not be read ({e})"));
                return;
            }
        };
        let is_article = is_article_name(&name);
        let is_project = is_project_name(&name);
        if meta.is_dir() {
            if is_project {
                self.found
                    .entry(stem_key(&rel))
                    .or_default()
                    .project_not_file = Some(path.clone());
            }
            if linked {
                self.links.push((path, rel));
            } else {
                self.folders.push((path, rel));
            }
            return;
        }
        if (prefix.is_empty() && name == CORPUS_FILE) || !(is_article || is_project) {
            return;
        }
        if !meta.is_file() {
            if is_project {
                self.found
                    .entry(stem_key(&rel))
                    .or_default()
                    .project_not_file = Some(path.clone());
            }
            self.skip(
                path,
                "skipped: not a regular file (a device, pipe or socket)",
            );
            return;
        }
        let slot = self.found.entry(stem_key(&rel)).or_default();
        let item = Some((path, Stamp::of(&meta), rel));
        if is_article {
            slot.article = item;
        } else {
            slot.project = item;
        }
    }
}

/// The document made of what was found under one stem.
fn pair(root: &Path, f: Found) -> Option<DocFiles> {
    let not_file = f.project_not_file.as_ref().map(|path| {
        format!(
            "its project {} is not a file; move it away to annotate this article",
            path.strip_prefix(root).unwrap_or(path).display()
        )
    });
    match (f.article, f.project) {
        (Some((article, article_stamp, rel)), project) => {
            let (project_path, project_rel) = match &project {
                Some((path, _, project_rel)) => (path.clone(), project_rel.clone()),
                None => (
                    article.with_extension("ron"),
                    format!("{}.ron", stem_key(&rel)),
                ),
            };
            Some(DocFiles {
                rel,
                article: Some(article),
                project_exists: project.is_some(),
                project: project_path,
                project_rel,
                problem: not_file,
                article_stamp: Some(article_stamp),
                project_stamp: project.map(|(_, stamp, _)| stamp),
            })
        }
        (None, Some((project, stamp, rel))) => Some(DocFiles {
            project_rel: rel.clone(),
            rel,
            article: None,
            project,
            project_exists: true,
            problem: None,
            article_stamp: None,
            project_stamp: Some(stamp),
        }),
        (None, None) => None,
    }
}

fn is_article_name(name: &str) -> bool {
    has_extension(name, "txt")
}

fn is_project_name(name: &str) -> bool {
    has_extension(name, "ron")
}

fn has_extension(name: &str, ext: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(stem, e)| !stem.is_empty() && e.eq_ignore_ascii_case(ext))
}

/// The relative path without its extension: an article and its project share it.
fn stem_key(rel: &str) -> String {
    rel.rsplit_once('.')
        .map_or(rel, |(stem, _)| stem)
        .to_owned()
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
    let bytes =
        super::import::read_capped(path, super::MAX_ARTICLE_BYTES).map_err(|(e, size)| {
            size.map_or_else(
                || format!("the article could not be read ({e})"),
                |size| format!("the article is too large ({size} bytes)"),
            )
        })?;
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
        let restamp = |path: &Path| {
            fs::metadata(path)
                .ok()
                .filter(fs::Metadata::is_file)
                .map(|m| Stamp::of(&m))
        };
        files.article_stamp = files.article.as_deref().and_then(restamp);
        files.project_stamp = restamp(&files.project);
        files.project_exists = files.project_stamp.is_some();
        if let Some(slot) = self.docs.get_mut(i) {
            *slot = summary;
        }
    }

    /// Read document `i` again from disk (after a save, or a change by another program),
    /// updating its summary.
    pub fn refresh(&mut self, i: usize) {
        let Some(files) = self.files.get_mut(i) else {
            return;
        };
        let restamp = |path: &Path| {
            fs::metadata(path)
                .ok()
                .filter(fs::Metadata::is_file)
                .map(|m| Stamp::of(&m))
        };
        files.article_stamp = files.article.as_deref().and_then(restamp);
        files.project_stamp = restamp(&files.project);
        files.project_exists = files.project_stamp.is_some();
        let summary = summarize_files(files);
        if let Some(slot) = self.docs.get_mut(i) {
            *slot = summary;
        }
    }
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

// ---- corpus.ron ----------------------------------------------------------------------

#[derive(Serialize)]
struct ConfigOut {
    format: u32,
    labels: Vec<LabelV1>,
    settings: SettingsV1,
}

#[derive(Deserialize)]
struct ConfigIn {
    format: u32,
    labels: Vec<LabelV1>,
    #[serde(default)]
    settings: SettingsV1,
}

#[derive(Serialize, Deserialize)]
struct SettingsV1 {
    #[serde(default = "yes")]
    save_on_switch: bool,
}

impl Default for SettingsV1 {
    fn default() -> Self {
        Self {
            save_on_switch: true,
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct FormatProbe {
    format: u32,
}

/// What [`read_config`] found.
#[derive(Debug)]
pub struct ConfigRead {
    /// The settings to use: the file's, or the defaults when it is absent or unusable.
    pub config: CorpusConfig,
    /// `corpus.ron` exists.
    pub exists: bool,
    /// Why the file could not be used.
    pub problem: Option<CorpusError>,
}

/// The path of `corpus.ron` in `dir`.
#[must_use]
pub fn config_path(dir: &Path) -> PathBuf {
    dir.join(CORPUS_FILE)
}

/// Read `corpus.ron` in `dir` leniently: a missing file gives the defaults, an unusable one
/// the defaults and the problem, so the corpus opens anyway.
#[must_use]
pub fn read_config(dir: &Path) -> ConfigRead {
    match load_config(dir) {
        Ok(Some(config)) => ConfigRead {
            config,
            exists: true,
            problem: None,
        },
        Ok(None) => ConfigRead {
            config: CorpusConfig::default(),
            exists: false,
            problem: None,
        },
        Err(e) => ConfigRead {
            config: CorpusConfig::default(),
            exists: true,
            problem: Some(e),
        },
    }
}

/// Read `corpus.ron` in `dir` strictly: `None` when there is none.
pub fn load_config(dir: &Path) -> Result<Option<CorpusConfig>, CorpusError> {
    let path = config_path(dir);
    let bytes = match super::import::read_capped(&path, MAX_CONFIG_BYTES) {
        Ok(bytes) => bytes,
        Err((e, None)) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err((_, Some(size))) => {
            return Err(CorpusError::Config {
                problem: format!("it is too large ({size} bytes)"),
                path,
            });
        }
        Err((source, None)) => return Err(CorpusError::Io { source, path }),
    };
    let config_error = |problem: String| CorpusError::Config {
        problem,
        path: path.clone(),
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        config_error(format!(
            "not UTF-8 (first bad byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let file: ConfigIn = match ron::from_str(text) {
        Ok(file) => file,
        Err(e) => {
            if let Ok(probe) = ron::from_str::<FormatProbe>(text)
                && probe.format > CORPUS_FORMAT
            {
                return Err(CorpusError::NewerConfig {
                    found: probe.format,
                    supported: CORPUS_FORMAT,
                    path,
                });
            }
            return Err(config_error(format!(
                "syntax error at line {}, column {}: {}",
                e.span.start.line, e.span.start.col, e.code
            )));
        }
    };
    if file.format > CORPUS_FORMAT {
        return Err(CorpusError::NewerConfig {
            found: file.format,
            supported: CORPUS_FORMAT,
            path,
        });
    }
    if file.format == 0 {
        return Err(config_error(
            "format 0 does not exist; the first format is 1".to_owned(),
        ));
    }
    let labels = labels_from(file.labels).map_err(config_error)?;
    Ok(Some(CorpusConfig {
        labels,
        save_on_switch: file.settings.save_on_switch,
    }))
}

/// The canonical text of `corpus.ron` for `config`.
pub fn config_to_ron(config: &CorpusConfig) -> Result<String, ron::Error> {
    let file = ConfigOut {
        format: CORPUS_FORMAT,
        labels: config
            .labels
            .iter()
            .map(|(_, l)| LabelV1::from(l))
            .collect(),
        settings: SettingsV1 {
            save_on_switch: config.save_on_switch,
        },
    };
    let pretty = ron::ser::PrettyConfig::new()
        .new_line("\n")
        .indentor("  ")
        .escape_strings(false);
    let mut out = ron::ser::to_string_pretty(&file, pretty)?;
    out.push('\n');
    Ok(out)
}

/// Write `corpus.ron` in `dir` through the safe save (a `.bak` of the old one is kept).
pub fn write_config(dir: &Path, config: &CorpusConfig) -> Result<(), CorpusError> {
    let path = config_path(dir);
    let text = config_to_ron(config).map_err(|e| CorpusError::Config {
        problem: e.to_string(),
        path: path.clone(),
    })?;
    write_atomic(&path, text.as_bytes())?;
    Ok(())
}

/// What `spanmark init` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitReport {
    /// The `corpus.ron`.
    pub config: PathBuf,
    /// It was written now (false: it was there already and is unchanged).
    pub created: bool,
    /// Why the `corpus.ron` that was already there cannot be used, if it cannot.
    pub existing_problem: Option<String>,
    /// Documents the folder holds.
    pub documents: usize,
}

/// Make `dir` a corpus: write `corpus.ron` with the default label scheme when there is none.
/// Running it again changes nothing. The folder must exist.
pub fn init(dir: &Path) -> Result<InitReport, CorpusError> {
    let scan = scan(dir)?;
    let path = config_path(dir);
    let existing = fs::symlink_metadata(&path).is_ok();
    let existing_problem = if existing {
        load_config(dir).err().map(|e| e.to_string())
    } else {
        write_config(dir, &CorpusConfig::default())?;
        None
    };
    Ok(InitReport {
        config: path,
        created: !existing,
        existing_problem,
        documents: scan.docs.len(),
    })
}

// ---- the cache -----------------------------------------------------------------------

#[derive(Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    docs: Vec<CachedDoc>,
}

#[derive(Serialize, Deserialize)]
struct CachedDoc {
    path: String,
    article: Option<Stamp>,
    project: Option<Stamp>,
    summary: SummaryV1,
}

#[derive(Serialize, Deserialize)]
struct SummaryV1 {
    has_article: bool,
    has_project: bool,
    /// 0 not started, 1 in progress, 2 done.
    state: u8,
    /// (label, annotations, suggested)
    counts: Vec<(String, usize, usize)>,
    orphans: usize,
    chars: usize,
    covered_chars: usize,
    modified_secs: u64,
    problem: Option<String>,
}

impl SummaryV1 {
    fn from_model(s: &DocSummary) -> Self {
        Self {
            has_article: s.has_article,
            has_project: s.has_project,
            state: match s.state {
                DocState::NotStarted => 0,
                DocState::InProgress => 1,
                DocState::Done => 2,
            },
            counts: s
                .counts
                .iter()
                .map(|c| (c.label.clone(), c.annotations, c.suggested))
                .collect(),
            orphans: s.orphans,
            chars: s.chars,
            covered_chars: s.covered_chars,
            modified_secs: s.modified_secs,
            problem: s.problem.clone(),
        }
    }

    fn to_model(&self, path: &str) -> DocSummary {
        DocSummary {
            path: path.to_owned(),
            has_article: self.has_article,
            has_project: self.has_project,
            state: match self.state {
                2 => DocState::Done,
                1 => DocState::InProgress,
                _ => DocState::NotStarted,
            },
            counts: self
                .counts
                .iter()
                .map(|(label, annotations, suggested)| LabelCount {
                    label: label.clone(),
                    annotations: *annotations,
                    suggested: *suggested,
                })
                .collect(),
            orphans: self.orphans,
            chars: self.chars,
            covered_chars: self.covered_chars,
            modified_secs: self.modified_secs,
            problem: self.problem.clone(),
        }
    }
}

/// The cache folder of the corpus in `dir`.
#[must_use]
pub fn cache_dir(dir: &Path) -> PathBuf {
    dir.join(CACHE_DIR)
}

/// The cached summaries by path; empty when there is no cache, a problem when it cannot be
/// used (the corpus is then summarised from the files).
fn read_cache(dir: &Path) -> Result<BTreeMap<String, CachedDoc>, String> {
    let path = cache_dir(dir).join(CACHE_FILE);
    let bytes = match super::import::read_capped(&path, MAX_CACHE_BYTES) {
        Ok(bytes) => bytes,
        Err((e, None)) if e.kind() == io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err((e, _)) => {
            return Err(format!(
                "the cache could not be read ({e}); it is rebuilt: {}",
                path.display()
            ));
        }
    };
    let file: CacheFile = serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "the cache is damaged ({e}); it is rebuilt: {}",
            path.display()
        )
    })?;
    if file.version != CACHE_VERSION {
        return Ok(BTreeMap::new());
    }
    Ok(file.docs.into_iter().map(|d| (d.path.clone(), d)).collect())
}

/// Write the cache for these documents. Refuses to write through a link, so the cache never
/// lands outside the corpus folder.
fn write_cache(dir: &Path, files: &[DocFiles], docs: &[DocSummary]) -> Result<(), String> {
    let folder = cache_dir(dir);
    match fs::symlink_metadata(&folder) {
        Ok(meta) if meta.file_type().is_symlink() || !meta.is_dir() => {
            return Err(format!(
                "the cache was not written: {} is not a plain folder",
                folder.display()
            ));
        }
        Ok(_) => {}
        Err(_) => fs::create_dir(&folder).map_err(|e| {
            format!(
                "the cache folder could not be made ({e}): {}",
                folder.display()
            )
        })?,
    }
    let ignore = folder.join(".gitignore");
    if fs::symlink_metadata(&ignore).is_err() {
        write_atomic_with(
            &ignore,
            b"# spanmark's rebuildable cache: never commit it\n*\n",
            false,
            &mut |_| Ok(()),
        )
        .map_err(|e| e.to_string())?;
    }
    let file = CacheFile {
        version: CACHE_VERSION,
        docs: files
            .iter()
            .zip(docs)
            .map(|(f, s)| CachedDoc {
                path: f.rel.clone(),
                article: f.article_stamp,
                project: f.project_stamp,
                summary: SummaryV1::from_model(s),
            })
            .collect(),
    };
    let bytes = serde_json::to_vec(&file).map_err(|e| e.to_string())?;
    let path = folder.join(CACHE_FILE);
    if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "the cache was not written: {} is a link",
            path.display()
        ));
    }
    write_atomic_with(&path, &bytes, false, &mut |_| Ok(())).map_err(|e| e.to_string())
}

// ---- renaming a label everywhere -----------------------------------------------------

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

fn check_rename(dir: &Path, old: &str, new: &str) -> Result<(), CorpusError> {
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
fn rename_in_project(path: &Path, old: &str, new: &str) -> Result<Option<usize>, String> {
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

#[cfg(test)]
mod tests;
