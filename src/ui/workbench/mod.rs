//! The trainee's workbench for one scenario: the kit on the left, the canvas in the middle, the inspector,
//! findings and monitor on the right, the run controls on top. It is a view of a core `Session`: panels report
//! `Intent`s, and the workbench turns those that change anything into `Action`s for `Session::apply` after
//! drawing; what is only the view's (selection, tab, pan and zoom, the moment under review) stays here.

mod canvas;
mod findings;
mod geometry;
mod icons;
mod inspector;
mod intents;
mod monitor;
mod palette;
mod recording;
mod review;
mod run;

use crate::attempt::Event;
use crate::catalog::Catalog;
use crate::circuit::{Circuit, Tube};
use crate::ids::{PartId, PortRef, TubeId};
use crate::scenario::Scenario;
use crate::session::{MomentView, Session};
use crate::ui::UiCommand;
use crate::validate::Finding;
use canvas::{CanvasInput, CanvasState};
use eframe::egui::{self, RichText};
use recording::Recording;
use run::Pacer;

pub use intents::Intent;
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

/// A line under the toolbar: why a gesture was refused, or what just happened.
struct Status {
    text: String,
    is_error: bool,
}

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
    /// The score, checklist and part labels for the attempt as it was (the session's change count).
    review_summary: Option<ReviewSummary>,
    drafts: review::Drafts,
    /// The debrief report asked for (the app owns the dialog).
    report_request: bool,
    /// A region the keyboard jumps to on the next frame (Ctrl+1 kit, Ctrl+2 canvas, Ctrl+3 side panel).
    focus_region: Option<Region>,
    /// The window is drawn by a software renderer (no GPU): a run repaints less often.
    pub software_rendering: bool,
    /// Opened from a saved attempt for review: the Review tab shows the answer key (`review::ReviewView`).
    for_instructor: bool,
    /// Each pump's job, for the circuit revision it was worked out for.
    pump_jobs: (Option<u64>, std::collections::BTreeMap<PartId, crate::circuit::PumpJob>),
}

/// The workbench's regions, in the order the keyboard visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Region {
    Kit,
    Canvas,
    SidePanel,
}

impl Region {
    const KEYS: [(egui::Key, Region); 3] =
        [(egui::Key::Num1, Region::Kit), (egui::Key::Num2, Region::Canvas), (egui::Key::Num3, Region::SidePanel)];
}

/// What the Review tab shows that is worked out once per change of the attempt, not every frame.
struct ReviewSummary {
    changes: u64,
    score: crate::attempt::Score,
    checklist: Vec<crate::attempt::checklist::CheckItem>,
    labels: std::collections::BTreeMap<PartId, String>,
}

/// How far an arrow key moves the selected part, canvas units (Shift: five times as far).
const ARROW_STEP: f32 = 10.0;
/// The time between frames while a run goes: 30 Hz.
const RUNNING_FRAME: std::time::Duration = std::time::Duration::from_millis(33);
/// The same on a software renderer (no GPU): 4 Hz. Measured under llvmpipe at 1280×800, a frame costs about 90 ms
/// of processor time (1.75 cores at 30 Hz, 0.99 at 10 Hz, 0.10 at 1 Hz), so 4 frames a second keep the running app
/// near a third of a core; the model keeps to the wall clock whatever the frame rate.
const SOFTWARE_RUNNING_FRAME: std::time::Duration = std::time::Duration::from_millis(250);

pub type SaveDialog<'a> = &'a mut dyn FnMut() -> crate::ui::app::Picked;

impl Workbench {
    /// A new attempt on an empty canvas; `without_faults`: practice, the scenario's faults never fire.
    pub fn new(scenario: Scenario, catalog: &Catalog, trainee: &str, without_faults: bool) -> Self {
        Self::with_circuit(scenario, catalog, Circuit::new(), trainee, without_faults)
    }

    /// A new attempt starting from `circuit` (a file opened with it): its building edits open the log.
    pub fn with_circuit(
        scenario: Scenario,
        catalog: &Catalog,
        circuit: Circuit,
        trainee: &str,
        without_faults: bool,
    ) -> Self {
        let started = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        let (mut session, refused) =
            match Session::with_circuit(scenario.clone(), catalog.clone(), trainee, &started, &circuit) {
                Ok(session) => (session, None),
                Err(refusal) => (Session::new(scenario, catalog.clone(), trainee, &started), Some(refusal)),
            };
        if without_faults {
            session = session.without_faults();
        }
        let mut workbench = Self::resuming(session, None);
        if let Some(refusal) = refused {
            workbench.say(format!("The circuit file could not be set up ({refusal}); starting empty."), true);
        } else if without_faults {
            workbench.say("Practice: this scenario's faults are off for this attempt.", false);
        }
        workbench
    }

    /// Goes on with a saved attempt: its session (replayed from the log), its file. A run that was going when it
    /// was saved waits, paused, for the user to resume it. Without a file (an attempt recovered from the autosave)
    /// its work is unsaved until Save gives it one.
    pub fn from_attempt(loaded: crate::attempt::LoadedAttempt, path: Option<PathBuf>) -> Self {
        let mut session = loaded.session;
        let running = session.run().is_some_and(|run| !run.paused);
        if running {
            // A run can always be paused; the pause is logged like any other.
            let _ = session.apply(crate::session::Action::PauseRun);
        }
        let recovered = path.is_none();
        let mut workbench = Self::resuming(session, path);
        if recovered {
            workbench.recording.mark_unsaved();
        }
        workbench.for_instructor = !recovered;
        if running {
            workbench.say("The run was going when this attempt was saved: it is paused. Resume it with F6.", false);
        }
        workbench
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
            focus_region: None,
            software_rendering: false,
            for_instructor: false,
            pump_jobs: (None, std::collections::BTreeMap::new()),
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

    /// Writes the debrief report (HTML) to the file `choose` gives; with no dialog on this machine, into `fallback`
    /// (the app's data folder), saying where.
    pub fn export_report(&mut self, choose: SaveDialog, fallback: Option<&Path>) {
        let Some((path, no_dialog)) = self.destination(choose, fallback, "reports", "html") else { return };
        let attempt = self.session.attempt();
        let (scenario, catalog) = (self.session.scenario(), self.session.catalog());
        let score = attempt.score.clone().unwrap_or_else(|| crate::attempt::score(&attempt, scenario, catalog));
        let html = crate::attempt::report::html(&attempt, scenario, self.session.circuit(), catalog, &score, &[]);
        match crate::atomic_write::write(&path, html.as_bytes()) {
            Ok(()) => self.say(format!("{no_dialog}Report written to {}.", path.display()), false),
            Err(error) => self.say(format!("No report: cannot write {}: {error}.", path.display()), true),
        }
    }

    /// Where a file goes: what the dialog gives, or, when no dialog can be shown, a new file named by the scenario
    /// and the time in `fallback/<folder>/` (None, having said why, when there is neither). The second part is what
    /// to say first when there was no dialog.
    fn destination(
        &mut self,
        choose: SaveDialog,
        fallback: Option<&Path>,
        folder: &str,
        extension: &str,
    ) -> Option<(PathBuf, &'static str)> {
        use crate::ui::app::Picked;
        match choose() {
            Picked::Chosen(path) => Some((path, "")),
            Picked::Cancelled => None,
            Picked::Unavailable(why) => {
                let Some(base) = fallback else {
                    self.say(format!("No file dialog on this machine ({why}), and no data folder to save into."), true);
                    return None;
                };
                let dir = base.join(folder);
                if let Err(error) = std::fs::create_dir_all(&dir) {
                    self.say(
                        format!("No file dialog on this machine ({why}); cannot make {}: {error}.", dir.display()),
                        true,
                    );
                    return None;
                }
                let seconds =
                    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
                let name = format!("{}-{seconds}.{extension}", self.session.scenario().id);
                Some((dir.join(name), "No file dialog on this machine: "))
            }
        }
    }

    /// Says something on the status line (for the app around the workbench).
    pub fn tell(&mut self, text: String, is_error: bool) {
        self.say(text, is_error);
    }

    /// Where the attempt was last saved or opened from.
    pub fn attempt_path(&self) -> Option<&Path> {
        self.recording.path.as_deref()
    }

    /// Saves the attempt to its file, or to the one `choose` gives when it has none (or `as_new`).
    /// With no dialog on this machine, a new file goes into `fallback` (the app's data folder), and the status line
    /// says where.
    pub fn save(&mut self, as_new: bool, choose: SaveDialog, fallback: Option<&Path>) {
        let path = match (&self.recording.path, as_new) {
            (Some(path), false) => Some((path.clone(), "")),
            _ => self.destination(choose, fallback, "attempts", "ron"),
        };
        let Some((path, no_dialog)) = path else { return };
        match self.recording.save(&path, &self.session) {
            Ok(()) => self.say(format!("{no_dialog}Saved to {}.", path.display()), false),
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
        if let Some(alarm) = self.pacer.slowed_for.take() {
            self.say(
                format!("The run came back to ×1 when \"{}\" sounded, so it can be answered.", alarm.label()),
                false,
            );
        }
        if self.is_running() {
            // 30 frames a second show flowing blood smoothly; the model keeps to the wall clock whatever the frame
            // rate, so more frames would only cost a CPU renderer its core.
            let frame = if self.software_rendering { SOFTWARE_RUNNING_FRAME } else { RUNNING_FRAME };
            ui.ctx().request_repaint_after(frame);
        }

        let mut intents: Vec<Intent> = shortcuts.to_vec();
        intents.extend(self.part_keys(ui));
        for (key, region) in Region::KEYS {
            if ui.input_mut(|i| i.consume_shortcut(&egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, key))) {
                self.focus_region = Some(region);
            }
        }
        let focus = self.focus_region.take();
        self.canvas.focus_first_part = focus == Some(Region::Canvas);
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
        // Panels take a share of the window with a floor, so the canvas keeps about half of any screen.
        let window_width = ui.available_width();
        let kit_max = (0.26 * window_width).max(170.0);
        let side_max = (0.36 * window_width).max(250.0);
        egui::Panel::left("kit_palette")
            .default_size((0.2 * window_width).clamp(170.0, 300.0))
            .size_range(170.0..=kit_max)
            .show(ui, |ui| {
                let building = self.session.run().is_none();
                palette::palette_ui(
                    ui,
                    self.session.scenario(),
                    self.session.circuit(),
                    catalog,
                    building,
                    focus == Some(Region::Kit),
                    &mut intents,
                );
            });
        egui::Panel::right("side_panel")
            .default_size((0.3 * window_width).clamp(250.0, 420.0))
            .size_range(250.0..=side_max)
            .show(ui, |ui| {
                self.side_panel_ui(ui, focus == Some(Region::SidePanel), &mut intents);
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
                let log = &self.session.log().log;
                let raised_at =
                    |alarm| log.iter().rev().find(|e| e.event == Event::AlarmRaised { alarm }).and_then(|e| e.model_s);
                monitor::alarm_overlay(ui, run, &labels, &raised_at, rect, &mut intents);
            }
        });
        // What the panels had to say comes last, so the edit it explains (a speed brought to the pump's maximum)
        // does not clear it from the status line.
        let (messages, actions): (Vec<Intent>, Vec<Intent>) =
            intents.into_iter().partition(|intent| matches!(intent, Intent::Refuse(_)));
        for intent in actions.into_iter().chain(messages) {
            self.carry_out(intent);
        }
    }

    fn toolbar_ui(&self, ui: &mut egui::Ui, intents: &mut Vec<Intent>) {
        ui.horizontal_wrapped(|ui| {
            // The title takes a set width (cut short, whole on hover) so the buttons after it stay where the hand
            // expects them whatever the scenario.
            let title = &self.session.scenario().title;
            let width = (ui.available_width() * 0.22).clamp(120.0, 300.0);
            ui.allocate_ui_with_layout(
                egui::vec2(width, ui.spacing().interact_size.y),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.set_min_width(width);
                    ui.add(egui::Label::new(RichText::new(title).strong()).truncate()).on_hover_text(title);
                },
            );
            if self.session.log().without_faults {
                ui.label(RichText::new("Practice: no faults").color(ui.visuals().warn_fg_color))
                    .on_hover_text("The scenario's timed faults are off for this attempt; grading says so.");
            }
            ui.separator();
            let running = "Nothing to undo or redo, or the pump is running";
            if UiCommand::Undo.button(ui, None, self.session.can_undo(), running) {
                intents.push(Intent::Undo);
            }
            if UiCommand::Redo.button(ui, None, self.session.can_redo(), running) {
                intents.push(Intent::Redo);
            }
            let save = self.has_unsaved_work().then(|| "Save*".to_owned());
            if UiCommand::Save.button(ui, save, true, "") {
                intents.push(Intent::Save { as_new: false });
            }
            if UiCommand::FitView.button(ui, None, true, "") {
                intents.push(Intent::FitView);
            }
            ui.separator();
            let critical = self.critical_count();
            let validate = (critical > 0).then(|| format!("Validate ({critical} critical)"));
            if UiCommand::Validate.button_at_least(ui, validate, 130.0, true, "") {
                intents.push(Intent::Validate);
            }
            ui.separator();
            let at_limit = self.session.at_model_time_limit();
            monitor::run_controls_ui(ui, self.session.run(), self.pacer.behind, at_limit, intents);
        });
    }

    fn critical_count(&self) -> usize {
        self.session.findings().iter().filter(|f| f.severity == crate::rules::Severity::Critical).count()
    }

    fn side_panel_ui(&mut self, ui: &mut egui::Ui, focus_tabs: bool, intents: &mut Vec<Intent>) {
        ui.add_space(4.0);
        // The tabs wrap on a narrow panel (a laptop at 150 %) rather than push the panel's content off its edge.
        ui.horizontal_wrapped(|ui| {
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
                let response = ui.selectable_label(self.tab == tab, text);
                if focus_tabs && tab == self.tab {
                    response.request_focus();
                }
                if response.clicked() {
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
            Tab::Monitor => {
                // A pump's job changes only with the circuit: worked out once per revision, not every frame.
                let revision = session.circuit().revision();
                if self.pump_jobs.0 != Some(revision) {
                    self.pump_jobs = (Some(revision), session.circuit().pump_jobs(catalog));
                }
                monitor::monitor_ui(ui, session.run(), session.circuit(), catalog, &self.pump_jobs.1, intents);
            }
            Tab::Review => {
                // Scoring replays and validates the log: once per change of the attempt, not every frame.
                let key = session.changes();
                if self.review_summary.as_ref().is_none_or(|summary| summary.changes != key) {
                    let attempt = session.attempt();
                    let checklist = crate::attempt::checklist::checklist(&attempt, session.scenario(), catalog);
                    let score = attempt
                        .score
                        .clone()
                        .unwrap_or_else(|| crate::attempt::score(&attempt, session.scenario(), catalog));
                    let labels = session.circuit().labels(catalog);
                    self.review_summary = Some(ReviewSummary { changes: key, score, checklist, labels });
                }
                let Some(summary) = &self.review_summary else { return };
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
                    score: &summary.score,
                    checklist: &summary.checklist,
                    labels: &summary.labels,
                    at_s: self.review.as_ref().map(|moment| moment.at_s),
                    findings_then: self.review.as_ref().map_or(&[][..], |moment| moment.findings.as_slice()),
                    monitor_then: &monitor_then,
                    for_instructor: self.for_instructor,
                };
                review::review_ui(ui, &view, &mut self.drafts, intents);
            }
        });
    }

    /// Keys on the selected part, unless a text field has the keyboard: the arrows move it (Shift: farther), F flips
    /// it, R turns it.
    fn part_keys(&self, ui: &egui::Ui) -> Vec<Intent> {
        use crate::circuit::{CanvasPos, Edit};
        let Selection::Part(id) = self.selection else { return Vec::new() };
        let Some(part) = self.session.circuit().part(id) else { return Vec::new() };
        if ui.ctx().text_edit_focused() {
            return Vec::new();
        }
        // Every press this frame, each with the modifiers it was pressed with: a slow frame (a software renderer
        // draws four a second) may hold two presses, or a Shift already let go.
        let presses: Vec<(egui::Key, egui::Modifiers)> = ui.input(|i| {
            i.events
                .iter()
                .filter_map(|event| match event {
                    egui::Event::Key { key, pressed: true, modifiers, .. } => Some((*key, *modifiers)),
                    _ => None,
                })
                .collect()
        });
        let (mut flipped, mut turns, mut at) = (part.flipped, part.rotation_deg, part.pos_in_canvas);
        let mut intents = Vec::new();
        for (key, modifiers) in presses {
            if modifiers.command || modifiers.alt {
                continue;
            }
            let step = if modifiers.shift { ARROW_STEP * 5.0 } else { ARROW_STEP };
            let (dx, dy) = match key {
                // F mirrors the part left to right (its lines then leave from the other side).
                egui::Key::F if !modifiers.shift => {
                    flipped = !flipped;
                    intents.push(Intent::Edit(Edit::SetFlipped { part: id, flipped }));
                    continue;
                }
                // R turns it a quarter clockwise, Shift+R back (a line can then run down through it).
                egui::Key::R => {
                    turns = if modifiers.shift { turns.anticlockwise() } else { turns.clockwise() };
                    intents.push(Intent::Edit(Edit::SetRotation { part: id, rotation_deg: turns }));
                    continue;
                }
                egui::Key::ArrowRight => (step, 0.0),
                egui::Key::ArrowLeft => (-step, 0.0),
                egui::Key::ArrowDown => (0.0, step),
                egui::Key::ArrowUp => (0.0, -step),
                _ => continue,
            };
            at = CanvasPos { x: at.x + dx, y: at.y + dy };
            intents.push(Intent::Edit(Edit::MovePart { part: id, to: at }));
        }
        intents
    }

    /// What to do next, when there is nothing to report.
    fn hint(&self) -> &'static str {
        if self.session.run().is_some_and(|run| run.paused) {
            "Paused: the model's time stands still; Resume (F6) to go on. Settings and clamps can be changed meanwhile."
        } else if self.session.run().is_some() && self.software_rendering {
            "Running (no graphics card: the picture updates 4 times a second, the model runs on time): set pump \
             speed, sweep, FiO2 and water in the monitor; select a tube to clamp it in the inspector."
        } else if self.session.run().is_some() {
            "Running: set pump speed, sweep, FiO2 and water in the monitor; select a tube to clamp it in the inspector \
             (or right click its middle)."
        } else if self.session.circuit().is_empty() {
            "Drag parts from the kit onto the canvas."
        } else {
            "Drag from port to port to lay tubing; select a part or tube to set it; F5 validates, F6 runs."
        }
    }

    fn say(&mut self, text: impl Into<String>, is_error: bool) {
        self.status = Some(Status { text: text.into(), is_error });
    }
}

/// "Roller pump 1 outlet to Oxygenator 1 venous inlet" (the default fonts have no arrow glyph).
pub fn tube_name(labels: &std::collections::BTreeMap<PartId, String>, tube: &Tube) -> String {
    let end = |port: &PortRef| {
        format!("{} {}", labels.get(&port.part).cloned().unwrap_or_default(), port.port.replace('_', " "))
    };
    format!("{} to {}", end(&tube.from), end(&tube.to))
}
