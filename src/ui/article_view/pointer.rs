//! The pointer in the article: selecting by drag (snapping to whole words unless Alt is
//! held), double-click and Shift+click, clicking spans (again: the enclosing one), dragging
//! the selected span's start and end handles, and the right-click menu.

use egui::{CursorIcon, Pos2, Rect, pos2};

use super::{ArticleViewState, Drag, Selection};
use crate::model::{CharOffset, CharRange, Project, SpanId, Status};
use crate::ui::command::Command;

/// How close (in points) the pointer must be to a handle to grab it.
const HANDLE_REACH: f32 = 7.0;

/// Screen positions of the selected span's start and end handles (the caret line's top at
/// its first char, the bottom at its last), where painted.
pub(super) fn handles(
    state: &ArticleViewState,
    project: &Project,
    selected: Option<SpanId>,
) -> Option<(Option<Pos2>, Option<Pos2>)> {
    let span = selected.and_then(|id| project.spans().get(id))?;
    let start = state
        .char_rect(project, span.range.start())
        .map(|r| r.left_top());
    let end = state
        .char_rect(project, span.range.end())
        .map(|r| r.left_bottom());
    Some((start, end))
}

fn near(a: Option<Pos2>, b: Pos2) -> bool {
    a.is_some_and(|a| a.distance(b) <= HANDLE_REACH)
}

/// The span a click at `at` selects: the innermost span there, or, when a span there is
/// already selected, the next one enclosing it (and round again to the innermost).
fn span_to_select(project: &Project, at: CharOffset, selected: Option<SpanId>) -> Option<SpanId> {
    let probe = CharRange::at(at, 1);
    let mut here: Vec<_> = project
        .spans()
        .overlapping(probe)
        .into_iter()
        .filter(|s| s.status != Status::Rejected)
        .collect();
    here.sort_by_key(|s| (s.range.len(), std::cmp::Reverse(s.range.start())));
    let next = selected
        .and_then(|id| here.iter().position(|s| s.id == id))
        .map_or(0, |i| (i + 1) % here.len().max(1));
    here.get(next).map(|s| s.id)
}

pub(super) fn handle_pointer(
    ui: &egui::Ui,
    state: &mut ArticleViewState,
    project: &Project,
    selected: Option<SpanId>,
    response: &egui::Response,
    clip: Rect,
    commands: &mut Vec<Command>,
) {
    let Some(pos) = response
        .interact_pointer_pos()
        .or_else(|| response.hover_pos())
    else {
        return;
    };
    let handle_pos = handles(state, project, selected);
    let on_handle = handle_pos.is_some_and(|(s, e)| near(s, pos) || near(e, pos));
    if response.hovered() {
        ui.ctx().set_cursor_icon(
            if on_handle || matches!(state.drag, Some(Drag::Handle { .. })) {
                CursorIcon::ResizeHorizontal
            } else {
                CursorIcon::Text
            },
        );
    }
    // Modifiers as held now, or as they were when this frame's button event happened.
    let (shift, alt, pressed) = ui.input(|i| {
        let mut m = i.modifiers;
        let mut pressed = None;
        for e in &i.events {
            if let egui::Event::PointerButton {
                modifiers,
                pressed: down,
                ..
            } = e
            {
                m |= *modifiers;
                if *down {
                    pressed = Some(modifiers.alt || i.modifiers.alt);
                }
            }
        }
        (m.shift, m.alt, pressed)
    });
    // Alt counts as it was when the button went down (the drag is recognised later).
    if let Some(alt_down) = pressed {
        state.press_alt = alt_down;
    }
    let hit = state.offset_at(project, pos);
    let article = project.article();

    if response.double_clicked() {
        if let Some(at) = hit {
            let word = article.word_at(at);
            state.selection = Some(Selection {
                anchor: word.start(),
                head: word.end(),
            });
            state.word_anchor = Some(word);
        }
        return;
    }
    if response.drag_started() {
        let origin = ui.input(|i| i.pointer.press_origin()).unwrap_or(pos);
        start_drag(state, project, selected, origin, (shift, alt), commands);
    }
    if response.dragged() && state.drag.is_some() {
        // Past the top or bottom edge, scroll along so a selection can span screens.
        let edge = if pos.y < clip.min.y + 8.0 {
            Some(-(clip.min.y + 8.0 - pos.y).min(60.0))
        } else if pos.y > clip.max.y - 8.0 {
            Some((pos.y - clip.max.y + 8.0).min(60.0))
        } else {
            None
        };
        if let Some(delta) = edge {
            state.anchor.dy += f64::from(delta);
            ui.ctx().request_repaint();
        }
        let clamped = pos2(pos.x, pos.y.clamp(clip.min.y + 1.0, clip.max.y - 1.0));
        let at = state.offset_at(project, clamped);
        match (&mut state.drag, at) {
            (Some(Drag::Handle { at: handle, .. }), Some(at)) => *handle = at,
            (Some(Drag::Select { .. }), Some(at)) => {
                if let Some(sel) = state.selection.as_mut() {
                    sel.head = at;
                }
            }
            _ => {}
        }
    }
    if response.drag_stopped() {
        finish_drag(state, project, commands);
    }
    if response.clicked() {
        click(state, project, selected, hit, shift, commands);
    }
}

/// A drag began at `origin` (where the button went down; the drag is recognised only after
/// the pointer moved a little): grab a handle of the selected span, or start selecting.
fn start_drag(
    state: &mut ArticleViewState,
    project: &Project,
    selected: Option<SpanId>,
    origin: Pos2,
    (shift, alt): (bool, bool),
    commands: &mut Vec<Command>,
) {
    if let (Some((start, end)), Some(id)) = (handles(state, project, selected), selected)
        && (near(start, origin) || near(end, origin))
        && let Some(span) = project.spans().get(id)
    {
        let end = near(end, origin) && !near(start, origin);
        let at = if end {
            span.range.end()
        } else {
            span.range.start()
        };
        state.drag = Some(Drag::Handle { span: id, end, at });
        return;
    }
    state.drag = Some(Drag::Select {
        precise: alt || state.press_alt,
    });
    state.word_anchor = None;
    // A new selection replaces the selected span as what a label key acts on.
    commands.push(Command::SelectSpan {
        id: None,
        scroll: false,
    });
    if let Some(at) = state.offset_at(project, origin) {
        match (shift, state.selection) {
            (true, Some(sel)) => state.selection = Some(Selection { head: at, ..sel }),
            _ => {
                state.selection = Some(Selection {
                    anchor: at,
                    head: at,
                });
            }
        }
    }
}

/// The button went up: a handle drag resizes its span; a text drag snaps to words.
fn finish_drag(state: &mut ArticleViewState, project: &Project, commands: &mut Vec<Command>) {
    match state.drag.take() {
        Some(Drag::Handle { span, end, at }) => {
            if let Some(s) = project.spans().get(span) {
                let range = if end {
                    s.range.with_end(at)
                } else {
                    s.range.with_start(at)
                };
                let range = project.article().trim_range(range);
                if range != s.range && !range.is_empty() {
                    commands.push(Command::ResizeSpan(span, range));
                }
            }
        }
        Some(Drag::Select { precise: false }) => {
            let Some(sel) = state.selection.filter(|s| !s.range().is_empty()) else {
                return;
            };
            // Whole words at each end that lies inside a word, keeping the drag's direction.
            let snapped = project.article().snap_to_words(sel.range());
            state.selection = Some(if sel.head < sel.anchor {
                Selection {
                    anchor: snapped.end(),
                    head: snapped.start(),
                }
            } else {
                Selection {
                    anchor: snapped.start(),
                    head: snapped.end(),
                }
            });
        }
        Some(Drag::Select { precise: true }) | None => {}
    }
}

fn click(
    state: &mut ArticleViewState,
    project: &Project,
    selected: Option<SpanId>,
    hit: Option<CharOffset>,
    shift: bool,
    commands: &mut Vec<Command>,
) {
    let article = project.article();
    if shift {
        if let (Some(at), Some(word)) = (hit, state.word_anchor) {
            // After a double-click, Shift+click extends by whole words from that word.
            let to = article.word_at(at);
            state.selection = Some(if to.start() >= word.start() {
                Selection {
                    anchor: word.start(),
                    head: to.end(),
                }
            } else {
                Selection {
                    anchor: word.end(),
                    head: to.start(),
                }
            });
            return;
        }
        if let (Some(at), Some(sel)) = (hit, state.selection.as_mut()) {
            sel.head = at;
            return;
        }
        if let Some(at) = hit {
            state.selection = Some(Selection {
                anchor: at,
                head: at,
            });
            return;
        }
    }
    state.word_anchor = None;
    // A plain click leaves a caret (an empty selection) where it landed, so that a
    // Shift+click can extend from there; empty selections are neither painted nor tagged.
    state.selection = hit.map(|at| Selection {
        anchor: at,
        head: at,
    });
    let span = hit.and_then(|at| span_to_select(project, at, selected));
    commands.push(Command::SelectSpan {
        id: span,
        scroll: false,
    });
}

/// Right-click on a span: select it and offer what can be done with it.
pub(super) fn context_menu(
    state: &ArticleViewState,
    project: &Project,
    selected: Option<SpanId>,
    response: &egui::Response,
    commands: &mut Vec<Command>,
) {
    if response.secondary_clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        let span = state
            .offset_at(project, pos)
            .and_then(|at| span_to_select(project, at, None));
        commands.push(Command::SelectSpan {
            id: span,
            scroll: false,
        });
    }
    let selection = state
        .selection
        .map(Selection::range)
        .filter(|r| !r.is_empty());
    response.context_menu(|ui| span_menu_ui(ui, project, selected, selection, commands));
}

/// The context menu of the selected span: relabel, accept, copy, set bounds, delete.
fn span_menu_ui(
    ui: &mut egui::Ui,
    project: &Project,
    selected: Option<SpanId>,
    selection: Option<CharRange>,
    commands: &mut Vec<Command>,
) {
    let Some(span) = selected.and_then(|id| project.spans().get(id)) else {
        ui.label("Right-click a tagged span for its actions");
        return;
    };
    ui.set_min_width(180.0);
    for (id, label) in project.labels().iter() {
        let text = match label.key {
            Some(k) => format!("{} ({k})", label.name),
            None => label.name.clone(),
        };
        if ui
            .add_enabled(id != span.label, egui::Button::new(text))
            .clicked()
        {
            commands.push(Command::ApplyLabel(id));
            ui.close();
        }
    }
    ui.separator();
    let accept = match span.status {
        Status::NeedsReview => Some("Accept placement"),
        Status::Suggested => Some("Accept suggestion"),
        _ => None,
    };
    if let Some(text) = accept
        && ui.button(text).clicked()
    {
        commands.push(Command::SetStatus(span.id, Status::Confirmed));
        ui.close();
    }
    if ui.button("Copy text").clicked() {
        commands.push(Command::Copy);
        ui.close();
    }
    let bounds = ui
        .add_enabled(
            selection.is_some(),
            egui::Button::new("Set bounds to selection"),
        )
        .on_disabled_hover_text("Select the text the span should cover first");
    if bounds.clicked()
        && let Some(range) = selection
    {
        commands.push(Command::ResizeSpan(
            span.id,
            project.article().trim_range(range),
        ));
        ui.close();
    }
    if ui.button("Delete span").clicked() {
        commands.push(Command::DeleteSelected);
        ui.close();
    }
}
