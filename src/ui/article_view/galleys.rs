//! Laid-out paragraphs, cached by paragraph index for the current width and font.
//!
//! A galley depends only on the paragraph's text, the wrap width and the font: spans and the
//! selection are painted *behind* it as separate shapes, so tagging never invalidates a
//! layout. The cache is bounded: when it grows past `MAX_CACHED` entries, the ones not used
//! in the last few frames are dropped.

use std::collections::HashMap;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley};

use crate::model::Article;

/// Upper bound on cached galleys before old ones are evicted.
const MAX_CACHED: usize = 1024;

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
        Self {
            font_size: 17.0,
            row_height: 27.0,
            paragraph_gap: 12.0,
        }
    }
}

/// Galleys of recently visible paragraphs.
#[derive(Default)]
pub struct GalleyCache {
    entries: HashMap<usize, (Arc<Galley>, u64)>,
    width: f32,
    style: Option<TextStyle>,
    frame: u64,
    /// Galleys laid out since the last [`GalleyCache::begin_frame`] (for tests and benches).
    pub laid_out_this_frame: usize,
}

impl GalleyCache {
    /// Start a frame at `width`; a new width or style empties the cache.
    pub fn begin_frame(&mut self, width: f32, style: TextStyle) {
        if (self.width - width).abs() > 0.5 || self.style != Some(style) {
            self.entries.clear();
            self.width = width;
            self.style = Some(style);
        }
        self.frame += 1;
        self.laid_out_this_frame = 0;
        if self.entries.len() > MAX_CACHED {
            let keep_after = self.frame.saturating_sub(4);
            self.entries.retain(|_, (_, used)| *used >= keep_after);
        }
    }

    /// Drop everything (the article changed).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The galley of paragraph `i`, laid out now if it is not cached.
    pub fn get(&mut self, ctx: &egui::Context, article: &Article, i: usize) -> Arc<Galley> {
        let frame = self.frame;
        if let Some((galley, used)) = self.entries.get_mut(&i) {
            *used = frame;
            return galley.clone();
        }
        let style = self.style.unwrap_or_default();
        let galley = layout_paragraph(ctx, article.paragraph_text(i), self.width, style);
        self.laid_out_this_frame += 1;
        self.entries.insert(i, (galley.clone(), frame));
        galley
    }

    /// The galley of paragraph `i` if it is cached.
    #[must_use]
    pub fn cached(&self, i: usize) -> Option<&Arc<Galley>> {
        self.entries.get(&i).map(|(g, _)| g)
    }
}

/// Lay out one paragraph wrapped at `width`. The text colour is left as a placeholder so
/// that the theme's colour is applied at paint time and a theme switch needs no re-layout.
#[must_use]
pub fn layout_paragraph(
    ctx: &egui::Context,
    text: &str,
    width: f32,
    style: TextStyle,
) -> Arc<Galley> {
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
