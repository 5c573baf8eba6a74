//! Scanning a corpus folder: walking it (hidden entries skipped, links to folders followed
//! once), pairing articles with projects, and naming what could not be read.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::{CORPUS_FILE, CorpusError, DocFiles, Scan, ScanProblem, Stamp};

/// An article or project file found while walking, before pairing.
#[derive(Default)]
pub(super) struct Found {
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
pub(super) struct Walk {
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
    pub(super) fn skip(&mut self, path: PathBuf, problem: impl Into<String>) {
        self.problems.push(ScanProblem {
            path,
            problem: problem.into(),
        });
    }

    /// Look at one entry of a folder whose relative path is `prefix`.
    pub(super) fn entry(&mut self, entry: &fs::DirEntry, prefix: &str) {
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
pub(super) fn pair(root: &Path, f: Found) -> Option<DocFiles> {
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

pub(super) fn is_article_name(name: &str) -> bool {
    has_extension(name, "txt")
}

pub(super) fn is_project_name(name: &str) -> bool {
    has_extension(name, "ron")
}

pub(super) fn has_extension(name: &str, ext: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(stem, e)| !stem.is_empty() && e.eq_ignore_ascii_case(ext))
}

/// The relative path without its extension: an article and its project share it.
pub(super) fn stem_key(rel: &str) -> String {
    rel.rsplit_once('.')
        .map_or(rel, |(stem, _)| stem)
        .to_owned()
}
