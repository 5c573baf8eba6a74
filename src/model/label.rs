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

/// Identifies a label within its project's [`LabelSet`].
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
}

/// The labels of one project, in the order they are shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelSet {
    labels: Vec<Label>,
}

impl Default for LabelSet {
    /// Claim (1), Quote (2), Disclaimer (3).
    fn default() -> Self {
        Self {
            labels: vec![
                Label {
                    name: "Claim".to_owned(),
                    color: Rgb([0xE8, 0x91, 0x1E]),
                    key: Some('1'),
                },
                Label {
                    name: "Quote".to_owned(),
                    color: Rgb([0x2E, 0x86, 0xDE]),
                    key: Some('2'),
                },
                Label {
                    name: "Disclaimer".to_owned(),
                    color: Rgb([0x9B, 0x59, 0xB6]),
                    key: Some('3'),
                },
            ],
        }
    }
}

/// Why a list of labels cannot form a set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LabelSetError {
    /// A set needs at least one label.
    #[error("the project defines no labels")]
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
    /// More labels than a set can index.
    #[error("too many labels ({0})")]
    TooMany(usize),
}

impl LabelSet {
    /// Build a set, refusing empty or duplicate names and duplicate keys.
    pub fn new(labels: Vec<Label>) -> Result<Self, LabelSetError> {
        if labels.is_empty() {
            return Err(LabelSetError::Empty);
        }
        if labels.len() > usize::from(u16::MAX) {
            return Err(LabelSetError::TooMany(labels.len()));
        }
        for (i, label) in labels.iter().enumerate() {
            if label.name.trim().is_empty() {
                return Err(LabelSetError::EmptyName);
            }
            let earlier = labels.get(..i).unwrap_or_default();
            if earlier.iter().any(|l| l.name == label.name) {
                return Err(LabelSetError::DuplicateName(label.name.clone()));
            }
            if let Some(key) = label.key
                && earlier.iter().any(|l| l.key == Some(key))
            {
                return Err(LabelSetError::DuplicateKey(key));
            }
        }
        Ok(Self { labels })
    }

    /// The label with this id.
    #[must_use]
    pub fn get(&self, id: LabelId) -> Option<&Label> {
        self.labels.get(usize::from(id.0))
    }

    /// The label's name, or `"?"` for an unknown id.
    #[must_use]
    pub fn name(&self, id: LabelId) -> &str {
        self.get(id).map_or("?", |l| l.name.as_str())
    }

    /// The id of the label called `name`.
    #[must_use]
    pub fn by_name(&self, name: &str) -> Option<LabelId> {
        self.labels
            .iter()
            .position(|l| l.name == name)
            .map(|i| LabelId(i as u16))
    }

    /// The id of the label applied by `key`.
    #[must_use]
    pub fn by_key(&self, key: char) -> Option<LabelId> {
        self.labels
            .iter()
            .position(|l| l.key == Some(key))
            .map(|i| LabelId(i as u16))
    }

    /// All labels with their ids, in display order.
    pub fn iter(&self) -> impl Iterator<Item = (LabelId, &Label)> {
        self.labels
            .iter()
            .enumerate()
            .map(|(i, l)| (LabelId(i as u16), l))
    }

    /// Number of labels.
    #[must_use]
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Always false: a set holds at least one label.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
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
            name: n.to_owned(),
            color: Rgb([0, 0, 0]),
            key: k,
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
    }
}
