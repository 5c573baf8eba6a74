//! Merging orphans (spans that lost their place) like spans: an orphan of ours is a version
//! of base's orphan with the same id only when it has the same label, old place and text.
//! Their note and reason merge three-way; a note edited two ways keeps both versions, an
//! orphan edited on one side and deleted (placed or removed) on the other is kept, each
//! with a marker line like a conflicting span's.

use std::collections::HashMap;

use super::super::project::Project;
use super::super::span::{Orphan, SpanId, Status};
use super::{Numbering, RANK_BASE, RANK_CONFLICT, RANK_OURS, RANK_THEIRS, Side, marker, merge3};

/// How an orphan takes part in a conflict.
enum Pending {
    None,
    Pair {
        key: usize,
        side: Side,
        did: String,
        other_did: String,
    },
    Survivor {
        side: Side,
        did: String,
    },
}

/// An orphan of the merged project before its id and note are final.
pub(super) struct OrphanCandidate {
    pub id: Option<SpanId>,
    pub rank: u8,
    orphan: Orphan,
    pending: Pending,
}

fn same_place(a: &Orphan, b: &Orphan) -> bool {
    a.label == b.label && a.old_range == b.old_range && a.text == b.text
}

fn did(b: &Orphan, v: &Orphan) -> String {
    let mut parts = Vec::new();
    if b.note != v.note {
        parts.push("edited the note");
    }
    if b.reason != v.reason {
        parts.push("changed the reason");
    }
    if parts.is_empty() {
        "kept it".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Every orphan the merged project keeps.
pub(super) fn merge_orphans(
    base: &Project,
    ours: &Project,
    theirs: &Project,
) -> Vec<OrphanCandidate> {
    let by_id = |p: &Project| -> HashMap<SpanId, usize> {
        p.orphans()
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id, i))
            .collect()
    };
    let (ours_ids, theirs_ids) = (by_id(ours), by_id(theirs));
    let mut ours_matched = vec![false; ours.orphans().len()];
    let mut theirs_matched = vec![false; theirs.orphans().len()];
    let mut out = Vec::new();
    let mut pairs = 0;
    for b in base.orphans() {
        let version_in = |p: &Project, ids: &HashMap<SpanId, usize>, matched: &mut [bool]| {
            let i = *ids.get(&b.id)?;
            let o = p.orphans().get(i).filter(|o| same_place(b, o))?;
            if let Some(m) = matched.get_mut(i) {
                *m = true;
            }
            Some(o.clone())
        };
        let o = version_in(ours, &ours_ids, &mut ours_matched);
        let t = version_in(theirs, &theirs_ids, &mut theirs_matched);
        let (o, t) = match (o, t) {
            (Some(o), Some(t)) => (o, t),
            (None, None) => continue,
            (Some(v), None) | (None, Some(v)) if &v == b => continue,
            (Some(v), None) => {
                out.push(survivor(b, v, Side::Ours));
                continue;
            }
            (None, Some(v)) => {
                out.push(survivor(b, v, Side::Theirs));
                continue;
            }
        };
        both_kept(b, o, t, &mut pairs, &mut out);
    }
    let new_ours: Vec<&Orphan> = ours
        .orphans()
        .iter()
        .zip(&ours_matched)
        .filter(|(_, m)| !**m)
        .map(|(o, _)| o)
        .collect();
    for o in &new_ours {
        out.push(OrphanCandidate {
            id: Some(o.id),
            rank: RANK_OURS,
            pending: Pending::None,
            orphan: (*o).clone(),
        });
    }
    let identical =
        |a: &Orphan, b: &Orphan| same_place(a, b) && a.note == b.note && a.reason == b.reason;
    for (o, _) in theirs
        .orphans()
        .iter()
        .zip(&theirs_matched)
        .filter(|(_, m)| !**m)
    {
        if new_ours.iter().any(|x| identical(x, o)) {
            continue;
        }
        out.push(OrphanCandidate {
            id: Some(o.id),
            rank: RANK_THEIRS,
            pending: Pending::None,
            orphan: o.clone(),
        });
    }
    out
}

/// Base's orphan `b`, kept (in some form) as `o` by ours and `t` by theirs: note and reason
/// merged three-way, or both versions kept when the note was edited two ways.
fn both_kept(b: &Orphan, o: Orphan, t: Orphan, pairs: &mut usize, out: &mut Vec<OrphanCandidate>) {
    let note = merge3(Some(&b.note), &o.note, &t.note).cloned();
    let reason = merge3(Some(&b.reason), &o.reason, &t.reason)
        .cloned()
        .unwrap_or_else(|| o.reason.clone());
    if let Some(note) = note {
        out.push(OrphanCandidate {
            id: Some(b.id),
            rank: RANK_BASE,
            pending: Pending::None,
            orphan: Orphan { note, reason, ..o },
        });
        return;
    }
    let (did_o, did_t) = (did(b, &o), did(b, &t));
    let key = *pairs;
    *pairs += 1;
    out.push(OrphanCandidate {
        id: Some(b.id),
        rank: RANK_CONFLICT,
        pending: Pending::Pair {
            key,
            side: Side::Ours,
            did: did_o.clone(),
            other_did: did_t.clone(),
        },
        orphan: Orphan {
            reason: reason.clone(),
            ..o
        },
    });
    out.push(OrphanCandidate {
        id: None,
        rank: RANK_CONFLICT,
        pending: Pending::Pair {
            key,
            side: Side::Theirs,
            did: did_t,
            other_did: did_o,
        },
        orphan: Orphan { reason, ..t },
    });
}

/// Base's orphan `b`, edited on `side` (as `v`) and deleted on the other.
fn survivor(b: &Orphan, v: Orphan, side: Side) -> OrphanCandidate {
    OrphanCandidate {
        id: Some(b.id),
        rank: RANK_CONFLICT,
        pending: Pending::Survivor {
            side,
            did: did(b, &v),
        },
        orphan: v,
    }
}

/// The merged orphans with their final ids and notes, numbering their conflicts.
pub(super) fn finish(candidates: Vec<OrphanCandidate>, numbering: &mut Numbering) -> Vec<Orphan> {
    let mut pair_numbers: HashMap<usize, u32> = HashMap::new();
    let mut out: Vec<Orphan> = Vec::with_capacity(candidates.len());
    for c in candidates {
        let mut orphan = c.orphan;
        orphan.id = c.id.unwrap_or(orphan.id);
        match c.pending {
            Pending::None => {}
            Pending::Pair {
                key,
                side,
                did,
                other_did,
            } => {
                let number = *pair_numbers.entry(key).or_insert_with(|| numbering.take());
                orphan.note = marker::version_note(
                    number,
                    side,
                    Status::Confirmed,
                    &did,
                    &other_did,
                    &orphan.note,
                );
                numbering.report(number, &orphan.note);
            }
            Pending::Survivor { side, did } => {
                let number = numbering.take();
                orphan.note =
                    marker::survivor_note(number, side, Status::Confirmed, &did, &orphan.note);
                numbering.report(number, &orphan.note);
            }
        }
        out.push(orphan);
    }
    out.sort_by_key(|o| o.id);
    out
}
