//! UI tests that drive the real app headlessly with `egui_kittest`, as a person would: drag
//! across words, press keys, click rows, save and reopen.

mod kit;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use kit::*;

#[test]
fn drag_across_words_then_2_tags_a_quote_with_exact_offsets_and_undo_redo_work() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    let target = find(harness.state().document().project(), "rejected the offer")?;
    drag_over(&mut harness, target)?;
    let selection = harness
        .state()
        .view()
        .selection
        .map(spanmark::ui::article_view::Selection::range);
    assert_eq!(
        selection,
        Some(target),
        "the drag selects exactly the words"
    );

    harness.key_press(Key::Num2);
    harness.run();
    assert_eq!(
        span_texts(harness.state()),
        [(
            "Quote".to_owned(),
            target.start().0,
            target.end().0,
            "rejected the offer".to_owned()
        )]
    );
    assert!(harness.state().is_dirty());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(
        span_texts(harness.state()).is_empty(),
        "undo removes the span"
    );
    assert!(
        !harness.state().is_dirty(),
        "undoing back to the opened state is clean"
    );

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert_eq!(span_texts(harness.state()).len(), 1, "redo brings it back");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run();
    assert_eq!(
        span_texts(harness.state())[0].3,
        "rejected the offer",
        "Ctrl+Y redoes too"
    );
    Ok(())
}

#[test]
fn offsets_are_exact_on_cjk_cyrillic_arabic_emoji_flags_and_combining_marks() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness_with(&fixture("unicode-article.txt"), dir.path(), true);
    let needles = [
        ("合意はない", Key::Num2),
        ("отклонил предложение", Key::Num1),
        ("🇺🇦 flag, e\u{301}tude, 👩\u{200d}👩\u{200d}👧", Key::Num3),
    ];
    let mut expected = Vec::new();
    for (needle, key) in needles {
        let target = find(harness.state().document().project(), needle)?;
        drag_over(&mut harness, target)?;
        harness.key_press(key);
        harness.run();
        expected.push((target.start().0, target.end().0, needle.to_owned()));
    }
    let got: Vec<_> = span_texts(harness.state())
        .into_iter()
        .map(|(_, a, b, t)| (a, b, t))
        .collect();
    assert_eq!(got, expected);
    // The CJK quote starts at char 7 of the first line, though it is byte 21.
    assert_eq!(expected[0].0, 7);
    Ok(())
}

#[test]
fn double_click_selects_a_word_and_whitespace_is_trimmed() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    let word = find(harness.state().document().project(), "Zelensky")?;
    let pos = point_at(&harness, word.start() + 2, false)?;
    double_click_at(&mut harness, pos);
    assert_eq!(
        harness
            .state()
            .view()
            .selection
            .map(spanmark::ui::article_view::Selection::range),
        Some(word)
    );
    harness.key_press(Key::Num3);
    harness.run();
    assert_eq!(span_texts(harness.state())[0].3, "Zelensky");
    Ok(())
}

#[test]
fn clicking_a_review_row_selects_that_span_and_delete_removes_it() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    for (needle, key) in [("Putin", Key::Num1), ("we will not surrender", Key::Num2)] {
        let range = find(harness.state().document().project(), needle)?;
        drag_over(&mut harness, range)?;
        harness.key_press(key);
        harness.run();
    }
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().selected(), None);

    harness.get_by_label("Quote: we will not surrender").click();
    harness.run();
    let selected = harness.state().selected().ok_or("a span is selected")?;
    let project = &harness.state().document().project();
    let span = project.spans().get(selected).ok_or("span exists")?;
    assert_eq!(project.span_text(span), "we will not surrender");

    harness.key_press(Key::P);
    harness.run();
    let previous = harness.state().selected().and_then(|id| {
        harness
            .state()
            .document()
            .project()
            .spans()
            .get(id)
            .cloned()
    });
    assert_eq!(
        previous.map(|s| s.range),
        Some(find(harness.state().document().project(), "Putin")?)
    );

    harness.key_press(Key::Delete);
    harness.run();
    assert_eq!(span_texts(harness.state()).len(), 1);
    assert_eq!(span_texts(harness.state())[0].3, "we will not surrender");
    Ok(())
}

#[test]
fn save_to_a_temporary_path_and_reopen_gives_the_same_spans() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    for (needle, key) in [
        ("rejected the offer", Key::Num1),
        ("🇺🇦 e\u{301}tude", Key::Num2),
        ("the offer to lift", Key::Num3),
    ] {
        let range = find(harness.state().document().project(), needle)?;
        drag_over(&mut harness, range)?;
        harness.key_press(key);
        harness.run();
    }
    let before = span_texts(harness.state());
    assert_eq!(before.len(), 3);

    // No native dialog here: Ctrl+S shows the app's own prompt, pre-filled with
    // <save dir>/<article name>.ron; Enter confirms.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let field = harness.get_by_label("File path");
    let expected = dir.path().join("short-article.ron");
    assert_eq!(field.value(), Some(expected.to_string_lossy().into_owned()));
    harness.key_press(Key::Enter);
    harness.run();
    assert!(expected.is_file(), "saved to {}", expected.display());
    assert!(
        !harness.state().is_dirty(),
        "{:?}",
        harness.state().messages()
    );

    let reopened = kit::harness(&expected, dir.path());
    assert_eq!(span_texts(reopened.state()), before);
    assert_eq!(
        reopened.state().document().path.as_deref(),
        Some(expected.as_path())
    );
    Ok(())
}

#[test]
fn a_bad_file_shows_a_message_and_keeps_running() -> Result {
    let dir = tempfile::tempdir()?;
    let bad = dir.path().join("broken.ron");
    std::fs::write(&bad, "(format: 1, article: (text: \"x\"), labels: [")?;
    let harness = harness(&bad, dir.path());
    let banners: Vec<_> = harness
        .state()
        .messages()
        .iter()
        .filter(|m| m.severity == spanmark::app::messages::Severity::Error)
        .collect();
    assert_eq!(banners.len(), 1);
    assert!(banners[0].text.contains("line 1"), "{}", banners[0].text);
    assert!(
        banners[0].text.contains("broken.ron"),
        "{}",
        banners[0].text
    );
    // The sample article stays open.
    assert!(harness.state().document().project().article().char_len() > 1000);
    Ok(())
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_without_asking() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    save_via_prompt(&mut harness);
    let path = dir.path().join("short-article.ron");
    assert!(!harness.state().is_dirty());

    // Another program rewrites the project meanwhile.
    let theirs = rewrite_behind_our_back(&path)?;

    tag(&mut harness, "Zelensky", Key::Num2)?;
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    harness.get_by_label("File changed on disk");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(
        std::fs::read_to_string(&path)?,
        theirs,
        "cancel leaves their file alone"
    );
    assert!(harness.state().is_dirty());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    harness.get_by_label("Overwrite").click();
    harness.run();
    assert!(!harness.state().is_dirty());
    let saved = spanmark::format::read_project(&path)?;
    assert_eq!(saved.project.spans().len(), 2);
    Ok(())
}

#[test]
fn a_failed_save_keeps_the_unsaved_marker_and_says_why() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    let target = dir.path().join("missing-folder").join("p.ron");
    harness
        .state_mut()
        .send(spanmark::ui::command::Command::SaveTo(target.clone()));
    harness.run();
    assert!(harness.state().is_dirty());
    assert!(!target.exists());
    let banners: Vec<_> = harness
        .state()
        .messages()
        .iter()
        .filter(|m| m.severity == spanmark::app::messages::Severity::Error)
        .collect();
    assert_eq!(banners.len(), 1);
    assert!(
        banners[0].text.contains("Could not save") && banners[0].text.contains("p.ron"),
        "{}",
        banners[0].text
    );
    Ok(())
}

#[test]
fn quitting_with_unsaved_changes_asks_first() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    harness.run();
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none());
    assert!(harness.state().is_dirty());
    assert_eq!(harness.state().document().project().spans().len(), 1);

    // Opening another file asks too; "Save" saves (through the prompt) and then opens it.
    let other = dir.path().join("other-article.txt");
    std::fs::write(&other, "Another article entirely.\n")?;
    harness
        .state_mut()
        .send(spanmark::ui::command::Command::OpenPath(other));
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert!(dir.path().join("short-article.ron").is_file());
    assert_eq!(
        harness.state().document().project().article().name(),
        "other-article"
    );
    assert!(!harness.state().is_dirty());
    Ok(())
}

#[test]
fn unsaved_work_survives_a_crash_and_enter_restores_it() -> Result {
    let dir = tempfile::tempdir()?;
    let recovery_dir = dir.path().join("recovery");
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "rejected the offer", Key::Num1)?;
    tag(&mut harness, "we will not surrender", Key::Num2)?;
    let lost_session = span_texts(harness.state());
    assert!(
        std::fs::read_dir(&recovery_dir).is_err(),
        "nothing is written before the delay"
    );
    // A few seconds after the last change (60 frames a second), the work is autosaved.
    wait_for_autosave(&mut harness);
    assert_eq!(std::fs::read_dir(&recovery_dir)?.count(), 1);
    // The process dies: nothing more is written.
    drop(harness);

    let mut restarted = kit::harness(&fixture("short-article.txt"), dir.path());
    restarted.get_by_label("Restore unsaved work?");
    assert!(
        span_texts(restarted.state()).is_empty(),
        "nothing is restored without asking"
    );
    restarted.key_press(Key::Enter);
    restarted.run();
    assert_eq!(span_texts(restarted.state()), lost_session);
    assert!(
        restarted.state().is_dirty(),
        "restored work is unsaved until saved"
    );

    // A clean save removes the recovery file.
    save_via_prompt(&mut restarted);
    assert!(!restarted.state().is_dirty());
    assert_eq!(std::fs::read_dir(&recovery_dir)?.count(), 0);
    Ok(())
}

#[test]
fn discarding_unsaved_work_removes_its_recovery_file() -> Result {
    let dir = tempfile::tempdir()?;
    let recovery_dir = dir.path().join("recovery");
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    wait_for_autosave(&mut harness);
    assert_eq!(std::fs::read_dir(&recovery_dir)?.count(), 1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    harness.run();
    harness.get_by_label("Don't save").click();
    harness.run();
    assert_eq!(std::fs::read_dir(&recovery_dir)?.count(), 0);
    Ok(())
}

#[test]
fn replace_article_text_moves_spans_and_lists_orphans_and_flagged_ones() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "rejected the offer", Key::Num1)?;
    tag(&mut harness, "we will not surrender", Key::Num2)?;
    tag(&mut harness, "left the room", Key::Num3)?;

    // The corrected article gains a paragraph on top, rewords one span and loses the quote.
    let new = dir.path().join("short-article-v2.txt");
    std::fs::write(
        &new,
        "Correction: an earlier version misquoted Zelensky.\n\
         Putin rejected the offer to lift sanctions.\n\
         Zelensky then walked out of the room.\n\
         🇺🇦 e\u{301}tude naïve café 👩‍👩‍👧 family.\n",
    )?;
    harness
        .state_mut()
        .send(spanmark::ui::command::Command::ReplaceArticle);
    harness.run();
    let field = harness.get_by_label("File path");
    field.focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("File path")
        .type_text(&new.to_string_lossy());
    harness.run();
    harness.key_press(Key::Enter);
    // Re-anchoring runs on its own thread; the window keeps drawing meanwhile.
    for _ in 0..500 {
        harness.step();
        if harness.state().document().project().article().name() == "short-article-v2" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run();
    let app = harness.state();
    let project = &app.document().project();
    assert_eq!(project.article().name(), "short-article-v2");
    let spans = span_texts(app);
    assert!(
        spans
            .iter()
            .any(|(l, _, _, t)| l == "Claim" && t == "rejected the offer"),
        "{spans:?}"
    );
    assert!(
        !spans
            .iter()
            .any(|(_, _, _, t)| t == "we will not surrender"),
        "{spans:?}"
    );
    assert!(
        project
            .orphans()
            .iter()
            .any(|o| o.text == "we will not surrender"),
        "{:?}",
        project.orphans()
    );
    let banner = app.messages().last().ok_or("a summary banner")?;
    assert!(
        banner.text.contains("kept") && banner.text.contains("orphaned"),
        "{}",
        banner.text
    );
    assert!(app.is_dirty());

    // The flagged span sits on whole words and shows what it said before.
    let flagged = project
        .spans()
        .iter()
        .find(|s| s.status == spanmark::model::Status::NeedsReview)
        .ok_or("a flagged span")?;
    assert_eq!(project.span_text(flagged), "of the room");
    let id = flagged.id;
    harness
        .state_mut()
        .send(spanmark::ui::command::Command::SelectSpan {
            id: Some(id),
            scroll: true,
        });
    harness.run();
    harness.get_by_label("Was: left the room");
    harness.get_by_label("Now: of the room");

    // The orphan offers its rewritten old place in one click.
    harness.get_by_label("Place there").click();
    harness.run();
    let project = harness.state().document().project();
    assert!(project.orphans().is_empty());
    assert!(
        span_texts(harness.state())
            .iter()
            .any(|(l, _, _, t)| l == "Quote" && t == "then walked"),
        "{:?}",
        span_texts(harness.state())
    );
    Ok(())
}

#[test]
fn right_click_on_a_span_offers_relabel_and_accept_in_a_context_menu() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().selected(), None);
    let range = find(harness.state().document().project(), "Putin")?;
    let pos = point_at(&harness, range.start() + 2, false)?;
    harness.hover_at(pos);
    harness.step();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.step();
    }
    harness.run();
    assert!(
        harness.state().selected().is_some(),
        "right-click selects the span"
    );
    harness.get_by_label("Quote (2)").click();
    harness.run();
    assert_eq!(span_texts(harness.state())[0].0, "Quote");
    Ok(())
}

/// A file as the window system hands it over when it is dropped on the window.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> std::result::Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_file_on_the_window_opens_it_after_asking_about_unsaved_work() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    let other = dir.path().join("dropped-article.txt");
    std::fs::write(&other, "A dropped article.\n")?;
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(other.clone())));
    harness.run();
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Don't save").click();
    harness.run();
    assert_eq!(
        harness.state().document().project().article().name(),
        "dropped-article"
    );
    assert!(harness.state().document().project().spans().is_empty());
    Ok(())
}

#[test]
fn nudging_a_spans_bounds_resizes_it_and_undo_restores_it() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "rejected the", Key::Num1)?;
    let before = span_texts(harness.state());
    harness.get_by_label("End +1").click();
    harness.run();
    harness.get_by_label("End +1").click();
    harness.run();
    harness.get_by_label("End +1").click();
    harness.run();
    harness.get_by_label("End +1").click();
    harness.run();
    harness.get_by_label("Start -1").click();
    harness.run();
    let after = span_texts(harness.state());
    assert_eq!(after[0].3, " rejected the off");
    assert_eq!((after[0].1, after[0].2), (before[0].1 - 1, before[0].2 + 4));
    for _ in 0..5 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        harness.run();
    }
    assert_eq!(
        span_texts(harness.state()),
        before,
        "each nudge is one undo step"
    );
    Ok(())
}
