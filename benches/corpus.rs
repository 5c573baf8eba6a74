//! Corpus benchmark: 10,000 articles of about 5 kB in nested folders, 50 spans each.
//!
//! Generates the corpus once (deterministically, under Cargo's target tmp folder; it is
//! reused by later runs), then measures opening it without and with the cache, building the
//! search index and its memory, searching it, and the `stats`, `grep` and `check` commands
//! as whole processes of the release binary. Prints `name value unit` lines like the scale
//! benchmark. Run with `cargo bench --bench corpus`; see `docs/corpus.md`.
//!
//! `SPANMARK_CORPUS_DIR=path` puts the generated corpus elsewhere; `SPANMARK_CORPUS_DOCS=n`
//! makes a smaller one (the figure names keep the `_10k` suffix only at 10,000).
//! The window's figures (the real app on the corpus) are in `corpus/window.rs`;
//! `SPANMARK_CORPUS_WINDOW_ONLY=1` measures only those; `SPANMARK_CORPUS_ONLY=suggest` only
//! `spanmark suggest` over the corpus (`corpus/suggest.rs`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use rayon::prelude::*;
use spanmark::format::corpus::{self as disk, OpenOptions};
use spanmark::format::project_to_ron;
use spanmark::model::corpus_search::SearchOptions;
use spanmark::model::{Article, CharRange, LabelId, LabelSet, Project, Span, SpanId, Status};

#[path = "corpus/suggest.rs"]
mod suggest;
#[path = "corpus/window.rs"]
mod window;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Documents in the full corpus.
const DOCS: usize = 10_000;
/// Spans per document.
const SPANS_PER_DOC: usize = 50;
/// Article size to reach, in bytes.
const ARTICLE_BYTES: usize = 5_000;
/// Bumped whenever the generated corpus changes, so an old one is made again.
const GENERATION: &str = "corpus-v3";
/// Search hits asked for, as the window's result list does.
const SEARCH_LIMIT: usize = 200;

const WORDS: &[&str] = &[
    "the",
    "government",
    "announced",
    "on",
    "Monday",
    "that",
    "it",
    "would",
    "raise",
    "taxes",
    "by",
    "percent",
    "minister",
    "said",
    "in",
    "a",
    "statement",
    "officials",
    "confirmed",
    "report",
    "according",
    "to",
    "sources",
    "familiar",
    "with",
    "matter",
    "election",
    "vote",
    "parliament",
    "budget",
    "deficit",
    "growth",
    "inflation",
    "rate",
    "central",
    "bank",
    "spokesperson",
    "denied",
    "allegations",
    "million",
    "people",
    "city",
    "council",
    "approved",
    "plan",
    "housing",
    "prices",
    "rose",
    "last",
    "year",
    "analysts",
    "expect",
    "further",
    "increase",
    "protest",
    "police",
    "arrested",
    "several",
    "demonstrators",
    "court",
    "ruled",
    "against",
    "company",
    "shares",
    "fell",
    "after",
    "earnings",
    "missed",
    "forecasts",
    "climate",
    "summit",
    "agreed",
    "emissions",
    "targets",
    "negotiators",
    "ceasefire",
    "talks",
    "resumed",
    "border",
    "region",
    "refugees",
    "aid",
    "agencies",
    "warned",
    "shortages",
    "hospital",
    "patients",
    "vaccine",
    "trial",
    "results",
    "showed",
    "Kyiv",
    "Zürich",
    "São",
    "Paulo",
    "Москва",
    "Straße",
    "café",
    "naïve",
    "résumé",
    "unemployment",
    "fell",
    "workers",
    "union",
    "strike",
    "wages",
    "contract",
    "ministry",
    "defence",
    "spending",
    "alliance",
    "treaty",
    "signed",
    "delegation",
    "visited",
];

const NOTES: &[&str] = &[
    "checked against the press release",
    "source: ministry website, archived copy",
    "needs a second opinion",
    "figure differs from last year's report",
    "quoted in two other outlets",
    "verify the sanctions figure with Reuters",
];

/// Deterministic xorshift generator: the same corpus on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn main() -> Result {
    if let Some(done) = window::child() {
        return done;
    }
    let docs: usize = std::env::var("SPANMARK_CORPUS_DOCS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DOCS);
    let suffix = if docs == DOCS {
        "10k".to_owned()
    } else {
        format!("{docs}")
    };
    let dir = std::env::var_os("SPANMARK_CORPUS_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{GENERATION}-{docs}")),
        PathBuf::from,
    );
    let started = Instant::now();
    generate(&dir, docs)?;
    eprintln!(
        "[{:.0} s] corpus ready in {}",
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    if window::only() {
        return window::measure(&dir, docs, &suffix);
    }
    if suggest::measure(&dir, &suffix)? {
        return Ok(());
    }
    let corpus = measure_open(&dir, docs, &suffix)?;
    measure_index(&corpus, docs, &suffix);
    measure_commands(&dir, &suffix)?;
    window::measure(&dir, docs, &suffix)?;
    eprintln!("[{:.0} s] done", started.elapsed().as_secs_f64());
    Ok(())
}

/// Opening without and with the cache; returns the corpus.
fn measure_open(dir: &Path, docs: usize, suffix: &str) -> Result<disk::Corpus> {
    // Opening without the cache (it is removed first), three times.
    let mut cold = Vec::new();
    for _ in 0..3 {
        fs::remove_dir_all(disk::cache_dir(dir)).ok();
        let t = Instant::now();
        let corpus = disk::open(dir, OpenOptions::default())?;
        cold.push(ms(t));
        assert_eq!(corpus.docs.len(), docs, "every document found");
        assert!(corpus.cache.written, "the cache was written");
    }
    figure(
        &format!("corpus_open_cold_ms_{suffix}"),
        median(&mut cold),
        "ms",
    );

    // Opening with the cache present.
    let mut warm = Vec::new();
    let mut corpus = None;
    for _ in 0..5 {
        let t = Instant::now();
        let opened = disk::open(dir, OpenOptions::default())?;
        warm.push(ms(t));
        assert_eq!(
            opened.cache.reused, docs,
            "every summary came from the cache"
        );
        corpus = Some(opened);
    }
    figure(&format!("corpus_open_ms_{suffix}"), median(&mut warm), "ms");
    let corpus = corpus.ok_or("no corpus")?;
    let totals = corpus.totals();
    assert_eq!(totals.documents, docs);
    eprintln!(
        "  {} documents, {} annotations, {} done, {} chars",
        totals.documents,
        totals.annotations(),
        totals.done,
        totals.chars
    );
    Ok(corpus)
}

/// Building the index, its memory, and searching it.
fn measure_index(corpus: &disk::Corpus, docs: usize, suffix: &str) {
    let totals = corpus.totals();

    // The search index and its memory: the first build is measured for memory, then the
    // median of three builds for time.
    let rss_before = rss_kb("VmRSS:");
    let t = Instant::now();
    let (index, problems) = disk::build_index(&corpus.files);
    let first_build = ms(t);
    let rss_after = rss_kb("VmRSS:");
    assert!(problems.is_empty(), "{problems:?}");
    let mut builds = vec![first_build];
    for _ in 0..2 {
        let t = Instant::now();
        let (again, _) = disk::build_index(&corpus.files);
        builds.push(ms(t));
        drop(again);
    }
    figure(
        &format!("corpus_index_ms_{suffix}"),
        median(&mut builds),
        "ms",
    );
    figure(
        &format!("corpus_index_rss_mb_{suffix}"),
        rss_after.saturating_sub(rss_before) as f64 / 1024.0,
        "MB",
    );
    let text_bytes: usize = totals.chars; // ASCII-heavy prose: about a byte a char
    figure(
        &format!("corpus_index_bytes_mb_{suffix}"),
        (index.own_bytes() + text_bytes) as f64 / 1_048_576.0,
        "MB",
    );
    assert_eq!(
        index.span_count(),
        docs * SPANS_PER_DOC,
        "every span indexed"
    );

    // Searching. The goal's figure is a query that looks at every span, note and label:
    // queries that match nothing, so no early stop helps (median of three queries run five
    // times each). Typical queries that fill the result list, and the same full scans over
    // the articles' text too, are reported beside it.
    let spans_only = SearchOptions {
        article: false,
        ..SearchOptions::default()
    };
    let mut full = Vec::new();
    let mut full_text = Vec::new();
    for q in ["no such words here", "Zürichx", "ПУТИН"] {
        for _ in 0..5 {
            let t = Instant::now();
            let hits = index.search_with(q, spans_only, SEARCH_LIMIT);
            full.push(ms(t));
            assert!(hits.is_empty());
            let t = Instant::now();
            let _ = std::hint::black_box(index.search(q, SEARCH_LIMIT));
            full_text.push(ms(t));
        }
    }
    let mut typical = Vec::new();
    for q in [
        "sanctions figure",
        "ZÜRICH",
        "москва",
        "second opinion",
        "Disclaimer",
    ] {
        let mut found = 0;
        for _ in 0..5 {
            let t = Instant::now();
            found = index.search_with(q, spans_only, SEARCH_LIMIT).len();
            typical.push(ms(t));
        }
        eprintln!("  search {q:?}: {found} hit(s)");
    }
    figure(
        &format!("corpus_search_ms_{suffix}"),
        median(&mut full),
        "ms",
    );
    figure(
        &format!("corpus_search_typical_ms_{suffix}"),
        median(&mut typical),
        "ms",
    );
    figure(
        &format!("corpus_search_with_text_ms_{suffix}"),
        median(&mut full_text),
        "ms",
    );
    drop(index);
    figure(
        &format!("bench_rss_peak_mb_{suffix}"),
        rss_kb("VmHWM:") as f64 / 1024.0,
        "MB",
    );
}

/// The commands, as whole processes of the release binary.
fn measure_commands(dir: &Path, suffix: &str) -> Result {
    let exe = Path::new(env!("CARGO_BIN_EXE_spanmark"));
    let d = dir.to_string_lossy().into_owned();
    figure(
        &format!("stats_ms_{suffix}"),
        process_ms(exe, &["stats", &d, "--json"], 0)?,
        "ms",
    );
    figure(
        &format!("grep_ms_{suffix}"),
        process_ms(exe, &["grep", "sanctions", &d], 0)?,
        "ms",
    );
    figure(
        &format!("check_ms_{suffix}"),
        process_ms(exe, &["check", &d], 0)?,
        "ms",
    );
    fs::remove_dir_all(disk::cache_dir(dir)).ok();
    figure(
        &format!("stats_nocache_ms_{suffix}"),
        process_ms(exe, &["stats", &d, "--json"], 0)?,
        "ms",
    );
    // Leave the cache as the window would.
    disk::open(dir, OpenOptions::default())?;
    Ok(())
}

fn figure(name: &str, value: f64, unit: &str) {
    println!("{name} {value:.1} {unit}");
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// The median wall time of three runs of `exe args`, which must exit with `code`.
fn process_ms(exe: &Path, args: &[&str], code: i32) -> Result<f64> {
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let status = Command::new(exe)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        times.push(ms(t));
        if status.code() != Some(code) {
            return Err(format!("spanmark {args:?} exited with {status}").into());
        }
    }
    Ok(median(&mut times))
}

/// A field of /proc/self/status in kB (0 where there is none).
fn rss_kb(field: &str) -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Make the corpus in `dir` unless a finished one is there.
fn generate(dir: &Path, docs: usize) -> Result {
    let marker = dir.join(".generated");
    if fs::read_to_string(&marker).is_ok_and(|m| m == GENERATION) {
        return Ok(());
    }
    fs::remove_dir_all(dir).ok();
    fs::create_dir_all(dir)?;
    (0..docs)
        .into_par_iter()
        .try_for_each(|i| -> std::result::Result<(), String> {
            let (article_path, project_path, text, ron) = document(dir, i)?;
            if let Some(parent) = article_path.parent() {
                fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            fs::write(&article_path, text).map_err(|e| e.to_string())?;
            fs::write(&project_path, ron).map_err(|e| e.to_string())?;
            Ok(())
        })?;
    disk::init(dir)?;
    fs::write(marker, GENERATION)?;
    Ok(())
}

/// Document `i`: its paths, article text and project file text.
fn document(
    dir: &Path,
    i: usize,
) -> std::result::Result<(PathBuf, PathBuf, String, String), String> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let folder = dir
        .join(format!("desk-{}", i % 10))
        .join(format!("week-{:02}", (i / 10) % 10));
    let stem = format!("article-{i:05}");
    // Sentences of 8 to 14 words until the article is about 5 kB, a paragraph every five.
    let mut text = String::new();
    let mut sentences: Vec<(usize, usize)> = Vec::new();
    let mut chars = 0;
    while text.len() < ARTICLE_BYTES || sentences.len() < SPANS_PER_DOC {
        let words = 8 + rng.below(7);
        let start = chars;
        for w in 0..words {
            let word = WORDS.get(rng.below(WORDS.len())).copied().unwrap_or("the");
            if w > 0 {
                text.push(' ');
                chars += 1;
            }
            if w == 0 {
                let mut cs = word.chars();
                if let Some(first) = cs.next() {
                    text.extend(first.to_uppercase());
                    text.push_str(cs.as_str());
                }
            } else {
                text.push_str(word);
            }
            chars += word.chars().count();
        }
        sentences.push((start, chars));
        text.push('.');
        chars += 1;
        let sep = if sentences.len().is_multiple_of(5) {
            "\n\n"
        } else {
            " "
        };
        text.push_str(sep);
        chars += sep.chars().count();
    }
    let article = Article::new(stem.clone(), None, &text);
    let mut project = Project::new(article, LabelSet::default());
    let stride = sentences.len() as f64 / SPANS_PER_DOC as f64;
    for s in 0..SPANS_PER_DOC {
        let Some(&(start, end)) = sentences.get((s as f64 * stride) as usize) else {
            continue;
        };
        let Some(range) = CharRange::new(start, end) else {
            continue;
        };
        let note = if (i + s).is_multiple_of(4) {
            NOTES
                .get((i + s) / 4 % NOTES.len())
                .copied()
                .unwrap_or("")
                .to_owned()
        } else {
            String::new()
        };
        let status = match (i * 7 + s) % 20 {
            0 => Status::Suggested,
            1 => Status::NeedsReview,
            _ => Status::Confirmed,
        };
        project
            .insert_span(Span {
                id: SpanId(s as u64),
                range,
                label: LabelId((s % 3) as u16),
                note,
                status,
            })
            .map_err(|e| e.to_string())?;
    }
    project.set_done(i.is_multiple_of(7));
    let ron = project_to_ron(&project).map_err(|e| e.to_string())?;
    Ok((
        folder.join(format!("{stem}.txt")),
        folder.join(format!("{stem}.ron")),
        text,
        ron,
    ))
}
