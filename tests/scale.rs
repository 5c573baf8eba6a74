//! Large-article tests: a 5 MB article with 50 000 spans opens in the background with a
//! progress window, jumping to a span (from the review panel or with n / p) lands on it
//! exactly even near the end, and a frame lays out only a bounded number of paragraphs.
//! Timing is the benchmark's job (`benches/scale.rs`); these only check behaviour.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers, MouseWheelSource, MouseWheelUnit, TouchPhase, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::app::{AppOptions, SpanmarkApp};
use spanmark::format;
use spanmark::model::{
    Article, CharOffset, CharRange, LabelId, LabelSet, Project, Span, SpanId, Status,
};
use spanmark::ui::command::Command;
use spanmark::ui::dialogs::PromptOnly;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Size of the test article in bytes: above the 2 MB background-open threshold.
const ARTICLE_BYTES: usize = 5_000_000;
/// One span per this many bytes.
const BYTES_PER_SPAN: usize = 100;
/// A frame must never lay out or paint more paragraphs than this.
const MAX_PARAGRAPHS_PER_FRAME: usize = 100;

/// Deterministic prose: paragraphs from one sentence to over 4096 chars, some accents and
/// curly quotes.
fn prose(bytes: usize) -> String {
    const WORDS: &[&str] = &[
        "the",
        "minister",
        "said",
        "offer",
        "was",
        "rejected",
        "café",
        "naïve",
        "Zürich",
        "“no",
        "deal”",
        "—",
        "talks",
        "would",
        "resume",
        "after",
        "summer",
        "according",
        "to",
        "officials",
        "in",
        "capital",
        "élite",
        "rôle",
        "sources",
        "denied",
        "claims",
    ];
    let mut state: u64 = 0x1234_5678_9abc_def1;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut out = String::with_capacity(bytes + 10_000);
    while out.len() < bytes {
        let sentences = if next(30) == 0 { 60 } else { 1 + next(10) };
        for _ in 0..sentences {
            for w in 0..5 + next(15) {
                if w > 0 {
                    out.push(' ');
                }
                out.push_str(WORDS.get(next(WORDS.len())).copied().unwrap_or("the"));
            }
            out.push_str(". ");
        }
        out.push('\n');
    }
    out
}

/// The RON text of the test project, built once for all tests.
fn project_ron() -> &'static str {
    static RON: OnceLock<String> = OnceLock::new();
    RON.get_or_init(|| {
        let text = prose(ARTICLE_BYTES);
        let mut project = Project::new(Article::new("large", None, &text), LabelSet::default());
        let count = ARTICLE_BYTES / BYTES_PER_SPAN;
        let stride = project.article().char_len() / count;
        for i in 0..count {
            let start = i * stride + i % 17;
            let len = if i % 10 == 0 {
                stride + 30
            } else {
                10 + i % 40
            };
            let span = Span {
                id: SpanId(i as u64),
                range: CharRange::between(
                    CharOffset(start),
                    CharOffset((start + len).min(project.article().char_len())),
                ),
                label: LabelId((i % 3) as u16),
                note: String::new(),
                status: Status::Confirmed,
            };
            assert_eq!(project.insert_span(span), Ok(()));
        }
        format::project_to_ron(&project).unwrap_or_default()
    })
}

/// The test project written to `dir`.
fn project_file(dir: &Path) -> Result<PathBuf> {
    let path = dir.join("large.ron");
    std::fs::write(&path, project_ron())?;
    Ok(path)
}

fn harness(file: &Path, save_dir: &Path) -> Harness<'static, SpanmarkApp> {
    let file = file.to_owned();
    let save_dir = save_dir.to_owned();
    Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .build_eframe(move |cc| {
            SpanmarkApp::new(
                cc,
                AppOptions {
                    file: Some(file.clone()),
                    dialogs: Box::new(PromptOnly),
                    save_dir: Some(save_dir.clone()),
                    recovery_dir: None,
                    compare: Vec::new(),
                },
            )
        })
}

/// Step frames until the background open has finished; returns how many frames ran.
fn wait_until_open(harness: &mut Harness<'_, SpanmarkApp>) -> Result {
    let started = Instant::now();
    while harness.state().is_loading() {
        if started.elapsed() > Duration::from_mins(2) {
            return Err("the project never finished opening".into());
        }
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    // One more frame to lay out and paint the article.
    harness.step();
    Ok(())
}

/// A harness with the large project open.
fn opened(dir: &Path) -> Result<Harness<'static, SpanmarkApp>> {
    let mut harness = harness(&project_file(dir)?, dir);
    wait_until_open(&mut harness)?;
    let count = harness.state().document().project().spans().len();
    if count != ARTICLE_BYTES / BYTES_PER_SPAN {
        return Err(format!("{count} spans loaded").into());
    }
    Ok(harness)
}

fn assert_bounded(harness: &Harness<'_, SpanmarkApp>, when: &str) {
    let view = harness.state().view();
    assert!(
        view.laid_out_last_frame < MAX_PARAGRAPHS_PER_FRAME,
        "{when}: {} paragraphs laid out",
        view.laid_out_last_frame
    );
    assert!(
        view.painted_last_frame > 0 && view.painted_last_frame < MAX_PARAGRAPHS_PER_FRAME,
        "{when}: {} paragraphs painted",
        view.painted_last_frame
    );
}

/// Assert that the first and last chars of the selected span are on screen, inside the
/// article's visible area.
fn assert_selected_span_in_view(harness: &Harness<'_, SpanmarkApp>, what: &str) -> Result {
    let app = harness.state();
    let project = &app.document().project();
    let id = app.selected().ok_or("no span is selected")?;
    let span = project.spans().get(id).ok_or("the selected span is gone")?;
    let area = harness.get_by_label("Article text").rect();
    for offset in [span.range.start(), (span.range.end() - 1)] {
        let rect = app
            .view()
            .char_rect(project, offset)
            .ok_or_else(|| format!("{what}: char {offset} of span {} is not painted", id.0))?;
        assert!(
            area.contains(rect.min) && area.contains(rect.max),
            "{what}: char {offset} of span {} is at {rect:?}, outside the article area {area:?}",
            id.0
        );
    }
    Ok(())
}

#[test]
fn a_large_article_opens_in_the_background_with_a_progress_window() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = harness(&project_file(dir.path())?, dir.path());
    // The first frame has already run: the window is up and shows progress, not a freeze.
    assert!(harness.state().is_loading());
    assert!(
        harness.query_by_label_contains("Opening").is_some(),
        "the progress window names the file being opened"
    );
    wait_until_open(&mut harness)?;
    assert!(
        harness.query_by_label_contains("Opening").is_none(),
        "the progress window went away"
    );
    assert_eq!(
        harness.state().document().project().spans().len(),
        ARTICLE_BYTES / BYTES_PER_SPAN,
        "the project arrived from the background thread"
    );
    assert!(harness.query_by_label_contains("Opening").is_none());
    let app = harness.state();
    assert!(
        app.messages()
            .iter()
            .all(|m| m.severity == spanmark::app::messages::Severity::Info),
        "{:?}",
        app.messages()
    );
    assert_eq!(
        app.document().project().spans().len(),
        ARTICLE_BYTES / BYTES_PER_SPAN
    );
    assert!(
        app.status().starts_with("Opened project"),
        "{}",
        app.status()
    );
    Ok(())
}

#[test]
fn jumping_to_spans_in_the_middle_and_at_the_end_of_a_large_article_lands_on_them() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = opened(dir.path())?;
    let ids: Vec<SpanId> = harness
        .state()
        .document()
        .project()
        .spans()
        .iter()
        .map(|s| s.id)
        .collect();
    let last = ids.len() - 1;
    // As a click on a review row does: select with scroll, then look one frame later.
    for (what, i) in [
        ("middle", last / 2),
        ("near the end", last - 3),
        ("the last span", last),
        ("a quarter in", last / 4),
        ("the first span", 0),
    ] {
        harness.state_mut().send(Command::SelectSpan {
            id: ids.get(i).copied(),
            scroll: true,
        });
        harness.step();
        harness.step();
        assert_eq!(harness.state().selected(), ids.get(i).copied());
        assert_selected_span_in_view(&harness, what)?;
        assert_bounded(&harness, what);
    }

    // n / p step through the review list from deep in the article.
    harness.state_mut().send(Command::SelectSpan {
        id: ids.get(last - 10).copied(),
        scroll: true,
    });
    harness.step();
    for (key, expected) in [
        (Key::N, last - 9),
        (Key::N, last - 8),
        (Key::P, last - 9),
        (Key::ArrowDown, last - 8),
    ] {
        harness.key_press(key);
        harness.step();
        assert_eq!(harness.state().selected(), ids.get(expected).copied());
        assert_selected_span_in_view(&harness, &format!("after {key:?}"))?;
    }
    harness.state_mut().send(Command::SelectSpan {
        id: ids.get(last / 2).copied(),
        scroll: true,
    });
    harness.step();
    harness.key_press_modifiers(Modifiers::NONE, Key::P);
    harness.step();
    assert_eq!(harness.state().selected(), ids.get(last / 2 - 1).copied());
    assert_selected_span_in_view(&harness, "p from the middle")?;
    Ok(())
}

#[test]
fn a_frame_of_a_large_article_lays_out_a_bounded_number_of_paragraphs() -> Result {
    let dir = tempfile::tempdir()?;
    let mut harness = opened(dir.path())?;
    assert_bounded(&harness, "the first frame after opening");
    let char_len = harness.state().document().project().article().char_len();
    // Wheel down a few screens at a time, then jump through the article.
    for n in 0..20 {
        harness.event(egui::Event::MouseWheel {
            unit: MouseWheelUnit::Point,
            delta: vec2(0.0, -2000.0),
            phase: TouchPhase::Move,
            source: MouseWheelSource::Trackpad,
            modifiers: Modifiers::NONE,
        });
        harness.step();
        assert_bounded(&harness, &format!("wheel frame {n}"));
    }
    for tenth in 0..=10 {
        let at = CharOffset(char_len * tenth / 10);
        harness
            .state_mut()
            .view_mut()
            .scroll_to(CharRange::between(at, at));
        harness.step();
        assert_bounded(&harness, &format!("jump to {tenth}/10"));
        harness.step();
        assert_eq!(
            harness.state().view().laid_out_last_frame,
            0,
            "a still frame re-uses its layouts"
        );
    }
    let visible = harness
        .state()
        .view()
        .visible_chars(harness.state().document().project())
        .ok_or("nothing painted")?;
    assert_eq!(visible.end().0, char_len, "the last jump shows the end");
    Ok(())
}
