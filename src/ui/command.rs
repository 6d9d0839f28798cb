//! Every user command once, with its label, tooltip and shortcut, so menu, button and key always agree.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

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
            UiCommand::ToggleRun => "Start run",
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
            UiCommand::ToggleRun => "Start the simulation of this circuit on this patient, or pause and resume it",
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

    /// The tooltip with the command's keys as this platform writes them ("Undo the last change (Ctrl+Z)").
    pub fn hover_text(self, ctx: &egui::Context) -> String {
        let keys = match self {
            UiCommand::Redo | UiCommand::RedoAlternative => vec![UiCommand::Redo, UiCommand::RedoAlternative],
            _ => vec![self],
        };
        let keys: Vec<String> = keys.into_iter().map(|c| ctx.format_shortcut(&c.shortcut())).collect();
        format!("{} ({})", self.tooltip(), keys.join(" or "))
    }

    /// A button for the command (`label` when it says more than the command's name, such as a count), with its
    /// tooltip and keys; whether it was clicked.
    pub fn button(self, ui: &mut egui::Ui, label: Option<String>, enabled: bool, disabled_why: &str) -> bool {
        self.button_at_least(ui, label, 0.0, enabled, disabled_why)
    }

    /// The command's button at least `min_width` points wide: a label that changes ("Validate (3 critical)") does
    /// not move the buttons after it.
    pub fn button_at_least(
        self,
        ui: &mut egui::Ui,
        label: Option<String>,
        min_width: f32,
        enabled: bool,
        disabled_why: &str,
    ) -> bool {
        let text = label.unwrap_or_else(|| self.label().to_owned());
        ui.add_enabled(enabled, egui::Button::new(text).min_size(egui::vec2(min_width, 0.0)))
            .on_hover_text(self.hover_text(ui.ctx()))
            .on_disabled_hover_text(disabled_why)
            .clicked()
    }

    /// Commands a focused text field must keep for itself (its own undo, its own delete).
    pub fn is_text_editing_key(self) -> bool {
        matches!(self, UiCommand::Redo | UiCommand::RedoAlternative | UiCommand::Undo | UiCommand::DeleteSelection)
    }
}
