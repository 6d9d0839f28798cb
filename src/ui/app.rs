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

/// What a file dialog gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Picked {
    Chosen(PathBuf),
    Cancelled,
    /// There is no dialog on this machine (no desktop portal, no zenity): why, in the library's words.
    Unavailable(String),
}

/// Asks the user for a file. Injected so tests can stand in for the dialogs.
pub type FileDialog = Box<dyn FnMut() -> Picked>;

/// What the system dialog's answer means: a path, or nothing because the user cancelled, or nothing because no
/// dialog could be shown (the library logged an error on the way).
fn picked(answer: Option<PathBuf>) -> Picked {
    match (answer, super::dialog_log::take_error()) {
        (Some(path), _) => Picked::Chosen(path),
        (None, Some(error)) => Picked::Unavailable(error),
        (None, None) => Picked::Cancelled,
    }
}

/// The file dialogs the app uses.
pub struct Dialogs {
    pub open_scenario: FileDialog,
    pub open_attempt: FileDialog,
    pub save_attempt: FileDialog,
    pub save_report: FileDialog,
}

impl Dialogs {
    /// The system's dialogs.
    pub fn system() -> Self {
        let ron = |title: &'static str, kind: &'static str| {
            rfd::FileDialog::new().set_title(title).add_filter(kind, &["ron"])
        };
        // A stale error from before the dialog opened says nothing about it.
        let ask = |dialog: &dyn Fn() -> Option<PathBuf>| {
            let _ = super::dialog_log::take_error();
            picked(dialog())
        };
        Self {
            open_scenario: Box::new(move || ask(&|| ron("Open scenario", "Scenario (RON)").pick_file())),
            open_attempt: Box::new(move || ask(&|| ron("Open attempt", "Attempt (RON)").pick_file())),
            save_attempt: Box::new(move || {
                ask(&|| ron("Save attempt", "Attempt (RON)").set_file_name("attempt.ron").save_file())
            }),
            save_report: Box::new(move || {
                ask(&|| {
                    rfd::FileDialog::new()
                        .set_title("Export debrief report")
                        .add_filter("Web page (HTML)", &["html"])
                        .set_file_name("debrief.html")
                        .save_file()
                })
            }),
        }
    }

    /// Dialogs that cannot be shown, as on a machine with no desktop portal and no zenity (for tests).
    pub fn unavailable() -> Self {
        let none = || Picked::Unavailable("no file dialog on this machine".to_owned());
        Self {
            open_scenario: Box::new(none),
            open_attempt: Box::new(none),
            save_attempt: Box::new(none),
            save_report: Box::new(none),
        }
    }

    /// Dialogs the user always cancels (a stand-in for tests to override).
    pub fn cancelled() -> Self {
        Self {
            open_scenario: Box::new(|| Picked::Cancelled),
            open_attempt: Box::new(|| Picked::Cancelled),
            save_attempt: Box::new(|| Picked::Cancelled),
            save_report: Box::new(|| Picked::Cancelled),
        }
    }
}

/// Where unsaved work is autosaved: the user's data folder for the app (None where the platform has none).
pub fn default_autosave_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "perfusion-trainer").map(|dirs| dirs.data_dir().join("autosave.ron"))
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
    /// The selected scenario was chosen from outside the list (a file opened): scroll it into view.
    reveal_selected: bool,
    dialogs: Dialogs,
    workbench: Option<Workbench>,
    /// Scenario and attempt files opened before, newest first; kept between sessions.
    recent: Vec<PathBuf>,
    /// The name attempts are recorded under.
    trainee: String,
    /// Where unsaved work is autosaved (none: no autosave).
    autosave_path: Option<PathBuf>,
    /// An unfinished attempt found in the autosave at start, offered for recovery.
    recovery: Option<crate::attempt::LoadedAttempt>,
    /// A file that could not be opened, with why.
    failed_open: Option<(String, Diagnostics)>,
    /// A message for the picker (a file dialog that could not be shown).
    notice: Option<String>,
    /// The briefing's practice switch: new attempts run without the scenario's faults (and record it).
    pub without_faults: bool,
}

/// How many recent scenario files the picker offers.
const RECENT_KEPT: usize = 8;
/// The key the recent files (scenarios and attempts) are stored under.
const RECENT_KEY: &str = "recent_scenarios";

impl App {
    pub fn new(ctx: &egui::Context, catalog_path: Option<&Path>, dialogs: Dialogs) -> Self {
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
        Self {
            catalog,
            entries,
            selected,
            reveal_selected: false,
            dialogs,
            workbench: None,
            recent: Vec::new(),
            trainee: "Trainee".to_owned(),
            without_faults: false,
            autosave_path: None,
            recovery: None,
            failed_open: None,
            notice: None,
        }
    }

    /// Autosaves work to `path`, and offers to recover the attempt already there (work not saved when the app last
    /// ended). A file there that cannot be read is left alone and not offered.
    pub fn autosave_to(&mut self, path: PathBuf) {
        if let Ok(catalog) = &self.catalog
            && path.is_file()
        {
            self.recovery = crate::attempt::load(&path, catalog).ok();
        }
        self.autosave_path = Some(path);
    }

    /// The attempt offered for recovery, if any.
    pub fn recovery(&self) -> Option<&crate::attempt::Attempt> {
        self.recovery.as_ref().map(|r| &r.attempt)
    }

    /// Takes the recent files kept from an earlier session (those that no longer exist are dropped).
    pub fn restore_recent(&mut self, storage: &dyn eframe::Storage) {
        let kept: Vec<PathBuf> = eframe::get_value(storage, RECENT_KEY).unwrap_or_default();
        self.recent = kept.into_iter().filter(|p| p.is_file()).take(RECENT_KEPT).collect();
    }

    pub fn recent(&self) -> &[PathBuf] {
        &self.recent
    }

    fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(RECENT_KEPT);
    }

    /// Opens a recent file as what its first word says it is: an attempt or a scenario.
    fn reopen(&mut self, path: &Path) {
        let is_attempt = crate::attempt::read_file(path).is_ok_and(|source| source.header() == Some("Attempt"));
        if is_attempt { self.open_attempt(path) } else { self.open_scenario(path) }
    }

    /// Opens a scenario file and selects it; a broken file is listed with its diagnostics.
    pub fn open_scenario(&mut self, path: &Path) {
        self.remember(path);
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
        self.reveal_selected = true;
    }

    /// Shows a scenario's briefing in the picker: a bundled one by its id, else a scenario file (which joins the
    /// recent list).
    pub fn show_briefing(&mut self, scenario: &str) {
        match self.entries.iter().position(|e| e.origin == "Bundled" && e.name == scenario) {
            Some(index) => {
                self.selected = Some(index);
                self.reveal_selected = true;
            }
            None => self.open_scenario(Path::new(scenario)),
        }
    }

    /// Opens the workbench on `scenario` with `circuit` on the canvas.
    pub fn open_workbench(&mut self, scenario: Scenario, circuit: crate::circuit::Circuit) {
        self.make_room();
        let Ok(catalog) = &self.catalog else { return };
        self.workbench = Some(Workbench::with_circuit(scenario, catalog, circuit, &self.trainee, self.without_faults));
    }

    /// Opens a saved attempt on the workbench, to go on with it; a file that cannot be read shows why.
    pub fn open_attempt(&mut self, path: &Path) {
        self.remember(path);
        let Ok(catalog) = &self.catalog else { return };
        match crate::attempt::load(path, catalog) {
            Ok(loaded) => {
                self.failed_open = None;
                self.make_room();
                self.workbench = Some(Workbench::from_attempt(loaded, Some(path.to_path_buf())));
            }
            Err(diagnostics) => {
                self.leave_workbench();
                self.failed_open = Some((path.display().to_string(), diagnostics));
            }
        }
    }

    /// Saves the open attempt if the workbench asked, through the save dialog when it has no file yet.
    fn answer_save_request(&mut self) {
        let Some(workbench) = self.workbench.as_mut() else { return };
        // Without a dialog, files go to the app's data folder (beside the autosave), named and said.
        let fallback = self.autosave_path.as_deref().and_then(Path::parent).map(Path::to_path_buf);
        if workbench.take_report_request() {
            workbench.export_report(&mut self.dialogs.save_report, fallback.as_deref());
        }
        let Some(as_new) = workbench.take_save_request() else { return };
        workbench.save(as_new, &mut self.dialogs.save_attempt, fallback.as_deref());
        let saved = (!workbench.has_unsaved_work()).then(|| workbench.attempt_path().map(Path::to_path_buf)).flatten();
        if let Some(path) = saved {
            self.remember(&path);
            // Saved work needs no recovery: the autosave is dropped until the next change.
            if let Some(autosave) = &self.autosave_path {
                let _ = std::fs::remove_file(autosave);
            }
        }
    }

    /// Autosaves the open attempt if due (`force`: now); returns how long until the next autosave is due.
    fn autosave(&mut self, force: bool) -> Option<std::time::Duration> {
        let (Some(workbench), Some(path)) = (self.workbench.as_mut(), self.autosave_path.as_deref()) else {
            return None;
        };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        workbench.autosave(path, force)
    }

    /// Closes the workbench: unsaved work is autosaved at once and offered for recovery in the picker.
    fn leave_workbench(&mut self) {
        if self.workbench.as_ref().is_some_and(Workbench::has_unsaved_work) {
            let _ = self.autosave(true);
            if let (Ok(catalog), Some(path)) = (&self.catalog, &self.autosave_path) {
                self.recovery = crate::attempt::load(path, catalog).ok();
            }
        }
        self.workbench = None;
    }

    /// Makes room for another attempt without losing one: the open workbench is left, and an unfinished attempt
    /// still offered for recovery is kept under its own name in the data folder (the autosave will hold the next
    /// attempt's), listed among the recent files and said in the picker.
    fn make_room(&mut self) {
        self.leave_workbench();
        let Some(unfinished) = self.recovery.take() else { return };
        let Some(autosave) = self.autosave_path.clone() else { return };
        let title = unfinished.scenario.title;
        let Some(dir) = autosave.parent().map(|d| d.join("attempts")) else { return };
        let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let kept = dir.join(format!("unsaved-{seconds}.ron"));
        let moved = std::fs::create_dir_all(&dir).and_then(|()| std::fs::rename(&autosave, &kept));
        self.notice = Some(match moved {
            Ok(()) => {
                self.remember(&kept);
                format!("Your unsaved attempt on {title} was kept in {} (in the recent files).", kept.display())
            }
            Err(error) => format!(
                "Your unsaved attempt on {title} could not be kept apart ({error}); it stays in {} until this \
                 attempt's next autosave.",
                autosave.display()
            ),
        });
    }

    /// The workbench open now, if any.
    pub fn workbench(&self) -> Option<&Workbench> {
        self.workbench.as_ref()
    }

    fn run_command(&mut self, command: UiCommand) {
        match command {
            UiCommand::OpenScenario => match (self.dialogs.open_scenario)() {
                Picked::Chosen(path) => {
                    self.leave_workbench();
                    self.open_scenario(&path);
                }
                Picked::Cancelled => {}
                Picked::Unavailable(why) => self.no_dialog_to_open(&why),
            },
            UiCommand::OpenAttempt => match (self.dialogs.open_attempt)() {
                Picked::Chosen(path) => self.open_attempt(&path),
                Picked::Cancelled => {}
                Picked::Unavailable(why) => self.no_dialog_to_open(&why),
            },
            _ => {}
        }
    }

    /// No dialog to choose a file to open: say so, and the two ways that still work.
    fn no_dialog_to_open(&mut self, why: &str) {
        let text = format!(
            "No file dialog on this machine ({why}): drop the file on this window, or start the app with \
             `perfusion-trainer open FILE`."
        );
        match self.workbench.as_mut() {
            Some(workbench) => workbench.tell(text, true),
            None => self.notice = Some(text),
        }
    }

    /// Opens the files dropped on the window: an attempt on the workbench, a scenario in the picker.
    fn open_dropped(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()).collect()
        });
        for path in dropped {
            let is_attempt = crate::attempt::read_file(&path).is_ok_and(|source| source.header() == Some("Attempt"));
            if is_attempt {
                self.open_attempt(&path);
            } else {
                self.leave_workbench();
                self.open_scenario(&path);
            }
        }
    }

    /// What a shortcut asks of the workbench.
    fn intent_for(command: UiCommand) -> Option<Intent> {
        Some(match command {
            UiCommand::OpenScenario | UiCommand::OpenAttempt => return None,
            UiCommand::Save => Intent::Save { as_new: false },
            UiCommand::SaveAs => Intent::Save { as_new: true },
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
                    .on_hover_text(
                        "Back to the scenario list (unsaved work is autosaved and offered for recovery there)",
                    )
                    .clicked()
            {
                self.leave_workbench();
            }
            for command in [UiCommand::OpenScenario, UiCommand::OpenAttempt] {
                if command.button(ui, None, self.catalog.is_ok(), "The component catalog could not be loaded") {
                    commands.push(command);
                }
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
    /// Called periodically and when the window closes: the recent files, and the open attempt's autosave.
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
        let _ = self.autosave(true);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        // A software renderer (llvmpipe on a machine without a GPU) pays for every frame with the processor.
        let software = frame
            .wgpu_render_state()
            .is_some_and(|state| state.adapter.get_info().device_type == eframe::wgpu::DeviceType::Cpu);
        if let Some(workbench) = self.workbench.as_mut() {
            workbench.software_rendering = software;
        }
        self.open_dropped(ui.ctx());
        let mut commands = Vec::new();
        let typing = ui.ctx().text_edit_focused();
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
            Ok(_) if self.workbench.is_some() => {
                let shortcuts: Vec<Intent> = commands.iter().filter_map(|c| Self::intent_for(*c)).collect();
                if let Some(workbench) = self.workbench.as_mut() {
                    workbench.ui(ui, &shortcuts);
                }
                self.answer_save_request();
                // An idle window draws no frames: wake up when the autosave falls due.
                if let Some(due_in) = self.autosave(false) {
                    ui.ctx().request_repaint_after(due_in);
                }
            }
            Ok(catalog) => {
                let mut start = None;
                let mut reopen = None;
                let mut recover = None;
                egui::Panel::left("scenario_picker").default_size(340.0).size_range(260.0..=520.0).show(ui, |ui| {
                    let (entries, selected, recent) = (&self.entries, &mut self.selected, &self.recent);
                    picker::picker_ui(ui, entries, selected, &mut self.reveal_selected, recent, &mut reopen);
                });
                egui::CentralPanel::default().show(ui, |ui| {
                    if let Some(loaded) = &self.recovery {
                        recover = recovery_ui(ui, &loaded.attempt, &loaded.scenario.title);
                    }
                    if let Some(notice) = &self.notice {
                        ui.label(RichText::new(notice).color(ui.visuals().warn_fg_color));
                        ui.separator();
                    }
                    if let Some((file, diagnostics)) = &self.failed_open {
                        briefing::diagnostics_ui(ui, &format!("{file} cannot be opened"), diagnostics);
                        ui.separator();
                    }
                    match self.selected.and_then(|index| self.entries.get(index)) {
                        Some(entry) => {
                            if let Ok(scenario) = &entry.loaded {
                                ui.add_space(8.0);
                                ui.horizontal(|ui| {
                                    ui.label("Your name");
                                    let field =
                                        ui.add(egui::TextEdit::singleline(&mut self.trainee).desired_width(200.0));
                                    field.widget_info(|| {
                                        egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Trainee name")
                                    });
                                    let button = egui::Button::new(RichText::new("Build the circuit").strong())
                                        .min_size(egui::vec2(180.0, 30.0));
                                    if ui
                                        .add(button)
                                        .on_hover_text(
                                            "Open the workbench with this scenario's kit; your attempt is recorded",
                                        )
                                        .clicked()
                                    {
                                        start = Some(scenario.clone());
                                    }
                                });
                                if !scenario.faults.is_empty() {
                                    let switch = ui.checkbox(&mut self.without_faults, "Practise without the faults");
                                    switch.on_hover_text(
                                        "The scenario's timed faults never fire: rehearse the build and the run first. \
                                         The attempt is recorded as practice, and grading says so.",
                                    );
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
                    self.make_room();
                    if let Ok(catalog) = &self.catalog {
                        self.workbench = Some(Workbench::new(scenario, catalog, &self.trainee, self.without_faults));
                    }
                }
                match recover {
                    Some(true) => {
                        if let Some(loaded) = self.recovery.take() {
                            self.workbench = Some(Workbench::from_attempt(loaded, None));
                        }
                    }
                    Some(false) => {
                        self.recovery = None;
                        if let Some(path) = &self.autosave_path {
                            let _ = std::fs::remove_file(path);
                        }
                    }
                    None => {}
                }
                if let Some(path) = reopen {
                    self.reopen(&path);
                }
            }
        }
        for command in commands {
            self.run_command(command);
        }
    }
}

/// The offer to recover an unfinished attempt: `Some(true)` to recover, `Some(false)` to discard it.
fn recovery_ui(ui: &mut egui::Ui, attempt: &crate::attempt::Attempt, scenario_title: &str) -> Option<bool> {
    let mut answer = None;
    egui::Frame::group(ui.style()).fill(ui.visuals().faint_bg_color).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new("Unfinished attempt").strong());
        let edits = attempt.log.iter().filter(|e| matches!(e.event, crate::attempt::Event::Edit(_))).count();
        let duration = attempt.duration_s();
        let span = if duration >= 1.0 { format!(" over {}", crate::attempt::clock(duration)) } else { String::new() };
        ui.label(format!(
            "{} on {scenario_title}: {edits} change(s){span}, not saved when the program last ended.",
            attempt.trainee
        ));
        ui.horizontal(|ui| {
            if ui.button("Recover").on_hover_text("Go on with it on the workbench").clicked() {
                answer = Some(true);
            }
            if ui.button("Discard").on_hover_text("Delete the autosaved attempt").clicked() {
                answer = Some(false);
            }
        });
    });
    ui.add_space(6.0);
    answer
}
