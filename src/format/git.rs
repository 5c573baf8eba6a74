//! Making git merge project files with spanmark: `*.ron merge=spanmark` in
//! `.gitattributes` (and `corpus.ron merge=text`: the corpus's label scheme is not a
//! project, git's line merge suits it), and the driver itself (`merge.spanmark.name`, `merge.spanmark.driver`)
//! in the repository's config. Git runs `spanmark merge %O %A %B %P` for every project file
//! both branches changed, instead of its line merge.
//!
//! The driver names `spanmark` when the `spanmark` found on `PATH` is this very program,
//! and otherwise the running program's absolute path (quoted for the shell), so that a
//! build that is not installed still works. Registering is idempotent: a second run
//! changes nothing and says so. Everything goes through the `git` executable; nothing is
//! written when the folder is not in a git repository.

use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::safe_write::{SaveError, write_atomic_with};

/// The attribute line that sends project files to the driver.
pub const ATTRIBUTE_LINE: &str = "*.ron merge=spanmark";
/// The attribute line that keeps the corpus settings (`corpus.ron`, not a project) with
/// git's own line merge; it must come after [`ATTRIBUTE_LINE`] (later lines win).
pub const CONFIG_ATTRIBUTE_LINE: &str = "corpus.ron merge=text";
/// The readable name git shows for the driver.
pub const DRIVER_NAME: &str = "spanmark: three-way merge of annotation projects";
/// What follows the program in the driver command: git's placeholders for base, ours
/// (where the result goes), theirs and the file's path.
pub const DRIVER_ARGS: &str = "merge %O %A %B %P";

/// Why the driver could not be registered. Each message ends with the folder or file.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// `git` could not be started (other than not being installed).
    #[error("could not run `{command}` ({source}); check that git works in a terminal: {}", dir.display())]
    Run {
        /// The command line.
        command: String,
        /// The OS error.
        source: io::Error,
        /// The folder it ran in.
        dir: PathBuf,
    },
    /// `git` ran and failed.
    #[error("`{command}` failed: {stderr}; fix the repository's configuration and run again: {}", dir.display())]
    Failed {
        /// The command line.
        command: String,
        /// What git said.
        stderr: String,
        /// The folder it ran in.
        dir: PathBuf,
    },
    /// `.gitattributes` exists but could not be read.
    #[error("could not read .gitattributes ({source}); check its permissions: {}", path.display())]
    ReadAttributes {
        /// The OS error.
        source: io::Error,
        /// The file.
        path: PathBuf,
    },
    /// `.gitattributes` could not be written.
    #[error(transparent)]
    WriteAttributes(#[from] SaveError),
    /// The running program's path is unknown, so the driver cannot name it.
    #[error(
        "could not find where this spanmark program is ({0}); install spanmark on PATH and run again"
    )]
    CurrentExe(io::Error),
}

/// How the registered driver names spanmark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DriverProgram {
    /// As `spanmark`: the one on `PATH` is this program.
    OnPath,
    /// By this absolute path: `spanmark` is not on `PATH`, or is another program.
    Absolute(PathBuf),
}

/// What [`register_merge_driver`] found and did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterReport {
    /// The folder asked about.
    pub dir: PathBuf,
    /// The repository's top folder; `None` when nothing was registered.
    pub repository: Option<PathBuf>,
    /// Why nothing was registered (not a repository, git not installed).
    pub skipped: Option<String>,
    /// The driver command in the repository's config.
    pub driver: Option<String>,
    /// How that command names spanmark.
    pub program: Option<DriverProgram>,
    /// What changed, one line each; empty when everything was in place already.
    pub changes: Vec<String>,
}

impl fmt::Display for RegisterReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = self.dir.display();
        if let Some(why) = &self.skipped {
            return writeln!(f, "{dir}: git merge driver not registered: {why}");
        }
        let repo = self
            .repository
            .as_deref()
            .map_or_else(|| dir.to_string(), |r| r.display().to_string());
        if self.changes.is_empty() {
            writeln!(
                f,
                "{repo}: git merge driver already registered, nothing changed"
            )?;
        } else {
            writeln!(f, "{repo}: git merge driver registered:")?;
            for c in &self.changes {
                writeln!(f, "  {c}")?;
            }
        }
        if let (Some(driver), Some(program)) = (&self.driver, &self.program) {
            let how = match program {
                DriverProgram::OnPath => "the spanmark on PATH is this program".to_owned(),
                DriverProgram::Absolute(_) => {
                    "by absolute path: no spanmark on PATH is this program; run init again after installing or moving it"
                        .to_owned()
                }
            };
            writeln!(f, "  driver: {driver} ({how})")?;
        }
        Ok(())
    }
}

/// Register spanmark as the merge driver of `*.ron` files for the git repository that
/// holds `dir` (see the module docs). Not in a repository, or git not installed: nothing
/// is written and the report says why.
pub fn register_merge_driver(dir: &Path) -> Result<RegisterReport, GitError> {
    let exe = std::env::current_exe().map_err(GitError::CurrentExe)?;
    register_merge_driver_for(dir, &exe, std::env::var_os("PATH").as_deref())
}

/// [`register_merge_driver`] for the program at `exe`, looking for `spanmark` in
/// `path_var` (a `PATH` value).
pub fn register_merge_driver_for(
    dir: &Path,
    exe: &Path,
    path_var: Option<&OsStr>,
) -> Result<RegisterReport, GitError> {
    let mut report = RegisterReport {
        dir: dir.to_owned(),
        repository: None,
        skipped: None,
        driver: None,
        program: None,
        changes: Vec::new(),
    };
    let top = match git(dir, &["rev-parse", "--show-toplevel"]) {
        Ok(Ok(out)) => PathBuf::from(out.trim_end_matches(['\n', '\r'])),
        Ok(Err(stderr)) => {
            let why = stderr.lines().next().unwrap_or("").trim().to_owned();
            report.skipped = Some(if why.is_empty() {
                "not in a git repository".to_owned()
            } else {
                format!("not in a git repository (git: {why})")
            });
            return Ok(report);
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            report.skipped = Some("git is not installed (no `git` on PATH)".to_owned());
            return Ok(report);
        }
        Err(source) => {
            return Err(GitError::Run {
                command: "git rev-parse --show-toplevel".to_owned(),
                source,
                dir: dir.to_owned(),
            });
        }
    };
    report.repository = Some(top);

    let attributes = dir.join(".gitattributes");
    let existing = match std::fs::read_to_string(&attributes) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(GitError::ReadAttributes {
                source,
                path: attributes,
            });
        }
    };
    let missing: Vec<&str> = [
        (
            ATTRIBUTE_LINE,
            has_attribute(&existing, "*.ron", "merge=spanmark"),
        ),
        (
            CONFIG_ATTRIBUTE_LINE,
            has_attribute(&existing, "corpus.ron", "merge=text"),
        ),
    ]
    .into_iter()
    .filter(|(_, present)| !present)
    .map(|(line, _)| line)
    .collect();
    if !missing.is_empty() {
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for line in &missing {
            text.push_str(line);
            text.push('\n');
        }
        // No .bak: it would show up as an untracked file in the repository.
        write_atomic_with(&attributes, text.as_bytes(), false, &mut |_| Ok(()))?;
        for line in missing {
            report
                .changes
                .push(format!("{}: added \"{line}\"", attributes.display()));
        }
    }

    let (program, exe_path) = driver_program(exe, path_var);
    let driver = match &program {
        DriverProgram::OnPath => format!("spanmark {DRIVER_ARGS}"),
        DriverProgram::Absolute(_) => format!("{} {DRIVER_ARGS}", shell_quote(&exe_path)),
    };
    for (key, value) in [
        ("merge.spanmark.name", DRIVER_NAME),
        ("merge.spanmark.driver", driver.as_str()),
    ] {
        set_config(dir, key, value, &mut report.changes)?;
    }
    report.driver = Some(driver);
    report.program = Some(program);
    Ok(report)
}

/// Set `key` to `value` in the repository's own config unless it is so already.
fn set_config(
    dir: &Path,
    key: &str,
    value: &str,
    changes: &mut Vec<String>,
) -> Result<(), GitError> {
    let run = |args: &[&str]| {
        git(dir, args).map_err(|source| GitError::Run {
            command: format!("git {}", args.join(" ")),
            source,
            dir: dir.to_owned(),
        })
    };
    // `--get` exits 1 when the key is unset: that is an answer, not a failure.
    let current = run(&["config", "--local", "--get", key])?.ok();
    if current.as_deref().map(|c| c.trim_end_matches(['\n', '\r'])) == Some(value) {
        return Ok(());
    }
    if let Err(stderr) = run(&["config", "--local", key, value])? {
        return Err(GitError::Failed {
            command: format!("git config --local {key} {value}"),
            stderr: stderr.trim().to_owned(),
            dir: dir.to_owned(),
        });
    }
    changes.push(format!("git config {key} = {value}"));
    Ok(())
}

/// Run git in `dir`: `Ok(Ok(stdout))` on success, `Ok(Err(stderr))` when git failed.
fn git(dir: &Path, args: &[&str]) -> io::Result<Result<String, String>> {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output()?;
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Ok(if out.status.success() {
        Ok(text(&out.stdout))
    } else {
        Err(text(&out.stderr))
    })
}

/// True when a line of `text` already gives files matching `pattern` the `attribute`.
fn has_attribute(text: &str, pattern: &str, attribute: &str) -> bool {
    text.lines().any(|line| {
        let mut words = line.split_whitespace();
        words.next() == Some(pattern) && words.any(|w| w == attribute)
    })
}

/// How the driver should name the program at `exe`: as `spanmark` when that is what
/// `PATH` finds, else by its canonical absolute path.
fn driver_program(exe: &Path, path_var: Option<&OsStr>) -> (DriverProgram, PathBuf) {
    let exe = std::fs::canonicalize(exe).unwrap_or_else(|_| exe.to_owned());
    let on_path = path_var
        .and_then(|p| find_on_path("spanmark", p))
        .and_then(|found| std::fs::canonicalize(found).ok());
    if on_path.as_deref() == Some(exe.as_path()) {
        (DriverProgram::OnPath, exe)
    } else {
        (DriverProgram::Absolute(exe.clone()), exe)
    }
}

/// The first executable file called `name` in the folders of `path_var`, as a shell's
/// `which` finds it.
fn find_on_path(name: &str, path_var: &OsStr) -> Option<PathBuf> {
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    std::env::split_paths(path_var)
        .map(|dir| dir.join(&file))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// `path` in single quotes for `sh` (which git uses to run drivers), `'` written `'\''`.
fn shell_quote(path: &Path) -> String {
    let text = path.to_string_lossy();
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

    fn init_repo(dir: &Path) -> Result {
        let out = Command::new("git").args(["init", "-q"]).arg(dir).output()?;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(())
    }

    fn config(dir: &Path, key: &str) -> Result<String> {
        Ok(git(dir, &["config", "--local", "--get", key])?
            .unwrap_or_default()
            .trim_end()
            .to_owned())
    }

    #[test]
    fn registering_twice_writes_once_and_then_changes_nothing() -> Result {
        let tmp = tempfile::tempdir()?;
        init_repo(tmp.path())?;
        std::fs::write(tmp.path().join(".gitattributes"), "*.txt text")?;
        let exe = tmp.path().join("my spanmark's copy");
        std::fs::write(&exe, "")?;
        let first = register_merge_driver_for(tmp.path(), &exe, None)?;
        assert_eq!(first.changes.len(), 4, "{first}");
        let attributes = std::fs::read_to_string(tmp.path().join(".gitattributes"))?;
        assert_eq!(
            attributes,
            "*.txt text\n*.ron merge=spanmark\ncorpus.ron merge=text\n"
        );
        let canonical = std::fs::canonicalize(&exe)?;
        let expected = format!(
            "'{}' merge %O %A %B %P",
            canonical.to_string_lossy().replace('\'', "'\\''")
        );
        assert_eq!(config(tmp.path(), "merge.spanmark.driver")?, expected);
        assert_eq!(config(tmp.path(), "merge.spanmark.name")?, DRIVER_NAME);
        assert_eq!(first.program, Some(DriverProgram::Absolute(canonical)));
        assert!(first.to_string().contains("by absolute path"), "{first}");

        let second = register_merge_driver_for(tmp.path(), &exe, None)?;
        assert!(second.changes.is_empty(), "{second}");
        assert!(
            second.to_string().contains("already registered"),
            "{second}"
        );
        assert!(
            !tmp.path().join(".gitattributes.bak").exists(),
            "no .bak beside .gitattributes"
        );
        Ok(())
    }

    #[test]
    fn the_driver_says_spanmark_when_path_finds_this_program() -> Result {
        let tmp = tempfile::tempdir()?;
        init_repo(tmp.path())?;
        let bin = tmp.path().join("bin");
        std::fs::create_dir(&bin)?;
        let exe = bin.join(format!("spanmark{}", std::env::consts::EXE_SUFFIX));
        std::fs::write(&exe, "")?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755))?;
        }
        let path_var = std::env::join_paths([tmp.path().join("nothing"), bin])?;
        let report = register_merge_driver_for(tmp.path(), &exe, Some(&path_var))?;
        assert_eq!(report.program, Some(DriverProgram::OnPath));
        assert_eq!(
            config(tmp.path(), "merge.spanmark.driver")?,
            "spanmark merge %O %A %B %P"
        );
        // Another program called spanmark on PATH is not this one.
        let other = tmp.path().join("other");
        std::fs::write(&other, "")?;
        let report = register_merge_driver_for(tmp.path(), &other, Some(&path_var))?;
        assert!(matches!(report.program, Some(DriverProgram::Absolute(_))));
        assert_eq!(report.changes.len(), 1, "only the driver changed: {report}");
        Ok(())
    }

    #[test]
    fn an_equivalent_attribute_line_is_not_added_again() -> Result {
        let tmp = tempfile::tempdir()?;
        init_repo(tmp.path())?;
        let text = "# projects\n*.ron   text merge=spanmark\ncorpus.ron merge=text\n";
        std::fs::write(tmp.path().join(".gitattributes"), text)?;
        register_merge_driver_for(tmp.path(), Path::new("/bin/sh"), None)?;
        assert_eq!(
            std::fs::read_to_string(tmp.path().join(".gitattributes"))?,
            text
        );
        Ok(())
    }

    #[test]
    fn outside_a_repository_nothing_is_written() -> Result {
        let tmp = tempfile::tempdir()?;
        let report = register_merge_driver_for(tmp.path(), Path::new("/bin/sh"), None)?;
        assert!(report.skipped.is_some(), "{report}");
        assert!(report.changes.is_empty());
        assert!(!tmp.path().join(".gitattributes").exists());
        assert!(
            report.to_string().contains("not in a git repository"),
            "{report}"
        );
        Ok(())
    }
}
