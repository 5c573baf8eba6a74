//! Promise 2, "a failed save never changes the file": disk full, I/O errors and refusals at
//! every step of the safe save leave the project file and its `.bak` byte-identical and no
//! temporary file behind, and the error names the file and what failed. Also: a read-only
//! file is refused, a missing folder is an error, permissions and symbolic links survive.

mod common;

use std::error::Error;
use std::fs;
use std::io;
use std::path::Path;

use spanmark::format::safe_write::{SaveError, Step, backup_path, write_atomic_with};
use spanmark::format::{project_to_ron, read_project, write_project};

type TestResult = Result<(), Box<dyn Error>>;

const ENOSPC: i32 = 28;
const EIO: i32 = 5;
const EACCES: i32 = 13;

fn names(dir: &Path) -> Result<Vec<String>, io::Error> {
    let mut names: Vec<String> = fs::read_dir(dir)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names)
}

#[test]
fn a_failure_at_any_step_changes_neither_the_file_nor_its_backup() -> TestResult {
    let project = common::hard_project();
    let new_bytes = project_to_ron(&project)?;
    for step in [
        Step::Create,
        Step::Write,
        Step::Sync,
        Step::Backup,
        Step::Rename,
    ] {
        for errno in [ENOSPC, EIO, EACCES] {
            let dir = tempfile::tempdir()?;
            let path = dir.path().join("project.ron");
            // Two saves, so that both the file and its .bak exist.
            fs::write(&path, "first version")?;
            write_atomic_with(&path, b"second version", true, &mut |_| Ok(()))?;
            let before = names(dir.path())?;
            let err = write_atomic_with(&path, new_bytes.as_bytes(), true, &mut |s| {
                if s == step {
                    Err(io::Error::from_raw_os_error(errno))
                } else {
                    Ok(())
                }
            });
            let Err(err) = err else {
                panic!("{step:?}/{errno}: the save should have failed");
            };
            assert_eq!(err.step, step);
            assert_eq!(err.source.raw_os_error(), Some(errno));
            let msg = err.to_string();
            assert!(
                msg.contains("nothing on disk was changed") && msg.ends_with("project.ron"),
                "{msg}"
            );
            assert_eq!(fs::read(&path)?, b"second version", "{step:?}/{errno}");
            assert_eq!(
                fs::read(backup_path(&path))?,
                b"first version",
                "{step:?}/{errno}"
            );
            assert_eq!(
                names(dir.path())?,
                before,
                "{step:?}/{errno}: a temporary file was left"
            );
        }
    }
    Ok(())
}

#[test]
fn a_failure_to_flush_the_folder_says_the_new_file_is_in_place() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("p.ron");
    fs::write(&path, "old")?;
    let err = write_atomic_with(&path, b"new", true, &mut |s| {
        if s == Step::SyncFolder {
            Err(io::Error::from_raw_os_error(EIO))
        } else {
            Ok(())
        }
    })
    .err();
    let msg = err.as_ref().map(ToString::to_string).unwrap_or_default();
    assert!(
        matches!(
            err,
            Some(SaveError {
                step: Step::SyncFolder,
                ..
            })
        ),
        "{err:?}"
    );
    assert!(
        msg.contains("new version is in place") && !msg.contains("nothing on disk was changed"),
        "{msg}"
    );
    assert_eq!(fs::read(&path)?, b"new");
    assert_eq!(fs::read(backup_path(&path))?, b"old");
    Ok(())
}

#[test]
fn a_missing_folder_is_an_error_and_creates_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("gone/deeper/p.ron");
    let err = write_project(&path, &common::hard_project()).err();
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
            .ends_with("gone/deeper/p.ron")
    );
    assert_eq!(names(dir.path())?, Vec::<String>::new());
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_even_for_root() -> TestResult {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("locked.ron");
    fs::write(&path, "locked contents")?;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444))?;
    let err = write_project(&path, &common::hard_project()).err();
    let msg = err.as_ref().map(ToString::to_string).unwrap_or_default();
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
        msg.contains("read-only") && msg.contains("nothing on disk was changed"),
        "{msg}"
    );
    assert_eq!(fs::read(&path)?, b"locked contents");
    assert_eq!(names(dir.path())?, ["locked.ron"]);
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_an_error_when_permissions_apply() -> TestResult {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir()?;
    let folder = dir.path().join("ro");
    fs::create_dir(&folder)?;
    let path = folder.join("p.ron");
    fs::write(&path, "old")?;
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555))?;
    // Root (or CAP_DAC_OVERRIDE) may write into a read-only folder: find out by trying.
    let probe = folder.join("probe");
    if fs::write(&probe, "x").is_ok() {
        fs::remove_file(&probe)?;
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o755))?;
        println!("skipped: running with permission to write into read-only folders (root?)");
        return Ok(());
    }
    let err = write_project(&path, &common::hard_project()).err();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755))?;
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
    assert_eq!(fs::read(&path)?, b"old");
    assert_eq!(names(&folder)?, ["p.ron"]);
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_save_keeps_the_files_permissions() -> TestResult {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("private.ron");
    write_project(&path, &common::hard_project())?;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
    write_project(&path, &common::hard_project())?;
    assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_save_through_a_symbolic_link_writes_the_real_file() -> TestResult {
    let dir = tempfile::tempdir()?;
    let real = dir.path().join("real.ron");
    let link = dir.path().join("link.ron");
    fs::write(&real, "old")?;
    std::os::unix::fs::symlink(&real, &link)?;
    write_project(&link, &common::hard_project())?;
    assert!(
        fs::symlink_metadata(&link)?.file_type().is_symlink(),
        "the link is still a link"
    );
    assert_eq!(read_project(&real)?.project, common::hard_project());
    assert_eq!(fs::read(backup_path(&real))?, b"old");
    Ok(())
}
