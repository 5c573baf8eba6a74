//! One laid-out paragraph, whatever its script: hit-testing, caret and range rectangles, and
//! painting, all in the paragraph's *logical* char offsets.
//!
//! Left-to-right paragraphs (almost all) are one egui galley. A paragraph holding
//! right-to-left text is laid out here instead ([`BidiLayout`]): it is cut into pieces
//! (words and spaces of one embedding level, see [`crate::ui::bidi`]), each piece is shaped
//! by egui as its own galley, lines are broken between pieces, and each line's pieces are
//! placed in visual order. A piece knows where each of its char boundaries is drawn, so a
//! click, a drag, a span's background and the drawn glyphs always agree. That works around
//! egui's glyph data for right-to-left runs (emilk/egui#8576), which cannot be hit-tested.

use std::sync::Arc;

use egui::epaint::text::cursor::CCursor;
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Pos2, Rect, pos2, vec2};

use crate::ui::bidi;

/// Font and spacing of the article text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextStyle {
    /// Font size in points.
    pub font_size: f32,
    /// Height of one row of text.
    pub row_height: f32,
    /// Space after each paragraph.
    pub paragraph_gap: f32,
}

impl Default for TextStyle {
    fn default() -> Self {
        Self::zoomed(0)
    }
}

impl TextStyle {
    /// The style `steps` sizes above (or below) the default (17 pt on 29 pt rows: room
    /// below the descenders for two levels of span underlines).
    #[must_use]
    pub fn zoomed(steps: i8) -> Self {
        let scale = 1.1_f32.powi(i32::from(steps));
        Self {
            font_size: 17.0 * scale,
            row_height: (29.0 * scale).round(),
            paragraph_gap: (12.0 * scale).round(),
        }
    }
}

/// Lay out `text` as one galley wrapped at `width` (infinite: no wrapping). The text colour
/// is a placeholder, filled in at paint time, so a theme switch alone needs no re-layout.
#[must_use]
pub fn layout_galley(ctx: &egui::Context, text: &str, width: f32, style: TextStyle) -> Arc<Galley> {
    let mut job = LayoutJob::single_section(
        text.to_owned(),
        TextFormat {
            font_id: FontId::proportional(style.font_size),
            line_height: Some(style.row_height),
            color: Color32::PLACEHOLDER,
            ..TextFormat::default()
        },
    );
    job.wrap.max_width = width;
    ctx.fonts_mut(|fonts| fonts.layout_job(job))
}

/// A paragraph laid out for display.
pub enum ParagraphLayout {
    /// Left-to-right text: egui's own galley.
    Plain(Arc<Galley>),
    /// Text with right-to-left runs: pieces placed by us.
    Bidi(BidiLayout),
}

/// One visual row: its logical chars and its vertical extent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowSpan {
    /// First char of the row (paragraph-local).
    pub start: usize,
    /// First char after the row, without a trailing line break.
    pub end: usize,
    /// Top of the row.
    pub min_y: f32,
    /// Bottom of the row.
    pub max_y: f32,
}

impl ParagraphLayout {
    /// Lay out paragraph `text` for `width`.
    #[must_use]
    pub fn new(ctx: &egui::Context, text: &str, width: f32, style: TextStyle) -> Self {
        if bidi::has_rtl(text) {
            Self::Bidi(BidiLayout::new(ctx, text, width, style))
        } else {
            Self::Plain(layout_galley(ctx, text, width, style))
        }
    }

    /// Width and height.
    #[must_use]
    pub fn size(&self) -> egui::Vec2 {
        match self {
            Self::Plain(g) => g.size(),
            Self::Bidi(b) => b.size,
        }
    }

    /// Number of chars.
    #[must_use]
    pub fn char_len(&self) -> usize {
        match self {
            Self::Plain(g) => g.chars().count(),
            Self::Bidi(b) => b.char_len,
        }
    }

    /// The visual rows, top to bottom.
    #[must_use]
    pub fn rows(&self) -> Vec<RowSpan> {
        match self {
            Self::Plain(g) => {
                let mut start = 0;
                g.rows
                    .iter()
                    .map(|row| {
                        let n = row.row.char_count_excluding_newline().0;
                        let span = RowSpan {
                            start,
                            end: start + n,
                            min_y: row.min_y(),
                            max_y: row.max_y(),
                        };
                        start += n + usize::from(row.ends_with_newline);
                        span
                    })
                    .collect()
            }
            Self::Bidi(b) => b.lines.iter().map(|l| l.row).collect(),
        }
    }

    /// The char boundary nearest to `pos` (relative to the paragraph's top left).
    #[must_use]
    pub fn offset_at(&self, pos: egui::Vec2) -> usize {
        match self {
            Self::Plain(g) => g.cursor_from_pos(pos).index.0,
            Self::Bidi(b) => b.offset_at(pos),
        }
    }

    /// The caret rectangle at char boundary `i` (zero width, the row's height).
    #[must_use]
    pub fn caret_rect(&self, i: usize) -> Rect {
        match self {
            Self::Plain(g) => g.pos_from_cursor(CCursor::new(i)),
            Self::Bidi(b) => b.caret_rect(i),
        }
    }

    /// Rectangles covering chars `[start, end)`, one per row (or per piece).
    #[must_use]
    pub fn range_rects(&self, origin: Pos2, start: usize, end: usize) -> Vec<Rect> {
        match self {
            Self::Plain(g) => plain_range_rects(g, origin, start, end),
            Self::Bidi(b) => b
                .range_rects(start, end)
                .into_iter()
                .map(|r| r.translate(origin.to_vec2()))
                .collect(),
        }
    }

    /// Draw the text with its top left at `origin`.
    pub fn paint(&self, painter: &egui::Painter, origin: Pos2, color: Color32) {
        match self {
            Self::Plain(g) => painter.galley(origin, g.clone(), color),
            Self::Bidi(b) => {
                for line in &b.lines {
                    for p in &line.pieces {
                        painter.galley(origin + vec2(p.x, line.row.min_y), p.galley.clone(), color);
                    }
                }
            }
        }
    }

    /// One galley this layout draws, to tell whether egui still holds it (its font atlas
    /// may have been rebuilt since).
    #[must_use]
    pub fn probe(&self) -> Option<&Arc<Galley>> {
        match self {
            Self::Plain(g) => Some(g),
            Self::Bidi(b) => b
                .lines
                .first()
                .and_then(|l| l.pieces.first())
                .map(|p| &p.galley),
        }
    }
}

/// Rectangles covering `[start, end)` (chars local to the galley), one per row.
fn plain_range_rects(galley: &Galley, origin: Pos2, start: usize, end: usize) -> Vec<Rect> {
    let mut rects = Vec::new();
    let mut row_start = 0;
    for row in &galley.rows {
        let n = row.row.char_count_excluding_newline().0;
        let (a, b) = (start.max(row_start), end.min(row_start + n));
        if a < b || (a == b && n == 0 && start <= row_start && end > row_start) {
            let x = |i: usize| {
                row.row
                    .x_offset(egui::epaint::text::CharIndex(i - row_start))
                    + row.pos.x
            };
            rects.push(Rect::from_min_max(
                pos2(origin.x + x(a), origin.y + row.min_y()),
                pos2(origin.x + x(b), origin.y + row.max_y()),
            ));
        }
        row_start += n + usize::from(row.ends_with_newline);
        if row_start >= end {
            break;
        }
    }
    rects
}

/// A piece placed on a line.
struct Placed {
    /// Paragraph-local chars.
    chars: std::ops::Range<usize>,
    /// Right to left?
    rtl: bool,
    /// Left edge on the line.
    x: f32,
    /// Its width.
    width: f32,
    /// `bounds[k]`: distance from the piece's *logical start edge* (left for LTR, right for
    /// RTL) to the boundary after its k-th char; `bounds[0] = 0`, last = width.
    bounds: Vec<f32>,
    galley: Arc<Galley>,
}

impl Placed {
    /// Screen x (line-relative) of the boundary before local char `k`.
    fn x_of(&self, k: usize) -> f32 {
        let d = self
            .bounds
            .get(k)
            .copied()
            .unwrap_or(self.width)
            .min(self.width);
        if self.rtl {
            self.x + self.width - d
        } else {
            self.x + d
        }
    }
}

struct Line {
    row: RowSpan,
    /// In visual order, left to right.
    pieces: Vec<Placed>,
}

/// Each piece shaped as its own galley, with the distance of every char boundary from the
/// piece's logical start edge. Right-to-left pieces are measured at each prefix, since
/// shaping joins letters and their widths do not add up.
fn measure(
    ctx: &egui::Context,
    text: &str,
    pieces: &[bidi::Piece],
    style: TextStyle,
) -> Vec<(Arc<Galley>, Vec<f32>)> {
    pieces
        .iter()
        .map(|p| {
            let piece_text = text.get(p.bytes.clone()).unwrap_or_default();
            let galley = layout_galley(ctx, piece_text, f32::INFINITY, style);
            let w = galley.size().x;
            let n = p.chars.len();
            let bounds = (0..=n)
                .map(|k| {
                    if k == 0 {
                        0.0
                    } else if k == n {
                        w
                    } else if p.is_rtl() {
                        let prefix: String = piece_text.chars().take(k).collect();
                        layout_galley(ctx, &prefix, f32::INFINITY, style)
                            .size()
                            .x
                            .min(w)
                    } else {
                        galley.pos_from_cursor(CCursor::new(k)).min.x
                    }
                })
                .collect();
            (galley, bounds)
        })
        .collect()
}

/// Greedy line breaks between pieces (ranges of piece indices); a line never ends before
/// its first piece, and never starts with a space it could hold.
fn break_lines(
    pieces: &[bidi::Piece],
    measured: &[(Arc<Galley>, Vec<f32>)],
    width: f32,
) -> Vec<std::ops::Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut used = 0.0;
    for (i, (galley, _)) in measured.iter().enumerate() {
        let w = galley.size().x;
        let space = pieces.get(i).is_some_and(|p| p.space);
        if used + w > width && i > start && !space {
            lines.push(start..i);
            start = i;
            used = 0.0;
        }
        used += w;
    }
    lines.push(start..measured.len());
    lines
}

/// A paragraph with right-to-left text, laid out piece by piece.
pub struct BidiLayout {
    lines: Vec<Line>,
    size: egui::Vec2,
    char_len: usize,
}

impl BidiLayout {
    fn new(ctx: &egui::Context, text: &str, width: f32, style: TextStyle) -> Self {
        let base = bidi::base_level(text);
        let pieces = bidi::pieces(text);
        let char_len = pieces.last().map_or(0, |p| p.chars.end);
        let measured = measure(ctx, text, &pieces, style);
        let lines_of = break_lines(&pieces, &measured, width);
        let mut lines = Vec::with_capacity(lines_of.len());
        let mut y = 0.0;
        for range in lines_of {
            let line_pieces = pieces.get(range.clone()).unwrap_or_default();
            let levels = bidi::line_levels(line_pieces, base);
            let line_width: f32 = measured
                .get(range.clone())
                .unwrap_or_default()
                .iter()
                .map(|(g, _)| g.size().x)
                .sum();
            // A right-to-left paragraph's lines hang from the right edge.
            let mut x = if base % 2 == 1 && width.is_finite() {
                (width - line_width).max(0.0)
            } else {
                0.0
            };
            let mut placed = Vec::with_capacity(levels.len());
            for i in bidi::visual_order(&levels) {
                let (Some(p), Some((galley, bounds))) =
                    (line_pieces.get(i), measured.get(range.start + i))
                else {
                    continue;
                };
                let w = galley.size().x;
                placed.push(Placed {
                    chars: p.chars.clone(),
                    rtl: levels.get(i).is_some_and(|l| l % 2 == 1),
                    x,
                    width: w,
                    bounds: bounds.clone(),
                    galley: galley.clone(),
                });
                x += w;
            }
            let (start, end) = (
                line_pieces.first().map_or(char_len, |p| p.chars.start),
                line_pieces.last().map_or(char_len, |p| p.chars.end),
            );
            lines.push(Line {
                row: RowSpan {
                    start,
                    end,
                    min_y: y,
                    max_y: y + style.row_height,
                },
                pieces: placed,
            });
            y += style.row_height;
        }
        let max_x = lines
            .iter()
            .filter_map(|l| l.pieces.last().map(|p| p.x + p.width))
            .fold(0.0, f32::max);
        Self {
            lines,
            size: vec2(
                if width.is_finite() {
                    width.max(max_x)
                } else {
                    max_x
                },
                y.max(style.row_height),
            ),
            char_len,
        }
    }

    fn line_at(&self, y: f32) -> Option<&Line> {
        let i = self
            .lines
            .partition_point(|l| l.row.max_y <= y)
            .min(self.lines.len().saturating_sub(1));
        self.lines.get(i)
    }

    fn offset_at(&self, pos: egui::Vec2) -> usize {
        let Some(line) = self.line_at(pos.y) else {
            return 0;
        };
        let (Some(first), Some(last)) = (line.pieces.first(), line.pieces.last()) else {
            return line.row.start;
        };
        // Past either end of the line: the visual end there.
        let piece = if pos.x <= first.x {
            first
        } else if pos.x >= last.x + last.width {
            last
        } else {
            line.pieces
                .iter()
                .find(|p| pos.x < p.x + p.width)
                .unwrap_or(last)
        };
        // The nearest boundary of that piece.
        let n = piece.chars.len();
        (0..=n)
            .min_by(|&a, &b| {
                let da = (piece.x_of(a) - pos.x).abs();
                let db = (piece.x_of(b) - pos.x).abs();
                da.total_cmp(&db)
            })
            .map_or(piece.chars.start, |k| piece.chars.start + k)
    }

    fn caret_rect(&self, i: usize) -> Rect {
        let line = self
            .lines
            .iter()
            .find(|l| i >= l.row.start && i < l.row.end.max(l.row.start + 1))
            .or_else(|| self.lines.last());
        let Some(line) = line else {
            return Rect::NOTHING;
        };
        let x = line
            .pieces
            .iter()
            .find(|p| p.chars.contains(&i))
            .or_else(|| line.pieces.iter().find(|p| p.chars.end == i))
            .map_or(0.0, |p| p.x_of(i - p.chars.start));
        Rect::from_min_max(pos2(x, line.row.min_y), pos2(x, line.row.max_y))
    }

    fn range_rects(&self, start: usize, end: usize) -> Vec<Rect> {
        let mut rects: Vec<Rect> = Vec::new();
        for line in &self.lines {
            for p in &line.pieces {
                let (a, b) = (start.max(p.chars.start), end.min(p.chars.end));
                if a >= b {
                    continue;
                }
                let (x0, x1) = (p.x_of(a - p.chars.start), p.x_of(b - p.chars.start));
                let rect = Rect::from_min_max(
                    pos2(x0.min(x1), line.row.min_y),
                    pos2(x0.max(x1), line.row.max_y),
                );
                // Pieces that touch on the same row make one rectangle (one outline).
                match rects.last_mut() {
                    Some(last)
                        if (last.min.y - rect.min.y).abs() < 0.5
                            && ((last.max.x - rect.min.x).abs() < 0.5
                                || (rect.max.x - last.min.x).abs() < 0.5) =>
                    {
                        *last = last.union(rect);
                    }
                    _ => rects.push(rect),
                }
            }
        }
        rects
    }
}
