//! Paragraph heights at the current wrap width, as a Fenwick tree of prefix sums.
//!
//! The article view must know the full content height (for the scroll bar) and map any
//! paragraph to its y position and any y to its paragraph, for articles of hundreds of
//! thousands of paragraphs, without laying them all out. Heights start as estimates (from
//! the paragraph's length and the average glyph width) and are replaced by exact values as
//! paragraphs are laid out. Each update and query is O(log n).
//!
//! ```text
//!   heights:  [20, 40, 20]        y_of(2) = 60      paragraph_at(59.0) = 1
//! ```

use super::layout::TextStyle;

/// Prefix sums of paragraph heights, with an "exact" flag per paragraph.
#[derive(Clone, Debug, Default)]
pub struct HeightIndex {
    /// Fenwick tree over the heights (1-based internally).
    tree: Vec<f64>,
    /// Current height of each paragraph.
    heights: Vec<f32>,
    /// Whether each height comes from a real layout (true) or an estimate.
    exact: Vec<bool>,
    /// The wrap width these heights are for.
    width: f32,
    /// The text style these heights are for.
    style: TextStyle,
}

impl HeightIndex {
    /// Build from estimated heights, for wrap width `width`; O(n).
    #[must_use]
    pub fn new(estimates: Vec<f32>, width: f32, style: TextStyle) -> Self {
        let n = estimates.len();
        let mut tree = vec![0.0; n + 1];
        // Standard O(n) Fenwick construction: each node, once complete, adds itself to its
        // parent; children always have smaller indices, so one forward pass suffices.
        for (i, &h) in estimates.iter().enumerate() {
            let j = i + 1;
            let node = tree.get(j).copied().unwrap_or(0.0) + f64::from(h);
            if let Some(t) = tree.get_mut(j) {
                *t = node;
            }
            let parent = j + (j & j.wrapping_neg());
            if let Some(p) = tree.get_mut(parent) {
                *p += node;
            }
        }
        Self {
            tree,
            exact: vec![false; n],
            heights: estimates,
            width,
            style,
        }
    }

    /// The wrap width these heights belong to.
    #[must_use]
    pub fn width(&self) -> f32 {
        self.width
    }

    /// The text style these heights belong to.
    #[must_use]
    pub fn style(&self) -> TextStyle {
        self.style
    }

    /// Number of paragraphs.
    #[must_use]
    pub fn len(&self) -> usize {
        self.heights.len()
    }

    /// True when there are no paragraphs.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.heights.is_empty()
    }

    /// Whether paragraph `i`'s height is exact.
    #[must_use]
    pub fn is_exact(&self, i: usize) -> bool {
        self.exact.get(i).copied().unwrap_or(false)
    }

    /// Height of paragraph `i`.
    #[must_use]
    pub fn height(&self, i: usize) -> f32 {
        self.heights.get(i).copied().unwrap_or(0.0)
    }

    /// Set paragraph `i`'s exact height.
    pub fn set_exact(&mut self, i: usize, height: f32) {
        let Some(old) = self.heights.get_mut(i) else {
            return;
        };
        let delta = f64::from(height) - f64::from(*old);
        *old = height;
        if let Some(e) = self.exact.get_mut(i) {
            *e = true;
        }
        if delta == 0.0 {
            return;
        }
        let mut j = i + 1;
        while let Some(t) = self.tree.get_mut(j) {
            *t += delta;
            j += j & j.wrapping_neg();
        }
    }

    /// The y of the top of paragraph `i` (sum of the heights before it).
    #[must_use]
    pub fn y_of(&self, i: usize) -> f64 {
        let mut j = i.min(self.heights.len());
        let mut sum = 0.0;
        while j > 0 {
            sum += self.tree.get(j).copied().unwrap_or(0.0);
            j &= j - 1;
        }
        sum
    }

    /// Total height of all paragraphs.
    #[must_use]
    pub fn total(&self) -> f64 {
        self.y_of(self.heights.len())
    }

    /// The paragraph covering `y` (clamped to the first and last paragraph).
    #[must_use]
    pub fn paragraph_at(&self, y: f64) -> usize {
        let n = self.heights.len();
        if n == 0 || y <= 0.0 {
            return 0;
        }
        // Fenwick descent: the largest prefix whose sum is <= y.
        let mut pos = 0;
        let mut remaining = y;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n
                && let Some(&t) = self.tree.get(next)
                && t <= remaining
            {
                pos = next;
                remaining -= t;
            }
            step >>= 1;
        }
        pos.min(n - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_sums_and_lookups_agree_with_a_linear_scan() {
        let heights: Vec<f32> = (0..1000).map(|i| 10.0 + (i % 7) as f32 * 3.0).collect();
        let mut index = HeightIndex::new(heights.clone(), 500.0, TextStyle::default());
        let mut linear = heights;
        for (i, h) in [(0, 99.0), (500, 1.0), (999, 40.0), (3, 0.0)] {
            index.set_exact(i, h);
            linear[i] = h;
        }
        let mut y = 0.0f64;
        for (i, h) in linear.iter().enumerate() {
            assert!((index.y_of(i) - y).abs() < 1e-6, "y_of({i})");
            if *h > 0.0 {
                assert_eq!(index.paragraph_at(y), i, "at top of {i}");
                assert_eq!(index.paragraph_at(y + f64::from(*h) - 0.5), i, "inside {i}");
            }
            y += f64::from(*h);
        }
        assert!((index.total() - y).abs() < 1e-6);
        assert_eq!(index.paragraph_at(y + 100.0), 999);
        assert_eq!(index.paragraph_at(-5.0), 0);
        assert!(index.is_exact(500) && !index.is_exact(501));
    }

    #[test]
    fn empty_index_is_harmless() {
        let index = HeightIndex::new(Vec::new(), 100.0, TextStyle::default());
        assert!(index.total().abs() < f64::EPSILON);
        assert_eq!(index.paragraph_at(10.0), 0);
    }
}
