//! Tests of `reanchor`.

use super::*;
use crate::model::label::{LabelId, LabelSet};

/// Build a project from the compact notation: `[Label:text]` marks a span.
fn parse(marked: &str) -> Project {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find('[') {
        text.push_str(rest.get(..open).unwrap_or_default());
        let inner = rest.get(open + 1..).unwrap_or_default();
        let close = inner.find(']').unwrap_or(inner.len());
        let (label, body) = inner
            .get(..close)
            .unwrap_or_default()
            .split_once(':')
            .unwrap_or(("Claim", ""));
        let start = text.chars().count();
        text.push_str(body);
        spans.push((label.to_owned(), start, text.chars().count()));
        rest = inner.get(close + 1..).unwrap_or_default();
    }
    text.push_str(rest);
    let mut p = Project::new(Article::new("t", None, &text), LabelSet::default());
    for (i, (label, a, b)) in spans.into_iter().enumerate() {
        let label = p.labels().by_name(&label).unwrap_or(LabelId(0));
        let range = CharRange::new(a, b).unwrap_or_default();
        let span = Span {
            id: SpanId(i as u64),
            range,
            label,
            note: String::new(),
            status: Status::Confirmed,
        };
        assert_eq!(p.insert_span(span), Ok(()));
    }
    p
}

/// Render spans in the compact notation, plus `!` for review and orphans listed after `|`.
fn render(p: &Project) -> String {
    let mut out = String::new();
    let mut at = 0;
    for s in p.spans() {
        let start = s.range.start().0;
        out.push_str(
            p.article()
                .slice(CharRange::new(at, start).unwrap_or_default())
                .unwrap_or("<overlap>"),
        );
        let mark = if s.status == Status::NeedsReview {
            "!"
        } else {
            ""
        };
        out.push('[');
        out.push_str(p.labels().name(s.label));
        out.push_str(mark);
        out.push(':');
        out.push_str(p.span_text(s));
        out.push(']');
        at = s.range.end().0;
    }
    out.push_str(
        p.article()
            .slice(CharRange::new(at, p.article().char_len()).unwrap_or_default())
            .unwrap_or(""),
    );
    for o in p.orphans() {
        out.push_str(" | ");
        out.push_str(&o.text);
    }
    out
}

fn run(old: &str, new: &str) -> (String, ReanchorReport) {
    let old = parse(old);
    let (p, report) = reanchor(&old, Article::new("t", None, new));
    (render(&p), report)
}

#[test]
fn unchanged_text_keeps_every_span() {
    let (out, r) = run(
        "Putin [Claim:rejected] the [Quote:offer].",
        "Putin rejected the offer.",
    );
    assert_eq!(out, "Putin [Claim:rejected] the [Quote:offer].");
    assert_eq!((r.kept, r.moved, r.flagged, r.orphaned), (2, 0, 0, 0));
}

#[test]
fn a_paragraph_added_on_top_moves_every_span() {
    let (out, r) = run(
        "Putin [Claim:rejected] the offer.\nTrump [Quote:left].",
        "Update: new lead paragraph.\nPutin rejected the offer.\nTrump left.",
    );
    assert_eq!(
        out,
        "Update: new lead paragraph.\nPutin [Claim:rejected] the offer.\nTrump [Quote:left]."
    );
    assert_eq!((r.kept, r.moved, r.flagged, r.orphaned), (0, 2, 0, 0));
}

#[test]
fn a_name_corrected_inside_a_span_flags_it_for_review() {
    let (out, r) = run(
        "[Claim:Zelenskyy said no] and [Quote:Zelenskyy] left. Then [Disclaimer:nothing].",
        "Zelensky said no and Zelensky left. Then nothing.",
    );
    assert_eq!(
        out,
        "[Claim!:Zelensky said no] and [Quote!:Zelensky] left. Then [Disclaimer:nothing]."
    );
    assert_eq!((r.kept, r.moved, r.flagged, r.orphaned), (0, 1, 2, 0));
}

#[test]
fn a_removed_sentence_orphans_its_spans_with_a_reason() {
    let (out, r) = run(
        "Trump spoke. He said [Quote:\"it was a great day\"]. Putin [Claim:left].",
        "Trump spoke. Putin left.",
    );
    assert_eq!(
        out,
        "Trump spoke. Putin [Claim:left]. | \"it was a great day\""
    );
    assert_eq!((r.moved, r.orphaned), (1, 1));
    let reason = r.outcomes.iter().find_map(|(_, o)| match o {
        Outcome::Orphaned { reason } => Some(reason.clone()),
        _ => None,
    });
    assert_eq!(
        reason.as_deref(),
        Some("its text was removed from the article")
    );
}

#[test]
fn repeated_phrases_land_on_the_right_occurrence() {
    let (out, _) = run(
        "We will fight. We will fight. [Quote:We will fight.] We will fight.",
        "Intro.\nWe will fight. We will fight. We will fight. We will fight.",
    );
    assert_eq!(
        out,
        "Intro.\nWe will fight. We will fight. [Quote:We will fight.] We will fight."
    );
    // The occurrence before it removed: still the third of the old four.
    let (out, _) = run(
        "We will fight. We will fight. [Quote:We will fight.] We will fight.",
        "We will fight. We will fight. We will fight.",
    );
    assert_eq!(out.matches('[').count(), 1, "{out}");
}

#[test]
fn a_moved_paragraph_is_found_by_quote_search_with_its_context() {
    let (out, r) = run(
        "First paragraph about Alaska and the summit.\nSecond: Putin [Claim:rejected the American offer] flatly.\nThird paragraph.",
        "Second: Putin rejected the American offer flatly.\nFirst paragraph about Alaska and the summit.\nThird paragraph.",
    );
    assert!(
        out.starts_with("Second: Putin [Claim:rejected the American offer] flatly."),
        "{out}"
    );
    assert_eq!(r.orphaned, 0, "{r:?}");
}

#[test]
fn quote_search_refuses_a_look_alike_passage() {
    // The sentence with the span is gone; the same words survive elsewhere in other
    // surroundings: the span must not move there.
    let (out, r) = run(
        "Officials said [Quote:no deal was made] on Friday in the capital city.\nLater a spokesman added that no deal was made with anyone at all.",
        "Later a spokesman added that no deal was made with anyone at all.",
    );
    assert_eq!(r.orphaned, 1, "{out}");
    assert!(!out.contains("[Quote"), "{out}");
    let (_, r) = run(
        "A [Claim:yes] b. A yes b. A yes b.",
        "Completely different. A yes b. A yes b.",
    );
    assert_eq!(r.orphaned, 1, "ambiguous repeats are refused: {r:?}");
}

#[test]
fn a_rewritten_span_is_orphaned_not_stretched_over_new_text() {
    let (out, r) = run(
        "Intro. He said [Quote:the talks were very productive today] and left.",
        "Intro. He said nothing of the kind and left.",
    );
    assert_eq!(r.orphaned, 1, "{out} {r:?}");
}

#[test]
fn notes_ids_and_old_orphans_are_carried_over() {
    let mut old = parse("Putin [Claim:rejected] the offer.");
    let Some(id) = old.spans().iter().next().map(|s| s.id) else {
        panic!("no span");
    };
    let edit = old.change(id, |s| s.note = "check the source".into());
    assert!(edit.is_ok_and(|e| old.apply(&e).is_ok()));
    old.insert_orphan(Orphan {
        id: SpanId(40),
        label: "Quote".into(),
        old_range: CharRange::default(),
        text: "older".into(),
        note: String::new(),
        reason: "earlier".into(),
        candidate: None,
    });
    let (new, _) = reanchor(
        &old,
        Article::new("t", None, "Today Putin rejected the offer."),
    );
    let span = new.spans().get(id);
    assert_eq!(span.map(|s| s.note.as_str()), Some("check the source"));
    assert_eq!(span.map(|s| new.span_text(s)), Some("rejected"));
    assert_eq!(new.orphans().len(), 1);
}

#[test]
fn offset_map_maps_survivors_and_only_them() {
    let map = OffsetMap::new(
        "abc\ndef\nghi\n",
        "abc\ndXf\nNEW\nghi\n",
        Instant::now() + DEFAULT_BUDGET,
    );
    assert_eq!(map.map(0), Some(0));
    assert_eq!(map.map(4), Some(4)); // d
    assert_eq!(map.map(5), None); // e was replaced
    assert_eq!(map.map(8), Some(12)); // g after the new line
    assert_eq!(
        map.map_range(CharRange::new(4, 7).unwrap_or_default()),
        CharRange::new(4, 7)
    );
}
