//! The window on the corpus: issue 8's window figures, measured on the real app.
//!
//! The app is driven headless exactly as `benches/scale.rs` drives it
//! (`SpanmarkApp::headless` + `egui::Context::run_ui` + `tessellate` at 1280x800, no GPU),
//! on the generated corpus folder:
//!
//! - `corpus_open_cold_ms` / `corpus_open_ms`: from building the app on the folder (without,
//!   then with the cache in `.spanmark/`) to the end of the first frame that draws the
//!   documents panel's rows with a document open. Between frames the benchmark idles as
//!   eframe does: until a background task asks for a repaint, or until the delay the last
//!   frame asked for, 60 Hz frames while a spinner shows (no display: vsync is not waited
//!   for otherwise). `corpus_search_ready_*` go on to the frame that takes up the search
//!   index the window builds after opening.
//! - `doc_switch_ms`: a span tagged in the open document, then Ctrl+PgDn: the frame that
//!   saves the document left (the safe save) and opens the next one, plus the frame that
//!   draws it. The projects changed are put back byte for byte afterwards.
//! - `corpus_search_window_ms`: a query typed into the corpus search window, to the end of
//!   the frame that shows its results. The query runs on a task started by the frame after
//!   the typing and is taken up by a later frame, so with frames at 60 Hz this is at least
//!   two frame intervals (33 ms) whatever the search costs.
//! - frames with the documents panel showing, against the scale benchmark's budget
//!   (p95 ≤ 4 ms at 5 MB): hovering a 5 kB document; wheel-scrolling the panel over every
//!   row; and, in a temporary corpus of links to the same folders plus a 5 MB article of
//!   50,000 spans, hovering and scrolling that article top to bottom. Each set gives the
//!   wall-clock p50 and p95 and `…_p95_unqueued_ms`, the p95 of each frame's wall clock
//!   less the time the thread waited for a CPU (`/proc/thread-self/schedstat`): on a shared
//!   machine a frame that is preempted waits a scheduler tick (4 ms) more, which that
//!   figure leaves out.
//! - `corpus_rss_mb`: the `VmRSS` of a child process (this benchmark run as
//!   `corpus-… --window-rss-child DIR`) that only opens the window on the corpus, waits for
//!   the search index and draws a few frames; `corpus_rss_peak_mb` its `VmHWM`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui::{
    Event, Key, Modifiers, MouseWheelSource, MouseWheelUnit, Pos2, RawInput, Rect, TouchPhase,
};
use spanmark::app::{AppOptions, SpanmarkApp};
use spanmark::format::{self, project_to_ron, safe_write};
use spanmark::model::{Article, CharRange, LabelId, LabelSet, Project, Span, SpanId, Status};
use spanmark::ui::article_view::Selection;
use spanmark::ui::command::Command;
use spanmark::ui::dialogs::PromptOnly;

use super::{Result, Rng, WORDS, median, ms, rss_kb};

/// The argument that makes this benchmark the memory child.
const RSS_CHILD: &str = "--window-rss-child";
/// Window size of every frame, in points (as in the scale benchmark).
const WINDOW: [f32; 2] = [1280.0, 800.0];
/// A frame of a 60 Hz display: how long a window that asks for continuous repaints (a
/// spinner) waits between frames.
const VSYNC: Duration = Duration::from_micros(16_667);
/// After a document switch, frames are watched this long (the folder watcher reports the
/// save meanwhile).
const SETTLE: Duration = Duration::from_millis(100);
/// Longest wait for any background work.
const PATIENCE: Duration = Duration::from_mins(2);
/// Opens without the cache measured.
const COLD_OPENS: usize = 3;
/// Warm opens measured.
const WARM_OPENS: usize = 5;
/// Document switches measured.
const SWITCHES: usize = 25;
/// Frames hovering a document.
const STEADY_FRAMES: usize = 1000;
/// One wheel event a frame scrolls this many points (about two screens, as in the scale
/// benchmark).
const WHEEL_POINTS: f32 = 1500.0;
/// Article scrolling: stretches started by a jump, and wheel frames in each.
const SCROLL_STRETCHES: usize = 20;
/// Wheel frames per stretch.
const STRETCH_FRAMES: usize = 20;
/// The big article's size in bytes, and one span per this many bytes (the scale
/// benchmark's 5 MB case).
const BIG_BYTES: usize = 5_000_000;
/// One span per this many bytes of the big article.
const BYTES_PER_SPAN: usize = 100;
/// The scale issue's frame budget: p95 of a frame at 5 MB, hovering or scrolling.
const FRAME_BUDGET_MS: f64 = 4.0;
/// Queries typed into the corpus search window: no match (every span, note, label and
/// article searched) and typical ones.
const QUERIES: [&str; 5] = [
    "no such words here",
    "Zürichx",
    "sanctions figure",
    "second opinion",
    "москва",
];

/// When this process is the memory child (`--window-rss-child DIR`), do its work and say
/// how it went; `None` otherwise.
pub fn child() -> Option<Result> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| a == RSS_CHILD)?;
    Some(match args.get(at + 1) {
        Some(dir) => rss_child(Path::new(dir)),
        None => Err(format!("{RSS_CHILD} needs a folder").into()),
    })
}

/// True when only the window's figures are wanted (`SPANMARK_CORPUS_WINDOW_ONLY` set).
pub fn only() -> bool {
    std::env::var_os("SPANMARK_CORPUS_WINDOW_ONLY").is_some()
}

/// Every window figure of the corpus in `dir` (of `docs` documents).
pub fn measure(dir: &Path, docs: usize, suffix: &str) -> Result {
    let started = Instant::now();
    let elsewhere = tempfile::Builder::new()
        .prefix("spanmark-bench-saves")
        .tempdir()?;
    let mut window = measure_opens(dir, docs, suffix, elsewhere.path())?;
    eprintln!(
        "[{:.0} s] window opens done",
        started.elapsed().as_secs_f64()
    );

    // Frames with the documents panel showing: hovering the open 5 kB document, then
    // wheel-scrolling the panel from its first row to its last.
    let steady = window.hover_frames(STEADY_FRAMES, Hover::Article);
    frame_figures("corpus_frame", &format!("_{suffix}"), &steady);
    let scroll = window.scroll_panel()?;
    frame_figures("corpus_docs_scroll", &format!("_{suffix}"), &scroll);
    eprintln!(
        "  panel scrolled over {docs} rows in {} frames",
        scroll.len()
    );

    // Searching from the window.
    let mut searches = Vec::new();
    for query in QUERIES {
        let (ms, hits) = window.search(query)?;
        eprintln!("  window search {query:?}: {hits} result(s) in {ms:.1} ms");
        searches.push(ms);
    }
    figure(
        &format!("corpus_search_window_ms_{suffix}"),
        median(&mut searches),
        "ms",
    );

    // Switching documents with unsaved changes; the projects written are put back after.
    let (mut switches, settle) = {
        let mut restore = Restore::default();
        let result = window.switches(&mut restore);
        drop(window);
        restore.put_back()?;
        result?
    };
    figure(
        &format!("doc_switch_ms_{suffix}"),
        median(&mut switches),
        "ms",
    );
    figure(
        &format!("doc_switch_max_ms_{suffix}"),
        quantile(&switches, 1.0),
        "ms",
    );
    figure(
        &format!("doc_switch_settle_max_ms_{suffix}"),
        quantile(&settle, 1.0),
        "ms",
    );
    // The cache follows the projects put back, as the next window would leave it.
    spanmark::format::corpus::open(dir, spanmark::format::corpus::OpenOptions::default())?;
    eprintln!("[{:.0} s] switches done", started.elapsed().as_secs_f64());

    // The window's memory, in a process of its own.
    let (rss, peak) = rss_of_child(dir)?;
    figure(&format!("corpus_rss_mb_{suffix}"), rss, "MB");
    figure(&format!("corpus_rss_peak_mb_{suffix}"), peak, "MB");

    // The 5 MB article open in a corpus of the same documents.
    big_article_frames(dir, docs, suffix, elsewhere.path())?;
    eprintln!("[{:.0} s] window done", started.elapsed().as_secs_f64());
    Ok(())
}

/// The opening figures: [`COLD_OPENS`] opens without the cache, then [`WARM_OPENS`] with
/// it, each on to the search index; the last window, still open.
fn measure_opens(dir: &Path, docs: usize, suffix: &str, elsewhere: &Path) -> Result<Window> {
    let mut cold = Vec::new();
    let mut cold_ready = Vec::new();
    for _ in 0..COLD_OPENS {
        fs::remove_dir_all(spanmark::format::corpus::cache_dir(dir)).ok();
        let mut window = Window::open(dir, elsewhere)?;
        cold.push(window.opened_ms);
        cold_ready.push(window.search_ready()?);
        window.check_rows()?;
    }
    let mut warm = Vec::new();
    let mut warm_ready = Vec::new();
    let mut last = None;
    for _ in 0..WARM_OPENS {
        let mut window = Window::open(dir, elsewhere)?;
        warm.push(window.opened_ms);
        let (first_ms, last_ms, frames) = window.open_frames;
        eprintln!(
            "  warm open {:.0} ms: {frames} frames, the first {first_ms:.1} ms, the last \
             (corpus taken up, document loaded) {last_ms:.1} ms",
            window.opened_ms
        );
        warm_ready.push(window.search_ready()?);
        window.check_rows()?;
        let reused = window.app.corpus().map_or(0, |c| c.corpus.cache.reused);
        if reused != docs {
            return Err(
                format!("a warm open read {reused} summaries of {docs} from the cache").into(),
            );
        }
        last = Some(window);
    }
    figure(
        &format!("corpus_open_cold_ms_{suffix}"),
        median(&mut cold),
        "ms",
    );
    figure(&format!("corpus_open_ms_{suffix}"), median(&mut warm), "ms");
    figure(
        &format!("corpus_search_ready_cold_ms_{suffix}"),
        median(&mut cold_ready),
        "ms",
    );
    figure(
        &format!("corpus_search_ready_ms_{suffix}"),
        median(&mut warm_ready),
        "ms",
    );
    Ok(last.ok_or("no window")?)
}

/// Print a figure with two decimals (frames take fractions of a millisecond).
fn figure(name: &str, value: f64, unit: &str) {
    println!("{name} {value:.2} {unit}");
}

/// Print `{stem}_p50_ms{tail}` and `{stem}_p95_ms{tail}` (wall clock) and
/// `{stem}_p95_unqueued_ms{tail}` (wall clock less waiting for a CPU) of `frames`; the two
/// p95s.
///
/// On a machine shared with other work, a frame that loses its CPU waits a whole scheduler
/// tick (4 ms here) before it goes on, which decides the wall-clock p95 of frames that take
/// about 1 ms; the unqueued p95 is what the app itself costs.
fn frame_figures(stem: &str, tail: &str, frames: &[Timing]) -> (f64, f64) {
    let wall: Vec<f64> = frames.iter().map(|t| t.wall_ms).collect();
    let unqueued: Vec<f64> = frames.iter().map(|t| t.unqueued_ms).collect();
    let p95 = quantile(&wall, 0.95);
    let p95_unqueued = quantile(&unqueued, 0.95);
    figure(&format!("{stem}_p50_ms{tail}"), quantile(&wall, 0.5), "ms");
    figure(&format!("{stem}_p95_ms{tail}"), p95, "ms");
    figure(&format!("{stem}_p95_unqueued_ms{tail}"), p95_unqueued, "ms");
    (p95, p95_unqueued)
}

/// The `q` quantile (0..=1) of `samples`, nearest rank.
fn quantile(samples: &[f64], q: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len().max(1));
    sorted.get(rank - 1).copied().unwrap_or(f64::NAN)
}

/// Where the pointer wanders while frames run.
#[derive(Clone, Copy)]
enum Hover {
    /// Over the article column.
    Article,
    /// Over the documents panel (on the left).
    Panel,
}

/// The app and the egui context that drives it, one frame at a time.
struct Window {
    ctx: egui::Context,
    app: SpanmarkApp,
    /// When the app was built.
    built: Instant,
    /// Milliseconds from building the app to the end of the first frame with the documents
    /// panel's rows and a document open.
    opened_ms: f64,
    /// The frames run until then: the first one's milliseconds, the last one's (which took
    /// up the corpus and loaded the document), and how many there were.
    open_frames: (f64, f64, usize),
    time: f64,
    step: usize,
    /// When the last frame asked to be repainted, as eframe reads it from the frame's output.
    repaint_delay: Duration,
    /// Repaint requests made outside a frame (background tasks, the folder watcher), with
    /// the number of frames finished when they were made.
    wake: Receiver<u64>,
}

/// One measured frame.
#[derive(Clone, Copy)]
struct Timing {
    /// Wall-clock milliseconds (what a user waits).
    wall_ms: f64,
    /// `wall_ms` less the time this thread was ready to run but waited for a CPU that
    /// another thread or process held (`NaN` without `/proc/thread-self/schedstat`). On a
    /// shared machine a preempted frame waits a whole scheduler tick (4 ms here).
    unqueued_ms: f64,
}

/// Nanoseconds this thread has waited, ready to run, for a CPU: the second field of
/// `/proc/thread-self/schedstat`. (Its first field, the time run, is only brought up to
/// date at scheduler ticks, 4 ms apart; the waiting time is counted exactly, each time the
/// thread gets a CPU back.)
fn thread_cpu_wait_ns() -> Option<u64> {
    fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

impl Window {
    /// Build the app on the corpus folder `dir` and run frames until it shows the corpus.
    fn open(dir: &Path, elsewhere: &Path) -> Result<Self> {
        let ctx = egui::Context::default();
        let (waker, wake) = channel();
        ctx.set_request_repaint_callback(move |info| {
            if info.delay.is_zero() {
                // The window may be gone while a task still finishes.
                let _ = waker.send(info.current_cumulative_pass_nr);
            }
        });
        let built = Instant::now();
        let app = SpanmarkApp::headless(
            &ctx,
            AppOptions {
                file: Some(dir.to_owned()),
                dialogs: Box::new(PromptOnly),
                save_dir: Some(elsewhere.to_owned()),
                recovery_dir: None,
                compare: Vec::new(),
            },
        );
        let mut window = Self {
            ctx,
            app,
            built,
            opened_ms: 0.0,
            open_frames: (0.0, 0.0, 0),
            time: 0.0,
            step: 0,
            repaint_delay: Duration::ZERO,
            wake,
        };
        loop {
            let took = window.frame(Vec::new(), Hover::Article).wall_ms;
            let (first, _, count) = window.open_frames;
            window.open_frames = (if count == 0 { took } else { first }, took, count + 1);
            if window.shows_corpus() {
                break;
            }
            if built.elapsed() > PATIENCE {
                return Err("the corpus never opened in the window".into());
            }
            window.idle();
        }
        window.opened_ms = ms(built);
        Ok(window)
    }

    /// The corpus is open, its panel lists documents, and one of them is the open document.
    fn shows_corpus(&self) -> bool {
        if self.app.is_opening_corpus() {
            return false;
        }
        let Some(state) = self.app.corpus() else {
            return false;
        };
        let Some(current) = state.current else {
            return false;
        };
        !state.corpus.docs.is_empty()
            && state.project_path(current).is_some()
            && state.project_path(current) == self.app.document().path
    }

    /// Run frames until the search index is built; milliseconds since the app was built.
    fn search_ready(&mut self) -> Result<f64> {
        while self.app.corpus().is_some_and(|c| c.search.indexing()) {
            if self.built.elapsed() > PATIENCE {
                return Err("the search index was never built".into());
            }
            self.idle();
            self.frame(Vec::new(), Hover::Article);
        }
        Ok(ms(self.built))
    }

    /// Wait for the next frame as eframe does: until something outside the frames asks
    /// for a repaint (a background task finished), or until the delay the last frame asked
    /// for, where "now" means the next frame of a 60 Hz display.
    fn idle(&mut self) {
        self.idle_until(Instant::now() + PATIENCE);
    }

    /// [`Window::idle`], but no later than `deadline`.
    fn idle_until(&mut self, deadline: Instant) {
        let deadline = deadline.min(
            Instant::now()
                + if self.repaint_delay.is_zero() {
                    VSYNC
                } else {
                    self.repaint_delay.min(PATIENCE)
                },
        );
        let frames = self.ctx.cumulative_pass_nr();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.wake.recv_timeout(left) {
                // Requests made during a frame are in its output already.
                Ok(made_after) if made_after >= frames => return,
                Ok(_) => {}
                Err(_) => return,
            }
        }
    }

    /// One frame (layout, paint, tessellation) with `events`; its timing.
    fn frame(&mut self, events: Vec<Event>, hover: Hover) -> Timing {
        self.frame_with(events, Modifiers::NONE, hover).0
    }

    /// One frame with `events` and `modifiers` held; its timing and its output.
    fn frame_with(
        &mut self,
        events: Vec<Event>,
        modifiers: Modifiers,
        hover: Hover,
    ) -> (Timing, egui::PlatformOutput) {
        self.step += 1;
        // The pointer wanders in small steps, so that egui has hovering to do.
        let t = self.step as f32;
        let pointer = match hover {
            Hover::Article => Pos2::new(320.0 + (t * 7.0) % 560.0, 180.0 + (t * 13.0) % 450.0),
            Hover::Panel => Pos2::new(20.0 + (t * 7.0) % 200.0, 200.0 + (t * 13.0) % 450.0),
        };
        let mut all = vec![
            Event::ModifiersChanged(modifiers),
            Event::PointerMoved(pointer),
        ];
        all.extend(events);
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, WINDOW.into())),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            events: all,
            focused: true,
            ..RawInput::default()
        };
        self.time += 1.0 / 60.0;
        let app = &mut self.app;
        let waited_before = thread_cpu_wait_ns();
        let start = Instant::now();
        let mut output = self.ctx.run_ui(input, |ui| app.frame_ui(ui));
        let shapes = std::mem::take(&mut output.shapes);
        let primitives = self.ctx.tessellate(shapes, output.pixels_per_point);
        let wall_ms = ms(start);
        let unqueued_ms = match (waited_before, thread_cpu_wait_ns()) {
            (Some(before), Some(after)) => wall_ms - after.saturating_sub(before) as f64 / 1e6,
            _ => f64::NAN,
        };
        std::hint::black_box(primitives);
        self.repaint_delay = output
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map_or(PATIENCE, |v| v.repaint_delay);
        let platform_output = std::mem::take(&mut output.platform_output);
        // No GPU takes up the font atlas: drop its updates as a painter would after use
        // (egui asserts that deltas are not dropped unseen).
        output.drop_without_applying_deltas();
        (
            Timing {
                wall_ms,
                unqueued_ms,
            },
            platform_output,
        )
    }

    /// The labels of the documents panel's rows built in one frame (read from the
    /// accessibility tree, which is on for that frame only).
    fn rows_shown(&mut self, hover: Hover) -> Vec<String> {
        self.ctx.enable_accesskit();
        let (_, output) = self.frame_with(Vec::new(), Modifiers::NONE, hover);
        self.ctx.disable_accesskit();
        output
            .accesskit_update
            .map(|update| {
                update
                    .nodes
                    .iter()
                    .filter(|(_, node)| node.role() == Role::ListItem)
                    .filter_map(|(_, node)| node.label().map(str::to_owned))
                    .filter(|label| label.contains(".txt ("))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The panel shows rows, the open document's among them, and only about a screenful.
    fn check_rows(&mut self) -> Result {
        let rows = self.rows_shown(Hover::Article);
        let current = self
            .app
            .corpus()
            .and_then(|c| c.current.and_then(|i| c.corpus.docs.get(i)))
            .map(|d| d.path.clone())
            .ok_or("no document open")?;
        if rows.is_empty() || rows.len() >= 100 {
            return Err(format!("the documents panel built {} rows", rows.len()).into());
        }
        if !rows.iter().any(|r| r.starts_with(&format!("{current} ("))) {
            return Err(format!("the open document {current} is not among the rows shown").into());
        }
        Ok(())
    }

    /// `frames` frames with the pointer wandering over `hover`.
    fn hover_frames(&mut self, frames: usize, hover: Hover) -> Vec<Timing> {
        for _ in 0..10 {
            self.frame(Vec::new(), hover);
        }
        (0..frames).map(|_| self.frame(Vec::new(), hover)).collect()
    }

    /// Wheel-scroll the documents panel from its first row until its last one shows.
    fn scroll_panel(&mut self) -> Result<Vec<Timing>> {
        let last = {
            let Some(state) = self.app.corpus() else {
                return Err("no corpus".into());
            };
            // The panel sorts by name: the last row is the greatest path in natural order.
            state
                .corpus
                .docs
                .iter()
                .map(|d| d.path.as_str())
                .max_by(|a, b| spanmark::model::corpus::natural_cmp(a, b))
                .map(str::to_owned)
                .ok_or("no documents")?
        };
        // To the top first (the panel opened scrolled to the open document).
        for _ in 0..400 {
            self.frame(wheel(-WHEEL_POINTS * 20.0), Hover::Panel);
            if self
                .rows_shown(Hover::Panel)
                .iter()
                .any(|r| r.contains("desk-0/week-00/"))
            {
                break;
            }
        }
        let mut samples = Vec::new();
        loop {
            for _ in 0..50 {
                samples.push(self.frame(wheel(WHEEL_POINTS), Hover::Panel));
            }
            if self
                .rows_shown(Hover::Panel)
                .iter()
                .any(|r| r.starts_with(&format!("{last} (")))
            {
                return Ok(samples);
            }
            if samples.len() > 20_000 {
                return Err("the documents panel never scrolled to its last row".into());
            }
        }
    }

    /// Type `query` into the corpus search window; the milliseconds from the frame that
    /// typed it to the end of the frame that shows its results, and how many there are.
    fn search(&mut self, query: &str) -> Result<(f64, usize)> {
        self.app.send(Command::OpenCorpusSearch);
        self.frame(Vec::new(), Hover::Article);
        self.frame(Vec::new(), Hover::Article);
        // Select what the field holds, so that typing replaces it.
        let select_all = Event::Key {
            key: Key::A,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::COMMAND,
        };
        self.frame_with(vec![select_all], Modifiers::COMMAND, Hover::Article);
        let start = Instant::now();
        self.frame(vec![Event::Text(query.to_owned())], Hover::Article);
        loop {
            let shown = self
                .app
                .corpus()
                .is_some_and(|c| c.search.searched == query && !c.search.searching());
            if shown {
                break;
            }
            if start.elapsed() > PATIENCE {
                return Err(format!("the corpus search never showed results for {query:?}").into());
            }
            self.idle();
            self.frame(Vec::new(), Hover::Article);
        }
        let took = ms(start);
        let hits = self.app.corpus().map_or(0, |c| c.search.hits.len());
        self.app.send(Command::CloseCorpusSearch);
        self.frame(Vec::new(), Hover::Article);
        Ok((took, hits))
    }

    /// Tag a span in the open document, then Ctrl+PgDn, [`SWITCHES`] times; the
    /// milliseconds of each switch (its frame and the next), and of every frame in the
    /// 100 ms after (the folder watcher reports the save then).
    fn switches(&mut self, restore: &mut Restore) -> Result<(Vec<f64>, Vec<f64>)> {
        let mut switches = Vec::new();
        let mut settle = Vec::new();
        for n in 0..SWITCHES {
            let left = self
                .app
                .document()
                .path
                .clone()
                .ok_or("the document has no file")?;
            let left_index = self.app.corpus().and_then(|c| c.current);
            restore.keep(&left);
            let spans_before = self.app.document().project().spans().len();
            self.tag(n)?;
            if !self.app.is_dirty() {
                return Err("tagging did not change the document".into());
            }
            let spans = self.app.document().project().spans().len();
            let (press, _) =
                self.frame_with(vec![page_down(true)], Modifiers::COMMAND, Hover::Article);
            let draw = self.frame(vec![page_down(false)], Hover::Article);
            switches.push(press.wall_ms + draw.wall_ms);
            if self.app.corpus().and_then(|c| c.current) == left_index || self.app.is_dirty() {
                return Err("Ctrl+PgDn did not move to the next document".into());
            }
            let saved = format::read_project(&left)?.project.spans().len();
            if saved != spans || saved <= spans_before {
                return Err(format!(
                    "{} was not saved on leaving it ({saved} spans on disk, {spans} in the window)",
                    left.display()
                )
                .into());
            }
            let quiet = Instant::now();
            while quiet.elapsed() < SETTLE {
                self.idle_until(quiet + SETTLE);
                settle.push(self.frame(Vec::new(), Hover::Article).wall_ms);
            }
        }
        Ok((switches, settle))
    }

    /// Select most of the open document's first span with room inside it and label it
    /// with another label (as a drag and a key would).
    fn tag(&mut self, n: usize) -> Result {
        let project = self.app.document().project();
        let labels = project.labels().len().max(1);
        let span = project
            .spans()
            .iter()
            .filter(|s| s.range.len() > 4)
            .nth(n % 5)
            .ok_or("no span to tag beside")?;
        let selection = Selection {
            anchor: span.range.start() + 1,
            head: span.range.end() - 1,
        };
        let label = LabelId(((usize::from(span.label.0) + 1) % labels) as u16);
        self.app.view_mut().selection = Some(selection);
        self.app.send(Command::ApplyLabel(label));
        self.frame(Vec::new(), Hover::Article);
        self.frame(Vec::new(), Hover::Article);
        Ok(())
    }

    /// Scroll the article top to bottom as the scale benchmark does: stretches of wheel
    /// frames, each started by a jump to its part of the article, then wheel frames until
    /// the last char shows.
    fn scroll_article(&mut self) -> Result<Vec<Timing>> {
        let ranges: Vec<CharRange> = self
            .app
            .document()
            .project()
            .spans()
            .iter()
            .map(|s| s.range)
            .collect();
        let char_len = self.app.document().project().article().char_len();
        let mut samples = Vec::new();
        for stretch in 0..SCROLL_STRETCHES {
            let at = ranges.len() * stretch / SCROLL_STRETCHES;
            let range = if stretch == 0 {
                CharRange::default()
            } else {
                ranges.get(at).copied().unwrap_or_default()
            };
            self.app.view_mut().scroll_to(range);
            samples.push(self.frame(Vec::new(), Hover::Article));
            for _ in 1..STRETCH_FRAMES {
                samples.push(self.frame(wheel(WHEEL_POINTS), Hover::Article));
            }
        }
        let at_end = |app: &SpanmarkApp| {
            app.view()
                .visible_chars(app.document().project())
                .is_some_and(|r| r.end().0 == char_len)
        };
        let mut extra = 0;
        while !at_end(&self.app) && extra < 400 {
            samples.push(self.frame(wheel(WHEEL_POINTS), Hover::Article));
            extra += 1;
        }
        if !at_end(&self.app) {
            return Err("scrolling never reached the article's end".into());
        }
        Ok(samples)
    }
}

fn wheel(points: f32) -> Vec<Event> {
    vec![Event::MouseWheel {
        unit: MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -points),
        phase: TouchPhase::Move,
        source: MouseWheelSource::Trackpad,
        modifiers: Modifiers::NONE,
    }]
}

fn page_down(pressed: bool) -> Event {
    Event::Key {
        key: Key::PageDown,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    }
}

/// Project files as they were before the benchmark wrote them, to put back.
#[derive(Default)]
struct Restore(Vec<(PathBuf, Option<Vec<u8>>)>);

impl Restore {
    /// Remember `path` as it is now (the first time only).
    fn keep(&mut self, path: &Path) {
        if !self.0.iter().any(|(p, _)| p == path) {
            self.0.push((path.to_owned(), fs::read(path).ok()));
        }
    }

    /// Put every file back as it was (removing those that did not exist), without the
    /// safe save's `.bak` beside it.
    fn put_back(&mut self) -> Result {
        for (path, bytes) in self.0.drain(..) {
            match bytes {
                Some(bytes) => fs::write(&path, bytes)?,
                None => fs::remove_file(&path).or_else(ignore_missing)?,
            }
            fs::remove_file(safe_write::backup_path(&path)).or_else(ignore_missing)?;
        }
        Ok(())
    }
}

fn ignore_missing(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::NotFound {
        Ok(())
    } else {
        Err(e)
    }
}

/// The memory child: open the window on `dir`, wait for the search index, draw a few
/// frames, and print `VmRSS VmHWM` in kB.
fn rss_child(dir: &Path) -> Result {
    let elsewhere = tempfile::Builder::new()
        .prefix("spanmark-bench-saves")
        .tempdir()?;
    let mut window = Window::open(dir, elsewhere.path())?;
    window.search_ready()?;
    window.hover_frames(60, Hover::Article);
    window.hover_frames(60, Hover::Panel);
    println!("{} {}", rss_kb("VmRSS:"), rss_kb("VmHWM:"));
    Ok(())
}

/// Run the memory child on `dir`; its `VmRSS` and `VmHWM` in MB.
fn rss_of_child(dir: &Path) -> Result<(f64, f64)> {
    let output = Process::new(std::env::current_exe()?)
        .arg(RSS_CHILD)
        .arg(dir)
        .output()?;
    let reply = String::from_utf8_lossy(&output.stdout);
    let values: Vec<f64> = reply
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    let [rss, peak] = values.as_slice() else {
        return Err(format!(
            "the memory child failed: {reply} {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    };
    Ok((rss / 1024.0, peak / 1024.0))
}

/// Frames with a 5 MB article of 50,000 spans open beside the corpus's documents: a
/// temporary corpus holds links to the generated corpus's folders and that article.
fn big_article_frames(dir: &Path, docs: usize, suffix: &str, elsewhere: &Path) -> Result {
    let big = tempfile::Builder::new()
        .prefix("spanmark-bench-corpus-5mb")
        .tempdir()?;
    let mut linked = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if entry.file_type()?.is_dir() && !name.to_string_lossy().starts_with('.') {
            std::os::unix::fs::symlink(entry.path(), big.path().join(&name))?;
            linked += 1;
        }
    }
    let spans = write_big_article(&big.path().join("big"))?;
    eprintln!("  a 5 MB article with {spans} spans beside {linked} linked folders");

    let mut window = Window::open(big.path(), elsewhere)?;
    window.search_ready()?;
    let open = window.app.document().project().spans().len();
    let listed = window.app.corpus().map_or(0, |c| c.corpus.docs.len());
    if open != spans || listed != docs + 1 {
        return Err(format!(
            "the 5 MB corpus opened {listed} documents and a document of {open} spans"
        )
        .into());
    }
    window.check_rows()?;
    let tail = format!("_5mb_{suffix}");
    let steady = window.hover_frames(STEADY_FRAMES, Hover::Article);
    let (steady_p95, steady_cpu) = frame_figures("corpus_frame", &tail, &steady);
    let scroll = window.scroll_article()?;
    let (scroll_p95, scroll_cpu) = frame_figures("corpus_scroll", &tail, &scroll);
    let panel = window.scroll_panel()?;
    let (panel_p95, panel_cpu) = frame_figures("corpus_docs_scroll", &tail, &panel);
    let verdict = |p95: f64| {
        if p95 <= FRAME_BUDGET_MS {
            "holds"
        } else {
            "MISSED"
        }
    };
    eprintln!(
        "  frame budget (p95 <= {FRAME_BUDGET_MS} ms) at 5 MB with the documents panel showing: \
         wall clock {}, less waiting for a CPU {}",
        verdict(steady_p95.max(scroll_p95).max(panel_p95)),
        verdict(steady_cpu.max(scroll_cpu).max(panel_cpu)),
    );
    drop(window);
    Ok(())
}

/// Write `stem.txt` (about 5 MB of prose in paragraphs of varied length) and `stem.ron`
/// (its project, one span every 100 bytes, labels in turn); the number of spans.
fn write_big_article(stem: &Path) -> Result<usize> {
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let mut text = String::with_capacity(BIG_BYTES + 4096);
    while text.len() < BIG_BYTES {
        let sentences = 1 + rng.below(12);
        for s in 0..sentences {
            if s > 0 {
                text.push(' ');
            }
            let words = 6 + rng.below(20);
            for w in 0..words {
                let word = WORDS.get(rng.below(WORDS.len())).copied().unwrap_or("the");
                if w > 0 {
                    text.push(' ');
                }
                text.push_str(word);
            }
            text.push('.');
        }
        text.push('\n');
    }
    let name = stem
        .file_name()
        .map_or_else(|| "big".to_owned(), |n| n.to_string_lossy().into_owned());
    let mut project = Project::new(Article::new(name, None, &text), LabelSet::default());
    let chars = project.article().char_len();
    let count = text.len() / BYTES_PER_SPAN;
    let stride = chars / count.max(1);
    let labels = project.labels().len().max(1);
    let mut inserted = 0;
    for i in 0..count {
        let start = i * stride + rng.below(stride / 4 + 1);
        let Some(range) = CharRange::new(start, (start + 8 + rng.below(50)).min(chars)) else {
            continue;
        };
        let span = Span {
            id: SpanId(i as u64),
            range,
            label: LabelId((i % labels) as u16),
            note: String::new(),
            status: Status::Confirmed,
        };
        if project.insert_span(span).is_ok() {
            inserted += 1;
        }
    }
    if let Some(folder) = stem.parent() {
        fs::create_dir_all(folder)?;
    }
    fs::write(stem.with_extension("txt"), &text)?;
    fs::write(stem.with_extension("ron"), project_to_ron(&project)?)?;
    Ok(inserted)
}
