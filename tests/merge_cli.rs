//! `spanmark merge BASE OURS THEIRS [PATH]` as git runs it: the result goes into OURS,
//! exit 0 when clean, 1 when conflicts remain (and the file still passes `check`), 2 when
//! an input is unreadable or the texts differ, with OURS left byte for byte as it was.

mod cmd;

use cmd::text;
use std::error::Error;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use spanmark::format::{project_to_ron, read_project};
use spanmark::model::notation::{parse, render};
use spanmark::model::{Project, SpanId};

type TestResult<T = ()> = Result<T, Box<dyn Error>>;

const TEXT: &str =
    "Putin [Claim:rejected] the offer and [Quote:we will not give up] said Zelensky today.";

fn spanmark(args: &[&Path]) -> TestResult<Output> {
    Ok(Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .arg("merge")
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .output()?)
}

fn save(path: &Path, project: &Project) -> TestResult {
    fs::write(path, project_to_ron(project)?)?;
    Ok(())
}

fn relabel(p: &mut Project, id: u64, label: &str) -> TestResult {
    let label = p.labels().by_name(label).ok_or("label")?;
    let edit = p.change(SpanId(id), |s| s.label = label)?;
    p.apply(&edit)?;
    Ok(())
}

/// base, ours and theirs files in a temporary folder, from three projects.
fn files(
    base: &Project,
    ours: &Project,
    theirs: &Project,
) -> TestResult<(tempfile::TempDir, [std::path::PathBuf; 3])> {
    let dir = tempfile::tempdir()?;
    let paths = [
        dir.path().join(".merge_file_base"),
        dir.path().join(".merge_file_ours"),
        dir.path().join(".merge_file_theirs"),
    ];
    for (path, project) in paths.iter().zip([base, ours, theirs]) {
        save(path, project)?;
    }
    Ok((dir, paths))
}

#[test]
fn a_clean_merge_is_written_into_ours_and_exits_0() -> TestResult {
    let base = parse(TEXT)?;
    let mut ours = base.clone();
    relabel(&mut ours, 0, "Quote")?;
    let mut theirs = base.clone();
    let edit = theirs.delete(SpanId(1))?;
    theirs.apply(&edit)?;
    let (dir, [b, o, t]) = files(&base, &ours, &theirs)?;
    let out = spanmark(&[&b, &o, &t, Path::new("corpus/a.ron")])?;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr,
        "spanmark merge: corpus/a.ron: 0 added by ours, 0 by theirs, 1 deleted, 1 changed; no conflicts\n"
    );
    let merged = read_project(&o)?;
    assert!(merged.warnings.is_empty());
    assert_eq!(
        render(&merged.project),
        "Putin [Quote:rejected] the offer and we will not give up said Zelensky today."
    );
    let mut names: Vec<String> = fs::read_dir(dir.path())?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [".merge_file_base", ".merge_file_ours", ".merge_file_theirs"],
        "no .bak or temporary file beside OURS"
    );
    Ok(())
}

#[test]
fn conflicts_exit_1_and_leave_a_file_that_check_accepts() -> TestResult {
    let base = parse(TEXT)?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    relabel(&mut ours, 0, "Quote")?;
    relabel(&mut theirs, 0, "Disclaimer")?;
    let (_dir, [b, o, t]) = files(&base, &ours, &theirs)?;
    let out = spanmark(&[&b, &o, &t])?;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("1 conflict (#1)"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    let check = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .arg("check")
        .arg(&o)
        .output()?;
    assert!(check.status.success(), "{}", text(&check.stderr));
    let raw = fs::read_to_string(&o)?;
    assert!(!raw.contains("<<<<<<<"), "{raw}");
    assert!(raw.contains("merge conflict #1 (ours)"), "{raw}");
    assert!(raw.contains("merge conflict #1 (theirs)"), "{raw}");
    Ok(())
}

#[test]
fn unreadable_inputs_exit_2_and_leave_ours_untouched() -> TestResult {
    let base = parse(TEXT)?;
    let (dir, [b, o, t]) = files(&base, &base, &base)?;
    let ours_bytes = fs::read(&o)?;
    let broken = dir.path().join("broken.ron");
    fs::write(&broken, "(format: 1, article: (text: \"cut")?;
    let missing = dir.path().join("missing.ron");
    for (args, what) in [
        ([&broken, &o, &t], "base version"),
        ([&b, &o, &missing], "theirs version"),
    ] {
        let out = spanmark(&args.map(std::path::PathBuf::as_path))?;
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("not merged, the file was left as it is") && stderr.contains(what),
            "{stderr}"
        );
        assert_eq!(fs::read(&o)?, ours_bytes, "OURS untouched");
    }
    // A broken OURS is left as it is too.
    let out = spanmark(&[&b, &broken, &t])?;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        fs::read_to_string(&broken)?,
        "(format: 1, article: (text: \"cut"
    );
    Ok(())
}

#[test]
fn different_texts_exit_2_and_leave_ours_untouched() -> TestResult {
    let base = parse(TEXT)?;
    let other = parse("Putin [Claim:rejected] the offer, and that was that.")?;
    let (_dir, [b, o, t]) = files(&base, &base, &other)?;
    let ours_bytes = fs::read(&o)?;
    let out = spanmark(&[&b, &o, &t])?;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("different texts"), "{stderr}");
    assert_eq!(fs::read(&o)?, ours_bytes);
    Ok(())
}
