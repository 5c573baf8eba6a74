//! Curation in the window (issue 10): two analysts' projects of one article side by side,
//! agreements taken in, disagreements settled with one key each, undone, saved.

mod kit;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use kit::*;
use spanmark::format::write_project;
use spanmark::model::notation::parse;

#[test]
fn take_a_take_b_and_both_build_a_curated_project_that_saves() -> Result {
    let dir = tempfile::tempdir()?;
    let (a, b) = (dir.path().join("ana.ron"), dir.path().join("ben.ron"));
    write_project(
        &a,
        &parse(
            "Putin [Claim:rejected the offer]. Zelensky said [Quote:we will not surrender] and [Claim:left] the room.",
        )?,
    )?;
    write_project(
        &b,
        &parse(
            "Putin [Claim:rejected the offer]. Zelensky said [Claim:we will not surrender] and left [Quote:the room].",
        )?,
    )?;
    let mut harness = harness_compare(&[a, b], dir.path());
    assert!(harness.state().is_curating());
    // The agreement is in; the three disagreements are listed with their choices.
    assert_eq!(
        span_texts(harness.state()),
        [("Claim".to_owned(), 6, 24, "rejected the offer".to_owned())]
    );
    assert_eq!(harness.query_all_by_label("Take ana (A)").count(), 3);
    assert_eq!(harness.query_all_by_label("Take ben (B)").count(), 3);

    // A takes ana's Quote at the first place; B takes ben's Quote ("the room") at the next.
    harness.key_press(Key::A);
    harness.run();
    harness.key_press(Key::N);
    harness.run();
    harness.key_press(Key::U);
    harness.run();
    let texts: Vec<(String, String)> = span_texts(harness.state())
        .into_iter()
        .map(|(l, _, _, t)| (l, t))
        .collect();
    assert!(
        texts.contains(&("Quote".to_owned(), "we will not surrender".to_owned())),
        "{texts:?}"
    );
    assert!(
        !texts.contains(&("Claim".to_owned(), "we will not surrender".to_owned())),
        "{texts:?}"
    );
    // Every choice undoes.
    let before = span_texts(harness.state()).len();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(span_texts(harness.state()).len() < before);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run();
    assert_eq!(span_texts(harness.state()).len(), before);

    // The figures show the pair and the curated project against each analyst.
    harness.get_by_label("ana vs ben");
    harness.get_by_label("curated vs ana");

    // Save the curated project as a new file.
    save_via_prompt(&mut harness);
    let saved = spanmark::format::read_project(&dir.path().join("short-curated.ron"))
        .or_else(|_| spanmark::format::read_project(&dir.path().join("notation-curated.ron")))?;
    assert_eq!(saved.project.spans().len(), before);
    Ok(())
}

/// A git merge left a relabel conflict: the review panel filters it and settles it in one
/// click, undoably.
#[test]
fn merge_conflicts_are_listed_and_settled_with_one_click() -> Result {
    let dir = tempfile::tempdir()?;
    let base = parse("Putin [Claim:rejected the offer] flatly.")?;
    let ours = parse("Putin [Quote:rejected the offer] flatly.")?;
    let theirs = parse("Putin [Disclaimer:rejected the offer] flatly.")?;
    let merged = spanmark::model::merge::merge(&base, &ours, &theirs)?;
    let path = dir.path().join("merged.ron");
    write_project(&path, &merged.project)?;
    let mut harness = harness(&path, dir.path());
    harness.get_by_label("Merge conflicts (2)").click();
    harness.run();
    let rows = harness
        .query_all_by_role(egui::accesskit::Role::ListItem)
        .count();
    assert_eq!(rows, 2);
    let first = harness
        .state()
        .document()
        .project()
        .spans()
        .iter()
        .next()
        .map(|s| s.id);
    harness
        .state_mut()
        .send(spanmark::ui::command::Command::SelectSpan {
            id: first,
            scroll: true,
        });
    harness.run();
    harness.get_by_label("Keep ours").click();
    harness.run();
    let spans = span_texts(harness.state());
    assert_eq!(
        spans,
        [("Quote".to_owned(), 6, 24, "rejected the offer".to_owned())]
    );
    let project = harness.state().document().project();
    let span = project.spans().iter().next().ok_or("span")?;
    assert_eq!(span.status, spanmark::model::Status::Confirmed);
    assert!(!span.note.contains("merge conflict"), "{}", span.note);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        span_texts(harness.state()).len(),
        2,
        "undo brings both versions back"
    );
    Ok(())
}
