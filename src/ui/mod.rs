//! egui only: widgets that read the model and emit [`command::Command`]s. Depends on
//! [`crate::model`] only; never touches files.

pub mod article_view;
pub mod command;
pub mod dialogs;
pub mod label_bar;
pub mod span_list;
