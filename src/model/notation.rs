//! The compact notation tests use to write an article and its spans as one string:
//!
//! ```text
//!   "Putin [Claim:rejected] the offer"        a Claim over "rejected"
//!   "[Quote:We [Claim:won] today]"            nested spans
//!   "[Claim?:3%] growth"                      a suggestion (status Suggested)
//!   "[Claim!:3%] growth"                      needs review
//!   "[Claim-:3%] growth"                      a rejected suggestion
//! ```
//!
//! Labels unknown to the default set are added. Square brackets cannot appear in the text
//! itself. [`render`] writes a project back in the same notation (crossing spans are
//! written in start order and do not parse back).

use super::article::Article;
use super::edit::Edit;
use super::label::{Label, LabelSet, Rgb};
use super::offset::{CharOffset, CharRange};
use super::project::Project;
use super::span::{Span, SpanId, Status};

/// Why a string is not valid notation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotationError {
    /// A `]` with no open span, or a `[` never closed.
    #[error("unbalanced brackets at char {0}")]
    Unbalanced(usize),
    /// A `[` not followed by `Label:`.
    #[error("expected `Label:` after `[` at char {0}")]
    NoLabel(usize),
    /// The spans do not form a valid project (e.g. the same span twice).
    #[error("invalid span: {0}")]
    Invalid(String),
}

/// Parse notation into a project whose spans get ids 0, 1, 2, … in order of their `[`.
pub fn parse(notation: &str) -> Result<Project, NotationError> {
    let chars: Vec<char> = notation.chars().collect();
    let mut text = String::new();
    let mut text_len = 0usize;
    // (start in text chars, label name, status) of every open span, innermost last.
    let mut open: Vec<(usize, String, Status, usize)> = Vec::new();
    let mut found: Vec<(usize, CharRange, String, Status)> = Vec::new();
    let mut i = 0;
    let mut order = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '[' => {
                let rest: String = chars.get(i + 1..).unwrap_or_default().iter().collect();
                let Some(colon) = rest.find(':') else {
                    return Err(NotationError::NoLabel(i));
                };
                let head = rest.get(..colon).unwrap_or_default();
                let (name, status) = match head.chars().last() {
                    Some('?') => (head.trim_end_matches('?'), Status::Suggested),
                    Some('!') => (head.trim_end_matches('!'), Status::NeedsReview),
                    Some('-') => (head.trim_end_matches('-'), Status::Rejected),
                    _ => (head, Status::Confirmed),
                };
                if name.is_empty() || name.contains(['[', ']', ' ']) {
                    return Err(NotationError::NoLabel(i));
                }
                open.push((text_len, name.to_owned(), status, order));
                order += 1;
                i += 1 + head.chars().count() + 1;
            }
            ']' => {
                let (start, name, status, nth) = open.pop().ok_or(NotationError::Unbalanced(i))?;
                let range = CharRange::between(CharOffset(start), CharOffset(text_len));
                found.push((nth, range, name, status));
                i += 1;
            }
            c => {
                text.push(c);
                text_len += 1;
                i += 1;
            }
        }
    }
    if let Some((start, ..)) = open.first() {
        return Err(NotationError::Unbalanced(*start));
    }
    found.sort_by_key(|(nth, ..)| *nth);
    let mut labels = LabelSet::default();
    for (_, _, name, _) in &found {
        if labels.by_name(name).is_none() {
            let color = Rgb([0x77, 0x77, 0x77]);
            labels = labels
                .with_added(Label::new(name.clone(), color))
                .map_err(|e| NotationError::Invalid(e.to_string()))?
                .0;
        }
    }
    let mut project = Project::new(Article::new("notation", None, &text), labels.clone());
    for (nth, range, name, status) in found {
        let label = labels.by_name(&name).unwrap_or_default();
        let span = Span {
            id: SpanId(nth as u64),
            range,
            label,
            note: String::new(),
            status,
        };
        project
            .apply(&Edit::AddSpan(span))
            .map_err(|e| NotationError::Invalid(e.to_string()))?;
    }
    Ok(project)
}

/// Write `project` in the notation: every span as `[Label:text]` around the text it covers.
#[must_use]
pub fn render(project: &Project) -> String {
    let article = project.article();
    // Events at each offset: closings (innermost first) before openings (outermost first).
    let mut events: Vec<(usize, u8, usize, String)> = Vec::new();
    for s in project.spans() {
        let name = project.labels().name(s.label);
        let mark = match s.status {
            Status::Confirmed => "",
            Status::Suggested => "?",
            Status::NeedsReview => "!",
            Status::Rejected => "-",
        };
        let (start, end) = (s.range.start().get(), s.range.end().get());
        events.push((start, 1, usize::MAX - end, format!("[{name}{mark}:")));
        events.push((end, 0, usize::MAX - start, "]".to_owned()));
    }
    events.sort();
    let mut out = String::with_capacity(article.text().len() + events.len() * 8);
    let mut at = CharOffset::ZERO;
    for (offset, _, _, mark) in events {
        let offset = CharOffset(offset);
        out.push_str(
            article
                .slice(CharRange::between(at, offset))
                .unwrap_or_default(),
        );
        out.push_str(&mark);
        at = offset;
    }
    out.push_str(
        article
            .slice(CharRange::between(at, CharOffset(article.char_len())))
            .unwrap_or_default(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notation_round_trips_nested_spans_and_statuses() -> Result<(), NotationError> {
        for text in [
            "Putin [Claim:rejected] the offer",
            "[Quote:We [Claim:won] today], he said",
            "[Claim?:3%] growth and [Source:Reuters] [Claim!:said] [Claim-:so]",
            "no spans at all",
            "🇺🇦 [Quote:e\u{301}tude 東京] ok",
        ] {
            assert_eq!(render(&parse(text)?), text);
        }
        let p = parse("Putin [Claim:rejected] the offer")?;
        let span = p.spans().iter().next().map(|s| s.range);
        assert_eq!(span, CharRange::new(6, 14));
        Ok(())
    }

    #[test]
    fn bad_notation_is_refused() {
        assert_eq!(parse("a ] b").err(), Some(NotationError::Unbalanced(2)));
        assert_eq!(
            parse("a [Claim:b").err(),
            Some(NotationError::Unbalanced(2))
        );
        assert_eq!(parse("a [b").err(), Some(NotationError::NoLabel(2)));
    }
}
