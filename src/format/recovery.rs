//! Recovery files: the autosaved copy of unsaved work, one per document, kept outside the
//! document's folder so that a crash, a power cut or a killed process costs at most the last
//! few seconds of work.
//!
//! # Where they live
//!
//! In `$SPANMARK_RECOVERY_DIR` when that is set (tests use it), otherwise in the `recovery`
//! folder of the platform's data directory (`ProjectDirs::from("", "", "spanmark")`):
//! `~/.local/share/spanmark/recovery` on Linux, `~/Library/Application Support/spanmark/recovery`
//! on macOS, `%APPDATA%\spanmark\data\recovery` on Windows.
//!
//! # Names
//!
//! A document with a path (the project file, or for a project never saved the article it was
//! imported from) gets `<key>.recovery.ron`, where `<key>` is the first 16 hex digits of the
//! SHA-256 of the absolute path. A document with no path at all gets `untitled.recovery.ron`.
//!
//! # Content
//!
//! A recovery file is an ordinary format-1 project file preceded by a header of RON
//! comments, so it can also be opened as a project directly:
//!
//! ```text
//! // spanmark recovery file 1
//! // document: "/home/ana/alaska.ron"
//! (
//!   format: 1,
//!   …
//! ```
//!
//! The `document` line holds the path (as a RON string, so any character survives on one
//! line; a path that is not UTF-8 is stored lossily) or `none` for an untitled document.
//! Recovery files are written through the safe save, without a `.bak`.

use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::project_file::{LoadError, Loaded, project_to_ron, read_project, sha256_hex};
use super::safe_write::{SaveError, Step, write_atomic_with};
use crate::model::Project;

/// Environment variable that overrides where recovery files are kept.
pub const DIR_ENV: &str = "SPANMARK_RECOVERY_DIR";

/// First line of every recovery file.
const MAGIC: &str = "// spanmark recovery file 1";
/// Start of the header line naming the document.
const DOCUMENT: &str = "// document: ";
/// How every recovery file's name ends.
const SUFFIX: &str = ".recovery.ron";
/// The header is read from at most this many bytes at the start of the file.
const HEADER_BYTES: u64 = 64 * 1024;

/// A recovery file found on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryFile {
    /// Where the recovery file is.
    pub path: PathBuf,
    /// The document it is the unsaved state of; `None` for an untitled document.
    pub document: Option<PathBuf>,
    /// When it was last written.
    pub modified: SystemTime,
}

impl RecoveryFile {
    /// Load the project it holds, checked like any project file.
    pub fn load(&self) -> Result<Loaded, LoadError> {
        read_project(&self.path)
    }
}

/// The folder recovery files live in: `$SPANMARK_RECOVERY_DIR`, or the platform's data
/// folder; `None` when the platform has no home folder to put it in.
#[must_use]
pub fn dir() -> Option<PathBuf> {
    dir_from(std::env::var_os(DIR_ENV))
}

/// [`dir`] with the environment variable's value passed in.
fn dir_from(env: Option<std::ffi::OsString>) -> Option<PathBuf> {
    if let Some(dir) = env.filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "spanmark").map(|d| d.data_dir().join("recovery"))
}

/// The recovery file name for a document: see the module docs.
fn file_name(key_path: Option<&Path>) -> String {
    match key_path {
        None => format!("untitled{SUFFIX}"),
        Some(path) => {
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
            let hash = sha256_hex(&absolute.to_string_lossy());
            format!("{}{SUFFIX}", hash.get(..16).unwrap_or(&hash))
        }
    }
}

fn no_dir(path: PathBuf) -> SaveError {
    SaveError {
        step: Step::Create,
        source: io::Error::new(
            io::ErrorKind::NotFound,
            "no folder for recovery files (no home folder?)",
        ),
        path,
    }
}

/// Save `project` as the recovery file of the document at `key_path` (or of the untitled
/// document), creating the recovery folder if needed. Returns the recovery file's path.
pub fn write(key_path: Option<&Path>, project: &Project) -> Result<PathBuf, SaveError> {
    let dir = dir().ok_or_else(|| no_dir(PathBuf::from(file_name(key_path))))?;
    write_in(&dir, key_path, project)
}

/// [`write()`] into a given folder.
pub fn write_in(
    dir: &Path,
    key_path: Option<&Path>,
    project: &Project,
) -> Result<PathBuf, SaveError> {
    write_to(&dir.join(file_name(key_path)), key_path, project)
}

/// The usual recovery file of the document at `key_path` in `dir`.
#[must_use]
pub fn path_in(dir: &Path, key_path: Option<&Path>) -> PathBuf {
    dir.join(file_name(key_path))
}

/// A second recovery file for the same document, used by a session that must not overwrite
/// the usual one (it holds an earlier session's work that the analyst chose to keep for
/// later). `session` tells sessions apart (the process id is enough).
#[must_use]
pub fn session_path_in(dir: &Path, key_path: Option<&Path>, session: u32) -> PathBuf {
    let name = file_name(key_path);
    let stem = name.strip_suffix(SUFFIX).unwrap_or(&name);
    dir.join(format!("{stem}-{session}{SUFFIX}"))
}

/// Write `project` as a recovery file of the document at `key_path`, at `path` (in the
/// recovery folder, which is created if needed).
pub fn write_to(
    path: &Path,
    key_path: Option<&Path>,
    project: &Project,
) -> Result<PathBuf, SaveError> {
    let path = path.to_owned();
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|source| SaveError {
        step: Step::Create,
        source,
        path: path.clone(),
    })?;
    let body = project_to_ron(project).map_err(|e| SaveError {
        step: Step::Serialise,
        source: io::Error::other(e.to_string()),
        path: path.clone(),
    })?;
    let document = match key_path {
        None => "none".to_owned(),
        Some(p) => {
            let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
            ron::to_string(&absolute.to_string_lossy()).map_err(|e| SaveError {
                step: Step::Serialise,
                source: io::Error::other(e.to_string()),
                path: path.clone(),
            })?
        }
    };
    let text = format!("{MAGIC}\n{DOCUMENT}{document}\n{body}");
    write_atomic_with(&path, text.as_bytes(), false, &mut |_| Ok(()))?;
    Ok(path)
}

/// The recovery file of the document at `key_path` (or of the untitled document), if one
/// exists and really belongs to it.
#[must_use]
pub fn find(key_path: Option<&Path>) -> Option<RecoveryFile> {
    find_in(&dir()?, key_path)
}

/// [`find`] in a given folder.
#[must_use]
pub fn find_in(dir: &Path, key_path: Option<&Path>) -> Option<RecoveryFile> {
    let found = read_header(&dir.join(file_name(key_path)))?;
    let expected = key_path.map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_owned()));
    // The name is a hash: check the header so that a collision never offers another
    // document's work as this one's. Compared as the header stores it (lossily, for a path
    // that is not UTF-8).
    let lossy = |p: &Path| p.to_string_lossy().into_owned();
    (found.document.as_deref().map(lossy) == expected.as_deref().map(lossy)).then_some(found)
}

/// Every recovery file of the document at `key_path` (the usual one and those of other
/// sessions), oldest first.
#[must_use]
pub fn find_all_in(dir: &Path, key_path: Option<&Path>) -> Vec<RecoveryFile> {
    let expected = key_path.map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_owned()));
    let lossy = |p: &Path| p.to_string_lossy().into_owned();
    let mut found: Vec<RecoveryFile> = find_any_in(dir)
        .into_iter()
        .filter(|r| r.document.as_deref().map(lossy) == expected.as_deref().map(lossy))
        .collect();
    found.reverse();
    found
}

/// Every recovery file, newest first: what the app offers to restore at start-up.
#[must_use]
pub fn find_any() -> Vec<RecoveryFile> {
    dir().map_or_else(Vec::new, |d| find_any_in(&d))
}

/// [`find_any`] in a given folder.
#[must_use]
pub fn find_any_in(dir: &Path) -> Vec<RecoveryFile> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<RecoveryFile> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(SUFFIX))
        .filter_map(|e| read_header(&e.path()))
        .collect();
    found.sort_by(|a, b| {
        b.modified
            .cmp(&a.modified)
            .then_with(|| a.path.cmp(&b.path))
    });
    found
}

/// Delete the recovery file of the document at `key_path` (after a successful save, or when
/// the analyst discards it). A file that is not there is not an error.
pub fn remove(key_path: Option<&Path>) -> io::Result<()> {
    let Some(dir) = dir() else {
        return Ok(());
    };
    remove_in(&dir, key_path)
}

/// [`remove`] in a given folder.
pub fn remove_in(dir: &Path, key_path: Option<&Path>) -> io::Result<()> {
    match std::fs::remove_file(dir.join(file_name(key_path))) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Read the header of the recovery file at `path`; `None` when it is not one.
fn read_header(path: &Path) -> Option<RecoveryFile> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).ok()?;
    let modified = file.metadata().and_then(|m| m.modified()).ok()?;
    let mut head = Vec::new();
    file.take(HEADER_BYTES).read_to_end(&mut head).ok()?;
    let head = String::from_utf8_lossy(&head);
    let mut lines = head.lines();
    if lines.next()? != MAGIC {
        return None;
    }
    let document = lines.next()?.strip_prefix(DOCUMENT)?;
    let document = if document == "none" {
        None
    } else {
        Some(PathBuf::from(ron::from_str::<String>(document).ok()?))
    };
    Some(RecoveryFile {
        path: path.to_owned(),
        document,
        modified,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, CharRange, LabelSet, Span, SpanId, Status};

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn project(note: &str) -> Result<Project, Box<dyn std::error::Error>> {
        let mut p = Project::new(
            Article::new("a", None, "Putin rejected the offer"),
            LabelSet::default(),
        );
        let claim = p.labels().by_name("Claim").ok_or("no Claim")?;
        p.insert_span(Span {
            id: SpanId(1),
            range: CharRange::new(6, 14).ok_or("range")?,
            label: claim,
            note: note.to_owned(),
            status: Status::Confirmed,
        })?;
        Ok(p)
    }

    #[test]
    fn write_find_load_and_remove_a_documents_recovery_file() -> TestResult {
        let dir = tempfile::tempdir()?;
        let recovery = dir.path().join("nested/recovery");
        let doc = dir.path().join("weird \"#\nname.ron");
        let p = project("unsaved note")?;
        let path = write_in(&recovery, Some(&doc), &p)?;
        assert!(path.starts_with(&recovery) && path.to_string_lossy().ends_with(".recovery.ron"));
        let Some(found) = find_in(&recovery, Some(&doc)) else {
            panic!("recovery file not found");
        };
        assert_eq!(found.path, path);
        assert_eq!(found.document.as_deref(), Some(doc.as_path()));
        let loaded = found.load()?;
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.project, p);
        // A second write replaces the first, without a .bak or temporary files.
        write_in(&recovery, Some(&doc), &project("newer note")?)?;
        assert_eq!(std::fs::read_dir(&recovery)?.count(), 1);
        assert_eq!(
            find_in(&recovery, Some(&doc))
                .map(|f| f.load().map(|l| l.project))
                .transpose()?,
            Some(project("newer note")?)
        );
        // Another document has no recovery file; removing twice is fine.
        assert_eq!(
            find_in(&recovery, Some(&dir.path().join("other.ron"))),
            None
        );
        remove_in(&recovery, Some(&doc))?;
        remove_in(&recovery, Some(&doc))?;
        assert_eq!(find_in(&recovery, Some(&doc)), None);
        Ok(())
    }

    #[test]
    fn untitled_and_relative_paths_get_stable_keys() -> TestResult {
        let dir = tempfile::tempdir()?;
        write_in(dir.path(), None, &project("u")?)?;
        assert_eq!(find_in(dir.path(), None).and_then(|f| f.document), None);
        assert!(find_in(dir.path(), None).is_some());
        assert!(dir.path().join("untitled.recovery.ron").exists());
        // A relative path and its absolute form are the same document.
        let relative = Path::new("some/project.ron");
        write_in(dir.path(), Some(relative), &project("r")?)?;
        let absolute = std::path::absolute(relative)?;
        assert!(find_in(dir.path(), Some(&absolute)).is_some());
        assert_eq!(file_name(Some(relative)), file_name(Some(&absolute)));
        assert_ne!(
            file_name(Some(relative)),
            file_name(Some(Path::new("other.ron")))
        );
        Ok(())
    }

    #[test]
    fn find_any_lists_every_recovery_file_newest_first_and_skips_strangers() -> TestResult {
        let dir = tempfile::tempdir()?;
        let a = write_in(dir.path(), Some(Path::new("/docs/a.ron")), &project("a")?)?;
        let b = write_in(dir.path(), None, &project("b")?)?;
        // Make `a` clearly older than `b`.
        let old = SystemTime::now() - std::time::Duration::from_hours(1);
        std::fs::File::options()
            .write(true)
            .open(&a)?
            .set_modified(old)?;
        std::fs::write(dir.path().join("junk.recovery.ron"), "not a recovery file")?;
        std::fs::write(dir.path().join("notes.txt"), "hello")?;
        let all = find_any_in(dir.path());
        let paths: Vec<_> = all.iter().map(|f| f.path.clone()).collect();
        assert_eq!(paths, [b, a]);
        assert_eq!(
            all.last().and_then(|f| f.document.clone()),
            Some(PathBuf::from("/docs/a.ron"))
        );
        assert_eq!(find_any_in(&dir.path().join("missing")), Vec::new());
        Ok(())
    }

    #[test]
    fn a_recovery_file_opens_as_an_ordinary_project_file() -> TestResult {
        let dir = tempfile::tempdir()?;
        let path = write_in(dir.path(), Some(Path::new("/x/y.ron")), &project("n")?)?;
        let text = std::fs::read_to_string(&path)?;
        assert!(
            text.starts_with("// spanmark recovery file 1\n// document: \"/x/y.ron\"\n(\n"),
            "{text}"
        );
        assert_eq!(read_project(&path)?.project, project("n")?);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_document_path_that_is_not_utf8_still_finds_its_recovery_file() -> TestResult {
        use std::os::unix::ffi::OsStrExt as _;
        let dir = tempfile::tempdir()?;
        let doc = Path::new(std::ffi::OsStr::from_bytes(b"/docs/caf\xe9.ron"));
        write_in(dir.path(), Some(doc), &project("latin-1 name")?)?;
        let found = find_in(dir.path(), Some(doc));
        assert!(found.is_some());
        assert_eq!(
            found.map(|f| f.load().map(|l| l.project)).transpose()?,
            Some(project("latin-1 name")?)
        );
        Ok(())
    }

    #[test]
    fn the_environment_variable_overrides_the_platform_folder() {
        assert_eq!(
            dir_from(Some("/tmp/rec".into())),
            Some(PathBuf::from("/tmp/rec"))
        );
        let platform = dir_from(None);
        assert_eq!(dir_from(Some("".into())), platform);
        if let Some(p) = platform {
            assert!(
                p.ends_with("recovery") && p.to_string_lossy().contains("spanmark"),
                "{p:?}"
            );
        }
    }

    #[test]
    fn a_failed_write_is_a_save_error_naming_the_file() -> TestResult {
        let dir = tempfile::tempdir()?;
        // A file where the folder should be: the folder cannot be created.
        let blocker = dir.path().join("blocker");
        std::fs::write(&blocker, "x")?;
        let err = write_in(&blocker.join("recovery"), None, &project("n")?).err();
        assert!(
            matches!(
                &err,
                Some(SaveError {
                    step: Step::Create,
                    ..
                })
            ),
            "{err:?}"
        );
        assert!(
            err.map(|e| e.to_string())
                .unwrap_or_default()
                .contains("untitled.recovery.ron")
        );
        Ok(())
    }
}
