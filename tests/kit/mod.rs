//! Helpers for driving the real app headlessly with `egui_kittest`, as a person would: build
//! the app on a file, find words on screen, drag across them, click, press keys, save.

#![allow(
    dead_code,
    reason = "each test crate uses a different part of these helpers"
)]

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers, Pos2, vec2};
use egui_kittest::Harness;
use spanmark::app::{AppOptions, SpanmarkApp};
use spanmark::model::{CharOffset, CharRange, Project};
use spanmark::ui::dialogs::PromptOnly;

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn harness(file: &Path, save_dir: &Path) -> Harness<'static, SpanmarkApp> {
    harness_with(file, save_dir, false)
}

/// `missing_glyphs`: allow tofu, for text in scripts egui's bundled fonts lack (kittest has
/// no system fonts; the real app falls back to them).
pub fn harness_with(
    file: &Path,
    save_dir: &Path,
    missing_glyphs: bool,
) -> Harness<'static, SpanmarkApp> {
    let mut harness = build(file, save_dir, missing_glyphs);
    harness.run();
    harness
}

/// The app on `file` after its first frame only, for files it opens in the background (a
/// corpus folder): the caller steps it until the work is done.
pub fn harness_unsettled(file: &Path, save_dir: &Path) -> Harness<'static, SpanmarkApp> {
    let mut harness = build(file, save_dir, false);
    harness.step();
    harness
}

fn build(file: &Path, save_dir: &Path, missing_glyphs: bool) -> Harness<'static, SpanmarkApp> {
    let file = file.to_owned();
    let save_dir = save_dir.to_owned();
    // 60 frames a second, as on a real screen, so that two quick clicks are a double click.
    let mut builder = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0);
    if missing_glyphs {
        builder = builder.allow_missing_glyphs();
    }
    builder.build_eframe(move |cc| {
        SpanmarkApp::new(
            cc,
            AppOptions {
                file: Some(file.clone()),
                dialogs: Box::new(PromptOnly),
                save_dir: Some(save_dir.clone()),
                recovery_dir: Some(save_dir.join("recovery")),
                compare: Vec::new(),
            },
        )
    })
}

/// A harness curating the projects at `paths` (as `spanmark compare` starts).
pub fn harness_compare(paths: &[PathBuf], save_dir: &Path) -> Harness<'static, SpanmarkApp> {
    let paths = paths.to_vec();
    let save_dir = save_dir.to_owned();
    let mut harness = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |cc| {
            SpanmarkApp::new(
                cc,
                AppOptions {
                    file: None,
                    dialogs: Box::new(PromptOnly),
                    save_dir: Some(save_dir.clone()),
                    recovery_dir: Some(save_dir.join("recovery")),
                    compare: paths.clone(),
                },
            )
        });
    harness.run();
    harness
}

/// The char range of the first occurrence of `needle` in the article.
pub fn find(project: &Project, needle: &str) -> Result<CharRange> {
    let byte = project
        .article()
        .text()
        .find(needle)
        .ok_or("needle not in article")?;
    let start = project.article().char_of_byte(byte);
    Ok(CharRange::at(start, needle.chars().count()))
}

/// Screen position a little inside the char at `offset` (left half of it), or just past the
/// previous char when `offset` is an end.
pub fn point_at(harness: &Harness<'_, SpanmarkApp>, offset: CharOffset, end: bool) -> Result<Pos2> {
    let app = harness.state();
    let project = &app.document().project();
    let rect = if end {
        let before = offset - 1;
        let r = app
            .view()
            .char_rect(project, before)
            .ok_or("char not on screen")?;
        let next = app
            .view()
            .char_rect(project, offset)
            .ok_or("char not on screen")?;
        // Between the last char and the next one.
        egui::Rect::from_min_max(
            egui::pos2(r.min.x, r.min.y),
            egui::pos2(next.min.x - 1.0, r.max.y),
        )
    } else {
        app.view()
            .char_rect(project, offset)
            .ok_or("char not on screen")?
    };
    Ok(if end {
        egui::pos2(rect.max.x, rect.center().y)
    } else {
        egui::pos2(rect.min.x + 1.0, rect.center().y)
    })
}

/// Drag from the start of `range` to its end, frame by frame like a mouse would.
pub fn drag_over(harness: &mut Harness<'_, SpanmarkApp>, range: CharRange) -> Result {
    let from = point_at(harness, range.start(), false)?;
    let to = point_at(harness, range.end(), true)?;
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
    Ok(())
}

pub fn span_texts(app: &SpanmarkApp) -> Vec<(String, usize, usize, String)> {
    let project = &app.document().project();
    project
        .spans()
        .iter()
        .map(|s| {
            (
                project.labels().name(s.label).to_owned(),
                s.range.start().0,
                s.range.end().0,
                project.span_text(s).to_owned(),
            )
        })
        .collect()
}

/// Tag `needle` with the label on `key`, by dragging over it and pressing the key.
pub fn tag(harness: &mut Harness<'_, SpanmarkApp>, needle: &str, key: Key) -> Result {
    let range = find(harness.state().document().project(), needle)?;
    drag_over(harness, range)?;
    harness.key_press(key);
    harness.run();
    Ok(())
}

/// Save the open article's project under `dir` through the prompt, as a user would.
pub fn save_via_prompt(harness: &mut Harness<'_, SpanmarkApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
}

pub fn click_at(harness: &mut Harness<'_, SpanmarkApp>, pos: Pos2, modifiers: Modifiers) {
    harness.hover_at(pos);
    harness.step();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
        harness.step();
    }
}

pub fn sel(h: &Harness<'_, SpanmarkApp>) -> Option<CharRange> {
    h.state()
        .view()
        .selection
        .map(spanmark::ui::article_view::Selection::range)
}

/// Double-click at `pos`: two press-release pairs a frame apart, as a mouse would.
pub fn double_click_at(harness: &mut Harness<'_, SpanmarkApp>, pos: Pos2) {
    harness.hover_at(pos);
    harness.step();
    for _ in 0..2 {
        for pressed in [true, false] {
            harness.event(egui::Event::PointerButton {
                pos,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
            harness.step();
        }
    }
    harness.run();
}

/// Another program rewrites the project at `path` (a note changed, the modification time
/// moved on); returns what it wrote.
pub fn rewrite_behind_our_back(path: &Path) -> Result<String> {
    let theirs = std::fs::read_to_string(path)?.replace("note: \"\"", "note: \"theirs\"");
    std::fs::write(path, &theirs)?;
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(later)?;
    Ok(theirs)
}

/// Let four seconds pass at 60 frames a second (past the autosave delay after the last
/// change) and wait for the autosave thread to finish.
pub fn wait_for_autosave(harness: &mut Harness<'_, SpanmarkApp>) {
    for _ in 0..240 {
        harness.step();
    }
    harness.state_mut().finish_autosave();
}

/// Let the frames run until the app is idle. Unlike `Harness::run` this tolerates events
/// from other threads (the folder watcher, a suggestion run, an export) that arrive a
/// little after the files change.
pub fn settle(harness: &mut Harness<'_, SpanmarkApp>) {
    for _ in 0..400 {
        if harness.try_run().is_ok() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    harness.run();
}

/// The app on the corpus in `dir`, once it has opened; projects saved outside the corpus go
/// to `elsewhere` (so autosave's recovery files are not inside the watched folder).
pub fn opened(dir: &Path, elsewhere: &Path) -> Result<Harness<'static, SpanmarkApp>> {
    let mut harness = harness_unsettled(dir, elsewhere);
    let start = std::time::Instant::now();
    while harness.state().is_opening_corpus() {
        if start.elapsed() > std::time::Duration::from_secs(30) {
            return Err("the corpus never opened".into());
        }
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    settle(&mut harness);
    Ok(harness)
}
