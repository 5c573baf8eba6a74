//! A corpus in the window: a folder of articles, the documents panel, moving between
//! documents (saving the one left through the safe save), each document's undo history
//! kept for the session, marking documents done, the corpus label scheme, and noticing
//! files changed by other programs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::format::corpus::{Corpus, OpenOptions, open as open_corpus_folder};
use crate::format::{self, Loaded};
use crate::model::corpus::next_unfinished;
use crate::model::{Edit, LabelSet, Project, reanchor};
use crate::ui::documents_panel::DocsPanel;

use super::document::{DiskStamp, Document};
use super::files::Deferred;
use super::modals::Modal;
use super::tasks::Task;
use super::{SpanmarkApp, plural};

/// The open corpus.
pub struct CorpusState {
    /// The folder, its settings and every document's summary.
    pub corpus: Corpus,
    /// The document open in the window.
    pub current: Option<usize>,
    /// The documents panel's filter and order.
    pub panel: DocsPanel,
    /// Documents opened earlier in this session, with their undo history, by path.
    stash: HashMap<String, Document>,
    /// Bumped whenever a summary changes (the panel's order depends on them).
    pub revision: u64,
    /// The search over every document.
    pub search: super::corpus_search::CorpusSearch,
    /// The dashboard window is open.
    pub dashboard: bool,
    /// The dashboard's figures and the [`CorpusState::revision`] they were made at.
    pub dashboard_figures: Option<(u64, crate::ui::dashboard::DashboardFigures)>,
    /// Files changed by other programs.
    pub watch: Option<super::corpus_watch::Watch>,
}

impl CorpusState {
    /// The positions of the documents the panel shows, in its order (cached).
    pub fn order(&mut self) -> &[usize] {
        self.panel.order(&self.corpus.docs, self.revision)
    }

    /// The path of document `i` relative to the corpus.
    #[must_use]
    pub fn rel(&self, i: usize) -> Option<String> {
        self.corpus.files.get(i).map(|f| f.rel.clone())
    }

    /// The folder's name, for the title.
    #[must_use]
    pub fn name(&self) -> String {
        self.corpus.root.file_name().map_or_else(
            || self.corpus.root.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// The document's project file (existing or not).
    #[must_use]
    pub fn project_path(&self, i: usize) -> Option<PathBuf> {
        self.corpus.files.get(i).map(|f| f.project.clone())
    }
}

/// What opening a corpus document gave.
enum Opened {
    /// A project (with what its loading had to say).
    Project(Box<Project>, Vec<String>),
    /// A project whose article file holds another text: as saved, and moved onto the new
    /// text, with a summary of what moved.
    Reanchored(Box<Project>, Box<Project>, String),
}

/// Read document `i`: its project (re-anchored when its article was edited), or a new
/// project for an article never tagged, with the corpus scheme's labels.
fn load_doc(corpus: &Corpus, i: usize) -> Result<Opened, String> {
    let files = corpus.files.get(i).ok_or("no such document")?;
    if files.project_exists {
        let Loaded { project, warnings } =
            format::read_project(&files.project).map_err(|e| e.to_string())?;
        if let Some(article_path) = &files.article {
            let text = format::import_article(article_path).map_err(|e| e.to_string())?;
            if text.text() != project.article().text() {
                let (moved, report) = reanchor(&project, text);
                let summary = format!(
                    "{} was edited since it was annotated: spans moved onto the new text ({} kept, {} moved, {} flagged, {} orphaned); save to keep it, Ctrl+Z to undo",
                    article_path.display(),
                    report.kept,
                    report.moved,
                    report.flagged,
                    report.orphaned
                );
                return Ok(Opened::Reanchored(
                    Box::new(project),
                    Box::new(moved),
                    summary,
                ));
            }
        }
        return Ok(Opened::Project(Box::new(project), warnings));
    }
    let article_path = files
        .article
        .as_ref()
        .ok_or("the document has no article")?;
    let article = format::import_article(article_path).map_err(|e| e.to_string())?;
    Ok(Opened::Project(
        Box::new(Project::new(article, corpus.config.labels.clone())),
        Vec::new(),
    ))
}

/// How `labels` differ from the corpus scheme, in words (empty when they do not).
#[must_use]
pub fn scheme_differences(project: &Project, scheme: &LabelSet) -> Vec<String> {
    let mut out = Vec::new();
    for (id, label) in project.labels().iter() {
        let spans = project.spans().count(id);
        match scheme.by_name(&label.name).and_then(|s| scheme.get(s)) {
            None => out.push(format!(
                "label \"{}\" ({}) is not in the corpus scheme",
                label.name,
                plural(spans, "span")
            )),
            Some(s) if s.color != label.color || s.key != label.key => out.push(format!(
                "label \"{}\" has another colour or key than in the scheme",
                label.name
            )),
            Some(_) => {}
        }
    }
    out
}

impl SpanmarkApp {
    /// Open the corpus folder `dir` on a background task (a progress window shows).
    pub(super) fn open_corpus(&mut self, ctx: &egui::Context, dir: PathBuf) {
        let source = dir.clone();
        match Task::spawn(ctx, "open-corpus", move || {
            open_corpus_folder(&source, OpenOptions::default())
        }) {
            Ok(task) => self.corpus_loading = Some((dir, task)),
            Err(e) => self.messages.error(e.to_string(), Vec::new()),
        }
    }

    /// Take up a corpus that finished opening.
    pub(super) fn poll_corpus(&mut self, ctx: &egui::Context) {
        if let Some((dir, task)) = &self.corpus_loading
            && let Some(result) = task.poll()
        {
            let dir = dir.clone();
            self.corpus_loading = None;
            match result
                .map_err(|e| e.to_string())
                .and_then(|r| r.map_err(|e| e.to_string()))
            {
                Ok(corpus) => self.corpus_opened(ctx, corpus),
                Err(e) => self.messages.error(
                    format!("Could not open the corpus: {e}: {}", dir.display()),
                    Vec::new(),
                ),
            }
        }
        self.poll_corpus_search(ctx);
        self.poll_watch(ctx);
    }

    fn corpus_opened(&mut self, ctx: &egui::Context, corpus: Corpus) {
        let empty = corpus.empty_explanation();
        let problems: Vec<String> = corpus
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.path.display(), p.problem))
            .chain(corpus.config_problem.iter().cloned())
            .collect();
        let root = corpus.root.clone();
        let count = corpus.docs.len();
        let mut panel = DocsPanel::default();
        panel.reveal = true;
        self.corpus = Some(CorpusState {
            corpus,
            current: None,
            panel,
            stash: HashMap::new(),
            revision: 0,
            search: super::corpus_search::CorpusSearch::default(),
            dashboard: false,
            dashboard_figures: None,
            watch: super::corpus_watch::Watch::start(&root, ctx),
        });
        self.remember_recent(&root);
        self.start_indexing(ctx);
        if let Some(explanation) = empty {
            self.messages.warning(explanation, Vec::new());
            return;
        }
        let first = self.corpus.as_mut().and_then(|c| {
            let order = c.order().to_vec();
            next_unfinished(&c.corpus.docs, &order, None).or(order.first().copied())
        });
        if let Some(i) = first {
            self.open_doc(i);
        }
        self.say(format!(
            "Opened the corpus {}: {}",
            root.display(),
            plural(count, "document")
        ));
        if !problems.is_empty() {
            self.messages.warning(
                format!(
                    "{} in the corpus could not be read; the documents panel marks them",
                    plural(problems.len(), "entry")
                ),
                problems,
            );
        }
    }

    /// Move to document `i`: the open one is saved first (or asked about, when saving on
    /// switch is off), and kept with its undo history for the session.
    pub(super) fn switch_doc(&mut self, i: usize) {
        let Some(state) = &self.corpus else {
            return;
        };
        if state.current == Some(i) {
            return;
        }
        if self.is_dirty() {
            if state.corpus.config.save_on_switch {
                let Some(path) = self.doc.path.clone() else {
                    return;
                };
                // Another program wrote the project since it was read: the save that would
                // replace it asks first, as every other save does, then moves on.
                if self.doc.changed_on_disk(&path) {
                    self.after_save = Some(Deferred::OpenDoc(i));
                    self.modal = Some(Modal::Conflict(path));
                    return;
                }
                match format::write_project(&path, self.doc.project()) {
                    Ok(()) => {
                        self.finish_autosave();
                        self.discard_recovery();
                        self.doc.mark_saved(path);
                        self.doc_saved();
                    }
                    Err(e) => {
                        self.messages.error(
                            format!("{e}. Stayed on this document so nothing is lost."),
                            Vec::new(),
                        );
                        return;
                    }
                }
            } else {
                self.modal = Some(Modal::Unsaved(Deferred::OpenDoc(i)));
                return;
            }
        }
        self.open_doc(i);
    }

    /// Open document `i` (after the open one was saved or given up).
    pub(super) fn open_doc(&mut self, i: usize) {
        let Some(state) = &mut self.corpus else {
            return;
        };
        // Keep the document being left, with its history, for coming back to it (a
        // document whose changes were just given up is not kept).
        if let Some(rel) = state.current.and_then(|c| state.rel(c))
            && !self.doc.is_dirty()
        {
            let placeholder = Document::new(
                Project::new(
                    crate::model::Article::new("", None, " "),
                    LabelSet::default(),
                ),
                None,
            );
            state
                .stash
                .insert(rel, std::mem::replace(&mut self.doc, placeholder));
        }
        let path = state.project_path(i);
        let stashed = state
            .rel(i)
            .and_then(|rel| state.stash.remove(&rel))
            .filter(|d| path.as_deref().is_none_or(|p| DiskStamp::of(p) == d.disk));
        state.current = Some(i);
        state.panel.reveal = true;
        if let Some(doc) = stashed {
            self.adopt_document(doc);
            return;
        }
        match load_doc(&state.corpus, i) {
            Ok(Opened::Project(project, warnings)) => {
                self.set_document(*project, path);
                if !warnings.is_empty() {
                    self.messages.warning(
                        format!(
                            "{} could not be placed and {} listed under Orphans",
                            plural(warnings.len(), "span"),
                            if warnings.len() == 1 { "is" } else { "are" }
                        ),
                        warnings,
                    );
                }
            }
            Ok(Opened::Reanchored(old, moved, summary)) => {
                self.set_document((*old).clone(), path);
                let edit = Edit::ReplaceProject {
                    before: old,
                    after: moved,
                };
                if self.edit(edit) {
                    self.messages.warning(summary, Vec::new());
                }
            }
            Err(e) => {
                self.messages
                    .error(format!("Could not open this document: {e}"), Vec::new());
                return;
            }
        }
        self.check_scheme();
    }

    /// Say how the open document's labels differ from the corpus scheme (nothing changes
    /// until the analyst chooses, in the Corpus menu).
    fn check_scheme(&mut self) {
        let Some(state) = &self.corpus else {
            return;
        };
        let differences = scheme_differences(self.doc.project(), &state.corpus.config.labels);
        if !differences.is_empty() {
            self.messages.warning(
                "This document's labels differ from the corpus scheme: Corpus → Use the scheme's labels, or Add this document's labels to the scheme",
                differences,
            );
        }
    }

    /// The open document was saved: its summary and its search entry follow.
    pub(super) fn doc_saved(&mut self) {
        let Some(state) = &mut self.corpus else {
            return;
        };
        let Some(i) = state.current else {
            return;
        };
        let project = self.doc.project();
        state.corpus.saved(i, project);
        state.revision += 1;
        if let Some(rel) = state.corpus.files.get(i).map(|f| f.rel.clone()) {
            state.search.upsert(&rel, project);
        }
    }

    /// The next (or previous) document in the panel's order.
    pub(super) fn step_doc(&mut self, forward: bool) {
        let Some(state) = &mut self.corpus else {
            return;
        };
        let current = state.current;
        let order = state.order().to_vec();
        if order.is_empty() {
            return;
        }
        let at = current.and_then(|c| order.iter().position(|&i| i == c));
        let next = match at {
            None => order.first(),
            Some(p) if forward => order.get((p + 1) % order.len()),
            Some(p) => order.get((p + order.len() - 1) % order.len()),
        };
        if let Some(&i) = next {
            self.switch_doc(i);
        }
    }

    /// The next document that is not done.
    pub(super) fn next_unfinished_doc(&mut self) {
        let Some(state) = &mut self.corpus else {
            return;
        };
        let current = state.current;
        let order = state.order().to_vec();
        match next_unfinished(&state.corpus.docs, &order, current) {
            Some(i) if Some(i) != current => self.switch_doc(i),
            _ => self.say("Every document shown is done."),
        }
    }

    /// Mark the open document done (or not done again).
    pub(super) fn toggle_done(&mut self) {
        let done = self.doc.project().is_done();
        if self.edit(Edit::SetDone {
            before: done,
            after: !done,
        }) {
            self.say(if done {
                "Marked not done"
            } else {
                "Marked done (saved when you move on)"
            });
        }
    }

    /// Give the open document the corpus scheme's colours, keys and descriptions (labels
    /// the scheme lacks are kept as they are).
    pub(super) fn use_scheme(&mut self) {
        let Some(state) = &self.corpus else {
            return;
        };
        let scheme = &state.corpus.config.labels;
        let mut labels = self.doc.project().labels().clone();
        for (id, label) in self.doc.project().labels().iter() {
            if let Some(s) = scheme.by_name(&label.name).and_then(|s| scheme.get(s)) {
                let mut wanted = label.clone();
                wanted.color = s.color;
                wanted.description.clone_from(&s.description);
                if s.key
                    .is_none_or(|k| labels.by_key(k).is_none_or(|o| o == id))
                {
                    wanted.key = s.key;
                }
                if let Ok(next) = labels.with_changed(id, wanted) {
                    labels = next;
                }
            }
        }
        let edit = Edit::SetLabels {
            before: self.doc.project().labels().clone(),
            after: labels,
        };
        if self.edit(edit) {
            self.say("The document now uses the scheme's colours and keys (Ctrl+Z undoes it)");
        }
    }

    /// Add the open document's labels that the scheme lacks to `corpus.ron`.
    pub(super) fn add_labels_to_scheme(&mut self) {
        let project_labels = self.doc.project().labels().clone();
        let Some(state) = &mut self.corpus else {
            return;
        };
        let mut scheme = state.corpus.config.labels.clone();
        let mut added = Vec::new();
        for (_, label) in project_labels.iter() {
            if scheme.by_name(&label.name).is_none() {
                let mut label = label.clone();
                if label.key.is_some_and(|k| scheme.by_key(k).is_some()) {
                    label.key = scheme.free_key();
                }
                if let Ok((next, _)) = scheme.with_added(label.clone()) {
                    scheme = next;
                    added.push(label.name);
                }
            }
        }
        if added.is_empty() {
            self.say("The scheme has every label of this document already.");
            return;
        }
        let mut config = state.corpus.config.clone();
        config.labels = scheme;
        match crate::format::corpus::write_config(&state.corpus.root, &config) {
            Ok(()) => {
                state.corpus.config = config;
                self.say(format!("Added to the corpus scheme: {}", added.join(", ")));
            }
            Err(e) => self.messages.error(e.to_string(), Vec::new()),
        }
    }

    /// The label editor changed the open document's labels: the corpus scheme follows
    /// (renamed, recoloured, new labels), and a renamed label is renamed in every other
    /// project of the corpus, on a background task, file by file through the safe save.
    pub(super) fn sync_scheme(&mut self, ctx: &egui::Context, before: &LabelSet, after: &LabelSet) {
        let Some(state) = &mut self.corpus else {
            return;
        };
        let mut scheme = state.corpus.config.labels.clone();
        let mut renames: Vec<(String, String)> = Vec::new();
        for (id, label) in after.iter() {
            let old_name = before.get(id).map(|l| l.name.clone());
            if let Some(old) = &old_name
                && *old != label.name
            {
                renames.push((old.clone(), label.name.clone()));
            }
            let name = old_name.as_deref().unwrap_or(&label.name);
            scheme = match scheme.by_name(name) {
                Some(sid) => scheme.with_changed(sid, label.clone()).unwrap_or(scheme),
                None => scheme
                    .with_added(label.clone())
                    .map_or(scheme, |(next, _)| next),
            };
        }
        if scheme != state.corpus.config.labels {
            let mut config = state.corpus.config.clone();
            config.labels = scheme;
            match crate::format::corpus::write_config(&state.corpus.root, &config) {
                Ok(()) => state.corpus.config = config,
                Err(e) => self.messages.error(e.to_string(), Vec::new()),
            }
        }
        if renames.is_empty() {
            return;
        }
        let current = state.current;
        let others: Vec<PathBuf> = state
            .corpus
            .files
            .iter()
            .enumerate()
            .filter(|(i, f)| f.project_exists && Some(*i) != current)
            .map(|(_, f)| f.project.clone())
            .collect();
        // Documents kept for coming back to would show the old name: read them again.
        state.stash.clear();
        let job = move || {
            renames
                .iter()
                .map(|(old, new)| {
                    let report = crate::format::corpus::rename_label_in(&others, old, new);
                    (old.clone(), new.clone(), report)
                })
                .collect::<Vec<_>>()
        };
        match Task::spawn(ctx, "rename-label", job) {
            Ok(task) => self.corpus_renaming = Some(task),
            Err(e) => self.messages.error(e.to_string(), Vec::new()),
        }
    }

    /// Take up a finished renaming across the corpus: report it and refresh the panel.
    pub(super) fn poll_renaming(&mut self) {
        let Some(task) = &self.corpus_renaming else {
            return;
        };
        let Some(result) = task.poll() else {
            return;
        };
        self.corpus_renaming = None;
        let Ok(reports) = result else {
            return;
        };
        if let Some(state) = &mut self.corpus {
            for i in 0..state.corpus.files.len() {
                state.corpus.refresh(i);
            }
            state.revision += 1;
        }
        for (old, new, report) in reports {
            let details: Vec<String> = report
                .failed
                .iter()
                .map(|(path, why)| format!("{}: {why}", path.display()))
                .collect();
            let text = format!(
                "Renamed \"{old}\" to \"{new}\" in {} ({} without it left as they were){}",
                plural(report.changed.len() + 1, "project"),
                report.untouched,
                if details.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {} could not be changed and keep the old name",
                        plural(details.len(), "project")
                    )
                }
            );
            if details.is_empty() {
                self.say(text);
            } else {
                self.messages.warning(text, details);
            }
        }
    }

    /// Switch saving on moving to another document on or off (kept in `corpus.ron`).
    pub(super) fn toggle_save_on_switch(&mut self) {
        let Some(state) = &mut self.corpus else {
            return;
        };
        let mut config = state.corpus.config.clone();
        config.save_on_switch = !config.save_on_switch;
        match crate::format::corpus::write_config(&state.corpus.root, &config) {
            Ok(()) => {
                let on = config.save_on_switch;
                state.corpus.config = config;
                self.say(if on {
                    "Moving to another document saves the one you leave"
                } else {
                    "Moving to another document asks about unsaved changes"
                });
            }
            Err(e) => self.messages.error(e.to_string(), Vec::new()),
        }
    }

    /// The title's corpus part: "folder — ".
    pub(super) fn corpus_title(&self) -> String {
        self.corpus
            .as_ref()
            .map(|c| format!("{} — ", c.name()))
            .unwrap_or_default()
    }
}

/// True when `path` is a folder to open as a corpus.
#[must_use]
pub fn is_corpus_path(path: &Path) -> bool {
    path.is_dir()
}
