//! The three-way merge on random projects: a random base, then random edits (add, delete,
//! relabel, resize, note, status) on ours and on theirs. Whatever they did:
//!
//! - every span added on either side is in the result (same range and label);
//! - nothing is invented: every range, label and note of the result (once its conflicts
//!   are settled either way) comes from base, ours or theirs;
//! - a span untouched on both sides stays, one deleted on one side and untouched on the
//!   other goes;
//! - the result saves and loads back identically, without a warning;
//! - settling every conflict leaves a project without conflicts that still loads.

use std::collections::HashSet;
use std::path::Path;

use proptest::prelude::*;
use spanmark::format::{project_from_ron, project_to_ron};
use spanmark::model::merge::{Choice, conflict_of, conflicts, merge, resolve};
use spanmark::model::{Article, CharRange, LabelId, LabelSet, Project, Span, SpanId, Status};

const TEXT: &str = "Putin rejected the offer.\nЗеленский 東京 🇺🇦 e\u{301}tude, «ok» said.";
const NOTES: [&str; 4] = ["", "checked", "two\nlines \\n", "merge conflict? no"];

/// Spans start and end on a coarse grid of offsets, so that the two sides often tag the
/// same range and collide.
const GRID: usize = 7;

fn on_grid(a: usize, b: usize, len: usize) -> Option<CharRange> {
    let (a, b) = ((a * GRID) % len, (b * GRID) % len);
    CharRange::new(a.min(b), a.max(b) + 1)
}

fn arb_base() -> impl Strategy<Value = Project> {
    prop::collection::vec((0usize..9, 0usize..9, 0u16..3, 0usize..4), 0..10).prop_map(|raw| {
        let mut p = Project::new(Article::new("t", None, TEXT), LabelSet::default());
        let len = p.article().char_len();
        for (a, b, label, note) in raw {
            let Some(range) = on_grid(a, b, len) else {
                continue;
            };
            let span = Span {
                id: p.fresh_id(),
                range,
                label: LabelId(label),
                note: NOTES.get(note).copied().unwrap_or_default().to_owned(),
                status: Status::Confirmed,
            };
            let _ = p.insert_span(span);
        }
        p
    })
}

/// One random edit: (kind, which span, a, b, pick).
type Step = (u8, usize, usize, usize, usize);

fn arb_steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec((0u8..6, 0usize..20, 0usize..9, 0usize..9, 0usize..4), 0..10)
}

fn edit(p: &mut Project, (kind, which, a, b, pick): Step) {
    let len = p.article().char_len();
    let ids: Vec<SpanId> = p.spans().iter().map(|s| s.id).collect();
    let id = ids
        .get(which % ids.len().max(1))
        .copied()
        .unwrap_or_default();
    let range = on_grid(a, b, len).unwrap_or_default();
    let label = LabelId((pick % 3) as u16);
    let made = match kind {
        0 => p.tag(range, label),
        1 => p.delete(id),
        2 => p.change(id, |s| s.label = label),
        3 => p.change(id, |s| s.range = range),
        4 => p.change(id, |s| {
            NOTES
                .get(pick)
                .copied()
                .unwrap_or_default()
                .clone_into(&mut s.note);
        }),
        _ => p.change(id, |s| {
            s.status = Status::ALL.get(pick).copied().unwrap_or_default();
        }),
    };
    if let Ok(e) = made {
        let _ = p.apply(&e);
    }
}

/// A span as compared across projects: label by name, no id.
type Content = (CharRange, String, String, Status);

fn content(p: &Project, s: &Span) -> Content {
    (
        s.range,
        p.labels().name(s.label).to_owned(),
        s.note.clone(),
        s.status,
    )
}

/// The spans of `p` in short, for failure messages.
fn list(p: &Project) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for s in p.spans() {
        let _ = write!(
            out,
            "\n  #{} {} {} {:?} {:?}",
            s.id.0,
            p.labels().name(s.label),
            s.range,
            s.note,
            s.status
        );
    }
    out
}

/// Every span version a merged project holds: each plain span, and for each conflict span
/// what settling its conflict each way leaves of it.
fn versions(p: &Project) -> Result<HashSet<Content>, TestCaseError> {
    let mut out = HashSet::new();
    for s in p.spans() {
        let Some(tag) = conflict_of(s) else {
            out.insert(content(p, s));
            continue;
        };
        let more = (0..4).map(Choice::Version);
        for choice in [Choice::Ours, Choice::Theirs, Choice::Keep]
            .into_iter()
            .chain(more)
        {
            let Some(edit) = resolve(p, tag.number, choice) else {
                continue;
            };
            let mut settled = p.clone();
            settled
                .apply(&edit)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            if let Some(kept) = settled.spans().get(s.id) {
                out.insert(content(&settled, kept));
            }
        }
    }
    Ok(out)
}

/// The documented identity: `s` is a version of base's span with its id when it has the
/// same range, or the same label and an overlapping range.
fn is_version(base: &Project, s: &Span) -> bool {
    base.spans()
        .get(s.id)
        .is_some_and(|b| b.range == s.range || (b.label == s.label && b.range.overlaps(s.range)))
}

fn loads_back_identically(p: &Project) -> Result<(), TestCaseError> {
    let ron = project_to_ron(p).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let loaded = project_from_ron(&ron, Path::new("merged.ron"))
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    prop_assert_eq!(&loaded.project, p);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn merging_random_edits_keeps_every_addition_and_invents_nothing(
        base in arb_base(),
        ours_steps in arb_steps(),
        theirs_steps in arb_steps(),
        choices in prop::collection::vec(any::<bool>(), 8),
    ) {
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        for s in ours_steps {
            edit(&mut ours, s);
        }
        for s in theirs_steps {
            edit(&mut theirs, s);
        }
        let merged = merge(&base, &ours, &theirs)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let result = &merged.project;
        let kept = versions(result)?;

        // Every addition is kept, note and status included (as a version of a conflict at
        // worst).
        for side in [&ours, &theirs] {
            for s in side.spans().iter().filter(|s| !is_version(&base, s)) {
                prop_assert!(
                    kept.contains(&content(side, s)),
                    "lost added span {:?}\nbase {}\nours {}\ntheirs {}\nresult {}",
                    s, list(&base), list(&ours), list(&theirs), list(result)
                );
            }
        }
        // Untouched on both sides: kept; changed on one side only: the change is kept;
        // deleted on one, untouched on the other: gone.
        for b in base.spans() {
            let (o, t) = (ours.spans().get(b.id), theirs.spans().get(b.id));
            for (one, other, side) in [(o, t, &ours), (t, o, &theirs)] {
                if other == Some(b) && let Some(changed) = one.filter(|s| is_version(&base, s)) {
                    prop_assert!(
                        kept.contains(&content(side, changed)),
                        "lost change {:?}\nbase {}\nours {}\ntheirs {}\nresult {}",
                        changed, list(&base), list(&ours), list(&theirs), list(result)
                    );
                }
            }
            if (o.is_none() && t == Some(b)) || (t.is_none() && o == Some(b)) {
                prop_assert!(result.spans().get(b.id).is_none(), "kept deleted {:?}", b);
            }
        }
        // Nothing invented: ranges and labels come from the inputs.
        let inputs = [&base, &ours, &theirs];
        let ranges: HashSet<CharRange> = inputs
            .iter()
            .flat_map(|p| p.spans().iter().map(|s| s.range))
            .collect();
        let labels: HashSet<String> = inputs
            .iter()
            .flat_map(|p| p.spans().iter().map(|s| p.labels().name(s.label).to_owned()))
            .collect();
        let notes: HashSet<&str> = inputs
            .iter()
            .flat_map(|p| p.spans().iter().map(|s| s.note.as_str()))
            .collect();
        for s in result.spans() {
            prop_assert!(ranges.contains(&s.range), "invented range {:?}", s);
            prop_assert!(labels.contains(result.labels().name(s.label)), "invented label {:?}", s);
        }
        prop_assert_eq!(merged.conflicts.len(), conflicts(result).len());
        prop_assert_eq!(merged.summary.conflicts, merged.conflicts.len());
        loads_back_identically(result)?;

        // Settle every conflict, ours or theirs: what is left is notes from the inputs.
        let mut settled = result.clone();
        for (c, &take_ours) in conflicts(result).iter().zip(choices.iter().cycle()) {
            let choice = if take_ours { Choice::Ours } else { Choice::Theirs };
            let edit = resolve(&settled, c.number, choice)
                .ok_or_else(|| TestCaseError::fail(format!("conflict #{} unresolved", c.number)))?;
            settled.apply(&edit).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        prop_assert!(conflicts(&settled).is_empty());
        for s in settled.spans() {
            prop_assert!(notes.contains(s.note.as_str()), "invented note {:?}", s);
        }
        loads_back_identically(&settled)?;
    }
}
