//! The session: the one door through which everything a trainee does reaches the circuit, the undo history, the
//! attempt's log and the simulation. A front end (the app, the `run` command, a replay, a test) hands it
//! `Action`s through `Session::apply`, which checks the whole step first (the kit, what may change while the pump
//! runs, the edit itself, the running model) and then commits circuit, history, log and simulation together, or
//! changes nothing and says why. `Session::advance` moves the attempt's clock and the model, and records what the
//! model does: alarms raised and cleared, faults fired, the trend every 10 s of model time.
//!
//! The session never reads a clock: the front end says what time it is (seconds since the attempt began) and how
//! far the model goes. Replaying a log is feeding a fresh session its actions at their times (`replay`), so a
//! recorded attempt, a replayed one and a scripted one (`script`) are the same computation.

mod moment;
pub mod replay;
mod run;
pub mod script;

pub use moment::{Checkpoint, MomentView};
pub use run::Run;

use crate::attempt::{Attempt, CircuitCopy, Event, FindingRecord, Moment, Note, RunTrend, ScenarioCopy, TrendColumn};
use crate::catalog::Catalog;
use crate::circuit::{Circuit, Edit, EditError, History};
use crate::ids::{CatalogId, PartId};
use crate::rules::Severity;
use crate::scenario::{KitAmount, Scenario};
use crate::sim::{Alarm, NoConvergence, STEP_S, StructureChanged};
use crate::validate::{Finding, validate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Speeds a run may go at, × real time: the app offers steps between them.
pub const SPEED_RANGE: std::ops::RangeInclusive<f64> = 0.1..=60.0;
/// The longest attempt, s of clock: a day. Bounds the work a script or a log can ask for.
pub const MAX_ATTEMPT_S: f64 = 86_400.0;
/// The most model time an attempt's runs add up to, s: 8 h, longer than any operation on bypass or any drill. It
/// bounds what replaying a log costs (8 h of the adult circuit replay in about 3 s on the project's machine; a day
/// took 9 s); a run that reaches it stands still until stopped.
pub const MAX_MODEL_S: f64 = 8.0 * 3600.0;
/// The most actions an attempt holds: building the largest circuit and answering every drill takes a few hundred.
/// With `MAX_MODEL_S` it bounds a replay's work (a validation after an edit costs about 0.1 ms: 10,000 of them, 1 s).
pub const MAX_ACTIONS: usize = 20_000;
/// How far a run's model may get ahead of its clock at its speed, s: the app paces the model to the wall clock,
/// and a step owed from one frame or a frame's rounding is far less than this.
const PACE_SLACK_S: f64 = 1.0;

/// Something the trainee does. Every one goes through `Session::apply` and, when it takes effect, into the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Action {
    /// A change to the circuit: while the pump runs, only settings, clamps, heights and moves.
    Edit(Edit),
    /// Undo the last change to the circuit (not while the pump runs).
    Undo,
    Redo,
    /// Check the circuit against the scenario; the counts go into the log.
    Validate,
    /// Start the pump run on the circuit as it is (model time 0).
    StartRun,
    PauseRun,
    ResumeRun,
    StopRun,
    /// Run at this many times real time (within `SPEED_RANGE`).
    SetSpeed(f64),
    /// Silence a sounding alarm; it sounds again if it clears and returns. A safety stop's alarm ends with it.
    Acknowledge(Alarm),
    /// Run a stopped pump again (after a safety stop once its cause has cleared, or after a power loss: restart,
    /// hand crank).
    RestartPump(PartId),
    /// Act on the running circuit: put a fault right, give a drug, add fluid.
    Intervene(crate::sim::Intervention),
}

/// Why an action was refused; the session is unchanged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    Edit(#[from] EditError),
    #[error("the change changes nothing")]
    NoChange,
    #[error("no {name} left on the shelf ({count} in the kit, all placed)")]
    KitUsedUp { name: String, count: u32 },
    #[error("stop the run to change the assembly; while it runs you can change settings and clamps")]
    AssemblyWhileRunning,
    #[error("stop the run before undoing or redoing changes to the assembly")]
    HistoryWhileRunning,
    #[error("nothing to undo")]
    NothingToUndo,
    #[error("nothing to redo")]
    NothingToRedo,
    #[error("no run is going")]
    NotRunning,
    #[error("a run is already going")]
    AlreadyRunning,
    #[error("the run is already paused")]
    AlreadyPaused,
    #[error("the run is not paused")]
    NotPaused,
    #[error("a speed of ×{0} is outside ×0.1 to ×60")]
    Speed(f64),
    #[error("an attempt holds at most {MAX_ACTIONS} actions: save this one and start another")]
    TooManyActions,
    #[error("\"{}\" is not sounding", .0.label())]
    NotSounding(Alarm),
    #[error("\"{}\" is already acknowledged", .0.label())]
    AlreadyAcknowledged(Alarm),
    #[error(transparent)]
    StructureChanged(#[from] StructureChanged),
    #[error("the model stopped ({0}); stop the run and check the circuit")]
    ModelStopped(NoConvergence),
    #[error("{0} is not stopped")]
    NotStopped(PartId),
    #[error("{0} cannot restart yet: its sensor still reads {1}")]
    CauseRemains(PartId, String),
    #[error(transparent)]
    Intervention(#[from] crate::sim::Refused),
}

/// Why a front end cannot move the session to a time (a script or a log asked for one the app could not reach).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TimeError {
    #[error("{0} s is not a time from 0 to {MAX_ATTEMPT_S} s")]
    OutOfRange(f64),
    #[error("{at_s} s is before the time already reached ({clock_s} s)")]
    Backwards { at_s: f64, clock_s: f64 },
    #[error(
        "model time {model_s} s is not between the run's {now_s} s and {max_s} s (the attempt's runs add up to at most {MAX_MODEL_S} s)"
    )]
    ModelOutOfRange { model_s: f64, now_s: f64, max_s: f64 },
    #[error("the model cannot run {ran_s:.2} s in {clock_s:.2} s of clock at ×{speed}")]
    TooFast { ran_s: f64, clock_s: f64, speed: f64 },
    #[error("the run is paused at {0} s: its model time cannot move")]
    Paused(f64),
    #[error("the model stopped: {0}")]
    NoConvergence(NoConvergence),
}

impl TimeError {
    /// The field of a timed entry the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            TimeError::OutOfRange(_) | TimeError::Backwards { .. } => "at_s",
            _ => "model_s",
        }
    }
}

/// One trainee's work on one scenario.
#[derive(Debug, Clone)]
pub struct Session {
    scenario: Scenario,
    catalog: Catalog,
    circuit: Circuit,
    history: History,
    run: Option<Run>,
    attempt: Attempt,
    /// The attempt's clock: seconds since it began, as the front end last said.
    clock_s: f64,
    /// Findings for the circuit as it is, once asked for.
    findings: std::cell::OnceCell<Vec<Finding>>,
    /// Simulation snapshots at a fixed model-time interval, for showing any moment quickly.
    checkpoints: Vec<Checkpoint>,
    /// Whether to keep checkpoints (off for a one-pass replay such as grading).
    keep_checkpoints: bool,
    /// Whether placing a part is held to the kit's counts: off while a circuit file or a recorded log is read in,
    /// since those edits were not taken from the shelf now (the validator's kit rule still reports overuse).
    hold_to_kit: bool,
    /// Bumped whenever the attempt changes: a front end compares it to know there is unsaved work.
    changes: u64,
    /// Whether the log says at what speed the run went (format 1 did not: its model may have gone at any speed
    /// the app offers).
    speeds_logged: bool,
    /// The clock and model time of the last thing the trainee did: the model's later moments are dated from it.
    pace: Pace,
    /// The clock and model time when the run last took its speed (started, resumed, speed set): the model cannot
    /// have run further since than its speed allows.
    speed_from: Pace,
    /// Model time of the runs already stopped, s: the runs together stay within `MAX_MODEL_S`.
    earlier_runs_s: f64,
    /// Actions taken so far (at most `MAX_ACTIONS`).
    actions: usize,
}

/// A clock time and the model time of the run then.
#[derive(Debug, Clone, Copy, Default)]
struct Pace {
    at_s: f64,
    model_s: f64,
}

impl Pace {
    /// The clock time at which the run, going at `speed` × real time, reaches `model_s`.
    fn at(self, model_s: f64, speed: f64) -> f64 {
        self.at_s + (model_s - self.model_s) / speed.max(f64::MIN_POSITIVE)
    }
}

impl Session {
    /// A new attempt on an empty circuit. `started` is the local date and time the front end read, for the record.
    pub fn new(scenario: Scenario, catalog: Catalog, trainee: &str, started: &str) -> Self {
        let copy = ScenarioCopy::new(scenario.id.clone(), scenario.source_text.clone());
        let attempt = Attempt::new(trainee, started, copy);
        Self {
            scenario,
            catalog,
            circuit: Circuit::new(),
            history: History::new(),
            run: None,
            attempt,
            clock_s: 0.0,
            findings: std::cell::OnceCell::new(),
            checkpoints: Vec::new(),
            keep_checkpoints: true,
            hold_to_kit: true,
            changes: 0,
            speeds_logged: true,
            pace: Pace::default(),
            speed_from: Pace::default(),
            earlier_runs_s: 0.0,
            actions: 0,
        }
    }

    /// Practice without the scenario's timed faults: they never fire, and the attempt records that it was practice
    /// (its replay leaves them out too). Call before the first run.
    pub fn without_faults(mut self) -> Self {
        self.scenario.faults.clear();
        self.attempt.without_faults = true;
        self
    }

    /// A new attempt that starts from `circuit` (a circuit file opened with the scenario): its building edits
    /// open the log at time 0, without undo steps.
    pub fn with_circuit(
        scenario: Scenario,
        catalog: Catalog,
        trainee: &str,
        started: &str,
        circuit: &Circuit,
    ) -> Result<Self, Refusal> {
        let mut session = Self::new(scenario, catalog, trainee, started);
        session.hold_to_kit = false;
        for edit in circuit.rebuild_edits() {
            session.apply(Action::Edit(edit))?;
        }
        session.hold_to_kit = true;
        session.history = History::new();
        Ok(session)
    }

    /// Keep no checkpoints (a replay that is read once, such as grading, saves their memory and time).
    pub fn without_checkpoints(mut self) -> Self {
        self.keep_checkpoints = false;
        self
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn circuit(&self) -> &Circuit {
        &self.circuit
    }

    pub fn run(&self) -> Option<&Run> {
        self.run.as_ref()
    }

    /// Whether the run has used the model time left to the attempt (`MAX_MODEL_S`): it stands still until stopped.
    pub fn at_model_time_limit(&self) -> bool {
        self.run.as_ref().is_some_and(|run| MAX_MODEL_S - self.earlier_runs_s - run.model_s() < STEP_S / 2.0)
    }

    /// The attempt's clock, s since it began.
    pub fn clock_s(&self) -> f64 {
        self.clock_s
    }

    /// A counter bumped by every change to the attempt.
    pub fn changes(&self) -> u64 {
        self.changes
    }

    pub fn can_undo(&self) -> bool {
        self.run.is_none() && self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.run.is_none() && self.history.can_redo()
    }

    /// The findings of the circuit as it is now.
    pub fn findings(&self) -> &[Finding] {
        // Worked out when first asked for after a change, not at every edit: a replay of thousands of edits asks
        // only at its validations (each edit validated cost 0.1 ms, 31 s for the largest log a file may hold).
        self.findings.get_or_init(|| validate(&self.scenario, &self.circuit, &self.catalog))
    }

    /// The attempt as recorded so far (the log, trends and notes; the summary is filled in by `attempt`).
    pub fn log(&self) -> &Attempt {
        &self.attempt
    }

    /// The attempt brought up to date: its end, the circuit, its findings and the score, ready to save.
    pub fn attempt(&self) -> Attempt {
        let mut attempt = self.attempt.clone();
        attempt.end = self.now();
        attempt.circuit = CircuitCopy::from(&self.circuit);
        attempt.findings = self.findings().iter().map(FindingRecord::from).collect();
        attempt.score = Some(crate::attempt::score(&attempt, &self.scenario, &self.catalog));
        attempt
    }

    /// The clock now (never before the last entry of the log), with the model time when a run is going.
    pub fn now(&self) -> Moment {
        Moment { at_s: self.clock_s.max(self.attempt.duration_s()), model_s: self.run.as_ref().map(Run::model_s) }
    }

    /// Moves the attempt's clock forward to `at_s` (never back: a log is in time order).
    pub fn set_clock(&mut self, at_s: f64) {
        if at_s.is_finite() && at_s > self.clock_s {
            self.clock_s = at_s;
        }
    }

    /// Does `action` now, or refuses it and changes nothing.
    pub fn apply(&mut self, action: Action) -> Result<(), Refusal> {
        // At the limit a run can still be stopped (its alarms then clear): nothing is left sounding or racing.
        if self.actions >= MAX_ACTIONS && action != Action::StopRun {
            return Err(Refusal::TooManyActions);
        }
        match action {
            Action::Edit(edit) => self.commit_edit(edit, Step::New),
            Action::Undo | Action::Redo => {
                if self.run.is_some() {
                    return Err(Refusal::HistoryWhileRunning);
                }
                let (edit, step, none) = if action == Action::Undo {
                    (self.history.next_undo(), Step::Undo, Refusal::NothingToUndo)
                } else {
                    (self.history.next_redo(), Step::Redo, Refusal::NothingToRedo)
                };
                let edit = edit.cloned().ok_or(none)?;
                self.commit_edit(edit, step)
            }
            Action::Validate => {
                let count = |severity| {
                    u32::try_from(self.findings().iter().filter(|f| f.severity == severity).count()).unwrap_or(u32::MAX)
                };
                let event = Event::Validated {
                    critical: count(Severity::Critical),
                    warning: count(Severity::Warning),
                    advice: count(Severity::Advice),
                };
                self.record(event);
                Ok(())
            }
            Action::StartRun => {
                if self.run.is_some() {
                    return Err(Refusal::AlreadyRunning);
                }
                let mut run = Run::start(&self.scenario, &self.circuit, &self.catalog);
                let columns =
                    run.columns().columns().map(|c| TrendColumn { key: c.key, heading: c.heading() }).collect();
                let rows = vec![run.trend_row()];
                // Dated as its log entry will be (never before the entry above).
                let started_at_s = self.clock_s.max(self.attempt.duration_s());
                self.attempt.trends.push(RunTrend { started_at_s, columns, rows });
                self.run = Some(run);
                self.record(Event::RunStarted);
                self.speed_from = self.pace;
                self.checkpoint();
                Ok(())
            }
            Action::StopRun => {
                let run = self.run.take().ok_or(Refusal::NotRunning)?;
                self.earlier_runs_s += run.model_s();
                let model_s = Some(run.model_s());
                for alarm in run.sounding() {
                    self.record_at(model_s, Event::AlarmCleared { alarm: *alarm });
                }
                self.record_at(model_s, Event::RunStopped);
                Ok(())
            }
            Action::PauseRun | Action::ResumeRun => {
                let pause = action == Action::PauseRun;
                let run = self.run.as_mut().ok_or(Refusal::NotRunning)?;
                match (pause, run.paused) {
                    (true, true) => return Err(Refusal::AlreadyPaused),
                    (false, false) => return Err(Refusal::NotPaused),
                    _ => run.paused = pause,
                }
                self.record(if pause { Event::RunPaused } else { Event::RunResumed });
                self.speed_from = self.pace;
                Ok(())
            }
            Action::SetSpeed(times) => {
                if !SPEED_RANGE.contains(&times) {
                    return Err(Refusal::Speed(times));
                }
                let run = self.run.as_mut().ok_or(Refusal::NotRunning)?;
                run.speed = times;
                self.record(Event::SpeedSet { times });
                self.speed_from = self.pace;
                Ok(())
            }
            Action::Acknowledge(alarm) => {
                let run = self.run.as_mut().ok_or(Refusal::NotRunning)?;
                run.acknowledge(alarm)?;
                self.record(Event::AlarmAcknowledged { alarm });
                Ok(())
            }
            Action::RestartPump(pump) => {
                let run = self.run.as_ref().ok_or(Refusal::NotRunning)?;
                let simulation = run.simulation();
                if !simulation.is_stopped(pump) {
                    return Err(Refusal::NotStopped(pump));
                }
                if let Some(cause) = simulation.stop_cause_now(pump) {
                    return Err(Refusal::CauseRemains(pump, cause.describe()));
                }
                let mut restarted = simulation.clone();
                let before = restarted.state().resolved_faults.len();
                restarted.restart(pump, &self.scenario, &self.circuit, &self.catalog)?;
                let resolved = restarted.state().resolved_faults[before..].to_vec();
                if let Some(run) = self.run.as_mut() {
                    run.replace_simulation(restarted);
                }
                self.record(Event::PumpRestarted { pump });
                self.record_resolved(&resolved);
                Ok(())
            }
            Action::Intervene(intervention) => {
                let run = self.run.as_ref().ok_or(Refusal::NotRunning)?;
                if let Some(error) = run.failed() {
                    return Err(Refusal::ModelStopped(error.clone()));
                }
                let mut simulation = run.simulation().clone();
                let resolved = simulation.intervene(&intervention, &self.scenario, &self.circuit, &self.catalog)?;
                if let Some(run) = self.run.as_mut() {
                    run.replace_simulation(simulation);
                }
                self.record(Event::Intervened(intervention));
                self.record_resolved(&resolved);
                Ok(())
            }
        }
    }

    /// Checks an edit whole on copies (the edit itself, the kit, the running model) and then commits the circuit,
    /// the history, the log and the simulation together.
    fn commit_edit(&mut self, edit: Edit, step: Step) -> Result<(), Refusal> {
        if matches!(&edit, Edit::Batch(edits) if edits.is_empty()) {
            return Err(Refusal::NoChange);
        }
        if self.run.is_some() && !edit.changes_settings_only() {
            return Err(Refusal::AssemblyWhileRunning);
        }
        let mut circuit = self.circuit.clone();
        let inverse = circuit.apply(&self.catalog, edit.clone())?;
        if self.hold_to_kit {
            self.check_kit(&circuit)?;
        }
        let simulation = match &self.run {
            Some(run) => Some(run.with_edit(&edit, &self.scenario, &circuit, &self.catalog)?),
            None => None,
        };
        self.circuit = circuit;
        match step {
            Step::New => self.history.record(inverse),
            Step::Undo => self.history.record_undone(inverse),
            Step::Redo => self.history.record_redone(inverse),
        }
        if let (Some(run), Some(simulation)) = (self.run.as_mut(), simulation) {
            run.replace_simulation(simulation);
        }
        self.findings = std::cell::OnceCell::new();
        self.record(Event::Edit(edit));
        Ok(())
    }

    /// Refuses a circuit that holds more of a part than the kit has on its shelf.
    fn check_kit(&self, circuit: &Circuit) -> Result<(), Refusal> {
        let counts = |c: &Circuit| {
            let mut counts: BTreeMap<CatalogId, u32> = BTreeMap::new();
            for part in c.parts() {
                *counts.entry(part.catalog_id.clone()).or_default() += 1;
            }
            counts
        };
        let before = counts(&self.circuit);
        for (id, used) in counts(circuit) {
            let grew = before.get(&id).is_none_or(|old| used > *old);
            if let (true, Some(KitAmount::Count(count))) = (grew, self.scenario.kit_amount(&id))
                && used > count
            {
                let name = self.catalog.part(&id).map_or_else(|| id.to_string(), |spec| spec.name.clone());
                return Err(Refusal::KitUsedUp { name, count });
            }
        }
        Ok(())
    }

    /// Moves the clock to `at_s` and the running model forward by `model_s` (rounded to whole steps; nothing when
    /// no run is going or it is paused), recording what the model does. How a front end splits time into calls
    /// changes nothing: the model is looked at every `OBSERVE_EVERY_STEPS`, and what it does is logged at the
    /// clock time its model time corresponds to at the run's speed. A model that stops converging stops the run's
    /// progress and is reported; the session stays usable.
    pub fn advance(&mut self, at_s: f64, model_s: f64) -> Result<(), NoConvergence> {
        self.set_clock(at_s);
        let Some(run) = self.run.as_mut() else { return Ok(()) };
        let steps =
            if run.paused || !model_s.is_finite() || model_s <= 0.0 { 0 } else { (model_s / STEP_S).round() as u64 };
        let left_s = MAX_MODEL_S - self.earlier_runs_s - run.model_s();
        let steps = steps.min((left_s / STEP_S + 1e-6).floor().max(0.0) as u64);
        for _ in 0..steps {
            let due = run.step(&mut self.attempt)?;
            self.changes += 1;
            if due.checkpoint && self.keep_checkpoints {
                self.checkpoints.push(Checkpoint::new(&self.attempt, &self.circuit, run));
            }
            if due.observe {
                let seen = run.observe();
                let model_s = run.model_s();
                let at_s = self.pace.at(model_s, run.speed).max(self.attempt.duration_s());
                // A fault before the alarms it may have raised; a safety stop with its cause before its alarm.
                let events = seen
                    .fired
                    .into_iter()
                    .map(|fired| Event::FaultFired { fault: fired.description, index: Some(fired.index) })
                    .chain(seen.stops.into_iter().map(|stop| Event::SafetyStopped {
                        pump: stop.pump,
                        sensor: stop.sensor,
                        reading: stop.cause.describe(),
                    }))
                    .chain(seen.raised.into_iter().map(|alarm| Event::AlarmRaised { alarm }))
                    .chain(seen.cleared.into_iter().map(|alarm| Event::AlarmCleared { alarm }));
                for event in events {
                    self.attempt.record(at_s, Some(model_s), event);
                }
            }
        }
        Ok(())
    }

    /// Moves to `at_s` on the clock and, when a run is going and `model_s` is given, to that model time, as a
    /// script or a log asks: refused, with nothing changed, when the app could not have got there (time going
    /// back or beyond a day, the model running ahead of the clock at the run's speed, a paused model moving).
    pub fn go_to(&mut self, at_s: f64, model_s: Option<f64>) -> Result<(), TimeError> {
        if !(0.0..=MAX_ATTEMPT_S).contains(&at_s) {
            return Err(TimeError::OutOfRange(at_s));
        }
        if at_s < self.clock_s {
            return Err(TimeError::Backwards { at_s, clock_s: self.clock_s });
        }
        let (Some(run), Some(model_s)) = (&self.run, model_s) else {
            self.set_clock(at_s);
            return Ok(());
        };
        let now_s = run.model_s();
        let max_s = MAX_MODEL_S - self.earlier_runs_s;
        if !(0.0..=max_s + STEP_S / 2.0).contains(&model_s) || model_s + STEP_S / 2.0 < now_s {
            return Err(TimeError::ModelOutOfRange { model_s, now_s, max_s });
        }
        let from = self.speed_from;
        let (ran_s, clock_s) = (model_s - from.model_s, at_s - from.at_s);
        let speed = if self.speeds_logged { run.speed } else { *SPEED_RANGE.end() };
        if ran_s > clock_s * speed + PACE_SLACK_S {
            return Err(TimeError::TooFast { ran_s, clock_s, speed });
        }
        let ran_s = model_s - now_s;
        if run.paused && ran_s >= STEP_S / 2.0 {
            return Err(TimeError::Paused(now_s));
        }
        self.advance_to(at_s, model_s).map_err(TimeError::NoConvergence)
    }

    /// Advances to the model time `model_s` of the running run (see `advance`).
    pub fn advance_to(&mut self, at_s: f64, model_s: f64) -> Result<(), NoConvergence> {
        let now = self.run.as_ref().map_or(model_s, Run::model_s);
        self.advance(at_s, model_s - now)
    }

    fn checkpoint(&mut self) {
        if let (true, Some(run)) = (self.keep_checkpoints, &self.run) {
            self.checkpoints.push(Checkpoint::new(&self.attempt, &self.circuit, run));
        }
    }

    /// Logs the scenario's faults (by index) the last action put right.
    fn record_resolved(&mut self, resolved: &[usize]) {
        for &index in resolved {
            let fault = self.scenario.faults.get(index).map(|f| f.kind.describe()).unwrap_or_default();
            self.record(Event::FaultResolved { fault, index });
        }
    }

    fn record(&mut self, event: Event) {
        let model_s = self.run.as_ref().map(Run::model_s);
        self.record_at(model_s, event);
    }

    /// Logs what the trainee did at the clock's time (never before the last entry: the log is in time order); the
    /// run's pace is measured from here.
    fn record_at(&mut self, model_s: Option<f64>, event: Event) {
        let at_s = self.clock_s.max(self.attempt.duration_s());
        if event.action().is_some() {
            self.actions += 1;
        }
        self.attempt.record(at_s, model_s, event);
        self.pace = Pace { at_s, model_s: model_s.unwrap_or(0.0) };
        self.changes += 1;
    }

    /// An instructor's note at a moment of the attempt (not something the trainee did, so not in the log).
    pub fn add_note(&mut self, at_s: f64, text: String) {
        self.attempt.notes.push(Note { at_s, text });
        self.attempt.notes.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
        self.changes += 1;
    }

    pub fn set_grade(&mut self, grade: String) {
        self.attempt.grade = Some(grade);
        self.changes += 1;
    }

    /// The attempt at `at_s`: the circuit then, its findings, and the run then, re-simulated from the nearest
    /// checkpoint (bit for bit what the straight run gave).
    pub fn moment(&self, at_s: f64) -> Result<MomentView, NoConvergence> {
        moment::view(self, at_s)
    }
}

/// How an edit came to be applied, for the undo history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    New,
    Undo,
    Redo,
}
