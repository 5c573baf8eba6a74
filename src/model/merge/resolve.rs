//! Finding and settling the conflicts a merge left in a project: the review panel lists
//! them with [`conflicts`] and settles one with [`resolve`], one undoable edit per choice.
//!
//! ```text
//!   #3 (ours) [Quote:a]  #3 (theirs) [Disclaimer:a]   resolve(3, Ours)   →  [Quote:a]
//!   #4 (ours deleted it; theirs resized …) [Claim:ab]  resolve(4, Delete) →  (gone)
//!   #5 (both) [Claim:a] with two notes                 resolve(5, Theirs) →  [Claim:a] theirs' note
//! ```

use std::collections::BTreeMap;

use super::super::edit::Edit;
use super::super::project::Project;
use super::super::span::{Span, SpanId};
use super::marker::{self, Marker, Side};

/// One conflict of a project: its number and the spans that carry its marker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The number in the marker lines.
    pub number: u32,
    /// Its spans, in document order: two versions, or one span.
    pub spans: Vec<SpanId>,
}

/// How to settle a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Choice {
    /// Keep our version, drop theirs (for an edited-and-deleted span: keep it if we
    /// edited it, delete it if we deleted it).
    Ours,
    /// Keep their version, drop ours.
    Theirs,
    /// Keep every span of the conflict (both versions, or the edited span). Not possible
    /// for one span holding two notes.
    Keep,
    /// Delete every span of the conflict.
    Delete,
    /// For one span holding several versions: keep version `n` (0-based, in the order of
    /// the note's version lines). A span rarely holds more than the two that
    /// [`Choice::Ours`] and [`Choice::Theirs`] reach; this reaches any.
    Version(usize),
}

/// The project's merge conflicts by number, each with its spans.
#[must_use]
pub fn conflicts(project: &Project) -> Vec<Conflict> {
    let mut by_number: BTreeMap<u32, Vec<SpanId>> = BTreeMap::new();
    for span in project.spans() {
        if let Some(tag) = marker::conflict_of(span) {
            by_number.entry(tag.number).or_default().push(span.id);
        }
    }
    by_number
        .into_iter()
        .map(|(number, spans)| Conflict { number, spans })
        .collect()
}

/// The edit that settles conflict `number` with `choice`: the spans kept get their own
/// note back (the marker line removed) and the status they had before the merge; the
/// others are deleted. One [`Edit::Batch`], so one undo step. `None` when the project has
/// no such conflict or the choice does not apply (keeping both notes of one span, or
/// choosing a side that has no version).
#[must_use]
pub fn resolve(project: &Project, number: u32, choice: Choice) -> Option<Edit> {
    let mut edits = Vec::new();
    for span in project
        .spans()
        .iter()
        .filter(|s| marker::number_of(&s.note) == Some(number))
    {
        let Some(parsed) = marker::parse(&span.note) else {
            continue;
        };
        edits.push(settle(span, parsed, choice)?);
    }
    (!edits.is_empty()).then_some(Edit::Batch(edits))
}

/// The edit for one span of a conflict.
fn settle(span: &Span, parsed: Marker, choice: Choice) -> Option<Edit> {
    let restore = |note: String, status| Edit::ChangeSpan {
        before: span.clone(),
        after: Span {
            note,
            status,
            ..span.clone()
        },
    };
    let remove = || Edit::RemoveSpan(span.clone());
    match parsed {
        Marker::Version {
            side, status, note, ..
        } => {
            let keep = match choice {
                Choice::Ours => side == Side::Ours,
                Choice::Theirs => side == Side::Theirs,
                Choice::Keep => true,
                Choice::Delete => false,
                Choice::Version(_) => return None,
            };
            Some(if keep {
                restore(note, status)
            } else {
                remove()
            })
        }
        Marker::Folded { versions, rest, .. } => {
            let mut versions = versions.into_iter();
            let version = match choice {
                Choice::Ours => versions.find(|v| v.side == Side::Ours),
                Choice::Theirs => versions.find(|v| v.side == Side::Theirs),
                Choice::Version(n) => versions.nth(n),
                Choice::Keep => return None,
                Choice::Delete => return Some(remove()),
            }?;
            let note = match (version.note.is_empty(), rest.is_empty()) {
                (_, true) => version.note,
                (true, false) => rest,
                (false, false) => format!("{}\n{rest}", version.note),
            };
            Some(restore(note, version.status))
        }
    }
}
