//! `spanmark agree`, run as an analyst would: two projects of one article, three of them,
//! and two corpus folders compared document by document. The measures themselves are
//! checked against independently computed references in `src/model/agreement`.

use std::path::Path;
use std::process::{Command, Output};

use spanmark::format::write_project;
use spanmark::model::notation::parse;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn agree(args: &[&Path], json: bool) -> Result<Output> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_spanmark"));
    cmd.arg("agree").args(args);
    if json {
        cmd.arg("--json");
    }
    Ok(cmd.output()?)
}

fn save(path: &Path, notation: &str) -> Result {
    write_project(path, &parse(notation)?)?;
    Ok(())
}

#[test]
fn identical_projects_agree_perfectly_and_json_has_every_measure() -> Result {
    let dir = tempfile::tempdir()?;
    let (a, b) = (dir.path().join("a.ron"), dir.path().join("b.ron"));
    let text = "Putin [Claim:rejected the offer]; he said [Quote:no deal today].";
    save(&a, text)?;
    save(&b, text)?;
    let out = agree(&[&a, &b], true)?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    for measure in ["strict_f1", "overlap_f1", "kappa", "alpha"] {
        assert_eq!(v["overall"][measure], 1.0, "{measure}: {v}");
        assert_eq!(v["labels"]["Claim"][measure], 1.0, "{measure}: {v}");
    }
    // A label neither analyst used has no F1 (undefined, not 0).
    assert!(v["labels"]["Disclaimer"]["strict_f1"].is_null(), "{v}");
    Ok(())
}

#[test]
fn a_moved_boundary_counts_for_overlap_but_not_strict_and_three_get_fleiss() -> Result {
    let dir = tempfile::tempdir()?;
    let (a, b, c) = (
        dir.path().join("a.ron"),
        dir.path().join("b.ron"),
        dir.path().join("c.ron"),
    );
    save(&a, "Putin [Claim:rejected the offer] flatly.")?;
    save(&b, "Putin [Claim:rejected the] offer flatly.")?;
    save(&c, "Putin rejected the offer flatly.")?;
    let out = agree(&[&a, &b], true)?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(v["overall"]["strict_f1"], 0.0);
    assert_eq!(v["overall"]["overlap_f1"], 1.0);
    let kappa = v["overall"]["kappa"].as_f64().ok_or("kappa")?;
    assert!(kappa > 0.5 && kappa < 1.0, "{kappa}");

    let out = agree(&[&a, &b, &c], false)?;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        text.contains("fleiss_kappa") && text.matches(" vs ").count() == 3,
        "{text}"
    );
    Ok(())
}

#[test]
fn corpus_folders_are_compared_document_by_document() -> Result {
    let dir = tempfile::tempdir()?;
    for analyst in ["ana", "ben"] {
        std::fs::create_dir_all(dir.path().join(analyst).join("desk"))?;
    }
    save(&dir.path().join("ana/desk/one.ron"), "[Claim:a b] c")?;
    save(&dir.path().join("ben/desk/one.ron"), "[Claim:a b] c")?;
    save(&dir.path().join("ana/two.ron"), "x [Quote:y z]")?;
    save(&dir.path().join("ben/two.ron"), "[Quote:x y] z")?;
    let out = agree(&[&dir.path().join("ana"), &dir.path().join("ben")], false)?;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("2 document(s)"), "{text}");
    assert!(
        text.contains("desk/one.ron") && text.contains("two.ron"),
        "{text}"
    );
    Ok(())
}

#[test]
fn one_input_or_different_articles_is_an_error() -> Result {
    let dir = tempfile::tempdir()?;
    let (a, b) = (dir.path().join("a.ron"), dir.path().join("b.ron"));
    save(&a, "[Claim:short]")?;
    save(&b, "[Claim:a longer article]")?;
    let out = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(["agree"])
        .arg(&a)
        .output()?;
    assert!(!out.status.success());
    let out = agree(&[&a, &b], false)?;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot be compared"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}
