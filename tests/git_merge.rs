//! Two analysts' branches meeting in a real `git merge`, in a temporary repository set up
//! with `spanmark init`: the driver registered by init (this test's build, by absolute
//! path) merges the project file; a clean merge keeps both analysts' spans, a conflicting
//! relabel is reported to git and leaves a valid project holding both versions, which the
//! analyst settles and commits.

mod common;

mod cmd;

use cmd::text;
use std::error::Error;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use spanmark::format::{project_to_ron, read_project};
use spanmark::model::merge::{Choice, conflicts, resolve};
use spanmark::model::notation::{parse, render};
use spanmark::model::{Project, SpanId};

type TestResult<T = ()> = Result<T, Box<dyn Error>>;

const ARTICLE: &str = "The minister [Claim:rejected the offer] on Monday. \"We will not give up,\" said the union. \
Prices rose 3% in May, the office said. Talks resume in June.";

/// Git and spanmark with the user's and the system's git config kept out.
fn isolated(mut command: Command, home: &Path) -> Command {
    command
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("no-global-config"))
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env("RUST_BACKTRACE", "0");
    command
}

fn run(command: Command) -> TestResult<Output> {
    let mut command = command;
    Ok(command.output()?)
}

fn git(repo: &Path, args: &[&str]) -> TestResult<Output> {
    let mut c = Command::new("git");
    c.arg("-C").arg(repo).args(args);
    run(isolated(c, repo))
}

/// Run git and require success.
fn git_ok(repo: &Path, args: &[&str]) -> TestResult<String> {
    let out = git(repo, args)?;
    if !out.status.success() {
        return Err(format!(
            "git {}: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn spanmark(repo: &Path, args: &[&str]) -> TestResult<Output> {
    let mut c = Command::new(env!("CARGO_BIN_EXE_spanmark"));
    c.args(args).current_dir(repo);
    run(isolated(c, repo))
}

fn save(path: &Path, project: &Project) -> TestResult {
    fs::write(path, project_to_ron(project)?)?;
    Ok(())
}

fn load(path: &Path) -> TestResult<Project> {
    let loaded = read_project(path)?;
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    Ok(loaded.project)
}

/// A repository with `spanmark init` run in it and the base project committed on `main`.
fn repository() -> TestResult<tempfile::TempDir> {
    let tmp = tempfile::tempdir()?;
    let repo = tmp.path();
    git_ok(repo, &["init", "-q", "-b", "main"])?;
    git_ok(repo, &["config", "user.name", "Test Analyst"])?;
    git_ok(repo, &["config", "user.email", "analyst@example.org"])?;
    git_ok(repo, &["config", "commit.gpgsign", "false"])?;
    let init = spanmark(repo, &["init", "."])?;
    assert!(init.status.success(), "{}", text(&init.stderr));
    let said = text(&init.stdout);
    assert!(said.contains("registered"), "{said}");
    assert!(
        said.contains("by absolute path"),
        "spanmark is not on PATH: {said}"
    );
    let again = spanmark(repo, &["init", "."])?;
    assert!(
        text(&again.stdout).contains("nothing changed"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(
        fs::read_to_string(repo.join(".gitattributes"))?,
        "*.ron merge=spanmark\ncorpus.ron merge=text\n"
    );
    // The corpus settings git merges line by line; spanmark merges the projects.
    let attrs = git_ok(repo, &["check-attr", "merge", "--", "a.ron", "corpus.ron"])?;
    assert!(attrs.contains("a.ron: merge: spanmark"), "{attrs}");
    assert!(attrs.contains("corpus.ron: merge: text"), "{attrs}");
    let driver = git_ok(repo, &["config", "merge.spanmark.driver"])?;
    assert!(
        driver.contains(
            env!("CARGO_BIN_EXE_spanmark")
                .rsplit('/')
                .next()
                .unwrap_or("spanmark")
        ),
        "{driver}"
    );
    save(&repo.join("a.ron"), &parse(ARTICLE)?)?;
    assert!(
        repo.join("corpus.ron").is_file(),
        "init wrote the corpus settings"
    );
    git_ok(repo, &["add", ".gitattributes", "corpus.ron", "a.ron"])?;
    git_ok(repo, &["commit", "-q", "-m", "article a"])?;
    Ok(tmp)
}

/// On a new branch from `main`, change the project with `edit` and commit.
fn branch(repo: &Path, name: &str, edit: impl FnOnce(&mut Project) -> TestResult) -> TestResult {
    git_ok(repo, &["checkout", "-q", "-b", name, "main"])?;
    let path = repo.join("a.ron");
    let mut project = load(&path)?;
    edit(&mut project)?;
    save(&path, &project)?;
    git_ok(repo, &["commit", "-q", "-am", name])?;
    Ok(())
}

fn tag(p: &mut Project, needle: &str, label: &str) -> TestResult {
    let range = common::find(p.article(), needle, 0);
    let label = p.labels().by_name(label).ok_or("label")?;
    let edit = p.tag(range, label)?;
    p.apply(&edit)?;
    Ok(())
}

fn relabel(p: &mut Project, id: u64, label: &str) -> TestResult {
    let label = p.labels().by_name(label).ok_or("label")?;
    let edit = p.change(SpanId(id), |s| s.label = label)?;
    p.apply(&edit)?;
    Ok(())
}

#[test]
fn two_analysts_tagging_different_spans_merge_cleanly_with_git() -> TestResult {
    let tmp = repository()?;
    let repo = tmp.path();
    // Both append a span after the same line, and both number it 1: git's line merge
    // would conflict here.
    branch(repo, "alice", |p| {
        tag(p, "We will not give up", "Quote")?;
        let edit = p.change(SpanId(0), |s| s.note = "checked with the ministry".into())?;
        p.apply(&edit)?;
        Ok(())
    })?;
    branch(repo, "bob", |p| tag(p, "Prices rose 3% in May", "Claim"))?;
    git_ok(repo, &["checkout", "-q", "alice"])?;
    let merge = git(repo, &["merge", "--no-edit", "bob"])?;
    let said = format!("{}{}", text(&merge.stdout), text(&merge.stderr));
    assert!(merge.status.success(), "{said}");
    assert!(
        said.contains("spanmark merge: a.ron:"),
        "the driver ran: {said}"
    );
    assert!(said.contains("no conflicts"), "{said}");

    let path = repo.join("a.ron");
    let raw = fs::read_to_string(&path)?;
    assert!(
        !raw.contains("<<<<<<<") && !raw.contains(">>>>>>>"),
        "{raw}"
    );
    let merged = load(&path)?;
    assert_eq!(
        render(&merged),
        "The minister [Claim:rejected the offer] on Monday. \"[Quote:We will not give up],\" said the union. \
[Claim:Prices rose 3% in May], the office said. Talks resume in June."
    );
    assert_eq!(
        merged.spans().get(SpanId(0)).map(|s| s.note.as_str()),
        Some("checked with the ministry")
    );
    let ids: Vec<u64> = merged.spans().iter().map(|s| s.id.0).collect();
    assert_eq!(ids, [0, 1, 2], "bob's span 1 was renumbered 2");
    let check = spanmark(repo, &["check", "a.ron"])?;
    assert!(check.status.success(), "{}", text(&check.stderr));
    // The merge was committed: the work tree is clean.
    assert_eq!(git_ok(repo, &["status", "--porcelain"])?, "");
    Ok(())
}

#[test]
fn a_conflicting_relabel_is_reported_to_git_and_leaves_a_valid_project() -> TestResult {
    let tmp = repository()?;
    let repo = tmp.path();
    branch(repo, "alice", |p| {
        relabel(p, 0, "Quote")?;
        tag(p, "Talks resume in June", "Claim")
    })?;
    branch(repo, "bob", |p| relabel(p, 0, "Disclaimer"))?;
    git_ok(repo, &["checkout", "-q", "alice"])?;
    let merge = git(repo, &["merge", "--no-edit", "bob"])?;
    let said = format!("{}{}", text(&merge.stdout), text(&merge.stderr));
    assert!(!merge.status.success(), "git reports the conflict: {said}");
    assert!(said.contains("1 conflict (#1)"), "{said}");
    assert_eq!(
        git_ok(repo, &["diff", "--name-only", "--diff-filter=U"])?,
        "a.ron\n"
    );

    let path = repo.join("a.ron");
    let raw = fs::read_to_string(&path)?;
    assert!(
        !raw.contains("<<<<<<<") && !raw.contains(">>>>>>>"),
        "{raw}"
    );
    let check = spanmark(repo, &["check", "a.ron"])?;
    assert!(check.status.success(), "{}", text(&check.stderr));
    let merged = load(&path)?;
    assert_eq!(
        render(&merged),
        "The minister [Disclaimer!:[Quote!:rejected the offer]] on Monday. \"We will not give up,\" said the union. \
Prices rose 3% in May, the office said. [Claim:Talks resume in June]."
    );
    let found = conflicts(&merged);
    assert_eq!(found.len(), 1);
    let notes: Vec<&str> = merged
        .spans()
        .iter()
        .filter_map(|s| s.note.lines().next())
        .filter(|l| !l.is_empty())
        .collect();
    assert!(
        notes.contains(
            &"merge conflict #1 (ours): relabelled Claim to Quote; theirs relabelled Claim to Disclaimer"
        ),
        "{notes:?}"
    );

    // The analyst takes theirs, saves, and concludes the merge.
    let mut settled = merged.clone();
    let edit = resolve(&settled, 1, Choice::Theirs).ok_or("resolve")?;
    settled.apply(&edit)?;
    save(&path, &settled)?;
    git_ok(repo, &["add", "a.ron"])?;
    git_ok(repo, &["commit", "-q", "--no-edit"])?;
    let committed = load(&path)?;
    assert_eq!(
        render(&committed),
        "The minister [Disclaimer:rejected the offer] on Monday. \"We will not give up,\" said the union. \
Prices rose 3% in May, the office said. [Claim:Talks resume in June]."
    );
    assert!(conflicts(&committed).is_empty());
    Ok(())
}
