//! The run as it was at any moment of an attempt, rebuilt from the log through the deterministic simulation: the
//! circuit as it was when the run started, then every setting and clamp changed during the run applied at the
//! model time it was made. The same log gives the same numbers, bit for bit.

use super::{Attempt, Event};
use crate::catalog::Catalog;
use crate::circuit::{Circuit, Edit};
use crate::scenario::Scenario;
use crate::sim::{NoConvergence, STEP_S, Simulation};

/// A run rebuilt at a moment: the simulation there and the circuit it ran on.
pub struct ReplayedRun {
    pub simulation: Simulation,
    pub circuit: Circuit,
}

/// The run going on at `at_s` (seconds from the start of the attempt), rebuilt; `Ok(None)` when no run was going.
pub fn run_at(
    attempt: &Attempt,
    scenario: &Scenario,
    catalog: &Catalog,
    at_s: f64,
) -> Result<Option<ReplayedRun>, NoConvergence> {
    let log = &attempt.log;
    let Some(start) = log.iter().rposition(|e| e.event == Event::RunStarted && e.at_s <= at_s) else {
        return Ok(None);
    };
    let stopped_before = log[start + 1..].iter().any(|e| e.event == Event::RunStopped && e.at_s < at_s);
    if stopped_before {
        return Ok(None);
    }
    let mut circuit = Circuit::new();
    for entry in &log[..start] {
        if let Event::Edit(edit) = &entry.event {
            // A loaded attempt has been checked to replay whole.
            let _ = circuit.apply(catalog, edit.clone());
        }
    }
    let during: Vec<(f64, &Edit)> = log[start + 1..]
        .iter()
        .take_while(|e| e.at_s <= at_s && e.event != Event::RunStopped)
        .filter_map(|e| match &e.event {
            Event::Edit(edit) => Some((e.model_s.unwrap_or(0.0), edit)),
            _ => None,
        })
        .collect();
    let until_model_s = model_time_at(attempt, start, at_s);
    let mut simulation = Simulation::new(scenario, &circuit, catalog);
    let mut next = 0;
    loop {
        let now = simulation.state().time_s;
        while let Some((_, edit)) = during.get(next).filter(|(model_s, _)| *model_s <= now + 1e-9) {
            if circuit.apply(catalog, (*edit).clone()).is_ok() {
                let _ = simulation.take_edit(edit, scenario, &circuit, catalog);
            }
            next += 1;
        }
        if now + STEP_S / 2.0 > until_model_s {
            break;
        }
        simulation.step()?;
    }
    Ok(Some(ReplayedRun { simulation, circuit }))
}

/// The model time of the run started at log entry `start`, at `at_s`: read from the entries that carry it,
/// interpolated between the last one before and the first one after.
fn model_time_at(attempt: &Attempt, start: usize, at_s: f64) -> f64 {
    let timed = attempt.log[start..].iter().filter_map(|e| e.model_s.map(|m| (e.at_s, m)));
    let (mut before, mut after) = ((attempt.log[start].at_s, 0.0), None);
    for (a, m) in timed {
        if a <= at_s {
            before = (a, m);
        } else {
            after = Some((a, m));
            break;
        }
    }
    match after {
        Some((a1, m1)) if a1 > before.0 => before.1 + (m1 - before.1) * (at_s - before.0) / (a1 - before.0),
        _ => before.1,
    }
}
