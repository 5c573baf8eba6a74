//! Merge benchmark: a project with 50 000 spans on a 5 MB article, edited 500 times on each
//! side (add, delete, relabel, resize, note, status, chosen by a fixed pseudo-random
//! sequence), merged by the pure function and by the whole `spanmark merge` command as git
//! runs it (three files read, merged, the result written into OURS). Each is run five times;
//! the median is printed. Run with `cargo bench --bench merge`; see `docs/team.md`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use spanmark::format::{project_to_ron, read_project};
use spanmark::model::merge::merge;
use spanmark::model::{Article, CharRange, LabelId, LabelSet, Project, Span, SpanId, Status};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Spans in the base project.
const SPANS: usize = 50_000;
/// Edits on each side.
const EDITS: usize = 500;
/// Runs of each measurement; the median is reported.
const RUNS: usize = 5;

/// A small deterministic generator (64-bit LCG), so every run merges the same projects.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

/// 5 MB of prose in sentences of about 100 bytes, one span per sentence.
fn base_project() -> Result<Project> {
    const WORDS: &[&str] = &[
        "the", "minister", "said", "offer", "was", "rejected", "café", "talks", "would", "resume",
        "after", "summer", "prices", "rose", "3%", "in", "May", "union", "«no»",
    ];
    let mut rng = Lcg(7);
    let mut text = String::with_capacity(SPANS * 104);
    let mut sentences = Vec::with_capacity(SPANS);
    let mut at = 0usize;
    for _ in 0..SPANS {
        let start = at;
        let mut sentence = String::new();
        while sentence.len() < 95 {
            if !sentence.is_empty() {
                sentence.push(' ');
            }
            sentence.push_str(WORDS.get(rng.next(WORDS.len())).copied().unwrap_or("x"));
        }
        sentence.push_str(". ");
        at += sentence.chars().count();
        sentences.push((start, at - 2));
        text.push_str(&sentence);
        if rng.next(8) == 0 {
            text.push('\n');
            at += 1;
        }
    }
    let mut project = Project::new(Article::new("bench", None, &text), LabelSet::default());
    for (i, (start, end)) in sentences.into_iter().enumerate() {
        project.insert_span(Span {
            id: SpanId(i as u64),
            range: CharRange::new(start, end).ok_or("range")?,
            label: LabelId((i % 3) as u16),
            note: String::new(),
            status: Status::Confirmed,
        })?;
    }
    Ok(project)
}

/// `base` with `EDITS` random edits (as an analyst makes them, through `tag` / `change` /
/// `delete`).
fn edited(base: &Project, seed: u64) -> Project {
    let mut p = base.clone();
    let mut rng = Lcg(seed);
    let len = p.article().char_len();
    let mut done = 0;
    while done < EDITS {
        let i = rng.next(p.spans().len());
        let Some(span) = p.spans().at(i).cloned() else {
            continue;
        };
        let label = LabelId(rng.next(3) as u16);
        let made = match rng.next(6) {
            0 => {
                let start = rng.next(len - 40);
                let range = CharRange::new(start, start + 5 + rng.next(30)).unwrap_or_default();
                p.tag(range, label)
            }
            1 => p.delete(span.id),
            2 => p.change(span.id, |s| s.label = label),
            3 => p.change(span.id, |s| {
                s.range = CharRange::new(s.range.start().get(), s.range.end().get() - 3)
                    .unwrap_or(s.range);
            }),
            4 => p.change(span.id, |s| s.note = format!("note {seed} {i}")),
            _ => p.change(span.id, |s| s.status = Status::NeedsReview),
        };
        if let Ok(edit) = made
            && p.apply(&edit).is_ok()
        {
            done += 1;
        }
    }
    p
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> Result {
    // `cargo bench` passes `--bench`; nothing to parse.
    let base = base_project()?;
    let ours = edited(&base, 11);
    let theirs = edited(&base, 23);

    let mut pure = Vec::with_capacity(RUNS);
    let mut summary = String::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let merged = merge(&base, &ours, &theirs)?;
        pure.push(t.elapsed());
        summary = format!("{} spans: {}", merged.project.spans().len(), merged.summary);
        std::hint::black_box(merged);
    }

    let dir = tempfile::tempdir()?;
    let path = |name: &str| dir.path().join(name);
    let (b, t, result) = (path("base.ron"), path("theirs.ron"), path("ours.ron"));
    let ours_text = project_to_ron(&ours)?;
    std::fs::write(&b, project_to_ron(&base)?)?;
    std::fs::write(&t, project_to_ron(&theirs)?)?;
    let size_mb = std::fs::metadata(&b)?.len() as f64 / 1e6;
    let mut whole = Vec::with_capacity(RUNS);
    let mut loads = Vec::with_capacity(RUNS);
    let mut exit = None;
    for _ in 0..RUNS {
        std::fs::write(&result, &ours_text)?;
        let t0 = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_spanmark"))
            .arg("merge")
            .args([&b, &result, &t])
            .arg(Path::new("bench.ron"))
            .output()?;
        whole.push(t0.elapsed());
        exit = out.status.code();
        let t1 = Instant::now();
        std::hint::black_box(read_project(&b)?);
        loads.push(t1.elapsed());
    }
    let check = read_project(&result)?;
    println!(
        "spanmark merge benchmark: {SPANS} spans, {EDITS} edits on each side, median of {RUNS}"
    );
    println!("  project file                  {size_mb:.1} MB");
    println!("  merged                        {summary}");
    println!(
        "  merge(), pure function        {:8.1} ms",
        ms(median(pure))
    );
    println!(
        "  spanmark merge, whole command {:8.1} ms (exit {exit:?}; reads 3 files, writes 1)",
        ms(median(whole))
    );
    println!(
        "  read_project of one file      {:8.1} ms",
        ms(median(loads))
    );
    println!(
        "  result loads: {} spans, {} warnings",
        check.project.spans().len(),
        check.warnings.len()
    );
    Ok(())
}
