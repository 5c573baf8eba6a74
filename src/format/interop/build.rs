//! Where imported spans become projects: every format's reader states a document as a
//! [`RawDoc`] (its text exactly as the file holds it, spans with offsets in the file's unit)
//! and [`build`] turns it into a complete [`Project`]: offsets converted and checked against
//! the text (range, surrogate pairs, stored text), labels resolved against the format's
//! scheme (unknown ones added and reported), duplicates dropped, and every span that cannot
//! be placed kept as an orphan with its reason. A file's text may still have a BOM or CRLF
//! line breaks, which peers count; [`RawText`] maps those offsets onto the normalised
//! article.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::{ImportedDoc, InteropError, safe_stem, stem_leaf};
use crate::model::text::excerpt;
use crate::model::{
    Article, CharOffset, CharRange, Label, LabelSet, Orphan, Project, Rgb, Span, SpanId, Status,
    Utf16Index,
};

/// A text as a file holds it, before normalisation: maps its char offsets to the
/// normalised article's. Normalisation only ever removes chars (leading BOMs, the CR of
/// each CRLF) or replaces one (a lone CR by LF), so a raw offset maps to itself minus the
/// removed chars before it.
#[derive(Clone, Debug)]
pub(super) struct RawText {
    /// Raw char offsets of the removed chars, ascending.
    removed: Vec<usize>,
    char_len: usize,
}

impl RawText {
    fn new(raw: &str) -> Self {
        let mut removed = Vec::new();
        let mut leading = true;
        let mut chars = raw.chars().enumerate().peekable();
        let mut char_len = 0;
        while let Some((i, c)) = chars.next() {
            char_len = i + 1;
            if leading && c == '\u{feff}' {
                removed.push(i);
                continue;
            }
            leading = false;
            if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
                removed.push(i);
            }
        }
        Self { removed, char_len }
    }

    /// The normalised offset of raw char offset `raw` (which must be `<= char_len`).
    fn to_normalised(&self, raw: usize) -> usize {
        raw - self.removed.partition_point(|&r| r < raw)
    }
}

/// An offset as a file states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RawOffset {
    /// Unicode scalar values (code points) of the file's text.
    Chars(usize),
    /// UTF-16 code units of the file's text.
    Utf16(usize),
}

impl fmt::Display for RawOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Chars(n) | Self::Utf16(n) => n.fmt(f),
        }
    }
}

/// A span as a file states it, before it is checked against the text.
#[derive(Clone, Debug)]
pub(super) struct RawSpan {
    /// How the file names it, for messages: "T3", "row 7", "region \"abc\"".
    pub(super) item: String,
    /// The spanmark span id the file carries (a CSV `id`, a Label Studio region `sN`), kept
    /// when it is unique.
    pub(super) id: Option<u64>,
    pub(super) start: RawOffset,
    pub(super) end: RawOffset,
    pub(super) label: String,
    pub(super) note: String,
    pub(super) status: Status,
    /// The span's text as the file stores it, to compare with the article's.
    pub(super) stored_text: Option<String>,
    /// A reason the format already found to keep the span as an orphan.
    pub(super) problem: Option<String>,
}

/// A document as a file states it.
#[derive(Clone, Debug)]
pub(super) struct RawDoc {
    /// Its relative name (checked by [`build`]).
    pub(super) stem: String,
    /// The article's name; the stem's last component when empty.
    pub(super) title: String,
    /// Where the document was read from, for messages.
    pub(super) file: PathBuf,
    /// Its text exactly as stored (BOM, CRLF and all: offsets count them).
    pub(super) text: String,
    pub(super) spans: Vec<RawSpan>,
    pub(super) done: bool,
    /// Problems the format's reader already found (items it ignored), naming file and item.
    pub(super) problems: Vec<String>,
}

/// The label scheme a format declares (brat's annotation.conf, Label Studio's config,
/// REFI-QDA's codebook), or none.
#[derive(Clone, Debug, Default)]
pub(super) struct Scheme {
    /// The labels, in order.
    pub(super) labels: Vec<Label>,
    /// Where they were declared, for messages ("annotation.conf"); `None` when the format
    /// has no scheme.
    pub(super) source: Option<String>,
}

/// Colours for labels a file names without one, after the defaults.
pub(super) const PALETTE: [[u8; 3]; 8] = [
    [0x2A, 0x9D, 0x8F],
    [0xE7, 0x6F, 0x51],
    [0x8A, 0xB1, 0x7D],
    [0xF4, 0xA2, 0x61],
    [0x6D, 0x59, 0x7A],
    [0xB5, 0x65, 0x76],
    [0x26, 0x46, 0x53],
    [0xE9, 0xC4, 0x6A],
];

/// Builds a document's label set: the scheme's labels first, then every label a span names
/// that the scheme lacks (reported when there is a scheme).
struct LabelBuilder {
    labels: Vec<Label>,
    by_name: HashMap<String, usize>,
    scheme_source: Option<String>,
    /// Names added that were not in the scheme.
    added: Vec<String>,
}

impl LabelBuilder {
    fn new(scheme: &Scheme, problems: &mut Vec<String>, file: &Path) -> Self {
        let mut builder = Self {
            labels: Vec::new(),
            by_name: HashMap::new(),
            scheme_source: scheme.source.clone(),
            added: Vec::new(),
        };
        for label in &scheme.labels {
            if builder.by_name.contains_key(&label.name) {
                problems.push(format!(
                    "{}: label \"{}\" is declared twice; the first is used",
                    file.display(),
                    label.name
                ));
                continue;
            }
            let mut label = label.clone();
            if label.key.is_some_and(|k| {
                !crate::model::label::is_label_key(k)
                    || builder.labels.iter().any(|l| l.key == Some(k))
            }) {
                label.key = None;
            }
            builder.push(label);
        }
        builder
    }

    fn push(&mut self, label: Label) {
        self.by_name.insert(label.name.clone(), self.labels.len());
        self.labels.push(label);
    }

    /// The position of the label called `name`, adding it when new.
    fn id_for(&mut self, name: &str) -> usize {
        if let Some(&i) = self.by_name.get(name) {
            return i;
        }
        let defaults = LabelSet::default();
        let mut label = defaults
            .by_name(name)
            .and_then(|id| defaults.get(id).cloned())
            .unwrap_or_else(|| {
                let colour = PALETTE
                    .get(self.labels.len() % PALETTE.len())
                    .copied()
                    .unwrap_or([0x80, 0x80, 0x80]);
                Label::new(name, Rgb(colour))
            });
        if label
            .key
            .is_some_and(|k| self.labels.iter().any(|l| l.key == Some(k)))
        {
            label.key = None;
        }
        if label.key.is_none() {
            label.key = ('1'..='9').find(|k| self.labels.iter().all(|l| l.key != Some(*k)));
        }
        self.added.push(name.to_owned());
        self.push(label);
        self.labels.len() - 1
    }

    fn finish(self, problems: &mut Vec<String>, file: &Path) -> Result<LabelSet, String> {
        if let Some(source) = &self.scheme_source {
            for name in &self.added {
                problems.push(format!(
                    "{}: label \"{name}\" is not in {source}; it was added",
                    file.display()
                ));
            }
        }
        if self.labels.is_empty() {
            return Ok(LabelSet::default());
        }
        LabelSet::new(self.labels).map_err(|e| e.to_string())
    }
}

/// Turn a document as a file states it into a complete project: offsets converted and
/// checked, text compared, labels resolved (unknown ones added and reported), duplicates
/// dropped, and every span that cannot be placed kept as an orphan with its reason.
#[expect(
    clippy::too_many_lines,
    reason = "the one place imported spans become a project, step by step"
)]
pub(super) fn build(raw: RawDoc, scheme: &Scheme) -> Result<ImportedDoc, InteropError> {
    let stem = safe_stem(&raw.stem).map_err(|reason| InteropError::Refused {
        what: format!("document \"{}\"", raw.stem),
        reason,
        path: raw.file.clone(),
    })?;
    let title = if raw.title.is_empty() {
        stem_leaf(&stem).to_owned()
    } else {
        raw.title.clone()
    };
    let article_check =
        crate::format::import::article_from_bytes(&title, None, raw.text.as_bytes());
    if let Err(e) = article_check {
        let problem = match e {
            crate::format::ImportError::Empty { .. } => "the text is empty".to_owned(),
            crate::format::ImportError::Binary { byte_offset, .. } => {
                format!("the text holds a NUL byte (at byte {byte_offset})")
            }
            crate::format::ImportError::TooLarge { size, limit, .. } => {
                format!("the text is too large ({size} bytes; the limit is {limit})")
            }
            other => other.to_string(),
        };
        return Err(InteropError::BadText {
            document: stem,
            problem,
            path: raw.file,
        });
    }
    let article = Article::new(title, None, &raw.text);
    let raw_text = RawText::new(&raw.text);
    let utf16 = raw
        .spans
        .iter()
        .any(|s| matches!(s.start, RawOffset::Utf16(_)))
        .then(|| Utf16Index::new(&raw.text));
    let mut problems = raw.problems;
    let file = raw.file.display().to_string();
    let mut labels = LabelBuilder::new(scheme, &mut problems, &raw.file);

    // First pass: place every span, or say why not.
    let mut placed: Vec<(RawSpan, Result<CharRange, String>)> = Vec::with_capacity(raw.spans.len());
    for span in raw.spans {
        let range = place(&span, &raw_text, utf16.as_ref(), &article);
        placed.push((span, range));
    }
    // Labels in order of first use (after the scheme's); a span without one is an orphan.
    let ids: Vec<Option<usize>> = placed
        .iter_mut()
        .map(|(s, range)| {
            if s.label.trim().is_empty() {
                *range = Err("it has no label".to_owned());
                None
            } else {
                Some(labels.id_for(&s.label))
            }
        })
        .collect();
    let label_set =
        labels
            .finish(&mut problems, &raw.file)
            .map_err(|problem| InteropError::BadText {
                document: stem.clone(),
                problem: format!("its labels cannot form a set: {problem}"),
                path: raw.file.clone(),
            })?;
    let mut project = Project::new(article, label_set);
    project.set_done(raw.done);
    // Ids the file carries are kept when unique; the others count up after the largest.
    let mut next_id = placed
        .iter()
        .filter_map(|(s, _)| s.id)
        .filter(|&id| id <= crate::format::project_file::MAX_ID)
        .max()
        .map_or(0, |m| m + 1);
    let mut used = std::collections::HashSet::new();
    let mut orphans: Vec<Orphan> = Vec::new();
    for ((span, range), label_pos) in placed.into_iter().zip(ids) {
        let id = match span.id {
            Some(id) if id <= crate::format::project_file::MAX_ID && used.insert(id) => SpanId(id),
            _ => {
                let id = next_id;
                next_id += 1;
                used.insert(id);
                SpanId(id)
            }
        };
        let label = crate::model::LabelId(label_pos.unwrap_or(0) as u16);
        let orphan = |reason: String, old: CharRange, text: String| Orphan {
            id,
            label: span.label.clone(),
            old_range: old,
            text,
            note: span.note.clone(),
            reason,
            candidate: None,
        };
        let range = match range {
            Ok(r) => r,
            Err(reason) => {
                problems.push(format!(
                    "{file}: {}: {reason}; kept as an orphan",
                    span.item
                ));
                let (a, b) = (raw_number(span.start), raw_number(span.end));
                let old = CharRange::between(CharOffset(a), CharOffset(b));
                orphans.push(orphan(
                    reason,
                    old,
                    span.stored_text.clone().unwrap_or_default(),
                ));
                continue;
            }
        };
        let candidate = Span {
            id,
            range,
            label,
            note: span.note.clone(),
            status: span.status,
        };
        if let Some(existing) = project.spans().find(range, label) {
            let same = project
                .spans()
                .get(existing)
                .is_some_and(|e| e.note == candidate.note && e.status == candidate.status);
            if same {
                problems.push(format!(
                    "{file}: {}: duplicates another {} span at {range}; dropped",
                    span.item, span.label
                ));
            } else {
                let reason = format!(
                    "duplicates another {} span at {range} with a different note or status",
                    span.label
                );
                problems.push(format!(
                    "{file}: {}: {reason}; kept as an orphan",
                    span.item
                ));
                let text = project
                    .article()
                    .slice(range)
                    .unwrap_or_default()
                    .to_owned();
                orphans.push(orphan(reason, range, text));
            }
            continue;
        }
        if let Err(e) = project.insert_span(candidate) {
            let reason = e.to_string();
            problems.push(format!(
                "{file}: {}: {reason}; kept as an orphan",
                span.item
            ));
            let text = project
                .article()
                .slice(range)
                .unwrap_or_default()
                .to_owned();
            orphans.push(orphan(reason, range, text));
        }
    }
    for o in orphans {
        project.insert_orphan(o);
    }
    Ok(ImportedDoc {
        stem,
        project,
        problems,
    })
}

pub(super) fn raw_number(offset: RawOffset) -> usize {
    match offset {
        RawOffset::Chars(n) | RawOffset::Utf16(n) => n,
    }
}

/// The normalised char range of a span, or why it has none.
fn place(
    span: &RawSpan,
    raw_text: &RawText,
    utf16: Option<&Utf16Index>,
    article: &Article,
) -> Result<CharRange, String> {
    if let Some(problem) = &span.problem {
        return Err(problem.clone());
    }
    let to_chars = |offset: RawOffset, what: &str| -> Result<usize, String> {
        match offset {
            RawOffset::Chars(n) => {
                if n > raw_text.char_len {
                    Err(format!(
                        "its {what} offset {n} is past the end of the text ({} characters)",
                        raw_text.char_len
                    ))
                } else {
                    Ok(n)
                }
            }
            RawOffset::Utf16(n) => utf16
                .ok_or_else(|| "no UTF-16 index".to_owned())?
                .char_of_utf16(n)
                .map(CharOffset::get)
                .map_err(|e| format!("its {what} offset: {e}")),
        }
    };
    let start = to_chars(span.start, "start")?;
    let end = to_chars(span.end, "end")?;
    if start >= end {
        return Err(format!(
            "it is empty or reversed (start {} is not before end {})",
            span.start, span.end
        ));
    }
    let range = CharRange::between(
        CharOffset(raw_text.to_normalised(start)),
        CharOffset(raw_text.to_normalised(end)),
    );
    if range.is_empty() {
        return Err("it covers only a byte-order mark or a carriage return".to_owned());
    }
    if let Some(stored) = &span.stored_text {
        let actual = article.slice(range).unwrap_or_default();
        if !same_text(stored, actual) {
            return Err(format!(
                "its stored text \"{}\" does not match the article's \"{}\" at {range}",
                excerpt(stored, 40),
                excerpt(actual, 40)
            ));
        }
    }
    Ok(range)
}

/// True when a stored span text matches the article's, allowing for the CRLF the file's
/// text may have had (the article's is LF only).
fn same_text(stored: &str, actual: &str) -> bool {
    stored == actual
        || (stored.contains('\r') && crate::model::article::normalise(stored) == actual)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_offsets_map_to_the_normalised_article_exactly() {
        for raw in [
            "plain",
            "\u{feff}\u{feff}a\r\nb\rc\r\n\r\nd\u{feff}",
            "\r\n\r\n",
            "x\r",
            "🙂\r\n東京",
        ] {
            let map = RawText::new(raw);
            let article = Article::new("t", None, raw);
            let norm: Vec<char> = article.text().chars().collect();
            let raw_chars: Vec<char> = raw.chars().collect();
            assert_eq!(map.to_normalised(raw_chars.len()), norm.len(), "{raw:?}");
            // Every kept raw char lands on the same char of the article (a lone CR on LF).
            for (i, c) in raw_chars.iter().enumerate() {
                if map.removed.contains(&i) {
                    continue;
                }
                let n = map.to_normalised(i);
                let expect = if *c == '\r' { '\n' } else { *c };
                assert_eq!(norm.get(n), Some(&expect), "{raw:?} raw {i}");
            }
        }
    }
}
