//! Suggestions in every document of the open corpus, off the UI thread.
//!
//! A thread runs [`suggest_corpus`] over the corpus as it was scanned, writing each
//! document's project in place through the safe save and sending its result as it comes;
//! each frame takes up what arrived (the documents panel's counts follow) and the status
//! bar shows a progress bar with a Cancel button. The open document is never written by
//! the thread: its lessons are taken from memory, and when the run ends it gets its
//! suggestions as one undoable step, unless it had unsaved changes when the run began
//! (then it is skipped, and the message says so).

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

use crate::format::corpus::Scan;
use crate::format::corpus_suggest::{DocResult, OpenDoc, Outcome, RunOptions, suggest_corpus};
use crate::model::Edit;
use crate::model::suggest::across::{Learned, Lessons};
use crate::model::suggest::propose::corpus_proposals;
use crate::model::suggest::{Suggestion, suggest};

use super::{SpanmarkApp, plural};

/// Results taken up in one frame at most, so a burst never makes a frame slow.
const EVENTS_PER_FRAME: usize = 2_000;

/// What the run's thread sends.
enum Event {
    /// One document is done.
    Doc(DocResult),
    /// Every document is done (or the run was cancelled): what the corpus taught, and the
    /// suggesters' findings in the open document when it is to get them.
    Finished(Box<Learned>, Option<Vec<Suggestion>>),
}

/// A run over every document of the open corpus.
pub struct CorpusSuggest {
    events: Receiver<Event>,
    cancel: Arc<AtomicBool>,
    /// The corpus folder it runs on (the corpus may be closed or another opened meanwhile).
    root: std::path::PathBuf,
    /// Documents in the run.
    pub total: usize,
    /// Documents done so far.
    pub done: usize,
    /// Suggestions added so far, per label name.
    per_label: Vec<(String, usize)>,
    /// Of which taught by other documents.
    learned: usize,
    /// Projects written.
    written: usize,
    /// Documents that failed, with why.
    failed: Vec<String>,
    /// The open document's generation, when it is to get its suggestions at the end.
    open_generation: Option<u64>,
    /// The open document was skipped for its unsaved changes.
    skipped_unsaved: bool,
    since: Instant,
}

impl CorpusSuggest {
    /// True once Cancel was pressed.
    #[must_use]
    pub fn cancelling(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// How long it has been running.
    #[must_use]
    pub fn elapsed_secs(&self) -> f32 {
        self.since.elapsed().as_secs_f32()
    }

    fn count(&mut self, result: &DocResult) {
        self.done += 1;
        match &result.outcome {
            Outcome::Written { added, learned, .. } => {
                self.written += 1;
                self.learned += learned;
                for (label, n) in added {
                    match self.per_label.iter_mut().find(|(l, _)| l == label) {
                        Some((_, total)) => *total += n,
                        None => self.per_label.push((label.clone(), *n)),
                    }
                }
            }
            Outcome::Failed(why) => self.failed.push(format!("{}: {why}", result.rel)),
            Outcome::Unchanged | Outcome::Skipped | Outcome::Cancelled => {}
        }
    }
}

impl SpanmarkApp {
    /// Start suggesting in every document of the open corpus.
    pub(super) fn start_suggesting_corpus(&mut self, ctx: &egui::Context) {
        if self.corpus_suggest.is_some() {
            self.say("Suggestions are being added to every document already.");
            return;
        }
        let Some(state) = &self.corpus else {
            self.say("Open a corpus folder first (File → Open folder…).");
            return;
        };
        let scan = Scan {
            root: state.corpus.root.clone(),
            docs: state.corpus.files.clone(),
            problems: Vec::new(),
        };
        let labels = state.corpus.config.labels.clone();
        let dirty = self.doc.is_dirty();
        let open = state.current.and_then(|i| state.rel(i)).map(|rel| OpenDoc {
            rel,
            lessons: Lessons::of(self.doc.project()),
        });
        let open_text =
            (open.is_some() && !dirty).then(|| self.doc.project().article().shared_text());
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        let thread_cancel = Arc::clone(&cancel);
        let thread_ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("suggest-corpus".to_owned())
            .spawn(move || {
                let root = scan.root.clone();
                let doc_tx = tx.clone();
                let doc_ctx = thread_ctx.clone();
                let options = RunOptions {
                    out: &root,
                    labels: &labels,
                    open: open.as_ref(),
                    cancel: &thread_cancel,
                };
                let report = suggest_corpus(&scan, &options, &move |result| {
                    // The receiver is gone once the app dropped the run; nothing to tell.
                    let _ = doc_tx.send(Event::Doc(result.clone()));
                    doc_ctx.request_repaint();
                });
                let found = open_text
                    .filter(|_| !thread_cancel.load(Ordering::Relaxed))
                    .map(|text| suggest(&text));
                let _ = tx.send(Event::Finished(Box::new(report.learned), found));
                thread_ctx.request_repaint();
            });
        if let Err(e) = spawned {
            self.messages.error(
                format!("could not start a background task ({e})"),
                Vec::new(),
            );
            return;
        }
        let open_generation = (state.current.is_some() && !dirty).then(|| self.doc.generation());
        self.corpus_suggest = Some(CorpusSuggest {
            events: rx,
            cancel,
            root: state.corpus.root.clone(),
            total: state.corpus.files.len(),
            done: 0,
            per_label: Vec::new(),
            learned: 0,
            written: 0,
            failed: Vec::new(),
            open_generation,
            skipped_unsaved: state.current.is_some() && dirty,
            since: Instant::now(),
        });
    }

    /// Ask the run to stop: documents not begun are left as they are.
    pub(super) fn cancel_suggesting_corpus(&mut self) {
        if let Some(run) = &self.corpus_suggest {
            run.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Take up what the run sent since the last frame.
    pub(super) fn poll_suggest_corpus(&mut self) {
        let Some(run) = &mut self.corpus_suggest else {
            return;
        };
        let mut finished = None;
        let mut lost = None;
        let mut changed = false;
        for _ in 0..EVENTS_PER_FRAME {
            match run.events.try_recv() {
                Ok(Event::Doc(result)) => {
                    run.count(&result);
                    if let Outcome::Written { summary, .. } = result.outcome
                        && let Some(state) = &mut self.corpus
                        && state.corpus.root == run.root
                        // The run's scan is the corpus's: its index is the position, unless
                        // a rescan changed the list meanwhile.
                        && let Some(i) = Some(result.index)
                            .filter(|&i| state.corpus.files.get(i).is_some_and(|f| f.rel == result.rel))
                            .or_else(|| state.corpus.position(&result.rel))
                    {
                        state.corpus.set_summary(i, *summary);
                        changed = true;
                    }
                }
                Ok(Event::Finished(learned, found)) => {
                    finished = Some((learned, found));
                    break;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    lost = Some((run.done, run.total));
                    break;
                }
            }
        }
        if changed && let Some(state) = &mut self.corpus {
            state.revision += 1;
        }
        if let Some((done, total)) = lost {
            // The thread ended without its last word (it panicked): what was written is
            // on disk; say so rather than report a finished run.
            self.corpus_suggest = None;
            self.messages.error(
                format!(
                    "Suggesting in every document stopped after {done} of {total} documents (an internal error); the projects written are saved"
                ),
                Vec::new(),
            );
        }
        if let Some((learned, found)) = finished {
            self.finish_suggesting_corpus(&learned, found);
        }
    }

    /// The run is over: the open document's suggestions, and the report.
    fn finish_suggesting_corpus(&mut self, learned: &Learned, found: Option<Vec<Suggestion>>) {
        let Some(run) = self.corpus_suggest.take() else {
            return;
        };
        let same_corpus = self
            .corpus
            .as_ref()
            .is_some_and(|s| s.corpus.root == run.root);
        let open_note = if run.skipped_unsaved {
            "; the open document was skipped because it has unsaved changes (save it and run again)"
                .to_owned()
        } else if let (Some(found), Some(generation)) = (found, run.open_generation) {
            if same_corpus && generation == self.doc.generation() {
                self.suggest_open_document(learned, &found)
            } else {
                "; the document open when it began was closed, so it got none".to_owned()
            }
        } else {
            String::new()
        };
        let added: usize = run.per_label.iter().map(|(_, n)| n).sum();
        let mut labels = String::new();
        for (label, n) in &run.per_label {
            let _ = write!(labels, ", {label} {n}");
        }
        let text = format!(
            "{} {} in {} ({} learned from other documents{labels}){}{open_note}",
            if run.cancelling() {
                "Cancelled: suggestions so far:"
            } else {
                "Suggested in every document:"
            },
            plural(added, "suggestion"),
            plural(run.written, "document"),
            run.learned,
            if run.failed.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} could not be read or written",
                    plural(run.failed.len(), "document")
                )
            },
        );
        if run.failed.is_empty() {
            self.say(text);
        } else {
            self.messages.warning(text, run.failed);
        }
    }

    /// Add the corpus run's proposals to the open document as one undoable step; returns
    /// what to say about it.
    fn suggest_open_document(&mut self, learned: &Learned, found: &[Suggestion]) -> String {
        let project = self.doc.project();
        let (spans, _) = corpus_proposals(project, found, &[learned], project.fresh_id());
        if spans.is_empty() {
            return "; nothing new for the open document".to_owned();
        }
        let n = spans.len();
        let first = spans.first().map(|s| s.id);
        if self.edit(Edit::Batch(spans.into_iter().map(Edit::AddSpan).collect())) {
            self.review.only = crate::ui::span_list::Only::Suggestions;
            self.select_span(first, true);
            format!(
                "; the open document got {} (Ctrl+Z takes them back)",
                plural(n, "suggestion")
            )
        } else {
            "; the open document's suggestions could not be added".to_owned()
        }
    }

    /// The corpus run, for the status bar and tests.
    #[must_use]
    pub fn corpus_suggest(&self) -> Option<&CorpusSuggest> {
        self.corpus_suggest.as_ref()
    }
}
