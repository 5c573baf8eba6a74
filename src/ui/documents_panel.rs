//! The documents panel of a corpus: every document with its path, state and span counts per
//! label as small bars; sorted by name, progress or last edit; filtered by name and state.
//! Only the visible rows are built, so 10,000 documents cost what 20 do.

use egui::{Color32, RichText, Sense, pos2, vec2};

use crate::model::LabelSet;
use crate::model::corpus::{DocFilter, DocState, DocSummary, SortKey, view};
use crate::ui::command::Command;
use crate::ui::label_bar::color32;

/// Height of one row.
const ROW_HEIGHT: f32 = 38.0;

/// How the panel lists the documents (not saved).
#[derive(Default)]
pub struct DocsPanel {
    /// Which documents show.
    pub filter: DocFilter,
    /// In which order.
    pub sort: SortKey,
    /// Reversed.
    pub descending: bool,
    /// The positions shown, with the inputs they were computed from.
    order: Option<(u64, DocFilter, SortKey, bool, Vec<usize>)>,
    /// Scroll to the open document on the next frame.
    pub reveal: bool,
}

impl DocsPanel {
    /// The positions of the documents shown, in order; computed again only when the
    /// summaries (`revision`) or the filter or order changed.
    pub fn order(&mut self, docs: &[DocSummary], revision: u64) -> &[usize] {
        let stale = self
            .order
            .as_ref()
            .is_none_or(|(rev, filter, sort, desc, _)| {
                *rev != revision
                    || *filter != self.filter
                    || *sort != self.sort
                    || *desc != self.descending
            });
        if stale {
            let shown = view(docs, &self.filter, self.sort, self.descending);
            self.order = Some((
                revision,
                self.filter.clone(),
                self.sort,
                self.descending,
                shown,
            ));
        }
        self.order.as_ref().map_or(&[], |(.., v)| v.as_slice())
    }
}

/// What the panel shows, besides its own state.
pub struct DocsInputs<'a> {
    /// The corpus folder's name.
    pub name: &'a str,
    /// Every document's summary.
    pub docs: &'a [DocSummary],
    /// Bumped when a summary changes.
    pub revision: u64,
    /// The open document.
    pub current: Option<usize>,
    /// The corpus scheme (colours of the bars).
    pub scheme: &'a LabelSet,
}

/// Show the documents panel.
pub fn documents_panel_ui(
    ui: &mut egui::Ui,
    panel: &mut DocsPanel,
    inputs: &DocsInputs<'_>,
    commands: &mut Vec<Command>,
) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading("Documents");
        ui.label(RichText::new(inputs.name).weak());
    });
    let done = inputs
        .docs
        .iter()
        .filter(|d| d.state == DocState::Done)
        .count();
    ui.label(
        RichText::new(format!("{done} of {} done", inputs.docs.len()))
            .weak()
            .small(),
    );
    ui.add(
        egui::TextEdit::singleline(&mut panel.filter.name)
            .hint_text("Filter by name")
            .desired_width(f32::INFINITY),
    )
    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::SearchInput, true, "Filter documents"));
    ui.horizontal_wrapped(|ui| {
        let states = std::iter::once((None, "all"))
            .chain(DocState::ALL.iter().map(|s| (Some(*s), s.as_str())));
        for (state, name) in states {
            if ui
                .add(egui::Button::selectable(panel.filter.state == state, name).small())
                .clicked()
            {
                panel.filter.state = state;
            }
        }
    });
    ui.horizontal(|ui| {
        ui.label(RichText::new("Sort").weak().small());
        for (key, name) in [
            (SortKey::Name, "name"),
            (SortKey::Progress, "progress"),
            (SortKey::LastEdited, "last edited"),
        ] {
            if ui
                .add(egui::Button::selectable(panel.sort == key, name).small())
                .clicked()
            {
                if panel.sort == key {
                    panel.descending = !panel.descending;
                } else {
                    panel.sort = key;
                    panel.descending = false;
                }
            }
        }
    });
    ui.separator();
    let reveal = std::mem::take(&mut panel.reveal);
    let order = panel.order(inputs.docs, inputs.revision);
    if order.is_empty() {
        ui.label(RichText::new("No document matches the filter.").weak());
    }
    let spacing = ui.spacing().item_spacing.y;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("documents")
        .auto_shrink([false, false]);
    if reveal
        && let Some(row) = inputs
            .current
            .and_then(|c| order.iter().position(|&i| i == c))
    {
        let top = row as f32 * (ROW_HEIGHT + spacing);
        area = area.vertical_scroll_offset((top - 120.0).max(0.0));
    }
    area.show_rows(ui, ROW_HEIGHT, order.len(), |ui, range| {
        for &i in order.get(range).unwrap_or_default() {
            let Some(doc) = inputs.docs.get(i) else {
                continue;
            };
            row_ui(
                ui,
                doc,
                i,
                inputs.current == Some(i),
                inputs.scheme,
                commands,
            );
        }
    });
}

fn state_color(ui: &egui::Ui, state: DocState) -> Color32 {
    match state {
        DocState::NotStarted => ui.visuals().weak_text_color(),
        DocState::InProgress => ui.visuals().warn_fg_color,
        DocState::Done => Color32::from_rgb(0x3C, 0xB3, 0x71),
    }
}

fn row_ui(
    ui: &mut egui::Ui,
    doc: &DocSummary,
    i: usize,
    current: bool,
    scheme: &LabelSet,
    commands: &mut Vec<Command>,
) {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, ROW_HEIGHT), Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::selected(
            egui::Role::ListItem,
            true,
            current,
            if doc.suggested() > 0 {
                format!(
                    "{} ({}, {} suggested)",
                    doc.path,
                    doc.state.as_str(),
                    doc.suggested()
                )
            } else {
                format!("{} ({})", doc.path, doc.state.as_str())
            },
        )
    });
    if response.clicked() {
        commands.push(Command::OpenDoc(i));
    }
    if !ui.is_rect_visible(rect) {
        return;
    }
    let visuals = ui.visuals();
    let painter = ui.painter();
    if current {
        painter.rect_filled(rect, 4.0, visuals.selection.bg_fill.gamma_multiply(0.5));
    } else if response.hovered() {
        painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    painter.circle_filled(
        pos2(rect.min.x + 8.0, rect.min.y + 11.0),
        4.0,
        state_color(ui, doc.state),
    );
    let name = if doc.problem.is_some() {
        format!("⚠ {}", doc.path)
    } else {
        doc.path.clone()
    };
    painter.text(
        pos2(rect.min.x + 18.0, rect.min.y + 3.0),
        egui::Align2::LEFT_TOP,
        name,
        egui::FontId::proportional(13.5),
        visuals.text_color(),
    );
    // Span counts per label as small bars, in the scheme's colours; the counts in words
    // are in the hover text.
    let total: usize = doc.annotations().max(1);
    let bar_width = (width - 80.0).max(40.0);
    let mut x = rect.min.x + 18.0;
    let y = rect.min.y + 24.0;
    for count in &doc.counts {
        let w = bar_width * count.annotations as f32 / total.max(20) as f32;
        if w <= 0.0 {
            continue;
        }
        let color = scheme
            .by_name(&count.label)
            .and_then(|l| scheme.get(l))
            .map_or(Color32::GRAY, |l| color32(l.color));
        painter.rect_filled(
            egui::Rect::from_min_size(pos2(x, y), vec2(w, 6.0)),
            1.0,
            color,
        );
        x += w + 1.0;
    }
    painter.text(
        pos2(rect.max.x - 4.0, rect.min.y + 21.0),
        egui::Align2::RIGHT_TOP,
        if doc.suggested() > 0 {
            format!("{} (+{} suggested)", doc.annotations(), doc.suggested())
        } else {
            doc.annotations().to_string()
        },
        egui::FontId::proportional(11.5),
        visuals.weak_text_color(),
    );
    response.on_hover_ui(|ui| {
        ui.label(RichText::new(&doc.path).strong());
        ui.label(doc.state.as_str());
        for count in &doc.counts {
            ui.label(format!("{} {}", count.label, count.annotations));
        }
        if let Some(problem) = &doc.problem {
            ui.label(RichText::new(problem).color(ui.visuals().warn_fg_color));
        }
    });
}
