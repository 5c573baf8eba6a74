//! The article view: our own text widget, built for long articles and exact offsets.
//!
//! One layout per paragraph, made only when visible ([`galleys`], [`layout`]); a Fenwick
//! tree of paragraph heights gives the scroll area its full height and maps y to paragraph
//! in O(log n) ([`heights`]). The scroll position is kept as an *anchor* (a paragraph and an
//! offset into it) rather than a raw pixel offset, so that replacing estimated heights with
//! real ones never makes the text under the reader jump.
//!
//! Spans are drawn as translucent backgrounds (overlaps blend) plus one underline per
//! nesting level, behind the text ([`paint`]). The selection is in char offsets;
//! hit-testing goes pointer → paragraph → layout (chars) → article offset, never through
//! bytes ([`pointer`]).

pub mod galleys;
pub mod heights;
pub mod layout;
mod paint;
mod pointer;

use std::sync::Arc;

use egui::{Pos2, Rect, Sense, pos2, vec2};

use crate::model::{CharOffset, CharRange, LabelId, Project, SpanId};
use crate::ui::command::Command;
use galleys::GalleyCache;
use heights::HeightIndex;
use layout::{ParagraphLayout, TextStyle};

/// Widest the text column gets, for comfortable reading (at the default text size).
const MAX_TEXT_WIDTH: f32 = 820.0;
/// Space around the text column.
const MARGIN: f32 = 24.0;

/// Where the view is scrolled to: `dy` points below the top of `paragraph` (may be negative).
#[derive(Clone, Copy, Debug, PartialEq)]
struct ScrollAnchor {
    paragraph: usize,
    dy: f64,
}

impl Default for ScrollAnchor {
    /// The very top, margin included.
    fn default() -> Self {
        Self {
            paragraph: 0,
            dy: -f64::from(MARGIN),
        }
    }
}

/// The text selection: where it started and where its moving end (the caret) is. An empty
/// selection is a caret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// Fixed end.
    pub anchor: CharOffset,
    /// Moving end, where the caret is drawn.
    pub head: CharOffset,
}

impl Selection {
    /// The selected chars.
    #[must_use]
    pub fn range(self) -> CharRange {
        CharRange::between(self.anchor, self.head)
    }
}

/// What the view shows beyond the project, for one frame.
pub struct ViewOptions<'a> {
    /// Changes whenever a different article text is shown.
    pub generation: u64,
    /// The selected span.
    pub selected: Option<SpanId>,
    /// Text size steps above or below the default.
    pub zoom: i8,
    /// Labels whose spans are not highlighted (filtered out in the review panel).
    pub hidden: &'a [LabelId],
    /// Find matches to highlight, sorted.
    pub matches: &'a [CharRange],
    /// The current find match.
    pub current_match: Option<CharRange>,
    /// Analysts' spans to draw in lanes above the text while curating, one list per analyst.
    pub lanes: &'a [Vec<(CharRange, LabelId)>],
}

/// A paragraph painted in the last frame and where.
#[derive(Clone)]
struct Placed {
    paragraph: usize,
    origin: Pos2,
    layout: Arc<ParagraphLayout>,
}

/// What a drag in progress is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Drag {
    /// Selecting text: snapping to words unless `precise` (Alt held when it began).
    Select {
        /// Character precision.
        precise: bool,
    },
    /// Moving the selected span's start (or end) handle.
    Handle {
        /// The span.
        span: SpanId,
        /// Its end rather than its start.
        end: bool,
        /// Where the handle is now.
        at: CharOffset,
    },
}

/// State of the article view that lives across frames (not saved).
#[derive(Default)]
pub struct ArticleViewState {
    /// The text selection (or caret), if any.
    pub selection: Option<Selection>,
    anchor: ScrollAnchor,
    heights: Option<HeightIndex>,
    galleys: GalleyCache,
    /// Article generation the caches belong to.
    generation: u64,
    /// Scroll so that this range is in view on the next frame.
    scroll_to: Option<CharRange>,
    /// Scroll just enough that this offset is visible on the next frame.
    reveal: Option<CharOffset>,
    placed: Vec<Placed>,
    drag: Option<Drag>,
    /// Alt was held when the pointer button last went down.
    press_alt: bool,
    /// The word a double-click selected: a Shift+click after it extends by words.
    word_anchor: Option<CharRange>,
    /// Paragraphs laid out in the last frame (for tests and the benchmark).
    pub laid_out_last_frame: usize,
    /// Paragraphs painted in the last frame.
    pub painted_last_frame: usize,
    style: TextStyle,
    /// Width of the text column in the last frame.
    text_width: f32,
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

    /// Scroll just enough that the caret at `offset` is visible on the next frame.
    pub fn reveal_caret(&mut self, offset: CharOffset) {
        self.reveal = Some(offset);
    }

    /// The selected text, if the selection is not empty.
    #[must_use]
    pub fn selection_text(&self, project: &Project) -> Option<String> {
        let range = self
            .selection
            .map(Selection::range)
            .filter(|r| !r.is_empty())?;
        project.article().slice(range).map(str::to_owned)
    }

    fn placed_at(&self, paragraph: usize) -> Option<&Placed> {
        let i = self.placed.partition_point(|pl| pl.paragraph < paragraph);
        self.placed.get(i).filter(|pl| pl.paragraph == paragraph)
    }

    /// Screen rectangle of the char at `offset`, if its paragraph was painted in the last
    /// frame (zero width, full row height).
    #[must_use]
    pub fn char_rect(&self, project: &Project, offset: CharOffset) -> Option<Rect> {
        let p = project.article().paragraph_of(offset);
        let placed = self.placed_at(p)?;
        let para = project.article().paragraph(p)?;
        let local = offset.since(para.chars.start());
        Some(
            placed
                .layout
                .caret_rect(local)
                .translate(placed.origin.to_vec2()),
        )
    }

    /// Screen rectangles covering `range` in the paragraphs painted in the last frame.
    #[must_use]
    pub fn range_rects(&self, project: &Project, range: CharRange) -> Vec<Rect> {
        let article = project.article();
        let first = article.paragraph_of(range.start());
        let last = article.paragraph_of(range.end());
        (first..=last)
            .filter_map(|p| Some((self.placed_at(p)?, article.paragraph(p)?)))
            .flat_map(|(placed, para)| {
                let local = range.local_to(para.chars.start(), para.chars.len());
                placed
                    .layout
                    .range_rects(placed.origin, local.start, local.end)
            })
            .collect()
    }

    /// The chars of the paragraphs painted in the last frame.
    #[must_use]
    pub fn visible_chars(&self, project: &Project) -> Option<CharRange> {
        let first = project
            .article()
            .paragraph(self.placed.first()?.paragraph)?;
        let last = project.article().paragraph(self.placed.last()?.paragraph)?;
        Some(CharRange::between(first.chars.start(), last.chars.end()))
    }

    /// The start and end of the visual line holding `offset` (the whole paragraph when it
    /// is not on screen).
    #[must_use]
    pub fn line_ends(&self, project: &Project, offset: CharOffset) -> (CharOffset, CharOffset) {
        let article = project.article();
        let p = article.paragraph_of(offset);
        let Some(para) = article.paragraph(p) else {
            return (offset, offset);
        };
        let base = para.chars.start();
        let local = offset.since(base);
        let row = self.placed_at(p).and_then(|placed| {
            let rows = placed.layout.rows();
            rows.iter()
                .find(|r| local >= r.start && local <= r.end)
                .copied()
        });
        match row {
            Some(r) => (base + r.start, base + r.end),
            None => (para.chars.start(), para.chars.end()),
        }
    }

    /// How many painted paragraphs hold a galley whose glyphs point elsewhere in egui's
    /// font atlas than the same text laid out now: a layout made with an atlas that egui
    /// has rebuilt since (it paints as glyph soup). Always 0 when the cache works; tests
    /// check it after a theme switch.
    #[must_use]
    pub fn stale_layouts(&self, ctx: &egui::Context, project: &Project) -> usize {
        let uvs = |g: &egui::Galley| -> Vec<([u16; 2], [u16; 2])> {
            g.rows
                .iter()
                .flat_map(|r| {
                    r.row
                        .glyphs
                        .iter()
                        .map(|glyph| (glyph.uv_rect.min, glyph.uv_rect.max))
                })
                .collect()
        };
        self.placed
            .iter()
            .filter(|pl| {
                let ParagraphLayout::Plain(galley) = pl.layout.as_ref() else {
                    return false;
                };
                let fresh = layout::layout_galley(
                    ctx,
                    project.article().paragraph_text(pl.paragraph),
                    self.galleys_width(),
                    self.style,
                );
                uvs(galley) != uvs(&fresh)
            })
            .count()
    }

    fn galleys_width(&self) -> f32 {
        self.text_width
    }

    /// The article offset under a screen position, if it is over a painted paragraph.
    fn offset_at(&self, project: &Project, pos: Pos2) -> Option<CharOffset> {
        // Rows of a paragraph end at its last row; the gap below belongs to it as well.
        let i = self
            .placed
            .partition_point(|pl| pl.origin.y <= pos.y)
            .saturating_sub(1);
        let placed = self.placed.get(i)?;
        let para = project.article().paragraph(placed.paragraph)?;
        let local = placed.layout.offset_at(pos - placed.origin);
        Some(para.chars.start() + local.min(para.chars.len()))
    }
}

/// Height of paragraph `p` as shown: its layout plus the spacing that follows it. Text that
/// separates paragraphs by blank lines gets no spacing after single line breaks, and its
/// blank lines become the spacing.
fn shown_height(project: &Project, p: usize, layout_height: f32, style: TextStyle) -> f32 {
    let article = project.article();
    let Some(para) = article.paragraph(p) else {
        return layout_height;
    };
    if para.continued {
        layout_height
    } else if article.has_blank_lines() {
        if para.chars.is_empty() {
            style.paragraph_gap
        } else {
            layout_height
        }
    } else {
        layout_height + style.paragraph_gap
    }
}

/// Show the article of `project`; pushes commands for span selection and resizing.
#[expect(
    clippy::too_many_lines,
    reason = "the frame's flow (layout, scroll area, re-anchoring, input, paint) reads top to bottom"
)]
pub fn article_view_ui(
    ui: &mut egui::Ui,
    state: &mut ArticleViewState,
    project: &Project,
    options: &ViewOptions<'_>,
    commands: &mut Vec<Command>,
) {
    if state.generation != options.generation {
        state.reset(options.generation);
    }
    let article = project.article();
    let avail = ui.available_size();
    let style = TextStyle::zoomed(options.zoom);
    let max_width = MAX_TEXT_WIDTH * style.font_size / TextStyle::default().font_size;
    let text_width = (avail.x - 2.0 * MARGIN - 12.0).clamp(120.0, max_width);
    state.style = style;
    state.text_width = text_width;
    state.galleys.begin_frame(ui.ctx(), text_width, style);

    let needs_index = state.heights.as_ref().is_none_or(|h| {
        (h.width() - text_width).abs() > 0.5
            || h.len() != article.paragraph_count()
            || h.style() != style
    });
    if needs_index {
        state.heights = Some(estimate_heights(ui.ctx(), project, text_width, style));
    }
    let Some(mut heights) = state.heights.take() else {
        return;
    };
    scroll_requests(ui, state, project, &mut heights, avail.y);

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

            let mut p = heights.paragraph_at(offset - f64::from(MARGIN));
            while p < heights.len() {
                let y = heights.y_of(p) + f64::from(MARGIN);
                if y > f64::from(viewport.max.y) {
                    break;
                }
                let layout = state.galleys.get(ui.ctx(), article, p);
                heights.set_exact(p, shown_height(project, p, layout.size().y, style));
                placed.push(Placed {
                    paragraph: p,
                    origin: pos2(left, screen_y(y)),
                    layout,
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
    let shown = f64::from(output.state.clamped_offset().y);
    if (shown - target).abs() > 0.01 {
        let new_offset = shown - f64::from(MARGIN);
        let p = heights.paragraph_at(new_offset);
        state.anchor = ScrollAnchor {
            paragraph: p,
            dy: new_offset - heights.y_of(p),
        };
    }
    if shown <= 0.0 {
        // At the very top, pin the anchor to the top, so that heights above it becoming
        // exact can never leave a gap above the first paragraph.
        state.anchor = ScrollAnchor {
            paragraph: 0,
            dy: -f64::from(MARGIN),
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
    pointer::handle_pointer(
        ui,
        state,
        project,
        options.selected,
        &response,
        clip,
        commands,
    );
    pointer::context_menu(state, project, options.selected, &response, commands);
    let tip = paint::paint(ui, state, project, options, clip, response.hovered());
    // The labels and notes of the spans under the pointer, shown once the pointer rests
    // (egui's tooltip delay), as tooltips do everywhere else.
    if let Some(tip) = tip
        && state.drag.is_none()
    {
        response.on_hover_ui_at_pointer(|ui| {
            for line in tip.lines() {
                ui.add(egui::Label::new(line).wrap_mode(egui::TextWrapMode::Extend));
            }
        });
    }
}

/// Carry out a requested jump (`scroll_to`) or a minimal scroll to the caret (`reveal`).
fn scroll_requests(
    ui: &egui::Ui,
    state: &mut ArticleViewState,
    project: &Project,
    heights: &mut HeightIndex,
    view_height: f32,
) {
    let article = project.article();
    let style = state.style;
    // A requested scroll lands exactly: lay out the target paragraph and anchor on it.
    if let Some(range) = state.scroll_to.take() {
        let p = article.paragraph_of(range.start());
        let layout = state.galleys.get(ui.ctx(), article, p);
        heights.set_exact(p, shown_height(project, p, layout.size().y, style));
        let local = article
            .paragraph(p)
            .map_or(0, |para| range.start().since(para.chars.start()));
        let row_y = layout.caret_rect(local).min.y;
        state.anchor = ScrollAnchor {
            paragraph: p,
            dy: f64::from(row_y) - f64::from(view_height) / 3.0,
        };
    }
    if let Some(at) = state.reveal.take() {
        let p = article.paragraph_of(at);
        let layout = state.galleys.get(ui.ctx(), article, p);
        heights.set_exact(p, shown_height(project, p, layout.size().y, style));
        let local = article
            .paragraph(p)
            .map_or(0, |para| at.since(para.chars.start()));
        let caret = layout.caret_rect(local);
        let caret_top = heights.y_of(p) + f64::from(caret.min.y);
        let caret_bottom = heights.y_of(p) + f64::from(caret.max.y);
        let top = heights.y_of(state.anchor.paragraph) + state.anchor.dy;
        let bottom = top + f64::from(view_height) - 2.0 * f64::from(MARGIN);
        let new_top = if caret_top < top {
            Some(caret_top)
        } else if caret_bottom > bottom {
            Some(caret_bottom - (bottom - top))
        } else {
            None
        };
        if let Some(new_top) = new_top {
            let q = heights.paragraph_at(new_top);
            state.anchor = ScrollAnchor {
                paragraph: q,
                dy: new_top - heights.y_of(q),
            };
        }
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
    let sample_width = layout::layout_galley(ctx, sample, f32::INFINITY, style)
        .size()
        .x;
    let chars_per_row = (width / (sample_width / sample.len() as f32)).max(1.0);
    let article = project.article();
    let estimates = (0..article.paragraph_count())
        .map(|i| {
            let chars = article.paragraph(i).map_or(0, |p| p.chars.len());
            let rows = (chars as f32 / chars_per_row).ceil().max(1.0);
            shown_height(project, i, rows * style.row_height, style)
        })
        .collect();
    HeightIndex::new(estimates, width, style)
}
