//! The analyst's data: articles, labels, spans, edits. No egui, no files, no clock.

pub mod agreement;
pub mod article;
pub mod history;
pub mod label;
pub mod offset;
pub mod project;
pub mod reanchor;
pub mod span;
pub mod spans;

pub use article::Article;
pub use history::{Edit, History};
pub use label::{Label, LabelId, LabelSet, Rgb};
pub use offset::{CharOffset, CharRange};
pub use project::{EditError, Project};
pub use reanchor::{Outcome, ReanchorReport, reanchor};
pub use span::{Orphan, Span, SpanId, Status};
pub use spans::SpanSet;
