//! Quality of the offline span suggester, measured against the hand-annotated reference set in
//! `tests/fixtures/suggest/` (see its README for the annotation conventions).
//!
//! A suggestion matches a reference span of the same label when they overlap by at least half
//! of the longer of the two; matching is one-to-one, greedy by largest overlap. Precision is
//! matched suggestions / suggestions, recall matched references / references, both pooled over
//! the whole set per label, and held to the goals below.
//!
//! `cargo test --test suggest_quality -- --nocapture` prints a table per file and the overall
//! line per label; with `SUGGEST_DETAILS=1` it also lists every miss and false suggestion.
//! The 5 MB timing runs with `cargo test --release --test suggest_quality -- --ignored --nocapture`.

#![expect(
    clippy::panic,
    reason = "a broken reference file fails the test, naming the file and line"
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use spanmark::model::suggest::{SuggestLabel, Suggestion, suggest};

/// (label, least precision, least recall) over the whole reference set.
const GOALS: [(SuggestLabel, f64, f64); 3] = [
    (SuggestLabel::Quote, 0.9, 0.9),
    (SuggestLabel::Disclaimer, 0.9, 1.0),
    (SuggestLabel::Claim, 0.5, 0.6),
];

/// One reference span, in chars.
#[derive(Clone, Debug)]
struct Reference {
    start: usize,
    end: usize,
    label: SuggestLabel,
}

/// One article of the reference set.
struct Article {
    name: String,
    text: String,
    references: Vec<Reference>,
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suggest")
}

/// Every `NAME.txt` with its `NAME.ref.tsv`, sorted by name.
fn load_reference_set() -> Vec<Article> {
    load_reference_set_with(str::to_owned)
}

/// The reference set with `rewrite` applied to each article and to each reference text alike
/// (to check the suggester does not depend on incidental layout).
fn load_reference_set_with(rewrite: impl Fn(&str) -> String) -> Vec<Article> {
    let dir = fixture_dir();
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter_map(|n| n.strip_suffix(".txt").map(str::to_owned))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "reference set too small: {names:?}");
    names
        .into_iter()
        .map(|name| {
            let text = rewrite(&read(&dir.join(format!("{name}.txt"))));
            let tsv = read(&dir.join(format!("{name}.ref.tsv")));
            let references = parse_references(&name, &text, &tsv, &rewrite);
            Article {
                name,
                text,
                references,
            }
        })
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Parses `LABEL<TAB>occurrence<TAB>exact text` lines (`\n` in the text stands for a line
/// break); fails loudly when a text does not occur in the article as often as claimed.
fn parse_references(
    name: &str,
    text: &str,
    tsv: &str,
    rewrite: &impl Fn(&str) -> String,
) -> Vec<Reference> {
    let mut out = Vec::new();
    for (i, line) in tsv.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let lineno = i + 1;
        let mut fields = line.splitn(3, '\t');
        let (Some(label), Some(nth), Some(exact)) = (fields.next(), fields.next(), fields.next())
        else {
            panic!("{name}.ref.tsv:{lineno}: expected LABEL<TAB>N<TAB>TEXT, got {line:?}");
        };
        let Some(label) = SuggestLabel::from_name(label) else {
            panic!("{name}.ref.tsv:{lineno}: unknown label {label:?}");
        };
        let Ok(nth) = nth.parse::<usize>() else {
            panic!("{name}.ref.tsv:{lineno}: occurrence {nth:?} is not a number");
        };
        let exact = rewrite(&exact.replace("\\n", "\n"));
        let Some(byte) = nth_occurrence(text, &exact, nth) else {
            panic!(
                "{name}.ref.tsv:{lineno}: occurrence {nth} of {exact:?} not found in {name}.txt"
            );
        };
        let start = text.get(..byte).map_or(0, |s| s.chars().count());
        out.push(Reference {
            start,
            end: start + exact.chars().count(),
            label,
        });
    }
    assert!(!out.is_empty(), "{name}.ref.tsv has no spans");
    out
}

/// Byte offset of the `nth` (1-based, overlapping) occurrence of `needle`.
fn nth_occurrence(text: &str, needle: &str, nth: usize) -> Option<usize> {
    if needle.is_empty() || nth == 0 {
        return None;
    }
    let mut from = 0;
    let mut seen = 0;
    while let Some(at) = text.get(from..).and_then(|rest| rest.find(needle)) {
        let at = from + at;
        seen += 1;
        if seen == nth {
            return Some(at);
        }
        from = at
            + text
                .get(at..)
                .and_then(|s| s.chars().next())
                .map_or(1, char::len_utf8);
    }
    None
}

/// Counts for one label.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    references: usize,
    suggestions: usize,
    matched: usize,
}

impl Tally {
    fn add(&mut self, other: Self) {
        self.references += other.references;
        self.suggestions += other.suggestions;
        self.matched += other.matched;
    }

    fn precision(self) -> f64 {
        ratio(self.matched, self.suggestions)
    }

    fn recall(self) -> f64 {
        ratio(self.matched, self.references)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    part as f64 / whole as f64
}

/// True when two char ranges overlap by at least half of the longer one.
fn matches(a: (usize, usize), b: (usize, usize)) -> Option<usize> {
    let overlap = a.1.min(b.1).saturating_sub(a.0.max(b.0));
    let longer = (a.1 - a.0).max(b.1 - b.0);
    (overlap > 0 && overlap * 2 >= longer).then_some(overlap)
}

/// One-to-one greedy matching by largest overlap: (tally, unmatched refs, unmatched suggestions).
fn score_label(refs: &[&Reference], found: &[&Suggestion]) -> (Tally, Vec<usize>, Vec<usize>) {
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (ri, r) in refs.iter().enumerate() {
        for (si, s) in found.iter().enumerate() {
            if let Some(overlap) = matches((r.start, r.end), (s.start, s.end)) {
                pairs.push((overlap, ri, si));
            }
        }
    }
    pairs.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut ref_used = vec![false; refs.len()];
    let mut sug_used = vec![false; found.len()];
    let mut matched = 0;
    for (_, ri, si) in pairs {
        let (Some(r_free), Some(s_free)) = (ref_used.get(ri), sug_used.get(si)) else {
            continue;
        };
        if *r_free || *s_free {
            continue;
        }
        if let Some(u) = ref_used.get_mut(ri) {
            *u = true;
        }
        if let Some(u) = sug_used.get_mut(si) {
            *u = true;
        }
        matched += 1;
    }
    let tally = Tally {
        references: refs.len(),
        suggestions: found.len(),
        matched,
    };
    let missed = (0..refs.len())
        .filter(|&i| ref_used.get(i) == Some(&false))
        .collect();
    let extra = (0..found.len())
        .filter(|&i| sug_used.get(i) == Some(&false))
        .collect();
    (tally, missed, extra)
}

fn excerpt(text: &str, start: usize, end: usize) -> String {
    let s: String = text.chars().skip(start).take(end - start).collect();
    s.replace('\n', "⏎")
}

/// Scores `suggest` on `articles`: the overall tally per label and the printed report.
fn evaluate(articles: &[Article], details: bool) -> (BTreeMap<SuggestLabel, Tally>, String) {
    let mut overall: BTreeMap<SuggestLabel, Tally> = BTreeMap::new();
    let mut report = String::new();
    let _ = writeln!(
        report,
        "{:<22} {:<10} {:>4} {:>4} {:>4} {:>6} {:>6}",
        "file", "label", "ref", "sug", "hit", "P", "R"
    );
    for article in articles {
        let found = suggest(&article.text);
        for &(label, _, _) in &GOALS {
            let refs: Vec<&Reference> = article
                .references
                .iter()
                .filter(|r| r.label == label)
                .collect();
            let sugs: Vec<&Suggestion> = found.iter().filter(|s| s.label == label).collect();
            let (tally, missed, extra) = score_label(&refs, &sugs);
            overall.entry(label).or_default().add(tally);
            if tally.references + tally.suggestions == 0 {
                continue;
            }
            let _ = writeln!(
                report,
                "{:<22} {:<10} {:>4} {:>4} {:>4} {:>6.2} {:>6.2}",
                article.name,
                label.name(),
                tally.references,
                tally.suggestions,
                tally.matched,
                tally.precision(),
                tally.recall()
            );
            if details {
                for i in missed {
                    if let Some(r) = refs.get(i) {
                        let _ = writeln!(
                            report,
                            "    MISS  {}",
                            excerpt(&article.text, r.start, r.end)
                        );
                    }
                }
                for i in extra {
                    if let Some(s) = sugs.get(i) {
                        let _ = writeln!(
                            report,
                            "    EXTRA {}",
                            excerpt(&article.text, s.start, s.end)
                        );
                    }
                }
            }
        }
    }
    (overall, report)
}

#[test]
fn suggester_meets_the_quality_goals_on_the_reference_set() {
    let details = std::env::var_os("SUGGEST_DETAILS").is_some();
    let (overall, mut report) = evaluate(&load_reference_set(), details);
    let mut failures = Vec::new();
    for &(label, want_p, want_r) in &GOALS {
        let tally = overall.get(&label).copied().unwrap_or_default();
        let _ = writeln!(
            report,
            "{} precision {:.2} recall {:.2} (n={}, suggested {})",
            label.name(),
            tally.precision(),
            tally.recall(),
            tally.references,
            tally.suggestions
        );
        if tally.suggestions == 0 || tally.precision() < want_p || tally.recall() < want_r {
            failures.push(format!(
                "{}: precision {:.2} (goal {want_p}), recall {:.2} (goal {want_r})",
                label.name(),
                tally.precision(),
                tally.recall()
            ));
        }
    }
    println!("{report}");
    assert!(failures.is_empty(), "quality goals missed: {failures:#?}");
}

#[test]
fn blank_lines_between_paragraphs_change_nothing() {
    let (plain, _) = evaluate(&load_reference_set(), false);
    let (spaced, _) = evaluate(&load_reference_set_with(|s| s.replace('\n', "\n\n")), false);
    for &(label, _, _) in &GOALS {
        let (a, b) = (
            plain.get(&label).copied().unwrap_or_default(),
            spaced.get(&label).copied().unwrap_or_default(),
        );
        assert_eq!(
            (a.references, a.suggestions, a.matched),
            (b.references, b.suggestions, b.matched),
            "{label:?}"
        );
    }
}

#[test]
fn every_reference_span_is_found_in_its_article() {
    // Loading parses and locates every span; this pins the fixture format on its own, so a
    // broken reference line fails here with its file and line even when the goals pass.
    for article in load_reference_set() {
        for r in &article.references {
            assert!(r.start < r.end, "{}: empty reference span", article.name);
        }
    }
}

#[test]
fn suggest_returns_char_offsets_inside_the_text() {
    for article in load_reference_set() {
        let len = article.text.chars().count();
        let found = suggest(&article.text);
        assert!(!found.is_empty(), "{}: no suggestions", article.name);
        for s in &found {
            assert!(
                s.start < s.end && s.end <= len,
                "{}: bad span {s:?}",
                article.name
            );
        }
    }
}

/// CPU time (user + system) this process has used, where Linux tells it (`/proc/self/stat`,
/// in clock ticks of 10 ms); `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) end with ')'; utime and stime
    // are the 12th and 13th after it.
    let after = stat.rsplit(')').next()?;
    let mut fields = after.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((user + system) * 10))
}

/// One timing of `suggest`: wall-clock and, where known, CPU time.
#[derive(Clone, Copy, Debug)]
struct Timing {
    wall: Duration,
    cpu: Option<Duration>,
}

/// The median wall and CPU time of five runs of `suggest` over about `bytes` of the reference
/// articles repeated, with the text's size and the number of suggestions.
fn median_time(bytes: usize) -> (Timing, usize, usize) {
    let articles = load_reference_set();
    let mut text = String::with_capacity(bytes + 10_000);
    'fill: loop {
        for a in &articles {
            if text.len() >= bytes {
                break 'fill;
            }
            text.push_str(&a.text);
            text.push('\n');
        }
    }
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut count = 0;
    for _ in 0..5 {
        let cpu_before = cpu_time();
        let started = Instant::now();
        count = std::hint::black_box(suggest(std::hint::black_box(&text))).len();
        walls.push(started.elapsed());
        if let (Some(before), Some(after)) = (cpu_before, cpu_time()) {
            cpus.push(after.saturating_sub(before));
        }
    }
    walls.sort();
    cpus.sort();
    let timing = Timing {
        wall: walls.get(2).copied().unwrap_or_default(),
        cpu: cpus.get(2).copied(),
    };
    (timing, text.len(), count)
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[test]
#[ignore = "timing: run with --release -- --ignored --nocapture"]
fn five_megabytes_in_under_a_second() {
    let (one, one_bytes, _) = median_time(1_000_000);
    let (five, five_bytes, count) = median_time(5_000_000);
    let cpu = |t: Timing| {
        t.cpu
            .map_or_else(|| "n/a".to_owned(), |c| format!("{:.0} ms", millis(c)))
    };
    println!(
        "suggest, median of 5: {one_bytes} bytes wall {:.0} ms (cpu {}); \
         {five_bytes} bytes wall {:.0} ms (cpu {}), {count} suggestions; 5 MB / 1 MB wall ratio {:.2}",
        millis(one.wall),
        cpu(one),
        millis(five.wall),
        cpu(five),
        five.wall.as_secs_f64() / one.wall.as_secs_f64().max(1e-9)
    );
    if !cfg!(debug_assertions) {
        // CPU time, where known, is the work itself: on a shared machine the wall clock also
        // counts the time other processes held the cores.
        let spent = five.cpu.unwrap_or(five.wall);
        assert!(spent <= Duration::from_secs(1), "5 MB took {spent:?}");
    }
}
