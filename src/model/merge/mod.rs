//! Three-way merge of projects: what `spanmark merge` (git's merge driver) and curation
//! use to combine two analysts' work on the same article.
//!
//! ```text
//!   base:    [Claim:a] b  c
//!   ours:    [Quote:a] b [Claim:c]        relabelled a, added c
//!   theirs:  [Claim:a] [Claim:b] c        added b
//!   merged:  [Quote:a] [Claim:b] [Claim:c]
//! ```
//!
//! **The same span.** A span of ours (or theirs) is a version of base's span with the same
//! id only when it still looks like that span: the same range, or the same label and an
//! overlapping range. Anything else with that id (a span made after base's span was
//! deleted, relabelled *and* moved, or an id reused after a save) is a new span, and base's
//! span counts as deleted on that side. Ids alone are never trusted: both analysts number
//! their first new span the same.
//!
//! **Clean merges.** New spans of either side are kept (two identical ones, equal in range,
//! label, note and status, once); a span deleted on one side and untouched on the other is
//! deleted; range, label, note and status are merged field by field, a field changed on one
//! side being taken. New spans keep their ids unless the id is taken (ours' first, then
//! theirs'); taken ones get fresh ids above every id of the three projects.
//!
//! **Conflicts** never lose a side. The same field changed two ways keeps both versions,
//! each with status `NeedsReview` and a marker line in its note (see [`marker`] for the
//! format): two spans when the versions differ in range or label, or one span carrying both
//! notes and statuses when they differ only there (the project cannot hold two spans of the
//! same range and label). A span edited on one side and deleted on the other is kept as
//! edited, marked. [`conflicts`] lists them and [`resolve`] settles one with one choice.
//!
//! Labels merge by name (see [`labels`]), `done` three-way, orphans like spans (by id plus
//! label, place and text). Ours and theirs must annotate the same text; base may differ
//! (its spans are compared by their ranges).

mod labels;
mod marker;
mod orphans;
mod resolve;

use std::collections::{HashMap, HashSet};
use std::fmt;

pub use marker::{ConflictSide, ConflictTag, MARKER_PREFIX, Side, conflict_of, conflict_of_note};
pub use resolve::{Choice, Conflict, conflicts, resolve};

use super::label::LabelSetError;
use super::offset::CharRange;
use super::project::{EditError, Project};
use super::span::{Span, SpanId, Status};
use marker::FoldedVersion;

/// Why two projects cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Ours and theirs annotate different texts, so their spans cannot be compared.
    #[error(
        "ours and theirs annotate different texts ({ours_chars} and {theirs_chars} chars, first difference at char {first_difference}); spans can only be merged on the same text: re-anchor one project onto the other's article first"
    )]
    DifferentTexts {
        /// Length of ours' text in chars.
        ours_chars: usize,
        /// Length of theirs' text in chars.
        theirs_chars: usize,
        /// The first char offset where they differ.
        first_difference: usize,
    },
    /// The merged labels do not form a valid set (a bug: each step keeps them valid).
    #[error("the merged labels are not a valid set ({0}); please report this")]
    Labels(#[from] LabelSetError),
    /// A merged span could not be placed (a bug: merged spans come from valid projects).
    #[error("a merged span could not be placed ({0}); please report this")]
    Span(#[from] EditError),
}

/// What a merge did, in numbers, plus notes on labels and the document state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeSummary {
    /// Spans only ours added.
    pub added_ours: usize,
    /// Spans only theirs added.
    pub added_theirs: usize,
    /// Spans both added identically (kept once).
    pub added_both: usize,
    /// Base spans deleted (on one side, untouched on the other, or on both).
    pub deleted: usize,
    /// Base spans changed cleanly (by one side, or the same way by both, or different
    /// fields by each).
    pub changed: usize,
    /// New spans and orphans given a fresh id because theirs was taken.
    pub renumbered: usize,
    /// Conflicts left for the analyst.
    pub conflicts: usize,
    /// Things the analyst should know that are not span conflicts (labels, keys).
    pub notes: Vec<String>,
}

impl fmt::Display for MergeSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} added by ours, {} by theirs",
            self.added_ours, self.added_theirs
        )?;
        if self.added_both > 0 {
            write!(f, " ({} identical on both kept once)", self.added_both)?;
        }
        write!(f, ", {} deleted, {} changed", self.deleted, self.changed)?;
        if self.renumbered > 0 {
            write!(f, ", {} renumbered", self.renumbered)?;
        }
        match self.conflicts {
            0 => write!(f, "; no conflicts"),
            1 => write!(f, "; 1 conflict"),
            n => write!(f, "; {n} conflicts"),
        }
    }
}

/// One conflict left in a merged project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictReport {
    /// Its number (as in the marker lines).
    pub number: u32,
    /// The marker line of its first span (or orphan).
    pub description: String,
}

/// The result of [`merge`].
#[derive(Clone, Debug)]
pub struct Merged {
    /// The merged project: always valid, conflicts included as marked spans.
    pub project: Project,
    /// The conflicts, by number.
    pub conflicts: Vec<ConflictReport>,
    /// What happened.
    pub summary: MergeSummary,
}

/// A span as the merge compares it: label by name, as the three projects number labels
/// independently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct View<'a> {
    range: CharRange,
    label: &'a str,
    note: &'a str,
    status: Status,
}

fn view<'a>(project: &'a Project, span: &'a Span) -> View<'a> {
    View {
        range: span.range,
        label: project.labels().name(span.label),
        note: &span.note,
        status: span.status,
    }
}

/// True when `s` (with the same id) is a version of base's span `b` (see the module docs).
fn is_version(b: &View<'_>, s: &View<'_>) -> bool {
    b.range == s.range || (b.label == s.label && b.range.overlaps(s.range))
}

/// The three-way choice for one value: the change if only one side changed it, the common
/// value if both agree, `None` when both changed it differently. A missing base (added on
/// both sides) agrees only when the two are equal.
fn merge3<'v, T: PartialEq + ?Sized>(
    base: Option<&T>,
    ours: &'v T,
    theirs: &'v T,
) -> Option<&'v T> {
    if ours == theirs || base == Some(theirs) {
        Some(ours)
    } else if base == Some(ours) {
        Some(theirs)
    } else {
        None
    }
}

/// What one side did to base's span, in words for the marker line.
fn did(b: &View<'_>, v: &View<'_>) -> String {
    let mut parts = Vec::new();
    if b.label != v.label {
        parts.push(format!("relabelled {} to {}", b.label, v.label));
    }
    if b.range != v.range {
        parts.push(format!("resized {} to {}", b.range, v.range));
    }
    if b.note != v.note {
        parts.push("edited the note".to_owned());
    }
    if b.status != v.status {
        parts.push(format!("set the status to {}", v.status.as_str()));
    }
    if parts.is_empty() {
        "kept it".to_owned()
    } else {
        parts.join(", ")
    }
}

/// One version of a merged span.
#[derive(Clone, Debug)]
struct Version<'a> {
    /// Whose version; `None` for a clean merge of both.
    side: Option<Side>,
    status: Status,
    note: &'a str,
    /// What its side did, for marker lines.
    did: String,
}

/// How a single-version candidate takes part in a conflict.
#[derive(Clone, Debug)]
enum Pending {
    None,
    /// One of two versions; `key` pairs it with the other, `other_did` is what the other
    /// side did.
    Pair {
        key: usize,
        side: Side,
        other_did: String,
    },
    /// Edited on `side`, deleted on the other.
    Survivor {
        side: Side,
    },
}

/// Priority when ids are handed out and duplicates dropped: conflict versions, then clean
/// base spans, then ours' new spans, then theirs'.
const RANK_CONFLICT: u8 = 0;
const RANK_BASE: u8 = 1;
const RANK_OURS: u8 = 2;
const RANK_THEIRS: u8 = 3;

/// A span of the merged project before ids, label ids and notes are final. More than one
/// version means a conflict folded into one span.
#[derive(Clone, Debug)]
struct Candidate<'a> {
    id: Option<SpanId>,
    range: CharRange,
    label: &'a str,
    versions: Vec<Version<'a>>,
    pending: Pending,
    rank: u8,
}

impl<'a> Candidate<'a> {
    fn single(id: Option<SpanId>, v: &View<'a>, version: Version<'a>, pending: Pending) -> Self {
        let rank = if matches!(pending, Pending::None) {
            match version.side {
                None => RANK_BASE,
                Some(Side::Ours) => RANK_OURS,
                Some(Side::Theirs) => RANK_THEIRS,
            }
        } else {
            RANK_CONFLICT
        };
        Self {
            id,
            range: v.range,
            label: v.label,
            versions: vec![version],
            pending,
            rank,
        }
    }

    /// Take in `other`, which has the same range and label: its versions that differ from
    /// every version here are added (making this a folded conflict). True when nothing was
    /// added (`other` duplicated this candidate).
    fn absorb(&mut self, other: Candidate<'a>) -> bool {
        let mut duplicate = true;
        for v in other.versions {
            if !self
                .versions
                .iter()
                .any(|h| h.note == v.note && h.status == v.status)
            {
                self.versions.push(v);
                duplicate = false;
            }
        }
        duplicate
    }
}

/// The first char offset where two texts differ.
fn first_difference(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Merge `ours` and `theirs`, both derived from `base` (see the module docs).
pub fn merge(base: &Project, ours: &Project, theirs: &Project) -> Result<Merged, MergeError> {
    let (ours_text, theirs_text) = (ours.article().text(), theirs.article().text());
    if ours_text != theirs_text {
        return Err(MergeError::DifferentTexts {
            ours_chars: ours.article().char_len(),
            theirs_chars: theirs.article().char_len(),
            first_difference: first_difference(ours_text, theirs_text),
        });
    }
    let mut summary = MergeSummary::default();
    let candidates = span_candidates(base, ours, theirs, &mut summary);
    let mut candidates = fold_collisions(candidates, &mut summary);
    let mut orphans = orphans::merge_orphans(base, ours, theirs);

    let first_fresh = [base, ours, theirs]
        .iter()
        .map(|p| p.fresh_id().0)
        .max()
        .unwrap_or(0);
    summary.renumbered = assign_ids(&mut candidates, &mut orphans, first_fresh);

    let used: HashSet<&str> = candidates.iter().map(|c| c.label).collect();
    let labels = labels::merge_labels(base.labels(), ours.labels(), theirs.labels(), &used)?;
    summary.notes.extend(labels.notes.iter().cloned());

    // Conflict numbers continue above any left from an earlier merge, in document order.
    let first_number = [ours, theirs]
        .iter()
        .flat_map(|p| {
            p.spans()
                .iter()
                .map(|s| s.note.as_str())
                .chain(p.orphans().iter().map(|o| o.note.as_str()))
        })
        .filter_map(marker::number_of)
        .max()
        .map_or(1, |n| n.saturating_add(1));
    let mut numbering = Numbering {
        next: first_number,
        pairs: HashMap::new(),
        reports: Vec::new(),
    };
    let mut spans = Vec::with_capacity(candidates.len());
    for c in candidates {
        let label = *labels
            .ids
            .get(c.label)
            .ok_or(EditError::UnknownLabel(c.id.map_or(0, |id| id.0)))?;
        let (note, status) = numbering.finish(&c);
        spans.push(Span {
            id: c.id.unwrap_or_default(),
            range: c.range,
            label,
            note,
            status,
        });
    }
    let orphans = orphans::finish(orphans, &mut numbering);
    summary.conflicts = numbering.reports.len();

    let article = merged_article(base, ours, theirs);
    let done = merge3(Some(&base.is_done()), &ours.is_done(), &theirs.is_done())
        .copied()
        .unwrap_or(ours.is_done());
    let mut project = Project::new(article, labels.set);
    project.set_done(done);
    spans.sort_by_key(Span::sort_key);
    for s in spans {
        project.insert_span(s)?;
    }
    for o in orphans {
        project.insert_orphan(o);
    }
    let mut conflicts = numbering.reports;
    conflicts.sort_by_key(|r| r.number);
    Ok(Merged {
        project,
        conflicts,
        summary,
    })
}

/// Give every span and orphan its id: the one it had where still free, in order of rank
/// (conflict versions, clean base spans and orphans, ours' new ones, theirs'), else a fresh
/// one counting up from `first_fresh`. Returns how many had theirs taken.
fn assign_ids(
    candidates: &mut [Candidate<'_>],
    orphans: &mut [orphans::OrphanCandidate],
    first_fresh: u64,
) -> usize {
    let mut next_fresh = first_fresh;
    let mut renumbered = 0;
    let mut claimed: HashSet<SpanId> = HashSet::with_capacity(candidates.len() + orphans.len());
    let mut claim = |wanted: Option<SpanId>| match wanted {
        Some(id) if claimed.insert(id) => id,
        wanted => {
            renumbered += usize::from(wanted.is_some());
            let id = SpanId(next_fresh);
            next_fresh = next_fresh.saturating_add(1);
            claimed.insert(id);
            id
        }
    };
    for rank in [RANK_CONFLICT, RANK_BASE, RANK_OURS, RANK_THEIRS] {
        for c in candidates.iter_mut().filter(|c| c.rank == rank) {
            c.id = Some(claim(c.id));
        }
        for o in orphans.iter_mut().filter(|o| o.rank == rank) {
            o.id = Some(claim(o.id));
        }
    }
    renumbered
}

/// Conflict numbers, handed out as the merged spans are written in document order.
struct Numbering {
    next: u32,
    /// Pair key to number, so both versions of a pair share it.
    pairs: HashMap<usize, u32>,
    reports: Vec<ConflictReport>,
}

impl Numbering {
    fn take(&mut self) -> u32 {
        let n = self.next;
        self.next = self.next.saturating_add(1);
        n
    }

    fn report(&mut self, number: u32, note: &str) {
        if self.reports.iter().all(|r| r.number != number) {
            let line = note.split('\n').next().unwrap_or_default();
            self.reports.push(ConflictReport {
                number,
                description: line.to_owned(),
            });
        }
    }

    /// The note and status candidate `c` gets in the merged project.
    fn finish(&mut self, c: &Candidate<'_>) -> (String, Status) {
        if c.versions.len() > 1 {
            let number = self.take();
            let mut versions: Vec<FoldedVersion> = Vec::with_capacity(c.versions.len());
            let mut dids = Vec::with_capacity(c.versions.len());
            // A clean merge of both sides stands for a side that has no version here yet,
            // so that "ours" and "theirs" each reach a version when there are two.
            let mut used: Vec<Side> = c.versions.iter().filter_map(|v| v.side).collect();
            for v in &c.versions {
                let side = v.side.unwrap_or_else(|| {
                    let free = [Side::Ours, Side::Theirs]
                        .into_iter()
                        .find(|s| !used.contains(s))
                        .unwrap_or(Side::Ours);
                    used.push(free);
                    free
                });
                versions.push(FoldedVersion {
                    side,
                    status: v.status,
                    note: v.note.to_owned(),
                });
                dids.push((side, v.did.clone()));
            }
            let note = marker::folded_note(number, &dids, &versions);
            self.report(number, &note);
            return (note, Status::NeedsReview);
        }
        let Some(v) = c.versions.first() else {
            return (String::new(), Status::Confirmed);
        };
        let note = match &c.pending {
            Pending::None => return (v.note.to_owned(), v.status),
            Pending::Pair {
                key,
                side,
                other_did,
            } => {
                let number = if let Some(&n) = self.pairs.get(key) {
                    n
                } else {
                    let n = self.take();
                    self.pairs.insert(*key, n);
                    n
                };
                marker::version_note(number, *side, v.status, &v.did, other_did, v.note)
            }
            Pending::Survivor { side } => {
                let number = self.take();
                marker::survivor_note(number, *side, v.status, &v.did, v.note)
            }
        };
        if let Some(number) = marker::number_of(&note) {
            self.report(number, &note);
        }
        (note, Status::NeedsReview)
    }
}

/// The merged article: the common text, with name and source merged three-way.
fn merged_article(base: &Project, ours: &Project, theirs: &Project) -> super::article::Article {
    let (b, o, t) = (base.article(), ours.article(), theirs.article());
    let name = merge3(Some(b.name()), o.name(), t.name()).unwrap_or(o.name());
    let source = merge3(Some(&b.source()), &o.source(), &t.source())
        .copied()
        .unwrap_or(o.source());
    if name == o.name() && source == o.source() {
        o.clone()
    } else {
        super::article::Article::new(name, source.cloned(), o.text())
    }
}

/// Every span the merged project may hold, before duplicates are folded: base's spans as
/// merged, then the new spans of each side.
fn span_candidates<'a>(
    base: &'a Project,
    ours: &'a Project,
    theirs: &'a Project,
    summary: &mut MergeSummary,
) -> Vec<Candidate<'a>> {
    let ours_by_id: HashMap<SpanId, &Span> = ours.spans().iter().map(|s| (s.id, s)).collect();
    let theirs_by_id: HashMap<SpanId, &Span> = theirs.spans().iter().map(|s| (s.id, s)).collect();
    let mut ours_matched = HashSet::with_capacity(ours.spans().len());
    let mut theirs_matched = HashSet::with_capacity(theirs.spans().len());
    let mut candidates = Vec::with_capacity(ours.spans().len() + theirs.spans().len() / 16);
    let mut pairs = 0;
    for b in base.spans() {
        let vb = view(base, b);
        let version_in = |project: &'a Project, by_id: &HashMap<SpanId, &'a Span>| {
            by_id
                .get(&b.id)
                .map(|s| view(project, s))
                .filter(|v| is_version(&vb, v))
        };
        let o = version_in(ours, &ours_by_id);
        let t = version_in(theirs, &theirs_by_id);
        if o.is_some() {
            ours_matched.insert(b.id);
        }
        if t.is_some() {
            theirs_matched.insert(b.id);
        }
        match (o, t) {
            (None, None) => summary.deleted += 1,
            (Some(v), None) | (None, Some(v)) => {
                if v == vb {
                    summary.deleted += 1;
                } else {
                    let side = if o.is_some() {
                        Side::Ours
                    } else {
                        Side::Theirs
                    };
                    let version = Version {
                        side: Some(side),
                        status: v.status,
                        note: v.note,
                        did: did(&vb, &v),
                    };
                    candidates.push(Candidate::single(
                        Some(b.id),
                        &v,
                        version,
                        Pending::Survivor { side },
                    ));
                }
            }
            (Some(o), Some(t)) => {
                merge_span(b.id, &vb, &o, &t, &mut candidates, &mut pairs, summary);
            }
        }
    }
    for (project, matched, side) in [
        (ours, &ours_matched, Side::Ours),
        (theirs, &theirs_matched, Side::Theirs),
    ] {
        for s in project.spans().iter().filter(|s| !matched.contains(&s.id)) {
            let v = view(project, s);
            let version = Version {
                side: Some(side),
                status: v.status,
                note: v.note,
                did: "added it".to_owned(),
            };
            candidates.push(Candidate::single(Some(s.id), &v, version, Pending::None));
            match side {
                Side::Ours => summary.added_ours += 1,
                Side::Theirs => summary.added_theirs += 1,
            }
        }
    }
    candidates
}

/// Base's span `id` kept (in some form) by both sides: merged field by field, or a
/// conflict.
fn merge_span<'a>(
    id: SpanId,
    b: &View<'a>,
    o: &View<'a>,
    t: &View<'a>,
    candidates: &mut Vec<Candidate<'a>>,
    pairs: &mut usize,
    summary: &mut MergeSummary,
) {
    let range = merge3(Some(&b.range), &o.range, &t.range).copied();
    let label = merge3(Some(b.label), o.label, t.label);
    let note = merge3(Some(b.note), o.note, t.note);
    let status = merge3(Some(&b.status), &o.status, &t.status).copied();
    if let (Some(range), Some(label), Some(note), Some(status)) = (range, label, note, status) {
        let merged = View {
            range,
            label,
            note,
            status,
        };
        if merged != *b {
            summary.changed += 1;
        }
        // Whose version this is, when only one side changed it.
        let (side, did) = match (o != b, t != b) {
            (true, false) => (Some(Side::Ours), did(b, o)),
            (false, true) => (Some(Side::Theirs), did(b, t)),
            (false, false) => (None, "kept it".to_owned()),
            (true, true) => (
                None,
                format!("(both sides' changes merged) {}", did(b, &merged)),
            ),
        };
        let version = Version {
            side,
            status,
            note,
            did,
        };
        let mut c = Candidate::single(Some(id), &merged, version, Pending::None);
        c.rank = RANK_BASE;
        candidates.push(c);
        return;
    }
    // Each side's version takes the other side's change wherever only that side changed.
    let side_view = |v: &View<'a>| View {
        range: range.unwrap_or(v.range),
        label: label.unwrap_or(v.label),
        note: note.unwrap_or(v.note),
        status: status.unwrap_or(v.status),
    };
    let (vo, vt) = (side_view(o), side_view(t));
    let (did_o, did_t) = (did(b, o), did(b, t));
    let version = |side, v: &View<'a>, did: &str| Version {
        side: Some(side),
        status: v.status,
        note: v.note,
        did: did.to_owned(),
    };
    if vo.range == vt.range && vo.label == vt.label {
        // Only note or status differ: one span holds both versions.
        let mut c = Candidate::single(
            Some(id),
            &vo,
            version(Side::Ours, &vo, &did_o),
            Pending::None,
        );
        c.versions.push(version(Side::Theirs, &vt, &did_t));
        c.rank = RANK_CONFLICT;
        candidates.push(c);
        return;
    }
    let key = *pairs;
    *pairs += 1;
    candidates.push(Candidate::single(
        Some(id),
        &vo,
        version(Side::Ours, &vo, &did_o),
        Pending::Pair {
            key,
            side: Side::Ours,
            other_did: did_t.clone(),
        },
    ));
    candidates.push(Candidate::single(
        None,
        &vt,
        version(Side::Theirs, &vt, &did_t),
        Pending::Pair {
            key,
            side: Side::Theirs,
            other_did: did_o,
        },
    ));
}

/// Candidates with the same range and label become one: a duplicate is dropped (identical
/// additions once), differing notes or statuses are folded into one conflict span. The
/// result is in document order (by range, then label name).
fn fold_collisions<'a>(
    mut candidates: Vec<Candidate<'a>>,
    summary: &mut MergeSummary,
) -> Vec<Candidate<'a>> {
    candidates
        .sort_by(|a, b| (a.range, a.label, a.rank, a.id).cmp(&(b.range, b.label, b.rank, b.id)));
    let mut out: Vec<Candidate<'a>> = Vec::with_capacity(candidates.len());
    for c in candidates {
        match out.last_mut() {
            Some(last) if last.range == c.range && last.label == c.label => {
                let both_added = last.rank == RANK_OURS && c.rank == RANK_THEIRS;
                if last.absorb(c) && both_added {
                    summary.added_both += 1;
                    summary.added_ours = summary.added_ours.saturating_sub(1);
                    summary.added_theirs = summary.added_theirs.saturating_sub(1);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
