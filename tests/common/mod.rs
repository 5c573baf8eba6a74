//! Helpers shared by the integration tests: a project full of the text that is hardest to
//! store (emoji, ZWJ sequences, combining marks, right-to-left script, quotes, backslashes and
//! the `"#` sequences that end raw strings), built through the public model API.

#![expect(
    clippy::panic,
    reason = "test support: a fixture that cannot be built fails the test"
)]
#![allow(
    dead_code,
    reason = "each test crate uses a different part of these helpers"
)]

use spanmark::model::{
    Article, CharRange, Label, LabelSet, Orphan, Project, Rgb, Span, SpanId, Status,
};

/// Article text that exercises every escaping rule of the RON writer.
pub const HARD_TEXT: &str = concat!(
    "Zelensky said \u{201c}we will not give up\u{201d} 🇺🇦 👩\u{200d}👩\u{200d}👧 and e\u{301}tude.\n",
    "\u{5e9}\u{5dc}\u{5d5}\u{5dd} \u{627}\u{644}\u{633}\u{644}\u{627}\u{645} \u{202e}reversed\u{202c} mixed RTL.\n",
    "A \"quoted\" word, a back\\slash, a raw end \"# and \"## and \"### in the text.\n",
    "Tabs\tand \u{7} bell and \u{1b}[0m escape, r#\"not raw\"#, 東京.\n",
    "Repeated phrase. Repeated phrase. Last line without newline"
);

/// The char range of the `nth` (0-based) occurrence of `needle` in `article`.
pub fn find(article: &Article, needle: &str, nth: usize) -> CharRange {
    let Some((byte, _)) = article.text().match_indices(needle).nth(nth) else {
        panic!("{needle:?} occurs fewer than {} times", nth + 1);
    };
    let start = article.char_of_byte(byte).get();
    let Some(range) = CharRange::new(start, start + needle.chars().count()) else {
        panic!("bad range for {needle:?}");
    };
    range
}

/// A project over [`HARD_TEXT`] with custom labels, overlapping spans, notes full of
/// newlines and `"#`, a span needing review, and two orphans.
#[expect(
    clippy::too_many_lines,
    reason = "one fixture, spelled out span by span"
)]
pub fn hard_project() -> Project {
    let labels = LabelSet::new(vec![
        Label {
            name: "Claim".to_owned(),
            color: Rgb([0xE8, 0x91, 0x1E]),
            key: Some('1'),
            description: String::new(),
        },
        Label {
            name: "Quote \"direct\"".to_owned(),
            color: Rgb([0x2E, 0x86, 0xDE]),
            key: Some('2'),
            description: "Words in \"quotes\" #\"; two words or more.\nNot scare quotes."
                .to_owned(),
        },
        Label {
            name: "Disclaimer #\"".to_owned(),
            color: Rgb([0x9B, 0x59, 0xB6]),
            key: None,
            description: String::new(),
        },
    ]);
    let Ok(labels) = labels else {
        panic!("labels: {labels:?}");
    };
    let article = Article::new(
        "hard \"#name",
        Some("/tmp/articles/zelensky \"#1\".txt".into()),
        HARD_TEXT,
    );
    let mut project = Project::new(article, labels);
    let ranges = [
        (
            find(project.article(), "we will not give up", 0),
            1,
            "plain",
        ),
        (
            find(project.article(), "Zelensky said", 0),
            0,
            "line one\nline two \"# r##\"x\"## \\n",
        ),
        (
            find(project.article(), "\"quoted\" word, a back\\slash", 0),
            0,
            "",
        ),
        (
            find(project.article(), "\"# and \"## and \"###", 0),
            2,
            "ends \"#",
        ),
        (
            find(project.article(), "👩\u{200d}👩\u{200d}👧", 0),
            1,
            "family",
        ),
        (find(project.article(), "e\u{301}tude", 0), 0, "combining"),
        (
            find(project.article(), "\u{5e9}\u{5dc}\u{5d5}\u{5dd}", 0),
            1,
            "RTL \u{202e}x",
        ),
        (
            find(project.article(), "Repeated phrase.", 1),
            0,
            "second occurrence",
        ),
    ];
    for (i, (range, label, note)) in ranges.into_iter().enumerate() {
        let span = Span {
            id: SpanId(i as u64 * 3 + 1),
            range,
            label: spanmark::model::LabelId(label),
            note: note.to_owned(),
            status: if i % 3 == 0 {
                Status::NeedsReview
            } else {
                Status::Confirmed
            },
        };
        if let Err(e) = project.insert_span(span) {
            panic!("span {i}: {e}");
        }
    }
    project.insert_orphan(Orphan {
        id: SpanId(100),
        label: "Gone \"#label".to_owned(),
        old_range: CharRange::new(3, 9).unwrap_or_default(),
        text: "old \"## text\nwith a line".to_owned(),
        note: "note\r\nwith CRLF".to_owned(),
        reason: "the passage was removed".to_owned(),
        candidate: None,
    });
    project.insert_orphan(Orphan {
        id: SpanId(50),
        label: "Claim".to_owned(),
        old_range: CharRange::new(0, 0).unwrap_or_default(),
        text: String::new(),
        note: String::new(),
        reason: String::new(),
        candidate: None,
    });
    project
}
