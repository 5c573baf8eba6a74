//! The find bar (Ctrl+F): an incremental search of the article, every match highlighted,
//! a count, Enter / Shift+Enter for the next / previous match, case-insensitive unless
//! asked. Enter selects the current match in the article; Esc closes the bar and keeps that
//! selection, so a label key tags it at once.
//!
//! The widget only edits its query and reports it (`Command::Find`); the app runs the
//! search off the UI thread and hands the matches back with [`FindState::set_matches`].

use egui::{Key, RichText};

use crate::model::{CharOffset, CharRange, Project};
use crate::ui::command::Command;

/// The find bar's state.
#[derive(Default)]
pub struct FindState {
    /// The bar is shown.
    pub open: bool,
    /// What is searched for.
    pub query: String,
    /// Match case.
    pub case_sensitive: bool,
    /// The query and case the matches are for (`None`: no search done yet).
    searched: Option<(String, bool)>,
    /// The matches, in order.
    matches: Vec<CharRange>,
    /// Index of the current match.
    current: Option<usize>,
    /// Put the keyboard into the field on the next frame.
    focus: bool,
}

impl FindState {
    /// Open the bar (or focus it again), starting from `selected` text when given.
    pub fn open_bar(&mut self, selected: Option<String>) {
        self.open = true;
        self.focus = true;
        if let Some(text) = selected.filter(|t| !t.contains('\n') && t.chars().count() <= 200) {
            self.query = text;
        }
    }

    /// Close the bar; the matches stop being highlighted.
    pub fn close(&mut self) {
        self.open = false;
    }

    /// A new document is open: its matches must be found again.
    pub fn document_changed(&mut self) {
        self.searched = None;
        self.matches.clear();
        self.current = None;
    }

    /// The query the matches should be for, when they are not yet.
    #[must_use]
    pub fn pending_query(&self) -> Option<(String, bool)> {
        let wanted = (self.query.clone(), self.case_sensitive);
        (self.open && self.searched.as_ref() != Some(&wanted)).then_some(wanted)
    }

    /// The matches of `query` arrived; the current one becomes the first at or after
    /// `from`.
    pub fn set_matches(
        &mut self,
        query: (String, bool),
        matches: Vec<CharRange>,
        from: CharOffset,
    ) {
        self.current = (!matches.is_empty())
            .then(|| matches.partition_point(|m| m.start() < from))
            .map(|i| if i >= matches.len() { 0 } else { i });
        self.matches = matches;
        self.searched = Some(query);
    }

    /// The matches to highlight (none while the bar is closed).
    #[must_use]
    pub fn highlights(&self) -> &[CharRange] {
        if self.open { &self.matches } else { &[] }
    }

    /// The current match.
    #[must_use]
    pub fn current(&self) -> Option<CharRange> {
        self.current.and_then(|i| self.matches.get(i)).copied()
    }

    /// Move to the next (or previous) match and return it.
    pub fn step(&mut self, forward: bool) -> Option<CharRange> {
        let n = self.matches.len();
        if n == 0 {
            return None;
        }
        self.current = Some(match self.current {
            None => 0,
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
        });
        self.current()
    }

    /// Number of matches, and the current one's position (1-based).
    #[must_use]
    pub fn count(&self) -> (usize, Option<usize>) {
        (self.matches.len(), self.current.map(|i| i + 1))
    }
}

/// Show the find bar.
pub fn find_bar_ui(
    ui: &mut egui::Ui,
    state: &mut FindState,
    _project: &Project,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.label("Find");
        let field = ui.add(
            egui::TextEdit::singleline(&mut state.query)
                .id_salt("find_field")
                .hint_text("text in the article")
                .desired_width(260.0),
        );
        field.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::SearchInput, true, "Find in article")
        });
        if std::mem::take(&mut state.focus) {
            field.request_focus();
        }
        let (enter, shift, esc) = ui.input(|i| {
            (
                i.key_pressed(Key::Enter),
                i.modifiers.shift,
                i.key_pressed(Key::Escape),
            )
        });
        if field.lost_focus() && enter {
            commands.push(Command::FindStep { forward: !shift });
            // Keep typing in the field after Enter.
            field.request_focus();
        }
        if (field.has_focus() || field.lost_focus()) && esc {
            commands.push(Command::CloseFind);
        }
        if ui
            .add(egui::Button::selectable(state.case_sensitive, "Aa"))
            .on_hover_text("Match case")
            .clicked()
        {
            state.case_sensitive = !state.case_sensitive;
        }
        let (n, current) = state.count();
        let text = match (state.query.is_empty(), n, current) {
            (true, _, _) => String::new(),
            (false, 0, _) if state.pending_query().is_some() => "searching…".to_owned(),
            (false, 0, _) => "no match".to_owned(),
            (false, n, Some(c)) => format!("{c} of {n}"),
            (false, n, None) => format!("{n} matches"),
        };
        ui.label(RichText::new(text).weak());
        if ui
            .small_button("⏶")
            .on_hover_text("Previous match (Shift+Enter)")
            .clicked()
        {
            commands.push(Command::FindStep { forward: false });
        }
        if ui
            .small_button("⏷")
            .on_hover_text("Next match (Enter)")
            .clicked()
        {
            commands.push(Command::FindStep { forward: true });
        }
        if ui.small_button("×").on_hover_text("Close (Esc)").clicked() {
            commands.push(Command::CloseFind);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: usize, b: usize) -> CharRange {
        CharRange::new(a, b).unwrap_or_default()
    }

    #[test]
    fn the_current_match_starts_after_the_caret_and_steps_wrap() {
        let mut f = FindState::default();
        f.open_bar(None);
        f.query = "x".to_owned();
        assert_eq!(f.pending_query(), Some(("x".to_owned(), false)));
        f.set_matches(
            ("x".to_owned(), false),
            vec![r(1, 2), r(5, 6), r(9, 10)],
            CharOffset(4),
        );
        assert_eq!(f.pending_query(), None);
        assert_eq!(f.current(), Some(r(5, 6)));
        assert_eq!(f.step(true), Some(r(9, 10)));
        assert_eq!(f.step(true), Some(r(1, 2)), "wraps to the first");
        assert_eq!(f.step(false), Some(r(9, 10)), "and back");
        assert_eq!(f.count(), (3, Some(3)));
        f.close();
        assert!(f.highlights().is_empty());
    }
}
