//! The one modal window open at a time, and the queue of recovery offers.
//!
//! A modal only shows and collects an answer; the answer comes back as a [`Command`] that
//! `apply` handles like any other, so the effects of "Don't save" or "Overwrite" live in one
//! place with everything else.

use std::path::PathBuf;

use egui::RichText;

use crate::ui::command::{Command, ConflictChoice, RecoveryChoice, UnsavedChoice, Window};
use crate::ui::dialogs::{self, PathPrompt, PromptOutcome};
use crate::ui::label_editor::{LabelEditorState, label_editor_ui};

use super::SpanmarkApp;
use super::chrome::SHORTCUTS;
use super::files::Deferred;

/// A modal window.
pub enum Modal {
    /// The app's own path prompt (no native dialog could be shown).
    Prompt(PathPrompt),
    /// "Save your changes before …?"
    Unsaved(Deferred),
    /// "The file changed on disk": the path we were saving to.
    Conflict(PathBuf),
    /// The label editor, with its draft.
    LabelEditor(LabelEditorState),
    /// The keyboard shortcuts.
    Shortcuts,
    /// Version, licence, project link.
    About,
    /// File → Export…
    Export(Box<super::interop::ExportDialog>),
    /// File → Import…
    Import(Box<super::interop::ImportDialog>),
}

impl Modal {
    /// The modal for a window the menus can open.
    #[must_use]
    pub fn window(window: Window, app_labels: &crate::model::LabelSet) -> Self {
        match window {
            Window::LabelEditor => Self::LabelEditor(LabelEditorState::new(app_labels)),
            Window::Shortcuts => Self::Shortcuts,
            Window::About => Self::About,
        }
    }
}

fn age(modified: std::time::SystemTime) -> String {
    modified.elapsed().map_or_else(
        |_| "recently".to_owned(),
        |d| {
            let mins = d.as_secs() / 60;
            if mins < 1 {
                "less than a minute ago".to_owned()
            } else if mins < 120 {
                format!("{mins} minutes ago")
            } else {
                format!("{} hours ago", mins / 60)
            }
        },
    )
}

impl SpanmarkApp {
    pub(super) fn modals_ui(&mut self, ctx: &egui::Context) {
        let mut out = Vec::new();
        match &mut self.modal {
            Some(Modal::Prompt(prompt)) => match dialogs::path_prompt_ui(ctx, prompt) {
                PromptOutcome::Open => {}
                PromptOutcome::Cancelled => out.push(Command::PromptAnswer(None)),
                PromptOutcome::Confirmed(path) => out.push(Command::PromptAnswer(Some(path))),
            },
            Some(Modal::Unsaved(action)) => {
                let what = match action {
                    Deferred::Quit => "quitting",
                    Deferred::Open(_) | Deferred::OpenPath(_) => "opening another file",
                    Deferred::Compare(_) => "starting a curation",
                    Deferred::OpenDoc(_) => "opening another document",
                };
                let message = format!(
                    "{} has unsaved changes. Save them before {what}?",
                    self.doc.display_name()
                );
                let choices = [
                    ("Save", UnsavedChoice::Save),
                    ("Don't save", UnsavedChoice::Discard),
                    ("Cancel", UnsavedChoice::Cancel),
                ];
                if let Some(choice) = dialogs::choice_ui(ctx, "Unsaved changes", &message, &choices)
                {
                    out.push(Command::UnsavedAnswer(choice));
                }
            }
            Some(Modal::Conflict(path)) => {
                let message = format!(
                    "{} was changed on disk by another program (or another spanmark) since you opened or saved it. \
                     Save yours under another name, overwrite theirs with your version, or cancel?",
                    path.display()
                );
                // The default (Enter) is the choice that destroys nothing.
                let choices = [
                    ("Save as…", ConflictChoice::SaveAs),
                    ("Overwrite", ConflictChoice::Overwrite),
                    ("Cancel", ConflictChoice::Cancel),
                ];
                if let Some(choice) =
                    dialogs::choice_ui(ctx, "File changed on disk", &message, &choices)
                {
                    out.push(Command::ConflictAnswer(choice));
                }
            }
            Some(Modal::LabelEditor(state)) => {
                label_editor_ui(ctx, state, self.doc.project(), &mut out);
            }
            Some(Modal::Shortcuts) => shortcuts_window(ctx, &mut out),
            Some(Modal::About) => about_window(ctx, &mut out),
            Some(Modal::Export(_)) => self.export_dialog_ui(ctx),
            Some(Modal::Import(_)) => self.import_dialog_ui(ctx),
            None => self.recovery_offer_ui(ctx, &mut out),
        }
        if let Some((dir, task)) = &self.corpus_loading {
            egui::Modal::new(egui::Id::unique("corpus_loading")).show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!(
                        "Opening the corpus {} … {:.1} s",
                        dir.display(),
                        task.elapsed().as_secs_f32()
                    ));
                });
            });
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        if let Some(loading) = &self.loading {
            egui::Modal::new(egui::Id::unique("loading")).show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!(
                        "Opening {} … {:.1} s",
                        loading.path.display(),
                        loading.task.elapsed().as_secs_f32()
                    ));
                });
            });
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        self.commands.extend(out);
    }

    fn recovery_offer_ui(&self, ctx: &egui::Context, out: &mut Vec<Command>) {
        let Some(offer) = self.recovery.offers.first() else {
            return;
        };
        let document = offer.document.as_ref().map_or_else(
            || "an untitled project".to_owned(),
            |p| p.display().to_string(),
        );
        let more = match self.recovery.offers.len() {
            1 => String::new(),
            n => format!(" ({} more after this one)", n - 1),
        };
        let message = format!(
            "spanmark found work on {document} that was not saved when spanmark last stopped (autosaved {}){more}. \
             Restore it? Discard deletes it for good; Not now keeps it for the next start.",
            age(offer.modified)
        );
        let choices = [
            ("Restore", RecoveryChoice::Restore),
            ("Discard", RecoveryChoice::Discard),
            ("Not now", RecoveryChoice::NotNow),
        ];
        if let Some(choice) = dialogs::choice_ui(ctx, "Restore unsaved work?", &message, &choices) {
            out.push(Command::RecoveryAnswer(choice));
        }
    }
}

fn shortcuts_window(ctx: &egui::Context, out: &mut Vec<Command>) {
    egui::Modal::new(egui::Id::unique("shortcuts")).show(ctx, |ui| {
        ui.heading("Keyboard shortcuts");
        egui::ScrollArea::vertical()
            .max_height(520.0)
            .show(ui, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.label(RichText::new(*keys).monospace());
                        ui.label(*what);
                        ui.end_row();
                    }
                });
            });
        if ui.button("Close").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            out.push(Command::CloseModal);
        }
    });
}

fn about_window(ctx: &egui::Context, out: &mut Vec<Command>) {
    egui::Modal::new(egui::Id::unique("about")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading(format!("spanmark {}", env!("CARGO_PKG_VERSION")));
        ui.label(env!("CARGO_PKG_DESCRIPTION"));
        ui.add_space(6.0);
        ui.label(format!("Licence: {}", env!("CARGO_PKG_LICENSE")));
        match option_env!("CARGO_PKG_REPOSITORY").filter(|r| !r.is_empty()) {
            Some(url) => {
                ui.hyperlink_to("Project page", url);
            }
            None => {
                ui.label("Documentation: README.md and docs/ beside the source code.");
            }
        }
        ui.add_space(6.0);
        if ui.button("Close").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            out.push(Command::CloseModal);
        }
    });
}
