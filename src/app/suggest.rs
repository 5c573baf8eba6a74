//! Suggestions in the window: running the suggesters on the open document off the UI thread,
//! adding what they find as `Suggested` spans (one undoable step), learning from each tag,
//! and the review queue's decisions (accept, reject, accept all of a label).

use crate::model::suggest::propose::{learned, proposals};
use crate::model::suggest::{Suggestion, suggest};
use crate::model::{Edit, LabelId, Span, SpanId, Status};

use super::tasks::Task;
use super::{SpanmarkApp, plural};

/// A suggestion run on the open document.
pub struct SuggestTask {
    generation: u64,
    task: Task<Vec<Suggestion>>,
}

impl SuggestTask {
    /// How long it has been running, for the status bar.
    #[must_use]
    pub fn elapsed_secs(&self) -> f32 {
        self.task.elapsed().as_secs_f32()
    }
}

impl SpanmarkApp {
    /// Run the suggesters on the open document in the background.
    pub(super) fn start_suggesting(&mut self, ctx: &egui::Context) {
        if self.suggest_task.is_some() {
            self.say("Suggestions are being found already.");
            return;
        }
        let text = self.doc.project().article().shared_text();
        match Task::spawn(ctx, "suggest", move || suggest(&text)) {
            Ok(task) => {
                self.suggest_task = Some(SuggestTask {
                    generation: self.doc.generation(),
                    task,
                });
            }
            Err(e) => self.messages.error(e.to_string(), Vec::new()),
        }
    }

    /// Take up a finished suggestion run: its proposals become one undoable step.
    pub(super) fn poll_suggest(&mut self, ctx: &egui::Context) {
        let Some(running) = &self.suggest_task else {
            return;
        };
        let Some(result) = running.task.poll() else {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
            return;
        };
        let generation = running.generation;
        self.suggest_task = None;
        let found = match result {
            Ok(found) => found,
            Err(e) => {
                self.messages.error(e.to_string(), Vec::new());
                return;
            }
        };
        if generation != self.doc.generation() {
            // Another document (or text) is open now: these were for the old one.
            return;
        }
        let project = self.doc.project();
        let spans = proposals(project, &found, project.fresh_id());
        if spans.is_empty() {
            self.say("No new suggestions in this document.");
            return;
        }
        let first = spans.first().map(|s| s.id);
        let count = spans.len();
        if self.edit(Edit::Batch(spans.into_iter().map(Edit::AddSpan).collect())) {
            self.review.only = crate::ui::span_list::Only::Suggestions;
            self.select_span(first, true);
            self.say(format!(
                "{}: Enter or A accepts, X rejects, a label key relabels; Ctrl+Z takes them all back",
                plural(count, "suggestion")
            ));
        }
    }

    /// The tag edit for a new span, with the other places of its text proposed as
    /// suggestions in the same step ("learning from the analyst").
    pub(super) fn with_learned(&self, edit: Edit) -> Edit {
        let Edit::AddSpan(span) = &edit else {
            return edit;
        };
        let proposals = learned(
            self.doc.project(),
            span,
            SpanId(span.id.0.saturating_add(1)),
        );
        if proposals.is_empty() {
            return edit;
        }
        let mut edits = vec![edit.clone()];
        edits.extend(proposals.into_iter().map(Edit::AddSpan));
        Edit::Batch(edits)
    }

    /// Accept (or reject) the selected suggestion and go on to the next one.
    pub(super) fn decide(&mut self, accept: bool) {
        let project = self.doc.project();
        let Some(span) = self
            .selected
            .and_then(|id| project.spans().get(id))
            .filter(|s| s.status == Status::Suggested)
            .cloned()
        else {
            self.say("Select a suggestion first (n / p step through them).");
            return;
        };
        let next = self.next_suggestion(&span);
        let status = if accept {
            Status::Confirmed
        } else {
            Status::Rejected
        };
        let edit = self.doc.project().change(span.id, |s| s.status = status);
        if self.edit_or_say(edit) {
            self.say(if accept {
                "Accepted (Ctrl+Z undoes it)"
            } else {
                "Rejected: it will not be proposed again (Ctrl+Z undoes it)"
            });
            self.select_span(next, true);
        }
    }

    /// The next suggestion after `span` in document order, else the first one.
    fn next_suggestion(&self, span: &Span) -> Option<SpanId> {
        let spans = self.doc.project().spans();
        let key = span.sort_key();
        let pending = |s: &&Span| s.status == Status::Suggested && s.id != span.id;
        spans
            .iter()
            .filter(pending)
            .find(|s| s.sort_key() > key)
            .or_else(|| spans.iter().find(pending))
            .map(|s| s.id)
    }

    /// Accept every suggestion of `label` in the open document (Shift+A).
    pub(super) fn accept_all(&mut self, label: LabelId) {
        let project = self.doc.project();
        let edits: Vec<Edit> = project
            .spans()
            .iter()
            .filter(|s| s.status == Status::Suggested && s.label == label)
            .map(|s| Edit::ChangeSpan {
                before: s.clone(),
                after: Span {
                    status: Status::Confirmed,
                    ..s.clone()
                },
            })
            .collect();
        let name = project.labels().name(label).to_owned();
        if edits.is_empty() {
            self.say(format!("No {name} suggestions to accept."));
            return;
        }
        let n = edits.len();
        if self.edit(Edit::Batch(edits)) {
            self.say(format!(
                "Accepted {} (Ctrl+Z undoes it)",
                plural(n, &format!("{name} suggestion"))
            ));
        }
    }
}
