//! File → Export… and File → Import… in the window, driven as a user would: the menus, the
//! format's radio button, the folder typed into the field, Enter; the export carries the
//! open document's unsaved changes, the import opens what it wrote, and a bad path is
//! reported in the dialog with everything typed still there.

mod kit;

use std::path::Path;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use kit::{Result, harness, tag};
use spanmark::app::SpanmarkApp;

/// Run frames until the dialog's background work is done and it has closed (or `limit`).
fn until_closed(harness: &mut Harness<'_, SpanmarkApp>) -> Result {
    let start = Instant::now();
    while harness.state().modal_open() {
        if start.elapsed() > Duration::from_mins(1) {
            let shown = format!("{:?}", harness.root());
            return Err(format!("the dialog did not close: {shown:?}").into());
        }
        let _ = harness.try_run();
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run();
    Ok(())
}

/// Replace the text of the field called `label` with `text`.
fn fill(harness: &mut Harness<'_, SpanmarkApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

fn menu(harness: &mut Harness<'_, SpanmarkApp>, item: &str) {
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label(item).click();
    harness.run();
}

fn messages(harness: &Harness<'_, SpanmarkApp>) -> String {
    harness
        .state()
        .messages()
        .iter()
        .map(|m| format!("{} | {}", m.text, m.details.join(" | ")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn export_writes_the_unsaved_document_and_import_opens_it_again() -> Result {
    let dir = tempfile::tempdir()?;
    let article = dir.path().join("note.txt");
    std::fs::write(
        &article,
        "The minister said the budget rose by 4% in 2025.\n\nOfficials confirmed it on Monday.\n",
    )?;
    let mut harness = harness(&article, dir.path());
    tag(&mut harness, "the budget rose by 4% in 2025", Key::Num1)?;
    assert!(harness.state().is_dirty(), "tagged, not saved");

    // Export as doccano into a folder typed by hand.
    menu(&mut harness, "Export…");
    harness.get_by_label("doccano JSONL — NAME.jsonl").click();
    harness.run();
    let out = dir.path().join("exported");
    fill(&mut harness, "Export folder", &out.to_string_lossy());
    harness.key_press(Key::Enter);
    until_closed(&mut harness)?;
    let jsonl = std::fs::read_to_string(out.join("note.jsonl"))?;
    let line: serde_json::Value = serde_json::from_str(jsonl.trim())?;
    assert_eq!(
        line["label"],
        serde_json::json!([[18, 47, "Claim"]]),
        "the unsaved span, in UTF-16 units: {jsonl}"
    );
    let said = messages(&harness);
    assert!(
        said.contains("Exported 1 document as doccano JSONL"),
        "{said}"
    );

    // Import it back into a project: the window opens it with the span (after the
    // document is saved, else it would first ask about the unsaved changes).
    kit::save_via_prompt(&mut harness);
    assert!(!harness.state().is_dirty());
    menu(&mut harness, "Import…");
    assert!(
        harness.get_by_label("Import from").is_focused(),
        "typing goes to the source field at once"
    );
    // First a path that is not there: the dialog says so and keeps the fields.
    fill(
        &mut harness,
        "Import from",
        &dir.path().join("missing.jsonl").to_string_lossy(),
    );
    let project = dir.path().join("back.ron");
    fill(&mut harness, "Import into", &project.to_string_lossy());
    harness.get_by_label("Import").click();
    harness.run();
    assert!(harness.state().modal_open());
    assert!(
        harness
            .query_by_label_contains("There is no file or folder at")
            .is_some(),
        "the dialog names the problem"
    );
    for (field, typed) in [
        ("Import from", dir.path().join("missing.jsonl")),
        ("Import into", project.clone()),
    ] {
        assert_eq!(
            harness.get_by_label(field).value().unwrap_or_default(),
            typed.to_string_lossy(),
            "what was typed into {field} is still there"
        );
    }
    fill(
        &mut harness,
        "Import from",
        &out.join("note.jsonl").to_string_lossy(),
    );
    assert_eq!(
        harness
            .get_by_label("Import into")
            .value()
            .unwrap_or_default(),
        project.to_string_lossy(),
        "a folder typed by hand is kept when the source changes"
    );
    harness.key_press(Key::Enter);
    until_closed(&mut harness)?;
    let waited = Instant::now();
    while harness.state().document().path.as_deref() != Some(project.as_path()) {
        if waited.elapsed() > Duration::from_secs(30) {
            return Err(
                format!("the imported project did not open; {}", messages(&harness)).into(),
            );
        }
        let _ = harness.try_run();
        std::thread::sleep(Duration::from_millis(10));
    }
    let spans = kit::span_texts(harness.state());
    assert_eq!(spans.len(), 1, "{spans:?}");
    assert_eq!(spans[0].3, "the budget rose by 4% in 2025");
    assert!(Path::new(&project).is_file());
    Ok(())
}

#[test]
fn a_corpus_export_into_the_corpus_is_refused_and_outside_it_carries_unsaved_work() -> Result {
    let dir = tempfile::tempdir()?;
    let root = dir.path().join("desk");
    std::fs::create_dir_all(&root)?;
    std::fs::write(root.join("a.txt"), "A short article with a claim of 5%.\n")?;
    let elsewhere = tempfile::tempdir()?;
    let mut harness = kit::opened(&root, elsewhere.path())?;
    menu(&mut harness, "Export…");
    fill(
        &mut harness,
        "Export folder",
        &root.join("out").to_string_lossy(),
    );
    harness.get_by_label("Export").click();
    let _ = harness.try_run();
    assert!(harness.state().modal_open(), "the dialog stays open");
    assert!(
        harness
            .query_by_label_contains("inside the corpus")
            .is_some(),
        "the dialog says why"
    );
    assert!(!root.join("out").exists(), "nothing was written");

    // Outside the corpus, as CSV: the open document's unsaved span is in the collection.
    harness.key_press(Key::Escape);
    let _ = harness.try_run();
    tag(&mut harness, "a claim of 5%", Key::Num1)?;
    menu(&mut harness, "Export…");
    harness.get_by_label("CSV — NAME.csv").click();
    let _ = harness.try_run();
    let out = dir.path().join("desk-csv");
    fill(&mut harness, "Export folder", &out.to_string_lossy());
    harness.key_press(Key::Enter);
    until_closed(&mut harness)?;
    let csv = std::fs::read_to_string(out.join("desk.csv"))?;
    assert!(csv.contains("a,0,Claim,21,34,a claim of 5%"), "{csv}");
    Ok(())
}
