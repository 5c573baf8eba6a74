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
    /// Placed by re-anchoring onto edited text, or left by a merge conflict: the analyst
    /// should look at it.
    NeedsReview,
    /// Proposed by a suggester; not yet accepted by the analyst.
    Suggested,
    /// A suggestion the analyst rejected: kept so that it is never proposed again, hidden
    /// from the article and the counts.
    Rejected,
}

impl Status {
    /// Every status, in the order menus list them.
    pub const ALL: [Self; 4] = [
        Self::Confirmed,
        Self::NeedsReview,
        Self::Suggested,
        Self::Rejected,
    ];

    /// The name used in files and the UI.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "Confirmed",
            Self::NeedsReview => "NeedsReview",
            Self::Suggested => "Suggested",
            Self::Rejected => "Rejected",
        }
    }

    /// The status called `name` (as [`Status::as_str`] writes it).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// True for spans the analyst has made or accepted: what counts as annotation (not a
    /// pending or rejected suggestion).
    #[must_use]
    pub fn is_annotation(self) -> bool {
        matches!(self, Self::Confirmed | Self::NeedsReview)
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
        (
            self.range.start().0,
            self.range.end().0,
            self.label,
            self.id,
        )
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
    /// Where it probably belongs now (the rewritten text at its old place), offered as a
    /// one-click "place there"; not stored in files.
    pub candidate: Option<CharRange>,
}
