//! Laid-out paragraphs, cached by paragraph index for the current width, style and fonts.
//!
//! A layout depends only on the paragraph's text, the wrap width, the text style and the
//! fonts: spans and the selection are painted *behind* it as separate shapes, so tagging
//! never invalidates a layout. The fonts are the subtle part: a galley points into egui's
//! font atlas, which egui rebuilds when the theme, the pixels per point or the font options
//! change (or when it fills up), dropping its own galley cache. The cache notices that by
//! asking egui for a fixed probe text each frame: a probe galley that is not the one of the
//! previous frame means egui's cache was rebuilt, and every cached layout is laid out anew.
//! The cache is bounded: past `MAX_CACHED` entries, the ones not used lately are dropped.

use std::collections::HashMap;
use std::sync::Arc;

use egui::Galley;

use super::layout::{ParagraphLayout, TextStyle, layout_galley};
use crate::model::Article;

/// Upper bound on cached layouts before old ones are evicted.
const MAX_CACHED: usize = 1024;

/// Layouts of recently visible paragraphs.
#[derive(Default)]
pub struct GalleyCache {
    entries: HashMap<usize, (Arc<ParagraphLayout>, u64)>,
    width: f32,
    style: Option<TextStyle>,
    /// egui's galley of a fixed text in the last frame.
    probe: Option<Arc<Galley>>,
    frame: u64,
    /// Layouts made since the last [`GalleyCache::begin_frame`] (for tests and benches).
    pub laid_out_this_frame: usize,
}

impl GalleyCache {
    /// Start a frame at `width`; a new width, style or font atlas empties the cache.
    pub fn begin_frame(&mut self, ctx: &egui::Context, width: f32, style: TextStyle) {
        let probe = layout_galley(ctx, "spanmark probe", f32::INFINITY, style);
        let fonts_rebuilt = self
            .probe
            .as_ref()
            .is_some_and(|old| !Arc::ptr_eq(old, &probe));
        if fonts_rebuilt || (self.width - width).abs() > 0.5 || self.style != Some(style) {
            self.entries.clear();
            self.width = width;
            self.style = Some(style);
        }
        self.probe = Some(probe);
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

    /// The layout of paragraph `i`, made now if it is not cached.
    pub fn get(
        &mut self,
        ctx: &egui::Context,
        article: &Article,
        i: usize,
    ) -> Arc<ParagraphLayout> {
        let frame = self.frame;
        if let Some((layout, used)) = self.entries.get_mut(&i) {
            *used = frame;
            return layout.clone();
        }
        let style = self.style.unwrap_or_default();
        let layout = Arc::new(ParagraphLayout::new(
            ctx,
            article.paragraph_text(i),
            self.width,
            style,
        ));
        self.laid_out_this_frame += 1;
        self.entries.insert(i, (layout.clone(), frame));
        layout
    }

    /// The layout of paragraph `i` if it is cached.
    #[must_use]
    pub fn cached(&self, i: usize) -> Option<&Arc<ParagraphLayout>> {
        self.entries.get(&i).map(|(g, _)| g)
    }
}
