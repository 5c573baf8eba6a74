//! Tests of `corpus_search`.

use super::*;
use crate::model::notation;

fn project(text: &str) -> Result<Project, String> {
    notation::parse(text).map_err(|e| e.to_string())
}

fn with_note(mut p: Project, span: u64, note: &str) -> Result<Project, String> {
    let edit = p
        .change(SpanId(span), |s| s.note = note.to_owned())
        .map_err(|e| e.to_string())?;
    p.apply(&edit).map_err(|e| e.to_string())?;
    Ok(p)
}

fn index() -> Result<CorpusIndex, String> {
    let a = with_note(
        project("[Claim:Putin rejected] [Quote:the offer] on Monday")?,
        0,
        "an OFFER he made",
    )?;
    let b = project("Die [Quote:Straße] ist lang. The offer stood.")?;
    let c = Arc::from("An article without a project, and an offer.");
    Ok(CorpusIndex::new(vec![
        DocIndex::new("a.txt", &a),
        DocIndex::new("desk/b.txt", &b),
        DocIndex::article_only("c.txt", c),
    ]))
}

fn brief(hits: &[Hit]) -> Vec<(String, HitKind, usize, usize)> {
    hits.iter()
        .map(|h| {
            (
                h.path.to_string(),
                h.kind,
                h.range.start().get(),
                h.range.end().get(),
            )
        })
        .collect()
}

#[test]
fn spans_and_notes_come_first_then_the_articles() -> Result<(), String> {
    let index = index()?;
    let hits = index.search("offer", 100);
    assert_eq!(
        brief(&hits),
        [
            ("a.txt".to_owned(), HitKind::Note, 0, 14),
            ("a.txt".to_owned(), HitKind::SpanText, 19, 24),
            ("a.txt".to_owned(), HitKind::Article, 19, 24),
            ("desk/b.txt".to_owned(), HitKind::Article, 25, 30),
            ("c.txt".to_owned(), HitKind::Article, 37, 42),
        ]
    );
    let note = hits.first().ok_or("no hit")?;
    assert_eq!(note.span, Some(SpanId(0)));
    assert_eq!(note.label.as_deref(), Some("Claim"));
    assert_eq!(note.excerpt, "an OFFER he made");
    assert_eq!(note.excerpt_match, 3..8);
    assert_eq!(index.path(note.doc), Some("a.txt"));
    Ok(())
}

#[test]
fn case_is_ignored_by_default_and_offsets_are_chars() -> Result<(), String> {
    let index = index()?;
    let hits = index.search("STRASSE", 10);
    assert!(hits.is_empty(), "simple case folding does not expand ß");
    let hits = index.search("straße", 10);
    assert_eq!(
        brief(&hits),
        [
            ("desk/b.txt".to_owned(), HitKind::SpanText, 4, 10),
            ("desk/b.txt".to_owned(), HitKind::Article, 4, 10)
        ]
    );
    let exact = SearchOptions {
        case_sensitive: true,
        ..SearchOptions::default()
    };
    assert!(index.search_with("STRAßE", exact, 10).is_empty());
    assert_eq!(index.search_with("Straße", exact, 10).len(), 2);
    Ok(())
}

#[test]
fn a_label_name_finds_every_span_of_that_label() -> Result<(), String> {
    let index = index()?;
    let only_labels = SearchOptions {
        span_text: false,
        notes: false,
        article: false,
        ..SearchOptions::default()
    };
    let hits = index.search_with("quote", only_labels, 10);
    assert_eq!(
        brief(&hits),
        [
            ("a.txt".to_owned(), HitKind::Label, 15, 24),
            ("desk/b.txt".to_owned(), HitKind::Label, 4, 10)
        ]
    );
    assert_eq!(hits.first().map(|h| h.excerpt.as_str()), Some("the offer"));
    Ok(())
}

#[test]
fn the_limit_keeps_the_first_hits_in_order() -> Result<(), String> {
    let docs: Vec<DocIndex> = (0..2000)
        .map(|i| {
            project(&format!(
                "Doc {i}: [Claim:alpha beta] and [Quote:alpha gamma]"
            ))
            .map(|p| DocIndex::new(format!("d{i}.txt"), &p))
        })
        .collect::<Result<_, _>>()?;
    let index = CorpusIndex::new(docs);
    assert_eq!(index.span_count(), 4000);
    let hits = index.search("ALPHA", 5);
    assert_eq!(hits.len(), 5);
    let docs: Vec<usize> = hits.iter().map(|h| h.doc).collect();
    assert_eq!(docs, [0, 0, 1, 1, 2]);
    let all = index.search("gamma", 100_000);
    assert_eq!(all.len(), 4000, "2000 span texts and 2000 article matches");
    assert!(all.iter().take(2000).all(|h| h.kind == HitKind::SpanText));
    let last = index.search("Doc 1999:", 10);
    assert_eq!(
        brief(&last),
        [("d1999.txt".to_owned(), HitKind::Article, 0, 9)]
    );
    Ok(())
}

#[test]
fn a_match_never_runs_from_one_field_into_the_next() -> Result<(), String> {
    let p = project("[Claim:ab] [Quote:cd]")?;
    let index = CorpusIndex::new(vec![DocIndex::new("x.txt", &p)]);
    let spans_only = SearchOptions {
        article: false,
        ..SearchOptions::default()
    };
    assert!(index.search_with("b\0c", spans_only, 10).is_empty());
    assert!(index.search_with("bc", spans_only, 10).is_empty());
    assert_eq!(index.search_with("d", spans_only, 10).len(), 1);
    Ok(())
}

#[test]
fn rejected_suggestions_are_not_indexed_but_suggestions_are() -> Result<(), String> {
    let p = project("[Claim-:gone] [Claim?:maybe]")?;
    let index = CorpusIndex::new(vec![DocIndex::new("x.txt", &p)]);
    let spans_only = SearchOptions {
        article: false,
        ..SearchOptions::default()
    };
    assert!(index.search_with("gone", spans_only, 10).is_empty());
    assert_eq!(index.search_with("maybe", spans_only, 10).len(), 1);
    assert_eq!(index.span_count(), 1);
    Ok(())
}

#[test]
fn documents_are_replaced_and_removed_by_path() -> Result<(), String> {
    let mut index = index()?;
    assert!(index.own_bytes() > 0);
    index.upsert(DocIndex::new("a.txt", &project("[Claim:Nothing] here")?));
    assert_eq!(index.len(), 3);
    assert_eq!(index.search("Putin", 10).len(), 0);
    assert_eq!(index.search("nothing", 10).len(), 2);
    index.upsert(DocIndex::article_only("new.txt", Arc::from("Putin again")));
    assert_eq!(index.position("new.txt"), Some(3));
    assert!(index.remove("new.txt").is_some());
    assert!(index.remove("new.txt").is_none());
    assert!(index.search("", 10).is_empty());
    assert!(index.search("Putin", 0).is_empty());
    assert!(!index.is_empty());
    Ok(())
}

#[test]
fn excerpts_are_one_line_around_the_match() {
    let text = format!("{}\nfound it\n{}", "x".repeat(50), "y".repeat(50));
    let start = text.find("found").unwrap_or(0);
    let (excerpt, m) = context(&text, start..start + 5);
    assert!(
        excerpt.starts_with('…') && excerpt.ends_with('…'),
        "{excerpt}"
    );
    assert!(!excerpt.contains('\n'));
    let shown: String = excerpt.chars().skip(m.start).take(m.len()).collect();
    assert_eq!(shown, "found");
    assert_eq!(context("short", 0..5), ("short".to_owned(), 0..5));
}
