//! One tagged span of the article.

use super::label::LabelId;
use super::offset::CharRange;

/// Identifies a span for the life of a project; stored in the file, never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SpanId(pub u64);

/// Whether a span has been checked by the analyst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Status {
    /// Placed by the analyst, or confirmed after review (the default).
    #[default]
    Confirmed,
    /// Placed by re-anchoring onto edited text: the analyst should look at it.
    NeedsReview,
}

impl Status {
    /// The name used in files and the UI.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "Confirmed",
            Self::NeedsReview => "NeedsReview",
        }
    }
}

/// A labelled char range with the analyst's note. Its text is not stored here: it is always
/// the article's text at `range`, so it can never disagree with it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// Stable identity.
    pub id: SpanId,
    /// The chars it covers; never empty.
    pub range: CharRange,
    /// What kind of span it is.
    pub label: LabelId,
    /// Free text from the analyst.
    pub note: String,
    /// Review status.
    pub status: Status,
}

impl Span {
    /// The order spans are kept in: by start, then end, then label, then id.
    #[must_use]
    pub fn sort_key(&self) -> (usize, usize, LabelId, SpanId) {
        (self.range.start.0, self.range.end.0, self.label, self.id)
    }
}

/// A span that could not be placed in the article: kept with everything it had, so that
/// the analyst can place or delete it by hand.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Orphan {
    /// The id it had as a span.
    pub id: SpanId,
    /// Its label's name (which may not exist in the project's set).
    pub label: String,
    /// Where it was, in the text it was made on.
    pub old_range: CharRange,
    /// The text it covered.
    pub text: String,
    /// The analyst's note.
    pub note: String,
    /// Why it could not be placed, in words for the analyst.
    pub reason: String,
}
