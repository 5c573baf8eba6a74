//! Bidirectional text (UAX #9) for display: which parts of a line run right to left, and in
//! which order its pieces appear on screen. No egui here: the article view and the review
//! panel lay the pieces out with egui, one galley per piece.
//!
//! egui (since 0.35) shapes each font run with harfrust, which draws the letters of an
//! Arabic or Hebrew word correctly, but it places runs left to right in logical order and
//! its glyph data no longer maps one glyph to one char (emilk/egui#8576). spanmark therefore
//! cuts a line with right-to-left text into *pieces* (words and spaces, each of one
//! embedding level), lets egui shape each piece on its own, and orders and positions the
//! pieces itself. Offsets stay logical code points throughout.
//!
//! ```text
//!   logical:  "He said שלום עולם today"      (the Hebrew words have level 1)
//!   pieces:   He ␣ said ␣ שלום ␣ עולם ␣ today
//!   visual:   He ␣ said ␣ עולם ␣ שלום ␣ today  (the level-1 run is reversed)
//! ```

use std::ops::Range;

use unicode_bidi::{BidiClass, BidiInfo, bidi_class};

/// A piece of a line: a word or a run of whitespace, all of one embedding level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Its bytes in the line.
    pub bytes: Range<usize>,
    /// Its chars in the line.
    pub chars: Range<usize>,
    /// The UAX #9 embedding level: odd runs right to left.
    pub level: u8,
    /// True for whitespace.
    pub space: bool,
}

impl Piece {
    /// True when the piece runs right to left.
    #[must_use]
    pub fn is_rtl(&self) -> bool {
        self.level % 2 == 1
    }
}

/// True when `text` holds a char of a right-to-left script (or an explicit RTL mark), so
/// that it needs the bidi layout; everything else takes egui's plain layout.
#[must_use]
pub fn has_rtl(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(
            bidi_class(c),
            BidiClass::R
                | BidiClass::AL
                | BidiClass::RLE
                | BidiClass::RLO
                | BidiClass::RLI
                | BidiClass::AN
        )
    })
}

/// The paragraph's base level: 1 when its first strong char is right to left (UAX #9 P2,
/// like HTML's `dir="auto"`), else 0.
#[must_use]
pub fn base_level(text: &str) -> u8 {
    let info = BidiInfo::new(text, None);
    info.paragraphs.first().map_or(0, |p| p.level.number())
}

/// Cut a line into pieces: words and whitespace runs, split again wherever the embedding
/// level changes. Pieces are in logical order and cover the whole line.
#[must_use]
pub fn pieces(text: &str) -> Vec<Piece> {
    let info = BidiInfo::new(text, None);
    let level_at = |byte: usize| info.levels.get(byte).map_or(0, unicode_bidi::Level::number);
    let mut out: Vec<Piece> = Vec::new();
    for (chars, (byte, c)) in text.char_indices().enumerate() {
        let level = level_at(byte);
        let space = c.is_whitespace();
        let len = c.len_utf8();
        match out.last_mut() {
            Some(last) if last.level == level && last.space == space => {
                last.bytes.end = byte + len;
                last.chars.end = chars + 1;
            }
            _ => out.push(Piece {
                bytes: byte..byte + len,
                chars: chars..chars + 1,
                level,
                space,
            }),
        }
    }
    out
}

/// The visual order of pieces with these levels (UAX #9 L2): from the highest level down
/// to the lowest odd one, every run of pieces at that level or higher is reversed.
/// Returns indices into `levels`, left to right.
#[must_use]
pub fn visual_order(levels: &[u8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let Some(&max) = levels.iter().max() else {
        return order;
    };
    let min_odd = levels
        .iter()
        .copied()
        .filter(|l| l % 2 == 1)
        .min()
        .unwrap_or(max + 1);
    let mut level = max;
    while level >= min_odd && level > 0 {
        let mut i = 0;
        while i < order.len() {
            let at = |j: usize| {
                order
                    .get(j)
                    .and_then(|&k| levels.get(k))
                    .copied()
                    .unwrap_or(0)
            };
            if at(i) >= level {
                let start = i;
                while i < order.len() && at(i) >= level {
                    i += 1;
                }
                if let Some(run) = order.get_mut(start..i) {
                    run.reverse();
                }
            } else {
                i += 1;
            }
        }
        level -= 1;
    }
    order
}

/// The levels of `pieces` as one line, with trailing whitespace set to the paragraph's
/// level (UAX #9 L1), ready for [`visual_order`].
#[must_use]
pub fn line_levels(pieces: &[Piece], base: u8) -> Vec<u8> {
    let mut levels: Vec<u8> = pieces.iter().map(|p| p.level).collect();
    for (level, piece) in levels.iter_mut().zip(pieces).rev() {
        if !piece.space {
            break;
        }
        *level = base;
    }
    levels
}

/// `text` (one line) rearranged so that a plain left-to-right layout of it shows its words
/// where a bidi layout would: pieces in visual order, each piece's own chars left in
/// logical order (the shaper draws a right-to-left word right to left by itself). For
/// short, single-line display such as the review panel's excerpts.
#[must_use]
pub fn visual_line(text: &str) -> String {
    if !has_rtl(text) {
        return text.to_owned();
    }
    let pieces = pieces(text);
    let levels = line_levels(&pieces, base_level(text));
    visual_order(&levels)
        .into_iter()
        .filter_map(|i| pieces.get(i))
        .filter_map(|p| text.get(p.bytes.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_needs_no_bidi() {
        assert!(!has_rtl("Putin rejected the offer, 2025 — «ok» 東京"));
        assert!(has_rtl("He said שלום"));
        assert!(has_rtl("مرحبا"));
    }

    #[test]
    fn an_rtl_run_inside_ltr_text_is_reversed_word_by_word() {
        let text = "He said שלום עולם today";
        assert_eq!(base_level(text), 0);
        assert_eq!(visual_line(text), "He said עולם שלום today");
    }

    #[test]
    fn an_rtl_paragraph_runs_right_to_left_with_numbers_and_latin_kept_ltr() {
        let text = "قال بوتين 25 مرة Hello world";
        assert_eq!(base_level(text), 1);
        let pieces = pieces(text);
        let words: Vec<&str> = pieces
            .iter()
            .filter(|p| !p.space)
            .filter_map(|p| text.get(p.bytes.clone()))
            .collect();
        assert_eq!(words, ["قال", "بوتين", "25", "مرة", "Hello", "world"]);
        // Left to right on screen: the Latin words (in their own order) come first, the
        // first Arabic word is at the right end.
        let shown = visual_line(text);
        assert!(shown.starts_with("Hello world"), "{shown}");
        assert!(shown.ends_with("بوتين قال"), "{shown}");
    }

    #[test]
    fn pieces_cover_the_line_and_count_chars_not_bytes() {
        let text = "שלום world, ok";
        let p = pieces(text);
        assert_eq!(p.first().map(|p| p.chars.clone()), Some(0..4));
        assert_eq!(p.last().map(|p| p.chars.end), Some(text.chars().count()));
        assert!(p.windows(2).all(|w| w[0].chars.end == w[1].chars.start));
    }

    #[test]
    fn visual_order_reverses_runs_from_the_highest_level_down() {
        assert_eq!(visual_order(&[0, 0, 0]), [0, 1, 2]);
        assert_eq!(visual_order(&[1, 1, 1]), [2, 1, 0]);
        assert_eq!(visual_order(&[0, 1, 1, 0]), [0, 2, 1, 3]);
        assert_eq!(visual_order(&[1, 2, 2, 1]), [3, 1, 2, 0]);
        assert!(visual_order(&[]).is_empty());
    }
}
