//! Named cases of the three-way merge: every clean case and every conflict kind, and
//! settling each kind of conflict.

use super::*;
use crate::model::article::Article;
use crate::model::edit::Edit;
use crate::model::label::{Label, LabelId, LabelSet, Rgb};
use crate::model::notation::{parse, render};
use crate::model::span::Orphan;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn range(p: &Project, needle: &str) -> CharRange {
    let byte = p.article().text().find(needle).unwrap_or(0);
    let start = p.article().char_of_byte(byte);
    CharRange::at(start, needle.chars().count())
}

fn label(p: &Project, name: &str) -> LabelId {
    p.labels().by_name(name).unwrap_or_default()
}

fn tag(p: &mut Project, needle: &str, name: &str) -> Result<SpanId> {
    let edit = p.tag(range(p, needle), label(p, name))?;
    let id = edit.subject().ok_or("no subject")?;
    p.apply(&edit)?;
    Ok(id)
}

fn change(p: &mut Project, id: u64, f: impl FnOnce(&mut Span)) -> Result {
    let edit = p.change(SpanId(id), f)?;
    p.apply(&edit)?;
    Ok(())
}

fn relabel(p: &mut Project, id: u64, name: &str) -> Result {
    let l = label(p, name);
    change(p, id, |s| s.label = l)
}

fn resize(p: &mut Project, id: u64, needle: &str) -> Result {
    let r = range(p, needle);
    change(p, id, |s| s.range = r)
}

fn delete(p: &mut Project, id: u64) -> Result {
    let edit = p.delete(SpanId(id))?;
    p.apply(&edit)?;
    Ok(())
}

fn span(p: &Project, id: u64) -> Option<&Span> {
    p.spans().get(SpanId(id))
}

fn notes(p: &Project) -> Vec<&str> {
    p.spans().iter().map(|s| s.note.as_str()).collect()
}

const TEXT: &str =
    "Putin [Claim:rejected] the offer and [Quote:we will not give up] said Zelensky today.";

#[test]
fn untouched_projects_merge_to_themselves() -> Result {
    let base = parse(TEXT)?;
    let m = merge(&base, &base, &base)?;
    assert_eq!(m.project, base);
    assert!(m.conflicts.is_empty());
    assert_eq!(m.summary, MergeSummary::default());
    Ok(())
}

#[test]
fn both_append_spans_with_the_same_new_id_and_both_are_kept() -> Result {
    let base = parse(TEXT)?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    let a = tag(&mut ours, "Zelensky", "Claim")?;
    let b = tag(&mut theirs, "today", "Claim")?;
    assert_eq!(a, b, "both analysts number their new span 2");
    let m = merge(&base, &ours, &theirs)?;
    assert_eq!(
        render(&m.project),
        "Putin [Claim:rejected] the offer and [Quote:we will not give up] said [Claim:Zelensky] [Claim:today]."
    );
    let claim = label(&m.project, "Claim");
    assert_eq!(
        m.project.spans().find(range(&base, "Zelensky"), claim),
        Some(a)
    );
    let theirs_id = m.project.spans().find(range(&base, "today"), claim);
    assert_eq!(
        theirs_id,
        Some(SpanId(3)),
        "fresh id above every id of the three"
    );
    assert_eq!(m.summary.renumbered, 1);
    assert_eq!((m.summary.added_ours, m.summary.added_theirs), (1, 1));
    assert!(m.conflicts.is_empty());
    Ok(())
}

#[test]
fn identical_additions_are_kept_once() -> Result {
    let base = parse(TEXT)?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    tag(&mut ours, "Zelensky", "Claim")?;
    tag(&mut theirs, "Zelensky", "Claim")?;
    // Same text and label but a different note is not identical: see the folded case.
    let m = merge(&base, &ours, &theirs)?;
    assert_eq!(m.project.spans().len(), 3);
    assert_eq!(m.summary.added_both, 1);
    assert_eq!((m.summary.added_ours, m.summary.added_theirs), (0, 0));
    assert!(m.conflicts.is_empty());
    // Identical additions under different ids are kept once too, with ours' id.
    let mut theirs = base.clone();
    tag(&mut theirs, "offer", "Quote")?;
    tag(&mut theirs, "Zelensky", "Claim")?;
    let m = merge(&base, &ours, &theirs)?;
    assert_eq!(m.project.spans().len(), 4);
    let claim = label(&m.project, "Claim");
    assert_eq!(
        m.project.spans().find(range(&base, "Zelensky"), claim),
        Some(SpanId(2))
    );
    Ok(())
}

#[test]
fn a_span_deleted_on_one_side_and_untouched_on_the_other_is_deleted() -> Result {
    let base = parse(TEXT)?;
    let mut ours = base.clone();
    delete(&mut ours, 0)?;
    for (o, t) in [(&ours, &base), (&base, &ours)] {
        let m = merge(&base, o, t)?;
        assert_eq!(span(&m.project, 0), None);
        assert_eq!(m.project.spans().len(), 1);
        assert_eq!(m.summary.deleted, 1);
        assert!(m.conflicts.is_empty());
    }
    Ok(())
}

#[test]
fn one_sided_note_label_bound_and_status_changes_are_taken_and_combine() -> Result {
    let base = parse(TEXT)?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    change(&mut ours, 0, |s| s.note = "checked".into())?;
    relabel(&mut theirs, 0, "Quote")?;
    resize(&mut theirs, 1, "we will not")?;
    change(&mut ours, 1, |s| s.status = Status::NeedsReview)?;
    let m = merge(&base, &ours, &theirs)?;
    assert_eq!(
        render(&m.project),
        "Putin [Quote:rejected] the offer and [Quote!:we will not] give up said Zelensky today."
    );
    assert_eq!(
        span(&m.project, 0).map(|s| s.note.as_str()),
        Some("checked")
    );
    assert_eq!(m.summary.changed, 2);
    assert!(m.conflicts.is_empty());
    Ok(())
}

#[test]
fn relabelled_two_ways_keeps_both_versions_marked() -> Result {
    let base = parse(TEXT)?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    relabel(&mut ours, 0, "Quote")?;
    relabel(&mut theirs, 0, "Disclaimer")?;
    change(&mut theirs, 0, |s| s.note = "their note".into())?;
    let m = merge(&base, &ours, &theirs)?;
    assert_eq!(
        render(&m.project),
        "Putin [Disclaimer!:[Quote!:rejected]] the offer and [Quote:we will not give up] said Zelensky today."
    );
    // Theirs' note change applies to both versions: only the label is in conflict.
    assert_eq!(
        span(&m.project, 0).map(|s| s.note.as_str()),
        Some(
            "merge conflict #1 (ours): relabelled Claim to Quote; theirs relabelled Claim to Disclaimer, edited the note\ntheir note"
        )
    );
    assert_eq!(
        span(&m.project, 2).map(|s| s.note.as_str()),
        Some(
            "merge conflict #1 (theirs): relabelled Claim to Disclaimer, edited the note; ours relabelled Claim to Quote\ntheir note"
        )
    );
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.summary.conflicts, 1);
    assert_eq!(
        conflicts(&m.project),
        vec![Conflict {
            number: 1,
            spans: vec![SpanId(0), SpanId(2)]
        }]
    );
    Ok(())
}

#[test]
fn resized_two_ways_keeps_both_versions_marked() -> Result {
    let base = parse(TEXT)?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    resize(&mut ours, 1, "we will not")?;
    resize(&mut theirs, 1, "will not give up")?;
    let m = merge(&base, &ours, &theirs)?;
    assert_eq!(
        render(&m.project),
        "Putin [Claim:rejected] the offer and [Quote!:we [Quote!:will not] give up] said Zelensky today."
    );
    let first_lines: Vec<_> = notes(&m.project)
        .into_iter()
        .map(|n| n.lines().next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        first_lines,
        [
            "",
            "merge conflict #1 (ours): resized 29..48 to 29..40; theirs resized 29..48 to 32..48",
            "merge conflict #1 (theirs): resized 29..48 to 32..48; ours resized 29..48 to 29..40"
        ]
    );
    Ok(())
}

#[test]
fn note_edited_two_ways_keeps_both_notes_in_one_span() -> Result {
    let base = parse(TEXT)?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    change(&mut ours, 0, |s| s.note = "ours\nsecond line".into())?;
    change(&mut theirs, 0, |s| {
        s.note = "theirs".into();
        s.status = Status::Rejected;
    })?;
    let m = merge(&base, &ours, &theirs)?;
    assert_eq!(m.project.spans().len(), 2, "one span holds both versions");
    let s = span(&m.project, 0).ok_or("span 0")?;
    assert_eq!(s.status, Status::NeedsReview);
    assert_eq!(
        s.note,
        "merge conflict #1 (both): ours edited the note; theirs edited the note, set the status to Rejected\n\
         ours (Rejected): ours\\nsecond line\n\
         theirs (Rejected): theirs"
    );
    assert_eq!(
        conflict_of(s),
        Some(ConflictTag {
            number: 1,
            side: ConflictSide::Both
        })
    );
    let edit = resolve(&m.project, 1, Choice::Theirs).ok_or("resolve")?;
    let mut p = m.project.clone();
    p.apply(&edit)?;
    let s = span(&p, 0).ok_or("span 0")?;
    assert_eq!((s.note.as_str(), s.status), ("theirs", Status::Rejected));
    let mut p = m.project.clone();
    p.apply(&resolve(&m.project, 1, Choice::Ours).ok_or("resolve")?)?;
    let s = span(&p, 0).ok_or("span 0")?;
    // Only theirs changed the status, so ours' version takes it too.
    assert_eq!(
        (s.note.as_str(), s.status),
        ("ours\nsecond line", Status::Rejected)
    );
    assert_eq!(resolve(&m.project, 1, Choice::Keep), None);
    Ok(())
}

#[test]
fn edited_on_one_side_and_deleted_on_the_other_keeps_the_edit_either_way() -> Result {
    let base = parse(TEXT)?;
    let (mut deleted, mut edited) = (base.clone(), base.clone());
    delete(&mut deleted, 0)?;
    resize(&mut edited, 0, "rejected the offer")?;
    change(&mut edited, 0, |s| s.status = Status::Suggested)?;
    for (ours, theirs, deleter, line) in [
        (
            &deleted,
            &edited,
            Choice::Ours,
            "merge conflict #1 (ours deleted it; theirs resized 6..14 to 6..24, set the status to Suggested; was Suggested)",
        ),
        (
            &edited,
            &deleted,
            Choice::Theirs,
            "merge conflict #1 (theirs deleted it; ours resized 6..14 to 6..24, set the status to Suggested; was Suggested)",
        ),
    ] {
        let m = merge(&base, ours, theirs)?;
        let s = span(&m.project, 0).ok_or("the edit is kept")?;
        assert_eq!(s.range, range(&base, "rejected the offer"));
        assert_eq!(s.status, Status::NeedsReview);
        assert_eq!(s.note, line);
        assert_eq!(m.conflicts.len(), 1);
        // Keeping it gives the edit back with its own status; deleting removes it.
        let mut kept = m.project.clone();
        kept.apply(&resolve(&m.project, 1, Choice::Keep).ok_or("keep")?)?;
        assert_eq!(span(&kept, 0), span(&edited, 0));
        let mut gone = m.project.clone();
        gone.apply(&resolve(&m.project, 1, Choice::Delete).ok_or("delete")?)?;
        assert_eq!(span(&gone, 0), None);
        // Choosing the side that deleted it deletes it.
        assert_eq!(
            resolve(&m.project, 1, deleter),
            resolve(&m.project, 1, Choice::Delete)
        );
    }
    Ok(())
}

#[test]
fn a_new_span_reusing_a_deleted_spans_id_is_a_new_span() -> Result {
    // Ours deleted span 1 (the last id) and, after a save and reload, tagged new text that
    // got id 1 again. Theirs edited span 1's note. That is an edit against a delete, plus
    // ours' unrelated new span: it must not be taken for a relabel of span 1.
    let base = parse(TEXT)?;
    let mut ours = parse(TEXT)?;
    delete(&mut ours, 1)?;
    let mut reloaded = Project::new(ours.article().clone(), ours.labels().clone());
    for s in ours.spans() {
        reloaded.insert_span(s.clone())?;
    }
    let id = tag(&mut reloaded, "Zelensky", "Claim")?;
    assert_eq!(id, SpanId(1), "the reloaded project reuses id 1");
    let mut theirs = base.clone();
    change(&mut theirs, 1, |s| s.note = "their note".into())?;
    let m = merge(&base, &reloaded, &theirs)?;
    assert_eq!(
        render(&m.project),
        "Putin [Claim:rejected] the offer and [Quote!:we will not give up] said [Claim:Zelensky] today."
    );
    let quote = m
        .project
        .spans()
        .iter()
        .find(|s| s.status == Status::NeedsReview)
        .ok_or("kept edit")?;
    assert_eq!(quote.id, SpanId(1), "base's span keeps its id");
    assert!(
        quote
            .note
            .starts_with("merge conflict #1 (ours deleted it; theirs edited the note)")
    );
    let claim = label(&m.project, "Claim");
    assert_eq!(
        m.project.spans().find(range(&base, "Zelensky"), claim),
        Some(SpanId(2)),
        "ours' new span is renumbered"
    );
    // Untouched on theirs: ours' delete and ours' new span, no conflict.
    let m = merge(&base, &reloaded, &base)?;
    assert_eq!(
        render(&m.project),
        "Putin [Claim:rejected] the offer and we will not give up said [Claim:Zelensky] today."
    );
    assert!(m.conflicts.is_empty());
    Ok(())
}

#[test]
fn a_relabel_and_a_resize_of_the_same_span_combine() -> Result {
    let base = parse(TEXT)?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    relabel(&mut ours, 1, "Claim")?;
    resize(&mut theirs, 1, "we will")?;
    let m = merge(&base, &ours, &theirs)?;
    assert_eq!(
        render(&m.project),
        "Putin [Claim:rejected] the offer and [Claim:we will] not give up said Zelensky today."
    );
    Ok(())
}

#[test]
fn conflicts_colliding_with_new_spans_are_folded_not_lost() -> Result {
    // Theirs relabels span 0 to Quote; ours tags the same text Quote with a note. The two
    // would be the same range and label: one span holds both.
    let base = parse(TEXT)?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    let id = tag(&mut ours, "rejected", "Quote")?;
    change(&mut ours, id.0, |s| s.note = "ours".into())?;
    relabel(&mut theirs, 0, "Quote")?;
    let m = merge(&base, &ours, &theirs)?;
    let quote = label(&m.project, "Quote");
    let r = range(&base, "rejected");
    let folded = m.project.spans().find(r, quote).ok_or("one Quote")?;
    let s = m.project.spans().get(folded).ok_or("span")?;
    assert_eq!(
        s.note,
        "merge conflict #1 (both): theirs relabelled Claim to Quote; ours added it\ntheirs (Confirmed): \nours (Confirmed): ours"
    );
    // Without the note the two are the same span: kept once, no conflict.
    let mut ours = base.clone();
    tag(&mut ours, "rejected", "Quote")?;
    let m = merge(&base, &ours, &theirs)?;
    assert!(m.conflicts.is_empty());
    assert_eq!(
        render(&m.project),
        "Putin [Quote:rejected] the offer and [Quote:we will not give up] said Zelensky today."
    );
    Ok(())
}

#[test]
fn resolving_a_pair_keeps_the_chosen_version_as_one_undoable_edit() -> Result {
    let base = parse(TEXT)?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    relabel(&mut ours, 0, "Quote")?;
    change(&mut ours, 0, |s| s.status = Status::Suggested)?;
    relabel(&mut theirs, 0, "Disclaimer")?;
    let m = merge(&base, &ours, &theirs)?;
    for (choice, expected) in [
        (Choice::Ours, "Putin [Quote?:rejected] the offer"),
        // Ours' status change is not in conflict, so theirs' version takes it too.
        (Choice::Theirs, "Putin [Disclaimer?:rejected] the offer"),
        (
            Choice::Keep,
            "Putin [Disclaimer?:[Quote?:rejected]] the offer",
        ),
        (Choice::Delete, "Putin rejected the offer"),
    ] {
        let mut p = m.project.clone();
        let edit = resolve(&p, 1, choice).ok_or("resolve")?;
        assert!(matches!(edit, Edit::Batch(_)));
        p.apply(&edit)?;
        assert!(
            render(&p).starts_with(expected),
            "{choice:?}: {}",
            render(&p)
        );
        assert!(conflicts(&p).is_empty());
        assert!(notes(&p).iter().all(|n| n.is_empty()), "{:?}", notes(&p));
        p.apply(&edit.inverse())?;
        assert_eq!(p, m.project, "undo gives the conflict back");
    }
    assert_eq!(resolve(&m.project, 2, Choice::Ours), None, "no conflict #2");
    Ok(())
}

#[test]
fn conflict_numbers_continue_above_unresolved_ones() -> Result {
    let base = parse(TEXT)?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    let old = "merge conflict #7 (ours deleted it; theirs edited the note)\nold";
    change(&mut ours, 1, |s| s.note = old.into())?;
    change(&mut theirs, 1, |s| s.note = old.into())?;
    relabel(&mut ours, 0, "Quote")?;
    relabel(&mut theirs, 0, "Disclaimer")?;
    let m = merge(&base, &ours, &theirs)?;
    assert_eq!(
        m.conflicts.iter().map(|c| c.number).collect::<Vec<_>>(),
        [8]
    );
    assert_eq!(
        conflicts(&m.project)
            .iter()
            .map(|c| c.number)
            .collect::<Vec<_>>(),
        [7, 8]
    );
    Ok(())
}

#[test]
fn different_texts_are_refused_but_a_different_base_text_is_fine() -> Result {
    let base = parse(TEXT)?;
    let other = parse("Putin [Claim:rejected] the offer, and that was that.")?;
    assert!(matches!(
        merge(&base, &base, &other),
        Err(MergeError::DifferentTexts {
            first_difference: 24,
            ..
        })
    ));
    // Base on another text: spans are compared by range in the common text.
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    tag(&mut ours, "Zelensky", "Claim")?;
    tag(&mut theirs, "today", "Quote")?;
    let m = merge(&other, &ours, &theirs)?;
    assert_eq!(
        render(&m.project),
        "Putin [Claim:rejected] the offer and [Quote:we will not give up] said [Claim:Zelensky] [Quote:today]."
    );
    // Base's text has no Quote span: both sides "added" it identically, so it is kept once.
    assert_eq!(m.summary.added_both, 1);
    Ok(())
}

fn with_labels(p: &Project, labels: &LabelSet) -> Result<Project> {
    let mut out = Project::new(p.article().clone(), labels.clone());
    for s in p.spans() {
        let name = p.labels().name(s.label);
        let label = labels.by_name(name).ok_or("label")?;
        out.insert_span(Span { label, ..s.clone() })?;
    }
    Ok(out)
}

#[test]
fn label_sets_merge_by_name() -> Result {
    let base = parse(TEXT)?;
    let defaults = LabelSet::default();
    let claim = defaults.by_name("Claim").ok_or("Claim")?;
    let disclaimer = defaults.by_name("Disclaimer").ok_or("Disclaimer")?;
    let quote = defaults.by_name("Quote").ok_or("Quote")?;
    let grey = Rgb([9, 9, 9]);
    // Ours: adds Source on key 4, recolours Claim, deletes Disclaimer (unused).
    let ours_labels = defaults
        .with_changed(
            claim,
            Label {
                color: grey,
                ..defaults.get(claim).cloned().ok_or("claim")?
            },
        )?
        .without(disclaimer)?
        .with_added(Label {
            key: Some('4'),
            ..Label::new("Source", Rgb([1, 1, 1]))
        })?
        .0;
    // Theirs: adds Opinion on key 4, changes Quote's description, gives Claim key 9.
    let theirs_labels = defaults
        .with_changed(
            quote,
            Label {
                description: "words quoted".into(),
                ..defaults.get(quote).cloned().ok_or("quote")?
            },
        )?
        .with_changed(
            claim,
            Label {
                key: Some('9'),
                ..defaults.get(claim).cloned().ok_or("claim")?
            },
        )?
        .with_added(Label {
            key: Some('4'),
            ..Label::new("Opinion", Rgb([2, 2, 2]))
        })?
        .0;
    let ours = with_labels(&base, &ours_labels)?;
    let theirs = with_labels(&base, &theirs_labels)?;
    let m = merge(&base, &ours, &theirs)?;
    let labels = m.project.labels();
    let names: Vec<_> = labels.iter().map(|(_, l)| l.name.as_str()).collect();
    assert_eq!(names, ["Claim", "Quote", "Source", "Opinion"]);
    let get = |n: &str| labels.by_name(n).and_then(|id| labels.get(id)).cloned();
    let claim = get("Claim").ok_or("Claim")?;
    assert_eq!((claim.color, claim.key), (grey, Some('9')));
    assert_eq!(
        get("Quote").map(|l| l.description),
        Some("words quoted".into())
    );
    assert_eq!(
        get("Source").and_then(|l| l.key),
        Some('4'),
        "ours keeps the key"
    );
    assert_eq!(
        get("Opinion").map(|l| l.key),
        Some(None),
        "theirs' clashing key dropped"
    );
    assert!(
        m.summary.notes.iter().any(|n| n.contains("key 4")),
        "{:?}",
        m.summary.notes
    );
    assert!(m.conflicts.is_empty());
    // A label deleted on one side but used by the other's new span is kept.
    let mut theirs = base.clone();
    tag(&mut theirs, "Zelensky", "Disclaimer")?;
    let m = merge(&base, &ours, &theirs)?;
    assert!(m.project.labels().by_name("Disclaimer").is_some());
    assert!(
        m.summary.notes.iter().any(|n| n.contains("still use it")),
        "{:?}",
        m.summary.notes
    );
    Ok(())
}

#[test]
fn done_and_article_name_are_merged_three_way() -> Result {
    let base = parse(TEXT)?;
    let mut ours = base.clone();
    ours.set_done(true);
    let theirs = Project::new(
        Article::new("renamed", None, base.article().text()),
        base.labels().clone(),
    );
    let theirs = {
        let mut t = theirs;
        for s in base.spans() {
            t.insert_span(s.clone())?;
        }
        t
    };
    let m = merge(&base, &ours, &theirs)?;
    assert!(m.project.is_done());
    assert_eq!(m.project.article().name(), "renamed");
    Ok(())
}

#[test]
fn orphans_merge_by_id_and_place() -> Result {
    let base_orphan = Orphan {
        id: SpanId(10),
        label: "Claim".into(),
        old_range: CharRange::new(0, 3).ok_or("range")?,
        text: "old".into(),
        note: String::new(),
        reason: "text changed".into(),
        candidate: None,
    };
    let mut base = parse(TEXT)?;
    base.insert_orphan(base_orphan.clone());
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    // Ours edits the orphan's note; theirs adds an orphan of its own with id 11, and ours
    // another with id 11.
    ours.apply(&Edit::RemoveOrphan(base_orphan.clone()))?;
    ours.insert_orphan(Orphan {
        note: "look".into(),
        ..base_orphan.clone()
    });
    let new = |text: &str| Orphan {
        id: SpanId(11),
        text: text.into(),
        ..base_orphan.clone()
    };
    ours.insert_orphan(new("ours"));
    theirs.insert_orphan(new("theirs"));
    let m = merge(&base, &ours, &theirs)?;
    let got: Vec<_> = m
        .project
        .orphans()
        .iter()
        .map(|o| (o.id.0, o.text.as_str(), o.note.as_str()))
        .collect();
    assert_eq!(
        got,
        [(10, "old", "look"), (11, "ours", ""), (12, "theirs", "")]
    );
    // Theirs deletes it while ours edited it: kept, marked.
    theirs.apply(&Edit::RemoveOrphan(base_orphan))?;
    let m = merge(&base, &ours, &theirs)?;
    assert_eq!(m.conflicts.len(), 1);
    assert!(
        m.project
            .orphans()
            .iter()
            .any(|o| o.note == "merge conflict #1 (theirs deleted it; ours edited the note)\nlook")
    );
    Ok(())
}

#[test]
fn summary_reads_as_one_line() -> Result {
    let base = parse(TEXT)?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    tag(&mut ours, "Zelensky", "Claim")?;
    tag(&mut theirs, "today", "Claim")?;
    relabel(&mut ours, 0, "Quote")?;
    relabel(&mut theirs, 0, "Disclaimer")?;
    let m = merge(&base, &ours, &theirs)?;
    assert_eq!(
        m.summary.to_string(),
        "1 added by ours, 1 by theirs, 0 deleted, 0 changed, 1 renumbered; 1 conflict"
    );
    Ok(())
}

#[test]
fn regression_two_clean_merges_on_the_same_range_and_label_keep_both_notes_reachable() -> Result {
    // Found by the property test: ours relabels span 2, theirs resizes it onto span 0's
    // range and edits span 0's note. Merged, span 2 lands exactly on span 0; the two were
    // folded with both versions marked "ours", so taking theirs found nothing.
    let base = parse("[Claim:[Disclaimer:[Disclaimer:Putin] rejected the offer]] today")?;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    relabel(&mut ours, 2, "Claim")?;
    delete(&mut theirs, 1)?;
    resize(&mut theirs, 2, "Putin rejected the offer")?;
    change(&mut theirs, 0, |s| s.note = "checked".into())?;
    let m = merge(&base, &ours, &theirs)?;
    let claim = label(&m.project, "Claim");
    let id = m
        .project
        .spans()
        .find(range(&base, "Putin rejected the offer"), claim)
        .ok_or("one Claim")?;
    let s = m.project.spans().get(id).ok_or("span")?;
    assert_eq!(
        s.note,
        "merge conflict #1 (both): theirs edited the note; ours (both sides' changes merged) relabelled Disclaimer to Claim, resized 0..5 to 0..24\n\
         theirs (Confirmed): checked\n\
         ours (Confirmed): "
    );
    let mut notes_reached = Vec::new();
    for choice in [Choice::Theirs, Choice::Ours, Choice::Version(1)] {
        let mut p = m.project.clone();
        p.apply(&resolve(&p, 1, choice).ok_or("resolve")?)?;
        notes_reached.push(
            p.spans()
                .get(id)
                .map(|s| s.note.clone())
                .unwrap_or_default(),
        );
    }
    assert_eq!(notes_reached, ["checked", "", ""]);
    assert_eq!(resolve(&m.project, 1, Choice::Version(2)), None);
    Ok(())
}
