//! Curation: several analysts' projects of one article become one curated project.
//!
//! Spans every analyst made alike (same range, same label) are agreements and go into the
//! curated project at once. Everything else is grouped into *disagreements*: clusters of
//! overlapping spans, each showing what every analyst did there. The curator settles each
//! one with one choice — take one analyst's spans, take all of them, or edit by hand — and
//! each choice is one [`Edit`] on the curated project, so it undoes like any other.
//!
//! ```text
//!   A: Putin [Claim:rejected the offer] flatly.      B: Putin [Claim:rejected the offer] flatly.
//!   → agreed: [Claim:rejected the offer]
//!   A: [Quote:no deal], he said                      B: [Claim:no deal], he said
//!   → disagreement over "no deal": take A (Quote), take B (Claim), or both
//! ```
//!
//! Whether a disagreement is settled is read from the curated project (it has a span there),
//! not stored, so undo and manual edits keep it true.

use super::article::Article;
use super::edit::Edit;
use super::label::{LabelSet, Rgb};
use super::offset::CharRange;
use super::project::Project;
use super::span::{Span, SpanId, Status};

/// Why projects cannot be curated together.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CurationError {
    /// Fewer than two analysts.
    #[error("curation needs the projects of two or more analysts")]
    TooFew,
    /// The analysts annotated different texts.
    #[error(
        "{0}'s project is for another text than the first analyst's: curate projects of the same article"
    )]
    DifferentText(String),
    /// The label sets cannot be combined (more labels than a set holds, or clashing names).
    #[error("the analysts' labels cannot be combined: {0}")]
    Labels(String),
}

/// One analyst's span, by label name (label ids differ between projects).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// The chars it covers.
    pub range: CharRange,
    /// Its label's name.
    pub label: String,
    /// The analyst's note.
    pub note: String,
}

/// A place where the analysts did not all do the same: every analyst's marks there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    /// The chars the cluster covers (from the first mark's start to the last one's end).
    pub range: CharRange,
    /// Per analyst (in input order), their marks in this cluster (possibly none).
    pub marks: Vec<Vec<Mark>>,
}

/// How to settle a disagreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Take this analyst's marks (by position).
    Take(usize),
    /// Take every analyst's marks (each distinct one once).
    TakeAll,
}

/// The curation of one article: the analysts, and what they disagree on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Curation {
    /// The analysts' names, in input order.
    pub analysts: Vec<String>,
    /// Every analyst's marks, in input order (for drawing their lanes).
    pub lanes: Vec<Vec<Mark>>,
    /// Where they disagree, in document order.
    pub disagreements: Vec<Disagreement>,
    /// How many spans all of them made alike.
    pub agreed: usize,
}

fn marks(project: &Project) -> Vec<Mark> {
    project
        .spans()
        .iter()
        .filter(|s| s.status.is_annotation())
        .map(|s| Mark {
            range: s.range,
            label: project.labels().name(s.label).to_owned(),
            note: s.note.clone(),
        })
        .collect()
}

/// The labels of all analysts, by name, in order of first appearance (first analyst first).
fn union_labels(projects: &[&Project]) -> Result<LabelSet, CurationError> {
    let mut set: Option<LabelSet> = None;
    for project in projects {
        for (_, label) in project.labels().iter() {
            let next = match &set {
                None => LabelSet::new(vec![label.clone()]),
                Some(s) if s.by_name(&label.name).is_some() => continue,
                Some(s) => {
                    // A key another analyst's label already has is dropped, not clashed.
                    let mut label = label.clone();
                    if label.key.is_some_and(|k| s.by_key(k).is_some()) {
                        label.key = s.free_key();
                    }
                    s.with_added(label).map(|(s, _)| s)
                }
            };
            set = Some(next.map_err(|e| CurationError::Labels(e.to_string()))?);
        }
    }
    set.map_or_else(
        || {
            LabelSet::new(vec![super::label::Label::new(
                "Claim",
                Rgb([0xE8, 0x91, 0x1E]),
            )])
            .map_err(|e| CurationError::Labels(e.to_string()))
        },
        Ok,
    )
}

/// Start curating: the curated project (holding the agreements) and the disagreements.
pub fn start(analysts: &[(String, &Project)]) -> Result<(Project, Curation), CurationError> {
    let [(_, first), ..] = analysts else {
        return Err(CurationError::TooFew);
    };
    if analysts.len() < 2 {
        return Err(CurationError::TooFew);
    }
    for (name, p) in analysts {
        if p.article().text() != first.article().text() {
            return Err(CurationError::DifferentText(name.clone()));
        }
    }
    let projects: Vec<&Project> = analysts.iter().map(|(_, p)| *p).collect();
    let labels = union_labels(&projects)?;
    let article = Article::new(
        format!("{}-curated", first.article().name()),
        first.article().source().cloned(),
        first.article().text(),
    );
    let mut curated = Project::new(article, labels);
    let lanes: Vec<Vec<Mark>> = projects.iter().map(|p| marks(p)).collect();

    // Agreements: the same range and label in every lane.
    let agreed_marks: Vec<&Mark> = lanes.first().map_or_else(Vec::new, |first| {
        first
            .iter()
            .filter(|m| {
                lanes.iter().skip(1).all(|lane| {
                    lane.iter()
                        .any(|o| o.range == m.range && o.label == m.label)
                })
            })
            .collect()
    });
    let mut agreed = 0;
    for m in &agreed_marks {
        let notes: Vec<&str> = lanes
            .iter()
            .filter_map(|lane| {
                lane.iter()
                    .find(|o| o.range == m.range && o.label == m.label)
                    .map(|o| o.note.as_str())
            })
            .filter(|n| !n.is_empty())
            .collect();
        let mut note = String::new();
        for n in notes {
            if !note.split('\n').any(|line| line == n) {
                if !note.is_empty() {
                    note.push('\n');
                }
                note.push_str(n);
            }
        }
        if add(&mut curated, m, note) {
            agreed += 1;
        }
    }

    // The rest, clustered by overlap across all lanes.
    let mut rest: Vec<(usize, &Mark)> = lanes
        .iter()
        .enumerate()
        .flat_map(|(i, lane)| lane.iter().map(move |m| (i, m)))
        .filter(|(_, m)| {
            !agreed_marks
                .iter()
                .any(|a| a.range == m.range && a.label == m.label)
        })
        .collect();
    rest.sort_by_key(|(i, m)| (m.range, *i));
    let mut disagreements: Vec<Disagreement> = Vec::new();
    for (i, m) in rest {
        let joins = disagreements
            .last()
            .is_some_and(|d| m.range.start() < d.range.end());
        if !joins {
            disagreements.push(Disagreement {
                range: m.range,
                marks: vec![Vec::new(); analysts.len()],
            });
        }
        if let Some(d) = disagreements.last_mut() {
            d.range = CharRange::between(d.range.start(), d.range.end().max(m.range.end()));
            if let Some(lane) = d.marks.get_mut(i) {
                lane.push(m.clone());
            }
        }
    }
    let names = analysts.iter().map(|(n, _)| n.clone()).collect();
    Ok((
        curated,
        Curation {
            analysts: names,
            lanes,
            disagreements,
            agreed,
        },
    ))
}

/// Add `mark` to `project` as a confirmed span (when its label exists and it is new).
fn add(project: &mut Project, mark: &Mark, note: String) -> bool {
    let Some(label) = project.labels().by_name(&mark.label) else {
        return false;
    };
    let span = Span {
        id: project.fresh_id(),
        range: mark.range,
        label,
        note,
        status: Status::Confirmed,
    };
    project.insert_span(span).is_ok()
}

impl Curation {
    /// True when the curated project has a span in `item`'s place (it was settled, by a
    /// choice or by hand).
    #[must_use]
    pub fn is_settled(curated: &Project, item: &Disagreement) -> bool {
        !curated.spans().overlapping(item.range).is_empty()
    }

    /// The edit that settles disagreement `item` with `choice` in `curated`, or `None`
    /// when it would add nothing (the chosen analyst marked nothing there, or it is all in
    /// already).
    #[must_use]
    pub fn resolve(curated: &Project, item: &Disagreement, choice: Choice) -> Option<Edit> {
        let chosen: Vec<&Mark> = match choice {
            Choice::Take(i) => item
                .marks
                .get(i)
                .map(|m| m.iter().collect())
                .unwrap_or_default(),
            Choice::TakeAll => item.marks.iter().flatten().collect(),
        };
        let mut next = curated.fresh_id().0;
        let mut edits: Vec<Edit> = Vec::new();
        let mut added: Vec<(CharRange, &str)> = Vec::new();
        for m in chosen {
            let Some(label) = curated.labels().by_name(&m.label) else {
                continue;
            };
            if curated.spans().find(m.range, label).is_some()
                || added.contains(&(m.range, m.label.as_str()))
            {
                continue;
            }
            added.push((m.range, m.label.as_str()));
            edits.push(Edit::AddSpan(Span {
                id: SpanId(next),
                range: m.range,
                label,
                note: m.note.clone(),
                status: Status::Confirmed,
            }));
            next = next.saturating_add(1);
        }
        (!edits.is_empty()).then_some(Edit::Batch(edits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation::{parse, render};

    type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

    #[test]
    fn agreements_go_in_and_disagreements_are_clustered_by_overlap() -> Result {
        let a = parse("Putin [Claim:rejected the offer]; he said [Quote:no deal] [Claim:today].")?;
        let b = parse("Putin [Claim:rejected the offer]; he said [Claim:no deal today].")?;
        let (curated, c) = start(&[("ana".into(), &a), ("ben".into(), &b)])?;
        assert_eq!(
            render(&curated),
            "Putin [Claim:rejected the offer]; he said no deal today."
        );
        assert_eq!(c.agreed, 1);
        assert_eq!(c.disagreements.len(), 1, "{:?}", c.disagreements);
        let d = c.disagreements.first().ok_or("one")?;
        assert_eq!(
            d.marks.first().map(Vec::len),
            Some(2),
            "ana: Quote and Claim"
        );
        assert_eq!(d.marks.get(1).map(Vec::len), Some(1), "ben: one Claim");
        Ok(())
    }

    #[test]
    fn each_choice_is_one_undoable_edit_and_settles_the_place() -> Result {
        let a = parse("He said [Quote:no deal] today.")?;
        let b = parse("He said [Claim:no deal today].")?;
        let (mut curated, c) = start(&[("ana".into(), &a), ("ben".into(), &b)])?;
        let d = c.disagreements.first().ok_or("one")?.clone();
        assert!(!Curation::is_settled(&curated, &d));
        let take_b = Curation::resolve(&curated, &d, Choice::Take(1)).ok_or("edit")?;
        curated.apply(&take_b)?;
        assert_eq!(render(&curated), "He said [Claim:no deal today].");
        assert!(Curation::is_settled(&curated, &d));
        curated.apply(&take_b.inverse())?;
        let both = Curation::resolve(&curated, &d, Choice::TakeAll).ok_or("edit")?;
        curated.apply(&both)?;
        assert_eq!(render(&curated), "He said [Claim:[Quote:no deal] today].");
        // Taking what is already in adds nothing.
        assert_eq!(Curation::resolve(&curated, &d, Choice::Take(0)), None);
        Ok(())
    }

    #[test]
    fn different_texts_or_a_single_analyst_are_refused() -> Result {
        let a = parse("[Claim:one]")?;
        let b = parse("[Claim:two]")?;
        assert_eq!(
            start(&[("ana".into(), &a), ("ben".into(), &b)]).err(),
            Some(CurationError::DifferentText("ben".into()))
        );
        assert_eq!(
            start(&[("ana".into(), &a)]).err(),
            Some(CurationError::TooFew)
        );
        Ok(())
    }
}
