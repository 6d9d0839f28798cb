//! Any moment of an attempt, quickly: the circuit then (the log's edits), its findings, and the run then,
//! re-simulated from the nearest earlier checkpoint the session kept — the same steps and the same edits at the
//! same model times as the straight run, so the same numbers bit for bit.

use super::Session;
use super::run::Run;
use crate::attempt::{Attempt, Event};
use crate::circuit::Circuit;
use crate::sim::{NoConvergence, STEP_S, Simulation, TrendColumns};
use crate::validate::{Finding, validate};

/// The run as it was at a step: the simulation and circuit, and how much of the log had been written.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    /// The log index of the `RunStarted` entry of the run.
    run_started: usize,
    /// Entries in the log when the checkpoint was taken: later ones happened after it.
    log_len: usize,
    circuit: Circuit,
    simulation: Simulation,
}

impl Checkpoint {
    pub(super) fn new(attempt: &Attempt, circuit: &Circuit, run: &Run) -> Self {
        let run_started = attempt.log.iter().rposition(|e| e.event == Event::RunStarted).unwrap_or(0);
        Self { run_started, log_len: attempt.log.len(), circuit: circuit.clone(), simulation: run.simulation().clone() }
    }

    fn model_s(&self) -> f64 {
        self.simulation.state().time_s
    }
}

/// An attempt at a moment.
pub struct MomentView {
    pub at_s: f64,
    pub circuit: Circuit,
    pub findings: Vec<Finding>,
    /// The run going then, re-simulated, with its monitor columns; `None` when no run was going.
    pub run: Option<(Simulation, TrendColumns)>,
}

pub(super) fn view(session: &Session, at_s: f64) -> Result<MomentView, NoConvergence> {
    let attempt = &session.attempt;
    let catalog = &session.catalog;
    let circuit = attempt.circuit_at(catalog, at_s);
    let findings = validate(&session.scenario, &circuit, catalog);
    let run = run_at(session, at_s)?;
    Ok(MomentView { at_s, circuit, findings, run })
}

fn run_at(session: &Session, at_s: f64) -> Result<Option<(Simulation, TrendColumns)>, NoConvergence> {
    let log = &session.attempt.log;
    let Some(start) = log.iter().rposition(|e| e.event == Event::RunStarted && e.at_s <= at_s) else {
        return Ok(None);
    };
    if log[start + 1..].iter().any(|e| e.event == Event::RunStopped && e.at_s < at_s) {
        return Ok(None);
    }
    let until_model_s = model_time_at(session, start, at_s);
    let Some(checkpoint) = session
        .checkpoints
        .iter()
        .filter(|c| c.run_started == start && c.model_s() <= until_model_s + STEP_S / 2.0)
        .max_by(|a, b| a.model_s().total_cmp(&b.model_s()))
    else {
        return Ok(None);
    };
    let (scenario, catalog) = (&session.scenario, &session.catalog);
    let mut circuit = checkpoint.circuit.clone();
    let mut simulation = checkpoint.simulation.clone();
    let edits = log[checkpoint.log_len..]
        .iter()
        .take_while(|e| e.at_s <= at_s && e.event != Event::RunStopped)
        .filter_map(|e| match &e.event {
            Event::Edit(edit) => Some((e.model_s.unwrap_or(0.0), edit)),
            _ => None,
        });
    for (model_s, edit) in edits {
        step_to(&mut simulation, model_s)?;
        if circuit.apply(catalog, edit.clone()).is_ok() {
            // The session took this edit on this circuit at this time: it takes it again.
            let _ = simulation.take_edit(edit, scenario, &circuit, catalog);
        }
    }
    step_to(&mut simulation, until_model_s)?;
    let columns = TrendColumns::new(&simulation, &circuit, catalog);
    Ok(Some((simulation, columns)))
}

fn step_to(simulation: &mut Simulation, model_s: f64) -> Result<(), NoConvergence> {
    while simulation.state().time_s + STEP_S / 2.0 < model_s {
        simulation.step()?;
    }
    Ok(())
}

/// The model time of the run started at log entry `start`, at `at_s`: read from the entries that carry it,
/// interpolated between the last one before and the first one after (or the attempt's end).
fn model_time_at(session: &Session, start: usize, at_s: f64) -> f64 {
    let log = &session.attempt.log;
    let end = session.now();
    let timed =
        log[start..].iter().filter_map(|e| e.model_s.map(|m| (e.at_s, m))).chain(end.model_s.map(|m| (end.at_s, m)));
    let (mut before, mut after) = ((log[start].at_s, 0.0), None);
    for (a, m) in timed {
        if a <= at_s {
            before = (a, m);
        } else {
            after = Some((a, m));
            break;
        }
    }
    let model_s = match after {
        Some((a1, m1)) if a1 > before.0 => before.1 + (m1 - before.1) * (at_s - before.0) / (a1 - before.0),
        _ => before.1,
    };
    // Whole steps, as the run took them.
    (model_s / STEP_S).round() * STEP_S
}
