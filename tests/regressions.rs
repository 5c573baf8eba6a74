//! Regression tests, each named after a bug found by review and fixed: they drive the real
//! app headlessly with `egui_kittest`, as the person who met the bug did.

mod kit;

use egui::{Key, Modifiers, vec2};
use egui_kittest::kittest::Queryable;
use kit::*;
use std::path::Path;

/// R1: double-clicking the right half of a word's last letter selects the char after the
/// word (a space), not the word.
#[test]
fn double_click_on_right_half_of_last_letter_selects_the_word() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    let word = find(harness.state().document().project(), "Zelensky")?;
    let app = harness.state();
    let p = &app.document().project();
    let last = app.view().char_rect(p, word.end() - 1).ok_or("x")?;
    let after = app.view().char_rect(p, word.end()).ok_or("x")?;
    // 1 px left of the right edge of the 'y'.
    let pos = egui::pos2(after.min.x - 1.0, last.center().y);
    double_click_at(&mut harness, pos);
    let got = sel(&harness);
    let text = got.and_then(|r| {
        harness
            .state()
            .document()
            .project()
            .article()
            .slice(r)
            .map(str::to_owned)
    });
    assert_eq!(text.as_deref(), Some("Zelensky"), "selection {got:?}");
    Ok(())
}

/// R2: "Don't save" followed by cancelling the open dialog marks the still-open, still
/// modified document as saved (and deletes its recovery file): Ctrl+Q then quits silently.
#[test]
fn dont_save_then_cancel_open_keeps_the_unsaved_marker() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    assert!(harness.state().is_dirty());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    harness.get_by_label("Don't save").click();
    harness.run();
    harness.get_by_label("File path");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("File path").is_none());
    assert_eq!(
        harness.state().document().project().spans().len(),
        1,
        "the tag is still there"
    );
    assert!(
        harness.state().is_dirty(),
        "the tag is not saved anywhere, yet the document shows as saved"
    );
    Ok(())
}

/// R3: in a choice dialog, Tab to "Cancel" and press Enter: Enter always picks the first
/// button (here: Overwrite the other program's file).
#[test]
fn enter_on_focused_cancel_in_conflict_dialog_does_not_overwrite() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    save_via_prompt(&mut harness);
    let path = dir.path().join("short-article.ron");
    let theirs = rewrite_behind_our_back(&path)?;
    tag(&mut harness, "Zelensky", Key::Num2)?;
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    harness.get_by_label("File changed on disk");
    harness.get_by_label("Cancel").focus();
    harness.run();
    assert!(harness.get_by_label("Cancel").is_focused());
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        std::fs::read_to_string(&path)?,
        theirs,
        "Enter on the focused Cancel button overwrote their file"
    );
    Ok(())
}

/// R4: the app's own Save prompt silently replaces an existing project file.
#[test]
fn save_prompt_does_not_silently_replace_an_existing_project() -> Result {
    let dir = tempfile::tempdir()?;
    {
        let mut first = harness(&fixture("short-article.txt"), dir.path());
        tag(&mut first, "Putin", Key::Num1)?;
        tag(&mut first, "Zelensky", Key::Num2)?;
        save_via_prompt(&mut first);
    }
    let path = dir.path().join("short-article.ron");
    let spans_in = |p: &Path| -> Result<usize> {
        Ok(spanmark::format::read_project(p)?.project.spans().len())
    };
    assert_eq!(spans_in(&path)?, 2);

    // Next day: the same article is opened again (as an article) and one tag made. The
    // first save proposes a name that is not taken yet.
    let mut second = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut second, "rejected the offer", Key::Num3)?;
    save_via_prompt(&mut second);
    assert_eq!(spans_in(&dir.path().join("short-article-2.ron"))?, 1);
    assert_eq!(spans_in(&path)?, 2, "yesterday's project is untouched");

    // Typing yesterday's name on purpose: the first Enter only warns, the second replaces
    // (keeping yesterday's version as .bak).
    second.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    second.run();
    second.get_by_label("File path").focus();
    second.key_press_modifiers(Modifiers::COMMAND, Key::A);
    second
        .get_by_label("File path")
        .type_text(&path.to_string_lossy());
    second.run();
    second.key_press(Key::Enter);
    second.run();
    assert!(second.query_by_label_contains("already exists").is_some());
    assert_eq!(
        spans_in(&path)?,
        2,
        "one Enter does not replace an existing file"
    );
    second.get_by_label("File path").focus();
    second.key_press(Key::Enter);
    second.run();
    assert_eq!(spans_in(&path)?, 1);
    let mut bak = path.clone().into_os_string();
    bak.push(".bak");
    assert_eq!(spans_in(Path::new(&bak))?, 2);
    Ok(())
}

/// R5: click at one end, Shift+click at the other: the usual way to select a long passage.
#[test]
fn click_then_shift_click_selects_the_range() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    let target = find(harness.state().document().project(), "rejected the offer")?;
    let a = point_at(&harness, target.start(), false)?;
    let b = point_at(&harness, target.end(), true)?;
    click_at(&mut harness, a, Modifiers::NONE);
    harness.run();
    click_at(&mut harness, b + vec2(0.0, 0.0), Modifiers::SHIFT);
    harness.run();
    assert_eq!(sel(&harness), Some(target));
    Ok(())
}

/// R6: Esc to leave the search box also deselects the span being reviewed.
#[test]
fn escape_in_search_box_keeps_the_selected_span() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    let selected = harness.state().selected();
    assert!(selected.is_some());
    harness.get_by_label("Search spans").click();
    harness.run();
    harness.get_by_label("Search spans").type_text("pu");
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(
        harness.state().selected(),
        selected,
        "Esc in the search box cleared the selected span"
    );
    Ok(())
}

/// R7: Ctrl+Z while typing in the search box undoes the last tag, not the typing.
#[test]
fn ctrl_z_in_search_box_does_not_delete_a_tag() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    harness.get_by_label("Search spans").click();
    harness.run();
    harness.get_by_label("Search spans").type_text("zz");
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        harness.state().document().project().spans().len(),
        1,
        "Ctrl+Z in the search box removed the tag"
    );
    Ok(())
}

/// R8: review, delete, next: after Del, `n` jumps back to the first span of the article.
#[test]
fn next_after_delete_continues_from_the_deleted_span() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    for (needle, key) in [
        ("Putin", Key::Num1),
        ("rejected the offer", Key::Num2),
        ("Zelensky", Key::Num3),
    ] {
        tag(&mut harness, needle, key)?;
    }
    let project = &harness.state().document().project();
    let texts: Vec<String> = project
        .spans()
        .iter()
        .map(|s| project.span_text(s).to_owned())
        .collect();
    // Select the middle one, delete it, press n.
    let mid = project.spans().at(1).map(|s| s.id);
    let want = project
        .spans()
        .at(2)
        .map(|s| project.span_text(s).to_owned());
    harness
        .state_mut()
        .send(spanmark::ui::command::Command::SelectSpan {
            id: mid,
            scroll: false,
        });
    harness.run();
    harness.key_press(Key::Delete);
    harness.run();
    harness.key_press(Key::N);
    harness.run();
    let app = harness.state();
    let got = app
        .selected()
        .and_then(|id| app.document().project().spans().get(id))
        .map(|s| app.document().project().span_text(s).to_owned());
    assert_eq!(got, want, "spans were {texts:?}");
    Ok(())
}

/// R9: "Not now keeps it for the next start" — but the first edit in the same document
/// autosaves over that very recovery file, destroying the crashed session's work.
#[test]
fn not_now_keeps_the_recovery_file_for_the_next_start() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "rejected the offer", Key::Num1)?;
    tag(&mut harness, "we will not surrender", Key::Num2)?;
    let lost_session = span_texts(harness.state());
    wait_for_autosave(&mut harness);
    drop(harness); // crash

    let mut restarted = kit::harness(&fixture("short-article.txt"), dir.path());
    restarted.get_by_label("Not now").click();
    restarted.run();
    tag(&mut restarted, "Putin", Key::Num3)?;
    wait_for_autosave(&mut restarted);
    drop(restarted); // quit/crash again

    let third = kit::harness(&fixture("short-article.txt"), dir.path());
    let mut third = third;
    third.get_by_label("Restore unsaved work?");
    third.key_press(Key::Enter);
    third.run();
    let restored = span_texts(third.state());
    for s in &lost_session {
        assert!(
            restored.contains(s),
            "the crashed session's {s:?} is gone; recovery now holds {restored:?}"
        );
    }
    Ok(())
}

/// R10: Ctrl+Z while writing a note wipes the whole note (all typing on that span's note is
/// one coalesced step and the global shortcut is consumed before the `TextEdit` sees it).
#[test]
fn ctrl_z_in_the_note_editor_does_not_wipe_the_whole_note() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    harness
        .get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Note")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Note")
        .type_text("Checked against the Kremlin transcript.");
    harness.run();
    for _ in 0..120 {
        harness.step();
    }
    harness
        .get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Note")
        .type_text(" Typo");
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let app = harness.state();
    let note = app
        .selected()
        .and_then(|id| app.document().project().spans().get(id))
        .map(|s| s.note.clone());
    // Ctrl+Z undid the last typing in the field, and only that.
    assert_eq!(
        note.as_deref(),
        Some("Checked against the Kremlin transcript."),
        "after one Ctrl+Z"
    );
    Ok(())
}

/// R11: type a query, press Enter (the search box gives up focus), press Backspace to fix
/// the query: the selected span is deleted instead.
#[test]
fn backspace_after_enter_in_search_box_does_not_delete_a_span() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    harness.get_by_label("Search spans").click();
    harness.run();
    harness.get_by_label("Search spans").type_text("putx");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.key_press(Key::Backspace);
    harness.run();
    assert_eq!(
        harness.state().document().project().spans().len(),
        1,
        "Backspace deleted the span"
    );
    Ok(())
}

/// R12: a span id of `u64::MAX` in a project file overflows `id + 1` (panic in debug builds,
/// silent wrap in release).
#[test]
fn max_span_id_in_a_file_does_not_panic() -> Result {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("max.ron");
    std::fs::write(
        &path,
        r##"(format: 1, article: (text: "Putin rejected it."), labels: [(name: "Claim", color: "#E8911E", key: "1")], spans: [(id: 18446744073709551615, start: 0, end: 5, label: "Claim")])"##,
    )?;
    let loaded = std::panic::catch_unwind(|| {
        spanmark::format::read_project(&path).map(|l| l.project.spans().len())
    });
    assert!(matches!(loaded, Ok(Ok(1))), "{loaded:?}");
    Ok(())
}

/// R13: undo back to the saved state, quit (no question: it is clean): the stale recovery
/// file stays and the next start offers to "restore" the undone tag (Enter = Restore).
#[test]
fn undo_to_clean_then_quit_leaves_no_recovery_offer() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    wait_for_autosave(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(!harness.state().is_dirty());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none());
    drop(harness);
    let restarted = kit::harness(&fixture("short-article.txt"), dir.path());
    assert!(
        restarted.query_by_label("Restore unsaved work?").is_none(),
        "offers to restore a tag the user undid"
    );
    Ok(())
}

/// R14: dragging the article's scroll bar selects text instead of scrolling (the article's
/// click-and-drag interaction is registered over the whole clip rect, after and on top of
/// the scroll bar).
#[test]
fn dragging_the_scroll_bar_scrolls_and_selects_nothing() -> Result {
    let dir = tempfile::tempdir()?;
    let article = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample-article.txt");
    let mut harness = harness(&article, dir.path());
    let before = harness
        .state()
        .view()
        .visible_chars(harness.state().document().project());
    // The scroll bar's handle, just right of the text area, near the top (the view starts
    // at the top of the article, and the handle covers about a fifth of the bar).
    let area = harness.get_by_label("Article text").rect();
    let scroll = harness.ctx.global_style().spacing.scroll;
    // The bar (bar_width wide) starts where the text area ends.
    let from = egui::pos2(area.max.x + scroll.bar_width / 2.0, area.min.y + 80.0);
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    for i in 1..=5 {
        harness.hover_at(from + vec2(0.0, 50.0 * i as f32));
        harness.step();
    }
    harness.drop_at(from + vec2(0.0, 250.0));
    harness.run();
    let after = harness
        .state()
        .view()
        .visible_chars(harness.state().document().project());
    assert_eq!(
        sel(&harness),
        None,
        "the scroll-bar drag made a text selection"
    );
    assert_ne!(before, after, "the view did not scroll");
    Ok(())
}
