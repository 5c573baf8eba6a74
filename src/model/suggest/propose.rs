//! From suggestions to spans: what is proposed to the analyst, and what is left out.
//!
//! A proposal is a span with status `Suggested`. It is never proposed when the project already
//! has a span of the same label over the same text range (confirmed, suggested or rejected —
//! a rejected suggestion is never proposed again), nor when it would cover mostly the same
//! chars as an annotation of that label (a suggestion never duplicates or overwrites a
//! confirmed span), nor when the analyst rejected the same text for that label anywhere in
//! the project (rejecting teaches: "not this text as a Quote").
//!
//! ```text
//!   "He said [Quote:no way]. Later: no way."      tag "no way" as Quote
//!   → proposes [Quote?:no way] at the second place
//! ```

use std::collections::HashSet;

use super::across::{Learned, teaches};
use super::{Suggestion, occurrences};
use crate::model::{CharOffset, CharRange, LabelId, Project, Span, SpanId, Status};

/// Learned proposals stop at this many per tag, so tagging a common word cannot flood the
/// review list.
pub const MAX_LEARNED: usize = 500;

/// What blocks proposals in `project`: ranges per label, and rejected texts per label.
struct Blocked<'a> {
    project: &'a Project,
    rejected_texts: HashSet<(LabelId, &'a str)>,
}

impl<'a> Blocked<'a> {
    fn new(project: &'a Project) -> Self {
        let rejected_texts = project
            .spans()
            .iter()
            .filter(|s| s.status == Status::Rejected)
            .map(|s| (s.label, project.span_text(s)))
            .collect();
        Self {
            project,
            rejected_texts,
        }
    }

    /// True when a `label` span over `range` may be proposed.
    fn allows(&self, range: CharRange, label: LabelId) -> bool {
        let spans = self.project.spans();
        if range.is_empty() || spans.find(range, label).is_some() {
            return false;
        }
        let text = self.project.article().slice(range).unwrap_or_default();
        if self.rejected_texts.contains(&(label, text)) {
            return false;
        }
        // Mostly the same chars as an annotation (or another proposal) of that label.
        !spans.overlapping(range).into_iter().any(|s| {
            s.label == label && s.status != Status::Rejected && mostly_same(s.range, range)
        })
    }
}

/// True when `a` and `b` share at least half of the longer of the two.
fn mostly_same(a: CharRange, b: CharRange) -> bool {
    a.overlap_len(b) * 2 >= a.len().max(b.len())
}

/// Proposals being gathered for one project, with fresh ids: each is checked against the
/// project ([`Blocked`]) and against the proposals of its label gathered before it.
struct Gather<'a> {
    blocked: Blocked<'a>,
    spans: Vec<Span>,
    next: u64,
}

impl<'a> Gather<'a> {
    fn new(project: &'a Project, first_id: SpanId) -> Self {
        Self {
            blocked: Blocked::new(project),
            spans: Vec::new(),
            next: first_id.0,
        }
    }

    /// Propose a `label` span over `range` unless something blocks it.
    fn offer(&mut self, range: CharRange, label: LabelId) {
        let project = self.blocked.project;
        if range.end().get() > project.article().char_len()
            || !self.blocked.allows(range, label)
            || self
                .spans
                .iter()
                .any(|o| o.label == label && mostly_same(o.range, range))
        {
            return;
        }
        self.spans.push(Span {
            id: SpanId(self.next),
            range,
            label,
            note: String::new(),
            status: Status::Suggested,
        });
        self.next = self.next.saturating_add(1);
    }

    /// The suggesters' `found`, in order; labels the project lacks are skipped.
    fn offer_found(&mut self, found: &[Suggestion]) {
        let labels = self.blocked.project.labels();
        for s in found {
            if let (Some(label), Some(range)) = (
                labels.by_name(s.label.name()),
                CharRange::new(s.start, s.end),
            ) {
                self.offer(range, label);
            }
        }
    }

    /// What the corpus taught (see [`learned_across`]), at most [`MAX_LEARNED`].
    fn offer_learned(&mut self, learners: &[&Learned]) {
        let project = self.blocked.project;
        let text = project.article().text();
        let mut found: Vec<(CharRange, LabelId)> = Vec::new();
        for learner in learners {
            for f in learner.find(text) {
                let Some(label) = project.labels().by_name(f.label) else {
                    continue;
                };
                let range = CharRange::between(CharOffset(f.range.start), CharOffset(f.range.end));
                let span_text = project.article().slice(range).unwrap_or_default();
                if !learners.iter().any(|l| l.is_rejected(f.label, span_text)) {
                    found.push((range, label));
                }
            }
        }
        found.sort_unstable_by_key(|(r, l)| (r.start(), r.end(), *l));
        found.dedup();
        for (range, label) in found {
            if self.spans.len() >= MAX_LEARNED {
                break;
            }
            self.offer(range, label);
        }
    }
}

/// The spans to propose for `found` (from [`super::suggest`] on this project's text), with
/// fresh ids from `first_id` on. Labels the project does not have are skipped.
#[must_use]
pub fn proposals(project: &Project, found: &[Suggestion], first_id: SpanId) -> Vec<Span> {
    let mut gather = Gather::new(project, first_id);
    gather.offer_found(found);
    gather.spans
}

/// The other exact occurrences of `tagged`'s text in the project's article, as `Suggested`
/// spans of its label with fresh ids from `first_id` on ("learning from the analyst").
/// Texts of fewer than two chars, or without a letter or digit, teach nothing.
#[must_use]
pub fn learned(project: &Project, tagged: &Span, first_id: SpanId) -> Vec<Span> {
    let text = project.span_text(tagged);
    if !teaches(text) {
        return Vec::new();
    }
    let mut gather = Gather::new(project, first_id);
    for r in occurrences(project.article().text(), text) {
        let range = CharRange::between(CharOffset(r.start), CharOffset(r.end));
        if gather.spans.len() >= MAX_LEARNED {
            break;
        }
        if range != tagged.range {
            gather.offer(range, tagged.label);
        }
    }
    gather.spans
}

/// What the corpus taught, for this project: every place a text confirmed elsewhere (in
/// any of `learners`) occurs, as `Suggested` spans of its label with fresh ids from
/// `first_id` on. Nothing is proposed that any learner saw rejected for its label, that
/// this project blocks (see the module docs), or whose label this project lacks; at most
/// [`MAX_LEARNED`].
#[must_use]
pub fn learned_across(project: &Project, learners: &[&Learned], first_id: SpanId) -> Vec<Span> {
    let mut gather = Gather::new(project, first_id);
    gather.offer_learned(learners);
    gather.spans
}

/// Everything proposed for `project` in a corpus run: first what the corpus taught (see
/// [`learned_across`]), then the suggesters' `found` (from [`super::suggest`] on its text)
/// that do not cover mostly the same chars as a learned proposal of their label. Ids are
/// fresh from `first_id` on. Returns the spans and how many of them (the first ones) were
/// learned.
#[must_use]
pub fn corpus_proposals(
    project: &Project,
    found: &[Suggestion],
    learners: &[&Learned],
    first_id: SpanId,
) -> (Vec<Span>, usize) {
    let mut gather = Gather::new(project, first_id);
    gather.offer_learned(learners);
    let learned = gather.spans.len();
    gather.offer_found(found);
    (gather.spans, learned)
}

/// Insert `spans` (proposals, the first `learned` of them learned from other documents)
/// into `project`, outside its undo history (command-line and corpus runs). Returns how many
/// of each label went in, in the project's label order, and how many of the learned ones.
pub fn insert_proposals(
    project: &mut Project,
    spans: Vec<Span>,
    learned: usize,
) -> (Vec<(String, usize)>, usize) {
    let mut added: Vec<(String, usize)> = project
        .labels()
        .iter()
        .map(|(_, l)| (l.name.clone(), 0))
        .collect();
    let mut learned_added = 0;
    for (i, span) in spans.into_iter().enumerate() {
        let label = span.label;
        if project.insert_span(span).is_err() {
            continue;
        }
        if i < learned {
            learned_added += 1;
        }
        let name = project.labels().name(label);
        if let Some((_, n)) = added.iter_mut().find(|(l, _)| l == name) {
            *n += 1;
        }
    }
    (added, learned_added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Edit;
    use crate::model::notation::{parse, render};
    use crate::model::suggest::SuggestLabel;

    fn add_all(project: &mut Project, spans: Vec<Span>) {
        for s in spans {
            assert_eq!(project.apply(&Edit::AddSpan(s)), Ok(()));
        }
    }

    #[test]
    fn tagging_a_text_proposes_its_other_occurrences_but_not_rejected_ones()
    -> Result<(), Box<dyn std::error::Error>> {
        let mut p = parse("[Quote:no way], he said. Later: no way. Then no way again.")?;
        let tagged = p.spans().iter().next().cloned().ok_or("span")?;
        let found = learned(&p, &tagged, p.fresh_id());
        assert_eq!(found.len(), 2);
        add_all(&mut p, found);
        assert_eq!(
            render(&p),
            "[Quote:no way], he said. Later: [Quote?:no way]. Then [Quote?:no way] again."
        );
        // Reject one: it is never proposed again, and neither is the other place.
        let rejected = p
            .spans()
            .iter()
            .find(|s| s.status == Status::Suggested)
            .map(|s| s.id);
        let edit = p.change(rejected.ok_or("no suggestion")?, |s| {
            s.status = Status::Rejected;
        })?;
        p.apply(&edit)?;
        let other = p
            .spans()
            .iter()
            .find(|s| s.status == Status::Suggested)
            .cloned();
        p.apply(&Edit::RemoveSpan(other.ok_or("other")?))?;
        assert!(learned(&p, &tagged, p.fresh_id()).is_empty());
        Ok(())
    }

    #[test]
    fn texts_confirmed_elsewhere_are_proposed_unless_blocked_here()
    -> Result<(), Box<dyn std::error::Error>> {
        let elsewhere = parse("[Quote:no way], [Claim:Prices rose] and [Claim:fell]")?;
        let learned = Learned::from_lessons([&super::super::across::Lessons::of(&elsewhere)]);
        // Here: "no way" rejected as a Quote once (so nowhere here), "Prices rose" tagged
        // already, "fell" free twice.
        let mut p = parse("[Quote-:no way] no way. [Claim:Prices rose], fell, fell")?;
        let spans = learned_across(&p, &[&learned], p.fresh_id());
        add_all(&mut p, spans);
        assert_eq!(
            render(&p),
            "[Quote-:no way] no way. [Claim:Prices rose], [Claim?:fell], [Claim?:fell]"
        );
        // Rejected in a session learner: not proposed from the other one either.
        let mut session = Learned::default();
        session.reject("Claim", "fell");
        let q = parse("It fell.")?;
        assert!(learned_across(&q, &[&learned, &session], q.fresh_id()).is_empty());
        assert_eq!(learned_across(&q, &[&learned], q.fresh_id()).len(), 1);
        Ok(())
    }

    #[test]
    fn proposals_never_duplicate_or_overwrite_an_annotation()
    -> Result<(), Box<dyn std::error::Error>> {
        let p = parse("Prices [Claim:rose 3% in May] and fell.")?;
        let s = |start, end| Suggestion {
            start,
            end,
            label: SuggestLabel::Claim,
        };
        // The same range, a near copy of it, and a new one.
        let found = [s(7, 22), s(7, 20), s(27, 31)];
        let out = proposals(&p, &found, p.fresh_id());
        let ranges: Vec<_> = out
            .iter()
            .map(|s| (s.range.start().get(), s.range.end().get()))
            .collect();
        assert_eq!(ranges, [(27, 31)]);
        assert!(out.iter().all(|s| s.status == Status::Suggested));
        Ok(())
    }

    #[test]
    fn corpus_proposals_put_learned_first_and_drop_suggestions_on_the_same_chars()
    -> Result<(), Box<dyn std::error::Error>> {
        let mut learned = Learned::default();
        learned.learn("Claim", "rose 3%");
        let mut p = parse("[Quote:Hi] Prices rose 3% in May and fell.")?;
        let s = |start, end| Suggestion {
            start,
            end,
            label: SuggestLabel::Claim,
        };
        // "rose 3% in" covers mostly the learned "rose 3%"; "fell" is new.
        let found = [s(10, 20), s(29, 33)];
        let first = p.fresh_id();
        let (spans, n_learned) = corpus_proposals(&p, &found, &[&learned], first);
        assert_eq!(n_learned, 1);
        let ids: Vec<u64> = spans.iter().map(|s| s.id.0).collect();
        assert_eq!(ids, [first.0, first.0 + 1]);
        add_all(&mut p, spans);
        assert_eq!(
            render(&p),
            "[Quote:Hi] Prices [Claim?:rose 3%] in May and [Claim?:fell]."
        );
        Ok(())
    }
}
