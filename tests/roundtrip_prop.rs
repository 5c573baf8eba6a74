//! Property test: any project survives a save and a load unchanged, with no warnings.
//!
//! Articles are built from the pieces that are hardest to store: emoji and ZWJ sequences,
//! combining marks, right-to-left text and direction controls, quotes, backslashes, the `"#`
//! runs that end raw strings, control characters, byte-order marks, and very long lines.
//! Spans overlap at random and carry notes that may contain anything, newlines and NUL
//! included; orphans are added with arbitrary text.

use std::path::Path;

use proptest::prelude::*;
use spanmark::format::{project_from_ron, project_to_ron};
use spanmark::model::{
    Article, CharRange, Label, LabelId, LabelSet, Orphan, Project, Rgb, Span, SpanId, Status,
};

/// Pieces of article text. Everything but NUL and CR, which import refuses or normalises.
const PIECES: &[&str] = &[
    "Zelensky",
    " ",
    " ",
    "said",
    "\n",
    "\n\n",
    ".",
    ",",
    "\"",
    "\\",
    "#",
    "\"#",
    "\"##",
    "\"###",
    "r#\"",
    "r##\"",
    "'",
    "\u{201c}",
    "\u{201d}",
    "🇺🇦",
    "👩\u{200d}👩\u{200d}👧",
    "🏳\u{fe0f}\u{200d}🌈",
    "e\u{301}",
    "\u{301}",
    "\u{5e9}\u{5dc}\u{5d5}\u{5dd}",
    "\u{627}\u{644}\u{633}\u{644}\u{627}\u{645}",
    "\u{202e}",
    "\u{202c}",
    "\u{200f}",
    "\t",
    "\u{1}",
    "\u{7}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{feff}",
    "東京",
    "\u{10ffff}",
    "}",
    ")",
    "(",
    "//",
    "/*",
    "*/",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        2 => any::<char>().prop_filter("no NUL or CR", |c| *c != '\0' && *c != '\r').prop_map(String::from),
        1 => (1usize..6000).prop_map(|n| "long line ".repeat(n / 10 + 1)),
    ]
}

fn article_text() -> impl Strategy<Value = String> {
    // A text may start with several byte-order marks (see the regression test in article.rs).
    (0usize..8, proptest::collection::vec(piece(), 1..60))
        .prop_map(|(boms, pieces)| "\u{feff}".repeat(boms.saturating_sub(5)) + &pieces.concat())
        .prop_filter("an article needs something to annotate", |t| {
            !Article::new("a", None, t).text().trim().is_empty()
        })
}

/// Anything at all, for notes, orphan text and reasons.
fn free_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::collection::vec(piece(), 0..8).prop_map(|p| p.concat()),
        1 => any::<String>(),
        1 => Just("line one\r\nline two\n\"#\"##\0".to_owned()),
    ]
}

fn labels() -> impl Strategy<Value = LabelSet> {
    proptest::collection::vec(
        (
            free_text(),
            any::<[u8; 3]>(),
            any::<Option<u8>>(),
            free_text(),
        ),
        1..5,
    )
    .prop_map(|raw| {
        let mut labels: Vec<Label> = Vec::new();
        for (i, (name, color, key, description)) in raw.into_iter().enumerate() {
            // Names must be non-blank and unique, keys unique: the set refuses anything else.
            let name = if name.trim().is_empty() {
                format!("label {i}")
            } else {
                format!("{name} {i}")
            };
            // Keys are the digits 1 to 9, unique.
            let key = key
                .map(|k| char::from(b'1' + k % 9))
                .filter(|k| labels.iter().all(|l| l.key != Some(*k)));
            labels.push(Label {
                name,
                color: Rgb(color),
                key,
                description,
            });
        }
        LabelSet::new(labels).unwrap_or_default()
    })
}

#[derive(Debug, Clone)]
struct RawSpan {
    a: usize,
    b: usize,
    label: u16,
    note: String,
    review: bool,
}

fn raw_span() -> impl Strategy<Value = RawSpan> {
    (
        any::<usize>(),
        1usize..300,
        any::<u16>(),
        free_text(),
        any::<bool>(),
    )
        .prop_map(|(a, b, label, note, review)| RawSpan {
            a,
            b,
            label,
            note,
            review,
        })
}

fn orphan() -> impl Strategy<Value = (String, usize, usize, String, String, String)> {
    (
        free_text(),
        0usize..10_000,
        0usize..500,
        free_text(),
        free_text(),
        free_text(),
    )
}

fn project() -> impl Strategy<Value = Project> {
    (
        article_text(),
        free_text(),
        proptest::option::of(free_text()),
        labels(),
        proptest::collection::vec(raw_span(), 0..25),
        proptest::collection::vec(orphan(), 0..4),
    )
        .prop_map(|(text, name, source, labels, spans, orphans)| {
            let name = if name.is_empty() {
                "article".to_owned()
            } else {
                name
            };
            let source = source
                .filter(|s| !s.is_empty() && !s.contains('\0'))
                .map(Into::into);
            let mut p = Project::new(Article::new(name, source, &text), labels);
            let len = p.article().char_len();
            let label_count = p.labels().len() as u16;
            let mut id = 0;
            for s in spans {
                let start = s.a % len;
                let end = (start + s.b).min(len);
                let Some(range) = CharRange::new(start, end).filter(|r| !r.is_empty()) else {
                    continue;
                };
                let span = Span {
                    id: SpanId(id),
                    range,
                    label: LabelId(s.label % label_count),
                    note: s.note,
                    status: if s.review {
                        Status::NeedsReview
                    } else {
                        Status::Confirmed
                    },
                };
                // A repeat of an existing range and label is refused; that is fine here.
                if p.insert_span(span).is_ok() {
                    id += 1;
                }
            }
            for (label, start, extra, text, note, reason) in orphans {
                p.insert_orphan(Orphan {
                    id: SpanId(id),
                    label,
                    old_range: CharRange::new(start, start + extra).unwrap_or_default(),
                    text,
                    note,
                    reason,
                    candidate: None,
                });
                id += 1;
            }
            p
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn save_then_load_is_the_identity(p in project()) {
        let ron = project_to_ron(&p).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let loaded = project_from_ron(&ron, Path::new("prop.ron"))
            .map_err(|e| TestCaseError::fail(format!("{e}\n{ron}")))?;
        prop_assert_eq!(&loaded.warnings, &Vec::<String>::new(), "{}", ron);
        prop_assert_eq!(&loaded.project, &p, "{}", ron);
        // And the saved form is canonical: saving the loaded project gives the same bytes.
        let again = project_to_ron(&loaded.project).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(again, ron);
    }
}
