//! Scale benchmark: a 5 MB article with 50 000 spans, measured beside egui's own `TextEdit`.
//!
//! Builds articles of 50 kB, 500 kB and 5 MB (varied English prose with some non-ASCII, or
//! the text of `SPANMARK_BENCH_ARTICLE` repeated), with one span every 100 chars, and drives
//! the real app headlessly (`egui::Context::run_ui` + `tessellate` at 1280x800, no GPU):
//! opening, whole frames in the middle of the article, wheel scrolling top to bottom,
//! tagging, saving and loading. The same text in a stock `TextEdit::multiline` inside a
//! `ScrollArea` is measured in a child process (so that its memory does not count towards
//! ours), in the same run. Run with `cargo bench --bench scale`; see `docs/performance.md`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Instant;

use egui::{Event, Modifiers, MouseWheelSource, MouseWheelUnit, Pos2, RawInput, Rect, TouchPhase};
use spanmark::app::{AppOptions, SpanmarkApp};
use spanmark::format;
use spanmark::model::{CharOffset, CharRange, LabelId, LabelSet, Project, Span, SpanId, Status};
use spanmark::ui::article_view::Selection;
use spanmark::ui::command::Command;
use spanmark::ui::dialogs::PromptOnly;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Window size of every measured frame, in points.
const WINDOW: [f32; 2] = [1280.0, 800.0];
/// Article sizes in bytes, with the name used in figure names.
const SIZES: [(usize, &str); 3] = [(50_000, "50kb"), (500_000, "500kb"), (5_000_000, "5mb")];
/// One span per this many bytes of article.
const BYTES_PER_SPAN: usize = 100;
/// Frames measured in the middle of the article.
const STEADY_FRAMES: usize = 1000;
/// Frames measured while scrolling (wheel frames plus jump frames).
const SCROLL_FRAMES: usize = 400;
/// Wheel-scrolled stretches spread through the article, each started by a jump.
const SCROLL_STRETCHES: usize = 20;
/// One wheel event per frame scrolls this many points (about two screens).
const WHEEL_POINTS: f32 = 1500.0;
/// Frames measured while the window is resized.
const RESIZE_FRAMES: usize = 100;
/// Labels applied in the tag measurement.
const TAG_REPEATS: usize = 20;
/// Repeats of open, save and load; the median is reported.
const IO_REPEATS: usize = 5;

fn main() -> Result {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--textedit-child") {
        let file = args.get(i + 1).ok_or("--textedit-child needs a file")?;
        let frames = args
            .get(i + 2)
            .and_then(|f| f.parse().ok())
            .ok_or("--textedit-child needs a frame count")?;
        return textedit_child(Path::new(file), frames);
    }
    let source = std::env::var_os("SPANMARK_BENCH_ARTICLE").map(PathBuf::from);
    let seed_text = match &source {
        Some(path) => Some(std::fs::read_to_string(path)?),
        None => None,
    };
    let dir = tempfile::tempdir()?;
    let mut figures = Figures::default();
    let started = Instant::now();
    // `SPANMARK_BENCH_PROFILE=1`: only the 5 MB article, a hundred times the frames, no
    // TextEdit baseline; for running under `perf record`. `=steady`: only the frames in the
    // middle of the article (after open, save and load).
    let profile = std::env::var_os("SPANMARK_BENCH_PROFILE").is_some();
    let sizes = if profile { &SIZES[2..] } else { &SIZES[..] };
    for &(bytes, name) in sizes {
        let text = match &seed_text {
            Some(seed) => repeat_to(seed, bytes),
            None => prose(bytes),
        };
        measure_size(dir.path(), &text, name, profile, &mut figures)?;
        eprintln!(
            "[{:.0} s] {name} done",
            started.elapsed().as_secs_f64().round()
        );
    }
    // Peak memory of everything above (the TextEdit baselines ran in child processes).
    figures.push("peak_rss_mb", peak_rss_mb(), "MB");
    let ratio = |f: &Figures, a: &str, b: &str| Some(f.get(a)? / f.get(b)?);
    if let Some(r) = ratio(&figures, "textedit_frame_p95_ms_5mb", "frame_p95_ms_5mb") {
        figures.push("speedup_vs_textedit_5mb", r, "x");
    }
    if let Some(r) = ratio(&figures, "frame_p95_ms_5mb", "frame_p95_ms_50kb") {
        figures.push("flatness_5mb_vs_50kb", r, "x");
    }
    figures.push("bench_runtime_s", started.elapsed().as_secs_f64(), "s");
    figures.print(source.as_deref());
    Ok(())
}

/// Measurements named `name value unit`, in the order they were taken.
#[derive(Default)]
struct Figures(Vec<(String, f64, &'static str)>);

impl Figures {
    fn push(&mut self, name: &str, value: f64, unit: &'static str) {
        self.0.push((name.to_owned(), value, unit));
    }

    fn get(&self, name: &str) -> Option<f64> {
        self.0
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, v, _)| *v)
    }

    fn print(&self, source: Option<&Path>) {
        let text = source.map_or_else(
            || "built-in prose".to_owned(),
            |p| format!("{} (repeated)", p.display()),
        );
        let pacing = std::env::var("SPANMARK_BENCH_FRAME_GAP_MS").map_or_else(
            |_| "frames back to back".to_owned(),
            |ms| format!("{ms} ms idle after each frame"),
        );
        println!(
            "\nspanmark scale benchmark: {text}, window 1280x800, release, headless, {pacing}\n"
        );
        let rows = [
            ("open (import + index + spans)", "open_ms", "ms"),
            ("frame p50 (mid-article, hover)", "frame_p50_ms", "ms"),
            ("frame p95 (mid-article, hover)", "frame_p95_ms", "ms"),
            ("scroll frame p50", "scroll_p50_ms", "ms"),
            ("scroll frame p95", "scroll_p95_ms", "ms"),
            ("resize frame p95", "resize_p95_ms", "ms"),
            ("tag (apply + paint), median", "tag_ms", "ms"),
            ("tag (apply + paint), max", "tag_max_ms", "ms"),
            ("save", "save_ms", "ms"),
            ("load", "load_ms", "ms"),
            ("TextEdit frame p50", "textedit_frame_p50_ms", "ms"),
            ("TextEdit frame p95", "textedit_frame_p95_ms", "ms"),
            ("TextEdit first frame", "textedit_first_frame_ms", "ms"),
        ];
        print!("{:<34}", "");
        for (_, size) in SIZES {
            print!("{size:>12}");
        }
        println!();
        for (title, key, unit) in rows {
            print!("{:<34}", format!("{title} ({unit})"));
            for (_, size) in SIZES {
                match self.get(&format!("{key}_{size}")) {
                    Some(v) => print!("{v:>12.2}"),
                    None => print!("{:>12}", "-"),
                }
            }
            println!();
        }
        println!();
        for (name, value, unit) in &self.0 {
            println!("{name} {} {unit}", round(*value));
        }
    }
}

/// Three significant digits at most, two decimals at most; four decimals with
/// `SPANMARK_BENCH_DIGITS` set, to compare two builds.
fn round(v: f64) -> String {
    if std::env::var_os("SPANMARK_BENCH_DIGITS").is_some() {
        return format!("{v:.4}");
    }
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The `q` quantile (0..=1) of `samples`, nearest rank.
fn quantile(samples: &[f64], q: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len().max(1));
    sorted.get(rank - 1).copied().unwrap_or(f64::NAN)
}

fn ms_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// Peak resident set size of this process, from `/proc/self/status` (Linux).
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// A small deterministic random number generator (xorshift), so every run has the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("the")
    }
}

const WORDS: &[&str] = &[
    "the",
    "minister",
    "said",
    "that",
    "government",
    "would",
    "not",
    "accept",
    "offer",
    "of",
    "a",
    "ceasefire",
    "in",
    "region",
    "after",
    "talks",
    "with",
    "delegation",
    "from",
    "capital",
    "officials",
    "reported",
    "on",
    "Tuesday",
    "agreement",
    "was",
    "unlikely",
    "before",
    "summer",
    "according",
    "to",
    "sources",
    "familiar",
    "negotiations",
    "which",
    "have",
    "stalled",
    "since",
    "spring",
    "spokesperson",
    "denied",
    "any",
    "claims",
    "about",
    "troops",
    "near",
    "border",
    "analysts",
    "warned",
    "economy",
    "could",
    "suffer",
    "further",
    "sanctions",
    "are",
    "imposed",
    "president",
    "promised",
    "reforms",
    "and",
    "new",
    "elections",
    "but",
    "opposition",
    "leaders",
    "remain",
    "sceptical",
    "café",
    "naïve",
    "Zürich",
    "São",
    "Paulo",
    "Kraków",
    "résumé",
    "déjà",
    "vu",
    "fiancée",
    "Müller",
    "Ångström",
    "über",
    "piñata",
    "coöperate",
    "Dvořák",
    "élite",
    "rôle",
    "façade",
    "jalapeño",
    "this",
    "is",
    "an",
    "important",
    "moment",
    "for",
    "country",
    "its",
    "people",
    "who",
    "they",
    "were",
    "told",
    "by",
    "their",
    "representatives",
    "during",
    "meeting",
    "held",
    "behind",
    "closed",
    "doors",
    "last",
    "week",
    "statement",
    "issued",
    "late",
    "evening",
    "confirmed",
    "earlier",
    "reports",
    "however",
    "no",
    "details",
    "given",
    "journalists",
    "asked",
    "whether",
    "plan",
    "included",
    "guarantees",
    "independent",
    "observers",
    "will",
    "monitor",
    "process",
    "over",
    "coming",
    "months",
    "at",
    "least",
    "three",
    "hundred",
    "thousand",
    "residents",
    "fled",
    "homes",
    "prices",
    "rose",
    "sharply",
];

const QUOTES: &[&str] = &[
    "“We will not surrender,” he said.",
    "“There is no agreement yet,” a spokesperson told reporters.",
    "She called the offer “a non-starter — and everyone knows it.”",
    "“C’est déjà trop tard,” wrote one commentator.",
    "The report — published in Zürich — was “inconclusive at best.”",
];

/// Deterministic English-like prose of about `bytes` bytes: paragraphs of varied length
/// (from one sentence to a few thousand chars, a few longer than the 4096-char paragraph
/// limit), sentences with quotes, dashes and accented words.
fn prose(bytes: usize) -> String {
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let mut out = String::with_capacity(bytes + 8192);
    while out.len() < bytes {
        let sentences = match rng.below(40) {
            0 => 50 + rng.below(30), // a very long paragraph, cut for layout
            1..=6 => 1,
            _ => 2 + rng.below(10),
        };
        for s in 0..sentences {
            if s > 0 {
                out.push(' ');
            }
            if rng.below(8) == 0 {
                out.push_str(rng.pick(QUOTES));
                continue;
            }
            let words = 6 + rng.below(20);
            for w in 0..words {
                let word = rng.pick(WORDS);
                if w == 0 {
                    let mut chars = word.chars();
                    if let Some(first) = chars.next() {
                        out.extend(first.to_uppercase());
                        out.push_str(chars.as_str());
                    }
                } else {
                    out.push(' ');
                    out.push_str(word);
                }
                if w + 1 < words && rng.below(12) == 0 {
                    out.push(',');
                }
            }
            out.push('.');
        }
        out.push('\n');
        if rng.below(5) == 0 {
            out.push('\n');
        }
    }
    cut_at_char(&mut out, bytes);
    out
}

/// `seed` repeated (separated by a line break) until it is `bytes` long.
fn repeat_to(seed: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + seed.len() + 1);
    while out.len() < bytes && !seed.is_empty() {
        out.push_str(seed);
        out.push('\n');
    }
    cut_at_char(&mut out, bytes);
    out
}

fn cut_at_char(text: &mut String, bytes: usize) {
    let mut cut = bytes.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
}

/// One span per [`BYTES_PER_SPAN`] bytes, evenly spread, labels in rotation, lengths varied;
/// every tenth span is long enough to overlap the next one.
fn spans_for(project: &Project, bytes: usize) -> Vec<Span> {
    let count = bytes / BYTES_PER_SPAN;
    let chars = project.article().char_len();
    let stride = chars / count.max(1);
    let labels = project.labels().len();
    let mut rng = Rng(0x0dd5_ba11_0f5e_a115 ^ bytes as u64);
    (0..count)
        .map(|i| {
            let start = i * stride + rng.below(stride / 4);
            let len = if i % 10 == 0 {
                stride + 40
            } else {
                8 + rng.below(50)
            };
            Span {
                id: SpanId(i as u64),
                range: CharRange::between(CharOffset(start), CharOffset((start + len).min(chars))),
                label: LabelId((i % labels) as u16),
                note: if i % 20 == 0 {
                    "check the source".to_owned()
                } else {
                    String::new()
                },
                status: if i % 50 == 0 {
                    Status::NeedsReview
                } else {
                    Status::Confirmed
                },
            }
        })
        .collect()
}

/// What `open_ms` measures: import (read, check, normalise, index) and the span index.
fn open_project(article_path: &Path, spans: &[Span]) -> Result<Project> {
    let article = format::import_article(article_path)?;
    let mut project = Project::new(article, LabelSet::default());
    for span in spans {
        project.insert_span(span.clone())?;
    }
    Ok(project)
}

/// Drives one egui context frame by frame as a window would, timing each frame.
struct Driver {
    ctx: egui::Context,
    time: f64,
    /// Where the pointer is; moved a little every frame so egui has hovering to do.
    pointer: Pos2,
    step: usize,
    /// Triangle-mesh vertices of the last frame, to show that frames really paint.
    last_vertices: usize,
    /// Window size in points.
    window: egui::Vec2,
    /// Idle time after each frame (`SPANMARK_BENCH_FRAME_GAP_MS`, default 0: back to back).
    gap: std::time::Duration,
}

impl Driver {
    fn new() -> Self {
        Self {
            ctx: egui::Context::default(),
            time: 0.0,
            pointer: Pos2::new(300.0, 300.0),
            step: 0,
            last_vertices: 0,
            window: WINDOW.into(),
            // A window app is paced by the display and idle between frames; frames run back
            // to back instead keep caches warm but make the bench a CPU hog that the other
            // processes of a shared machine preempt mid-frame. Both are worth a look.
            gap: std::time::Duration::from_millis(
                std::env::var("SPANMARK_BENCH_FRAME_GAP_MS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0),
            ),
        }
    }

    /// Run one frame (layout, paint, tessellation) of `ui` with `events`; returns its ms.
    fn frame(&mut self, events: Vec<Event>, mut ui: impl FnMut(&mut egui::Ui)) -> f64 {
        self.step += 1;
        // Wander over the article column (and its spans) in small steps.
        let t = self.step as f32;
        self.pointer = Pos2::new(200.0 + (t * 7.0) % 500.0, 180.0 + (t * 13.0) % 450.0);
        let mut all = vec![Event::PointerMoved(self.pointer)];
        all.extend(events);
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, self.window)),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            events: all,
            focused: true,
            ..RawInput::default()
        };
        self.time += 1.0 / 60.0;
        let start = Instant::now();
        let mut output = self.ctx.run_ui(input, &mut ui);
        let shapes = std::mem::take(&mut output.shapes);
        let primitives = self.ctx.tessellate(shapes, output.pixels_per_point);
        let ms = ms_since(start);
        self.last_vertices = primitives
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(mesh) => mesh.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum();
        black_box(primitives);
        output.drop_without_applying_deltas();
        if !self.gap.is_zero() {
            std::thread::sleep(self.gap);
        }
        ms
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

fn median(samples: &[f64]) -> f64 {
    quantile(samples, 0.5)
}

fn measure_size(
    dir: &Path,
    text: &str,
    size: &str,
    profile: bool,
    figures: &mut Figures,
) -> Result {
    let article_path = dir.join(format!("article-{size}.txt"));
    std::fs::write(&article_path, text)?;
    let probe = Project::new(format::import_article(&article_path)?, LabelSet::default());
    let spans = spans_for(&probe, text.len());
    let char_len = probe.article().char_len();
    drop(probe);
    eprintln!(
        "{size}: {} bytes, {char_len} chars, {} spans",
        text.len(),
        spans.len()
    );

    // Open: import and index the article, then insert every span.
    let mut open = Vec::new();
    let mut project = None;
    for _ in 0..IO_REPEATS {
        let start = Instant::now();
        let p = open_project(&article_path, &spans)?;
        open.push(ms_since(start));
        project = Some(black_box(p));
    }
    let project = project.ok_or("no project")?;
    figures.push(&format!("open_ms_{size}"), median(&open), "ms");

    // Save and load through the real code paths (safe save: temp file, fsync, rename).
    let project_path = dir.join(format!("project-{size}.ron"));
    let mut save = Vec::new();
    for _ in 0..IO_REPEATS {
        let start = Instant::now();
        format::write_project(&project_path, &project)?;
        save.push(ms_since(start));
    }
    figures.push(&format!("save_ms_{size}"), median(&save), "ms");
    let mut load = Vec::new();
    for _ in 0..IO_REPEATS {
        let start = Instant::now();
        let loaded = format::read_project(&project_path)?;
        load.push(ms_since(start));
        if loaded.project.spans().len() != spans.len() || !loaded.warnings.is_empty() {
            return Err(format!("{size}: the project did not load back whole").into());
        }
        black_box(loaded);
    }
    figures.push(&format!("load_ms_{size}"), median(&load), "ms");
    drop(project);

    let repeat = if profile { 100 } else { 1 };
    measure_app(&project_path, size, spans.len(), char_len, repeat, figures)?;
    if profile {
        return Ok(());
    }

    // Stock egui on the same text, in a child process (same run, its own memory).
    let frames = if text.len() > 1_000_000 { 40 } else { 200 };
    let exe = std::env::current_exe()?;
    let output = Process::new(exe)
        .arg("--textedit-child")
        .arg(&article_path)
        .arg(frames.to_string())
        .output()?;
    let reply = String::from_utf8_lossy(&output.stdout);
    let values: Vec<f64> = reply
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    let [first, p50, p95, rss] = values.as_slice() else {
        return Err(format!(
            "the TextEdit child failed: {reply} {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    };
    figures.push(&format!("textedit_first_frame_ms_{size}"), *first, "ms");
    figures.push(&format!("textedit_frame_p50_ms_{size}"), *p50, "ms");
    figures.push(&format!("textedit_frame_p95_ms_{size}"), *p95, "ms");
    figures.push(&format!("textedit_peak_rss_mb_{size}"), *rss, "MB");
    Ok(())
}

#[expect(
    clippy::too_many_lines,
    reason = "one app, measured stage by stage: steady, scroll, resize, tag, find"
)]
fn measure_app(
    project_path: &Path,
    size: &str,
    span_count: usize,
    char_len: usize,
    repeat: usize,
    figures: &mut Figures,
) -> Result {
    let mut driver = Driver::new();
    let mut app = SpanmarkApp::headless(
        &driver.ctx,
        AppOptions {
            file: Some(project_path.to_owned()),
            dialogs: Box::new(PromptOnly),
            save_dir: Some(project_path.parent().unwrap_or(Path::new(".")).to_owned()),
            recovery_dir: None,
            compare: Vec::new(),
        },
    );
    // Large files open on a background thread: frames keep coming while it works.
    let mut waited = 0;
    while app.document().project().spans().len() != span_count {
        driver.frame(Vec::new(), |ui| app.frame_ui(ui));
        std::thread::sleep(std::time::Duration::from_millis(5));
        waited += 1;
        if waited > 4000 {
            return Err(format!("{size}: the project never finished opening").into());
        }
    }
    let ids: Vec<SpanId> = app
        .document()
        .project()
        .spans()
        .iter()
        .map(|s| s.id)
        .collect();
    let id_at = |fraction: f64| {
        let i = ((ids.len() as f64 * fraction) as usize).min(ids.len().saturating_sub(1));
        ids.get(i).copied()
    };

    // Steady frames in the middle of the article, a span selected, the pointer hovering.
    app.send(Command::SelectSpan {
        id: id_at(0.5),
        scroll: true,
    });
    for _ in 0..10 {
        driver.frame(Vec::new(), |ui| app.frame_ui(ui));
    }
    let steady: Vec<f64> = (0..STEADY_FRAMES * repeat)
        .map(|_| driver.frame(Vec::new(), |ui| app.frame_ui(ui)))
        .collect();
    let laid_out = app.view().laid_out_last_frame;
    let painted = app.view().painted_last_frame;
    let vertices = driver.last_vertices;
    figures.push(&format!("frame_p50_ms_{size}"), median(&steady), "ms");
    figures.push(
        &format!("frame_p95_ms_{size}"),
        quantile(&steady, 0.95),
        "ms",
    );
    if std::env::var("SPANMARK_BENCH_PROFILE").is_ok_and(|v| v == "steady") {
        return Ok(());
    }
    eprintln!(
        "{size}: a steady frame lays out {laid_out} and paints {painted} paragraphs, {vertices} vertices"
    );

    // Scrolling top to bottom: stretches of wheel frames, each stretch started by a jump
    // (as a scrollbar drag would) to its part of the article, the last one wheel-scrolling
    // to the very end.
    app.send(Command::SelectSpan {
        id: None,
        scroll: false,
    });
    let mut scroll = Vec::new();
    let per_stretch = SCROLL_FRAMES * repeat / SCROLL_STRETCHES;
    for stretch in 0..SCROLL_STRETCHES {
        let from = stretch as f64 / SCROLL_STRETCHES as f64;
        if let Some(span) = id_at(from).and_then(|id| app.document().project().spans().get(id)) {
            let range = if stretch == 0 {
                CharRange::default()
            } else {
                span.range
            };
            app.view_mut().scroll_to(range);
        }
        scroll.push(driver.frame(Vec::new(), |ui| app.frame_ui(ui)));
        for _ in 1..per_stretch {
            scroll.push(driver.frame(wheel(WHEEL_POINTS), |ui| app.frame_ui(ui)));
        }
    }
    // Finish at the bottom: keep wheeling until the last char is on screen.
    let at_end = |app: &SpanmarkApp| {
        app.view()
            .visible_chars(app.document().project())
            .is_some_and(|r| r.end().0 == char_len)
    };
    let mut extra = 0;
    while !at_end(&app) && extra < 200 {
        scroll.push(driver.frame(wheel(WHEEL_POINTS), |ui| app.frame_ui(ui)));
        extra += 1;
    }
    if !at_end(&app) {
        return Err(format!("{size}: scrolling never reached the end").into());
    }
    figures.push(&format!("scroll_p50_ms_{size}"), median(&scroll), "ms");
    figures.push(
        &format!("scroll_p95_ms_{size}"),
        quantile(&scroll, 0.95),
        "ms",
    );
    eprintln!(
        "{size}: scrolled in {} frames ({extra} extra wheel frames to reach the end)",
        scroll.len()
    );

    // Resizing: the window narrows and widens by a few points every frame, as while
    // dragging its edge, in the middle of the article; every frame re-estimates all
    // paragraph heights and lays out the visible ones at the new width.
    app.send(Command::SelectSpan {
        id: id_at(0.5),
        scroll: true,
    });
    driver.frame(Vec::new(), |ui| app.frame_ui(ui));
    let resize: Vec<f64> = (0..RESIZE_FRAMES)
        .map(|i| {
            driver.window.x = 1000.0 + (i * 7 % 200) as f32;
            driver.frame(Vec::new(), |ui| app.frame_ui(ui))
        })
        .collect();
    driver.window = WINDOW.into();
    driver.frame(Vec::new(), |ui| app.frame_ui(ui));
    figures.push(
        &format!("resize_p95_ms_{size}"),
        quantile(&resize, 0.95),
        "ms",
    );

    // Tagging: select a few words beside a span in view, press a label, and time the frame
    // that applies it plus the frame that paints it.
    let mut tag = Vec::new();
    for n in 0..TAG_REPEATS {
        let Some(id) = id_at(0.3 + 0.02 * n as f64) else {
            continue;
        };
        app.send(Command::SelectSpan {
            id: Some(id),
            scroll: true,
        });
        driver.frame(Vec::new(), |ui| app.frame_ui(ui));
        driver.frame(Vec::new(), |ui| app.frame_ui(ui));
        let Some(span) = app.document().project().spans().get(id).cloned() else {
            continue;
        };
        let before = app.document().project().spans().len();
        app.view_mut().selection = Some(Selection {
            anchor: span.range.start() + 1,
            head: span.range.end() - 1,
        });
        app.send(Command::ApplyLabel(LabelId(((n + 1) % 3) as u16)));
        let applying = driver.frame(Vec::new(), |ui| app.frame_ui(ui));
        let showing = driver.frame(Vec::new(), |ui| app.frame_ui(ui));
        tag.push(applying + showing);
        if app.document().project().spans().len() != before + 1 {
            return Err(format!("{size}: tagging did not add a span").into());
        }
    }
    figures.push(&format!("tag_ms_{size}"), median(&tag), "ms");
    figures.push(&format!("tag_max_ms_{size}"), quantile(&tag, 1.0), "ms");

    // Find: a whole-article search for a common word (what the find bar's background task
    // does per keystroke), then frames with the bar open and every match highlighted.
    let text = app.document().project().article().shared_text();
    let mut searches = Vec::new();
    let mut found = 0;
    for _ in 0..IO_REPEATS {
        let start = Instant::now();
        found = black_box(spanmark::model::search::find_all(&text, "the", false)).len();
        searches.push(ms_since(start));
    }
    figures.push(&format!("find_ms_{size}"), median(&searches), "ms");
    app.send(Command::OpenFind);
    driver.frame(Vec::new(), |ui| app.frame_ui(ui));
    driver.frame(Vec::new(), |ui| app.frame_ui(ui));
    driver.frame(vec![Event::Text("the".to_owned())], |ui| app.frame_ui(ui));
    let wait = Instant::now();
    while app.find().count().0 != found && wait.elapsed().as_secs() < 30 {
        driver.frame(Vec::new(), |ui| app.frame_ui(ui));
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    if app.find().count().0 != found {
        return Err(format!("{size}: the find bar never showed the {found} matches").into());
    }
    let finding: Vec<f64> = (0..STEADY_FRAMES * repeat / 4)
        .map(|_| driver.frame(Vec::new(), |ui| app.frame_ui(ui)))
        .collect();
    figures.push(
        &format!("find_frame_p95_ms_{size}"),
        quantile(&finding, 0.95),
        "ms",
    );
    eprintln!("{size}: \"the\" occurs {found} times");
    Ok(())
}

/// The baseline: the article in egui's own read-only multiline `TextEdit` in a `ScrollArea`,
/// in a window of the same size, scrolled to the middle and hovered as ours is. Prints
/// `first_frame_ms p50_ms p95_ms peak_rss_mb`.
fn textedit_child(file: &Path, frames: usize) -> Result {
    let text = std::fs::read_to_string(file)?;
    let mut driver = Driver::new();
    // The first frame lays out the whole text; it also tells the content height.
    let mut height = 0.0;
    let first = driver.frame(Vec::new(), |ui| height = textedit_ui(ui, &text, None));
    let mut scroll_to = Some(height / 2.0);
    let mut samples = Vec::new();
    for i in 0..frames + 2 {
        let offset = scroll_to.take();
        let ms = driver.frame(Vec::new(), |ui| {
            textedit_ui(ui, &text, offset);
        });
        // The frame that scrolls and the one after it settle the view; measure the rest.
        if i >= 2 {
            samples.push(ms);
        }
    }
    println!(
        "{first} {} {} {}",
        median(&samples),
        quantile(&samples, 0.95),
        peak_rss_mb()
    );
    Ok(())
}

/// A read-only `TextEdit::multiline` filling the window, in a `ScrollArea` scrolled to
/// `offset` when given; returns the content height.
fn textedit_ui(ui: &mut egui::Ui, text: &str, offset: Option<f32>) -> f32 {
    egui::CentralPanel::default()
        .show(ui, |ui| {
            let mut area = egui::ScrollArea::vertical().auto_shrink(false);
            if let Some(y) = offset {
                area = area.vertical_scroll_offset(y);
            }
            area.show(ui, |ui| {
                ui.add(
                    egui::TextEdit::multiline(&mut &*text)
                        .desired_width(f32::INFINITY)
                        .font(egui::FontId::proportional(17.0)),
                );
            })
            .content_size
            .y
        })
        .inner
}
