//! Painting the visible paragraphs: find matches, span backgrounds (overlaps blend), the
//! selection, the text, one underline per nesting level, the selected span's outline and
//! handles, and the caret. Returns the tooltip for the spans under the pointer.
//!
//! Looks, by status: a confirmed span has a solid underline; one that needs review a dashed
//! underline; a suggestion a lighter fill and a dashed outline; a rejected suggestion is not
//! drawn at all.

use egui::{Color32, Pos2, Rect, Shape, Stroke, StrokeKind, pos2, vec2};

use super::{ArticleViewState, Drag, Selection, ViewOptions, pointer};
use crate::model::{CharOffset, CharRange, Project, Span, Status, text::excerpt};

/// Vertical distance between the underlines of nested spans.
const UNDERLINE_STEP: f32 = 2.5;
/// Nesting levels drawn apart; deeper ones share the last underline. Two fit between the
/// descenders and the row's bottom; a third would cut through the letters.
const MAX_UNDERLINES: usize = 2;
/// Thickness of a span's underline.
const UNDERLINE_WIDTH: f32 = 1.5;

/// The article font's face height per point of size (ascent plus descent; egui centres the
/// face in the row).
const FACE_HEIGHT_PER_POINT: f32 = 1.15;

/// How many nesting levels get underlines of their own in `style`'s rows: as many as fit
/// between the descenders and the row's bottom (at least one).
pub(super) fn underline_levels(style: super::layout::TextStyle) -> usize {
    let room = (style.row_height - FACE_HEIGHT_PER_POINT * style.font_size) / 2.0;
    let fit = ((room - 1.0 - UNDERLINE_WIDTH / 2.0) / UNDERLINE_STEP).floor() + 1.0;
    (fit.max(1.0) as usize).min(MAX_UNDERLINES)
}

/// Where the underline of a span at nesting `level` goes, in a row ending at `row_bottom`,
/// when `levels` levels fit.
pub(super) fn underline_y(row_bottom: f32, level: usize, levels: usize) -> f32 {
    row_bottom - 1.0 - level.min(levels.saturating_sub(1)) as f32 * UNDERLINE_STEP
}

fn label_color(project: &Project, span: &Span) -> Color32 {
    project.labels().get(span.label).map_or(Color32::GRAY, |l| {
        let [r, g, b] = l.color.0;
        Color32::from_rgb(r, g, b)
    })
}

/// The nesting level of each span (in document order) for stacked underlines.
fn nesting_levels(spans: &[&Span]) -> Vec<usize> {
    let mut ends: Vec<CharOffset> = Vec::new();
    spans
        .iter()
        .map(|s| {
            let level = ends
                .iter()
                .position(|&e| e <= s.range.start())
                .unwrap_or(ends.len());
            if let Some(e) = ends.get_mut(level) {
                *e = s.range.end();
            } else {
                ends.push(s.range.end());
            }
            level
        })
        .collect()
}

fn dashed_rect(painter: &egui::Painter, r: Rect, stroke: Stroke) {
    let corners = [
        r.left_top(),
        r.right_top(),
        r.right_bottom(),
        r.left_bottom(),
        r.left_top(),
    ];
    painter.extend(Shape::dashed_line(&corners, stroke, 4.0, 3.0));
}

#[expect(
    clippy::too_many_lines,
    reason = "one pass over the visible paragraphs, layer by layer, reads best in one place"
)]
pub(super) fn paint(
    ui: &egui::Ui,
    state: &ArticleViewState,
    project: &Project,
    options: &ViewOptions<'_>,
    clip: Rect,
    hovered: bool,
) -> Option<String> {
    let painter = ui.painter_at(clip);
    let visuals = ui.visuals();
    let dark = visuals.dark_mode;
    let levels_fit = underline_levels(state.style);
    let text_color = visuals.text_color();
    let selection = state
        .selection
        .map(Selection::range)
        .filter(|r| !r.is_empty());
    let hover = ui
        .input(|i| i.pointer.hover_pos())
        .filter(|p| hovered && clip.contains(*p));
    let mut hovered_spans: Vec<&Span> = Vec::new();
    let article = project.article();
    let match_fill = visuals
        .warn_fg_color
        .gamma_multiply(if dark { 0.35 } else { 0.3 });

    for placed in &state.placed {
        let Some(para) = article.paragraph(placed.paragraph) else {
            continue;
        };
        let base = para.chars.start();
        let local = |r: CharRange| r.local_to(base, para.chars.len());
        let rects = |r: CharRange| {
            let l = local(r);
            placed.layout.range_rects(placed.origin, l.start, l.end)
        };
        let probe = CharRange::between(base, para.chars.end().max(base + 1));
        let spans: Vec<&Span> = project
            .spans()
            .overlapping(probe)
            .into_iter()
            .filter(|s| s.status != Status::Rejected && !options.hidden.contains(&s.label))
            .collect();
        let levels = nesting_levels(&spans);

        // Find matches in this paragraph (sorted, so a binary search finds the first).
        let first = options
            .matches
            .partition_point(|m| m.end() <= para.chars.start());
        for m in options
            .matches
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|m| m.start() < para.chars.end().max(base + 1))
        {
            let current = options.current_match == Some(*m);
            for r in rects(*m) {
                if current {
                    painter.rect_filled(r, 2.0, visuals.warn_fg_color.gamma_multiply(0.7));
                } else {
                    painter.rect_filled(r, 2.0, match_fill);
                }
            }
        }
        let alpha = if dark { 70 } else { 60 };
        for s in &spans {
            let c = label_color(project, s);
            let a = if s.status == Status::Suggested {
                alpha / 2
            } else {
                alpha
            };
            let fill = Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), a);
            for r in rects(s.range) {
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
            let fill = visuals.selection.bg_fill.gamma_multiply(0.7);
            for r in rects(sel) {
                painter.rect_filled(r, 0.0, fill);
            }
        }
        placed.layout.paint(&painter, placed.origin, text_color);
        for (s, level) in spans.iter().zip(&levels) {
            let c = label_color(project, s);
            let is_selected = options.selected == Some(s.id);
            for r in rects(s.range) {
                let y = underline_y(r.max.y, *level, levels_fit);
                let line = [pos2(r.min.x, y), pos2(r.max.x, y)];
                match s.status {
                    Status::NeedsReview => {
                        painter.extend(Shape::dashed_line(
                            &line,
                            Stroke::new(UNDERLINE_WIDTH, c),
                            5.0,
                            3.0,
                        ));
                    }
                    Status::Suggested => dashed_rect(&painter, r.shrink(0.5), Stroke::new(1.5, c)),
                    _ => {
                        painter.line_segment(line, Stroke::new(UNDERLINE_WIDTH, c));
                    }
                }
                if is_selected {
                    painter.rect_stroke(
                        r.expand(1.0),
                        3.0,
                        Stroke::new(2.0, c),
                        StrokeKind::Outside,
                    );
                }
            }
        }
    }
    paint_lanes(&painter, state, project, options);
    paint_handles(&painter, state, project, options, text_color);
    paint_caret(&painter, state, project, visuals.text_cursor.stroke);

    if hovered_spans.is_empty() {
        return None;
    }
    Some(
        hovered_spans
            .iter()
            .map(|s| {
                let name = project.labels().name(s.label);
                let status = match s.status {
                    Status::Suggested => " (suggestion)",
                    Status::NeedsReview => " (needs review)",
                    _ => "",
                };
                if s.note.is_empty() {
                    format!("{name}{status}")
                } else {
                    format!("{name}{status}: {}", excerpt(&s.note, 80))
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// While curating: each analyst's spans as a thin line in their own lane at the top of the
/// row (analyst 1 highest), in the label's colour.
fn paint_lanes(
    painter: &egui::Painter,
    state: &ArticleViewState,
    project: &Project,
    options: &ViewOptions<'_>,
) {
    for (k, lane) in options.lanes.iter().enumerate() {
        for (range, label) in lane {
            let color = project.labels().get(*label).map_or(Color32::GRAY, |l| {
                let [r, g, b] = l.color.0;
                Color32::from_rgb(r, g, b)
            });
            for r in state.range_rects(project, *range) {
                let y = r.min.y + 1.5 + k as f32 * 3.0;
                painter.line_segment(
                    [pos2(r.min.x, y), pos2(r.max.x, y)],
                    Stroke::new(2.0, color),
                );
            }
        }
    }
}

/// The selected span's start and end handles (and, while one is dragged, where it goes).
fn paint_handles(
    painter: &egui::Painter,
    state: &ArticleViewState,
    project: &Project,
    options: &ViewOptions<'_>,
    text_color: Color32,
) {
    let Some(span) = options.selected.and_then(|id| project.spans().get(id)) else {
        return;
    };
    let color = label_color(project, span);
    if let Some(Drag::Handle { end, at, .. }) = state.drag {
        let preview = if end {
            span.range.with_end(at)
        } else {
            span.range.with_start(at)
        };
        for r in state.range_rects(project, preview) {
            painter.rect_stroke(r, 2.0, Stroke::new(1.5, text_color), StrokeKind::Outside);
        }
        return;
    }
    let Some((start, end)) = pointer::handles(state, project, options.selected) else {
        return;
    };
    let knob = |p: Pos2, up: bool| {
        let row = if up {
            vec2(0.0, 18.0)
        } else {
            vec2(0.0, -18.0)
        };
        painter.line_segment([p, p + row], Stroke::new(2.0, color));
        painter.circle_filled(p, 4.0, color);
    };
    if let Some(p) = start {
        knob(p, true);
    }
    if let Some(p) = end {
        knob(p, false);
    }
}

/// The caret: a thin line at the selection's moving end.
fn paint_caret(
    painter: &egui::Painter,
    state: &ArticleViewState,
    project: &Project,
    stroke: Stroke,
) {
    let Some(sel) = state.selection else {
        return;
    };
    if let Some(r) = state.char_rect(project, sel.head) {
        painter.line_segment([r.center_top(), r.center_bottom()], stroke);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::article_view::layout::{TextStyle, layout_galley};

    /// The third nesting level's underline ran through the letters: every level's line must
    /// stay below the descenders of the article font, at every zoom step.
    #[test]
    fn regression_deep_nesting_underlines_ran_through_the_letters() {
        let ctx = egui::Context::default();
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
        out.textures_delta.clear();
        for zoom in [-3, 0, 4] {
            let style = TextStyle::zoomed(zoom);
            let galley = layout_galley(&ctx, "gjpqy Égypte", f32::INFINITY, style);
            let Some(row) = galley.rows.first() else {
                panic!("no row");
            };
            let descender = row
                .row
                .glyphs
                .iter()
                .map(|g| g.pos.y + g.font_height - g.font_ascent)
                .fold(0.0, f32::max);
            let levels = underline_levels(style);
            if zoom >= 0 {
                assert_eq!(levels, 2, "two levels fit at zoom {zoom}");
            }
            for level in 0..6 {
                let top_of_line = underline_y(row.max_y(), level, levels) - UNDERLINE_WIDTH / 2.0;
                assert!(
                    top_of_line >= descender,
                    "zoom {zoom}, level {level}: line at {top_of_line}, descenders reach {descender}"
                );
            }
        }
    }
}
