//! The project file and article import, end to end: a save loads back as the same project,
//! a hand-written minimal file loads with defaults filled in, and every kind of bad input is
//! refused (or, for single spans, moved to orphans) with a message that says what is wrong.

mod common;

use std::error::Error;
use std::fs::{self, File};
use std::path::Path;

use spanmark::format::project_file::MAX_PROJECT_BYTES;
use spanmark::format::{
    ImportError, LoadError, MAX_ARTICLE_BYTES, import_article, project_from_ron, project_to_ron,
    read_project, write_project,
};
use spanmark::model::{CharRange, SpanId, Status};

type TestResult = Result<(), Box<dyn Error>>;

const MINIMAL: &str = r##"(
  format: 1,
  article: (text: "Putin rejected the offer. Trump left."),
  labels: [(name: "Claim", color: "#E8911E"), (name: "Quote", color: "#2e86de")],
  spans: [
    (start: 0, end: 24, label: "Claim"),
    (start: 6, end: 14, label: "Quote"),
  ],
)
"##;

/// A valid file with its `spans` list replaced by `spans`.
fn with_spans(spans: &str) -> String {
    MINIMAL.replace(
        "spans: [\n    (start: 0, end: 24, label: \"Claim\"),\n    (start: 6, end: 14, label: \"Quote\"),\n  ],",
        &format!("spans: [{spans}],"),
    )
}

#[test]
fn save_then_load_gives_back_an_equal_project() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("hard.ron");
    let project = common::hard_project();
    write_project(&path, &project)?;
    let loaded = read_project(&path)?;
    assert_eq!(loaded.warnings, Vec::<String>::new());
    assert_eq!(loaded.project, project);
    // A second save of the loaded project is byte-identical: the form is canonical.
    assert_eq!(project_to_ron(&loaded.project)?, fs::read_to_string(&path)?);
    Ok(())
}

#[test]
fn raw_string_terminators_in_text_and_notes_round_trip() -> TestResult {
    let project = common::hard_project();
    let ron = project_to_ron(&project)?;
    // The writer must have used raw strings with more hashes than the longest `"#…` run.
    assert!(
        ron.contains("r####\""),
        "expected a raw string with 4 hashes:\n{ron}"
    );
    let loaded = project_from_ron(&ron, Path::new("x.ron"))?;
    assert_eq!(loaded.project.article().text(), common::HARD_TEXT);
    let notes: Vec<_> = loaded
        .project
        .spans()
        .iter()
        .map(|s| s.note.clone())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n == "line one\nline two \"# r##\"x\"## \\n"),
        "{notes:?}"
    );
    let orphan = loaded
        .project
        .orphans()
        .iter()
        .find(|o| o.id == SpanId(100));
    assert_eq!(orphan.map(|o| o.note.as_str()), Some("note\r\nwith CRLF"));
    assert_eq!(loaded.project, project);
    Ok(())
}

#[test]
fn a_minimal_hand_written_file_loads_with_ids_text_and_status_filled_in() -> TestResult {
    let loaded = project_from_ron(MINIMAL, Path::new("/somewhere/minimal.ron"))?;
    assert_eq!(loaded.warnings, Vec::<String>::new());
    let p = &loaded.project;
    assert_eq!(
        p.article().name(),
        "minimal",
        "the name defaults to the file stem"
    );
    assert_eq!(p.article().source(), None);
    assert_eq!(p.labels().len(), 2);
    let spans: Vec<_> = p.spans().iter().collect();
    assert_eq!(spans.len(), 2);
    let texts: Vec<_> = spans.iter().map(|s| p.span_text(s)).collect();
    assert_eq!(texts, ["Putin rejected the offer", "rejected"]);
    let mut ids: Vec<_> = spans.iter().map(|s| s.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 2, "distinct ids were assigned");
    assert!(
        spans
            .iter()
            .all(|s| s.status == Status::Confirmed && s.note.is_empty())
    );
    assert!(p.orphans().is_empty());
    // Saving fills in every optional field, and that file loads back equal.
    let full = project_to_ron(p)?;
    for field in [
        "sha256:",
        "text:",
        "note:",
        "status: Confirmed",
        "id:",
        "key:",
    ] {
        assert!(full.contains(field), "{field} missing from\n{full}");
    }
    assert_eq!(
        project_from_ron(&full, Path::new("minimal.ron"))?.project,
        loaded.project
    );
    Ok(())
}

fn import_bytes(bytes: &[u8]) -> Result<spanmark::model::Article, ImportError> {
    let dir = tempfile::tempdir().map_err(|source| ImportError::Io {
        source,
        path: "tempdir".into(),
    })?;
    let path = dir.path().join("article.txt");
    fs::write(&path, bytes).map_err(|source| ImportError::Io {
        source,
        path: path.clone(),
    })?;
    import_article(&path)
}

#[test]
fn an_article_that_is_not_utf8_is_refused_naming_the_byte_offset() {
    let err = import_bytes(b"Zelensky said \xff\xfe hello").err();
    assert!(
        matches!(
            err,
            Some(ImportError::NotUtf8 {
                byte_offset: 14,
                ..
            })
        ),
        "{err:?}"
    );
    let msg = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.contains("offset 14") && msg.ends_with("article.txt"),
        "{msg}"
    );
}

#[test]
fn an_empty_or_blank_article_is_refused() {
    for bytes in [&b""[..], b"  \n\r\n\t", b"\xEF\xBB\xBF\n"] {
        let err = import_bytes(bytes).err();
        assert!(
            matches!(err, Some(ImportError::Empty { .. })),
            "{bytes:?}: {err:?}"
        );
    }
}

#[test]
fn a_binary_article_is_refused_naming_the_nul_byte() {
    let err = import_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").err();
    assert!(
        matches!(err, Some(ImportError::Binary { byte_offset: 8, .. })),
        "{err:?}"
    );
    assert!(
        err.map(|e| e.to_string())
            .unwrap_or_default()
            .contains("binary")
    );
}

#[test]
fn an_article_over_64_mib_is_refused_without_reading_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("huge.txt");
    // A sparse file: 64 MiB + 1 byte of size, no blocks written, so the test stays fast.
    File::create(&path)?.set_len(MAX_ARTICLE_BYTES + 1)?;
    let err = import_article(&path).err();
    assert!(
        matches!(err, Some(ImportError::TooLarge { size, limit: MAX_ARTICLE_BYTES, .. }) if size == MAX_ARTICLE_BYTES + 1),
        "{err:?}"
    );
    // Exactly at the limit is not "too large" (it is refused as binary: all NUL bytes).
    File::create(&path)?.set_len(MAX_ARTICLE_BYTES)?;
    assert!(matches!(
        import_article(&path),
        Err(ImportError::Binary { byte_offset: 0, .. })
    ));
    Ok(())
}

#[test]
fn a_project_syntax_error_names_line_and_column() {
    let broken = MINIMAL.replace("(name: \"Quote\"", "(name: \"Quote\" oops");
    let err = project_from_ron(&broken, Path::new("/p/broken.ron")).err();
    let Some(LoadError::Syntax { line, column, .. }) = &err else {
        panic!("expected a syntax error, got {err:?}");
    };
    assert_eq!((*line, *column), (4, 62), "{err:?}");
    let msg = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.contains("line 4, column 62") && msg.ends_with("/p/broken.ron"),
        "{msg}"
    );
}

#[test]
fn a_truncated_project_is_a_syntax_error_not_a_panic() {
    for cut in [1, 10, MINIMAL.len() / 2, MINIMAL.len() - 3] {
        let text = MINIMAL.get(..cut).unwrap_or_default();
        let err = project_from_ron(text, Path::new("t.ron")).err();
        assert!(
            matches!(err, Some(LoadError::Syntax { .. })),
            "cut at {cut}: {err:?}"
        );
    }
}

#[test]
fn a_newer_format_is_refused_with_a_message_saying_so() {
    // Format 2 with a shape this build does not know must still be recognised as "newer".
    for text in [
        MINIMAL.replace("format: 1", "format: 2"),
        "(format: 2, document: Something(new: true))".to_owned(),
    ] {
        let err = project_from_ron(&text, Path::new("new.ron")).err();
        assert!(
            matches!(
                err,
                Some(LoadError::NewerFormat {
                    found: 2,
                    supported: 1,
                    ..
                })
            ),
            "{err:?}"
        );
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("format 2") && msg.contains("newer spanmark"),
            "{msg}"
        );
    }
}

#[test]
fn a_label_colour_that_is_not_rrggbb_is_refused() {
    for bad in ["red", "#E8911", "#E8911EFF", "E8911E", "#GG911E"] {
        let text = MINIMAL.replace("#E8911E", bad);
        let err = project_from_ron(&text, Path::new("c.ron")).err();
        let msg = err.as_ref().map(ToString::to_string).unwrap_or_default();
        assert!(
            matches!(err, Some(LoadError::Invalid { .. })),
            "{bad}: {err:?}"
        );
        assert!(
            msg.contains(&format!("colour \"{bad}\"")) && msg.contains("#RRGGBB"),
            "{msg}"
        );
    }
}

#[test]
fn bad_spans_move_to_orphans_with_a_warning_naming_each() -> TestResult {
    let text = with_spans(concat!(
        "(id: 7, start: 0, end: 5, label: \"Claim\", text: \"Trump\", note: \"keep me\"),",
        "(start: 30, end: 99, label: \"Quote\"),",
        "(start: 6, end: 14, label: \"Opinion\"),",
        "(start: 15, end: 24, label: \"Claim\", text: \"the offer\"),",
    ));
    let loaded = project_from_ron(&text, Path::new("bad.ron"))?;
    let w = &loaded.warnings;
    assert_eq!(w.len(), 3, "{w:#?}");
    assert!(
        w[0].contains("span #1 (Claim 0..5)") && w[0].contains("does not match"),
        "{}",
        w[0]
    );
    assert!(
        w[1].contains("span #2 (Quote 30..99)") && w[1].contains("outside the article"),
        "{}",
        w[1]
    );
    assert!(
        w[2].contains("span #3 (Opinion 6..14)") && w[2].contains("\"Opinion\" is not defined"),
        "{}",
        w[2]
    );
    let p = &loaded.project;
    assert_eq!(p.spans().len(), 1, "the good span is kept");
    assert_eq!(p.orphans().len(), 3);
    let kept = p.orphans().iter().find(|o| o.id == SpanId(7));
    assert_eq!(
        kept.map(|o| (o.text.as_str(), o.note.as_str())),
        Some(("Trump", "keep me"))
    );
    assert_eq!(kept.map(|o| o.old_range), CharRange::new(0, 5));
    assert!(p.orphans().iter().all(|o| !o.reason.is_empty()));
    // The orphans survive a save: nothing the analyst wrote is lost.
    let again = project_from_ron(&project_to_ron(p)?, Path::new("bad.ron"))?;
    assert_eq!(again.warnings, Vec::<String>::new());
    assert_eq!(&again.project, p);
    Ok(())
}

#[test]
fn deeply_nested_ron_is_refused_without_a_stack_overflow() {
    // Unknown fields are skipped by recursing into them, which is where a naive parser
    // overflows; the recursion limit must stop it with an error.
    let depth = 200_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let text = MINIMAL.replace("format: 1,", &format!("format: 1, extra: {nested},"));
    let err = project_from_ron(&text, Path::new("deep.ron")).err();
    let msg = err.as_ref().map(ToString::to_string).unwrap_or_default();
    assert!(matches!(err, Some(LoadError::Syntax { .. })), "{err:?}");
    assert!(
        msg.contains("nested deeper") && msg.contains("recursion limit 128"),
        "{msg}"
    );
    // Nesting where a value is expected, too.
    let text = format!("({})", "(".repeat(depth));
    assert!(project_from_ron(&text, Path::new("deep.ron")).is_err());
}

#[test]
fn a_project_over_the_size_cap_is_refused_before_being_read() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("huge.ron");
    File::create(&path)?.set_len(MAX_PROJECT_BYTES + 1)?;
    let err = read_project(&path).err();
    assert!(
        matches!(err, Some(LoadError::TooLarge { size, .. }) if size == MAX_PROJECT_BYTES + 1),
        "{err:?}"
    );
    // That nothing is read first is pinned by a unit test of `read_capped_from` with a
    // reader that fails when touched.
    Ok(())
}

#[test]
fn a_project_that_is_not_utf8_or_missing_is_an_error() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("latin1.ron");
    fs::write(
        &path,
        MINIMAL
            .replace("Putin", "Put\u{ef}n")
            .replace('\u{ef}', "\u{0}"),
    )?;
    let mut bytes = fs::read(&path)?;
    for b in &mut bytes {
        if *b == 0 {
            *b = 0xEF;
        }
    }
    fs::write(&path, &bytes)?;
    let err = read_project(&path).err();
    assert!(
        matches!(&err, Some(LoadError::Invalid { problem, .. }) if problem.contains("not UTF-8")),
        "{err:?}"
    );
    let err = read_project(&dir.path().join("missing.ron")).err();
    assert!(matches!(err, Some(LoadError::Io { .. })), "{err:?}");
    Ok(())
}
