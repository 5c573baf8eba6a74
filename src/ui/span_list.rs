//! The review panel: every span in document order, filterable by label and searchable over
//! text and notes, plus the selected span's details and the orphans.
//!
//! Only the visible rows are drawn (`ScrollArea::show_rows`), and the filtered row list is
//! recomputed only when the spans or the filter change, so the panel costs the same for 50
//! spans as for 50 000.

use std::collections::{BTreeSet, HashMap};

use egui::{Color32, RichText, Sense, pos2, vec2};

use crate::model::merge::{Choice as MergeChoice, ConflictSide, conflict_of};
use crate::model::text::excerpt;
use crate::model::{CharRange, LabelId, Project, Span, SpanId, Status};
use crate::ui::bidi::visual_line;
use crate::ui::command::Command;
use crate::ui::label_bar::color32;

/// Height of one row in the list.
const ROW_HEIGHT: f32 = 44.0;

/// Which spans the review list shows, besides the label filter and the search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Only {
    /// Every span (but rejected suggestions).
    #[default]
    All,
    /// Spans that need review.
    NeedsReview,
    /// Suggestions: the review queue.
    Suggestions,
    /// Spans a git merge left in conflict.
    Conflicts,
}

impl Only {
    fn admits(self, span: &Span) -> bool {
        match self {
            Self::All => true,
            Self::NeedsReview => span.status == Status::NeedsReview,
            Self::Suggestions => span.status == Status::Suggested,
            Self::Conflicts => conflict_of(span).is_some(),
        }
    }
}

/// Filter and search of the review panel (not saved).
#[derive(Default)]
pub struct ReviewState {
    /// Text searched for in span text and notes (case-insensitive).
    pub query: String,
    /// Labels whose spans are hidden.
    pub hidden: BTreeSet<LabelId>,
    /// Show only spans of one kind (or all).
    pub only: Only,
    /// Spans that carry a merge-conflict marker, for the span revision it was counted at.
    conflict_count: Option<(u64, usize)>,
    cache: Option<RowCache>,
    /// Scroll the list to the selected row on the next frame.
    pub reveal_selected: bool,
    /// Where the last deleted span was (its sort key): `n` and `p` go on from there.
    resume: Option<(usize, usize, LabelId, SpanId)>,
}

/// The filtered rows and the inputs they were computed from.
struct RowCache {
    revision: u64,
    query: String,
    hidden: BTreeSet<LabelId>,
    only: Only,
    generation: u64,
    rows: Vec<usize>,
}

impl RowCache {
    /// Compared field by field, so that a frame with an unchanged filter clones nothing.
    fn is_for(&self, state: &ReviewState, revision: u64, generation: u64) -> bool {
        self.revision == revision
            && self.generation == generation
            && self.only == state.only
            && self.query == state.query
            && self.hidden == state.hidden
    }
}

impl ReviewState {
    /// The labels whose spans are hidden (not listed, not highlighted in the article).
    #[must_use]
    pub fn hidden_labels(&self, project: &Project) -> Vec<LabelId> {
        project
            .labels()
            .iter()
            .map(|(id, _)| id)
            .filter(|id| self.hidden.contains(id))
            .collect()
    }

    /// Show only `label`'s spans; showing only it already, show all again.
    pub fn solo(&mut self, project: &Project, label: LabelId) {
        let others: BTreeSet<LabelId> = project
            .labels()
            .iter()
            .map(|(id, _)| id)
            .filter(|&id| id != label)
            .collect();
        // Soloed already (ignoring the label itself, which the double-click's first
        // click may just have hidden): show all again.
        let hidden_others: BTreeSet<LabelId> = self
            .hidden
            .iter()
            .copied()
            .filter(|&h| h != label)
            .collect();
        if hidden_others == others {
            self.hidden.clear();
        } else {
            self.hidden = others;
        }
    }

    /// How many spans carry a merge-conflict marker (counted again only when spans change).
    pub fn conflict_count(&mut self, project: &Project) -> usize {
        let revision = project.spans().revision();
        match self.conflict_count {
            Some((r, n)) if r == revision => n,
            _ => {
                let n = project
                    .spans()
                    .iter()
                    .filter(|s| s.status == Status::NeedsReview && conflict_of(s).is_some())
                    .count();
                self.conflict_count = Some((revision, n));
                n
            }
        }
    }

    /// The span with this sort key was deleted: stepping goes on from its place.
    pub fn resume_after(&mut self, key: (usize, usize, LabelId, SpanId)) {
        self.resume = Some(key);
    }

    /// A label was deleted: forget it in the filter.
    pub fn forget_label(&mut self, label: LabelId) {
        self.hidden.remove(&label);
    }

    /// Positions (in document order) of the spans that pass the filter; recomputed only when
    /// the spans, the filter or the article change.
    pub fn rows(&mut self, project: &Project, generation: u64) -> &[usize] {
        let revision = project.spans().revision();
        if self
            .cache
            .as_ref()
            .is_none_or(|c| !c.is_for(self, revision, generation))
        {
            let needle = self.query.to_lowercase();
            let rows = project
                .spans()
                .iter()
                .enumerate()
                .filter(|(_, s)| !self.hidden.contains(&s.label) && s.status != Status::Rejected)
                .filter(|(_, s)| self.only.admits(s))
                .filter(|(_, s)| {
                    needle.is_empty()
                        || s.note.to_lowercase().contains(&needle)
                        || project.span_text(s).to_lowercase().contains(&needle)
                })
                .map(|(i, _)| i)
                .collect();
            self.cache = Some(RowCache {
                revision,
                query: self.query.clone(),
                hidden: self.hidden.clone(),
                only: self.only,
                generation,
                rows,
            });
        }
        self.cache.as_ref().map_or(&[], |c| c.rows.as_slice())
    }

    /// The span `step` rows after (or before, if negative) `from` in the filtered list; the
    /// first (or last) row when nothing is selected.
    pub fn step(
        &mut self,
        project: &Project,
        generation: u64,
        from: Option<SpanId>,
        step: isize,
    ) -> Option<SpanId> {
        let current = from.and_then(|id| project.spans().index_of(id));
        // With nothing selected after a delete, go on from where the deleted span was.
        let resume = if current.is_none() {
            self.resume.take()
        } else {
            self.resume = None;
            None
        };
        let rows = self.rows(project, generation);
        if rows.is_empty() {
            return None;
        }
        let spans = project.spans();
        let next = match (current, resume) {
            (None, Some(key)) => {
                let pos =
                    rows.partition_point(|&r| spans.at(r).is_some_and(|s| s.sort_key() < key));
                if step >= 0 {
                    (pos + step.unsigned_abs() - 1).min(rows.len() - 1)
                } else {
                    pos.saturating_sub(step.unsigned_abs())
                }
            }
            (None, None) if step >= 0 => 0,
            (None, None) => rows.len() - 1,
            (Some(at), _) => {
                // Position of the current span among the rows, or where it would be.
                let pos = rows.partition_point(|&r| r < at);
                let on_row = rows.get(pos) == Some(&at);
                if step >= 0 {
                    let base = if on_row {
                        pos + step.unsigned_abs()
                    } else {
                        pos
                    };
                    base.min(rows.len() - 1)
                } else {
                    pos.saturating_sub(step.unsigned_abs())
                }
            }
        };
        rows.get(next).and_then(|&i| spans.at(i)).map(|s| s.id)
    }
}

/// What the review panel shows, besides its own state.
pub struct ReviewInputs<'a> {
    /// The project.
    pub project: &'a Project,
    /// Its article's generation (the row cache keys on it).
    pub generation: u64,
    /// The selected span.
    pub selected: Option<SpanId>,
    /// The text selection in the article, for placing orphans.
    pub selection: Option<CharRange>,
    /// The text each re-anchored, flagged span had before.
    pub flagged_was: &'a HashMap<SpanId, String>,
}

/// Show the review panel.
pub fn review_panel_ui(
    ui: &mut egui::Ui,
    state: &mut ReviewState,
    inputs: &ReviewInputs<'_>,
    commands: &mut Vec<Command>,
) {
    let ReviewInputs {
        project,
        generation,
        selected,
        selection,
        flagged_was,
    } = *inputs;
    ui.add_space(4.0);
    ui.heading("Review");
    ui.add_space(2.0);
    filters_ui(ui, state, project);
    ui.separator();

    if !project.orphans().is_empty() {
        orphans_ui(ui, project, selection, commands);
        ui.separator();
    }

    // The details of the selected span sit at the bottom; the list takes the rest.
    let details_height = if selected.is_some() { 290.0 } else { 0.0 };
    let list_height = (ui.available_height() - details_height).max(ROW_HEIGHT * 2.0);
    let reveal = std::mem::take(&mut state.reveal_selected);
    let selected_index = selected.and_then(|id| project.spans().index_of(id));
    // Borrowed, not copied: with 50 000 spans a copy per frame is measurable.
    let rows = state.rows(project, generation);
    if rows.is_empty() {
        ui.label(
            RichText::new(if project.spans().is_empty() {
                "No spans yet. Select text in the article and press 1, 2 or 3."
            } else {
                "No span matches the filter."
            })
            .weak(),
        );
    }
    let spacing = ui.spacing().item_spacing.y;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("review_rows")
        .max_height(list_height)
        .auto_shrink([false, true]);
    if reveal
        && let Some(at) = selected_index
        && let Ok(row) = rows.binary_search(&at)
    {
        let top = row as f32 * (ROW_HEIGHT + spacing);
        area = area.vertical_scroll_offset((top - list_height / 3.0).max(0.0));
    }
    area.show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
        for &i in rows.get(range).unwrap_or_default() {
            let Some(span) = project.spans().at(i) else {
                continue;
            };
            row_ui(ui, project, span, selected == Some(span.id), commands);
        }
    });

    if let Some(span) = selected.and_then(|id| project.spans().get(id)) {
        ui.separator();
        details_ui(ui, project, span, flagged_was.get(&span.id), commands);
    }
}

fn filters_ui(ui: &mut egui::Ui, state: &mut ReviewState, project: &Project) {
    ui.horizontal_wrapped(|ui| {
        for (id, label) in project.labels().iter() {
            let shown = !state.hidden.contains(&id);
            let text = RichText::new(format!("{} {}", label.name, project.spans().count(id)))
                .color(if shown {
                    color32(label.color)
                } else {
                    ui.visuals().weak_text_color()
                });
            let response = ui
                .add(egui::Button::selectable(shown, text))
                .on_hover_text(format!(
                    "Click: show or hide {} spans · Double-click: show only them",
                    label.name
                ));
            if response.double_clicked() {
                state.solo(project, id);
            } else if response.clicked() {
                if shown {
                    state.hidden.insert(id);
                } else {
                    state.hidden.remove(&id);
                }
            }
        }
        let counts = [
            (
                Only::NeedsReview,
                project.spans().needs_review_count(),
                "Needs review",
                "Spans placed on changed text: check and accept them",
            ),
            (
                Only::Suggestions,
                project.spans().status_count(Status::Suggested),
                "Suggestions",
                "The review queue: Enter or A accepts, X rejects, a label key relabels",
            ),
            (
                Only::Conflicts,
                state.conflict_count(project),
                "Merge conflicts",
                "Spans a git merge left in two versions: keep one with one click",
            ),
        ];
        for (only, n, name, hint) in counts {
            let on = state.only == only;
            if (n > 0 || on)
                && ui
                    .add(egui::Button::selectable(on, format!("{name} ({n})")))
                    .on_hover_text(hint)
                    .clicked()
            {
                state.only = if on { Only::All } else { only };
            }
        }
    });
    ui.add(
        egui::TextEdit::singleline(&mut state.query)
            .hint_text("Search span text and notes")
            .desired_width(f32::INFINITY),
    )
    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::SearchInput, true, "Search spans"));
}

fn row_ui(
    ui: &mut egui::Ui,
    project: &Project,
    span: &Span,
    is_selected: bool,
    commands: &mut Vec<Command>,
) {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, ROW_HEIGHT), Sense::click());
    let label = project.labels().name(span.label);
    let text = project.span_text(span);
    // Built only when egui asks (a screen reader is on, or the row gained focus).
    response.widget_info(|| {
        let accessible = format!("{label}: {}", excerpt(text, 60));
        egui::WidgetInfo::selected(egui::Role::ListItem, true, is_selected, accessible)
    });
    if response.clicked() {
        commands.push(Command::SelectSpan {
            id: Some(span.id),
            scroll: true,
        });
    }
    if !ui.is_rect_visible(rect) {
        return;
    }
    let visuals = ui.visuals();
    let painter = ui.painter();
    if is_selected {
        painter.rect_filled(rect, 4.0, visuals.selection.bg_fill.gamma_multiply(0.5));
    } else if response.hovered() {
        painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let color = project
        .labels()
        .get(span.label)
        .map_or(Color32::GRAY, |l| color32(l.color));
    painter.rect_filled(
        egui::Rect::from_min_size(rect.min + vec2(2.0, 5.0), vec2(4.0, ROW_HEIGHT - 10.0)),
        2.0,
        color,
    );
    let max_chars = ((width - 20.0) / 7.0).max(10.0) as usize;
    let first = format!(
        "{label}{}  {}",
        match span.status {
            Status::NeedsReview => " ⚠",
            Status::Suggested => " (suggested)",
            _ => "",
        },
        visual_line(&excerpt(text, max_chars))
    );
    // Cut to the row's width with an ellipsis (the char budget above is only an estimate:
    // wide scripts and a long label name would run past the panel's edge).
    let one_line = |text: String, size: f32, color: Color32| {
        let mut job =
            egui::text::LayoutJob::simple_singleline(text, egui::FontId::proportional(size), color);
        job.wrap = egui::text::TextWrapping::truncate_at_width((rect.width() - 16.0).max(20.0));
        painter.layout_job(job)
    };
    let text_color = visuals.text_color();
    painter.galley(
        pos2(rect.min.x + 12.0, rect.min.y + 4.0),
        one_line(first, 14.0, text_color),
        text_color,
    );
    let second = if span.note.is_empty() {
        format!("{}–{}", span.range.start(), span.range.end())
    } else {
        format!("Note: {}", excerpt(&span.note, max_chars))
    };
    let weak = visuals.weak_text_color();
    painter.galley(
        pos2(rect.min.x + 12.0, rect.min.y + 24.0),
        one_line(second, 12.5, weak),
        weak,
    );
}

#[expect(
    clippy::too_many_lines,
    reason = "the selected span's details, top to bottom: label, bounds, text, note, actions"
)]
fn details_ui(
    ui: &mut egui::Ui,
    project: &Project,
    span: &Span,
    was: Option<&String>,
    commands: &mut Vec<Command>,
) {
    let label = project.labels().get(span.label);
    ui.horizontal(|ui| {
        if let Some(l) = label {
            ui.label(RichText::new(&l.name).strong().color(color32(l.color)));
        }
        ui.label(
            RichText::new(format!(
                "chars {}–{} ({})",
                span.range.start(),
                span.range.end(),
                span.range.len()
            ))
            .weak(),
        );
        if span.status == Status::NeedsReview {
            ui.label(RichText::new("needs review").color(ui.visuals().warn_fg_color));
            if ui
                .button("Accept")
                .on_hover_text("Mark this span as confirmed")
                .clicked()
            {
                commands.push(Command::SetStatus(span.id, Status::Confirmed));
            }
        }
        if span.status == Status::Suggested {
            ui.label(RichText::new("suggested").weak());
            if ui
                .button("Accept")
                .on_hover_text("Accept (Enter or A)")
                .clicked()
            {
                commands.push(Command::Decide { accept: true });
            }
            if ui
                .button("Reject")
                .on_hover_text("Reject (X or Backspace)")
                .clicked()
            {
                commands.push(Command::Decide { accept: false });
            }
        }
    });
    if let Some(tag) = conflict_of(span) {
        conflict_ui(ui, span, tag.number, tag.side, commands);
    }
    // Nudge the span's bounds one char at a time (each step is an undoable resize).
    ui.horizontal(|ui| {
        ui.label(RichText::new("Bounds").weak());
        let (start, end) = (span.range.start().0, span.range.end().0);
        let len = project.article().char_len();
        let nudges = [
            (
                "Start -1",
                "Start one char earlier",
                start.checked_sub(1).map(|s| (s, end)),
            ),
            (
                "Start +1",
                "Start one char later",
                (start + 1 < end).then_some((start + 1, end)),
            ),
            (
                "End -1",
                "End one char earlier",
                (end > start + 1).then(|| (start, end - 1)),
            ),
            (
                "End +1",
                "End one char later",
                (end < len).then_some((start, end + 1)),
            ),
        ];
        for (text, hint, range) in nudges {
            let range = range.and_then(|(a, b)| CharRange::new(a, b));
            if ui
                .add_enabled(range.is_some(), egui::Button::new(text).small())
                .on_hover_text(hint)
                .clicked()
                && let Some(range) = range
            {
                commands.push(Command::ResizeSpan(span.id, range));
            }
        }
    });
    egui::ScrollArea::vertical()
        .id_salt("span_text")
        .max_height(60.0)
        .show(ui, |ui| {
            if let Some(was) = was {
                // Re-anchored onto changed text: show what it said before and now.
                ui.label(RichText::new(format!("Was: {}", visual_line(&excerpt(was, 300)))).weak());
                ui.label(
                    RichText::new(format!(
                        "Now: {}",
                        visual_line(&excerpt(project.span_text(span), 300))
                    ))
                    .italics(),
                );
            } else {
                ui.label(
                    RichText::new(visual_line(&excerpt(project.span_text(span), 600))).italics(),
                );
            }
        });
    ui.label("Note");
    let mut note = span.note.clone();
    // A long note scrolls inside a bounded box, so it never pushes itself (or the buttons
    // below it) out of the panel.
    let response = egui::ScrollArea::vertical()
        .id_salt(("note_scroll", span.id.0))
        .max_height(110.0)
        .show(ui, |ui| {
            ui.add(
                egui::TextEdit::multiline(&mut note)
                    .id_salt(("note", span.id.0))
                    .hint_text("Add a note for this span")
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
        })
        .inner;
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::MultilineTextInput, true, "Note"));
    if response.changed() {
        commands.push(Command::SetNote(span.id, note));
    }
    ui.horizontal(|ui| {
        if ui
            .button("Delete span")
            .on_hover_text("Delete (Del)")
            .clicked()
        {
            commands.push(Command::DeleteSelected);
        }
        ui.label(RichText::new("n / p: next / previous").weak());
    });
}

fn orphans_ui(
    ui: &mut egui::Ui,
    project: &Project,
    selection: Option<CharRange>,
    commands: &mut Vec<Command>,
) {
    egui::CollapsingHeader::new(RichText::new(format!("⚠ Orphans ({})", project.orphans().len())).color(ui.visuals().warn_fg_color))
        .id_salt("orphans")
        .default_open(true)
        .show(ui, |ui| {
            ui.label(RichText::new("Spans that could not be placed in this text. Select where one belongs and press Place, or delete it.").weak());
            egui::ScrollArea::vertical().id_salt("orphan_rows").max_height(160.0).show(ui, |ui| {
                for orphan in project.orphans() {
                    ui.group(|ui| {
                        ui.label(RichText::new(format!("{}: “{}”", orphan.label, excerpt(&orphan.text, 60))).strong());
                        ui.label(RichText::new(&orphan.reason).weak().small());
                        ui.horizontal(|ui| {
                            let place = ui
                                .add_enabled(selection.is_some(), egui::Button::new("Place at selection"))
                                .on_disabled_hover_text("Select the text this span belongs to first");
                            if place.clicked()
                                && let Some(range) = selection
                            {
                                commands.push(Command::PlaceOrphan(orphan.id, range));
                            }
                            if let Some(candidate) = orphan.candidate {
                                let there = project.article().slice(candidate).unwrap_or_default();
                                if ui
                                    .button("Place there")
                                    .on_hover_text(format!("Place it on “{}”, where it was", excerpt(there, 80)))
                                    .clicked()
                                {
                                    commands.push(Command::PlaceOrphan(orphan.id, candidate));
                                }
                            }
                            if ui.button("Delete").clicked() {
                                commands.push(Command::DeleteOrphan(orphan.id));
                            }
                        });
                    });
                }
            });
        });
}

/// What a merge left on this span, and the one-click ways to settle the conflict.
fn conflict_ui(
    ui: &mut egui::Ui,
    span: &Span,
    number: u32,
    side: ConflictSide,
    commands: &mut Vec<Command>,
) {
    let what = span.note.lines().next().unwrap_or_default();
    ui.add(
        egui::Label::new(
            RichText::new(what)
                .color(ui.visuals().warn_fg_color)
                .small(),
        )
        .wrap(),
    );
    let choices: &[(&str, MergeChoice)] = match side {
        ConflictSide::Both => &[
            ("Keep ours", MergeChoice::Ours),
            ("Keep theirs", MergeChoice::Theirs),
            ("Delete", MergeChoice::Delete),
        ],
        ConflictSide::Ours | ConflictSide::Theirs => &[
            ("Keep ours", MergeChoice::Ours),
            ("Keep theirs", MergeChoice::Theirs),
            ("Keep both", MergeChoice::Keep),
            ("Delete", MergeChoice::Delete),
        ],
    };
    ui.horizontal(|ui| {
        for (text, choice) in choices {
            if ui.small_button(*text).clicked() {
                commands.push(Command::ResolveConflict(number, *choice));
            }
        }
    });
}
