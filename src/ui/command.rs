//! Every user command once, with its label, tooltip and shortcut, so menu, button and key always agree.

use eframe::egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiCommand {
    OpenAttempt,
    OpenScenario,
    SaveAs,
    Save,
    Redo,
    RedoAlternative,
    Undo,
    Validate,
    DeleteSelection,
    ToggleRun,
    FitView,
}

impl UiCommand {
    /// Redo comes before Undo: Ctrl+Shift+Z must not be taken for Ctrl+Z.
    /// Shift variants first: Ctrl+Shift+O must not be taken for Ctrl+O.
    pub const ALL: [UiCommand; 11] = [
        UiCommand::OpenAttempt,
        UiCommand::OpenScenario,
        UiCommand::SaveAs,
        UiCommand::Save,
        UiCommand::Redo,
        UiCommand::RedoAlternative,
        UiCommand::Undo,
        UiCommand::Validate,
        UiCommand::DeleteSelection,
        UiCommand::ToggleRun,
        UiCommand::FitView,
    ];

    pub fn label(self) -> &'static str {
        match self {
            UiCommand::OpenScenario => "Open scenario…",
            UiCommand::OpenAttempt => "Open attempt…",
            UiCommand::Save => "Save",
            UiCommand::SaveAs => "Save as…",
            UiCommand::Redo | UiCommand::RedoAlternative => "Redo",
            UiCommand::Undo => "Undo",
            UiCommand::Validate => "Validate",
            UiCommand::DeleteSelection => "Delete",
            UiCommand::ToggleRun => "Start or pause the run",
            UiCommand::FitView => "Fit view",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            UiCommand::OpenScenario => "Load a scenario file (.ron) from disk",
            UiCommand::OpenAttempt => "Open a saved attempt (yours or a trainee's) to go on with it",
            UiCommand::Save => "Save the attempt",
            UiCommand::SaveAs => "Save the attempt to a new file",
            UiCommand::Redo | UiCommand::RedoAlternative => "Redo the last undone change",
            UiCommand::Undo => "Undo the last change",
            UiCommand::Validate => "Check the assembly against the scenario",
            UiCommand::DeleteSelection => "Delete the selected part or tube",
            UiCommand::ToggleRun => "Start the run, or pause and resume it",
            UiCommand::FitView => "Frame the whole circuit",
        }
    }

    pub fn shortcut(self) -> KeyboardShortcut {
        match self {
            UiCommand::OpenScenario => KeyboardShortcut::new(Modifiers::COMMAND, Key::O),
            UiCommand::OpenAttempt => KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::O),
            UiCommand::Save => KeyboardShortcut::new(Modifiers::COMMAND, Key::S),
            UiCommand::SaveAs => KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S),
            UiCommand::Redo => KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z),
            UiCommand::RedoAlternative => KeyboardShortcut::new(Modifiers::COMMAND, Key::Y),
            UiCommand::Undo => KeyboardShortcut::new(Modifiers::COMMAND, Key::Z),
            UiCommand::Validate => KeyboardShortcut::new(Modifiers::NONE, Key::F5),
            UiCommand::DeleteSelection => KeyboardShortcut::new(Modifiers::NONE, Key::Delete),
            UiCommand::ToggleRun => KeyboardShortcut::new(Modifiers::NONE, Key::F6),
            UiCommand::FitView => KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0),
        }
    }

    /// Commands a focused text field must keep for itself (its own undo, its own delete).
    pub fn is_text_editing_key(self) -> bool {
        matches!(self, UiCommand::Redo | UiCommand::RedoAlternative | UiCommand::Undo | UiCommand::DeleteSelection)
    }
}
