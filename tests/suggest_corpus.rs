//! `spanmark suggest DIR --out DIR2` on a small corpus, run as a user runs it: every
//! document gets its suggestions, what was confirmed in one document is proposed in the
//! others, what was rejected anywhere is not, existing spans stay as they were, and a
//! broken project is reported while the others are written.

mod cmd;

use cmd::spanmark;
use std::error::Error;
use std::fs;
use std::path::Path;

use spanmark::format::safe_write::backup_path;
use spanmark::format::{read_project, write_project};
use spanmark::model::{Project, Status, notation};

type TestResult = Result<(), Box<dyn Error>>;

fn s(path: &Path) -> Result<&str, Box<dyn Error>> {
    path.to_str().ok_or_else(|| "temp path is not UTF-8".into())
}

/// Write `notation` as `rel.txt` and its project `rel.ron` (without a `.bak`).
fn document(root: &Path, rel: &str, notation: &str) -> Result<Project, Box<dyn Error>> {
    let project = notation::parse(notation)?;
    let ron = root.join(format!("{rel}.ron"));
    if let Some(parent) = ron.parent() {
        fs::create_dir_all(parent)?;
    }
    write_project(&ron, &project)?;
    fs::remove_file(backup_path(&ron)).ok();
    fs::write(root.join(format!("{rel}.txt")), project.article().text())?;
    Ok(project)
}

/// The texts of `project`'s spans with `status`, with their label names, in order.
fn texts(project: &Project, status: Status) -> Vec<(String, String)> {
    project
        .spans()
        .iter()
        .filter(|s| s.status == status)
        .map(|s| {
            (
                project.labels().name(s.label).to_owned(),
                project.span_text(s).to_owned(),
            )
        })
        .collect()
}

fn has(project: &Project, status: Status, label: &str, text: &str) -> bool {
    texts(project, status)
        .iter()
        .any(|(l, t)| l == label && t == text)
}

/// Three documents: `a` confirmed "Gazprom cut supplies" and rejected "record profits"
/// as a Claim; `desk/c` confirmed "record profits" and a Quote; `desk/b` is an article
/// never tagged that mentions both.
fn corpus(root: &Path) -> Result<Project, Box<dyn Error>> {
    document(
        root,
        "a",
        "[Claim:Gazprom cut supplies] on Monday. It spoke of [Claim-:record profits] then.",
    )?;
    let c = document(
        root,
        "desk/c",
        "Shareholders saw [Claim:record profits]. \"[Quote:We stay the course],\" the chair said. Gazprom cut supplies, too.",
    )?;
    fs::create_dir_all(root.join("desk"))?;
    fs::write(
        root.join("desk/b.txt"),
        "In March Gazprom cut supplies to Austria. Its rivals posted record profits. Gazprom cut supplies again.",
    )?;
    Ok(c)
}

#[test]
fn a_folder_learns_across_documents_and_never_proposes_what_was_rejected() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path().join("news");
    let c_before = corpus(&root)?;
    let a_bytes = fs::read(root.join("a.ron"))?;
    let out = dir.path().join("out");
    let o = spanmark(&["suggest", s(&root)?, "--out", s(&out)?])?;
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stderr.contains("suggest: 3/3 documents"), "{stderr}");
    assert!(stdout.contains("Claim "), "a count per label: {stdout}");
    assert!(stdout.contains("learned across documents"), "{stdout}");

    // The input folder is read, not written.
    assert_eq!(fs::read(root.join("a.ron"))?, a_bytes);
    assert!(!root.join("desk/b.ron").exists());

    // b, never tagged: both places of the text confirmed in a, nothing for the text
    // rejected in a (though c confirmed it).
    let b = read_project(&out.join("desk/b.ron"))?.project;
    let gazprom = texts(&b, Status::Suggested)
        .into_iter()
        .filter(|(l, t)| l == "Claim" && t == "Gazprom cut supplies")
        .count();
    assert_eq!(gazprom, 2, "{:?}", texts(&b, Status::Suggested));
    assert!(!has(&b, Status::Suggested, "Claim", "record profits"));

    // c: its spans as they were, plus the text confirmed in a.
    let c = read_project(&out.join("desk/c.ron"))?.project;
    for span in c_before.spans() {
        assert_eq!(c.spans().get(span.id), Some(span), "span kept as it was");
    }
    assert!(has(&c, Status::Suggested, "Claim", "Gazprom cut supplies"));

    // a: its rejected suggestion is not proposed again.
    let a = read_project(&out.join("a.ron"))?.project;
    assert!(has(&a, Status::Rejected, "Claim", "record profits"));
    assert!(!has(&a, Status::Suggested, "Claim", "record profits"));
    Ok(())
}

#[test]
fn in_place_keeps_a_backup_and_a_second_run_adds_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    corpus(root)?;
    let c_before = fs::read(root.join("desk/c.ron"))?;
    let o = spanmark(&["suggest", s(root)?, "--out", s(root)?])?;
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(
        root.join("desk/b.ron").exists(),
        "b's project is made beside it"
    );
    // c learned from a: written, its previous version kept.
    assert_ne!(fs::read(root.join("desk/c.ron"))?, c_before);
    assert_eq!(fs::read(backup_path(&root.join("desk/c.ron")))?, c_before);
    let b_first = fs::read(root.join("desk/b.ron"))?;

    let again = spanmark(&["suggest", s(root)?, "--out", s(root)?])?;
    assert_eq!(again.status.code(), Some(0), "{again:?}");
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains(": 0 suggestions added"), "{stdout}");
    assert_eq!(fs::read(root.join("desk/b.ron"))?, b_first);
    Ok(())
}

#[test]
fn a_broken_project_is_reported_and_the_others_are_written() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path().join("news");
    corpus(&root)?;
    fs::write(root.join("broken.txt"), "Gazprom cut supplies here too.")?;
    fs::write(root.join("broken.ron"), "(format: 1, this is not a project")?;
    let out = dir.path().join("out");
    let o = spanmark(&["suggest", s(&root)?, "--out", s(&out)?])?;
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains("broken"))
        .ok_or("the broken project is named")?;
    assert!(line.starts_with("spanmark: suggest: broken"), "{line}");
    assert!(!out.join("broken.ron").exists());
    assert_eq!(
        fs::read_to_string(root.join("broken.ron"))?,
        "(format: 1, this is not a project"
    );
    for rel in ["a.ron", "desk/b.ron", "desk/c.ron"] {
        read_project(&out.join(rel))?;
    }
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 document failed"));
    Ok(())
}
