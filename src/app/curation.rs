//! Curation in the window: two or more analysts' projects of one article, their spans in
//! lanes, agreements taken in, disagreements settled one key at a time into a curated
//! project (the open document, so every choice undoes), and the agreement figures kept up
//! to date as the curation proceeds.

use std::path::PathBuf;

use crate::format::read_project;
use crate::model::agreement::{Annotation, Document as AgreementDoc, Scores, pairwise};
use crate::model::curation::{Choice, Curation, Mark, start};
use crate::model::{CharRange, Project};
use crate::ui::article_view::Selection;
use crate::ui::curation_panel::{CurationFigures, FigureRow};

use super::{SpanmarkApp, plural};

/// The curation open in the window.
pub struct CurationView {
    /// The analysts and what they disagree on.
    pub curation: Curation,
    /// The disagreement in focus.
    pub current: usize,
    /// Agreement figures, and the span revision of the curated project they are for.
    figures: Option<(u64, CurationFigures)>,
    /// Show the review panel instead of the curation panel.
    pub show_review: bool,
}

fn doc_of(len: usize, marks: &[Mark]) -> AgreementDoc<'_> {
    AgreementDoc {
        len,
        spans: marks
            .iter()
            .map(|m| Annotation {
                range: m.range,
                label: m.label.as_str(),
            })
            .collect(),
    }
}

fn marks_of(project: &Project) -> Vec<Mark> {
    project
        .spans()
        .iter()
        .filter(|s| s.status.is_annotation())
        .map(|s| Mark {
            range: s.range,
            label: project.labels().name(s.label).to_owned(),
            note: String::new(),
        })
        .collect()
}

fn overall(labels: &[&str], len: usize, a: &[Mark], b: &[Mark]) -> Scores {
    pairwise(labels, &[doc_of(len, a)], &[doc_of(len, b)])
        .map(|r| r.overall)
        .unwrap_or_default()
}

impl CurationView {
    /// The figures for `curated`, computed again only when its spans changed.
    pub fn figures(&mut self, curated: &Project) -> CurationFigures {
        let revision = curated.spans().revision();
        if self.figures.as_ref().is_none_or(|(r, _)| *r != revision) {
            let len = curated.article().char_len();
            let labels: Vec<&str> = curated
                .labels()
                .iter()
                .map(|(_, l)| l.name.as_str())
                .collect();
            let names = &self.curation.analysts;
            let lanes = &self.curation.lanes;
            let mut rows = Vec::new();
            if let (Some(a), Some(b)) = (lanes.first(), lanes.get(1)) {
                rows.push(FigureRow {
                    pair: format!(
                        "{} vs {}",
                        names.first().map_or("", String::as_str),
                        names.get(1).map_or("", String::as_str)
                    ),
                    scores: overall(&labels, len, a, b),
                });
            }
            let curated_marks = marks_of(curated);
            for (name, lane) in names.iter().zip(lanes) {
                rows.push(FigureRow {
                    pair: format!("curated vs {name}"),
                    scores: overall(&labels, len, &curated_marks, lane),
                });
            }
            let settled = self
                .curation
                .disagreements
                .iter()
                .filter(|d| Curation::is_settled(curated, d))
                .count();
            let figures = CurationFigures {
                rows,
                settled,
                total: self.curation.disagreements.len(),
                agreed: self.curation.agreed,
            };
            self.figures = Some((revision, figures));
        }
        self.figures
            .as_ref()
            .map(|(_, f)| f.clone())
            .unwrap_or_default()
    }
}

impl SpanmarkApp {
    /// Curate the projects at `paths` (two or more; or one, compared with the open project).
    pub(super) fn start_curation(&mut self, paths: &[PathBuf]) {
        let mut loaded: Vec<(String, Project)> = Vec::new();
        if paths.len() == 1 {
            let name = self
                .doc
                .path
                .as_ref()
                .map_or_else(|| "this project".to_owned(), |p| stem(p));
            loaded.push((name, self.doc.project().clone()));
        }
        for path in paths {
            match read_project(path) {
                Ok(l) => loaded.push((stem(path), l.project)),
                Err(e) => {
                    self.messages
                        .error(format!("Could not compare: {e}"), Vec::new());
                    return;
                }
            }
        }
        let analysts: Vec<(String, &Project)> =
            loaded.iter().map(|(n, p)| (n.clone(), p)).collect();
        match start(&analysts) {
            Ok((curated, curation)) => {
                let n = curation.disagreements.len();
                let agreed = curation.agreed;
                self.set_document(curated, None);
                self.curation = Some(CurationView {
                    curation,
                    current: 0,
                    figures: None,
                    show_review: false,
                });
                self.say(format!(
                    "Curating {}: {} agreed and taken in, {} to settle (A, B… take an analyst's, U takes all, E to edit by hand)",
                    plural(analysts.len(), "analyst"),
                    plural(agreed, "span"),
                    plural(n, "disagreement")
                ));
                self.show_disagreement(0);
            }
            Err(e) => self
                .messages
                .error(format!("Could not compare: {e}"), Vec::new()),
        }
    }

    /// Focus disagreement `i`: select its text and bring it into view.
    pub(super) fn show_disagreement(&mut self, i: usize) {
        let Some(view) = &mut self.curation else {
            return;
        };
        let Some(d) = view.curation.disagreements.get(i) else {
            return;
        };
        view.current = i;
        let range = d.range;
        self.selected = None;
        self.view.selection = Some(Selection {
            anchor: range.start(),
            head: range.end(),
        });
        self.view.scroll_to(range);
    }

    /// Step to the next (or previous) disagreement that is not settled yet.
    pub(super) fn step_disagreement(&mut self, forward: bool) {
        let Some(view) = &self.curation else {
            return;
        };
        let items = &view.curation.disagreements;
        let n = items.len();
        if n == 0 {
            return;
        }
        let project = self.doc.project();
        let order: Vec<usize> = if forward {
            (1..=n).map(|k| (view.current + k) % n).collect()
        } else {
            (1..=n).map(|k| (view.current + n - k) % n).collect()
        };
        let next = order
            .iter()
            .copied()
            .find(|&i| {
                items
                    .get(i)
                    .is_some_and(|d| !Curation::is_settled(project, d))
            })
            .or_else(|| order.first().copied());
        if let Some(i) = next {
            self.show_disagreement(i);
        }
    }

    /// Settle the current disagreement with `choice` (one undoable step), then go on.
    pub(super) fn curate(&mut self, choice: Choice) {
        let Some(view) = &self.curation else {
            return;
        };
        let Some(d) = view.curation.disagreements.get(view.current) else {
            self.say("Nothing left to settle.");
            return;
        };
        let who = match choice {
            Choice::Take(i) => view.curation.analysts.get(i).cloned().unwrap_or_default(),
            Choice::TakeAll => "everyone".to_owned(),
        };
        match Curation::resolve(self.doc.project(), d, choice) {
            Some(edit) => {
                if self.edit(edit) {
                    self.say(format!("Took {who}'s spans here (Ctrl+Z undoes it)"));
                    self.step_disagreement(true);
                }
            }
            None => self.say(format!(
                "{who} marked nothing new here; choose another, or E to edit."
            )),
        }
    }

    /// "Edit": select the current disagreement's text to tag it by hand.
    pub(super) fn edit_disagreement(&mut self) {
        let current = self.curation.as_ref().map(|v| v.current);
        if let Some(i) = current {
            self.show_disagreement(i);
            self.say("Tag the selection by hand (drag to adjust, then a label key).");
        }
    }

    /// The lanes to draw in the article: each analyst's marks.
    pub(super) fn lanes(&self) -> Vec<Vec<(CharRange, crate::model::LabelId)>> {
        let Some(view) = &self.curation else {
            return Vec::new();
        };
        let labels = self.doc.project().labels();
        view.curation
            .lanes
            .iter()
            .map(|lane| {
                lane.iter()
                    .filter_map(|m| labels.by_name(&m.label).map(|l| (m.range, l)))
                    .collect()
            })
            .collect()
    }
}

fn stem(path: &std::path::Path) -> String {
    path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}
