//! Keyboard shortcuts: every key event of a frame becomes a command, in the order the keys
//! were pressed (four quick presses of `n` step four rows, even when they arrive in one
//! frame). Plain keys work only while no text field has focus.

use egui::{Event, Key, KeyboardShortcut, Modifiers};

use crate::ui::command::{CaretMove, Command, OpenKind};

use super::SpanmarkApp;

/// Save under a new name.
pub const SAVE_AS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
/// Save.
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
/// Open a project.
pub const OPEN_PROJECT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::O);
/// Open an article.
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
/// Redo (the Shift form).
pub const REDO_SHIFT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
/// Undo.
pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
/// Redo.
pub const REDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
/// Quit.
pub const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
/// Find in the article.
pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
/// Larger text.
pub const ZOOM_IN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
/// Smaller text.
pub const ZOOM_OUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
/// Default text size.
pub const ZOOM_RESET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
/// The next document of the corpus.
pub const NEXT_DOC: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::PageDown);
/// The previous document of the corpus.
pub const PREV_DOC: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::PageUp);
/// The next document that is not done.
pub const NEXT_UNFINISHED: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::J);
/// Mark the document done.
pub const TOGGLE_DONE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::D);
/// Search the whole corpus.
pub const CORPUS_SEARCH: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::F);
/// Suggest spans in the open document.
pub const SUGGEST: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::G);

/// Shortcuts that work even while typing in a field (they are never text).
const GLOBAL: [(KeyboardShortcut, Command); 14] = [
    (CORPUS_SEARCH, Command::OpenCorpusSearch),
    (NEXT_DOC, Command::StepDoc { forward: true }),
    (PREV_DOC, Command::StepDoc { forward: false }),
    (NEXT_UNFINISHED, Command::NextUnfinished),
    (TOGGLE_DONE, Command::ToggleDone),
    (SUGGEST, Command::Suggest),
    (SAVE_AS, Command::SaveAs),
    (SAVE, Command::Save),
    (OPEN_PROJECT, Command::Open(OpenKind::Project)),
    (OPEN, Command::Open(OpenKind::Article)),
    (QUIT, Command::Quit),
    (FIND, Command::OpenFind),
    (ZOOM_IN, Command::Zoom(1)),
    (ZOOM_OUT, Command::Zoom(-1)),
];

/// What the frame's state allows keys to do.
#[derive(Clone, Copy)]
struct KeyContext {
    /// A text field has the keyboard.
    typing: bool,
    /// A menu or popup is open.
    menu_open: bool,
    /// There is an error or warning to dismiss.
    alert: bool,
}

fn matches(shortcut: KeyboardShortcut, key: Key, modifiers: Modifiers) -> bool {
    shortcut.logical_key == key && modifiers.matches_logically(shortcut.modifiers)
}

fn caret_move(key: Key, modifiers: Modifiers) -> Option<Command> {
    let word = modifiers.command;
    let to = match key {
        Key::ArrowLeft if word => CaretMove::WordLeft,
        Key::ArrowRight if word => CaretMove::WordRight,
        Key::ArrowLeft => CaretMove::Left,
        Key::ArrowRight => CaretMove::Right,
        Key::Home => CaretMove::LineStart,
        Key::End => CaretMove::LineEnd,
        _ => return None,
    };
    Some(Command::MoveCaret {
        to,
        extend: modifiers.shift,
    })
}

/// The command for one key press, if it is a shortcut here.
fn key_command(
    app: &SpanmarkApp,
    key: Key,
    modifiers: Modifiers,
    at: KeyContext,
) -> Option<Command> {
    if let Some((_, command)) = GLOBAL.iter().find(|(s, _)| matches(*s, key, modifiers)) {
        return Some(command.clone());
    }
    if matches(ZOOM_RESET, key, modifiers) || (modifiers.command && key == Key::Equals) {
        return Some(Command::Zoom(i8::from(key == Key::Equals)));
    }
    if at.typing {
        // Undo, redo, Esc, Backspace, digits and letters in a text field are the field's
        // own (its typing), not the project's.
        return None;
    }
    for (shortcut, command) in [
        (REDO_SHIFT, Command::Redo),
        (UNDO, Command::Undo),
        (REDO, Command::Redo),
    ] {
        if matches(shortcut, key, modifiers) {
            return Some(command);
        }
    }
    if let Some(command) = caret_move(key, modifiers) {
        return Some(command);
    }
    if modifiers.any() && !modifiers.shift_only() {
        return None;
    }
    let plain = modifiers.is_none();
    // The review queue: decisions on the selected suggestion.
    let on_suggestion = app
        .selected
        .and_then(|id| app.doc.project().spans().get(id))
        .is_some_and(|s| s.status == crate::model::Status::Suggested);
    if on_suggestion {
        match key {
            Key::Enter | Key::A if plain => return Some(Command::Decide { accept: true }),
            Key::X | Key::Backspace if plain => return Some(Command::Decide { accept: false }),
            Key::A if modifiers.shift_only() => return Some(Command::AcceptAll),
            _ => {}
        }
    }
    // Curation: one key per choice.
    if let Some(view) = app.curation.as_ref().filter(|_| plain) {
        let analysts = view.curation.analysts.len();
        let take = match key {
            Key::A => Some(0),
            Key::B => Some(1),
            Key::C => Some(2),
            Key::D => Some(3),
            _ => None,
        };
        match key {
            _ if take.is_some_and(|i| i < analysts) => {
                return take.map(|i| Command::Curate(crate::model::curation::Choice::Take(i)));
            }
            Key::U => return Some(Command::Curate(crate::model::curation::Choice::TakeAll)),
            Key::E => return Some(Command::EditDisagreement),
            Key::N => return Some(Command::StepDisagreement { forward: true }),
            Key::P => return Some(Command::StepDisagreement { forward: false }),
            _ => {}
        }
    }
    match key {
        Key::Escape if plain && at.alert => Some(Command::DismissMessages { all: false }),
        Key::Escape if plain => Some(Command::ClearSelection),
        // Del only: Backspace is too easily pressed meaning to fix a search.
        Key::Delete if plain => Some(Command::DeleteSelected),
        Key::N | Key::ArrowDown if plain => Some(Command::StepReview(1)),
        Key::P | Key::ArrowUp if plain => Some(Command::StepReview(-1)),
        _ if plain => digit(key)
            .and_then(|d| app.doc.project().labels().by_key(d))
            .map(Command::ApplyLabel),
        _ => None,
    }
}

fn digit(key: Key) -> Option<char> {
    let digits = [
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
        Key::Num9,
    ];
    digits
        .iter()
        .position(|&k| k == key)
        .and_then(|i| char::from_digit(u32::try_from(i + 1).ok()?, 10))
}

impl SpanmarkApp {
    /// Turn this frame's key events into commands, in order, consuming the ones used.
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        if self.modal_open() {
            return;
        }
        let at = KeyContext {
            typing: ctx.egui_wants_keyboard_input() || self.was_typing,
            menu_open: egui::Popup::is_any_open(ctx),
            alert: self.messages.alerts().next().is_some(),
        };
        let mut commands = Vec::new();
        let mut close_menus = false;
        ctx.input_mut(|i| {
            i.events.retain(|event| match event {
                Event::Key {
                    key,
                    pressed: true,
                    modifiers,
                    ..
                } => {
                    if *key == Key::Escape && at.menu_open && !at.typing {
                        // Esc closes an open menu, and does nothing else.
                        close_menus = true;
                        return false;
                    }
                    match key_command(self, *key, *modifiers, at) {
                        Some(command) => {
                            commands.push(command);
                            false
                        }
                        None => true,
                    }
                }
                Event::Copy if !at.typing => {
                    commands.push(Command::Copy);
                    false
                }
                _ => true,
            });
        });
        if close_menus {
            egui::Popup::close_all(ctx);
        }
        self.commands.extend(commands);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_keys_map_to_label_keys() {
        assert_eq!(digit(Key::Num1), Some('1'));
        assert_eq!(digit(Key::Num9), Some('9'));
        assert_eq!(digit(Key::A), None);
    }

    #[test]
    fn shift_arrows_extend_and_ctrl_arrows_move_by_words() {
        assert_eq!(
            caret_move(Key::ArrowRight, Modifiers::SHIFT | Modifiers::COMMAND),
            Some(Command::MoveCaret {
                to: CaretMove::WordRight,
                extend: true
            })
        );
        assert_eq!(
            caret_move(Key::Home, Modifiers::SHIFT),
            Some(Command::MoveCaret {
                to: CaretMove::LineStart,
                extend: true
            })
        );
        assert_eq!(caret_move(Key::A, Modifiers::SHIFT), None);
    }
}
