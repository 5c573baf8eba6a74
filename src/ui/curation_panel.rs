//! The curation panel: the agreement figures (updated as the curation proceeds), progress,
//! and every disagreement with each analyst's spans and one-key choices.

use egui::{Color32, RichText};

use crate::model::Project;
use crate::model::agreement::Scores;
use crate::model::curation::{Choice, Curation};
use crate::model::text::excerpt;
use crate::ui::bidi::visual_line;
use crate::ui::command::Command;
use crate::ui::label_bar::color32;

/// One line of agreement figures.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureRow {
    /// "ana vs ben", "curated vs ana".
    pub pair: String,
    /// Overall scores of the pair.
    pub scores: Scores,
}

/// The figures shown at the top of the panel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CurationFigures {
    /// Analyst pairs and curated-vs-analyst pairs.
    pub rows: Vec<FigureRow>,
    /// Disagreements settled so far.
    pub settled: usize,
    /// Disagreements in all.
    pub total: usize,
    /// Spans every analyst made alike.
    pub agreed: usize,
}

/// The key that takes analyst `i`'s spans.
#[must_use]
pub fn analyst_key(i: usize) -> Option<char> {
    ['A', 'B', 'C', 'D'].get(i).copied()
}

fn score(s: Option<f64>) -> String {
    s.map_or_else(|| "–".to_owned(), |v| format!("{v:.2}"))
}

/// Show the curation panel.
pub fn curation_panel_ui(
    ui: &mut egui::Ui,
    curation: &Curation,
    current: usize,
    figures: &CurationFigures,
    project: &Project,
    commands: &mut Vec<Command>,
) {
    ui.add_space(4.0);
    ui.heading("Curation");
    ui.label(
        RichText::new(format!(
            "{} agreed · {} of {} disagreements settled",
            figures.agreed, figures.settled, figures.total
        ))
        .weak(),
    );
    egui::Grid::new("curation_figures")
        .striped(true)
        .show(ui, |ui| {
            for h in ["", "strict F1", "overlap F1", "κ", "α"] {
                ui.label(RichText::new(h).small().strong());
            }
            ui.end_row();
            for row in &figures.rows {
                ui.label(RichText::new(&row.pair).small());
                for v in [
                    row.scores.strict_f1,
                    row.scores.overlap_f1,
                    row.scores.kappa,
                    row.scores.alpha,
                ] {
                    ui.label(RichText::new(score(v)).small().monospace());
                }
                ui.end_row();
            }
        });
    ui.separator();
    let keys: Vec<String> = curation
        .analysts
        .iter()
        .enumerate()
        .filter_map(|(i, name)| analyst_key(i).map(|k| format!("{k} {name}")))
        .collect();
    ui.label(
        RichText::new(format!(
            "Keys: {} · U all · E edit · n / p next / previous",
            keys.join(" · ")
        ))
        .weak()
        .small(),
    );
    egui::ScrollArea::vertical()
        .id_salt("disagreements")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (i, d) in curation.disagreements.iter().enumerate() {
                disagreement_ui(ui, curation, i, d, i == current, project, commands);
            }
            if curation.disagreements.is_empty() {
                ui.label(RichText::new("The analysts agree on every span.").weak());
            }
        });
}

/// One disagreement: its text, every analyst's spans there, and the choices.
fn disagreement_ui(
    ui: &mut egui::Ui,
    curation: &Curation,
    i: usize,
    d: &crate::model::curation::Disagreement,
    here: bool,
    project: &Project,
    commands: &mut Vec<Command>,
) {
    let settled = Curation::is_settled(project, d);
    let frame = egui::Frame::new()
        .inner_margin(6.0)
        .corner_radius(4.0)
        .fill(if here {
            ui.visuals().selection.bg_fill.gamma_multiply(0.35)
        } else {
            Color32::TRANSPARENT
        });
    frame.show(ui, |ui| {
        let text = project.article().slice(d.range).unwrap_or_default();
        let title = RichText::new(format!(
            "{}{}",
            if settled { "✔ " } else { "" },
            visual_line(&excerpt(text, 60))
        ));
        let title = if settled {
            title.weak()
        } else {
            title.strong()
        };
        if ui
            .add(egui::Label::new(title).sense(egui::Sense::click()))
            .on_hover_text("Show it in the article")
            .clicked()
        {
            commands.push(Command::FocusDisagreement(i));
        }
        for (k, marks) in d.marks.iter().enumerate() {
            let name = curation.analysts.get(k).map_or("?", String::as_str);
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{name}:")).small());
                if marks.is_empty() {
                    ui.label(RichText::new("nothing").small().weak());
                }
                for m in marks {
                    let color = project
                        .labels()
                        .by_name(&m.label)
                        .and_then(|l| project.labels().get(l))
                        .map_or(Color32::GRAY, |l| color32(l.color));
                    let body = project.article().slice(m.range).unwrap_or_default();
                    ui.label(RichText::new(&m.label).small().color(color));
                    ui.label(RichText::new(visual_line(&excerpt(body, 40))).small());
                }
            });
        }
        ui.horizontal(|ui| {
            for (k, name) in curation.analysts.iter().enumerate() {
                let key = analyst_key(k)
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default();
                if ui.small_button(format!("Take {name}{key}")).clicked() {
                    commands.push(Command::FocusDisagreement(i));
                    commands.push(Command::Curate(Choice::Take(k)));
                }
            }
            if ui.small_button("All (U)").clicked() {
                commands.push(Command::FocusDisagreement(i));
                commands.push(Command::Curate(Choice::TakeAll));
            }
        });
    });
}
