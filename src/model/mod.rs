//! The analyst's data: articles, labels, spans, edits. No egui, no files, no clock.

pub mod agreement;
pub mod article;
pub mod corpus;
pub mod corpus_search;
pub mod curation;
pub mod edit;
pub mod history;
pub mod label;
pub mod merge;
pub mod notation;
pub mod offset;
pub mod project;
pub mod reanchor;
pub mod search;
pub mod span;
pub mod spans;
pub mod suggest;
pub mod text;

pub use article::Article;
pub use edit::Edit;
pub use history::History;
pub use label::{Label, LabelId, LabelSet, Rgb};
pub use offset::{CharOffset, CharRange, Utf16Error, Utf16Index};
pub use project::{EditError, Project, Refusal};
pub use reanchor::{Outcome, ReanchorReport, reanchor};
pub use span::{Orphan, Span, SpanId, Status};
pub use spans::SpanSet;
