//! Judging the response to each fault from the log, in model time: for every fault that fired, each action its
//! expected response lists (the scenario's or the kind's, `scenario::Expected`) is done in time, late or missed,
//! an action that makes the fault worse is wrong, and an action whose deadline the run has not reached yet is not
//! due. The actions are recognised by their role in the circuit the run started with (`sim::Roles`), so the same
//! judgement holds whatever part ids the trainee's circuit has.

use super::checklist::Status;
use super::{Attempt, Event, clock};
use crate::catalog::Catalog;
use crate::circuit::{Controls, Edit};
use crate::ids::PartId;
use crate::scenario::{Expected, LineRole, Response, Scenario};
use crate::sim::{Intervention, Roles};
use std::collections::BTreeMap;

/// One judged line of a fault's response.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    pub action: String,
    pub status: Status,
    /// When it was done (or done wrong): the clock, s from the start of the attempt, and the run's model time.
    pub at_s: Option<f64>,
    pub model_s: Option<f64>,
    /// Whether the fault it answers fired: a fault the run never reached is missed in the score even while the
    /// checklist calls it not due.
    pub reached: bool,
}

/// A fault that fired in a run, and what has answered it so far.
struct Open {
    index: usize,
    fired_model_s: f64,
    expected: Vec<(Expected, Option<(f64, f64)>)>,
    harmful: Vec<Response>,
    harmed: Option<(Response, f64, f64)>,
    resolved_model_s: Option<f64>,
    /// The run's model time when it ended (or the attempt did), once known.
    ended_model_s: Option<f64>,
}

impl Open {
    /// Harm counts while the fault lasts: until it is put right, and no longer than its response is due.
    fn harm_window_s(&self) -> f64 {
        self.expected.iter().map(|(e, _)| e.within_s).fold(0.0, f64::max)
    }
}

/// Every expected action of every fault of the scenario, judged from the attempt's log, in the order the faults
/// fired (then the faults the runs never reached).
pub fn judge(attempt: &Attempt, scenario: &Scenario, catalog: &Catalog) -> Vec<Judged> {
    let mut controls: BTreeMap<PartId, Controls> = BTreeMap::new();
    let mut roles = Roles::default();
    let mut faults: Vec<Open> = Vec::new();
    for entry in &attempt.log {
        let model_s = entry.model_s.unwrap_or(0.0);
        let responses = match &entry.event {
            Event::RunStarted => {
                roles = Roles::of(&attempt.circuit_at(catalog, entry.at_s), catalog);
                Vec::new()
            }
            Event::RunStopped => {
                for fault in faults.iter_mut().filter(|f| f.ended_model_s.is_none()) {
                    fault.ended_model_s = Some(model_s);
                }
                Vec::new()
            }
            Event::FaultFired { index: Some(index), .. } => {
                if let Some(fault) = scenario.faults.get(*index) {
                    faults.push(Open {
                        index: *index,
                        fired_model_s: model_s,
                        expected: fault.expected(scenario.procedure).into_iter().map(|e| (e, None)).collect(),
                        harmful: fault.kind.harmful_responses(),
                        harmed: None,
                        resolved_model_s: None,
                        ended_model_s: None,
                    });
                }
                Vec::new()
            }
            Event::FaultResolved { index, .. } => {
                if let Some(fault) = faults.iter_mut().rev().find(|f| f.index == *index && f.ended_model_s.is_none()) {
                    fault.resolved_model_s = Some(model_s);
                    for (expected, done) in &mut fault.expected {
                        if expected.response == Response::PutRight && done.is_none() {
                            *done = Some((entry.at_s, model_s));
                        }
                    }
                }
                Vec::new()
            }
            event => responses(event, &roles, &mut controls),
        };
        for response in responses {
            for fault in faults.iter_mut().filter(|f| f.ended_model_s.is_none() && model_s >= f.fired_model_s) {
                if let Some((_, done)) =
                    fault.expected.iter_mut().find(|(e, done)| e.response == response && done.is_none())
                {
                    *done = Some((entry.at_s, model_s));
                }
                let lasting =
                    fault.resolved_model_s.is_none() && model_s - fault.fired_model_s <= fault.harm_window_s();
                if lasting && fault.harmed.is_none() && fault.harmful.contains(&response) {
                    fault.harmed = Some((response, entry.at_s, model_s));
                }
            }
        }
    }
    // A run still going when the attempt ends has reached the attempt's model time.
    let end_model_s = attempt.end.model_s;
    let mut judged = Vec::new();
    for fault in &faults {
        let ended = fault.ended_model_s.or(end_model_s).unwrap_or(fault.fired_model_s);
        let name = scenario.faults.get(fault.index).map(|f| f.kind.describe()).unwrap_or_default();
        let when = clock(fault.fired_model_s);
        for (expected, done) in &fault.expected {
            let status = match done {
                Some((_, model_s)) if model_s - fault.fired_model_s <= expected.within_s => Status::Done,
                Some(_) => Status::Late,
                None if ended - fault.fired_model_s >= expected.within_s => Status::Missed,
                None => Status::NotDue,
            };
            let what = match expected.response {
                Response::PutRight => scenario
                    .faults
                    .get(fault.index)
                    .map_or_else(|| expected.response.describe(), |f| crate::scenario::remedy(&f.kind).to_owned()),
                other => other.describe(),
            };
            judged.push(Judged {
                action: format!("{what} within {} of the {name} ({when} of bypass)", duration(expected.within_s)),
                status,
                at_s: done.map(|(at, _)| at),
                model_s: done.map(|(_, model)| model),
                reached: true,
            });
        }
        if let Some((response, at_s, model_s)) = fault.harmed {
            judged.push(Judged {
                action: format!("Not: {} during the {name} ({when} of bypass)", response.describe().to_lowercase()),
                status: Status::Wrong,
                at_s: Some(at_s),
                model_s: Some(model_s),
                reached: true,
            });
        }
    }
    // Faults no run reached: missed once the attempt is over or its run has gone past the fault's time (a pump never
    // started is no excuse), not due before.
    for (index, fault) in scenario.faults.iter().enumerate() {
        if faults.iter().any(|f| f.index == index) {
            continue;
        }
        let status = match end_model_s {
            Some(model_s) if model_s < fault.at_s => Status::NotDue,
            _ => Status::Missed,
        };
        judged.push(Judged {
            action: format!(
                "Answer the {} ({} of bypass; the run did not reach it)",
                fault.kind.describe(),
                clock(fault.at_s)
            ),
            status,
            at_s: None,
            model_s: None,
            reached: false,
        });
    }
    judged
}

/// "30 s", "2 min".
fn duration(seconds: f64) -> String {
    if seconds < 120.0 { format!("{seconds:.0} s") } else { format!("{:.0} min", seconds / 60.0) }
}

/// What an event the trainee caused does, by role: the pump slowed, the venous line clamped, a vasodilator
/// given. `controls` holds each part's settings before the event and is brought up to date.
fn responses(event: &Event, roles: &Roles, controls: &mut BTreeMap<PartId, Controls>) -> Vec<Response> {
    let mut found = Vec::new();
    match event {
        Event::Edit(edit) => edit_responses(edit, roles, controls, &mut found),
        Event::PumpRestarted { pump } if roles.arterial_pump() == Some(*pump) => {
            found.push(Response::RestartArterialPump);
        }
        Event::Intervened(Intervention::GiveDrug { drug, .. }) => {
            found.push(if drug.is_vasopressor() { Response::GiveVasopressor } else { Response::GiveVasodilator })
        }
        Event::Intervened(Intervention::AddFluid { .. }) => found.push(Response::AddVolume),
        _ => {}
    }
    found
}

fn edit_responses(edit: &Edit, roles: &Roles, controls: &mut BTreeMap<PartId, Controls>, found: &mut Vec<Response>) {
    match edit {
        Edit::Batch(edits) => {
            for edit in edits {
                edit_responses(edit, roles, controls, found);
            }
        }
        Edit::AddPart(part) => {
            controls.insert(part.id, part.controls);
        }
        Edit::SetControls { part, controls: now } => {
            let before = controls.insert(*part, *now);
            match (before, *now) {
                (Some(Controls::Pump { rpm: was, .. }), Controls::Pump { rpm, .. })
                    if roles.arterial_pump() == Some(*part) =>
                {
                    // Setting the arterial pump running again is restarting it at the console.
                    if rpm > 0.0 {
                        found.push(Response::RestartArterialPump);
                    }
                    if rpm < was {
                        found.push(Response::SlowArterialPump);
                    } else if rpm > was {
                        found.push(Response::SpeedUpArterialPump);
                    }
                }
                (
                    Some(Controls::Gas { sweep_l_min: was_sweep, fio2: was_fio2 }),
                    Controls::Gas { sweep_l_min, fio2 },
                ) if roles.oxygenator() == Some(*part) && (sweep_l_min > was_sweep || fio2 > was_fio2) => {
                    found.push(Response::RaiseOxygen);
                }
                _ => {}
            }
        }
        Edit::SetClamp { tube, clamped: true } => {
            for line in [LineRole::Venous, LineRole::Arterial] {
                if roles.in_line(*tube, line) {
                    found.push(Response::ClampLine(line));
                }
            }
        }
        _ => {}
    }
}
