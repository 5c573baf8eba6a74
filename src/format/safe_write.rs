//! Saving that never leaves a truncated or mixed file.
//!
//! A save writes the new bytes to a temporary file in the target's folder (with the old
//! file's permissions), fsyncs it, hard-links the previous file to a temporary `.bak` name
//! (so the old bytes are never rewritten), renames the temporary file over the target
//! (atomic on POSIX and NTFS), then renames the temporary `.bak` over `NAME.bak`, and fsyncs
//! the folder so the renames themselves survive a power cut. At every instant the target is
//! either the complete old file or the complete new one, and a save that fails before its
//! rename changes neither the file nor its `.bak`.
//!
//! A read-only target is refused rather than replaced; a symbolic link is saved through
//! (the file it points to is replaced, the link stays). Temporary files left by a writer
//! that was killed are removed by the next save of the same file.
//!
//! Each step can be made to fail through [`write_atomic_with`]'s `fault` seam, which is how
//! the tests check that a failed save leaves the old file byte-identical.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The steps of a safe save, in order; named in errors and used by the fault seam.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Serialising the data (the caller's step, before any file is touched).
    Serialise,
    /// Creating the temporary file.
    Create,
    /// Writing the bytes.
    Write,
    /// Flushing them to disk (fsync).
    Sync,
    /// Keeping the previous version as `.bak`.
    Backup,
    /// Renaming the temporary file over the target.
    Rename,
    /// Flushing the folder entry.
    SyncFolder,
}

impl Step {
    fn doing(self) -> &'static str {
        match self {
            Self::Serialise => "preparing the file",
            Self::Create => "creating a temporary file",
            Self::Write => "writing",
            Self::Sync => "flushing to disk",
            Self::Backup => "keeping the previous version as .bak",
            Self::Rename => "replacing the old file",
            Self::SyncFolder => "flushing the folder",
        }
    }

    /// What a failure at this step means for the file on disk.
    fn consequence(self) -> &'static str {
        match self {
            Self::SyncFolder => {
                "the new version is in place, but the system could not confirm it is stored and it might not survive a power cut; your work is still open: save again"
            }
            _ => {
                "nothing on disk was changed and your work is still open: save again, or use Save As to choose another place"
            }
        }
    }
}

/// A save that did not happen: the file on disk is as it was before. The one exception is a
/// failure at [`Step::SyncFolder`], after the new file was renamed into place: the file is
/// then the new version, but the system could not confirm that the rename is on disk; the
/// message says so.
#[derive(Debug, thiserror::Error)]
#[error("could not save ({} failed: {source}); {}: {}", step.doing(), step.consequence(), path.display())]
pub struct SaveError {
    /// Where it failed.
    pub step: Step,
    /// The OS error.
    pub source: io::Error,
    /// The file that was to be written.
    pub path: PathBuf,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The prefix of temporary files made while saving `target`.
fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map_or_else(|| "spanmark".into(), |n| n.to_string_lossy());
    format!(".{name}.tmp-")
}

/// The `.bak` file kept beside `target`.
#[must_use]
pub fn backup_path(target: &Path) -> PathBuf {
    let mut name = target
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push(".bak");
    target.with_file_name(name)
}

/// Write `bytes` to `path` safely (see the module docs), keeping a `.bak` of the old file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_atomic_with(path, bytes, true, &mut |_| Ok(()))
}

/// [`write_atomic`] with a seam: `fault` is called before each step and an error it returns
/// is treated as that step failing. `keep_backup` chooses whether a `.bak` is kept.
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    keep_backup: bool,
    fault: &mut dyn FnMut(Step) -> io::Result<()>,
) -> Result<(), SaveError> {
    let fail = |step: Step| {
        move |source: io::Error| SaveError {
            step,
            source,
            path: path.to_owned(),
        }
    };
    // Save through a symbolic link into the file it points to, rather than replacing the
    // link with a file of its own and leaving the real file unchanged.
    let target = if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
    } else {
        path.to_owned()
    };
    let existing = fs::metadata(&target).ok();
    // A read-only file is one the analyst (or an administrator) said must not change; the
    // rename below would replace it anyway (even as root), so refuse here.
    if existing
        .as_ref()
        .is_some_and(|m| m.permissions().readonly())
    {
        return Err(fail(Step::Create)(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only",
        )));
    }
    let path = target.as_path();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    remove_stale_temps(&dir, path);
    let temp = dir.join(format!(
        "{}{}-{}",
        temp_prefix(path),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let bak_temp = backup_temp(&temp);
    let result = (|| {
        fault(Step::Create).map_err(fail(Step::Create))?;
        let mut file = File::create_new(&temp).map_err(fail(Step::Create))?;
        if let Some(meta) = &existing {
            // Keep the old file's permissions: a private (0600) project stays private.
            file.set_permissions(meta.permissions())
                .map_err(fail(Step::Create))?;
        }
        fault(Step::Write).map_err(fail(Step::Write))?;
        file.write_all(bytes).map_err(fail(Step::Write))?;
        fault(Step::Sync).map_err(fail(Step::Sync))?;
        file.sync_all().map_err(fail(Step::Sync))?;
        drop(file);
        if keep_backup && path.exists() {
            fault(Step::Backup).map_err(fail(Step::Backup))?;
            link_previous(path, &bak_temp).map_err(fail(Step::Backup))?;
        }
        fault(Step::Rename).map_err(fail(Step::Rename))?;
        fs::rename(&temp, path).map_err(fail(Step::Rename))?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        let _ = fs::remove_file(&bak_temp);
        return Err(e);
    }
    if bak_temp.exists() {
        // The new file is in place: the previous version now replaces the older `.bak`
        // atomically. If that fails the save still succeeded; only the `.bak` is one
        // version older than it should be, which is worth a warning, not an error.
        if let Err(e) = fs::rename(&bak_temp, backup_path(path)) {
            log::warn!(
                "could not keep the previous version as .bak ({e}): {}",
                path.display()
            );
            let _ = fs::remove_file(&bak_temp);
        }
    }
    // The new file is complete and in place; flushing the folder makes the rename durable.
    fault(Step::SyncFolder).map_err(fail(Step::SyncFolder))?;
    sync_dir(&dir).map_err(fail(Step::SyncFolder))?;
    Ok(())
}

/// The temporary name the previous version is kept under until the new file is in place.
fn backup_temp(temp: &Path) -> PathBuf {
    let mut bak_temp = temp.as_os_str().to_os_string();
    bak_temp.push(".bak");
    PathBuf::from(bak_temp)
}

/// Link (or copy) the file at `path` to `bak_temp`; it becomes `path.bak` only once the new
/// file is in place, so a save that fails leaves the old `.bak` untouched too.
fn link_previous(path: &Path, bak_temp: &Path) -> io::Result<()> {
    // A hard link shares the old bytes without copying them; where links are not supported
    // (some network and FAT file systems), copy instead.
    if fs::hard_link(path, bak_temp).is_err()
        && let Err(e) = fs::copy(path, bak_temp)
    {
        let _ = fs::remove_file(bak_temp);
        return Err(e);
    }
    Ok(())
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    // Windows cannot open a folder as a file; NTFS journals the rename itself.
    Ok(())
}

/// Remove temporary files left by an earlier save of `target` that was killed mid-way.
/// Only files whose writer process is gone are removed, so a concurrent save by another
/// spanmark is never disturbed.
fn remove_stale_temps(dir: &Path, target: &Path) {
    let prefix = temp_prefix(target);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| pid != std::process::id() && !process_alive(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        // Without a cheap portable check, assume alive: a leftover is better than a
        // removed file that another process is still writing.
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_replaces_the_file_and_keeps_the_old_one_as_bak()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("p.ron");
        write_atomic(&path, b"one")?;
        assert!(!backup_path(&path).exists());
        write_atomic(&path, b"two")?;
        assert_eq!(fs::read(&path)?, b"two");
        assert_eq!(fs::read(backup_path(&path))?, b"one");
        let names: Vec<_> = fs::read_dir(dir.path())?
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary files left: {names:?}");
        Ok(())
    }

    #[test]
    fn a_failure_at_any_step_leaves_the_old_file_byte_identical()
    -> Result<(), Box<dyn std::error::Error>> {
        for failing in [
            Step::Create,
            Step::Write,
            Step::Sync,
            Step::Backup,
            Step::Rename,
        ] {
            let dir = tempfile::tempdir()?;
            let path = dir.path().join("p.ron");
            write_atomic(&path, b"old contents")?;
            let err = write_atomic_with(&path, b"new", true, &mut |step| {
                if step == failing {
                    Err(io::Error::from_raw_os_error(28)) // ENOSPC: no space left on device
                } else {
                    Ok(())
                }
            });
            let err = err.err().ok_or("the save should have failed")?;
            assert_eq!(err.step, failing);
            assert!(err.to_string().contains("p.ron"), "{err}");
            assert_eq!(
                fs::read(&path)?,
                b"old contents",
                "after failing at {failing:?}"
            );
            let count = fs::read_dir(dir.path())?.count();
            assert!(
                count <= 2,
                "temporary file left after failing at {failing:?}"
            );
        }
        Ok(())
    }

    /// The previous version used to replace `.bak` before the rename, so a save that failed
    /// at the rename still overwrote the `.bak` (losing the version before).
    #[test]
    fn regression_a_save_failing_at_the_rename_replaced_the_bak()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("p.ron");
        write_atomic(&path, b"one")?;
        write_atomic(&path, b"two")?;
        let failed = write_atomic_with(&path, b"three", true, &mut |step| {
            if step == Step::Rename {
                Err(io::Error::from_raw_os_error(5))
            } else {
                Ok(())
            }
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(&path)?, b"two");
        assert_eq!(fs::read(backup_path(&path))?, b"one");
        assert_eq!(
            fs::read_dir(dir.path())?.count(),
            2,
            "no temporary files left"
        );
        Ok(())
    }

    #[test]
    fn a_missing_folder_is_an_error_not_a_panic() {
        let err = write_atomic(Path::new("/nonexistent-spanmark-dir/p.ron"), b"x").err();
        assert!(
            matches!(
                err,
                Some(SaveError {
                    step: Step::Create,
                    ..
                })
            ),
            "{err:?}"
        );
    }

    #[test]
    fn stale_temp_files_of_dead_processes_are_removed() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("p.ron");
        // pid 4194304 is above Linux's pid_max, so no live process has it.
        let stale = dir.path().join(".p.ron.tmp-4194304-0");
        fs::write(&stale, b"half a file")?;
        write_atomic(&path, b"x")?;
        // On Linux, dead writers are known and their leftovers go; elsewhere spanmark cannot
        // tell a dead writer from a live one and keeps the file rather than risk it.
        assert_eq!(stale.exists(), !cfg!(target_os = "linux"));
        Ok(())
    }
}
