//! Every user command once, with its label, tooltip and shortcut, so menu, button and key always agree.

use eframe::egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiCommand {
    OpenScenario,
}

impl UiCommand {
    pub const ALL: [UiCommand; 1] = [UiCommand::OpenScenario];

    pub fn label(self) -> &'static str {
        match self {
            UiCommand::OpenScenario => "Open scenario…",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            UiCommand::OpenScenario => "Load a scenario file (.ron) from disk",
        }
    }

    pub fn shortcut(self) -> KeyboardShortcut {
        match self {
            UiCommand::OpenScenario => KeyboardShortcut::new(Modifiers::COMMAND, Key::O),
        }
    }
}
