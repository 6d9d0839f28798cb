//! The trainee's workbench for one scenario: the kit on the left, the canvas in the middle, the inspector,
//! findings and monitor on the right, the run controls on top. It is a view of a core `Session`: panels report
//! `Intent`s, and the workbench turns those that change anything into `Action`s for `Session::apply` after
//! drawing; what is only the view's (selection, tab, pan and zoom, the moment under review) stays here.

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
use crate::circuit::{CanvasPos, Circuit, Edit, PlacedPart, Tube};
use crate::ids::{CatalogId, PartId, PortRef, TubeId};
use crate::scenario::Scenario;
use crate::session::{Action, MomentView, Session};
use crate::sim::Alarm;
use crate::validate::Finding;
use canvas::{CanvasInput, CanvasState};
use eframe::egui::{self, RichText};
use recording::Recording;
use run::Pacer;
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
    Speed(f64),
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
    session: Session,
    selection: Selection,
    canvas: CanvasState,
    highlighted: Option<usize>,
    tab: Tab,
    status: Option<Status>,
    pacer: Pacer,
    model_dt_s: f64,
    recording: Recording,
    /// Save asked for (from the toolbar or Ctrl+S): `true` to choose a new file. The app answers it, as it owns the
    /// file dialogs.
    save_request: Option<bool>,
    /// The moment under review: the circuit, its findings and the run then, from the session.
    review: Option<MomentView>,
    /// The score and checklist for the attempt as it was (the session's change count).
    review_summary: Option<(u64, crate::attempt::Score, Vec<crate::attempt::checklist::CheckItem>)>,
    drafts: review::Drafts,
    /// The debrief report asked for (the app owns the dialog).
    report_request: bool,
}

/// What the app asks the user for a save: a path, or `None` when they cancel.
pub type SaveDialog<'a> = &'a mut dyn FnMut() -> Option<PathBuf>;

impl Workbench {
    pub fn new(scenario: Scenario, catalog: &Catalog, trainee: &str) -> Self {
        Self::with_circuit(scenario, catalog, Circuit::new(), trainee)
    }

    /// A new attempt starting from `circuit` (a file opened with it): its building edits open the log.
    pub fn with_circuit(scenario: Scenario, catalog: &Catalog, circuit: Circuit, trainee: &str) -> Self {
        let started = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        let fresh = Session::new(scenario.clone(), catalog.clone(), trainee, &started);
        let (session, refused) = match Session::with_circuit(scenario, catalog.clone(), trainee, &started, &circuit) {
            Ok(session) => (session, None),
            Err(refusal) => (fresh, Some(refusal)),
        };
        let mut workbench = Self::resuming(session, None);
        if let Some(refusal) = refused {
            workbench.say(format!("The circuit file could not be set up ({refusal}); starting empty."), true);
        }
        workbench
    }

    /// Goes on with a saved attempt: its session (replayed from the log), its file.
    pub fn from_attempt(loaded: crate::attempt::LoadedAttempt, path: Option<PathBuf>) -> Self {
        Self::resuming(loaded.session, path)
    }

    fn resuming(session: Session, path: Option<PathBuf>) -> Self {
        let canvas = CanvasState::framing(!session.circuit().is_empty());
        let recording = Recording::resume(&session, path);
        Self {
            session,
            selection: Selection::None,
            canvas,
            highlighted: None,
            tab: Tab::Inspector,
            status: None,
            pacer: Pacer::default(),
            model_dt_s: 0.0,
            recording,
            save_request: None,
            review: None,
            review_summary: None,
            drafts: review::Drafts::default(),
            report_request: false,
        }
    }

    /// The session this workbench shows.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The attempt as recorded so far, brought up to date.
    pub fn attempt(&self) -> crate::attempt::Attempt {
        self.session.attempt()
    }

    /// Whether work has been recorded since the last explicit save.
    pub fn has_unsaved_work(&self) -> bool {
        self.recording.unsaved(&self.session)
    }

    /// A save the user asked for (`Some(true)`: to a new file), taken once.
    pub fn take_save_request(&mut self) -> Option<bool> {
        self.save_request.take()
    }

    pub fn take_report_request(&mut self) -> bool {
        std::mem::take(&mut self.report_request)
    }

    /// Writes the debrief report (HTML) to the file `choose` gives.
    pub fn export_report(&mut self, choose: SaveDialog) {
        let Some(path) = choose() else { return };
        let attempt = self.session.attempt();
        let (scenario, catalog) = (self.session.scenario(), self.session.catalog());
        let score = attempt.score.clone().unwrap_or_else(|| crate::attempt::score(&attempt, scenario, catalog));
        let html = crate::attempt::report::html(&attempt, scenario, self.session.circuit(), catalog, &score);
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
    pub fn save(&mut self, as_new: bool, choose: SaveDialog) {
        let path = match (&self.recording.path, as_new) {
            (Some(path), false) => Some(path.clone()),
            _ => choose(),
        };
        let Some(path) = path else { return };
        match self.recording.save(&path, &self.session) {
            Ok(()) => self.say(format!("Saved to {}.", path.display()), false),
            Err(error) => self.say(format!("Not saved: cannot write {}: {error}.", path.display()), true),
        }
    }

    /// Autosaves to `path` when due (`force` on closing); returns how long until the next one is due, if any.
    pub fn autosave(&mut self, path: &Path, force: bool) -> Option<std::time::Duration> {
        if self.recording.autosave_due(&self.session, force)
            && let Err(error) = self.recording.autosave(path, &self.session)
        {
            self.say(format!("Autosave failed: cannot write {}: {error}.", path.display()), true);
        }
        self.recording.autosave_in(&self.session)
    }

    pub fn circuit(&self) -> &Circuit {
        self.session.circuit()
    }

    /// The finding shown on the canvas, if one was clicked.
    pub fn highlighted_finding(&self) -> Option<&Finding> {
        self.highlighted.and_then(|i| self.session.findings().get(i))
    }

    /// The simulation of the run under way, if any.
    pub fn simulation(&self) -> Option<&crate::sim::Simulation> {
        self.session.run().map(crate::session::Run::simulation)
    }

    pub fn is_running(&self) -> bool {
        self.session.run().is_some_and(|run| !run.paused && run.failed().is_none())
    }

    /// Draws the workbench and carries out what was asked.
    pub fn ui(&mut self, ui: &mut egui::Ui, shortcuts: &[Intent]) {
        let now_s = self.recording.tick(ui.input(|i| i.time));
        let (advanced, failed) = self.pacer.advance(&mut self.session, now_s);
        self.model_dt_s = advanced;
        if let Some(error) = failed {
            self.say(format!("The model stopped: {error}. Stop the run and check the circuit."), true);
        }
        if self.is_running() {
            ui.ctx().request_repaint();
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
        let catalog = self.session.catalog();
        egui::Panel::left("kit_palette").default_size(230.0).size_range(190.0..=360.0).show(ui, |ui| {
            let building = self.session.run().is_none();
            palette::palette_ui(ui, self.session.scenario(), self.session.circuit(), catalog, building, &mut intents);
        });
        egui::Panel::right("side_panel").default_size(340.0).size_range(280.0..=520.0).show(ui, |ui| {
            self.side_panel_ui(ui, &mut intents);
        });
        egui::CentralPanel::default().frame(egui::Frame::NONE).show(ui, |ui| {
            let catalog = self.session.catalog();
            let shown = self.review.as_ref().map_or(self.session.circuit(), |moment| &moment.circuit);
            let labels = shown.labels(catalog);
            let (parts, tubes) = self
                .highlighted
                .and_then(|i| self.session.findings().get(i))
                .map_or((&[][..], &[][..]), |f| (f.parts.as_slice(), f.tubes.as_slice()));
            let input = CanvasInput {
                catalog,
                circuit: shown,
                labels: &labels,
                selection: self.selection,
                highlight_parts: parts,
                highlight_tubes: tubes,
                run: self.session.run(),
                model_dt_s: self.model_dt_s,
            };
            canvas::canvas_ui(ui, &mut self.canvas, &input, &mut intents);
            if let (Some(run), Some(rect)) = (self.session.run(), self.canvas.last_rect) {
                monitor::alarm_overlay(ui, run, rect, &mut intents);
            }
        });
        for intent in intents {
            self.carry_out(intent);
        }
    }

    fn toolbar_ui(&self, ui: &mut egui::Ui, intents: &mut Vec<Intent>) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&self.session.scenario().title).strong());
            ui.separator();
            let undo = ui
                .add_enabled(self.session.can_undo(), egui::Button::new("Undo"))
                .on_hover_text("Undo the last change (Ctrl+Z)")
                .on_disabled_hover_text("Nothing to undo, or the pump is running");
            if undo.clicked() {
                intents.push(Intent::Undo);
            }
            let redo = ui
                .add_enabled(self.session.can_redo(), egui::Button::new("Redo"))
                .on_hover_text("Redo (Ctrl+Shift+Z or Ctrl+Y)")
                .on_disabled_hover_text("Nothing to redo, or the pump is running");
            if redo.clicked() {
                intents.push(Intent::Redo);
            }
            let save = if self.has_unsaved_work() { "Save*" } else { "Save" };
            if ui.button(save).on_hover_text("Save the attempt (Ctrl+S); Ctrl+Shift+S saves to a new file").clicked() {
                intents.push(Intent::Save { as_new: false });
            }
            if ui.button("Fit view").on_hover_text("Frame the whole circuit (Ctrl+0)").clicked() {
                intents.push(Intent::FitView);
            }
            ui.separator();
            let critical = self.critical_count();
            let validate_text =
                if critical > 0 { format!("Validate ({critical} critical)") } else { "Validate".to_owned() };
            if ui.button(validate_text).on_hover_text("Check the assembly against the scenario (F5)").clicked() {
                intents.push(Intent::Validate);
            }
            ui.separator();
            monitor::run_controls_ui(ui, self.session.run(), self.pacer.behind, intents);
        });
    }

    fn critical_count(&self) -> usize {
        self.session.findings().iter().filter(|f| f.severity == crate::rules::Severity::Critical).count()
    }

    fn side_panel_ui(&mut self, ui: &mut egui::Ui, intents: &mut Vec<Intent>) {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            for (tab, name) in [
                (Tab::Inspector, "Inspector"),
                (Tab::Findings, "Findings"),
                (Tab::Monitor, "Monitor"),
                (Tab::Review, "Review"),
            ] {
                let text = if tab == Tab::Findings {
                    format!("{name} ({})", self.session.findings().len())
                } else {
                    name.to_owned()
                };
                if ui.selectable_label(self.tab == tab, text).clicked() {
                    intents.push(Intent::ShowTab(tab));
                }
            }
        });
        ui.separator();
        let session = &self.session;
        let catalog = session.catalog();
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| match self.tab {
            Tab::Inspector => inspector::inspector_ui(
                ui,
                session.scenario(),
                session.circuit(),
                catalog,
                self.selection,
                session.run().is_some(),
                intents,
            ),
            Tab::Findings => findings::findings_ui(ui, session.findings(), self.highlighted, intents),
            Tab::Monitor => monitor::monitor_ui(ui, session.run(), session.circuit(), catalog, intents),
            Tab::Review => {
                // Scoring replays and validates the log: once per change of the attempt, not every frame.
                let key = session.changes();
                if self.review_summary.as_ref().is_none_or(|(k, _, _)| *k != key) {
                    let attempt = session.attempt();
                    let checklist = crate::attempt::checklist::checklist(&attempt, session.scenario(), catalog);
                    let score = attempt
                        .score
                        .clone()
                        .unwrap_or_else(|| crate::attempt::score(&attempt, session.scenario(), catalog));
                    self.review_summary = Some((key, score, checklist));
                }
                let Some((_, score, checklist)) = &self.review_summary else { return };
                let monitor_then: Vec<(String, f64)> = self
                    .review
                    .as_ref()
                    .and_then(|moment| moment.run.as_ref())
                    .map(|(simulation, columns)| {
                        columns.columns().map(|c| c.heading()).zip(columns.sample(simulation)).collect()
                    })
                    .unwrap_or_default();
                let view = review::ReviewView {
                    attempt: session.log(),
                    instructor_notes: &session.scenario().instructor_notes,
                    score,
                    checklist,
                    at_s: self.review.as_ref().map(|moment| moment.at_s),
                    findings_then: self.review.as_ref().map_or(&[][..], |moment| moment.findings.as_slice()),
                    monitor_then: &monitor_then,
                };
                review::review_ui(ui, &view, &mut self.drafts, intents);
            }
        });
    }

    /// What to do next, when there is nothing to report.
    fn hint(&self) -> &'static str {
        if self.session.run().is_some() {
            "Running: set pump speed, sweep, FiO2 and water in the monitor; click a tube's square to clamp it."
        } else if self.session.circuit().is_empty() {
            "Drag parts from the kit onto the canvas."
        } else {
            "Drag from port to port to lay tubing; select a part or tube to set it; F5 validates, F6 runs."
        }
    }

    fn say(&mut self, text: impl Into<String>, is_error: bool) {
        self.status = Some(Status { text: text.into(), is_error });
    }

    /// Hands an action to the session; a refusal is said in the status bar. Returns whether it took effect.
    fn act(&mut self, action: Action) -> bool {
        if self.review.is_some() && matches!(action, Action::Edit(_) | Action::Undo | Action::Redo) {
            self.say("The canvas shows an earlier moment: press Back to now (Review tab) to edit.", true);
            return false;
        }
        self.session.set_clock(self.recording.now_s());
        match self.session.apply(action) {
            Ok(()) => {
                self.status = None;
                true
            }
            Err(refusal) => {
                self.say(format!("Not done: {refusal}."), true);
                false
            }
        }
    }

    fn carry_out(&mut self, intent: Intent) {
        match intent {
            Intent::Edit(edit) => {
                self.act(Action::Edit(edit));
            }
            Intent::Select(selection) => {
                self.selection = selection;
                if selection != Selection::None && self.tab != Tab::Monitor {
                    self.tab = Tab::Inspector;
                }
            }
            Intent::Place { catalog_id, at } => self.place(catalog_id, at),
            Intent::Connect { from, to } => self.connect(from, to),
            Intent::Refuse(reason) => self.say(reason, true),
            Intent::Highlight(index) => {
                self.highlighted = Some(index);
                if let Some(bounds) = self.session.findings().get(index).and_then(|f| self.bounds_of(f)) {
                    self.canvas.focus_pending = Some(bounds);
                }
            }
            Intent::ShowTab(tab) => self.tab = tab,
            Intent::Undo => {
                if self.act(Action::Undo) {
                    self.say("Undone.", false);
                }
            }
            Intent::Redo => {
                if self.act(Action::Redo) {
                    self.say("Redone.", false);
                }
            }
            Intent::Save { as_new } => self.save_request = Some(as_new),
            Intent::ReviewAt(at) => {
                self.review = None;
                if let Some(at_s) = at {
                    match self.session.moment(at_s) {
                        Ok(moment) => self.review = Some(moment),
                        Err(error) => self.say(format!("The run cannot be replayed there: {error}."), true),
                    }
                }
                self.selection = Selection::None;
            }
            Intent::AddNote { at_s, text } => self.session.add_note(at_s, text),
            Intent::SetGrade(grade) => self.session.set_grade(grade),
            Intent::ExportReport => self.report_request = true,
            Intent::Validate => {
                if self.act(Action::Validate) {
                    self.tab = Tab::Findings;
                    let (count, critical) = (self.session.findings().len(), self.critical_count());
                    self.say(
                        match (count, critical) {
                            (0, _) => "Validated: no findings.".to_owned(),
                            (n, 0) => format!("Validated: {n} finding(s), none critical."),
                            (n, c) => format!("Validated: {n} finding(s), {c} critical."),
                        },
                        critical > 0,
                    );
                }
            }
            Intent::DeleteSelection => {
                let edit = match self.selection {
                    Selection::Part(part) => Some(Edit::RemovePart { part }),
                    Selection::Tube(tube) => Some(Edit::Disconnect { tube }),
                    Selection::None => None,
                };
                if let Some(edit) = edit
                    && self.act(Action::Edit(edit))
                {
                    self.selection = Selection::None;
                }
            }
            Intent::FitView => self.canvas.fit_pending = true,
            Intent::Start => {
                if self.act(Action::StartRun) {
                    self.pacer = Pacer::default();
                    self.tab = Tab::Monitor;
                    self.say("Running. Set the arterial pump's speed to go on bypass; settings and clamps can change while it runs.", false);
                }
            }
            Intent::ToggleRun if self.session.run().is_none() => self.carry_out(Intent::Start),
            Intent::ToggleRun | Intent::TogglePause => {
                let paused = self.session.run().is_some_and(|run| run.paused);
                self.act(if paused { Action::ResumeRun } else { Action::PauseRun });
            }
            Intent::Stop => {
                if self.act(Action::StopRun) {
                    self.say("Stopped. The assembly can be changed again.", false);
                }
            }
            Intent::Speed(speed) => {
                self.act(Action::SetSpeed(speed));
            }
            Intent::Acknowledge(alarm) => {
                self.act(Action::Acknowledge(alarm));
            }
        }
    }

    fn bounds_of(&self, finding: &Finding) -> Option<egui::Rect> {
        let (circuit, catalog) = (self.session.circuit(), self.session.catalog());
        let tube_parts = finding.tubes.iter().filter_map(|t| circuit.tube(*t)).flat_map(|t| [t.from.part, t.to.part]);
        finding
            .parts
            .iter()
            .copied()
            .chain(tube_parts)
            .filter_map(|id| {
                let part = circuit.part(id)?;
                Some(geometry::part_bounds(part.pos_in_canvas, circuit.kind_of(catalog, id)?))
            })
            .reduce(|a, b| a.union(b))
    }

    fn place(&mut self, catalog_id: CatalogId, at: Option<CanvasPos>) {
        let at = at.unwrap_or_else(|| self.free_spot());
        let id = self.session.circuit().next_part_id();
        if self.act(Action::Edit(Edit::AddPart(PlacedPart::new(id, catalog_id, at)))) {
            self.selection = Selection::Part(id);
            self.tab = Tab::Inspector;
        }
    }

    /// A place in view, below the parts already there, for a part added from the keyboard.
    fn free_spot(&self) -> CanvasPos {
        let (circuit, catalog) = (self.session.circuit(), self.session.catalog());
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
            let taken = circuit.parts().any(|p| {
                circuit.kind_of(catalog, p.id).is_some_and(|kind| {
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
    fn connect(&mut self, from: PortRef, to: PortRef) {
        let (circuit, catalog) = (self.session.circuit(), self.session.catalog());
        let bore_of = |port: &PortRef| {
            circuit
                .part(port.part)
                .and_then(|p| catalog.part(&p.catalog_id))
                .and_then(|spec| spec.port(&port.port))
                .map_or(Bore::Any, |p| p.bore)
        };
        let Some(tubing) = self.session.scenario().kit_tubing_for(catalog, bore_of(&from), bore_of(&to)) else {
            self.say("The kit has no tubing at all: this scenario cannot be built.", true);
            return;
        };
        let id = circuit.next_tube_id();
        let tube = Tube { id, from, to, tubing, length_m: NEW_TUBE_LENGTH_M, clamped: false };
        if self.act(Action::Edit(Edit::Connect(tube))) {
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
