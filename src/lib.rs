//! spanmark: a native desktop app for annotating text.
//!
//! An analyst opens an article, marks spans of it as Claim, Quote or Disclaimer, reviews
//! every tagged span, and saves the work as a RON project file. See `ARCHITECTURE.md` for
//! the module map and the dependency rule:
//!
//! - [`model`]: the analyst's data, pure and unit-tested;
//! - [`format`](mod@format): bytes to model and back (project files, article import);
//! - [`ui`]: egui widgets that read the model and emit commands;
//! - [`app`]: the `eframe::App` that owns the project and applies commands;
//! - [`cli`]: the headless commands (`check`, `stats`, …).

pub mod app;
pub mod cli;
pub mod format;
pub mod model;
pub mod ui;
