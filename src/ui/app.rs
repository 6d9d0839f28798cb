//! The app's state and frame: first the scenario picker (scenarios on the left, the selected one's briefing and
//! derived targets in the middle), then the workbench for the chosen scenario. Commands are collected while
//! drawing and carried out after.

use super::command::UiCommand;
use super::panels::{briefing, picker};
use super::workbench::{Intent, Workbench};
use crate::catalog::Catalog;
use crate::input::Diagnostics;
use crate::scenario::{self, Scenario};
use eframe::egui::{self, RichText};
use std::path::{Path, PathBuf};

/// Asks the user for a scenario file; `None` when they cancel. Injected so tests can stand in for the dialog.
pub type OpenDialog = Box<dyn FnMut() -> Option<PathBuf>>;

/// The real file dialog.
pub fn rfd_open_dialog() -> OpenDialog {
    Box::new(|| rfd::FileDialog::new().set_title("Open scenario").add_filter("Scenario (RON)", &["ron"]).pick_file())
}

/// The default fonts, with the monospace face (which has arrows, ≤ and the like) as a fallback for the
/// proportional one: findings and labels use them ("reservoir → pump").
fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    if let Some(proportional) = fonts.families.get_mut(&egui::FontFamily::Proportional) {
        proportional.push("Hack".to_owned());
    }
    ctx.set_fonts(fonts);
}

/// A scenario the picker lists: bundled or opened from disk, loaded or not.
pub struct ScenarioEntry {
    /// "Bundled" or the file path.
    pub origin: String,
    /// The file name or bundled id, shown when the file could not be loaded.
    pub name: String,
    pub loaded: Result<Scenario, Diagnostics>,
}

pub struct App {
    catalog: Result<Catalog, Diagnostics>,
    entries: Vec<ScenarioEntry>,
    selected: Option<usize>,
    open_dialog: OpenDialog,
    workbench: Option<Workbench>,
    /// Scenario files opened before, newest first; kept between sessions.
    recent: Vec<PathBuf>,
}

/// How many recent scenario files the picker offers.
const RECENT_KEPT: usize = 8;
/// The key the recent files are stored under.
const RECENT_KEY: &str = "recent_scenarios";

impl App {
    pub fn new(ctx: &egui::Context, catalog_path: Option<&Path>, open_dialog: OpenDialog) -> Self {
        install_fonts(ctx);
        let catalog = Catalog::load_or_bundled(catalog_path);
        let entries = match &catalog {
            Ok(catalog) => scenario::bundled_ids()
                .filter_map(|id| {
                    scenario::bundled(id, catalog).map(|loaded| ScenarioEntry {
                        origin: "Bundled".to_owned(),
                        name: id.to_owned(),
                        loaded,
                    })
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        let selected = (!entries.is_empty()).then_some(0);
        Self { catalog, entries, selected, open_dialog, workbench: None, recent: Vec::new() }
    }

    /// Takes the recent files kept from an earlier session (those that no longer exist are dropped).
    pub fn restore_recent(&mut self, storage: &dyn eframe::Storage) {
        let kept: Vec<PathBuf> = eframe::get_value(storage, RECENT_KEY).unwrap_or_default();
        self.recent = kept.into_iter().filter(|p| p.is_file()).take(RECENT_KEPT).collect();
    }

    pub fn recent(&self) -> &[PathBuf] {
        &self.recent
    }

    /// Opens a scenario file and selects it; a broken file is listed with its diagnostics.
    pub fn open_scenario(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(RECENT_KEPT);
        let Ok(catalog) = &self.catalog else { return };
        let entry = ScenarioEntry {
            origin: path.display().to_string(),
            name: path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
            loaded: Scenario::load(path, catalog),
        };
        // Opening the same file again replaces its entry, so a fixed file can be re-checked.
        if let Some(index) = self.entries.iter().position(|e| e.origin == entry.origin) {
            self.entries[index] = entry;
            self.selected = Some(index);
        } else {
            self.entries.push(entry);
            self.selected = Some(self.entries.len() - 1);
        }
    }

    /// Opens the workbench on `scenario` with `circuit` on the canvas.
    pub fn open_workbench(&mut self, scenario: Scenario, circuit: crate::circuit::Circuit) {
        self.workbench = Some(Workbench::with_circuit(scenario, circuit));
    }

    /// The workbench open now, if any.
    pub fn workbench(&self) -> Option<&Workbench> {
        self.workbench.as_ref()
    }

    fn run_command(&mut self, command: UiCommand) {
        if command == UiCommand::OpenScenario
            && let Some(path) = (self.open_dialog)()
        {
            self.workbench = None;
            self.open_scenario(&path);
        }
    }

    /// What a shortcut asks of the workbench.
    fn intent_for(command: UiCommand) -> Option<Intent> {
        Some(match command {
            UiCommand::OpenScenario => return None,
            UiCommand::Redo | UiCommand::RedoAlternative => Intent::Redo,
            UiCommand::Undo => Intent::Undo,
            UiCommand::Validate => Intent::Validate,
            UiCommand::DeleteSelection => Intent::DeleteSelection,
            UiCommand::ToggleRun => Intent::ToggleRun,
            UiCommand::FitView => Intent::FitView,
        })
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<UiCommand>) {
        ui.horizontal(|ui| {
            ui.heading("Perfusion Circuit Trainer");
            ui.separator();
            if self.workbench.is_some()
                && ui
                    .button("Scenarios")
                    .on_hover_text("Back to the scenario list (the circuit is discarded)")
                    .clicked()
            {
                self.workbench = None;
            }
            let command = UiCommand::OpenScenario;
            let button = ui
                .add_enabled(self.catalog.is_ok(), egui::Button::new(command.label()))
                .on_hover_text(format!("{} ({})", command.tooltip(), ui.ctx().format_shortcut(&command.shortcut())));
            if button.clicked() {
                commands.push(command);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let dark = ui.visuals().dark_mode;
                let (text, theme) =
                    if dark { ("Light theme", egui::Theme::Light) } else { ("Dark theme", egui::Theme::Dark) };
                if ui.button(text).on_hover_text("Switch between dark and light colours").clicked() {
                    ui.ctx().set_theme(theme);
                }
            });
        });
    }
}

impl eframe::App for App {
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let mut commands = Vec::new();
        let typing = ui.ctx().egui_wants_keyboard_input();
        for command in UiCommand::ALL {
            if typing && command.is_text_editing_key() {
                continue;
            }
            if ui.input_mut(|input| input.consume_shortcut(&command.shortcut())) {
                commands.push(command);
            }
        }
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(4.0);
            self.top_bar_ui(ui, &mut commands);
            ui.add_space(4.0);
        });
        match &self.catalog {
            Err(diagnostics) => {
                egui::CentralPanel::default().show(ui, |ui| {
                    briefing::diagnostics_ui(ui, "The component catalog cannot be loaded", diagnostics);
                });
            }
            Ok(catalog) if self.workbench.is_some() => {
                let shortcuts: Vec<Intent> = commands.iter().filter_map(|c| Self::intent_for(*c)).collect();
                if let Some(workbench) = self.workbench.as_mut() {
                    workbench.ui(ui, catalog, &shortcuts);
                }
            }
            Ok(catalog) => {
                let mut start = None;
                let mut reopen = None;
                egui::Panel::left("scenario_picker").default_size(340.0).size_range(260.0..=520.0).show(ui, |ui| {
                    picker::picker_ui(ui, &self.entries, &mut self.selected, &self.recent, &mut reopen);
                });
                egui::CentralPanel::default().show(ui, |ui| {
                    match self.selected.and_then(|index| self.entries.get(index)) {
                        Some(entry) => {
                            if let Ok(scenario) = &entry.loaded {
                                ui.add_space(8.0);
                                let button = egui::Button::new(RichText::new("Build the circuit").strong())
                                    .min_size(egui::vec2(180.0, 30.0));
                                if ui.add(button).on_hover_text("Open the workbench with this scenario's kit").clicked()
                                {
                                    start = Some(scenario.clone());
                                }
                            }
                            briefing::briefing_ui(ui, entry, catalog);
                        }
                        None => {
                            ui.label("Choose a scenario on the left, or open one from disk.");
                        }
                    }
                });
                if let Some(scenario) = start {
                    self.workbench = Some(Workbench::new(scenario));
                }
                if let Some(path) = reopen {
                    self.open_scenario(&path);
                }
            }
        }
        for command in commands {
            self.run_command(command);
        }
    }
}
