//! The label bar: one button per label, in its colour, showing its key.

use egui::{Color32, RichText};

use crate::model::Project;
use crate::ui::command::Command;

/// The colour of a label as egui wants it.
#[must_use]
pub fn color32(rgb: crate::model::Rgb) -> Color32 {
    let [r, g, b] = rgb.0;
    Color32::from_rgb(r, g, b)
}

/// Show the label buttons. `can_tag` says whether there is a selection or a selected span
/// to apply a label to.
pub fn label_bar_ui(
    ui: &mut egui::Ui,
    project: &Project,
    can_tag: bool,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("Tag as").weak());
        for (id, label) in project.labels().iter() {
            let color = color32(label.color);
            let key = label.key.map(|k| format!("{k}  ")).unwrap_or_default();
            let text = RichText::new(format!("{key}{}", label.name))
                .strong()
                .color(Color32::WHITE);
            let button = egui::Button::new(text)
                .fill(if can_tag {
                    color
                } else {
                    color.gamma_multiply(0.45)
                })
                .corner_radius(4.0);
            let mut hint = match label.key {
                Some(k) => format!("Tag the selection as {} (key {k})", label.name),
                None => format!("Tag the selection as {}", label.name),
            };
            if !label.description.is_empty() {
                hint = format!("{hint}\n\n{}", label.description);
            }
            let response = ui.add_enabled(can_tag, button);
            let response = if can_tag {
                response.on_hover_text(hint)
            } else {
                response.on_disabled_hover_text(format!(
                    "Select text in the article (or a span) first.\n\n{}",
                    label.description
                ))
            };
            if response.clicked() {
                commands.push(Command::ApplyLabel(id));
            }
        }
    });
}
