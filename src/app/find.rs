//! The find bar's search, run off the UI thread: each new query starts a task over the
//! shared article text, and the matches arrive a frame or so later. Enter never waits for a
//! search still running: it searches at once.

use crate::model::search::find_all;
use crate::model::{CharOffset, CharRange};
use crate::ui::article_view::Selection;

use super::SpanmarkApp;
use super::tasks::Task;

/// A search in progress: for which query, case and article.
pub struct FindTask {
    query: (String, bool),
    generation: u64,
    task: Task<Vec<CharRange>>,
}

impl SpanmarkApp {
    /// Where the current match should start from: the caret, or the top of the view.
    fn find_from(&self) -> CharOffset {
        self.view
            .selection
            .map(|s| s.range().start())
            .or_else(|| {
                self.view
                    .visible_chars(self.doc.project())
                    .map(CharRange::start)
            })
            .unwrap_or_default()
    }

    /// Start a search for the find bar's query when it changed; take up finished ones.
    pub(super) fn poll_find(&mut self, ctx: &egui::Context) {
        if let Some(running) = &self.find_task
            && let Some(result) = running.task.poll()
        {
            let running = self.find_task.take();
            if let (Some(running), Ok(matches)) = (running, result)
                && running.generation == self.doc.generation()
            {
                let from = self.find_from();
                self.find.set_matches(running.query, matches, from);
            }
        }
        let Some(wanted) = self.find.pending_query() else {
            return;
        };
        if self.find_task.as_ref().is_some_and(|t| t.query == wanted) {
            return;
        }
        let text = self.doc.project().article().shared_text();
        let (needle, case) = wanted.clone();
        match Task::spawn(ctx, "find", move || find_all(&text, &needle, case)) {
            Ok(task) => {
                self.find_task = Some(FindTask {
                    query: wanted,
                    generation: self.doc.generation(),
                    task,
                });
            }
            Err(e) => self.messages.error(e.to_string(), Vec::new()),
        }
    }

    /// Enter or Shift+Enter in the find bar: select the current match, or the next one.
    pub(super) fn find_step(&mut self, forward: bool) {
        if let Some(query) = self.find.pending_query() {
            // The search for what was just typed is still running: search now.
            let matches = find_all(self.doc.project().article().text(), &query.0, query.1);
            let from = self.find_from();
            self.find.set_matches(query, matches, from);
            self.find_task = None;
        }
        let selected_now = self.view.selection.map(Selection::range);
        let target = match self.find.current() {
            Some(current) if selected_now != Some(current) => Some(current),
            _ => self.find.step(forward),
        };
        match target {
            Some(range) => {
                self.selected = None;
                self.view.selection = Some(Selection {
                    anchor: range.start(),
                    head: range.end(),
                });
                self.view.scroll_to(range);
            }
            None if !self.find.query.is_empty() => self.say("No match in this article."),
            None => {}
        }
    }
}
