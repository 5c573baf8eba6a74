//! The rebuildable cache of document summaries under `.spanmark/`, keyed on each file's
//! size and modification time; deleting it loses nothing.

use crate::format::safe_write::write_atomic_with;
use crate::model::corpus::{DocState, DocSummary, LabelCount};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{CACHE_DIR, CACHE_FILE, CACHE_VERSION, DocFiles, MAX_CACHE_BYTES, Stamp};

#[derive(Serialize, Deserialize)]
pub(super) struct CacheFile {
    version: u32,
    docs: Vec<CachedDoc>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct CachedDoc {
    pub(super) path: String,
    pub(super) article: Option<Stamp>,
    pub(super) project: Option<Stamp>,
    pub(super) summary: SummaryV1,
}

#[derive(Serialize, Deserialize)]
pub(super) struct SummaryV1 {
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
    pub(super) fn from_model(s: &DocSummary) -> Self {
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

    pub(super) fn to_model(&self, path: &str) -> DocSummary {
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
pub(super) fn read_cache(dir: &Path) -> Result<BTreeMap<String, CachedDoc>, String> {
    let path = cache_dir(dir).join(CACHE_FILE);
    let bytes = match crate::format::import::read_capped(&path, MAX_CACHE_BYTES) {
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
pub(super) fn write_cache(
    dir: &Path,
    files: &[DocFiles],
    docs: &[DocSummary],
) -> Result<(), String> {
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
