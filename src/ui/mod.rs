//! egui only: widgets that read the model and emit [`command::Command`]s. Depends on
//! [`crate::model`] only; never touches files.

pub mod article_view;
pub mod bidi;
pub mod command;
pub mod corpus_search_window;
pub mod curation_panel;
pub mod dashboard;
pub mod dialogs;
pub mod documents_panel;
pub mod find_bar;
pub mod label_bar;
pub mod label_editor;
pub mod span_list;
