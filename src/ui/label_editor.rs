//! The label editor (Edit → Labels…): add, rename, recolour, change the key or the
//! description of, reorder and delete labels. Each change is sent as one command and so is
//! one undoable step; the editor keeps only drafts of the text being typed.
//!
//! A label that spans still use is never dropped silently: deleting it asks for the label
//! its spans should get instead.

use std::collections::HashMap;

use egui::RichText;

use crate::model::{Label, LabelId, LabelSet, Project, Rgb, Status};
use crate::ui::command::Command;
use crate::ui::label_bar::color32;

/// Drafts of the label editor.
#[derive(Default)]
pub struct LabelEditorState {
    names: HashMap<LabelId, String>,
    descriptions: HashMap<LabelId, String>,
    /// Where the spans of a label to delete should go.
    relabel: HashMap<LabelId, LabelId>,
    new_name: String,
    error: Option<String>,
}

impl LabelEditorState {
    /// Drafts for `labels` as they are.
    #[must_use]
    pub fn new(labels: &LabelSet) -> Self {
        Self {
            names: labels.iter().map(|(id, l)| (id, l.name.clone())).collect(),
            descriptions: labels
                .iter()
                .map(|(id, l)| (id, l.description.clone()))
                .collect(),
            ..Self::default()
        }
    }
}

/// A colour for a new label: one the set does not use yet, from a palette that reads on
/// light and dark backgrounds.
fn fresh_color(labels: &LabelSet) -> Rgb {
    const PALETTE: [[u8; 3]; 8] = [
        [0x27, 0xAE, 0x60],
        [0xC0, 0x39, 0x2B],
        [0x16, 0xA0, 0x85],
        [0xD3, 0x54, 0x00],
        [0x8E, 0x44, 0xAD],
        [0x2C, 0x3E, 0x50],
        [0xF3, 0x9C, 0x12],
        [0x7F, 0x8C, 0x8D],
    ];
    PALETTE
        .iter()
        .map(|&c| Rgb(c))
        .find(|c| labels.iter().all(|(_, l)| l.color != *c))
        .unwrap_or(Rgb(PALETTE[0]))
}

/// Send a label set change, or keep the reason it was refused to show it.
fn push_change(
    result: Result<LabelSet, crate::model::label::LabelSetError>,
    error: &mut Option<String>,
    commands: &mut Vec<Command>,
) {
    match result {
        Ok(set) => {
            *error = None;
            commands.push(Command::SetLabels(set));
        }
        Err(e) => *error = Some(format!("Not changed: {e}.")),
    }
}

/// Show the label editor as a modal window.
#[expect(
    clippy::too_many_lines,
    reason = "one row per label with its fields; splitting it scatters the grid"
)]
pub fn label_editor_ui(
    ctx: &egui::Context,
    state: &mut LabelEditorState,
    project: &Project,
    commands: &mut Vec<Command>,
) {
    let labels = project.labels();
    let mut close = false;
    egui::Modal::new(egui::Id::unique("label_editor")).show(ctx, |ui| {
        ui.set_min_width(700.0);
        ui.heading("Labels");
        ui.label(
            RichText::new(
                "Each change is one step that Ctrl+Z undoes. The description is the annotation guideline, shown on hover over the label's button.",
            )
            .weak(),
        );
        ui.add_space(4.0);
        let mut error = state.error.take();
        egui::Grid::new("labels_grid")
            .num_columns(6)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                ui.label(RichText::new("Name").strong());
                ui.label(RichText::new("Colour").strong());
                ui.label(RichText::new("Key").strong());
                ui.label(RichText::new("Description").strong());
                ui.label(RichText::new("Order").strong());
                ui.label(RichText::new("Spans").strong());
                ui.end_row();
                let count = labels.len();
                for (row, (id, label)) in labels.iter().enumerate() {
                    let name = state.names.entry(id).or_insert_with(|| label.name.clone());
                    let field = ui.add_sized(
                        [130.0, 20.0],
                        egui::TextEdit::singleline(name).id_salt(("label_name", id.0)),
                    );
                    field.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::TextInput, true, format!("Name of {}", label.name))
                    });
                    if field.lost_focus() && name.trim() != label.name {
                        let renamed = Label {
                            name: name.trim().to_owned(),
                            ..label.clone()
                        };
                        push_change(labels.with_changed(id, renamed), &mut error, commands);
                    }
                    let mut rgb = label.color.0;
                    if egui::color_picker::color_edit_button_srgb(ui, &mut rgb)
                        .on_hover_text(format!("Colour of {}", label.name))
                        .changed()
                    {
                        let recoloured = Label {
                            color: Rgb(rgb),
                            ..label.clone()
                        };
                        push_change(labels.with_changed(id, recoloured), &mut error, commands);
                    }
                    let key_text = label.key.map_or_else(|| "none".to_owned(), String::from);
                    let combo = egui::ComboBox::from_id_salt(("label_key", id.0))
                        .selected_text(key_text)
                        .width(56.0)
                        .show_ui(ui, |ui| {
                            let keys = std::iter::once(None).chain(('1'..='9').map(Some));
                            for key in keys {
                                let taken = key.is_some_and(|k| labels.by_key(k).is_some_and(|o| o != id));
                                let text = key.map_or_else(|| "none".to_owned(), String::from);
                                let button = egui::Button::selectable(label.key == key, text);
                                if ui.add_enabled(!taken, button).clicked() && label.key != key {
                                    let rekeyed = Label {
                                        key,
                                        ..label.clone()
                                    };
                                    push_change(labels.with_changed(id, rekeyed), &mut error, commands);
                                }
                            }
                        });
                    combo.response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::ComboBox, true, format!("Key of {}", label.name))
                    });
                    let description = state
                        .descriptions
                        .entry(id)
                        .or_insert_with(|| label.description.clone());
                    let field = ui.add_sized(
                        [260.0, 20.0],
                        egui::TextEdit::singleline(description)
                            .id_salt(("label_description", id.0))
                            .hint_text("annotation guideline"),
                    );
                    field.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::TextInput, true, format!("Description of {}", label.name))
                    });
                    if field.lost_focus() && *description != label.description {
                        let described = Label {
                            description: description.clone(),
                            ..label.clone()
                        };
                        push_change(labels.with_changed(id, described), &mut error, commands);
                    }
                    ui.horizontal(|ui| {
                        if ui.add_enabled(row > 0, egui::Button::new("⏶").small()).on_hover_text("Move up").clicked() {
                            push_change(Ok(labels.with_moved(id, -1)), &mut error, commands);
                        }
                        if ui
                            .add_enabled(row + 1 < count, egui::Button::new("⏷").small())
                            .on_hover_text("Move down")
                            .clicked()
                        {
                            push_change(Ok(labels.with_moved(id, 1)), &mut error, commands);
                        }
                    });
                    let used: usize = Status::ALL
                        .iter()
                        .map(|&s| project.spans().count_with(id, s))
                        .sum();
                    ui.horizontal(|ui| {
                        ui.label(used.to_string());
                        delete_ui(ui, state, labels, id, used, count, commands);
                    });
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut state.new_name)
                    .id_salt("new_label_name")
                    .hint_text("new label's name")
                    .desired_width(160.0),
            );
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "New label's name"));
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Add label").clicked() || enter) && !state.new_name.trim().is_empty() {
                let label = Label {
                    key: labels.free_key(),
                    ..Label::new(state.new_name.trim(), fresh_color(labels))
                };
                match labels.with_added(label) {
                    Ok((set, _)) => {
                        state.new_name.clear();
                        push_change(Ok(set), &mut error, commands);
                    }
                    Err(e) => error = Some(format!("Not added: {e}.")),
                }
            }
        });
        if let Some(e) = &error {
            ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
        }
        state.error = error;
        ui.add_space(6.0);
        if ui.button("Close").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            close = true;
        }
    });
    if close {
        commands.push(Command::CloseModal);
    }
}

/// The delete control of one label: a plain delete for an unused label; for a label in
/// use, a choice of label for its spans and "Delete and relabel".
fn delete_ui(
    ui: &mut egui::Ui,
    state: &mut LabelEditorState,
    labels: &LabelSet,
    id: LabelId,
    used: usize,
    count: usize,
    commands: &mut Vec<Command>,
) {
    if count <= 1 {
        return;
    }
    if used == 0 {
        if ui.small_button("Delete").clicked() {
            commands.push(Command::DeleteLabel {
                label: id,
                relabel_to: None,
            });
        }
        return;
    }
    let Some(default_target) = labels.iter().map(|(o, _)| o).find(|&o| o != id) else {
        return;
    };
    let target = *state.relabel.entry(id).or_insert(default_target);
    ui.menu_button("Delete…", |ui| {
        ui.label(format!(
            "Its {used} span(s) need another label first. Relabel them as:"
        ));
        for (other, label) in labels.iter().filter(|(o, _)| *o != id) {
            if ui
                .add(egui::Button::selectable(
                    target == other,
                    RichText::new(&label.name).color(color32(label.color)),
                ))
                .clicked()
            {
                state.relabel.insert(id, other);
            }
        }
        ui.separator();
        if ui
            .button(format!("Delete and relabel as {}", labels.name(target)))
            .clicked()
        {
            commands.push(Command::DeleteLabel {
                label: id,
                relabel_to: Some(target),
            });
            ui.close();
        }
    });
}
