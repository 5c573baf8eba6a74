//! Searching the whole corpus (Ctrl+Shift+F): span text, notes, labels and the articles'
//! text of every document, results as you type. The index is built on a background task
//! after the corpus opens and kept current as documents are saved; each query runs on a
//! task of its own over a shared copy of the index, so typing never waits for a search.

use std::sync::Arc;

use crate::format::corpus::build_index;
use crate::model::Project;
use crate::model::corpus_search::{CorpusIndex, DocIndex, Hit};
use crate::ui::article_view::Selection;

use super::SpanmarkApp;
use super::tasks::Task;

/// Results shown at most.
const MAX_HITS: usize = 500;

/// A built index, and the documents it could not read (path, problem).
type Built = (CorpusIndex, Vec<(String, String)>);

/// The corpus search: its index, its query and its results.
#[derive(Default)]
pub struct CorpusSearch {
    /// The search window is open.
    pub open: bool,
    /// What is searched for.
    pub query: String,
    /// The index, once built.
    index: Option<Arc<CorpusIndex>>,
    /// The index being built.
    building: Option<Task<Built>>,
    /// A query running.
    running: Option<(String, Task<Vec<Hit>>)>,
    /// The results of `searched`.
    pub hits: Vec<Hit>,
    /// The query the results are for.
    pub searched: String,
    /// The highlighted result.
    pub selected: usize,
    /// Put the keyboard into the field on the next frame.
    pub focus: bool,
}

impl CorpusSearch {
    /// True while the index is being built.
    #[must_use]
    pub fn indexing(&self) -> bool {
        self.building.is_some()
    }

    /// True while a query runs.
    #[must_use]
    pub fn searching(&self) -> bool {
        self.running.is_some()
    }

    /// A document was saved: search what is in it now.
    pub fn upsert(&mut self, rel: &str, project: &Project) {
        if let Some(index) = &mut self.index {
            Arc::make_mut(index).upsert(DocIndex::new(rel, project));
        }
        // Results may point into the old text: search again.
        self.searched.clear();
    }
}

impl SpanmarkApp {
    /// Build the search index of the open corpus in the background.
    pub(super) fn start_indexing(&mut self, ctx: &egui::Context) {
        let Some(state) = &mut self.corpus else {
            return;
        };
        let files = state.corpus.files.clone();
        match Task::spawn(ctx, "corpus-index", move || build_index(&files)) {
            Ok(task) => state.search.building = Some(task),
            Err(e) => self.messages.error(e.to_string(), Vec::new()),
        }
    }

    /// Take up a finished index or query; start a query when the text changed.
    pub(super) fn poll_corpus_search(&mut self, ctx: &egui::Context) {
        let Some(state) = &mut self.corpus else {
            return;
        };
        let search = &mut state.search;
        if let Some(task) = &search.building
            && let Some(result) = task.poll()
        {
            search.building = None;
            if let Ok((index, problems)) = result {
                search.index = Some(Arc::new(index));
                search.searched.clear();
                if !problems.is_empty() {
                    let details = problems
                        .into_iter()
                        .map(|(path, problem)| format!("{path}: {problem}"))
                        .collect();
                    self.messages.warning(
                        "Some documents could not be read: corpus search leaves them out",
                        details,
                    );
                }
            }
        }
        if let Some((query, task)) = &search.running
            && let Some(result) = task.poll()
        {
            let query = query.clone();
            search.running = None;
            if let Ok(hits) = result {
                search.hits = hits;
                search.searched = query;
                search.selected = 0;
            }
        }
        let wanted = search.query.trim().to_owned();
        if !search.open || wanted == search.searched || search.running.is_some() {
            return;
        }
        if wanted.is_empty() {
            search.hits.clear();
            search.searched = wanted;
            return;
        }
        let Some(index) = search.index.clone() else {
            return;
        };
        let needle = wanted.clone();
        if let Ok(task) = Task::spawn(ctx, "corpus-search", move || {
            index.search(&needle, MAX_HITS)
        }) {
            search.running = Some((wanted, task));
        }
    }

    /// Open the document of result `n` with the match selected.
    pub(super) fn open_hit(&mut self, n: usize) {
        let Some(state) = &self.corpus else {
            return;
        };
        let Some(hit) = state.search.hits.get(n).cloned() else {
            return;
        };
        let Some(i) = state.corpus.position(&hit.path) else {
            self.say(format!("{} is no longer in the corpus.", hit.path));
            return;
        };
        self.switch_doc(i);
        if self.corpus.as_ref().and_then(|c| c.current) != Some(i) {
            return;
        }
        if let Some(state) = &mut self.corpus {
            state.search.open = false;
        }
        let range = hit.range;
        if range.end().get() > self.doc.project().article().char_len() {
            return;
        }
        self.selected = hit
            .span
            .filter(|id| self.doc.project().spans().get(*id).is_some());
        self.view.selection = Some(Selection {
            anchor: range.start(),
            head: range.end(),
        });
        self.view.scroll_to(range);
    }
}
