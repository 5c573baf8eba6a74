//! The corpus dashboard: documents done of total, spans per label across the corpus (with
//! suggestions apart), the per-document distribution as a bar chart, and the least and most
//! annotated documents. Clicking a bar or a name opens that document.

use egui::RichText;
use egui_plot::{Bar, BarChart, Plot};

use crate::model::LabelSet;
use crate::model::corpus::{CorpusTotals, DocSummary};
use crate::ui::command::Command;
use crate::ui::label_bar::color32;

/// How many documents the least and most annotated lists name.
const EXTREMES: usize = 5;

/// What the dashboard shows that takes a pass over every document: computed once per change
/// of the corpus (see [`DashboardFigures::of`]), not every frame.
#[derive(Clone, Debug, Default)]
pub struct DashboardFigures {
    /// The corpus totals.
    pub totals: CorpusTotals,
    /// `(document, annotations)`, most annotated first (ties by position).
    pub ranked: Vec<(usize, usize)>,
}

impl DashboardFigures {
    /// The figures of `docs`.
    #[must_use]
    pub fn of(totals: CorpusTotals, docs: &[DocSummary]) -> Self {
        let mut ranked: Vec<(usize, usize)> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (i, d.annotations()))
            .collect();
        ranked.sort_by_key(|&(i, n)| (std::cmp::Reverse(n), i));
        Self { totals, ranked }
    }
}

/// Show the dashboard window; `open` is cleared when it is closed.
pub fn dashboard_ui(
    ctx: &egui::Context,
    open: &mut bool,
    figures: &DashboardFigures,
    docs: &[DocSummary],
    scheme: &LabelSet,
    commands: &mut Vec<Command>,
) {
    egui::Window::new("Corpus dashboard")
        .open(open)
        .default_size([640.0, 520.0])
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.heading(format!(
                    "{} of {} documents done",
                    figures.totals.done, figures.totals.documents
                ));
            });
            ui.label(
                RichText::new(format!(
                    "{} in progress · {} annotated · {} with problems · {} of {} chars covered",
                    figures.totals.in_progress,
                    figures.totals.annotated,
                    figures.totals.with_problems,
                    figures.totals.covered_chars,
                    figures.totals.chars
                ))
                .weak(),
            );
            ui.add_space(4.0);
            egui::Grid::new("dashboard_labels")
                .striped(true)
                .show(ui, |ui| {
                    ui.label(RichText::new("label").strong());
                    ui.label(RichText::new("spans").strong());
                    ui.label(RichText::new("suggested").strong());
                    ui.end_row();
                    for count in &figures.totals.spans {
                        let color = scheme
                            .by_name(&count.label)
                            .and_then(|l| scheme.get(l))
                            .map_or(ui.visuals().text_color(), |l| color32(l.color));
                        ui.label(RichText::new(&count.label).color(color));
                        ui.label(count.annotations.to_string());
                        ui.label(RichText::new(count.suggested.to_string()).weak());
                        ui.end_row();
                    }
                });
            ui.separator();
            // Documents by number of annotations, most first: one bar each.
            let ranked = &figures.ranked;
            let bars: Vec<Bar> = ranked
                .iter()
                .enumerate()
                .map(|(x, &(i, n))| {
                    let name = docs.get(i).map_or("", |d| d.path.as_str());
                    Bar::new(x as f64, n as f64).name(name).width(0.9)
                })
                .collect();
            ui.label(RichText::new("Spans per document (click a bar to open it)").weak());
            let plot = Plot::new("per_document")
                .height(180.0)
                .allow_scroll(false)
                .show_x(false)
                .x_axis_label("documents, most annotated first")
                .y_axis_label("spans")
                .include_x(-0.5)
                .include_x(ranked.len() as f64 - 0.5)
                .show(ui, |plot_ui| {
                    plot_ui.bar_chart(BarChart::new("spans", bars));
                    plot_ui.pointer_coordinate()
                });
            if plot.response.clicked()
                && let Some(at) = plot.inner
                && at.x >= -0.5
            {
                let x = at.x.round() as usize;
                if let Some(&(i, _)) = ranked.get(x) {
                    commands.push(Command::OpenDoc(i));
                }
            }
            ui.columns(2, |columns| {
                let lists = [
                    (
                        "Least annotated",
                        ranked.iter().rev().take(EXTREMES).collect::<Vec<_>>(),
                    ),
                    ("Most annotated", ranked.iter().take(EXTREMES).collect()),
                ];
                for (column, (title, list)) in columns.iter_mut().zip(lists) {
                    column.label(RichText::new(title).strong());
                    for &&(i, n) in &list {
                        let name = docs.get(i).map_or("", |d| d.path.as_str());
                        if column.link(format!("{name} ({n})")).clicked() {
                            commands.push(Command::OpenDoc(i));
                        }
                    }
                }
            });
        });
}
