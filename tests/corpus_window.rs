//! A corpus in the window (issue 8), driven as an analyst would: open a folder of a few
//! documents, tag in one, move on (it is saved), filter the panel, search the corpus and
//! land on a span in another document, rename a label in every project, see the dashboard.

mod kit;

use std::path::Path;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kit::*;
use spanmark::app::SpanmarkApp;
use spanmark::format::{read_project, write_project};
use spanmark::model::{Article, LabelSet, Project, Span, SpanId, Status};

/// A corpus of three articles in two folders; `desk-2/c` already has a project with a
/// Quote on "unmistakable phrase".
fn corpus(dir: &Path) -> Result {
    std::fs::create_dir_all(dir.join("desk-1"))?;
    std::fs::create_dir_all(dir.join("desk-2"))?;
    std::fs::create_dir_all(dir.join(".hidden"))?;
    std::fs::write(
        dir.join("desk-1/a.txt"),
        "Putin rejected the offer.\nZelensky left.\n",
    )?;
    std::fs::write(dir.join("desk-1/b.txt"), "Markets fell 3% on Friday.\n")?;
    std::fs::write(dir.join(".hidden/x.txt"), "not an article\n")?;
    let text = "He called it an unmistakable phrase of defiance.\n";
    std::fs::write(dir.join("desk-2/c.txt"), text)?;
    let mut project = Project::new(Article::new("c", None, text), LabelSet::default());
    let quote = project.labels().by_name("Quote").ok_or("Quote")?;
    let claim = project.labels().by_name("Claim").ok_or("Claim")?;
    for (id, needle, label) in [(0, "unmistakable phrase", quote), (1, "defiance", claim)] {
        let at = text.find(needle).ok_or("needle")?;
        let start = project.article().char_of_byte(at);
        project.insert_span(Span {
            id: SpanId(id),
            range: spanmark::model::CharRange::at(start, needle.chars().count()),
            label,
            note: String::new(),
            status: Status::Confirmed,
        })?;
    }
    write_project(&dir.join("desk-2/c.ron"), &project)?;
    Ok(())
}

fn current_path(h: &Harness<'_, SpanmarkApp>) -> Option<String> {
    let state = h.state().corpus()?;
    let i = state.current?;
    state.corpus.docs.get(i).map(|d| d.path.clone())
}

fn rows(h: &Harness<'_, SpanmarkApp>) -> usize {
    h.query_all_by_label_contains(".txt (").count()
}

#[test]
fn open_a_folder_tag_switch_filter_search_and_rename_across_the_corpus() -> Result {
    let dir = tempfile::tempdir()?;
    let elsewhere = tempfile::tempdir()?;
    corpus(dir.path())?;
    let mut harness = opened(dir.path(), elsewhere.path())?;
    assert!(harness.state().has_corpus());
    assert_eq!(
        rows(&harness),
        3,
        "three articles; the hidden folder is skipped"
    );
    let first = current_path(&harness).ok_or("a document is open")?;
    assert_eq!(first, "desk-1/a.txt", "the first unfinished document opens");

    // Tag, then move on: the document left is saved beside its article.
    tag(&mut harness, "rejected the offer", Key::Num1)?;
    harness.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    settle(&mut harness);
    assert_eq!(current_path(&harness).as_deref(), Some("desk-1/b.txt"));
    let saved = read_project(&dir.path().join("desk-1/a.ron"))?.project;
    assert_eq!(saved.spans().len(), 1);
    // Back again: the undo history was kept for the session.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::PageUp);
    settle(&mut harness);
    assert_eq!(current_path(&harness).as_deref(), Some("desk-1/a.txt"));
    assert!(harness.state().document().history().can_undo());

    // The panel's filter.
    harness.get_by_label("Filter documents").focus();
    settle(&mut harness);
    harness.get_by_label("Filter documents").type_text("desk-2");
    settle(&mut harness);
    assert_eq!(rows(&harness), 1);

    // Search the corpus: a span in another document, opened there with it selected.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    settle(&mut harness);
    harness
        .get_by_label("Corpus query")
        .type_text("unmistakable");
    let start = Instant::now();
    while harness
        .state()
        .corpus()
        .is_none_or(|c| c.search.hits.is_empty())
    {
        if start.elapsed() > Duration::from_secs(30) {
            return Err("no search result".into());
        }
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert_eq!(current_path(&harness).as_deref(), Some("desk-2/c.txt"));
    let target = find(harness.state().document().project(), "unmistakable phrase")?;
    let selected = sel(&harness).ok_or("the match is selected")?;
    assert!(selected.overlaps(target), "{selected:?} vs {target:?}");

    // Rename Claim in the label editor: every project of the corpus follows.
    harness.get_by_label("Edit").click();
    settle(&mut harness);
    harness.get_by_label("Labels…").click();
    settle(&mut harness);
    harness.get_by_label("Name of Claim").focus();
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Name of Claim").type_text("Assertion");
    harness.key_press(Key::Tab);
    settle(&mut harness);
    harness.get_by_label("Close").click();
    settle(&mut harness);
    let start = Instant::now();
    loop {
        harness.step();
        let a = read_project(&dir.path().join("desk-1/a.ron"))?.project;
        if a.labels().by_name("Assertion").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(30) {
            return Err("the rename never reached desk-1/a.ron".into());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let a = read_project(&dir.path().join("desk-1/a.ron"))?.project;
    assert_eq!(
        a.spans().iter().next().map(|s| a.labels().name(s.label)),
        Some("Assertion")
    );
    assert!(
        harness
            .state()
            .document()
            .project()
            .labels()
            .by_name("Assertion")
            .is_some()
    );
    // The corpus's shared scheme (corpus.ron) follows too, for documents not yet annotated.
    let scheme = spanmark::format::corpus::read_config(dir.path());
    assert!(scheme.exists, "corpus.ron was written");
    assert!(scheme.config.labels.by_name("Assertion").is_some());
    assert!(scheme.config.labels.by_name("Claim").is_none());
    Ok(())
}

#[test]
fn the_dashboard_shows_progress_and_opens_a_document() -> Result {
    let dir = tempfile::tempdir()?;
    let elsewhere = tempfile::tempdir()?;
    corpus(dir.path())?;
    let mut harness = opened(dir.path(), elsewhere.path())?;
    harness
        .state_mut()
        .send(spanmark::ui::command::Command::ShowDashboard);
    settle(&mut harness);
    harness.get_by_label("0 of 3 documents done");
    // The most annotated document is the one with two spans.
    // Named in both lists of a three-document corpus: the most annotated one.
    harness
        .query_all_by_label("desk-2/c.txt (2)")
        .next()
        .ok_or("c is listed")?
        .click();
    settle(&mut harness);
    assert_eq!(current_path(&harness).as_deref(), Some("desk-2/c.txt"));
    // Marking it done shows in the panel once saved.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::D);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut harness);
    let c = read_project(&dir.path().join("desk-2/c.ron"))?.project;
    assert!(c.is_done());
    harness.get_by_label("1 of 3 done");
    Ok(())
}

#[test]
fn a_project_changed_by_another_program_shows_and_reloads() -> Result {
    let dir = tempfile::tempdir()?;
    let elsewhere = tempfile::tempdir()?;
    corpus(dir.path())?;
    let mut harness = opened(dir.path(), elsewhere.path())?;
    // Open c (two spans), then a colleague's `git pull` brings a third.
    let c = harness
        .state()
        .corpus()
        .and_then(|s| s.corpus.position("desk-2/c.txt"))
        .ok_or("c is in the corpus")?;
    harness
        .state_mut()
        .send(spanmark::ui::command::Command::OpenDoc(c));
    settle(&mut harness);
    assert_eq!(harness.state().document().project().spans().len(), 2);
    let path = dir.path().join("desk-2/c.ron");
    let mut project = read_project(&path)?.project;
    let claim = project.labels().by_name("Claim").ok_or("Claim")?;
    let range = find(&project, "called")?;
    project.insert_span(Span {
        id: SpanId(2),
        range,
        label: claim,
        note: String::new(),
        status: Status::Confirmed,
    })?;
    write_project(&path, &project)?;
    let start = Instant::now();
    while harness.state().document().project().spans().len() != 3 {
        if start.elapsed() > Duration::from_secs(30) {
            return Err("the change on disk never showed".into());
        }
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    settle(&mut harness);
    assert!(!harness.state().is_dirty(), "reloaded, not edited");
    Ok(())
}

#[test]
fn a_folder_with_no_articles_opens_with_an_explanation() -> Result {
    let dir = tempfile::tempdir()?;
    let elsewhere = tempfile::tempdir()?;
    std::fs::write(dir.path().join("notes.md"), "nothing here")?;
    let harness = opened(dir.path(), elsewhere.path())?;
    let said = harness
        .state()
        .messages()
        .iter()
        .any(|m| m.text.contains("No articles here"));
    assert!(said, "{:?}", harness.state().messages());
    Ok(())
}

/// Saving on switch replaced a project another program had changed meanwhile, without the
/// "changed on disk" question every other save asks.
#[test]
fn switching_away_from_a_project_changed_on_disk_asks_before_replacing_it() -> Result {
    let dir = tempfile::tempdir()?;
    let elsewhere = tempfile::tempdir()?;
    corpus(dir.path())?;
    let mut harness = opened(dir.path(), elsewhere.path())?;
    let c = harness
        .state()
        .corpus()
        .and_then(|s| s.corpus.position("desk-2/c.txt"))
        .ok_or("c is in the corpus")?;
    harness
        .state_mut()
        .send(spanmark::ui::command::Command::OpenDoc(c));
    settle(&mut harness);
    tag(&mut harness, "called", Key::Num1)?;
    assert!(harness.state().is_dirty());
    let theirs = rewrite_behind_our_back(&dir.path().join("desk-2/c.ron"))?;
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    settle(&mut harness);
    assert!(
        harness.state().modal_open(),
        "the conflict question is asked"
    );
    assert_eq!(current_path(&harness).as_deref(), Some("desk-2/c.txt"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("desk-2/c.ron"))?,
        theirs,
        "their version is still on disk"
    );
    Ok(())
}
