//! The corpus search window (Ctrl+Shift+F): a query over span text, notes, labels and the
//! articles' text of every document; results as you type, each with its document and an
//! excerpt; Enter (or a click) opens the document at the match with it selected.

use egui::{Key, RichText};

use crate::model::corpus_search::Hit;
use crate::ui::bidi::visual_line;
use crate::ui::command::Command;

/// What the window shows besides the query.
pub struct SearchView<'a> {
    /// The results.
    pub hits: &'a [Hit],
    /// The highlighted result.
    pub selected: usize,
    /// The index is still being built.
    pub indexing: bool,
    /// A query is running.
    pub searching: bool,
    /// The query the results are for.
    pub searched: &'a str,
}

/// Show the corpus search window; pushes `CorpusSearchStep`, `OpenHit` and `CloseCorpusSearch`.
pub fn corpus_search_ui(
    ctx: &egui::Context,
    query: &mut String,
    focus: &mut bool,
    view: &SearchView<'_>,
    commands: &mut Vec<Command>,
) {
    egui::Window::new("Search the corpus")
        .default_size([560.0, 440.0])
        .collapsible(false)
        .show(ctx, |ui| {
            let field = ui.add(
                egui::TextEdit::singleline(query)
                    .id_salt("corpus_search_field")
                    .hint_text("span text, notes, labels, article text")
                    .desired_width(f32::INFINITY),
            );
            field.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::SearchInput, true, "Corpus query")
            });
            if std::mem::take(focus) {
                field.request_focus();
            }
            let (enter, up, down, esc) = ui.input(|i| {
                (
                    i.key_pressed(Key::Enter),
                    i.key_pressed(Key::ArrowUp),
                    i.key_pressed(Key::ArrowDown),
                    i.key_pressed(Key::Escape),
                )
            });
            if (field.has_focus() || field.lost_focus()) && enter {
                commands.push(Command::OpenHit(view.selected));
            }
            if field.has_focus() && down {
                commands.push(Command::CorpusSearchStep(1));
            }
            if field.has_focus() && up {
                commands.push(Command::CorpusSearchStep(-1));
            }
            if esc {
                commands.push(Command::CloseCorpusSearch);
            }
            let status = if view.indexing {
                "indexing the corpus…".to_owned()
            } else if view.searching {
                "searching…".to_owned()
            } else if view.searched.is_empty() {
                String::new()
            } else {
                crate::model::text::plural(view.hits.len(), "result")
            };
            ui.label(RichText::new(status).weak());
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt("corpus_hits")
                .auto_shrink([false, false])
                .show_rows(ui, 40.0, view.hits.len(), |ui, range| {
                    for (n, hit) in view
                        .hits
                        .iter()
                        .enumerate()
                        .skip(range.start)
                        .take(range.len())
                    {
                        let here = n == view.selected;
                        let title = format!(
                            "{} · {}{}",
                            hit.path,
                            hit.kind.as_str(),
                            hit.label
                                .as_ref()
                                .map_or_else(String::new, |l| format!(" ({l})"))
                        );
                        let response = ui
                            .add(egui::Button::selectable(
                                here,
                                format!("{title}\n{}", visual_line(&hit.excerpt)),
                            ))
                            .on_hover_text("Open the document at this match");
                        if response.clicked() {
                            commands.push(Command::OpenHit(n));
                        }
                    }
                });
        });
}
