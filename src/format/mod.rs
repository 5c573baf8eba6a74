//! Bytes to model and back: the RON project file, article import, and safe saving.
//! Depends on [`crate::model`] only.

pub mod corpus;
pub mod git;
pub mod import;
pub mod interop;
pub mod project_file;
pub mod recovery;
pub mod safe_write;

pub use import::{ImportError, MAX_ARTICLE_BYTES, article_from_bytes, import_article};
pub use project_file::{
    FORMAT_VERSION, LoadError, Loaded, project_from_ron, project_to_ron, read_project,
    write_project,
};
pub use safe_write::SaveError;
