//! The `spanmark` binary's headless commands, run as a user would run them: `check`,
//! `stats` and `fmt` on good, broken, missing and repaired project files. Each case checks
//! the exit status and what is printed, and that no command ever panics.

mod common;

mod cmd;

use cmd::{spanmark, text};
use std::error::Error;
use std::fs;
use std::path::Path;
use std::process::Output;

use spanmark::format::safe_write::backup_path;
use spanmark::format::{read_project, write_project};

type TestResult = Result<(), Box<dyn Error>>;

/// Asserts that the process exited by itself (no signal) and did not panic.
fn assert_no_panic(out: &Output) {
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(
        out.status.code().is_some(),
        "killed by a signal: {:?}",
        out.status
    );
}

fn path_str(path: &Path) -> Result<&str, Box<dyn Error>> {
    path.to_str().ok_or_else(|| "temp path is not UTF-8".into())
}

#[test]
fn check_accepts_a_good_file_with_a_summary() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("good.ron");
    write_project(&path, &common::hard_project())?;
    let out = spanmark(&["check", path_str(&path)?])?;
    assert_no_panic(&out);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("ok")
            && stdout.contains("3 labels")
            && stdout.contains("8 spans")
            && stdout.contains("2 orphans"),
        "{stdout}"
    );
    Ok(())
}

#[test]
fn check_names_line_and_column_of_a_syntax_error() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("broken.ron");
    fs::write(
        &path,
        "(\n  format: 1,\n  article: (text: \"x\"),\n  labels: [(name: \"Claim\" color: \"#000000\")],\n)\n",
    )?;
    let out = spanmark(&["check", path_str(&path)?])?;
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("line 4, column 27") && stderr.contains("broken.ron"),
        "{stderr}"
    );
    Ok(())
}

#[test]
fn check_fails_on_a_missing_file_and_on_spans_that_became_orphans() -> TestResult {
    let dir = tempfile::tempdir()?;
    let missing = dir.path().join("missing.ron");
    let out = spanmark(&["check", path_str(&missing)?])?;
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("missing.ron"),
        "{}",
        text(&out.stderr)
    );

    let bad = dir.path().join("bad.ron");
    fs::write(
        &bad,
        "(format: 1, article: (text: \"abc def\"), labels: [(name: \"Claim\", color: \"#000000\")],\
         spans: [(start: 0, end: 3, label: \"Nope\")])",
    )?;
    let out = spanmark(&["check", path_str(&bad)?])?;
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("span #1 (Nope 0..3)") && stderr.contains("orphans"),
        "{stderr}"
    );
    Ok(())
}

#[test]
fn no_command_panics_on_garbage() -> TestResult {
    let dir = tempfile::tempdir()?;
    let inputs: [&[u8]; 6] = [
        b"",
        b"\xff\xfe\x00garbage",
        b"(format: 1, article: (text: \"\"), labels: [])",
        b"(format: 99)",
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        b"(format: 1, article: (text: \"ab\"), labels: [(name: \"C\", color: \"#000000\")], spans: [(start: 18446744073709551615, end: 0, label: \"C\")])",
    ];
    for (i, bytes) in inputs.iter().enumerate() {
        let path = dir.path().join(format!("g{i}.ron"));
        fs::write(&path, bytes)?;
        for cmd in ["check", "stats", "fmt"] {
            let out = spanmark(&[cmd, path_str(&path)?])?;
            assert_no_panic(&out);
            if i == 5 && cmd == "stats" {
                // Loadable with its one span moved to orphans: stats reports it as such.
                assert!(out.status.success(), "{}", text(&out.stderr));
                assert!(
                    text(&out.stdout).contains("orphans      1"),
                    "{}",
                    text(&out.stdout)
                );
                continue;
            }
            assert_eq!(out.status.code(), Some(1), "{cmd} on input {i}");
            assert!(
                !text(&out.stderr).is_empty(),
                "{cmd} on input {i} said nothing"
            );
        }
        assert_eq!(
            fs::read(&path)?,
            *bytes,
            "fmt must not touch a file it refused"
        );
    }
    Ok(())
}

#[test]
fn stats_counts_spans_per_label_and_covered_chars() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.ron");
    // Claim 0..12 and Quote 6..18 overlap on 6 chars: 18 covered, counted once.
    fs::write(
        &path,
        r##"(format: 1, article: (text: "Putin rejected the offer at once."),
  labels: [(name: "Claim", color: "#E8911E"), (name: "Quote", color: "#2E86DE"), (name: "Disclaimer", color: "#9B59B6")],
  spans: [(start: 0, end: 12, label: "Claim"), (start: 6, end: 18, label: "Quote"), (start: 19, end: 24, label: "Claim")],
  orphans: [(label: "Quote", text: "lost")])"##,
    )?;
    let out = spanmark(&["stats", path_str(&path)?])?;
    assert_no_panic(&out);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let value = |key: &str| -> String {
        stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(key))
            .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    assert_eq!(value("Claim"), "2", "{stdout}");
    assert_eq!(value("Quote"), "1", "{stdout}");
    assert_eq!(value("Disclaimer"), "0", "{stdout}");
    assert_eq!(value("spans"), "3", "{stdout}");
    assert_eq!(value("orphans"), "1", "{stdout}");
    assert_eq!(value("covered"), "23 chars (69.7%)", "{stdout}");
    assert!(stdout.contains("33 chars"), "{stdout}");
    Ok(())
}

#[test]
fn fmt_rewrites_in_canonical_form_keeping_a_backup() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("p.ron");
    let hand = "(format:1,article:(text:\"Putin rejected the offer\"),labels:[(name:\"Claim\",color:\"#e8911e\")],\
                spans:[(start:6,end:14,label:\"Claim\",note:\"n\")])";
    fs::write(&path, hand)?;
    let before = read_project(&path)?.project;
    let out = spanmark(&["fmt", path_str(&path)?])?;
    assert_no_panic(&out);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("rewritten"),
        "{}",
        text(&out.stdout)
    );
    let after = fs::read_to_string(&path)?;
    assert!(
        after.contains("\n  format: 1,\n") && after.contains("color: \"#E8911E\""),
        "{after}"
    );
    assert_eq!(
        fs::read_to_string(backup_path(&path))?,
        hand,
        "the old file is kept as .bak"
    );
    let reloaded = read_project(&path)?;
    assert!(reloaded.warnings.is_empty(), "{:?}", reloaded.warnings);
    assert_eq!(reloaded.project, before, "fmt must not change meaning");
    // Formatting a canonical file changes nothing.
    let out = spanmark(&["fmt", path_str(&path)?])?;
    assert!(out.status.success());
    assert_eq!(fs::read_to_string(&path)?, after);
    Ok(())
}

#[test]
fn fmt_refuses_a_file_that_needed_repairs_unless_forced() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("r.ron");
    let hand = "(format: 1, article: (text: \"Putin rejected the offer\"), labels: [(name: \"Claim\", color: \"#E8911E\")],\
                spans: [(start: 6, end: 14, label: \"Claim\", text: \"accepted\")])";
    fs::write(&path, hand)?;
    let out = spanmark(&["fmt", path_str(&path)?])?;
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("span #1 (Claim 6..14)") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(&path)?,
        hand,
        "a refused fmt leaves the file alone"
    );
    assert!(!backup_path(&path).exists());

    let out = spanmark(&["fmt", "--force", path_str(&path)?])?;
    assert_no_panic(&out);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let loaded = read_project(&path)?;
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project.spans().len(), 0);
    assert_eq!(
        loaded.project.orphans().len(),
        1,
        "the bad span is kept as an orphan"
    );
    assert_eq!(
        loaded.project.orphans().first().map(|o| o.text.as_str()),
        Some("accepted")
    );
    Ok(())
}
