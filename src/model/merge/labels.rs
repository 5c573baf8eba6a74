//! Merging three label sets by name.
//!
//! A label is identified by its name across versions (ids are positions in each project's
//! own set). A label added on either side is kept; one deleted on one side and untouched on
//! the other is deleted, unless a merged span still uses it; colour, key and description
//! are merged field by field, a field changed on one side being taken and a field changed
//! two ways keeping ours (reported). Two labels ending up with the same key fall back to
//! no key, except the one that has the key in ours (reported).

use std::collections::{HashMap, HashSet};

use super::super::label::{Label, LabelId, LabelSet, LabelSetError};
use super::merge3;

/// The merged set and how names map to its ids.
pub(super) struct MergedLabels {
    pub set: LabelSet,
    pub ids: HashMap<String, LabelId>,
    /// One line per thing the analyst should know (a field changed two ways, a key clash, a
    /// label kept because it is still used).
    pub notes: Vec<String>,
}

fn find<'a>(set: &'a LabelSet, name: &str) -> Option<&'a Label> {
    set.by_name(name).and_then(|id| set.get(id))
}

/// Merge the label sets; `used` are the names the merged spans need.
pub(super) fn merge_labels(
    base: &LabelSet,
    ours: &LabelSet,
    theirs: &LabelSet,
    used: &HashSet<&str>,
) -> Result<MergedLabels, LabelSetError> {
    let mut notes = Vec::new();
    // Ours' order first, then labels only theirs has, in theirs' order.
    let mut names: Vec<&str> = ours.iter().map(|(_, l)| l.name.as_str()).collect();
    names.extend(
        theirs
            .iter()
            .map(|(_, l)| l.name.as_str())
            .filter(|n| find(ours, n).is_none()),
    );
    let mut labels: Vec<Label> = Vec::new();
    for name in names {
        let (b, o, t) = (find(base, name), find(ours, name), find(theirs, name));
        let merged = match (o, t) {
            (Some(o), Some(t)) => Some(merge_fields(name, b, o, t, &mut notes)),
            // Present on one side only: added there, or deleted by the other side.
            (Some(one), None) | (None, Some(one)) => {
                let (side, other) = if o.is_some() {
                    ("ours", "theirs")
                } else {
                    ("theirs", "ours")
                };
                match b {
                    None => Some(one.clone()),
                    Some(b) if b == one && !used.contains(name) => None,
                    Some(b) if b == one => {
                        notes.push(format!(
                            "label \"{name}\" was deleted by {other} but merged spans still use it, so it was kept"
                        ));
                        Some(one.clone())
                    }
                    Some(_) => {
                        notes.push(format!(
                            "label \"{name}\" was deleted by {other} and changed by {side}; it was kept"
                        ));
                        Some(one.clone())
                    }
                }
            }
            (None, None) => None,
        };
        labels.extend(merged);
    }
    clear_key_clashes(&mut labels, ours, &mut notes);
    if labels.is_empty() {
        notes.push(
            "the two sides deleted every label between them; ours' labels were kept".to_owned(),
        );
        labels = ours.iter().map(|(_, l)| l.clone()).collect();
    }
    let set = LabelSet::new(labels)?;
    let ids = set.iter().map(|(id, l)| (l.name.clone(), id)).collect();
    Ok(MergedLabels { set, ids, notes })
}

/// A label both sides have: each field three-way, ours kept where both changed it.
fn merge_fields(
    name: &str,
    base: Option<&Label>,
    ours: &Label,
    theirs: &Label,
    notes: &mut Vec<String>,
) -> Label {
    let mut clash = |what: &str| {
        notes.push(format!(
            "label \"{name}\": the {what} was changed two ways; ours was kept"
        ));
    };
    let color = merge3(base.map(|b| &b.color), &ours.color, &theirs.color).unwrap_or_else(|| {
        clash("colour");
        &ours.color
    });
    let key = merge3(base.map(|b| &b.key), &ours.key, &theirs.key).unwrap_or_else(|| {
        clash("key");
        &ours.key
    });
    let description = merge3(
        base.map(|b| &b.description),
        &ours.description,
        &theirs.description,
    )
    .unwrap_or_else(|| {
        clash("description");
        &ours.description
    });
    Label {
        name: name.to_owned(),
        color: *color,
        key: *key,
        description: description.clone(),
    }
}

/// Keys given to more than one label: the label that has the key in ours keeps it, the
/// others get none.
fn clear_key_clashes(labels: &mut [Label], ours: &LabelSet, notes: &mut Vec<String>) {
    let mut holders: HashMap<char, Vec<usize>> = HashMap::new();
    for (i, l) in labels.iter().enumerate() {
        if let Some(k) = l.key {
            holders.entry(k).or_default().push(i);
        }
    }
    let mut clashes: Vec<(char, Vec<usize>)> =
        holders.into_iter().filter(|(_, h)| h.len() > 1).collect();
    clashes.sort_unstable_by_key(|(k, _)| *k);
    for (key, holders) in clashes {
        let keeper = holders.iter().copied().find(|&i| {
            labels
                .get(i)
                .and_then(|l| find(ours, &l.name))
                .is_some_and(|o| o.key == Some(key))
        });
        let mut lost = Vec::new();
        for i in holders {
            if Some(i) == keeper {
                continue;
            }
            if let Some(l) = labels.get_mut(i) {
                l.key = None;
                lost.push(format!("\"{}\"", l.name));
            }
        }
        notes.push(format!(
            "key {key} was given to more than one label; {} now {} no key",
            lost.join(" and "),
            if lost.len() == 1 { "has" } else { "have" }
        ));
    }
}
