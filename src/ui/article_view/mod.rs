//! The article view: our own text widget, built for long articles and exact offsets.
//!
//! One galley per paragraph, laid out only when visible ([`galleys`]); a Fenwick tree of
//! paragraph heights gives the scroll area its full height and maps y to paragraph in
//! O(log n) ([`heights`]). The scroll position is kept as an *anchor* (a paragraph and an
//! offset into it) rather than a raw pixel offset, so that replacing estimated heights with
//! real ones never makes the text under the reader jump.
//!
//! Spans are drawn as translucent backgrounds (overlaps blend) plus one underline per nesting
//! level, behind the text. The selection is in char offsets; hit-testing goes pointer →
//! paragraph (Fenwick) → galley cursor (chars) → article offset, never through bytes.

pub mod galleys;
pub mod heights;

use std::sync::Arc;

use egui::{
    Color32, CursorIcon, Galley, Pos2, Rect, Sense, Stroke, epaint::text::cursor::CCursor, pos2,
    vec2,
};

use crate::model::{CharOffset, CharRange, Project, Span, SpanId, Status};
use crate::ui::command::Command;
use galleys::{GalleyCache, TextStyle};
use heights::HeightIndex;

/// Widest the text column gets, for comfortable reading.
const MAX_TEXT_WIDTH: f32 = 820.0;
/// Space around the text column.
const MARGIN: f32 = 24.0;

/// Where the view is scrolled to: `dy` points below the top of `paragraph` (may be negative).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct ScrollAnchor {
    paragraph: usize,
    dy: f64,
}

/// The text selection: where the drag started and where it is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// Fixed end.
    pub anchor: CharOffset,
    /// Moving end.
    pub head: CharOffset,
}

impl Selection {
    /// The selected chars.
    #[must_use]
    pub fn range(self) -> CharRange {
        CharRange::between(self.anchor, self.head)
    }
}

/// A paragraph painted in the last frame and where.
#[derive(Clone)]
struct Placed {
    paragraph: usize,
    origin: Pos2,
    galley: Arc<Galley>,
}

/// State of the article view that lives across frames (not saved).
#[derive(Default)]
pub struct ArticleViewState {
    /// The text selection, if any.
    pub selection: Option<Selection>,
    anchor: ScrollAnchor,
    heights: Option<HeightIndex>,
    galleys: GalleyCache,
    /// Article generation the caches belong to.
    generation: u64,
    /// Scroll so that this range is in view on the next frame.
    scroll_to: Option<CharRange>,
    placed: Vec<Placed>,
    /// Where a drag began, to tell clicks from drags.
    dragging: bool,
    /// Paragraphs laid out in the last frame (for tests and the benchmark).
    pub laid_out_last_frame: usize,
    /// Paragraphs painted in the last frame.
    pub painted_last_frame: usize,
    style: TextStyle,
}

impl ArticleViewState {
    /// Forget everything tied to the previous article.
    pub fn reset(&mut self, generation: u64) {
        *self = Self {
            generation,
            ..Self::default()
        };
    }

    /// Bring `range` into view on the next frame (a third of the way down).
    pub fn scroll_to(&mut self, range: CharRange) {
        self.scroll_to = Some(range);
    }

    /// Screen rectangle of the char at `offset`, if its paragraph was painted in the last
    /// frame (zero width, full row height).
    #[must_use]
    pub fn char_rect(&self, project: &Project, offset: CharOffset) -> Option<Rect> {
        let p = project.article.paragraph_of(offset);
        let placed = self.placed.iter().find(|pl| pl.paragraph == p)?;
        let para = project.article.paragraph(p)?;
        let local = offset.0.checked_sub(para.chars.start.0)?;
        Some(
            placed
                .galley
                .pos_from_cursor(CCursor::new(local))
                .translate(placed.origin.to_vec2()),
        )
    }

    /// The chars of the paragraphs painted in the last frame.
    #[must_use]
    pub fn visible_chars(&self, project: &Project) -> Option<CharRange> {
        let first = project.article.paragraph(self.placed.first()?.paragraph)?;
        let last = project.article.paragraph(self.placed.last()?.paragraph)?;
        Some(CharRange {
            start: first.chars.start,
            end: last.chars.end,
        })
    }

    /// The article offset under a screen position, if it is over a painted paragraph.
    fn offset_at(&self, project: &Project, pos: Pos2) -> Option<CharOffset> {
        // Rows of a paragraph end at its last row; the gap below belongs to it as well.
        let i = self
            .placed
            .partition_point(|pl| pl.origin.y <= pos.y)
            .saturating_sub(1);
        let placed = self.placed.get(i)?;
        let para = project.article.paragraph(placed.paragraph)?;
        let cursor = placed.galley.cursor_from_pos(pos - placed.origin);
        Some(CharOffset(
            para.chars.start.0 + cursor.index.0.min(para.chars.len()),
        ))
    }
}

/// Show the article of `project`; pushes commands for span selection. `generation` changes
/// whenever a different article is loaded.
pub fn article_view_ui(
    ui: &mut egui::Ui,
    state: &mut ArticleViewState,
    project: &Project,
    generation: u64,
    selected: Option<SpanId>,
    commands: &mut Vec<Command>,
) {
    if state.generation != generation {
        state.reset(generation);
    }
    let article = &project.article;
    let avail = ui.available_size();
    let text_width = (avail.x - 2.0 * MARGIN - 12.0).clamp(120.0, MAX_TEXT_WIDTH);
    let style = state.style;
    state.galleys.begin_frame(text_width, style);

    let needs_index = state.heights.as_ref().is_none_or(|h| {
        (h.width() - text_width).abs() > 0.5 || h.len() != article.paragraph_count()
    });
    if needs_index {
        state.heights = Some(estimate_heights(ui.ctx(), project, text_width, style));
    }
    let Some(mut heights) = state.heights.take() else {
        return;
    };

    // A requested scroll lands exactly: lay out the target paragraph and anchor on it.
    if let Some(range) = state.scroll_to.take() {
        let p = article.paragraph_of(range.start);
        let galley = state.galleys.get(ui.ctx(), article, p);
        heights.set_exact(p, galley.size().y + style.paragraph_gap);
        let local = article
            .paragraph(p)
            .map_or(0, |para| range.start.0.saturating_sub(para.chars.start.0));
        let row_y = galley.pos_from_cursor(CCursor::new(local)).min.y;
        state.anchor = ScrollAnchor {
            paragraph: p,
            dy: f64::from(row_y) - f64::from(avail.y) / 3.0,
        };
    }

    let target = (heights.y_of(state.anchor.paragraph) + state.anchor.dy + f64::from(MARGIN))
        .clamp(
            0.0,
            (heights.total() + 2.0 * f64::from(MARGIN) - f64::from(avail.y)).max(0.0),
        );
    let mut placed = Vec::new();
    let output = egui::ScrollArea::vertical()
        .id_salt("article_view")
        .auto_shrink(false)
        .vertical_scroll_offset(target as f32)
        .show_viewport(ui, |ui, viewport| {
            let total = heights.total() as f32 + 2.0 * MARGIN;
            let full_width = ui.available_width();
            let (_, _) = ui.allocate_exact_size(vec2(full_width, total), Sense::hover());
            let clip = ui.clip_rect();
            let left = clip.min.x + ((full_width - text_width) / 2.0).max(MARGIN);
            // Screen y of content y, computed in f64 so that deep offsets stay exact.
            let offset = f64::from(viewport.min.y);
            let screen_y = |content_y: f64| clip.min.y + (content_y - offset) as f32;

            let first = heights.paragraph_at(offset - f64::from(MARGIN));
            let mut p = first;
            while p < heights.len() {
                let y = heights.y_of(p) + f64::from(MARGIN);
                if y > f64::from(viewport.max.y) {
                    break;
                }
                let galley = state.galleys.get(ui.ctx(), article, p);
                heights.set_exact(p, galley.size().y + style.paragraph_gap);
                placed.push(Placed {
                    paragraph: p,
                    origin: pos2(left, screen_y(y)),
                    galley,
                });
                p += 1;
            }
            clip
        });
    let clip = output.inner;
    state.laid_out_last_frame = state.galleys.laid_out_this_frame;
    state.painted_last_frame = placed.len();
    state.placed = placed;

    // Re-anchor on what the scroll area now shows (it may have applied wheel or scrollbar
    // input), using the heights as corrected by this frame's layouts.
    let new_offset = f64::from(output.state.clamped_offset().y) - f64::from(MARGIN);
    if (f64::from(output.state.clamped_offset().y) - target).abs() > 0.01 {
        let p = heights.paragraph_at(new_offset);
        state.anchor = ScrollAnchor {
            paragraph: p,
            dy: new_offset - heights.y_of(p),
        };
    }
    state.heights = Some(heights);

    // The scroll bar sits at the right edge of the clip rect: leave it to the scroll area,
    // so that dragging it scrolls instead of selecting text.
    let scroll = &ui.spacing().scroll;
    let bar = scroll.bar_width + scroll.bar_inner_margin + scroll.bar_outer_margin;
    let text_area = Rect::from_min_max(
        clip.min,
        pos2((clip.max.x - bar).max(clip.min.x), clip.max.y),
    );
    let response = ui.interact(
        text_area,
        ui.make_persistent_id("article_text"),
        Sense::click_and_drag(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Document, true, "Article text"));
    handle_pointer(ui, state, project, &response, clip, commands);
    // Right-click on a span: select it and offer what can be done with it.
    if response.secondary_clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        let span = state
            .offset_at(project, pos)
            .and_then(|at| project.spans().innermost_at(at))
            .map(|s| s.id);
        commands.push(Command::SelectSpan {
            id: span,
            scroll: false,
        });
    }
    response.context_menu(|ui| span_menu_ui(ui, project, selected, commands));
    let tip = paint(ui, state, project, selected, clip, response.hovered());
    // The labels and notes of the spans under the pointer, shown once the pointer rests
    // (egui's tooltip delay), as tooltips do everywhere else.
    if let Some(tip) = tip
        && !state.dragging
    {
        response.on_hover_ui_at_pointer(|ui| {
            ui.label(tip);
        });
    }
}

/// The context menu of the selected span: relabel, accept, copy, delete.
fn span_menu_ui(
    ui: &mut egui::Ui,
    project: &Project,
    selected: Option<SpanId>,
    commands: &mut Vec<Command>,
) {
    let Some(span) = selected.and_then(|id| project.spans().get(id)) else {
        ui.label("Right-click a tagged span for its actions");
        return;
    };
    for (id, label) in project.labels.iter() {
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
    if span.status == Status::NeedsReview && ui.button("Accept placement").clicked() {
        commands.push(Command::SetStatus(span.id, Status::Confirmed));
        ui.close();
    }
    if ui.button("Copy text").clicked() {
        commands.push(Command::Copy);
        ui.close();
    }
    if ui.button("Delete span").clicked() {
        commands.push(Command::DeleteSelected);
        ui.close();
    }
}

/// Estimated heights of every paragraph at `width`, from its length and the average width
/// of the font's glyphs; exact heights replace them as paragraphs are laid out.
fn estimate_heights(
    ctx: &egui::Context,
    project: &Project,
    width: f32,
    style: TextStyle,
) -> HeightIndex {
    let sample = "The quick brown fox jumps over the lazy dog, said Putin. ";
    let sample_width = galleys::layout_paragraph(ctx, sample, f32::INFINITY, style)
        .size()
        .x;
    let chars_per_row = (width / (sample_width / sample.len() as f32)).max(1.0);
    let article = &project.article;
    let estimates = (0..article.paragraph_count())
        .map(|i| {
            let chars = article.paragraph(i).map_or(0, |p| p.chars.len());
            let rows = (chars as f32 / chars_per_row).ceil().max(1.0);
            rows * style.row_height + style.paragraph_gap
        })
        .collect();
    HeightIndex::new(estimates, width)
}

fn handle_pointer(
    ui: &egui::Ui,
    state: &mut ArticleViewState,
    project: &Project,
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
    if response.hovered() {
        ui.ctx().set_cursor_icon(CursorIcon::Text);
    }
    // Shift as held now, or as it was when this frame's button event happened.
    let shift = ui.input(|i| {
        i.modifiers.shift
            || i.events.iter().any(
                |e| matches!(e, egui::Event::PointerButton { modifiers, .. } if modifiers.shift),
            )
    });
    let hit = state.offset_at(project, pos);

    if response.double_clicked() {
        if let Some(at) = hit {
            let word = project.article.word_at(at);
            state.selection = Some(Selection {
                anchor: word.start,
                head: word.end,
            });
        }
        return;
    }
    if response.drag_started() {
        state.dragging = true;
        // A new selection replaces the selected span as what a label key acts on.
        commands.push(Command::SelectSpan {
            id: None,
            scroll: false,
        });
        // The drag is recognised only after the pointer has moved a little: anchor it where
        // the button went down, not where the pointer is now.
        let origin = ui.input(|i| i.pointer.press_origin()).unwrap_or(pos);
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
    if response.dragged() && state.dragging {
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
        if let (Some(at), Some(sel)) = (state.offset_at(project, clamped), state.selection.as_mut())
        {
            sel.head = at;
        }
    }
    if response.drag_stopped() {
        state.dragging = false;
        if state.selection.is_some_and(|s| s.range().is_empty()) {
            state.selection = None;
        }
    }
    if response.clicked() {
        if shift {
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
        // A plain click leaves a caret (an empty selection) where it landed, so that a
        // Shift+click can extend from there; empty selections are neither painted nor tagged.
        state.selection = hit.map(|at| Selection {
            anchor: at,
            head: at,
        });
        let span = hit
            .and_then(|at| project.spans().innermost_at(at))
            .map(|s| s.id);
        commands.push(Command::SelectSpan {
            id: span,
            scroll: false,
        });
    }
}

/// Rectangles covering `[start, end)` (chars local to the galley), one per row.
fn range_rects(galley: &Galley, origin: Pos2, start: usize, end: usize) -> Vec<Rect> {
    let mut rects = Vec::new();
    let mut row_start = 0;
    for row in &galley.rows {
        let n = row.row.char_count_excluding_newline().0;
        let (a, b) = (start.max(row_start), end.min(row_start + n));
        if a < b || (a == b && n == 0 && start <= row_start && end > row_start) {
            let x0 = row
                .row
                .x_offset(egui::epaint::text::CharIndex(a - row_start))
                + row.pos.x;
            let x1 = row
                .row
                .x_offset(egui::epaint::text::CharIndex(b - row_start))
                + row.pos.x;
            rects.push(Rect::from_min_max(
                pos2(origin.x + x0, origin.y + row.min_y()),
                pos2(origin.x + x1, origin.y + row.max_y()),
            ));
        }
        row_start += n;
        if row_start >= end {
            break;
        }
    }
    rects
}

fn label_color(project: &Project, span: &Span) -> Color32 {
    project.labels.get(span.label).map_or(Color32::GRAY, |l| {
        let [r, g, b] = l.color.0;
        Color32::from_rgb(r, g, b)
    })
}

fn paint(
    ui: &egui::Ui,
    state: &ArticleViewState,
    project: &Project,
    selected: Option<SpanId>,
    clip: Rect,
    hovered: bool,
) -> Option<String> {
    let painter = ui.painter_at(clip);
    let dark = ui.visuals().dark_mode;
    let text_color = ui.visuals().text_color();
    let selection = state
        .selection
        .map(Selection::range)
        .filter(|r| !r.is_empty());
    let hover = ui
        .input(|i| i.pointer.hover_pos())
        .filter(|p| hovered && clip.contains(*p));
    let mut hovered_spans: Vec<&Span> = Vec::new();

    for placed in &state.placed {
        let Some(para) = project.article.paragraph(placed.paragraph) else {
            continue;
        };
        let base = para.chars.start.0;
        let local = |r: CharRange| {
            (
                r.start.0.saturating_sub(base),
                r.end.0.saturating_sub(base).min(para.chars.len()),
            )
        };
        let spans = project.spans().overlapping(CharRange {
            start: para.chars.start,
            end: CharOffset(para.chars.end.0.max(base + 1)),
        });
        // Nesting level of each span within this paragraph, for stacked underlines.
        let mut ends: Vec<usize> = Vec::new();
        let mut levels = Vec::with_capacity(spans.len());
        for s in &spans {
            let level = ends
                .iter()
                .position(|&e| e <= s.range.start.0)
                .unwrap_or(ends.len());
            if let Some(e) = ends.get_mut(level) {
                *e = s.range.end.0;
            } else {
                ends.push(s.range.end.0);
            }
            levels.push(level);
        }
        let alpha = if dark { 70 } else { 60 };
        for s in &spans {
            let (a, b) = local(s.range);
            let c = label_color(project, s);
            let fill = Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), alpha);
            for r in range_rects(&placed.galley, placed.origin, a, b) {
                painter.rect_filled(r, 0.0, fill);
                if hover.is_some_and(|h| r.contains(h))
                    && !hovered_spans.iter().any(|h| h.id == s.id)
                {
                    hovered_spans.push(s);
                }
            }
        }
        if let Some(sel) = selection
            && sel.overlaps(para.chars)
        {
            let (a, b) = local(sel);
            let fill = ui.visuals().selection.bg_fill.gamma_multiply(0.7);
            for r in range_rects(&placed.galley, placed.origin, a, b) {
                painter.rect_filled(r, 0.0, fill);
            }
        }
        painter.galley(placed.origin, placed.galley.clone(), text_color);
        for (s, level) in spans.iter().zip(&levels) {
            let (a, b) = local(s.range);
            let c = label_color(project, s);
            let is_selected = selected == Some(s.id);
            for r in range_rects(&placed.galley, placed.origin, a, b) {
                let y = r.max.y - 2.0 - *level as f32 * 3.5;
                if s.status == Status::NeedsReview {
                    // Placed by re-anchoring on changed text: dashed until the analyst accepts it.
                    painter.extend(egui::Shape::dashed_line(
                        &[pos2(r.min.x, y), pos2(r.max.x, y)],
                        Stroke::new(2.0, c),
                        5.0,
                        3.0,
                    ));
                } else {
                    painter.line_segment([pos2(r.min.x, y), pos2(r.max.x, y)], Stroke::new(2.0, c));
                }
                if is_selected {
                    painter.rect_stroke(
                        r.expand(1.0),
                        3.0,
                        Stroke::new(2.0, c),
                        egui::StrokeKind::Outside,
                    );
                }
            }
        }
    }

    if hovered_spans.is_empty() {
        return None;
    }
    Some(
        hovered_spans
            .iter()
            .map(|s| {
                let name = project.labels.name(s.label);
                if s.note.is_empty() {
                    name.to_owned()
                } else {
                    format!("{name}: {}", s.note)
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
}
