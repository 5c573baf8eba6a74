//! Re-anchoring on the shipped sample article, edited the way articles are: a paragraph added
//! on top, a name corrected in every occurrence ("Zelenskyy" → "Zelensky"), and a sentence
//! holding a quote cut. Every span's fate is predicted independently from the edits and
//! compared with what `reanchor` did; the CLI is run on the same files.

use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::process::Command;

use spanmark::format::{read_project, write_project};
use spanmark::model::{
    Article, CharRange, LabelSet, Outcome, Project, Span, SpanId, Status, reanchor,
};

type TestResult = Result<(), Box<dyn Error>>;

const SAMPLE: &str = include_str!("../assets/sample-article.txt");
const TOP: &str = "Editor's note: this article was updated to correct the spelling of a name.\n";
const CUT: &str = "\"He completely misunderstood everything Putin said about what would be discussed at the summit,\" said one person familiar with the talks. ";

/// One edit of the old text: `len` chars at char offset `at` replaced by `with`.
struct EditOp {
    at: usize,
    len: usize,
    with: &'static str,
}

struct Case {
    old: Project,
    new_text: String,
    edits: Vec<EditOp>,
}

fn char_pos(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |t| t.chars().count())
}

fn ranges_of(text: &str, needle: &str) -> Vec<CharRange> {
    text.match_indices(needle)
        .filter_map(|(b, _)| {
            let s = char_pos(text, b);
            CharRange::new(s, s + needle.chars().count())
        })
        .collect()
}

/// The old article (sample with "Zelenskyy"), its spans, the new text and the edits made.
fn case() -> Result<Case, Box<dyn Error>> {
    let old_text = SAMPLE.replace("Zelensky", "Zelenskyy");
    let mut edits = vec![EditOp {
        at: 0,
        len: 0,
        with: TOP,
    }];
    for r in ranges_of(&old_text, "Zelenskyy") {
        edits.push(EditOp {
            at: r.start().0,
            len: 9,
            with: "Zelensky",
        });
    }
    let cut = ranges_of(&old_text, CUT);
    let [cut] = cut.as_slice() else {
        return Err("the cut sentence must occur once".into());
    };
    edits.push(EditOp {
        at: cut.start().0,
        len: cut.len(),
        with: "",
    });
    edits.sort_by_key(|e| e.at);
    let new_text = format!(
        "{TOP}{}",
        old_text.replace(CUT, "").replace("Zelenskyy", "Zelensky")
    );

    let mut old = Project::new(Article::new("sample", None, &old_text), LabelSet::default());
    let label = |name: &str| old.labels().by_name(name).ok_or(format!("no label {name}"));
    let (claim, quote, disclaimer) = (label("Claim")?, label("Quote")?, label("Disclaimer")?);
    let mut spans = Vec::new();
    // Every quoted passage, inside its quotes.
    let mut open = None;
    for (i, c) in old_text.chars().enumerate() {
        if c == '"' {
            match open.take() {
                None => open = Some(i + 1),
                Some(start) => spans.push((CharRange::new(start, i).ok_or("quote")?, quote)),
            }
        }
    }
    // The corrected name, every occurrence, and a sentence around one of them.
    spans.extend(
        ranges_of(&old_text, "Zelenskyy")
            .into_iter()
            .map(|r| (r, claim)),
    );
    spans.extend(
        ranges_of(
            &old_text,
            "As Zelenskyy prepared to meet with Trump, he entered the White House",
        )
        .into_iter()
        .map(|r| (r, claim)),
    );
    // A repeated phrase, every occurrence: each must land on its own.
    spans.extend(
        ranges_of(&old_text, "White House")
            .into_iter()
            .map(|r| (r, disclaimer)),
    );
    // Untouched claims, one before and one after the cut.
    for text in [
        "Putin rejected an American offer to lift sanctions in exchange for a ceasefire",
        "Trump backed down from the threat of imposing harsh new sanctions on Moscow",
    ] {
        spans.extend(ranges_of(&old_text, text).into_iter().map(|r| (r, claim)));
    }
    // Inside the cut sentence: its attribution, and a word that occurs all over the text.
    spans.extend(
        ranges_of(&old_text, "said one person familiar with the talks")
            .into_iter()
            .map(|r| (r, claim)),
    );
    let putin_in_cut = ranges_of(&old_text, "everything Putin said")
        .first()
        .and_then(|r| CharRange::new(r.start().0 + 11, r.start().0 + 16))
        .ok_or("Putin in the cut")?;
    spans.push((putin_in_cut, disclaimer));
    for (i, (range, label)) in spans.into_iter().enumerate() {
        old.insert_span(Span {
            id: SpanId(i as u64),
            range,
            label,
            note: format!("note {i}"),
            status: Status::Confirmed,
        })?;
    }
    Ok(Case {
        old,
        new_text,
        edits,
    })
}

/// Where old offset `p` goes, given that it is not inside an edited stretch.
fn map(edits: &[EditOp], p: usize) -> usize {
    let mut out = p;
    for e in edits
        .iter()
        .filter(|e| e.at + e.len <= p && !(e.len == 0 && e.at == p && e.at != 0))
    {
        out = out + e.with.chars().count() - e.len;
    }
    out
}

#[derive(Debug, PartialEq)]
enum Expect {
    Moved(CharRange),
    Flagged(CharRange, String),
    Orphaned,
}

fn expect(case: &Case, span: &Span) -> Expect {
    let (a, b) = (span.range.start().0, span.range.end().0);
    let inside: Vec<&EditOp> = case
        .edits
        .iter()
        .filter(|e| e.len > 0 && e.at < b && a < e.at + e.len)
        .collect();
    if inside.iter().any(|e| e.with.is_empty()) {
        return Expect::Orphaned;
    }
    let range = CharRange::new(map(&case.edits, a), map(&case.edits, b)).unwrap_or_default();
    if inside.is_empty() {
        Expect::Moved(range)
    } else {
        let text = case.old.span_text(span).replace("Zelenskyy", "Zelensky");
        Expect::Flagged(range, text)
    }
}

#[test]
fn the_sample_article_edited_three_ways_reanchors_as_predicted() -> TestResult {
    let case = case()?;
    let new_article = Article::new("sample", None, &case.new_text);
    let started = std::time::Instant::now();
    let (new, report) = reanchor(&case.old, new_article);
    let took = started.elapsed();
    let mut predicted = [0usize; 3];
    for span in case.old.spans() {
        let expected = expect(&case, span);
        let outcome = report
            .outcomes
            .iter()
            .find(|(id, _)| *id == span.id)
            .map(|(_, o)| o);
        let text = case.old.span_text(span);
        match (&expected, outcome, new.spans().get(span.id)) {
            (Expect::Moved(range), Some(Outcome::Moved { to, .. }), Some(placed)) => {
                predicted[0] += 1;
                assert_eq!((to, placed.range), (range, *range), "{text:?}");
                assert_eq!(new.span_text(placed), text);
                assert_eq!(placed.status, Status::Confirmed);
            }
            (Expect::Flagged(range, new_text), Some(Outcome::Flagged { to, .. }), Some(placed)) => {
                predicted[1] += 1;
                assert_eq!((to, placed.range), (range, *range), "{text:?}");
                assert_eq!(new.span_text(placed), new_text);
                assert_eq!(placed.status, Status::NeedsReview);
            }
            (Expect::Orphaned, Some(Outcome::Orphaned { reason }), None) => {
                predicted[2] += 1;
                let orphan = new.orphans().iter().find(|o| o.id == span.id);
                assert_eq!(
                    orphan.map(|o| (o.old_range, o.text.as_str())),
                    Some((span.range, text))
                );
                assert_eq!(orphan.map(|o| o.note.as_str()), Some(span.note.as_str()));
                assert!(!reason.is_empty());
            }
            (expected, got, placed) => {
                panic!(
                    "{text:?} at {}: expected {expected:?}, got {got:?} (placed {placed:?})",
                    span.range
                )
            }
        }
    }
    println!(
        "sample article: {} spans: {} kept, {} moved, {} flagged, {} orphaned in {took:?}",
        report.outcomes.len(),
        report.kept,
        report.moved,
        report.flagged,
        report.orphaned
    );
    assert_eq!([report.moved, report.flagged, report.orphaned], predicted);
    assert_eq!(report.kept, 0, "everything shifted by the new paragraph");
    assert_eq!(
        report.orphaned, 3,
        "the cut quote, its attribution and the word in it"
    );
    assert!(
        report.flagged >= 5,
        "the four names and the sentence around one"
    );

    // Without the new paragraph on top, the spans before the first edit keep their offsets.
    let without_top = case.new_text.strip_prefix(TOP).ok_or("no top paragraph")?;
    let (_, again) = reanchor(&case.old, Article::new("sample", None, without_top));
    println!(
        "sample article without the top paragraph: {} kept, {} moved, {} flagged, {} orphaned",
        again.kept, again.moved, again.flagged, again.orphaned
    );
    assert!(again.kept > 0);
    assert_eq!(
        [again.kept + again.moved, again.flagged, again.orphaned],
        [report.moved, report.flagged, report.orphaned]
    );
    Ok(())
}

#[test]
fn the_cli_reanchors_and_saves_safely() -> TestResult {
    let case = case()?;
    let dir = tempfile::tempdir()?;
    let project = dir.path().join("sample.ron");
    let article = dir.path().join("sample-v2.txt");
    let out = dir.path().join("sample-v2.ron");
    write_project(&project, &case.old)?;
    fs::write(&article, &case.new_text)?;
    let run = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .arg("reanchor")
        .args([&project, &article])
        .arg("--out")
        .arg(&out)
        .output()?;
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.contains("0 kept") && summary.contains("3 orphaned"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("orphan: ").count(), 3, "{stdout}");
    assert!(
        stdout.contains("review: ") && stdout.contains("Zelenskyy"),
        "{stdout}"
    );
    let loaded = read_project(&out)?;
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project.article().text(), case.new_text);
    assert_eq!(loaded.project.orphans().len(), 3);
    assert!(
        loaded
            .project
            .spans()
            .iter()
            .any(|s| s.status == Status::NeedsReview)
    );
    // A missing article is an error, and nothing is written.
    let missing = Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .arg("reanchor")
        .args([&project, &dir.path().join("nope.txt")])
        .arg("--out")
        .arg(dir.path().join("never.ron"))
        .output()?;
    assert_eq!(missing.status.code(), Some(1));
    assert!(!dir.path().join("never.ron").exists());
    Ok(())
}

#[test]
fn a_five_megabyte_article_reanchors_in_bounded_time() -> TestResult {
    // 600 numbered copies of the sample (about 5 MB), a span on every quote.
    let mut text = String::new();
    for i in 0..600 {
        for line in SAMPLE.replace("Zelensky", "Zelenskyy").lines() {
            let _ = writeln!(text, "[{i}] {line}");
        }
    }
    assert!(text.len() > 4_900_000, "{}", text.len());
    let mut old = Project::new(Article::new("big", None, &text), LabelSet::default());
    let quote = old.labels().by_name("Quote").ok_or("Quote")?;
    for (i, r) in ranges_of(&text, "great and successful day")
        .into_iter()
        .enumerate()
    {
        old.insert_span(Span {
            id: SpanId(i as u64),
            range: r,
            label: quote,
            note: String::new(),
            status: Status::Confirmed,
        })?;
    }
    let new_text = format!(
        "{TOP}{}",
        text.replace(CUT, "").replace("Zelenskyy", "Zelensky")
    );
    let started = std::time::Instant::now();
    let (new, report) = reanchor(&old, Article::new("big", None, &new_text));
    let took = started.elapsed();
    println!(
        "5 MB article, {} spans: {} kept, {} moved, {} flagged, {} orphaned in {took:?}",
        old.spans().len(),
        report.kept,
        report.moved,
        report.flagged,
        report.orphaned
    );
    assert_eq!(
        (report.moved, report.orphaned),
        (600, 0),
        "{:?}",
        (report.kept, report.flagged)
    );
    assert_eq!(new.spans().len(), 600);
    assert!(took.as_secs() < 60, "took {took:?}");
    Ok(())
}

mod prop {
    //! Random articles, random spans, random edits: re-anchoring never panics, accounts for
    //! every span once, and never places a span on text that differs from its old text unless
    //! it flags it for review.

    use proptest::prelude::*;
    use spanmark::model::{
        Article, CharRange, LabelId, LabelSet, Outcome, Project, Span, SpanId, Status, reanchor,
    };

    const WORDS: &[&str] = &[
        "Putin",
        "Trump",
        "said",
        "the",
        "offer",
        "Zelenskyy",
        "\"",
        "no",
        "deal",
        "🇺🇦",
        "e\u{301}",
        ".",
        "\n",
        " ",
        " ",
    ];

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(WORDS), 1..80).prop_map(|w| w.concat())
    }

    /// An edit: replace chars `at..at+len` (scaled into the text) with `with`.
    fn edits() -> impl Strategy<Value = Vec<(usize, usize, String)>> {
        proptest::collection::vec((any::<usize>(), 0usize..12, text()), 0..4)
    }

    fn apply(text: &str, edits: &[(usize, usize, String)]) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for (at, len, with) in edits {
            let at = at % (chars.len() + 1);
            let end = (at + len).min(chars.len());
            chars.splice(at..end, with.chars());
        }
        chars.into_iter().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn every_span_is_placed_faithfully_or_orphaned(
            old_text in text(),
            spans in proptest::collection::vec((any::<usize>(), 1usize..20, 0u16..3), 0..12),
            edits in edits(),
        ) {
            let mut old = Project::new(Article::new("a", None, &old_text), LabelSet::default());
            let len = old.article().char_len();
            for (i, (a, n, label)) in spans.into_iter().enumerate() {
                let start = a % len.max(1);
                let Some(range) = CharRange::new(start, (start + n).min(len)).filter(|r| !r.is_empty()) else {
                    continue;
                };
                let _ = old.insert_span(Span {
                    id: SpanId(i as u64),
                    range,
                    label: LabelId(label),
                    note: String::new(),
                    status: Status::Confirmed,
                });
            }
            // Unchanged text keeps every span; a paragraph added on top moves every span by
            // exactly its length.
            let (same, report) = reanchor(&old, old.article().clone());
            prop_assert_eq!(report.kept, old.spans().len());
            prop_assert_eq!(&same, &old);
            let top = "A new first paragraph.\n";
            let (_, report) = reanchor(&old, Article::new("a", None, &format!("{top}{}", old.article().text())));
            prop_assert_eq!(report.moved, old.spans().len());
            for (id, outcome) in &report.outcomes {
                let Outcome::Moved { from, to } = outcome else {
                    return Err(TestCaseError::fail(format!("span {id:?}: {outcome:?}")));
                };
                prop_assert_eq!(to.start().0, from.start().0 + top.len());
            }

            let new_text = apply(old.article().text(), &edits);
            let (new, report) = reanchor(&old, Article::new("a", None, &new_text));
            prop_assert_eq!(report.outcomes.len(), old.spans().len());
            prop_assert_eq!(report.kept + report.moved + report.flagged + report.orphaned, old.spans().len());
            prop_assert_eq!(new.spans().len() + new.orphans().len(), old.spans().len());
            for (id, outcome) in &report.outcomes {
                let Some(before) = old.spans().get(*id) else {
                    return Err(TestCaseError::fail("unknown span in the report"));
                };
                let old_span_text = old.span_text(before);
                match outcome {
                    Outcome::Kept | Outcome::Moved { .. } => {
                        let after = new.spans().get(*id);
                        prop_assert_eq!(after.map(|s| new.span_text(s)), Some(old_span_text));
                        prop_assert_eq!(after.map(|s| s.status), Some(Status::Confirmed));
                    }
                    Outcome::Flagged { .. } => {
                        let after = new.spans().get(*id);
                        prop_assert_eq!(after.map(|s| s.status), Some(Status::NeedsReview));
                    }
                    Outcome::Orphaned { reason } => {
                        prop_assert!(!reason.is_empty());
                        let orphan = new.orphans().iter().find(|o| o.id == *id);
                        prop_assert_eq!(orphan.map(|o| o.text.as_str()), Some(old_span_text));
                    }
                }
            }
        }
    }
}

#[test]
fn a_completely_different_article_orphans_everything_in_bounded_time() -> TestResult {
    // About 2 MB, a span on every "Putin" (thousands), moved onto a text with nothing in
    // common: the diff and the quote searches must both stop at their budget.
    let mut text = String::new();
    let mut other = String::new();
    for i in 0..250 {
        for line in SAMPLE.lines() {
            let _ = writeln!(text, "[{i}] {line}");
            let _ = writeln!(
                other,
                "({i}) {}",
                line.to_uppercase().replace("PUTIN", "NOBODY")
            );
        }
    }
    let mut old = Project::new(Article::new("big", None, &text), LabelSet::default());
    let claim = old.labels().by_name("Claim").ok_or("Claim")?;
    for (i, r) in ranges_of(&text, "Putin").into_iter().enumerate() {
        old.insert_span(Span {
            id: SpanId(i as u64),
            range: r,
            label: claim,
            note: String::new(),
            status: Status::Confirmed,
        })?;
    }
    let budget = std::time::Duration::from_secs(1);
    let started = std::time::Instant::now();
    let (new, report) = spanmark::model::reanchor::reanchor_with_budget(
        &old,
        Article::new("x", None, &other),
        budget,
    );
    let took = started.elapsed();
    println!(
        "different 2 MB article, {} spans: all orphaned in {took:?}",
        old.spans().len()
    );
    assert!(old.spans().len() > 5000, "{}", old.spans().len());
    assert_eq!(report.orphaned, old.spans().len());
    assert_eq!(new.orphans().len(), old.spans().len());
    assert!(took.as_secs() < 20, "took {took:?}");
    Ok(())
}
