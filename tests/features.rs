//! What analysts reached for (issue 7), driven as a person would: the find bar, word
//! snapping, keyboard selection, span handles, the label editor, soloing a label, undo that
//! shows what it restored, nested spans, hard-wrapped text and zoom.

mod kit;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use kit::*;
use spanmark::model::{CharOffset, CharRange};
use spanmark::ui::command::Command;

/// Ctrl+F, type, Enter, Esc, 2: a Quote on the match.
#[test]
fn find_enter_esc_then_a_label_key_tags_the_match() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.get_by_label("Find in article").type_text("OFFER");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let offer = find(harness.state().document().project(), "offer")?;
    assert_eq!(
        sel(&harness),
        Some(offer),
        "Enter selects the match, case-insensitively"
    );
    assert_eq!(harness.state().find().count(), (1, Some(1)));
    harness.key_press(Key::Escape);
    harness.run();
    assert!(!harness.state().find().open, "Esc closes the bar");
    assert_eq!(sel(&harness), Some(offer), "and keeps the selection");
    harness.key_press(Key::Num2);
    harness.run();
    assert_eq!(
        span_texts(harness.state()),
        [(
            "Quote".to_owned(),
            offer.start().get(),
            offer.end().get(),
            "offer".to_owned()
        )]
    );
    Ok(())
}

#[test]
fn enter_and_shift_enter_step_through_all_matches_and_wrap() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    harness.state_mut().send(Command::OpenFind);
    harness.run();
    harness.get_by_label("Find in article").type_text("the");
    harness.run();
    let text = harness
        .state()
        .document()
        .project()
        .article()
        .text()
        .to_owned();
    let expected = text.to_lowercase().matches("the").count();
    let mut seen = Vec::new();
    for _ in 0..=expected {
        harness.key_press(Key::Enter);
        harness.run();
        seen.push(sel(&harness).ok_or("a match is selected")?);
    }
    assert_eq!(harness.state().find().count().0, expected);
    assert_eq!(
        seen.first(),
        seen.last(),
        "wrapped around to the first match"
    );
    assert!(
        seen.windows(2)
            .take(expected - 1)
            .all(|w| w[0].start() < w[1].start())
    );
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    harness.run();
    assert_eq!(
        sel(&harness),
        seen.get(expected - 1).copied(),
        "Shift+Enter goes back"
    );
    Ok(())
}

/// A drag that starts and ends inside words selects whole words; Alt keeps characters.
#[test]
fn drags_snap_to_whole_words_unless_alt_is_held() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    // "ected th": inside "rejected" and inside "the" (away from the "ff" of "offer", which
    // the font draws as one ligature glyph with no boundary to point at inside it).
    let words = find(harness.state().document().project(), "rejected the")?;
    let inside = CharRange::new(words.start().get() + 3, words.end().get() - 1).ok_or("range")?;
    drag_over(&mut harness, inside)?;
    assert_eq!(sel(&harness), Some(words));
    let from = point_at(&harness, inside.start(), false)?;
    let to = point_at(&harness, inside.end(), true)?;
    harness.hover_at(from);
    harness.step();
    harness.event_modifiers(
        egui::Event::PointerButton {
            pos: from,
            button: egui::PointerButton::Primary,
            pressed: true,
            modifiers: Modifiers::ALT,
        },
        Modifiers::ALT,
    );
    harness.step();
    for i in 1..=5 {
        harness.event_modifiers(
            egui::Event::PointerMoved(from + (to - from) * (i as f32 / 5.0)),
            Modifiers::ALT,
        );
        harness.step();
    }
    harness.event_modifiers(
        egui::Event::PointerButton {
            pos: to,
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: Modifiers::ALT,
        },
        Modifiers::ALT,
    );
    harness.run();
    assert_eq!(
        sel(&harness),
        Some(inside),
        "Alt+drag keeps character precision"
    );
    Ok(())
}

#[test]
fn shift_click_after_a_double_click_extends_by_words() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    let project = harness.state().document().project();
    let rejected = find(project, "rejected")?;
    let offer = find(project, "offer")?;
    let pos = point_at(&harness, rejected.start() + 2, false)?;
    double_click_at(&mut harness, pos);
    let pos = point_at(&harness, offer.start() + 2, false)?;
    click_at(&mut harness, pos, Modifiers::SHIFT);
    harness.run();
    assert_eq!(
        sel(&harness),
        Some(CharRange::between(rejected.start(), offer.end()))
    );
    Ok(())
}

/// A span made and tagged without the mouse: a caret, Shift and Ctrl+Shift arrows.
#[test]
fn keyboard_selection_tags_without_the_mouse() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    let putin = find(harness.state().document().project(), "Putin")?;
    let pos = point_at(&harness, putin.start(), false)?;
    click_at(&mut harness, pos, Modifiers::NONE);
    harness.run();
    assert_eq!(
        sel(&harness),
        Some(CharRange::at(putin.start(), 0)),
        "a caret"
    );
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    harness.run();
    let two = find(harness.state().document().project(), "Putin rejected")?;
    assert_eq!(sel(&harness), Some(two), "two words");
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    harness.run();
    assert_eq!(
        sel(&harness),
        Some(CharRange::at(two.start(), two.len() - 1)),
        "one char less"
    );
    harness.key_press_modifiers(Modifiers::SHIFT, Key::End);
    harness.run();
    let line = harness
        .state()
        .document()
        .project()
        .article()
        .paragraph(0)
        .ok_or("line")?
        .chars;
    assert_eq!(sel(&harness), Some(line), "to the end of the line");
    harness.key_press(Key::Num1);
    harness.run();
    assert_eq!(span_texts(harness.state()).len(), 1);
    Ok(())
}

/// Dragging the selected span's end handle moves its end; undo puts it back.
#[test]
fn dragging_a_handle_resizes_the_selected_span() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "rejected", Key::Num1)?;
    let project = harness.state().document().project();
    let id = harness
        .state()
        .selected()
        .ok_or("the new span is selected")?;
    let before = project.spans().get(id).ok_or("span")?.range;
    let handle = harness
        .state()
        .view()
        .char_rect(project, before.end())
        .ok_or("end on screen")?
        .left_bottom();
    let target = find(project, "rejected the offer")?.end();
    let to = point_at(&harness, target, true)?;
    harness.hover_at(handle);
    harness.step();
    harness.drag_at(handle);
    harness.step();
    for i in 1..=5 {
        harness.hover_at(handle + (to - handle) * (i as f32 / 5.0));
        harness.step();
    }
    harness.drop_at(to);
    harness.run();
    let after = harness
        .state()
        .document()
        .project()
        .spans()
        .get(id)
        .ok_or("span")?
        .range;
    assert_eq!(after, CharRange::between(before.start(), target));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let undone = harness
        .state()
        .document()
        .project()
        .spans()
        .get(id)
        .ok_or("span")?
        .range;
    assert_eq!(undone, before);
    Ok(())
}

/// Set bounds to selection, from the span's right-click menu.
#[test]
fn set_bounds_to_selection_moves_a_span_onto_the_selected_text() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "offer", Key::Num1)?;
    let id = harness.state().selected().ok_or("span")?;
    let wider = find(harness.state().document().project(), "the offer to lift")?;
    drag_over(&mut harness, wider)?;
    harness.state_mut().send(Command::SelectSpan {
        id: Some(id),
        scroll: false,
    });
    harness.run();
    let offer = find(harness.state().document().project(), "offer")?;
    let pos = point_at(&harness, offer.start() + 1, false)?;
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
    harness.get_by_label("Set bounds to selection").click();
    harness.run();
    let range = harness
        .state()
        .document()
        .project()
        .spans()
        .get(id)
        .ok_or("span")?
        .range;
    assert_eq!(range, wider);
    Ok(())
}

/// The label editor: add, rename, delete (relabelling its spans), each undoable, saved.
#[test]
fn the_label_editor_adds_renames_and_deletes_labels_undoably() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    harness.get_by_label("Edit").click();
    harness.run();
    harness.get_by_label("Labels…").click();
    harness.run();
    harness.get_by_label("New label's name").focus();
    harness.run();
    harness.get_by_label("New label's name").type_text("Source");
    harness.run();
    harness.get_by_label("Add label").click();
    harness.run();
    let labels = |h: &egui_kittest::Harness<'_, spanmark::app::SpanmarkApp>| -> Vec<String> {
        h.state()
            .document()
            .project()
            .labels()
            .iter()
            .map(|(_, l)| l.name.clone())
            .collect()
    };
    assert_eq!(labels(&harness), ["Claim", "Quote", "Disclaimer", "Source"]);
    harness.get_by_label("Name of Claim").focus();
    harness.run();
    harness.key_press(Key::End);
    harness.get_by_label("Name of Claim").type_text(" check");
    harness.run();
    harness.get_by_label("Name of Claim").focus();
    harness.key_press(Key::Tab);
    harness.run();
    assert_eq!(
        labels(&harness),
        ["Claim check", "Quote", "Disclaimer", "Source"]
    );
    assert_eq!(
        span_texts(harness.state()),
        [("Claim check".to_owned(), 0, 5, "Putin".to_owned())]
    );
    // Deleting a label in use asks where its spans go.
    harness.get_by_label("Delete…").click();
    harness.run();
    harness.get_by_label("Delete and relabel as Quote").click();
    harness.run();
    assert_eq!(labels(&harness), ["Quote", "Disclaimer", "Source"]);
    assert_eq!(
        span_texts(harness.state()),
        [("Quote".to_owned(), 0, 5, "Putin".to_owned())]
    );
    harness.get_by_label("Close").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        labels(&harness),
        ["Claim check", "Quote", "Disclaimer", "Source"]
    );
    assert_eq!(
        span_texts(harness.state())[0].0,
        "Claim check",
        "the span's label is back"
    );
    save_via_prompt(&mut harness);
    let saved = dir.path().join("short-article.ron");
    let loaded = spanmark::format::read_project(&saved)?.project;
    assert_eq!(
        loaded
            .labels()
            .iter()
            .map(|(_, l)| l.name.as_str())
            .collect::<Vec<_>>(),
        ["Claim check", "Quote", "Disclaimer", "Source"]
    );
    Ok(())
}

/// Double-clicking a label chip shows only that label's spans, in the list and the article.
#[test]
fn a_label_chip_can_solo_its_label() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    tag(&mut harness, "offer", Key::Num2)?;
    let chip = harness.get_by_label("Quote 1").rect().center();
    double_click_at(&mut harness, chip);
    let rows = harness
        .query_all_by_role(egui::accesskit::Role::ListItem)
        .count();
    assert_eq!(rows, 1, "only the Quote is listed");
    // Well apart from the first double-click, or egui counts a triple click.
    for _ in 0..60 {
        harness.step();
    }
    double_click_at(&mut harness, chip);
    let rows = harness
        .query_all_by_role(egui::accesskit::Role::ListItem)
        .count();
    assert_eq!(rows, 2, "double-click again shows all");
    Ok(())
}

/// Del deletes and leaves nothing selected behind the analyst's back; undo brings the span
/// back selected and in view.
#[test]
fn delete_selects_nothing_and_undo_selects_what_it_restored() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    tag(&mut harness, "offer", Key::Num2)?;
    let offer = harness.state().selected();
    harness.key_press(Key::Delete);
    harness.run();
    assert_eq!(harness.state().selected(), None);
    assert_eq!(span_texts(harness.state()).len(), 1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        harness.state().selected(),
        offer,
        "the restored span is selected"
    );
    Ok(())
}

/// Clicking again on nested spans selects the next enclosing one, then the innermost.
#[test]
fn clicking_again_on_nested_spans_cycles_inner_to_outer() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "rejected the offer to lift", Key::Num2)?;
    tag(&mut harness, "the offer", Key::Num1)?;
    harness.state_mut().send(Command::ClearSelection);
    harness.run();
    let spans: Vec<_> = harness
        .state()
        .document()
        .project()
        .spans()
        .iter()
        .map(|s| (s.id, s.range.len()))
        .collect();
    let inner = spans.iter().min_by_key(|s| s.1).map(|s| s.0);
    let outer = spans.iter().max_by_key(|s| s.1).map(|s| s.0);
    let at = point_at(
        &harness,
        find(harness.state().document().project(), "offer")?.start() + 1,
        false,
    )?;
    let mut picked = Vec::new();
    for _ in 0..3 {
        click_at(&mut harness, at, Modifiers::NONE);
        // Apart in time, so the clicks are not a double-click.
        for _ in 0..40 {
            harness.step();
        }
        picked.push(harness.state().selected());
    }
    assert_eq!(picked, [inner, outer, inner]);
    Ok(())
}

/// Hard-wrapped plain text reads as paragraphs: spacing at blank lines only.
#[test]
fn hard_wrapped_text_has_paragraph_spacing_only_at_blank_lines() -> Result {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("wrapped.txt");
    std::fs::write(
        &path,
        "First line of a paragraph\nwraps here.\n\nSecond paragraph.\n",
    )?;
    let harness = harness(&path, dir.path());
    let app = harness.state();
    let project = app.document().project();
    let y = |needle: &str| -> Result<f32> {
        let at = find(project, needle)?.start();
        Ok(app.view().char_rect(project, at).ok_or("on screen")?.min.y)
    };
    let (first, wraps, second) = (y("First")?, y("wraps")?, y("Second")?);
    let row = wraps - first;
    assert!(row > 15.0 && row < 40.0, "{row}");
    let gap = second - wraps - row;
    assert!(
        gap > 4.0 && gap < row,
        "a blank line is a paragraph gap, not a row: {gap}"
    );
    Ok(())
}

/// Ctrl + / − / 0 change the text size; the setting is kept.
#[test]
fn zoom_changes_the_text_size_and_is_kept() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    let width = |h: &egui_kittest::Harness<'_, spanmark::app::SpanmarkApp>| -> Result<f32> {
        let project = h.state().document().project();
        let putin = find(project, "Putin")?;
        let a = h
            .state()
            .view()
            .char_rect(project, putin.start())
            .ok_or("a")?;
        let b = h
            .state()
            .view()
            .char_rect(project, putin.end())
            .ok_or("b")?;
        Ok(b.min.x - a.min.x)
    };
    let normal = width(&harness)?;
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    harness.run();
    assert!(width(&harness)? > normal * 1.05);
    assert_eq!(harness.state().settings().zoom, 1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    harness.run();
    assert!((width(&harness)? - normal).abs() < 0.5);
    Ok(())
}

#[test]
fn help_about_names_the_version_and_licence() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    harness.get_by_label("Help").click();
    harness.run();
    harness.get_by_label("About spanmark").click();
    harness.run();
    harness.get_by_label(&format!("spanmark {}", env!("CARGO_PKG_VERSION")));
    harness.get_by_label_contains("MIT OR Apache-2.0");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(!harness.state().modal_open());
    let _ = CharOffset(0);
    Ok(())
}
