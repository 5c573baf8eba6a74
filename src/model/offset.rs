//! Typed character offsets into an article.
//!
//! Every offset spanmark stores or shows counts Unicode scalar values (Rust `char`s) of the
//! normalised article text: never bytes, never UTF-16 code units. Ranges are half-open:
//!
//! ```text
//!   text:   P u t i n ␣ r e j e c t e d
//!   offset: 0 1 2 3 4 5 6 7 8 9 …
//!   "rejected" = [6, 14)
//! ```
//!
//! Byte positions only exist at the boundary with egui and Rust's `str` slicing; the
//! [`CharIndex`] maps between the two in O(1). UTF-16 code units only exist at the boundary
//! with formats whose readers count Java or JavaScript string indices (UIMA XMI, doccano);
//! the [`Utf16Index`] maps between chars and code units in O(log n) after one pass.

use std::fmt;
use std::ops::{Add, AddAssign, Range, Sub, SubAssign};

/// An offset in Unicode scalar values (chars) from the start of the article text.
///
/// Arithmetic lives here and nowhere else: add or subtract a count of chars, or take the
/// distance between two offsets. Subtraction saturates at zero, so a computation can never
/// wrap into a huge offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CharOffset(pub usize);

impl CharOffset {
    /// The start of the text.
    pub const ZERO: Self = Self(0);

    /// The offset as a plain number, for display and for arithmetic at module boundaries.
    #[must_use]
    pub fn get(self) -> usize {
        self.0
    }

    /// Chars from `earlier` to `self`; zero when `earlier` is not earlier.
    #[must_use]
    pub fn since(self, earlier: Self) -> usize {
        self.0.saturating_sub(earlier.0)
    }
}

impl Add<usize> for CharOffset {
    type Output = Self;

    fn add(self, chars: usize) -> Self {
        Self(self.0.saturating_add(chars))
    }
}

impl Sub<usize> for CharOffset {
    type Output = Self;

    fn sub(self, chars: usize) -> Self {
        Self(self.0.saturating_sub(chars))
    }
}

impl AddAssign<usize> for CharOffset {
    fn add_assign(&mut self, chars: usize) {
        *self = *self + chars;
    }
}

impl SubAssign<usize> for CharOffset {
    fn sub_assign(&mut self, chars: usize) {
        *self = *self - chars;
    }
}

impl fmt::Display for CharOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A half-open range `[start, end)` of chars. `start <= end` always holds: the fields are
/// private, and every constructor orders or checks them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CharRange {
    start: CharOffset,
    end: CharOffset,
}

impl CharRange {
    /// The range between two offsets, in whichever order they are given
    /// (a selection dragged backwards is still a valid range).
    #[must_use]
    pub fn between(a: CharOffset, b: CharOffset) -> Self {
        Self {
            start: a.min(b),
            end: a.max(b),
        }
    }

    /// `[start, end)` from plain numbers; `None` when `start > end`.
    #[must_use]
    pub fn new(start: usize, end: usize) -> Option<Self> {
        (start <= end).then_some(Self {
            start: CharOffset(start),
            end: CharOffset(end),
        })
    }

    /// `[start, start + len)`.
    #[must_use]
    pub fn at(start: CharOffset, len: usize) -> Self {
        Self {
            start,
            end: start + len,
        }
    }

    /// The empty range at `offset` (a caret).
    #[must_use]
    pub fn empty_at(offset: CharOffset) -> Self {
        Self {
            start: offset,
            end: offset,
        }
    }

    /// First char inside the range.
    #[must_use]
    pub fn start(self) -> CharOffset {
        self.start
    }

    /// First char after the range.
    #[must_use]
    pub fn end(self) -> CharOffset {
        self.end
    }

    /// The same range with another start (ordered again if it passes the end).
    #[must_use]
    pub fn with_start(self, start: CharOffset) -> Self {
        Self::between(start, self.end)
    }

    /// The same range with another end (ordered again if it comes before the start).
    #[must_use]
    pub fn with_end(self, end: CharOffset) -> Self {
        Self::between(self.start, end)
    }

    /// Number of chars covered.
    #[must_use]
    pub fn len(self) -> usize {
        debug_assert!(self.start <= self.end, "{self:?}");
        self.end.since(self.start)
    }

    /// True when the range covers no char.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when the two ranges share at least one char.
    #[must_use]
    pub fn overlaps(self, other: Self) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Number of chars the two ranges share.
    #[must_use]
    pub fn overlap_len(self, other: Self) -> usize {
        self.end.min(other.end).since(self.start.max(other.start))
    }

    /// True when `offset` is inside `[start, end)`.
    #[must_use]
    pub fn contains(self, offset: CharOffset) -> bool {
        self.start <= offset && offset < self.end
    }

    /// True when `other` lies wholly inside this range.
    #[must_use]
    pub fn contains_range(self, other: Self) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The range moved `delta` chars towards the end (or the start, when negative),
    /// saturating at zero.
    #[must_use]
    pub fn shifted(self, delta: isize) -> Self {
        let shift = |o: CharOffset| {
            if delta >= 0 {
                o + delta.unsigned_abs()
            } else {
                o - delta.unsigned_abs()
            }
        };
        Self::between(shift(self.start), shift(self.end))
    }

    /// This range relative to `origin` (e.g. local to a paragraph), clamped to `[0, limit]`.
    #[must_use]
    pub fn local_to(self, origin: CharOffset, limit: usize) -> Range<usize> {
        self.start.since(origin).min(limit)..self.end.since(origin).min(limit)
    }

    /// The range as plain `usize`s, e.g. for iterator adapters.
    #[must_use]
    pub fn as_range(self) -> Range<usize> {
        self.start.0..self.end.0
    }
}

impl fmt::Display for CharRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// How many chars lie between two consecutive checkpoints of a [`CharIndex`].
const CHECKPOINT_STRIDE: usize = 128;

/// Maps char offsets to byte offsets (and back) in O(1) / O(log n).
///
/// It stores the byte offset of every 128th char; a lookup jumps to the checkpoint and walks
/// at most 127 chars. For 5 MB of text that is about 40 000 entries (320 kB).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CharIndex {
    /// `checkpoints[k]` is the byte offset of char `k * CHECKPOINT_STRIDE`.
    checkpoints: Vec<usize>,
    char_len: usize,
    byte_len: usize,
}

impl CharIndex {
    /// Index `text` once; O(n).
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT_STRIDE + 1);
        let mut char_len = 0;
        for (i, (byte, _)) in text.char_indices().enumerate() {
            if i % CHECKPOINT_STRIDE == 0 {
                checkpoints.push(byte);
            }
            char_len = i + 1;
        }
        Self {
            checkpoints,
            char_len,
            byte_len: text.len(),
        }
    }

    /// Number of chars in the indexed text.
    #[must_use]
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Byte offset of `offset` in `text` (which must be the indexed text). Offsets past the
    /// end clamp to the text's length.
    #[must_use]
    pub fn byte_of(&self, text: &str, offset: CharOffset) -> usize {
        if offset.0 >= self.char_len {
            return self.byte_len;
        }
        let k = offset.0 / CHECKPOINT_STRIDE;
        let Some(&base) = self.checkpoints.get(k) else {
            return self.byte_len;
        };
        let rest = offset.0 % CHECKPOINT_STRIDE;
        text.get(base..)
            .and_then(|tail| tail.char_indices().nth(rest))
            .map_or(self.byte_len, |(b, _)| base + b)
    }

    /// Char offset of the char that starts at or contains `byte`.
    #[must_use]
    pub fn char_of_byte(&self, text: &str, byte: usize) -> CharOffset {
        if byte >= self.byte_len {
            return CharOffset(self.char_len);
        }
        let k = self
            .checkpoints
            .partition_point(|&b| b <= byte)
            .saturating_sub(1);
        let Some(&base) = self.checkpoints.get(k) else {
            return CharOffset::ZERO;
        };
        let walked = text.get(base..).map_or(0, |tail| {
            tail.char_indices()
                .take_while(|&(b, _)| base + b <= byte)
                .count()
        });
        CharOffset(k * CHECKPOINT_STRIDE + walked.saturating_sub(1))
    }

    /// Byte range of `range` in `text`.
    #[must_use]
    pub fn byte_range(&self, text: &str, range: CharRange) -> Range<usize> {
        self.byte_of(text, range.start)..self.byte_of(text, range.end)
    }
}

/// Why a UTF-16 offset names no char boundary of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Utf16Error {
    /// The offset lies past the end of the text.
    #[error("UTF-16 offset {offset} is past the end of the text ({len} code units)")]
    OutOfRange {
        /// The offset, in UTF-16 code units.
        offset: usize,
        /// The text's length in UTF-16 code units.
        len: usize,
    },
    /// The offset falls between the two halves (surrogates) of one char outside the Basic
    /// Multilingual Plane, such as an emoji: no char starts there.
    #[error(
        "UTF-16 offset {offset} falls inside a surrogate pair (between the two halves of one character such as an emoji)"
    )]
    InsideSurrogatePair {
        /// The offset, in UTF-16 code units.
        offset: usize,
    },
}

/// Maps char offsets to UTF-16 code unit offsets (as Java and JavaScript count string
/// indices) and back, for one text.
///
/// Only chars outside the Basic Multilingual Plane differ: each is one char but two code
/// units (a surrogate pair). The index lists them once, in one pass over the text, so a
/// conversion is a binary search, never a rescan from the start; a text without such chars
/// costs one empty `Vec`.
///
/// ```text
///   text:    a 🙂 b
///   chars:   0 1  2 3
///   UTF-16:  0 1 3 4      (🙂 is units 1 and 2; offset 2 is inside the pair)
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Utf16Index {
    /// Char offset of every char outside the BMP, ascending.
    astral_chars: Vec<usize>,
    /// UTF-16 offset of the same chars (their first surrogate), ascending.
    astral_units: Vec<usize>,
    char_len: usize,
}

impl Utf16Index {
    /// Index `text` in one pass; O(n).
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut astral_chars = Vec::new();
        let mut astral_units = Vec::new();
        let mut char_len = 0;
        for (i, c) in text.chars().enumerate() {
            if c.len_utf16() == 2 {
                astral_units.push(i + astral_chars.len());
                astral_chars.push(i);
            }
            char_len = i + 1;
        }
        Self {
            astral_chars,
            astral_units,
            char_len,
        }
    }

    /// Number of chars in the indexed text.
    #[must_use]
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Length of the indexed text in UTF-16 code units.
    #[must_use]
    pub fn utf16_len(&self) -> usize {
        self.char_len + self.astral_chars.len()
    }

    /// The UTF-16 offset of char offset `offset` (clamped to the end of the text).
    #[must_use]
    pub fn utf16_of(&self, offset: CharOffset) -> usize {
        let chars = offset.0.min(self.char_len);
        chars + self.astral_chars.partition_point(|&a| a < chars)
    }

    /// The UTF-16 range of a char range.
    #[must_use]
    pub fn utf16_range(&self, range: CharRange) -> Range<usize> {
        self.utf16_of(range.start)..self.utf16_of(range.end)
    }

    /// The char offset at UTF-16 offset `units`, or why there is none: past the end, or
    /// between the two surrogates of one char.
    pub fn char_of_utf16(&self, units: usize) -> Result<CharOffset, Utf16Error> {
        let len = self.utf16_len();
        if units > len {
            return Err(Utf16Error::OutOfRange { offset: units, len });
        }
        // Pairs that end at or before `units` each count two units for one char.
        let whole = self.astral_units.partition_point(|&u| u + 2 <= units);
        if self
            .astral_units
            .get(whole)
            .is_some_and(|&u| u + 1 == units)
        {
            return Err(Utf16Error::InsideSurrogatePair { offset: units });
        }
        Ok(CharOffset(units - whole))
    }

    /// True when `units` is a char boundary of the text: not past its end and not inside a
    /// surrogate pair.
    #[must_use]
    pub fn is_char_boundary(&self, units: usize) -> bool {
        self.char_of_utf16(units).is_ok()
    }

    /// The char range of UTF-16 range `start..end`; `start > end` is an error of `start`.
    pub fn char_range_of_utf16(&self, start: usize, end: usize) -> Result<CharRange, Utf16Error> {
        let a = self.char_of_utf16(start)?;
        let b = self.char_of_utf16(end)?;
        Ok(CharRange::between(a, b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_all(text: &str) {
        let index = CharIndex::new(text);
        assert_eq!(index.char_len(), text.chars().count());
        for (i, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(index.byte_of(text, CharOffset(i)), byte, "char {i}");
            assert_eq!(index.char_of_byte(text, byte), CharOffset(i), "byte {byte}");
        }
        assert_eq!(
            index.byte_of(text, CharOffset(index.char_len())),
            text.len()
        );
    }

    #[test]
    fn ascii_and_multibyte_offsets_map_exactly() {
        check_all("Putin rejected the offer");
        check_all("Путин отклонил 提议 🇺🇦 e\u{301} 👩‍👩‍👧 done");
        check_all(&"naïve café 東京 🙂 ".repeat(100));
    }

    #[test]
    fn inner_byte_of_a_multibyte_char_maps_to_that_char() {
        let text = "a東b";
        let index = CharIndex::new(text);
        assert_eq!(index.char_of_byte(text, 2), CharOffset(1));
        assert_eq!(index.char_of_byte(text, 4), CharOffset(2));
    }

    #[test]
    fn empty_text_and_out_of_range_clamp() {
        let index = CharIndex::new("");
        assert_eq!(index.byte_of("", CharOffset(5)), 0);
        assert_eq!(index.char_of_byte("", 3), CharOffset(0));
    }

    #[test]
    fn ranges_are_half_open() {
        let a = CharRange::between(CharOffset(5), CharOffset(2));
        assert_eq!(a, CharRange::new(2, 5).unwrap_or_default());
        assert!(a.contains(CharOffset(2)));
        assert!(!a.contains(CharOffset(5)));
        let b = CharRange::new(5, 9).unwrap_or_default();
        assert!(!a.overlaps(b));
        assert!(a.overlaps(CharRange::new(4, 6).unwrap_or_default()));
        assert_eq!(CharRange::new(3, 2), None);
    }

    /// The UTF-16 offset of every char, counted the slow and obvious way.
    fn utf16_starts(text: &str) -> Vec<usize> {
        let mut at = 0;
        let mut starts = Vec::new();
        for c in text.chars() {
            starts.push(at);
            at += c.len_utf16();
        }
        starts.push(at);
        starts
    }

    #[test]
    fn utf16_offsets_map_both_ways_on_hard_unicode() {
        for text in [
            "",
            "plain ascii",
            "a🙂b",
            "🇺🇦🏳\u{fe0f}\u{200d}🌈 e\u{301} 東京 \u{627}\u{644} \u{200b}\u{10ffff}",
            "🙂🙂🙂",
        ] {
            let index = Utf16Index::new(text);
            let starts = utf16_starts(text);
            assert_eq!(index.utf16_len(), text.encode_utf16().count(), "{text:?}");
            for (i, &u) in starts.iter().enumerate() {
                assert_eq!(index.utf16_of(CharOffset(i)), u, "{text:?} char {i}");
                assert_eq!(
                    index.char_of_utf16(u),
                    Ok(CharOffset(i)),
                    "{text:?} unit {u}"
                );
            }
            for u in 0..=index.utf16_len() {
                assert_eq!(
                    index.is_char_boundary(u),
                    starts.contains(&u),
                    "{text:?} {u}"
                );
            }
        }
    }

    #[test]
    fn utf16_offset_inside_a_surrogate_pair_or_past_the_end_is_refused() {
        let index = Utf16Index::new("a🙂b");
        assert_eq!(
            index.char_of_utf16(2),
            Err(Utf16Error::InsideSurrogatePair { offset: 2 })
        );
        assert_eq!(
            index.char_of_utf16(5),
            Err(Utf16Error::OutOfRange { offset: 5, len: 4 })
        );
        assert_eq!(index.utf16_range(CharRange::at(CharOffset(1), 1)), 1..3);
        assert_eq!(
            index.char_range_of_utf16(1, 3),
            Ok(CharRange::at(CharOffset(1), 1))
        );
        assert_eq!(index.utf16_of(CharOffset(99)), 4, "clamped to the end");
    }
}
