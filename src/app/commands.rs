//! Applying commands: the one place where the app's state changes.
//!
//! Every queued [`Command`] is carried out here, in order, once per frame. Project changes
//! go through [`super::document::Document::apply`], which records them for undo; this is
//! where the unsaved marker, the title and autosave see them.

use std::fmt::Write as _;

use crate::model::{CharOffset, CharRange, Edit, LabelId, Refusal, Span, SpanId, Status};
use crate::ui::article_view::Selection;
use crate::ui::command::{CaretMove, Command, ConflictChoice, RecoveryChoice, UnsavedChoice};
use crate::ui::dialogs::Purpose;

use super::files::Deferred;
use super::modals::Modal;
use super::{SpanmarkApp, plural};

/// Largest and smallest text size steps.
const ZOOM_STEPS: i8 = 8;

impl SpanmarkApp {
    /// Carry out the queued commands, in order.
    pub(super) fn apply(&mut self, ctx: &egui::Context) {
        if !self.commands.is_empty() {
            // This frame was painted before the commands took effect: show the result.
            ctx.request_repaint();
        }
        for command in std::mem::take(&mut self.commands) {
            self.run(ctx, command);
        }
        // A span removed by undo or redo cannot stay selected.
        if self
            .selected
            .is_some_and(|id| self.doc.project().spans().get(id).is_none())
        {
            self.selected = None;
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the one match over every command; each arm is a line or a call"
    )]
    fn run(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::ApplyLabel(label) => self.apply_label(label),
            Command::DeleteSelected => self.delete_selected(),
            Command::Copy => self.copy(ctx),
            Command::SelectSpan { id, scroll } => self.select_span(id, scroll),
            Command::Suggest => self.start_suggesting(ctx),
            Command::SuggestCorpus => self.start_suggesting_corpus(ctx),
            Command::CancelSuggestCorpus => self.cancel_suggesting_corpus(),
            Command::AskCompare => {
                let request = self.request_for(Purpose::Compare);
                self.ask_path(ctx, request);
            }
            Command::Compare(paths) => self.guard(ctx, Deferred::Compare(paths)),
            Command::FocusDisagreement(i) => self.show_disagreement(i),
            Command::StepDisagreement { forward } => self.step_disagreement(forward),
            Command::Curate(choice) => self.curate(choice),
            Command::EditDisagreement => self.edit_disagreement(),
            Command::ResolveConflict(number, choice) => {
                match crate::model::merge::resolve(self.doc.project(), number, choice) {
                    Some(edit) => {
                        if self.edit(edit) {
                            self.say(format!(
                                "Settled merge conflict #{number} (Ctrl+Z undoes it)"
                            ));
                        }
                    }
                    None => self.say("That choice does not apply to this conflict."),
                }
            }
            Command::Decide { accept } => self.decide(accept),
            Command::AcceptAll => {
                let label = self
                    .selected
                    .and_then(|id| self.doc.project().spans().get(id))
                    .map(|s| s.label);
                match label {
                    Some(label) => self.accept_all(label),
                    None => {
                        self.say("Select a suggestion first: Shift+A accepts all of its label.");
                    }
                }
            }
            Command::OpenFolder => {
                let request = self.request_for(Purpose::OpenFolder);
                self.ask_path(ctx, request);
            }
            Command::OpenDoc(i) => self.switch_doc(i),
            Command::StepDoc { forward } => self.step_doc(forward),
            Command::NextUnfinished => self.next_unfinished_doc(),
            Command::ToggleDone => self.toggle_done(),
            Command::OpenCorpusSearch => match &mut self.corpus {
                Some(state) => {
                    state.search.open = true;
                    state.search.focus = true;
                }
                None => self.say("Open a corpus folder first (File → Open folder)."),
            },
            Command::CorpusSearchStep(step) => {
                if let Some(state) = &mut self.corpus {
                    let n = state.search.hits.len();
                    if n > 0 {
                        let at = state.search.selected.saturating_add_signed(step);
                        state.search.selected = at.min(n - 1);
                    }
                }
            }
            Command::OpenHit(n) => self.open_hit(n),
            Command::CloseCorpusSearch => {
                if let Some(state) = &mut self.corpus {
                    state.search.open = false;
                }
            }
            Command::Export => self.open_export(),
            Command::Import => self.open_import(),
            Command::ShowDashboard => {
                if let Some(state) = &mut self.corpus {
                    state.dashboard = true;
                }
            }
            Command::UseScheme => self.use_scheme(),
            Command::AddLabelsToScheme => self.add_labels_to_scheme(),
            Command::ToggleSaveOnSwitch => self.toggle_save_on_switch(),
            Command::ClearSelection => {
                self.selected = None;
                self.view.selection = None;
            }
            Command::StepReview(step) => {
                let project = self.doc.project();
                let id = self
                    .review
                    .step(project, self.doc.generation(), self.selected, step);
                if id.is_some() {
                    self.select_span(id, true);
                }
            }
            Command::SelectText(range) => {
                self.selected = None;
                self.view.selection = Some(Selection {
                    anchor: range.start(),
                    head: range.end(),
                });
                self.view.scroll_to(range);
            }
            Command::MoveCaret { to, extend } => self.move_caret(to, extend),
            Command::SetNote(id, note) => self.set_note(id, note),
            Command::ResizeSpan(id, range) => {
                let changed = self.doc.project().change(id, |s| s.range = range);
                if self.edit_or_say(changed) {
                    self.say(format!(
                        "The span now covers {}–{}",
                        range.start(),
                        range.end()
                    ));
                }
            }
            Command::SetStatus(id, status) => {
                let changed = self.doc.project().change(id, |s| s.status = status);
                self.edit_or_say(changed);
            }
            Command::PlaceOrphan(id, range) => self.place_orphan(id, range),
            Command::DeleteOrphan(id) => {
                let orphan = self
                    .doc
                    .project()
                    .orphans()
                    .iter()
                    .find(|o| o.id == id)
                    .cloned();
                if let Some(orphan) = orphan {
                    self.edit(Edit::RemoveOrphan(orphan));
                }
            }
            Command::SetLabels(labels) => {
                let before = self.doc.project().labels().clone();
                let edit = Edit::SetLabels {
                    before: before.clone(),
                    after: labels.clone(),
                };
                if self.edit(edit) {
                    self.say("Changed the labels (Ctrl+Z undoes it)");
                    self.sync_scheme(ctx, &before, &labels);
                }
            }
            Command::DeleteLabel { label, relabel_to } => self.delete_label(label, relabel_to),
            Command::Undo => self.step_history(true),
            Command::Redo => self.step_history(false),
            Command::Open(kind) => self.guard(ctx, Deferred::Open(kind)),
            Command::OpenPath(path) => self.guard(ctx, Deferred::OpenPath(path)),
            Command::Save => {
                if let Some(path) = self.doc.path.clone() {
                    self.save_to(ctx, path, false);
                } else {
                    let request = self.request_for(Purpose::SaveAs);
                    self.ask_path(ctx, request);
                }
            }
            Command::SaveAs => {
                let request = self.request_for(Purpose::SaveAs);
                self.ask_path(ctx, request);
            }
            Command::SaveTo(path) => self.save_to(ctx, path, false),
            Command::ReplaceArticle => {
                let request = self.request_for(Purpose::ReplaceArticle);
                self.ask_path(ctx, request);
            }
            Command::Quit => self.guard(ctx, Deferred::Quit),
            Command::SetTheme(theme) => {
                let name = match theme {
                    egui::ThemePreference::Light => "light",
                    egui::ThemePreference::Dark => "dark",
                    egui::ThemePreference::System => "system",
                };
                name.clone_into(&mut self.settings.theme);
                self.apply_theme(ctx);
            }
            Command::Zoom(step) => {
                self.settings.zoom = if step == 0 {
                    0
                } else {
                    self.settings
                        .zoom
                        .saturating_add(step)
                        .clamp(-ZOOM_STEPS, ZOOM_STEPS)
                };
            }
            Command::OpenFind => self
                .find
                .open_bar(self.view.selection_text(self.doc.project())),
            Command::FindStep { forward } => self.find_step(forward),
            Command::CloseFind => self.find.close(),
            Command::Show(window) => {
                self.modal = Some(Modal::window(window, self.doc.project().labels()));
            }
            Command::DismissMessages { all } => {
                self.messages.dismiss(all);
            }
            Command::CloseModal => self.modal = None,
            Command::PromptAnswer(Some(path)) => self.prompt_confirmed(ctx, path),
            Command::PromptAnswer(None) => {
                self.modal = None;
                self.path_cancelled();
            }
            Command::UnsavedAnswer(choice) => self.unsaved_answer(ctx, choice),
            Command::ConflictAnswer(choice) => self.conflict_answer(ctx, choice),
            Command::RecoveryAnswer(choice) => self.recovery_answer(choice),
        }
    }

    /// Apply one project edit through the history, reporting a refusal.
    pub(super) fn edit(&mut self, edit: Edit) -> bool {
        match self.doc.apply(edit) {
            Ok(()) => true,
            Err(e) => {
                self.messages
                    .error(format!("That change could not be made: {e}"), Vec::new());
                false
            }
        }
    }

    /// Apply an edit the model built, or say why it made none.
    pub(super) fn edit_or_say(&mut self, edit: Result<Edit, Refusal>) -> bool {
        match edit {
            Ok(edit) => self.edit(edit),
            Err(refusal) => {
                self.say(refusal.to_string());
                false
            }
        }
    }

    fn apply_label(&mut self, label: LabelId) {
        let name = self.doc.project().labels().name(label).to_owned();
        let selection = self
            .view
            .selection
            .map(Selection::range)
            .filter(|r| !r.is_empty());
        if let Some(selection) = selection {
            match self.doc.project().tag(selection, label) {
                Ok(edit) => {
                    let id = edit.subject();
                    let len = match &edit {
                        Edit::AddSpan(s) => s.range.len(),
                        _ => selection.len(),
                    };
                    let edit = self.with_learned(edit);
                    let learned = match &edit {
                        Edit::Batch(edits) => edits.len().saturating_sub(1),
                        _ => 0,
                    };
                    if self.edit(edit) {
                        self.selected = id;
                        self.view.selection = None;
                        let mut said = format!("Tagged {} as {name}", plural(len, "char"));
                        if learned > 0 {
                            let _ = write!(
                                said,
                                "; the same text is proposed at {} (n / p to review)",
                                plural(learned, "other place")
                            );
                        }
                        self.say(said);
                    }
                }
                Err(Refusal::AlreadyTagged { id, .. }) => {
                    self.say(format!("That text is already tagged {name}."));
                    self.selected = Some(id);
                    self.view.selection = None;
                }
                Err(refusal) => self.say(refusal.to_string()),
            }
        } else if let Some(id) = self.selected {
            let edit = self.doc.project().change(id, |s| {
                s.label = label;
                if s.status == Status::Suggested {
                    s.status = Status::Confirmed;
                }
            });
            if let Err(Refusal::Unchanged) = edit {
                self.say(format!("The span is already {name}."));
            } else if self.edit_or_say(edit) {
                self.reveal_selected();
                self.say(format!("Relabelled as {name}"));
            }
        } else {
            self.say("Select text in the article first, then press a label key.");
        }
    }

    fn delete_selected(&mut self) {
        let Some(id) = self.selected else {
            self.say("Select a span first (click it in the article or the review list).");
            return;
        };
        let key = self.doc.project().spans().get(id).map(Span::sort_key);
        let edit = self.doc.project().delete(id);
        if self.edit_or_say(edit) {
            if let Some(key) = key {
                self.review.resume_after(key);
            }
            // Nothing else gets selected behind the analyst's back: a following Del or
            // label key must not hit a span they did not choose.
            self.selected = None;
            self.say("Deleted the span (Ctrl+Z brings it back)");
        }
    }

    fn copy(&mut self, ctx: &egui::Context) {
        let project = self.doc.project();
        let text = match self
            .view
            .selection
            .map(Selection::range)
            .filter(|r| !r.is_empty())
        {
            Some(range) => project.article().slice(range),
            None => self
                .selected
                .and_then(|id| project.spans().get(id))
                .map(|s| project.span_text(s)),
        };
        if let Some(text) = text {
            ctx.copy_text(text.to_owned());
        }
    }

    pub(super) fn select_span(&mut self, id: Option<SpanId>, scroll: bool) {
        self.selected = id;
        if let Some(span) = id.and_then(|id| self.doc.project().spans().get(id)) {
            if scroll {
                self.view.scroll_to(span.range);
            }
            self.review.reveal_selected = true;
        }
    }

    /// Bring the selected span into view in the article (when it is not already) and in
    /// the review list, so that a key press never changes a span the user cannot see.
    fn reveal_selected(&mut self) {
        let project = self.doc.project();
        let Some(span) = self.selected.and_then(|id| project.spans().get(id)) else {
            return;
        };
        let visible = self
            .view
            .visible_chars(project)
            .is_some_and(|v| v.overlaps(span.range));
        if !visible {
            self.view.scroll_to(span.range);
        }
        self.review.reveal_selected = true;
    }

    fn step_history(&mut self, undo: bool) {
        let stepped = if undo {
            self.doc.undo()
        } else {
            self.doc.redo()
        };
        let verb = if undo { "Undid" } else { "Redid" };
        match stepped {
            Some(Ok(stepped)) => {
                self.say(format!("{verb} {}", stepped.what));
                // Show what changed: the span it brought back or changed.
                if let Some(id) = stepped
                    .subject
                    .filter(|id| self.doc.project().spans().get(*id).is_some())
                {
                    self.selected = Some(id);
                    self.view.selection = None;
                    self.reveal_selected();
                }
            }
            Some(Err(e)) => self
                .messages
                .error(format!("{verb} nothing: {e}"), Vec::new()),
            None => self.say(if undo {
                "Nothing to undo"
            } else {
                "Nothing to redo"
            }),
        }
    }

    fn set_note(&mut self, id: SpanId, note: String) {
        let Ok(edit) = self.doc.project().change(id, |s| s.note = note) else {
            return;
        };
        if let Err(e) = self.doc.apply_note(edit) {
            self.messages
                .error(format!("The note could not be changed: {e}"), Vec::new());
        }
    }

    fn place_orphan(&mut self, id: SpanId, range: CharRange) {
        let project = self.doc.project();
        let Some(orphan) = project.orphans().iter().find(|o| o.id == id).cloned() else {
            return;
        };
        let Some(label) = project.labels().by_name(&orphan.label) else {
            self.messages.error(
                format!(
                    "The orphan's label \"{}\" is not defined in this project, so it cannot be placed; add the label (Edit, Labels…) or delete the orphan.",
                    orphan.label
                ),
                Vec::new(),
            );
            return;
        };
        let range = project.article().trim_range(range);
        if range.is_empty() || project.spans().find(range, label).is_some() {
            self.say("Select non-empty text that does not already carry this label.");
            return;
        }
        let span = Span {
            id: orphan.id,
            range,
            label,
            note: orphan.note.clone(),
            status: Status::Confirmed,
        };
        if self.edit(Edit::Batch(vec![
            Edit::RemoveOrphan(orphan),
            Edit::AddSpan(span),
        ])) {
            self.selected = Some(id);
            self.view.selection = None;
            self.reveal_selected();
        }
    }

    fn delete_label(&mut self, label: LabelId, relabel_to: Option<LabelId>) {
        let project = self.doc.project();
        let name = project.labels().name(label).to_owned();
        let Some(edit) = project.delete_label(label, relabel_to) else {
            self.say("That label cannot be deleted: a project needs at least one label.");
            return;
        };
        if let Err(e) = self.doc.apply(edit) {
            self.say(format!(
                "Label \"{name}\" was not deleted: {e}. Choose a label for its spans first."
            ));
            return;
        }
        self.review.forget_label(label);
        self.say(match relabel_to {
            Some(to) => format!(
                "Deleted label \"{name}\"; its spans are now {} (Ctrl+Z undoes it)",
                self.doc.project().labels().name(to)
            ),
            None => format!("Deleted label \"{name}\" (Ctrl+Z undoes it)"),
        });
    }

    /// Move the caret (or the selection's moving end, with `extend`).
    fn move_caret(&mut self, to: CaretMove, extend: bool) {
        let project = self.doc.project();
        let article = project.article();
        let len = CharOffset(article.char_len());
        let current = self.view.selection.or_else(|| {
            // With no caret yet, start from the selected span (or the top of the view).
            let at = self
                .selected
                .and_then(|id| project.spans().get(id))
                .map(|s| {
                    if to_end(to) {
                        s.range.end()
                    } else {
                        s.range.start()
                    }
                })
                .or_else(|| self.view.visible_chars(project).map(CharRange::start))?;
            Some(Selection {
                anchor: at,
                head: at,
            })
        });
        let Some(current) = current else {
            return;
        };
        let head = current.head;
        let moved = match to {
            CaretMove::Left => head - 1,
            CaretMove::Right => (head + 1).min(len),
            CaretMove::WordLeft => article.prev_word_start(head),
            CaretMove::WordRight => article.next_word_end(head),
            CaretMove::LineStart | CaretMove::LineEnd => {
                let (start, end) = self.view.line_ends(project, head);
                if to == CaretMove::LineStart {
                    start
                } else {
                    end
                }
            }
        };
        self.view.selection = Some(if extend {
            Selection {
                anchor: current.anchor,
                head: moved,
            }
        } else {
            Selection {
                anchor: moved,
                head: moved,
            }
        });
        self.view.reveal_caret(moved);
        if self.selected.is_some() {
            self.selected = None;
        }
    }

    fn unsaved_answer(&mut self, ctx: &egui::Context, choice: UnsavedChoice) {
        let Some(Modal::Unsaved(action)) = self.modal.take() else {
            return;
        };
        match choice {
            UnsavedChoice::Save => {
                self.after_save = Some(action);
                self.commands.push(Command::Save);
            }
            UnsavedChoice::Discard => {
                // The user gave up these changes: drop their recovery file once the
                // document is really closed (now for Quit; for an open, only once the
                // other file has opened, so a cancelled open keeps everything).
                if action == Deferred::Quit {
                    self.give_up_changes();
                } else {
                    self.discard_on_replace = true;
                }
                self.run_deferred(ctx, action);
            }
            UnsavedChoice::Cancel => {}
        }
    }

    fn conflict_answer(&mut self, ctx: &egui::Context, choice: ConflictChoice) {
        let Some(Modal::Conflict(path)) = self.modal.take() else {
            return;
        };
        match choice {
            ConflictChoice::SaveAs => self.commands.push(Command::SaveAs),
            ConflictChoice::Overwrite => self.save_to(ctx, path, true),
            ConflictChoice::Cancel => {
                self.after_save = None;
                self.say("Not saved: the file on disk was left as it is.");
            }
        }
    }

    fn recovery_answer(&mut self, choice: RecoveryChoice) {
        if self.recovery.offers.is_empty() {
            return;
        }
        let offer = self.recovery.offers.remove(0);
        match choice {
            RecoveryChoice::Restore => self.restore(&offer),
            RecoveryChoice::Discard => {
                if let Err(e) = std::fs::remove_file(&offer.path) {
                    self.messages.error(
                        format!(
                            "Could not remove the recovery file ({e}): {}",
                            offer.path.display()
                        ),
                        Vec::new(),
                    );
                }
            }
            RecoveryChoice::NotNow => {
                // Kept for the next start: this session must not autosave over it.
                if self.autosave_target().as_deref() == Some(offer.path.as_path()) {
                    self.autosave_beside();
                }
            }
        }
    }
}

/// True for moves towards the end (which start from a span's end).
fn to_end(to: CaretMove) -> bool {
    matches!(
        to,
        CaretMove::Right | CaretMove::WordRight | CaretMove::LineEnd
    )
}
