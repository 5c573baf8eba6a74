//! Edit → "Suggest spans in every document" with a corpus open, driven as an analyst
//! would: the other documents' projects are written on disk with what was learned across
//! documents, the documents panel shows their suggestions, the open document gets its own
//! as one undoable step, or is skipped when it has unsaved changes.

mod kit;

use std::path::Path;
use std::time::{Duration, Instant};

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kit::*;
use spanmark::app::SpanmarkApp;
use spanmark::format::safe_write::backup_path;
use spanmark::format::{read_project, write_project};
use spanmark::model::{Project, Status, notation};

/// `desk/a` (done) confirmed "Gazprom cut supplies" as a Claim; `desk/b` is an article never
/// tagged (the first unfinished document, so it opens); `desk/c` has a project with a Quote.
fn corpus(dir: &Path) -> Result {
    std::fs::create_dir_all(dir.join("desk"))?;
    let write = |rel: &str, text: &str, done: bool| -> Result {
        let mut project = notation::parse(text)?;
        project.set_done(done);
        let ron = dir.join(format!("{rel}.ron"));
        write_project(&ron, &project)?;
        std::fs::remove_file(backup_path(&ron)).ok();
        std::fs::write(dir.join(format!("{rel}.txt")), project.article().text())?;
        Ok(())
    };
    write("desk/a", "[Claim:Gazprom cut supplies] on Monday.", true)?;
    std::fs::write(
        dir.join("desk/b.txt"),
        "Later Gazprom cut supplies to Austria. Gazprom cut supplies again in May.\n",
    )?;
    write(
        "desk/c",
        "\"[Quote:We stay the course],\" it said. Gazprom cut supplies again.",
        false,
    )?;
    Ok(())
}

/// Click Edit → Suggest spans in every document, and wait for the run to end.
fn run_from_menu(harness: &mut Harness<'_, SpanmarkApp>) -> Result {
    harness.get_by_label("Edit").click();
    settle(harness);
    harness
        .get_by_label("Suggest spans in every document")
        .click();
    harness.step();
    let start = Instant::now();
    while harness.state().corpus_suggest().is_some() {
        if start.elapsed() > Duration::from_mins(1) {
            return Err("the run never ended".into());
        }
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    settle(harness);
    Ok(())
}

fn suggested_texts(project: &Project) -> Vec<String> {
    project
        .spans()
        .iter()
        .filter(|s| s.status == Status::Suggested)
        .map(|s| project.span_text(s).to_owned())
        .collect()
}

fn current_path(h: &Harness<'_, SpanmarkApp>) -> Option<String> {
    let state = h.state().corpus()?;
    let i = state.current?;
    state.corpus.docs.get(i).map(|d| d.path.clone())
}

#[test]
fn suggesting_in_every_document_writes_the_others_and_is_one_undo_step_here() -> Result {
    let dir = tempfile::tempdir()?;
    let elsewhere = tempfile::tempdir()?;
    corpus(dir.path())?;
    let mut harness = opened(dir.path(), elsewhere.path())?;
    assert_eq!(current_path(&harness).as_deref(), Some("desk/b.txt"));
    assert_eq!(
        harness.query_all_by_label_contains("suggested)").count(),
        0,
        "no suggestions in the panel yet"
    );
    run_from_menu(&mut harness)?;

    // c, not open: written on disk with the text confirmed in a, its Quote as it was.
    let c = read_project(&dir.path().join("desk/c.ron"))?.project;
    assert!(
        suggested_texts(&c).contains(&"Gazprom cut supplies".to_owned()),
        "{:?}",
        suggested_texts(&c)
    );
    assert_eq!(
        c.spans()
            .iter()
            .filter(|s| s.status == Status::Confirmed)
            .count(),
        1
    );
    // The panel counts them.
    harness.get_by_label_contains("desk/c.txt (in progress, ");

    // b, open: its suggestions in the window, not on disk, and one Ctrl+Z takes them back.
    assert!(!dir.path().join("desk/b.ron").exists());
    let here = suggested_texts(harness.state().document().project());
    assert!(
        here.iter().filter(|t| *t == "Gazprom cut supplies").count() >= 2,
        "both places, so that one undo step is a real claim: {here:?}"
    );
    harness.get_by_label_contains("the open document got");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert!(suggested_texts(harness.state().document().project()).is_empty());
    assert!(
        !harness.state().document().history().can_undo(),
        "the run was the only step"
    );
    Ok(())
}

#[test]
fn the_open_document_with_unsaved_changes_is_skipped_and_says_so() -> Result {
    let dir = tempfile::tempdir()?;
    let elsewhere = tempfile::tempdir()?;
    corpus(dir.path())?;
    let mut harness = opened(dir.path(), elsewhere.path())?;
    tag(&mut harness, "Austria", Key::Num1)?;
    assert!(harness.state().is_dirty());
    run_from_menu(&mut harness)?;
    harness.get_by_label_contains("skipped because it has unsaved changes");
    assert!(suggested_texts(harness.state().document().project()).is_empty());
    assert!(
        !dir.path().join("desk/b.ron").exists(),
        "not written either"
    );
    let c = read_project(&dir.path().join("desk/c.ron"))?.project;
    assert!(suggested_texts(&c).contains(&"Gazprom cut supplies".to_owned()));
    Ok(())
}

#[test]
fn the_progress_bar_counts_documents_and_cancel_leaves_the_rest_as_they_were() -> Result {
    let dir = tempfile::tempdir()?;
    let elsewhere = tempfile::tempdir()?;
    corpus(dir.path())?;
    // Enough text that the run lasts many frames, even in a release build.
    let sentence = "On 3 May the council voted 9-4 to cut the budget by 12%, the mayor said. ";
    let many = 400;
    for i in 0..many {
        std::fs::write(
            dir.path().join(format!("desk/m{i:03}.txt")),
            sentence.repeat(60),
        )?;
    }
    let mut harness = opened(dir.path(), elsewhere.path())?;
    harness.get_by_label("Edit").click();
    settle(&mut harness);
    harness
        .get_by_label("Suggest spans in every document")
        .click();
    harness.step();
    harness.step();
    let total = many + 3;
    harness.get_by_label_contains(&format!("/ {total} documents"));
    harness.get_by_label("Cancel suggestions").click();
    let start = Instant::now();
    while harness.state().corpus_suggest().is_some() {
        if start.elapsed() > Duration::from_mins(1) {
            return Err("the run never ended".into());
        }
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    settle(&mut harness);
    harness.get_by_label_contains("Cancelled: suggestions so far:");
    let written = (0..many)
        .filter(|i| dir.path().join(format!("desk/m{i:03}.ron")).exists())
        .count();
    assert!(written < many, "{written} of {many} written after Cancel");
    Ok(())
}
