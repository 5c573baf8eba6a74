//! Labels: the kinds of span an analyst can tag.
//!
//! The set is data, not an enum: the default project carries Claim, Quote and Disclaimer,
//! but a project file may define others. Spans refer to labels by [`LabelId`], the label's
//! position in its project's set, which never changes while the project is open.

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// Parse `#RRGGBB` (case-insensitive).
    #[must_use]
    pub fn from_hex(s: &str) -> Option<Self> {
        let hex = s.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        };
        Some(Self([byte(0)?, byte(2)?, byte(4)?]))
    }

    /// Format as `#RRGGBB` (upper case).
    #[must_use]
    pub fn to_hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02X}{g:02X}{b:02X}")
    }
}

/// Identifies a label within its project's [`LabelSet`]. Ids are stable while a project is
/// open: renaming, reordering or deleting other labels never changes a label's id, so spans
/// keep pointing at the right label. Files store names, not ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LabelId(pub u16);

/// One label: how it is named, drawn and applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Shown in the label bar, the review panel and the file.
    pub name: String,
    /// Background colour of its spans.
    pub color: Rgb,
    /// The key that applies it (`'1'`..=`'9'`), if any.
    pub key: Option<char>,
    /// A short annotation guideline, shown on hover over the label's button.
    pub description: String,
}

impl Label {
    /// A label with no key and no description.
    #[must_use]
    pub fn new(name: impl Into<String>, color: Rgb) -> Self {
        Self {
            name: name.into(),
            color,
            key: None,
            description: String::new(),
        }
    }
}

/// The labels of one project, in the order they are shown.
///
/// Slots are indexed by [`LabelId`] and never reused within a set's life; `order` lists the
/// live ones in display order. A deleted label leaves an empty slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelSet {
    slots: Vec<Option<Label>>,
    order: Vec<LabelId>,
}

/// The guideline text of the three default labels.
pub const CLAIM_GUIDELINE: &str = "A check-worthy statement of fact (an event, decision, figure, percentage, amount, date or attributed statement that could be verified), as the clause that states it; not opinions, forecasts or quoted words.";
/// See [`CLAIM_GUIDELINE`].
pub const QUOTE_GUIDELINE: &str = "Direct speech or words quoted from a source, two words or more, without the quotation marks (punctuation inside them kept); a quotation interrupted by its attribution is two spans.";
/// See [`CLAIM_GUIDELINE`].
pub const DISCLAIMER_GUIDELINE: &str = "A passage limiting the text's standing or the author's responsibility (risk warnings, not investment/medical advice, for information only, the author's own views), as one span starting at its heading.";

impl Default for LabelSet {
    /// Claim (1), Quote (2), Disclaimer (3).
    fn default() -> Self {
        let label = |name: &str, rgb: [u8; 3], key: char, description: &str| Label {
            name: name.to_owned(),
            color: Rgb(rgb),
            key: Some(key),
            description: description.to_owned(),
        };
        Self::from_valid(vec![
            label("Claim", [0xE8, 0x91, 0x1E], '1', CLAIM_GUIDELINE),
            label("Quote", [0x2E, 0x86, 0xDE], '2', QUOTE_GUIDELINE),
            label("Disclaimer", [0x9B, 0x59, 0xB6], '3', DISCLAIMER_GUIDELINE),
        ])
    }
}

/// Why a list of labels cannot form a set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LabelSetError {
    /// A set needs at least one label.
    #[error("there must be at least one label")]
    Empty,
    /// Two labels share a name.
    #[error("label \"{0}\" is defined twice")]
    DuplicateName(String),
    /// A label's name is empty or only whitespace.
    #[error("a label has an empty name")]
    EmptyName,
    /// Two labels share a key.
    #[error("key {0} is given to two labels")]
    DuplicateKey(char),
    /// A key other than 1 to 9.
    #[error("label \"{name}\" has key \"{key}\"; keys are the digits 1 to 9")]
    BadKey {
        /// The label's name.
        name: String,
        /// The key it asked for.
        key: char,
    },
    /// More labels than a set can index.
    #[error("too many labels ({0})")]
    TooMany(usize),
    /// The id names no label of this set.
    #[error("there is no such label")]
    NoSuchLabel,
}

/// True for the keys a label may have: the digits 1 to 9.
#[must_use]
pub fn is_label_key(key: char) -> bool {
    matches!(key, '1'..='9')
}

fn check(labels: &[&Label]) -> Result<(), LabelSetError> {
    if labels.is_empty() {
        return Err(LabelSetError::Empty);
    }
    for (i, label) in labels.iter().enumerate() {
        if label.name.trim().is_empty() {
            return Err(LabelSetError::EmptyName);
        }
        let earlier = labels.get(..i).unwrap_or_default();
        if earlier.iter().any(|l| l.name == label.name) {
            return Err(LabelSetError::DuplicateName(label.name.clone()));
        }
        if let Some(key) = label.key {
            if !is_label_key(key) {
                return Err(LabelSetError::BadKey {
                    name: label.name.clone(),
                    key,
                });
            }
            if earlier.iter().any(|l| l.key == Some(key)) {
                return Err(LabelSetError::DuplicateKey(key));
            }
        }
    }
    Ok(())
}

impl LabelSet {
    /// Build a set, refusing empty or duplicate names, keys other than 1–9 and duplicate
    /// keys. Ids are the positions in `labels`.
    pub fn new(labels: Vec<Label>) -> Result<Self, LabelSetError> {
        if labels.len() > usize::from(u16::MAX) {
            return Err(LabelSetError::TooMany(labels.len()));
        }
        check(&labels.iter().collect::<Vec<_>>())?;
        Ok(Self::from_valid(labels))
    }

    fn from_valid(labels: Vec<Label>) -> Self {
        let order = (0..labels.len()).map(|i| LabelId(i as u16)).collect();
        Self {
            slots: labels.into_iter().map(Some).collect(),
            order,
        }
    }

    /// This set with `label` added at the end, and the new label's id.
    pub fn with_added(&self, label: Label) -> Result<(Self, LabelId), LabelSetError> {
        if self.slots.len() >= usize::from(u16::MAX) {
            return Err(LabelSetError::TooMany(self.slots.len() + 1));
        }
        let id = LabelId(self.slots.len() as u16);
        let mut next = self.clone();
        next.slots.push(Some(label));
        next.order.push(id);
        next.validate()?;
        Ok((next, id))
    }

    /// This set with label `id` replaced by `label` (rename, recolour, new key, description).
    pub fn with_changed(&self, id: LabelId, label: Label) -> Result<Self, LabelSetError> {
        let mut next = self.clone();
        let slot = next
            .slots
            .get_mut(usize::from(id.0))
            .filter(|s| s.is_some())
            .ok_or(LabelSetError::NoSuchLabel)?;
        *slot = Some(label);
        next.validate()?;
        Ok(next)
    }

    /// This set without label `id`. Spans that still use it must be relabelled first; the
    /// project refuses the edit otherwise.
    pub fn without(&self, id: LabelId) -> Result<Self, LabelSetError> {
        let mut next = self.clone();
        let slot = next
            .slots
            .get_mut(usize::from(id.0))
            .filter(|s| s.is_some())
            .ok_or(LabelSetError::NoSuchLabel)?;
        *slot = None;
        next.order.retain(|&o| o != id);
        next.validate()?;
        Ok(next)
    }

    /// This set with label `id` moved `delta` places in the display order (clamped).
    #[must_use]
    pub fn with_moved(&self, id: LabelId, delta: isize) -> Self {
        let mut next = self.clone();
        let Some(from) = next.order.iter().position(|&o| o == id) else {
            return next;
        };
        let to = from
            .saturating_add_signed(delta)
            .min(next.order.len().saturating_sub(1));
        let moved = next.order.remove(from);
        next.order.insert(to, moved);
        next
    }

    fn validate(&self) -> Result<(), LabelSetError> {
        check(&self.iter().map(|(_, l)| l).collect::<Vec<_>>())
    }

    /// The label with this id.
    #[must_use]
    pub fn get(&self, id: LabelId) -> Option<&Label> {
        self.slots.get(usize::from(id.0)).and_then(Option::as_ref)
    }

    /// The label's name, or `"?"` for an unknown id.
    #[must_use]
    pub fn name(&self, id: LabelId) -> &str {
        self.get(id).map_or("?", |l| l.name.as_str())
    }

    /// The id of the label called `name`.
    #[must_use]
    pub fn by_name(&self, name: &str) -> Option<LabelId> {
        self.iter().find(|(_, l)| l.name == name).map(|(id, _)| id)
    }

    /// The id of the label applied by `key`.
    #[must_use]
    pub fn by_key(&self, key: char) -> Option<LabelId> {
        self.iter()
            .find(|(_, l)| l.key == Some(key))
            .map(|(id, _)| id)
    }

    /// All labels with their ids, in display order.
    pub fn iter(&self) -> impl Iterator<Item = (LabelId, &Label)> {
        self.order
            .iter()
            .filter_map(|&id| self.get(id).map(|l| (id, l)))
    }

    /// Number of labels.
    #[must_use]
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Always false: a set holds at least one label.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// True when the two sets hold the same labels in the same order (ids aside).
    #[must_use]
    pub fn same_labels(&self, other: &Self) -> bool {
        self.iter().map(|(_, l)| l).eq(other.iter().map(|(_, l)| l))
    }

    /// The first digit key no label uses.
    #[must_use]
    pub fn free_key(&self) -> Option<char> {
        ('1'..='9').find(|&k| self.by_key(k).is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_set_is_claim_quote_disclaimer_on_keys_1_2_3() {
        let set = LabelSet::default();
        let names: Vec<_> = set.iter().map(|(_, l)| l.name.as_str()).collect();
        assert_eq!(names, ["Claim", "Quote", "Disclaimer"]);
        assert_eq!(set.by_key('2'), set.by_name("Quote"));
        assert_eq!(set.by_key('4'), None);
    }

    #[test]
    fn hex_colours_round_trip_and_bad_ones_are_refused() {
        assert_eq!(Rgb::from_hex("#e8911e"), Some(Rgb([0xE8, 0x91, 0x1E])));
        assert_eq!(Rgb([1, 2, 255]).to_hex(), "#0102FF");
        for bad in ["e8911e", "#e8911", "#gg0000", "#ééé", ""] {
            assert_eq!(Rgb::from_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn duplicate_names_and_keys_are_refused() {
        let l = |n: &str, k| Label {
            key: k,
            ..Label::new(n, Rgb([0, 0, 0]))
        };
        assert_eq!(
            LabelSet::new(vec![l("A", Some('1')), l("A", Some('2'))]),
            Err(LabelSetError::DuplicateName("A".to_owned()))
        );
        assert_eq!(
            LabelSet::new(vec![l("A", Some('1')), l("B", Some('1'))]),
            Err(LabelSetError::DuplicateKey('1'))
        );
        assert_eq!(LabelSet::new(vec![]), Err(LabelSetError::Empty));
        assert!(LabelSet::new(vec![l("A", None), l("B", None)]).is_ok());
        assert_eq!(
            LabelSet::new(vec![l("A", Some('x'))]),
            Err(LabelSetError::BadKey {
                name: "A".to_owned(),
                key: 'x'
            })
        );
    }

    #[test]
    fn ids_stay_stable_through_rename_reorder_add_and_delete() -> Result<(), LabelSetError> {
        let set = LabelSet::default();
        let quote = set.by_name("Quote").ok_or(LabelSetError::NoSuchLabel)?;
        let (set, extra) = set.with_added(Label::new("Source", Rgb([1, 2, 3])))?;
        let set = set.with_moved(extra, -10);
        let claim = set.by_name("Claim").ok_or(LabelSetError::NoSuchLabel)?;
        let set = set.without(claim)?;
        let renamed = Label {
            name: "Citation".to_owned(),
            ..set.get(quote).cloned().ok_or(LabelSetError::NoSuchLabel)?
        };
        let set = set.with_changed(quote, renamed)?;
        let names: Vec<_> = set.iter().map(|(_, l)| l.name.as_str()).collect();
        assert_eq!(names, ["Source", "Citation", "Disclaimer"]);
        assert_eq!(set.by_name("Citation"), Some(quote), "the id did not move");
        assert_eq!(set.get(claim), None);
        assert_eq!(set.free_key(), Some('1'));
        assert_eq!(
            set.with_changed(claim, Label::new("X", Rgb([0, 0, 0]))),
            Err(LabelSetError::NoSuchLabel)
        );
        Ok(())
    }
}
