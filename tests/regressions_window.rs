//! Regression tests for what a new user hit in a real window (issue 7), each named after the
//! bug it pins and driving the app headlessly as a person would.

mod kit;

use egui::{Key, Modifiers, Pos2};
use egui_kittest::kittest::Queryable;
use kit::*;
use spanmark::model::{CharOffset, CharRange};
use spanmark::ui::command::Command;

/// Every galley the view painted is the one egui would lay out now: none points into a
/// font atlas that egui has rebuilt since.
fn assert_no_stale_layouts(harness: &egui_kittest::Harness<'_, spanmark::app::SpanmarkApp>) {
    let app = harness.state();
    let stale = app
        .view()
        .stale_layouts(&harness.ctx, app.document().project());
    assert_eq!(
        stale, 0,
        "paragraphs painted with galleys of a rebuilt font atlas"
    );
    assert!(app.view().painted_last_frame > 0);
}

/// View → Light (or back to Dark) rebuilt egui's font atlas, but the view kept painting
/// the galleys it had cached, which pointed into the old atlas: glyph soup.
#[test]
fn switching_theme_garbled_the_article() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    assert_no_stale_layouts(&harness);
    for theme in ["Light", "Dark"] {
        harness.get_by_label("View").click();
        harness.run();
        harness.get_by_label(theme).click();
        harness.run();
        assert_no_stale_layouts(&harness);
    }
    Ok(())
}

/// The text shapes drawn this frame whose text is exactly `text`, with their screen rects.
fn drawn(
    harness: &egui_kittest::Harness<'_, spanmark::app::SpanmarkApp>,
    text: &str,
) -> Vec<egui::Rect> {
    harness
        .output()
        .shapes
        .iter()
        .filter_map(|clipped| match &clipped.shape {
            egui::Shape::Text(t) if t.galley.text() == text => {
                Some(egui::Rect::from_min_size(t.pos, t.galley.size()))
            }
            _ => None,
        })
        .collect()
}

/// Right-to-left lines: a drag over all of an Arabic line selected only part of it, a
/// drag over visible words cut a word in half, a double-click on the right part selected
/// nothing, and span backgrounds sat apart from the words they belong to.
#[test]
fn right_to_left_text_selection_and_highlights_did_not_match_the_drawn_glyphs() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness_with(&fixture("rtl-article.txt"), dir.path(), true);
    for line in ["مرحبا بالعالم الجميل", "שלום עולם יפה מאוד"] {
        let range = find(harness.state().document().project(), line)?;
        let words: Vec<&str> = line.split(' ').collect();
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            return Err("no words".into());
        };
        // Right to left: the first word is drawn at the right, the last at the left.
        let first_drawn = *drawn(&harness, first)
            .first()
            .ok_or("first word not drawn")?;
        let last_drawn = *drawn(&harness, last).first().ok_or("last word not drawn")?;
        assert!(
            first_drawn.min.x > last_drawn.max.x,
            "{line}: words in visual order"
        );

        // Drag from just right of the first drawn word to just left of the last one.
        let y = first_drawn.center().y;
        let from = Pos2::new(first_drawn.max.x - 1.0, y);
        let to = Pos2::new(last_drawn.min.x + 1.0, y);
        drag_between(&mut harness, from, to);
        assert_eq!(
            sel(&harness),
            Some(range),
            "{line}: the whole line is selected"
        );

        // A double-click on the right part picks the first word (logically first).
        double_click_at(&mut harness, first_drawn.center());
        let first_range = find(harness.state().document().project(), first)?;
        assert_eq!(
            sel(&harness),
            Some(first_range),
            "{line}: double-click on {first}"
        );

        // Tag it: its background covers the drawn word, not somewhere else.
        harness.key_press(Key::Num1);
        harness.run();
        let rects = harness
            .state()
            .view()
            .range_rects(harness.state().document().project(), first_range);
        let highlight = rects
            .iter()
            .copied()
            .reduce(egui::Rect::union)
            .ok_or("no highlight")?;
        assert!(
            highlight.expand(1.0).contains_rect(first_drawn),
            "{line}: highlight {highlight:?} covers the drawn word {first_drawn:?}"
        );
    }
    // A mixed line: the Hebrew words are reversed between the English ones.
    let shalom = *drawn(&harness, "שלום").last().ok_or("שלום not drawn")?;
    let olam = *drawn(&harness, "עולם").last().ok_or("עולם not drawn")?;
    let said = *drawn(&harness, "said").first().ok_or("said not drawn")?;
    assert!(said.max.x < olam.min.x && olam.max.x < shalom.min.x);
    Ok(())
}

/// The review panel showed the words of a right-to-left span in the opposite order.
#[test]
fn review_excerpt_of_right_to_left_text_is_in_reading_order() {
    use spanmark::ui::bidi::visual_line;
    // Laid out left to right, the visual line shows the last Hebrew word first.
    assert_eq!(visual_line("שלום עולם"), "עולם שלום");
    assert_eq!(visual_line("He said שלום עולם"), "He said עולם שלום");
}

fn drag_between(
    harness: &mut egui_kittest::Harness<'_, spanmark::app::SpanmarkApp>,
    from: Pos2,
    to: Pos2,
) {
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    for i in 1..=5 {
        let t = i as f32 / 5.0;
        harness.hover_at(from + (to - from) * t);
        harness.step();
    }
    harness.drop_at(to);
    harness.run();
}

/// "Don't save" on quit removed the recovery file, but the same frame's autosave wrote it
/// again, so the next start offered to restore work the user had discarded.
#[test]
fn dont_save_on_quit_kept_the_recovery_file() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "Putin", Key::Num1)?;
    wait_for_autosave(&mut harness);
    let recovery = dir.path().join("recovery");
    let files = || std::fs::read_dir(&recovery).map_or(0, std::iter::Iterator::count);
    assert_eq!(files(), 1, "autosave wrote the recovery file");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    harness.run();
    harness.get_by_label("Don't save").click();
    for _ in 0..240 {
        harness.step();
    }
    harness.state_mut().finish_autosave();
    assert_eq!(files(), 0, "the discarded work left no recovery file");
    Ok(())
}

/// The path prompt reused the previous prompt's caret: typing into a fresh prompt
/// inserted in the middle of the pre-filled path.
#[test]
fn path_prompt_reused_the_previous_prompts_cursor_position() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    // Move the caret to the start in the first prompt, then cancel it.
    harness.key_press(Key::Home);
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    harness.get_by_label("File path").type_text("x");
    harness.run();
    let value = harness
        .get_by_label("File path")
        .value()
        .unwrap_or_default();
    assert!(
        value.ends_with("short-article.ronx"),
        "typed at the end: {value}"
    );
    Ok(())
}

/// "Replace article text…" could not be undone ("Nothing to undo").
#[test]
fn replace_article_text_could_not_be_undone() -> Result {
    let dir = tempfile::tempdir()?;
    let v2 = dir.path().join("short-article-v2.txt");
    let original = std::fs::read_to_string(fixture("short-article.txt"))?;
    std::fs::write(
        &v2,
        original.replace("Putin rejected", "Putin firmly rejected"),
    )?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "rejected the offer", Key::Num1)?;
    harness.state_mut().send(Command::ReplaceArticle);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("File path")
        .type_text(&v2.to_string_lossy());
    harness.key_press(Key::Enter);
    harness.step();
    let wait = std::time::Instant::now();
    while harness.state().is_loading() && wait.elapsed() < std::time::Duration::from_secs(20) {
        harness.step();
    }
    harness.run();
    assert!(
        harness
            .state()
            .document()
            .project()
            .article()
            .text()
            .contains("firmly")
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let app = harness.state();
    assert_eq!(app.document().project().article().text(), original);
    assert_eq!(
        span_texts(app),
        [("Claim".to_owned(), 6, 24, "rejected the offer".to_owned())]
    );
    assert!(
        app.status().contains("Undid replace article text"),
        "{}",
        app.status()
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run();
    assert!(
        harness
            .state()
            .document()
            .project()
            .article()
            .text()
            .contains("firmly")
    );
    Ok(())
}

/// The tooltip over overlapping spans was squeezed to about four characters wide
/// ("Quot / e / Claim").
#[test]
fn tooltip_on_overlapping_spans_was_squeezed() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    tag(&mut harness, "rejected the offer", Key::Num2)?;
    tag(&mut harness, "the offer", Key::Num1)?;
    let at = point_at(
        &harness,
        find(harness.state().document().project(), "offer")?.start(),
        false,
    )?;
    harness.hover_at(at);
    for _ in 0..90 {
        harness.step();
    }
    // The tooltip's lines, next to the pointer (other widgets say "Quote" and "Claim" too).
    let near = |label: &str| {
        harness
            .query_all_by_label(label)
            .map(|n| n.rect())
            .find(|r| r.center().distance(at) < 120.0)
    };
    let quote = near("Quote").ok_or("no tooltip line Quote")?;
    let claim = near("Claim").ok_or("no tooltip line Claim")?;
    // One line each, as wide as its word: "Quote" is wider than "Claim" is tall.
    assert!(quote.width() > 2.0 * quote.height(), "{quote:?}");
    assert!(claim.min.y >= quote.max.y - 1.0, "one label per line");
    Ok(())
}

/// Banners piled up: they never went away, survived opening another file and pushed their
/// × out of reach. Errors stay until dismissed (× or Esc); notices fade; opening another
/// document clears messages about the previous one.
#[test]
fn banners_piled_up() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    let missing = dir.path().join("missing.ron");
    harness.state_mut().send(Command::OpenPath(missing.clone()));
    harness.run();
    harness.state_mut().send(Command::OpenPath(missing));
    harness.run();
    let alerts = |h: &egui_kittest::Harness<'_, spanmark::app::SpanmarkApp>| {
        h.state()
            .messages()
            .iter()
            .filter(|m| m.severity != spanmark::app::messages::Severity::Info)
            .count()
    };
    assert_eq!(alerts(&harness), 1, "the same error is shown once");
    // The × is on screen, inside the window.
    let dismiss = harness.get_by_label("×");
    assert!(dismiss.rect().max.x <= 1280.0);
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(alerts(&harness), 0, "Esc dismisses the error");
    // A notice fades by itself.
    tag(&mut harness, "Putin", Key::Num1)?;
    assert!(!harness.state().status().is_empty());
    for _ in 0..(60 * 7) {
        harness.step();
    }
    assert_eq!(harness.state().status(), "", "the notice faded");
    // A warning about this document goes when another document opens.
    let broken = dir.path().join("orphans.ron");
    let mut project = spanmark::model::notation::parse("[Claim:a] b")?;
    project.insert_orphan(spanmark::model::Orphan {
        id: spanmark::model::SpanId(9),
        label: "Claim".to_owned(),
        old_range: CharRange::new(0, 1).unwrap_or_default(),
        text: "x".to_owned(),
        note: String::new(),
        reason: "gone".to_owned(),
        candidate: None,
    });
    let text = spanmark::format::project_to_ron(&project)?.replace("text: \"a\"", "text: \"zz\"");
    std::fs::write(&broken, text)?;
    harness.state_mut().send(Command::OpenPath(broken));
    harness.run();
    harness.get_by_label("Don't save").click();
    harness.run();
    assert_eq!(alerts(&harness), 1, "a warning about the orphan");
    harness
        .state_mut()
        .send(Command::OpenPath(fixture("short-article.txt")));
    harness.run();
    assert_eq!(alerts(&harness), 0, "cleared with its document");
    Ok(())
}

/// Rapid key presses were dropped: `n n n n` in one frame moved two rows.
#[test]
fn rapid_key_presses_were_dropped() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    for word in ["Putin", "rejected", "offer", "sanctions", "Zelensky"] {
        tag(&mut harness, word, Key::Num1)?;
    }
    harness.state_mut().send(Command::ClearSelection);
    harness.run();
    // Four presses arrive in one frame.
    for _ in 0..4 {
        for pressed in [true, false] {
            harness.event(egui::Event::Key {
                key: Key::N,
                physical_key: None,
                pressed,
                repeat: false,
                modifiers: Modifiers::NONE,
            });
        }
    }
    harness.run();
    let app = harness.state();
    let project = app.document().project();
    let fourth = project.spans().at(3).map(|s| s.id);
    assert_eq!(app.selected(), fourth, "four presses, four rows");
    Ok(())
}

/// Esc did not close an open menu: it cleared the selection and the menu stayed open.
#[test]
fn esc_did_not_close_an_open_menu() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&fixture("short-article.txt"), dir.path());
    let range = find(harness.state().document().project(), "rejected")?;
    drag_over(&mut harness, range)?;
    harness.get_by_label("File").click();
    harness.run();
    assert!(egui::Popup::is_any_open(&harness.ctx));
    harness.key_press(Key::Escape);
    harness.run();
    assert!(!egui::Popup::is_any_open(&harness.ctx), "the menu closed");
    assert_eq!(sel(&harness), Some(range), "and the selection stayed");
    Ok(())
}

/// After jumping to a span far down and scrolling back up, a gap opened above the first
/// paragraph.
#[test]
fn gap_at_the_top_after_jumping_and_scrolling_back() -> Result {
    let dir = tempfile::tempdir()?;
    let long = dir.path().join("long.txt");
    let para = "Putin rejected the offer to lift sanctions in exchange for a ceasefire, insisting on more. ";
    let mut text = String::new();
    for i in 0..400 {
        text.push_str(&i.to_string());
        text.push(' ');
        text.push_str(&para.repeat(1 + i % 4));
        text.push('\n');
    }
    std::fs::write(&long, &text)?;
    let mut harness = harness(&long, dir.path());
    let top = harness
        .state()
        .view()
        .char_rect(harness.state().document().project(), CharOffset(0));
    let top = top.ok_or("first char not on screen")?;
    let deep = find(harness.state().document().project(), "350 Putin")?;
    harness.state_mut().view_mut().scroll_to(deep);
    harness.step();
    harness.step();
    let at = harness.get_by_label("Article text").rect().center();
    for _ in 0..200 {
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 3000.0),
            modifiers: Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Trackpad,
        });
        harness.hover_at(at);
        harness.step();
    }
    harness.remove_cursor();
    for _ in 0..30 {
        harness.step();
    }
    let again = harness
        .state()
        .view()
        .char_rect(harness.state().document().project(), CharOffset(0));
    let again = again.ok_or("first char not on screen after scrolling back")?;
    assert!(
        (again.min.y - top.min.y).abs() < 0.5,
        "{top:?} then {again:?}"
    );
    Ok(())
}

/// Wording: counts said "1 spans"; a truncated project said "Expected opening `(` for
/// struct `LabelV1`", naming an internal type, instead of saying the file ends early.
#[test]
fn wording_named_internal_types_and_miscounted() -> Result {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("cut.ron");
    let full = spanmark::format::project_to_ron(&spanmark::model::notation::parse("[Claim:a] b")?)?;
    let cut = full
        .get(..full.find("labels").ok_or("labels")? + 12)
        .ok_or("cut")?;
    std::fs::write(&path, cut)?;
    let message = spanmark::format::read_project(&path)
        .err()
        .ok_or("loaded")?
        .to_string();
    assert!(message.contains("ends early"), "{message}");
    for internal in ["LabelV1", "ProjectIn", "SpanIn", "ArticleIn", "struct"] {
        assert!(!message.contains(internal), "{message}");
    }
    assert_eq!(spanmark::app::plural(1, "span"), "1 span");
    assert_eq!(spanmark::app::plural(2, "orphan"), "2 orphans");
    Ok(())
}
