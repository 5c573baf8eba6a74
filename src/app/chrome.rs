//! The window's chrome: the menu bar, the status bar, the message strip and the title.
//! Everything here reads the app and pushes commands.

use std::fmt::Write as _;

use egui::RichText;

use crate::model::Status;
use crate::ui::command::{Command, OpenKind, Window};

use super::messages::{Messages, Severity};
use super::shortcuts::{
    CORPUS_SEARCH, FIND, NEXT_DOC, NEXT_UNFINISHED, OPEN, OPEN_PROJECT, PREV_DOC, QUIT, REDO_SHIFT,
    SAVE, SAVE_AS, SUGGEST, TOGGLE_DONE, UNDO, ZOOM_IN, ZOOM_OUT, ZOOM_RESET,
};
use super::{SpanmarkApp, plural};

/// The shortcuts listed in Help and the README.
pub const SHORTCUTS: &[(&str, &str)] = &[
    (
        "Drag / double-click / Shift+click",
        "select text (snapping to words) / a word / extend the selection",
    ),
    ("Alt+drag", "select with character precision"),
    (
        "Shift+Left/Right, Ctrl+Shift+Left/Right",
        "extend the selection by a char / a word",
    ),
    (
        "Shift+Home / Shift+End",
        "extend the selection to the line's start / end",
    ),
    (
        "1 … 9",
        "tag the selection with that label, or relabel the selected span",
    ),
    (
        "Click a span (again)",
        "select it (the next enclosing span)",
    ),
    ("Drag a selected span's handle", "move its start or end"),
    ("Del", "delete the selected span"),
    (
        "Right-click a span",
        "relabel, accept, copy, set bounds or delete it",
    ),
    ("Ctrl+C", "copy the selected text (or span)"),
    (
        "Ctrl+F",
        "find in the article (Enter / Shift+Enter: next / previous)",
    ),
    (
        "n / p, Down / Up",
        "next / previous span in the review list",
    ),
    (
        "Esc",
        "close a menu, dismiss a message, clear the selection",
    ),
    ("Ctrl+Z", "undo"),
    ("Ctrl+Shift+Z, Ctrl+Y", "redo"),
    (
        "Ctrl+ + / Ctrl+ − / Ctrl+0",
        "larger / smaller / default text",
    ),
    ("Ctrl+O / Ctrl+Shift+O", "open an article / a project"),
    ("Ctrl+S / Ctrl+Shift+S", "save / save as"),
    ("Ctrl+Q", "quit"),
];

fn menu_item(
    ui: &mut egui::Ui,
    text: &str,
    shortcut: Option<&egui::KeyboardShortcut>,
    enabled: bool,
) -> bool {
    let mut button = egui::Button::new(text);
    if let Some(s) = shortcut {
        button = button.shortcut_text(ui.ctx().format_shortcut(s));
    }
    ui.add_enabled(enabled, button).clicked()
}

impl SpanmarkApp {
    pub(super) fn menu_ui(&mut self, ui: &mut egui::Ui) {
        let mut out = Vec::new();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| self.file_menu_ui(ui, &mut out));
            ui.menu_button("Edit", |ui| self.edit_menu_ui(ui, &mut out));
            if self.corpus.is_some() {
                ui.menu_button("Corpus", |ui| self.corpus_menu_ui(ui, &mut out));
            }
            ui.menu_button("View", |ui| self.view_menu_ui(ui, &mut out));
            ui.menu_button("Help", |ui| {
                if menu_item(ui, "Keyboard shortcuts", None, true) {
                    out.push(Command::Show(Window::Shortcuts));
                }
                if menu_item(ui, "About spanmark", None, true) {
                    out.push(Command::Show(Window::About));
                }
            });
        });
        self.commands.extend(out);
    }

    fn file_menu_ui(&self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        if menu_item(ui, "Open article…", Some(&OPEN), true) {
            out.push(Command::Open(OpenKind::Article));
        }
        if menu_item(ui, "Open project…", Some(&OPEN_PROJECT), true) {
            out.push(Command::Open(OpenKind::Project));
        }
        if menu_item(ui, "Open folder (corpus)…", None, true) {
            out.push(Command::OpenFolder);
        }
        ui.menu_button("Open recent", |ui| {
            if self.settings.recent.is_empty() {
                ui.label(RichText::new("No recent files").weak());
            }
            for path in &self.settings.recent {
                if ui.button(path.display().to_string()).clicked() {
                    out.push(Command::OpenPath(path.clone()));
                }
            }
        });
        if ui
            .button("Compare with another analyst's project…")
            .on_hover_text(
                "Curate: both analysts' spans side by side, agreements taken in, disagreements settled one key at a time",
            )
            .clicked()
        {
            out.push(Command::AskCompare);
        }
        if ui
            .button("Replace article text…")
            .on_hover_text("Open a corrected version of the article and move the spans onto it")
            .clicked()
        {
            out.push(Command::ReplaceArticle);
        }
        ui.separator();
        if menu_item(ui, "Import…", None, true) {
            out.push(Command::Import);
        }
        if menu_item(ui, "Export…", None, true) {
            out.push(Command::Export);
        }
        ui.separator();
        if menu_item(ui, "Save", Some(&SAVE), true) {
            out.push(Command::Save);
        }
        if menu_item(ui, "Save as…", Some(&SAVE_AS), true) {
            out.push(Command::SaveAs);
        }
        ui.separator();
        if menu_item(ui, "Quit", Some(&QUIT), true) {
            out.push(Command::Quit);
        }
    }

    fn edit_menu_ui(&self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let history = self.doc.history();
        let steps = [
            ("Undo", history.undo_name(), &UNDO, Command::Undo),
            ("Redo", history.redo_name(), &REDO_SHIFT, Command::Redo),
        ];
        for (verb, what, shortcut, command) in steps {
            let text = what.map_or_else(|| verb.to_owned(), |w| format!("{verb} {w}"));
            if menu_item(ui, &text, Some(shortcut), what.is_some()) {
                out.push(command);
            }
        }
        ui.separator();
        if menu_item(ui, "Find…", Some(&FIND), true) {
            out.push(Command::OpenFind);
        }
        let delete = egui::Button::new("Delete span").shortcut_text("Del");
        if ui.add_enabled(self.selected.is_some(), delete).clicked() {
            out.push(Command::DeleteSelected);
        }
        ui.separator();
        if menu_item(
            ui,
            "Suggest spans",
            Some(&SUGGEST),
            self.suggest_task.is_none(),
        ) {
            out.push(Command::Suggest);
        }
        if self.corpus.is_some()
            && menu_item(
                ui,
                "Suggest spans in every document",
                None,
                self.corpus_suggest().is_none(),
            )
        {
            out.push(Command::SuggestCorpus);
        }
        ui.separator();
        if menu_item(ui, "Labels…", None, true) {
            out.push(Command::Show(Window::LabelEditor));
        }
    }

    fn corpus_menu_ui(&self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let Some(state) = &self.corpus else {
            return;
        };
        for (name, shortcut, command) in [
            (
                "Next document",
                &NEXT_DOC,
                Command::StepDoc { forward: true },
            ),
            (
                "Previous document",
                &PREV_DOC,
                Command::StepDoc { forward: false },
            ),
            (
                "Next unfinished document",
                &NEXT_UNFINISHED,
                Command::NextUnfinished,
            ),
        ] {
            if menu_item(ui, name, Some(shortcut), true) {
                out.push(command);
            }
        }
        let done = self.doc.project().is_done();
        if menu_item(
            ui,
            if done { "Mark not done" } else { "Mark done" },
            Some(&TOGGLE_DONE),
            true,
        ) {
            out.push(Command::ToggleDone);
        }
        ui.separator();
        if menu_item(ui, "Search the corpus…", Some(&CORPUS_SEARCH), true) {
            out.push(Command::OpenCorpusSearch);
        }
        if menu_item(ui, "Dashboard", None, true) {
            out.push(Command::ShowDashboard);
        }
        ui.separator();
        if menu_item(ui, "Use the scheme's labels", None, true) {
            out.push(Command::UseScheme);
        }
        if menu_item(ui, "Add this document's labels to the scheme", None, true) {
            out.push(Command::AddLabelsToScheme);
        }
        let save = state.corpus.config.save_on_switch;
        if ui
            .add(egui::Button::selectable(
                save,
                "Save when moving to another document",
            ))
            .on_hover_text("Off: ask before leaving a document with unsaved changes")
            .clicked()
        {
            out.push(Command::ToggleSaveOnSwitch);
        }
    }

    fn view_menu_ui(&self, ui: &mut egui::Ui, out: &mut Vec<Command>) {
        let current = self.settings.theme.as_str();
        for (name, key, theme) in [
            (
                "Follow system theme",
                "system",
                egui::ThemePreference::System,
            ),
            ("Light", "light", egui::ThemePreference::Light),
            ("Dark", "dark", egui::ThemePreference::Dark),
        ] {
            let on = current == key || (key == "system" && current.is_empty());
            if ui.add(egui::Button::selectable(on, name)).clicked() {
                out.push(Command::SetTheme(theme));
            }
        }
        ui.separator();
        for (name, shortcut, step) in [
            ("Larger text", &ZOOM_IN, 1),
            ("Smaller text", &ZOOM_OUT, -1),
            ("Default text size", &ZOOM_RESET, 0),
        ] {
            if menu_item(ui, name, Some(shortcut), true) {
                out.push(Command::Zoom(step));
            }
        }
    }

    pub(super) fn status_bar_ui(&self, ui: &mut egui::Ui, out_commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.label(RichText::new(self.doc.display_name()).strong());
            if self.is_dirty() {
                ui.label(RichText::new("• unsaved changes").color(ui.visuals().warn_fg_color));
            } else if self.doc.path.is_some() {
                ui.label(RichText::new("saved").weak());
            }
            ui.separator();
            let project = self.doc.project();
            let spans = project.spans();
            let mut counts = plural(spans.annotation_count(), "span");
            for (id, label) in project.labels().iter() {
                let _ = write!(counts, " · {} {}", label.name, spans.count(id));
            }
            let suggested = spans.status_count(Status::Suggested);
            if suggested > 0 {
                let _ = write!(counts, " · {} to review", plural(suggested, "suggestion"));
            }
            ui.label(counts);
            if !project.orphans().is_empty() {
                ui.label(
                    RichText::new(plural(project.orphans().len(), "orphan"))
                        .color(ui.visuals().warn_fg_color),
                );
            }
            ui.separator();
            if let Some(sel) = self
                .view
                .selection
                .map(crate::ui::article_view::Selection::range)
                .filter(|r| !r.is_empty())
            {
                ui.label(format!(
                    "selection {}–{} ({})",
                    sel.start(),
                    sel.end(),
                    plural(sel.len(), "char")
                ));
            } else if let Some(span) = self.selected.and_then(|id| spans.get(id)) {
                ui.label(format!(
                    "span {}–{} ({})",
                    span.range.start(),
                    span.range.end(),
                    plural(span.range.len(), "char")
                ));
            } else {
                ui.label(RichText::new("no selection").weak());
            }
            if let Some(running) = &self.suggest_task {
                ui.separator();
                ui.spinner();
                ui.label(format!(
                    "Finding suggestions… {:.1} s",
                    running.elapsed_secs()
                ));
            }
            if let Some(run) = self.corpus_suggest() {
                ui.separator();
                let fraction = if run.total == 0 {
                    1.0
                } else {
                    run.done as f32 / run.total as f32
                };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(160.0)
                        .text(format!(
                            "Suggesting: {} / {} documents",
                            run.done, run.total
                        )),
                );
                if run.cancelling() {
                    ui.label(RichText::new("cancelling…").weak());
                } else if ui.button("Cancel suggestions").clicked() {
                    out_commands.push(Command::CancelSuggestCorpus);
                }
            }
            if let Some(notice) = self.messages.notice() {
                ui.separator();
                ui.label(RichText::new(notice).weak());
            }
        });
    }

    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let title = format!(
            "{}{}{} — spanmark",
            if self.is_dirty() { "• " } else { "" },
            self.corpus_title(),
            self.doc.display_name()
        );
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

/// The message strip: the newest error or warning, its details on request, how many more
/// there are, and a × that is always at the strip's right end.
pub fn messages_ui(ui: &mut egui::Ui, messages: &Messages, out: &mut Vec<Command>) {
    let Some(newest) = messages.alerts().next_back() else {
        return;
    };
    let more = messages.alerts().count() - 1;
    let fg = match newest.severity {
        Severity::Error => ui.visuals().error_fg_color,
        _ => ui.visuals().warn_fg_color,
    };
    egui::Frame::new()
        .fill(fg.gamma_multiply(0.12))
        .inner_margin(egui::Margin::symmetric(8, 4))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                // The × is laid out first, from the right, so a long message never pushes
                // it out of reach.
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .small_button("×")
                        .on_hover_text("Dismiss (Esc)")
                        .clicked()
                    {
                        out.push(Command::DismissMessages { all: false });
                    }
                    if more > 0
                        && ui
                            .small_button(format!("Dismiss all {}", more + 1))
                            .clicked()
                    {
                        out.push(Command::DismissMessages { all: true });
                    }
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        ui.label(RichText::new("⚠").color(fg));
                        let text = if more > 0 {
                            format!("{} (and {} more)", newest.text, more)
                        } else {
                            newest.text.clone()
                        };
                        let label = ui.add(egui::Label::new(RichText::new(text).color(fg)).wrap());
                        if !newest.details.is_empty() {
                            label.on_hover_ui(|ui| {
                                for line in newest.details.iter().take(40) {
                                    ui.label(line);
                                }
                                if newest.details.len() > 40 {
                                    ui.label(format!("… and {} more", newest.details.len() - 40));
                                }
                            });
                        }
                    });
                });
            });
        });
}
