//! Corpus search: one in-memory index over every document of a corpus, searched as the
//! analyst types (Ctrl+Shift+F).
//!
//! Each document keeps its article text (shared with an open project, not copied) and one
//! string holding the text and the note of every span, each followed by a NUL; a search
//! runs one regex over that string per document (fast literal prefilters do the work), maps
//! each match back to its span by binary search, and looks at the article text only when
//! the spans did not fill the result list. Documents are searched in parallel (rayon) in
//! chunks, in document order, so a common word stops early and a rare one uses both cores.
//!
//! ```text
//!   fields: "Putin rejected\0an offer he made\0the offer\0"
//!            ^ span 0 text    ^ span 0 note    ^ span 1 text
//!   "OFFER" -> span 0 note, span 1 text (chars 15..20 of the article), then the article
//! ```
//!
//! Matching is case-insensitive by default, with Unicode simple case folding on the
//! original text (through `regex`), so offsets never drift on text whose lower case has
//! another length.

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::offset::{CharOffset, CharRange};
use super::project::Project;
use super::span::{SpanId, Status};

/// Documents searched in one parallel step before checking whether the result list is full.
const CHUNK_DOCS: usize = 512;
/// Chars of context shown before a match in an excerpt.
const CONTEXT_BEFORE: usize = 30;
/// Chars of a match shown in an excerpt (longer matches are cut).
const MATCH_SHOWN: usize = 60;
/// Chars of context shown after a match.
const CONTEXT_AFTER: usize = 40;
/// Separator after every field; a match across it is not a match.
const SEPARATOR: char = '\0';

/// What a hit matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HitKind {
    /// The text of a span.
    SpanText,
    /// The note of a span.
    Note,
    /// The name of a span's label (every span of a matching label is a hit).
    Label,
    /// The article's text (anywhere, inside a span or not).
    Article,
}

impl HitKind {
    /// A short name for result lists.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SpanText => "span",
            Self::Note => "note",
            Self::Label => "label",
            Self::Article => "text",
        }
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The document's position in the index ([`CorpusIndex::path`] names it).
    pub doc: usize,
    /// The document's path, relative to the corpus, `/` separators.
    pub path: Arc<str>,
    /// What matched.
    pub kind: HitKind,
    /// Chars of the article to select when the hit is opened: the matched text for
    /// [`HitKind::SpanText`] and [`HitKind::Article`], the whole span for a note or label.
    pub range: CharRange,
    /// The span that matched (none for an article hit).
    pub span: Option<SpanId>,
    /// That span's label.
    pub label: Option<String>,
    /// One line of context around the match (the span's text for a label hit).
    pub excerpt: String,
    /// Chars of `excerpt` that matched (empty for a label hit).
    pub excerpt_match: Range<usize>,
}

/// What to search and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent switches of the search bar, each a checkbox"
)]
pub struct SearchOptions {
    /// Match case exactly (default: ignore case).
    pub case_sensitive: bool,
    /// Search spans' text.
    pub span_text: bool,
    /// Search spans' notes.
    pub notes: bool,
    /// Search label names.
    pub labels: bool,
    /// Search the articles' text.
    pub article: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            case_sensitive: false,
            span_text: true,
            notes: true,
            labels: true,
            article: true,
        }
    }
}

/// Which part of a span a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Text,
    Note,
}

/// One field (a span's text or note) in a document's `fields` string.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Byte where it starts in `fields`.
    start: u32,
    /// Its span, as a position in `spans`.
    span: u32,
    field: Field,
}

/// A span as the index needs it.
#[derive(Clone, Copy, Debug)]
struct IndexedSpan {
    id: SpanId,
    range: CharRange,
    /// Position in the document's `labels`.
    label: u16,
}

/// One document of the index.
#[derive(Clone, Debug)]
pub struct DocIndex {
    path: Arc<str>,
    text: Arc<str>,
    fields: String,
    entries: Vec<Entry>,
    spans: Vec<IndexedSpan>,
    labels: Vec<String>,
}

impl DocIndex {
    /// Index `project` as the document at `path`: every span except rejected suggestions
    /// (which are hidden everywhere), their notes and labels, and the article's text
    /// (shared with the project, not copied).
    #[must_use]
    pub fn new(path: impl Into<Arc<str>>, project: &Project) -> Self {
        let labels_set = project.labels();
        let mut labels: Vec<String> = Vec::new();
        let mut label_slots: Vec<(super::label::LabelId, u16)> = Vec::new();
        for (id, label) in labels_set.iter() {
            label_slots.push((id, labels.len() as u16));
            labels.push(label.name.clone());
        }
        let mut doc = Self {
            path: path.into(),
            text: project.article().shared_text(),
            fields: String::new(),
            entries: Vec::with_capacity(project.spans().len() * 2),
            spans: Vec::with_capacity(project.spans().len()),
            labels,
        };
        for span in project
            .spans()
            .iter()
            .filter(|s| s.status != Status::Rejected)
        {
            let Some(&(_, label)) = label_slots.iter().find(|(id, _)| *id == span.label) else {
                continue;
            };
            let Ok(index) = u32::try_from(doc.spans.len()) else {
                break;
            };
            doc.spans.push(IndexedSpan {
                id: span.id,
                range: span.range,
                label,
            });
            let text = project.span_text(span);
            if !(doc.push_field(text, index, Field::Text)
                && doc.push_field(&span.note, index, Field::Note))
            {
                break;
            }
        }
        doc.fields.shrink_to_fit();
        doc
    }

    /// Index an article that has no project yet: only its text is searched.
    #[must_use]
    pub fn article_only(path: impl Into<Arc<str>>, text: Arc<str>) -> Self {
        Self {
            path: path.into(),
            text,
            fields: String::new(),
            entries: Vec::new(),
            spans: Vec::new(),
            labels: Vec::new(),
        }
    }

    /// Append a non-empty field; false when the fields string is full (over 4 GiB, which
    /// no project that loads can reach).
    fn push_field(&mut self, text: &str, span: u32, field: Field) -> bool {
        if text.is_empty() {
            return true;
        }
        let Ok(start) = u32::try_from(self.fields.len()) else {
            return false;
        };
        if u32::try_from(self.fields.len() + text.len() + 1).is_err() {
            return false;
        }
        self.entries.push(Entry { start, span, field });
        self.fields.push_str(text);
        self.fields.push(SEPARATOR);
        true
    }

    /// The document's path, relative to the corpus.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Spans indexed.
    #[must_use]
    pub fn span_count(&self) -> usize {
        self.spans.len()
    }

    /// Bytes this document holds on its own (the article text may be shared).
    #[must_use]
    pub fn own_bytes(&self) -> usize {
        self.fields.capacity()
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.spans.capacity() * std::mem::size_of::<IndexedSpan>()
            + self.labels.iter().map(String::capacity).sum::<usize>()
            + self.path.len()
    }

    /// Matches in span text and notes, in field order, at most `limit`.
    fn field_matches(&self, re: &regex::Regex, options: SearchOptions, limit: usize) -> Vec<Raw> {
        let mut out = Vec::new();
        if !(options.span_text || options.notes) {
            return out;
        }
        for m in re.find_iter(&self.fields) {
            if out.len() == limit {
                break;
            }
            let Some(e) = self
                .entries
                .partition_point(|e| e.start as usize <= m.start())
                .checked_sub(1)
            else {
                continue;
            };
            let Some(entry) = self.entries.get(e) else {
                continue;
            };
            // The entry ends at its separator: the next entry's start minus one.
            let end = self
                .entries
                .get(e + 1)
                .map_or(self.fields.len(), |n| n.start as usize)
                .saturating_sub(1);
            if m.end() > end || m.start() == m.end() {
                continue;
            }
            let wanted = match entry.field {
                Field::Text => options.span_text,
                Field::Note => options.notes,
            };
            if wanted {
                out.push(Raw {
                    kind: match entry.field {
                        Field::Text => HitKind::SpanText,
                        Field::Note => HitKind::Note,
                    },
                    span: entry.span,
                    field_start: entry.start as usize,
                    bytes: m.range(),
                });
            }
        }
        out
    }

    /// Every span whose label name matches, in document order, at most `limit`.
    fn label_matches(&self, re: &regex::Regex, limit: usize) -> Vec<Raw> {
        let matching: Vec<u16> = self
            .labels
            .iter()
            .enumerate()
            .filter(|(_, name)| re.is_match(name))
            .map(|(i, _)| i as u16)
            .collect();
        if matching.is_empty() {
            return Vec::new();
        }
        self.spans
            .iter()
            .enumerate()
            .filter(|(_, s)| matching.contains(&s.label))
            .take(limit)
            .map(|(i, _)| Raw {
                kind: HitKind::Label,
                span: i as u32,
                field_start: 0,
                bytes: 0..0,
            })
            .collect()
    }

    /// Matches in the article text, at most `limit`.
    fn article_matches(&self, re: &regex::Regex, limit: usize) -> Vec<Raw> {
        re.find_iter(&self.text)
            .filter(|m| m.start() < m.end())
            .take(limit)
            .map(|m| Raw {
                kind: HitKind::Article,
                span: 0,
                field_start: 0,
                bytes: m.range(),
            })
            .collect()
    }

    /// Turn this document's raw matches (in order, one kind) into hits.
    fn hits(&self, doc: usize, raws: &[Raw], out: &mut Vec<Hit>) {
        // Article matches come in text order: count chars forward from the previous one.
        let mut counted = (0usize, 0usize);
        for raw in raws {
            let span = self.spans.get(raw.span as usize);
            let label = span.and_then(|s| self.labels.get(usize::from(s.label)).cloned());
            let hit = match raw.kind {
                HitKind::Article => {
                    let (byte, chars) = counted;
                    let start = chars + char_count(&self.text, byte..raw.bytes.start);
                    let len = char_count(&self.text, raw.bytes.clone());
                    counted = (raw.bytes.end, start + len);
                    let (excerpt, excerpt_match) = context(&self.text, raw.bytes.clone());
                    Hit {
                        doc,
                        path: self.path.clone(),
                        kind: raw.kind,
                        range: CharRange::at(CharOffset(start), len),
                        span: None,
                        label: None,
                        excerpt,
                        excerpt_match,
                    }
                }
                HitKind::SpanText | HitKind::Note | HitKind::Label => {
                    let Some(span) = span else {
                        continue;
                    };
                    let field = self
                        .fields
                        .get(raw.field_start..)
                        .and_then(|rest| rest.split(SEPARATOR).next())
                        .unwrap_or("");
                    let local = raw.bytes.start.saturating_sub(raw.field_start)
                        ..raw.bytes.end.saturating_sub(raw.field_start);
                    let range = if raw.kind == HitKind::SpanText {
                        let offset = char_count(field, 0..local.start);
                        CharRange::at(
                            span.range.start() + offset,
                            char_count(field, local.clone()),
                        )
                    } else {
                        span.range
                    };
                    let (excerpt, excerpt_match) = if raw.kind == HitKind::Label {
                        (self.span_excerpt(span), 0..0)
                    } else {
                        context(field, local)
                    };
                    Hit {
                        doc,
                        path: self.path.clone(),
                        kind: raw.kind,
                        range,
                        span: Some(span.id),
                        label,
                        excerpt,
                        excerpt_match,
                    }
                }
            };
            out.push(hit);
        }
    }

    /// The text of `span` as an excerpt, from the `fields` entry holding it.
    fn span_excerpt(&self, span: &IndexedSpan) -> String {
        let text = self
            .entries
            .iter()
            .find(|e| {
                e.field == Field::Text
                    && self
                        .spans
                        .get(e.span as usize)
                        .is_some_and(|s| s.id == span.id)
            })
            .and_then(|e| {
                let rest = self.fields.get(e.start as usize..)?;
                rest.split(SEPARATOR).next()
            })
            .unwrap_or("");
        super::text::excerpt(text, MATCH_SHOWN + CONTEXT_AFTER)
    }
}

/// A match before it becomes a [`Hit`]: cheap to make, so documents can be searched in
/// parallel and only the hits shown pay for their excerpt.
#[derive(Clone, Debug)]
struct Raw {
    kind: HitKind,
    span: u32,
    /// Byte where the matched field starts in `fields` (span text and notes).
    field_start: usize,
    /// The match, in bytes of `fields` (span text, notes) or of the article.
    bytes: Range<usize>,
}

/// One kind of match in one document, at most the given number.
type Finder<'a> = &'a (dyn Fn(&DocIndex, usize) -> Vec<Raw> + Sync);

fn char_count(text: &str, bytes: Range<usize>) -> usize {
    text.get(bytes).map_or(0, |s| s.chars().count())
}

/// One line around the match at `bytes` of `text`: up to [`CONTEXT_BEFORE`] chars before
/// (with `…` when cut), the match, and up to [`CONTEXT_AFTER`] after; whitespace shown as
/// spaces. Returns the excerpt and the chars of it that matched.
fn context(text: &str, bytes: Range<usize>) -> (String, Range<usize>) {
    let one_line = |c: char| if c.is_whitespace() { ' ' } else { c };
    let before = text.get(..bytes.start).unwrap_or("");
    let matched = text.get(bytes.clone()).unwrap_or("");
    let after = text.get(bytes.end..).unwrap_or("");
    let mut out = String::new();
    let before_chars: Vec<char> = before.chars().rev().take(CONTEXT_BEFORE + 1).collect();
    let mut shown = 0;
    if before_chars.len() > CONTEXT_BEFORE {
        out.push('…');
        shown += 1;
    }
    for &c in before_chars.iter().take(CONTEXT_BEFORE).rev() {
        out.push(one_line(c));
        shown += 1;
    }
    let match_start = shown;
    for (i, c) in matched.chars().enumerate() {
        if i == MATCH_SHOWN {
            out.push('…');
            shown += 1;
            break;
        }
        out.push(one_line(c));
        shown += 1;
    }
    let match_end = shown;
    for (i, c) in after.chars().enumerate() {
        if i == CONTEXT_AFTER {
            out.push('…');
            break;
        }
        out.push(one_line(c));
    }
    (out, match_start..match_end)
}

/// The search index over a whole corpus: one [`DocIndex`] per document, in the corpus's
/// order.
#[derive(Clone, Debug, Default)]
pub struct CorpusIndex {
    docs: Vec<DocIndex>,
}

impl CorpusIndex {
    /// An index of `docs`, kept in the order given.
    #[must_use]
    pub fn new(docs: Vec<DocIndex>) -> Self {
        Self { docs }
    }

    /// Documents indexed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when no document is indexed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Spans indexed, over all documents.
    #[must_use]
    pub fn span_count(&self) -> usize {
        self.docs.iter().map(DocIndex::span_count).sum()
    }

    /// Bytes the index holds beyond the article texts it shares.
    #[must_use]
    pub fn own_bytes(&self) -> usize {
        self.docs.iter().map(DocIndex::own_bytes).sum()
    }

    /// The path of document `doc`.
    #[must_use]
    pub fn path(&self, doc: usize) -> Option<&str> {
        self.docs.get(doc).map(DocIndex::path)
    }

    /// The position of the document at `path`.
    #[must_use]
    pub fn position(&self, path: &str) -> Option<usize> {
        self.docs.iter().position(|d| &*d.path == path)
    }

    /// Put `doc` in the index: replacing the document with the same path (after a save or
    /// a change on disk), or added at the end.
    pub fn upsert(&mut self, doc: DocIndex) {
        match self.position(&doc.path) {
            Some(i) => {
                if let Some(slot) = self.docs.get_mut(i) {
                    *slot = doc;
                }
            }
            None => self.docs.push(doc),
        }
    }

    /// Take the document at `path` out of the index (its files were deleted).
    pub fn remove(&mut self, path: &str) -> Option<DocIndex> {
        self.position(path).map(|i| self.docs.remove(i))
    }

    /// At most `limit` hits for `query` (a literal string, case ignored), as
    /// [`CorpusIndex::search_with`] with the default options.
    #[must_use]
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.search_with(query, SearchOptions::default(), limit)
    }

    /// At most `limit` hits for the literal `query`: first matches in span text and notes
    /// (document order, then field order), then spans whose label name matches, then
    /// matches in the articles' text, each group filled only as far as the limit allows.
    #[must_use]
    pub fn search_with(&self, query: &str, options: SearchOptions, limit: usize) -> Vec<Hit> {
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let Ok(re) = regex::RegexBuilder::new(&regex::escape(query))
            .case_insensitive(!options.case_sensitive)
            .build()
        else {
            return Vec::new();
        };
        let mut hits = Vec::new();
        let passes: [(bool, Finder<'_>); 3] = [
            (options.span_text || options.notes, &|d: &DocIndex, left| {
                d.field_matches(&re, options, left)
            }),
            (options.labels, &|d: &DocIndex, left| {
                d.label_matches(&re, left)
            }),
            (options.article, &|d: &DocIndex, left| {
                d.article_matches(&re, left)
            }),
        ];
        for (wanted, find) in passes {
            if !wanted {
                continue;
            }
            self.pass(limit, &mut hits, find);
            if hits.len() >= limit {
                break;
            }
        }
        hits.truncate(limit);
        hits
    }

    /// One kind of match over every document, in parallel chunks, until `hits` holds
    /// `limit`.
    fn pass(&self, limit: usize, hits: &mut Vec<Hit>, find: Finder<'_>) {
        for (chunk_no, chunk) in self.docs.chunks(CHUNK_DOCS).enumerate() {
            let left = limit.saturating_sub(hits.len());
            if left == 0 {
                return;
            }
            let found: Vec<(usize, Vec<Raw>)> = chunk
                .par_iter()
                .enumerate()
                .map(|(i, d)| (chunk_no * CHUNK_DOCS + i, find(d, left)))
                .filter(|(_, raws)| !raws.is_empty())
                .collect();
            for (doc, raws) in found {
                let left = limit.saturating_sub(hits.len());
                if left == 0 {
                    return;
                }
                if let Some(d) = self.docs.get(doc) {
                    d.hits(doc, raws.get(..left.min(raws.len())).unwrap_or(&[]), hits);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
