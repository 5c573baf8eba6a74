//! The corpus commands run as a user runs them: `init`, `stats [--json]`, `grep` and
//! `check` on a small corpus folder (and on single projects), with their exit codes and
//! what they print, and that none of them changes a file it was not asked to write.

mod cmd;

use cmd::{spanmark, text};
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use spanmark::format::safe_write::backup_path;
use spanmark::format::{read_project, write_project};
use spanmark::model::notation;

type TestResult = Result<(), Box<dyn Error>>;

fn code(out: &Output) -> Option<i32> {
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    out.status.code()
}

fn s(path: &Path) -> Result<&str, Box<dyn Error>> {
    path.to_str().ok_or_else(|| "temp path is not UTF-8".into())
}

/// Write `notation` as `rel.txt` and its project `rel.ron` (without a `.bak`).
fn document(root: &Path, rel: &str, notation: &str, done: bool) -> TestResult {
    let mut project = notation::parse(notation)?;
    project.set_done(done);
    let ron = root.join(format!("{rel}.ron"));
    if let Some(parent) = ron.parent() {
        fs::create_dir_all(parent)?;
    }
    write_project(&ron, &project)?;
    fs::remove_file(backup_path(&ron)).ok();
    fs::write(root.join(format!("{rel}.txt")), project.article().text())?;
    Ok(())
}

/// A corpus of four documents: two annotated (one done), one not started, and one
/// project without its article.
///
/// | document       | Claim | Quote | Disclaimer | suggested | state       |
/// |----------------|-------|-------|------------|-----------|-------------|
/// | desk-1/a       | 2     | 1     | 0          | 0         | done        |
/// | desk-1/b       | 0     | 0     | 0          | 0         | not started |
/// | desk-2/deep/c  | 1     | 0     | 1          | 1 Quote   | in progress |
/// | lone (no .txt) | 0     | 1     | 0          | 0         | in progress |
fn corpus() -> Result<tempfile::TempDir, Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    document(
        root,
        "desk-1/a",
        "[Claim:Putin rejected] [Quote:the offer] and [Claim:left]",
        true,
    )?;
    fs::write(root.join("desk-1/b.txt"), "Nothing tagged here yet.")?;
    document(
        root,
        "desk-2/deep/c",
        "[Claim:Taxes rose] by [Disclaimer:reportedly] [Quote?:three percent] in [Claim-:May]",
        false,
    )?;
    document(
        root,
        "lone",
        "[Quote:a lone project] without its article",
        false,
    )?;
    fs::remove_file(root.join("lone.txt"))?;
    // Hidden folders are not part of the corpus.
    fs::create_dir_all(root.join(".git"))?;
    fs::write(root.join(".git/x.txt"), "hidden")?;
    Ok(dir)
}

/// Every file under `dir` with its bytes.
/// Every file's path and bytes.
type Files = Vec<(PathBuf, Vec<u8>)>;

fn snapshot(dir: &Path) -> Result<Files, Box<dyn Error>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d)? {
            let e = e?;
            if e.file_type()?.is_dir() {
                stack.push(e.path());
            } else {
                out.push((e.path(), fs::read(e.path())?));
            }
        }
    }
    out.sort();
    Ok(out)
}

#[test]
fn init_writes_corpus_ron_once_and_changes_nothing_the_second_time() -> TestResult {
    let dir = corpus()?;
    let root = dir.path();
    let first = spanmark(&["init", s(root)?])?;
    assert_eq!(code(&first), Some(0), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("written") && text(&first.stdout).contains("4 documents"));
    let written = fs::read_to_string(root.join("corpus.ron"))?;
    assert!(
        written.contains("format: 1")
            && written.contains("\"Claim\"")
            && written.contains("save_on_switch: true"),
        "{written}"
    );
    let before = snapshot(root)?;
    let second = spanmark(&["init", s(root)?])?;
    assert_eq!(code(&second), Some(0));
    assert!(
        text(&second.stdout).contains("left unchanged"),
        "{}",
        text(&second.stdout)
    );
    assert_eq!(
        snapshot(root)?,
        before,
        "running init twice changes nothing"
    );
    let missing = spanmark(&["init", s(&root.join("no-such-folder"))?])?;
    assert_eq!(code(&missing), Some(1));
    assert!(text(&missing.stderr).contains("not a folder"));
    Ok(())
}

#[test]
fn stats_json_counts_a_corpus_exactly() -> TestResult {
    let dir = corpus()?;
    let root = dir.path();
    let before = snapshot(root)?;
    let out = spanmark(&["stats", s(root)?, "--json"])?;
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        snapshot(root)?,
        before,
        "stats writes nothing, not even the cache"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(v["documents"], 4);
    assert_eq!(v["annotated"], 3);
    assert_eq!(v["done"], 1);
    assert_eq!(v["in_progress"], 2);
    assert_eq!(
        v["spans"],
        serde_json::json!({"Claim": 3, "Quote": 2, "Disclaimer": 1})
    );
    assert_eq!(
        v["suggested"],
        serde_json::json!({"Claim": 0, "Quote": 1, "Disclaimer": 0})
    );
    assert_eq!(v["problems"], serde_json::json!([]));
    let table = spanmark(&["stats", s(root)?])?;
    assert_eq!(code(&table), Some(0));
    let table = text(&table.stdout);
    assert!(
        table.contains("documents    4") && table.contains("Quote        2 (+1 suggested)"),
        "{table}"
    );
    Ok(())
}

#[test]
fn stats_json_works_on_one_project_and_the_table_stays_as_before() -> TestResult {
    let dir = corpus()?;
    let project = dir.path().join("desk-1/a.ron");
    let out = spanmark(&["stats", s(&project)?, "--json"])?;
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(
        (
            v["documents"].as_u64(),
            v["annotated"].as_u64(),
            v["done"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(
        v["spans"],
        serde_json::json!({"Claim": 2, "Quote": 1, "Disclaimer": 0})
    );
    let table = spanmark(&["stats", s(&project)?])?;
    assert!(
        text(&table.stdout).starts_with("article      "),
        "{}",
        text(&table.stdout)
    );
    Ok(())
}

#[test]
fn grep_prints_matching_spans_and_exits_like_grep() -> TestResult {
    let dir = corpus()?;
    let root = dir.path();
    let out = spanmark(&["grep", "(?i)putin|percent", s(root)?])?;
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "desk-1/a.ron:0-14\tClaim\tPutin rejected\ndesk-2/deep/c.ron:25-38\tQuote\tthree percent\n"
    );
    let claims = spanmark(&["grep", ".", s(root)?, "--label", "Claim"])?;
    assert_eq!(code(&claims), Some(0));
    assert_eq!(
        text(&claims.stdout).lines().count(),
        3,
        "rejected spans are not listed: {}",
        text(&claims.stdout)
    );
    let ignoring_case = spanmark(&["grep", "-i", "LONE", s(root)?])?;
    assert_eq!(
        text(&ignoring_case.stdout),
        "lone.ron:0-14\tQuote\ta lone project\n"
    );
    let single = spanmark(&["grep", "offer", s(&root.join("desk-1/a.ron"))?])?;
    assert_eq!(code(&single), Some(0));
    assert!(
        text(&single.stdout).ends_with("a.ron:15-24\tQuote\tthe offer\n"),
        "{}",
        text(&single.stdout)
    );
    let nothing = spanmark(&["grep", "no such thing", s(root)?])?;
    assert_eq!(
        (code(&nothing), text(&nothing.stdout)),
        (Some(1), String::new())
    );
    let bad_pattern = spanmark(&["grep", "(unclosed", s(root)?])?;
    assert_eq!(code(&bad_pattern), Some(2));
    assert!(text(&bad_pattern.stderr).contains("regular expression"));
    let missing = spanmark(&["grep", "x", s(&root.join("missing.ron"))?])?;
    assert_eq!(code(&missing), Some(2));
    Ok(())
}

#[test]
fn grep_matches_notes_and_reports_broken_projects_with_status_2() -> TestResult {
    let dir = corpus()?;
    let root = dir.path();
    let path = root.join("desk-1/a.ron");
    let mut project = read_project(&path)?.project;
    let edit = project.change(spanmark::model::SpanId(2), |s| {
        s.note = "checked\twith the source".to_owned();
    })?;
    project.apply(&edit)?;
    write_project(&path, &project)?;
    let out = spanmark(&["grep", "with the source", s(root)?])?;
    assert_eq!(code(&out), Some(0));
    assert_eq!(text(&out.stdout), "desk-1/a.ron:29-33\tClaim\tleft\n");
    fs::write(root.join("broken.ron"), "(format: 1, labels: [")?;
    let with_error = spanmark(&["grep", "with the source", s(root)?])?;
    assert_eq!(code(&with_error), Some(2), "an error wins, as in grep");
    assert_eq!(
        text(&with_error.stdout),
        "desk-1/a.ron:29-33\tClaim\tleft\n",
        "matches still printed"
    );
    assert!(text(&with_error.stderr).contains("broken.ron"));
    Ok(())
}

#[test]
fn check_names_every_broken_project_and_still_checks_the_others() -> TestResult {
    let dir = corpus()?;
    let root = dir.path();
    let good = spanmark(&["check", s(root)?])?;
    assert_eq!(code(&good), Some(0), "{}", text(&good.stderr));
    assert!(
        text(&good.stdout).contains("ok: 3 project(s), 1 article(s) without a project yet"),
        "{}",
        text(&good.stdout)
    );
    fs::write(root.join("desk-1/broken.ron"), "(format: 1, labels: [")?;
    fs::write(root.join("desk-2/newer.ron"), "(format: 9)")?;
    // A project whose span no longer matches its text: it loads with a repair.
    let c = root.join("desk-2/deep/c.ron");
    let repaired =
        fs::read_to_string(&c)?.replacen("text: \"Taxes rose\"", "text: \"Taxes fell\"", 1);
    fs::write(&c, repaired)?;
    let before = snapshot(root)?;
    let out = spanmark(&["check", s(root)?])?;
    assert_eq!(code(&out), Some(1));
    assert_eq!(snapshot(root)?, before, "check writes nothing");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("broken.ron") && stderr.contains("syntax error"),
        "{stderr}"
    );
    assert!(
        stderr.contains("newer.ron") && stderr.contains("format 9"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: desk-2/deep/c.ron: span #1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 problem(s)") && stderr.contains("5 project(s) checked"),
        "{stderr}"
    );
    let single = spanmark(&["check", s(&root.join("desk-1/a.ron"))?])?;
    assert_eq!(code(&single), Some(0));
    assert!(text(&single.stdout).contains("ok: article"));
    let single_bad = spanmark(&["check", s(&root.join("desk-1/broken.ron"))?])?;
    assert_eq!(code(&single_bad), Some(1));
    Ok(())
}

#[test]
fn check_notes_an_article_changed_since_it_was_annotated() -> TestResult {
    let dir = corpus()?;
    let root = dir.path();
    fs::write(
        root.join("desk-1/a.txt"),
        "Putin rejected the offer and left, then came back.",
    )?;
    let out = spanmark(&["check", s(root)?])?;
    assert_eq!(
        code(&out),
        Some(0),
        "the project itself is fine: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("note: desk-1/a.ron: its article was changed"),
        "{}",
        text(&out.stdout)
    );
    Ok(())
}

#[test]
fn a_broken_corpus_ron_is_reported_but_stats_still_runs() -> TestResult {
    let dir = corpus()?;
    let root = dir.path();
    fs::write(root.join("corpus.ron"), "(format: 1, labels: [(name: ")?;
    let stats = spanmark(&["stats", s(root)?, "--json"])?;
    assert_eq!(code(&stats), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&stats.stdout)?;
    assert_eq!(v["documents"], 4);
    assert!(v["problems"][0]["path"] == "corpus.ron", "{v}");
    let check = spanmark(&["check", s(root)?])?;
    assert_eq!(code(&check), Some(1));
    assert!(text(&check.stderr).contains("corpus.ron"));
    Ok(())
}

#[test]
fn regression_grep_into_a_reader_that_stops_early_does_not_panic() -> TestResult {
    // `spanmark grep … | head` closes the pipe after a few lines; the rest of the output
    // (well over a pipe's buffer here) must be dropped quietly, not panic on EPIPE.
    let dir = tempfile::tempdir()?;
    let sentences: Vec<String> = (0..3000)
        .map(|i| format!("[Claim:Sentence number {i} says something]."))
        .collect();
    document(dir.path(), "long", &sentences.join(" "), false)?;
    let mut child = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(["grep", "Sentence", s(dir.path())?])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    drop(child.stdout.take());
    let out = child.wait_with_output()?;
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    Ok(())
}
