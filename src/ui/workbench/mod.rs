//! The trainee's workbench for one scenario: the kit on the left, the canvas in the middle, the inspector,
//! findings and monitor on the right, the run controls on top. Panels report `Intent`s; the workbench carries
//! them out through the core (`Circuit::apply` with undo history, `validate`, the simulation) after drawing.

mod canvas;
mod findings;
mod geometry;
mod icons;
mod inspector;
mod monitor;
mod palette;
mod recording;
mod review;
mod run;

use crate::catalog::{Bore, Catalog};
use crate::circuit::{CanvasPos, Circuit, Edit, History, PlacedPart, Tube};
use crate::ids::{CatalogId, PartId, PortRef, TubeId};
use crate::scenario::{KitAmount, Scenario};
use crate::sim::Alarm;
use crate::validate::{Finding, validate};
use canvas::{CanvasInput, CanvasState};
use eframe::egui::{self, RichText};
use recording::Recording;
use run::Run;
use std::path::{Path, PathBuf};

/// What is selected on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Selection {
    #[default]
    None,
    Part(PartId),
    Tube(TubeId),
}

/// The right-hand panel's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Inspector,
    Findings,
    Monitor,
    Review,
}

/// What a panel asks for.
#[derive(Debug, Clone)]
pub enum Intent {
    Edit(Edit),
    Select(Selection),
    /// Take a part from the kit; `at` where it was dropped, or `None` for a free place in view.
    Place {
        catalog_id: CatalogId,
        at: Option<CanvasPos>,
    },
    /// Lay a tube between two ports, sized for them.
    Connect {
        from: PortRef,
        to: PortRef,
    },
    /// A gesture that cannot make sense: say why.
    Refuse(String),
    /// Show a finding's parts and tubes.
    Highlight(usize),
    ShowTab(Tab),
    Undo,
    Redo,
    Validate,
    DeleteSelection,
    FitView,
    Start,
    TogglePause,
    /// Start the run if none, else pause or resume it.
    ToggleRun,
    Stop,
    Speed(f32),
    Acknowledge(Alarm),
    /// Save the attempt (`as_new`: to a file chosen now).
    Save {
        as_new: bool,
    },
    /// Show the circuit as it was at this moment of the attempt (`None`: now).
    ReviewAt(Option<f64>),
    AddNote {
        at_s: f64,
        text: String,
    },
    SetGrade(String),
    ExportReport,
}

/// A line under the toolbar: why a gesture was refused, or what just happened.
struct Status {
    text: String,
    is_error: bool,
}

/// Length a new tube starts with, m: a short segment the trainee then sets in the inspector (the inspector opens
/// on it). A modelling choice, not a clinical number.
const NEW_TUBE_LENGTH_M: f64 = 0.5;

pub struct Workbench {
    pub scenario: Scenario,
    circuit: Circuit,
    history: History,
    selection: Selection,
    canvas: CanvasState,
    findings: Vec<Finding>,
    findings_revision: Option<u64>,
    highlighted: Option<usize>,
    tab: Tab,
    status: Option<Status>,
    run: Option<Run>,
    model_dt_s: f64,
    recording: Recording,
    /// Save asked for (from the toolbar or Ctrl+S): `true` to choose a new file. The app answers it, as it owns the
    /// file dialogs.
    save_request: Option<bool>,
    /// The moment under review and the circuit and findings rebuilt for it from the log.
    review: Option<(f64, Circuit, Vec<Finding>)>,
    /// The monitor at that moment, when a run was going (column with unit, value), re-simulated from the log.
    review_monitor: Vec<(String, f64)>,
    /// The score and checklist for the log as it was (its length and the trend rows' count).
    review_summary: Option<((usize, usize), crate::attempt::Score, Vec<crate::attempt::checklist::CheckItem>)>,
    drafts: review::Drafts,
    /// The debrief report asked for (the app owns the dialog).
    report_request: bool,
}

/// What the app asks the user for a save: a path, or `None` when they cancel.
pub type SaveDialog<'a> = &'a mut dyn FnMut() -> Option<PathBuf>;

impl Workbench {
    pub fn new(scenario: Scenario, trainee: &str) -> Self {
        Self::with_circuit(scenario, Circuit::new(), trainee)
    }

    /// A new attempt starting from `circuit` (a file opened with it): its building edits open the log.
    pub fn with_circuit(scenario: Scenario, circuit: Circuit, trainee: &str) -> Self {
        let mut recording = Recording::new(trainee, &scenario);
        for edit in circuit.rebuild_edits() {
            recording.edit(&edit, None);
        }
        Self::resuming(scenario, circuit, recording)
    }

    /// Goes on with a saved attempt: its circuit, its log, its file.
    pub fn from_attempt(loaded: crate::attempt::LoadedAttempt, path: Option<PathBuf>) -> Self {
        let recording = Recording::resume(loaded.attempt, path);
        Self::resuming(loaded.scenario, loaded.circuit, recording)
    }

    fn resuming(scenario: Scenario, circuit: Circuit, recording: Recording) -> Self {
        let canvas = CanvasState::framing(!circuit.is_empty());
        Self {
            scenario,
            circuit,
            history: History::new(),
            selection: Selection::None,
            canvas,
            findings: Vec::new(),
            findings_revision: None,
            highlighted: None,
            tab: Tab::Inspector,
            status: None,
            run: None,
            model_dt_s: 0.0,
            recording,
            save_request: None,
            review: None,
            review_monitor: Vec::new(),
            review_summary: None,
            drafts: review::Drafts::default(),
            report_request: false,
        }
    }

    /// The attempt as recorded so far.
    pub fn attempt(&self) -> &crate::attempt::Attempt {
        &self.recording.attempt
    }

    /// Whether work has been recorded since the last explicit save.
    pub fn has_unsaved_work(&self) -> bool {
        self.recording.unsaved
    }

    /// A save the user asked for (`Some(true)`: to a new file), taken once.
    pub fn take_save_request(&mut self) -> Option<bool> {
        self.save_request.take()
    }

    pub fn take_report_request(&mut self) -> bool {
        std::mem::take(&mut self.report_request)
    }

    /// Writes the debrief report (HTML) to the file `choose` gives.
    pub fn export_report(&mut self, choose: SaveDialog, catalog: &Catalog) {
        let Some(path) = choose() else { return };
        let attempt = &self.recording.attempt;
        let score = crate::attempt::score(attempt, &self.scenario, catalog);
        let html = crate::attempt::report::html(attempt, &self.scenario, &self.circuit, catalog, &score);
        match crate::atomic_write::write(&path, html.as_bytes()) {
            Ok(()) => self.say(format!("Report written to {}.", path.display()), false),
            Err(error) => self.say(format!("No report: cannot write {}: {error}.", path.display()), true),
        }
    }

    /// Where the attempt was last saved or opened from.
    pub fn attempt_path(&self) -> Option<&Path> {
        self.recording.path.as_deref()
    }

    /// Saves the attempt to its file, or to the one `choose` gives when it has none (or `as_new`).
    pub fn save(&mut self, as_new: bool, choose: SaveDialog, catalog: &Catalog) {
        let path = match (&self.recording.path, as_new) {
            (Some(path), false) => Some(path.clone()),
            _ => choose(),
        };
        let Some(path) = path else { return };
        match self.recording.save(&path, &self.scenario, &self.circuit, catalog) {
            Ok(()) => self.say(format!("Saved to {}.", path.display()), false),
            Err(error) => self.say(format!("Not saved: cannot write {}: {error}.", path.display()), true),
        }
    }

    /// Autosaves to `path` when due (`force` on closing); returns how long until the next one is due, if any.
    pub fn autosave(&mut self, path: &Path, force: bool, catalog: &Catalog) -> Option<std::time::Duration> {
        if self.recording.autosave_due(force)
            && let Err(error) = self.recording.autosave(path, &self.scenario, &self.circuit, catalog)
        {
            self.say(format!("Autosave failed: cannot write {}: {error}.", path.display()), true);
        }
        self.recording.autosave_in()
    }

    pub fn circuit(&self) -> &Circuit {
        &self.circuit
    }

    /// The finding shown on the canvas, if one was clicked.
    pub fn highlighted_finding(&self) -> Option<&Finding> {
        self.highlighted.and_then(|i| self.findings.get(i))
    }

    /// The simulation of the run under way, if any.
    pub fn simulation(&self) -> Option<&crate::sim::Simulation> {
        self.run.as_ref().map(Run::simulation)
    }

    pub fn is_running(&self) -> bool {
        self.run.as_ref().is_some_and(|run| !run.paused && run.failed.is_none())
    }

    /// Draws the workbench and carries out what was asked.
    pub fn ui(&mut self, ui: &mut egui::Ui, catalog: &Catalog, shortcuts: &[Intent]) {
        if self.findings_revision != Some(self.circuit.revision()) {
            // Live validation: it takes well under a millisecond (benches/validate.rs).
            self.findings = validate(&self.scenario, &self.circuit, catalog);
            self.findings_revision = Some(self.circuit.revision());
            self.highlighted = None;
        }
        if let Some(run) = self.run.as_mut() {
            let frame_s = ui.input(|i| i.stable_dt);
            self.model_dt_s = run.advance(frame_s);
            self.recording.observe(run);
            if !run.paused && run.failed.is_none() {
                ui.ctx().request_repaint();
            }
        } else {
            self.model_dt_s = 0.0;
        }

        let mut intents: Vec<Intent> = shortcuts.to_vec();
        egui::Panel::top("workbench_toolbar").show(ui, |ui| {
            ui.add_space(3.0);
            self.toolbar_ui(ui, &mut intents);
            ui.add_space(3.0);
        });
        // A status bar of fixed height: messages come and go without moving the canvas under the pointer.
        egui::Panel::bottom("status_bar").exact_size(24.0).show(ui, |ui| {
            ui.horizontal_centered(|ui| match &self.status {
                Some(status) => {
                    let colour = if status.is_error { ui.visuals().error_fg_color } else { ui.visuals().text_color() };
                    ui.label(RichText::new(&status.text).color(colour));
                }
                None => {
                    ui.label(RichText::new(self.hint()).weak());
                }
            });
        });
        egui::Panel::left("kit_palette").default_size(230.0).size_range(190.0..=360.0).show(ui, |ui| {
            palette::palette_ui(ui, &self.scenario, &self.circuit, catalog, self.run.is_none(), &mut intents);
        });
        egui::Panel::right("side_panel").default_size(340.0).size_range(280.0..=520.0).show(ui, |ui| {
            self.side_panel_ui(ui, catalog, &mut intents);
        });
        egui::CentralPanel::default().frame(egui::Frame::NONE).show(ui, |ui| {
            let shown = self.review.as_ref().map_or(&self.circuit, |(_, circuit, _)| circuit);
            let labels = shown.labels(catalog);
            let (parts, tubes) = self
                .highlighted
                .and_then(|i| self.findings.get(i))
                .map_or((&[][..], &[][..]), |f| (f.parts.as_slice(), f.tubes.as_slice()));
            let input = CanvasInput {
                catalog,
                circuit: shown,
                labels: &labels,
                selection: self.selection,
                highlight_parts: parts,
                highlight_tubes: tubes,
                run: self.run.as_ref(),
                model_dt_s: self.model_dt_s,
            };
            canvas::canvas_ui(ui, &mut self.canvas, &input, &mut intents);
            if let (Some(run), Some(rect)) = (&self.run, self.canvas.last_rect) {
                monitor::alarm_overlay(ui, run, rect, &mut intents);
            }
        });
        for intent in intents {
            self.carry_out(intent, catalog);
        }
    }

    fn toolbar_ui(&self, ui: &mut egui::Ui, intents: &mut Vec<Intent>) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&self.scenario.title).strong());
            ui.separator();
            let editable = self.run.is_none();
            let undo = ui
                .add_enabled(editable && self.history.can_undo(), egui::Button::new("Undo"))
                .on_hover_text("Undo the last change (Ctrl+Z)")
                .on_disabled_hover_text("Nothing to undo, or the pump is running");
            if undo.clicked() {
                intents.push(Intent::Undo);
            }
            let redo = ui
                .add_enabled(editable && self.history.can_redo(), egui::Button::new("Redo"))
                .on_hover_text("Redo (Ctrl+Shift+Z or Ctrl+Y)")
                .on_disabled_hover_text("Nothing to redo, or the pump is running");
            if redo.clicked() {
                intents.push(Intent::Redo);
            }
            let save = if self.recording.unsaved { "Save*" } else { "Save" };
            if ui.button(save).on_hover_text("Save the attempt (Ctrl+S); Ctrl+Shift+S saves to a new file").clicked() {
                intents.push(Intent::Save { as_new: false });
            }
            if ui.button("Fit view").on_hover_text("Frame the whole circuit (Ctrl+0)").clicked() {
                intents.push(Intent::FitView);
            }
            ui.separator();
            let critical = self.findings.iter().filter(|f| f.severity == crate::rules::Severity::Critical).count();
            let validate_text =
                if critical > 0 { format!("Validate ({critical} critical)") } else { "Validate".to_owned() };
            if ui.button(validate_text).on_hover_text("Check the assembly against the scenario (F5)").clicked() {
                intents.push(Intent::Validate);
            }
            ui.separator();
            monitor::run_controls_ui(ui, self.run.as_ref(), intents);
        });
    }

    fn side_panel_ui(&mut self, ui: &mut egui::Ui, catalog: &Catalog, intents: &mut Vec<Intent>) {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            for (tab, name) in [
                (Tab::Inspector, "Inspector"),
                (Tab::Findings, "Findings"),
                (Tab::Monitor, "Monitor"),
                (Tab::Review, "Review"),
            ] {
                let text =
                    if tab == Tab::Findings { format!("{name} ({})", self.findings.len()) } else { name.to_owned() };
                if ui.selectable_label(self.tab == tab, text).clicked() {
                    intents.push(Intent::ShowTab(tab));
                }
            }
        });
        ui.separator();
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| match self.tab {
            Tab::Inspector => inspector::inspector_ui(
                ui,
                &self.scenario,
                &self.circuit,
                catalog,
                self.selection,
                self.run.is_some(),
                intents,
            ),
            Tab::Findings => findings::findings_ui(ui, &self.findings, self.highlighted, intents),
            Tab::Monitor => monitor::monitor_ui(ui, self.run.as_ref(), &self.circuit, catalog, intents),
            Tab::Review => {
                // Scoring replays and validates the log: once per change of the log or trends, not every frame.
                let attempt = &self.recording.attempt;
                let key = (attempt.log.len(), attempt.trends.rows.len());
                if self.review_summary.as_ref().is_none_or(|(k, _, _)| *k != key) {
                    let score = crate::attempt::score(attempt, &self.scenario, catalog);
                    let checklist = crate::attempt::checklist::checklist(attempt, &self.scenario, catalog);
                    self.review_summary = Some((key, score, checklist));
                }
                let Some((_, score, checklist)) = &self.review_summary else { return };
                let view = review::ReviewView {
                    attempt,
                    instructor_notes: &self.scenario.instructor_notes,
                    score,
                    checklist,
                    at_s: self.review.as_ref().map(|(at, _, _)| *at),
                    findings_then: self.review.as_ref().map_or(&[][..], |(_, _, f)| f.as_slice()),
                    monitor_then: &self.review_monitor,
                };
                review::review_ui(ui, &view, &mut self.drafts, intents);
            }
        });
    }

    /// What to do next, when there is nothing to report.
    fn hint(&self) -> &'static str {
        if self.run.is_some() {
            "Running: set pump speed, sweep, FiO2 and water in the monitor; click a tube's square to clamp it."
        } else if self.circuit.is_empty() {
            "Drag parts from the kit onto the canvas."
        } else {
            "Drag from port to port to lay tubing; select a part or tube to set it; F5 validates, F6 runs."
        }
    }

    fn say(&mut self, text: impl Into<String>, is_error: bool) {
        self.status = Some(Status { text: text.into(), is_error });
    }

    /// Applies an edit through the undo history; while the pump runs only settings may change, and the run takes
    /// them at once.
    fn edit(&mut self, edit: Edit, catalog: &Catalog) -> bool {
        if self.review.is_some() {
            self.say("The canvas shows an earlier moment: press Back to now (Review tab) to edit.", true);
            return false;
        }
        if self.run.is_some() && !edit.changes_settings_only() {
            self.say("Stop the run to change the assembly; while it runs you can change settings and clamps.", true);
            return false;
        }
        match self.history.apply(&mut self.circuit, catalog, edit.clone()) {
            Ok(()) => {
                self.recording.edit(&edit, self.run.as_ref());
                if let Some(run) = self.run.as_mut()
                    && let Err(error) = run.take_edit(&edit, &self.scenario, &self.circuit, catalog)
                {
                    self.say(error.to_string(), true);
                    return false;
                }
                self.status = None;
                true
            }
            Err(error) => {
                self.say(format!("Not done: {error}."), true);
                false
            }
        }
    }

    fn carry_out(&mut self, intent: Intent, catalog: &Catalog) {
        match intent {
            Intent::Edit(edit) => {
                self.edit(edit, catalog);
            }
            Intent::Select(selection) => {
                self.selection = selection;
                if selection != Selection::None && self.tab != Tab::Monitor {
                    self.tab = Tab::Inspector;
                }
            }
            Intent::Place { catalog_id, at } => self.place(catalog_id, at, catalog),
            Intent::Connect { from, to } => self.connect(from, to, catalog),
            Intent::Refuse(reason) => self.say(reason, true),
            Intent::Highlight(index) => {
                self.highlighted = Some(index);
                if let Some(bounds) = self.findings.get(index).and_then(|f| self.bounds_of(f, catalog)) {
                    self.canvas.focus_pending = Some(bounds);
                }
            }
            Intent::ShowTab(tab) => self.tab = tab,
            Intent::Undo => self.step_history(true, catalog),
            Intent::Redo => self.step_history(false, catalog),
            Intent::Save { as_new } => self.save_request = Some(as_new),
            Intent::ReviewAt(at) => {
                self.review = at.map(|at_s| {
                    let mut circuit = Circuit::new();
                    for edit in self.recording.attempt.edits_until(at_s) {
                        // The log replays whole (checked on load, recorded from accepted edits).
                        let _ = circuit.apply(catalog, edit.clone());
                    }
                    let findings = validate(&self.scenario, &circuit, catalog);
                    (at_s, circuit, findings)
                });
                self.review_monitor = at.map_or_else(Vec::new, |at_s| self.monitor_at(at_s, catalog));
                self.selection = Selection::None;
            }
            Intent::AddNote { at_s, text } => self.recording.add_note(at_s, text),
            Intent::SetGrade(grade) => self.recording.set_grade(grade),
            Intent::ExportReport => self.report_request = true,
            Intent::Validate => {
                self.recording.validated(&self.findings);
                self.tab = Tab::Findings;
                let critical = self.findings.iter().filter(|f| f.severity == crate::rules::Severity::Critical).count();
                self.say(
                    match (self.findings.len(), critical) {
                        (0, _) => "Validated: no findings.".to_owned(),
                        (n, 0) => format!("Validated: {n} finding(s), none critical."),
                        (n, c) => format!("Validated: {n} finding(s), {c} critical."),
                    },
                    critical > 0,
                );
            }
            Intent::DeleteSelection => {
                let edit = match self.selection {
                    Selection::Part(part) => Some(Edit::RemovePart { part }),
                    Selection::Tube(tube) => Some(Edit::Disconnect { tube }),
                    Selection::None => None,
                };
                if let Some(edit) = edit
                    && self.edit(edit, catalog)
                {
                    self.selection = Selection::None;
                }
            }
            Intent::FitView => self.canvas.fit_pending = true,
            Intent::Start => {
                self.run = Some(Run::start(&self.scenario, &self.circuit, catalog));
                self.recording.run_started();
                self.tab = Tab::Monitor;
                self.say("Running. Set the arterial pump's speed to go on bypass; settings and clamps can change while it runs.", false);
            }
            Intent::ToggleRun if self.run.is_none() => self.carry_out(Intent::Start, catalog),
            Intent::ToggleRun | Intent::TogglePause => {
                if let Some(run) = self.run.as_mut() {
                    run.paused = !run.paused;
                }
            }
            Intent::Stop => {
                if let Some(run) = self.run.take() {
                    self.recording.run_stopped(&run);
                }
                self.say("Stopped. The assembly can be changed again.", false);
            }
            Intent::Speed(speed) => {
                if let Some(run) = self.run.as_mut() {
                    run.speed = speed;
                }
            }
            Intent::Acknowledge(alarm) => {
                if let Some(run) = self.run.as_mut() {
                    run.acknowledge(alarm);
                    self.recording.acknowledged(alarm, run);
                }
            }
        }
    }

    /// The monitor's values at `at_s` of the attempt, re-simulated from the log; empty when no run was going.
    fn monitor_at(&mut self, at_s: f64, catalog: &Catalog) -> Vec<(String, f64)> {
        match crate::attempt::replay::run_at(&self.recording.attempt, &self.scenario, catalog, at_s) {
            Ok(Some(run)) => {
                let columns = crate::sim::TrendColumns::new(&run.simulation, &run.circuit, catalog);
                let names = columns.columns().map(|c| format!("{} ({})", c.name, c.unit));
                names.zip(columns.sample(&run.simulation)).collect()
            }
            Ok(None) => Vec::new(),
            Err(error) => {
                self.say(format!("The run cannot be replayed there: {error}."), true);
                Vec::new()
            }
        }
    }

    /// Undoes (`back`) or redoes the last step; the edit it applied goes into the log like any other.
    fn step_history(&mut self, back: bool, catalog: &Catalog) {
        if self.run.is_some() || self.review.is_some() {
            self.say("Stop the run and come back to now before undoing or redoing changes to the assembly.", true);
            return;
        }
        let (done, none, verb) =
            if back { ("Undone.", "Nothing to undo.", "undo") } else { ("Redone.", "Nothing to redo.", "redo") };
        let stepped = if back {
            self.history.undo(&mut self.circuit, catalog)
        } else {
            self.history.redo(&mut self.circuit, catalog)
        };
        match stepped {
            Ok(Some(edit)) => {
                self.recording.edit(&edit, None);
                self.say(done, false);
            }
            Ok(None) => self.say(none, false),
            Err(error) => self.say(format!("Cannot {verb}: {error}."), true),
        }
    }

    fn bounds_of(&self, finding: &Finding, catalog: &Catalog) -> Option<egui::Rect> {
        let tube_parts =
            finding.tubes.iter().filter_map(|t| self.circuit.tube(*t)).flat_map(|t| [t.from.part, t.to.part]);
        finding
            .parts
            .iter()
            .copied()
            .chain(tube_parts)
            .filter_map(|id| {
                let part = self.circuit.part(id)?;
                Some(geometry::part_bounds(part.pos_in_canvas, self.circuit.kind_of(catalog, id)?))
            })
            .reduce(|a, b| a.union(b))
    }

    fn place(&mut self, catalog_id: CatalogId, at: Option<CanvasPos>, catalog: &Catalog) {
        let Some(spec) = catalog.part(&catalog_id) else { return };
        if let Some(KitAmount::Count(on_shelf)) = self.scenario.kit_amount(&catalog_id) {
            let used = self.circuit.usage(catalog).counts.get(&catalog_id).copied().unwrap_or(0);
            if used >= on_shelf {
                self.say(format!("No {} left on the shelf ({on_shelf} in the kit, all placed).", spec.name), true);
                return;
            }
        }
        let at = at.unwrap_or_else(|| self.free_spot(catalog));
        let id = self.circuit.next_part_id();
        if self.edit(Edit::AddPart(PlacedPart::new(id, catalog_id, at)), catalog) {
            self.selection = Selection::Part(id);
            self.tab = Tab::Inspector;
        }
    }

    /// A place in view, below the parts already there, for a part added from the keyboard.
    fn free_spot(&self, catalog: &Catalog) -> CanvasPos {
        let rect =
            self.canvas.last_rect.unwrap_or(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(700.0, 600.0)));
        let view = &self.canvas.view;
        let top_left = view.to_canvas(rect, rect.min + egui::vec2(80.0, 80.0));
        let width = (rect.width() - 160.0) / view.zoom;
        let step = 120.0;
        let columns = ((width / step).floor() as usize).max(1);
        for index in 0..400 {
            let candidate = CanvasPos {
                x: top_left.x + (index % columns) as f32 * step,
                y: top_left.y + (index / columns) as f32 * 140.0,
            };
            let taken = self.circuit.parts().any(|p| {
                self.circuit.kind_of(catalog, p.id).is_some_and(|kind| {
                    geometry::part_bounds(p.pos_in_canvas, kind)
                        .expand(20.0)
                        .contains(egui::pos2(candidate.x, candidate.y))
                })
            });
            if !taken {
                return candidate;
            }
        }
        top_left
    }

    /// Lays a tube from `from` to `to`, of the kit's tubing that fits both ports, and opens it in the inspector.
    fn connect(&mut self, from: PortRef, to: PortRef, catalog: &Catalog) {
        let bore_of = |port: &PortRef| {
            self.circuit
                .part(port.part)
                .and_then(|p| catalog.part(&p.catalog_id))
                .and_then(|spec| spec.port(&port.port))
                .map_or(Bore::Any, |p| p.bore)
        };
        let Some(tubing) = self.scenario.kit_tubing_for(catalog, bore_of(&from), bore_of(&to)) else {
            self.say("The kit has no tubing at all: this scenario cannot be built.", true);
            return;
        };
        let id = self.circuit.next_tube_id();
        let tube = Tube { id, from, to, tubing, length_m: NEW_TUBE_LENGTH_M, clamped: false };
        if self.edit(Edit::Connect(tube), catalog) {
            self.selection = Selection::Tube(id);
            self.tab = Tab::Inspector;
            self.say("Tube laid. Set its size and length in the inspector.", false);
        }
    }
}

/// "Roller pump 1 outlet to Oxygenator 1 venous inlet" (the default fonts have no arrow glyph).
pub fn tube_name(labels: &std::collections::BTreeMap<PartId, String>, tube: &Tube) -> String {
    let end = |port: &PortRef| {
        format!("{} {}", labels.get(&port.part).cloned().unwrap_or_default(), port.port.replace('_', " "))
    };
    format!("{} to {}", end(&tube.from), end(&tube.to))
}
